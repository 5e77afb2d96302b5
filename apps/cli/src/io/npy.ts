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
import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from '@shallowscape/linalg';
import { FileError } from '../errors';
import { FileFormatError } from './file-format-error';
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
  const available = bytes.length - dataStart;
  const typeName = itemSize === 8 ? 'float64' : 'float32';
  if (available < needed) {
    fail(`truncated data: shape ${formatShape(shape)} ${typeName} needs ${needed} bytes after the header, the file has ${available}`);
  }
  if (available > needed) {
    fail(`${available - needed} unexpected bytes after the data of shape ${formatShape(shape)} ${typeName}`);
  }

  const data = new Float64Array(count);
  const read = itemSize === 8 ? (k: number) => view.getFloat64(dataStart + 8 * k, true) : (k: number) => view.getFloat32(dataStart + 4 * k, true);
  if (shape.length === 2 && fortranOrder) {
    const rows = shape[0]!;
    const cols = shape[1]!;
    for (let j = 0; j < cols; j++) {
      for (let i = 0; i < rows; i++) data[i * cols + j] = read(j * rows + i);
    }
  } else {
    for (let k = 0; k < count; k++) data[k] = read(k);
  }
  return { data, shape };
}

/**
 * Reads a `.npy` file holding a 1-D or 2-D little-endian float64 or float32 array.
 *
 * @param path - the file.
 * @param argument - the flag that named the file, for messages (optional).
 * @returns the data in row-major order as float64 and the shape.
 * @throws {@link FileError} when the file cannot be read; {@link FileFormatError} when its
 *   contents are not accepted (see {@link parseNpy}).
 * @example
 * ```ts
 * await writeNpy('v.npy', new Float64Array([1, 2]), [2]);
 * readNpy('v.npy'); // => { data: [1, 2], shape: [2] }
 * ```
 */
export function readNpy(path: string, argument?: string): NpyArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new FileError(path, 'read', error);
  }
  return parseNpy(bytes, path, argument);
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
