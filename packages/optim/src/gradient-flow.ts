/**
 * `gradientFlow`: the gradient flow $\dot x = -D\,\nabla f(x)$ of an {@link Objective}, with a
 * per-block rate diagonal $D$, integrated by the adaptive Dormand–Prince 5(4) Runge–Kutta pair.
 *
 * @packageDocumentation
 */
import { ConvergenceError, InvalidArgumentError, assertFiniteVector, describeValue } from '@shallowscape/linalg';
import { DivergenceError } from './divergence-error';
import { resolveLearningRate, type LearningRate, type ResolvedLearningRate } from './learning-rate';
import { assertParameterVector, objectiveLayout, type Objective } from './objective';

/**
 * Why {@link gradientFlow} stopped:
 * - `"end-time"`: the time reached `endTime` exactly;
 * - `"gradient-tolerance"`: $\|\nabla f(x(t))\|_2 \le$ `gradientTolerance` at an accepted step;
 * - `"max-steps"`: `maxSteps` accepted steps were taken;
 * - `"callback"`: `onStep` returned `false`;
 * - `"interrupted"`: the `signal` was aborted (the last accepted state is returned).
 */
export type GradientFlowStopReason = 'end-time' | 'gradient-tolerance' | 'max-steps' | 'callback' | 'interrupted';

/** What an `onStep` callback of {@link gradientFlow} sees at an accepted step. */
export interface GradientFlowStepInfo {
  /** Number of accepted steps so far (0 at the start). */
  readonly step: number;
  /** The time $t$. */
  readonly time: number;
  /** $f(x(t))$. */
  readonly value: number;
  /** $\|\nabla f(x(t))\|_2$ over the trainable (non-frozen) parameters. */
  readonly gradientNorm: number;
  /** The state $x(t)$: a live read-only view, valid only during the callback. */
  readonly x: Readonly<Float64Array>;
  /** The step size $h$ of the step that reached $t$ (0 at the start). */
  readonly stepSize: number;
}

/** Options of {@link gradientFlow}. */
export interface GradientFlowOptions {
  /** The final time $T > 0$ (finite, or `Infinity` with a `gradientTolerance` or a finite `maxSteps`). */
  endTime: number;
  /** Relative tolerance $r > 0$ of the local error test. Default $10^{-6}$. */
  rtol?: number;
  /** Absolute tolerance $a \ge 0$ of the local error test ($a = r = 0$ is refused). Default $10^{-9}$. */
  atol?: number;
  /** Maximum number of accepted steps (a positive integer). Default $10^5$. */
  maxSteps?: number;
  /**
   * The rate diagonal $D$: one positive number (time scaling) or a rate $\eta_b \ge 0$ per block
   * name (every block named; `0` freezes a block bit for bit). Default 1.
   */
  learningRate?: LearningRate;
  /** Stop once $\|\nabla f(x(t))\|_2 \le$ this (a finite number $\ge 0$). Default: no gradient test. */
  gradientTolerance?: number;
  /**
   * Record the history at the times $0, \Delta, 2\Delta, \dots$ (steps are clipped to land on
   * them) and at the final time. Default: at every accepted step.
   */
  recordEvery?: number;
  /** The first trial step $h_0 > 0$. Default: Hairer's starting-step algorithm. */
  initialStep?: number;
  /** Called at $t = 0$ and after every accepted step; returning `false` stops the run (reason `"callback"`). */
  onStep?: (info: GradientFlowStepInfo) => void | boolean;
  /** Stops the run (reason `"interrupted"`) at the next accepted step once aborted, keeping that state. */
  signal?: AbortSignal;
}

/** Values of {@link gradientFlow} recorded at increasing times, as parallel arrays. */
export interface GradientFlowHistory {
  /** The recorded times $t$, increasing, from 0 to the final time. */
  time: number[];
  /** $f(x(t))$ at those times. */
  value: number[];
  /** $\|\nabla f(x(t))\|_2$ (trainable parameters) at those times. */
  gradientNorm: number[];
}

