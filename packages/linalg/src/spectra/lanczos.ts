/**
 * Lanczos with full reorthogonalisation on a symmetric operator: $k$ steps, the tridiagonal
 * $T_k$, its Ritz values, first components, residuals and (optionally) Ritz vectors.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from '../errors';
import type { Rng } from '../rng';
import { checkPositiveInteger, checkSignal } from '../validate';
import { lanczosKernel, type LanczosSpectrum } from './lanczos-kernel';
import { checkOperator, checkOptionsObject, unitStartVector, type SymmetricOperator } from './symmetric-operator';

/** Options of {@link lanczos}. */
export interface LanczosSpectrumOptions {
  /** Number of Lanczos steps $k$, $1 \le k$ (capped at $n$; fewer when the Krylov space is invariant). */
  steps: number;
  /** Generator of the random start vector (Gaussian, normalised). Required unless `start` is given. */
  rng?: Rng;
  /** Start vector $q_1$ (length $n$, finite, nonzero; normalised). Default: a Gaussian vector from `rng`. */
  start?: Float64Array;
  /**
   * Full reorthogonalisation (default `true`): each new vector is orthogonalised twice against all
   * previous ones (classical Gram–Schmidt, repeated), which keeps the basis orthonormal to working
   * precision and prevents spurious copies of converged Ritz values. `false` runs the plain
   * three-term recurrence ($O(n)$ memory beyond the basis).
   */
  reorthogonalize?: boolean;
  /** Return the Ritz vectors $Y = Q_k S$ ($n \times k$, columns) as well (default `false`; needs the basis). */
  vectors?: boolean;
  /** Polled between steps (Lanczos steps, products with $H$): once aborted, the run throws {@link @shallowscape/linalg!AbortedError | AbortedError}. */
  signal?: AbortSignal;
}

/**
 * Runs $k$ steps of the Lanczos process on a symmetric operator $H$ from a unit vector $q_1$:
 * $$\beta_j q_{j+1} = Hq_j - \alpha_j q_j - \beta_{j-1} q_{j-1}, \quad \alpha_j = q_j^\top H q_j,$$
 * giving $HQ_k = Q_kT_k + \beta_k q_{k+1}e_k^\top$ with $T_k$ tridiagonal. The Ritz values
 * $\theta_j$ are the eigenvalues of $T_k = S\Theta S^\top$, the Ritz vectors $y_j = Q_k s_j$, and
 * their residuals are $\|Hy_j - \theta_j y_j\|_2 = \beta_k |s_{kj}|$ (exact in exact arithmetic,
 * and accurate to working precision with full reorthogonalisation). By Kahan–Parlett, every
 * interval $[\theta_j - \rho_j, \theta_j + \rho_j]$ holds an eigenvalue of $H$.
 *
 * The process stops early when the Krylov space is invariant ($\beta_j \le 10^{-12}\max(|\alpha|, \beta)$;
 * the computed $\beta_j$ is kept, so the residuals remain bounds).
 * Costs $k$ products with $H$, $O(nk^2)$ for the reorthogonalisation and $O(k^3)$ for $T_k$.
 *
 * @param hvp - the operator $v \mapsto Hv$ ($H$ symmetric $n \times n$).
 * @param n - the dimension $n \ge 1$.
 * @param options - `steps` $k$, `rng` or `start`, `reorthogonalize` (default `true`), `vectors`, `signal`.
 * @returns $\alpha$, $\beta$, the Ritz values (ascending), first components, residuals, optionally the Ritz vectors.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `hvp`, `n`,
 *   `options.steps`, `options.rng`, `options.start` (wrong length, zero) or `options.reorthogonalize`.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when the operator returns a NaN or infinite entry.
 * @throws {@link @shallowscape/linalg!AbortedError | AbortedError} when `options.signal` is aborted (polled between steps).
 * @see C. Lanczos, "An iteration method for the solution of the eigenvalue problem of linear differential and integral operators", J. Res. Nat. Bur. Standards 45 (1950).
 * @see C. C. Paige, "The computation of eigenvalues and eigenvectors of very large sparse matrices", PhD thesis, London (1971); B. N. Parlett, *The Symmetric Eigenvalue Problem* (1998), §13.
 * @example
 * ```ts
 * // H = diag(1, 2, 3, 4): four steps from a generic start recover the whole spectrum.
 * const d = [1, 2, 3, 4];
 * const hvp = (v: Float64Array, out: Float64Array) => out.map((_, i) => d[i]! * v[i]!);
 * const result = lanczos(hvp, 4, { steps: 4, start: Float64Array.of(1, 1, 1, 1) });
 * result.ritzValues; // => [1.0000000000, 2.0000000000, 3.0000000000, 4.0000000000]
 * result.alpha[0]; // => 2.5
 * Math.max(...result.residuals) < 1e-12; // => true
 * lanczos(hvp, 4, { steps: 0, start: Float64Array.of(1, 1, 1, 1) }); // throws InvalidArgumentError
 * ```
 */
export function lanczos(hvp: SymmetricOperator, n: number, options: LanczosSpectrumOptions): LanczosSpectrum {
  checkOperator(hvp, n);
  checkOptionsObject(options, 'an options object { steps, rng | start, ... }');
  const steps = Math.min(checkPositiveInteger('options.steps', options.steps), n);
  const reorthogonalize = options.reorthogonalize ?? true;
  if (typeof reorthogonalize !== 'boolean') throw new InvalidArgumentError('options.reorthogonalize', reorthogonalize, 'a boolean');
  const vectors = options.vectors ?? false;
  if (typeof vectors !== 'boolean') throw new InvalidArgumentError('options.vectors', vectors, 'a boolean');
  const signal = checkSignal('options.signal', options.signal);
  const q = unitStartVector(n, options);
  return lanczosKernel(hvp, n, q, { maxSteps: steps, reorthogonalize, vectors: vectors ? 'all' : 'none', randomStart: options.start === undefined, signal });
}
