/**
 * Plain gradient descent with a fixed step, per-block learning rates, sampled history, stopping
 * reasons and divergence detection.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, assertFiniteNumber, assertFiniteVector } from '@shallowscape/linalg';
import { DivergenceError } from './divergence-error';
import { assertParameterVector, objectiveLayout, type BlockLayout, type Objective } from './objective';

/**
 * A learning rate: one positive number for all parameters, or one number per parameter block
 * keyed by the block's name (`0` freezes a block).
 */
export type LearningRate = number | Readonly<Record<string, number>>;

/** What an `onStep` callback sees at step $t$ (before the update $x_t \to x_{t+1}$). */
export interface StepInfo {
  /** The step $t$ (0 is the starting point). */
  readonly step: number;
  /** $f(x_t)$. */
  readonly value: number;
  /** $\|\nabla f(x_t)\|_2$ over all parameters. */
  readonly gradientNorm: number;
  /** The iterate $x_t$: a live view, valid only during the callback; copy it to keep it. */
  readonly x: Float64Array;
  /** The gradient $\nabla f(x_t)$: a live view, valid only during the callback. */
  readonly gradient: Float64Array;
}

/** Options of {@link gradientDescent}. */
export interface GradientDescentOptions {
  /** Step size $\eta > 0$, or $\eta_b \ge 0$ per block name (every block must be given). */
  learningRate: LearningRate;
  /** Maximum number of updates $T$ (a non-negative integer). */
  maxSteps: number;
  /** Stop once $\|\nabla f(x_t)\|_2 \le$ `gradientTolerance`. Default `0` (only an exact stationary point stops early). */
  gradientTolerance?: number;
  /** Record the history every `historyEvery` steps (and always at the first and last step). Default `1`. */
  historyEvery?: number;
  /** Called at every step; returning `false` stops the run (reason `"callback"`). */
  onStep?: (info: StepInfo) => void | boolean;
  /**
   * A finite value above which the run counts as diverged. Default
   * $10^{12} \max(1, |f(x_0)|)$.
   */
  divergenceThreshold?: number;
}

/** Why a run stopped. */
export type StopReason = 'gradient-tolerance' | 'max-steps' | 'callback';

/** Values recorded every `historyEvery` steps, as parallel arrays. */
export interface OptimizationHistory {
  /** The recorded steps $t$, increasing. */
  step: number[];
  /** $f(x_t)$ at those steps. */
  value: number[];
  /** $\|\nabla f(x_t)\|_2$ at those steps. */
  gradientNorm: number[];
}

/** The result of {@link gradientDescent}. */
export interface GradientDescentResult {
  /** The final iterate $x_T$ (a new array). */
  x: Float64Array;
  /** $f(x_T)$. */
  value: number;
  /** $\|\nabla f(x_T)\|_2$. */
  gradientNorm: number;
  /** The number of updates made, $T$. */
  steps: number;
  /** Why the run stopped. */
  reason: StopReason;
  /** The sampled history, including steps $0$ and $T$. */
  history: OptimizationHistory;
}

function resolveLearningRates(rate: unknown, blocks: BlockLayout[]): number[] {
  if (typeof rate === 'number') {
    if (!Number.isFinite(rate) || rate <= 0) throw new InvalidArgumentError('learningRate', rate, 'a positive finite number');
    return blocks.map(() => rate);
  }
  if (rate === null || typeof rate !== 'object' || Array.isArray(rate)) {
    throw new InvalidArgumentError('learningRate', rate, 'a positive number or a record { blockName: rate }');
  }
  const record = rate as Record<string, unknown>;
  const names = new Set(blocks.map((b) => b.name));
  for (const key of Object.keys(record)) {
    if (!names.has(key)) {
      throw new InvalidArgumentError(`learningRate.${key}`, record[key], `a key among the block names ${[...names].join(', ')}`);
    }
  }
  return blocks.map((b) => {
    const r = record[b.name];
    if (typeof r !== 'number' || !Number.isFinite(r) || r < 0) {
      throw new InvalidArgumentError(`learningRate.${b.name}`, r, 'a finite number ≥ 0 (0 freezes the block)');
    }
    return r;
  });
}

function norm2(v: Float64Array): number {
  // Scaled to avoid overflow for large finite gradients (as in BLAS dnrm2); NaN and ±Infinity
  // entries propagate (Math.max returns NaN when any argument is NaN).
  let scale = 0;
  for (let k = 0; k < v.length; k++) scale = Math.max(scale, Math.abs(v[k]!));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let k = 0; k < v.length; k++) {
    const t = v[k]! / scale;
    s += t * t;
  }
  return scale * Math.sqrt(s);
}

