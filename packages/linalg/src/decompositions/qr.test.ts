import { describe, expect, it } from 'vitest';
import { loadFixture } from '@shallowscape/test-utils';
import { InvalidArgumentError, NonFiniteError } from '../errors';
import { Matrix } from '../matrix';
import { createRng, gaussianMatrix } from '../rng';
import { createWasmSimdBackend } from '../backends/wasm-simd';
import { stridedGemmOver } from '../backends/strided-gemm-over';
import { gemmStridedKernel, type StridedGemm } from '../kernels/gemm-kernel';
import {
  applyReflectorsBlockedKernel,
  applyReflectorsKernel,
  householderQrTransposedBlockedKernel,
  householderQrTransposedKernel,
  qr,
  type QrResult,
} from './qr';

interface QrCase {
  name: string;
  a: number[][];
  rank: number;
  absDiagPivoted: number[];
}
const fixture = loadFixture<{ qr: QrCase[] }>(import.meta.url, 'fixtures/decompositions.json');

const EPS = Number.EPSILON;

/** ‖d‖₂, scaled so that entries like 1e-200 do not underflow when squared. */
function frobenius(d: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < d.length; i++) scale = Math.max(scale, Math.abs(d[i]!));
  if (scale === 0) return 0;
  let s = 0;
  for (let i = 0; i < d.length; i++) s += (d[i]! / scale) ** 2;
  return scale * Math.sqrt(s);
}

/** ‖A P − Q R‖_F. */
function factorisationError(a: Matrix, { q, r, permutation }: QrResult): number {
  const { rows: m, cols: n } = a;
  const k = q.cols;
  const diff = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const col = permutation === undefined ? j : permutation[j]!;
      let sum = 0;
      for (let l = 0; l < k; l++) sum += q.data[i * k + l]! * r.data[l * n + j]!;
      diff[i * n + j] = a.data[i * n + col]! - sum;
    }
  }
  return frobenius(diff);
}

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

/** Invariants with tolerance c·max(m, n)·ε (relative to ‖A‖_F for the factorisation). */
function expectValidQr(a: Matrix, result: QrResult, pivoting: boolean, c = 8): void {
  const m = a.rows;
  const n = a.cols;
  const k = Math.min(m, n);
  const scale = c * Math.max(m, n, 1) * EPS;
  expect(result.q.shape).toEqual([m, k]);
  expect(result.r.shape).toEqual([k, n]);
  expect(factorisationError(a, result)).toBeLessThanOrEqual(scale * frobenius(a.data));
  expect(orthogonalityError(result.q)).toBeLessThanOrEqual(scale);
  for (let i = 0; i < k; i++) for (let j = 0; j < Math.min(i, n); j++) expect(result.r.data[i * n + j]).toBe(0);
  if (pivoting) {
    const p = result.permutation!;
    expect(p).toBeInstanceOf(Int32Array);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
    // |r_jj| non-increasing (up to the rounding of the downdated norms).
    for (let j = 1; j < k; j++) {
      const prev = Math.abs(result.r.data[(j - 1) * n + j - 1]!);
      const cur = Math.abs(result.r.data[j * n + j]!);
      expect(cur).toBeLessThanOrEqual(prev * (1 + 1e-12) + scale * frobenius(a.data));
    }
  } else {
    expect(result.permutation).toBeUndefined();
  }
}

describe('qr against NumPy/SciPy (fixtures/gen_decompositions.py)', () => {
  for (const tc of fixture.qr) {
    it(`${tc.name}: pivoted invariants, |diag R| as SciPy dgeqp3, rank as numpy.matrix_rank`, () => {
      const a = Matrix.from(tc.a);
      const pivoted = qr(a, { pivoting: true });
      expectValidQr(a, pivoted, true);
      expect(pivoted.rank).toBe(tc.rank);
      // Same greedy pivot order ⇒ same |r_jj| to c·max(m, n)·ε·‖A‖_F (c = 8).
      const tol = 8 * Math.max(a.rows, a.cols) * EPS * frobenius(a.data);
      const k = Math.min(a.rows, a.cols);
      for (let j = 0; j < k; j++) {
        expect(Math.abs(Math.abs(pivoted.r.data[j * a.cols + j]!) - tc.absDiagPivoted[j]!)).toBeLessThanOrEqual(tol);
      }
      expectValidQr(a, qr(a), false);
    });
  }
});

