/**
 * The unchecked, cache-blocked matrix-product engine behind `gemm`, `syrk`, `weightedGram` and
 * the dense products inside the decompositions (the eigensolver's back-transformation and
 * divide-and-conquer merges, the PSD projection).
 *
 * Layout follows Goto & van de Geijn: the columns of `op(B)` are cut into panels of `NC`, the
 * `k` dimension into panels of `KC`, the rows of `op(A)` into blocks of `MC`; each panel of `op(B)` is packed into contiguous strips of `NR`
 * columns and each block of `op(A)` (times `α`) into strips of `MR` rows, so the `MR × NR`
 * micro-kernel streams two contiguous arrays and keeps its 16 accumulators in locals. Packing
 * absorbs the transposes and the strides, so all four `op` combinations, on whole arrays or on
 * strided sub-blocks (an offset and a leading dimension per operand), run at the same speed.
 * Inside a block of `op(A)`, each strip of `MR` rows meets every strip of the `op(B)` panel in
 * turn, so the tiles of `C` are visited along rows in consecutive cache lines (the other order
 * walks `C` down its columns, a cache line per row: gemm 1024 took 530 ms, now 489 ms, on the
 * 2-core Xeon of the package README).
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
/** Columns of `op(B)` per packed panel (`KC · NC · 8` bytes = 768 KiB, which stays in L2). */
const NC = 384;
/** Up to this many multiply–adds (`m·n·k`), packing costs more than it saves: direct loops. */
const SMALL_PRODUCT = 256;

// Packing buffers are reused between calls (JavaScript runs one kernel at a time).
let packedA = new Float64Array(MC * KC);
let packedB = new Float64Array(0);
const edgeTile = new Float64Array(MR * NR);

/**
 * Accumulates `C ← C + α op(A) diag(s) op(B)` into the row-major block `C` (`m × n`), where `s`
 * is the optional `kScale` (length `k`) and `op(X)` is `X` or `Xᵀ`. With `lowerOnly`
 * (requires `m = n`) only micro-tiles that meet the lower triangle `j ≤ i` are computed: the
 * lower triangle is exact, entries above it inside diagonal tiles are partial and must be
 * overwritten by the caller (e.g. by mirroring).
 *
 * Storage (row-major, each operand at an offset with a leading dimension, as
 * {@link gemmStridedKernel}): `op(A)[i][p]` is `a[aOff + i·lda + p]`, or `a[aOff + p·lda + i]`
 * with `transA`; `op(B)[p][j]` is `b[bOff + p·ldb + j]`, or `b[bOff + j·ldb + p]` with `transB`;
 * `C[i][j]` is `c[cOff + i·ldc + j]`. `panelColumns` (a multiple of 4) overrides the panel width
 * `NC`, for tests of the panel logic on small matrices.
 */
export function packedProduct(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
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
      packB(transB, b, bOff, ldb, pc, kc, jc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        // For a lower-triangular result, skip row blocks wholly above this column panel and
        // columns beyond the block's last row.
        if (lowerOnly && ic + mc <= jc) continue;
        packA(transA, a, aOff, lda, ic, mc, pc, kc, alpha, kScale, pa);
        for (let ir = 0; ir < mc; ir += MR) {
          const row0 = ic + ir;
          const mr = Math.min(MR, mc - ir);
          // Skip tiles lying strictly above the diagonal (first column past the strip's last row).
          const colEnd = lowerOnly ? Math.min(nc, row0 + mr - jc) : nc;
          for (let jr = 0; jr < colEnd; jr += NR) {
            microKernel(kc, pa, ir * kc, pb, jr * kc, c, cOff + row0 * ldc + jc + jr, ldc, mr, Math.min(NR, nc - jr));
          }
        }
      }
    }
  }
}

/**
 * Packs rows `[pc, pc+kc)` and columns `[jc, jc+nc)` of `op(B)` into strips of `NR` columns:
 * `pb[s·kc·NR + p·NR + j] = op(B)[pc+p][jc+s·NR+j]`, zero-padded past the panel.
 */
