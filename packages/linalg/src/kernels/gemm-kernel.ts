/**
 * The unchecked, cache-blocked matrix-product kernel behind `gemm`, `syrk` and `weightedGram`.
 *
 * Layout follows Goto & van de Geijn: the columns of `op(B)` are cut into panels of `NC`, the
 * `k` dimension into panels of `KC`, the rows of `op(A)` into blocks of `MC`; each panel of `op(B)` is packed into contiguous strips of `NR`
 * columns and each block of `op(A)` (times `α`) into strips of `MR` rows, so the `MR × NR`
 * micro-kernel streams two contiguous arrays and keeps its 16 accumulators in locals. Packing
 * absorbs the transposes, so all four `op` combinations run at the same speed.
 *
 * Kernels assume valid input: dimensions are non-negative integers, arrays have the stated
 * lengths, and `c` shares no storage with `a` or `b`. The checked wrappers (`gemm` …) ensure it.
 *
 * @see K. Goto, R. van de Geijn, "Anatomy of high-performance matrix multiplication",
 *   ACM TOMS 34(3), 2008.
 * @packageDocumentation
 */

/** Rows of the micro-tile. */
const MR = 4;
/** Columns of the micro-tile. */
const NR = 4;
/** Depth of a packed panel (`k` block). */
const KC = 256;
/** Rows of `op(A)` per packed block (`MC · KC · 8` bytes = 256 KiB, which stays in L2). */
const MC = 128;
/** Columns of `op(B)` per packed panel (`KC · NC · 8` bytes = 8 MiB at most, whatever `n`). */
const NC = 4096;
/** Up to this many multiply–adds (`m·n·k`), packing costs more than it saves: direct loops. */
const SMALL_PRODUCT = 256;

// Packing buffers are reused between calls (JavaScript runs one kernel at a time).
let packedA = new Float64Array(MC * KC);
let packedB = new Float64Array(0);
const edgeTile = new Float64Array(MR * NR);

/**
 * Accumulates `C ← C + α op(A) diag(s) op(B)` into row-major `c` (`m × n`), where `s` is the
 * optional `kScale` (length `k`) and `op(X)` is `X` or `Xᵀ`. With `lowerOnly`
 * (requires `m = n`) only micro-tiles that meet the lower triangle `j ≤ i` are computed: the
 * lower triangle is exact, entries above it inside diagonal tiles are partial and must be
 * overwritten by the caller (e.g. by mirroring).
 *
 * Storage: without transpose `a` is `m × k` and `b` is `k × n`; with `transA`, `a` is `k × m`;
 * with `transB`, `b` is `n × k`; all row-major. `panelColumns` (a multiple of 4) overrides the
 * panel width `NC`, for tests of the panel logic on small matrices.
 */
export function packedProduct(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  lowerOnly: boolean,
  kScale: Float64Array | null,
  panelColumns = NC,
): void {
  if (m === 0 || n === 0 || k === 0 || alpha === 0) return;
  const NC = panelColumns;
  const needB = Math.min(k, KC) * Math.ceil(Math.min(n, NC) / NR) * NR;
  if (packedB.length < needB) packedB = new Float64Array(needB);
  const needA = Math.min(k, KC) * Math.ceil(Math.min(m, MC) / MR) * MR;
  if (packedA.length < needA) packedA = new Float64Array(needA);
  const pa = packedA;
  const pb = packedB;

  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(transB, b, n, k, pc, kc, jc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        // For a lower-triangular result, skip row blocks wholly above this column panel and
        // columns beyond the block's last row.
        if (lowerOnly && ic + mc <= jc) continue;
        packA(transA, a, m, k, ic, mc, pc, kc, alpha, kScale, pa);
        const colEnd = lowerOnly ? Math.min(nc, ic + mc - jc) : nc;
        for (let jr = 0; jr < colEnd; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          const bOffset = (jr / NR) * kc * NR;
          const col0 = jc + jr;
          for (let ir = 0; ir < mc; ir += MR) {
            const row0 = ic + ir;
            const mr = Math.min(MR, mc - ir);
            // Skip tiles lying strictly above the diagonal.
            if (lowerOnly && col0 > row0 + mr - 1) continue;
            microKernel(kc, pa, (ir / MR) * kc * MR, pb, bOffset, c, row0 * n + col0, n, mr, nr);
          }
        }
      }
    }
  }
}

/**
 * Packs rows `[pc, pc+kc)` and columns `[jc, jc+nc)` of `op(B)` (`k × n`) into strips of `NR`
 * columns: `pb[s·kc·NR + p·NR + j] = op(B)[pc+p][jc+s·NR+j]`, zero-padded past the panel.
 */
