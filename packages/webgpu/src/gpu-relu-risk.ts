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
import { InvalidArgumentError, ShapeError } from '@shallowscape/linalg';
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

  /** Releases the device buffers. */
  destroy(): void {
    for (const a of Object.values(this.arrays)) a.buffer.destroy();
    this.gpu.release(this.evaluation);
  }
}
