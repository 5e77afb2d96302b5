/**
 * The empirical risk of a two-layer ReLU network and its gradient on the GPU, with the data
 * resident on the device:
 *
 * $$\hat L(W, a) = \frac1N \sum_{i=1}^N e_i^2, \quad e_i = s \sum_{r=1}^m a_r \operatorname{relu}(w_r \cdot x_i) - y_i, \quad
 * \nabla_W \hat L = \frac{2s}{N} \big(\operatorname{relu}'(Z) \odot e\,a^\top\big)^\top X, \quad \nabla_a \hat L = \frac{2s}{N} \operatorname{relu}(Z)^\top e,$$
 *
 * with $Z = X W^\top$ and $\operatorname{relu}'(0) = 0$ (the convention of the model package's
 * `TwoLayerEmpiricalRisk`). The parameters are packed as there, $[\operatorname{vec}(W), a]$ with
 * $W$ row-major. One evaluation is four kernels: $Z$ (tiled sgemm), the residuals, and the two
 * gradient products (tiled sgemm).
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, ShallowscapeError, ShapeError } from '@shallowscape/linalg';
import type { DeviceArray, PreparedDispatch, WebGpuKernels } from './webgpu-kernels';

/** The data of a {@link GpuReluRisk}. */
export interface GpuReluRiskData {
  /** Inputs $X$, `n × d` row-major. */
  x: Float64Array;
  /** Labels $y$, length `n`. */
  y: Float64Array;
  n: number;
  d: number;
  /** Hidden width $m$. */
  m: number;
  /** The output scale $s$ ($1/\sqrt m$ for the NTK parameterisation, 1 for the standard one). */
  scale: number;
}

/** Options of {@link GpuReluRisk.descend}. */
export interface GpuReluDescentOptions {
  /**
   * The steps $\eta_W$ and $\eta_a$ of $W_{t+1} = W_t - \eta_W \nabla_W \hat L$,
   * $a_{t+1} = a_t - \eta_a \nabla_a \hat L$ (finite, $\ge 0$, not both 0). A rate of 0 freezes its
   * layer: it stays at its start and its gradient is left out of the gradient norm.
   */
  learningRates: { hidden: number; output: number };
  /** The most steps to take. */
  maxSteps: number;
  /** Stop once the gradient norm is at most this, checked every `checkEvery` steps (default 0: never). */
  gradientTolerance?: number;
  /** Steps between read-backs (default 10; also the history's spacing). */
  checkEvery?: number;
  /** Aborting it stops the run at its next check, keeping the last iterate. */
  signal?: AbortSignal;
}

/** What {@link GpuReluRisk.descend} returns. */
export interface GpuReluDescentResult {
  /** The last iterate $[\operatorname{vec}(W), a]$ (float32 values, widened). */
  theta: Float64Array;
  /** Steps taken. */
  steps: number;
  /** $\hat L$ and the gradient norm (over the trained layers) at the last iterate. */
  value: number;
  gradientNorm: number;
  /** Why it stopped. */
  reason: 'gradient-tolerance' | 'max-steps' | 'interrupted';
  /**
   * At the checked steps: $\hat L$, the gradient norm, the milliseconds since the start, and the
   * relative movements $\|W_t - W_0\|_F / \|W_0\|_F$ and $\|a_t - a_0\| / \|a_0\|$.
   */
  history: { step: number[]; value: number[]; gradientNorm: number[]; elapsedMs: number[]; movementHidden: number[]; movementOutput: number[] };
}

