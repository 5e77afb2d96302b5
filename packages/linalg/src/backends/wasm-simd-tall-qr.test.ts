import { describe, expect, it } from 'vitest';
import { transposeKernel } from '../decompositions/qr';
import { tallQrStep } from '../decompositions/tall-svd';
import { svdRaw } from '../decompositions/svd-kernel';
import { gemmStridedKernel, type StridedGemm } from '../kernels/gemm-kernel';
import { createRng } from '../rng';
import { firstDifference } from '../testing/first-difference';
import { stridedGemmOver } from './strided-gemm-over';
import { createWasmSimdBackend, createWasmSimdWorkspace } from './wasm-simd';
import { createWasmSimdTallQr } from './wasm-simd-tall-qr';

// The QR step of the one-thread wasm-simd SVD, in the module's memory, against the same blocked
// kernel on the copying path (stridedGemmOver over the backend's gemm): the same factors, bit for
// bit, since every gemm of the package has the same bits. Sizes: one panel, several panels with a
// last narrow one, the first quarter of the columns (whole-row products) crossed, and m ≥ 4n (Gram
// products of the panels larger than n · panel).
describe('wasm-simd tall QR in the module memory', () => {
  const copying = stridedGemmOver(createWasmSimdBackend({ threads: 1, minWork: 0 })!.gemm!);

  for (const [m, n] of [[40, 20], [400, 70], [1000, 129], [257, 256], [2000, 100]] as const) {
    it(`gives the bits of the copying path: ${m}×${n}`, () => {
      const rng = createRng(m + n);
      const a = rng.fillNormal(new Float64Array(m * n));
      const copy = a.slice();
      const want = transposeKernel(m, n, a, new Float64Array(m * n));
      const wantTau = new Float64Array(n);
      const wantR = new Float64Array(n * n);
      tallQrStep(m, n, want, wantTau, wantR, copying);
      // Every product with work to do runs in the module: the fallback sees only empty ones.
      const fellBack: string[] = [];
      const fallback: StridedGemm = (transA, transB, mm, nn, k, alpha, ...rest) => {
        if (mm * nn * k !== 0 && alpha !== 0) fellBack.push(`${mm}×${nn}×${k}`);
        gemmStridedKernel(transA, transB, mm, nn, k, alpha, ...rest);
      };
      const qr = createWasmSimdTallQr(createWasmSimdWorkspace(), fallback);
      const tau = new Float64Array(n);
      const r = new Float64Array(n * n);
      const factors = qr(m, n, a, tau, r, true);
      expect(fellBack, 'products left to the TypeScript kernel').toEqual([]);
      expect(firstDifference(a, copy), 'input untouched').toBeNull();
      expect(factors).not.toBeNull();
      expect(firstDifference(factors as Float64Array, want), 'factors').toBeNull();
      expect(firstDifference(tau, wantTau), 'tau').toBeNull();
      expect(firstDifference(r, wantR), 'R').toBeNull();
      // R alone, again on the same module (its memory reused): the same R and τ, no factors.
      const tau2 = new Float64Array(n);
      const r2 = new Float64Array(n * n);
      expect(qr(m, n, a, tau2, r2, false)).toBeNull();
      expect(firstDifference(tau2, wantTau), 'tau').toBeNull();
      expect(firstDifference(r2, wantR), 'R').toBeNull();
    });
  }

  it('the one-thread backend’s singular values and SVD equal those of the threaded (copying) one and the reference backend’s, bit for bit', () => {
    const one = createWasmSimdBackend({ threads: 1 })!;
    const two = createWasmSimdBackend({ threads: 2, threadMinWork: 0 })!;
    const rng = createRng(5);
    // Tall and wide with the QR step, square with divide-and-conquer merges and back-transformations
    // of several reflector blocks (on Xᵀ from 64 rows and 4 blocks).
    for (const [rows, cols] of [[600, 90], [90, 600], [300, 300], [150, 130]] as const) {
      const a = rng.fillNormal(new Float64Array(rows * cols));
      const s = one.singularValues!(rows, cols, a);
      const shape = `${rows}×${cols}`;
      expect(firstDifference(s, two.singularValues!(rows, cols, a)), `${shape} values, two threads`).toBeNull();
      expect(firstDifference(s, svdRaw(rows, cols, a, 0).s), `${shape} values, reference`).toBeNull();
      const f = one.svd!(rows, cols, a);
      const threaded = two.svd!(rows, cols, a);
      const reference = svdRaw(rows, cols, a, 1);
      for (const [name, other] of [['two threads', threaded], ['reference', { s: reference.s, u: reference.u!, v: reference.v! }]] as const) {
        expect(firstDifference(f.s, other.s), `${shape} s, ${name}`).toBeNull();
        expect(firstDifference(f.u, other.u), `${shape} u, ${name}`).toBeNull();
        expect(firstDifference(f.v, other.v), `${shape} v, ${name}`).toBeNull();
      }
    }
  });
});
