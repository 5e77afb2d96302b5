/**
 * The float64 WebAssembly SIMD (`f64x2`) kernels of the `wasm-simd` backend, in AssemblyScript.
 *
 * Same layout as the TypeScript reference engine (`src/kernels/gemm-kernel.ts`, after Goto &
 * van de Geijn): `op(B)` is cut into panels of `NC` columns and `KC` rows and packed into strips
 * of `NR = 4` columns; `op(A)` into blocks of `MC × KC` packed (times `α`, and times the optional
 * per-`k` scale `s`) into strips of `MR = 4` rows. The `4 × 4` micro-kernel keeps its sixteen
 * sums in eight `f64x2` registers (a row of the tile is two vectors) and per step loads two `B`
 * vectors and splats four `A` values: 16 multiply–adds for 6 loads.
 *
 * Loop order inside a packed `MC × KC` block of `A`: each strip of `MR` rows of `A` (8 KiB, held
 * in L1) meets every strip of the packed `B` panel (`KC × NC`, 768 KiB, held in L2) in turn, so
 * the tiles of `C` are visited along rows, four rows at a time, in consecutive cache lines. The
 * other order (each `B` strip against every `A` strip) walks `C` down its columns, one cache line
 * per row and a page per row for wide `C`, and ran at 16.1 GFLOP/s at n = 1024 against 19.4 in
 * this order (V8, one thread; 2048: 16.7 against 19.8; `NC` from 256 to 768 within 3 %). Neither
 * `NC` nor the order changes any sum: every entry adds its `KC`-long partial sums in the order of
 * `k`, so the bits are those of the reference engine.
 *
 * No allocation happens here: the host lays out every operand and the packing buffers in linear
 * memory and passes byte addresses. The kernels of the blocked tridiagonalisation (`eigh`) are in
 * `tridiagonal.ts`, exported from here. Built by `wasm/build.mjs` (`pnpm run build:wasm`) into
 * `src/backends/wasm-simd-binary.ts`.
 *
 * Conventions (row-major, byte addresses): `op(A)[i][p]` is `a[i·lda + p]`, or `a[p·lda + i]` with
 * `transA`; `op(B)[p][j]` is `b[p·ldb + j]`, or `b[j·ldb + p]` with `transB`; `C[i][j]` is
 * `c[i·ldc + j]`.
 */

import { addr } from './f64-rows';

const MR: i32 = 4;
const NR: i32 = 4;
const KC: i32 = 256;
const MC: i32 = 128;
// Columns of a packed B panel: KC × NC doubles = 768 KiB, inside the L2 cache of current x86
// cores (1–2 MiB) with room for the A strip and the C lines.
const NC: i32 = 384;

/** First free byte after the module's static data: the host places its buffers from here. */
export function heapBase(): usize {
  return __heap_base;
}

/** Doubles needed by the packed `A` block buffer. */
export function packedABufferLength(): i32 {
  return MC * KC;
}

/** Doubles needed by the packed `B` panel buffer for a product with `n` columns and depth `k`. */
export function packedBBufferLength(n: i32, k: i32): i32 {
  const kc = min(k, KC);
  const nc = min(n, NC);
  return kc * (((nc + NR - 1) / NR) * NR);
}

/**
 * `C ← βC` on the `m × n` block at `c` with row stride `ldc`; `β = 0` writes zeros without
 * reading `c`; with `lowerOnly` only the lower triangle `j ≤ i` is touched.
 */
export function scaleBlock(m: i32, n: i32, beta: f64, c: usize, ldc: i32, lowerOnly: bool): void {
  if (beta == 1.0) return;
  for (let i = 0; i < m; i++) {
    const row = addr(c, i * ldc);
    const end = lowerOnly ? min(n, i + 1) : n;
    if (beta == 0.0) {
      for (let j = 0; j < end; j++) store<f64>(addr(row, j), 0.0);
    } else {
      for (let j = 0; j < end; j++) {
        const p = addr(row, j);
        store<f64>(p, beta * load<f64>(p));
      }
    }
  }
}

