/**
 * The empirical risk of a (signed) quadratic network and its gradient on the GPU, with the data
 * resident on the device across an optimisation run:
 *
 * $$\hat L(W) = \frac1N \sum_{i=1}^N e_i^2, \qquad e_i = \sum_{j=1}^m v_j (w_j^\top x_i)^2 - y_i, \qquad
 * \nabla_W \hat L = \frac4N\, \operatorname{diag}(v)\, Z_e^\top X,\quad (Z_e)_{ij} = e_i\, w_j^\top x_i.$$
 *
 * One evaluation is three kernels: $Z = X W^\top$ (tiled sgemm), the residuals with
 * $T = \operatorname{diag}(e) Z \operatorname{diag}(v)$ and per-workgroup sums of $e_i^2$, and
 * $\frac4N T^\top X$ (tiled sgemm). $X$ and $y$ are uploaded once; each evaluation uploads $W$ and
 * reads back the $m \times d$ gradient and the partial sums, which are added in float64.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, ShallowscapeError, ShapeError } from '@shallowscape/linalg';
import type { DeviceArray, PreparedDispatch, WebGpuKernels } from './webgpu-kernels';

/** The data of a {@link GpuQuadraticRisk}. */
export interface GpuQuadraticRiskData {
  /** Inputs $X$, `n × d` row-major. */
  x: Float64Array;
  /** Labels $y$, length `n`. */
  y: Float64Array;
  n: number;
  d: number;
  /** Hidden width $m$. */
  m: number;
  /** Output signs $v$ (length `m`, ±1); all $+1$ when omitted. */
  signs?: Float64Array;
}

/** Options of {@link GpuQuadraticRisk.descend}. */
export interface GpuDescentOptions {
  /** The step $\eta$ of $W_{t+1} = W_t - \eta \nabla \hat L(W_t)$ (positive, finite). */
  learningRate: number;
  /** The most steps to take. */
  maxSteps: number;
  /** Stop once $\|\nabla \hat L(W_t)\|_F \le$ this, checked every `checkEvery` steps (default 0: never). */
  gradientTolerance?: number;
  /** Steps between read-backs of the risk and the gradient norm (default 10; also the history's spacing). */
  checkEvery?: number;
  /** Aborting it stops the run at its next check, keeping the last iterate. */
  signal?: AbortSignal;
}

/** What {@link GpuQuadraticRisk.descend} returns. */
export interface GpuDescentResult {
  /** The last iterate (float32 values, widened). */
  w: Float64Array;
  /** Steps taken. */
  steps: number;
  /** $\hat L$ and $\|\nabla \hat L\|_F$ at the last iterate. */
  value: number;
  gradientNorm: number;
  /** Why it stopped. */
  reason: 'gradient-tolerance' | 'max-steps' | 'interrupted';
  /** $\hat L$ and $\|\nabla \hat L\|_F$ at the checked steps, and the milliseconds since the start. */
  history: { step: number[]; value: number[]; gradientNorm: number[]; elapsedMs: number[] };
}

/**
 * $\hat L(W)$ and $\nabla_W \hat L$ of a quadratic network with $X$ and $y$ resident on the GPU.
 * Create it with {@link GpuQuadraticRisk.create}; call {@link GpuQuadraticRisk.destroy} when the
 * run ends.
 */
export class GpuQuadraticRisk {
  readonly n: number;
  readonly d: number;
  readonly m: number;
  private readonly gpu: WebGpuKernels;
  private readonly x: DeviceArray;
  private readonly y: DeviceArray;
  private readonly v: DeviceArray;
  private readonly w: DeviceArray;
  private readonly z: DeviceArray;
  private readonly t: DeviceArray;
  private readonly g: DeviceArray;
  private readonly partials: DeviceArray;
  /** One evaluation: $Z = XW^\top$, the residuals, $\frac4N T^\top X$. */
  private readonly evaluation: PreparedDispatch[];

