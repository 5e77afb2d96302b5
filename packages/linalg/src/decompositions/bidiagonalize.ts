/**
 * Householder bidiagonalisation $W = Q_B B P_B^\top$ of a tall matrix (LAPACK `dgebd2`), the
 * first stage of the SVD.
 *
 * @packageDocumentation
 */
import { nrm2Kernel } from '../kernels/blas1-kernels';
import { householderScalars } from './qr';

/**
 * The fused pass of step `j` of {@link bidiagonalize} over rows `c0 = j + 1 … m − 1` of the
 * row-major `m × n` `w`, on columns `c0 …` (`len = n − c0`), with `u` the right reflector in row
 * `j` (`u_0 = 1` implicit, `u_l = w[j·n + c0 + l]`), `τ_R = tr`, `v` the left reflector and `z`:
 * - `a' = a − v_i z`, then `a'' = a' − s_i u` with `s_i = τ_R (a'·u)`;
 * - `y[c0 + l] += x_i a''_l` for `l ≥ 1` and rows `i ≥ c0 + 1`, with `x_i = a''_0`, after
 *   `y[c0 …]` is cleared.
 * The dot `a'·u` is summed as `a'_0 + (σ_odd + σ_even)`, with `σ_odd` the sum of `a'_l u_l` over
 * odd `l` and `σ_even` over even `l ≥ 2`, each in increasing `l` (two lanes of a SIMD register);
 * `y` is summed over the rows in increasing `i`. The `wasm-simd` backend's kernel
 * (`wasm/assembly/bidiagonal-rows.ts`) has the same order and bits.
 */
export type BidiagonalRows = (
  m: number,
  n: number,
  j: number,
  w: Float64Array,
  v: Float64Array,
  z: Float64Array,
  y: Float64Array,
  tr: number,
) => void;

/**
 * Where {@link bidiagonalize} keeps its vectors and which fused pass it runs: `v` (`m`), `z` and
 * `y` (`n`) and `rows` (default {@link bidiagonalRowsKernel}). The `wasm-simd` backend passes
 * views of its module's memory, where `w` lies too, and its kernel.
 */
export interface BidiagonalWork {
  v: Float64Array;
  z: Float64Array;
  y: Float64Array;
  rows: BidiagonalRows;
}

/**
 * Reduces the tall `m × n` row-major `w` (`m ≥ n`) to upper bidiagonal form
 * $W = Q_B B P_B^\top$ in place (LAPACK `dgebd2`): `d` (n) and `e` (n − 1) receive `B`;
 * left reflector `j` is `I − tauL[j] v vᵀ` with `v = [1, vl[j·m + j + 1 …]]` (copied to the
 * contiguous `vl`, `n × m`, when given); right reflector `j` is `I − tauR[j] u uᵀ` with
 * `u = [1, w[j·n + j + 2 …]]` on coordinates `j + 1 …`.
 *
 * One pass over the trailing rows per step, four rows at a time: it applies the left rank-one
 * update and the right reflector, and accumulates `Σ_i x_i a_iᵀ` over the new column `x`, from
 * which the next step's `vᵀA` follows once `x`'s reflector is known (look-ahead). Entries must
 * be below ~1e150 in magnitude (the driver scales), so that `x_i a_i` cannot overflow.
 */