/** Copies the strictly lower triangle of the `n × n` row-major `c` to the upper one (blocked). */
export function mirrorLowerToUpper(n: i32, c: usize): void {
  mirrorRows(n, c, 0, n);
}

/**
 * Copies rows `[r0, r1)` of the strictly lower triangle of the `n × n` row-major `c` to the
 * columns `[r0, r1)` of the upper one, in blocks of 32 (`r0` a multiple of 32): disjoint row ranges
 * write disjoint entries, so threads may mirror them at once.
 */
export function mirrorRows(n: i32, c: usize, r0: i32, r1: i32): void {
  const B: i32 = 32;
  for (let i0 = r0; i0 < r1; i0 += B) {
    const i1 = min(i0 + B, r1);
    for (let j0 = 0; j0 <= i0; j0 += B) {
      const j1 = min(j0 + B, n);
      for (let i = i0; i < i1; i++) {
        const jEnd = min(j1, i);
        for (let j = j0; j < jEnd; j++) store<f64>(addr(c, j * n + i), load<f64>(addr(c, i * n + j)));
      }
    }
  }
}

/**
 * Packs rows `[pc, pc+kc)` and columns `[jc, jc+nc)` of `op(B)` into strips of `NR` columns:
 * `pb[s·kc·NR + p·NR + j] = op(B)[pc+p][jc+s·NR+j]`, zero-padded past the panel.
 */
function packB(transB: bool, b: usize, ldb: i32, pc: i32, kc: i32, jc: i32, nc: i32, pb: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const nr = min(NR, nc - j0);
    const col = jc + j0;
    let o = addr(pb, j0 * kc);
    if (!transB) {
      let src = addr(b, pc * ldb + col);
      const stride = (<usize>ldb) << 3;
      if (nr == NR) {
        for (let p = 0; p < kc; p++) {
          v128.store(o, v128.load(src));
          v128.store(o, v128.load(src, 16), 16);
          o += 32;
          src += stride;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let j = 0; j < NR; j++) store<f64>(addr(o, j), j < nr ? load<f64>(addr(src, j)) : 0.0);
          o += 32;
          src += stride;
        }
      }
    } else if (nr == NR) {
      const r0 = addr(b, col * ldb + pc);
      const r1 = addr(r0, ldb);
      const r2 = addr(r1, ldb);
      const r3 = addr(r2, ldb);
      for (let p = 0; p < kc; p++) {
        const q = (<usize>p) << 3;
        store<f64>(o, load<f64>(r0 + q));
        store<f64>(o, load<f64>(r1 + q), 8);
        store<f64>(o, load<f64>(r2 + q), 16);
        store<f64>(o, load<f64>(r3 + q), 24);
        o += 32;
      }
    } else {
      const r0 = addr(b, col * ldb + pc);
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < NR; j++) store<f64>(addr(o, j), j < nr ? load<f64>(addr(r0, j * ldb + p)) : 0.0);
        o += 32;
      }
    }
  }
}

/**
 * Packs `α · op(A)[ic:ic+mc, pc:pc+kc] · diag(s)` into strips of `MR` rows:
 * `pa[t·kc·MR + p·MR + i] = α s[pc+p] op(A)[ic+t·MR+i][pc+p]`, zero-padded past `mc`
 * (`s = 1` when `kScale` is 0).
 */
