import { describe, expect, it } from 'vitest';
import { expectClose, type Tolerance } from '@shallowscape/test-utils';
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../errors';
import { Matrix } from '../matrix';
import { createRng, gaussianMatrix } from '../rng';
import type { LinalgBackend } from '../backend';
import { expectWithinScaled, loadKernelFixtures, productTolerance, referenceGemm } from '../testing/backend-conformance';
import { gemm, matmul } from './gemm';
import { gemmKernel, gemmStridedKernel, packedProduct } from './gemm-kernel';

const fixtures = loadKernelFixtures();

function expectMatrixClose(actual: Matrix, expected: Matrix, tol: Tolerance): void {
  expect(actual.shape).toEqual(expected.shape);
  expectClose(actual.data, expected.data, tol);
}
const fromFixture = (f: { rows: number; cols: number; data: number[] }): Matrix => Matrix.fromRowMajor(f.rows, f.cols, f.data);

/** Triple-loop check of gemm on random inputs; tolerance γ = 8(k+2)·2⁻⁵³ componentwise. */
function checkAgainstTripleLoop(m: number, n: number, k: number, transA: boolean, transB: boolean, alpha: number, beta: number, seed: number): void {
  const rng = createRng(seed);
  const a = transA ? gaussianMatrix(k, m, rng) : gaussianMatrix(m, k, rng);
  const b = transB ? gaussianMatrix(n, k, rng) : gaussianMatrix(k, n, rng);
  const c0 = gaussianMatrix(m, n, rng);
  const c = c0.clone();
  const out = gemm(a, b, { transA, transB, alpha, beta, c });
  expect(out).toBe(c);
  const ref = referenceGemm(transA, transB, m, n, k, alpha, a.data, b.data, beta, c0.data);
  expectWithinScaled(out.data, ref.value, ref.scale, productTolerance('float64', k), `gemm ${m}×${n}×${k}`);
}

describe('gemm against numpy (fixtures/gen_kernels.py; γ = 8(k+2)·2⁻⁵³ componentwise)', () => {
  it.each(fixtures.gemm.map((f, i) => [i, f] as const))('case %i', (_i, f) => {
    const c = fromFixture(f.c);
    const out = gemm(fromFixture(f.a), fromFixture(f.b), { transA: f.transA, transB: f.transB, alpha: f.alpha, beta: f.beta, c });
    const ref = referenceGemm(f.transA, f.transB, f.m, f.n, f.k, f.alpha, Float64Array.from(f.a.data), Float64Array.from(f.b.data), f.beta, Float64Array.from(f.c.data));
    expectWithinScaled(out.data, f.expected.data, ref.scale, productTolerance('float64', f.k), 'gemm');
  });
});

describe('gemm: blocked kernel against the triple loop', () => {
  // Sizes crossing the 4×4 tile, the 128-row block and the 256-deep panel boundaries.
  const sizes: Array<[number, number, number]> = [[1, 1, 1], [7, 5, 3], [129, 131, 257], [260, 9, 513], [3, 300, 2]];
  for (const [m, n, k] of sizes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`${m}×${n}×${k} transA=${transA} transB=${transB}`, () => {
          checkAgainstTripleLoop(m, n, k, transA, transB, -1.25, 0.5, m * 1000 + n + k);
        });
      }
    }
  }
});

