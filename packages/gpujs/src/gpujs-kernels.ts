/**
 * The products and the quadratic risk written as gpu.js kernels (gpu.js 2.24.1, single precision):
 * gpu.js compiles each kernel's JavaScript body to a shader of the mode it runs in, WebGL2 in
 * browsers without WebGPU and its WebGPU mode where an adapter exists. A kernel is built once per
 * shape (its loop bounds are constants, so no loop is cut at gpu.js's default iteration limit)
 * and cached. Transposes are taken on the CPU before upload; inputs are rounded to float32 and
 * results widened to float64.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, ShapeError } from '@shallowscape/linalg';
import { GPU, Input, type IKernelRunShortcut } from 'gpu.js';

/** gpu.js's view of a flat array as a `width × height` matrix. */
const input = (value: Float32Array, size: [number, number]): Input => new Input(value as unknown as number[], size);

/** The gpu.js modes the kernels are written for. */
export type GpujsMode = 'webgl2' | 'webgpu';

// Kernel bodies, as source text (gpu.js parses them; `this.thread.x` is the column, `.y` the row).
const GEMM = `function (a, b, c, alpha, beta) {
  let sum = 0;
  for (let p = 0; p < this.constants.k; p++) { sum += a[this.thread.y][p] * b[p][this.thread.x]; }
  return alpha * sum + beta * c[this.thread.y][this.thread.x];
}`;
const WEIGHTED_GRAM = `function (x, w) {
  let sum = 0;
  for (let p = 0; p < this.constants.rows; p++) { sum += x[p][this.thread.y] * w[p] * x[p][this.thread.x]; }
  return sum;
}`;
const FORMS = `function (x, w) {
  let z = 0;
  for (let l = 0; l < this.constants.d; l++) { z += x[this.thread.y][l] * w[this.thread.x][l]; }
  return z;
}`;
const RESIDUALS = `function (z, v, y) {
  let f = 0;
  for (let j = 0; j < this.constants.m; j++) { f += v[j] * z[this.thread.x][j] * z[this.thread.x][j]; }
  return f - y[this.thread.x];
}`;
const QUADRATIC_GRADIENT = `function (z, e, v, x) {
  let sum = 0;
  for (let i = 0; i < this.constants.n; i++) { sum += e[i] * z[i][this.thread.y] * x[i][this.thread.x]; }
  return this.constants.scale * v[this.thread.y] * sum;
}`;
const RELU_RESIDUALS = `function (z, a, y) {
  let f = 0;
  for (let r = 0; r < this.constants.m; r++) { f += a[r] * Math.max(z[this.thread.x][r], 0); }
  return this.constants.scale * f - y[this.thread.x];
}`;
const RELU_HIDDEN_GRADIENT = `function (z, e, a, x) {
  let sum = 0;
  for (let i = 0; i < this.constants.n; i++) {
    if (z[i][this.thread.y] > 0) { sum += e[i] * x[i][this.thread.x]; }
  }
  return this.constants.scale * a[this.thread.y] * sum;
}`;
const RELU_OUTPUT_GRADIENT = `function (z, e) {
  let sum = 0;
  for (let i = 0; i < this.constants.n; i++) { sum += Math.max(z[i][this.thread.x], 0) * e[i]; }
  return this.constants.scale * sum;
}`;

const f32 = (a: Float64Array): Float32Array => Float32Array.from(a);

/** Rows of a gpu.js 2-D result as one row-major float64 array. */
function flatten(result: unknown, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  const r = result as ArrayLike<ArrayLike<number>>;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = r[i]![j]!;
  return out;
}

/** The row-major transpose of the `rows × cols` array `a`. */
function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j]!;
  return t;
}

/** The gpu.js kernels on one `GPU` instance. Create with {@link GpujsKernels.create}. */
export class GpujsKernels {
  /** The gpu.js mode that runs the kernels. */
  readonly mode: GpujsMode;
  private readonly gpu: GPU;
  private readonly cache = new Map<string, IKernelRunShortcut>();

