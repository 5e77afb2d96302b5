import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { allocateOperand } from '../backend';
import { gemmKernel } from '../kernels/gemm-kernel';
import { blockedQuadraticFormsKernel, quadraticFormsWorkspace } from '../kernels/quadratic-forms-kernel';
import { createRng } from '../rng';
import { describeBackendConformance } from '../testing/backend-conformance';
import { firstDifference } from '../testing/first-difference';
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

  it('give the same bits as one thread for any thread count and schedule (and as the reference backend past its small-size path): gemm, every transpose, blocks of any size', () => {
    const rng = createRng(17);
    // Few rows (below 256 per thread): one band per thread, each packing op(B) itself. 800 × 420 × 270
    // on 2 and 3 threads: blocks against panels packed once, two column blocks (384, 36) and two
    // of depth (256, 14); on 5, bands again. 5 × 1000: fewer rows than threads.
    for (const [m, n, k] of [[1, 7, 5], [3, 9, 4], [37, 41, 53], [130, 70, 300], [301, 5, 90], [800, 420, 270], [5, 1000, 20]] as const) {
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
              expect(firstDifference(c, want), `${backend.description}: ${m}×${n}×${k} ${transA} ${transB} β=${beta}`).toBeNull();
            }
          }
        }
      }
    }
  });

  it('give the same bits for syrk (both forms, the full symmetric C) and the weighted Gram matrix, by blocks of the lower triangle', () => {
    const rng = createRng(18);
    // n = 800 on 2 and 3 threads: blocks against panels packed once (two column blocks, the second
    // cut by the triangle's rows) and the mirror by blocks of rows on the threads; else bands.
    for (const [n, k] of [[2, 3], [9, 40], [131, 77], [300, 260], [800, 270]] as const) {
      for (const transpose of [false, true]) {
        const a = rng.fillNormal(new Float64Array(n * k));
        const c0 = rng.fillNormal(new Float64Array(n * n));
        const want = c0.slice();
        one.syrk!(transpose, n, k, 0.7, a, 0.3, want);
        for (const backend of backends.slice(1)) {
          const c = c0.slice();
          backend.syrk!(transpose, n, k, 0.7, a, 0.3, c);
          expect(firstDifference(c, want), `${backend.description}: syrk ${n}, ${k}, ${transpose}`).toBeNull();
        }
      }
      const x = rng.fillNormal(new Float64Array(k * n));
      const w = rng.fillNormal(new Float64Array(k));
      const want = new Float64Array(n * n);
      one.weightedGram!(k, n, x, w, want);
      for (const backend of backends.slice(1)) {
        const c = new Float64Array(n * n).fill(Number.NaN);
        backend.weightedGram!(k, n, x, w, c);
        expect(firstDifference(c, want), `${backend.description}: weightedGram ${k}×${n}`).toBeNull();
      }
    }
  });

  // d = 300: column prefixes past 256, so the sums over r run in two chunks as the packed product's do.
  it('give the quadratic forms of the reference scheme bit for bit, for any thread count and row split (upper triangle of A only)', () => {
    const rng = createRng(19);
    for (const [n, d] of [[1, 1], [3, 5], [7, 2], [300, 1], [257, 130], [1000, 37], [2049, 100], [41, 300]] as const) {
      const x = rng.fillNormal(new Float64Array(n * d));
      const a = rng.fillNormal(new Float64Array(d * d));
      for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) a[j * d + k] = a[k * d + j]!;
      const want = new Float64Array(n);
      blockedQuadraticFormsKernel(n, d, x, a, want, gemmKernel, quadraticFormsWorkspace(n, d));
      // The strict lower triangle is never read: NaN there changes no bit.
      const upper = a.slice();
      for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) upper[j * d + k] = Number.NaN;
      for (const backend of backends) {
        const f = new Float64Array(n).fill(Number.NaN);
        backend.quadraticForms!(n, d, x, upper, f);
        expect(f, `${backend.description}: forms ${n}×${d}`).toEqual(want);
      }
    }
    const f = Float64Array.of(Number.NaN, Number.NaN);
    threaded(2).quadraticForms!(2, 0, new Float64Array(0), new Float64Array(0), f);
    expect(f).toEqual(new Float64Array(2));
  });

  it('read resident arrays (allocate) in place: the same bits as plain operands, zero-filled, a plain array on one thread', () => {
    const rng = createRng(20);
    const backend = threaded(2);
    const [n, d, m] = [700, 60, 45];
    const x = allocateOperand(n * d, backend);
    expect(x.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(x.every((v) => v === 0)).toBe(true);
    rng.fillNormal(x);
    const plain = x.slice();
    const w = rng.fillNormal(new Float64Array(n));
    const b = allocateOperand(d * m, backend);
    rng.fillNormal(b);
    const a = rng.fillNormal(new Float64Array(d * d));
    const run = (xs: Float64Array, bs: Float64Array) => {
      const gram = new Float64Array(d * d);
      backend.weightedGram!(n, d, xs, w, gram);
      const syrk = new Float64Array(d * d);
      backend.syrk!(true, d, n, 1, xs, 0, syrk);
      const product = new Float64Array(n * m);
      backend.gemm!(false, false, n, m, d, 1, xs, bs, 0, product);
      const forms = new Float64Array(n);
      backend.quadraticForms!(n, d, xs, a, forms);
      return [gram, syrk, product, forms];
    };
    expect(run(x, b)).toEqual(run(plain, b.slice()));
    // A second resident array does not overlap the first, and changing one changes what is read.
    const y = allocateOperand(n * d, backend);
    y.set(plain);
    x.fill(1);
    expect(run(y, b)).toEqual(run(plain, b.slice()));
    expect(run(x, b)[3]).toEqual(run(new Float64Array(n * d).fill(1), b.slice())[3]);
    // One thread, or fewer than 2¹⁵ entries: a plain array.
    const single = allocateOperand(1 << 16, one);
    expect(single.buffer).toBeInstanceOf(ArrayBuffer);
    expect(single.every((v) => v === 0)).toBe(true);
    expect(allocateOperand((1 << 15) - 1, backend).buffer).toBeInstanceOf(ArrayBuffer);
    expect(allocateOperand(1 << 15, backend).buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('free the region of a resident array once it is garbage-collected, and reuse it', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const backend = threaded(2);
    // The first array is referenced only inside this function: afterwards only the WeakRef holds it.
    const dropped = () => {
      const first = backend.allocate!(1 << 20);
      return { offset: first.byteOffset, ref: new WeakRef(first) };
    };
    const { offset, ref } = dropped();
    const keep = backend.allocate!(1 << 15);
    expect(keep.byteOffset).toBeGreaterThanOrEqual(offset + 8 * (1 << 20));
    // deref() keeps its target alive to the end of the current job: collect in a later one.
    const tick = () => new Promise((resolve) => setTimeout(resolve, 10));
    let collected = false;
    for (let round = 0; round < 20 && !collected; round++) {
      await tick();
      gc();
      await tick();
      collected = ref.deref() === undefined;
    }
    expect(collected).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the registry's cleanup runs as a task
    const again = backend.allocate!(1 << 19);
    expect(again.byteOffset).toBe(offset);
    expect(keep.byteOffset).toBeGreaterThan(again.byteOffset);
  });

  it('report a unit that fails (a trap, on whichever thread) once every thread has left the job, and run the next job as usual', async () => {
    const pool = WasmSimdThreads.create(3)!;
    const run = (pool as unknown as { run(phases: unknown[][], scratch: number, each: number): void }).run.bind(pool);
    // mirrorRows far past the memory's end traps; the other units do nothing (an empty mirror).
    const fine = ['mirrorRows', [0, 0, 0, 0]];
    const trap = ['mirrorRows', [2, 2 ** 31 - 64, 0, 2]];
    for (let bad = 0; bad < 8; bad++) {
      const units = Array.from({ length: 8 }, (_, u) => [u === bad ? trap : fine]);
      expect(() => run([units, [[fine], [fine], [fine]]], 0, 0)).toThrow(/worker thread of the wasm-simd backend failed/);
    }
    const rng = createRng(21);
    const [m, n, k] = [600, 50, 40];
    const a = rng.fillNormal(new Float64Array(m * k));
    const b = rng.fillNormal(new Float64Array(k * n));
    const want = new Float64Array(m * n);
    one.gemm!(false, false, m, n, k, 1, a, b, 0, want);
    const c = new Float64Array(m * n);
    expect(pool.gemm(false, false, m, n, k, 1, a, b, 0, c)).toBe(true);
    expect(firstDifference(c, want)).toBeNull();
    await pool.destroy();
  });

  it('rejects a thread count or cutover that means nothing, naming the option', () => {
    expect(() => createWasmSimdBackend({ threads: 0 })).toThrow(/options\.threads/);
    expect(() => createWasmSimdBackend({ threads: 1.5 })).toThrow(/options\.threads/);
    expect(() => createWasmSimdBackend({ threadMinWork: -1 })).toThrow(/options\.threadMinWork/);
  });
});
