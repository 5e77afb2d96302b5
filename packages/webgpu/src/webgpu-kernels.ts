/**
 * The WebGPU kernels: one GPU device and the compute pipelines on it, with the contracts of the
 * backend interface's kernels (row-major `Float64Array`s in and out) made asynchronous, because a
 * GPU computes while the caller waits. Inputs are rounded to float32 when they are uploaded and
 * results widened back to float64 when they are read; all arithmetic on the device is float32.
 *
 * `quadraticRisk` keeps the data $X$, $y$ resident on the device across an optimisation run:
 * each evaluation uploads $W$ ($m \times d$) and reads back only the risk's partial sums and the
 * $m \times d$ gradient.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, ShapeError } from '@shallowscape/linalg';
import { DESCENT_STEP_WGSL, QUADRATIC_RESIDUALS_WGSL, RELU_RESIDUALS_WGSL, SCALE_ROWS_WGSL, SUM_OF_SQUARES_WGSL, WORKGROUP_1D } from './wgsl/elementwise';
import { SGEMM_TILE, SGEMM_WGSL, sgemmUniforms, type SgemmParams } from './wgsl/sgemm';

/** What the device is, as its adapter reports it. */
export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

const STORAGE = 0x80 | 0x08 | 0x04; // STORAGE | COPY_DST | COPY_SRC
const UNIFORM = 0x40 | 0x08; // UNIFORM | COPY_DST
const MAP_READ = 0x01 | 0x08; // MAP_READ | COPY_DST

/** Float32 bytes of `length` entries, rounded up to the 4-byte multiple WebGPU buffers need (and at least 4). */
const bytesOf = (length: number): number => Math.max(4, length * 4);

/** A device buffer and the number of f32 entries it holds. */
export interface DeviceArray {
  buffer: GPUBuffer;
  length: number;
}

/** A compute dispatch ready to encode: its pipeline, bind group and workgroup counts. */
export interface PreparedDispatch {
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  workgroups: [number, number];
  /** Its uniform buffer, released by {@link WebGpuKernels.release}. */
  uniform: GPUBuffer;
}

/** The compute pipelines, one per shader. */
interface Pipelines {
  sgemm: GPUComputePipeline;
  scaleRows: GPUComputePipeline;
  residuals: GPUComputePipeline;
  reluResiduals: GPUComputePipeline;
  descentStep: GPUComputePipeline;
  sumOfSquares: GPUComputePipeline;
}

/**
 * One GPU device with the kernels compiled on it. Create with {@link WebGpuKernels.create}.
 *
 * @example
 * ```ts
 * // In a browser (or in Node with the `webgpu` package's `navigator.gpu`):
 * // const gpu = await WebGpuKernels.create(navigator.gpu);
 * // await gpu.gemm(false, false, 2, 2, 2, 1, a, b, 0, c);
 * typeof WebGpuKernels.create; // => "function"
 * ```
 */
export class WebGpuKernels {
  /** The device's adapter. */
  readonly adapter: AdapterDescription;
  /** The largest storage buffer binding the device allows, in bytes. */
  readonly maxBufferBytes: number;
  private readonly device: GPUDevice;
  private readonly pipelines: Pipelines;

  private constructor(device: GPUDevice, adapter: AdapterDescription, pipelines: Pipelines) {
    this.device = device;
    this.adapter = adapter;
    this.pipelines = pipelines;
    this.maxBufferBytes = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  }