/** The result of {@link gradientFlow}. */
export interface GradientFlowResult {
  /** The final state $x(t)$ (a new array; $x_0$ is not modified). */
  x: Float64Array;
  /** The final time $t$ (exactly `endTime` when `reason` is `"end-time"`). */
  time: number;
  /** $f(x(t))$. */
  value: number;
  /** $\|\nabla f(x(t))\|_2$ over the trainable parameters. */
  gradientNorm: number;
  /** Accepted steps. */
  steps: number;
  /** Rejected steps (local error above tolerance, or a non-finite trial). */
  rejectedSteps: number;
  /** Gradient evaluations. */
  evaluations: number;
  /** The recorded history, including $t = 0$ and the final time. */
  history: GradientFlowHistory;
  /** Why the run stopped. */
  reason: GradientFlowStopReason;
}

// Dormand–Prince 5(4) tableau (Hairer, Nørsett & Wanner, Table II.5.2).
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const B1 = 35 / 384, B3 = 500 / 1113, B4 = 125 / 192, B5 = -2187 / 6784, B6 = 11 / 84;
// E = b − b̂ (the error estimate weights; the 7th stage is the FSAL stage f(x_new)).
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;

// PI step control (dopri5): err^(−α) · errold^β with β = 0.04, α = 1/5 − 0.75 β; safety 0.9; step ratio in [1/5, 10].
const BETA = 0.04;
const ALPHA = 0.2 - 0.75 * BETA;
const SAFETY = 0.9;
const MIN_FACTOR = 0.2;
const MAX_FACTOR = 10;
const LABEL = 'gradient flow';

interface FlowConfig {
  endTime: number;
  rtol: number;
  atol: number;
  maxSteps: number;
  rates: ResolvedLearningRate;
  gradientTolerance: number | undefined;
  recordEvery: number;
  initialStep: number | undefined;
  onStep: ((info: GradientFlowStepInfo) => void | boolean) | undefined;
  signal: AbortSignal | undefined;
}

function numberOption(name: string, value: unknown, fallback: number | undefined, ok: (v: number) => boolean, expected: string): number | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || !ok(value)) throw new InvalidArgumentError(name, value, expected);
  return value;
}

function resolveFlowOptions(objective: Objective, x0: Float64Array, options: GradientFlowOptions): FlowConfig {
  const { blocks, dimension } = objectiveLayout(objective);
  assertParameterVector('x0', x0, dimension);
  assertFiniteVector('x0', x0);
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', options, 'an options object { endTime, ... }');
  const positiveFinite = (v: number): boolean => v > 0 && Number.isFinite(v);
  const finiteNonNegative = (v: number): boolean => v >= 0 && Number.isFinite(v);
  const endTime = numberOption('endTime', options.endTime, undefined, (v) => v > 0, 'a positive number (or Infinity)');
  if (endTime === undefined) throw new InvalidArgumentError('endTime', undefined, 'a positive number (or Infinity)');
  const rtol = numberOption('rtol', options.rtol, 1e-6, positiveFinite, 'a positive finite number')!;
  const atol = numberOption('atol', options.atol, 1e-9, finiteNonNegative, 'a finite number ≥ 0')!;
  if (rtol < 1e-14) throw new InvalidArgumentError('rtol', rtol, 'a number ≥ 1e-14 (tighter tolerances are below round-off)');
  const maxSteps = numberOption('maxSteps', options.maxSteps, 100_000, (v) => Number.isSafeInteger(v) && v >= 1, 'an integer ≥ 1')!;
  const gradientTolerance = numberOption('gradientTolerance', options.gradientTolerance, undefined, finiteNonNegative, 'a finite number ≥ 0');
  if (endTime === Infinity && gradientTolerance === undefined && options.maxSteps === undefined) {
    throw new InvalidArgumentError('endTime', endTime, 'a finite time, or Infinity together with gradientTolerance or maxSteps');
  }
  const recordEvery = numberOption('recordEvery', options.recordEvery, 0, positiveFinite, 'a positive finite time interval')!;
  const initialStep = numberOption('initialStep', options.initialStep, undefined, positiveFinite, 'a positive finite step');
  const rates = resolveLearningRate(options.learningRate ?? 1, blocks, dimension);
  const onStep = options.onStep;
  if (onStep !== undefined && typeof onStep !== 'function') throw new InvalidArgumentError('onStep', onStep, 'a function');
  const signal = options.signal;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.aborted !== 'boolean')) {
    throw new InvalidArgumentError('signal', signal, 'an AbortSignal');
  }
  return { endTime, rtol, atol, maxSteps, rates, gradientTolerance, recordEvery, initialStep, onStep, signal };
}

