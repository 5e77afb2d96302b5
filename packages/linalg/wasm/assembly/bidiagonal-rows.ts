/**
 * The fused pass of one step of the SVD's Householder bidiagonalisation over the trailing rows,
 * for the `wasm-simd` backend: `bidiagonalRowsKernel` of `src/decompositions/bidiagonalize.ts`
 * with the same arithmetic in the same order, so that the reduction has that kernel's bits.
 *
 * Step `j` (`c0 = j + 1`, `len = n − c0`), for each row `i ≥ c0` of the row-major `m × n` `w` on
 * columns `c0 …`: `a' = a − v_i z`, `s_i = τ_R (a'_0 + (σ_odd + σ_even))` with `σ_odd`, `σ_even`
 * the sums of `a'_l u_l` over odd and even `l ≥ 1` (the two lanes of an `f64x2` register, each
 * in increasing `l`), `a'' = a' − s_i u`, and for rows `i > c0`, `y[c0 + l] += x_i a''_l` with
 * `x_i = a''_0` (four rows at a time, summed over the rows in increasing `i`). `u` is row `j`
 * (`u_0 = 1` implicit). Byte addresses: `w` (`m × n`), `v` (`m`), `z` and `y` (`n`).
 */

import { addr, subtractScaledTail } from './f64-rows';

/**
 * Stores `a'_l = w[a + l] − vi z[c0 + l]` for `l = 1 … len − 1` and returns `σ_odd + σ_even`
 * against `u_l = w[rj + l]` (lane 0 of the sums takes odd `l`, lane 1 even `l`).
 */
@inline
function updatedDot(a: usize, vi: f64, z: usize, u: usize, len: i32): f64 {
  const vv = f64x2.splat(vi);
  let sums = f64x2.splat(0.0);
  let l = 1;
  for (; l + 1 < len; l += 2) {
    const p = addr(a, l);
    const q = f64x2.sub(v128.load(p), f64x2.mul(vv, v128.load(addr(z, l))));
    v128.store(p, q);
    sums = f64x2.add(sums, f64x2.mul(q, v128.load(addr(u, l))));
  }
  let odd = f64x2.extract_lane(sums, 0);
  if (l < len) {
    const p = addr(a, l);
    const q = load<f64>(p) - vi * load<f64>(addr(z, l));
    store<f64>(p, q);
    odd += q * load<f64>(addr(u, l));
  }
  return odd + f64x2.extract_lane(sums, 1);
}

