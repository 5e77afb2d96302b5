import { describe, expect, it } from 'vitest';
import { bidiagonalize } from '../decompositions/bidiagonalize';
import { svdRaw } from '../decompositions/svd-kernel';
import { createRng } from '../rng';
import { euclideanNorm } from '../testing/dense-operator';
import { createWasmSimdBackend, createWasmSimdWorkspace } from './wasm-simd';
import { BLOCKED_BIDIAGONAL_MIN, createWasmSimdBidiagonalize } from './wasm-simd-bidiagonalize';

/** The entries whose bits differ (−0 and +0 differ too). */
function bitDifferences(a: Float64Array, b: Float64Array): number {
  const x = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const y = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  let count = x.length === y.length ? 0 : Infinity;
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) count++;
  return count;
}

/** Reduces a copy of `a` (m × n) with `reduce`; returns every output. */
function reduceWith(reduce: typeof bidiagonalize, m: number, n: number, a: Float64Array, vectors: boolean) {
  const w = a.slice();
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 1));
  const tauL = new Float64Array(n);
  const tauR = new Float64Array(n);
  const vl = vectors ? new Float64Array(n * m) : null;
  reduce(m, n, w, d, e, tauL, tauR, vl);
  return { w, d, e, tauL, tauR, vl };
}

// The unblocked bidiagonalisation of the wasm-simd SVD (below BLOCKED_BIDIAGONAL_MIN columns: the
// fused row pass in the module, f64x2 over the columns, wasm/assembly/bidiagonal-rows.ts) against
// the TypeScript reduction: the same bits for every output. Shapes cover one and two columns, odd and even row lengths (the SIMD tail), row
// counts that are and are not multiples of four past the first row, square and tall, a zero
// column (τ = 0) and a rank-one matrix.
describe('wasm-simd bidiagonalisation', () => {
  const wasm = createWasmSimdBidiagonalize(createWasmSimdWorkspace());
  const shapes = [[1, 1], [3, 1], [2, 2], [5, 3], [9, 4], [8, 8], [37, 37], [64, 33], [130, 129], [301, 64], [500, BLOCKED_BIDIAGONAL_MIN - 1]] as const;
  for (const [m, n] of shapes) {
    it(`gives the TypeScript bits: ${m}×${n}`, () => {
      const a = createRng(m * 131 + n).fillNormal(new Float64Array(m * n));
      for (const vectors of [false, true]) {
        const want = reduceWith(bidiagonalize, m, n, a, vectors);
        const got = reduceWith(wasm, m, n, a, vectors);
        for (const key of ['w', 'd', 'e', 'tauL', 'tauR'] as const) expect(bitDifferences(got[key], want[key]), key).toBe(0);
        if (vectors) expect(bitDifferences(got.vl!, want.vl!)).toBe(0);
      }
    });
  }

  it('gives the TypeScript bits with a zero column and on a rank-one matrix', () => {
    const m = 23;
    const n = 11;
    const zero = createRng(3).fillNormal(new Float64Array(m * n));
    for (let i = 0; i < m; i++) zero[i * n + 4] = 0;
    const rankOne = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) rankOne[i * n + j] = (i - 7) * (j + 0.5);
    for (const a of [zero, rankOne]) {
      const want = reduceWith(bidiagonalize, m, n, a, true);
      const got = reduceWith(wasm, m, n, a, true);
      for (const key of ['w', 'd', 'e', 'tauL', 'tauR', 'vl'] as const) expect(bitDifferences(got[key]!, want[key]!), key).toBe(0);
    }
  });

  it('is a bidiagonalisation: the singular values of B are those of A (Frobenius norms agree)', () => {
    const m = 90;
    const n = 40;
    const a = createRng(9).fillNormal(new Float64Array(m * n));
    const { d, e } = reduceWith(wasm, m, n, a, false);
    let frobA = 0;
    for (const x of a) frobA += x * x;
    let frobB = 0;
    for (let i = 0; i < n; i++) frobB += d[i]! ** 2 + (i < n - 1 ? e[i]! ** 2 : 0);
    expect(Math.abs(frobB - frobA)).toBeLessThanOrEqual(1e-12 * frobA);
  });

  it('leaves the one-thread backend’s SVD with the reference bits', () => {
    const backend = createWasmSimdBackend({ threads: 1 })!;
    const rng = createRng(17);
    for (const [rows, cols] of [[200, 200], [61, 150]] as const) {
      const a = rng.fillNormal(new Float64Array(rows * cols));
      expect(bitDifferences(backend.singularValues!(rows, cols, a), svdRaw(rows, cols, a, 0).s)).toBe(0);
    }
  });
});