/** One run of {@link gradientFlow}: the integrator state between accepted steps. */
class GradientFlowRun {
  private readonly c: FlowConfig;
  private readonly objective: Objective;
  private readonly n: number;
  private readonly trainable: number;
  private readonly history: GradientFlowHistory = { time: [], value: [], gradientNorm: [] };
  private x: Float64Array;
  private xNew: Float64Array;
  private readonly z: Float64Array;
  private readonly g: Float64Array;
  private k1: Float64Array;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  private readonly k4: Float64Array;
  private readonly k5: Float64Array;
  private readonly k6: Float64Array;
  private k7: Float64Array;
  private t = 0;
  private f: number;
  private gradientNorm = 0;
  private h: number;
  private lastH = 0;
  private errOld = 1e-4;
  private rejectedLast = false;
  /** The non-finite error of the last trial, when it was one (NaN or Infinity). */
  private nonFiniteTrial: number | undefined;
  private steps = 0;
  private rejected = 0;
  private evaluations = 0;
  private nextRecord: number;
  private recordIndex = 1;

  constructor(objective: Objective, x0: Float64Array, options: GradientFlowOptions) {
    this.c = resolveFlowOptions(objective, x0, options);
    this.objective = objective;
    const n = x0.length;
    this.n = n;
    let trainable = 0;
    const ranges = this.c.rates.ranges;
    for (let r = 0; r < ranges.length; r += 2) trainable += ranges[r + 1]! - ranges[r]!;
    this.trainable = trainable;
    this.x = x0.slice();
    this.xNew = new Float64Array(n);
    this.z = new Float64Array(n);
    this.g = new Float64Array(n);
    this.k1 = new Float64Array(n);
    this.k2 = new Float64Array(n);
    this.k3 = new Float64Array(n);
    this.k4 = new Float64Array(n);
    this.k5 = new Float64Array(n);
    this.k6 = new Float64Array(n);
    this.k7 = new Float64Array(n);
    this.f = this.rhs(this.x, this.k1, true);
    this.checkState();
    this.h = this.c.initialStep ?? this.initialStep();
    this.nextRecord = this.c.recordEvery > 0 ? this.c.recordEvery : 0;
    this.record();
  }

  /**
   * Writes $F(z) = -D\nabla f(z)$ into `out`; returns $f(z)$ when `withValue` (NaN otherwise) and
   * leaves $\nabla f(z)$ in `this.g`.
   */
  private rhs(z: Float64Array, out: Float64Array, withValue: boolean): number {
    this.evaluations++;
    const { objective, g } = this;
    let value = Number.NaN;
    if (withValue && typeof objective.valueAndGradient === 'function') value = objective.valueAndGradient(z, g);
    else {
      const r = objective.gradient(z, g);
      if (r !== g) g.set(r);
      if (withValue) value = objective.value(z);
    }
    const eta = this.c.rates.perCoordinate;
    for (let i = 0; i < this.n; i++) out[i] = eta[i] === 0 ? 0 : -eta[i]! * g[i]!;
    return value;
  }

