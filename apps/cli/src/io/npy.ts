/**
 * NumPy `.npy` files: a strict reader for 1-D and 2-D float arrays and an atomic float64 writer.
 *
 * The format (NEP 1, `numpy.lib.format`): the magic string `\x93NUMPY`, a major and a minor
 * version byte, the header length (2 bytes little-endian in version 1.0, 4 bytes in 2.0 and 3.0),
 * the header (a Python dict literal `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`,
 * latin-1 in versions 1.0/2.0, UTF-8 in 3.0, padded with spaces and a newline), then the raw data.
 *
 * Reading accepts versions 1.0, 2.0 and 3.0, the dtypes `'<f8'` (float64) and `'<f4'` (float32,
 * widened exactly to float64), C or Fortran order, 1-D or 2-D shapes. Everything else is a
 * {@link FileFormatError} naming the file and the problem: bad magic, another version, a header
 * that is not exactly the three keys, big-endian or non-float dtypes (integers, booleans, complex,
 * objects, strings, structured records, float16), 0-D or 3-D and higher arrays, truncated data,
 * bytes after the data. The reader does not check finiteness; {@link readMatrixFile} does.
 *
 * @see https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 * @packageDocumentation
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { InvalidArgumentError } from '@shallowscape/linalg';
import { FileError } from '../errors';
import { FileFormatError } from './file-format-error';
import { checkMemoryBudget, type RunCostOptions } from '../resources/memory-budget';
import { writeFileAtomic } from './write-file-atomic';

/** An array read from a `.npy` file: row-major (C order) float64 data and its shape. */
export interface NpyArray {
  /** The entries in row-major order, widened to float64. */
  data: Float64Array;
  /** `[n]` for a 1-D array, `[rows, cols]` for a 2-D one. */
  shape: number[];
}

/** The six bytes every `.npy` file starts with: `\x93NUMPY`. */
export const NPY_MAGIC: readonly number[] = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** A Python literal as it can appear in a `.npy` header. */
type PyValue = string | number | boolean | null | { kind: 'tuple' | 'list'; items: PyValue[] } | { kind: 'dict'; entries: Array<[PyValue, PyValue]> };

/** Formats a shape the way Python prints a tuple: `(3,)`, `(3, 4)`, `()`. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * A recursive-descent parser for the Python literals a `.npy` header may contain: dicts, tuples,
 * lists, quoted strings, integers (with Python 2's `L` suffix), `True`, `False`, `None`.
 */
class HeaderParser {
  private position = 0;

  constructor(private readonly text: string) {}

  parse(): PyValue {
    const value = this.value();
    this.skipSpace();
    if (this.position < this.text.length) this.fail(`unexpected ${JSON.stringify(this.text[this.position])} after the dict`);
    return value;
  }

  private fail(what: string): never {
    throw new HeaderSyntaxError(`${what} at character ${this.position + 1}`);
  }

  private skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position]!)) this.position += 1;
  }

  private value(): PyValue {
    this.skipSpace();
    const c = this.text[this.position];
    if (c === undefined) this.fail('unexpected end of header');
    if (c === '{') return this.dict();
    if (c === '(') return this.sequence('tuple', ')');
    if (c === '[') return this.sequence('list', ']');
    if (c === "'" || c === '"') return this.string(c);
    if (/[-+0-9]/.test(c)) return this.integer();
    const word = /^[A-Za-z_]\w*/.exec(this.text.slice(this.position))?.[0];
    if (word === 'True' || word === 'False' || word === 'None') {
      this.position += word.length;
      return word === 'None' ? null : word === 'True';
    }
    return this.fail(`unexpected ${JSON.stringify(word ?? c)}`);
  }

  private dict(): PyValue {
    this.position += 1;
    const entries: Array<[PyValue, PyValue]> = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] === '}') {
        this.position += 1;
        return { kind: 'dict', entries };
      }
      const key = this.value();
      this.skipSpace();
      if (this.text[this.position] !== ':') this.fail("expected ':'");
      this.position += 1;
      entries.push([key, this.value()]);
      this.skipSpace();
      const next = this.text[this.position];
      if (next === ',') this.position += 1;
      else if (next !== '}') this.fail("expected ',' or '}'");
    }
  }

  private sequence(kind: 'tuple' | 'list', close: string): PyValue {
    this.position += 1;
    const items: PyValue[] = [];
    let sawComma = false;
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] === close) {
        this.position += 1;
        // `(3)` is the integer 3 in Python, not a tuple.
        if (kind === 'tuple' && items.length === 1 && !sawComma) return items[0]!;
        return { kind, items };
      }
      items.push(this.value());
      this.skipSpace();
      const next = this.text[this.position];
      if (next === ',') {
        sawComma = true;
        this.position += 1;
      } else if (next !== close) this.fail(`expected ',' or '${close}'`);
    }
  }

  private string(quote: string): string {
    let out = '';
    this.position += 1;
    for (;;) {
      const c = this.text[this.position];
      if (c === undefined || c === '\n') this.fail('unterminated string');
      this.position += 1;
      if (c === quote) return out;
      if (c === '\\') {
        const e = this.text[this.position];
        this.position += 1;
        if (e === '\\' || e === "'" || e === '"') out += e;
        else if (e === 'n') out += '\n';
        else if (e === 't') out += '\t';
        else this.fail(`unsupported escape \\${e ?? ''}`);
      } else out += c;
    }
  }

  private integer(): number {
    const match = /^[-+]?\d+L?/.exec(this.text.slice(this.position));
    if (match === null) this.fail('expected an integer');
    const digits = match[0].replace(/L$/, '');
    this.position += match[0].length;
    if (/^[.eEjJ]/.test(this.text[this.position] ?? '')) this.fail('expected an integer, found a float or complex number');
    const value = Number(digits);
    if (!Number.isSafeInteger(value)) this.fail(`integer ${digits} is too large`);
    return value;
  }
}

