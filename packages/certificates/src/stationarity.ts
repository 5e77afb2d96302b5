/**
 * Stationarity and curvature certificates (the mathematics guide, §3): the gradient norm, the smallest Hessian
 * eigenvalue (dense `eigh` for small models, Lanczos with full reorthogonalisation on
 * Hessian-vector products for larger ones, with its residual), and strict-saddle detection.
 *
 * All arithmetic is float64: the dense path calls the reference `eighKernel`, whatever the default
 * backend is; the Lanczos recurrence is `@shallowscape/optim`'s engine (`lanczosKernel`), plain TypeScript.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, Rng, ShapeError, assertFiniteNumber, assertFiniteVector, checkMatrix, createRng, eighKernel } from '@shallowscape/linalg';
import { lanczosKernel as lanczosEngine } from '@shallowscape/optim';

/** Options of {@link lanczosMinEigenvalue}. */
export interface LanczosOptions {
  /** Largest Krylov dimension $k$ (default $\min(n, 300)$). */
  maxIterations?: number;
  /**
   * Relative tolerance $\tau$ (default $10^{-10}$): stop when the Ritz residual estimate
   * $|\beta_k s_{k}| \le \tau \max_j|\theta_j|$ (also when the Krylov space reaches dimension $n$).
   */
  tolerance?: number;
  /** Generator of the random start vector (default `createRng(0)`, so runs are reproducible). */
  rng?: Rng;
  /** Start vector $q_0$ (length $n$, nonzero; normalised); default a random Gaussian vector from `rng`. */
  start?: Float64Array;
}

/** Result of {@link lanczosMinEigenvalue}. */
export interface LanczosResult {
  /** The smallest Ritz value $\theta_{\min}$, an estimate of $\lambda_{\min}(H)$. */
  value: number;
  /** Its unit Ritz vector $v$. */
  vector: Float64Array;
  /** The residual $\|Hv - \theta_{\min} v\|_2$, computed with one more product: some eigenvalue of $H$ lies within it of $\theta_{\min}$. */
  residual: number;
  /** Number of Lanczos steps (products with $H$, the residual product not counted). */
  iterations: number;
  /** Whether the stopping test was met (or the whole space was explored) before `maxIterations`. */
  converged: boolean;
  /** The largest Ritz value, a lower bound on $\lambda_{\max}(H)$ (used as the scale of $H$). */
  largestRitzValue: number;
}

/** An objective with a gradient and Hessian-vector products at flat parameters (e.g. `QuadraticEmpiricalRisk`). */
export interface CurvatureObjective {
  /** $\nabla f(w)$ at the flat parameters `w`. */
  gradient(w: Float64Array, out?: Float64Array): Float64Array;
  /** $\nabla^2 f(w)\,u$. */
  hessianVectorProduct(w: Float64Array, u: Float64Array, out?: Float64Array): Float64Array;
  /** Optional dense Hessian at the parameters as a matrix (row-major flattening = the flat parameters). */
  hessian?(w: Matrix): Matrix;
}

/** Options of {@link stationarityCertificate}. */
export interface StationarityOptions extends LanczosOptions {
  /**
   * `'dense'` (needs `objective.hessian`; $O(p^3)$ for $p$ parameters), `'lanczos'`, or `'auto'` (default):
   * dense when the objective has a `hessian` and $p \le$ {@link AUTO_DENSE_PARAMETERS}, Lanczos otherwise.
   */
  method?: 'dense' | 'lanczos' | 'auto';
}

