import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { describeBackendConformance } from '../testing/backend-conformance';
import { referenceBackend } from './reference';
import { createWasmSimdBackend } from './wasm-simd';
import { WasmSimdThreads, defaultThreadCount } from './wasm-simd-threads';

// Every product past the cutover on the threads, so that small and odd sizes (fewer rows than
// threads, empty bands) go through the bands too.
const threaded = (threads: number) => createWasmSimdBackend({ threads, threadMinWork: 0, minWork: 0 })!;
const one = createWasmSimdBackend({ threads: 1, minWork: 0 })!;
const backends = [one, threaded(2), threaded(3), threaded(5)];

describeBackendConformance(threaded(3));

describe('wasm-simd threads', () => {
  it('start where Node has worker threads and shared memory, and not for one thread', async () => {
    const pool = WasmSimdThreads.create(2);
    expect(pool).not.toBeNull();
    expect(pool!.count).toBe(2);
    await pool!.destroy();
    expect(WasmSimdThreads.create(1)).toBeNull();
    expect(defaultThreadCount()).toBeGreaterThanOrEqual(1);
    expect(threaded(2).description).toMatch(/2 threads from 0 multiply–adds/);
    expect(createWasmSimdBackend({ threads: 1 })!.description).toMatch(/single thread/);
  });

  it('give the same bits as one thread for any thread count (and as the reference backend past its small-size path): gemm, every transpose, bands of any size', () => {
    const rng = createRng(17);
    for (const [m, n, k] of [[1, 7, 5], [3, 9, 4], [37, 41, 53], [130, 70, 300], [301, 5, 90]] as const) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = rng.fillNormal(new Float64Array(m * k));
          const b = rng.fillNormal(new Float64Array(k * n));
          const c0 = rng.fillNormal(new Float64Array(m * n));
          for (const beta of [0, 0.5]) {
            const want = c0.slice();
            one.gemm!(transA, transB, m, n, k, 1.5, a, b, beta, want);
            if (m === 130) {
              const reference = c0.slice();
              referenceBackend.gemm!(transA, transB, m, n, k, 1.5, a, b, beta, reference);
              expect(want).toEqual(reference);
            }
            for (const backend of backends.slice(1)) {
              const c = c0.slice();
              backend.gemm!(transA, transB, m, n, k, 1.5, a, b, beta, c);
              expect(c, `${backend.description}: ${m}×${n}×${k} ${transA} ${transB} β=${beta}`).toEqual(want);
            }
          }
        }
      }
    }
  });

  it('give the same bits for syrk (both forms, the full symmetric C) and the weighted Gram matrix, with bands balanced on the triangle', () => {
    const rng = createRng(18);
    for (const [n, k] of [[2, 3], [9, 40], [131, 77], [300, 260]] as const) {
      for (const transpose of [false, true]) {
        const a = rng.fillNormal(new Float64Array(n * k));
        const c0 = rng.fillNormal(new Float64Array(n * n));
        const want = c0.slice();
        one.syrk!(transpose, n, k, 0.7, a, 0.3, want);
        for (const backend of backends.slice(1)) {
          const c = c0.slice();
          backend.syrk!(transpose, n, k, 0.7, a, 0.3, c);
          expect(c, `${backend.description}: syrk ${n}, ${k}, ${transpose}`).toEqual(want);
        }
      }
      const x = rng.fillNormal(new Float64Array(k * n));
      const w = rng.fillNormal(new Float64Array(k));
      const want = new Float64Array(n * n);
      one.weightedGram!(k, n, x, w, want);
      for (const backend of backends.slice(1)) {
        const c = new Float64Array(n * n).fill(Number.NaN);
        backend.weightedGram!(k, n, x, w, c);
        expect(c, `${backend.description}: weightedGram ${k}×${n}`).toEqual(want);
      }
    }
  });

  it('rejects a thread count or cutover that means nothing, naming the option', () => {
    expect(() => createWasmSimdBackend({ threads: 0 })).toThrow(/options\.threads/);
    expect(() => createWasmSimdBackend({ threads: 1.5 })).toThrow(/options\.threads/);
    expect(() => createWasmSimdBackend({ threadMinWork: -1 })).toThrow(/options\.threadMinWork/);
  });
});
