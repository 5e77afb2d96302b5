/**
 * The gpu.js kernels in headless chromium, in both gpu.js modes: WebGL2 (SwiftShader's GL) and
 * WebGPU (SwiftShader's Vulkan). The backend conformance suite of `@shallowscape/linalg` runs in
 * Node with each asynchronous product a call into the page (float32 tolerances, u = 2⁻²⁴); the
 * quadratic risk and gradient are compared with `QuadraticEmpiricalRisk` in float64.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, gaussianMatrix, type LinalgBackend } from '@shallowscape/linalg';
import { DEFAULT_QUADRATIC_TRAINING, DEFAULT_TWO_LAYER_TRAINING, trainQuadratic, trainTwoLayer } from '@shallowscape/experiments';
import { QuadraticEmpiricalRisk, TwoLayerEmpiricalRisk, parameterizationScale } from '@shallowscape/model';
import { describeBackendConformance } from '../../linalg/src/testing/backend-conformance';
import { openGpujsPage, type GpujsPage } from './testing/gpujs-page';

let opened: GpujsPage;
const consoleMessages: string[] = [];
beforeAll(async () => {
  opened = await openGpujsPage();
  opened.page.on('console', (message) => consoleMessages.push(`${message.type()}: ${message.text()}`));
}, 120_000);
afterAll(async () => {
  await opened?.close();
});

type Slot = 'gemmAsync' | 'syrkAsync' | 'weightedGramAsync';
type Mode = 'webgl2' | 'webgpu';

/** Calls `window.backends[mode][slot]` in the page; the last array argument is the output. */
async function inPage(mode: Mode, slot: Slot, args: unknown[]): Promise<void> {
  const wire = args.map((a) => (a instanceof Float64Array ? { f64: Array.from(a) } : a));
  const out = await opened.page.evaluate(
    async ({ mode, slot, wire }) => {
      const backend = (window as unknown as { backends: Record<string, Record<string, (...a: unknown[]) => Promise<void>>> }).backends[mode]!;
      const decoded = wire.map((a) => (a !== null && typeof a === 'object' && 'f64' in (a as object) ? Float64Array.from((a as { f64: number[] }).f64) : a));
      await backend[slot]!(...decoded);
      return Array.from(decoded[decoded.length - 1] as Float64Array);
    },
    { mode, slot, wire },
  );
  (args[args.length - 1] as Float64Array).set(out);
}

for (const mode of ['webgl2', 'webgpu'] as const) {
  const proxy: LinalgBackend = {
    name: `gpujs-${mode}`,
    precision: 'float32',
    description: `the gpujs backend in gpu.js's ${mode} mode, in headless chromium (SwiftShader)`,
    gemmAsync: (...args) => inPage(mode, 'gemmAsync', args),
    syrkAsync: (...args) => inPage(mode, 'syrkAsync', args),
    weightedGramAsync: (...args) => inPage(mode, 'weightedGramAsync', args),
  };
  describeBackendConformance(proxy);

  describe(`gpu.js in its ${mode} mode`, () => {
    it('runs on that mode, never on the CPU fallback of gpu.js', async () => {
      const kernelClass = await opened.page.evaluate(async (mode) => {
        const k = (window as unknown as { kernels: Record<string, { gpu: { Kernel: { name: string; mode: string } | null } }> }).kernels[mode]!;
        return k.gpu.Kernel === null ? null : { name: k.gpu.Kernel.name, mode: k.gpu.Kernel.mode };
      }, mode);
      expect(kernelClass?.name).toBe(mode === 'webgl2' ? 'WebGL2Kernel' : 'WebGPUKernel');
      expect(consoleMessages.filter((m) => /fall(ing)? ?back|cpu/i.test(m))).toEqual([]);
    });
  });

  describe(`gpu.js quadratic risk (${mode})`, () => {
    it('agrees with QuadraticEmpiricalRisk: risk and gradient to float32 accuracy, not exactly', async () => {
      const rng = createRng(mode === 'webgl2' ? 1 : 2);
      const n = 300;
      const d = 7;
      const m = 5;
      const x = gaussianMatrix(n, d, rng);
      const w = gaussianMatrix(m, d, rng);
      const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i) + 2);
      const signs = Float64Array.of(1, 1, 1, -1, -1);
      const reference = new QuadraticEmpiricalRisk(x, y, m, { signs });
      const got = await opened.page.evaluate(
        async ({ mode, x, w, y, n, d, m, signs }) => {
          const k = (window as unknown as { kernels: Record<string, import('./index').GpujsKernels> }).kernels[mode]!;
          const gradient = new Float64Array(m * d);
          const value = await k.quadraticRisk(Float64Array.from(w), Float64Array.from(x), Float64Array.from(y), { n, d, m }, Float64Array.from(signs), gradient);
          return { value, gradient: Array.from(gradient) };
        },
        { mode, x: Array.from(x.data), w: Array.from(w.data), y: Array.from(y), n, d, m, signs: Array.from(signs) },
      );
      const wantValue = reference.value(w.data);
      const wantGradient = reference.gradient(w.data);
      // Float32 throughout: relative errors of a few u (measured 0.6–2.6e-7 = 1–4u), far above float64's.
      expect(Math.abs(got.value - wantValue) / wantValue).toBeLessThan(2e-6);
      const diff = Math.hypot(...got.gradient.map((g, k) => g - wantGradient[k]!));
      expect(diff / Math.hypot(...wantGradient)).toBeLessThan(2e-6);
      expect(got.value).not.toBe(wantValue);
    });
  });

  describe(`gpu.js two-layer ReLU risk (${mode})`, () => {
    it('agrees with TwoLayerEmpiricalRisk: risk and both gradients to float32 accuracy, not exactly', async () => {
      const rng = createRng(mode === 'webgl2' ? 11 : 12);
      const n = 300;
      const d = 6;
      const m = 20;
      const x = gaussianMatrix(n, d, rng);
      const y = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
      const scale = parameterizationScale('ntk', m);
      const theta = rng.fillNormal(new Float64Array(m * d + m));
      const reference = new TwoLayerEmpiricalRisk(x, y, { width: m, activation: 'relu', parameterization: 'ntk' });
      const got = await opened.page.evaluate(
        async ({ mode, x, theta, y, n, d, m, scale }) => {
          const k = (window as unknown as { kernels: Record<string, import('./index').GpujsKernels> }).kernels[mode]!;
          const gradient = new Float64Array(m * d + m);
          const value = await k.reluRisk(Float64Array.from(theta), Float64Array.from(x), Float64Array.from(y), { n, d, m, scale }, gradient);
          return { value, gradient: Array.from(gradient) };
        },
        { mode, x: Array.from(x.data), theta: Array.from(theta), y: Array.from(y), n, d, m, scale },
      );
      const wantValue = reference.value(theta);
      const wantGradient = reference.gradient(theta);
      const relative = (from: number, to: number): number =>
        Math.hypot(...got.gradient.slice(from, to).map((g, k) => g - wantGradient[from + k]!)) / Math.hypot(...wantGradient.subarray(from, to));
      // Float32 throughout (no pre-activation of these data lies within float32's error of 0).
      expect(Math.abs(got.value - wantValue) / wantValue).toBeLessThan(2e-6);
      expect(relative(0, m * d)).toBeLessThan(2e-6);
      expect(relative(m * d, m * d + m)).toBeLessThan(2e-6);
      expect(got.value).not.toBe(wantValue);
    });
  });
}

