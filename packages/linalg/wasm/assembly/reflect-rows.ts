/**
 * One Householder reflector applied from the right to rows of a row-major array, for the panels of
 * the `wasm-simd` backend's blocked QR: `reflectRowsKernel` of `src/decompositions/qr.ts` with the
 * same arithmetic in the same order, so that the factorisation has that kernel's bits.
 *
 * For each row `x` (the segment of `len` entries at column `c0`): `s = τ (x_0 + Σ_{l ≥ 1} x_l v_l)`,
 * the sum taken in increasing `l` from `x_0`, then `x_0 −= s` and `x_l −= s v_l` (`v_0 = 1`
 * implicit). SIMD keeps each row's sum in order: the two lanes of an `f64x2` accumulator hold two
 * rows, and the products `x_l v_l`, `x_{l+1} v_{l+1}` of a pair of rows (loaded two entries at a
 * time) are regrouped by lane before they are added, one `l` after the other. Eight rows at a time
 * give four independent accumulators. Byte addresses: `x` (row stride `ld` doubles), `v` (the
 * address of `v_0`).
 */

import { addr, subtractScaledTail } from './f64-rows';

/** `(p[0], q[0])`. */
@inline
function firstOfPair(p: usize, q: usize): v128 {
  return f64x2.replace_lane(f64x2.splat(load<f64>(p)), 1, load<f64>(q));
}

/** `acc + (p_l v_l, q_l v_l)` then `+ (p_{l+1} v_{l+1}, q_{l+1} v_{l+1})`, from two-entry loads. */
@inline
function addPairTerms(acc: v128, p: usize, q: usize, vv: v128, l: i32): v128 {
  const pp = f64x2.mul(v128.load(addr(p, l)), vv);
  const qq = f64x2.mul(v128.load(addr(q, l)), vv);
  return f64x2.add(f64x2.add(acc, v128.shuffle<f64>(pp, qq, 0, 2)), v128.shuffle<f64>(pp, qq, 1, 3));
}

/** `acc + (p_l v_l, q_l v_l)` for one `l`. */
@inline
function addPairTerm(acc: v128, p: usize, q: usize, v: usize, l: i32): v128 {
  return f64x2.add(acc, f64x2.mul(firstOfPair(addr(p, l), addr(q, l)), f64x2.splat(load<f64>(addr(v, l)))));
}

/** `x_0 −= s`, `x_l −= s v_l` for `l = 1 … len − 1`. */
@inline
function subtractScaled(x: usize, s: f64, v: usize, len: i32): void {
  store<f64>(x, load<f64>(x) - s);
  subtractScaledTail(x, s, v, len);
}

/** Applies the reflector to rows `r0 ≤ r < r1` (see the top of the file). */
export function reflectRows(x: usize, ld: i32, r0: i32, r1: i32, c0: i32, len: i32, v: usize, tau: f64): void {
  if (tau == 0.0 || len == 0) return;
  const stride = (<usize>ld) << 3;
  const tt = f64x2.splat(tau);
  let r = r0;
  for (; r + 7 < r1; r += 8) {
    const a0 = addr(x, r * ld + c0);
    const a1 = a0 + stride;
    const a2 = a1 + stride;
    const a3 = a2 + stride;
    const a4 = a3 + stride;
    const a5 = a4 + stride;
    const a6 = a5 + stride;
    const a7 = a6 + stride;
    let s01 = firstOfPair(a0, a1);
    let s23 = firstOfPair(a2, a3);
    let s45 = firstOfPair(a4, a5);
    let s67 = firstOfPair(a6, a7);
    let l = 1;
    for (; l + 1 < len; l += 2) {
      const vv = v128.load(addr(v, l));
      s01 = addPairTerms(s01, a0, a1, vv, l);
      s23 = addPairTerms(s23, a2, a3, vv, l);
      s45 = addPairTerms(s45, a4, a5, vv, l);
      s67 = addPairTerms(s67, a6, a7, vv, l);
    }
    if (l < len) {
      s01 = addPairTerm(s01, a0, a1, v, l);
      s23 = addPairTerm(s23, a2, a3, v, l);
      s45 = addPairTerm(s45, a4, a5, v, l);
      s67 = addPairTerm(s67, a6, a7, v, l);
    }
    s01 = f64x2.mul(s01, tt);
    s23 = f64x2.mul(s23, tt);
    s45 = f64x2.mul(s45, tt);
    s67 = f64x2.mul(s67, tt);
    subtractScaled(a0, f64x2.extract_lane(s01, 0), v, len);
    subtractScaled(a1, f64x2.extract_lane(s01, 1), v, len);
    subtractScaled(a2, f64x2.extract_lane(s23, 0), v, len);
    subtractScaled(a3, f64x2.extract_lane(s23, 1), v, len);
    subtractScaled(a4, f64x2.extract_lane(s45, 0), v, len);
    subtractScaled(a5, f64x2.extract_lane(s45, 1), v, len);
    subtractScaled(a6, f64x2.extract_lane(s67, 0), v, len);
    subtractScaled(a7, f64x2.extract_lane(s67, 1), v, len);
  }
  for (; r + 1 < r1; r += 2) {
    const a0 = addr(x, r * ld + c0);
    const a1 = a0 + stride;
    let s01 = firstOfPair(a0, a1);
    let l = 1;
    for (; l + 1 < len; l += 2) s01 = addPairTerms(s01, a0, a1, v128.load(addr(v, l)), l);
    if (l < len) s01 = addPairTerm(s01, a0, a1, v, l);
    s01 = f64x2.mul(s01, tt);
    subtractScaled(a0, f64x2.extract_lane(s01, 0), v, len);
    subtractScaled(a1, f64x2.extract_lane(s01, 1), v, len);
  }
  if (r < r1) {
    const a0 = addr(x, r * ld + c0);
    let s = load<f64>(a0);
    for (let l = 1; l < len; l++) s += load<f64>(addr(a0, l)) * load<f64>(addr(v, l));
    subtractScaled(a0, s * tau, v, len);
  }
}