/** Unit roundoff of float64 (2⁻⁵³ rounded up). */
const EPS = 1.12e-16;

/**
 * How far two Householder reductions of an `n`-column matrix with different roundings may differ,
 * relative to `‖A‖_F` (τ: ten times this, absolute): the rounding errors of both grow as `n ε`.
 * Measured: at most 17 n ε ‖A‖_F (the 37 × 37 matrices, whose last entries are the least well
 * conditioned; 8.5 n ε at 421 × 384), τ at most 185 n ε; this allows about three times that.
 */
function agreement(n: number): number {
  return 50 * n * EPS;
}

/** The largest `|x_i − y_i|`. */
function maxDifference(x: Float64Array, y: Float64Array): number {
  let most = 0;
  for (let i = 0; i < x.length; i++) most = Math.max(most, Math.abs(x[i]! - y[i]!));
  return most;
}

/**
 * `Q_B B P_Bᵀ` (`m × n` row-major) from a reduction's outputs: `B` from `d`, `e`; the right
 * reflectors `G_j` (`u` on coordinates `j + 1 …`, unit first, then `w[j·n + j + 2 …]`) applied
 * from the right in the order `G_{n−3} … G_0`, then the left ones `H_j` (`v` on coordinates
 * `j …`, unit first, then `vl[j·m + j + 1 …]`) from the left, `H_{n−1}` first.
 */
function reassemble(m: number, n: number, r: ReturnType<typeof reduceWith>): Float64Array {
  const out = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    out[j * n + j] = r.d[j]!;
    if (j + 1 < n) out[j * n + j + 1] = r.e[j]!;
  }
  for (let j = n - 3; j >= 0; j--) {
    const tau = r.tauR[j]!;
    for (let i = 0; i < m; i++) {
      let dot = out[i * n + j + 1]!;
      for (let l = j + 2; l < n; l++) dot += out[i * n + l]! * r.w[j * n + l]!;
      out[i * n + j + 1] = out[i * n + j + 1]! - tau * dot;
      for (let l = j + 2; l < n; l++) out[i * n + l] = out[i * n + l]! - tau * dot * r.w[j * n + l]!;
    }
  }
  for (let j = n - 1; j >= 0; j--) {
    const tau = r.tauL[j]!;
    for (let l = 0; l < n; l++) {
      let dot = out[j * n + l]!;
      for (let i = j + 1; i < m; i++) dot += r.vl![j * m + i]! * out[i * n + l]!;
      out[j * n + l] = out[j * n + l]! - tau * dot;
      for (let i = j + 1; i < m; i++) out[i * n + l] = out[i * n + l]! - tau * dot * r.vl![j * m + i]!;
    }
  }
  return out;
}