class HeaderSyntaxError extends Error {}

/** Describes a NumPy dtype string in words, for messages. */
function describeDtype(descr: string): string {
  const match = /^([<>|=])([A-Za-z])(\d*)$/.exec(descr);
  if (match === null) return `dtype '${descr}'`;
  const [, order, kind, size] = match as unknown as [string, string, string, string];
  const bits = size === '' ? '' : `${Number(size) * 8}-bit `;
  const kinds: Record<string, string> = {
    f: 'float',
    i: 'signed integer',
    u: 'unsigned integer',
    b: 'boolean',
    c: 'complex',
    O: 'Python object',
    U: 'unicode string',
    S: 'byte string',
    a: 'byte string',
    V: 'raw void',
    M: 'datetime',
    m: 'timedelta',
  };
  const what = kinds[kind] ?? `kind '${kind}'`;
  const endian = order === '>' ? 'big-endian ' : '';
  // The size counts bytes for numbers; for strings it counts characters, so it is left out.
  return `${endian}${'fiuc'.includes(kind) ? bits : ''}${what} dtype '${descr}'`;
}

const SUPPORTED = "only little-endian float64 ('<f8') and float32 ('<f4') arrays are supported";

/** What the header of a `.npy` file says, checked against the file's size. */
export interface NpyHeader {
  /** `[n]` or `[rows, cols]`. */
  shape: number[];
  /** Bytes per entry: 8 (`'<f8'`) or 4 (`'<f4'`). */
  itemSize: 8 | 4;
  /** Whether a 2-D array is stored column by column. */
  fortranOrder: boolean;
  /** The offset of the data in the file. */
  dataStart: number;
  /** The number of entries. */
  count: number;
}

/**
 * Parses and checks the header of a `.npy` file: magic, version, the header dict, dtype, order
 * and shape, and that the data the shape needs is exactly what the file holds after the header.
 * Nothing is allocated for the data, so a header that claims a huge shape costs nothing.
 *
 * @param bytes - the start of the file: at least its first `dataStart` bytes (or all of it, when shorter).
 * @param path - the file name, for messages.
 * @param argument - the flag that named the file, for messages (optional).
 * @param fileSize - the size of the whole file (default `bytes.length`).
 * @returns the header.
 * @throws {@link FileFormatError} naming `path`, as {@link parseNpy}.
 * @example
 * ```ts
 * parseNpyHeader(encodeNpy(new Float64Array(6), [2, 3]), 'a.npy').dataStart; // => 128
 * ```
 */
