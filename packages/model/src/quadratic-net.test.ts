import { describe, expect, it } from 'vitest';
import { createRng, gaussianMatrix, InvalidArgumentError, Matrix, NonFiniteError, ShapeError } from '@shallowscape/linalg';
import { expectClose } from '@shallowscape/test-utils';
import { QuadraticNet } from './quadratic-net';

/** ‖W x_i‖² straight from the weights. */
function direct(w: Matrix, x: Matrix): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.rows; i++) {
    let f = 0;
    for (let j = 0; j < w.rows; j++) {
      let z = 0;
      for (let a = 0; a < w.cols; a++) z += w.get(j, a) * x.get(i, a);
      f += z * z;
    }
    out.push(f);
  }
  return out;
}

describe('QuadraticNet', () => {
  for (const [m, d, n] of [
    [3, 2, 5],
    [2, 5, 7],
    [7, 40, 300], // several column blocks and row blocks of the quadratic-form kernel
  ] as const) {
    it(`predict equals ‖W x_i‖² for m = ${m}, d = ${d}, N = ${n} (tolerance 1e-12 · max f)`, () => {
      const rng = createRng(100 + d);
      const w = gaussianMatrix(m, d, rng);
      const x = gaussianMatrix(n, d, rng);
      const expected = direct(w, x);
      expectClose(new QuadraticNet(w).predict(x), expected, { abs: 1e-12 * Math.max(...expected) }, 'f');
    });
  }

  it('gram() is WᵀW, exactly symmetric; effectiveMatrix() is the same', () => {
    const w = gaussianMatrix(4, 3, createRng(7));
    const net = new QuadraticNet(w);
    const g = net.gram();
    for (let k = 0; k < 3; k++) {
      for (let l = 0; l < 3; l++) {
        let s = 0;
        for (let j = 0; j < 4; j++) s += w.get(j, k) * w.get(j, l);
        expectClose(g.get(k, l), s, { rel: 1e-14, abs: 1e-15 }, `A[${k}][${l}]`);
        expect(g.get(k, l)).toBe(g.get(l, k));
      }
    }
    expect(net.effectiveMatrix().toArray()).toEqual(g.toArray());
  });

  it('holds a copy of its weights: neither the input nor .weights aliases it', () => {
    const w = Matrix.from([[1, 2]]);
    const net = new QuadraticNet(w);
    w.data[0] = 100;
    net.weights.data[1] = 100;
    expect(net.weights.toArray()).toEqual([[1, 2]]);
    expect([net.width, net.inputDimension]).toEqual([1, 2]);
  });

  it('predicts an empty array for N = 0', () => {
    expect(new QuadraticNet(Matrix.identity(2)).predict(Matrix.zeros(0, 2)).length).toBe(0);
  });

  it('rejects bad weights and inputs with typed errors', () => {
    expect(() => new QuadraticNet([[1]] as unknown as Matrix)).toThrow(InvalidArgumentError);
    expect(() => new QuadraticNet(Matrix.zeros(0, 2))).toThrow(/invalid w: 0×2 matrix \(expected at least one row/);
    expect(() => new QuadraticNet(Matrix.zeros(2, 0))).toThrow(/at least one column/);
    expect(() => new QuadraticNet(Matrix.from([[Number.NaN]]))).toThrow(NonFiniteError);
    const net = new QuadraticNet(Matrix.identity(2));
    expect(() => net.predict(Matrix.zeros(3, 3))).toThrow(ShapeError);
    expect(() => net.predict(Matrix.zeros(3, 3))).toThrow(/x is 3×3, but the weights have input dimension d = 2/);
    expect(() => net.predict(Matrix.from([[1, Number.POSITIVE_INFINITY]]))).toThrow(/x has a non-finite entry Infinity at \[0\]\[1\]/);
  });
});