function packB(
  transB: boolean,
  b: Float64Array,
  n: number,
  k: number,
  pc: number,
  kc: number,
  jc: number,
  nc: number,
  pb: Float64Array,
): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const nr = Math.min(NR, nc - j0);
    const col = jc + j0;
    let o = (j0 / NR) * kc * NR;
    if (!transB) {
      // b is k × n: op(B)[p][j] = b[p·n + j]
      if (nr === NR) {
        for (let p = 0; p < kc; p++) {
          const src = (pc + p) * n + col;
          pb[o] = b[src]!;
          pb[o + 1] = b[src + 1]!;
          pb[o + 2] = b[src + 2]!;
          pb[o + 3] = b[src + 3]!;
          o += NR;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const src = (pc + p) * n + col;
          for (let j = 0; j < NR; j++) pb[o + j] = j < nr ? b[src + j]! : 0;
          o += NR;
        }
      }
    } else if (nr === NR) {
      // b is n × k: op(B)[p][j] = b[j·k + p]
      const r0 = col * k + pc;
      const r1 = r0 + k;
      const r2 = r1 + k;
      const r3 = r2 + k;
      for (let p = 0; p < kc; p++) {
        pb[o] = b[r0 + p]!;
        pb[o + 1] = b[r1 + p]!;
        pb[o + 2] = b[r2 + p]!;
        pb[o + 3] = b[r3 + p]!;
        o += NR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < NR; j++) pb[o + j] = j < nr ? b[(col + j) * k + pc + p]! : 0;
        o += NR;
      }
    }
  }
}

/**
 * Packs `α · op(A)[ic:ic+mc, pc:pc+kc] · diag(s)` into strips of `MR` rows:
 * `pa[t·kc·MR + p·MR + i] = α s[pc+p] op(A)[ic+t·MR+i][pc+p]`, zero-padded past `mc`.
 */
function packA(
  transA: boolean,
  a: Float64Array,
  m: number,
  k: number,
  ic: number,
  mc: number,
  pc: number,
  kc: number,
  alpha: number,
  kScale: Float64Array | null,
  pa: Float64Array,
): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const mr = Math.min(MR, mc - i0);
    let o = (i0 / MR) * kc * MR;
    const row = ic + i0;
    if (!transA && mr === MR) {
      // a is m × k: op(A)[i][p] = a[i·k + p]
      const r0 = row * k + pc;
      const r1 = r0 + k;
      const r2 = r1 + k;
      const r3 = r2 + k;
      for (let p = 0; p < kc; p++) {
        const s = kScale === null ? alpha : alpha * kScale[pc + p]!;
        pa[o] = s * a[r0 + p]!;
        pa[o + 1] = s * a[r1 + p]!;
        pa[o + 2] = s * a[r2 + p]!;
        pa[o + 3] = s * a[r3 + p]!;
        o += MR;
      }
    } else if (transA && mr === MR) {
      // a is k × m: op(A)[i][p] = a[p·m + i]
      for (let p = 0; p < kc; p++) {
        const s = kScale === null ? alpha : alpha * kScale[pc + p]!;
        const src = (pc + p) * m + row;
        pa[o] = s * a[src]!;
        pa[o + 1] = s * a[src + 1]!;
        pa[o + 2] = s * a[src + 2]!;
        pa[o + 3] = s * a[src + 3]!;
        o += MR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const s = kScale === null ? alpha : alpha * kScale[pc + p]!;
        for (let i = 0; i < MR; i++) {
          pa[o + i] = i < mr ? s * (transA ? a[(pc + p) * m + row + i]! : a[(row + i) * k + pc + p]!) : 0;
        }
        o += MR;
      }
    }
  }
}

/**
 * The 4 × 4 register-tiled micro-kernel: `C[tile] = C[tile]! + Σ_p pa[:, p] pb[p, :]` over `kc` packed
 * steps, with the 16 partial sums kept in local variables. Partial tiles (`mr`, `nr` < 4) go
 * through a scratch tile.
 */