  private constructor(gpu: GPU, mode: GpujsMode) {
    this.gpu = gpu;
    this.mode = mode;
  }

  /**
   * A `GPU` of gpu.js in `mode`, its kernels compiled on first use.
   *
   * @param mode - `'webgl2'` (browsers) or `'webgpu'` (an adapter, e.g. `navigator.gpu`).
   * @returns the kernels.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for another mode.
   *
   * @example
   * ```ts
   * await GpujsKernels.create('webgl1' as GpujsMode); // throws InvalidArgumentError
   * ```
   */
  static async create(mode: GpujsMode): Promise<GpujsKernels> {
    if (mode !== 'webgl2' && mode !== 'webgpu') throw new InvalidArgumentError('mode', mode, "'webgl2' or 'webgpu'");
    return new GpujsKernels(new GPU({ mode }), mode);
  }

  /** The kernel `key`, built with `settings` on first use. */
  private kernel(key: string, source: string, output: number[], constants: Record<string, number>): IKernelRunShortcut {
    const id = `${key}|${output.join('×')}|${JSON.stringify(constants)}`;
    let k = this.cache.get(id);
    if (k === undefined) {
      k = this.gpu.createKernel(source, { output, constants, precision: 'single', tactic: 'precision', asyncMode: true });
      this.cache.set(id, k);
    }
    return k;
  }

