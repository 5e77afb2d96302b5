import { describe, expect, it } from 'vitest';
import {
  createRng,
  gaussianMatrix,
  InvalidArgumentError,
  Matrix,
  NonFiniteError,
  NotSymmetricError,
  randomSymmetric,
  ShapeError,
} from '@shallowscape/linalg';
import { expectClose, expectMatrixClose } from '@shallowscape/test-utils';
import { liftedCoordinates, liftedDesign, liftInput, liftSymmetric, nStar, unliftSymmetric } from './lifted-design';

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

/** `xᵀAx` by the double sum, from the matrix entries directly. */
function quadraticForm(a: Matrix, x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) s += x[i]! * a.get(i, j) * x[j]!;
  return s;
}

function frobenius(a: Matrix): number {
  return Math.sqrt(dot(a.data, a.data));
}

describe('nStar and liftedCoordinates', () => {
  it('nStar(d) = d(d+1)/2 = number of pairs k ≤ l', () => {
    for (let d = 0; d <= 12; d++) {
      let pairs = 0;
      for (let k = 0; k < d; k++) for (let l = k; l < d; l++) pairs++;
      expect(nStar(d)).toBe(pairs);
      expect(liftedCoordinates(d)).toHaveLength(pairs);
    }
    expect(nStar(2000)).toBe(2001000);
  });
  it('lists the diagonal first, then k < l row by row, each pair once', () => {
    expect(liftedCoordinates(4)).toEqual([
      [0, 0], [1, 1], [2, 2], [3, 3],
      [0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3],
    ]);
  });
  it('rejects negative, fractional and oversized d', () => {
    expect(() => nStar(-1)).toThrow(InvalidArgumentError);
    expect(() => nStar(2.5)).toThrow(/invalid d: 2\.5/);
    expect(() => nStar(2 ** 30)).toThrow(/d\(d\+1\)\/2/);
  });
});

describe('liftInput and liftSymmetric on seeded data', () => {
  for (const d of [1, 2, 3, 7, 20]) {
    it(`d = ${d}: ⟨φ(x), φ(A)⟩ = xᵀAx, φ(x) = φ(xxᵀ), ‖φ(A)‖ = ‖A‖_F, ⟨φ(A), φ(B)⟩ = tr(AB) (tolerance 1e-12 relative)`, () => {
      const rng = createRng(100 + d);
      for (let trial = 0; trial < 5; trial++) {
        const x = rng.fillNormal(new Float64Array(d));
        const a = randomSymmetric(d, rng);
        const b = randomSymmetric(d, rng);
        const phiX = liftInput(x);
        const phiA = liftSymmetric(a);
        expect(phiX).toHaveLength((d * (d + 1)) / 2);
        expectClose(dot(phiX, phiA), quadraticForm(a, x), { rel: 1e-12, abs: 1e-12 }, '⟨φ(x), φ(A)⟩');
        const xxT = new Matrix(d, d);
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) xxT.set(i, j, x[i]! * x[j]!);
        expectClose(phiX, liftSymmetric(xxT), { rel: 1e-15 }, 'φ(x) vs φ(xxᵀ)');
        expectClose(Math.hypot(...phiA), frobenius(a), { rel: 1e-13 }, '‖φ(A)‖');
        let traceAB = 0;
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) traceAB += a.get(i, j) * b.get(j, i);
        expectClose(dot(phiA, liftSymmetric(b)), traceAB, { rel: 1e-12, abs: 1e-12 }, '⟨φ(A), φ(B)⟩');
        expectMatrixClose(unliftSymmetric(phiA), a, { rel: 1e-15, abs: 1e-15 }, 'φ⁻¹(φ(A))');
      }
    });
  }

  it('places each entry at the documented coordinate', () => {
    const x = [2, 3, 5];
    const phi = liftInput(x);
    liftedCoordinates(3).forEach(([k, l], p) => {
      expect(phi[p]).toBe(k === l ? x[k]! * x[k]! : Math.SQRT2 * x[k]! * x[l]!);
    });
  });

  it('accepts symmetric matrices within the default round-off tolerance and averages the pair', () => {
    const a = Matrix.from([
      [1, 2],
      [2 * (1 + 4 * Number.EPSILON), 1],
    ]);
    expectClose(liftSymmetric(a)[2]!, Math.SQRT2 * 2, { rel: 1e-15 });
  });

  it('handles d = 0 and d = 1', () => {
    expect(liftInput([])).toEqual(new Float64Array(0));
    expect(Array.from(liftInput([-3]))).toEqual([9]);
    expect(Array.from(liftSymmetric(Matrix.from([[4]])))).toEqual([4]);
    expect(unliftSymmetric([]).shape).toEqual([0, 0]);
  });

  it('throws typed errors naming the argument', () => {
    expect(() => liftInput([1, Number.NaN])).toThrow(NonFiniteError);
    expect(() => liftInput([1, Number.NaN])).toThrow(/x has a non-finite entry NaN at \[1\]/);
    expect(() => liftInput('12' as unknown as number[])).toThrow(InvalidArgumentError);
    expect(() => liftInput([1, '2'] as unknown as number[])).toThrow(/invalid x\[1\]: "2"/);
    expect(() => liftSymmetric(Matrix.zeros(2, 3))).toThrow(ShapeError);
    expect(() => liftSymmetric(Matrix.from([[1, 2], [3, 4]]))).toThrow(NotSymmetricError);
    expect(() => liftSymmetric(Matrix.from([[1, Number.POSITIVE_INFINITY], [Number.POSITIVE_INFINITY, 1]]))).toThrow(NonFiniteError);
    expect(() => unliftSymmetric([1, 2])).toThrow(/v has length 2, which is not d\(d\+1\)\/2/);
  });
});

describe('liftedDesign', () => {
  it('has rows φ(x_i) and predicts xᵢᵀAxᵢ as Φ φ(A) (seeded, N = 15, d = 4)', () => {
    const rng = createRng(77);
    const x = gaussianMatrix(15, 4, rng);
    const w = gaussianMatrix(6, 4, rng);
    const a = new Matrix(4, 4); // A = WᵀW
    for (let k = 0; k < 4; k++) for (let l = 0; l < 4; l++) {
      let s = 0;
      for (let j = 0; j < 6; j++) s += w.get(j, k) * w.get(j, l);
      a.set(k, l, s);
    }
    const phi = liftedDesign(x);
    expect(phi.shape).toEqual([15, 10]);
    const phiA = liftSymmetric(a);
    for (let i = 0; i < 15; i++) {
      expect(phi.row(i)).toEqual(liftInput(x.row(i)));
      // f_W(x_i) = ‖W x_i‖² computed from W directly.
      let f = 0;
      for (let j = 0; j < 6; j++) {
        let z = 0;
        for (let k = 0; k < 4; k++) z += w.get(j, k) * x.get(i, k);
        f += z * z;
      }
      expectClose(dot(phi.row(i), phiA), f, { rel: 1e-12 }, `prediction ${i}`);
    }
  });

  it('is N × d(d+1)/2 for any N, including N = 0', () => {
    expect(liftedDesign(Matrix.zeros(0, 5)).shape).toEqual([0, 15]);
    expect(liftedDesign(Matrix.zeros(3, 0)).shape).toEqual([3, 0]);
  });

  it('rejects non-matrices and non-finite inputs', () => {
    expect(() => liftedDesign([[1, 2]] as unknown as Matrix)).toThrow(/invalid x/);
    expect(() => liftedDesign(Matrix.from([[1, Number.NaN]]))).toThrow(/x has a non-finite entry NaN at \[0\]\[1\]/);
  });
});