/** Result of {@link stationarityCertificate}. */
export interface StationarityCertificate {
  /** $\|\nabla f(w)\|_2$ over all parameters. */
  gradientNorm: number;
  /** $\lambda_{\min}(\nabla^2 f(w))$ (exact up to round-off for `dense`, the Ritz value for `lanczos`). */
  hessianMinEigenvalue: number;
  /** The largest Hessian eigenvalue (dense) or Ritz value (Lanczos): the curvature scale. */
  hessianMaxEigenvalue: number;
  /** Lanczos residual $\|Hv - \theta v\|$; `0` for the dense method. */
  residual: number;
  /** The method used. */
  method: 'dense' | 'lanczos';
  /** Lanczos steps; `0` for the dense method. */
  iterations: number;
  /** Whether Lanczos met its stopping test (always `true` for the dense method). */
  converged: boolean;
  /** A unit eigenvector (Ritz vector) of the smallest eigenvalue, as flat parameters. */
  direction: Float64Array;
}

/** Options of {@link strictSaddleCheck}. */
export interface StrictSaddleOptions extends StationarityOptions {
  /** $\varepsilon$: stationary when $\|\nabla f\| \le \varepsilon$. Default $10^{-6}\,\|H\|_2 \max(1, \|w\|_F)$. */
  gradientTolerance?: number;
  /** $\delta$: a strict saddle has $\lambda_{\min} < -\delta$. Default $10^{-6}\,\|H\|_2$ (plus the Lanczos residual). */
  curvatureTolerance?: number;
}

/** Result of {@link strictSaddleCheck}. */
export interface StrictSaddleCheck extends StationarityCertificate {
  /** $\|\nabla f\| \le \varepsilon$. */
  stationary: boolean;
  /** Stationary and $\lambda_{\min} < -\delta$: a strict saddle (a descent direction of second order exists). */
  strictSaddle: boolean;
  /** Stationary and $\lambda_{\min} \ge -\delta$: an $(\varepsilon, \delta)$-second-order stationary point. */
  secondOrderStationary: boolean;
  /** The $\varepsilon$ used. */
  gradientTolerance: number;
  /** The $\delta$ used. */
  curvatureTolerance: number;
}

/** Largest parameter count $p$ for which `method: 'auto'` builds the dense Hessian. */
export const AUTO_DENSE_PARAMETERS = 400;

function checkLanczosOptions(
  options: LanczosOptions | undefined,
  n: number,
): { maxIterations: number; tolerance: number; rng: Rng; start: Float64Array | null } {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new InvalidArgumentError('options', options, 'an options object or undefined');
  }
  const maxIterations = options?.maxIterations ?? Math.min(n, 300);
  if (typeof maxIterations !== 'number' || !Number.isSafeInteger(maxIterations) || maxIterations < 1) {
    throw new InvalidArgumentError('options.maxIterations', maxIterations, 'an integer ≥ 1');
  }
  const tolerance = options?.tolerance ?? 1e-10;
  assertFiniteNumber('options.tolerance', tolerance);
  if (tolerance < 0) throw new InvalidArgumentError('options.tolerance', tolerance, 'a finite number ≥ 0');
  const rng = options?.rng ?? createRng(0);
  if (!(rng instanceof Rng)) throw new InvalidArgumentError('options.rng', rng, 'an Rng (createRng(seed))');
  const start = options?.start;
  if (start !== undefined) {
    if (!(start instanceof Float64Array) || start.length !== n) throw new InvalidArgumentError('options.start', start, `a Float64Array of length n = ${n}`);
    assertFiniteVector('options.start', start);
    if (!start.some((v) => v !== 0)) throw new InvalidArgumentError('options.start', start, 'a nonzero vector');
  }
  return { maxIterations: Math.min(maxIterations, n), tolerance, rng, start: start ?? null };
}