  /** The backend interface's `gemm` contract, on gpu.js, asynchronously (see the module notes). */
  async gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array): Promise<void> {
    if (m === 0 || n === 0) return;
    if (k === 0) {
      for (let i = 0; i < m * n; i++) c[i] = beta === 0 ? 0 : beta * c[i]!;
      return;
    }
    const opA = transA ? transpose(a.subarray(0, m * k), k, m) : a.subarray(0, m * k);
    const opB = transB ? transpose(b.subarray(0, k * n), n, k) : b.subarray(0, k * n);
    const c0 = beta === 0 ? new Float32Array(m * n) : f32(c.subarray(0, m * n));
    const run = this.kernel('gemm', GEMM, [n, m], { k });
    const result = await run(input(f32(opA), [k, m]), input(f32(opB), [n, k]), input(c0, [n, m]), alpha, beta);
    c.set(flatten(result, m, n));
  }

  /** The backend interface's `syrk` contract: $\alpha A A^\top + \beta C$ (or $\alpha A^\top A + \beta C$ with `transpose`). */
  async syrk(transpose_: boolean, n: number, k: number, alpha: number, a: Float64Array, beta: number, c: Float64Array): Promise<void> {
    await this.gemm(transpose_, !transpose_, n, n, k, alpha, a, a, beta, c);
  }

  /** The backend interface's `weightedGram` contract: $C = X^\top \operatorname{diag}(w) X$. */
  async weightedGram(rows: number, cols: number, x: Float64Array, w: Float64Array, c: Float64Array): Promise<void> {
    if (cols === 0) return;
    if (rows === 0) {
      c.fill(0, 0, cols * cols);
      return;
    }
    const run = this.kernel('weightedGram', WEIGHTED_GRAM, [cols, cols], { rows });
    c.set(flatten(await run(input(f32(x.subarray(0, rows * cols)), [cols, rows]), f32(w.subarray(0, rows))), cols, cols));
  }

  /**
   * $\hat L(W) = \frac1N\sum_i e_i^2$ of a (signed) quadratic network and
   * $\nabla_W \hat L = \frac4N \operatorname{diag}(v) (\operatorname{diag}(e) X W^\top)^\top X$: three
   * kernels ($Z = XW^\top$, the residuals $e$, the gradient), the sum of $e_i^2$ in float64.
   *
   * @param w - $W$ (`m × d`).
   * @param x - $X$ (`n × d`).
   * @param y - the labels.
   * @param sizes - $n$, $d$, $m$.
   * @param signs - the output signs $v$ (default all $+1$).
   * @param gradient - receives $\nabla_W \hat L$.
   * @returns the risk.
   */
  async quadraticRisk(w: Float64Array, x: Float64Array, y: Float64Array, sizes: { n: number; d: number; m: number }, signs: Float64Array | null, gradient: Float64Array): Promise<number> {
    const { n, d, m } = sizes;
    if (x.length < n * d || y.length < n || w.length < m * d || gradient.length < m * d) throw new ShapeError(`the arrays are shorter than n = ${n}, d = ${d}, m = ${m} need`, 'x');
    const v = signs === null ? new Float32Array(m).fill(1) : f32(signs);
    const xs = input(f32(x.subarray(0, n * d)), [d, n]);
    const z = await this.kernel('forms', FORMS, [m, n], { d })(xs, input(f32(w.subarray(0, m * d)), [d, m]));
    const e = (await this.kernel('residuals', RESIDUALS, [n], { m })(z, v, f32(y.subarray(0, n)))) as Float32Array;
    const g = await this.kernel('quadraticGradient', QUADRATIC_GRADIENT, [d, m], { n, scale: 4 / n })(z, e, v, xs);
    gradient.set(flatten(g, m, d));
    let sum = 0;
    for (let i = 0; i < n; i++) sum += e[i]! * e[i]!;
    return sum / n;
  }

  /**
   * $\hat L(W, a) = \frac1N\sum_i e_i^2$ of a two-layer ReLU network,
   * $e_i = s\sum_r a_r \operatorname{relu}(w_r \cdot x_i) - y_i$, with
   * $\nabla_W \hat L = \frac{2s}{N} (\operatorname{relu}'(Z) \odot e\,a^\top)^\top X$ and
   * $\nabla_a \hat L = \frac{2s}{N} \operatorname{relu}(Z)^\top e$ ($Z = XW^\top$,
   * $\operatorname{relu}'(0) = 0$): four kernels, the sum of $e_i^2$ in float64.
   *
   * @param theta - the parameters $[\operatorname{vec}(W), a]$ (`m·d + m`).
   * @param x - $X$ (`n × d`).
   * @param y - the labels.
   * @param sizes - $n$, $d$, $m$ and the output scale $s$.
   * @param gradient - receives $[\operatorname{vec}(\nabla_W \hat L), \nabla_a \hat L]$.
   * @returns the risk.
   */
  async reluRisk(theta: Float64Array, x: Float64Array, y: Float64Array, sizes: { n: number; d: number; m: number; scale: number }, gradient: Float64Array): Promise<number> {
    const { n, d, m, scale } = sizes;
    const size = m * d + m;
    if (x.length < n * d || y.length < n || theta.length < size || gradient.length < size) throw new ShapeError(`the arrays are shorter than n = ${n}, d = ${d}, m = ${m} need`, 'x');
    const a = f32(theta.subarray(m * d, size));
    const xs = input(f32(x.subarray(0, n * d)), [d, n]);
    const z = await this.kernel('forms', FORMS, [m, n], { d })(xs, input(f32(theta.subarray(0, m * d)), [d, m]));
    const e = (await this.kernel('reluResiduals', RELU_RESIDUALS, [n], { m, scale })(z, a, f32(y.subarray(0, n)))) as Float32Array;
    const c = (2 * scale) / n;
    const gw = await this.kernel('reluHiddenGradient', RELU_HIDDEN_GRADIENT, [d, m], { n, scale: c })(z, e, a, xs);
    const ga = (await this.kernel('reluOutputGradient', RELU_OUTPUT_GRADIENT, [m], { n, scale: c })(z, e)) as Float32Array;
    gradient.set(flatten(gw, m, d), 0);
    for (let r = 0; r < m; r++) gradient[m * d + r] = ga[r]!;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += e[i]! * e[i]!;
    return sum / n;
  }

  /** Releases gpu.js's resources. */
  destroy(): void {
    this.gpu.destroy();
  }
}
