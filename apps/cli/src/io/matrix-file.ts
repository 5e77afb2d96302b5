/**
 * Matrix files named on the command line, by extension (case-insensitive):
 *
 * - `.npy`: NumPy arrays, 1-D or 2-D, little-endian float64 or float32, C or Fortran order
 *   (see `npy.ts`). Written as float64, C order, version 1.0.
 * - `.csv`: one matrix row per line, numbers separated by commas (spaces around them are
 *   ignored). Blank lines and lines starting with `#` (as `numpy.savetxt` writes a header) are
 *   skipped. A header line of column names is **not** accepted: matrix files carry no names,
 *   and guessing could silently drop a first row that holds a typo; the error says to delete the
 *   line or start it with `#`. Every row must have the same number of fields (a ragged row is an
 *   error naming its line). Fields are decimal numbers; `nan`, `inf`, `-inf` (any case, also
 *   `Infinity`) are recognised only to be rejected as non-finite with their position. Always 2-D:
 *   a single column is an N×1 matrix. Written with the shortest decimal that round-trips.
 * - `.json`: a flat array of numbers (1-D) or an array of equally long rows (2-D). The strings
 *   `"NaN"`, `"Infinity"`, `"-Infinity"` (what `--json` output writes for non-finite numbers)
 *   are recognised only to be rejected with their position.
 *
 * Every reader rejects NaN and ±Infinity with a {@link FileFormatError} naming the file and the
 * position of the first one: `[i, j]` (0-based, as NumPy indexes) for `.npy`, `line L, field F`
 * (1-based, as editors count) for `.csv`, `[i][j]` (0-based) for `.json`.
 *
 * @packageDocumentation
 */
import { constants as bufferConstants } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { Matrix } from '@shallowscape/linalg';
import { FileError } from '../errors';
import { FileFormatError } from './file-format-error';
import { checkMemoryBudget, formatBytes, type RunCostOptions } from '../resources/memory-budget';
import { encodeNpy, formatShape, readNpy } from './npy';
import { writeFileAtomic } from './write-file-atomic';

/** The file formats {@link readMatrixFile} understands. */
export type MatrixFileFormat = 'npy' | 'csv' | 'json';

/** A 1-D or 2-D float64 array read from a file, with a way to name the position of an entry. */
export interface ArrayFile {
  /** Entries in row-major order. */
  data: Float64Array;
  /** `[n]` (1-D) or `[rows, cols]` (2-D). */
  shape: number[];
  /** The format the file was read as. */
  format: MatrixFileFormat;
}

/**
 * The format of `path`, from its extension.
 * @throws {@link FileFormatError} for any other extension.
 * @example
 * ```ts
 * matrixFileFormat('runs/W.NPY'); // => "npy"
 * ```
 */
export function matrixFileFormat(path: string, argument?: string): MatrixFileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.npy' || ext === '.csv' || ext === '.json') return ext.slice(1) as MatrixFileFormat;
  throw new FileFormatError(path, `unknown matrix file extension ${JSON.stringify(ext || '(none)')} (expected .npy, .csv or .json)`, argument);
}

