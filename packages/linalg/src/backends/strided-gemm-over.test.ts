import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { gemmStridedKernel } from '../kernels/gemm-kernel';
import { referenceBackend } from './reference';
import { stridedGemmOver } from './strided-gemm-over';
import { createWasmSimdBackend } from './wasm-simd';

/** The product by its definition, in plain loops, on the same strided blocks. */
function naive(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float64Array, aOff: number, lda: number, b: Float64Array, bOff: number, ldb: number,
  beta: number, c: Float64Array, cOff: number, ldc: number,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[aOff + p * lda + i]! : a[aOff + i * lda + p]!) * (transB ? b[bOff + j * ldb + p]! : b[bOff + p * ldb + j]!);
      const o = cOff + i * ldc + j;
      c[o] = alpha * s + (beta === 0 ? 0 : beta * c[o]!);
    }
  }
}

describe('stridedGemmOver', () => {
  const wasm = createWasmSimdBackend({ threads: 1 });
  const backends = [referenceBackend, ...(wasm === null ? [] : [wasm])];
  for (const backend of backends) {
    it(`${backend.name}: strided and dense blocks, all transposes, β = 0 and β ≠ 0, small and large, equal the definition; C outside the block untouched`, () => {
      const strided = stridedGemmOver(backend.gemm!);
      const rng = createRng(5);
      for (const [m, n, k] of [[3, 4, 5], [40, 50, 60], [70, 33, 90]] as const) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            for (const beta of [0, 0.5]) {
              for (const padded of [false, true]) {
                const pad = padded ? 3 : 0;
                const [ar, ac] = transA ? [k, m] : [m, k];
                const [br, bc] = transB ? [n, k] : [k, n];
                const lda = ac + pad;
                const ldb = bc + pad;
                const ldc = n + pad;
                const a = rng.fillNormal(new Float64Array(pad + ar * lda));
                const b = rng.fillNormal(new Float64Array(pad + br * ldb));
                const c0 = rng.fillNormal(new Float64Array(pad + m * ldc));
                const got = c0.slice();
                const want = c0.slice();
                strided(transA, transB, m, n, k, 1.5, a, pad, lda, b, pad, ldb, beta, got, pad, ldc);
                naive(transA, transB, m, n, k, 1.5, a, pad, lda, b, pad, ldb, beta, want, pad, ldc);
                // Componentwise gemm bound: 2(k + 2)u Σ|a||b| ≤ that times the largest |a|·|b|·k.
                let scale = 0;
                for (const v of a) scale = Math.max(scale, Math.abs(v));
                let bmax = 0;
                for (const v of b) bmax = Math.max(bmax, Math.abs(v));
                const tol = 2 * (k + 2) * Number.EPSILON * (1.5 * k * scale * bmax + Math.abs(beta) * 5);
                for (let i = 0; i < got.length; i++) {
                  const inBlock = i >= pad && (i - pad) % ldc < n && Math.floor((i - pad) / ldc) < m;
                  if (inBlock) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(tol);
                  else expect(got[i]).toBe(c0[i]);
                }
                // Deterministic: the same call gives the same bits.
                const again = c0.slice();
                strided(transA, transB, m, n, k, 1.5, a, pad, lda, b, pad, ldb, beta, again, pad, ldc);
                expect(Array.from(again)).toEqual(Array.from(got));
              }
            }
          }
        }
      }
    });
  }

  it('below 32 768 multiply–adds it is the TypeScript kernel, bit for bit', () => {
    const strided = stridedGemmOver(() => {
      throw new Error('gemm must not be called for a small product');
    });
    const rng = createRng(6);
    const a = rng.fillNormal(new Float64Array(30 * 31));
    const b = rng.fillNormal(new Float64Array(31 * 32));
    const c1 = new Float64Array(30 * 32);
    const c2 = new Float64Array(30 * 32);
    strided(false, false, 30, 32, 31, 1, a, 0, 31, b, 0, 32, 0, c1, 0, 32);
    gemmStridedKernel(false, false, 30, 32, 31, 1, a, 0, 31, b, 0, 32, 0, c2, 0, 32);
    expect(Array.from(c1)).toEqual(Array.from(c2));
  });
});
