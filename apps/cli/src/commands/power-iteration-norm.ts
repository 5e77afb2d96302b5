/**
 * Power iteration for the largest absolute eigenvalue of a symmetric operator given by its
 * products, as `train` uses it for default learning rates from Hessian-vector products.
 */
import { nrm2 } from '@shallowscape/linalg';

/** Iterations of the power method: enough for a step-size estimate, not for the eigenvalue itself. */
export const POWER_ITERATIONS = 20;

/**
 * $|\lambda|_{\max}$ of a symmetric operator $H$ by {@link POWER_ITERATIONS} steps of the power
 * method $u \leftarrow Hu/\|Hu\|$ from `start`, optionally restricted to the coordinates `keep`
 * ($H$ replaced by $PHP$, $P$ the projection that zeroes the others; `start` should be zero there).
 *
 * @param apply - $u \mapsto Hu$, writing into and returning `out` (length n).
 * @param start - the start vector $u_0$ (length n); overwritten.
 * @param keep - the coordinates of the restriction (default: all).
 * @returns $\|Hu\|$ at the last step, or 0 when that is not finite or $u_0 = 0$.
 */
export function powerIterationNorm(
  apply: (u: Float64Array, out: Float64Array) => Float64Array,
  start: Float64Array,
  keep?: (k: number) => boolean,
): number {
  const n = start.length;
  let u = start;
  let norm = nrm2(u);
  let lambda = 0;
  let hu: Float64Array = new Float64Array(n);
  for (let iteration = 0; iteration < POWER_ITERATIONS && norm > 0; iteration++) {
    for (let k = 0; k < n; k++) u[k] = u[k]! / norm;
    hu = apply(u, hu);
    if (keep !== undefined) for (let k = 0; k < n; k++) if (!keep(k)) hu[k] = 0;
    norm = nrm2(hu);
    lambda = norm;
    [u, hu] = [hu, u];
  }
  return Number.isFinite(lambda) ? lambda : 0;
}
