import { describe, expect, it } from 'vitest';
import { loadFixture } from '@shallowscape/test-utils';
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../errors';
import { Matrix } from '../matrix';
import { createRng, gaussianMatrix } from '../rng';
import { lstsq, pinv, solve } from './lstsq';
import { SingularMatrixError } from '../errors';

interface LstsqCase {
  name: string;
  a: number[][];
  b: number[];
  x: number[];
  residuals: number[];
  bMatrix: number[][];
  xMatrix: number[][];
  residualsMatrix: number[];
  rank: number;
  s: number[];
}
interface PinvCase {
  name: string;
  a: number[][];
  rcond: number;
  pinv: number[][];
}
interface SolveCase {
  name: string;
  a: number[][];
  b: number[];
  x: number[];
  bMatrix: number[][];
  xMatrix: number[][];
  cond: number;
}
const fixture = loadFixture<{ lstsq: LstsqCase[]; pinv: PinvCase[]; solve: SolveCase[] }>(
  import.meta.url,
  'fixtures/decompositions.json',
);

const EPS = Number.EPSILON;

function maxAbs(d: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < d.length; i++) m = Math.max(m, Math.abs(d[i]!));
  return m;
}

function multiply(a: Matrix, b: Matrix): Matrix {
  const c = new Matrix(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const x = a.data[i * a.cols + k]!;
      if (x === 0) continue;
      for (let j = 0; j < b.cols; j++) c.data[i * b.cols + j] = c.data[i * b.cols + j]! + x * b.data[k * b.cols + j]!;
    }
  }
  return c;
}

function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!), `${what}[${i}]`).toBeLessThanOrEqual(tol);
  }
}

describe('lstsq against numpy.linalg.lstsq (fixtures/gen_decompositions.py)', () => {
  for (const tc of fixture.lstsq) {
    it(`${tc.name}: x, residuals, rank and singular values`, () => {
      const a = Matrix.from(tc.a);
      const m = a.rows;
      const n = a.cols;
      const smax = tc.s[0]!;
      // Effective condition number over the retained singular values.
      const kept = tc.s.slice(0, tc.rank);
      const kappa = kept.length > 0 ? smax / kept[kept.length - 1]! : 1;
      // Perturbation bound for the minimum-norm solution: ‖δx‖ ≲ c·max(m, n)·ε·κ²‖x‖ + …;
      // we use c·max(m, n)·ε·κ·(κ + 1)·max(|x|, |b|/s_min) with c = 16.
      const tolFor = (x: number[], b: number[]): number =>
        16 * Math.max(m, n) * EPS * kappa * (kappa + 1) * Math.max(maxAbs(x), kept.length > 0 ? maxAbs(b) / kept[kept.length - 1]! : 0);

      // Squared residual: ‖δr‖ ≲ c·max(m, n)·ε·κ·‖b‖ (the residual's condition number is κ, not
      // κ²), so |δ‖r‖²| ≤ 2‖r‖·c·max(m, n)·ε·κ·‖b‖ with c = 16, plus rounding of ‖r‖².
      const resTol = (res: number, b: number[]): number =>
        2 * Math.sqrt(res) * 16 * Math.max(m, n) * EPS * kappa * Math.hypot(...b) + 16 * m * EPS * res;
      const vec = lstsq(a, Float64Array.from(tc.b));
      expect(vec.x).toBeInstanceOf(Float64Array);
      expect(vec.rank).toBe(tc.rank);
      expectAllClose(vec.singularValues, tc.s, 8 * Math.max(m, n) * EPS * smax, 'singular values');
      expectAllClose(vec.x, tc.x, tolFor(tc.x, tc.b), 'x');
      expect(vec.residuals.length).toBe(tc.residuals.length);
      for (let i = 0; i < tc.residuals.length; i++) {
        expect(Math.abs(vec.residuals[i]! - tc.residuals[i]!)).toBeLessThanOrEqual(resTol(tc.residuals[i]!, tc.b));
      }

      const bm = Matrix.from(tc.bMatrix);
      const mat = lstsq(a, bm);
      expect(mat.x).toBeInstanceOf(Matrix);
      expect(mat.x.shape).toEqual([n, bm.cols]);
      expectAllClose(mat.x.data, tc.xMatrix.flat(), tolFor(tc.xMatrix.flat(), tc.bMatrix.flat()), 'X');
      expect(mat.residuals.length).toBe(tc.residualsMatrix.length);
      for (let i = 0; i < tc.residualsMatrix.length; i++) {
        const column = tc.bMatrix.map((row) => row[i]!);
        expect(Math.abs(mat.residuals[i]! - tc.residualsMatrix[i]!)).toBeLessThanOrEqual(resTol(tc.residualsMatrix[i]!, column));
      }
    });
  }
});

