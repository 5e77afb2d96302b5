/**
 * `minimize`: gradient descent (fixed step or Armijo backtracking), heavy-ball and Nesterov
 * momentum, Adam and L-BFGS over an {@link Objective}, with per-block learning rates, stopping
 * rules, a sampled history, progress callbacks, interruption and divergence detection.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, assertDimension, assertFiniteNumber, assertFiniteVector, checkPositiveInteger } from '@shallowscape/linalg';
import { DivergenceError } from './divergence-error';
import { resolveLearningRate, type LearningRate, type ResolvedLearningRate } from './learning-rate';
import { assertParameterVector, objectiveLayout, type Objective } from './objective';
import { createUpdateRule, type MinimizeMethod, type UpdateContext, type UpdateRule } from './update-rules';

export type { MinimizeMethod } from './update-rules';

/** What an `onStep` callback sees at step $t$ (after evaluating $x_t$, before the update to $x_{t+1}$). */
export interface StepInfo {
  /** The step $t$ (0 is the starting point). */
  readonly step: number;
  /** $f(x_t)$. */
  readonly value: number;
  /** $\|\nabla f(x_t)\|_2$ over the trainable parameters (frozen blocks excluded). */
  readonly gradientNorm: number;
  /** The iterate $x_t$: a live read-only view, valid only during the callback; copy it to keep it. */
  readonly x: Readonly<Float64Array>;
  /** The gradient $\nabla f(x_t)$ (all blocks): a live read-only view, valid only during the callback. */
  readonly gradient: Readonly<Float64Array>;
  /** Milliseconds since the run started (`performance.now()`). */
  readonly elapsedMs: number;
}

/**
 * Why a run stopped. The first three mean convergence:
 * - `"gradient-tolerance"`: $\|\nabla f(x_t)\|_2 \le$ `gradientTolerance` (always when the gradient is exactly 0);
 * - `"value-tolerance"`: $f(x_t) \le$ `valueTolerance` (e.g. zero training risk);
 * - `"relative-change"`: $|f(x_t) - f(x_{t-1})| \le$ `relativeChangeTolerance` $\cdot \max(|f(x_t)|, |f(x_{t-1})|)$,
 *   or no step can decrease $f$ any more (a line search found no decrease even along the steepest
 *   descent direction, a relative change of exactly 0);
 * - `"max-steps"`, `"time-budget"`: a budget ran out;
 * - `"callback"`: `onStep` returned `false`;
 * - `"interrupted"`: the `signal` was aborted.
 */
export type StopReason =
  | 'gradient-tolerance'
  | 'value-tolerance'
  | 'relative-change'
  | 'max-steps'
  | 'time-budget'
  | 'callback'
  | 'interrupted';

/** Values recorded every `historyEvery` steps (and at the first and last step), as parallel arrays. */
export interface OptimizationHistory {
  /** The recorded steps $t$, increasing. */
  step: number[];
  /** $f(x_t)$ at those steps. */
  value: number[];
  /** $\|\nabla f(x_t)\|_2$ (trainable parameters) at those steps. */
  gradientNorm: number[];
  /** Milliseconds since the start of the run when $x_t$ had been evaluated. */
  time: number[];
}

