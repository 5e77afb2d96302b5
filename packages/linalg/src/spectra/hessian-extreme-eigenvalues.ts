/**
 * The extreme eigenvalues of a symmetric operator (a Hessian through Hessian-vector products) by
 * one Lanczos run with full reorthogonalisation, with their residuals and Ritz vectors.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from '../errors';
import type { Rng } from '../rng';
import { checkPositiveInteger, checkSignal } from '../validate';
import { lanczosKernel } from './lanczos-kernel';
import { checkOperator, checkOptionsObject, unitStartVector, type SymmetricOperator } from './symmetric-operator';

/** Options of {@link hessianExtremeEigenvalues}. */
export interface ExtremeEigenvaluesOptions {
  /** Largest number of Lanczos steps $k$ (default $\min(n, 200)$). */
  maxSteps?: number;
  /**
   * Stop once both extreme residuals are at most $\tau \max_j|\theta_j|$ (checked at $k \le 10$ and every 5 steps;
   * default $\tau = 10^{-8}$).
   */
  tolerance?: number;
  /** Generator of the random start vector. Required unless `start` is given. */
  rng?: Rng;
  /** Start vector (length $n$, nonzero). */
  start?: Float64Array;
  /** Polled between steps (Lanczos steps, products with $H$): once aborted, the run throws {@link @shallowscape/linalg!AbortedError | AbortedError}. */
  signal?: AbortSignal;
}

/** The result of {@link hessianExtremeEigenvalues}. */
export interface ExtremeEigenvalues {
  /** The smallest Ritz value $\theta_{\min}$ (an upper bound on $\lambda_{\min}(H)$ in exact arithmetic). */
  min: number;
  /** The largest Ritz value $\theta_{\max}$ (a lower bound on $\lambda_{\max}(H)$). */
  max: number;
  /** $\|Hy_{\min} - \theta_{\min}y_{\min}\|_2$: an eigenvalue of $H$ lies within it of `min`. */
  residualMin: number;
  /** $\|Hy_{\max} - \theta_{\max}y_{\max}\|_2$. */
  residualMax: number;
  /** The unit Ritz vector of `min`. */
  vectorMin: Float64Array;
  /** The unit Ritz vector of `max`. */
  vectorMax: Float64Array;
  /** Lanczos steps (products with $H$). */
  steps: number;
  /** Whether both residuals met the tolerance (or the Krylov space became invariant). */
  converged: boolean;
}

/**
 * The smallest and largest eigenvalues of a symmetric operator $H$ (a Hessian, through
 * Hessian-vector products) by Lanczos with full reorthogonalisation, with their residuals
 * $\rho = \|Hy - \theta y\|_2 = \beta_k|s_{kj}|$: $\lambda_{\min}(H) \in [\theta_{\min} - \rho_{\min}, \theta_{\min}]$
 * holds for the eigenvalue nearest $\theta_{\min}$ (Kahan–Parlett), and likewise at the top.
 * The run grows the Krylov space until $\max(\rho_{\min}, \rho_{\max}) \le \tau\max_j|\theta_j|$
 * (tested at $k \le 10$ and every 5 steps, in one Lanczos run) or `maxSteps`.
 *
 * @param hvp - the operator $v \mapsto Hv$ ($H$ symmetric $n \times n$).
 * @param n - the dimension $n \ge 1$.
 * @param options - `maxSteps`, `tolerance` $\tau$, `rng` or `start`, `signal`.
 * @returns $\theta_{\min}$, $\theta_{\max}$, their residuals and Ritz vectors, the steps, and `converged`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `hvp`, `n`,
 *   `options.maxSteps`, `options.tolerance`, `options.rng` or `options.start`.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when the operator returns a NaN or infinite entry.
 * @throws {@link @shallowscape/linalg!AbortedError | AbortedError} when `options.signal` is aborted (polled between steps).
 * @see C. Lanczos (1950); C. C. Paige (1971); G. H. Golub and G. Meurant, *Matrices, Moments and Quadrature with Applications* (2010), ch. 4.
 * @example
 * ```ts
 * const d = [-2, 0.5, 1, 3, 7];
 * const hvp = (v: Float64Array, out: Float64Array) => out.map((_, i) => d[i]! * v[i]!);
 * const { min, max, converged } = hessianExtremeEigenvalues(hvp, 5, { rng: createRng(1) });
 * [min, max, converged]; // => [-2.0000000000, 7.0000000000, true]
 * ```
 */
export function hessianExtremeEigenvalues(hvp: SymmetricOperator, n: number, options: ExtremeEigenvaluesOptions): ExtremeEigenvalues {
  checkOperator(hvp, n);
  checkOptionsObject(options, 'an options object { rng | start, maxSteps?, tolerance? }');
  const maxSteps = Math.min(checkPositiveInteger('options.maxSteps', options.maxSteps ?? Math.min(n, 200)), n);
  const tolerance = options.tolerance ?? 1e-8;
  if (typeof tolerance !== 'number' || !(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new InvalidArgumentError('options.tolerance', tolerance, 'a finite number ≥ 0');
  }
  const signal = checkSignal('options.signal', options.signal);
  const q = unitStartVector(n, options);
  const r = lanczosKernel(hvp, n, q, { maxSteps, reorthogonalize: true, vectors: 'extremes', tolerance, target: 'extremes', randomStart: true, signal });
  const last = r.steps - 1;
  const y = r.ritzVectors!;
  return {
    min: r.ritzValues[0]!,
    max: r.ritzValues[last]!,
    residualMin: r.residuals[0]!,
    residualMax: r.residuals[last]!,
    vectorMin: y.column(0),
    vectorMax: y.column(1),
    steps: r.steps,
    converged: r.converged,
  };
}
