/**
 * Gaussian smoothing of a discrete spectral measure (the output of stochastic Lanczos
 * quadrature) into a density on a grid.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from '../errors';
import { assertFiniteVector } from '../validate';

/**
 * Smooths a spectral measure $\sum_i w_i\delta_{\theta_i}$ with a Gaussian kernel of bandwidth
 * $\sigma$, evaluated on a grid:
 * $$\rho(t) = \sum_i \frac{w_i}{\sigma\sqrt{2\pi}} \exp\Big(-\frac{(t - \theta_i)^2}{2\sigma^2}\Big),$$
 * a density that integrates to $\sum_i w_i$ (1 for {@link stochasticLanczosQuadrature}'s output).
 *
 * @param nodes - the nodes $\theta_i$ (finite).
 * @param weights - the weights $w_i \ge 0$ (same length as `nodes`).
 * @param grid - the points $t$ at which to evaluate $\rho$ (finite).
 * @param bandwidth - $\sigma > 0$.
 * @returns $\rho(t)$ at each grid point.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `nodes`, `weights`, `grid` or `bandwidth`.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `nodes`, `weights` or `grid` has a NaN or infinite entry.
 * @see L. Lin, Y. Saad and C. Yang, "Approximating spectral densities of large matrices", SIAM Review 58 (2016) 34–65.
 * @example
 * ```ts
 * // One unit atom at 0, σ = 1: the standard normal density.
 * spectralDensity(Float64Array.of(0), Float64Array.of(1), Float64Array.of(0, 1), 1); // => [0.3989422804, 0.2419707245]
 * ```
 */
export function spectralDensity(nodes: Float64Array, weights: Float64Array, grid: Float64Array, bandwidth: number): Float64Array {
  if (!(nodes instanceof Float64Array)) throw new InvalidArgumentError('nodes', nodes, 'a Float64Array');
  if (!(weights instanceof Float64Array) || weights.length !== nodes.length) {
    throw new InvalidArgumentError('weights', weights, `a Float64Array of length ${nodes.length} (as nodes)`);
  }
  if (!(grid instanceof Float64Array)) throw new InvalidArgumentError('grid', grid, 'a Float64Array');
  assertFiniteVector('nodes', nodes);
  assertFiniteVector('weights', weights);
  assertFiniteVector('grid', grid);
  if (weights.some((w) => w < 0)) throw new InvalidArgumentError('weights', weights, 'non-negative weights');
  if (typeof bandwidth !== 'number' || !(bandwidth > 0) || !Number.isFinite(bandwidth)) {
    throw new InvalidArgumentError('bandwidth', bandwidth, 'a positive finite number');
  }
  const out = new Float64Array(grid.length);
  const c = 1 / (bandwidth * Math.sqrt(2 * Math.PI));
  const inv = 1 / (2 * bandwidth * bandwidth);
  for (let g = 0; g < grid.length; g++) {
    const t = grid[g]!;
    let s = 0;
    for (let i = 0; i < nodes.length; i++) {
      const d = t - nodes[i]!;
      s += weights[i]! * Math.exp(-d * d * inv);
    }
    out[g] = c * s;
  }
  return out;
}
