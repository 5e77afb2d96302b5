import { describe, expect, it } from 'vitest';
import { loadFixture } from '@shallowscape/test-utils';
import { InvalidArgumentError, NonFiniteError } from '../errors';
import { Matrix } from '../matrix';
import { createRng, gaussianMatrix } from '../rng';
import { conditionNumber, rank, singularValues, svd } from './svd';
import { singularValuesKernel, svdKernel } from './svd-kernel';

interface SvdCase {
  name: string;
  a: number[][];
  s: number[];
  rank: number;
  cond: number | null;
}
const fixture = loadFixture<{ svd: SvdCase[]; graded: Array<{ name: string; a: number[][]; s: number[] }> }>(import.meta.url, 'fixtures/decompositions.json');

const EPS = Number.EPSILON;

function fromCase(a: number[][]): Matrix {
  // Matrix.from cannot infer the column count of a 0-row matrix; fixtures have ≥ 1 row.
  return Matrix.from(a);
}

/** ‖d‖₂, scaled so that entries like 1e-200 do not underflow when squared. */
function frobenius(d: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < d.length; i++) scale = Math.max(scale, Math.abs(d[i]!));
  if (scale === 0) return 0;
  let s = 0;
  for (let i = 0; i < d.length; i++) s += (d[i]! / scale) ** 2;
  return scale * Math.sqrt(s);
}

/** ‖A − U diag(s) Vᵀ‖_F, computed without forming the product twice. */
function reconstructionError(a: Matrix, s: Float64Array, u: Matrix, v: Matrix): number {
  const { rows: m, cols: n } = a;
  const diff = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let r = 0; r < s.length; r++) sum += u.data[i * u.cols + r]! * s[r]! * v.data[j * v.cols + r]!;
      diff[i * n + j] = a.data[i * n + j]! - sum;
    }
  }
  return frobenius(diff);
}

/** max |QᵀQ − I| over the columns of q. */
function orthogonalityError(q: Matrix): number {
  const { rows, cols, data } = q;
  let worst = 0;
  for (let a = 0; a < cols; a++) {
    for (let b = a; b < cols; b++) {
      let dot = 0;
      for (let i = 0; i < rows; i++) dot += data[i * cols + a]! * data[i * cols + b]!;
      worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
    }
  }
  return worst;
}

/** Asserts the SVD invariants with tolerances c·max(m, n)·ε (relative to ‖A‖ for A). */
function expectValidSvd(a: Matrix, result: { s: Float64Array; u: Matrix; v: Matrix }, full = false, c = 8): void {
  const { s, u, v } = result;
  const m = a.rows;
  const n = a.cols;
  const k = Math.min(m, n);
  const scale = Math.max(m, n, 1) * EPS;
  expect(s.length).toBe(k);
  expect(u.shape).toEqual(full ? [m, m] : [m, k]);
  expect(v.shape).toEqual(full ? [n, n] : [n, k]);
  for (let i = 0; i < k; i++) {
    expect(s[i]).toBeGreaterThanOrEqual(0);
    if (i > 0) expect(s[i]!).toBeLessThanOrEqual(s[i - 1]!);
  }
  const normA = frobenius(a.data);
  const sPadded = new Float64Array(Math.min(u.cols, v.cols));
  sPadded.set(s);
  expect(reconstructionError(a, sPadded, u, v)).toBeLessThanOrEqual(c * scale * normA);
  expect(orthogonalityError(u)).toBeLessThanOrEqual(c * scale);
  expect(orthogonalityError(v)).toBeLessThanOrEqual(c * scale);
}