/** Options of {@link minimize}. */
export interface MinimizeOptions {
  /** The method: `"gd"`, `"momentum"` (heavy ball), `"nesterov"`, `"adam"` or `"lbfgs"`. */
  method: MinimizeMethod;
  /**
   * Step size $\eta > 0$, or $\eta_b \ge 0$ per block name (every block must be named; `0`
   * freezes a block: its parameters stay bit-for-bit as in $x_0$). Defaults: `gd` 0.01 (with
   * Armijo: 1, the first and largest trial step), `momentum` and `nesterov` 0.01, `adam` 0.001,
   * `lbfgs` 1. For L-BFGS the rates form a fixed diagonal preconditioner $D = \operatorname{diag}(\eta)$:
   * the method runs in the variables $z = D^{-1/2}x$, so a single scalar rate only scales the
   * first trial step.
   */
  learningRate?: LearningRate;
  /**
   * `"armijo"`: backtracking for `gd` (rejected for other methods). Default `"none"`. L-BFGS
   * always runs its strong Wolfe line search.
   */
  lineSearch?: 'none' | 'armijo';
  /** Momentum $\beta \in [0, 1)$ of `momentum` and `nesterov`. Default 0.9. */
  momentum?: number;
  /** Adam's $\beta_1, \beta_2 \in [0, 1)$ and $\epsilon > 0$. Defaults 0.9, 0.999, 1e-8. */
  adam?: { beta1?: number; beta2?: number; epsilon?: number };
  /** L-BFGS memory $m$ (a positive integer). Default 10. */
  lbfgs?: { memory?: number };
  /** Maximum number of updates $T$ (a non-negative integer). */
  maxSteps: number;
  /** Stop once $\|\nabla f(x_t)\|_2 \le$ this (trainable parameters). Default 0: only an exact stationary point. */
  gradientTolerance?: number;
  /** Stop once $f(x_t) \le$ this (a finite number). Default: no value test. */
  valueTolerance?: number;
  /** Stop once $|f_t - f_{t-1}| \le$ this $\cdot \max(|f_t|, |f_{t-1}|)$ (a number $\ge 0$). Default: no such test. */
  relativeChangeTolerance?: number;
  /** Stop once this many milliseconds have passed (checked after each evaluated iterate). Default $\infty$. */
  timeBudgetMs?: number;
  /** Record the history every `historyEvery` steps (a positive integer), and at the first and last. Default 1. */
  historyEvery?: number;
  /** Stops the run (reason `"interrupted"`) at the next iterate once aborted, returning that iterate. */
  signal?: AbortSignal;
  /** Called at every iterate $t = 0, 1, \dots, T$; returning `false` stops the run (reason `"callback"`). */
  onStep?: (info: StepInfo) => void | boolean;
  /** A finite value above which the run counts as diverged. Default $10^{12}\max(1, |f(x_0)|)$. */
  divergenceThreshold?: number;
}

/** Options of {@link minimizeAsync}: those of {@link minimize}, and how often to yield. */
export interface MinimizeAsyncOptions extends MinimizeOptions {
  /** Yield to the event loop at the first iterate after this many milliseconds without yielding (a number $\ge 0$). Default 25. */
  yieldIntervalMs?: number;
}

/** The result of {@link minimize}. */
export interface MinimizeResult {
  /** The method used. */
  method: MinimizeMethod;
  /** The final iterate $x_T$ (a new array; $x_0$ is never modified). */
  x: Float64Array;
  /** $f(x_T)$. */
  value: number;
  /** $\|\nabla f(x_T)\|_2$ over the trainable parameters. */
  gradientNorm: number;
  /** The number of updates made, $T$. */
  steps: number;
  /** Why the run stopped. */
  reason: StopReason;
  /** Whether `reason` is `"gradient-tolerance"`, `"value-tolerance"` or `"relative-change"`. */
  converged: boolean;
  /** The sampled history, including steps $0$ and $T$. */
  history: OptimizationHistory;
  /** Number of points at which the objective was evaluated (line-search trials included). */
  evaluations: number;
  /** Milliseconds the run took. */
  elapsedMs: number;
}

const METHODS: readonly MinimizeMethod[] = ['gd', 'momentum', 'nesterov', 'adam', 'lbfgs'];

function methodLabel(method: MinimizeMethod, armijo: boolean): string {
  switch (method) {
    case 'gd':
      return armijo ? 'gradient descent with Armijo backtracking' : 'gradient descent';
    case 'momentum':
      return 'heavy-ball momentum';
    case 'nesterov':
      return 'Nesterov momentum';
    case 'adam':
      return 'Adam';
    case 'lbfgs':
      return 'L-BFGS';
  }
}

function defaultLearningRate(method: MinimizeMethod, armijo: boolean): number {
  switch (method) {
    case 'gd':
      return armijo ? 1 : 0.01;
    case 'momentum':
    case 'nesterov':
      return 0.01;
    case 'adam':
      return 0.001;
    case 'lbfgs':
      return 1;
  }
}

function optionalNumber(name: string, value: unknown, fallback: number, check: (v: number) => boolean, expected: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || !check(value)) throw new InvalidArgumentError(name, value, expected);
  return value;
}

