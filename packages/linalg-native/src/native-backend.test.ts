/**
 * The native backend (OpenBLAS + LAPACKE through the addon): the backend conformance suite of
 * `@shallowscape/linalg`, agreement with the reference backend and decompositions on larger random
 * inputs, and the LAPACK-only functions against closed forms and the reference implementations.
 *
 * Where the addon is not built these tests skip, naming the reason, except on CI
 * (`process.env.CI` set), where the addon must load and its absence fails the first test.
 *
 * Threads: the conformance suite runs with 1 and with 3 threads of the addon's pool, and the
 * products (every transpose, shapes that cut into several bands, into groups of the reduction, or
 * neither, and the empty edge cases) and the quadratic forms must give the same bits (`toEqual` on
 * the Float64Arrays) for 1, 2, 3 and 4 threads, as must eigh, svd, singularValues and cholesky.
 *
 * Tolerances (u = 2⁻⁵³): products within the conformance suite's `8 (k + 2) u` componentwise
 * bound; eigenvalues and singular values within `100 n u ‖A‖_F` of the reference's; residuals
 * `‖AV − VD‖_F`, `‖AP − QR‖_F`, `‖LLᵀ − A‖_F` within `100 n u ‖A‖_F`; orthogonality within `100 n u`;
 * eigenvectors (random symmetric matrices, well separated eigenvalues) `1 − |v_nativeᵀ v_ref| ≤ 1e-9`;
 * least-squares solutions within `1e-10` relative (condition numbers below 100).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AbortedError,
  InvalidArgumentError,
  Matrix,
  cholesky,
  createRng,
  lstsq,
  qr,
  referenceBackend,
  singularValues,
  type Rng,
} from '@shallowscape/linalg';
import { describeBackendConformance, expectWithinScaled, productTolerance, quadraticFormsTolerance, referenceGemm } from '../../linalg/src/testing/backend-conformance';
import { LapackError } from './lapack-error';
import { loadNativeAddon } from './native-addon';
import { describeOpenblas, loadNativeBackend } from './native-backend';
import { nativeCholesky } from './native-cholesky';
import { nativeLeastSquares } from './native-least-squares';
import { nativeQrPivoted } from './native-qr-pivoted';
import { nativeSingularValues } from './native-singular-values';
import { getNativeThreads, setNativeThreads } from './native-threads';

const U = 2 ** -53;
const native = loadNativeBackend();
const onCi = (process.env.CI ?? '') !== '' && process.env.CI !== 'false' && process.env.CI !== '0';
const why = native.available ? '' : native.reason;

describe('loading the native addon', () => {
  // On CI the addon must load (the Debian packages are installed there); elsewhere its absence
  // skips the native tests, and this test's name says why.
  it.skipIf(!native.available && !onCi)(`loads OpenBLAS and LAPACKE${native.available ? '' : ` (unavailable: ${why})`}`, () => {
    if (!native.available) expect.fail(`the native addon must load on CI (CI=${process.env.CI}): ${why}`);
    expect(native.config).toMatch(/OpenBLAS/);
    expect(native.coreName.length).toBeGreaterThan(0);
    expect(native.threads).toBeGreaterThanOrEqual(1);
    const addon = loadNativeAddon();
    expect(addon.available && addon.addon.openblasConfig().openblasThreads).toBe(1);
  });

  it('never throws and returns the same backend on every call; rejects an invalid thread count', () => {
    const again = loadNativeBackend();
    expect(again.available).toBe(native.available);
    if (native.available && again.available) expect(again.backend).toBe(native.backend);
    if (!native.available && !again.available) expect(again.reason).toBe(native.reason);
    for (const threads of [0, -1, 1.5, Number.NaN]) {
      expect(() => loadNativeBackend({ threads })).toThrow(InvalidArgumentError);
    }
  });

  it('describes OpenBLAS by version, kernels, threads and where LAPACK comes from', () => {
    const info = {
      config: 'OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64',
      coreName: 'Zen',
      threads: 1,
      openblasThreads: 1,
      parallel: 1,
      blasLibrary: '/lib/x86_64-linux-gnu/libopenblas.so.0',
      lapackLibrary: '/lib/x86_64-linux-gnu/libopenblas.so.0',
    };
    expect(describeOpenblas(info, 1)).toBe('OpenBLAS 0.3.21 (Zen kernels, 1 thread) + LAPACK');
    expect(describeOpenblas({ ...info, lapackLibrary: '/usr/lib/liblapack.so.3' }, 4)).toBe('OpenBLAS 0.3.21 (Zen kernels, 4 threads) + LAPACK (liblapack.so.3)');
  });
});

function randomMatrix(rng: Rng, rows: number, cols: number): Matrix {
  return new Matrix(rows, cols, rng.fillNormal(new Float64Array(rows * cols)));
}

function randomSymmetric(rng: Rng, n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rng.normal();
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

function frobenius(x: ArrayLike<number>): number {
  let s = 0;
  for (let t = 0; t < x.length; t++) s += x[t]! * x[t]!;
  return Math.sqrt(s);
}

/** `C = op(A) op(B)` through the reference backend. */
function product(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float64Array, b: Float64Array): Float64Array {
  const c = new Float64Array(m * n);
  referenceBackend.gemm!(transA, transB, m, n, k, 1, a, b, 0, c);
  return c;
}