function packA(
  transA: bool, a: usize, lda: i32, ic: i32, mc: i32, pc: i32, kc: i32, alpha: f64, kScale: usize, pa: usize,
): void {
  const hasScale = kScale != 0;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const mr = min(MR, mc - i0);
    let o = addr(pa, i0 * kc);
    const row = ic + i0;
    if (!transA && mr == MR) {
      const r0 = addr(a, row * lda + pc);
      const r1 = addr(r0, lda);
      const r2 = addr(r1, lda);
      const r3 = addr(r2, lda);
      for (let p = 0; p < kc; p++) {
        const s = hasScale ? alpha * load<f64>(addr(kScale, pc + p)) : alpha;
        const q = (<usize>p) << 3;
        store<f64>(o, s * load<f64>(r0 + q));
        store<f64>(o, s * load<f64>(r1 + q), 8);
        store<f64>(o, s * load<f64>(r2 + q), 16);
        store<f64>(o, s * load<f64>(r3 + q), 24);
        o += 32;
      }
    } else if (transA && mr == MR) {
      let src = addr(a, pc * lda + row);
      const stride = (<usize>lda) << 3;
      for (let p = 0; p < kc; p++) {
        const s = f64x2.splat(hasScale ? alpha * load<f64>(addr(kScale, pc + p)) : alpha);
        v128.store(o, f64x2.mul(s, v128.load(src)));
        v128.store(o, f64x2.mul(s, v128.load(src, 16)), 16);
        o += 32;
        src += stride;
      }
    } else {
      const si = transA ? 1 : lda;
      const sp = transA ? lda : 1;
      const base = row * si + pc * sp;
      for (let p = 0; p < kc; p++) {
        const s = hasScale ? alpha * load<f64>(addr(kScale, pc + p)) : alpha;
        for (let i = 0; i < MR; i++) store<f64>(addr(o, i), i < mr ? s * load<f64>(addr(a, base + p * sp + i * si)) : 0.0);
        o += 32;
      }
    }
  }
}

/**
 * `C[tile] += Σ_p pa[:, p] pb[p, :]` over `kc` packed steps: the 4 × 4 tile as eight `f64x2`
 * sums (row `i` in `ci0` = columns 0–1 and `ci1` = columns 2–3). Partial tiles go through
 * the scratch `tile`.
 */
@inline
function microKernel(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, mr: i32, nr: i32, tile: usize): void {
  let c00 = f64x2.splat(0.0);
  let c01 = f64x2.splat(0.0);
  let c10 = f64x2.splat(0.0);
  let c11 = f64x2.splat(0.0);
  let c20 = f64x2.splat(0.0);
  let c21 = f64x2.splat(0.0);
  let c30 = f64x2.splat(0.0);
  let c31 = f64x2.splat(0.0);
  let ap = pa;
  let bp = pb;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load64_splat(ap);
    c00 = f64x2.add(c00, f64x2.mul(x, b0));
    c01 = f64x2.add(c01, f64x2.mul(x, b1));
    x = v128.load64_splat(ap, 8);
    c10 = f64x2.add(c10, f64x2.mul(x, b0));
    c11 = f64x2.add(c11, f64x2.mul(x, b1));
    x = v128.load64_splat(ap, 16);
    c20 = f64x2.add(c20, f64x2.mul(x, b0));
    c21 = f64x2.add(c21, f64x2.mul(x, b1));
    x = v128.load64_splat(ap, 24);
    c30 = f64x2.add(c30, f64x2.mul(x, b0));
    c31 = f64x2.add(c31, f64x2.mul(x, b1));
    ap += 32;
    bp += 32;
  }
  const stride = (<usize>ldc) << 3;
  if (mr == MR && nr == NR) {
    let o = c;
    v128.store(o, f64x2.add(v128.load(o), c00));
    v128.store(o, f64x2.add(v128.load(o, 16), c01), 16);
    o += stride;
    v128.store(o, f64x2.add(v128.load(o), c10));
    v128.store(o, f64x2.add(v128.load(o, 16), c11), 16);
    o += stride;
    v128.store(o, f64x2.add(v128.load(o), c20));
    v128.store(o, f64x2.add(v128.load(o, 16), c21), 16);
    o += stride;
    v128.store(o, f64x2.add(v128.load(o), c30));
    v128.store(o, f64x2.add(v128.load(o, 16), c31), 16);
    return;
  }
  v128.store(tile, c00);
  v128.store(tile, c01, 16);
  v128.store(tile, c10, 32);
  v128.store(tile, c11, 48);
  v128.store(tile, c20, 64);
  v128.store(tile, c21, 80);
  v128.store(tile, c30, 96);
  v128.store(tile, c31, 112);
  for (let i = 0; i < mr; i++) {
    const row = c + (<usize>i) * stride;
    for (let j = 0; j < nr; j++) {
      const q = addr(row, j);
      store<f64>(q, load<f64>(q) + load<f64>(addr(tile, i * NR + j)));
    }
  }
}

