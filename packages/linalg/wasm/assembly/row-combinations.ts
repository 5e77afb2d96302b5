/**
 * Dot products and combinations of rows in the module's memory, in `f64x2` SIMD with a fixed
 * summation order: the matrix–vector products (`dgemv`) of the Householder panels, LAPACK
 * `dlatrd` (`tridiagonal.ts`) and `dlabrd` (`bidiagonal-panel.ts`), over contiguous rows.
 */
import { addr } from './f64-rows';

/** `Σ_{i ∈ [start, end)} x[i] y[i]`, pairs of lanes then one scalar tail (a fixed order). */
export function dotRange(x: usize, y: usize, start: i32, end: i32): f64 {
  let acc = f64x2.splat(0.0);
  let i = start;
  for (; i + 1 < end; i += 2) acc = f64x2.add(acc, f64x2.mul(v128.load(addr(x, i)), v128.load(addr(y, i))));
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (i < end) s += load<f64>(addr(x, i)) * load<f64>(addr(y, i));
  return s;
}

/** `z[i] ← z[i] − (x[i]·α + y[i]·β)` for `i ∈ [start, end)`. */
export function subtractTwo(z: usize, x: usize, alpha: f64, y: usize, beta: f64, start: i32, end: i32): void {
  const av = f64x2.splat(alpha);
  const bv = f64x2.splat(beta);
  let i = start;
  for (; i + 1 < end; i += 2) {
    const p = addr(z, i);
    v128.store(p, f64x2.sub(v128.load(p), f64x2.add(f64x2.mul(v128.load(addr(x, i)), av), f64x2.mul(v128.load(addr(y, i)), bv))));
  }
  if (i < end) {
    const p = addr(z, i);
    store<f64>(p, load<f64>(p) - (load<f64>(addr(x, i)) * alpha + load<f64>(addr(y, i)) * beta));
  }
}

/**
 * `z[i] ← z[i] − Σ_{q<count} (x_q[i] α_q + y_q[i] β_q)` for `i ∈ [start, end)`, with rows
 * `x_q = x + q·ld`, `y_q = y + q·ld` and the scalars `α_q = alpha[q]`, `β_q = beta[q]`: the two
 * `dgemv` of the panel's corrections (`z ← z − X α − Y β`) in one pass over `z` per four `q`.
 */
export function subtractPairs(z: usize, x: usize, y: usize, ld: i32, alpha: usize, beta: usize, count: i32, start: i32, end: i32): void {
  const stride = (<usize>ld) << 3;
  let q = 0;
  for (; q + 3 < count; q += 4) {
    const x0 = x + (<usize>q) * stride;
    const x1 = x0 + stride;
    const x2 = x1 + stride;
    const x3 = x2 + stride;
    const y0 = y + (<usize>q) * stride;
    const y1 = y0 + stride;
    const y2 = y1 + stride;
    const y3 = y2 + stride;
    const a0 = load<f64>(addr(alpha, q));
    const a1 = load<f64>(addr(alpha, q + 1));
    const a2 = load<f64>(addr(alpha, q + 2));
    const a3 = load<f64>(addr(alpha, q + 3));
    const b0 = load<f64>(addr(beta, q));
    const b1 = load<f64>(addr(beta, q + 1));
    const b2 = load<f64>(addr(beta, q + 2));
    const b3 = load<f64>(addr(beta, q + 3));
    const A0 = f64x2.splat(a0);
    const A1 = f64x2.splat(a1);
    const A2 = f64x2.splat(a2);
    const A3 = f64x2.splat(a3);
    const B0 = f64x2.splat(b0);
    const B1 = f64x2.splat(b1);
    const B2 = f64x2.splat(b2);
    const B3 = f64x2.splat(b3);
    let i = start;
    for (; i + 1 < end; i += 2) {
      const o = (<usize>i) << 3;
      const s01 = f64x2.add(
        f64x2.add(f64x2.mul(v128.load(x0 + o), A0), f64x2.mul(v128.load(y0 + o), B0)),
        f64x2.add(f64x2.mul(v128.load(x1 + o), A1), f64x2.mul(v128.load(y1 + o), B1)),
      );
      const s23 = f64x2.add(
        f64x2.add(f64x2.mul(v128.load(x2 + o), A2), f64x2.mul(v128.load(y2 + o), B2)),
        f64x2.add(f64x2.mul(v128.load(x3 + o), A3), f64x2.mul(v128.load(y3 + o), B3)),
      );
      const p = z + o;
      v128.store(p, f64x2.sub(v128.load(p), f64x2.add(s01, s23)));
    }
    if (i < end) {
      const o = (<usize>i) << 3;
      const s01 = (load<f64>(x0 + o) * a0 + load<f64>(y0 + o) * b0) + (load<f64>(x1 + o) * a1 + load<f64>(y1 + o) * b1);
      const s23 = (load<f64>(x2 + o) * a2 + load<f64>(y2 + o) * b2) + (load<f64>(x3 + o) * a3 + load<f64>(y3 + o) * b3);
      const p = z + o;
      store<f64>(p, load<f64>(p) - (s01 + s23));
    }
  }
  for (; q < count; q++) {
    const o = (<usize>q) * stride;
    subtractTwo(z, x + o, load<f64>(addr(alpha, q)), y + o, load<f64>(addr(beta, q)), start, end);
  }
}