function difference(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  return Float64Array.from(x, (v, i) => v - y[i]!);
}

/** `‖XᵀX − I‖_F` for the row-major `rows × cols` `x`. */
function orthogonalityError(rows: number, cols: number, x: Float64Array): number {
  const g = product(true, false, cols, cols, rows, x, x);
  for (let i = 0; i < cols; i++) g[i * cols + i] = g[i * cols + i]! - 1;
  return frobenius(g);
}

/** Runs `body` with the addon's pool at `threads` threads, restoring the count after. */
function withThreads<T>(threads: number, body: () => T): T {
  const before = getNativeThreads();
  setNativeThreads(threads);
  try {
    return body();
  } finally {
    setNativeThreads(before);
  }
}

const THREAD_COUNTS = [1, 2, 3, 4];

/** `run()` (a fresh output each call) with 1, 2, 3 and 4 threads: the results, in that order. */
function acrossThreads<T>(run: () => T): T[] {
  return THREAD_COUNTS.map((threads) => withThreads(threads, run));
}

if (native.available) {
  const { backend } = native;
  for (const threads of [1, 3]) {
    describe(`with ${threads} thread${threads === 1 ? '' : 's'}`, () => {
      let before = 1;
      beforeAll(() => {
        before = getNativeThreads();
        setNativeThreads(threads);
      });
      afterAll(() => {
        setNativeThreads(before);
      });
      describeBackendConformance(backend);
    });
  }

  describe('native backend', () => {
    it("names itself 'native', float64, and describes OpenBLAS, its kernels and threads", () => {
      expect([backend.name, backend.precision]).toEqual(['native', 'float64']);
      expect(backend.description).toMatch(/^OpenBLAS \S+ \(\S+ kernels, \d+ threads?\) \+ LAPACK/);
      expect(backend.description).toContain(`${native.coreName} kernels`);
    });

    it('checks array lengths in the addon: a short array is a RangeError, not a memory error', () => {
      const c = new Float64Array(4);
      expect(() => backend.gemm!(false, false, 2, 2, 2, 1, Float64Array.of(1, 2, 3), Float64Array.of(1, 0, 0, 1), 0, c)).toThrow(RangeError);
      expect(() => backend.dot!(3, Float64Array.of(1, 2, 3), Float64Array.of(1, 2))).toThrow(/y has length 2/);
      expect(() => backend.gemv!(false, 2, 2, 1, [1, 2, 3, 4] as unknown as Float64Array, Float64Array.of(1, 1), 0, new Float64Array(2))).toThrow(TypeError);
      expect(() => backend.quadraticForms!(3, 2, new Float64Array(5), new Float64Array(4), new Float64Array(3))).toThrow(/x has length 5/);
      expect(() => backend.quadraticForms!(3, 2, new Float64Array(6), new Float64Array(3), new Float64Array(3))).toThrow(/a has length 3/);
      expect(() => backend.quadraticForms!(3, 2, new Float64Array(6), new Float64Array(4), new Float64Array(2))).toThrow(/f has length 2/);
    });

    it('gemm, syrk and weightedGram on sizes beyond the blocking of OpenBLAS and of weightedGram agree with the triple loop', () => {
      const rng = createRng(3);
      for (const [m, n, k] of [[300, 257, 130], [5, 1031, 9], [130, 3, 1200]] as Array<[number, number, number]>) {
        const a = rng.fillNormal(new Float64Array(m * k));
        const b = rng.fillNormal(new Float64Array(k * n));
        const c0 = rng.fillNormal(new Float64Array(m * n));
        const c = c0.slice();
        backend.gemm!(true, false, m, n, k, -0.5, Float64Array.from(a), b, 2, c);
        const ref = referenceGemm(true, false, m, n, k, -0.5, a, b, 2, c0);
        expectWithinScaled(c, ref.value, ref.scale, productTolerance('float64', k), `gemm ${m}×${n}×${k}`);
      }
      const rows = 700;
      const cols = 300; // two bands of the triangle, of equal work (224 + 76 rows)
      const x = rng.fillNormal(new Float64Array(rows * cols));
      const w = rng.fillNormal(new Float64Array(rows));
      const wx = x.slice();
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) wx[i * cols + j] = wx[i * cols + j]! * w[i]!;
      const g = new Float64Array(cols * cols).fill(Number.NaN);
      backend.weightedGram!(rows, cols, x, w, g);
      const refG = referenceGemm(true, false, cols, cols, rows, 1, x, wx, 0, g);
      expectWithinScaled(g, refG.value, refG.scale, productTolerance('float64', rows), 'weightedGram 700×300');
      for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) expect(g[j * cols + i]).toBe(g[i * cols + j]);
      const s = new Float64Array(cols * cols).fill(Number.NaN);
      backend.syrk!(true, cols, rows, 1, x, 0, s);
      const refS = referenceGemm(true, false, cols, cols, rows, 1, x, x, 0, s);
      expectWithinScaled(s, refS.value, refS.scale, productTolerance('float64', rows), 'syrk 300 (k = 700)');
      for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) expect(s[j * cols + i]).toBe(s[i * cols + j]);
    });

    for (const n of [50, 200]) {
      it(`eigh agrees with the reference backend on a random symmetric ${n}×${n}: values, and vectors up to sign`, () => {
        const rng = createRng(100 + n);
        const a = randomSymmetric(rng, n);
        const copy = a.slice();
        const mine = backend.eigh!(n, a, true);
        const ref = referenceBackend.eigh!(n, a, true);
        expect(Array.from(a)).toEqual(Array.from(copy));
        const normA = frobenius(a);
        expectWithinScaled(mine.values, ref.values, new Float64Array(n).fill(1), 100 * n * U * normA, 'eigenvalues');
        const v = mine.vectors!;
        const r = ref.vectors!;
        let worst = 0;
        for (let j = 0; j < n; j++) {
          let d = 0;
          for (let i = 0; i < n; i++) d += v[i * n + j]! * r[i * n + j]!;
          worst = Math.max(worst, 1 - Math.abs(d));
        }
        expect(worst, 'max_j 1 − |v_jᵀ v_ref,j|').toBeLessThanOrEqual(1e-9);
        const values = backend.eigh!(n, a, false);
        expect(values.vectors).toBeNull();
        expectWithinScaled(values.values, mine.values, new Float64Array(n).fill(1), 100 * n * U * normA, 'values without vectors');
      });
    }

    it('eigh on 400×400: AV = VD and VᵀV = I (dsyevd divide and conquer)', () => {
      const n = 400;
      const a = randomSymmetric(createRng(7), n);
      const { values, vectors } = backend.eigh!(n, a, true);
      const v = vectors!;
      const av = product(false, false, n, n, n, a, v);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) av[i * n + j] = av[i * n + j]! - v[i * n + j]! * values[j]!;
      expect(frobenius(av)).toBeLessThanOrEqual(100 * n * U * frobenius(a));
      expect(orthogonalityError(n, n, v)).toBeLessThanOrEqual(100 * n * U);
      for (let i = 1; i < n; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
    });

    it('eigh and svd accept empty matrices; eigh stops before starting when its signal is aborted', () => {
      expect(backend.eigh!(0, new Float64Array(0), true)).toEqual({ values: new Float64Array(0), vectors: new Float64Array(0) });
      expect(backend.eigh!(0, new Float64Array(0), false)).toEqual({ values: new Float64Array(0), vectors: null });
      for (const [rows, cols] of [[0, 3], [3, 0], [0, 0]] as Array<[number, number]>) {
        const { s, u, v } = backend.svd!(rows, cols, new Float64Array(0));
        expect([s.length, u.length, v.length]).toEqual([0, 0, 0]);
      }
      const controller = new AbortController();
      controller.abort();
      expect(() => backend.eigh!(2, Float64Array.of(1, 0, 0, 1), true, controller.signal)).toThrow(AbortedError);
    });
  });

  describe('nativeSingularValues', () => {
    for (const [rows, cols] of [[1, 1], [7, 3], [3, 7], [60, 60], [300, 41], [41, 300]] as Array<[number, number]>) {
      it(`equals the values of the full native SVD and of the reference: ${rows}×${cols}`, () => {
        const rng = createRng(rows * 1000 + cols);
        const a = randomMatrix(rng, rows, cols);
        const copy = a.data.slice();
        const s = nativeSingularValues(a);
        expect(Array.from(a.data)).toEqual(Array.from(copy));
        const k = Math.min(rows, cols);
        const tol = 100 * Math.max(rows, cols) * U * frobenius(a.data);
        expectWithinScaled(s, backend.svd!(rows, cols, a.data).s, new Float64Array(k).fill(1), tol, 'values only vs full');
        expectWithinScaled(s, singularValues(a), new Float64Array(k).fill(1), tol, 'vs the reference singularValues');
      });
    }

    it('has the closed form of a scaled orthogonal matrix, and is empty for an empty matrix', () => {
      // Q = [[c, −s], [s, c]] times 3: both singular values 3.
      const t = 0.3;
      const s = nativeSingularValues(Matrix.from([[3 * Math.cos(t), -3 * Math.sin(t)], [3 * Math.sin(t), 3 * Math.cos(t)]]));
      expectWithinScaled(s, [3, 3], [3, 3], 8 * U, 'rotation × 3');
      expect(nativeSingularValues(Matrix.zeros(0, 4)).length).toBe(0);
    });
  });

  describe('nativeCholesky', () => {
    for (const n of [1, 5, 64, 257]) {
      it(`agrees with the reference cholesky and LLᵀ = A: SPD ${n}×${n}`, () => {
        const x = randomMatrix(createRng(n), n + 3, n);
        const a = new Matrix(n, n, product(true, false, n, n, n + 3, x.data, x.data));
        for (let i = 0; i < n; i++) a.data[i * n + i] = a.data[i * n + i]! + 1;
        const copy = a.data.slice();
        const { l } = nativeCholesky(a);
        expect(Array.from(a.data)).toEqual(Array.from(copy));
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l.get(i, j)).toBe(0);
        const llt = product(false, true, n, n, n, l.data, l.data);
        const normA = frobenius(a.data);
        expect(frobenius(difference(llt, a.data))).toBeLessThanOrEqual(100 * n * U * normA);
        const ref = cholesky(a).l;
        expect(frobenius(difference(l.data, ref.data))).toBeLessThanOrEqual(1e-10 * frobenius(ref.data));
      });
    }

    it('factors the 0×0 matrix and the closed form [[4, 2], [2, 5]] = [[2, 0], [1, 2]] [[2, 1], [0, 2]]', () => {
      expect(nativeCholesky(Matrix.zeros(0, 0)).l.rows).toBe(0);
      expect(nativeCholesky(Matrix.from([[4, 2], [2, 5]])).l.toArray()).toEqual([[2, 0], [1, 2]]);
    });

    it('turns dpotrf info > 0 into a LapackError naming the routine, info and the failing minor', () => {
      const notPositive = Matrix.from([
        [4, 2, 0],
        [2, 1, 0],
        [0, 0, 1],
      ]); // the 2×2 leading minor is singular
      let caught: unknown;
      try {
        nativeCholesky(notPositive);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(LapackError);
      const error = caught as LapackError;
      expect([error.name, error.code, error.routine, error.info, error.argument]).toEqual(['LapackError', 'E_LAPACK', 'dpotrf', 2, 'a']);
      expect(error.message).toBe('LAPACK dpotrf failed (info = 2): the leading minor of order 2 is not positive definite (pivot 1)');
      expect(() => nativeCholesky(Matrix.from([[-1]]))).toThrow(/dpotrf failed \(info = 1\)/);
    });
  });

  describe('nativeQrPivoted', () => {
    for (const [rows, cols] of [[1, 1], [9, 5], [5, 9], [120, 80], [80, 120]] as Array<[number, number]>) {
      it(`AP = QR, QᵀQ = I, R upper with |r_ii| non-increasing, as the reference's pivoted qr: ${rows}×${cols}`, () => {
        const a = randomMatrix(createRng(rows * 7 + cols), rows, cols);
        const copy = a.data.slice();
        const { q, r, permutation, rank } = nativeQrPivoted(a);
        expect(Array.from(a.data)).toEqual(Array.from(copy));
        const k = Math.min(rows, cols);
        expect([q.rows, q.cols, r.rows, r.cols, rank]).toEqual([rows, k, k, cols, k]);
        expect(Array.from(permutation).sort((x, y) => x - y)).toEqual(Array.from({ length: cols }, (_, j) => j));
        for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) expect(r.get(i, j)).toBe(0);
        for (let i = 1; i < k; i++) expect(Math.abs(r.get(i, i))).toBeLessThanOrEqual(Math.abs(r.get(i - 1, i - 1)) * (1 + 1e-12));
        const ap = new Float64Array(rows * cols);
        for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) ap[i * cols + j] = a.get(i, permutation[j]!);
        const qr_ = product(false, false, rows, cols, k, q.data, r.data);
        const n = Math.max(rows, cols);
        expect(frobenius(difference(qr_, ap))).toBeLessThanOrEqual(100 * n * U * frobenius(a.data));
        expect(orthogonalityError(rows, k, q.data)).toBeLessThanOrEqual(100 * n * U);
        const ref = qr(a, { pivoting: true });
        expect(Array.from(permutation)).toEqual(Array.from(ref.permutation!));
        const diag = Float64Array.from({ length: k }, (_, i) => Math.abs(r.get(i, i)));
        const refDiag = Float64Array.from({ length: k }, (_, i) => Math.abs(ref.r.get(i, i)));
        expectWithinScaled(diag, refDiag, new Float64Array(k).fill(frobenius(a.data)), 100 * n * U, '|diag R|');
      });
    }

    it('reveals the rank of a rank-3 matrix, with the tolerance option, and handles empty matrices', () => {
      const rng = createRng(11);
      const b = randomMatrix(rng, 12, 3);
      const c = randomMatrix(rng, 3, 8);
      const a = new Matrix(12, 8, product(false, false, 12, 8, 3, b.data, c.data));
      expect(nativeQrPivoted(a).rank).toBe(3);
      expect(qr(a, { pivoting: true }).rank).toBe(3);
      expect(nativeQrPivoted(a, { tolerance: 1e6 }).rank).toBe(0);
      expect(() => nativeQrPivoted(a, { tolerance: -1 })).toThrow(InvalidArgumentError);
      const empty = nativeQrPivoted(Matrix.zeros(0, 3));
      expect([empty.q.rows, empty.q.cols, empty.r.rows, empty.r.cols, empty.rank, Array.from(empty.permutation)]).toEqual([0, 0, 0, 3, 0, [0, 1, 2]]);
    });
  });

  describe('nativeLeastSquares', () => {
    it('fits a line exactly (closed form) and reports rank and singular values', () => {
      const { x, rank, residuals, singularValues: s } = nativeLeastSquares(Matrix.from([[1, 0], [1, 1], [1, 2]]), Float64Array.of(1, 3, 5));
      expectWithinScaled(x, [1, 2], [1, 2], 64 * U, 'x');
      expect(rank).toBe(2);
      expect(residuals.length).toBe(1);
      expect(residuals[0]!).toBeLessThan(1e-24);
      expect(s.length).toBe(2);
    });

    const cases: Array<{ what: string; rows: number; cols: number; rhs: number | null; rankOf?: number }> = [
      { what: 'tall, full rank, vector b', rows: 40, cols: 7, rhs: null },
      { what: 'tall, full rank, 3 right-hand sides', rows: 60, cols: 20, rhs: 3 },
      { what: 'wide (minimum norm)', rows: 6, cols: 15, rhs: 2 },
      { what: 'rank-deficient (rank 4 of 30×10)', rows: 30, cols: 10, rhs: 2, rankOf: 4 },
      { what: 'square', rows: 25, cols: 25, rhs: null },
    ];
    for (const { what, rows, cols, rhs, rankOf } of cases) {
      it(`agrees with the reference lstsq: ${what}`, () => {
        const rng = createRng(rows * 31 + cols);
        let a = randomMatrix(rng, rows, cols);
        if (rankOf !== undefined) {
          const b = randomMatrix(rng, rows, rankOf);
          const c = randomMatrix(rng, rankOf, cols);
          a = new Matrix(rows, cols, product(false, false, rows, cols, rankOf, b.data, c.data));
        }
        const copy = a.data.slice();
        const b = rhs === null ? rng.fillNormal(new Float64Array(rows)) : randomMatrix(rng, rows, rhs);
        const mine = nativeLeastSquares(a, b);
        const ref = lstsq(a, b);
        expect(Array.from(a.data)).toEqual(Array.from(copy));
        expect(mine.rank).toBe(ref.rank);
        const xm = mine.x instanceof Float64Array ? mine.x : mine.x.data;
        const xr = ref.x instanceof Float64Array ? ref.x : ref.x.data;
        expect(xm.length).toBe(xr.length);
        expect(frobenius(difference(xm, xr))).toBeLessThanOrEqual(1e-10 * frobenius(xr));
        expect(mine.residuals.length).toBe(ref.residuals.length);
        expectWithinScaled(mine.residuals, ref.residuals, ref.residuals, 1e-9, 'residuals');
        const k = Math.min(rows, cols);
        expectWithinScaled(mine.singularValues, ref.singularValues, new Float64Array(k).fill(1), 100 * Math.max(rows, cols) * U * frobenius(a.data), 'singular values');
      });
    }

    it('handles empty matrices and validates b and rcond', () => {
      const none = nativeLeastSquares(Matrix.zeros(3, 0), Float64Array.of(1, 2, 2));
      expect([none.x.length, none.rank, Array.from(none.residuals), none.singularValues.length]).toEqual([0, 0, [9], 0]);
      const wide = nativeLeastSquares(Matrix.zeros(0, 2), new Float64Array(0));
      expect([Array.from(wide.x), wide.rank, wide.residuals.length]).toEqual([[0, 0], 0, 0]);
      expect(() => nativeLeastSquares(Matrix.zeros(3, 2), Float64Array.of(1, 2))).toThrow(/b has length 2/);
      expect(() => nativeLeastSquares(Matrix.identity(2), Float64Array.of(1, 2), { rcond: -1 })).toThrow(InvalidArgumentError);
      // rcond = 0.5 drops the singular value 1 of diag(4, 1): x = (1/4, 0).
      const cut = nativeLeastSquares(Matrix.from([[4, 0], [0, 1]]), Float64Array.of(1, 1), { rcond: 0.5 });
      expect(cut.rank).toBe(1);
      expectWithinScaled(cut.x, [0.25, 0], [0.25, 0.25], 8 * U, 'x with rcond = 0.5');
    });
  });

  describe('threads', () => {
    it('setNativeThreads round-trips through getNativeThreads, loadNativeBackend and the description; OpenBLAS stays at 1 thread', () => {
      const before = getNativeThreads();
      const addon = loadNativeAddon();
      try {
        expect(setNativeThreads(1)).toBe(1);
        expect(getNativeThreads()).toBe(1);
        expect(native.backend.description).toContain('1 thread)');
        expect(setNativeThreads(3)).toBe(3);
        expect(getNativeThreads()).toBe(3);
        expect(native.backend.description).toContain('3 threads)');
        expect(addon.available && addon.addon.openblasConfig()).toMatchObject({ threads: 3, openblasThreads: 1 });
        const load = loadNativeBackend({ threads: 2 });
        expect(load.available && load.threads).toBe(2);
        expect(getNativeThreads()).toBe(2);
        expect(setNativeThreads(100_000)).toBe(256);
        expect(() => setNativeThreads(0)).toThrow(InvalidArgumentError);
        expect(() => setNativeThreads(2.5)).toThrow(InvalidArgumentError);
      } finally {
        setNativeThreads(before);
      }
      expect(getNativeThreads()).toBe(before);
    });

    // [m, n, k], all but the last above the cutover of 2^23 multiply-adds: three bands of rows
    // (384, 384, 332: not multiples of 512), of columns (n > m), six bands of columns with m = 1,
    // two bands of rows and four groups of k, four groups of k alone, one call (m and n below a
    // band, k short), and one call below the cutover.
    const gemmShapes: Array<[number, number, number]> = [
      [1100, 40, 200],
      [40, 1100, 200],
      [1, 3000, 3000],
      [700, 1, 20_000],
      [100, 90, 5000],
      [500, 20, 1000],
      [30, 20, 10],
    ];
    for (const [m, n, k] of gemmShapes) {
      it(`gemm ${m}×${n}×${k}: the same bits for 1, 2, 3 and 4 threads, all four transposes, β ≠ 0 and β = 0`, () => {
        const rng = createRng(m * 7 + n * 13 + k);
        const a = rng.fillNormal(new Float64Array(m * k));
        const b = rng.fillNormal(new Float64Array(k * n));
        const c0 = rng.fillNormal(new Float64Array(m * n));
        for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as Array<[boolean, boolean]>) {
          const [first, ...rest] = acrossThreads(() => {
            const c = c0.slice();
            backend.gemm!(transA, transB, m, n, k, -0.75, a, b, 1.5, c);
            return c;
          });
          for (const other of rest) expect(other).toEqual(first);
          const nan = acrossThreads(() => {
            const c = new Float64Array(m * n).fill(Number.NaN);
            backend.gemm!(transA, transB, m, n, k, 2, a, b, 0, c);
            return c;
          });
          for (const other of nan.slice(1)) expect(other).toEqual(nan[0]);
          if (!transA && !transB) {
            const ref = referenceGemm(transA, transB, m, n, k, -0.75, a, b, 1.5, c0);
            expectWithinScaled(first!, ref.value, ref.scale, productTolerance('float64', k), `gemm ${m}×${n}×${k}`);
            expect(nan[0]!.some(Number.isNaN)).toBe(false);
          }
        }
      });
    }

    it('gemm edge cases (k = 0, n = 0, m = 0, α = 0) as before, for every thread count', () => {
      const c0 = Float64Array.of(1, 2, 3, 4, 5, 6);
      const results = acrossThreads(() => {
        const scaled = c0.slice();
        backend.gemm!(false, false, 2, 3, 0, 1, new Float64Array(0), new Float64Array(0), 2, scaled);
        const zeroed = Float64Array.of(Number.NaN, 1, 2, 3, 4, 5);
        backend.gemm!(true, true, 2, 3, 0, 1, new Float64Array(0), new Float64Array(0), 0, zeroed);
        const alphaZero = c0.slice();
        backend.gemm!(false, false, 2, 3, 2, 0, new Float64Array(4), new Float64Array(6), -1, alphaZero);
        const untouched = c0.slice();
        backend.gemm!(false, false, 2, 0, 3, 1, new Float64Array(6), new Float64Array(0), 0, untouched);
        backend.gemm!(false, false, 0, 3, 2, 1, new Float64Array(0), new Float64Array(6), 0, untouched);
        return [scaled, zeroed, alphaZero, untouched];
      });
      for (const r of results) {
        expect(r).toEqual([Float64Array.of(2, 4, 6, 8, 10, 12), new Float64Array(6), Float64Array.of(-1, -2, -3, -4, -5, -6), c0]);
      }
    });

    // [n, k]: two bands of the triangle (224 + 76 rows, equal work); two bands and two groups of k; eight
    // groups of k; one call (below the cutover).
    for (const [n, k] of [[300, 200], [300, 3000], [60, 9000], [200, 40]] as Array<[number, number]>) {
      for (const transpose of [false, true]) {
        it(`syrk n = ${n}, k = ${k}${transpose ? ' (AᵀA)' : ''}, β ≠ 0: the same bits for 1, 2, 3 and 4 threads, exactly symmetric`, () => {
          const rng = createRng(n * 3 + k + (transpose ? 1 : 0));
          const a = rng.fillNormal(new Float64Array(n * k));
          const c0 = randomSymmetric(rng, n);
          const [first, ...rest] = acrossThreads(() => {
            const c = c0.slice();
            backend.syrk!(transpose, n, k, 0.5, a, -2, c);
            return c;
          });
          for (const other of rest) expect(other).toEqual(first);
          for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(first![j * n + i]).toBe(first![i * n + j]);
          const ref = transpose ? referenceGemm(true, false, n, n, k, 0.5, a, a, -2, c0) : referenceGemm(false, true, n, n, k, 0.5, a, a, -2, c0);
          expectWithinScaled(first!, ref.value, ref.scale, productTolerance('float64', k), `syrk ${n}, k = ${k}`);
        });
      }
    }

    // [rows, cols]: two bands of the triangle; two bands and two groups of the rows of X; two bands,
    // four groups and seven chunks of rows per group (X scaled on the pool); eight groups; one band
    // of 100 rows; one call.
    for (const [rows, cols] of [[400, 300], [3000, 300], [20_000, 300], [20_000, 40], [5000, 100], [50, 30]] as Array<[number, number]>) {
      it(`weightedGram ${rows}×${cols} with weights of both signs: the same bits for 1, 2, 3 and 4 threads, exactly symmetric`, () => {
        const rng = createRng(rows + cols);
        const x = rng.fillNormal(new Float64Array(rows * cols));
        const w = rng.fillNormal(new Float64Array(rows));
        expect(w.some((v) => v < 0) && w.some((v) => v > 0)).toBe(true);
        const [first, ...rest] = acrossThreads(() => {
          const c = new Float64Array(cols * cols).fill(Number.NaN);
          backend.weightedGram!(rows, cols, x, w, c);
          return c;
        });
        for (const other of rest) expect(other).toEqual(first);
        for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) expect(first![j * cols + i]).toBe(first![i * cols + j]);
        const wx = Float64Array.from(x, (v, t) => v * w[Math.floor(t / cols)]!);
        if (rows * cols * cols <= 1e8) {
          const ref = referenceGemm(true, false, cols, cols, rows, 1, x, wx, 0, new Float64Array(cols * cols));
          expectWithinScaled(first!, ref.value, ref.scale, productTolerance('float64', rows), `weightedGram ${rows}×${cols}`);
        } else {
          // Too large for the triple loop: against the native gemm of Xᵀ (wX) (checked above), so
          // within twice the bound, with the scale |X|ᵀ|wX| also from gemm.
          const value = new Float64Array(cols * cols);
          backend.gemm!(true, false, cols, cols, rows, 1, x, wx, 0, value);
          const scale = new Float64Array(cols * cols);
          backend.gemm!(true, false, cols, cols, rows, 1, x.map(Math.abs), wx.map(Math.abs), 0, scale);
          expectWithinScaled(first!, value, scale, 2 * productTolerance('float64', rows), `weightedGram ${rows}×${cols} vs gemm`);
        }
      });
    }

    // The weights split the rows into a nonnegative and a negative product: chunks with only one
    // kind, zeros of both signs, and weights spanning 24 orders of magnitude.
    it('weightedGram with one-signed, zero and widely scaled weights: within the product bound, the same bits for any thread count', () => {
      const rng = createRng(91);
      for (const [rows, cols] of [[3000, 300], [5000, 40]] as Array<[number, number]>) {
        const x = rng.fillNormal(new Float64Array(rows * cols));
        const patterns: Array<[string, (i: number) => number]> = [
          ['all positive', (i) => 1 + (i % 7)],
          ['all negative', (i) => -1 - (i % 5)],
          ['zeros of both signs', (i) => (i % 3 === 0 ? 0 : i % 3 === 1 ? -0 : (i % 2) - 0.5)],
          ['blocks of one sign (whole chunks)', (i) => (Math.floor(i / 2500) % 2 === 0 ? 2 : -3)],
          ['scales 1e-12 to 1e12', (i) => (i % 2 === 0 ? 1 : -1) * 10 ** (((i * 7) % 25) - 12)],
        ];
        for (const [what, weight] of patterns) {
          const w = Float64Array.from({ length: rows }, (_, i) => weight(i));
          const [first, ...rest] = acrossThreads(() => {
            const c = new Float64Array(cols * cols).fill(Number.NaN);
            backend.weightedGram!(rows, cols, x, w, c);
            return c;
          });
          for (const other of rest) expect(other, what).toEqual(first);
          const wx = Float64Array.from(x, (v, t) => v * w[Math.floor(t / cols)]!);
          const value = new Float64Array(cols * cols);
          backend.gemm!(true, false, cols, cols, rows, 1, x, wx, 0, value);
          const scale = new Float64Array(cols * cols);
          backend.gemm!(true, false, cols, cols, rows, 1, x.map(Math.abs), wx.map(Math.abs), 0, scale);
          expectWithinScaled(first!, value, scale, 2 * productTolerance('float64', rows), `weightedGram ${rows}×${cols}, ${what}`);
        }
      }
    });

    // [n, d]: 79 bands of 256 rows (the last 32) at the size of the quadratic-risk benchmark; 12
    // bands; bands of 2049 = 8 · 256 + 1 rows and d = 130 (blocks of 16 and a last one of 2); 3
    // bands below the cutover (run on the calling thread); one band with d = 3; one row.
    for (const [n, d] of [[20_000, 100], [3000, 100], [2049, 130], [600, 17], [1000, 3], [1, 40]] as Array<[number, number]>) {
      it(`quadraticForms n = ${n}, d = ${d}: the same bits for 1, 2, 3 and 4 threads, within the bound of the reference kernel's`, () => {
        const rng = createRng(5 * n + d);
        const x = rng.fillNormal(new Float64Array(n * d));
        const a = randomSymmetric(rng, d);
        const [first, ...rest] = acrossThreads(() => {
          const f = new Float64Array(n).fill(Number.NaN);
          backend.quadraticForms!(n, d, x, a, f);
          return f;
        });
        for (const other of rest) expect(other).toEqual(first);
        // Both kernels are within γ Σ_jk |x_ij||A_jk||x_ik| of the exact value; the scale is the
        // quadratic form of |X| and |A| (positive terms, computed to a few ulps).
        const ref = new Float64Array(n);
        referenceBackend.quadraticForms!(n, d, x, a, ref);
        const scale = new Float64Array(n);
        referenceBackend.quadraticForms!(n, d, x.map(Math.abs), a.map(Math.abs), scale);
        expectWithinScaled(first!, ref, scale, 2 * quadraticFormsTolerance('float64', d), `quadraticForms ${n}×${d}`);
      });
    }

    it('gemv in bands of y (both transposes, β ≠ 0): the same bits for 1, 2, 3 and 4 threads', () => {
      const rng = createRng(17);
      for (const [m, n] of [[3000, 400], [400, 3000], [50, 40]] as Array<[number, number]>) {
        const a = rng.fillNormal(new Float64Array(m * n));
        for (const trans of [false, true]) {
          const x = rng.fillNormal(new Float64Array(trans ? m : n));
          const y0 = rng.fillNormal(new Float64Array(trans ? n : m));
          const [first, ...rest] = acrossThreads(() => {
            const y = y0.slice();
            backend.gemv!(trans, m, n, 1.25, a, x, -0.5, y);
            return y;
          });
          for (const other of rest) expect(other).toEqual(first);
          const ref = referenceGemm(trans, false, trans ? n : m, 1, trans ? m : n, 1.25, a, x, -0.5, y0);
          expectWithinScaled(first!, ref.value, ref.scale, productTolerance('float64', trans ? m : n), `gemv ${m}×${n}${trans ? 'ᵀ' : ''}`);
        }
      }
    });

    it('eigh, svd, singularValues and cholesky give the same bits for 1, 2, 3 and 4 threads', () => {
      const rng = createRng(23);
      const n = 300;
      const s = randomSymmetric(rng, n);
      const eighs = acrossThreads(() => backend.eigh!(n, s, true));
      const values = acrossThreads(() => backend.eigh!(n, s, false).values);
      const a = rng.fillNormal(new Float64Array(320 * 200));
      const svds = acrossThreads(() => backend.svd!(320, 200, a));
      const singular = acrossThreads(() => backend.singularValues!(200, 320, a));
      const spd = new Float64Array(n * n);
      backend.syrk!(false, n, n, 1, s, 0, spd);
      for (let i = 0; i < n; i++) spd[i * n + i] = spd[i * n + i]! + n;
      const factors = acrossThreads(() => nativeCholesky(new Matrix(n, n, spd)).l.data);
      for (let t = 1; t < THREAD_COUNTS.length; t++) {
        expect(eighs[t]).toEqual(eighs[0]);
        expect(values[t]).toEqual(values[0]);
        expect(svds[t]).toEqual(svds[0]);
        expect(singular[t]).toEqual(singular[0]);
        expect(factors[t]).toEqual(factors[0]);
      }
    });
  });
} else {
  describe.skip(`native backend (the addon is unavailable: ${why})`, () => {
    it('runs the conformance suite and the LAPACK functions', () => undefined);
  });
}