/** $\|u - v\| / \|v\|$ over the first `u.length` entries ($\|u - v\|$ when $v = 0$). */
function movement(u: Float64Array, v: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < u.length; i++) {
    const dv = u[i]! - v[i]!;
    num += dv * dv;
    den += v[i]! * v[i]!;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

/** $\hat L(W, a)$ and its gradient for a two-layer ReLU network, with $X$ and $y$ on the GPU. */
export class GpuReluRisk {
  readonly n: number;
  readonly d: number;
  readonly m: number;
  readonly scale: number;
  private readonly gpu: WebGpuKernels;
  private readonly arrays: Record<'x' | 'y' | 'w' | 'a' | 'z' | 't' | 'r' | 'e' | 'gw' | 'ga' | 'partials', DeviceArray>;
  private readonly evaluation: PreparedDispatch[];

  private constructor(gpu: WebGpuKernels, data: GpuReluRiskData) {
    const { n, d, m, scale } = data;
    this.gpu = gpu;
    this.n = n;
    this.d = d;
    this.m = m;
    this.scale = scale;
    const A = {
      x: gpu.upload(data.x.subarray(0, n * d), 'X'),
      y: gpu.upload(data.y.subarray(0, n), 'y'),
      w: gpu.upload(m * d, 'W'),
      a: gpu.upload(m, 'a'),
      z: gpu.upload(n * m, 'Z = X Wᵀ'),
      t: gpu.upload(n * m, 'T'),
      r: gpu.upload(n * m, 'relu(Z)'),
      e: gpu.upload(n, 'the residuals'),
      gw: gpu.upload(m * d, 'the W gradient'),
      ga: gpu.upload(m, 'the a gradient'),
      partials: gpu.upload(gpu.partialCount(n), 'the partial sums'),
    };
    this.arrays = A;
    const g = (2 * scale) / n;
    this.evaluation = [
      gpu.sgemmDispatch({ m: n, n: m, k: d, transA: false, transB: true, alpha: 1, beta: 0 }, A.x, A.w, A.z),
      gpu.reluResidualsDispatch(n, m, scale, A),
      gpu.sgemmDispatch({ m, n: d, k: n, transA: true, transB: false, alpha: g, beta: 0 }, A.t, A.x, A.gw),
      gpu.sgemmDispatch({ m, n: 1, k: n, transA: true, transB: false, alpha: g, beta: 0 }, A.r, A.e, A.ga),
    ];
  }

  /**
   * Uploads $X$ and $y$ to the device.
   *
   * @param gpu - the device's kernels.
   * @param data - $X$ (`n × d`), $y$, $m$ and the output scale $s$.
   * @returns the resident risk.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when the arrays are shorter than the sizes say;
   *   {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for sizes that are not positive integers or a
   *   scale that is not positive and finite.
   */
  static create(gpu: WebGpuKernels, data: GpuReluRiskData): GpuReluRisk {
    for (const key of ['n', 'd', 'm'] as const) {
      const value = data[key];
      if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(key, value, 'a positive integer');
    }
    if (!(Number.isFinite(data.scale) && data.scale > 0)) throw new InvalidArgumentError('scale', data.scale, 'a positive finite number');
    if (data.x.length < data.n * data.d) throw new ShapeError(`x has ${data.x.length} entries, fewer than n·d = ${data.n * data.d}`, 'x');
    if (data.y.length < data.n) throw new ShapeError(`y has ${data.y.length} entries, fewer than n = ${data.n}`, 'y');
    return new GpuReluRisk(gpu, data);
  }

  /**
   * $\hat L(W, a)$, with the gradient written into `gradient`.
   *
   * @param theta - the parameters $[\operatorname{vec}(W), a]$ (length `m·d + m`).
   * @param gradient - receives $[\operatorname{vec}(\nabla_W \hat L), \nabla_a \hat L]$.
   * @returns the risk (its partial sums added in float64).
   */
  async evaluate(theta: Float64Array, gradient: Float64Array): Promise<number> {
    const { n, d, m, gpu, arrays } = this;
    const size = m * d + m;
    if (theta.length < size || gradient.length < size) throw new ShapeError(`theta and gradient need m·d + m = ${size} entries, got ${theta.length} and ${gradient.length}`, 'theta');
    gpu.writeArray(arrays.w, theta.subarray(0, m * d));
    gpu.writeArray(arrays.a, theta.subarray(m * d, size));
    gpu.run(this.evaluation);
    const [gw, ga, partials] = await Promise.all([gpu.download(arrays.gw), gpu.download(arrays.ga), gpu.download(arrays.partials)]);
    gradient.set(gw, 0);
    gradient.set(ga, m * d);
    let sum = 0;
    for (const p of partials) sum += p;
    return sum / n;
  }

  /**
   * Gradient descent with a fixed step per layer, the whole loop on the GPU:
   * $W_{t+1} = W_t - \eta_W \nabla_W \hat L$, $a_{t+1} = a_t - \eta_a \nabla_a \hat L$. Each step is
   * the four kernels of {@link GpuReluRisk.evaluate} and the updates in place; every `checkEvery`
   * steps (and at the end) the risk, the gradient's sums of squares and the iterate (for the
   * movements) are read back.
   *
   * @param theta0 - the start $[\operatorname{vec}(W_0), a_0]$.
   * @param options - the rates, the budget, the tolerance, the spacing of the checks, a signal.
   * @returns the last iterate, its risk and gradient norm, why it stopped, and the history.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for rates that are negative, not finite or
   *   both 0, or a budget that is not a non-negative integer;
   *   {@link @shallowscape/linalg!ShallowscapeError | ShallowscapeError} (`E_DIVERGENCE`) when the risk becomes non-finite.
   */
  async descend(theta0: Float64Array, options: GpuReluDescentOptions): Promise<GpuReluDescentResult> {
    const { n, d, m, gpu, arrays } = this;
    const { hidden, output } = options.learningRates;
    for (const [name, rate] of [['hidden', hidden], ['output', output]] as const) {
      if (!(Number.isFinite(rate) && rate >= 0)) throw new InvalidArgumentError(`options.learningRates.${name}`, rate, 'a finite number ≥ 0');
    }
    if (hidden === 0 && output === 0) throw new InvalidArgumentError('options.learningRates', 0, 'a positive rate for at least one layer');
    if (!Number.isInteger(options.maxSteps) || options.maxSteps < 0) throw new InvalidArgumentError('options.maxSteps', options.maxSteps, 'a non-negative integer');
    const every = options.checkEvery ?? 10;
    if (!Number.isInteger(every) || every < 1) throw new InvalidArgumentError('options.checkEvery', every, 'a positive integer');
    const tolerance = options.gradientTolerance ?? 0;
    const size = m * d + m;
    if (theta0.length < size) throw new ShapeError(`theta0 needs m·d + m = ${size} entries, got ${theta0.length}`, 'theta0');
    // The start as the device holds it (rounded to float32), so that the movements start at 0.
    const w0 = Float64Array.from(Float32Array.from(theta0.subarray(0, m * d)));
    const a0 = Float64Array.from(Float32Array.from(theta0.subarray(m * d, size)));
    const partialsW = gpu.upload(gpu.partialCount(m * d), 'the W gradient partial sums');
    const partialsA = gpu.upload(gpu.partialCount(m), 'the a gradient partial sums');
    const norms = [...(hidden > 0 ? [gpu.sumOfSquaresDispatch(arrays.gw, partialsW)] : []), ...(output > 0 ? [gpu.sumOfSquaresDispatch(arrays.ga, partialsA)] : [])];
    const updates = [...(hidden > 0 ? [gpu.descentStepDispatch(arrays.w, arrays.gw, hidden)] : []), ...(output > 0 ? [gpu.descentStepDispatch(arrays.a, arrays.ga, output)] : [])];
    const history: GpuReluDescentResult['history'] = { step: [], value: [], gradientNorm: [], elapsedMs: [], movementHidden: [], movementOutput: [] };
    const start = performance.now();
    const sum = (p: Float64Array): number => p.reduce((s, x) => s + x, 0);
    try {
      gpu.writeArray(arrays.w, w0);
      gpu.writeArray(arrays.a, a0);
      const checked = [...this.evaluation, ...norms];
      const step = [...this.evaluation, ...updates];
      let value = Number.NaN;
      let gradientNorm = Number.NaN;
      let reason: GpuReluDescentResult['reason'] = 'max-steps';
      let t = 0;
      for (;;) {
        gpu.run(checked);
        const [risk, gw, ga, w, a] = await Promise.all([gpu.download(arrays.partials), gpu.download(partialsW), gpu.download(partialsA), gpu.download(arrays.w), gpu.download(arrays.a)]);
        value = sum(risk) / n;
        gradientNorm = Math.sqrt((hidden > 0 ? sum(gw) : 0) + (output > 0 ? sum(ga) : 0));
        history.step.push(t);
        history.value.push(value);
        history.gradientNorm.push(gradientNorm);
        history.elapsedMs.push(performance.now() - start);
        history.movementHidden.push(movement(w, w0));
        history.movementOutput.push(movement(a, a0));
        if (!Number.isFinite(value) || !Number.isFinite(gradientNorm)) {
          throw new ShallowscapeError(`gradient descent on the GPU diverged at step ${t} (risk ${value}); use smaller learning rates than ${hidden} (W) and ${output} (a)`, 'E_DIVERGENCE', 'options.learningRates');
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
        const k = Math.min(every, options.maxSteps - t);
        gpu.run(step, k);
        t += k;
      }
      const theta = new Float64Array(size);
      const [w, a] = await Promise.all([gpu.download(arrays.w), gpu.download(arrays.a)]);
      theta.set(w, 0);
      theta.set(a, m * d);
      return { theta, steps: t, value, gradientNorm, reason, history };
    } finally {
      partialsW.buffer.destroy();
      partialsA.buffer.destroy();
      gpu.release([...norms, ...updates]);
    }
  }

  /** Releases the device buffers. */
  destroy(): void {
    for (const a of Object.values(this.arrays)) a.buffer.destroy();
    this.gpu.release(this.evaluation);
  }
}