  /** Gradient norm over the trainable ranges of `this.g` (the gradient at the current state). */
  private trainableGradientNorm(): number {
    const ranges = this.c.rates.ranges;
    const g = this.g;
    let scale = 0;
    for (let r = 0; r < ranges.length; r += 2) for (let k = ranges[r]!; k < ranges[r + 1]!; k++) scale = Math.max(scale, Math.abs(g[k]!));
    if (scale === 0 || !Number.isFinite(scale)) return scale;
    let s = 0;
    for (let r = 0; r < ranges.length; r += 2) {
      for (let k = ranges[r]!; k < ranges[r + 1]!; k++) {
        const u = g[k]! / scale;
        s += u * u;
      }
    }
    return scale * Math.sqrt(s);
  }

  private checkState(): void {
    if (!Number.isFinite(this.f)) throw new DivergenceError(LABEL, this.steps, 'value', this.f);
    const norm = this.trainableGradientNorm();
    if (!Number.isFinite(norm)) throw new DivergenceError(LABEL, this.steps, 'gradient norm', norm);
    this.gradientNorm = norm;
  }

  /** RMS norm over the trainable coordinates of $v_i / (a + r|x_i|)$. */
  private weightedRms(v: Float64Array, x: Float64Array): number {
    const { atol, rtol, rates } = this.c;
    const ranges = rates.ranges;
    let s = 0;
    for (let r = 0; r < ranges.length; r += 2) {
      for (let k = ranges[r]!; k < ranges[r + 1]!; k++) {
        const u = v[k]! / (atol + rtol * Math.abs(x[k]!));
        s += u * u;
      }
    }
    return Math.sqrt(s / Math.max(1, this.trainable));
  }

  /** Hairer's starting step (HNW I, §II.4, p. 169; `hinit` of dopri5) for order 5. */
  private initialStep(): number {
    const { x, k1, n } = this;
    const hMax = this.c.endTime;
    const d0 = this.weightedRms(x, x);
    const d1 = this.weightedRms(k1, x);
    let h0 = d0 <= 1e-5 || d1 <= 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
    h0 = Math.min(h0, hMax);
    const z = this.z;
    for (let i = 0; i < n; i++) z[i] = x[i]! + h0 * k1[i]!;
    const k2 = this.k2;
    this.rhs(z, k2, false);
    for (let i = 0; i < n; i++) k2[i] = k2[i]! - k1[i]!;
    const d2 = this.weightedRms(k2, x) / h0;
    const dMax = Math.max(d1, d2);
    const h1 = !Number.isFinite(d2) ? h0 * 1e-3 : dMax <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : (0.01 / dMax) ** (1 / 5);
    return Math.min(100 * h0, h1, hMax);
  }

  private record(): void {
    const h = this.history;
    h.time.push(this.t);
    h.value.push(this.f);
    h.gradientNorm.push(this.gradientNorm);
  }

  private finish(reason: GradientFlowStopReason): GradientFlowResult {
    const h = this.history;
    if (h.time[h.time.length - 1] !== this.t) this.record();
    return {
      x: this.x,
      time: this.t,
      value: this.f,
      gradientNorm: this.gradientNorm,
      steps: this.steps,
      rejectedSteps: this.rejected,
      evaluations: this.evaluations,
      history: h,
      reason,
    };
  }

  /** Decides whether to stop at the current state, and otherwise takes one accepted step. */
  advance(): GradientFlowResult | undefined {
    const c = this.c;
    let reason: GradientFlowStopReason | undefined;
    if (this.t >= c.endTime) reason = 'end-time';
    else if (c.gradientTolerance !== undefined && this.gradientNorm <= c.gradientTolerance) reason = 'gradient-tolerance';
    if (c.onStep !== undefined) {
      const info: GradientFlowStepInfo = { step: this.steps, time: this.t, value: this.f, gradientNorm: this.gradientNorm, x: this.x, stepSize: this.lastH };
      if (c.onStep(info) === false && reason === undefined) reason = 'callback';
    }
    if (reason === undefined) {
      if (this.steps >= c.maxSteps) reason = 'max-steps';
      else if (c.signal?.aborted === true) reason = 'interrupted';
    }
    if (reason !== undefined) return this.finish(reason);
    this.step();
    return undefined;
  }