/**
 * Accumulates `C ← C + α op(A) diag(s) op(B)` into the `m × n` block at `c` (`s` from `kScale`,
 * length `k`, or none when 0). With `lowerOnly` only micro-tiles meeting the lower triangle are
 * computed, the block's row `i` being row `rowOffset + i` of the whole matrix (a band of rows of a
 * symmetric product, `n ≥ rowOffset + m`; 0 for the whole of it); entries above the diagonal
 * inside diagonal tiles are partial and must be overwritten by the caller. Each entry's sum runs
 * over `k` in the same order whatever `m`, `n` and `rowOffset` are, so a product split into bands
 * of rows gives the same bits. `pa` holds `packedABufferLength()` doubles, `pb`
 * `packedBBufferLength(n, k)`, `tile` `MR · NR = 16`; all 16-byte aligned.
 */
export function packedProduct(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  lowerOnly: bool, kScale: usize, pa: usize, pb: usize, tile: usize, rowOffset: i32,
): void {
  if (m == 0 || n == 0 || k == 0 || alpha == 0.0) return;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(transB, b, ldb, pc, kc, jc, nc, pb);
      panelProduct(transA, m, jc, nc, pc, kc, alpha, a, lda, pb, c, ldc, lowerOnly, kScale, pa, tile, rowOffset);
    }
  }
}

/**
 * One packed panel of `op(B)` (rows `[pc, pc+kc)`, columns `[jc, jc+nc)`, at `pb`) against every
 * block of `MC` rows of `op(A)`: the body of {@link packedProduct}'s loops, shared with
 * {@link productOfPackedPanels}, so that both sum every entry in the same order.
 */
@inline
function panelProduct(
  transA: bool, m: i32, jc: i32, nc: i32, pc: i32, kc: i32, alpha: f64, a: usize, lda: i32, pb: usize, c: usize, ldc: i32,
  lowerOnly: bool, kScale: usize, pa: usize, tile: usize, rowOffset: i32,
): void {
  for (let ic = 0; ic < m; ic += MC) {
    const mc = min(MC, m - ic);
    if (lowerOnly && rowOffset + ic + mc <= jc) continue;
    packA(transA, a, lda, ic, mc, pc, kc, alpha, kScale, pa);
    for (let ir = 0; ir < mc; ir += MR) {
      const row0 = ic + ir;
      const mr = min(MR, mc - ir);
      const aStrip = addr(pa, ir * kc);
      const colEnd = lowerOnly ? min(nc, rowOffset + row0 + mr - jc) : nc;
      for (let jr = 0; jr < colEnd; jr += NR) {
        microKernel(kc, aStrip, addr(pb, jr * kc), addr(c, row0 * ldc + jc + jr), ldc, mr, min(NR, nc - jr), tile);
      }
    }
  }
}

/**
 * {@link packedProduct} with its buffers in one thread's `scratch`: the edge tile, the packed `A`
 * block, then the packed `B` panel ({@link panelScratchLength} + `packedBBufferLength(n, k)`
 * doubles, 16-byte aligned): the unit of work of the backend's threads when each takes a band of
 * rows and packs `op(B)` itself.
 */
export function productWithScratch(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f64, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  lowerOnly: bool, kScale: usize, rowOffset: i32, scratch: usize,
): void {
  const pa = addr(scratch, MR * NR);
  packedProduct(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc, lowerOnly, kScale, pa, addr(pa, MC * KC), scratch, rowOffset);
}

/** Doubles of every packed panel of an `op(B)` of `n` columns and depth `k` (see {@link packPanels}). */
export function packedPanelsLength(n: i32, k: i32): i32 {
  return k * (((n + NR - 1) / NR) * NR);
}

/** Doubles of the scratch of one thread of {@link productOfPackedPanels}: the edge tile, then the packed `A` block. */
export function panelScratchLength(): i32 {
  return MR * NR + MC * KC;
}