function microKernel(
  kc: number,
  pa: Float64Array,
  aOffset: number,
  pb: Float64Array,
  bOffset: number,
  c: Float64Array,
  cOffset: number,
  ldc: number,
  mr: number,
  nr: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ao = aOffset;
  let bo = bOffset;
  // `| 0` keeps the index arithmetic in int32 without overflow checks (a few % in V8).
  for (let p = 0; p < kc; p++) {
    const a0 = pa[ao]!, a1 = pa[(ao + 1) | 0]!, a2 = pa[(ao + 2) | 0]!, a3 = pa[(ao + 3) | 0]!;
    const b0 = pb[bo]!, b1 = pb[(bo + 1) | 0]!, b2 = pb[(bo + 2) | 0]!, b3 = pb[(bo + 3) | 0]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ao = (ao + MR) | 0;
    bo = (bo + NR) | 0;
  }
  if (mr === MR && nr === NR) {
    let o = cOffset;
    c[o] = c[o]! + c00; c[o + 1] = c[o + 1]! + c01; c[o + 2] = c[o + 2]! + c02; c[o + 3] = c[o + 3]! + c03;
    o += ldc;
    c[o] = c[o]! + c10; c[o + 1] = c[o + 1]! + c11; c[o + 2] = c[o + 2]! + c12; c[o + 3] = c[o + 3]! + c13;
    o += ldc;
    c[o] = c[o]! + c20; c[o + 1] = c[o + 1]! + c21; c[o + 2] = c[o + 2]! + c22; c[o + 3] = c[o + 3]! + c23;
    o += ldc;
    c[o] = c[o]! + c30; c[o + 1] = c[o + 1]! + c31; c[o + 2] = c[o + 2]! + c32; c[o + 3] = c[o + 3]! + c33;
    return;
  }
  const t = edgeTile;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03;
  t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
  t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23;
  t[12] = c30; t[13] = c31; t[14] = c32; t[15] = c33;
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nr; j++) c[cOffset + i * ldc + j] = c[cOffset + i * ldc + j]! + t[i * NR + j]!;
  }
}

/**
 * Scales the `len` entries of `c` from `offset` by `beta`, with BLAS semantics: `β = 0` writes
 * zeros without reading `c` (so NaN there is ignored), `β = 1` leaves `c` untouched.
 */
export function scaleInPlace(c: Float64Array, offset: number, len: number, beta: number): void {
  if (beta === 1) return;
  if (beta === 0) {
    c.fill(0, offset, offset + len);
    return;
  }
  for (let t = offset; t < offset + len; t++) c[t] = beta * c[t]!;
}

/**
 * Unchecked general matrix product on row-major arrays:
 * $C \leftarrow \alpha\,\mathrm{op}(A)\,\mathrm{op}(B) + \beta C$ with $\mathrm{op}(X) \in \{X, X^\top\}$.
 *
 * Cache-blocked and register-tiled (see the module notes); products of at most 256
 * multiply–adds (`m·n·k`) skip the packing and run direct loops. BLAS semantics: `β = 0` ignores the
 * incoming `c` (NaN included); `α = 0` or `k = 0` leaves `βC` without reading `a` or `b`.
 * Assumes valid input: the checked wrapper is {@link gemm}.
 *
 * @param transA - use $A^\top$: `a` is stored `k × m` instead of `m × k`.
 * @param transB - use $B^\top$: `b` is stored `n × k` instead of `k × n`.
 * @param m - rows of $\mathrm{op}(A)$ and $C$.
 * @param n - columns of $\mathrm{op}(B)$ and $C$.
 * @param k - the inner dimension.
 * @param alpha - $\alpha$.
 * @param a - $A$, row-major.
 * @param b - $B$, row-major.
 * @param beta - $\beta$.
 * @param c - $C$ (`m × n`, row-major), overwritten with the result; must not share storage with `a` or `b`.
 * @see K. Goto, R. van de Geijn, "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3), 2008.
 * @example
 * ```ts
 * const c = new Float64Array(1);
 * gemmKernel(false, false, 1, 1, 2, 1, Float64Array.of(1, 2), Float64Array.of(3, 4), 0, c);
 * c[0]; // => 11
 * ```
 */
export function gemmKernel(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  b: Float64Array,
  beta: number,
  c: Float64Array,
): void {
  scaleInPlace(c, 0, m * n, beta);
  if (m * n * k <= SMALL_PRODUCT) smallProduct(transA, transB, m, n, k, alpha, a, b, c);
  else packedProduct(transA, transB, m, n, k, alpha, a, b, c, false, null);
}

/**
 * `C ← C + α op(A) op(B)` by direct strided loops (order i, p, j), for tiny products where the
 * packing overhead of {@link packedProduct} dominates.
 */
function smallProduct(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
): void {
  if (alpha === 0) return;
  // op(A)[i][p] = a[i·sai + p·sap], op(B)[p][j] = b[p·sbp + j·sbj]
  const sai = transA ? 1 : k;
  const sap = transA ? m : 1;
  const sbp = transB ? 1 : n;
  const sbj = transB ? k : 1;
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const aip = alpha * a[i * sai + p * sap]!;
      const bp = p * sbp;
      for (let j = 0; j < n; j++) c[ci + j] = c[ci + j]! + aip * b[bp + j * sbj]!;
    }
  }
}
