/**
 * The SVD driver for a tall $m \times n$ matrix ($m \ge n$): scaling, a QR step for very tall
 * inputs, bidiagonalisation, the bidiagonal SVD (the QR iteration for values alone, in mode 3 and
 * for n ≤ 25, its rotations logged; divide and conquer for vectors), sorting, and the
 * back-transformations; in mode 3, $V$ and $U^\top C$ for least squares without forming $U$.
 *
 * @packageDocumentation
 */
import { bidiagonalize } from './bidiagonalize';
import { BIDIAGONAL_DIVIDE_CONQUER_LEAF, bidiagonalSvdDivideConquer } from './bidiagonal-divide-conquer';
import { bidiagonalQr } from './bidiagonal-qr';
import { gemmStridedKernel, type StridedGemm } from '../kernels/gemm-kernel';
import {
  applyReflectorsBlockedKernel,
  applyReflectorsKernel,
  householderQrTransposedBlockedKernel,
  transposeKernel,
} from './qr';
import { RotationLog, rotationChainsKernel, type RotationChains } from './rotation-log';

/** Result of the tall-matrix driver. */
export interface TallSvd {
  /** Singular values, descending. */
  s: Float64Array;
  /** `Uᵀ`, `p × m` row-major (`p = n`, or `m` when full); modes 1 and 2 only. */
  ut: Float64Array | null;
  /** `Vᵀ`, `n × n` row-major; modes 1, 2 and 3. */
  vt: Float64Array | null;
  /** `Uᵀ C` (`n × nrhs` row-major, rows in the order of `s`); mode 3 only. */
  c: Float64Array | null;
  /** Mode 3: `‖(Qᵀ C)[n:, q]‖²` per column, the squared residual of a full-rank fit. */
  tail: Float64Array | null;
}

/** Applies reflectors to rows of `x`, blocked (products on `gemm`) when there are enough rows to amortise `T`. */
function applyReflectors(
  x: Float64Array,
  rows: number,
  cols: number,
  v: Float64Array,
  ldv: number,
  shift: number,
  tau: Float64Array,
  k: number,
  descending: boolean,
  gemm: StridedGemm = gemmStridedKernel,
): void {
  if (rows >= 16) applyReflectorsBlockedKernel(x, rows, cols, v, ldv, shift, tau, k, descending, gemm);
  else applyReflectorsKernel(x, rows, cols, v, ldv, shift, tau, k, descending);
}

/**
 * A replacement for the QR step of {@link tallSvd}: $A = QR$ for the row-major `m × n` `a` (not
 * modified), with the result of {@link tallQrStep} (`householderQrTransposedBlockedKernel` on
 * $A^\top$): fills `tau`, writes $R$ into `r` (`n × n` row-major, upper triangle; the entries below
 * the diagonal are left as they are), and returns the factored $A^\top$ (`n × m`: $R^\top$ and the
 * reflectors) when `keepFactors`, else `null`. It returns false, having changed nothing, when it
 * cannot run (then {@link tallQrStep} runs on `gemm`).
 */
export type TallQr = (m: number, n: number, a: Float64Array, tau: Float64Array, r: Float64Array, keepFactors: boolean) => Float64Array | null | false;

/**
 * The QR step of {@link tallSvd} in TypeScript: factors $A^\top$ (`at`, `n × m` row-major, in
 * place) by `householderQrTransposedBlockedKernel` on `gemm`, fills `tau`, and copies the upper
 * triangle of $R$ into `r` (`n × n` row-major). This is what a {@link TallQr} must reproduce.
 */
export function tallQrStep(m: number, n: number, at: Float64Array, tau: Float64Array, r: Float64Array, gemm: StridedGemm): void {
  householderQrTransposedBlockedKernel(m, n, at, tau, gemm);
  copyUpperR(m, n, at, r);
}

