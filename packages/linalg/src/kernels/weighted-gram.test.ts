import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../errors';
import { Matrix } from '../matrix';
import { createRng, gaussianMatrix } from '../rng';
import { expectWithinScaled, loadKernelFixtures, productTolerance, referenceGemm } from '../testing/backend-conformance';
import { gemm } from './gemm';
import { syrk } from './syrk';
import { weightedGram } from './weighted-gram';

const fixtures = loadKernelFixtures();

/** Reference XᵀDX and its error scale Σ_i |w_i x_ij x_ik|. */
function reference(x: Matrix, w: Float64Array): { value: Float64Array; scale: Float64Array } {
  const wx = x.data.map((v, t) => v * w[Math.floor(t / x.cols)]!);
  return referenceGemm(true, false, x.cols, x.cols, x.rows, 1, x.data, wx, 0, new Float64Array(0));
}

describe('weightedGram against numpy (fixtures/gen_kernels.py; γ = 8(N+2)·2⁻⁵³ componentwise)', () => {
  it.each(fixtures.weightedGram.map((f, i) => [i, f] as const))('case %i', (_i, f) => {
    const x = Matrix.fromRowMajor(f.x.rows, f.x.cols, f.x.data);
    const w = Float64Array.from(f.w);
    const out = weightedGram(x, w);
    expectWithinScaled(out.data, f.expected.data, reference(x, w).scale, productTolerance('float64', x.rows), 'weightedGram');
  });
});

describe('weightedGram invariants', () => {
  const rng = createRng(5);
  it('equals Xᵀ(diag(w)X) by gemm for N ≫ d, signed weights (N = 2000, d = 37)', () => {
    const x = gaussianMatrix(2000, 37, rng);
    const w = rng.fillNormal(new Float64Array(2000));
    const out = weightedGram(x, w);
    const ref = reference(x, w);
    expectWithinScaled(out.data, ref.value, ref.scale, productTolerance('float64', 2000), 'weightedGram');
    const dx = new Matrix(2000, 37, x.data.map((v, t) => v * w[Math.floor(t / 37)]!));
    expectWithinScaled(out.data, gemm(x, dx, { transA: true }).data, ref.scale, 2 * productTolerance('float64', 2000), 'vs gemm');
    for (let i = 0; i < 37; i++) for (let j = 0; j < i; j++) expect(out.get(j, i)).toBe(out.get(i, j));
  });

  it('with unit weights equals syrk(X, { transpose: true }); is linear in w', () => {
    const x = gaussianMatrix(300, 20, rng);
    const ones = new Float64Array(300).fill(1);
    const tol = productTolerance('float64', 300);
    const ref = reference(x, ones);
    expectWithinScaled(weightedGram(x, ones).data, syrk(x, { transpose: true }).data, ref.scale, 2 * tol, 'unit weights');
    const w1 = rng.fillNormal(new Float64Array(300));
    const w2 = rng.fillNormal(new Float64Array(300));
    const sum = weightedGram(x, w1.map((v, i) => v + 3 * w2[i]!));
    const parts = weightedGram(x, w1).data.map((v, t) => v + 3 * weightedGram(x, w2).data[t]!);
    const scale = reference(x, w1.map((v, i) => Math.abs(v) + 3 * Math.abs(w2[i]!))).scale;
    expectWithinScaled(sum.data, parts, scale, 4 * tol, 'linearity');
  });

  it('handles N = 0 (zero matrix) and d = 0 (empty)', () => {
    expect(weightedGram(new Matrix(0, 3), new Float64Array(0)).data).toEqual(new Float64Array(9));
    expect(weightedGram(new Matrix(4, 0), new Float64Array(4)).shape).toEqual([0, 0]);
  });
});

describe('weightedGram validation', () => {
  it('checks the length of w, finiteness and types', () => {
    const x = new Matrix(4, 2);
    expect(() => weightedGram(x, new Float64Array(5))).toThrow(ShapeError);
    expect(() => weightedGram(x, new Float64Array(5))).toThrow('w has length 5, expected x.rows = 4 (x is 4×2)');
    expect(() => weightedGram(x, Float64Array.of(1, Number.NaN, 1, 1))).toThrow(NonFiniteError);
    expect(() => weightedGram(x, Float64Array.of(1, Number.NaN, 1, 1))).toThrow('w has a non-finite entry NaN at [1]');
    expect(() => weightedGram(x, [1, 1, 1, 1] as unknown as Float64Array)).toThrow(InvalidArgumentError);
    expect(() => weightedGram(Matrix.from([[Infinity]]), Float64Array.of(1))).toThrow('x has a non-finite entry Infinity at [0][0]');
  });
});
