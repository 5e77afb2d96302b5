/**
 * Householder reduction of a dense symmetric matrix to tridiagonal form, $A = Q T Q^\top$, and
 * the back-transformation $Z \mapsto Q Z$ of tridiagonal eigenvectors. Internal kernels of
 * {@link eigh}; unchecked.
 *
 * @packageDocumentation
 */
import { throwIfAborted } from '../errors';
import { gemmStridedKernel } from '../kernels/gemm-kernel';

/** A reduction $A = Q T Q^\top$ with $T$ = tridiag(e, d, e) and $Q = H_0 H_1 \cdots H_{n-3}$. */
export interface TridiagonalReduction {
  /** Diagonal of T, length n. */
  d: Float64Array;
  /** Off-diagonal of T, length max(n − 1, 0): $e_k = T_{k+1,k}$. */
  e: Float64Array;
  /** $\tau_k$ of the reflectors $H_k = I - \tau_k v_k v_k^\top$, length max(n − 1, 0). */
  tau: Float64Array;
}

/**
 * Reduces the symmetric `n × n` row-major matrix held in `w` to tridiagonal form in place
 * (unchecked kernel, LAPACK `dsytd2` with `uplo = 'L'` reorganised for row-major storage).
 *
 * Only the lower triangle of `w` is read. On return the upper triangle holds the reflectors:
 * $v_k$ acts on indices $k+1..n-1$, $(v_k)_{k+1} = 1$ implicitly and $(v_k)_i$ is stored at
 * `w[k·n + i]` for $i \ge k+2$; the lower triangle is overwritten with work values.
 *
 * Each step fuses the rank-2 update $A \leftarrow A - v w^\top - w v^\top$ of the previous
 * step with the symmetric product $y = A v$ of this step into one pass over the trailing lower
 * triangle, four rows at a time, so the matrix streams through the cache once per step.
 *
 * @param n - order $n$.
 * @param w - `n × n` row-major work matrix (input A, overwritten).
 * @param signal - polled once per column; aborting it throws `AbortedError`.
 * @returns d, e and the reflector scalars τ.
 * @see Golub & Van Loan, Matrix Computations (4th ed.), §8.3.1.
 */
export function householderTridiagonalize(n: number, w: Float64Array, signal?: AbortSignal): TridiagonalReduction {
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const tau = new Float64Array(Math.max(n - 1, 0));
  if (n === 0) return { d, e, tau };
  if (n === 1) {
    d[0] = w[0]!;
    return { d, e, tau };
  }
  // Pending rank-2 update A ← A − vp wpᵀ − wp vpᵀ (vectors in global indexing).
  const vp = new Float64Array(n);
  const wp = new Float64Array(n);
  const v = new Float64Array(n);
  const y = new Float64Array(n);
  let pending = false;
  for (let k = 0; k < n - 1; k++) {
    throwIfAborted(signal, 'the eigendecomposition');
    if (pending) {
      const vk = vp[k]!, wk = wp[k]!;
      for (let i = k; i < n; i++) w[i * n + k] = w[i * n + k]! - (vp[i]! * wk + wp[i]! * vk);
    }
    d[k] = w[k * n + k]!;
    if (k === n - 2) {
      e[k] = w[(n - 1) * n + k]!;
      let last = w[(n - 1) * n + n - 1]!;
      if (pending) last -= 2 * vp[n - 1]! * wp[n - 1]!;
      d[n - 1] = last;
      break;
    }
    // Reflector H = I − τ v vᵀ with H x = β e₁ for x = A[k+1:n, k] (LAPACK dlarfg).
    const alpha = w[(k + 1) * n + k]!;
    let scale = 0;
    for (let i = k + 2; i < n; i++) scale = Math.max(scale, Math.abs(w[i * n + k]!));
    let xnorm = 0;
    if (scale > 0) {
      let ss = 0;
      const inv = 1 / scale;
      for (let i = k + 2; i < n; i++) {
        const t = w[i * n + k]! * inv;
        ss += t * t;
      }
      xnorm = scale * Math.sqrt(ss);
    }
    const j0 = k + 1;
    let t = 0;
    v[j0] = 1;
    if (xnorm === 0) {
      e[k] = alpha;
      for (let i = k + 2; i < n; i++) v[i] = 0;
    } else {
      const beta = alpha >= 0 ? -safeHypot(alpha, xnorm) : safeHypot(alpha, xnorm);
      t = (beta - alpha) / beta;
      const s = 1 / (alpha - beta);
      for (let i = k + 2; i < n; i++) v[i] = w[i * n + k]! * s;
      e[k] = beta;
    }
    tau[k] = t;
    for (let i = j0; i < n; i++) w[k * n + i] = v[i]!;
    y.fill(0, j0, n);
    if (pending) fusedUpdateAndProduct(n, w, j0, vp, wp, v, y);
    else symmetricProduct(n, w, j0, v, y);
    // p = τ A v;  w = p − (τ/2)(pᵀv) v
    let pv = 0;
    for (let i = j0; i < n; i++) {
      const p = t * y[i]!;
      y[i] = p;
      pv += p * v[i]!;
    }
    const half = 0.5 * t * pv;
    vp.fill(0, 0, j0);
    wp.fill(0, 0, j0);
    for (let i = j0; i < n; i++) {
      vp[i] = v[i]!;
      wp[i] = y[i]! - half * v[i]!;
    }
    pending = t !== 0;
  }
  return { d, e, tau };
}