/** An optional integer option: `fallback` when absent, else checked to be $\ge$ `min` (0 or 1). */
function optionalInteger(name: string, value: unknown, fallback: number, min: 0 | 1): number {
  if (value === undefined) return fallback;
  if (min === 1) return checkPositiveInteger(name, value);
  assertDimension(name, value);
  return value;
}

const unitInterval = (v: number): boolean => v >= 0 && v < 1;

/** The validated, defaulted configuration of a run. */
interface RunConfig {
  method: MinimizeMethod;
  label: string;
  armijo: boolean;
  rates: ResolvedLearningRate;
  momentum: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  memory: number;
  maxSteps: number;
  gradientTolerance: number;
  valueTolerance: number;
  relativeChangeTolerance: number | undefined;
  timeBudgetMs: number;
  historyEvery: number;
  signal: AbortSignal | undefined;
  onStep: ((info: StepInfo) => void | boolean) | undefined;
  divergenceThreshold: number | undefined;
}

function resolveOptions(objective: Objective, x0: Float64Array, options: MinimizeOptions): RunConfig {
  const { blocks, dimension } = objectiveLayout(objective);
  assertParameterVector('x0', x0, dimension);
  assertFiniteVector('x0', x0);
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError('options', options, 'an options object { method, maxSteps, ... }');
  }
  const method = options.method;
  if (!METHODS.includes(method)) {
    throw new InvalidArgumentError('method', method, `one of ${METHODS.map((m) => `"${m}"`).join(', ')}`);
  }
  const lineSearch = options.lineSearch ?? 'none';
  if (lineSearch !== 'none' && lineSearch !== 'armijo') throw new InvalidArgumentError('lineSearch', lineSearch, '"none" or "armijo"');
  const armijo = lineSearch === 'armijo';
  if (armijo && method !== 'gd') {
    throw new InvalidArgumentError('lineSearch', lineSearch, `"none" with method "${method}" (Armijo backtracking applies to "gd" only)`);
  }
  const rates = resolveLearningRate(options.learningRate ?? defaultLearningRate(method, armijo), blocks, dimension);
  const momentum = optionalNumber('momentum', options.momentum, 0.9, unitInterval, 'a number in [0, 1)');
  const adam = options.adam ?? {};
  if (adam === null || typeof adam !== 'object') throw new InvalidArgumentError('adam', adam, 'an object { beta1?, beta2?, epsilon? }');
  const beta1 = optionalNumber('adam.beta1', adam.beta1, 0.9, unitInterval, 'a number in [0, 1)');
  const beta2 = optionalNumber('adam.beta2', adam.beta2, 0.999, unitInterval, 'a number in [0, 1)');
  const epsilon = optionalNumber('adam.epsilon', adam.epsilon, 1e-8, (v) => v > 0 && Number.isFinite(v), 'a positive finite number');
  const lbfgs = options.lbfgs ?? {};
  if (lbfgs === null || typeof lbfgs !== 'object') throw new InvalidArgumentError('lbfgs', lbfgs, 'an object { memory? }');
  const memory = optionalInteger('lbfgs.memory', lbfgs.memory, 10, 1);
  if (options.maxSteps === undefined) throw new InvalidArgumentError('maxSteps', undefined, 'a non-negative integer');
  const maxSteps = optionalInteger('maxSteps', options.maxSteps, 0, 0);
  const finiteNonNegative = (v: number): boolean => v >= 0 && Number.isFinite(v);
  const gradientTolerance = optionalNumber('gradientTolerance', options.gradientTolerance, 0, finiteNonNegative, 'a finite number ≥ 0');
  const valueTolerance = optionalNumber('valueTolerance', options.valueTolerance, -Infinity, Number.isFinite, 'a finite number');
  const relativeChangeTolerance =
    options.relativeChangeTolerance === undefined
      ? undefined
      : optionalNumber('relativeChangeTolerance', options.relativeChangeTolerance, 0, finiteNonNegative, 'a finite number ≥ 0');
  const timeBudgetMs = optionalNumber('timeBudgetMs', options.timeBudgetMs, Infinity, (v) => v >= 0, 'a number ≥ 0 (milliseconds)');
  const historyEvery = optionalInteger('historyEvery', options.historyEvery, 1, 1);
  const signal = options.signal;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.aborted !== 'boolean')) {
    throw new InvalidArgumentError('signal', signal, 'an AbortSignal');
  }
  const onStep = options.onStep;
  if (onStep !== undefined && typeof onStep !== 'function') throw new InvalidArgumentError('onStep', onStep, 'a function');
  const divergenceThreshold = options.divergenceThreshold;
  if (divergenceThreshold !== undefined) assertFiniteNumber('divergenceThreshold', divergenceThreshold);
  return {
    method,
    label: methodLabel(method, armijo),
    armijo,
    rates,
    momentum,
    beta1,
    beta2,
    epsilon,
    memory,
    maxSteps,
    gradientTolerance,
    valueTolerance,
    relativeChangeTolerance,
    timeBudgetMs,
    historyEvery,
    signal,
    onStep,
    divergenceThreshold,
  };
}