export function parseNpyHeader(bytes: Uint8Array, path: string, argument?: string, fileSize: number = bytes.length): NpyHeader {
  const fail = (problem: string): never => {
    throw new FileFormatError(path, problem, argument);
  };
  if (bytes.length === 0) fail('not a .npy file: the file is empty');
  if (bytes.length < NPY_MAGIC.length || NPY_MAGIC.some((b, i) => bytes[i] !== b)) {
    fail('not a .npy file: it does not start with the magic string \\x93NUMPY');
  }
  if (bytes.length < 8) fail('truncated .npy header: the file ends inside the version bytes');
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (!((major === 1 || major === 2 || major === 3) && minor === 0)) {
    fail(`unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`);
  }
  const lengthBytes = major === 1 ? 2 : 4;
  const headerStart = 8 + lengthBytes;
  if (bytes.length < headerStart) fail('truncated .npy header: the file ends inside the header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart) {
    fail(`truncated .npy header: it should be ${headerLength} bytes long, the file has ${bytes.length - headerStart} after the preamble`);
  }
  const headerBytes = Buffer.from(bytes.buffer, bytes.byteOffset + headerStart, headerLength);
  const headerText = headerBytes.toString(major === 3 ? 'utf8' : 'latin1');

  let header: PyValue;
  try {
    header = new HeaderParser(headerText).parse();
  } catch (error) {
    if (error instanceof HeaderSyntaxError) return fail(`malformed .npy header: ${error.message}`);
    throw error;
  }
  if (header === null || typeof header !== 'object' || header.kind !== 'dict') {
    return fail('malformed .npy header: it is not a dict');
  }
  const fields = new Map<string, PyValue>();
  for (const [key, value] of header.entries) {
    if (typeof key !== 'string') return fail('malformed .npy header: a key is not a string');
    if (key !== 'descr' && key !== 'fortran_order' && key !== 'shape') {
      return fail(`malformed .npy header: unexpected key '${key}' (expected exactly 'descr', 'fortran_order', 'shape')`);
    }
    if (fields.has(key)) return fail(`malformed .npy header: key '${key}' appears twice`);
    fields.set(key, value);
  }
  for (const key of ['descr', 'fortran_order', 'shape']) {
    if (!fields.has(key)) fail(`malformed .npy header: it lacks the key '${key}'`);
  }

  const descr = fields.get('descr');
  if (typeof descr !== 'string') {
    if (descr !== null && typeof descr === 'object' && descr.kind === 'list') {
      return fail(`unsupported structured (record) dtype; ${SUPPORTED}`);
    }
    return fail("malformed .npy header: 'descr' is not a string");
  }
  let itemSize: 8 | 4;
  if (descr === '<f8') itemSize = 8;
  else if (descr === '<f4') itemSize = 4;
  else return fail(`unsupported ${describeDtype(descr)}; ${SUPPORTED}`);

  const fortranOrder = fields.get('fortran_order');
  if (typeof fortranOrder !== 'boolean') return fail("malformed .npy header: 'fortran_order' is not True or False");

  const shapeValue = fields.get('shape');
  if (shapeValue === null || typeof shapeValue !== 'object' || shapeValue.kind !== 'tuple') {
    return fail("malformed .npy header: 'shape' is not a tuple");
  }
  const shape: number[] = [];
  for (const item of shapeValue.items) {
    if (typeof item !== 'number' || item < 0) return fail("malformed .npy header: 'shape' holds something other than non-negative integers");
    shape.push(item);
  }
  if (shape.length === 0) fail('the array is 0-dimensional (a scalar); only 1-D and 2-D arrays are supported');
  if (shape.length > 2) fail(`the array has ${shape.length} dimensions, shape ${formatShape(shape)}; only 1-D and 2-D arrays are supported`);

  const count = shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count * itemSize)) fail(`shape ${formatShape(shape)} is too large`);
  const needed = count * itemSize;
  const available = fileSize - dataStart;
  const typeName = itemSize === 8 ? 'float64' : 'float32';
  if (available < needed) {
    fail(`truncated data: shape ${formatShape(shape)} ${typeName} needs ${needed} bytes after the header, the file has ${available}`);
  }
  if (available > needed) {
    fail(`${available - needed} unexpected bytes after the data of shape ${formatShape(shape)} ${typeName}`);
  }

  return { shape, itemSize, fortranOrder, dataStart, count };
}

/**
 * Converts the data of a `.npy` file (the bytes after its header) into row-major float64.
 *
 * @param header - from {@link parseNpyHeader}.
 * @param data - exactly `header.count * header.itemSize` bytes.
 * @param out - where to write (default: a new array of `header.count` entries).
 * @param first - the index, in file order, of the first entry in `data` (for reading in chunks).
 * @returns `out`.
 */