/** Where entry `k` (row-major) of an array of `shape` sits, in the convention of `format`. */
function describePosition(format: MatrixFileFormat, shape: readonly number[], k: number, csvLines?: readonly number[]): string {
  if (shape.length === 1) return `[${k}]`;
  const cols = shape[1]!;
  const i = Math.floor(k / cols);
  const j = k % cols;
  if (format === 'csv') return `line ${csvLines?.[i] ?? i + 1}, field ${j + 1}`;
  if (format === 'json') return `[${i}][${j}]`;
  return `[${i}, ${j}]`;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^([+-]?)(nan|inf|infinity)$/i;

/** Parses one CSV field, or returns `undefined` when it is not a number. */
function parseCsvNumber(field: string): number | undefined {
  if (DECIMAL.test(field)) return Number(field);
  const special = NON_FINITE.exec(field);
  if (special === null) return undefined;
  if (special[2]!.toLowerCase() === 'nan') return NaN;
  return special[1] === '-' ? -Infinity : Infinity;
}

/**
 * Parses CSV text (see the module comment) into a 2-D array; also returns the line number of each
 * row, for messages.
 * @throws {@link FileFormatError} for a field that is not a number, a ragged row, or no rows.
 */
export function parseCsv(text: string, path: string, argument?: string): ArrayFile & { lines: number[] } {
  const fail = (problem: string): never => {
    throw new FileFormatError(path, problem, argument);
  };
  const values: number[] = [];
  const lines: number[] = [];
  let cols = -1;
  let firstLine = 0;
  const rawLines = text.split(/\r\n|\n|\r/);
  for (let index = 0; index < rawLines.length; index++) {
    const line = rawLines[index]!.trim();
    const lineNumber = index + 1;
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(',').map((f) => f.trim());
    const parsed = fields.map(parseCsvNumber);
    const bad = parsed.findIndex((v) => v === undefined);
    if (bad !== -1) {
      if (lines.length === 0 && fields.every((f) => /[A-Za-z_]/.test(f) && parseCsvNumber(f) === undefined)) {
        fail(`line ${lineNumber} looks like a header (${JSON.stringify(line.length > 60 ? `${line.slice(0, 57)}...` : line)}); header lines are not supported: delete it or start it with '#'`);
      }
      const field = fields[bad]!;
      const hint = /[;\t]/.test(field) ? ' (fields are separated by commas)' : '';
      fail(`line ${lineNumber}, field ${bad + 1}: ${field === '' ? 'empty field' : `${JSON.stringify(field)} is not a number${hint}`}`);
    }
    if (cols === -1) {
      cols = fields.length;
      firstLine = lineNumber;
    } else if (fields.length !== cols) {
      fail(`line ${lineNumber} has ${fields.length} field${fields.length === 1 ? '' : 's'}, but line ${firstLine} has ${cols} (every row needs the same number)`);
    }
    for (const v of parsed) values.push(v!);
    lines.push(lineNumber);
  }
  if (cols === -1) fail('no data: the file has no rows of numbers');
  return { data: Float64Array.from(values), shape: [lines.length, cols], format: 'csv', lines };
}

/** A JSON entry as a number (the strings "NaN", "Infinity", "-Infinity" included), or `undefined`. */
function jsonNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return undefined;
}

function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  return String(value);
}

/**
 * Parses JSON text holding a flat array of numbers or an array of equally long rows.
 * @throws {@link FileFormatError} for invalid JSON, anything but such arrays, or ragged rows.
 */