describe('qr invariants on seeded random matrices', () => {
  const rng = createRng(77);
  const sizes = [1, 2, 3, 5, 9, 20, 41];
  for (const m of sizes) {
    for (const n of sizes) {
      it(`${m}×${n}: with and without pivoting`, () => {
        const a = gaussianMatrix(m, n, rng);
        const plain = qr(a);
        expectValidQr(a, plain, false);
        expect(plain.rank).toBe(Math.min(m, n));
        const pivoted = qr(a, { pivoting: true });
        expectValidQr(a, pivoted, true);
        expect(pivoted.rank).toBe(Math.min(m, n));
      });
    }
  }

  it('low-rank products: pivoted rank equals the construction rank', () => {
    for (const [m, n, r] of [
      [30, 20, 7],
      [20, 30, 11],
      [50, 50, 1],
      [12, 12, 11],
    ] as const) {
      const b = gaussianMatrix(m, r, rng);
      const c = gaussianMatrix(r, n, rng);
      const a = new Matrix(m, n);
      for (let i = 0; i < m; i++) {
        for (let l = 0; l < r; l++) {
          const x = b.data[i * r + l]!;
          for (let j = 0; j < n; j++) a.data[i * n + j] = a.data[i * n + j]! + x * c.data[l * n + j]!;
        }
      }
      const result = qr(a, { pivoting: true });
      expectValidQr(a, result, true);
      expect(result.rank).toBe(r);
    }
  });

  it('nearly parallel columns force the safe norm recomputation and stay accurate', () => {
    // Columns x + 1e-9·noise: after the first step every partial norm has cancelled to ~1e-9 of
    // its original value, so dlaqp2-style downdating must recompute instead of extrapolating.
    const m = 40;
    const n = 12;
    const x = gaussianMatrix(m, 1, rng).data;
    const noise = gaussianMatrix(m, n, rng).data;
    const a = new Matrix(m, n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a.data[i * n + j] = x[i]! + 1e-9 * noise[i * n + j]!;
    const result = qr(a, { pivoting: true });
    expectValidQr(a, result, true);
    // Trailing diagonal reflects the 1e-9 perturbation, not round-off garbage: R[1:,1:] has
    // singular values of order 1e-9·√m, and |r_11| is the largest remaining column norm.
    const r11 = Math.abs(result.r.data[1 * n + 1]!);
    expect(r11).toBeGreaterThan(1e-9);
    expect(r11).toBeLessThan(1e-7);
    expect(result.rank).toBe(n);
  });
});

describe('qr options and rank', () => {
  it('tolerance is an absolute threshold on |r_jj|', () => {
    const a = Matrix.from([
      [1, 0, 0],
      [0, 1e-6, 0],
      [0, 0, 1e-12],
    ]);
    expect(qr(a, { pivoting: true }).rank).toBe(3);
    expect(qr(a, { pivoting: true, tolerance: 1e-9 }).rank).toBe(2);
    expect(qr(a, { pivoting: true, tolerance: 2 }).rank).toBe(0);
    expect(Array.from(qr(a, { pivoting: true }).permutation!)).toEqual([0, 1, 2]);
  });

  it('pivoting moves the largest column first', () => {
    const a = Matrix.from([
      [1, 10, 0],
      [0, 0, 3],
    ]);
    const { permutation, r } = qr(a, { pivoting: true });
    expect(permutation![0]).toBe(1);
    expect(Math.abs(r.get(0, 0))).toBe(10);
  });

  it('empty and zero matrices', () => {
    const empty = qr(new Matrix(0, 3), { pivoting: true });
    expect(empty.q.shape).toEqual([0, 0]);
    expect(empty.r.shape).toEqual([0, 3]);
    expect(empty.rank).toBe(0);
    const zero = qr(new Matrix(4, 2));
    expect(zero.rank).toBe(0);
    expect(orthogonalityError(zero.q)).toBe(0);
  });

  it('documented example', () => {
    const { r, rank } = qr(Matrix.from([[3, 0], [4, 0]]));
    expect(rank).toBe(1);
    expect(Math.abs(r.get(0, 0))).toBe(5);
  });

  it('argument errors are typed and name the argument', () => {
    expect(() => qr('a' as unknown as Matrix)).toThrow(InvalidArgumentError);
    expect(() => qr(Matrix.from([[NaN]]))).toThrow(NonFiniteError);
    expect(() => qr(Matrix.identity(2), { tolerance: -1 })).toThrow(/invalid options.tolerance: -1/);
    expect(() => qr(Matrix.identity(2), { tolerance: Infinity })).toThrow(InvalidArgumentError);
    expect(() => qr(Matrix.identity(2), { pivoting: 1 as unknown as boolean })).toThrow(/options.pivoting/);
  });
});

describe('Householder kernels', () => {
  it('blocked (compact WY) application equals the reflector-by-reflector one', () => {
    const rng = createRng(31);
    for (const [rows, cols, k, shift] of [
      [37, 50, 40, 0],
      [20, 45, 43, 1],
      [5, 70, 33, 0],
      [64, 64, 62, 1],
    ] as const) {
      // Reflectors from a real QR factorisation (row j of `at`, implicit leading 1 at column j).
      const at = gaussianMatrix(k, cols, rng).data;
      const tau = new Float64Array(k);
      householderQrTransposedKernel(cols, k, at, tau, null);
      for (const descending of [true, false]) {
        const x0 = gaussianMatrix(rows, cols, rng).data;
        const plain = x0.slice();
        const blocked = x0.slice();
        const count = Math.min(k, cols - shift);
        applyReflectorsKernel(plain, rows, cols, at, cols, shift, tau, count, descending);
        applyReflectorsBlockedKernel(blocked, rows, cols, at, cols, shift, tau, count, descending);
        let diff = 0;
        for (let i = 0; i < plain.length; i++) diff = Math.max(diff, Math.abs(plain[i]! - blocked[i]!));
        // Both are backward stable products of k orthogonal factors: c·k·ε·max|x| with c = 16.
        expect(diff).toBeLessThanOrEqual(16 * k * EPS * 10);
        // And the result differs from the input (the reflectors are not trivial).
        expect(Math.abs(plain[0]! - x0[0]!) + Math.abs(plain[plain.length - 1]! - x0[x0.length - 1]!)).toBeGreaterThan(0);
      }
    }
  });

  // The backend gemm path of the blocked application (whole rows, the panel padded with zeros) and
  // the blocked QR (dgeqrf) against the reflector-by-reflector factorisation.
  const wasm = createWasmSimdBackend({ threads: 1 });
  const gemms: Array<[string, StridedGemm]> = [['TypeScript gemmStridedKernel', gemmStridedKernel], ...(wasm === null ? [] : [['wasm-simd gemm', stridedGemmOver(wasm.gemm!)] as [string, StridedGemm]])];
  for (const [label, gemm] of gemms) {
    it(`blocked application on ${label} equals the reflector-by-reflector one, whole rows or not`, () => {
      const rng = createRng(37);
      for (const [rows, cols, k, shift] of [
        [90, 400, 70, 0],
        [60, 300, 100, 2],
        [40, 130, 100, 0],
      ] as const) {
        const at = gaussianMatrix(k, cols, rng).data;
        const tau = new Float64Array(k);
        householderQrTransposedKernel(cols, k, at, tau, null);
        for (const descending of [true, false]) {
          const x0 = gaussianMatrix(rows, cols, rng).data;
          const plain = x0.slice();
          const blocked = x0.slice();
          applyReflectorsKernel(plain, rows, cols, at, cols, shift, tau, k, descending);
          applyReflectorsBlockedKernel(blocked, rows, cols, at, cols, shift, tau, k, descending, gemm);
          let diff = 0;
          let size = 0;
          for (let i = 0; i < plain.length; i++) {
            diff = Math.max(diff, Math.abs(plain[i]! - blocked[i]!));
            size = Math.max(size, Math.abs(x0[i]!));
          }
          expect(diff).toBeLessThanOrEqual(16 * k * EPS * size);
          // Columns before the first reflector are untouched, bit for bit.
          for (let r = 0; r < rows; r++) for (let c = 0; c < shift; c++) expect(blocked[r * cols + c]).toBe(x0[r * cols + c]);
        }
      }
    });

    it(`blocked QR (panels of 32, trailing updates on ${label}) equals the unblocked one and A = QR`, () => {
      const rng = createRng(41);
      for (const [m, n] of [
        [500, 90],
        [200, 200],
        [70, 100],
        [33, 32],
      ] as const) {
        const a = gaussianMatrix(m, n, rng);
        const at0 = new Float64Array(m * n);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at0[j * m + i] = a.data[i * n + j]!;
        const plain = at0.slice();
        const blocked = at0.slice();
        const k = Math.min(m, n);
        const tauPlain = new Float64Array(k);
        const tauBlocked = new Float64Array(k);
        householderQrTransposedKernel(m, n, plain, tauPlain, null);
        householderQrTransposedBlockedKernel(m, n, blocked, tauBlocked, gemm);
        const norm = frobenius(a.data);
        let diff = 0;
        for (let i = 0; i < plain.length; i++) diff = Math.max(diff, Math.abs(plain[i]! - blocked[i]!));
        // The same reflectors up to round-off: R entries (scale ‖A‖) and v entries (scale 1).
        expect(diff).toBeLessThanOrEqual(100 * Math.max(m, n) * EPS * Math.max(norm, 1));
        for (let j = 0; j < k; j++) expect(Math.abs(tauBlocked[j]! - tauPlain[j]!)).toBeLessThanOrEqual(100 * m * EPS);
        // A = Q R: apply the reflectors (descending) to the rows of Rᵀ, in transposed storage.
        const rt = new Float64Array(n * m);
        for (let l = 0; l < n; l++) for (let i = 0; i <= Math.min(l, k - 1); i++) rt[l * m + i] = blocked[l * m + i]!;
        applyReflectorsKernel(rt, n, m, blocked, m, 0, tauBlocked, k, true);
        let residual = 0;
        for (let i = 0; i < rt.length; i++) residual = Math.max(residual, Math.abs(rt[i]! - at0[i]!));
        expect(residual).toBeLessThanOrEqual(100 * Math.max(m, n) * EPS * norm);
      }
    });
  }
});
