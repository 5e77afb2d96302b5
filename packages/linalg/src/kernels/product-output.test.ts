/**
 * The outputs the checked products make (product-output.ts): from 2¹⁶ entries their memory is not
 * zeroed first, so every entry must come from the kernel. These cases are the ones where a kernel
 * could be tempted to write nothing (an empty inner dimension, α = 0), on every float64 backend,
 * after the memory of the runtime has held other numbers.
 */
import { describe, expect, it } from 'vitest';
import { referenceBackend } from '../backends/reference';
import { createWasmSimdBackend } from '../backends/wasm-simd';
import { Matrix } from '../matrix';
import { createRng } from '../rng';
import { gemm } from './gemm';
import { productOutput } from './product-output';
import { syrk } from './syrk';
import { weightedGram } from './weighted-gram';

const backends = [referenceBackend, createWasmSimdBackend({ threads: 1 })!, createWasmSimdBackend({ threads: 2, threadMinWork: 0 })!];

/** Fills and drops arrays of `entries` doubles with 7, so that freed memory holds something other than zeros. */
function dirtyTheHeap(entries: number): void {
  for (let i = 0; i < 8; i++) new Float64Array(entries).fill(7);
}

describe('productOutput', () => {
  it('is a rows × cols matrix of doubles, small or large, with data of its own', () => {
    for (const [rows, cols] of [[0, 5], [3, 4], [256, 256], [300, 301]] as const) {
      const c = productOutput(rows, cols);
      expect(c).toBeInstanceOf(Matrix);
      expect([c.rows, c.cols, c.data.length]).toEqual([rows, cols, rows * cols]);
      expect(c.data).toBeInstanceOf(Float64Array);
      expect(c.data.byteOffset % 8).toBe(0);
    }
    const a = productOutput(300, 300);
    const b = productOutput(300, 300);
    a.data.fill(1);
    b.data.fill(2);
    expect(a.data.every((v) => v === 1)).toBe(true);
  });

  it('comes out of gemm, syrk and weightedGram with every entry written: an empty inner dimension and α = 0 give zeros', () => {
    const n = 300;
    const rng = createRng(1);
    for (const backend of backends) {
      dirtyTheHeap(n * n);
      expect(gemm(new Matrix(n, 0), new Matrix(0, n), { backend }).data.every((v) => v === 0)).toBe(true);
      dirtyTheHeap(n * n);
      const a = new Matrix(n, 20, rng.fillNormal(new Float64Array(n * 20)));
      expect(gemm(a, a, { transB: true, alpha: 0, backend }).data.every((v) => v === 0)).toBe(true);
      dirtyTheHeap(n * n);
      expect(syrk(new Matrix(n, 0), { backend }).data.every((v) => v === 0)).toBe(true);
      dirtyTheHeap(n * n);
      expect(syrk(a, { alpha: 0, backend }).data.every((v) => v === 0)).toBe(true);
      dirtyTheHeap(n * n);
      expect(weightedGram(new Matrix(0, n), new Float64Array(0), { backend }).data.every((v) => v === 0)).toBe(true);
      dirtyTheHeap(n * n);
      const full = gemm(a, a, { transB: true, backend });
      const s = syrk(a, { backend });
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(full.data[i * n + j]).toBeCloseTo(s.data[i * n + j]!, 12);
    }
  });
});
