/**
 * Argument checks shared by the checked kernel wrappers (`gemm`, `syrk`, `dot`, …). The raw
 * kernels never call these.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from '../errors';
import type { Matrix } from '../matrix';
import { assertDimension, assertFiniteMatrix, assertFiniteNumber, assertFiniteVector, assertMatrix, assertVector } from '../validate';

/** Validates a matrix operand: a `Matrix` with non-negative integer dimensions and finite entries. */
export function checkOperand(argument: string, m: unknown): Matrix {
  assertMatrix(argument, m);
  assertDimension(`${argument}.rows`, m.rows);
  assertDimension(`${argument}.cols`, m.cols);
  assertFiniteMatrix(argument, m);
  return m;
}

/** Validates a matrix that may hold anything (e.g. an output with `β = 0`): type and dimensions only. */
export function checkOutputMatrix(argument: string, m: unknown): Matrix {
  assertMatrix(argument, m);
  assertDimension(`${argument}.rows`, m.rows);
  assertDimension(`${argument}.cols`, m.cols);
  return m;
}

/** Validates a vector operand: a `Float64Array` (of `length` when given) with finite entries. */
export function checkVectorOperand(argument: string, v: unknown, length?: number): Float64Array {
  assertVector(argument, v, length);
  assertFiniteVector(argument, v);
  return v;
}

/** Validates an options argument: `undefined` or a plain object. */
export function checkOptions<T extends object>(argument: string, options: T | undefined): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(argument, options, 'an options object');
  return options;
}

/** Reads an optional boolean flag (default `false`). */
export function booleanOption(argument: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new InvalidArgumentError(argument, value, 'a boolean');
  return value;
}

/** Reads an optional finite scalar with a default. */
export function scalarOption(argument: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  assertFiniteNumber(argument, value);
  return value;
}

/** Whether two typed arrays share any bytes of storage. */
export function overlaps(x: Float64Array, y: Float64Array): boolean {
  if (x.buffer !== y.buffer || x.length === 0 || y.length === 0) return false;
  return x.byteOffset < y.byteOffset + y.byteLength && y.byteOffset < x.byteOffset + x.byteLength;
}

/** `data` itself, or a copy of it when it shares storage with the output `out`. */
export function unaliased(data: Float64Array, out: Float64Array): Float64Array {
  return overlaps(data, out) ? data.slice() : data;
}