export function bidiagonalize(
  m: number,
  n: number,
  w: Float64Array,
  d: Float64Array,
  e: Float64Array,
  tauL: Float64Array,
  tauR: Float64Array,
  vl: Float64Array | null,
  work: BidiagonalWork | null = null,
): void {
  const scratch = new Float64Array(2);
  const v = work?.v ?? new Float64Array(m);
  const z = work?.z ?? new Float64Array(n);
  const y = work?.y ?? new Float64Array(n);
  const rows = work?.rows ?? bidiagonalRowsKernel;

  // Left reflector of column j from its (already updated) entries; fills v, d[j], tauL[j].
  // Returns the divisor α − β that turned x into v.
  const leftReflector = (j: number): number => {
    const jj = j * n + j;
    const xnorm = nrm2Kernel(m - j - 1, w, jj + n, n);
    const tl = householderScalars(w[jj]!, xnorm, scratch);
    const denom = scratch[1]!;
    d[j] = scratch[0]!;
    tauL[j] = tl;
    w[jj] = scratch[0]!;
    v[j] = 1;
    if (tl !== 0) {
      for (let i = j + 1, p = jj + n; i < m; i++, p += n) {
        const vi = w[p]! / denom;
        w[p] = vi;
        v[i] = vi;
      }
    } else {
      for (let i = j + 1; i < m; i++) v[i] = 0;
    }
    if (vl !== null) {
      const o = j * m;
      for (let i = j + 1; i < m; i++) vl[o + i] = v[i]!;
    }
    return denom;
  };

  // Step 0: z = τ_L vᵀ W[:, 1:] by a separate pass.
  leftReflector(0);
  if (n > 1) {
    const tl = tauL[0]!;
    z.fill(0);
    if (tl !== 0) {
      let i = 0;
      for (; i + 3 < m; i += 4) {
        const v0 = v[i]!;
        const v1 = v[i + 1]!;
        const v2 = v[i + 2]!;
        const v3 = v[i + 3]!;
        const a0 = i * n;
        const a1 = a0 + n;
        const a2 = a1 + n;
        const a3 = a2 + n;
        for (let l = 1; l < n; l++) z[l] = z[l]! + v0 * w[a0 + l]! + v1 * w[a1 + l]! + v2 * w[a2 + l]! + v3 * w[a3 + l]!;
      }
      for (; i < m; i++) {
        const vi = v[i]!;
        const a = i * n;
        for (let l = 1; l < n; l++) z[l] = z[l]! + vi * w[a + l]!;
      }
      for (let l = 1; l < n; l++) z[l] = z[l]! * tl;
    }
  }

  for (let j = 0; j < n - 1; j++) {
    // Invariant: v = v_j, and z[j+1 …] = τ_L[j] v_jᵀ W[j:, j+1:] (zero when τ_L[j] = 0).
    const c0 = j + 1;
    const len = n - c0;
    const rj = j * n + c0;
    for (let l = 0; l < len; l++) w[rj + l] = w[rj + l]! - z[c0 + l]!;

    // Right reflector from row j, columns j+1 … n−1.
    const rnorm = nrm2Kernel(len - 1, w, rj + 1, 1);
    const tr = householderScalars(w[rj]!, rnorm, scratch);
    e[j] = scratch[0]!;
    tauR[j] = tr;
    if (tr !== 0) {
      const denom = scratch[1]!;
      for (let l = 1; l < len; l++) w[rj + l] = w[rj + l]! / denom;
    }
    w[rj] = scratch[0]!;

    // Fused pass over rows j+1 … m−1 (see BidiagonalRows).
    rows(m, n, j, w, v, z, y, tr);

    // Next left reflector (column j+1) and, by look-ahead, its z.
    const denom = leftReflector(c0);
    const tl = tauL[c0]!;
    if (c0 < n - 1) {
      const rn = c0 * n;
      if (tl !== 0) {
        for (let l = c0 + 1; l < n; l++) z[l] = tl * (w[rn + l]! + y[l]! / denom);
      } else {
        z.fill(0, c0 + 1, n);
      }
    }
  }
}

/**
 * `σ_odd + σ_even` of {@link BidiagonalRows} for the row at `a` (`len` entries, `a'_0` excluded)
 * after `a'_l = w[a + l] − vi z[c0 + l]` is stored, against `u_l = w[rj + l]`.
 */
function updatedDot(w: Float64Array, a: number, vi: number, z: Float64Array, c0: number, rj: number, len: number): number {
  let odd = 0;
  let even = 0;
  let l = 1;
  for (; l + 1 < len; l += 2) {
    const q = w[a + l]! - vi * z[c0 + l]!;
    const r = w[a + l + 1]! - vi * z[c0 + l + 1]!;
    w[a + l] = q;
    w[a + l + 1] = r;
    odd += q * w[rj + l]!;
    even += r * w[rj + l + 1]!;
  }
  if (l < len) {
    const q = w[a + l]! - vi * z[c0 + l]!;
    w[a + l] = q;
    odd += q * w[rj + l]!;
  }
  return odd + even;
}