  /** Tries steps until one is accepted, then moves the state to it. */
  private step(): void {
    const c = this.c;
    const { n, x, z, k1, k2, k3, k4, k5, k6 } = this;
    for (;;) {
      const target = c.recordEvery > 0 ? Math.min(c.endTime, this.nextRecord) : c.endTime;
      let h = this.h;
      let landing = false;
      if (this.t + h >= target) {
        h = target - this.t;
        landing = true;
      }
      const tNew = landing ? target : this.t + h;
      if (!(h > 0) || tNew === this.t) {
        if (this.nonFiniteTrial !== undefined) throw new DivergenceError(LABEL, this.steps, 'gradient norm', this.nonFiniteTrial);
        throw new ConvergenceError(
          `gradient flow: the step size ${describeValue(h)} underflowed at time ${describeValue(this.t)} (the flow blows up there or is too stiff for rtol ${describeValue(c.rtol)}, atol ${describeValue(c.atol)})`,
        );
      }
      for (let i = 0; i < n; i++) z[i] = x[i]! + h * A21 * k1[i]!;
      this.rhs(z, k2, false);
      for (let i = 0; i < n; i++) z[i] = x[i]! + h * (A31 * k1[i]! + A32 * k2[i]!);
      this.rhs(z, k3, false);
      for (let i = 0; i < n; i++) z[i] = x[i]! + h * (A41 * k1[i]! + A42 * k2[i]! + A43 * k3[i]!);
      this.rhs(z, k4, false);
      for (let i = 0; i < n; i++) z[i] = x[i]! + h * (A51 * k1[i]! + A52 * k2[i]! + A53 * k3[i]! + A54 * k4[i]!);
      this.rhs(z, k5, false);
      for (let i = 0; i < n; i++) z[i] = x[i]! + h * (A61 * k1[i]! + A62 * k2[i]! + A63 * k3[i]! + A64 * k4[i]! + A65 * k5[i]!);
      this.rhs(z, k6, false);
      const xNew = this.xNew;
      const eta = c.rates.perCoordinate;
      for (let i = 0; i < n; i++) {
        xNew[i] = eta[i] === 0 ? x[i]! : x[i]! + h * (B1 * k1[i]! + B3 * k3[i]! + B4 * k4[i]! + B5 * k5[i]! + B6 * k6[i]!);
      }
      const k7 = this.k7;
      const fNew = this.rhs(xNew, k7, true);
      // Error estimate with the scale a + r·max(|x|, |x_new|), in z.
      const ranges = c.rates.ranges;
      let s = 0;
      for (let r = 0; r < ranges.length; r += 2) {
        for (let i = ranges[r]!; i < ranges[r + 1]!; i++) {
          const e = h * (E1 * k1[i]! + E3 * k3[i]! + E4 * k4[i]! + E5 * k5[i]! + E6 * k6[i]! + E7 * k7[i]!);
          const u = e / (c.atol + c.rtol * Math.max(Math.abs(x[i]!), Math.abs(xNew[i]!)));
          s += u * u;
        }
      }
      const err = Math.sqrt(s / Math.max(1, this.trainable));
      if (!Number.isFinite(err)) {
        // A trial whose stages overflowed counts as a step too long.
        this.nonFiniteTrial = err;
        this.rejected++;
        this.rejectedLast = true;
        this.h = h * MIN_FACTOR;
        continue;
      }
      this.nonFiniteTrial = undefined;
      if (err <= 1) {
        let factor = err === 0 ? MAX_FACTOR : SAFETY * err ** -ALPHA * this.errOld ** BETA;
        factor = Math.min(MAX_FACTOR, Math.max(MIN_FACTOR, factor));
        if (this.rejectedLast) factor = Math.min(factor, 1);
        this.errOld = Math.max(err, 1e-4);
        this.rejectedLast = false;
        // Accept: x ← x_new, k1 ← k7 (first same as last).
        this.xNew = x;
        this.x = xNew;
        this.k7 = k1;
        this.k1 = k7;
        this.f = fNew;
        this.t = tNew;
        this.steps++;
        this.lastH = h;
        this.checkState();
        const proposed = h * factor;
        // A step shortened to land on a record time or endTime does not shrink the next one.
        this.h = landing ? Math.max(proposed, this.h) : proposed;
        if (c.recordEvery > 0 && landing && this.t === this.nextRecord) {
          this.record();
          this.recordIndex++;
          this.nextRecord = this.recordIndex * c.recordEvery;
        } else if (c.recordEvery === 0 && this.t < c.endTime) this.record();
        return;
      }
      this.rejected++;
      this.rejectedLast = true;
      this.h = h * Math.max(MIN_FACTOR, SAFETY * err ** -ALPHA);
    }
  }
}

