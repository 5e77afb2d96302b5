import { describe, expect, it } from 'vitest';
import { expectClose } from '@shallowscape/test-utils';
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../errors';
import { Matrix } from '../matrix';
import { createRng, gaussianMatrix } from '../rng';
import { loadKernelFixtures } from '../testing/backend-conformance';
import { gemm } from './gemm';
import { add, frobeniusInner, frobeniusNorm, matrixNorm, scale, subtract, trace, vectorNorm } from './norms';

const fixtures = loadKernelFixtures();

describe('matrix norms against numpy.linalg.norm (fixtures/gen_kernels.py; rel 1e-14)', () => {
  it.each(fixtures.norms.map((f, i) => [i, f] as const))('case %i', (_i, f) => {
    const a = Matrix.fromRowMajor(f.a.rows, f.a.cols, f.a.data);
    expectClose(matrixNorm(a, '1'), f.one, { rel: 1e-14 }, "'1'");
    expectClose(matrixNorm(a, 'inf'), f.inf, { rel: 1e-14 }, "'inf'");
    expectClose(matrixNorm(a, 'fro'), f.fro, { rel: 1e-14 }, "'fro'");
    expectClose(frobeniusNorm(a), f.fro, { rel: 1e-14 }, 'frobeniusNorm');
    if (f.trace !== null) expectClose(trace(a), f.trace, { rel: 1e-14, abs: 1e-15 }, 'trace');
  });
});

describe('norm identities', () => {
  const rng = createRng(17);
  const a = gaussianMatrix(6, 4, rng);
  it('‖A‖₁ = ‖Aᵀ‖_∞, ‖A‖_F² = ⟨A, A⟩ = tr(AᵀA)', () => {
    expect(matrixNorm(a, '1')).toBe(matrixNorm(a.transpose(), 'inf'));
    expectClose(frobeniusNorm(a) ** 2, frobeniusInner(a, a), { rel: 1e-14 });
    expectClose(frobeniusInner(a, a), trace(gemm(a, a, { transA: true })), { rel: 1e-14 });
  });
  it('⟨A, B⟩ = tr(AᵀB)', () => {
    const b = gaussianMatrix(6, 4, rng);
    expectClose(frobeniusInner(a, b), trace(gemm(a, b, { transA: true })), { rel: 1e-13 });
  });
  it('the Frobenius norm is overflow-safe', () => {
    expectClose(frobeniusNorm(Matrix.from([[3e200], [4e200]])), 5e200, { ulps: 2 });
    expectClose(frobeniusNorm(Matrix.from([[3e-200, 4e-200]])), 5e-200, { ulps: 2 });
  });
  it('vector norms: 1, 2, ∞', () => {
    const x = Float64Array.of(1, -2, 2);
    expect([vectorNorm(x, 1), vectorNorm(x, 2), vectorNorm(x, Infinity), vectorNorm(x)]).toEqual([5, 3, 2, 3]);
    expect(vectorNorm(new Float64Array(0), Infinity)).toBe(0);
    expectClose(vectorNorm(Float64Array.of(1e300, 1e300)), Math.SQRT2 * 1e300, { ulps: 2 });
  });
});

describe('element-wise helpers', () => {
  const a = Matrix.from([[1, 2], [3, 4]]);
  const b = Matrix.from([[0.5, -1], [2, 8]]);
  it('add, subtract, scale return new matrices', () => {
    expect(add(a, b).toArray()).toEqual([[1.5, 1], [5, 12]]);
    expect(subtract(a, b).toArray()).toEqual([[0.5, 3], [1, -4]]);
    expect(scale(a, -2).toArray()).toEqual([[-2, -4], [-6, -8]]);
    expect(a.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(trace(new Matrix(0, 0))).toBe(0);
    expect(frobeniusInner(a, b)).toBe(0.5 - 2 + 6 + 32);
  });
  it('validate shapes, finiteness and arguments', () => {
    expect(() => add(a, new Matrix(2, 3))).toThrow(ShapeError);
    expect(() => add(a, new Matrix(2, 3))).toThrow('b is 2×3, expected the shape of a, 2×2');
    expect(() => subtract(a, Matrix.from([[1, Number.NaN], [0, 0]]))).toThrow(NonFiniteError);
    expect(() => frobeniusInner(a, new Matrix(1, 4))).toThrow(ShapeError);
    expect(() => trace(new Matrix(2, 3))).toThrow('a must be square, got 2×3');
    expect(() => scale(a, Number.NaN)).toThrow('invalid s: NaN (expected a finite number)');
    expect(() => vectorNorm(Float64Array.of(1), 3 as 2)).toThrow('invalid p: 3 (expected 1, 2 or Infinity)');
    expect(() => matrixNorm(a, '2' as 'fro')).toThrow(InvalidArgumentError);
  });
});
