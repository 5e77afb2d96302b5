/**
 * Singular values by LAPACK `dgesdd` without singular vectors.
 *
 * @packageDocumentation
 */
import { checkMatrix, type Matrix } from '@shallowscape/linalg';
import { withLapackErrors } from './lapack-error';
import { requireNativeAddon } from './native-addon';

/**
 * Singular values $s_0 \ge s_1 \ge \cdots \ge s_{k-1} \ge 0$ of `A` (`k = min(m, n)`) by LAPACK
 * `dgesdd` with `jobz = 'N'` (bidiagonalisation and the values of the bidiagonal, no vectors):
 * the result of `singularValues` from `@shallowscape/linalg`, for large matrices.
 *
 * @param a - `A`, `m × n`, finite.
 * @returns `s`, descending, length `min(m, n)`.
 * @throws {@link LapackError} (`routine` `"dgesdd"`) if the bidiagonal iteration fails to converge (not observed).
 * @throws `InvalidArgumentError` when `a` is not a Matrix, `NonFiniteError` for NaN or infinite entries.
 * @throws `ShallowscapeError` (`E_BACKEND`) when the native addon is unavailable.
 * @see LAPACK `dgesdd`; Demmel & Kahan (1990) for the accuracy of small singular values.
 * @example
 * ```ts
 * if (loadNativeBackend().available) {
 *   Array.from(nativeSingularValues(Matrix.from([[3, 0], [0, -4], [0, 0]]))); // => [4, 3]
 * }
 * ```
 */
export function nativeSingularValues(a: Matrix): Float64Array {
  checkMatrix('a', a);
  const addon = requireNativeAddon('nativeSingularValues');
  return withLapackErrors(() => addon.singularValues(a.rows, a.cols, a.data), 'a');
}