describe('svd against NumPy (fixtures/gen_decompositions.py)', () => {
  for (const tc of fixture.svd) {
    it(`${tc.name}: singular values, invariants, rank and condition number`, () => {
      const a = fromCase(tc.a);
      const m = a.rows;
      const n = a.cols;
      const smax = tc.s[0]!;
      // Singular values: backward stable ⇒ |s_i − s_i*| ≤ c·max(m, n)·ε·s_max (c = 8).
      const tol = 8 * Math.max(m, n) * EPS * smax;
      const thin = svd(a);
      expect(thin.s.length).toBe(tc.s.length);
      for (let i = 0; i < tc.s.length; i++) expect(Math.abs(thin.s[i]! - tc.s[i]!)).toBeLessThanOrEqual(tol);
      expectValidSvd(a, thin);
      expectValidSvd(a, svd(a, { full: true }), true);
      const values = singularValues(a);
      for (let i = 0; i < tc.s.length; i++) expect(Math.abs(values[i]! - tc.s[i]!)).toBeLessThanOrEqual(tol);
      expect(rank(a)).toBe(tc.rank);
      const kappa = conditionNumber(a);
      if (tc.cond === null) {
        expect(kappa).toBe(Infinity);
      } else {
        // κ = s_max/s_min inherits the absolute error of s_min: relative error ≤ tol/s_min.
        const sminRef = tc.s[tc.s.length - 1]!;
        expect(Math.abs(kappa - tc.cond)).toBeLessThanOrEqual(2 * (tol / sminRef) * tc.cond + 4 * EPS * tc.cond);
      }
    });
  }

  it('keeps high relative accuracy on a matrix scaled by 1e200 and 1e-200', () => {
    for (const name of ['scaled_big_5x4', 'scaled_tiny_4x5']) {
      const tc = fixture.svd.find((c) => c.name === name)!;
      const s = singularValues(fromCase(tc.a));
      for (let i = 0; i < s.length; i++) expect(Math.abs(s[i]! / tc.s[i]! - 1)).toBeLessThanOrEqual(64 * EPS);
    }
  });
});

describe('svd invariants on seeded random matrices', () => {
  const rng = createRng(20241123);
  const sizes = [1, 2, 3, 4, 7, 16, 33];
  for (const m of sizes) {
    for (const n of sizes) {
      it(`${m}×${n}: thin and full`, () => {
        const a = gaussianMatrix(m, n, rng);
        const thin = svd(a);
        expectValidSvd(a, thin);
        expectValidSvd(a, svd(a, { full: true }), true);
        const values = singularValues(a);
        for (let i = 0; i < values.length; i++) {
          expect(Math.abs(values[i]! - thin.s[i]!)).toBeLessThanOrEqual(8 * Math.max(m, n) * EPS * thin.s[0]!);
        }
      });
    }
  }

  it('very tall and very wide shapes (QR preprocessing path)', () => {
    for (const [m, n] of [
      [120, 9],
      [9, 120],
      [64, 23],
      [23, 64],
      [200, 2],
    ] as const) {
      const a = gaussianMatrix(m, n, rng);
      expectValidSvd(a, svd(a));
      expectValidSvd(a, svd(a, { full: true }), true);
      // Values from the QR route (values only crosses over at m > 5n/3) agree with the vector route.
      const s = svd(a).s;
      const values = singularValues(a);
      for (let i = 0; i < s.length; i++) expect(Math.abs(values[i]! - s[i]!)).toBeLessThanOrEqual(8 * Math.max(m, n) * EPS * s[0]!);
    }
  });

  it('large enough for several levels of divide-and-conquer merges (330 × 281)', () => {
    // The bidiagonal SVD splits 281 rows four times down to blocks of at most 25 rows.
    const a = gaussianMatrix(330, 281, rng);
    expectValidSvd(a, svd(a));
    const wide = gaussianMatrix(281, 330, rng);
    expectValidSvd(wide, svd(wide));
  });

  it('a larger rank-deficient product (150 × 90 of rank 40)', () => {
    const b = gaussianMatrix(150, 40, rng);
    const c = gaussianMatrix(40, 90, rng);
    const a = new Matrix(150, 90);
    for (let i = 0; i < 150; i++) {
      for (let k = 0; k < 40; k++) {
        const x = b.data[i * 40 + k]!;
        for (let j = 0; j < 90; j++) a.data[i * 90 + j] = a.data[i * 90 + j]! + x * c.data[k * 90 + j]!;
      }
    }
    const result = svd(a);
    expectValidSvd(a, result);
    expect(rank(a)).toBe(40);
    expect(result.s[40]!).toBeLessThanOrEqual(8 * 150 * EPS * result.s[0]!);
  });
});