describe('lstsq properties on seeded random problems', () => {
  const rng = createRng(404);

  it('overdetermined (incl. the QR route, m > 5n/3): normal equations Aᵀ(Ax − b) ≈ 0', () => {
    for (const [m, n] of [
      [9, 5],
      [60, 10],
      [200, 30],
      [31, 30],
      // ≈ 0.9·n² ≈ 7·10⁴ logged rotations of the QR iteration against a log of 32768: the batched
      // application to Uᵀb and V carries its state across flushes.
      [330, 281],
    ] as const) {
      const a = gaussianMatrix(m, n, rng);
      const b = gaussianMatrix(m, 2, rng);
      const { x, rank, residuals } = lstsq(a, b);
      expect(rank).toBe(n);
      const r = multiply(a, x);
      for (let k = 0; k < r.data.length; k++) r.data[k] = b.data[k]! - r.data[k]!;
      const g = multiply(a.transpose(), r);
      // ‖Aᵀr‖ ≤ c·m·ε·‖A‖²·‖x‖ + c·m·ε·‖A‖·‖b‖ (c = 16), max norms.
      const bound = 16 * m * EPS * maxAbs(a.data) * m * (maxAbs(a.data) * n * maxAbs(x.data) + maxAbs(b.data));
      expect(maxAbs(g.data)).toBeLessThanOrEqual(bound);
      for (let q = 0; q < 2; q++) {
        let rr = 0;
        for (let i = 0; i < m; i++) rr += r.data[i * 2 + q]! ** 2;
        expect(Math.abs(residuals[q]! - rr)).toBeLessThanOrEqual(1e-10 * rr);
      }
    }
  });

  it('rank-deficient: minimum-norm solution equals pinv(A) b and lies in the row space', () => {
    for (const [m, n, r] of [
      [15, 10, 4],
      [8, 14, 3],
    ] as const) {
      const a = multiply(gaussianMatrix(m, r, rng), gaussianMatrix(r, n, rng));
      const b = gaussianMatrix(m, 1, rng).data;
      const { x, rank, residuals } = lstsq(a, b);
      expect(rank).toBe(r);
      expect(residuals.length).toBe(0);
      const p = pinv(a);
      const px = multiply(p, new Matrix(m, 1, b)).data;
      expectAllClose(x, px, 1e-10 * maxAbs(px), 'x vs pinv b');
      // x ⟂ null(A): x = A⁺A x.
      const projected = multiply(multiply(p, a), new Matrix(n, 1, x)).data;
      expectAllClose(projected, x, 1e-10 * maxAbs(x), 'A⁺A x');
    }
  });

  it('many right-hand sides (blocked reflector path) agree column by column with single solves', () => {
    for (const [m, n] of [
      [50, 12],
      [30, 20],
    ] as const) {
      const a = gaussianMatrix(m, n, rng);
      const b = gaussianMatrix(m, 20, rng);
      const all = lstsq(a, b);
      for (const q of [0, 7, 19]) {
        const single = lstsq(a, b.column(q));
        const column = all.x.column(q);
        expectAllClose(column, single.x, 1e-12 * maxAbs(single.x), `x[:, ${q}]`);
        expect(Math.abs(all.residuals[q]! - single.residuals[0]!)).toBeLessThanOrEqual(1e-12 * single.residuals[0]!);
      }
    }
  });

  it('rcond drops small singular values', () => {
    const a = Matrix.from([
      [1, 0],
      [0, 1e-8],
      [0, 0],
    ]);
    const b = new Float64Array([1, 1, 1]);
    expect(lstsq(a, b).rank).toBe(2);
    const truncated = lstsq(a, b, { rcond: 1e-6 });
    expect(truncated.rank).toBe(1);
    expect(Array.from(truncated.x)).toEqual([1, 0]);
  });

  it('empty and zero systems', () => {
    const zero = lstsq(new Matrix(3, 2), new Float64Array([1, 2, 3]));
    expect(Array.from(zero.x)).toEqual([0, 0]);
    expect(zero.rank).toBe(0);
    expect(lstsq(new Matrix(3, 0), new Float64Array(3)).x.length).toBe(0);
  });
});