  /**
   * Requests an adapter and a device from `gpu` and compiles the kernels.
   *
   * @param gpu - `navigator.gpu` in a browser, or the `webgpu` package's `create([])` in Node.
   * @param options - `powerPreference` (default `'high-performance'`).
   * @returns the kernels.
   * @throws Error when `gpu` gives no adapter (no WebGPU device on this machine), naming why.
   */
  static async create(gpu: GPU, options: { powerPreference?: GPUPowerPreference } = {}): Promise<WebGpuKernels> {
    if (gpu === undefined || gpu === null || typeof gpu.requestAdapter !== 'function') throw new InvalidArgumentError('gpu', gpu, 'a WebGPU GPU object (navigator.gpu)');
    const adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
    if (adapter === null) throw new Error('WebGPU: no adapter (this machine or browser exposes no WebGPU device)');
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    });
    const info = adapter.info;
    const describe = { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description };
    const compile = (code: string): GPUComputePipeline =>
      device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
    return new WebGpuKernels(device, describe, {
      sgemm: compile(SGEMM_WGSL),
      scaleRows: compile(SCALE_ROWS_WGSL),
      residuals: compile(QUADRATIC_RESIDUALS_WGSL),
      reluResiduals: compile(RELU_RESIDUALS_WGSL),
      descentStep: compile(DESCENT_STEP_WGSL),
      sumOfSquares: compile(SUM_OF_SQUARES_WGSL),
    });
  }

  /** Resolves when the device has finished the work submitted so far (for timing: nothing is read back). */
  async finish(): Promise<void> {
    await this.device.queue.onSubmittedWorkDone();
  }

  /** Releases the device; the kernels cannot be used afterwards. */
  destroy(): void {
    this.device.destroy();
  }

  /** A storage buffer holding `data` rounded to float32 (or `length` zeros). */
  upload(data: Float64Array | Float32Array | number, what = 'an array'): DeviceArray {
    const length = typeof data === 'number' ? data : data.length;
    if (bytesOf(length) > this.maxBufferBytes) {
      throw new ShapeError(`${what} of ${length} entries needs ${bytesOf(length)} bytes on the GPU, more than the ${this.maxBufferBytes} bytes a buffer may hold on ${this.adapter.vendor} ${this.adapter.architecture}`, what);
    }
    const buffer = this.device.createBuffer({ size: bytesOf(length), usage: STORAGE });
    if (typeof data !== 'number' && length > 0) this.device.queue.writeBuffer(buffer, 0, data instanceof Float32Array ? data : Float32Array.from(data));
    return { buffer, length };
  }

  /** Overwrites the start of a device array with `data` rounded to float32. */
  writeArray(array: DeviceArray, data: Float64Array): void {
    if (data.length > array.length) throw new ShapeError(`${data.length} entries do not fit a device array of ${array.length}`, 'data');
    if (data.length > 0) this.device.queue.writeBuffer(array.buffer, 0, Float32Array.from(data));
  }

  private uniform(bytes: ArrayBuffer): GPUBuffer {
    const buffer = this.device.createBuffer({ size: bytes.byteLength, usage: UNIFORM });
    this.device.queue.writeBuffer(buffer, 0, bytes);
    return buffer;
  }

  /** Reads `array` back as float64. */
  async download(array: DeviceArray): Promise<Float64Array> {
    const staging = this.device.createBuffer({ size: bytesOf(array.length), usage: MAP_READ });
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(array.buffer, 0, staging, 0, bytesOf(array.length));
    this.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(0x0001 /* GPUMapMode.READ */);
    const out = Float64Array.from(new Float32Array(staging.getMappedRange(), 0, array.length));
    staging.unmap();
    staging.destroy();
    return out;
  }

  /** A dispatch with its bind group built once, to be run (many times) by {@link WebGpuKernels.run}. */
  private prepare(pipeline: GPUComputePipeline, buffers: GPUBuffer[], uniform: ArrayBuffer, workgroups: [number, number]): PreparedDispatch {
    const params = this.uniform(uniform);
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [...buffers, params].map((buffer, binding) => ({ binding, resource: { buffer } })) });
    return { pipeline, bindGroup, workgroups, uniform: params };
  }

  /** Releases the uniform buffers of dispatches that will not run again. */
  release(dispatches: readonly PreparedDispatch[]): void {
    for (const d of dispatches) d.uniform.destroy();
  }

  /**
   * Runs `dispatches` in order, `repeat` times, in one compute pass of one command buffer (each
   * dispatch sees the writes of the ones before it).
   */
  run(dispatches: readonly PreparedDispatch[], repeat = 1): void {
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    for (let r = 0; r < repeat; r++) {
      for (const d of dispatches) {
        pass.setPipeline(d.pipeline);
        pass.setBindGroup(0, d.bindGroup);
        pass.dispatchWorkgroups(d.workgroups[0], d.workgroups[1]);
      }
    }
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }

  /** Workgroups for `count` invocations of a one-dimensional kernel, folded into two dimensions past the per-dimension limit. */
  private grid1d(count: number): [number, number] {
    const groups = Math.max(1, Math.ceil(count / WORKGROUP_1D));
    const limit = this.device.limits.maxComputeWorkgroupsPerDimension;
    return groups <= limit ? [groups, 1] : [limit, Math.ceil(groups / limit)];
  }

  /** The dispatch of $C \leftarrow \alpha\,\mathrm{op}(A)\,\mathrm{op}(B) + \beta C$ on device arrays. */
  sgemmDispatch(p: SgemmParams, a: DeviceArray, b: DeviceArray, c: DeviceArray): PreparedDispatch {
    return this.prepare(this.pipelines.sgemm, [a.buffer, b.buffer, c.buffer], sgemmUniforms(p), [Math.max(1, Math.ceil(p.n / SGEMM_TILE)), Math.max(1, Math.ceil(p.m / SGEMM_TILE))]);
  }

  /**
   * $C \leftarrow \alpha\,\mathrm{op}(A)\,\mathrm{op}(B) + \beta C$ with the contract of the backend
   * interface's `gemm` (`C` is `m × n`; `a` is `m × k`, `k × m` with `transA`; `b` is `k × n`,
   * `n × k` with `transB`; `β = 0` ignores `c`), in float32 on the device.
   */
  async gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array): Promise<void> {
    const da = this.upload(a.subarray(0, m * k), 'A');
    const db = this.upload(b.subarray(0, k * n), 'B');
    const dc = beta === 0 ? this.upload(m * n, 'C') : this.upload(c.subarray(0, m * n), 'C');
    try {
      const product = [this.sgemmDispatch({ m, n, k, transA, transB, alpha, beta }, da, db, dc)];
      this.run(product);
      c.set(await this.download(dc));
      this.release(product);
    } finally {
      for (const x of [da, db, dc]) x.buffer.destroy();
    }
  }

  /**
   * `transpose = false`: $C \leftarrow \alpha A A^\top + \beta C$ with `A` `n × k`; `true`:
   * $C \leftarrow \alpha A^\top A + \beta C$ with `A` `k × n` (the backend interface's `syrk`).
   * The product sums in the same order for $C_{ij}$ and $C_{ji}$, so `C` is exactly symmetric.
   */
  async syrk(transpose: boolean, n: number, k: number, alpha: number, a: Float64Array, beta: number, c: Float64Array): Promise<void> {
    const da = this.upload(a.subarray(0, n * k), 'A');
    const dc = beta === 0 ? this.upload(n * n, 'C') : this.upload(c.subarray(0, n * n), 'C');
    try {
      const product = [this.sgemmDispatch({ m: n, n, k, transA: transpose, transB: !transpose, alpha, beta }, da, da, dc)];
      this.run(product);
      c.set(await this.download(dc));
      this.release(product);
    } finally {
      da.buffer.destroy();
      dc.buffer.destroy();
    }
  }

  /** $C \leftarrow X^\top \operatorname{diag}(w) X$, `X` `rows × cols`, `C` `cols × cols` (the backend interface's `weightedGram`). */
  async weightedGram(rows: number, cols: number, x: Float64Array, w: Float64Array, c: Float64Array): Promise<void> {
    const dx = this.upload(x.subarray(0, rows * cols), 'X');
    const dw = this.upload(w.subarray(0, rows), 'w');
    const dy = this.upload(rows * cols, 'diag(w) X');
    const dc = this.upload(cols * cols, 'C');
    try {
      const gram = [this.scaleRowsDispatch(rows, cols, dx, dw, dy), this.sgemmDispatch({ m: cols, n: cols, k: rows, transA: true, transB: false, alpha: 1, beta: 0 }, dx, dy, dc)];
      this.run(gram);
      c.set(await this.download(dc));
      this.release(gram);
    } finally {
      for (const a of [dx, dw, dy, dc]) a.buffer.destroy();
    }
  }

  /** The dispatch of $Y_{i,:} = w_i X_{i,:}$. */
  scaleRowsDispatch(rows: number, cols: number, x: DeviceArray, w: DeviceArray, y: DeviceArray): PreparedDispatch {
    return this.prepare(this.pipelines.scaleRows, [x.buffer, w.buffer, y.buffer], new Uint32Array([rows, cols, 0, 0]).buffer, this.grid1d(rows * cols));
  }

  /** The dispatch of the residuals of a quadratic network from $Z$ (see `QUADRATIC_RESIDUALS_WGSL`), one partial sum per workgroup. */
  residualsDispatch(n: number, m: number, z: DeviceArray, y: DeviceArray, v: DeviceArray, t: DeviceArray, partials: DeviceArray): PreparedDispatch {
    return this.prepare(this.pipelines.residuals, [z.buffer, y.buffer, v.buffer, t.buffer, partials.buffer], new Uint32Array([n, m, 0, 0]).buffer, this.grid1d(n));
  }

  /** The dispatch of the residuals of a two-layer ReLU network from $Z$ (see `RELU_RESIDUALS_WGSL`), one partial sum per workgroup. */
  reluResidualsDispatch(n: number, m: number, scale: number, arrays: { z: DeviceArray; y: DeviceArray; a: DeviceArray; t: DeviceArray; r: DeviceArray; e: DeviceArray; partials: DeviceArray }): PreparedDispatch {
    const bytes = new ArrayBuffer(16);
    new Uint32Array(bytes, 0, 2).set([n, m]);
    new Float32Array(bytes, 8, 1)[0] = scale;
    const { z, y, a, t, r, e, partials } = arrays;
    return this.prepare(this.pipelines.reluResiduals, [z.buffer, y.buffer, a.buffer, t.buffer, r.buffer, e.buffer, partials.buffer], bytes, this.grid1d(n));
  }

  /** The dispatch of $w \leftarrow w - \eta g$ on device arrays of the same length. */
  descentStepDispatch(w: DeviceArray, g: DeviceArray, rate: number): PreparedDispatch {
    const bytes = new ArrayBuffer(16);
    new Uint32Array(bytes)[0] = w.length;
    new Float32Array(bytes)[1] = rate;
    return this.prepare(this.pipelines.descentStep, [w.buffer, g.buffer], bytes, this.grid1d(w.length));
  }

  /** The dispatch of the per-workgroup sums of squares of `x` into `partials` (of {@link WebGpuKernels.partialCount} entries). */
  sumOfSquaresDispatch(x: DeviceArray, partials: DeviceArray): PreparedDispatch {
    return this.prepare(this.pipelines.sumOfSquares, [x.buffer, partials.buffer], new Uint32Array([x.length, 0, 0, 0]).buffer, this.grid1d(x.length));
  }

  /** The number of workgroups (partial sums) of a one-dimensional kernel over `n` entries. */
  partialCount(n: number): number {
    const [gx, gy] = this.grid1d(n);
    return gx * gy;
  }
}