describe('gemm invariants', () => {
  const rng = createRng(7);
  const a = gaussianMatrix(23, 17, rng);
  const b = gaussianMatrix(17, 11, rng);
  const tol = { abs: 1e-13, rel: 1e-13 };

  it('(AB)ᵀ = BᵀAᵀ, through every transpose flag', () => {
    const ab = gemm(a, b);
    const at = a.transpose();
    const bt = b.transpose();
    expectMatrixClose(gemm(bt, at), ab.transpose(), tol);
    expectMatrixClose(gemm(at, b, { transA: true }), ab, tol);
    expectMatrixClose(gemm(a, bt, { transB: true }), ab, tol);
    expectMatrixClose(gemm(at, bt, { transA: true, transB: true }), ab, tol);
  });

  it('AI = A and IA = A exactly; matmul = gemm', () => {
    expect(gemm(a, Matrix.identity(17)).data).toEqual(a.data);
    expect(gemm(Matrix.identity(23), a).data).toEqual(a.data);
    expect(matmul(a, b).data).toEqual(gemm(a, b).data);
  });

  it('is linear in α and accumulates βC', () => {
    const ab = gemm(a, b);
    const c = gaussianMatrix(23, 11, rng);
    const expected = new Matrix(23, 11, ab.data.map((v, t) => 3 * v - 2 * c.data[t]!));
    expectMatrixClose(gemm(a, b, { alpha: 3, beta: -2, c: c.clone() }), expected, tol);
  });

  it('β = 0 ignores NaN in c (BLAS semantics); c is written in place', () => {
    const c = new Matrix(23, 11, new Float64Array(23 * 11).fill(Number.NaN));
    const out = gemm(a, b, { c });
    expect(out).toBe(c);
    expect(out.data).toEqual(gemm(a, b).data);
  });

  it('α = 0 gives βC; k = 0 gives βC; empty outputs are fine', () => {
    const c = gaussianMatrix(23, 11, rng);
    expect(gemm(a, b, { alpha: 0, beta: 2, c: c.clone() }).data).toEqual(c.data.map((v) => 2 * v));
    expect(gemm(new Matrix(4, 0), new Matrix(0, 3)).data).toEqual(new Float64Array(12));
    expect(gemm(new Matrix(4, 0), new Matrix(0, 3), { beta: 1, c: Matrix.from([[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 1, 1]]) }).get(1, 2)).toBe(6);
    expect(gemm(new Matrix(0, 5), gaussianMatrix(5, 3, rng)).shape).toEqual([0, 3]);
    expect(gemm(gaussianMatrix(2, 5, rng), new Matrix(5, 0)).shape).toEqual([2, 0]);
    expect(gemm(Matrix.from([[3]]), Matrix.from([[-2]])).data).toEqual(Float64Array.of(-6));
  });

  it('copies an operand that shares storage with c', () => {
    const s = gaussianMatrix(9, 9, rng);
    const expected = gemm(s, s);
    const c = s.clone();
    gemm(c, c, { c });
    expectMatrixClose(c, expected, tol);
    const d = s.clone();
    gemm(s, d, { c: d, beta: 1, alpha: 2 });
    expectMatrixClose(d, new Matrix(9, 9, expected.data.map((v, t) => 2 * v + s.data[t]!)), tol);
  });

  it('is bit-for-bit reproducible across calls and independent of stale packing buffers', () => {
    const big = gaussianMatrix(300, 270, rng);
    const other = gaussianMatrix(270, 140, rng);
    const first = gemm(big, other);
    gemm(gaussianMatrix(5, 7, rng), gaussianMatrix(7, 3, rng));
    expect(gemm(big, other).data).toEqual(first.data);
  });

  it('the raw kernel honours β = 0 over NaN and returns βC when α = 0 without reading a, b', () => {
    const c = Float64Array.of(Number.NaN, Number.NaN);
    gemmKernel(false, false, 1, 2, 1, 1, Float64Array.of(2), Float64Array.of(3, 4), 0, c);
    expect(Array.from(c)).toEqual([6, 8]);
    const d = Float64Array.of(1, 2);
    gemmKernel(false, false, 1, 2, 1, 0, Float64Array.of(Number.NaN), Float64Array.of(Number.NaN, 1), 3, d);
    expect(Array.from(d)).toEqual([3, 6]);
  });
});

