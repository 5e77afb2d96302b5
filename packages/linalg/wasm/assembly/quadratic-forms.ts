/**
 * The quadratic forms `f_i = x_iᵀ A x_i` of rows of `X`, for the `wasm-simd` backend's
 * `quadraticForms`: the column-blocked scheme of the TypeScript kernel
 * (`src/kernels/quadratic-forms-kernel.ts`, `blockedQuadraticFormsKernel`) with its products on
 * `packedProduct`, the same arithmetic in the same order, so that the forms have the bits of that
 * kernel on the reference `gemm` (whose bits `packedProduct` shares).
 *
 * The host builds the coefficient panels once (`V_p`, `e_p × w_p` row-major for the column block
 * `p` = `[s_p, e_p)`, `s_p = p · width`, the last block narrower, the panels one after the other)
 * and may split the rows among threads: each row's form depends on that row alone.
 */
import { packedProduct, scaleBlock } from './index';

/** Rows of `X` per block (`QUADRATIC_FORMS_ROW_BLOCK` of the TypeScript kernel; only the memory use depends on it). */
const ROW_BLOCK: i32 = 256;

@inline
function addr(base: usize, index: i32): usize {
  return base + ((<usize>index) << 3);
}

/** Doubles of scratch `xt` needs (`ROW_BLOCK · d`); `product` needs `ROW_BLOCK · width`. */
export function quadraticFormRowBlock(): i32 {
  return ROW_BLOCK;
}

/**
 * `f_i = x_iᵀ A x_i` for rows `r0 ≤ i < r1` of `X` (row-major, `d` columns, at `x`), written to
 * `f[i]`. Rows go in blocks of 256 from `r0`: a block is transposed into `xt` (`d × rb`), each
 * column block `p` is one product `P = X[rows, 0:e_p] V_p` (`packedProduct` on the transposed
 * block, into `product`, `rb × w_p`), and `f_i = Σ_p Σ_j P[i][j] x_{i, s_p + j}`, the sum over `j`
 * first (from 0), then added to `f_i` block by block in order of `p`. Scratch: `pa`, `pb` and
 * `tile` as `packedProduct` needs them (`pb`: `packedBBufferLength(width, d)`), all 16-byte aligned.
 */
export function quadraticFormRows(
  r0: i32, r1: i32, d: i32, width: i32, x: usize, panels: usize, f: usize,
  xt: usize, product: usize, pa: usize, pb: usize, tile: usize,
): void {
  for (let b0 = r0; b0 < r1; b0 += ROW_BLOCK) {
    const rb = min(ROW_BLOCK, r1 - b0);
    for (let i = 0; i < rb; i++) {
      const src = addr(x, (b0 + i) * d);
      for (let k = 0; k < d; k++) store<f64>(addr(xt, k * rb + i), load<f64>(addr(src, k)));
      store<f64>(addr(f, b0 + i), 0.0);
    }
    let offset: i32 = 0;
    for (let s = 0; s < d; s += width) {
      const bw = min(width, d - s);
      const e = s + bw;
      scaleBlock(rb, bw, 0.0, product, bw, false);
      packedProduct(true, false, rb, bw, e, 1.0, xt, rb, addr(panels, offset), bw, product, bw, false, 0, pa, pb, tile, 0);
      for (let i = 0; i < rb; i++) {
        const o = addr(product, i * bw);
        const q = addr(x, (b0 + i) * d + s);
        let acc: f64 = 0.0;
        for (let j = 0; j < bw; j++) acc += load<f64>(addr(o, j)) * load<f64>(addr(q, j));
        const fi = addr(f, b0 + i);
        store<f64>(fi, load<f64>(fi) + acc);
      }
      offset += e * bw;
    }
  }
}