/** The fused pass of step `j` (see the top of the file). */
export function bidiagonalRows(m: i32, n: i32, j: i32, w: usize, v: usize, z: usize, y: usize, tr: f64): void {
  const c0 = j + 1;
  const len = n - c0;
  const u = addr(w, j * n + c0);
  const zc = addr(z, c0);
  const yc = addr(y, c0);
  for (let l = 0; l < len; l++) store<f64>(addr(yc, l), 0.0);
  {
    const a = addr(w, c0 * n + c0);
    const vi = load<f64>(addr(v, c0));
    let p0 = load<f64>(a) - vi * load<f64>(zc);
    const s0 = tr * (p0 + updatedDot(a, vi, zc, u, len));
    p0 -= s0;
    store<f64>(a, p0);
    subtractScaledTail(a, s0, u, len);
  }
  const z0 = load<f64>(zc);
  let i = c0 + 1;
  for (; i + 3 < m; i += 4) {
    const a0 = addr(w, i * n + c0);
    const a1 = addr(a0, n);
    const a2 = addr(a1, n);
    const a3 = addr(a2, n);
    const v0 = load<f64>(addr(v, i));
    const v1 = load<f64>(addr(v, i + 1));
    const v2 = load<f64>(addr(v, i + 2));
    const v3 = load<f64>(addr(v, i + 3));
    let x0 = load<f64>(a0) - v0 * z0;
    let x1 = load<f64>(a1) - v1 * z0;
    let x2 = load<f64>(a2) - v2 * z0;
    let x3 = load<f64>(a3) - v3 * z0;
    const s0 = tr * (x0 + updatedDot(a0, v0, zc, u, len));
    const s1 = tr * (x1 + updatedDot(a1, v1, zc, u, len));
    const s2 = tr * (x2 + updatedDot(a2, v2, zc, u, len));
    const s3 = tr * (x3 + updatedDot(a3, v3, zc, u, len));
    x0 -= s0;
    x1 -= s1;
    x2 -= s2;
    x3 -= s3;
    store<f64>(a0, x0);
    store<f64>(a1, x1);
    store<f64>(a2, x2);
    store<f64>(a3, x3);
    const ss0 = f64x2.splat(s0);
    const ss1 = f64x2.splat(s1);
    const ss2 = f64x2.splat(s2);
    const ss3 = f64x2.splat(s3);
    const xx0 = f64x2.splat(x0);
    const xx1 = f64x2.splat(x1);
    const xx2 = f64x2.splat(x2);
    const xx3 = f64x2.splat(x3);
    let l = 1;
    for (; l + 1 < len; l += 2) {
      const ul = v128.load(addr(u, l));
      const p0 = addr(a0, l);
      const p1 = addr(a1, l);
      const p2 = addr(a2, l);
      const p3 = addr(a3, l);
      const q0 = f64x2.sub(v128.load(p0), f64x2.mul(ss0, ul));
      const q1 = f64x2.sub(v128.load(p1), f64x2.mul(ss1, ul));
      const q2 = f64x2.sub(v128.load(p2), f64x2.mul(ss2, ul));
      const q3 = f64x2.sub(v128.load(p3), f64x2.mul(ss3, ul));
      v128.store(p0, q0);
      v128.store(p1, q1);
      v128.store(p2, q2);
      v128.store(p3, q3);
      const py = addr(yc, l);
      let acc = f64x2.add(v128.load(py), f64x2.mul(xx0, q0));
      acc = f64x2.add(acc, f64x2.mul(xx1, q1));
      acc = f64x2.add(acc, f64x2.mul(xx2, q2));
      acc = f64x2.add(acc, f64x2.mul(xx3, q3));
      v128.store(py, acc);
    }
    if (l < len) {
      const ul = load<f64>(addr(u, l));
      const q0 = load<f64>(addr(a0, l)) - s0 * ul;
      const q1 = load<f64>(addr(a1, l)) - s1 * ul;
      const q2 = load<f64>(addr(a2, l)) - s2 * ul;
      const q3 = load<f64>(addr(a3, l)) - s3 * ul;
      store<f64>(addr(a0, l), q0);
      store<f64>(addr(a1, l), q1);
      store<f64>(addr(a2, l), q2);
      store<f64>(addr(a3, l), q3);
      const py = addr(yc, l);
      store<f64>(py, load<f64>(py) + x0 * q0 + x1 * q1 + x2 * q2 + x3 * q3);
    }
  }
  for (; i < m; i++) {
    const a = addr(w, i * n + c0);
    const vi = load<f64>(addr(v, i));
    let x0 = load<f64>(a) - vi * z0;
    const s0 = tr * (x0 + updatedDot(a, vi, zc, u, len));
    x0 -= s0;
    store<f64>(a, x0);
    const ss = f64x2.splat(s0);
    const xx = f64x2.splat(x0);
    let l = 1;
    for (; l + 1 < len; l += 2) {
      const p = addr(a, l);
      const q = f64x2.sub(v128.load(p), f64x2.mul(ss, v128.load(addr(u, l))));
      v128.store(p, q);
      const py = addr(yc, l);
      v128.store(py, f64x2.add(v128.load(py), f64x2.mul(xx, q)));
    }
    if (l < len) {
      const p = addr(a, l);
      const q = load<f64>(p) - s0 * load<f64>(addr(u, l));
      store<f64>(p, q);
      const py = addr(yc, l);
      store<f64>(py, load<f64>(py) + x0 * q);
    }
  }
}
