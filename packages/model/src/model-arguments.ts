/**
 * Argument checks shared by the model package's public constructors and functions (internal:
 * not exported from the package index). Each throws a typed error from `@shallowscape/linalg`
 * naming the argument and its value; kernels never call them.
 *
 * @packageDocumentation
 */
import {
  InvalidArgumentError,
  ShapeError,
  assertFiniteNumber,
  assertFiniteVector,
  checkMatrix,
  type Matrix,
} from '@shallowscape/linalg';

/** Throws unless `value` is an integer `≥ 0` (a sample count). */
export function checkCount(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(argument, value, 'an integer ≥ 0');
  }
  return value;
}

/** Throws unless `value` is a finite number `≥ 0`. */
export function checkNonNegative(argument: string, value: unknown): number {
  assertFiniteNumber(argument, value);
  if (value < 0) throw new InvalidArgumentError(argument, value, 'a finite number ≥ 0');
  return value;
}

/**
 * Validates network weights: a finite Matrix with at least one row (hidden unit) and one column
 * (input coordinate).
 */
export function checkWeights(argument: string, w: unknown): Matrix {
  const m = checkMatrix(argument, w);
  if (m.rows < 1) throw new InvalidArgumentError(argument, m, 'at least one row (width m ≥ 1)');
  if (m.cols < 1) throw new InvalidArgumentError(argument, m, 'at least one column (input dimension d ≥ 1)');
  return m;
}

/**
 * Validates output signs: a Float64Array of length `length` whose entries are exactly `+1` or
 * `−1`. Returns `null` for `undefined` (all signs `+1`).
 */
export function checkSigns(argument: string, signs: unknown, length: number, lengthName: string): Float64Array | null {
  if (signs === undefined) return null;
  if (!(signs instanceof Float64Array)) throw new InvalidArgumentError(argument, signs, 'a Float64Array of ±1');
  if (signs.length !== length) {
    throw new ShapeError(`${argument} has length ${signs.length}, expected ${lengthName} = ${length}`, argument);
  }
  for (let j = 0; j < length; j++) {
    const v = signs[j]!;
    if (v !== 1 && v !== -1) throw new InvalidArgumentError(`${argument}[${j}]`, v, '+1 or -1');
  }
  return signs;
}

/**
 * Validates a sample matrix `x` (N × d): a finite Matrix with `d` columns and, for a risk,
 * at least one row.
 */
export function checkSamples(argument: string, x: unknown, d: number, requireRows: boolean): Matrix {
  const m = checkMatrix(argument, x);
  if (m.cols !== d) {
    throw new ShapeError(`${argument} is ${m.rows}×${m.cols}, but the weights have input dimension d = ${d} (columns)`, argument);
  }
  if (requireRows && m.rows < 1) {
    throw new InvalidArgumentError(argument, m, 'at least one sample (row): a risk over zero samples is undefined');
  }
  return m;
}

/** Validates labels: a finite Float64Array of length `n`. */
export function checkLabels(argument: string, y: unknown, n: number): Float64Array {
  if (!(y instanceof Float64Array)) throw new InvalidArgumentError(argument, y, 'a Float64Array');
  if (y.length !== n) throw new ShapeError(`${argument} has length ${y.length}, expected N = ${n} (rows of x)`, argument);
  assertFiniteVector(argument, y);
  return y;
}

/** Validates a flat parameter vector: a Float64Array of length `n` (entries are not checked). */
export function checkFlat(argument: string, v: unknown, n: number, shape: string): Float64Array {
  if (!(v instanceof Float64Array)) throw new InvalidArgumentError(argument, v, `a Float64Array of length ${n}`);
  if (v.length !== n) {
    throw new ShapeError(`${argument} has length ${v.length}, expected ${n} (${shape}, row-major)`, argument);
  }
  return v;
}

/** Validates an options argument: `undefined` or a plain object. */
export function checkOptionsObject<T extends object>(argument: string, options: T | undefined): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError(argument, options, 'an options object or undefined');
  }
  return options;
}

/** Whether two arrays share any memory (then a kernel may not write one while reading the other). */
export function sharesMemory(a: Float64Array, b: Float64Array): boolean {
  if (a.buffer !== b.buffer) return false;
  const a0 = a.byteOffset;
  const b0 = b.byteOffset;
  return a0 < b0 + b.byteLength && b0 < a0 + a.byteLength;
}
