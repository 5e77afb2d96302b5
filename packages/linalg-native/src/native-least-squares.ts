/**
 * Minimum-norm linear least squares by LAPACK `dgelsd`.
 *
 * @packageDocumentation
 */
import {
  InvalidArgumentError,
  Matrix,
  ShapeError,
  assertFiniteNumber,
  assertFiniteVector,
  checkMatrix,
  type LstsqResult,
  type RcondOptions,
} from '@shallowscape/linalg';
import { withLapackErrors } from './lapack-error';
import { requireNativeAddon } from './native-addon';

/**
 * Minimum-norm linear least squares by LAPACK `dgelsd`: $x = \arg\min \|x\|_2$ over the minimisers
 * of $\|A x - b\|_2$, i.e. $x = A^+ b = V \Sigma_r^{-1} U^\top b$ with singular values
 * `s_i ≤ rcond · s_0` treated as zero: the result of `lstsq` from `@shallowscape/linalg` (and
 * `numpy.linalg.lstsq`), for large matrices. `dgelsd` reduces `A` to bidiagonal form and solves
 * by divide and conquer.
 *
 * @param a - `A`, `m × n`, finite.
 * @param b - `b`: a vector of length `m`, or an `m × k` matrix of right-hand sides.
 * @param options - `rcond`, the relative cutoff (default `max(m, n)·ε`, `ε = 2⁻⁵²`).
 * @returns `x` (length `n`, or `n × k`), `residuals` ($\|b_j - A x_j\|^2$ per right-hand side when
 *   `rank = n < m`, else empty), `rank`, `singularValues` (descending, length `min(m, n)`).
 * @throws {@link LapackError} (`routine` `"dgelsd"`) if the SVD fails to converge (not observed).
 * @throws `ShapeError` when `b` does not have `m` rows; `InvalidArgumentError` for arguments of the
 *   wrong type or a negative or non-finite `rcond`; `NonFiniteError` for NaN or infinite entries.
 * @throws `ShallowscapeError` (`E_BACKEND`) when the native addon is unavailable.
 * @see Golub & Van Loan, *Matrix Computations* (4th ed.), §5.5; LAPACK `dgelsd`.
 * @example
 * ```ts
 * if (loadNativeBackend().available) {
 *   // Fit y = c0 + c1 t through (0, 1), (1, 3), (2, 5):
 *   const { x, rank } = nativeLeastSquares(Matrix.from([[1, 0], [1, 1], [1, 2]]), Float64Array.of(1, 3, 5));
 *   Array.from(x).map((v) => Math.round(v * 1e12) / 1e12); // => [1, 2]
 *   rank; // => 2
 * }
 * ```
 */
export function nativeLeastSquares(a: Matrix, b: Float64Array, options?: RcondOptions): LstsqResult<Float64Array>;
export function nativeLeastSquares(a: Matrix, b: Matrix, options?: RcondOptions): LstsqResult<Matrix>;
export function nativeLeastSquares(a: Matrix, b: Matrix | Float64Array, options?: RcondOptions): LstsqResult<Matrix | Float64Array>;
export function nativeLeastSquares(a: Matrix, b: Matrix | Float64Array, options: RcondOptions = {}): LstsqResult<Matrix | Float64Array> {
  checkMatrix('a', a);
  const m = a.rows;
  const n = a.cols;
  let k: number;
  let data: Float64Array;
  if (b instanceof Float64Array) {
    assertFiniteVector('b', b);
    if (b.length !== m) throw new ShapeError(`b has length ${b.length} but a is ${m}×${n} (b needs length ${m})`, 'b');
    k = 1;
    data = b;
  } else {
    const bm = checkMatrix('b', b);
    if (bm.rows !== m) throw new ShapeError(`b is ${bm.rows}×${bm.cols} but a is ${m}×${n} (b needs ${m} rows)`, 'b');
    k = bm.cols;
    data = bm.data;
  }
  let rcond = Math.max(m, n) * Number.EPSILON;
  if (options.rcond !== undefined) {
    assertFiniteNumber('options.rcond', options.rcond);
    if (options.rcond < 0) throw new InvalidArgumentError('options.rcond', options.rcond, 'a finite number ≥ 0');
    rcond = options.rcond;
  }
  const addon = requireNativeAddon('nativeLeastSquares');
  const r = withLapackErrors(() => addon.leastSquares(m, n, k, a.data, data, rcond), 'a');
  return {
    x: b instanceof Float64Array ? r.x : new Matrix(n, k, r.x),
    residuals: r.residuals,
    rank: r.rank,
    singularValues: r.s,
  };
}
