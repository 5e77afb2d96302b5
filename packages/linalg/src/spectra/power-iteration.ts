/**
 * Power iteration on a symmetric operator: the largest eigenvalue magnitude $|\lambda|_{\max}$,
 * optionally of the operator restricted to a set of coordinates.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, throwIfAborted } from '../errors';
import { dotKernel, nrm2Kernel } from '../kernels/blas1-kernels';
import type { Rng } from '../rng';
import { assertFiniteNumber, checkPositiveInteger, checkSignal } from '../validate';
import { applyOperator, checkOperator, checkOptionsObject, copyStartVector, unitStartVector, type SymmetricOperator } from './symmetric-operator';

/** Options of {@link powerIteration}. */
export interface PowerIterationOptions {
  /** Number of products with $H$, $k \ge 1$ (default 100): exactly this many unless `tolerance` stops the run earlier. */
  iterations?: number;
  /**
   * Stop once $|\nu_j - \nu_{j-1}| \le \tau\,\nu_j$ for the estimates $\nu_j$ of two successive
   * steps (default $\tau = 0$: no test, run all `iterations`).
   */
  tolerance?: number;
  /** Start vector $u_0$ (length $n$, finite, nonzero on the kept coordinates; copied). Default: a Gaussian vector from `rng`. */
  start?: Float64Array;
  /** Generator of the random start vector. Required unless `start` is given. */
  rng?: Rng;
  /**
   * The coordinates to keep, as a predicate on the index $i \in [0, n)$ (called once per index):
   * the iteration runs on $PHP$, $P$ the diagonal projection that zeroes the others (e.g. the
   * trainable parameters of a partly frozen network). Default: every coordinate ($P = I$).
   */
  keep?: (index: number) => boolean;
  /** Polled between steps (Lanczos steps, products with $H$): once aborted, the run throws {@link @shallowscape/linalg!AbortedError | AbortedError}. */
  signal?: AbortSignal;
}

/** The result of {@link powerIteration}. */
export interface PowerIterationResult {
  /** The estimate $\nu_k = \|PHPu_{k-1}\|_2$ of $|\lambda|_{\max}(PHP)$ (a lower bound on it, up to round-off). */
  value: number;
  /** The Rayleigh quotient $u_{k-1}^\top PHP\,u_{k-1}$, whose sign is that of the dominant eigenvalue once converged. */
  rayleighQuotient: number;
  /** The last unit iterate $u_k = PHPu_{k-1}/\nu_k$ ($u_{k-1}$ when $PHPu_{k-1} = 0$). */
  vector: Float64Array;
  /** The number of products with $H$, $k$. */
  iterations: number;
  /** Whether the run stopped on `tolerance` or on $PHPu_{k-1} = 0$ (an exact eigenvector of eigenvalue 0), rather than on `iterations`. */
  converged: boolean;
}