/**
 * Integrates the gradient flow $\dot x(t) = -D\,\nabla f(x(t))$, $x(0) = x_0$, up to $t =$
 * `endTime` with the adaptive Dormand–Prince 5(4) pair, where $D = \operatorname{diag}(\eta)$
 * holds the per-block rates (time scalings; a block with rate 0 is frozen bit for bit).
 *
 * Each step computes the seven stages $k_i = F(x + h\sum_{j<i} a_{ij} k_j)$, $F = -D\nabla f$,
 * with the last stage reused as the next step's first (FSAL), the fifth-order solution
 * $x_{\mathrm{new}} = x + h\sum_i b_i k_i$ and the error estimate $e = h\sum_i (b_i - \hat b_i) k_i$.
 * The step is accepted when
 * $$\mathrm{err} = \Big(\frac{1}{n_t}\sum_{i} \Big(\frac{e_i}{a + r\max(|x_i|, |x_{\mathrm{new},i}|)}\Big)^2\Big)^{1/2} \le 1$$
 * over the $n_t$ trainable coordinates ($a$ = `atol`, $r$ = `rtol`), and the next step is
 * $h_{\mathrm{new}} = h\cdot\min(10, \max(0.2,\ 0.9\,\mathrm{err}^{-0.17}\,\mathrm{err}_{\mathrm{old}}^{0.04}))$
 * (PI control as in `dopri5`; no growth right after a rejection; a rejected step shrinks by
 * $\max(0.2, 0.9\,\mathrm{err}^{-0.17})$). The first step comes from Hairer's starting-step
 * algorithm. The last step is clipped to end at `endTime` exactly, and with `recordEvery` = $\Delta$
 * steps are clipped to land on $0, \Delta, 2\Delta, \dots$ where the history is recorded (otherwise
 * at every accepted step). Global errors are roughly proportional to the tolerances.
 *
 * The run is synchronous: an aborted `signal` is seen at the next accepted step when it is
 * aborted from `onStep` or from the objective.
 *
 * @param objective - the function $f$, with its parameter blocks.
 * @param x0 - the initial state $x_0 \in \mathbb{R}^n$, finite, length $n = \sum_b \mathrm{size}_b$ (not modified).
 * @param options - `endTime` $T$, tolerances `rtol`/`atol`, `maxSteps`, rates, `gradientTolerance`, `recordEvery`, `initialStep`, `onStep`, `signal`.
 * @returns the state at the final time, its value and gradient norm, step counts, the history and the stop reason.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming the option and its value:
 *   `endTime` not positive (or `Infinity` without `gradientTolerance`/`maxSteps`), `rtol` not in
 *   $[10^{-14}, \infty)$, a negative `atol`, `maxSteps` not a positive integer, a non-positive
 *   `recordEvery` or `initialStep`, an invalid learning rate, `onStep`/`signal` of the wrong type;
 *   also for a malformed objective.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `x0` does not have length $n$.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `x0` has a NaN or infinite entry.
 * @throws {@link DivergenceError} when $f$ or $\nabla f$ is NaN or infinite at an accepted state, or
 *   when trial steps keep producing non-finite gradients until the step size underflows (a
 *   non-finite trial is rejected and retried 5 times shorter).
 * @throws {@link @shallowscape/linalg!ConvergenceError | ConvergenceError} when the step size underflows with finite trials.
 * @see J. R. Dormand and P. J. Prince, "A family of embedded Runge–Kutta formulae", J. Comput. Appl. Math. 6 (1980) 19–26.
 * @see E. Hairer, S. P. Nørsett and G. Wanner, *Solving Ordinary Differential Equations I*, 2nd ed. (1993):
 *   §II.4 (error norm, starting step), §II.5 (Table 5.2, DOPRI5), and the PI controller of Hairer & Wanner, vol. II, §IV.2.
 * @example
 * ```ts
 * // f(x) = ½ x², so x(t) = x₀ e^{−t}.
 * const half = {
 *   blocks: [{ name: 'x', size: 1 }],
 *   value: (p: Float64Array) => 0.5 * p[0]! ** 2,
 *   gradient: (p: Float64Array, out = new Float64Array(1)) => out.fill(p[0]!),
 * };
 * const flow = gradientFlow(half, Float64Array.of(1), { endTime: 2, rtol: 1e-10, atol: 1e-12 });
 * [flow.reason, flow.time]; // => ["end-time", 2]
 * flow.x[0]; // => 0.1353352832
 * // Rate 0.5 halves the speed: x(2) = e^{−1}.
 * gradientFlow(half, Float64Array.of(1), { endTime: 2, learningRate: { x: 0.5 }, rtol: 1e-10, atol: 1e-12 }).x[0]; // => 0.3678794412
 * gradientFlow(half, Float64Array.of(1), { endTime: 1, recordEvery: 0.25 }).history.time; // => [0, 0.25, 0.5, 0.75, 1]
 * gradientFlow(half, Float64Array.of(1), { endTime: -1 }); // throws InvalidArgumentError
 * ```
 */