describe('training with gpu.js (webgl2)', () => {
  it('follows the float64 path of trainQuadratic with the same fixed step, and returns its shape', async () => {
    const config = { ...DEFAULT_QUADRATIC_TRAINING, d: 4, m: 6, n: 40, teacherWidth: 4, optimizer: 'gd' as const, learningRate: 2e-4, steps: 200, historyEvery: 50, certify: false };
    const cpu = await trainQuadratic(config);
    const gpu = await opened.page.evaluate(async (config) => {
      const w = window as unknown as { gpujs: typeof import('./index'); kernels: Record<string, import('./index').GpujsKernels> };
      const result = await w.gpujs.trainQuadraticOnGpujs(w.kernels.webgl2!, config);
      return result.output;
    }, config);
    expect(Object.keys(gpu).sort()).toEqual(Object.keys(cpu.output).sort());
    expect(gpu.history.step).toEqual([0, 50, 100, 150, 200]);
    expect(cpu.output.final.empiricalRisk).toBeLessThan(0.1 * cpu.output.history.risk[0]!);
    // Measured 3e-7 along the path.
    cpu.output.history.risk.forEach((r, k) => expect(Math.abs(gpu.history.risk[k]! - r) / r, `step ${50 * k}`).toBeLessThan(1e-5));
  });
});

describe('two-layer training with gpu.js (webgpu)', () => {
  it('follows the float64 path of trainTwoLayer with the same fixed rates, and returns its shape', async () => {
    const config = { ...DEFAULT_TWO_LAYER_TRAINING, d: 4, m: 20, n: 40, teacherWidth: 4, optimizer: 'gd' as const, learningRateHidden: 0.5, learningRateOutput: 0.5, steps: 100, historyEvery: 50 };
    const cpu = await trainTwoLayer(config);
    const gpu = await opened.page.evaluate(async (config) => {
      const w = window as unknown as { gpujs: typeof import('./index'); kernels: Record<string, import('./index').GpujsKernels> };
      return (await w.gpujs.trainTwoLayerOnGpujs(w.kernels.webgpu!, config)).output;
    }, config);
    expect(Object.keys(gpu).sort()).toEqual(Object.keys(cpu.output).sort());
    expect(gpu.history.step).toEqual([0, 50, 100]);
    expect(cpu.output.final.empiricalRisk).toBeLessThan(0.5 * cpu.output.history.risk[0]!);
    cpu.output.history.risk.forEach((r, k) => expect(Math.abs(gpu.history.risk[k]! - r) / r, `step ${50 * k}`).toBeLessThan(1e-5));
    cpu.output.history.movementHidden.slice(1).forEach((v, k) => expect(Math.abs(gpu.history.movementHidden[k + 1]! - v) / v, `step ${50 * (k + 1)}`).toBeLessThan(1e-5));
  });
});
