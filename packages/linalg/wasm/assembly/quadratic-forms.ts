/**
 * The quadratic forms `f_i = x_iᵀ A x_i` of rows of `X`, for the `wasm-simd` backend's
 * `quadraticForms`: the column-blocked scheme of the TypeScript kernel
 * (`src/kernels/quadratic-forms-kernel.ts`, `blockedQuadraticFormsKernel`) with the same arithmetic
 * in the same order, so that the forms have the bits of that kernel on the reference `gemm`.
 *
 * The host builds the coefficient panels once (`V_p`, `e_p × w_p` row-major for the column block
 * `p` = `[s_p, e_p)`, `s_p = p · width`, the last block narrower, the panels one after the other)
 * and may split the rows among threads: each row's form depends on that row alone.
 *
 * The products `P_p = X[i, 0:e_p] V_p` are computed here directly rather than by `packedProduct`:
 * `V_p` (at most a few kilobytes) stays in cache, and two rows of `X` at a time meet eight columns
 * of `V_p` in eight `f64x2` sums, with no packing. Each entry is still summed as the packed
 * product sums it: over `r` in order from `+0`, in chunks of `KC = 256` terms, each chunk's sum
 * added to the entry (which starts at `+0`) in order, so the bits are those of every `gemm` kernel of
 * the package.
 */

import { addr } from './f64-rows';

/** The depth of a chunk of the reduction (`KC` of the packed product and of the reference engine). */
const KC: i32 = 256;

/** Doubles of scratch `quadraticFormRows` needs for blocks `width` columns wide. */
export function quadraticFormScratchLength(width: i32): i32 {
  return 2 * width;
}

/**
 * `p0[j..j+8) += Σ_{r ∈ [c0, c1)} x0[r] V[r][j..j+8)` and the same for `x1` into `p1`, each chunk sum
 * from `+0` in order of `r` (`V` row-major with `bw` columns).
 */
@inline
function columns8(x0: usize, x1: usize, v: usize, bw: i32, j: i32, c0: i32, c1: i32, p0: usize, p1: usize): void {
  let a0 = f64x2.splat(0.0);
  let a1 = f64x2.splat(0.0);
  let a2 = f64x2.splat(0.0);
  let a3 = f64x2.splat(0.0);
  let b0 = f64x2.splat(0.0);
  let b1 = f64x2.splat(0.0);
  let b2 = f64x2.splat(0.0);
  let b3 = f64x2.splat(0.0);
  for (let r = c0; r < c1; r++) {
    const row = addr(v, r * bw + j);
    const u0 = f64x2.splat(load<f64>(addr(x0, r)));
    const u1 = f64x2.splat(load<f64>(addr(x1, r)));
    const v0 = v128.load(row);
    const v1 = v128.load(row, 16);
    const v2 = v128.load(row, 32);
    const v3 = v128.load(row, 48);
    a0 = f64x2.add(a0, f64x2.mul(u0, v0));
    a1 = f64x2.add(a1, f64x2.mul(u0, v1));
    a2 = f64x2.add(a2, f64x2.mul(u0, v2));
    a3 = f64x2.add(a3, f64x2.mul(u0, v3));
    b0 = f64x2.add(b0, f64x2.mul(u1, v0));
    b1 = f64x2.add(b1, f64x2.mul(u1, v1));
    b2 = f64x2.add(b2, f64x2.mul(u1, v2));
    b3 = f64x2.add(b3, f64x2.mul(u1, v3));
  }
  const q0 = addr(p0, j);
  const q1 = addr(p1, j);
  v128.store(q0, f64x2.add(v128.load(q0), a0));
  v128.store(q0, f64x2.add(v128.load(q0, 16), a1), 16);
  v128.store(q0, f64x2.add(v128.load(q0, 32), a2), 32);
  v128.store(q0, f64x2.add(v128.load(q0, 48), a3), 48);
  v128.store(q1, f64x2.add(v128.load(q1), b0));
  v128.store(q1, f64x2.add(v128.load(q1, 16), b1), 16);
  v128.store(q1, f64x2.add(v128.load(q1, 32), b2), 32);
  v128.store(q1, f64x2.add(v128.load(q1, 48), b3), 48);
}