export function gradientFlow(objective: Objective, x0: Float64Array, options: GradientFlowOptions): GradientFlowResult {
  const run = new GradientFlowRun(objective, x0, options);
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
 * {@link gradientFlow}, yielding to the event loop every `yieldIntervalMs` milliseconds (default
 * 25) so that a timer or a signal handler can abort the run through `signal` (reason
 * `"interrupted"`, keeping the last accepted state). The states are those of {@link gradientFlow}, bit for bit.
 *
 * $$\dot x = -D\,\nabla f(x)$$
 *
 * @param objective - the function $f$.
 * @param x0 - the initial state $x_0$ (length $n$, finite; not modified).
 * @param options - the options of {@link gradientFlow}, and `yieldIntervalMs` (a number $\ge 0$).
 * @returns a promise of the {@link GradientFlowResult}.
 * @throws (rejects with) the errors of {@link gradientFlow}; InvalidArgumentError naming `yieldIntervalMs`.
 * @see {@link gradientFlow} for the method and references.
 * @example
 * ```ts
 * const half = {
 *   blocks: [{ name: 'x', size: 1 }],
 *   value: (p: Float64Array) => 0.5 * p[0]! ** 2,
 *   gradient: (p: Float64Array, out = new Float64Array(1)) => out.fill(p[0]!),
 * };
 * const controller = new AbortController();
 * controller.abort();
 * const result = await gradientFlowAsync(half, Float64Array.of(3), { endTime: 10, signal: controller.signal });
 * [result.reason, result.time, result.x[0]]; // => ["interrupted", 0, 3]
 * ```
 */
export async function gradientFlowAsync(
  objective: Objective,
  x0: Float64Array,
  options: GradientFlowOptions & { yieldIntervalMs?: number },
): Promise<GradientFlowResult> {
  const interval = options?.yieldIntervalMs ?? 25;
  if (typeof interval !== 'number' || !(interval >= 0)) throw new InvalidArgumentError('yieldIntervalMs', interval, 'a number ≥ 0');
  const run = new GradientFlowRun(objective, x0, options);
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