describe('gemmStridedKernel: sub-blocks with offsets and leading dimensions', () => {
  const EPS = Number.EPSILON;
  // Shapes straddle the 4 × 4 tile, the 128-row and 256-deep blocks and the 4096-column panel,
  // take the direct small-product path (m·n·k ≤ 256), and include empty products.
  const shapes: Array<[number, number, number]> = [
    [1, 1, 1],
    [3, 5, 2],
    [4, 4, 4],
    [7, 9, 13],
    [65, 33, 257],
    [130, 6, 300],
    [5, 1100, 3],
    [6, 4100, 3],
    [0, 4, 3],
    [3, 0, 3],
    [3, 4, 0],
  ];
  for (const [m, n, k] of shapes) {
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as Array<[boolean, boolean]>) {
      it(`${m}×${k} · ${k}×${n} transA=${transA} transB=${transB}, with offsets, strides, α and β`, () => {
        const rng = createRng(m * 1000 + n * 10 + k);
        // Stored blocks: A is m × k (k × m with transA), B is k × n (n × k with transB).
        const [aRows, aCols] = transA ? [k, m] : [m, k];
        const [bRows, bCols] = transB ? [n, k] : [k, n];
        const lda = aCols + 3, ldb = bCols + 2, ldc = n + 5;
        const aOff = 7, bOff = 2, cOff = 4;
        const a = rng.fillNormal(new Float64Array(aOff + Math.max(aRows, 1) * lda));
        const b = rng.fillNormal(new Float64Array(bOff + Math.max(bRows, 1) * ldb));
        const c = rng.fillNormal(new Float64Array(cOff + Math.max(m, 1) * ldc));
        const opA = (i: number, p: number): number => a[aOff + (transA ? p * lda + i : i * lda + p)]!;
        const opB = (p: number, j: number): number => b[bOff + (transB ? j * ldb + p : p * ldb + j)]!;
        const alpha = -1.5, beta = 0.25;
        // Entries outside the block must come back unchanged (bound 0).
        const expected = c.slice();
        const bound = new Float64Array(c.length);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            let magnitude = 0;
            for (let p = 0; p < k; p++) {
              const t = opA(i, p) * opB(p, j);
              s += t;
              magnitude += Math.abs(t);
            }
            const old = c[cOff + i * ldc + j]!;
            expected[cOff + i * ldc + j] = alpha * s + beta * old;
            // Same products summed in another order: |Δ| ≤ (k + 2)·ε·(|α|Σ|a||b| + |βc|).
            bound[cOff + i * ldc + j] = (k + 2) * EPS * (Math.abs(alpha) * magnitude + Math.abs(beta * old));
          }
        }
        gemmStridedKernel(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        for (let t = 0; t < c.length; t++) {
          expect(Math.abs(c[t]! - expected[t]!), `C at flat index ${t}`).toBeLessThanOrEqual(bound[t]!);
        }
      });
    }
  }

  it('β = 0 ignores NaN in the block; β = 1 accumulates; entries outside the block are untouched', () => {
    const a = Float64Array.of(1, 2, 3, 4);
    const b = Float64Array.of(5, 6, 7, 8);
    // C is the 2 × 2 block at offset 1 with row stride 3 of a 3 × 3 array.
    const c = Float64Array.of(99, NaN, NaN, 98, NaN, NaN, 97, 96, 95);
    gemmStridedKernel(false, false, 2, 2, 2, 1, a, 0, 2, b, 0, 2, 0, c, 1, 3);
    expect(Array.from(c)).toEqual([99, 19, 22, 98, 43, 50, 97, 96, 95]);
    gemmStridedKernel(false, false, 2, 2, 2, 1, a, 0, 2, b, 0, 2, 1, c, 1, 3);
    expect(Array.from(c)).toEqual([99, 38, 44, 98, 86, 100, 97, 96, 95]);
  });

  it('agrees bit for bit with gemmKernel on whole arrays', () => {
    const rng = createRng(5);
    const [m, n, k] = [70, 45, 300];
    const a = rng.fillNormal(new Float64Array(m * k));
    const b = rng.fillNormal(new Float64Array(k * n));
    const c1 = new Float64Array(m * n);
    const c2 = new Float64Array(m * n);
    gemmKernel(true, true, m, n, k, 0.5, a, b, 0, c1);
    gemmStridedKernel(true, true, m, n, k, 0.5, a, 0, m, b, 0, k, 0, c2, 0, n);
    expect(c2).toEqual(c1);
  });
});

describe('gemm dispatch', () => {
  it('runs the backend given in the options, falling back to the reference for missing slots', () => {
    const calls: string[] = [];
    const spy: LinalgBackend = {
      name: 'spy-gemm',
      precision: 'float64',
      description: 'records calls',
      gemm(...args) {
        calls.push(`${this.name}:${args[2]}×${args[3]}×${args[4]}`);
        gemmKernel(...args);
      },
    };
    const out = gemm(Matrix.from([[1, 2]]), Matrix.from([[3], [4]]), { backend: spy });
    expect(out.data).toEqual(Float64Array.of(11));
    expect(calls).toEqual(['spy-gemm:1×1×2']);
  });
});

