import { describe, expect, it } from 'vitest';
import { bidiagonalize } from '../decompositions/bidiagonalize';
import { svdRaw } from '../decompositions/svd-kernel';
import { createRng } from '../rng';
import { createWasmSimdBackend, createWasmSimdWorkspace } from './wasm-simd';
import { createWasmSimdBidiagonalize } from './wasm-simd-bidiagonalize';

/** The entries whose bits differ (−0 and +0 differ too). */
function bitDifferences(a: Float64Array, b: Float64Array): number {
  const x = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const y = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  let count = x.length === y.length ? 0 : Infinity;
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) count++;
  return count;
}

/** Reduces a copy of `a` (m × n) with `reduce`; returns every output. */
function reduceWith(reduce: typeof bidiagonalize, m: number, n: number, a: Float64Array, vectors: boolean) {
  const w = a.slice();
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 1));
  const tauL = new Float64Array(n);
  const tauR = new Float64Array(n);
  const vl = vectors ? new Float64Array(n * m) : null;
  reduce(m, n, w, d, e, tauL, tauR, vl);
  return { w, d, e, tauL, tauR, vl };
}

// The bidiagonalisation of the wasm-simd SVD (the fused row pass in the module, f64x2 over the
// columns, wasm/assembly/bidiagonal-rows.ts) against the TypeScript reduction: the same bits for
// every output. Shapes cover one and two columns, odd and even row lengths (the SIMD tail), row
// counts that are and are not multiples of four past the first row, square and tall, a zero
// column (τ = 0) and a rank-one matrix.
describe('wasm-simd bidiagonalisation', () => {
  const wasm = createWasmSimdBidiagonalize(createWasmSimdWorkspace());
  const shapes = [[1, 1], [3, 1], [2, 2], [5, 3], [9, 4], [8, 8], [37, 37], [64, 33], [130, 129], [301, 64]] as const;
  for (const [m, n] of shapes) {
    it(`gives the TypeScript bits: ${m}×${n}`, () => {
      const a = createRng(m * 131 + n).fillNormal(new Float64Array(m * n));
      for (const vectors of [false, true]) {
        const want = reduceWith(bidiagonalize, m, n, a, vectors);
        const got = reduceWith(wasm, m, n, a, vectors);
        for (const key of ['w', 'd', 'e', 'tauL', 'tauR'] as const) expect(bitDifferences(got[key], want[key]), key).toBe(0);
        if (vectors) expect(bitDifferences(got.vl!, want.vl!)).toBe(0);
      }
    });
  }

  it('gives the TypeScript bits with a zero column and on a rank-one matrix', () => {
    const m = 23;
    const n = 11;
    const zero = createRng(3).fillNormal(new Float64Array(m * n));
    for (let i = 0; i < m; i++) zero[i * n + 4] = 0;
    const rankOne = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) rankOne[i * n + j] = (i - 7) * (j + 0.5);
    for (const a of [zero, rankOne]) {
      const want = reduceWith(bidiagonalize, m, n, a, true);
      const got = reduceWith(wasm, m, n, a, true);
      for (const key of ['w', 'd', 'e', 'tauL', 'tauR', 'vl'] as const) expect(bitDifferences(got[key]!, want[key]!), key).toBe(0);
    }
  });

  it('is a bidiagonalisation: the singular values of B are those of A (Frobenius norms agree)', () => {
    const m = 90;
    const n = 40;
    const a = createRng(9).fillNormal(new Float64Array(m * n));
    const { d, e } = reduceWith(wasm, m, n, a, false);
    let frobA = 0;
    for (const x of a) frobA += x * x;
    let frobB = 0;
    for (let i = 0; i < n; i++) frobB += d[i]! ** 2 + (i < n - 1 ? e[i]! ** 2 : 0);
    expect(Math.abs(frobB - frobA)).toBeLessThanOrEqual(1e-12 * frobA);
  });

  it('leaves the one-thread backend’s SVD with the reference bits', () => {
    const backend = createWasmSimdBackend({ threads: 1 })!;
    const rng = createRng(17);
    for (const [rows, cols] of [[200, 200], [61, 150]] as const) {
      const a = rng.fillNormal(new Float64Array(rows * cols));
      expect(bitDifferences(backend.singularValues!(rows, cols, a), svdRaw(rows, cols, a, 0).s)).toBe(0);
    }
  });
});