/**
 * The largest eigenvalue magnitude of a symmetric operator $H$ by the power method
 * $$u_j = \frac{PHPu_{j-1}}{\nu_j}, \qquad \nu_j = \|PHPu_{j-1}\|_2, \qquad u_0 = \frac{Ps}{\|Ps\|_2},$$
 * where $P$ zeroes the coordinates outside `keep` ($P = I$ by default) and $s$ is the start
 * vector. $\nu_j \to |\lambda|_{\max}(PHP)$ at the rate $|\lambda_2/\lambda_1|^j$ when $u_0$ is not
 * orthogonal to the dominant eigenvector; with $\pm\lambda$ both dominant, $\nu_j$ still converges to
 * $|\lambda|$. Runs exactly `iterations` steps unless `tolerance` is given. A fixed small count
 * (e.g. 20) gives a step-size estimate, not the eigenvalue to working precision: for that use
 * {@link hessianExtremeEigenvalues}, whose residuals bound the error.
 *
 * @param hvp - the operator $v \mapsto Hv$ ($H$ symmetric $n \times n$), writing into `out` or returning $Hv$.
 * @param n - the dimension $n \ge 1$.
 * @param options - `iterations` $k$ (default 100), `tolerance` $\tau$ (default 0), `start` or `rng`, `keep`, `signal`.
 * @returns $\nu_k$, the Rayleigh quotient, the unit iterate, the steps taken and `converged`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `hvp`, `n`, `options.iterations`, `options.tolerance`,
 *   `options.rng`, `options.start` (wrong length, or zero on the kept coordinates) or `options.keep`.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when the operator returns a NaN or infinite entry, or `start` has one.
 * @throws {@link @shallowscape/linalg!AbortedError | AbortedError} when `options.signal` is aborted (polled between steps).
 * @see R. von Mises and H. Pollaczek-Geiringer, "Praktische Verfahren der Gleichungsauflösung", ZAMM 9 (1929); Golub & Van Loan, *Matrix Computations* (4th ed.), §8.2.1.
 * @example
 * ```ts
 * const d = [1, -3, 2];
 * const hvp = (v: Float64Array, out: Float64Array) => out.map((_, i) => d[i]! * v[i]!);
 * const r = powerIteration(hvp, 3, { start: Float64Array.of(1, 1, 1), iterations: 200 });
 * r.value; // => 3.0000000000
 * r.rayleighQuotient; // => -3.0000000000
 * // Restricted to the coordinates 0 and 2, PHP = diag(1, 0, 2):
 * powerIteration(hvp, 3, { start: Float64Array.of(1, 1, 1), iterations: 200, keep: (i) => i !== 1 }).value; // => 2.0000000000
 * ```
 */
export function powerIteration(hvp: SymmetricOperator, n: number, options: PowerIterationOptions): PowerIterationResult {
  checkOperator(hvp, n);
  checkOptionsObject(options, 'an options object { start | rng, iterations?, tolerance?, keep? }');
  const iterations = checkPositiveInteger('options.iterations', options.iterations ?? 100);
  const tolerance = options.tolerance ?? 0;
  assertFiniteNumber('options.tolerance', tolerance);
  if (tolerance < 0) throw new InvalidArgumentError('options.tolerance', tolerance, 'a finite number ≥ 0');
  const signal = checkSignal('options.signal', options.signal);
  const keep = options.keep;
  if (keep !== undefined && typeof keep !== 'function') throw new InvalidArgumentError('options.keep', keep, 'a function (index) => boolean');
  let mask: Uint8Array | null = null;
  if (keep !== undefined) {
    mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = keep(i) ? 1 : 0;
  }
  // The iteration normalises the (projected) start itself.
  const u0 = options.start !== undefined ? copyStartVector(n, options.start) : unitStartVector(n, options);
  let u: Float64Array = u0;
  if (mask !== null) for (let i = 0; i < n; i++) if (mask[i] === 0) u[i] = 0;
  let norm = nrm2Kernel(n, u);
  if (!(norm > 0)) throw new InvalidArgumentError('options.start', options.start ?? u0, 'a vector that is nonzero on the kept coordinates');
  let hu: Float64Array = new Float64Array(n);
  let value = 0;
  let steps = 0;
  let converged = false;
  for (;;) {
    throwIfAborted(signal, 'power iteration');
    for (let i = 0; i < n; i++) u[i] = u[i]! / norm;
    applyOperator(hvp, u, hu);
    if (mask !== null) for (let i = 0; i < n; i++) if (mask[i] === 0) hu[i] = 0;
    const next = nrm2Kernel(n, hu);
    steps++;
    const previous = value;
    value = next;
    if (next === 0 || (tolerance > 0 && steps > 1 && Math.abs(next - previous) <= tolerance * next)) converged = true;
    if (converged || steps >= iterations) break;
    norm = next;
    [u, hu] = [hu, u];
  }
  // u is the unit iterate u_{k−1}, hu = PHPu_{k−1}.
  const rayleighQuotient = dotKernel(n, u, hu);
  const vector = value > 0 ? hu.map((x) => x / value) : u;
  return { value, rayleighQuotient, vector, iterations: steps, converged };
}