/** $\|v\|_2$ over the given ranges, scaled against overflow (as BLAS dnrm2); NaN and ±∞ propagate. */
function rangeNorm(v: Float64Array, ranges: Int32Array): number {
  let scale = 0;
  for (let r = 0; r < ranges.length; r += 2) {
    for (let k = ranges[r]!; k < ranges[r + 1]!; k++) {
      const a = Math.abs(v[k]!);
      if (!(a <= scale)) {
        if (Number.isNaN(a)) return a;
        scale = a;
      }
    }
  }
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let r = 0; r < ranges.length; r += 2) {
    for (let k = ranges[r]!; k < ranges[r + 1]!; k++) {
      const t = v[k]! / scale;
      s += t * t;
    }
  }
  return scale * Math.sqrt(s);
}

/** The first non-finite entry of `v` outside the ranges (frozen coordinates), or undefined. */
function frozenNonFinite(v: Float64Array, ranges: Int32Array): number | undefined {
  let k = 0;
  for (let r = 0; r <= ranges.length; r += 2) {
    const end = r < ranges.length ? ranges[r]! : v.length;
    for (; k < end; k++) if (!Number.isFinite(v[k]!)) return v[k]!;
    if (r < ranges.length) k = ranges[r + 1]!;
  }
  return undefined;
}

/** One run of {@link minimize}: the state between iterates. */
class MinimizeRun {
  private readonly config: RunConfig;
  private readonly ctx: UpdateContext;
  private readonly update: UpdateRule;
  private readonly history: OptimizationHistory = { step: [], value: [], gradientNorm: [], time: [] };
  private readonly start: number;
  private evaluations = 0;
  private threshold: number;
  private t = 0;
  private gradientNorm = 0;
  private previousValue = Number.NaN;
  private elapsed = 0;

  constructor(objective: Objective, x0: Float64Array, options: MinimizeOptions) {
    const config = resolveOptions(objective, x0, options);
    this.config = config;
    this.start = performance.now();
    const x = x0.slice();
    const g = new Float64Array(x.length);
    const fused = typeof objective.valueAndGradient === 'function';
    const ctx: UpdateContext = {
      x,
      g,
      f: Number.NaN,
      eta: config.rates.perCoordinate,
      ranges: config.rates.ranges,
      fused,
      evaluate: (z, out) => {
        this.evaluations++;
        if (fused) return objective.valueAndGradient!(z, out);
        const r = objective.gradient(z, out);
        if (r !== out) out.set(r);
        return objective.value(z);
      },
      evaluateValue: (z) => {
        this.evaluations++;
        return objective.value(z);
      },
      evaluateGradient: (z, out) => {
        const r = objective.gradient(z, out);
        if (r !== out) out.set(r);
      },
    };
    this.ctx = ctx;
    this.update = createUpdateRule(ctx, config);
    ctx.f = ctx.evaluate(x, g);
    this.threshold = config.divergenceThreshold ?? 1e12 * Math.max(1, Math.abs(ctx.f));
    this.checkIterate();
  }

