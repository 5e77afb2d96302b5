/**
 * The smallest eigenvalue of a symmetric operator given only by its products, by Lanczos with
 * full reorthogonalisation, with an explicitly recomputed residual.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from '../errors';
import { dotKernel } from '../kernels/blas1-kernels';
import { checkRng, createRng, type Rng } from '../rng';
import { assertFiniteNumber, checkPositiveInteger, checkSignal } from '../validate';
import { lanczosKernel } from './lanczos-kernel';
import { applyOperator, checkOperator, unitStartVector, type SymmetricOperator } from './symmetric-operator';

/** Options of {@link @shallowscape/linalg!lanczosMinEigenvalue | lanczosMinEigenvalue}. */
export interface LanczosOptions {
  /** Largest Krylov dimension $k$ (default $\min(n, 300)$). */
  maxIterations?: number;
  /**
   * Relative tolerance $\tau$ (default $10^{-10}$): stop when the Ritz residual estimate
   * $|\beta_k s_{k}| \le \tau \max_j|\theta_j|$ (also when the Krylov space reaches dimension $n$).
   */
  tolerance?: number;
  /**
   * Generator of the random start vector, or, with `start`, of the random direction the run goes
   * on from after the block from `start` (default `createRng(0)`, so runs are reproducible).
   */
  rng?: Rng;
  /** Start vector $q_0$ (length $n$, nonzero; normalised); default a random Gaussian vector from `rng`. */
  start?: Float64Array;
  /** Polled between steps (Lanczos steps, products with $H$): once aborted, the run throws {@link @shallowscape/linalg!AbortedError | AbortedError}. */
  signal?: AbortSignal;
}

/** Result of {@link @shallowscape/linalg!lanczosMinEigenvalue | lanczosMinEigenvalue}. */
export interface LanczosResult {
  /** The smallest Ritz value $\theta_{\min}$, an estimate of $\lambda_{\min}(H)$. */
  value: number;
  /** Its unit Ritz vector $v$. */
  vector: Float64Array;
  /** The residual $\|Hv - \theta_{\min} v\|_2$, computed with one more product: some eigenvalue of $H$ lies within it of $\theta_{\min}$. */
  residual: number;
  /** Number of Lanczos steps (products with $H$, the residual product not counted). */
  iterations: number;
  /**
   * Whether the stopping test was met (or the whole space was explored) before `maxIterations`;
   * with `start`, by the random block that follows the block from `start`.
   */
  converged: boolean;
  /** The largest Ritz value, a lower bound on $\lambda_{\max}(H)$ (used as the scale of $H$). */
  largestRitzValue: number;
}

/**
 * The smallest eigenvalue of a symmetric operator $H$ given only by products $v \mapsto Hv$, by the
 * Lanczos method with full reorthogonalisation.
 *
 * From a random unit $q_0$, the recurrence $\beta_j q_{j+1} = Hq_j - \alpha_j q_j - \beta_{j-1}q_{j-1}$,
 * $\alpha_j = q_j^\top H q_j$, builds an orthonormal basis $Q_k$ of the Krylov space with
 * $Q_k^\top H Q_k = T_k$ tridiagonal; every new vector is orthogonalised twice against all previous ones
 * (which removes the loss of orthogonality analysed by Paige, at $O(nk)$ per step). The smallest
 * eigenpair $(\theta, s)$ of $T_k$ gives the Ritz pair $(\theta, Q_k s)$ with residual
 * $\|HQ_ks - \theta Q_ks\| = |\beta_k s_k|$; the run stops when this is at most
 * $\tau\max_j|\theta_j|$, or at a breakdown ($\beta_k \le 10^{-12}\|T_k\|$, an invariant subspace):
 * the Krylov space of a random vector holds every distinct eigenvalue of $H$ (almost surely).
 * That of a user `start` misses every eigenvector orthogonal to `start`, so when the run from
 * `start` stops (converged or invariant) it goes on from a random direction orthogonal to the
 * basis $Q_k$, drawn from `rng`, until that second block meets the same test: an eigenvector
 * missed by the first block is an eigenvector of the compression of $H$ to the complement of
 * $Q_k$, which the second block finds. The result is the smallest Ritz value of the two blocks (a
 * Rayleigh quotient of $H$, so at least $\lambda_{\min}$), and its residual is recomputed with one
 * more product. The recurrence is {@link lanczosKernel} with `target: 'min'` and `restart`.
 *
 * @param hvp - writes $Hv$ into `out` (length $n$), or returns it; must not keep `v` or `out`.
 * @param n - the dimension $n \ge 1$.
 * @param options - `maxIterations` (default $\min(n, 300)$), `tolerance` $\tau$ (default $10^{-10}$), `rng` (default `createRng(0)`), `start`, `signal`.
 * @returns `{ value, vector, residual, iterations, converged, largestRitzValue }`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `hvp` is not a function, `n` is not an integer $\ge 1$, or an option is invalid.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when the operator returns a NaN or infinite entry, or `start` has one.
 * @throws {@link @shallowscape/linalg!AbortedError | AbortedError} when `options.signal` is aborted (polled between steps).
 * @see Lanczos, "An iteration method for the solution of the eigenvalue problem of linear differential and integral operators" (1950);
 *   Paige, "Computational variants of the Lanczos method for the eigenproblem" (1972); Golub & Van Loan, *Matrix Computations* (4th ed.), §10.1.
 * @example
 * ```ts
 * const d = [3, -2, 5, 1];
 * const r = lanczosMinEigenvalue((v, out) => { for (let i = 0; i < 4; i++) out[i] = d[i] * v[i]; }, 4);
 * r.value; // => -2
 * r.residual < 1e-12; // => true
 * Math.abs(r.vector[1]); // => 1
 * ```
 */
export function lanczosMinEigenvalue(hvp: SymmetricOperator, n: number, options?: LanczosOptions): LanczosResult {
  checkOperator(hvp, n);
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new InvalidArgumentError('options', options, 'an options object or undefined');
  }
  const maxIterations = Math.min(checkPositiveInteger('options.maxIterations', options?.maxIterations ?? Math.min(n, 300)), n);
  const tolerance = options?.tolerance ?? 1e-10;
  assertFiniteNumber('options.tolerance', tolerance);
  if (tolerance < 0) throw new InvalidArgumentError('options.tolerance', tolerance, 'a finite number ≥ 0');
  const rng = checkRng('options.rng', options?.rng ?? createRng(0));
  const signal = checkSignal('options.signal', options?.signal);
  const q = unitStartVector(n, { start: options?.start }, rng);
  const r = lanczosKernel(hvp, n, q, {
    maxSteps: maxIterations,
    reorthogonalize: true,
    vectors: 'extremes',
    tolerance,
    target: 'min',
    randomStart: options?.start === undefined,
    restart: rng,
    signal,
  });
  const k = r.steps;
  const vector = r.ritzVectors!.column(0);
  const norm = Math.sqrt(dotKernel(n, vector, vector));
  for (let i = 0; i < n; i++) vector[i]! /= norm;
  const value = r.ritzValues[0]!;
  const w = new Float64Array(n);
  applyOperator(hvp, vector, w);
  let res = 0;
  for (let i = 0; i < n; i++) {
    const z = w[i]! - value * vector[i]!;
    res += z * z;
  }
  return { value, vector, residual: Math.sqrt(res), iterations: k, converged: r.converged, largestRitzValue: r.ritzValues[k - 1]! };
}
