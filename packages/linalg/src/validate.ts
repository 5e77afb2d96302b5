/**
 * Argument checks shared by the checked public wrappers. Kernels never call these: the wrapper
 * validates once, the kernel assumes valid input.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, NonFiniteError, NotSymmetricError, ShapeError } from './errors';
import type { Matrix } from './matrix';

export { assertDimension, assertFiniteNumber, checkPositiveInteger } from './validate-number';

/**
 * Checks an optional abort signal and returns it: `undefined`, or an object with a boolean
 * `aborted` (an `AbortSignal`; long computations poll `signal.aborted` between iterations and
 * throw {@link AbortedError}).
 *
 * $$\texttt{value} = \texttt{undefined} \ \lor\ \texttt{typeof value.aborted} = \texttt{"boolean"}$$
 *
 * @param argument - the argument's name for the message, e.g. `'options.signal'`.
 * @param value - the value to check.
 * @returns `value`, typed as an `AbortSignal` or `undefined`.
 * @throws {@link InvalidArgumentError} naming `argument` for anything else.
 * @example
 * ```ts
 * checkSignal('options.signal', undefined) === undefined; // => true
 * checkSignal('options.signal', new AbortController().signal).aborted; // => false
 * checkSignal('options.signal', true); // throws InvalidArgumentError
 * ```
 */
export function checkSignal(argument: string, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (typeof AbortSignal !== 'undefined' && value instanceof AbortSignal) return value; // not read: polling starts with the computation
  if (value === null || typeof value !== 'object' || typeof (value as { aborted?: unknown }).aborted !== 'boolean') {
    throw new InvalidArgumentError(argument, value, 'an AbortSignal or undefined');
  }
  return value as AbortSignal;
}

/** Throws unless `value` is a `Matrix`-shaped object (duck-typed so copies across bundles work). */
export function assertMatrix(argument: string, value: unknown): asserts value is Matrix {
  const m = value as Partial<Matrix> | null;
  if (
    m === null ||
    typeof m !== 'object' ||
    typeof m.rows !== 'number' ||
    typeof m.cols !== 'number' ||
    !(m.data instanceof Float64Array) ||
    m.data.length !== m.rows * m.cols
  ) {
    throw new InvalidArgumentError(argument, value, 'a Matrix');
  }
}

/**
 * A fast filter for "every entry of `v` is finite": $\sum_j 0 \cdot (v_{2j} - v_{2j+1})$ (and
 * $0 \cdot v_{n-1}$ for an odd tail) is $0$ when every entry is finite, and NaN as soon as one is
 * NaN or $\pm\infty$: $\infty - x$ is $\pm\infty$ or NaN for every $x$, $0 \cdot (\pm\infty)$
 * is NaN, and NaN propagates through the sum. So `true` means every entry is finite. `false` means
 * that one is not, or that two finite entries of one pair are so large and of opposite signs that
 * their difference overflows ($|v| \gtrsim 9 \cdot 10^{307}$); the callers then test entry by entry,
 * which decides. Four independent sums over pairs, no branch per entry: one subtraction and one
 * multiplication per two entries, as fast as memory delivers them (an 8 MiB array in about
 * 0.45 ms, against 0.9 ms for one product per entry).
 */
function allFinite(v: ArrayLike<number>): boolean {
  const n = v.length;
  const n8 = n - (n % 8);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = 0; k < n8; k += 8) {
    s0 += (v[k]! - v[k + 1]!) * 0;
    s1 += (v[k + 2]! - v[k + 3]!) * 0;
    s2 += (v[k + 4]! - v[k + 5]!) * 0;
    s3 += (v[k + 6]! - v[k + 7]!) * 0;
  }
  for (let k = n8; k < n; k++) s0 += v[k]! * 0;
  return s0 + s1 + s2 + s3 === 0;
}

/** Throws a {@link NonFiniteError} at the first NaN or ±Infinity entry of `m`. */
export function assertFiniteMatrix(argument: string, m: Matrix): void {
  const { data, cols } = m;
  if (allFinite(data)) return;
  for (let k = 0; k < data.length; k++) {
    const v = data[k]!;
    if (v - v !== 0) {
      throw new NonFiniteError(argument, k, v, `[${Math.floor(k / cols)}][${k % cols}]`);
    }
  }
}

/** Throws a {@link NonFiniteError} at the first NaN or ±Infinity entry of `v`. */
export function assertFiniteVector(argument: string, v: ArrayLike<number>): void {
  if (allFinite(v)) return;
  for (let k = 0; k < v.length; k++) {
    const x = v[k]!;
    if (x - x !== 0) throw new NonFiniteError(argument, k, x, `[${k}]`);
  }
}

/** Throws unless `v` is a `Float64Array`, of length `length` when given. */
export function assertVector(argument: string, v: unknown, length?: number): asserts v is Float64Array {
  if (!(v instanceof Float64Array)) throw new InvalidArgumentError(argument, v, 'a Float64Array');
  if (length !== undefined && v.length !== length) {
    throw new ShapeError(`${argument} has length ${v.length}, expected ${length}`, argument);
  }
}

/** Validates a matrix argument: a Matrix, finite entries. */
export function checkMatrix(argument: string, m: unknown): Matrix {
  assertMatrix(argument, m);
  assertFiniteMatrix(argument, m);
  return m;
}

/** Throws a {@link ShapeError} unless `m` is square. */
export function assertSquare(argument: string, m: Matrix): void {
  if (m.rows !== m.cols) throw new ShapeError(`${argument} must be square, got ${m.rows}×${m.cols}`, argument);
}

/**
 * Default symmetry tolerance: `tol = 64 · ε · max|a_ij|` with `ε = 2⁻⁵²`, so round-off from
 * forming `XᵀX` passes while a genuinely asymmetric input does not.
 */
export function defaultSymmetryTolerance(m: Matrix): number {
  let max = 0;
  const d = m.data;
  for (let k = 0; k < d.length; k++) {
    const a = Math.abs(d[k]!);
    if (a > max) max = a;
  }
  return 64 * Number.EPSILON * max;
}

/** Throws a {@link NotSymmetricError} when `|a_ij − a_ji| > tol` for some pair. */
export function assertSymmetric(argument: string, m: Matrix, tol = defaultSymmetryTolerance(m)): void {
  assertSquare(argument, m);
  const n = m.rows;
  const d = m.data;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const diff = Math.abs(d[i * n + j]! - d[j * n + i]!);
      if (diff > tol) throw new NotSymmetricError(argument, i, j, diff, tol);
    }
  }
}
