import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../errors';
import { Matrix } from '../matrix';
import { createRng, gaussianMatrix } from '../rng';
import { expectWithinScaled, loadKernelFixtures, productTolerance, referenceGemm } from '../testing/backend-conformance';
import { gemm } from './gemm';
import { gemv } from './gemv';

const fixtures = loadKernelFixtures();

describe('gemv against numpy (fixtures/gen_kernels.py; γ = 8(k+2)·2⁻⁵³ componentwise)', () => {
  it.each(fixtures.gemv.map((f, i) => [i, f] as const))('case %i', (_i, f) => {
    const a = Matrix.fromRowMajor(f.a.rows, f.a.cols, f.a.data);
    const y = Float64Array.from(f.y);
    const out = gemv(a, Float64Array.from(f.x), { trans: f.trans, alpha: f.alpha, beta: f.beta, y });
    expect(out).toBe(y);
    const k = f.trans ? f.m : f.n;
    const ref = referenceGemm(f.trans, false, f.trans ? f.n : f.m, 1, k, f.alpha, a.data, Float64Array.from(f.x), f.beta, Float64Array.from(f.y));
    expectWithinScaled(out, f.expected, ref.scale, productTolerance('float64', k), 'gemv');
  });
});

describe('gemv invariants', () => {
  const rng = createRng(3);
  it('agrees with gemm on a one-column matrix, both directions, odd sizes', () => {
    for (const [m, n] of [[1, 1], [7, 5], [9, 130], [130, 9]] as Array<[number, number]>) {
      const a = gaussianMatrix(m, n, rng);
      const x = rng.fillNormal(new Float64Array(n));
      const xt = rng.fillNormal(new Float64Array(m));
      const ref = referenceGemm(false, false, m, 1, n, 1, a.data, x, 0, new Float64Array(0));
      expectWithinScaled(gemv(a, x), gemm(a, new Matrix(n, 1, x)).data, ref.scale, 2 * productTolerance('float64', n), 'Ax');
      const refT = referenceGemm(true, false, n, 1, m, 1, a.data, xt, 0, new Float64Array(0));
      expectWithinScaled(gemv(a, xt, { trans: true }), gemm(a, new Matrix(m, 1, xt), { transA: true }).data, refT.scale, 2 * productTolerance('float64', m), 'Aᵀx');
    }
  });
  it('β = 0 ignores NaN in y; empty shapes; aliasing y with x is safe', () => {
    const a = Matrix.from([[1, 2], [3, 4]]);
    expect(Array.from(gemv(a, Float64Array.of(1, 1), { y: Float64Array.of(Number.NaN, Number.NaN) }))).toEqual([3, 7]);
    expect(gemv(new Matrix(0, 3), new Float64Array(3)).length).toBe(0);
    expect(Array.from(gemv(new Matrix(2, 0), new Float64Array(0), { beta: 2, y: Float64Array.of(1, 2) }))).toEqual([2, 4]);
    const v = Float64Array.of(1, 1);
    gemv(a, v, { y: v });
    expect(Array.from(v)).toEqual([3, 7]);
  });
});

describe('gemv validation', () => {
  const a = new Matrix(2, 3);
  it('names the vector, the expected length and the shape of a', () => {
    expect(() => gemv(a, new Float64Array(2))).toThrow(ShapeError);
    expect(() => gemv(a, new Float64Array(2))).toThrow('x has length 2, expected a.cols = 3 (a is 2×3)');
    expect(() => gemv(a, new Float64Array(3), { trans: true })).toThrow('x has length 3, expected a.rows = 2 (trans) (a is 2×3)');
    expect(() => gemv(a, new Float64Array(3), { y: new Float64Array(3) })).toThrow('y has length 3, expected a.rows = 2 (a is 2×3)');
  });
  it('rejects non-finite entries and scalars', () => {
    expect(() => gemv(a, Float64Array.of(1, Number.NaN, 0))).toThrow(NonFiniteError);
    expect(() => gemv(a, new Float64Array(3), { beta: 1, y: Float64Array.of(Infinity, 0) })).toThrow('y has a non-finite entry Infinity at [0]');
    expect(() => gemv(a, new Float64Array(3), { alpha: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => gemv(a, [1, 2, 3] as unknown as Float64Array)).toThrow('invalid x: array of length 3 (expected a Float64Array)');
  });
});
