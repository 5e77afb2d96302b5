import { describe, expect, it } from 'vitest';
import { createRng, eigvalsh, gaussianMatrix, InvalidArgumentError, Matrix, NonFiniteError, ShapeError } from '@shallowscape/linalg';
import { expectClose } from '@shallowscape/test-utils';
import { SignedQuadraticNet, balancedSigns } from './signed-quadratic-net';

describe('SignedQuadraticNet', () => {
  it('predict equals Σ_j v_j (w_j·x_i)² (tolerance 1e-12 · max |f|)', () => {
    const rng = createRng(3);
    const w = gaussianMatrix(8, 4, rng);
    const x = gaussianMatrix(50, 4, rng);
    const v = balancedSigns(8);
    const expected: number[] = [];
    for (let i = 0; i < 50; i++) {
      let f = 0;
      for (let j = 0; j < 8; j++) {
        let z = 0;
        for (let a = 0; a < 4; a++) z += w.get(j, a) * x.get(i, a);
        f += v[j]! * z * z;
      }
      expected.push(f);
    }
    const scale = Math.max(...expected.map(Math.abs));
    expectClose(new SignedQuadraticNet(w, v).predict(x), expected, { abs: 1e-12 * scale }, 'f');
  });

  it('effectiveMatrix() = Wᵀ diag(v) W is symmetric and, with k = 2d balanced signs, indefinite', () => {
    const w = gaussianMatrix(6, 3, createRng(4));
    const net = new SignedQuadraticNet(w, balancedSigns(6));
    const q = net.effectiveMatrix();
    for (let k = 0; k < 3; k++) for (let l = 0; l < k; l++) expect(q.get(k, l)).toBe(q.get(l, k));
    const plus = w.slice(0, 3);
    const minus = w.slice(3, 6);
    const expected = new Matrix(3, 3);
    for (let k = 0; k < 3; k++) {
      for (let l = 0; l < 3; l++) {
        let s = 0;
        for (let j = 0; j < 3; j++) s += plus.get(j, k) * plus.get(j, l) - minus.get(j, k) * minus.get(j, l);
        expected.set(k, l, s);
      }
    }
    expectClose(q.data, expected.data, { abs: 1e-13 }, 'Q');
    const lambda = eigvalsh(q);
    expect(lambda[0]! < 0 && lambda[2]! > 0).toBe(true);
  });

  it('holds copies of its weights and signs', () => {
    const w = Matrix.from([[1, 0]]);
    const v = Float64Array.of(-1);
    const net = new SignedQuadraticNet(w, v);
    w.data[0] = 5;
    v[0] = 1;
    net.signs[0] = 1;
    expect(Array.from(net.signs)).toEqual([-1]);
    expect(net.weights.toArray()).toEqual([[1, 0]]);
    expect(Array.from(net.predict(Matrix.from([[2, 3]])))).toEqual([-4]);
  });

  it('rejects bad signs with typed errors naming them', () => {
    const w = Matrix.identity(2);
    expect(() => new SignedQuadraticNet(w, Float64Array.of(1))).toThrow(ShapeError);
    expect(() => new SignedQuadraticNet(w, Float64Array.of(1, 0))).toThrow(/invalid signs\[1\]: 0 \(expected \+1 or -1\)/);
    expect(() => new SignedQuadraticNet(w, undefined as unknown as Float64Array)).toThrow(/invalid signs: undefined/);
    expect(() => new SignedQuadraticNet(w, [1, -1] as unknown as Float64Array)).toThrow(InvalidArgumentError);
    expect(() => new SignedQuadraticNet(Matrix.from([[Number.NaN, 1]]), Float64Array.of(1))).toThrow(NonFiniteError);
    expect(() => new SignedQuadraticNet(w, Float64Array.of(1, -1)).predict(Matrix.zeros(1, 3))).toThrow(ShapeError);
  });
});

describe('balancedSigns', () => {
  it('first ⌈k/2⌉ are +1, the rest −1: at least d of each sign when k ≥ 2d', () => {
    expect(Array.from(balancedSigns(1))).toEqual([1]);
    expect(Array.from(balancedSigns(2))).toEqual([1, -1]);
    expect(Array.from(balancedSigns(7))).toEqual([1, 1, 1, 1, -1, -1, -1]);
    for (let d = 1; d <= 6; d++) {
      const v = balancedSigns(2 * d);
      expect(v.filter((s) => s === 1).length).toBeGreaterThanOrEqual(d);
      expect(v.filter((s) => s === -1).length).toBeGreaterThanOrEqual(d);
    }
  });
  it('rejects k that is not an integer ≥ 1', () => {
    for (const k of [0, -2, 2.5, Number.NaN]) expect(() => balancedSigns(k)).toThrow(/invalid k/);
  });
});
