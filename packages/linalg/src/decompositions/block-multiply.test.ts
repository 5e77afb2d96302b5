import { describe, expect, it } from 'vitest';
import { multiplyBlocked } from './block-multiply';
import { createRng } from '../rng';

const EPS = Number.EPSILON;

describe('multiplyBlocked', () => {
  // Shapes straddle the 4 × 4 tile, the 64-row and 256-deep blocks, and include empty products.
  const shapes: Array<[number, number, number]> = [
    [1, 1, 1],
    [3, 5, 2],
    [4, 4, 4],
    [7, 9, 13],
    [65, 33, 257],
    [130, 6, 300],
    [5, 1100, 3],
    [0, 4, 3],
    [3, 0, 3],
    [3, 4, 0],
  ];
  for (const [m, n, k] of shapes) {
    it(`${m}×${k} · ${k}×${n} with offsets, strides, α and β`, () => {
      const rng = createRng(m * 1000 + n * 10 + k);
      const lda = k + 3, ldb = n + 2, ldc = n + 5;
      const aOff = 7, bOff = 2, cOff = 4;
      const a = new Float64Array(aOff + m * lda).map(() => rng.normal());
      const b = new Float64Array(bOff + Math.max(k, 1) * ldb).map(() => rng.normal());
      const c = new Float64Array(cOff + Math.max(m, 1) * ldc).map(() => rng.normal());
      const alpha = -1.5, beta = 0.25;
      const expected = c.slice();
      const bound = new Float64Array(c.length);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          let magnitude = 0;
          for (let p = 0; p < k; p++) {
            const t = a[aOff + i * lda + p]! * b[bOff + p * ldb + j]!;
            s += t;
            magnitude += Math.abs(t);
          }
          const old = c[cOff + i * ldc + j]!;
          expected[cOff + i * ldc + j] = alpha * s + beta * old;
          // Same products summed in another order: |Δ| ≤ (k + 2)·ε·(|α|Σ|a||b| + |βc|).
          bound[cOff + i * ldc + j] = (k + 2) * EPS * (Math.abs(alpha) * magnitude + Math.abs(beta * old));
        }
      }
      multiplyBlocked(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      for (let t = 0; t < c.length; t++) {
        expect(Math.abs(c[t]! - expected[t]!), `C at flat index ${t}`).toBeLessThanOrEqual(bound[t]!);
      }
    });
  }

  it('β = 0 ignores NaN in C; β = 1 accumulates; entries outside the block are untouched', () => {
    const a = new Float64Array([1, 2, 3, 4]);
    const b = new Float64Array([5, 6, 7, 8]);
    const c = new Float64Array([NaN, NaN, NaN, NaN, 99]);
    multiplyBlocked(2, 2, 2, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2);
    expect(Array.from(c)).toEqual([19, 22, 43, 50, 99]);
    multiplyBlocked(2, 2, 2, 1, a, 0, 2, b, 0, 2, 1, c, 0, 2);
    expect(Array.from(c)).toEqual([38, 44, 86, 100, 99]);
  });
});
