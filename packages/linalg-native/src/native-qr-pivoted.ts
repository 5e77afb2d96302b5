/**
 * QR factorisation with column pivoting by LAPACK `dgeqp3` and `dorgqr`.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, assertFiniteNumber, checkMatrix, type QrResult } from '@shallowscape/linalg';
import { withLapackErrors } from './lapack-error';
import { requireNativeAddon } from './native-addon';

/** Options of {@link nativeQrPivoted}. */
export interface NativeQrOptions {
  /**
   * Absolute threshold for the numerical rank: `rank = #{j : |r_jj| > tolerance}`. Finite and
   * `≥ 0`; default `max(m, n) · ε · max_j |r_jj|` with `ε = 2⁻⁵²` (as `qr` of `@shallowscape/linalg`).
   */
  tolerance?: number;
}

/**
 * Householder QR factorisation with column pivoting, $A P = Q R$, thin, by LAPACK `dgeqp3`
 * (BLAS-3 pivoted QR) and `dorgqr` (forming `Q`): the result of `qr(a, { pivoting: true })` from
 * `@shallowscape/linalg`, for large matrices.
 *
 * The columns are chosen greedily by largest remaining norm, so $|r_{00}| \ge |r_{11}| \ge \cdots$
 * and the rank read off the diagonal is reliable in practice (not guaranteed: Kahan's matrix).
 *
 * @param a - `A`, `m × n`, finite.
 * @param options - the rank `tolerance` (absolute, default `max(m, n)·ε·max_j|r_jj|`).
 * @returns `q` (`m × k`, $Q^\top Q = I$, `k = min(m, n)`), `r` (`k × n` upper triangular),
 *   `permutation` (`permutation[j]` is the column of `A` moved to position `j`) and `rank`.
 * @throws {@link LapackError} if LAPACK reports an error (an illegal argument: a bug here).
 * @throws `InvalidArgumentError` when `a` is not a Matrix or the tolerance is negative or not
 *   finite, `NonFiniteError` for NaN or infinite entries.
 * @throws `ShallowscapeError` (`E_BACKEND`) when the native addon is unavailable.
 * @see Golub & Van Loan, *Matrix Computations* (4th ed.), §5.4.2; Quintana-Ortí, Sun & Bischof
 *   (1998), a BLAS-3 version of the QR factorization with column pivoting (`dgeqp3`).
 * @example
 * ```ts
 * if (loadNativeBackend().available) {
 *   const { r, permutation, rank } = nativeQrPivoted(Matrix.from([[1, 0, 3], [0, 0, 4]]));
 *   Array.from(permutation); // => [2, 0, 1]
 *   Math.abs(r.get(0, 0)); // => 5
 *   rank; // => 2
 * }
 * ```
 */
export function nativeQrPivoted(a: Matrix, options: NativeQrOptions = {}): QrResult & { permutation: Int32Array } {
  checkMatrix('a', a);
  if (options.tolerance !== undefined) {
    assertFiniteNumber('options.tolerance', options.tolerance);
    if (options.tolerance < 0) throw new InvalidArgumentError('options.tolerance', options.tolerance, 'a finite number ≥ 0');
  }
  const addon = requireNativeAddon('nativeQrPivoted');
  const m = a.rows;
  const n = a.cols;
  const k = Math.min(m, n);
  const { q, r, permutation } = withLapackErrors(() => addon.qrPivoted(m, n, a.data), 'a');
  let maxDiag = 0;
  for (let i = 0; i < k; i++) maxDiag = Math.max(maxDiag, Math.abs(r[i * n + i]!));
  const tol = options.tolerance ?? Math.max(m, n) * Number.EPSILON * maxDiag;
  let rank = 0;
  for (let i = 0; i < k; i++) if (Math.abs(r[i * n + i]!) > tol) rank++;
  return { q: new Matrix(m, k, q), r: new Matrix(k, n, r), permutation, rank };
}