export function parseJsonArray(text: string, path: string, argument?: string): ArrayFile {
  const fail = (problem: string): never => {
    throw new FileFormatError(path, problem, argument);
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(`invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(value)) return fail(`expected a JSON array of numbers or of rows, found ${describeJsonValue(value)}`);
  if (value.length === 0 || !Array.isArray(value[0])) {
    const data = new Float64Array(value.length);
    value.forEach((entry: unknown, k) => {
      const x = jsonNumber(entry);
      if (x === undefined) fail(`entry [${k}] is ${describeJsonValue(entry)}, not a number`);
      data[k] = x!;
    });
    return { data, shape: [value.length], format: 'json' };
  }
  const rows = value.length;
  const cols = (value[0] as unknown[]).length;
  const data = new Float64Array(rows * cols);
  value.forEach((row: unknown, i) => {
    if (!Array.isArray(row)) fail(`entry [${i}] is ${describeJsonValue(row)}, but entry [0] is a row (an array)`);
    const r = row as unknown[];
    if (r.length !== cols) fail(`row [${i}] has ${r.length} entries, but row [0] has ${cols} (every row needs the same number)`);
    r.forEach((entry, j) => {
      if (Array.isArray(entry)) fail(`entry [${i}][${j}] is an array: only flat arrays and arrays of rows (2-D) are supported`);
      const x = jsonNumber(entry);
      if (x === undefined) fail(`entry [${i}][${j}] is ${describeJsonValue(entry)}, not a number`);
      data[i * cols + j] = x!;
    });
  });
  return { data, shape: [rows, cols], format: 'json' };
}

/** The longest `.csv` or `.json` file read: the longest string JavaScript can hold (about 536 MB in Node 20). */
export const MAX_TEXT_FILE_BYTES: number = bufferConstants.MAX_STRING_LENGTH;

/**
 * Memory a `.csv` or `.json` file of `size` bytes may need while it is parsed: the text, its lines
 * and fields as strings, the numbers as a JavaScript array and as float64, about ten times the
 * file (an upper estimate).
 */
const TEXT_PARSE_BYTES_PER_FILE_BYTE = 10;

/**
 * Reads a `.csv` or `.json` file as UTF-8 text after checking its size: against the longest
 * string JavaScript can hold ({@link MAX_TEXT_FILE_BYTES}) and against the memory budget.
 *
 * @throws {@link FileError} when it cannot be read; {@link FileFormatError} when it is too long
 *   for a string (saying to use `.npy`); `ResourceLimitError` when parsing it would not fit in memory.
 */
function readTextFile(path: string, format: MatrixFileFormat, argument: string | undefined, options: RunCostOptions): string {
  let size: number;
  try {
    const info = statSync(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    size = info.size;
  } catch (error) {
    throw new FileError(path, 'read', error);
  }
  if (size > MAX_TEXT_FILE_BYTES) {
    throw new FileFormatError(
      path,
      `the file is ${formatBytes(size)}; .${format} files are read whole and can be at most ${formatBytes(MAX_TEXT_FILE_BYTES)}: save large arrays as .npy`,
      argument,
    );
  }
  checkMemoryBudget({ bytes: TEXT_PARSE_BYTES_PER_FILE_BYTE * size, largestArray: Math.ceil(size / 2) }, `${argument !== undefined ? `${argument} ` : ''}${JSON.stringify(path)}`, {
    ...options,
    what: `reading this ${formatBytes(size)} .${format} file`,
    advice: 'save large arrays as .npy',
  });
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new FileError(path, 'read', error);
  }
}

/**
 * Reads a 1-D or 2-D array from a `.npy`, `.csv` or `.json` file (by extension) and checks that
 * every entry is finite. Sizes are checked before anything is allocated: a `.npy` header's shape
 * against the file's size and the memory budget, a text file's size against the longest string
 * and the memory budget.
 *
 * @param path - the file.
 * @param argument - the flag that named it (e.g. `"--data"`), for messages.
 * @param options - the environment or budget for the memory check (default: `process.env`).
 * @throws {@link FileError} when the file cannot be read; {@link FileFormatError} for an unknown
 *   extension, malformed contents, or a NaN/±Infinity entry (naming its position);
 *   `ResourceLimitError` when the array would not fit in memory.
 * @example
 * ```ts
 * await writeMatrixFile('a.csv', Matrix.from([[1, 2], [3, 4]]));
 * readArrayFile('a.csv').shape; // => [2, 2]
 * ```
 */
export function readArrayFile(path: string, argument?: string, options: RunCostOptions = {}): ArrayFile {
  const format = matrixFileFormat(path, argument);
  let array: ArrayFile;
  let csvLines: number[] | undefined;
  if (format === 'npy') {
    array = { ...readNpy(path, argument, options), format };
  } else {
    const text = readTextFile(path, format, argument, options);
    if (format === 'json') array = parseJsonArray(text, path, argument);
    else {
      const csv = parseCsv(text, path, argument);
      csvLines = csv.lines;
      array = { data: csv.data, shape: csv.shape, format };
    }
  }
  const { data } = array;
  for (let k = 0; k < data.length; k++) {
    const x = data[k]!;
    if (!Number.isFinite(x)) {
      const value = Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
      throw new FileFormatError(path, `non-finite entry ${value} at ${describePosition(format, array.shape, k, csvLines)}`, argument);
    }
  }
  return array;
}

/**
 * Reads a matrix from a `.npy`, `.csv` or `.json` file; a 1-D array of length $n$ becomes an
 * $n \times 1$ column.
 *
 * @param path - the file.
 * @param argument - the flag that named it, for messages.
 * @returns the matrix (row-major float64).
 * @throws {@link FileError}, {@link FileFormatError} as {@link readArrayFile}.
 * @example
 * ```ts
 * await writeMatrixFile('a.json', Matrix.from([[1, 2], [3, 4]]));
 * readMatrixFile('a.json').toArray(); // => [[1, 2], [3, 4]]
 * ```
 */
export function readMatrixFile(path: string, argument?: string): Matrix {
  const { data, shape } = readArrayFile(path, argument);
  return shape.length === 1 ? new Matrix(shape[0]!, 1, data) : new Matrix(shape[0]!, shape[1]!, data);
}

/**
 * Reads a vector from a file: a 1-D array of shape $(n,)$ or a column of shape $(n, 1)$.
 *
 * @param path - the file.
 * @param argument - the flag that named it, for messages.
 * @returns the $n$ entries.
 * @throws {@link FileFormatError} for any other shape (and as {@link readArrayFile}).
 * @example
 * ```ts
 * await writeVectorFile('y.npy', new Float64Array([1, 2, 3]));
 * readVectorFile('y.npy'); // => [1, 2, 3]
 * ```
 */
export function readVectorFile(path: string, argument?: string): Float64Array {
  const { data, shape } = readArrayFile(path, argument);
  if (shape.length === 1 || shape[1] === 1) return data;
  throw new FileFormatError(path, `expected a vector of shape (N,) or (N, 1), found shape ${formatShape(shape)}`, argument);
}

/** Formats a number for CSV: the shortest decimal that round-trips; non-finite as numpy does. */
function csvNumber(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return String(x);
}

function jsonEntry(x: number): string {
  if (Number.isNaN(x)) return '"NaN"';
  if (!Number.isFinite(x)) return x > 0 ? '"Infinity"' : '"-Infinity"';
  return JSON.stringify(Object.is(x, -0) ? 0 : x);
}

/** The file contents for an array of `shape` in `format`. */
function encodeArray(format: MatrixFileFormat, data: Float64Array, shape: readonly number[]): string | Uint8Array {
  if (format === 'npy') return encodeNpy(data, shape);
  const rows = shape.length === 1 ? shape[0]! : shape[0]!;
  const cols = shape.length === 1 ? 1 : shape[1]!;
  if (format === 'csv') {
    const lines: string[] = [];
    for (let i = 0; i < rows; i++) lines.push(Array.from(data.subarray(i * cols, (i + 1) * cols), csvNumber).join(','));
    return lines.map((l) => `${l}\n`).join('');
  }
  if (shape.length === 1) return `[${Array.from(data, jsonEntry).join(', ')}]\n`;
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) lines.push(`  [${Array.from(data.subarray(i * cols, (i + 1) * cols), jsonEntry).join(', ')}]`);
  return rows === 0 ? '[]\n' : `[\n${lines.join(',\n')}\n]\n`;
}

/**
 * Writes a matrix to a `.npy` (float64, C order), `.csv` or `.json` file chosen by extension,
 * atomically (temporary file, flush, rename).
 *
 * @param path - the destination.
 * @param m - the matrix.
 * @throws {@link FileFormatError} for an unknown extension; {@link FileError} when the file
 *   cannot be written (nothing is left behind).
 * @example
 * ```ts
 * await writeMatrixFile('G.csv', Matrix.from([[1, 0.5]])); // => undefined
 * ```
 */
export async function writeMatrixFile(path: string, m: Matrix, argument?: string): Promise<void> {
  const format = matrixFileFormat(path, argument);
  await writeFileAtomic(path, encodeArray(format, m.data, [m.rows, m.cols]));
}

/**
 * Writes a vector to a `.npy` (shape $(n,)$), `.csv` (one entry per line) or `.json` (flat
 * array) file, atomically.
 *
 * @param path - the destination.
 * @param v - the entries.
 * @throws {@link FileFormatError} for an unknown extension; {@link FileError} on write failure.
 * @example
 * ```ts
 * await writeVectorFile('signs.npy', new Float64Array([1, -1])); // => undefined
 * ```
 */
export async function writeVectorFile(path: string, v: Float64Array, argument?: string): Promise<void> {
  const format = matrixFileFormat(path, argument);
  await writeFileAtomic(path, encodeArray(format, v, [v.length]));
}
