/**
 * The gpu benchmark's cases (suites/gpu-cases.mjs) run once each, small, on a real WebGPU device:
 * Debian's headless chromium with SwiftShader's adapter. Machines without a GPU skip the suite, so
 * this is what keeps its code (resident sgemm, the risk, the descent on the device, the training
 * run, gpu.js's product) working until a GPU machine times it.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBundlePage, type BundlePage } from '@shallowscape/test-utils';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const pkg = (name: string): string => here(`../../packages/${name}/src/index.ts`);

let opened: BundlePage;
beforeAll(async () => {
  opened = await openBundlePage({
    contents: [
      `export { gpuCases } from ${JSON.stringify(here('./suites/gpu-cases.mjs'))};`,
      ...['linalg', 'model', 'experiments', 'webgpu', 'gpujs'].map((p) => `export * as ${p} from ${JSON.stringify(pkg(p))};`),
    ].join('\n'),
    resolveDir: here('.'),
    alias: Object.fromEntries(['linalg', 'model', 'optim', 'rmt', 'certificates', 'experiments', 'webgpu'].map((p) => [`@shallowscape/${p}`, pkg(p)])),
    globalName: 'bench',
  });
}, 120_000);
afterAll(async () => {
  await opened?.close();
});

describe('the gpu benchmark cases', () => {
  it('run on a WebGPU device: every subject of every case, and the training run lowers the risk', async () => {
    const ran = await opened.page.evaluate(async () => {
      const b = (window as unknown as { bench: Record<string, any> }).bench; // eslint-disable-line @typescript-eslint/no-explicit-any
      const kernels = await b.webgpu.WebGpuKernels.create(navigator.gpu);
      const gpujs = await b.gpujs.GpujsKernels.create('webgpu');
      const cases = b.gpuCases({
        linalg: b.linalg,
        model: b.model,
        experiments: b.experiments,
        webgpu: b.webgpu,
        kernels,
        reason: null,
        gpujs,
        gpujsReason: null,
        quick: true,
        sizes: { gemm: [64], shapes: [[6, 4, 300]], training: { m: 6, d: 4, n: 300, steps: 40 } },
      });
      const done: Array<{ name: string; subjects: string[]; skip: string | null; params: Record<string, unknown>; torch: unknown }> = [];
      for (const c of cases) {
        const subjects = [];
        for (const [subject, spec] of Object.entries(c.subjects ?? {}) as Array<[string, { setup: () => unknown }]>) {
          const fn = (await spec.setup()) as () => unknown;
          await fn();
          subjects.push(subject);
        }
        done.push({ name: c.name, subjects, skip: c.skip ?? null, params: c.params, torch: c.torch ?? null });
      }
      return done;
    });
    expect(ran.map((c) => c.name)).toEqual([
      'sgemm n=64 [webgpu, resident]',
      'sgemm n=64 [webgpu, Float64Array in and out]',
      'sgemm n=64 [gpujs, webgpu mode]',
      'quadratic risk+grad m=6 d=4 N=300 [webgpu]',
      'train 40 steps m=6 d=4 N=300 [webgpu, end to end]',
    ]);
    expect(ran.every((c) => c.skip === null)).toBe(true);
    expect(ran[0]!.torch).toEqual({ op: 'sgemm', n: 64, reps: 10, warmup: 3, seed: 64 });
    expect(ran[3]!.subjects).toEqual(['shallowscape', 'device step', 'wasm-simd']);
    const training = ran[4]!.params as { riskFirst: number; riskLast: number; stopReason: string; learningRate: number };
    expect(training.stopReason).toBe('max-steps');
    expect(training.learningRate).toBeGreaterThan(0);
    expect(training.riskLast).toBeLessThan(0.5 * training.riskFirst);
  });
});