/** `r[i][l] = at[l][i]` for `l ≥ i`: the upper triangle of `R` from the factored `Aᵀ` (`n × m`). */
export function copyUpperR(m: number, n: number, at: Float64Array, r: Float64Array): void {
  for (let i = 0; i < n; i++) for (let l = i; l < n; l++) r[i * n + l] = at[l * m + i]!;
}

/**
 * The Householder bidiagonalisation of the tall `m × n` `w` in place, with the arguments and
 * result of {@link bidiagonalize} (the default).
 */
export type Bidiagonalize = (
  m: number,
  n: number,
  w: Float64Array,
  d: Float64Array,
  e: Float64Array,
  tauL: Float64Array,
  tauR: Float64Array,
  vl: Float64Array | null,
) => void;

/** The stages of {@link tallSvd} a backend may replace; each defaults to the TypeScript kernel. */
export interface TallSvdKernels {
  /** The products of the QR step and of every back-transformation (default `gemmStridedKernel`). */
  gemm?: StridedGemm;
  /** The QR step of a very tall input (default: the blocked QR on `gemm`). */
  qr?: TallQr | null;
  /** The rotation chains of the bidiagonal QR iteration (default `rotationChainsKernel`). */
  rotations?: RotationChains;
  /** The bidiagonalisation of `R` (or of the input) (default {@link bidiagonalize}). */
  bidiagonalize?: Bidiagonalize;
}

/**
 * SVD of the tall `m × n` row-major `a` (`m ≥ n`; overwritten only when `overwrite`, else copied
 * where the method needs a scratch copy: the bidiagonalisation of a not very tall input, or the
 * scaling of extreme entries). `mode` 0: values only,
 * 1: thin vectors, 2: full `U`, 3: `V` and `Uᵀ C` for `C = rhsTᵀ` (`m × nrhs`; `rhsT`,
 * `nrhs × m`, is overwritten) without forming `U` (as LAPACK `dgelss`). The QR step of a very
 * tall input is blocked (LAPACK `dgeqrf`); its trailing updates and the products of every
 * back-transformation (the QR step's, the bidiagonalisation's `Q_B` and `P_B`) run on
 * `kernels.gemm` (default the TypeScript `gemmStridedKernel`; a backend's through
 * `stridedGemmOver`). `kernels.qr`, when given, runs that QR step instead (the `wasm-simd`
 * backend's, in its module's memory); it returns false when it cannot, and `gemm` runs it.
 * `kernels.rotations` applies the QR iteration's rotations to the factors (mode 3 and n ≤ 25; with
 * vectors beyond that, {@link bidiagonalSvdDivideConquer} merges on `gemm`), and
 * `kernels.bidiagonalize` reduces the (square or tall) matrix to bidiagonal form.
 */