describe('svd on structured inputs (closed forms)', () => {
  it('diagonal with signs and zeros: |d| sorted descending', () => {
    const a = Matrix.from([
      [0, 0, 0],
      [0, -5, 0],
      [0, 0, 2],
      [0, 0, 0],
    ]);
    const result = svd(a);
    expect(Array.from(result.s)).toEqual([5, 2, 0]);
    expectValidSvd(a, result);
  });

  it('identity: all singular values 1, orthogonal factors', () => {
    const a = Matrix.identity(6);
    const result = svd(a);
    for (const s of result.s) expect(Math.abs(s - 1)).toBeLessThanOrEqual(4 * EPS);
    expectValidSvd(a, result);
    expect(conditionNumber(a)).toBeCloseTo(1, 14);
  });

  it('rank one outer product x yᵀ: s_0 = ‖x‖‖y‖, the rest zero', () => {
    const x = [1, 2, 3, 4, 5];
    const y = [2, -1, 0.5];
    const a = Matrix.from(x.map((xi) => y.map((yj) => xi * yj)));
    const s = singularValues(a);
    const expected = Math.hypot(...x) * Math.hypot(...y);
    expect(Math.abs(s[0]! - expected)).toBeLessThanOrEqual(16 * EPS * expected);
    expect(s[1]!).toBeLessThanOrEqual(16 * EPS * expected);
    expect(rank(a)).toBe(1);
  });

  it('upper bidiagonal 2×2 [[f, g], [0, h]]: s_0 s_1 = |f h|, s_0² + s_1² = f² + g² + h²', () => {
    for (const [f, g, h] of [
      [1, 1e8, 1],
      [3, 4, 0],
      [1e-200, 1, 1e-200],
      [2, 1e-17, -3],
    ] as const) {
      const s = singularValues(Matrix.from([[f, g], [0, h]]));
      expect(Math.abs(s[0]! * s[1]! - Math.abs(f * h))).toBeLessThanOrEqual(8 * EPS * Math.abs(f * h) + 1e-300);
      const sum = f * f + g * g + h * h;
      expect(Math.abs(s[0]! ** 2 + s[1]! ** 2 - sum)).toBeLessThanOrEqual(8 * EPS * sum);
    }
  });

  for (const tc of fixture.graded) {
    it(`${tc.name}: graded bidiagonal, every singular value to high relative accuracy`, () => {
      // Demmel–Kahan: relative error O(n·tolmul·ε) however small the value; a normwise method
      // would only give absolute error ε·s_0 (tolerance here: 64·n·ε relative).
      const a = fromCase(tc.a);
      const n = a.rows;
      for (const s of [singularValues(a), svd(a).s]) {
        for (let i = 0; i < n; i++) expect(Math.abs(s[i]! / tc.s[i]! - 1)).toBeLessThanOrEqual(64 * n * EPS);
      }
    });
  }

  it('empty shapes', () => {
    for (const [m, n] of [
      [0, 0],
      [0, 3],
      [3, 0],
    ] as const) {
      const a = new Matrix(m, n);
      const thin = svd(a);
      expect(thin.s.length).toBe(0);
      expect(thin.u.shape).toEqual([m, 0]);
      expect(thin.v.shape).toEqual([n, 0]);
      const full = svd(a, { full: true });
      expect(full.u.toArray()).toEqual(Matrix.identity(m).toArray());
      expect(full.v.toArray()).toEqual(Matrix.identity(n).toArray());
      expect(rank(a)).toBe(0);
    }
  });

  it('zero matrix: zero values, orthonormal factors, infinite condition number', () => {
    const a = new Matrix(5, 3);
    const result = svd(a);
    expect(Array.from(result.s)).toEqual([0, 0, 0]);
    expectValidSvd(a, result);
    expect(conditionNumber(a)).toBe(Infinity);
  });
});