  private constructor(gpu: WebGpuKernels, data: GpuQuadraticRiskData) {
    const { n, d, m } = data;
    this.gpu = gpu;
    this.n = n;
    this.d = d;
    this.m = m;
    this.x = gpu.upload(data.x.subarray(0, n * d), 'X');
    this.y = gpu.upload(data.y.subarray(0, n), 'y');
    this.v = gpu.upload(data.signs ?? new Float64Array(m).fill(1), 'v');
    this.w = gpu.upload(m * d, 'W');
    this.z = gpu.upload(n * m, 'Z = X Wᵀ');
    this.t = gpu.upload(n * m, 'T');
    this.g = gpu.upload(m * d, 'the gradient');
    this.partials = gpu.upload(gpu.partialCount(n), 'the partial sums');
    this.evaluation = [
      gpu.sgemmDispatch({ m: n, n: m, k: d, transA: false, transB: true, alpha: 1, beta: 0 }, this.x, this.w, this.z),
      gpu.residualsDispatch(n, m, this.z, this.y, this.v, this.t, this.partials),
      gpu.sgemmDispatch({ m, n: d, k: n, transA: true, transB: false, alpha: 4 / n, beta: 0 }, this.t, this.x, this.g),
    ];
  }

  /**
   * Uploads $X$ and $y$ to the device.
   *
   * @param gpu - the device's kernels.
   * @param data - $X$ (`n × d`), $y$, $m$ and the signs.
   * @returns the resident risk.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when the arrays are shorter than the sizes say, or the device's
   *   buffers cannot hold $X$ or $Z$; {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for sizes that are not positive
   *   integers or signs other than ±1.
   */
  static create(gpu: WebGpuKernels, data: GpuQuadraticRiskData): GpuQuadraticRisk {
    for (const key of ['n', 'd', 'm'] as const) {
      const value = data[key];
      if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(key, value, 'a positive integer');
    }
    if (data.x.length < data.n * data.d) throw new ShapeError(`x has ${data.x.length} entries, fewer than n·d = ${data.n * data.d}`, 'x');
    if (data.y.length < data.n) throw new ShapeError(`y has ${data.y.length} entries, fewer than n = ${data.n}`, 'y');
    if (data.signs !== undefined) {
      if (data.signs.length !== data.m) throw new ShapeError(`signs has ${data.signs.length} entries, not m = ${data.m}`, 'signs');
      data.signs.forEach((s, j) => {
        if (s !== 1 && s !== -1) throw new InvalidArgumentError(`signs[${j}]`, s, '+1 or -1');
      });
    }
    return new GpuQuadraticRisk(gpu, data);
  }

  /**
   * $\hat L(W)$, with $\nabla_W \hat L$ written into `gradient`.
   *
   * @param w - the weights $W$, `m × d` row-major.
   * @param gradient - receives $\nabla_W \hat L$ (`m × d`).
   * @returns the risk (its partial sums added in float64).
   */
  async evaluate(w: Float64Array, gradient: Float64Array): Promise<number> {
    const { n, d, m, gpu } = this;
    if (w.length < m * d || gradient.length < m * d) throw new ShapeError(`w and gradient need m·d = ${m * d} entries, got ${w.length} and ${gradient.length}`, 'w');
    gpu.writeArray(this.w, w.subarray(0, m * d));
    gpu.run(this.evaluation);
    const [g, partials] = await Promise.all([gpu.download(this.g), gpu.download(this.partials)]);
    gradient.set(g);
    let sum = 0;
    for (const p of partials) sum += p;
    return sum / n;
  }