  /** Checks $x_t$ for divergence and computes its gradient norm. */
  private checkIterate(): void {
    const { f, g, ranges } = this.ctx;
    const { label } = this.config;
    if (!Number.isFinite(f)) throw new DivergenceError(label, this.t, 'value', f);
    const norm = rangeNorm(g, ranges);
    if (!Number.isFinite(norm)) throw new DivergenceError(label, this.t, 'gradient norm', norm);
    const frozen = frozenNonFinite(g, ranges);
    if (frozen !== undefined) throw new DivergenceError(label, this.t, 'gradient norm', frozen);
    if (f > this.threshold) throw new DivergenceError(label, this.t, 'value', f, this.threshold);
    this.gradientNorm = norm;
    this.elapsed = performance.now() - this.start;
  }

  private record(): void {
    const h = this.history;
    if (h.step.length > 0 && h.step[h.step.length - 1] === this.t) return;
    h.step.push(this.t);
    h.value.push(this.ctx.f);
    h.gradientNorm.push(this.gradientNorm);
    h.time.push(this.elapsed);
  }

  private finish(reason: StopReason): MinimizeResult {
    this.record();
    return {
      method: this.config.method,
      x: this.ctx.x,
      value: this.ctx.f,
      gradientNorm: this.gradientNorm,
      steps: this.t,
      reason,
      converged: reason === 'gradient-tolerance' || reason === 'value-tolerance' || reason === 'relative-change',
      history: this.history,
      evaluations: this.evaluations,
      elapsedMs: this.elapsed,
    };
  }

  /** Decides whether to stop at the current iterate (calling `onStep`), and otherwise updates to the next one. */
  advance(): MinimizeResult | undefined {
    const c = this.config;
    const f = this.ctx.f;
    const t = this.t;
    let reason: StopReason | undefined;
    if (this.gradientNorm <= c.gradientTolerance) reason = 'gradient-tolerance';
    else if (f <= c.valueTolerance) reason = 'value-tolerance';
    else if (
      t > 0 &&
      c.relativeChangeTolerance !== undefined &&
      Math.abs(f - this.previousValue) <= c.relativeChangeTolerance * Math.max(Math.abs(f), Math.abs(this.previousValue))
    ) {
      reason = 'relative-change';
    }
    if (c.onStep !== undefined) {
      const info: StepInfo = { step: t, value: f, gradientNorm: this.gradientNorm, x: this.ctx.x, gradient: this.ctx.g, elapsedMs: this.elapsed };
      if (c.onStep(info) === false && reason === undefined) reason = 'callback';
    }
    if (reason === undefined) {
      if (t >= c.maxSteps) reason = 'max-steps';
      else if (this.elapsed >= c.timeBudgetMs) reason = 'time-budget';
      else if (c.signal?.aborted === true) reason = 'interrupted';
    }
    if (reason !== undefined) return this.finish(reason);
    if (t % c.historyEvery === 0) this.record();

    this.previousValue = f;
    if (!this.update()) return this.finish('relative-change');
    this.t = t + 1;
    this.checkIterate();
    return undefined;
  }
}

