import { describe, expect, it } from 'vitest';
import { loadFixture } from '@shallowscape/test-utils';
import { InvalidArgumentError, NonFiniteError, NotPositiveDefiniteError, NotSymmetricError, ShapeError } from '../errors';
import { Matrix } from '../matrix';
import { createRng, gaussianMatrix } from '../rng';
import { cholesky, choleskySolve } from './cholesky';

interface CholeskyCase {
  name: string;
  a: number[][];
  l: number[][];
  cond: number;
}
const fixture = loadFixture<{ cholesky: CholeskyCase[] }>(import.meta.url, 'fixtures/decompositions.json');

const EPS = Number.EPSILON;

function maxAbs(d: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < d.length; i++) m = Math.max(m, Math.abs(d[i]!));
  return m;
}

/** max |A − L Lᵀ|. */
function residual(a: Matrix, l: Matrix): number {
  const n = a.rows;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += l.data[i * n + k]! * l.data[j * n + k]!;
      worst = Math.max(worst, Math.abs(a.data[i * n + j]! - sum));
    }
  }
  return worst;
}

function spd(n: number, seed: number): Matrix {
  const g = gaussianMatrix(n, n + 2, createRng(seed));
  const a = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n + 2; k++) s += g.data[i * (n + 2) + k]! * g.data[j * (n + 2) + k]!;
      a.data[i * n + j] = s;
      a.data[j * n + i] = s;
    }
  }
  return a;
}

describe('cholesky against NumPy (fixtures/gen_decompositions.py)', () => {
  for (const tc of fixture.cholesky) {
    it(`${tc.name}: L equals numpy.linalg.cholesky, L Lᵀ = A`, () => {
      const a = Matrix.from(tc.a);
      const n = a.rows;
      const { l } = cholesky(a);
      // Backward error: |A − L Lᵀ| ≤ c·n·ε·max|A| (c = 8).
      expect(residual(a, l)).toBeLessThanOrEqual(8 * n * EPS * maxAbs(a.data));
      // Forward error of the (unique) factor: ≤ c·n·ε·κ(A)·max|L| (c = 8).
      const ref = Matrix.from(tc.l);
      const tol = 8 * n * EPS * tc.cond * maxAbs(ref.data);
      for (let k = 0; k < n * n; k++) expect(Math.abs(l.data[k]! - ref.data[k]!)).toBeLessThanOrEqual(tol);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l.data[i * n + j]).toBe(0);
    });
  }
});

describe('cholesky on seeded SPD matrices', () => {
  for (const n of [1, 3, 10, 37, 64]) {
    it(`n = ${n}: residual and positive diagonal`, () => {
      const a = spd(n, 100 + n);
      const { l } = cholesky(a);
      expect(residual(a, l)).toBeLessThanOrEqual(8 * n * EPS * maxAbs(a.data));
      for (let i = 0; i < n; i++) expect(l.data[i * n + i]!).toBeGreaterThan(0);
    });
  }
});

describe('cholesky failures', () => {
  it('names the first non-positive pivot', () => {
    expect(() => cholesky(Matrix.from([[1, 2], [2, 1]]))).toThrow(/a is not positive definite: pivot 1 is -3/);
    expect(() => cholesky(Matrix.from([[-1]]))).toThrow(/pivot 0 is -1/);
    expect(() => cholesky(Matrix.from([[1, 1], [1, 1]]))).toThrow(/pivot 1 is 0/);
    const err = (() => {
      try {
        cholesky(Matrix.from([[4, 2, 0], [2, 1, 0], [0, 0, 1]]));
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(NotPositiveDefiniteError);
    expect((err as NotPositiveDefiniteError).code).toBe('E_NOT_POSITIVE_DEFINITE');
  });

  it('rejects non-square, asymmetric and non-finite input', () => {
    expect(() => cholesky(new Matrix(2, 3))).toThrow(ShapeError);
    expect(() => cholesky(Matrix.from([[2, 1], [0, 2]]))).toThrow(NotSymmetricError);
    expect(() => cholesky(Matrix.from([[NaN]]))).toThrow(NonFiniteError);
    expect(() => cholesky({ rows: 1 } as unknown as Matrix)).toThrow(InvalidArgumentError);
  });

  it('empty matrix gives an empty factor', () => {
    expect(cholesky(new Matrix(0, 0)).l.shape).toEqual([0, 0]);
  });
});

describe('choleskySolve', () => {
  it('solves L Lᵀ x = b for vectors and matrices (residual ≤ c·n·ε·κ)', () => {
    const n = 25;
    const a = spd(n, 9);
    const { l } = cholesky(a);
    const rng = createRng(10);
    const b = gaussianMatrix(n, 3, rng);
    const x = choleskySolve(l, b);
    expect(x.shape).toEqual([n, 3]);
    const bv = b.column(1);
    const xv = choleskySolve(l, bv);
    expect(xv).toBeInstanceOf(Float64Array);
    for (let i = 0; i < n; i++) expect(xv[i]).toBe(x.data[i * 3 + 1]);
    // ‖A x − b‖ ≤ c·n·ε·‖A‖·‖x‖ (backward stable), c = 16.
    let xNorm = 0;
    for (const v of x.data) xNorm = Math.max(xNorm, Math.abs(v));
    for (let i = 0; i < n; i++) {
      for (let q = 0; q < 3; q++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a.data[i * n + k]! * x.data[k * 3 + q]!;
        expect(Math.abs(s - b.data[i * 3 + q]!)).toBeLessThanOrEqual(16 * n * n * EPS * maxAbs(a.data) * xNorm);
      }
    }
  });

  it('documented examples', () => {
    expect(cholesky(Matrix.from([[4, 2], [2, 5]])).l.toArray()).toEqual([
      [2, 0],
      [1, 2],
    ]);
    const { l } = cholesky(Matrix.from([[4, 2], [2, 5]]));
    expect(Array.from(choleskySolve(l, new Float64Array([6, 7])))).toEqual([1, 1]);
  });

  it('checks shapes and the factor', () => {
    const l = Matrix.from([[2, 0], [1, 2]]);
    expect(() => choleskySolve(l, new Float64Array(3))).toThrow(/b has length 3 but l is 2×2/);
    expect(() => choleskySolve(l, new Matrix(3, 1))).toThrow(/b is 3×1 but l is 2×2/);
    expect(() => choleskySolve(new Matrix(2, 3), new Float64Array(2))).toThrow(ShapeError);
    expect(() => choleskySolve(Matrix.from([[0, 0], [1, 2]]), new Float64Array(2))).toThrow(/invalid l\[0\]\[0\]: 0/);
    expect(() => choleskySolve(l, new Float64Array([1, NaN]))).toThrow(NonFiniteError);
    expect(() => choleskySolve(l, [1, 2] as unknown as Float64Array)).toThrow(InvalidArgumentError);
  });
});