/**
 * One pass over the lower triangle of the trailing block `[j0, n)`: applies
 * $A \leftarrow A - v_p w_p^\top - w_p v_p^\top$ and accumulates $y \mathrel{+}= A u$ with the
 * updated entries. Rows are taken four at a time so each loaded vector entry serves four rows.
 */
function fusedUpdateAndProduct(
  n: number,
  w: Float64Array,
  j0: number,
  vp: Float64Array,
  wp: Float64Array,
  u: Float64Array,
  y: Float64Array,
): void {
  let i = j0;
  for (; i + 3 < n; i += 4) {
    const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
    const v0 = vp[i]!, w0 = wp[i]!, u0 = u[i]!;
    const v1 = vp[i + 1]!, w1 = wp[i + 1]!, u1 = u[i + 1]!;
    const v2 = vp[i + 2]!, w2 = wp[i + 2]!, u2 = u[i + 2]!;
    const v3 = vp[i + 3]!, w3 = wp[i + 3]!, u3 = u[i + 3]!;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = j0; j < i; j++) {
      const vj = vp[j]!, wj = wp[j]!, uj = u[j]!;
      const a0 = w[r0 + j]! - (v0 * wj + w0 * vj);
      const a1 = w[r1 + j]! - (v1 * wj + w1 * vj);
      const a2 = w[r2 + j]! - (v2 * wj + w2 * vj);
      const a3 = w[r3 + j]! - (v3 * wj + w3 * vj);
      w[r0 + j] = a0;
      w[r1 + j] = a1;
      w[r2 + j] = a2;
      w[r3 + j] = a3;
      s0 += a0 * uj;
      s1 += a1 * uj;
      s2 += a2 * uj;
      s3 += a3 * uj;
      y[j] = y[j]! + a0 * u0 + a1 * u1 + a2 * u2 + a3 * u3;
    }
    y[i] = y[i]! + s0;
    y[i + 1] = y[i + 1]! + s1;
    y[i + 2] = y[i + 2]! + s2;
    y[i + 3] = y[i + 3]! + s3;
    fusedRows(n, w, i, i, i + 4, vp, wp, u, y);
  }
  fusedRows(n, w, j0, i, n, vp, wp, u, y);
}

/** Rows `[rowStart, rowEnd)` of the fused pass, columns `[colStart, row]`, one row at a time. */
function fusedRows(
  n: number,
  w: Float64Array,
  colStart: number,
  rowStart: number,
  rowEnd: number,
  vp: Float64Array,
  wp: Float64Array,
  u: Float64Array,
  y: Float64Array,
): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const ri = i * n, vi = vp[i]!, wi = wp[i]!, ui = u[i]!;
    let s = 0;
    for (let j = colStart; j < i; j++) {
      const a = w[ri + j]! - (vi * wp[j]! + wi * vp[j]!);
      w[ri + j] = a;
      s += a * u[j]!;
      y[j] = y[j]! + a * ui;
    }
    const a = w[ri + i]! - 2 * vi * wi;
    w[ri + i] = a;
    y[i] = y[i]! + s + a * ui;
  }
}

/** $y \mathrel{+}= A u$ over the trailing block `[j0, n)` reading only its lower triangle. */
function symmetricProduct(n: number, w: Float64Array, j0: number, u: Float64Array, y: Float64Array): void {
  let i = j0;
  for (; i + 3 < n; i += 4) {
    const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
    const u0 = u[i]!, u1 = u[i + 1]!, u2 = u[i + 2]!, u3 = u[i + 3]!;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = j0; j < i; j++) {
      const uj = u[j]!;
      const a0 = w[r0 + j]!, a1 = w[r1 + j]!, a2 = w[r2 + j]!, a3 = w[r3 + j]!;
      s0 += a0 * uj;
      s1 += a1 * uj;
      s2 += a2 * uj;
      s3 += a3 * uj;
      y[j] = y[j]! + a0 * u0 + a1 * u1 + a2 * u2 + a3 * u3;
    }
    y[i] = y[i]! + s0;
    y[i + 1] = y[i + 1]! + s1;
    y[i + 2] = y[i + 2]! + s2;
    y[i + 3] = y[i + 3]! + s3;
    symmetricRows(n, w, i, i, i + 4, u, y);
  }
  symmetricRows(n, w, j0, i, n, u, y);
}

function symmetricRows(
  n: number,
  w: Float64Array,
  colStart: number,
  rowStart: number,
  rowEnd: number,
  u: Float64Array,
  y: Float64Array,
): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const ri = i * n, ui = u[i]!;
    let s = 0;
    for (let j = colStart; j < i; j++) {
      const a = w[ri + j]!;
      s += a * u[j]!;
      y[j] = y[j]! + a * ui;
    }
    y[i] = y[i]! + s + w[ri + i]! * ui;
  }
}

