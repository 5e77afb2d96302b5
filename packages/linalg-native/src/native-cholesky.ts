/**
 * Cholesky factorisation by LAPACK `dpotrf`.
 *
 * @packageDocumentation
 */
import { Matrix, assertSymmetric, checkMatrix, type CholeskyResult } from '@shallowscape/linalg';
import { withLapackErrors } from './lapack-error';
import { requireNativeAddon } from './native-addon';

/**
 * Cholesky factorisation $A = L L^\top$ of a symmetric positive definite `A` by LAPACK `dpotrf`
 * (blocked, OpenBLAS-threaded), with `L` lower triangular and $\ell_{kk} > 0$: the result of
 * `cholesky` from `@shallowscape/linalg`, for large `n`.
 *
 * `A` must be symmetric to the default tolerance of `assertSymmetric` (`64·ε·max|a_ij|`); only its
 * lower triangle is read. Cost `n³/3` flops.
 *
 * @param a - `A`, `n × n`, symmetric positive definite, finite.
 * @returns `{ l }` with $L L^\top = A$ to $O(n\,\varepsilon\,\|A\|)$.
 * @throws {@link LapackError} (`routine` `"dpotrf"`, `info = k`) when the leading minor of order `k`
 *   is not positive definite (`A` is not positive definite to working precision).
 * @throws `ShapeError` when `a` is not square, `NotSymmetricError` when it is not symmetric,
 *   `InvalidArgumentError` when it is not a Matrix, `NonFiniteError` for NaN or infinite entries.
 * @throws `ShallowscapeError` (`E_BACKEND`) when the native addon is unavailable.
 * @see Golub & Van Loan, *Matrix Computations* (4th ed.), §4.2; LAPACK `dpotrf`.
 * @example
 * ```ts
 * if (loadNativeBackend().available) {
 *   nativeCholesky(Matrix.from([[4, 2], [2, 5]])).l.toArray(); // => [[2, 0], [1, 2]]
 *   nativeCholesky(Matrix.from([[1, 2], [2, 1]])); // throws LapackError
 * }
 * ```
 */
export function nativeCholesky(a: Matrix): CholeskyResult {
  checkMatrix('a', a);
  assertSymmetric('a', a);
  const addon = requireNativeAddon('nativeCholesky');
  const n = a.rows;
  return { l: new Matrix(n, n, withLapackErrors(() => addon.cholesky(n, a.data), 'a')) };
}