describe('pinv against numpy.linalg.pinv', () => {
  for (const tc of fixture.pinv) {
    it(`${tc.name} (rcond = ${tc.rcond.toExponential(2)})`, () => {
      const a = Matrix.from(tc.a);
      const p = pinv(a, { rcond: tc.rcond });
      const ref = Matrix.from(tc.pinv);
      expect(p.shape).toEqual([a.cols, a.rows]);
      // Relative to max|A⁺|: error ≲ c·max(m, n)·ε·κ_r with κ_r = s_0/s_r (retained), c = 64;
      // the fixtures have κ_r ≤ 1e6 (illcond case truncated at 1e-6).
      const tol = 64 * Math.max(a.rows, a.cols) * EPS * 1e6 * maxAbs(ref.data) + 1e-300;
      expectAllClose(p.data, ref.data, tol, 'pinv');
    });
  }

  it('default rcond matches numpy with rtol=None (max(m, n)·ε)', () => {
    const tc = fixture.pinv.find((c) => c.name === 'rank5_10x8')!;
    const ref = Matrix.from(tc.pinv);
    expectAllClose(pinv(Matrix.from(tc.a)).data, ref.data, 1e-9 * maxAbs(ref.data), 'pinv');
  });

  it('satisfies the four Penrose conditions on a seeded rank-deficient matrix', () => {
    const rng = createRng(8);
    const a = multiply(gaussianMatrix(12, 5, rng), gaussianMatrix(5, 9, rng));
    const p = pinv(a);
    const tolA = 1e-12 * maxAbs(a.data) * 100;
    expectAllClose(multiply(multiply(a, p), a).data, a.data, tolA, 'A A⁺ A');
    expectAllClose(multiply(multiply(p, a), p).data, p.data, 1e-10 * maxAbs(p.data), 'A⁺ A A⁺');
    const ap = multiply(a, p);
    expectAllClose(ap.data, ap.transpose().data, 1e-12, '(A A⁺)ᵀ');
    const pa = multiply(p, a);
    expectAllClose(pa.data, pa.transpose().data, 1e-12, '(A⁺ A)ᵀ');
  });

  it('documented example and argument errors', () => {
    expect(pinv(Matrix.from([[2, 0], [0, 0]])).toArray()).toEqual([
      [0.5, 0],
      [0, 0],
    ]);
    expect(pinv(new Matrix(0, 3)).shape).toEqual([3, 0]);
    expect(() => pinv(Matrix.identity(2), { rcond: -1 })).toThrow(/invalid options.rcond: -1/);
    expect(() => pinv(Matrix.identity(2), { rcond: NaN })).toThrow(InvalidArgumentError);
  });
});

describe('solve against numpy.linalg.solve', () => {
  for (const tc of fixture.solve) {
    it(`${tc.name}: vector and matrix right-hand sides`, () => {
      const a = Matrix.from(tc.a);
      const n = a.rows;
      // Forward error ≤ c·n·ε·κ(A)·‖x‖ (c = 16).
      const x = solve(a, Float64Array.from(tc.b));
      expect(x).toBeInstanceOf(Float64Array);
      expectAllClose(x, tc.x, 16 * n * EPS * tc.cond * maxAbs(tc.x), 'x');
      const xm = solve(a, Matrix.from(tc.bMatrix));
      expect(xm.shape).toEqual([n, 2]);
      expectAllClose(xm.data, tc.xMatrix.flat(), 16 * n * EPS * tc.cond * maxAbs(tc.xMatrix.flat()), 'X');
    });
  }

  it('rejects singular systems naming the pivot', () => {
    expect(() => solve(Matrix.from([[1, 2], [2, 4]]), new Float64Array(2))).toThrow(SingularMatrixError);
    expect(() => solve(Matrix.from([[1, 2], [2, 4]]), new Float64Array(2))).toThrow(/a is singular to working precision: pivot 1/);
    expect(() =>
      solve(
        Matrix.from([
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ]),
        new Float64Array(3),
      ),
    ).toThrow(SingularMatrixError);
    expect(() => solve(new Matrix(2, 2), new Float64Array(2))).toThrow(/pivot 0/);
    try {
      solve(Matrix.from([[1, 1], [1, 1]]), new Float64Array(2));
    } catch (e) {
      expect((e as SingularMatrixError).code).toBe('E_SINGULAR');
      expect((e as SingularMatrixError).pivot).toBe(1);
    }
  });

  it('documented example', () => {
    expect(Array.from(solve(Matrix.from([[2, 1], [1, 3]]), new Float64Array([3, 5])))).toEqual([0.8, 1.4]);
  });
});

describe('argument errors name both arguments and shapes', () => {
  it('lstsq', () => {
    const a = new Matrix(4, 3);
    expect(() => lstsq(a, new Float64Array(3))).toThrow(/b has length 3 but a is 4×3/);
    expect(() => lstsq(a, new Matrix(5, 2))).toThrow(/b is 5×2 but a is 4×3 \(b needs 4 rows\)/);
    expect(() => lstsq(a, [1, 2, 3, 4] as unknown as Float64Array)).toThrow(/invalid b/);
    expect(() => lstsq(a, new Float64Array([1, 2, NaN, 4]))).toThrow(NonFiniteError);
    expect(() => lstsq(a, new Float64Array(4), { rcond: -0.5 })).toThrow(/invalid options.rcond/);
    expect(() => lstsq(Matrix.from([[NaN]]), new Float64Array(1))).toThrow(NonFiniteError);
  });

  it('solve', () => {
    expect(() => solve(new Matrix(2, 3), new Float64Array(2))).toThrow(ShapeError);
    expect(() => solve(Matrix.identity(3), new Float64Array(2))).toThrow(/b has length 2 but a is 3×3/);
    expect(() => solve(Matrix.identity(3), new Matrix(2, 2))).toThrow(/b is 2×2 but a is 3×3/);
  });

  it('lstsq documented example', () => {
    const { x, rank } = lstsq(Matrix.from([[1, 0], [1, 1], [1, 2]]), new Float64Array([1, 3, 5]));
    expect(Array.from(x).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([1, 2]);
    expect(rank).toBe(2);
  });
});