function packB(
  transB: boolean,
  b: Float64Array,
  bOff: number,
  ldb: number,
  pc: number,
  kc: number,
  jc: number,
  nc: number,
  pb: Float64Array,
): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const nr = Math.min(NR, nc - j0);
    const col = jc + j0;
    let o = j0 * kc;
    if (!transB) {
      // op(B)[p][j] = b[bOff + p·ldb + j]
      let src = bOff + pc * ldb + col;
      if (nr === NR) {
        for (let p = 0; p < kc; p++) {
          pb[o] = b[src]!;
          pb[o + 1] = b[src + 1]!;
          pb[o + 2] = b[src + 2]!;
          pb[o + 3] = b[src + 3]!;
          o += NR;
          src += ldb;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let j = 0; j < NR; j++) pb[o + j] = j < nr ? b[src + j]! : 0;
          o += NR;
          src += ldb;
        }
      }
    } else if (nr === NR) {
      // op(B)[p][j] = b[bOff + j·ldb + p]
      const r0 = bOff + col * ldb + pc;
      const r1 = r0 + ldb;
      const r2 = r1 + ldb;
      const r3 = r2 + ldb;
      for (let p = 0; p < kc; p++) {
        pb[o] = b[r0 + p]!;
        pb[o + 1] = b[r1 + p]!;
        pb[o + 2] = b[r2 + p]!;
        pb[o + 3] = b[r3 + p]!;
        o += NR;
      }
    } else {
      const r0 = bOff + col * ldb + pc;
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < NR; j++) pb[o + j] = j < nr ? b[r0 + j * ldb + p]! : 0;
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
  aOff: number,
  lda: number,
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
    let o = i0 * kc;
    const row = ic + i0;
    if (!transA && mr === MR) {
      // op(A)[i][p] = a[aOff + i·lda + p]
      const r0 = aOff + row * lda + pc;
      const r1 = r0 + lda;
      const r2 = r1 + lda;
      const r3 = r2 + lda;
      for (let p = 0; p < kc; p++) {
        const s = kScale === null ? alpha : alpha * kScale[pc + p]!;
        pa[o] = s * a[r0 + p]!;
        pa[o + 1] = s * a[r1 + p]!;
        pa[o + 2] = s * a[r2 + p]!;
        pa[o + 3] = s * a[r3 + p]!;
        o += MR;
      }
    } else if (transA && mr === MR) {
      // op(A)[i][p] = a[aOff + p·lda + i]
      let src = aOff + pc * lda + row;
      for (let p = 0; p < kc; p++) {
        const s = kScale === null ? alpha : alpha * kScale[pc + p]!;
        pa[o] = s * a[src]!;
        pa[o + 1] = s * a[src + 1]!;
        pa[o + 2] = s * a[src + 2]!;
        pa[o + 3] = s * a[src + 3]!;
        o += MR;
        src += lda;
      }
    } else {
      // Edge strip (mr < MR): op(A)[row+i][pc+p] = a[base + p·sp + i·si]
      const si = transA ? 1 : lda;
      const sp = transA ? lda : 1;
      const base = aOff + row * si + pc * sp;
      for (let p = 0; p < kc; p++) {
        const s = kScale === null ? alpha : alpha * kScale[pc + p]!;
        for (let i = 0; i < MR; i++) pa[o + i] = i < mr ? s * a[base + p * sp + i * si]! : 0;
        o += MR;
      }
    }
  }
}

/**
 * The 4 × 4 register-tiled micro-kernel: `C[tile] = C[tile]! + Σ_p pa[:, p] pb[p, :]` over `kc` packed
 * steps, with the 16 partial sums kept in local variables. Partial tiles (`mr`, `nr` < 4) go
 * through a scratch tile. Each step loads the four `b` values, then one `a` value at a time
 * (fewer live registers than loading all eight first), addressed from `p` directly: in V8 this
 * ran about 4 % faster than running `| 0` pointers on the short-`k` products of the
 * eigensolver, and no slower on square products.
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
  // The literal 4 (= MR = NR) matters: V8 does not fold the module constants here (~5 % slower).
  for (let p = 0; p < kc; p++) {
    const ap = aOffset + 4 * p;
    const bp = bOffset + 4 * p;
    const b0 = pb[bp]!, b1 = pb[bp + 1]!, b2 = pb[bp + 2]!, b3 = pb[bp + 3]!;
    let x = pa[ap]!;
    c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
    x = pa[ap + 1]!;
    c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
    x = pa[ap + 2]!;
    c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
    x = pa[ap + 3]!;
    c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
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
 * Scales the `m × n` block of `c` at `cOff` with row stride `ldc` by `beta`, with BLAS
 * semantics: `β = 0` writes zeros without reading `c` (so NaN there is ignored), `β = 1` leaves
 * `c` untouched.
 */
function scaleBlock(m: number, n: number, beta: number, c: Float64Array, cOff: number, ldc: number): void {
  if (beta === 1 || m === 0 || n === 0) return;
  if (ldc === n) {
    // Contiguous block: one pass.
    if (beta === 0) c.fill(0, cOff, cOff + m * n);
    else for (let t = cOff; t < cOff + m * n; t++) c[t] = beta * c[t]!;
    return;
  }
  for (let i = 0; i < m; i++) {
    const r = cOff + i * ldc;
    if (beta === 0) c.fill(0, r, r + n);
    else for (let t = r; t < r + n; t++) c[t] = beta * c[t]!;
  }
}