describe('gemm validation', () => {
  const a = new Matrix(2, 4);
  const b = new Matrix(3, 5);
  it('names both operands and shapes on an inner-dimension mismatch', () => {
    expect(() => gemm(a, b)).toThrow(ShapeError);
    expect(() => gemm(a, b)).toThrow('b has 3 rows, expected a.cols = 4 (a is 2×4, b is 3×5)');
    expect(() => gemm(a, b, { transA: true })).toThrow('b has 3 rows, expected a.rows = 2 (transA)');
    expect(() => gemm(a, b, { transB: true })).toThrow('b has 5 columns (transB), expected a.cols = 4');
  });
  it('checks the shape of c', () => {
    expect(() => gemm(new Matrix(2, 3), new Matrix(3, 5), { c: new Matrix(5, 2) })).toThrow(
      'c is 5×2, expected op(a).rows × op(b).cols = 2×5',
    );
  });
  it('rejects NaN and infinite entries, and non-finite c only when β ≠ 0', () => {
    const bad = Matrix.from([[1, Number.NaN]]);
    expect(() => gemm(bad, Matrix.from([[1], [2]]))).toThrow(NonFiniteError);
    expect(() => gemm(bad, Matrix.from([[1], [2]]))).toThrow('a has a non-finite entry NaN at [0][1]');
    expect(() => gemm(Matrix.from([[1]]), Matrix.from([[Infinity]]))).toThrow('b has a non-finite entry Infinity at [0][0]');
    const c = Matrix.from([[Number.NaN]]);
    expect(() => gemm(Matrix.from([[1]]), Matrix.from([[1]]), { c, beta: 1 })).toThrow('c has a non-finite entry NaN');
  });
  it('rejects non-finite α/β, non-boolean flags, non-matrices and negative sizes', () => {
    expect(() => gemm(a, new Matrix(4, 1), { alpha: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => gemm(a, new Matrix(4, 1), { alpha: Number.NaN })).toThrow('invalid alpha: NaN (expected a finite number)');
    expect(() => gemm(a, new Matrix(4, 1), { beta: Infinity })).toThrow('invalid beta: Infinity');
    expect(() => gemm(a, new Matrix(4, 1), { transA: 1 as unknown as boolean })).toThrow('invalid transA: 1 (expected a boolean)');
    expect(() => gemm([[1]] as unknown as Matrix, a)).toThrow('invalid a: array of length 1 (expected a Matrix)');
    const negative = { rows: -1, cols: -2, data: new Float64Array(2) } as unknown as Matrix;
    expect(() => gemm(negative, a)).toThrow('invalid a.rows: -1 (expected a non-negative integer)');
    expect(() => gemm(a, new Matrix(4, 1), { backend: { name: 'x' } as unknown as LinalgBackend })).toThrow(/invalid backend\.precision/);
  });
});

describe('packedProduct panel logic (narrow panels force several column panels)', () => {
  for (const lowerOnly of [false, true]) {
    for (const [transA, transB] of [[false, false], [true, true], [true, false], [false, true]] as Array<[boolean, boolean]>) {
      it(`lowerOnly=${lowerOnly} transA=${transA} transB=${transB}`, () => {
        const rng = createRng(99);
        const n = 37;
        const k = 300;
        const a = rng.fillNormal(new Float64Array(n * k));
        const b = rng.fillNormal(new Float64Array(n * k));
        const s = rng.fillNormal(new Float64Array(k));
        const c = new Float64Array(n * n);
        packedProduct(transA, transB, n, n, k, 1.5, a, 0, transA ? n : k, b, 0, transB ? k : n, c, 0, n, lowerOnly, s, 8);
        // reference: α op(A) diag(s) op(B)
        const scaledB = new Float64Array(n * k);
        for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) {
          const at = transB ? j * k + p : p * n + j;
          scaledB[at] = b[at]! * s[p]!;
        }
        const ref = referenceGemm(transA, transB, n, n, k, 1.5, a, scaledB, 0, c);
        const lower = (v: ArrayLike<number>): number[] => Array.from({ length: n * n }, (_, t) => (Math.floor(t / n) >= t % n ? v[t]! : 0));
        const pick = lowerOnly ? lower : (v: ArrayLike<number>): number[] => Array.from(v);
        expectWithinScaled(pick(c), pick(ref.value), ref.scale, 2 * productTolerance('float64', k), 'packedProduct');
      });
    }
  }
});