/**
 * `out[q] ← Σ_{i ∈ [start, end)} x_q[i] v[i]` for the rows `x_q = x + q·ld`, `q < count`
 * (`dgemv` with the transpose): four rows per pass over `v`, each row's sum in two lanes then a
 * scalar tail, as {@link dotRange}.
 */
export function dotRows(x: usize, ld: i32, count: i32, v: usize, start: i32, end: i32, out: usize): void {
  const stride = (<usize>ld) << 3;
  let q = 0;
  for (; q + 3 < count; q += 4) {
    const x0 = x + (<usize>q) * stride;
    const x1 = x0 + stride;
    const x2 = x1 + stride;
    const x3 = x2 + stride;
    let s0 = f64x2.splat(0.0);
    let s1 = f64x2.splat(0.0);
    let s2 = f64x2.splat(0.0);
    let s3 = f64x2.splat(0.0);
    let i = start;
    for (; i + 1 < end; i += 2) {
      const o = (<usize>i) << 3;
      const vv = v128.load(v + o);
      s0 = f64x2.add(s0, f64x2.mul(v128.load(x0 + o), vv));
      s1 = f64x2.add(s1, f64x2.mul(v128.load(x1 + o), vv));
      s2 = f64x2.add(s2, f64x2.mul(v128.load(x2 + o), vv));
      s3 = f64x2.add(s3, f64x2.mul(v128.load(x3 + o), vv));
    }
    let t0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    let t1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
    let t2 = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
    let t3 = f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1);
    if (i < end) {
      const o = (<usize>i) << 3;
      const vi = load<f64>(v + o);
      t0 += load<f64>(x0 + o) * vi;
      t1 += load<f64>(x1 + o) * vi;
      t2 += load<f64>(x2 + o) * vi;
      t3 += load<f64>(x3 + o) * vi;
    }
    store<f64>(addr(out, q), t0);
    store<f64>(addr(out, q + 1), t1);
    store<f64>(addr(out, q + 2), t2);
    store<f64>(addr(out, q + 3), t3);
  }
  for (; q < count; q++) store<f64>(addr(out, q), dotRange(x + (<usize>q) * stride, v, start, end));
}

/** `y[j] ← y[j] + s · x[j]` for `j ∈ [start, end)`, pairs of lanes then the tail. */
@inline
export function addScaledRange(y: usize, x: usize, s: f64, start: i32, end: i32): void {
  const sv = f64x2.splat(s);
  let j = start;
  for (; j + 1 < end; j += 2) {
    const p = addr(y, j);
    v128.store(p, f64x2.add(v128.load(p), f64x2.mul(sv, v128.load(addr(x, j)))));
  }
  if (j < end) {
    const p = addr(y, j);
    store<f64>(p, load<f64>(p) + s * load<f64>(addr(x, j)));
  }
}

/** `out[j] ← s · x[j]` for `j ∈ [start, end)` (`out` may be `x`). */
@inline
export function scaleRange(out: usize, x: usize, s: f64, start: i32, end: i32): void {
  const sv = f64x2.splat(s);
  let j = start;
  for (; j + 1 < end; j += 2) v128.store(addr(out, j), f64x2.mul(sv, v128.load(addr(x, j))));
  if (j < end) store<f64>(addr(out, j), s * load<f64>(addr(x, j)));
}