/**
 * Unchecked general matrix product on strided row-major blocks:
 * $C \leftarrow \alpha\,\mathrm{op}(A)\,\mathrm{op}(B) + \beta C$ with $\mathrm{op}(X) \in \{X, X^\top\}$,
 * where each operand is a sub-block of a larger array given by an offset and a leading dimension
 * (the row stride), as in BLAS `dgemm` for row-major storage.
 *
 * $\mathrm{op}(A)_{ip}$ is `a[aOff + i·lda + p]`, or `a[aOff + p·lda + i]` with `transA`;
 * $\mathrm{op}(B)_{pj}$ is `b[bOff + p·ldb + j]`, or `b[bOff + j·ldb + p]` with `transB`;
 * $C_{ij}$ is `c[cOff + i·ldc + j]`. Entries of `c` outside the `m × n` block are not touched.
 * Cache-blocked and register-tiled (see the module notes); products of at most 256
 * multiply–adds (`m·n·k`) skip the packing and run direct loops. BLAS semantics: `β = 0` ignores
 * the incoming block of `c` (NaN included); `α = 0` or `k = 0` leaves $\beta C$ without reading
 * `a` or `b`. Assumes valid input (non-negative integer sizes, strides at least the stored row
 * length, every addressed index inside its array, `c` not sharing storage with `a` or `b`).
 *
 * @param transA - use $A^\top$: the stored block of `a` is `k × m` instead of `m × k`.
 * @param transB - use $B^\top$: the stored block of `b` is `n × k` instead of `k × n`.
 * @param m - rows of $\mathrm{op}(A)$ and $C$.
 * @param n - columns of $\mathrm{op}(B)$ and $C$.
 * @param k - the inner dimension.
 * @param alpha - $\alpha$.
 * @param a - storage of $A$.
 * @param aOff - index of the first entry of the block of $A$ in `a`.
 * @param lda - row stride of the stored block of $A$ (at least `k`, or `m` with `transA`).
 * @param b - storage of $B$.
 * @param bOff - index of the first entry of the block of $B$ in `b`.
 * @param ldb - row stride of the stored block of $B$ (at least `n`, or `k` with `transB`).
 * @param beta - $\beta$.
 * @param c - storage of $C$, whose `m × n` block is overwritten with the result.
 * @param cOff - index of $C_{00}$ in `c`.
 * @param ldc - row stride of $C$ (at least `n`).
 * @see K. Goto, R. van de Geijn, "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3), 2008.
 * @example
 * ```ts
 * // C = A·B for A = [[1, 2], [3, 4]] stored in columns 1–2 of a 2 × 3 array (lda = 3),
 * // written into rows 1–2 of a 3 × 2 array (cOff = 2, ldc = 2).
 * const a = Float64Array.of(9, 1, 2, 9, 3, 4);
 * const c = new Float64Array(6);
 * gemmStridedKernel(false, false, 2, 2, 2, 1, a, 1, 3, Float64Array.of(5, 6, 7, 8), 0, 2, 0, c, 2, 2);
 * Array.from(c); // => [0, 0, 19, 22, 43, 50]
 * ```
 */
export function gemmStridedKernel(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  beta: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  scaleBlock(m, n, beta, c, cOff, ldc);
  if (alpha === 0) return;
  if (m * n * k > SMALL_PRODUCT) {
    packedProduct(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, false, null);
    return;
  }
  // Tiny products, where packing costs more than it saves: direct strided loops (order i, p, j)
  // with op(A)[i][p] = a[aOff + i·sai + p·sap] and op(B)[p][j] = b[bOff + p·sbp + j·sbj].
  const sai = transA ? 1 : lda;
  const sap = transA ? lda : 1;
  const sbp = transB ? 1 : ldb;
  const sbj = transB ? ldb : 1;
  for (let i = 0; i < m; i++) {
    const ci = cOff + i * ldc;
    for (let p = 0; p < k; p++) {
      const aip = alpha * a[aOff + i * sai + p * sap]!;
      const bp = bOff + p * sbp;
      for (let j = 0; j < n; j++) c[ci + j] = c[ci + j]! + aip * b[bp + j * sbj]!;
    }
  }
}

/**
 * Unchecked general matrix product on row-major arrays:
 * $C \leftarrow \alpha\,\mathrm{op}(A)\,\mathrm{op}(B) + \beta C$ with $\mathrm{op}(X) \in \{X, X^\top\}$.
 *
 * The whole-array case of {@link gemmStridedKernel} (no offsets, leading dimensions equal to
 * the stored row lengths). BLAS semantics: `β = 0` ignores the incoming `c` (NaN included);
 * `α = 0` or `k = 0` leaves `βC` without reading `a` or `b`.
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
  gemmStridedKernel(transA, transB, m, n, k, alpha, a, 0, transA ? m : k, b, 0, transB ? k : n, beta, c, 0, n);
}

/**
 * A strided matrix product with the contract of {@link gemmStridedKernel}:
 * $C \leftarrow \alpha\,\mathrm{op}(A)\,\mathrm{op}(B) + \beta C$ on blocks at offsets with row strides.
 */
export type StridedGemm = typeof gemmStridedKernel;
