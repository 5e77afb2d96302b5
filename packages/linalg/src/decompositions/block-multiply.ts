/**
 * Cache-blocked, register-tiled dense product used inside the symmetric eigensolver (the
 * divide-and-conquer merges, the Householder back-transformation and the PSD projection).
 * Internal: not exported from the package index, and it does not go through the backend so that
 * the decompositions stay free of import cycles.
 *
 * @packageDocumentation
 */

/** Depth of a packed panel (rows of B / columns of A kept hot in cache). */
const KC = 256;
/** Rows of A packed at a time. */
const MC = 64;
/** Columns of B packed at a time. */
const NC = 1024;

let packedA = new Float64Array(MC * KC);
let packedB = new Float64Array(KC * NC);
const edge = new Float64Array(16);

/**
 * Dense product $C \leftarrow \alpha A B + \beta C$ on row-major sub-arrays (unchecked kernel).
 *
 * `A` is `m × k` at `a[aOffset + i·lda + p]`, `B` is `k × n` at `b[bOffset + p·ldb + j]`, `C` is
 * `m × n` at `c[cOffset + i·ldc + j]`. `C` must not overlap `A` or `B`. With `beta = 0` the old
 * contents of `C` are ignored (NaN included). Blocks of `KC × NC` of B and `MC × KC` of A are
 * packed and multiplied by a 4 × 4 register tile.
 *
 * @param m - rows of A and C.
 * @param n - columns of B and C.
 * @param k - columns of A, rows of B.
 * @param alpha - scale $\alpha$ of the product.
 * @param a - storage of A.
 * @param aOffset - index of $A_{00}$.
 * @param lda - row stride of A.
 * @param b - storage of B.
 * @param bOffset - index of $B_{00}$.
 * @param ldb - row stride of B.
 * @param beta - scale $\beta$ of the old C.
 * @param c - storage of C.
 * @param cOffset - index of $C_{00}$.
 * @param ldc - row stride of C.
 */
export function multiplyBlocked(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOffset: number,
  lda: number,
  b: Float64Array,
  bOffset: number,
  ldb: number,
  beta: number,
  c: Float64Array,
  cOffset: number,
  ldc: number,
): void {
  if (m <= 0 || n <= 0) return;
  if (beta !== 1) {
    for (let i = 0; i < m; i++) {
      const r = cOffset + i * ldc;
      if (beta === 0) c.fill(0, r, r + n);
      else for (let j = 0; j < n; j++) c[r + j] = beta * c[r + j]!;
    }
  }
  if (k <= 0 || alpha === 0) return;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const nPanels = (nc + 3) >> 2;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packPanelsOfB(b, bOffset + pc * ldb + jc, ldb, kc, nc, nPanels);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        const mPanels = (mc + 3) >> 2;
        packPanelsOfA(a, aOffset + ic * lda + pc, lda, kc, mc, mPanels, alpha);
        for (let jp = 0; jp < nPanels; jp++) {
          const width = Math.min(4, nc - 4 * jp);
          for (let ip = 0; ip < mPanels; ip++) {
            const height = Math.min(4, mc - 4 * ip);
            microKernel(kc, ip * kc * 4, jp * kc * 4, c, cOffset + (ic + 4 * ip) * ldc + jc + 4 * jp, ldc, height, width);
          }
        }
      }
    }
  }
}

/** Packs `kc × nc` of B into panels of 4 columns, `packedB[panel·kc·4 + p·4 + q]`, zero-padded. */
function packPanelsOfB(b: Float64Array, start: number, ldb: number, kc: number, nc: number, nPanels: number): void {
  if (packedB.length < kc * nPanels * 4) packedB = new Float64Array(kc * nPanels * 4);
  const pb = packedB;
  for (let jp = 0; jp < nPanels; jp++) {
    const width = Math.min(4, nc - 4 * jp);
    const base = jp * kc * 4;
    let src = start + 4 * jp;
    if (width === 4) {
      for (let p = 0; p < kc; p++, src += ldb) {
        const dst = base + 4 * p;
        pb[dst] = b[src]!;
        pb[dst + 1] = b[src + 1]!;
        pb[dst + 2] = b[src + 2]!;
        pb[dst + 3] = b[src + 3]!;
      }
    } else {
      for (let p = 0; p < kc; p++, src += ldb) {
        const dst = base + 4 * p;
        for (let q = 0; q < 4; q++) pb[dst + q] = q < width ? b[src + q]! : 0;
      }
    }
  }
}

/** Packs `mc × kc` of αA into panels of 4 rows, `packedA[panel·kc·4 + p·4 + r]`, zero-padded. */
function packPanelsOfA(
  a: Float64Array,
  start: number,
  lda: number,
  kc: number,
  mc: number,
  mPanels: number,
  alpha: number,
): void {
  if (packedA.length < kc * mPanels * 4) packedA = new Float64Array(kc * mPanels * 4);
  const pa = packedA;
  for (let ip = 0; ip < mPanels; ip++) {
    const base = ip * kc * 4;
    for (let r = 0; r < 4; r++) {
      const row = 4 * ip + r;
      if (row < mc) {
        const src = start + row * lda;
        if (alpha === 1) for (let p = 0; p < kc; p++) pa[base + 4 * p + r] = a[src + p]!;
        else for (let p = 0; p < kc; p++) pa[base + 4 * p + r] = alpha * a[src + p]!;
      } else {
        for (let p = 0; p < kc; p++) pa[base + 4 * p + r] = 0;
      }
    }
  }
}

/** Adds the 4 × 4 product of one packed A panel and one packed B panel into C (clipped at edges). */
function microKernel(
  kc: number,
  aBase: number,
  bBase: number,
  c: Float64Array,
  cStart: number,
  ldc: number,
  height: number,
  width: number,
): void {
  const pa = packedA;
  const pb = packedB;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const ap = aBase + 4 * p;
    const bp = bBase + 4 * p;
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
  if (height === 4 && width === 4) {
    let r = cStart;
    c[r] = c[r]! + c00; c[r + 1] = c[r + 1]! + c01; c[r + 2] = c[r + 2]! + c02; c[r + 3] = c[r + 3]! + c03;
    r += ldc;
    c[r] = c[r]! + c10; c[r + 1] = c[r + 1]! + c11; c[r + 2] = c[r + 2]! + c12; c[r + 3] = c[r + 3]! + c13;
    r += ldc;
    c[r] = c[r]! + c20; c[r + 1] = c[r + 1]! + c21; c[r + 2] = c[r + 2]! + c22; c[r + 3] = c[r + 3]! + c23;
    r += ldc;
    c[r] = c[r]! + c30; c[r + 1] = c[r + 1]! + c31; c[r + 2] = c[r + 2]! + c32; c[r + 3] = c[r + 3]! + c33;
    return;
  }
  edge[0] = c00; edge[1] = c01; edge[2] = c02; edge[3] = c03;
  edge[4] = c10; edge[5] = c11; edge[6] = c12; edge[7] = c13;
  edge[8] = c20; edge[9] = c21; edge[10] = c22; edge[11] = c23;
  edge[12] = c30; edge[13] = c31; edge[14] = c32; edge[15] = c33;
  for (let r = 0; r < height; r++) {
    for (let q = 0; q < width; q++) c[cStart + r * ldc + q] = c[cStart + r * ldc + q]! + edge[4 * r + q]!;
  }
}