/** {@link columns8} for two columns. */
@inline
function columns2(x0: usize, x1: usize, v: usize, bw: i32, j: i32, c0: i32, c1: i32, p0: usize, p1: usize): void {
  let a0 = f64x2.splat(0.0);
  let b0 = f64x2.splat(0.0);
  for (let r = c0; r < c1; r++) {
    const v0 = v128.load(addr(v, r * bw + j));
    a0 = f64x2.add(a0, f64x2.mul(f64x2.splat(load<f64>(addr(x0, r))), v0));
    b0 = f64x2.add(b0, f64x2.mul(f64x2.splat(load<f64>(addr(x1, r))), v0));
  }
  const q0 = addr(p0, j);
  const q1 = addr(p1, j);
  v128.store(q0, f64x2.add(v128.load(q0), a0));
  v128.store(q1, f64x2.add(v128.load(q1), b0));
}

/** {@link columns8} for one column. */
@inline
function columns1(x0: usize, x1: usize, v: usize, bw: i32, j: i32, c0: i32, c1: i32, p0: usize, p1: usize): void {
  let a: f64 = 0.0;
  let b: f64 = 0.0;
  for (let r = c0; r < c1; r++) {
    const vr = load<f64>(addr(v, r * bw + j));
    a += load<f64>(addr(x0, r)) * vr;
    b += load<f64>(addr(x1, r)) * vr;
  }
  store<f64>(addr(p0, j), load<f64>(addr(p0, j)) + a);
  store<f64>(addr(p1, j), load<f64>(addr(p1, j)) + b);
}

/** `f += Σ_j P[j] x[j]` for `j < bw`, the sum over `j` from `+0` in order, then added to `f`. */
@inline
function accumulate(f: usize, p: usize, x: usize, bw: i32): void {
  let acc: f64 = 0.0;
  for (let j = 0; j < bw; j++) acc += load<f64>(addr(p, j)) * load<f64>(addr(x, j));
  store<f64>(f, load<f64>(f) + acc);
}

/**
 * `f_i = x_iᵀ A x_i` for rows `r0 ≤ i < r1` of `X` (row-major, `d` columns, at `x`), written to
 * `f[i]`: two rows at a time (the last alone), for each column block `p` in order the products
 * `P = x_i V_p` into `scratch` (`2 · width` doubles), then `f_i += Σ_j P[j] x_{i, s_p + j}`.
 */
export function quadraticFormRows(r0: i32, r1: i32, d: i32, width: i32, x: usize, panels: usize, f: usize, scratch: usize): void {
  const p0 = scratch;
  const p1 = addr(scratch, width);
  for (let i = r0; i < r1; i += 2) {
    const pair = i + 1 < r1;
    const x0 = addr(x, i * d);
    const x1 = pair ? addr(x0, d) : x0;
    const f0 = addr(f, i);
    store<f64>(f0, 0.0);
    if (pair) store<f64>(addr(f0, 1), 0.0);
    let offset: i32 = 0;
    for (let s = 0; s < d; s += width) {
      const bw = min(width, d - s);
      const e = s + bw;
      const v = addr(panels, offset);
      for (let j = 0; j < bw; j++) {
        store<f64>(addr(p0, j), 0.0);
        store<f64>(addr(p1, j), 0.0);
      }
      for (let c0 = 0; c0 < e; c0 += KC) {
        const c1 = min(e, c0 + KC);
        let j = 0;
        for (; j + 8 <= bw; j += 8) columns8(x0, x1, v, bw, j, c0, c1, p0, p1);
        for (; j + 2 <= bw; j += 2) columns2(x0, x1, v, bw, j, c0, c1, p0, p1);
        if (j < bw) columns1(x0, x1, v, bw, j, c0, c1, p0, p1);
      }
      accumulate(f0, p0, addr(x0, s), bw);
      if (pair) accumulate(addr(f0, 1), p1, addr(x1, s), bw);
      offset += e * bw;
    }
  }
}