/** Number of reflectors combined into one compact-WY block by {@link applyHouseholderQ}. */
const REFLECTOR_BLOCK = 32;

/**
 * Back-transformation $Z \leftarrow Q Z$ with $Q = H_0 H_1 \cdots H_{n-3}$ from
 * {@link householderTridiagonalize} (unchecked kernel, LAPACK `dormtr`).
 *
 * Reflectors are applied in blocks of 32, last block first, each as the compact WY form
 * $H_{k} \cdots H_{k+b-1} = I - V T V^\top$ (LAPACK `dlarft`), so that almost all the work is
 * two matrix products: $Z \leftarrow Z - V\,(T\,(V^\top Z))$.
 *
 * @param n - order $n$.
 * @param w - the work matrix returned by the reduction (reflectors in its upper triangle).
 * @param tau - reflector scalars τ (length n − 1).
 * @param z - `n × n` row-major, overwritten with $Q Z$.
 * @param signal - polled once per block of reflectors; aborting it throws `AbortedError`.
 * @see Schreiber & Van Loan, "A storage-efficient WY representation for products of Householder
 *   transformations", SIAM J. Sci. Stat. Comput. 10 (1989).
 */
export function applyHouseholderQ(n: number, w: Float64Array, tau: Float64Array, z: Float64Array, signal?: AbortSignal): void {
  const reflectors = n - 2; // H_0 … H_{n−3}; the (n−2)th has τ = 0
  if (reflectors <= 0) return;
  const nb = REFLECTOR_BLOCK;
  const vt = new Float64Array(nb * n); // rows: reflectors of the block, over the block's rows
  const vcols = new Float64Array(n * nb); // V = Vtᵀ
  const t = new Float64Array(nb * nb);
  const prod = new Float64Array(nb * n); // Vᵀ Z, then T Vᵀ Z
  const tmp = new Float64Array(nb);
  const lastStart = Math.floor((reflectors - 1) / nb) * nb;
  for (let kb = lastStart; kb >= 0; kb -= nb) {
    throwIfAborted(signal, 'the eigendecomposition');
    const b = Math.min(nb, reflectors - kb);
    const rowStart = kb + 1; // first row touched by the block
    const m = n - rowStart;
    // Vt (b × m): row r is v_{kb+r}, supported on columns r..m−1 with a unit in column r.
    for (let r = 0; r < b; r++) {
      const row = r * m;
      vt.fill(0, row, row + r);
      vt[row + r] = 1;
      const k = kb + r;
      const src = k * n + k + 2;
      for (let c = r + 1; c < m; c++) vt[row + c] = w[src + c - r - 1]!;
    }
    // T (b × b upper triangular): T[0:r, r] = −τ_r T[0:r, 0:r] (Vt[0:r] · v_r), T[r][r] = τ_r.
    for (let r = 0; r < b; r++) {
      const tr = tau[kb + r]!;
      for (let q = 0; q < r; q++) {
        let s = 0;
        const rq = q * m, rr = r * m;
        for (let c = r; c < m; c++) s += vt[rq + c]! * vt[rr + c]!;
        tmp[q] = -tr * s;
      }
      for (let q = 0; q < r; q++) {
        let s = 0;
        for (let p = q; p < r; p++) s += t[q * nb + p]! * tmp[p]!;
        t[q * nb + r] = s;
      }
      t[r * nb + r] = tr;
      for (let q = r + 1; q < b; q++) t[q * nb + r] = 0;
    }
    // prod = Vt · Z[rowStart:, :]   (b × n)
    gemmStridedKernel(false, false, b, n, m, 1, vt, 0, m, z, rowStart * n, n, 0, prod, 0, n);
    // prod ← T · prod (upper triangular, in place row by row from the top)
    for (let q = 0; q < b; q++) {
      const rq = q * n;
      const tq = t[q * nb + q]!;
      for (let c = 0; c < n; c++) prod[rq + c] = tq * prod[rq + c]!;
      for (let p = q + 1; p < b; p++) {
        const tqp = t[q * nb + p]!;
        if (tqp === 0) continue;
        const rp = p * n;
        for (let c = 0; c < n; c++) prod[rq + c] = prod[rq + c]! + tqp * prod[rp + c]!;
      }
    }
    // Z[rowStart:, :] −= V · prod, V = Vtᵀ (m × b)
    for (let r = 0; r < b; r++) for (let c = 0; c < m; c++) vcols[c * b + r] = vt[r * m + c]!;
    gemmStridedKernel(false, false, m, n, b, -1, vcols, 0, b, prod, 0, n, 1, z, rowStart * n, n);
  }
}

/** $\sqrt{a^2 + b^2}$ without overflow or destructive underflow. */
export function safeHypot(a: number, b: number): number {
  const x = Math.abs(a), y = Math.abs(b);
  const big = x > y ? x : y;
  if (big > 1e-150 && big < 1e150) return Math.sqrt(a * a + b * b);
  if (big === 0 || big === Infinity) return big;
  const small = (x > y ? y : x) / big;
  return big * Math.sqrt(1 + small * small);
}