// The blocked bidiagonalisation (LAPACK dgebrd/dlabrd in the module, from BLOCKED_BIDIAGONAL_MIN
// columns), here on small shapes through narrow panels so that every path runs: one panel and
// several, a last panel of one column, square (the last column's reflector trivial) and tall, a
// block-diagonal matrix (both reflectors of a mid-panel step trivial) and a rank-one matrix. Its result is LAPACK's (the same
// reflectors and signs as the TypeScript reduction, other roundings): Q_B B P_Bᵀ = A to the
// backward error, and every output within rounding of the TypeScript reduction's.
describe('wasm-simd blocked bidiagonalisation', () => {
  const workspace = createWasmSimdWorkspace();
  const shapes = [[1, 1], [3, 1], [2, 2], [5, 3], [9, 9], [9, 5], [40, 23], [37, 37], [64, 33], [130, 41]] as const;
  const gaussian = (m: number, n: number) => createRng(m * 977 + n).fillNormal(new Float64Array(m * n));
  // [B₁ 0; 0 B₂] with B₁ 3 × 3: both reflectors of step 2 (mid-panel) are trivial (τ = 0).
  const blockDiagonal = (m: number, n: number) => {
    const a = gaussian(m, n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) if (i < 3 !== j < 3) a[i * n + j] = 0;
    return a;
  };
  const rankOne = (m: number, n: number) => Float64Array.from({ length: m * n }, (_, k) => (Math.floor(k / n) - 7) * ((k % n) + 0.5));
  for (const width of [4, 8]) {
    const blocked = createWasmSimdBidiagonalize(workspace, { from: 1, width });
    for (const [m, n] of shapes) {
      for (const [kind, make] of [['gaussian', gaussian], ['block diagonal', blockDiagonal], ['rank one', rankOne]] as const) {
        it(`reassembles A and agrees with the TypeScript reduction: ${m}×${n}, ${kind}, panels of ${width}`, () => {
          const a = make(m, n);
          const norm = Math.max(euclideanNorm(a), 1);
          const got = reduceWith(blocked, m, n, a, true);
          expect(maxDifference(reassemble(m, n, got), a)).toBeLessThanOrEqual(4 * n * EPS * norm);
          const want = reduceWith(bidiagonalize, m, n, a, true);
          // The rank-one matrix's later reflectors are those of rounding noise: only A is checked.
          if (kind === 'rank one') return;
          for (const key of ['d', 'e', 'w', 'vl'] as const) expect(maxDifference(got[key]!, want[key]!), key).toBeLessThanOrEqual(agreement(n) * norm);
          for (const key of ['tauL', 'tauR'] as const) expect(maxDifference(got[key], want[key]), key).toBeLessThanOrEqual(10 * agreement(n));
        });
      }
    }
  }

  it('is deterministic and runs by default from BLOCKED_BIDIAGONAL_MIN columns (not the TypeScript bits there)', () => {
    const n = BLOCKED_BIDIAGONAL_MIN;
    const m = n + 37;
    const a = gaussian(m, n);
    const wasm = createWasmSimdBidiagonalize(workspace);
    const first = reduceWith(wasm, m, n, a, true);
    const second = reduceWith(wasm, m, n, a, true);
    for (const key of ['w', 'd', 'e', 'tauL', 'tauR', 'vl'] as const) expect(bitDifferences(first[key]!, second[key]!), key).toBe(0);
    const want = reduceWith(bidiagonalize, m, n, a, true);
    expect(bitDifferences(first.d, want.d)).toBeGreaterThan(0);
    expect(maxDifference(first.d, want.d)).toBeLessThanOrEqual(agreement(n) * euclideanNorm(a));
    expect(maxDifference(reassemble(m, n, first), a)).toBeLessThanOrEqual(4 * n * EPS * euclideanNorm(a));
  });

  it('gives the backend’s SVD the reference singular values to kε σ₁ and A back to √k ε σ₁ (400 × 400, 700 × 450)', () => {
    const backend = createWasmSimdBackend({ threads: 1 })!;
    for (const [rows, cols] of [[400, 400], [700, 450]] as const) {
      const a = gaussian(rows, cols);
      const k = Math.min(rows, cols);
      const want = svdRaw(rows, cols, a, 0).s;
      const got = backend.singularValues!(rows, cols, a);
      expect(maxDifference(got, want)).toBeLessThanOrEqual(k * EPS * want[0]!);
      const { s, u, v } = backend.svd!(rows, cols, a);
      let worst = 0;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          let sum = 0;
          for (let l = 0; l < k; l++) sum += u[i * k + l]! * s[l]! * v[j * cols + l]!;
          worst = Math.max(worst, Math.abs(sum - a[i * cols + j]!));
        }
      }
      expect(worst).toBeLessThanOrEqual(Math.sqrt(k) * EPS * s[0]!);
    }
  });
});
