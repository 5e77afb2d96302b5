/**
 * Stochastic Lanczos quadrature: the spectral density of a symmetric operator estimated from the
 * Gauss quadratures of Lanczos runs started at Rademacher probes.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from '../errors';
import { checkRng, type Rng } from '../rng';
import { checkPositiveInteger, checkSignal } from '../validate';
import { lanczosKernel } from './lanczos-kernel';
import { checkOperator, checkOptionsObject, type SymmetricOperator } from './symmetric-operator';

/** Options of {@link stochasticLanczosQuadrature}. */
export interface StochasticLanczosQuadratureOptions {
  /** Number of random probes $n_v \ge 1$. */
  probes: number;
  /** Lanczos steps per probe $k \ge 1$ (capped at $n$). */
  steps: number;
  /** Generator of the Rademacher probes: probe $\ell$ takes the next $n$ draws `rng.rademacher()`. */
  rng: Rng;
  /** Full reorthogonalisation in each Lanczos run (default `true`). */
  reorthogonalize?: boolean;
  /** Polled between steps (Lanczos steps, products with $H$): once aborted, the run throws {@link @shallowscape/linalg!AbortedError | AbortedError}. */
  signal?: AbortSignal;
}

/** The result of {@link stochasticLanczosQuadrature}: a spectral measure $\sum_i w_i \delta_{\theta_i}$. */
export interface SpectralQuadrature {
  /** The nodes $\theta$ (Ritz values), probe after probe. */
  nodes: Float64Array;
  /** The weights $w = \tau^2/n_v$ (each probe's weights sum to $1/n_v$; all sum to 1). */
  weights: Float64Array;
  /** Probe $\ell$'s nodes and weights are at indices `[probeOffsets[ℓ], probeOffsets[ℓ+1])`. */
  probeOffsets: Int32Array;
}

/**
 * Stochastic Lanczos quadrature: the spectral density $\phi(t) = \frac1n\sum_i \delta(t - \lambda_i)$
 * of a symmetric $H$ estimated as the measure
 * $$\hat\phi = \frac{1}{n_v}\sum_{\ell=1}^{n_v}\sum_{j=1}^{k} \tau_{\ell j}^2\,\delta_{\theta_{\ell j}},$$
 * where, for each Rademacher probe $z_\ell$, $\theta_{\ell j}$ and $\tau_{\ell j} = s_{1j}$ are the
 * Ritz values and first eigenvector components of the Lanczos tridiagonal started at
 * $z_\ell/\sqrt n$: the $k$-point Gauss quadrature of the measure $\mu_\ell = \sum_i (u_i^\top z_\ell)^2/n\ \delta_{\lambda_i}$,
 * so $\sum_j \tau_{\ell j}^2 \theta_{\ell j}^p = z_\ell^\top H^p z_\ell / n$ exactly for $p < 2k$, and
 * $\mathbb{E}\,\sum_i w_i\theta_i^p = \operatorname{tr}(H^p)/n$. Smooth it with {@link spectralDensity}.
 *
 * @param hvp - the operator $v \mapsto Hv$ ($H$ symmetric $n \times n$).
 * @param n - the dimension $n \ge 1$.
 * @param options - `probes` $n_v$, `steps` $k$, `rng`, `reorthogonalize`, `signal`.
 * @returns the nodes and weights (summing to 1), with each probe's offsets.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `hvp`, `n`,
 *   `options.probes`, `options.steps`, `options.rng` or `options.reorthogonalize`.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when the operator returns a NaN or infinite entry.
 * @throws {@link @shallowscape/linalg!AbortedError | AbortedError} when `options.signal` is aborted (polled between steps).
 * @see S. Ubaru, J. Chen and Y. Saad, "Fast estimation of tr(f(A)) via stochastic Lanczos quadrature", SIAM J. Matrix Anal. Appl. 38 (2017) 1075–1099.
 * @see G. H. Golub and G. Meurant, *Matrices, Moments and Quadrature with Applications* (2010).
 * @example
 * ```ts
 * // H = diag(1, 1, 3, 3): every Rademacher probe gives the measure ½δ₁ + ½δ₃.
 * const d = [1, 1, 3, 3];
 * const hvp = (v: Float64Array, out: Float64Array) => out.map((_, i) => d[i]! * v[i]!);
 * const slq = stochasticLanczosQuadrature(hvp, 4, { probes: 3, steps: 4, rng: createRng(2) });
 * slq.weights.reduce((s, w) => s + w, 0); // => 1.0000000000
 * slq.nodes.reduce((s, t, i) => s + slq.weights[i]! * t, 0); // => 2.0000000000
 * ```
 */
export function stochasticLanczosQuadrature(hvp: SymmetricOperator, n: number, options: StochasticLanczosQuadratureOptions): SpectralQuadrature {
  checkOperator(hvp, n);
  checkOptionsObject(options, 'an options object { probes, steps, rng }');
  const probes = checkPositiveInteger('options.probes', options.probes);
  const steps = Math.min(checkPositiveInteger('options.steps', options.steps), n);
  const rng = checkRng('options.rng', options.rng);
  const signal = checkSignal('options.signal', options.signal);
  const reorthogonalize = options.reorthogonalize ?? true;
  if (typeof reorthogonalize !== 'boolean') throw new InvalidArgumentError('options.reorthogonalize', reorthogonalize, 'a boolean');
  const nodes: number[] = [];
  const weights: number[] = [];
  const offsets = new Int32Array(probes + 1);
  const scale = 1 / Math.sqrt(n);
  for (let l = 0; l < probes; l++) {
    const q = new Float64Array(n);
    for (let i = 0; i < n; i++) q[i] = rng.rademacher() * scale;
    const r = lanczosKernel(hvp, n, q, { maxSteps: steps, reorthogonalize, vectors: 'none', randomStart: true, signal });
    for (let j = 0; j < r.steps; j++) {
      nodes.push(r.ritzValues[j]!);
      weights.push(r.firstComponents[j]! ** 2 / probes);
    }
    offsets[l + 1] = nodes.length;
  }
  return { nodes: Float64Array.from(nodes), weights: Float64Array.from(weights), probeOffsets: offsets };
}
