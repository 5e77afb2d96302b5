/**
 * Eigenvalues of a symmetric tridiagonal matrix: the checked wrapper over the implicit QL kernel
 * that `eigh` uses internally, for callers that build tridiagonal matrices themselves (e.g. the
 * Dumitriu–Edelman models of `@shallowscape/rmt`).
 *
 * @packageDocumentation
 */
import { ShapeError } from '../errors';
import { assertFiniteVector, assertVector } from '../validate';
import { implicitQl } from './tridiagonal-ql';

/**
 * Eigenvalues, ascending, of the symmetric tridiagonal matrix $T = \operatorname{tridiag}(e, d, e)$
 * ($T_{ii} = d_i$, $T_{i,i+1} = T_{i+1,i} = e_i$) by the implicit QL method with Wilkinson shifts,
 * $O(n^2)$ flops. An off-diagonal is negligible when $|e_i| \le \varepsilon(|d_i| + |d_{i+1}|)$, so
 * the eigenvalues have a normwise backward error of a few $\varepsilon\|T\|$.
 *
 * @param diagonal - $d$, length n (not modified).
 * @param offDiagonal - $e$, length at least n − 1 (entries beyond n − 1 are ignored; not modified).
 * @returns the n eigenvalues, ascending.
 * @throws {@link InvalidArgumentError} when an argument is not a Float64Array.
 * @throws {@link ShapeError} when `offDiagonal` is shorter than n − 1.
 * @throws {@link NonFiniteError} for a NaN or infinite entry.
 * @throws {@link ConvergenceError} after more than 30·n QL sweeps (not expected).
 * @see Bowdler, Martin, Reinsch & Wilkinson, "The QR and QL algorithms for symmetric matrices",
 *   Numer. Math. 11 (1968).
 * @example
 * ```ts
 * Array.from(tridiagonalEigenvalues(Float64Array.of(2, 2), Float64Array.of(1))); // => [1, 3]
 * ```
 */
export function tridiagonalEigenvalues(diagonal: Float64Array, offDiagonal: Float64Array): Float64Array {
  assertVector('diagonal', diagonal);
  assertVector('offDiagonal', offDiagonal);
  const n = diagonal.length;
  if (offDiagonal.length < Math.max(0, n - 1)) {
    throw new ShapeError(`offDiagonal has length ${offDiagonal.length}, expected at least n − 1 = ${n - 1}`, 'offDiagonal');
  }
  assertFiniteVector('diagonal', diagonal);
  assertFiniteVector('offDiagonal', offDiagonal.subarray(0, Math.max(0, n - 1)));
  const d = Float64Array.from(diagonal);
  if (n <= 1) return d;
  const e = new Float64Array(n);
  e.set(offDiagonal.subarray(0, n - 1));
  implicitQl(n, d, e, null);
  return d.sort();
}