function dotRaw(n: number, a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

/** Lanczos through `@shallowscape/optim`'s engine, targeting the smallest Ritz value. */
function lanczosKernel(
  hvp: (v: Float64Array, out: Float64Array) => void,
  n: number,
  maxIterations: number,
  tolerance: number,
  rng: Rng,
  start: Float64Array | null,
): LanczosResult {
  const q = start === null ? rng.fillNormal(new Float64Array(n)) : start.slice();
  const q0 = Math.sqrt(dotRaw(n, q, q));
  for (let i = 0; i < n; i++) q[i]! /= q0;
  const r = lanczosEngine(hvp, n, q, {
    maxSteps: maxIterations,
    reorthogonalize: true,
    vectors: 'extremes',
    tolerance,
    target: 'min',
    randomStart: start === null,
    restart: rng,
  });
  const k = r.steps;
  const vector = r.ritzVectors!.column(0);
  const norm = Math.sqrt(dotRaw(n, vector, vector));
  for (let i = 0; i < n; i++) vector[i]! /= norm;
  const value = r.ritzValues[0]!;
  const w = new Float64Array(n);
  hvp(vector, w);
  let res = 0;
  for (let i = 0; i < n; i++) {
    const z = w[i]! - value * vector[i]!;
    res += z * z;
  }
  return { value, vector, residual: Math.sqrt(res), iterations: k, converged: r.converged, largestRitzValue: r.ritzValues[k - 1]! };
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
 * $\tau\max_j|\theta_j|$. A breakdown ($\beta_k \le 10^{-12}\|T_k\|$, an invariant subspace) reached from a
 * random start ends the run: the Krylov space of a random vector holds every distinct eigenvalue of $H$
 * (almost surely). Reached from a user `start`, it restarts with a random direction orthogonal to the
 * basis, so a start vector that misses an eigenvector does not hide it. The reported residual is
 * recomputed with one more product. The recurrence is `@shallowscape/optim`'s `lanczosKernel` (the
 * engine of its `lanczos` and `hessianExtremeEigenvalues`), with `target: 'min'` and restarts.
 *
 * @param hvp - writes $Hv$ into `out` (length $n$); must not keep `v` or `out`.
 * @param n - the dimension $n \ge 1$.
 * @param options - `maxIterations` (default $\min(n, 300)$), `tolerance` $\tau$ (default $10^{-10}$), `rng` (default `createRng(0)`), `start`.
 * @returns `{ value, vector, residual, iterations, converged, largestRitzValue }`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `hvp` is not a function, `n` is not an integer $\ge 1$, or an option is invalid.
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
export function lanczosMinEigenvalue(hvp: (v: Float64Array, out: Float64Array) => void, n: number, options?: LanczosOptions): LanczosResult {
  if (typeof hvp !== 'function') throw new InvalidArgumentError('hvp', hvp, 'a function (v, out) => void writing Hv into out');
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('n', n, 'an integer ≥ 1');
  const { maxIterations, tolerance, rng, start } = checkLanczosOptions(options, n);
  return lanczosKernel(hvp, n, maxIterations, tolerance, rng, start);
}

function checkObjective(objective: unknown): CurvatureObjective {
  if (objective === null || typeof objective !== 'object') {
    throw new InvalidArgumentError('objective', objective, 'an objective with gradient and hessianVectorProduct methods');
  }
  const o = objective as Partial<CurvatureObjective>;
  if (typeof o.gradient !== 'function') throw new InvalidArgumentError('objective.gradient', o.gradient, 'a function');
  if (typeof o.hessianVectorProduct !== 'function') {
    throw new InvalidArgumentError('objective.hessianVectorProduct', o.hessianVectorProduct, 'a function');
  }
  if (o.hessian !== undefined && typeof o.hessian !== 'function') throw new InvalidArgumentError('objective.hessian', o.hessian, 'a function or undefined');
  return o as CurvatureObjective;
}

/**
 * First- and second-order stationarity of an objective at $w$: $\|\nabla f(w)\|_2$ and
 * $\lambda_{\min}(\nabla^2 f(w))$, the quantities of an $(\varepsilon, \delta)$-second-order stationary
 * point ($\|\nabla f\| \le \varepsilon$, $\lambda_{\min} \ge -\delta$).
 *
 * The dense method builds the Hessian ($p \times p$) and takes its eigenvalues; the Lanczos method
 * ({@link lanczosMinEigenvalue}) uses only Hessian-vector products, $O(Nd^2 + md^2)$ each for a quadratic
 * network, and reports its residual.
 *
 * The objective computes its own products: for a float64 certificate build it on a float64 backend
 * (`QuadraticEmpiricalRisk` takes a `backend` option; {@link certifyQuadraticNetwork} does this).
 *
 * @param objective - `{ gradient, hessianVectorProduct, hessian? }` on flat parameters, e.g. `QuadraticEmpiricalRisk`.
 * @param w - the parameters as a matrix (for a network, $W$, $m \times d$; flattened row-major for the flat methods).
 * @param options - `method` (`'auto'`), and Lanczos options.
 * @returns `{ gradientNorm, hessianMinEigenvalue, hessianMaxEigenvalue, residual, method, iterations, converged, direction }`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `objective` lacks the methods, `w` is not a Matrix, `method`
 *   is unknown, or `method: 'dense'` is asked of an objective without `hessian`.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when the dense Hessian is not $p \times p$ for the $p$ entries of `w`.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `w`.
 * @see Ge, Huang, Jin & Yuan, "Escaping from saddle points" (2015) for $(\varepsilon,\delta)$-stationarity; the mathematics guide, §3.
 * @example
 * ```ts
 * const objective = new QuadraticEmpiricalRisk(Matrix.from([[1]]), Float64Array.of(0), 1);
 * const c = stationarityCertificate(objective, Matrix.from([[2]])); // L(w) = w⁴: L' = 32, L'' = 48
 * [c.gradientNorm, c.hessianMinEigenvalue, c.method]; // => [32, 48, "dense"]
 * ```
 */
export function stationarityCertificate(objective: CurvatureObjective, w: Matrix, options?: StationarityOptions): StationarityCertificate {
  const o = checkObjective(objective);
  const wm = checkMatrix('w', w);
  const p = wm.data.length;
  if (p < 1) throw new InvalidArgumentError('w', wm, 'at least one parameter');
  const lanczosOptions = checkLanczosOptions(options, p);
  const method = options?.method ?? 'auto';
  if (method !== 'auto' && method !== 'dense' && method !== 'lanczos') {
    throw new InvalidArgumentError('options.method', method, "'dense', 'lanczos' or 'auto'");
  }
  if (method === 'dense' && o.hessian === undefined) {
    throw new InvalidArgumentError('options.method', method, "'lanczos' or 'auto' (the objective has no dense hessian)");
  }
  const wFlat = wm.data;
  const g = o.gradient(wFlat);
  const gradientNorm = Math.sqrt(dotRaw(g.length, g, g));
  const useDense = method === 'dense' || (method === 'auto' && o.hessian !== undefined && p <= AUTO_DENSE_PARAMETERS);
  if (useDense) {
    const h = checkMatrix('objective.hessian(w)', o.hessian!(wm));
    if (h.rows !== p || h.cols !== p) throw new ShapeError(`objective.hessian(w) is ${h.rows}×${h.cols}, expected ${p}×${p}`, 'objective.hessian');
    const e = eighKernel(p, h.data, true);
    const direction = new Float64Array(p);
    for (let i = 0; i < p; i++) direction[i] = e.vectors![i * p]!;
    return {
      gradientNorm,
      hessianMinEigenvalue: e.values[0]!,
      hessianMaxEigenvalue: e.values[p - 1]!,
      residual: 0,
      method: 'dense',
      iterations: 0,
      converged: true,
      direction,
    };
  }
  const r = lanczosKernel(
    (v, out) => {
      o.hessianVectorProduct(wFlat, v, out);
    },
    p,
    lanczosOptions.maxIterations,
    lanczosOptions.tolerance,
    lanczosOptions.rng,
    lanczosOptions.start,
  );
  return {
    gradientNorm,
    hessianMinEigenvalue: r.value,
    hessianMaxEigenvalue: r.largestRitzValue,
    residual: r.residual,
    method: 'lanczos',
    iterations: r.iterations,
    converged: r.converged,
    direction: r.vector,
  };
}

/**
 * Strict-saddle detection: whether $w$ is stationary ($\|\nabla f\| \le \varepsilon$) with a direction of
 * negative curvature $\lambda_{\min}(\nabla^2 f) < -\delta$. For signed quadratic networks with at least $d$
 * units of each sign, every stationary point is either a global minimum or such a strict saddle
 * (Soltanolkotabi–Javanmard–Lee), so a stationary point that is not a strict saddle is globally optimal.
 *
 * Defaults are relative to the curvature scale $\|H\|_2$ (the largest $|$eigenvalue$|$ or Ritz value):
 * $\delta = 10^{-6}\|H\|_2 + r$ with $r$ the Lanczos residual, and $\varepsilon = 10^{-6}\|H\|_2\max(1, \|w\|_F)$
 * (the gradient change of a relative parameter change of $10^{-6}$).
 *
 * @param objective - `{ gradient, hessianVectorProduct, hessian? }`, e.g. `QuadraticEmpiricalRisk` with `signs`.
 * @param w - the parameters, e.g. $W$ ($m \times d$).
 * @param options - `gradientTolerance` $\varepsilon$, `curvatureTolerance` $\delta$ (absolute, $\ge 0$), and the options of {@link stationarityCertificate}.
 * @returns the {@link StationarityCertificate} with `stationary`, `strictSaddle`, `secondOrderStationary` and the tolerances used.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} as {@link stationarityCertificate}, and for a negative or non-finite tolerance.
 * @see Soltanolkotabi, Javanmard and Lee, "Theoretical insights into the optimization landscape of over-parameterized shallow neural networks" (2018).
 * @example
 * ```ts
 * // Signed net v = (1, −1), W = 0 is stationary; labels y = 1 make H[U] = (4/N) diag(v) U S with S = −I.
 * const objective = new QuadraticEmpiricalRisk(Matrix.identity(2), Float64Array.of(1, 1), 2, { signs: Float64Array.of(1, -1) });
 * const c = strictSaddleCheck(objective, Matrix.zeros(2, 2));
 * [c.stationary, c.strictSaddle, c.hessianMinEigenvalue]; // => [true, true, -2]
 * ```
 */
export function strictSaddleCheck(objective: CurvatureObjective, w: Matrix, options?: StrictSaddleOptions): StrictSaddleCheck {
  const { gradientTolerance, curvatureTolerance } = options ?? {};
  if (gradientTolerance !== undefined) {
    assertFiniteNumber('options.gradientTolerance', gradientTolerance);
    if (gradientTolerance < 0) throw new InvalidArgumentError('options.gradientTolerance', gradientTolerance, 'a finite number ≥ 0');
  }
  if (curvatureTolerance !== undefined) {
    assertFiniteNumber('options.curvatureTolerance', curvatureTolerance);
    if (curvatureTolerance < 0) throw new InvalidArgumentError('options.curvatureTolerance', curvatureTolerance, 'a finite number ≥ 0');
  }
  const c = stationarityCertificate(objective, w, options);
  const scale = Math.max(Math.abs(c.hessianMinEigenvalue), Math.abs(c.hessianMaxEigenvalue));
  const wNorm = Math.sqrt(dotRaw(w.data.length, w.data, w.data));
  const eps = gradientTolerance ?? 1e-6 * scale * Math.max(1, wNorm);
  const delta = curvatureTolerance ?? 1e-6 * scale + c.residual;
  const stationary = c.gradientNorm <= eps;
  return {
    ...c,
    stationary,
    strictSaddle: stationary && c.hessianMinEigenvalue < -delta,
    secondOrderStationary: stationary && c.hessianMinEigenvalue >= -delta,
    gradientTolerance: eps,
    curvatureTolerance: delta,
  };
}