function decodeNpyData(header: NpyHeader, data: Uint8Array, out: Float64Array, first = 0): Float64Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const n = data.byteLength / header.itemSize;
  const read = header.itemSize === 8 ? (k: number) => view.getFloat64(8 * k, true) : (k: number) => view.getFloat32(4 * k, true);
  if (header.shape.length === 2 && header.fortranOrder) {
    const rows = header.shape[0]!;
    const cols = header.shape[1]!;
    for (let k = 0; k < n; k++) {
      const index = first + k;
      out[(index % rows) * cols + Math.floor(index / rows)] = read(k);
    }
  } else {
    for (let k = 0; k < n; k++) out[first + k] = read(k);
  }
  return out;
}

/**
 * Parses the bytes of a `.npy` file (see the module comment for what is accepted).
 *
 * @param bytes - the whole file.
 * @param path - the file name, for messages.
 * @param argument - the flag that named the file, for messages (optional).
 * @returns the data in row-major order as float64, and the shape (`[n]` or `[rows, cols]`).
 * @throws {@link FileFormatError} naming `path` for anything but a well-formed 1-D or 2-D
 *   `'<f8'`/`'<f4'` array.
 * @example
 * ```ts
 * parseNpy(encodeNpy(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]), 'a.npy').shape; // => [2, 3]
 * ```
 */
export function parseNpy(bytes: Uint8Array, path: string, argument?: string): NpyArray {
  const header = parseNpyHeader(bytes, path, argument);
  const data = decodeNpyData(header, bytes.subarray(header.dataStart), new Float64Array(header.count));
  return { data, shape: header.shape };
}

/** The largest `.npy` header accepted (numpy itself refuses headers over 10000 bytes by default). */
export const NPY_MAX_HEADER_BYTES = 1 << 20;

/** Bytes read and converted at a time when the data cannot be read straight into the result. */
const READ_CHUNK_BYTES = 1 << 23;