describe('svdKernel (backend contract slot)', () => {
  it('returns thin row-major factors and leaves the input untouched (with and without the QR step, extreme entries scaled)', () => {
    const rng = createRng(5);
    // 30 × 4 and 4 × 30 take the QR step; entries near 1e300 are scaled by a power of two first.
    for (const [m, n, scale] of [
      [7, 4, 1],
      [4, 7, 1],
      [30, 4, 1],
      [4, 30, 1],
      [7, 4, 1e300],
      [30, 4, 1e300],
    ] as const) {
      const a = gaussianMatrix(m, n, rng);
      for (let i = 0; i < a.data.length; i++) a.data[i] = a.data[i]! * scale;
      const copy = a.data.slice();
      const k = Math.min(m, n);
      const { s, u, v } = svdKernel(m, n, a.data);
      expect(a.data).toEqual(copy);
      // The values alone (another method: the QR iteration, the QR step from another aspect ratio).
      const values = singularValuesKernel(m, n, a.data);
      expect(a.data).toEqual(copy);
      for (let i = 0; i < k; i++) expect(Math.abs(values[i]! - s[i]!)).toBeLessThanOrEqual(16 * Math.max(m, n) * EPS * s[0]!);
      expect(u.length).toBe(m * k);
      expect(v.length).toBe(n * k);
      expectValidSvd(a, { s, u: new Matrix(m, k, u), v: new Matrix(n, k, v) });
    }
  });
});

describe('rank', () => {
  it('uses max(m, n)·ε·s_0 by default and an absolute tol when given', () => {
    const a = Matrix.from([
      [1, 0, 0],
      [0, 1e-3, 0],
      [0, 0, 1e-14],
    ]);
    expect(rank(a)).toBe(3); // 1e-14 > 3·ε ≈ 6.7e-16
    expect(rank(a, 1e-10)).toBe(2);
    expect(rank(a, 0.5)).toBe(1);
    expect(rank(a, 0)).toBe(3);
  });
});

describe('documented examples', () => {
  it('hold as stated', () => {
    const { s, u } = svd(Matrix.from([[0, 2], [3, 0]]));
    expect(Array.from(s)).toEqual([3, 2]);
    expect(u.shape).toEqual([2, 2]);
    expect(Array.from(svdKernel(2, 2, new Float64Array([3, 0, 0, -4])).s)).toEqual([4, 3]);
    expect(Array.from(singularValues(Matrix.from([[1, 1], [1, 1]])))).toEqual([2, 0]);
    expect(rank(Matrix.from([[1, 2], [2, 4], [3, 6]]))).toBe(1);
    expect(conditionNumber(Matrix.from([[2, 0], [0, 0.5]]))).toBe(4);
  });
});

describe('svd argument checking', () => {
  it('rejects non-matrices, non-finite entries and bad options with typed errors', () => {
    expect(() => svd([[1]] as unknown as Matrix)).toThrow(InvalidArgumentError);
    expect(() => svd(Matrix.from([[1, NaN]]))).toThrow(NonFiniteError);
    expect(() => singularValues(Matrix.from([[Infinity]]))).toThrow(/non-finite entry Infinity at \[0\]\[0\]/);
    expect(() => svd(Matrix.identity(2), { full: 'yes' as unknown as boolean })).toThrow(InvalidArgumentError);
    expect(() => rank(Matrix.identity(2), -1)).toThrow(/invalid tol: -1/);
    expect(() => rank(Matrix.identity(2), NaN)).toThrow(InvalidArgumentError);
    expect(() => conditionNumber(new Matrix(0, 3))).toThrow(/non-empty matrix/);
  });
});
