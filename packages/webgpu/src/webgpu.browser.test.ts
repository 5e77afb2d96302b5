/**
 * The WGSL kernels on a real WebGPU implementation: Debian's headless chromium with
 * `--enable-unsafe-webgpu` (SwiftShader's Vulkan on a machine without a GPU). The package is
 * bundled for the browser, each case runs in the page on seeded data, and the float32 results are
 * compared in Node with the float64 reference backend within a bound stated from the condition of
 * each entry (u = 2⁻²⁴, the unit roundoff of float32):
 *
 * - products: $|C - \hat C|_{ij} \le (k + 5)\,u\,(|\alpha|\,|\mathrm{op}(A)|\,|\mathrm{op}(B)| + |\beta|\,|C|)_{ij}$
 *   (rounding of the inputs, of each product and of the k-term sum);
 * - the risk and gradient: the same bound carried through $e_i$, $Z$ and the final products.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, gaussianMatrix, referenceBackend } from '@shallowscape/linalg';
import { DEFAULT_QUADRATIC_TRAINING, DEFAULT_TWO_LAYER_TRAINING, evaluateQuadratic, evaluateTwoLayer, trainQuadratic, trainTwoLayer } from '@shallowscape/experiments';
import { QuadraticEmpiricalRisk, TwoLayerEmpiricalRisk, parameterizationScale } from '@shallowscape/model';
import { openWebGpuPage, type WebGpuPage } from './testing/webgpu-page';

const U = 2 ** -24;

let opened: WebGpuPage;
let page: WebGpuPage['page'];
let adapter: WebGpuPage['adapter'];

beforeAll(async () => {
  opened = await openWebGpuPage();
  page = opened.page;
  adapter = opened.adapter;
}, 120_000);

afterAll(async () => {
  await opened?.close();
});

type Gemm = { transA: boolean; transB: boolean; m: number; n: number; k: number; alpha: number; beta: number };

/** Runs `gemm` in the page on these inputs and returns C. */
async function gpuGemm(g: Gemm, a: Float64Array, b: Float64Array, c: Float64Array): Promise<Float64Array> {
  const out = await page.evaluate(
    async ({ g, a, b, c }) => {
      const k = (window as unknown as { kernels: import('./index').WebGpuKernels }).kernels;
      const cc = Float64Array.from(c);
      await k.gemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, Float64Array.from(a), Float64Array.from(b), g.beta, cc);
      return Array.from(cc);
    },
    { g, a: Array.from(a), b: Array.from(b), c: Array.from(c) },
  );
  return Float64Array.from(out);
}

/** |op(A)| |op(B)| in float64, for the bound. */
function absProduct(g: Gemm, a: Float64Array, b: Float64Array): Float64Array {
  const abs = (x: Float64Array) => x.map(Math.abs);
  const out = new Float64Array(g.m * g.n);
  referenceBackend.gemm!(g.transA, g.transB, g.m, g.n, g.k, 1, abs(a), abs(b), 0, out);
  return out;
}

