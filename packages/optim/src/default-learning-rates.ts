/**
 * Default learning rates from the problem's own scale: $1/\hat\lambda$ from the curvature for
 * (momentum) gradient descent, and a fraction of the weights' size for Adam.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, checkPositiveInteger, nrm2, powerIteration } from '@shallowscape/linalg';

/** Power-method steps of {@link curvatureLearningRate}: enough for a step size, not for the eigenvalue itself. */
export const CURVATURE_ITERATIONS = 20;

/** Options of {@link curvatureLearningRate}. */
export interface CurvatureLearningRateOptions {
  /** The trainable coordinates (default all): the curvature is that of the Hessian restricted to them. */
  trainable?: (index: number) => boolean;
  /** Power-method steps (default {@link CURVATURE_ITERATIONS}). */
  iterations?: number;
}

/**
 * The step size $\eta = 1/\hat\lambda$ with $\hat\lambda = \max_p \hat\lambda(x_p)$, $\hat\lambda(x)$ a
 * power-iteration estimate of $|\lambda|_{\max}$ of the Hessian $\nabla^2 f(x)$ (restricted to the
 * trainable coordinates) at each point $x_p$. Half the stability limit $2/\lambda$ of gradient
 * descent on a quadratic; heavy ball with $\beta = 0.9$ is stable up to $3.8/\lambda$. The power
 * method starts from the fixed, generic vector $u_k = x_k/\|x\| + \sin(k+1)/\sqrt n$ (zero outside
 * the trainable coordinates), so the result is deterministic. Returns $10^{-3}$ when every
 * estimate is 0 or not finite.
 *
 * @param objective - $f$ with its Hessian-vector product $\nabla^2 f(x)\,v$.
 * @param points - the points $x_p$ (each of length $n$, at least one).
 * @param options - `trainable`, `iterations`.
 * @returns $1/\hat\lambda$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for an objective without
 *   `hessianVectorProduct`, no points, or points of different lengths.
 * @example
 * ```ts
 * // f(x) = x₀² + 2x₁², Hessian diag(2, 4): η = 1/4.
 * const f = { hessianVectorProduct: (_x: Float64Array, v: Float64Array) => Float64Array.of(2 * v[0]!, 4 * v[1]!) };
 * curvatureLearningRate(f, [Float64Array.of(1, 1)], { iterations: 200 }); // => 0.2500000000
 * curvatureLearningRate(f, [Float64Array.of(1, 1)], { iterations: 200, trainable: (k) => k === 0 }); // => 0.5000000000
 * ```
 */
export function curvatureLearningRate(
  objective: { hessianVectorProduct?(x: Float64Array, v: Float64Array, out?: Float64Array): Float64Array },
  points: readonly Float64Array[],
  options: CurvatureLearningRateOptions = {},
): number {
  const hvp = objective.hessianVectorProduct;
  if (typeof hvp !== 'function') throw new InvalidArgumentError('objective.hessianVectorProduct', hvp, 'a function (x, v, out?) => ∇²f(x) v');
  if (!Array.isArray(points) || points.length === 0) throw new InvalidArgumentError('points', points, 'at least one point');
  const n = points[0]!.length;
  const iterations = checkPositiveInteger('options.iterations', options.iterations ?? CURVATURE_ITERATIONS);
  const trainable = options.trainable ?? (() => true);
  let lambda = 0;
  for (const x of points) {
    if (!(x instanceof Float64Array) || x.length !== n) throw new InvalidArgumentError('points', x, `Float64Arrays of one length n = ${n}`);
    const norm = nrm2(x);
    const start = new Float64Array(n);
    for (let k = 0; k < n; k++) start[k] = trainable(k) ? (norm > 0 ? x[k]! / norm : 0) + Math.sin(k + 1) / Math.sqrt(n) : 0;
    if (start.every((v) => v === 0)) continue;
    const estimate = powerIteration((v, out) => hvp.call(objective, x, v, out), n, { start, iterations, keep: trainable }).value;
    if (Number.isFinite(estimate)) lambda = Math.max(lambda, estimate);
  }
  return lambda > 0 ? 1 / lambda : 1e-3;
}

/**
 * Adam's default step size: 1% of the root-mean-square size of the weights,
 * $\eta = 0.01\sqrt{\max(\|w\|_2^2, \tau)/n}$ with an optional target squared norm $\tau$ the weights
 * are expected to reach (Adam moves each coordinate by about $\eta$ per step whatever the
 * curvature). Returns $10^{-3}$ when that is 0.
 *
 * @param weights - the starting weights $w$ (length $n \ge 1$).
 * @param targetSquaredNorm - $\tau \ge 0$ (default 0).
 * @returns $\eta$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for an empty vector or a negative or non-finite $\tau$.
 * @example
 * ```ts
 * weightScaleLearningRate(Float64Array.of(3, 4, 0, 0)); // => 0.025
 * weightScaleLearningRate(Float64Array.of(0, 0), 8); // => 0.02
 * ```
 */
export function weightScaleLearningRate(weights: Float64Array, targetSquaredNorm = 0): number {
  if (!(weights instanceof Float64Array) || weights.length === 0) throw new InvalidArgumentError('weights', weights, 'a non-empty Float64Array');
  if (!(targetSquaredNorm >= 0 && Number.isFinite(targetSquaredNorm))) throw new InvalidArgumentError('targetSquaredNorm', targetSquaredNorm, 'a finite number ≥ 0');
  const norm = nrm2(weights);
  const scale = Math.sqrt(Math.max(norm * norm, targetSquaredNorm) / weights.length);
  return scale > 0 ? 0.01 * scale : 1e-3;
}