/**
 * Minimises an {@link Objective} by gradient descent with a fixed step:
 *
 * $$x_{t+1} = x_t - \eta \odot \nabla f(x_t),$$
 *
 * where $\eta$ is one learning rate, or one rate $\eta_b$ per parameter block (applied to that
 * block's coordinates). On a quadratic $f(x) = \tfrac12 x^\top A x - b^\top x$ the error
 * $x_t - x^*$ contracts by $\max_i |1 - \eta\lambda_i(A)|$ per step, so $\eta < 2/\lambda_{\max}$
 * is needed.
 *
 * The run stops when $\|\nabla f(x_t)\|_2 \le$ `gradientTolerance` (reason
 * `"gradient-tolerance"`), after `maxSteps` updates (`"max-steps"`), or when `onStep` returns
 * `false` (`"callback"`). It throws a {@link DivergenceError} naming the step when $f(x_t)$ or
 * $\|\nabla f(x_t)\|$ is NaN or infinite, or $f(x_t)$ exceeds `divergenceThreshold`.
 *
 * @param objective - the function $f$ to minimise, with its parameter blocks.
 * @param x0 - the starting point $x_0$, a Float64Array of length $n = \sum_b \mathrm{size}_b$ (not modified).
 * @param options - learning rate(s), step budget, tolerance, history sampling, callback.
 * @returns the final iterate, its value and gradient norm, the step count, the stop reason and the history.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for an invalid objective or option
 *   (non-positive learning rate, a rate record missing a block or naming an unknown one,
 *   negative or fractional `maxSteps`, `historyEvery < 1`, negative tolerance).
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `x0` does not have length $n$.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `x0` has a NaN or infinite entry.
 * @throws {@link DivergenceError} when the iterates diverge (see above).
 * @see Nocedal and Wright, *Numerical Optimization*, 2nd ed. (2006), §3.3 (the linear rate of steepest
 *   descent on quadratics).
 * @example
 * ```ts
 * // f(x) = ½ (x₀² + 4 x₁²), minimised at 0; with η = 0.25 the second coordinate is solved in one step.
 * const objective = {
 *   blocks: [{ name: 'x', size: 2 }],
 *   value: (x: Float64Array) => 0.5 * (x[0]! ** 2 + 4 * x[1]! ** 2),
 *   gradient: (x: Float64Array, out = new Float64Array(2)) => {
 *     out[0] = x[0]!;
 *     out[1] = 4 * x[1]!;
 *     return out;
 *   },
 * };
 * const result = gradientDescent(objective, Float64Array.of(1, 1), { learningRate: 0.25, maxSteps: 2 });
 * result.x; // => [0.5625, 0]
 * result.reason; // => "max-steps"
 * result.history.value; // => [2.5, 0.28125, 0.158203125]
 * ```
 */
export function gradientDescent(objective: Objective, x0: Float64Array, options: GradientDescentOptions): GradientDescentResult {
  const { blocks, dimension } = objectiveLayout(objective);
  assertParameterVector('x0', x0, dimension);
  assertFiniteVector('x0', x0);
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError('options', options, 'an options object { learningRate, maxSteps }');
  }
  const rates = resolveLearningRates(options.learningRate, blocks);
  const { maxSteps } = options;
  if (typeof maxSteps !== 'number' || !Number.isSafeInteger(maxSteps) || maxSteps < 0) {
    throw new InvalidArgumentError('maxSteps', maxSteps, 'a non-negative integer');
  }
  const tolerance = options.gradientTolerance ?? 0;
  assertFiniteNumber('gradientTolerance', tolerance);
  if (tolerance < 0) throw new InvalidArgumentError('gradientTolerance', tolerance, 'a number ≥ 0');
  const every = options.historyEvery ?? 1;
  if (typeof every !== 'number' || !Number.isSafeInteger(every) || every < 1) {
    throw new InvalidArgumentError('historyEvery', every, 'a positive integer');
  }
  const onStep = options.onStep;
  if (onStep !== undefined && typeof onStep !== 'function') throw new InvalidArgumentError('onStep', onStep, 'a function');
  let threshold = options.divergenceThreshold;
  if (threshold !== undefined) assertFiniteNumber('divergenceThreshold', threshold);

  const x = x0.slice();
  const g = new Float64Array(dimension);
  const evaluate = (): number => {
    if (typeof objective.valueAndGradient === 'function') return objective.valueAndGradient(x, g);
    const r = objective.gradient(x, g);
    if (r !== g) g.set(r);
    return objective.value(x);
  };
  const history: OptimizationHistory = { step: [], value: [], gradientNorm: [] };
  const method = 'gradient descent';

  for (let t = 0; ; t++) {
    const value = evaluate();
    const gradientNorm = norm2(g);
    if (!Number.isFinite(value)) throw new DivergenceError(method, t, 'value', value);
    if (!Number.isFinite(gradientNorm)) throw new DivergenceError(method, t, 'gradient norm', gradientNorm);
    if (t === 0 && threshold === undefined) threshold = 1e12 * Math.max(1, Math.abs(value));
    if (value > threshold!) throw new DivergenceError(method, t, 'value', value, threshold);

    let reason: StopReason | undefined;
    if (onStep !== undefined && onStep({ step: t, value, gradientNorm, x, gradient: g }) === false) reason = 'callback';
    else if (gradientNorm <= tolerance) reason = 'gradient-tolerance';
    else if (t === maxSteps) reason = 'max-steps';

    if (t % every === 0 || reason !== undefined) {
      history.step.push(t);
      history.value.push(value);
      history.gradientNorm.push(gradientNorm);
    }
    if (reason !== undefined) return { x, value, gradientNorm, steps: t, reason, history };

    for (let b = 0; b < blocks.length; b++) {
      const eta = rates[b]!;
      if (eta === 0) continue;
      const { offset, size } = blocks[b]!;
      for (let k = offset; k < offset + size; k++) x[k]! -= eta * g[k]!;
    }
  }
}