describe('WebGPU kernels in chromium', () => {
  it('run on a WebGPU adapter', () => {
    expect(adapter.vendor.length + adapter.architecture.length).toBeGreaterThan(0);
  });

  const shapes: Array<[number, number, number]> = [
    [1, 1, 1],
    [3, 5, 7],
    [64, 64, 64],
    [65, 130, 33],
    [100, 37, 260],
  ];
  it.each(shapes.flatMap(([m, n, k]) => [false, true].flatMap((transA) => [false, true].map((transB) => ({ m, n, k, transA, transB })))))(
    'gemm %o agrees with float64 within (k + 5) u |op(A)||op(B)| entrywise',
    async ({ m, n, k, transA, transB }) => {
      const rng = createRng(m * 1000 + n * 10 + k);
      const a = gaussianMatrix(m, k, rng).data;
      const b = gaussianMatrix(k, n, rng).data;
      const c0 = gaussianMatrix(m, n, rng).data;
      for (const [alpha, beta] of [
        [1, 0],
        [0.5, -2],
      ] as const) {
        const g = { transA, transB, m, n, k, alpha, beta };
        const got = await gpuGemm(g, a, b, c0);
        const want = Float64Array.from(c0);
        referenceBackend.gemm!(transA, transB, m, n, k, alpha, a, b, beta, want);
        const mag = absProduct(g, a, b);
        let worst = 0;
        for (let i = 0; i < m * n; i++) {
          const bound = (k + 5) * U * (Math.abs(alpha) * mag[i]! + Math.abs(beta) * Math.abs(c0[i]!));
          worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / bound);
        }
        expect(worst).toBeLessThanOrEqual(1);
        // Float32, not float64: the product is not exact to double precision.
        if (k > 8) expect(got).not.toEqual(want);
      }
    },
  );

  it('syrk in both orientations: exactly symmetric, within the bound of the product', async () => {
    const rng = createRng(5);
    for (const transpose of [false, true]) {
      const n = 70;
      const k = 45;
      const a = gaussianMatrix(transpose ? k : n, transpose ? n : k, rng).data;
      const got = Float64Array.from(
        await page.evaluate(
          async ({ transpose, n, k, a }) => {
            const kernels = (window as unknown as { kernels: import('./index').WebGpuKernels }).kernels;
            const c = new Float64Array(n * n);
            await kernels.syrk(transpose, n, k, 1, Float64Array.from(a), 0, c);
            return Array.from(c);
          },
          { transpose, n, k, a: Array.from(a) },
        ),
      );
      const want = new Float64Array(n * n);
      referenceBackend.syrk!(transpose, n, k, 1, a, 0, want);
      const mag = new Float64Array(n * n);
      referenceBackend.syrk!(transpose, n, k, 1, a.map(Math.abs), 0, mag);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          expect(got[i * n + j]).toBe(got[j * n + i]);
          expect(Math.abs(got[i * n + j]! - want[i * n + j]!)).toBeLessThanOrEqual((k + 5) * U * mag[i * n + j]!);
        }
      }
    }
  });

  it('weighted Gram Xᵀ diag(w) X with weights of both signs, within (rows + 6) u (|X|ᵀ|diag w||X|)', async () => {
    const rng = createRng(9);
    const rows = 300;
    const cols = 40;
    const x = gaussianMatrix(rows, cols, rng).data;
    const w = gaussianMatrix(rows, 1, rng).data;
    const got = Float64Array.from(
      await page.evaluate(
        async ({ rows, cols, x, w }) => {
          const kernels = (window as unknown as { kernels: import('./index').WebGpuKernels }).kernels;
          const c = new Float64Array(cols * cols);
          await kernels.weightedGram(rows, cols, Float64Array.from(x), Float64Array.from(w), c);
          return Array.from(c);
        },
        { rows, cols, x: Array.from(x), w: Array.from(w) },
      ),
    );
    const want = new Float64Array(cols * cols);
    referenceBackend.weightedGram!(rows, cols, x, w, want);
    const mag = new Float64Array(cols * cols);
    referenceBackend.weightedGram!(rows, cols, x.map(Math.abs), w.map(Math.abs), mag);
    for (let i = 0; i < cols * cols; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual((rows + 6) * U * mag[i]!);
  });

  it('the resident quadratic risk and gradient agree with QuadraticEmpiricalRisk (signed, N = 1000) within their propagated bounds, over several W', async () => {
    const rng = createRng(11);
    const n = 1000;
    const d = 12;
    const m = 9;
    const x = gaussianMatrix(n, d, rng);
    const signs = Float64Array.from({ length: m }, (_, j) => (j % 3 === 2 ? -1 : 1));
    const teacher = gaussianMatrix(m, d, rng);
    const y = new Float64Array(n);
    // Labels of a signed teacher with a little noise.
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let j = 0; j < m; j++) {
        let z = 0;
        for (let l = 0; l < d; l++) z += teacher.get(j, l) * x.get(i, l);
        f += signs[j]! * z * z;
      }
      y[i] = f + 0.1 * Math.sin(i);
    }
    const reference = new QuadraticEmpiricalRisk(x, y, m, { signs });
    const ws = [gaussianMatrix(m, d, rng).data, teacher.data.map((t, k) => t + 1e-3 * Math.cos(k))];
    const results = await page.evaluate(
      async ({ x, y, n, d, m, signs, ws }) => {
        const w = window as unknown as { webgpu: typeof import('./index'); kernels: import('./index').WebGpuKernels };
        const r = w.webgpu.GpuQuadraticRisk.create(w.kernels, { x: Float64Array.from(x), y: Float64Array.from(y), n, d, m, signs: Float64Array.from(signs) });
        const out: Array<{ value: number; gradient: number[] }> = [];
        for (const wi of ws) {
          const g = new Float64Array(m * d);
          const value = await r.evaluate(Float64Array.from(wi), g);
          out.push({ value, gradient: Array.from(g) });
        }
        r.destroy();
        return out;
      },
      { x: Array.from(x.data), y: Array.from(y), n, d, m, signs: Array.from(signs), ws: ws.map((wi) => Array.from(wi)) },
    );
    results.forEach(({ value, gradient }, t) => {
      const w = ws[t]!;
      const wantValue = reference.value(w);
      const wantGradient = reference.gradient(w);
      // Float64 magnitudes for the bound: |z_ij| ≤ ζ_ij = Σ_l |w_jl||x_il|, δz ≤ (d + 2) u ζ,
      // δe_i ≤ (2d + m + 6) u (Σ_j ζ_ij² + |y_i|).
      let riskBound = 0;
      const gradientBound = new Float64Array(m * d);
      for (let i = 0; i < n; i++) {
        const zeta = new Float64Array(m);
        let e = -y[i]!;
        let b = Math.abs(y[i]!);
        const z = new Float64Array(m);
        for (let j = 0; j < m; j++) {
          for (let l = 0; l < d; l++) {
            zeta[j]! += Math.abs(w[j * d + l]!) * Math.abs(x.get(i, l));
            z[j]! += w[j * d + l]! * x.get(i, l);
          }
          e += signs[j]! * z[j]! * z[j]!;
          b += zeta[j]! * zeta[j]!;
        }
        const de = (2 * d + m + 6) * U * b;
        riskBound += (2 * Math.abs(e) * de + de * de) / n;
        for (let j = 0; j < m; j++) {
          for (let l = 0; l < d; l++) {
            const term = (de * zeta[j]! + Math.abs(e) * (d + 2) * U * zeta[j]! + (n + 4) * U * Math.abs(e) * zeta[j]!) * Math.abs(x.get(i, l));
            gradientBound[j * d + l]! += (4 / n) * term;
          }
        }
      }
      riskBound += 300 * U * wantValue;
      expect(Math.abs(value - wantValue)).toBeLessThanOrEqual(riskBound);
      for (let k = 0; k < m * d; k++) expect(Math.abs(gradient[k]! - wantGradient[k]!)).toBeLessThanOrEqual(gradientBound[k]!);
      // Float32 arithmetic: close, not exact.
      expect(Math.abs(value - wantValue) / wantValue).toBeLessThan(1e-4);
    });
  });

  it('gradient descent with the whole loop on the GPU reaches the minimum float64 descent reaches: W*ᵀW* to float32 accuracy', async () => {
    const rng = createRng(3);
    const n = 150;
    const d = 6;
    const m = 8;
    const x = gaussianMatrix(n, d, rng);
    // A well-conditioned teacher W* = I + 0.1 G, so that fixed-step descent converges in a few hundred steps.
    const teacher = gaussianMatrix(d, d, rng);
    for (let k = 0; k < teacher.data.length; k++) teacher.data[k] = 0.1 * teacher.data[k]! + (k % (d + 1) === 0 ? 1 : 0);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        let z = 0;
        for (let l = 0; l < d; l++) z += teacher.get(j, l) * x.get(i, l);
        y[i]! += z * z;
      }
    }
    const w0 = gaussianMatrix(m, d, rng).data.map((v) => v / Math.sqrt(m));
    const learningRate = 0.015;
    const maxSteps = 300;
    // Float64 gradient descent with the same step, on the CPU.
    const risk = new QuadraticEmpiricalRisk(x, y, m);
    const wCpu = w0.slice();
    const g = new Float64Array(m * d);
    const cpuValues: number[] = [];
    for (let t = 0; t <= maxSteps; t++) {
      const v = risk.valueAndGradient(wCpu, g);
      if (t % 50 === 0) cpuValues.push(v);
      if (t < maxSteps) for (let k = 0; k < m * d; k++) wCpu[k]! -= learningRate * g[k]!;
    }
    const gpu = await page.evaluate(
      async ({ x, y, n, d, m, w0, learningRate, maxSteps }) => {
        const w = window as unknown as { webgpu: typeof import('./index'); kernels: import('./index').WebGpuKernels };
        const r = w.webgpu.GpuQuadraticRisk.create(w.kernels, { x: Float64Array.from(x), y: Float64Array.from(y), n, d, m });
        const result = await r.descend(Float64Array.from(w0), { learningRate, maxSteps, checkEvery: 50 });
        r.destroy();
        return { ...result, w: Array.from(result.w) };
      },
      { x: Array.from(x.data), y: Array.from(y), n, d, m, w0: Array.from(w0), learningRate, maxSteps },
    );
    expect(gpu.steps).toBe(maxSteps);
    expect(gpu.reason).toBe('max-steps');
    expect(gpu.history.step).toEqual([0, 50, 100, 150, 200, 250, 300]);
    // The trajectories agree while the risk is far above float32's floor.
    expect(Math.abs(gpu.history.value[0]! - cpuValues[0]!) / cpuValues[0]!).toBeLessThan(1e-5);
    expect(Math.abs(gpu.history.value[1]! - cpuValues[1]!) / cpuValues[1]!).toBeLessThan(1e-3);
    // Q = WᵀW of both ends against the teacher's, relative in the Frobenius norm.
    const gram = (w: ArrayLike<number>): Float64Array => {
      const q = new Float64Array(d * d);
      referenceBackend.syrk!(true, d, m, 1, Float64Array.from(w), 0, q);
      return q;
    };
    const qStar = gram(teacher.data.length === d * d ? Array.from(teacher.data).concat(new Array((m - d) * d).fill(0)) : teacher.data);
    const distance = (a: Float64Array, b: Float64Array): number => Math.hypot(...a.map((v, k) => v - b[k]!)) / Math.hypot(...b);
    const qGpu = gram(gpu.w);
    const qCpu = gram(wCpu);
    expect(distance(qCpu, qStar)).toBeLessThan(1e-10);
    // Float32: the risk floors near (u |y|)², so Q is recovered to a few u · cond (measured 2.4e-7 = 4u).
    expect(distance(qGpu, qStar)).toBeLessThan(2e-6);
    expect(distance(qGpu, qCpu)).toBeLessThan(2e-6);
    expect(gpu.value).toBeLessThan(1e-11);
  });

  it('the resident two-layer ReLU risk and gradient agree with TwoLayerEmpiricalRisk (NTK scale, N = 600) within their propagated bounds, kinks included', async () => {
    const rng = createRng(21);
    const n = 600;
    const d = 10;
    const m = 50;
    const x = gaussianMatrix(n, d, rng);
    const y = gaussianMatrix(n, 1, rng).data;
    const scale = parameterizationScale('ntk', m);
    const reference = new TwoLayerEmpiricalRisk(x, y, { width: m, activation: 'relu', parameterization: 'ntk' });
    const w = gaussianMatrix(m, d, rng).data.map((v) => v / Math.sqrt(d));
    const a = gaussianMatrix(m, 1, rng).data;
    const theta = new Float64Array(m * d + m);
    theta.set(w, 0);
    theta.set(a, m * d);
    const got = await page.evaluate(
      async ({ x, y, n, d, m, scale, theta }) => {
        const win = window as unknown as { webgpu: typeof import('./index'); kernels: import('./index').WebGpuKernels };
        const r = win.webgpu.GpuReluRisk.create(win.kernels, { x: Float64Array.from(x), y: Float64Array.from(y), n, d, m, scale });
        const gradient = new Float64Array(m * d + m);
        const value = await r.evaluate(Float64Array.from(theta), gradient);
        r.destroy();
        return { value, gradient: Array.from(gradient) };
      },
      { x: Array.from(x.data), y: Array.from(y), n, d, m, scale, theta: Array.from(theta) },
    );
    const wantValue = reference.value(theta);
    const wantGradient = reference.gradient(theta);
    // Bounds in float64: ζ_ir = Σ_l |w_rl||x_il|, δz_ir = (d + 2) u ζ_ir, δe_i = s Σ_r |a_r| (δz_ir + (m + 3) u ζ_ir) + 2u|y_i|;
    // a pre-activation within δz of 0 may flip relu', so its term is bounded by its size.
    let riskBound = 0;
    const gwBound = new Float64Array(m * d);
    const gaBound = new Float64Array(m);
    const c = (2 * scale) / n;
    for (let i = 0; i < n; i++) {
      const zeta = new Float64Array(m);
      const z = new Float64Array(m);
      let f = 0;
      for (let r = 0; r < m; r++) {
        for (let l = 0; l < d; l++) {
          zeta[r]! += Math.abs(w[r * d + l]!) * Math.abs(x.get(i, l));
          z[r]! += w[r * d + l]! * x.get(i, l);
        }
        f += a[r]! * Math.max(z[r]!, 0);
      }
      const e = scale * f - y[i]!;
      let de = 2 * U * Math.abs(y[i]!);
      for (let r = 0; r < m; r++) de += scale * Math.abs(a[r]!) * ((d + 2) * U * zeta[r]! + (m + 3) * U * zeta[r]!);
      riskBound += (2 * Math.abs(e) * de + de * de) / n;
      for (let r = 0; r < m; r++) {
        const dz = (d + 2) * U * zeta[r]!;
        const kink = Math.abs(z[r]!) <= dz;
        for (let l = 0; l < d; l++) {
          const term = kink ? (Math.abs(e) + de) * Math.abs(a[r]!) : de * Math.abs(a[r]!) + (n + 6) * U * Math.abs(e * a[r]!);
          gwBound[r * d + l]! += c * term * Math.abs(x.get(i, l));
        }
        gaBound[r]! += c * (dz * Math.abs(e) + Math.max(z[r]!, 0) * de + (n + 6) * U * Math.abs(z[r]! * e));
      }
    }
    riskBound += 300 * U * wantValue;
    expect(Math.abs(got.value - wantValue)).toBeLessThanOrEqual(riskBound);
    for (let k = 0; k < m * d; k++) expect(Math.abs(got.gradient[k]! - wantGradient[k]!), `∇W[${k}]`).toBeLessThanOrEqual(gwBound[k]!);
    for (let r = 0; r < m; r++) expect(Math.abs(got.gradient[m * d + r]! - wantGradient[m * d + r]!), `∇a[${r}]`).toBeLessThanOrEqual(gaBound[r]!);
    expect(Math.abs(got.value - wantValue) / wantValue).toBeLessThan(1e-5);
    expect(got.value).not.toBe(wantValue);
  });

  it('trains the problem of trainQuadratic by gradient descent on the GPU: same data and start, the output in its shape, the same minimum to float32 accuracy', async () => {
    const config = { ...DEFAULT_QUADRATIC_TRAINING, d: 5, m: 7, n: 60, teacherWidth: 5, optimizer: 'gd' as const, learningRate: 2e-4, steps: 400, historyEvery: 100, certify: true };
    const cpu = await trainQuadratic(config);
    const gpu = await page.evaluate(async (config) => {
      const w = window as unknown as { webgpu: typeof import('./index'); kernels: import('./index').WebGpuKernels };
      const result = await w.webgpu.trainQuadraticOnGpu(w.kernels, config);
      return { output: result.output, w: Array.from(result.weights.data) };
    }, config);
    expect(Object.keys(gpu.output).sort()).toEqual(Object.keys(cpu.output).sort());
    expect(Object.keys(gpu.output.history).sort()).toEqual(Object.keys(cpu.output.history).sort());
    expect(gpu.output.config).toEqual({ ...cpu.output.config, learningRateSource: 'flag', lineSearch: 'none' });
    expect(gpu.output.history.step).toEqual([0, 100, 200, 300, 400]);
    // The same start: the float32 risk at step 0 agrees with the float64 one.
    expect(Math.abs(gpu.output.history.risk[0]! - cpu.output.history.risk[0]!) / cpu.output.history.risk[0]!).toBeLessThan(1e-5);
    // Fixed-step descent with the same stable rate in both: the same path, to float32 accuracy, down a
    // risk that falls by orders of magnitude (the minimum itself is the subject of the descent test above).
    expect(cpu.output.final.empiricalRisk).toBeLessThan(1e-2 * cpu.output.history.risk[0]!);
    // Measured: 5e-7 along the path, 1.5e-7 on the final relative error (a few u, grown over 400 steps).
    cpu.output.history.risk.forEach((r, k) => expect(Math.abs(gpu.output.history.risk[k]! - r) / r, `step ${100 * k}`).toBeLessThan(1e-5));
    expect(Math.abs(gpu.output.final.relativeError! - cpu.output.final.relativeError!) / cpu.output.final.relativeError!).toBeLessThan(1e-5);
    // Certified in float64 on the CPU, as the certificate of the float32 end point.
    expect(gpu.output.certificate?.sampleCondition.holds).toBe(true);
    await expect(page.evaluate(async (config) => {
      const w = window as unknown as { webgpu: typeof import('./index'); kernels: import('./index').WebGpuKernels };
      await w.webgpu.trainQuadraticOnGpu(w.kernels, { ...config, optimizer: 'lbfgs' });
    }, config)).rejects.toThrow(/invalid optimizer: "lbfgs" \(expected 'gd'/);
  });

  it('evaluates as evaluateQuadratic does, the risk and gradient from the GPU, the population risk in float64', async () => {
    const rng = createRng(31);
    const x = gaussianMatrix(500, 8, rng);
    const w = gaussianMatrix(6, 8, rng);
    const teacher = gaussianMatrix(8, 8, rng);
    const y = Float64Array.from({ length: 500 }, (_, i) => Math.cos(i));
    const signs = Float64Array.of(1, 1, 1, -1, -1, -1);
    const want = evaluateQuadratic(w, x, y, { signs, teacher });
    const got = await page.evaluate(
      async ({ x, w, teacher, y, signs }) => {
        const win = window as unknown as { webgpu: typeof import('./index') & { Matrix: typeof import('@shallowscape/linalg').Matrix }; kernels: import('./index').WebGpuKernels };
        const M = (rows: number, cols: number, data: number[]) => new win.webgpu.Matrix(rows, cols, Float64Array.from(data));
        const r = await win.webgpu.evaluateQuadraticOnGpu(win.kernels, M(6, 8, w), M(500, 8, x), Float64Array.from(y), { signs: Float64Array.from(signs), teacher: M(8, 8, teacher) });
        return { empiricalRisk: r.empiricalRisk, gradientNorm: r.gradientNorm, populationRisk: r.populationRisk, gradient: Array.from(r.gradient.data) };
      },
      { x: Array.from(x.data), w: Array.from(w.data), teacher: Array.from(teacher.data), y: Array.from(y), signs: Array.from(signs) },
    );
    expect(got.populationRisk).toBeCloseTo(want.populationRisk!, 6);
    expect(Math.abs(got.empiricalRisk - want.empiricalRisk) / want.empiricalRisk).toBeLessThan(1e-5);
    expect(Math.abs(got.gradientNorm - want.gradientNorm) / want.gradientNorm).toBeLessThan(1e-5);
    expect(got.empiricalRisk).not.toBe(want.empiricalRisk);
  });

  it('trains the problem of trainTwoLayer (ReLU, NTK) by gradient descent on the GPU: the same path as float64 descent with the same rates, movements included', async () => {
    const config = { ...DEFAULT_TWO_LAYER_TRAINING, d: 5, m: 40, n: 80, teacherWidth: 5, optimizer: 'gd' as const, learningRateHidden: 0.5, learningRateOutput: 0.5, steps: 300, historyEvery: 100 };
    const cpu = await trainTwoLayer(config);
    const gpu = await page.evaluate(async (config) => {
      const w = window as unknown as { webgpu: typeof import('./index'); kernels: import('./index').WebGpuKernels };
      const result = await w.webgpu.trainTwoLayerOnGpu(w.kernels, config);
      return { output: result.output, w: Array.from(result.weights.w.data), a: Array.from(result.weights.a) };
    }, config);
    expect(Object.keys(gpu.output).sort()).toEqual(Object.keys(cpu.output).sort());
    expect(Object.keys(gpu.output.history).sort()).toEqual(Object.keys(cpu.output.history).sort());
    // Fixed rates on both: trainTwoLayer resolves the same configuration (no line search). The page's
    // V8 draws the same data up to the last bits of its Math functions, so the relative tolerance
    // from ‖∇L(θ₀)‖ agrees to rounding.
    expect({ ...gpu.output.config, tol: 0 }).toEqual({ ...cpu.output.config, tol: 0 });
    expect(Math.abs(gpu.output.config.tol - cpu.output.config.tol) / cpu.output.config.tol).toBeLessThan(1e-12);
    expect(gpu.output.history.step).toEqual([0, 100, 200, 300]);
    expect(gpu.output.history.movementHidden[0]).toBe(0);
    expect(gpu.output.history.movementOutput[0]).toBe(0);
    // The risk falls by an order of magnitude, and the float32 path follows the float64 one: a few u
    // per step, grown over 300 steps (measured: risk 8.5e-7, movements 4.5e-7, population risk 1.5e-7).
    expect(cpu.output.final.empiricalRisk).toBeLessThan(0.1 * cpu.output.history.risk[0]!);
    cpu.output.history.risk.forEach((r, k) => expect(Math.abs(gpu.output.history.risk[k]! - r) / r, `risk at step ${100 * k}`).toBeLessThan(1e-5));
    cpu.output.history.movementHidden.slice(1).forEach((v, k) => expect(Math.abs(gpu.output.history.movementHidden[k + 1]! - v), `movement of W at step ${100 * (k + 1)}`).toBeLessThan(5e-6 * v));
    cpu.output.history.movementOutput.slice(1).forEach((v, k) => expect(Math.abs(gpu.output.history.movementOutput[k + 1]! - v), `movement of a at step ${100 * (k + 1)}`).toBeLessThan(5e-6 * v));
    // The final metrics are those of the float32 end point in float64: the population risk exactly (arc-cosine kernel).
    expect(Math.abs(gpu.output.final.populationRisk! - cpu.output.final.populationRisk!) / cpu.output.final.populationRisk!).toBeLessThan(2e-6);
    expect(Math.abs(gpu.output.final.movementHidden - cpu.output.final.movementHidden) / cpu.output.final.movementHidden).toBeLessThan(5e-6);
    expect(gpu.output.populationRiskStandardError).toBe(0);
  });

  it('a frozen layer stays at its start and is left out of the gradient norm; unsupported runs are refused naming the field', async () => {
    const config = { ...DEFAULT_TWO_LAYER_TRAINING, d: 4, m: 30, n: 50, teacherWidth: 4, optimizer: 'gd' as const, freeze: 'hidden' as const, learningRateHidden: null, learningRateOutput: 0.3, steps: 200, historyEvery: 50 };
    const cpu = await trainTwoLayer(config);
    const gpu = await page.evaluate(async (config) => {
      const w = window as unknown as { webgpu: typeof import('./index'); kernels: import('./index').WebGpuKernels };
      return (await w.webgpu.trainTwoLayerOnGpu(w.kernels, config)).output;
    }, config);
    expect(gpu.config.learningRateHidden).toBe(0);
    expect(gpu.config.learningRateSource).toEqual({ hidden: 'frozen', output: 'flag' });
    expect(gpu.history.movementHidden.every((v) => v === 0)).toBe(true);
    expect(gpu.final.movementHidden).toBe(0);
    // Frozen W: the objective is a linear least-squares problem in a, and both runs follow it (measured 2e-7).
    cpu.output.history.gradientNorm.forEach((g, k) => expect(Math.abs(gpu.history.gradientNorm[k]! - g) / g, `gradient norm at step ${50 * k}`).toBeLessThan(2e-6));
    const refused = (change: Record<string, unknown>) =>
      page.evaluate(async (config) => {
        const w = window as unknown as { webgpu: typeof import('./index'); kernels: import('./index').WebGpuKernels };
        await w.webgpu.trainTwoLayerOnGpu(w.kernels, config as never);
      }, { ...config, ...change });
    await expect(refused({ activation: 'tanh' })).rejects.toThrow(/invalid activation: "tanh" \(expected 'relu'/);
    await expect(refused({ optimizer: 'lbfgs' })).rejects.toThrow(/invalid optimizer: "lbfgs"/);
    await expect(refused({ freeze: null })).rejects.toThrow(/invalid learningRateHidden: null/);
  });

  it('evaluates a two-layer ReLU network as evaluateTwoLayer does: risk and both gradients from the GPU, the population risk exact in float64', async () => {
    const rng = createRng(41);
    const n = 400;
    const d = 6;
    const m = 12;
    const x = gaussianMatrix(n, d, rng);
    const w = gaussianMatrix(m, d, rng, 1 / Math.sqrt(d));
    const a = rng.fillNormal(new Float64Array(m));
    const teacher = { w: gaussianMatrix(3, d, rng, 1 / Math.sqrt(d)), a: rng.fillNormal(new Float64Array(3)) };
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const options = { activation: 'relu' as const, parameterization: 'mean-field' as const };
    const want = evaluateTwoLayer({ w, a }, x, y, { ...options, teacher });
    const got = await page.evaluate(
      async ({ x, w, a, tw, ta, y, n, d, m, options }) => {
        const win = window as unknown as { webgpu: typeof import('./index') & { Matrix: typeof import('@shallowscape/linalg').Matrix }; kernels: import('./index').WebGpuKernels };
        const M = (rows: number, cols: number, data: number[]) => new win.webgpu.Matrix(rows, cols, Float64Array.from(data));
        const r = await win.webgpu.evaluateTwoLayerOnGpu(win.kernels, { w: M(m, d, w), a: Float64Array.from(a) }, M(n, d, x), Float64Array.from(y), {
          ...options,
          teacher: { w: M(3, d, tw), a: Float64Array.from(ta) },
        });
        return { ...r, gradientHidden: Array.from(r.gradientHidden.data), gradientOutput: Array.from(r.gradientOutput) };
      },
      { x: Array.from(x.data), w: Array.from(w.data), a: Array.from(a), tw: Array.from(teacher.w.data), ta: Array.from(teacher.a), y: Array.from(y), n, d, m, options },
    );
    expect(got.populationRisk).toBe(want.populationRisk);
    expect(got.populationRiskStandardError).toBe(0);
    // Measured: 3e-8, 3e-8 and 2.2e-7 (float32 sums over N = 400).
    expect(Math.abs(got.empiricalRisk - want.empiricalRisk) / want.empiricalRisk).toBeLessThan(5e-7);
    expect(Math.abs(got.gradientNorm - want.gradientNorm) / want.gradientNorm).toBeLessThan(5e-7);
    const diff = Math.hypot(...got.gradientOutput.map((g, r) => g - want.gradientOutput[r]!));
    expect(diff / Math.hypot(...want.gradientOutput)).toBeLessThan(2e-6);
    expect(got.empiricalRisk).not.toBe(want.empiricalRisk);
  });
});