/**
 * Packs the panel of `op(B)` (`k × n`) at rows `[pc, pc+KC)` and columns `[jc, jc+NC)`, as
 * {@link packedProduct} packs it, into its place among all the panels at `panels`: the panels of
 * the column block `jc` (a multiple of `NC`) start at double `jc·k`, in the order of `pc` (a
 * multiple of `KC`), each `min(KC, k − pc) × ncp` with `ncp = min(NC, n − jc)` rounded up to `NR`
 * ({@link packedPanelsLength} doubles in all). The panels are independent: threads may pack them
 * in any order.
 */
export function packPanel(transB: bool, b: usize, ldb: i32, n: i32, k: i32, jc: i32, pc: i32, panels: usize): void {
  const nc = min(NC, n - jc);
  const ncp = ((nc + NR - 1) / NR) * NR;
  packB(transB, b, ldb, pc, min(KC, k - pc), jc, nc, addr(panels, jc * k + pc * ncp));
}

/** Columns of a panel of `op(B)` ({@link packPanel}): the unit of the column blocks of a threaded product. */
export function panelColumns(): i32 {
  return NC;
}

/** Rows of a panel of `op(B)` ({@link packPanel}). */
export function panelDepth(): i32 {
  return KC;
}

/**
 * {@link packedProduct} on the column blocks `[j0, j1)` of `C` (`j0` a multiple of `NC`) with the
 * panels of `op(B)` packed beforehand ({@link packPanel}, for an `op(B)` of `nAll` columns): the
 * unit of work of the backend's threads, which pack every panel once, then take blocks of rows
 * and columns of `C` in any order, on any thread. Every entry sums over `k` in the order of
 * {@link packedProduct}, so the bits do not depend on the blocks or on who computes them.
 * `scratch` holds {@link panelScratchLength} doubles (16-byte aligned).
 */
export function productOfPackedPanels(
  transA: bool, m: i32, j0: i32, j1: i32, k: i32, alpha: f64, a: usize, lda: i32, panels: usize, nAll: i32, c: usize, ldc: i32,
  lowerOnly: bool, kScale: usize, rowOffset: i32, scratch: usize,
): void {
  if (m == 0 || j1 <= j0 || k == 0 || alpha == 0.0) return;
  const tile = scratch;
  const pa = addr(scratch, MR * NR);
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    const ncp = ((min(NC, nAll - jc) + NR - 1) / NR) * NR;
    for (let pc = 0; pc < k; pc += KC) {
      panelProduct(transA, m, jc, nc, pc, min(KC, k - pc), alpha, a, lda, addr(panels, jc * k + pc * ncp), c, ldc, lowerOnly, kScale, pa, tile, rowOffset);
    }
  }
}

// The blocked tridiagonalisation of the backend's eigh (LAPACK dsytrd), whose trailing updates
// run through packedProduct above.
export { symmetricLowerProduct, tridiagonalPanel, tridiagonalTrailingUpdate } from './tridiagonal';

// The quadratic forms of the backend's quadraticForms (the column-blocked scheme, products computed directly).
export { quadraticFormRows, quadraticFormScratchLength } from './quadratic-forms';

// The Givens rotation chains of the SVD's bidiagonal QR iteration (the rotation log's pass).
export { rotationChains } from './rotation-chains';

// The fused row pass of the SVD's Householder bidiagonalisation (one step over the trailing rows).
export { bidiagonalRows } from './bidiagonal-rows';

// Blocked Householder bidiagonalisation of the SVD (LAPACK dgebrd, dlabrd).
export { bidiagonalPanel, bidiagonalTrailingUpdate } from './bidiagonal-panel';

// One reflector applied to the rows of a panel of the blocked QR (the tall SVD's QR step).
export { reflectRows } from './reflect-rows';

// The generator's normal deviates (Rng.fillNormal): xoshiro256**, the polar method, fdlibm's log.
export { naturalLogOf, normalDeviates } from './normal-deviates';