/**
 * Minimises an {@link Objective} from $x_0$ by one of five methods, with per-block learning
 * rates $\eta$ ($\odot$: per coordinate):
 *
 * - `"gd"`: $x_{t+1} = x_t - \eta \odot \nabla f(x_t)$; with `lineSearch: "armijo"` the step is
 *   $\alpha_t \eta \odot \nabla f(x_t)$ with $\alpha_t$ halved until
 *   $f(x_{t+1}) \le f(x_t) - c_1 \alpha_t \nabla f^\top \operatorname{diag}(\eta) \nabla f$, $c_1 = 10^{-4}$,
 *   and doubled (up to 1) after a step accepted at its first trial;
 * - `"momentum"` (Polyak's heavy ball): $v_{t+1} = \beta v_t - \eta \odot \nabla f(x_t)$, $x_{t+1} = x_t + v_{t+1}$;
 * - `"nesterov"`: $v_{t+1} = \beta v_t - \eta \odot \nabla f(x_t + \beta v_t)$, $x_{t+1} = x_t + v_{t+1}$,
 *   run in the look-ahead variables $y_t = x_t + \beta v_t$ (one gradient per step; the reported
 *   iterate is $y_t$, which converges to the same minimiser);
 * - `"adam"` (Kingma & Ba): $m_{t+1} = \beta_1 m_t + (1 - \beta_1) g_t$,
 *   $v_{t+1} = \beta_2 v_t + (1 - \beta_2) g_t^2$,
 *   $x_{t+1} = x_t - \eta \odot \hat m / (\sqrt{\hat v} + \epsilon)$ with the bias corrections
 *   $\hat m = m_{t+1}/(1 - \beta_1^{t+1})$, $\hat v = v_{t+1}/(1 - \beta_2^{t+1})$;
 * - `"lbfgs"`: $x_{t+1} = x_t + \alpha_t p_t$ with $p_t = -H_t \nabla f(x_t)$ from the two-loop
 *   recursion over the last $m$ pairs $(s, y)$, $H_0 = \gamma D$ with $D = \operatorname{diag}(\eta)$
 *   and $\gamma = s^\top y / (y^\top D y)$, and $\alpha_t$ from a strong Wolfe line search
 *   ($c_1 = 10^{-4}$, $c_2 = 0.9$; bracketing, then zoom by safeguarded cubic interpolation)
 *   tried first at $\alpha = 1$. A pair with $s^\top y \le 10^{-10}\|D^{-1/2}s\|\|D^{1/2}y\|$ is not
 *   stored; a direction with $\nabla f^\top p \ge 0$ resets the memory to steepest descent.
 *
 * A block with rate 0 is frozen: its coordinates are never written, and it is left out of the
 * gradient norm. The run stops at the first iterate $x_t$ where (in this order)
 * $\|\nabla f(x_t)\| \le$ `gradientTolerance` (always when the trainable gradient is exactly 0,
 * so an exact minimum, such as zero training risk, ends the run before any line search),
 * $f(x_t) \le$ `valueTolerance`, the relative change of $f$ is at most
 * `relativeChangeTolerance`, `onStep` returned `false`, $t =$ `maxSteps`, `timeBudgetMs` has
 * passed, or `signal` was aborted (see {@link StopReason}). Every iterate is checked: a NaN or
 * infinite value or gradient, or $f(x_t) >$ `divergenceThreshold`, throws a
 * {@link DivergenceError} naming the step, the method and the value; no NaN result is ever
 * returned. Line-search trials with a non-finite value count as steps too long, not as divergence.
 *
 * The function runs synchronously: an `AbortSignal` is seen only when it is aborted from the
 * objective or from `onStep`; use {@link minimizeAsync} to let timers and signal handlers abort
 * a run.
 *
 * @param objective - the function $f$ to minimise, with its parameter blocks.
 * @param x0 - the starting point $x_0 \in \mathbb{R}^n$, a finite Float64Array of length $n = \sum_b \mathrm{size}_b$ (not modified).
 * @param options - method, learning rate(s), method parameters, budgets, tolerances, history, callback, signal.
 * @returns the final iterate, its value and gradient norm, the step count, the stop reason, `converged`, the history and the evaluation count.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming the option and its value: an
 *   unknown method, a non-positive learning rate, a rate record with an unknown or missing block
 *   name or freezing every block, `lineSearch: "armijo"` with a method other than `"gd"`, a
 *   momentum or Adam $\beta$ outside $[0, 1)$, a non-positive $\epsilon$, a memory below 1,
 *   `maxSteps` not a non-negative integer, a negative tolerance or budget, `historyEvery < 1`,
 *   a `signal` that is not an AbortSignal; also for a malformed objective.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `x0` does not have length $n$.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `x0` has a NaN or infinite entry.
 * @throws {@link DivergenceError} when an iterate diverges (see above).
 * @see Nocedal and Wright, *Numerical Optimization*, 2nd ed. (2006): §3.1 (Armijo backtracking),
 *   Algorithms 3.5–3.6 (strong Wolfe line search), Algorithm 7.4 (L-BFGS two-loop recursion).
 * @see B. T. Polyak, "Some methods of speeding up the convergence of iteration methods" (1964) (heavy ball).
 * @see Y. Nesterov, "A method for solving the convex programming problem with convergence rate O(1/k²)" (1983).
 * @see D. P. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
 * @example
 * ```ts
 * // Rosenbrock f(x, y) = (1 − x)² + 100 (y − x²)², minimised at (1, 1).
 * const rosenbrock = {
 *   blocks: [{ name: 'xy', size: 2 }],
 *   value: (p: Float64Array) => (1 - p[0]!) ** 2 + 100 * (p[1]! - p[0]! ** 2) ** 2,
 *   gradient: (p: Float64Array, out = new Float64Array(2)) => {
 *     out[0] = -2 * (1 - p[0]!) - 400 * p[0]! * (p[1]! - p[0]! ** 2);
 *     out[1] = 200 * (p[1]! - p[0]! ** 2);
 *     return out;
 *   },
 * };
 * const result = minimize(rosenbrock, Float64Array.of(-1.2, 1), { method: 'lbfgs', maxSteps: 100, gradientTolerance: 1e-10 });
 * result.reason; // => "gradient-tolerance"
 * result.converged; // => true
 * result.x; // => [1.00000000, 1.00000000]
 *
 * // Zero risk: f(x) = x₀² + x₁² reached exactly by one gradient step with η = ½.
 * const square = {
 *   blocks: [{ name: 'x', size: 2 }],
 *   value: (p: Float64Array) => p[0]! ** 2 + p[1]! ** 2,
 *   gradient: (p: Float64Array, out = new Float64Array(2)) => out.map((_, i) => 2 * p[i]!),
 * };
 * const exact = minimize(square, Float64Array.of(3, -4), { method: 'gd', learningRate: 0.5, maxSteps: 10 });
 * [exact.steps, exact.value, exact.reason]; // => [1, 0, "gradient-tolerance"]
 * minimize(square, Float64Array.of(1, 2), { method: 'sgd' as 'gd', maxSteps: 1 }); // throws InvalidArgumentError
 * ```
 */