export function tallSvd(
  m: number,
  n: number,
  a: Float64Array,
  mode: 0 | 1 | 2 | 3,
  rhsT: Float64Array | null = null,
  nrhs = 0,
  kernels: TallSvdKernels = {},
  overwrite = false,
): TallSvd {
  const gemm = kernels.gemm ?? gemmStridedKernel;
  const qr = kernels.qr ?? null;
  const rotations = kernels.rotations ?? rotationChainsKernel;
  const reduce = kernels.bidiagonalize ?? bidiagonalize;
  const wantVectors = mode !== 0;
  if (n === 0) {
    const empty = new Float64Array(0);
    if (mode === 0) return { s: empty, ut: null, vt: null, c: null, tail: null };
    if (mode === 3) {
      const tail = new Float64Array(nrhs);
      for (let q = 0; q < nrhs; q++) for (let i = 0; i < m; i++) tail[q] = tail[q]! + rhsT![q * m + i]! ** 2;
      return { s: empty, ut: null, vt: empty, c: empty, tail };
    }
    const p = mode === 2 ? m : 0;
    const ut = new Float64Array(p * m);
    for (let i = 0; i < p; i++) ut[i * m + i] = 1;
    return { s: empty, ut, vt: empty, c: null, tail: null };
  }

  // Scale by a power of two (exact) when the entries are extreme, so that no intermediate
  // product can overflow or underflow (LAPACK dgesvd scales likewise).
  let anrm = 0;
  for (let i = 0; i < m * n; i++) anrm = Math.max(anrm, Math.abs(a[i]!));
  let exponent = 0;
  let scratch = overwrite;
  if (anrm > 2 ** 450 || (anrm > 0 && anrm < 2 ** -450)) {
    if (!scratch) a = a.slice(0, m * n);
    scratch = true;
    exponent = Math.floor(Math.log2(anrm));
    const half = Math.trunc(-exponent / 2);
    const f1 = 2 ** half;
    const f2 = 2 ** (-exponent - half);
    for (let i = 0; i < m * n; i++) a[i] = a[i]! * f1 * f2;
  }

  // Very tall: QR first, then decompose the n × n factor R (flop-count crossovers: forming U
  // costs the same either way, so the QR step pays off later when U is wanted).
  // Only the vectors (modes 1–3) need the QR step's reflectors afterwards; the values need R.
  const useQr = n > 1 && m * 3 > (mode === 1 || mode === 2 ? 8 : 5) * n;
  let mb = m;
  let w: Float64Array;
  let qrAt: Float64Array | null = null;
  let qrTau: Float64Array | null = null;
  if (useQr) {
    qrTau = new Float64Array(n);
    mb = n;
    w = new Float64Array(n * n);
    const factored = qr === null ? false : qr(m, n, a, qrTau, w, wantVectors);
    if (factored === false) {
      qrAt = transposeKernel(m, n, a, new Float64Array(m * n));
      tallQrStep(m, n, qrAt, qrTau, w, gemm);
    } else {
      qrAt = factored;
    }
  } else {
    w = scratch ? a : a.slice(0, m * n);
  }

  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 1));
  const tauL = new Float64Array(n);
  const tauR = new Float64Array(n);
  const vl = wantVectors ? new Float64Array(n * mb) : null;
  reduce(mb, n, w, d, e, tauL, tauR, vl);

  // Mode 3: C ← Q_Bᵀ (Q_QRᵀ C), kept as the rows of Cᵀ, truncated to the first n entries.
  let log: RotationLog | null = null;
  let tail: Float64Array | null = null;
  if (mode === 3 && rhsT !== null && vl !== null) {
    let cur = rhsT;
    if (qrAt !== null && qrTau !== null) {
      applyReflectors(cur, nrhs, m, qrAt, m, 0, qrTau, n, false, gemm);
      const next = new Float64Array(nrhs * n);
      for (let q = 0; q < nrhs; q++) next.set(cur.subarray(q * m, q * m + n), q * n);
      tail = residualTail(cur, nrhs, m, n);
      cur = next;
    }
    applyReflectors(cur, nrhs, mb, vl, mb, 0, tauL, n, false, gemm);
    if (tail === null) tail = residualTail(cur, nrhs, m, n);
    const ct = new Float64Array(nrhs * n);
    for (let q = 0; q < nrhs; q++) ct.set(cur.subarray(q * mb, q * mb + n), q * n);
    log = new RotationLog(n, ct, nrhs, rotations);
  }
  // Factors of the bidiagonal B = U_B diag(d) V_Bᵀ as rows (row j the vector of d[j]): by divide
  // and conquer (its merges on `gemm`) beyond the leaf size, else by the QR iteration's rotations
  // (whose log holds them as columns; in mode 3 its ub holds (U_Bᵀ C)ᵀ instead).
  let uRows: Float64Array | null = null;
  let vRows: Float64Array | null = null;
  let logUb: Float64Array | null = null;
  if (wantVectors && mode !== 3 && n > BIDIAGONAL_DIVIDE_CONQUER_LEAF) {
    ({ ut: uRows, vt: vRows } = bidiagonalSvdDivideConquer(n, d, e, gemm));
  } else {
    if (wantVectors && mode !== 3) log = new RotationLog(n, null, n, rotations);
    bidiagonalQr(n, d, e, log);
    log?.flush();
    if (log !== null) {
      logUb = log.ub;
      vRows = transposeKernel(n, n, log.vb, new Float64Array(n * n));
      if (mode !== 3) uRows = transposeKernel(n, n, log.ub, new Float64Array(n * n));
    }
  }

  // Sort |d| descending (stable), remembering signs.
  const absd = new Float64Array(n);
  for (let i = 0; i < n; i++) absd[i] = Math.abs(d[i]!);
  const sorted = Array.from({ length: n }, (_, i) => i).sort((x, y) => absd[y]! - absd[x]! || x - y);
  const s = new Float64Array(n);
  for (let r = 0; r < n; r++) s[r] = absd[sorted[r]!]! + 0; // + 0 turns −0 into 0
  if (exponent !== 0) {
    const half = Math.trunc(exponent / 2);
    const g1 = 2 ** half;
    const g2 = 2 ** (exponent - half);
    for (let r = 0; r < n; r++) s[r] = s[r]! * g1 * g2;
  }
  if (vRows === null || vl === null) return { s, ut: null, vt: null, c: null, tail: null };

  // Vᵀ rows: sign-corrected, permuted rows of V_Bᵀ, then P_B from the right-hand reflectors.
  const vt = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    const c = sorted[r]!;
    const sg = d[c]! < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) vt[r * n + i] = sg * vRows[c * n + i]!;
  }
  if (n > 2) applyReflectors(vt, n, n, w, n, 1, tauR, n - 2, true, gemm);

  if (mode === 3) {
    // ub holds the rows of (U_Bᵀ C)ᵀ; permute to the order of s.
    const c = new Float64Array(n * nrhs);
    for (let r = 0; r < n; r++) {
      const col = sorted[r]!;
      for (let q = 0; q < nrhs; q++) c[r * nrhs + q] = logUb![q * n + col]!;
    }
    return { s, ut: null, vt, c, tail };
  }

  // Uᵀ rows: permuted rows of U_Bᵀ, padded, then Q_B (and Q of the QR step).
  const ub = uRows!;
  const p = mode === 2 ? m : n;
  if (!useQr) {
    const ut = new Float64Array(p * m);
    for (let r = 0; r < n; r++) {
      const c = sorted[r]!;
      ut.set(ub.subarray(c * n, c * n + n), r * m);
    }
    for (let r = n; r < p; r++) ut[r * m + r] = 1;
    applyReflectors(ut, p, m, vl, m, 0, tauL, n, true, gemm);
    return { s, ut, vt, c: null, tail: null };
  }
  const ur = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    const c = sorted[r]!;
    ur.set(ub.subarray(c * n, c * n + n), r * n);
  }
  applyReflectors(ur, n, n, vl, n, 0, tauL, n, true, gemm);
  const ut = new Float64Array(p * m);
  for (let r = 0; r < n; r++) ut.set(ur.subarray(r * n, r * n + n), r * m);
  for (let r = n; r < p; r++) ut[r * m + r] = 1;
  applyReflectors(ut, p, m, qrAt!, m, 0, qrTau!, n, true, gemm);
  return { s, ut, vt, c: null, tail: null };
}

/** `Σ_{i ≥ n} rowsT[q][i]²` for each of the `nrhs` rows (length `m`) of `rowsT`. */
function residualTail(rowsT: Float64Array, nrhs: number, m: number, n: number): Float64Array {
  const tail = new Float64Array(nrhs);
  for (let q = 0; q < nrhs; q++) {
    let sum = 0;
    for (let i = n; i < m; i++) sum += rowsT[q * m + i]! ** 2;
    tail[q] = sum;
  }
  return tail;
}
