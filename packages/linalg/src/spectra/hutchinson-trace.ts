/**
 * Hutchinson's stochastic estimator of the trace of a symmetric operator, with its standard error.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, throwIfAborted } from '../errors';
import { dotKernel } from '../kernels/blas1-kernels';
import { checkRng, type Rng } from '../rng';
import { checkPositiveInteger, checkSignal } from '../validate';
import { applyOperator, checkOperator, checkOptionsObject, type SymmetricOperator } from './symmetric-operator';

/** Options of {@link hutchinsonTrace}. */
export interface HutchinsonOptions {
  /** Number of probes $m \ge 2$. */
  probes: number;
  /** Generator of the Rademacher probes (probe $\ell$ takes the next $n$ draws `rng.rademacher()`). */
  rng: Rng;
  /** Polled between steps (Lanczos steps, products with $H$): once aborted, the run throws {@link @shallowscape/linalg!AbortedError | AbortedError}. */
  signal?: AbortSignal;
}

/** The result of {@link hutchinsonTrace}. */
export interface TraceEstimate {
  /** $\hat t = \frac1m\sum_\ell z_\ell^\top H z_\ell$. */
  estimate: number;
  /** The standard error $s/\sqrt m$, $s^2$ the sample variance of $z_\ell^\top Hz_\ell$. */
  standardError: number;
  /** Number of probes $m$. */
  probes: number;
}

/**
 * Hutchinson's estimator of $\operatorname{tr}(H)$ from $m$ Rademacher probes $z_\ell \in \{\pm1\}^n$:
 * $$\hat t = \frac1m\sum_{\ell=1}^m z_\ell^\top H z_\ell, \qquad \mathbb{E}\,\hat t = \operatorname{tr}H,\quad
 * \operatorname{Var}\,\hat t = \frac{2}{m}\sum_{i \ne j} H_{ij}^2,$$
 * exact for diagonal $H$ (each $z^\top Hz = \sum_i H_{ii}$). The standard error is the sample
 * standard deviation over $\sqrt m$.
 *
 * @param hvp - the operator $v \mapsto Hv$ ($H$ symmetric $n \times n$).
 * @param n - the dimension $n \ge 1$.
 * @param options - `probes` $m \ge 2$, `rng` and `signal`.
 * @returns the estimate, its standard error and $m$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `hvp`, `n`, `options.probes` or `options.rng`.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when the operator returns a NaN or infinite entry.
 * @throws {@link @shallowscape/linalg!AbortedError | AbortedError} when `options.signal` is aborted (polled between steps).
 * @see M. F. Hutchinson, "A stochastic estimator of the trace of the influence matrix for Laplacian smoothing splines", Comm. Statist. Simulation Comput. 18 (1989) 1059–1076.
 * @example
 * ```ts
 * const d = [1, 2, 3, 4];
 * const hvp = (v: Float64Array, out: Float64Array) => out.map((_, i) => d[i]! * v[i]!);
 * const { estimate, standardError } = hutchinsonTrace(hvp, 4, { probes: 10, rng: createRng(3) });
 * [estimate, standardError]; // => [10, 0]
 * ```
 */
export function hutchinsonTrace(hvp: SymmetricOperator, n: number, options: HutchinsonOptions): TraceEstimate {
  checkOperator(hvp, n);
  checkOptionsObject(options, 'an options object { probes, rng }');
  const probes = checkPositiveInteger('options.probes', options.probes);
  if (probes < 2) throw new InvalidArgumentError('options.probes', probes, 'an integer ≥ 2 (the standard error needs two probes)');
  const rng = checkRng('options.rng', options.rng);
  const signal = checkSignal('options.signal', options.signal);
  const z = new Float64Array(n);
  const hz = new Float64Array(n);
  // Welford's running mean and variance.
  let mean = 0;
  let m2 = 0;
  for (let l = 0; l < probes; l++) {
    throwIfAborted(signal, 'Hutchinson trace');
    for (let i = 0; i < n; i++) z[i] = rng.rademacher();
    applyOperator(hvp, z, hz);
    const q = dotKernel(n, z, hz);
    const delta = q - mean;
    mean += delta / (l + 1);
    m2 += delta * (q - mean);
  }
  return { estimate: mean, standardError: Math.sqrt(Math.max(0, m2) / (probes - 1) / probes), probes };
}