export function minimize(objective: Objective, x0: Float64Array, options: MinimizeOptions): MinimizeResult {
  const run = new MinimizeRun(objective, x0, options);
  for (;;) {
    const result = run.advance();
    if (result !== undefined) return result;
  }
}

const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });

/**
 * {@link minimize}, yielding to the event loop every `yieldIntervalMs` milliseconds so that an
 * `AbortSignal` aborted by a timer or a signal handler (Ctrl-C in the CLI) stops the run with
 * reason `"interrupted"` at the next iterate, keeping the last evaluated iterate $x_t$. The
 * iterates are those of {@link minimize}, bit for bit.
 *
 * @param objective - the function $f$ to minimise.
 * @param x0 - the starting point $x_0$ (length $n$, finite; not modified).
 * @param options - the options of {@link minimize}, and `yieldIntervalMs` (default 25).
 * @returns a promise of the {@link MinimizeResult}.
 * @throws (rejects with) the errors of {@link minimize}.
 * @see {@link minimize} for the methods and references.
 * @example
 * ```ts
 * const quadratic = {
 *   blocks: [{ name: 'x', size: 1 }],
 *   value: (p: Float64Array) => 0.5 * p[0]! ** 2,
 *   gradient: (p: Float64Array, out = new Float64Array(1)) => out.fill(p[0]!),
 * };
 * const controller = new AbortController();
 * controller.abort();
 * const result = await minimizeAsync(quadratic, Float64Array.of(4), { method: 'gd', learningRate: 0.5, maxSteps: 100, signal: controller.signal });
 * [result.reason, result.steps, result.x[0]]; // => ["interrupted", 0, 4]
 * ```
 */
export async function minimizeAsync(objective: Objective, x0: Float64Array, options: MinimizeAsyncOptions): Promise<MinimizeResult> {
  const interval = options?.yieldIntervalMs ?? 25;
  if (typeof interval !== 'number' || !(interval >= 0)) throw new InvalidArgumentError('yieldIntervalMs', interval, 'a number ≥ 0');
  const run = new MinimizeRun(objective, x0, options);
  let lastYield = performance.now();
  for (;;) {
    const result = run.advance();
    if (result !== undefined) return result;
    if (performance.now() - lastYield >= interval) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
}