/** The TypeScript {@link BidiagonalRows}: the first row alone, then four rows at a time. */
export function bidiagonalRowsKernel(
  m: number,
  n: number,
  j: number,
  w: Float64Array,
  v: Float64Array,
  z: Float64Array,
  y: Float64Array,
  tr: number,
): void {
  const c0 = j + 1;
  const len = n - c0;
  const rj = j * n + c0;
  y.fill(0, c0, n);
  {
    const a = c0 * n + c0;
    const vi = v[c0]!;
    let p0 = w[a]! - vi * z[c0]!;
    const s0 = tr * (p0 + updatedDot(w, a, vi, z, c0, rj, len));
    p0 -= s0;
    w[a] = p0;
    for (let l = 1; l < len; l++) w[a + l] = w[a + l]! - s0 * w[rj + l]!;
  }
  let i = c0 + 1;
  for (; i + 3 < m; i += 4) {
    const a0 = i * n + c0;
    const a1 = a0 + n;
    const a2 = a1 + n;
    const a3 = a2 + n;
    const zc = z[c0]!;
    let x0 = w[a0]! - v[i]! * zc;
    let x1 = w[a1]! - v[i + 1]! * zc;
    let x2 = w[a2]! - v[i + 2]! * zc;
    let x3 = w[a3]! - v[i + 3]! * zc;
    // updatedDot on the four rows at once (the same sums).
    const v0 = v[i]!;
    const v1 = v[i + 1]!;
    const v2 = v[i + 2]!;
    const v3 = v[i + 3]!;
    let o0 = 0;
    let o1 = 0;
    let o2 = 0;
    let o3 = 0;
    let e0 = 0;
    let e1 = 0;
    let e2 = 0;
    let e3 = 0;
    let l = 1;
    for (; l + 1 < len; l += 2) {
      const zo = z[c0 + l]!;
      const ze = z[c0 + l + 1]!;
      const uo = w[rj + l]!;
      const ue = w[rj + l + 1]!;
      const q0 = w[a0 + l]! - v0 * zo;
      const q1 = w[a1 + l]! - v1 * zo;
      const q2 = w[a2 + l]! - v2 * zo;
      const q3 = w[a3 + l]! - v3 * zo;
      const r0 = w[a0 + l + 1]! - v0 * ze;
      const r1 = w[a1 + l + 1]! - v1 * ze;
      const r2 = w[a2 + l + 1]! - v2 * ze;
      const r3 = w[a3 + l + 1]! - v3 * ze;
      w[a0 + l] = q0;
      w[a1 + l] = q1;
      w[a2 + l] = q2;
      w[a3 + l] = q3;
      w[a0 + l + 1] = r0;
      w[a1 + l + 1] = r1;
      w[a2 + l + 1] = r2;
      w[a3 + l + 1] = r3;
      o0 += q0 * uo;
      o1 += q1 * uo;
      o2 += q2 * uo;
      o3 += q3 * uo;
      e0 += r0 * ue;
      e1 += r1 * ue;
      e2 += r2 * ue;
      e3 += r3 * ue;
    }
    if (l < len) {
      const zo = z[c0 + l]!;
      const uo = w[rj + l]!;
      const q0 = w[a0 + l]! - v0 * zo;
      const q1 = w[a1 + l]! - v1 * zo;
      const q2 = w[a2 + l]! - v2 * zo;
      const q3 = w[a3 + l]! - v3 * zo;
      w[a0 + l] = q0;
      w[a1 + l] = q1;
      w[a2 + l] = q2;
      w[a3 + l] = q3;
      o0 += q0 * uo;
      o1 += q1 * uo;
      o2 += q2 * uo;
      o3 += q3 * uo;
    }
    const s0 = tr * (x0 + (o0 + e0));
    const s1 = tr * (x1 + (o1 + e1));
    const s2 = tr * (x2 + (o2 + e2));
    const s3 = tr * (x3 + (o3 + e3));
    x0 -= s0;
    x1 -= s1;
    x2 -= s2;
    x3 -= s3;
    w[a0] = x0;
    w[a1] = x1;
    w[a2] = x2;
    w[a3] = x3;
    for (l = 1; l < len; l++) {
      const ul = w[rj + l]!;
      const q0 = w[a0 + l]! - s0 * ul;
      const q1 = w[a1 + l]! - s1 * ul;
      const q2 = w[a2 + l]! - s2 * ul;
      const q3 = w[a3 + l]! - s3 * ul;
      w[a0 + l] = q0;
      w[a1 + l] = q1;
      w[a2 + l] = q2;
      w[a3 + l] = q3;
      y[c0 + l] = y[c0 + l]! + x0 * q0 + x1 * q1 + x2 * q2 + x3 * q3;
    }
  }
  for (; i < m; i++) {
    const a = i * n + c0;
    const vi = v[i]!;
    let x0 = w[a]! - vi * z[c0]!;
    const s0 = tr * (x0 + updatedDot(w, a, vi, z, c0, rj, len));
    x0 -= s0;
    w[a] = x0;
    for (let l = 1; l < len; l++) {
      const q = w[a + l]! - s0 * w[rj + l]!;
      w[a + l] = q;
      y[c0 + l] = y[c0 + l]! + x0 * q;
    }
  }
}