  /**
   * Gradient descent with a fixed step, the whole loop on the GPU:
   * $W_{t+1} = W_t - \eta\,\nabla \hat L(W_t)$. Each step is the three kernels of
   * {@link GpuQuadraticRisk.evaluate} and an update in place; every `checkEvery` steps (and at the
   * end) the risk's and the gradient's partial sums are read back, and nothing else until the
   * last iterate.
   *
   * @param w0 - the start $W_0$ (`m × d`).
   * @param options - the step, the budget, the tolerance, the spacing of the checks, a signal.
   * @returns the last iterate, its risk and gradient norm, why it stopped, and the history.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for a step that is not
   *   positive and finite or a budget that is not a non-negative integer;
   *   {@link @shallowscape/linalg!ShallowscapeError | ShallowscapeError} (`E_DIVERGENCE`) when the risk becomes non-finite.
   */
  async descend(w0: Float64Array, options: GpuDescentOptions): Promise<GpuDescentResult> {
    const { n, d, m, gpu } = this;
    const rate = options.learningRate;
    if (!(Number.isFinite(rate) && rate > 0)) throw new InvalidArgumentError('options.learningRate', rate, 'a positive finite number');
    if (!Number.isInteger(options.maxSteps) || options.maxSteps < 0) throw new InvalidArgumentError('options.maxSteps', options.maxSteps, 'a non-negative integer');
    const every = options.checkEvery ?? 10;
    if (!Number.isInteger(every) || every < 1) throw new InvalidArgumentError('options.checkEvery', every, 'a positive integer');
    const tolerance = options.gradientTolerance ?? 0;
    if (w0.length < m * d) throw new ShapeError(`w0 needs m·d = ${m * d} entries, got ${w0.length}`, 'w0');
    const gradientPartials = gpu.upload(gpu.partialCount(m * d), 'the gradient partial sums');
    const history: GpuDescentResult['history'] = { step: [], value: [], gradientNorm: [], elapsedMs: [] };
    const start = performance.now();
    // A checked step: the evaluation and the gradient's sum of squares; an unchecked one adds the update.
    const extra = [gpu.sumOfSquaresDispatch(this.g, gradientPartials), gpu.descentStepDispatch(this.w, this.g, rate)];
    try {
      gpu.writeArray(this.w, w0.subarray(0, m * d));
      const checked = [...this.evaluation, extra[0]!];
      const step = [...this.evaluation, extra[1]!];
      let value = Number.NaN;
      let gradientNorm = Number.NaN;
      let reason: GpuDescentResult['reason'] = 'max-steps';
      let t = 0;
      for (;;) {
        gpu.run(checked);
        const [risk, gradient] = await Promise.all([gpu.download(this.partials), gpu.download(gradientPartials)]);
        value = risk.reduce((s, p) => s + p, 0) / n;
        gradientNorm = Math.sqrt(gradient.reduce((s, p) => s + p, 0));
        history.step.push(t);
        history.value.push(value);
        history.gradientNorm.push(gradientNorm);
        history.elapsedMs.push(performance.now() - start);
        if (!Number.isFinite(value) || !Number.isFinite(gradientNorm)) {
          throw new ShallowscapeError(`gradient descent on the GPU diverged at step ${t} (risk ${value}); use a smaller learning rate than ${rate}`, 'E_DIVERGENCE', 'options.learningRate');
        }
        if (gradientNorm <= tolerance) {
          reason = 'gradient-tolerance';
          break;
        }
        if (t === options.maxSteps) break;
        if (options.signal?.aborted === true) {
          reason = 'interrupted';
          break;
        }
        // Up to the next check: steps t → t + k in one command buffer.
        const k = Math.min(every, options.maxSteps - t);
        gpu.run(step, k);
        t += k;
      }
      return { w: await gpu.download(this.w), steps: t, value, gradientNorm, reason, history };
    } finally {
      gradientPartials.buffer.destroy();
      gpu.release(extra);
    }
  }

  /** Releases the device buffers. */
  destroy(): void {
    for (const a of [this.x, this.y, this.v, this.w, this.z, this.t, this.g, this.partials]) a.buffer.destroy();
    this.gpu.release(this.evaluation);
  }
}