/** Reads `length` bytes of `fd` at `position` into `target` (all of them, or fewer at the end of the file). */
function readFully(fd: number, target: Uint8Array, position: number): number {
  let done = 0;
  while (done < target.length) {
    const n = readSync(fd, target, done, target.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/**
 * Reads a `.npy` file holding a 1-D or 2-D little-endian float64 or float32 array. The header
 * is read and checked first ({@link parseNpyHeader}: the shape against the file's size, then
 * against the memory budget, `resources/memory-budget.ts`), and only then is the result
 * allocated and the data read into it (float64 C-order data straight into the result, other data
 * in 8 MB chunks), so a malformed or oversized file costs nothing and a large one is held once.
 *
 * @param path - the file.
 * @param argument - the flag that named the file, for messages (optional).
 * @param options - the environment or budget for the memory check (default: `process.env`).
 * @returns the data in row-major order as float64 and the shape.
 * @throws {@link FileError} when the file cannot be read; {@link FileFormatError} when its
 *   contents are not accepted (see {@link parseNpy}); `ResourceLimitError` when its array does not
 *   fit in memory.
 * @example
 * ```ts
 * await writeNpy('v.npy', new Float64Array([1, 2]), [2]);
 * readNpy('v.npy'); // => { data: [1, 2], shape: [2] }
 * ```
 */
export function readNpy(path: string, argument?: string, options: RunCostOptions = {}): NpyArray {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new FileError(path, 'read', error);
  }
  try {
    let size: number;
    try {
      const info = fstatSync(fd);
      if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      size = info.size;
    } catch (error) {
      throw new FileError(path, 'read', error);
    }
    const read = (length: number, position: number): Uint8Array => {
      const buffer = new Uint8Array(length);
      try {
        return buffer.subarray(0, readFully(fd, buffer, position));
      } catch (error) {
        throw new FileError(path, 'read', error);
      }
    };
    // The preamble says how long the header is; read exactly that much before deciding anything.
    let prefix = read(Math.min(size, 12), 0);
    const major = prefix[6];
    if (prefix.length >= 10 && NPY_MAGIC.every((b, i) => prefix[i] === b) && (major === 1 || major === 2 || major === 3) && prefix[7] === 0) {
      const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
      const headerStart = major === 1 ? 10 : 12;
      const headerLength = major === 1 ? view.getUint16(8, true) : prefix.length >= 12 ? view.getUint32(8, true) : 0;
      if (headerLength > NPY_MAX_HEADER_BYTES) {
        throw new FileFormatError(path, `the .npy header claims to be ${headerLength} bytes long; headers over ${NPY_MAX_HEADER_BYTES} bytes are not supported`, argument);
      }
      prefix = read(Math.min(size, headerStart + headerLength), 0);
    }
    const header = parseNpyHeader(prefix, path, argument, size);
    const cause = `${argument !== undefined ? `${argument} ` : ''}${JSON.stringify(path)}`;
    checkMemoryBudget({ bytes: 8 * header.count, largestArray: header.count }, cause, {
      ...options,
      what: `reading its ${formatShape(header.shape)} array`,
      advice: 'use a smaller file',
    });
    const out = new Float64Array(header.count);
    const direct = header.itemSize === 8 && !(header.shape.length === 2 && header.fortranOrder) && endianness() === 'LE';
    try {
      if (direct) {
        readFully(fd, new Uint8Array(out.buffer), header.dataStart);
      } else {
        const total = header.count * header.itemSize;
        const chunk = new Uint8Array(Math.min(READ_CHUNK_BYTES, total));
        for (let offset = 0; offset < total; offset += chunk.length) {
          const piece = chunk.subarray(0, Math.min(chunk.length, total - offset));
          readFully(fd, piece, header.dataStart + offset);
          decodeNpyData(header, piece, out, offset / header.itemSize);
        }
      }
    } catch (error) {
      throw new FileError(path, 'read', error);
    }
    return { data: out, shape: header.shape };
  } finally {
    closeSync(fd);
  }
}

/** Checks a shape for writing: one or two non-negative integers whose product is `length`. */
function checkShape(shape: readonly number[], length: number): void {
  if (!Array.isArray(shape) || (shape.length !== 1 && shape.length !== 2) || shape.some((n) => !Number.isSafeInteger(n) || n < 0)) {
    throw new InvalidArgumentError('shape', shape, 'one or two non-negative integers');
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== length) throw new InvalidArgumentError('shape', shape, `dimensions whose product is the data length ${length}`);
}

/**
 * Encodes `data` (row-major) as the bytes of a version 1.0 `.npy` file with dtype `'<f8'` and
 * C order, exactly as `numpy.save` writes it (header padded with spaces to a multiple of 64
 * bytes, ending in a newline).
 *
 * @param data - the entries, row-major, length $\prod_k \mathrm{shape}_k$.
 * @param shape - `[n]` or `[rows, cols]`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `shape` is not one or two
 *   non-negative integers whose product is `data.length`.
 * @example
 * ```ts
 * encodeNpy(new Float64Array([1, 2, 3]), [3]).length; // => 152
 * ```
 */
export function encodeNpy(data: Float64Array | readonly number[], shape: readonly number[]): Uint8Array {
  checkShape(shape, data.length);
  const dict = `{'descr': '<f8', 'fortran_order': False, 'shape': ${formatShape(shape)}, }`;
  // Version 1.0 stores the header length in 2 bytes; version 2.0 (4 bytes) only for huge headers.
  let version = 1;
  let preamble = 10;
  let padded = 64 * Math.ceil((preamble + dict.length + 1) / 64) - preamble;
  if (padded > 0xffff) {
    version = 2;
    preamble = 12;
    padded = 64 * Math.ceil((preamble + dict.length + 1) / 64) - preamble;
  }
  const header = `${dict}${' '.repeat(padded - dict.length - 1)}\n`;
  const bytes = new Uint8Array(preamble + padded + 8 * data.length);
  bytes.set(NPY_MAGIC, 0);
  bytes[6] = version;
  bytes[7] = 0;
  const view = new DataView(bytes.buffer);
  if (version === 1) view.setUint16(8, padded, true);
  else view.setUint32(8, padded, true);
  bytes.set(Buffer.from(header, 'latin1'), preamble);
  const start = preamble + padded;
  for (let k = 0; k < data.length; k++) view.setFloat64(start + 8 * k, data[k]!, true);
  return bytes;
}

/**
 * Writes `data` with the given shape as a float64 C-order version 1.0 `.npy` file, atomically
 * (a temporary file in the same directory, flushed, then renamed over `path`).
 *
 * @param path - the destination.
 * @param data - the entries, row-major.
 * @param shape - `[n]` or `[rows, cols]`, with product `data.length`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for a bad shape;
 *   {@link FileError} naming `path` when it cannot be written (nothing is left behind).
 * @example
 * ```ts
 * await writeNpy('W.npy', new Float64Array([1, 2, 3, 4]), [2, 2]); // => undefined
 * ```
 */
export async function writeNpy(path: string, data: Float64Array | readonly number[], shape: readonly number[]): Promise<void> {
  await writeFileAtomic(path, encodeNpy(data, shape));
}
