/**
 * Stationarity and curvature certificates (the mathematics guide, §3): the gradient norm, the smallest Hessian
 * eigenvalue (dense `eigh` for small models, Lanczos with full reorthogonalisation on
 * Hessian-vector products for larger ones, with its residual), and strict-saddle detection.
 *
 * All arithmetic is float64: the dense path calls the reference `eighKernel`, whatever the default
 * backend is; the Lanczos path is `@shallowscape/linalg`'s `lanczosMinEigenvalue`, plain TypeScript.
 *
 * @packageDocumentation
 */
import {
  InvalidArgumentError,
  Matrix,
  ShapeError,
  assertFiniteNumber,
  checkMatrix,
  checkSignal,
  dotKernel,
  eighKernel,
  lanczosMinEigenvalue,
  throwIfAborted,
  type LanczosOptions,
} from '@shallowscape/linalg';

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
 * (`@shallowscape/linalg`'s {@link @shallowscape/linalg!lanczosMinEigenvalue | lanczosMinEigenvalue}) uses only Hessian-vector products, $O(Nd^2 + md^2)$ each for a quadratic
 * network, and reports its residual.
 *
 * The objective computes its own products: for a float64 certificate build it on a float64 backend
 * (`QuadraticEmpiricalRisk` takes a `backend` option; {@link certifyQuadraticNetwork} does this).
 *
 * @param objective - `{ gradient, hessianVectorProduct, hessian? }` on flat parameters, e.g. `QuadraticEmpiricalRisk`.
 * @param w - the parameters as a matrix (for a network, $W$, $m \times d$; flattened row-major for the flat methods).
 * @param options - `method` (`'auto'`), the Lanczos options, and `signal`: an `AbortSignal` polled
 *   between Lanczos steps, and before and after the dense Hessian is built.
 * @returns `{ gradientNorm, hessianMinEigenvalue, hessianMaxEigenvalue, residual, method, iterations, converged, direction }`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `objective` lacks the methods, `w` is not a Matrix, `method`
 *   is unknown, or `method: 'dense'` is asked of an objective without `hessian`.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when the dense Hessian is not $p \times p$ for the $p$ entries of `w`.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `w`.
 * @throws {@link @shallowscape/linalg!AbortedError | AbortedError} when `options.signal` is aborted.
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
  const method = options?.method ?? 'auto';
  if (method !== 'auto' && method !== 'dense' && method !== 'lanczos') {
    throw new InvalidArgumentError('options.method', method, "'dense', 'lanczos' or 'auto'");
  }
  if (method === 'dense' && o.hessian === undefined) {
    throw new InvalidArgumentError('options.method', method, "'lanczos' or 'auto' (the objective has no dense hessian)");
  }
  const signal = checkSignal('options.signal', options?.signal);
  throwIfAborted(signal, 'the stationarity certificate');
  const wFlat = wm.data;
  const g = o.gradient(wFlat);
  const gradientNorm = Math.sqrt(dotKernel(g.length, g, g));
  const useDense = method === 'dense' || (method === 'auto' && o.hessian !== undefined && p <= AUTO_DENSE_PARAMETERS);
  if (useDense) {
    throwIfAborted(signal, 'the stationarity certificate');
    const h = checkMatrix('objective.hessian(w)', o.hessian!(wm));
    if (h.rows !== p || h.cols !== p) throw new ShapeError(`objective.hessian(w) is ${h.rows}×${h.cols}, expected ${p}×${p}`, 'objective.hessian');
    throwIfAborted(signal, 'the stationarity certificate');
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
  const { maxIterations, tolerance, rng, start } = options ?? {};
  const r = lanczosMinEigenvalue(
    (v, out) => {
      o.hessianVectorProduct(wFlat, v, out);
    },
    p,
    { maxIterations, tolerance, rng, start, signal },
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
  const wNorm = Math.sqrt(dotKernel(w.data.length, w.data, w.data));
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
