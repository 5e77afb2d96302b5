/**
 * The Givens rotation chains of the bidiagonal QR iteration, applied to the SVD's factor `U_B`
 * or `V_B`: the `applyTo` pass of the TypeScript `RotationLog`
 * (`src/decompositions/rotation-log.ts`) with the same arithmetic in the same order, so that the
 * factors have that pass's bits.
 *
 * A chain on columns `lo … hi` maps, for each `j` in order (forward: `j = lo … hi − 1`; backward:
 * `j = hi − 1 … lo`), the column pair `(x, y) = (x_j, x_{j+1})` to `(c x + s y, c y − s x)`
 * (LAPACK `dlasr`, pivot 'V'). Rows are independent, so the rows pass through every logged chain
 * four at a time. The four rows are first interleaved into a scratch buffer (`t[j·4 + q]` is row
 * `q`'s column `j`), so that two `f64x2` registers hold one column of the four rows: the scalar
 * pass's four dependency chains per chain become two vector ones, with the same products and
 * sums per entry (a multiply–add of WebAssembly SIMD is a product then a sum, as in JavaScript).
 * The bounds of the nonzero columns of each row (`firsts`, `lasts`) skip the parts of a row where
 * a chain's carry is still exactly zero and are updated, as in the scalar pass.
 *
 * Layout (byte addresses): `x` is `rows × n` row-major; chain `op` has columns `lo[op] … hi[op]`
 * (`i32`), its rotations at `cs`, `sn` from index `off[op]` (`i32`, rotation `j` of the chain at
 * `off[op] + j − lo[op]`), and `forward[op]` (`i32`, 1 or 0); `firsts`, `lasts` are `i32` per row;
 * `scratch` holds `4 n` doubles.
 */

import { addr } from './f64-rows';

@inline
function word(base: usize, index: i32): i32 {
  return load<i32>(base + ((<usize>index) << 2));
}

/** Column `j` of the interleaved four rows: two vectors, rows 0–1 at `+0` and rows 2–3 at `+16`. */
@inline
function column(t: usize, j: i32): usize {
  return t + ((<usize>j) << 5);
}

/** A forward chain on the interleaved rows for `j = j0 … hi − 1` (the scalar `forwardChain4`). */
function forwardChain4(t: usize, j0: i32, hi: i32, cs: usize, sn: usize, base: i32): void {
  let x0 = v128.load(column(t, j0));
  let x1 = v128.load(column(t, j0), 16);
  for (let j = j0; j < hi; j++) {
    const c = f64x2.splat(load<f64>(addr(cs, base + j)));
    const s = f64x2.splat(load<f64>(addr(sn, base + j)));
    const next = column(t, j + 1);
    const y0 = v128.load(next);
    const y1 = v128.load(next, 16);
    const here = column(t, j);
    v128.store(here, f64x2.add(f64x2.mul(c, x0), f64x2.mul(s, y0)));
    v128.store(here, f64x2.add(f64x2.mul(c, x1), f64x2.mul(s, y1)), 16);
    x0 = f64x2.sub(f64x2.mul(c, y0), f64x2.mul(s, x0));
    x1 = f64x2.sub(f64x2.mul(c, y1), f64x2.mul(s, x1));
  }
  v128.store(column(t, hi), x0);
  v128.store(column(t, hi), x1, 16);
}

/** A backward chain on the interleaved rows for `j = j1 … lo` (the scalar `backwardChain4`). */
function backwardChain4(t: usize, lo: i32, j1: i32, cs: usize, sn: usize, base: i32): void {
  let x0 = v128.load(column(t, j1 + 1));
  let x1 = v128.load(column(t, j1 + 1), 16);
  for (let j = j1; j >= lo; j--) {
    const c = f64x2.splat(load<f64>(addr(cs, base + j)));
    const s = f64x2.splat(load<f64>(addr(sn, base + j)));
    const here = column(t, j);
    const y0 = v128.load(here);
    const y1 = v128.load(here, 16);
    const next = column(t, j + 1);
    v128.store(next, f64x2.sub(f64x2.mul(c, x0), f64x2.mul(s, y0)));
    v128.store(next, f64x2.sub(f64x2.mul(c, x1), f64x2.mul(s, y1)), 16);
    x0 = f64x2.add(f64x2.mul(s, x0), f64x2.mul(c, y0));
    x1 = f64x2.add(f64x2.mul(s, x1), f64x2.mul(c, y1));
  }
  v128.store(column(t, lo), x0);
  v128.store(column(t, lo), x1, 16);
}

/**
 * Two forward chains A (`base`) then B (`baseB`) on `[p, hi]` in one pass (the scalar
 * `forwardChainPair4`): B's rotation at `(j, j + 1)` runs as soon as A has finalised `x_{j+1}`.
 */
function forwardChainPair4(t: usize, p: i32, hi: i32, cs: usize, sn: usize, base: i32, baseB: i32): void {
  let c = f64x2.splat(load<f64>(addr(cs, base + p)));
  let s = f64x2.splat(load<f64>(addr(sn, base + p)));
  let y0 = v128.load(column(t, p + 1));
  let y1 = v128.load(column(t, p + 1), 16);
  let a0 = v128.load(column(t, p));
  let a1 = v128.load(column(t, p), 16);
  // A at (p, p + 1): its output at p is B's first carry.
  let b0 = f64x2.add(f64x2.mul(c, a0), f64x2.mul(s, y0));
  let b1 = f64x2.add(f64x2.mul(c, a1), f64x2.mul(s, y1));
  a0 = f64x2.sub(f64x2.mul(c, y0), f64x2.mul(s, a0));
  a1 = f64x2.sub(f64x2.mul(c, y1), f64x2.mul(s, a1));
  for (let j = p; j < hi - 1; j++) {
    // A at (j + 1, j + 2), finalising x_{j+1} = f.
    c = f64x2.splat(load<f64>(addr(cs, base + j + 1)));
    s = f64x2.splat(load<f64>(addr(sn, base + j + 1)));
    const next = column(t, j + 2);
    y0 = v128.load(next);
    y1 = v128.load(next, 16);
    const f0 = f64x2.add(f64x2.mul(c, a0), f64x2.mul(s, y0));
    const f1 = f64x2.add(f64x2.mul(c, a1), f64x2.mul(s, y1));
    a0 = f64x2.sub(f64x2.mul(c, y0), f64x2.mul(s, a0));
    a1 = f64x2.sub(f64x2.mul(c, y1), f64x2.mul(s, a1));
    // B at (j, j + 1).
    const d = f64x2.splat(load<f64>(addr(cs, baseB + j)));
    const e = f64x2.splat(load<f64>(addr(sn, baseB + j)));
    const here = column(t, j);
    v128.store(here, f64x2.add(f64x2.mul(d, b0), f64x2.mul(e, f0)));
    v128.store(here, f64x2.add(f64x2.mul(d, b1), f64x2.mul(e, f1)), 16);
    b0 = f64x2.sub(f64x2.mul(d, f0), f64x2.mul(e, b0));
    b1 = f64x2.sub(f64x2.mul(d, f1), f64x2.mul(e, b1));
  }
  // A is done (x_hi = a); B at (hi − 1, hi).
  const d = f64x2.splat(load<f64>(addr(cs, baseB + hi - 1)));
  const e = f64x2.splat(load<f64>(addr(sn, baseB + hi - 1)));
  const last = column(t, hi - 1);
  v128.store(last, f64x2.add(f64x2.mul(d, b0), f64x2.mul(e, a0)));
  v128.store(last, f64x2.add(f64x2.mul(d, b1), f64x2.mul(e, a1)), 16);
  v128.store(column(t, hi), f64x2.sub(f64x2.mul(d, a0), f64x2.mul(e, b0)));
  v128.store(column(t, hi), f64x2.sub(f64x2.mul(d, a1), f64x2.mul(e, b1)), 16);
}

/** Two backward chains A then B on `[lo, p + 1]` in one pass (the scalar `backwardChainPair4`). */
function backwardChainPair4(t: usize, lo: i32, p: i32, cs: usize, sn: usize, base: i32, baseB: i32): void {
  let c = f64x2.splat(load<f64>(addr(cs, base + p)));
  let s = f64x2.splat(load<f64>(addr(sn, base + p)));
  let a0 = v128.load(column(t, p + 1));
  let a1 = v128.load(column(t, p + 1), 16);
  let y0 = v128.load(column(t, p));
  let y1 = v128.load(column(t, p), 16);
  // A at (p, p + 1): its output at p + 1 is B's first carry.
  let b0 = f64x2.sub(f64x2.mul(c, a0), f64x2.mul(s, y0));
  let b1 = f64x2.sub(f64x2.mul(c, a1), f64x2.mul(s, y1));
  a0 = f64x2.add(f64x2.mul(s, a0), f64x2.mul(c, y0));
  a1 = f64x2.add(f64x2.mul(s, a1), f64x2.mul(c, y1));
  for (let j = p; j > lo; j--) {
    // A at (j − 1, j), finalising x_j = f.
    c = f64x2.splat(load<f64>(addr(cs, base + j - 1)));
    s = f64x2.splat(load<f64>(addr(sn, base + j - 1)));
    const prev = column(t, j - 1);
    y0 = v128.load(prev);
    y1 = v128.load(prev, 16);
    const f0 = f64x2.sub(f64x2.mul(c, a0), f64x2.mul(s, y0));
    const f1 = f64x2.sub(f64x2.mul(c, a1), f64x2.mul(s, y1));
    a0 = f64x2.add(f64x2.mul(s, a0), f64x2.mul(c, y0));
    a1 = f64x2.add(f64x2.mul(s, a1), f64x2.mul(c, y1));
    // B at (j, j + 1).
    const d = f64x2.splat(load<f64>(addr(cs, baseB + j)));
    const e = f64x2.splat(load<f64>(addr(sn, baseB + j)));
    const next = column(t, j + 1);
    v128.store(next, f64x2.sub(f64x2.mul(d, b0), f64x2.mul(e, f0)));
    v128.store(next, f64x2.sub(f64x2.mul(d, b1), f64x2.mul(e, f1)), 16);
    b0 = f64x2.add(f64x2.mul(e, b0), f64x2.mul(d, f0));
    b1 = f64x2.add(f64x2.mul(e, b1), f64x2.mul(d, f1));
  }
  // A is done (x_lo = a); B at (lo, lo + 1).
  const d = f64x2.splat(load<f64>(addr(cs, baseB + lo)));
  const e = f64x2.splat(load<f64>(addr(sn, baseB + lo)));
  const first = column(t, lo + 1);
  v128.store(first, f64x2.sub(f64x2.mul(d, b0), f64x2.mul(e, a0)));
  v128.store(first, f64x2.sub(f64x2.mul(d, b1), f64x2.mul(e, a1)), 16);
  v128.store(column(t, lo), f64x2.add(f64x2.mul(e, b0), f64x2.mul(d, a0)));
  v128.store(column(t, lo), f64x2.add(f64x2.mul(e, b1), f64x2.mul(d, a1)), 16);
}

/** Rows `r … r + 3` of `x` (row length `n`) into the interleaved `t`, or back with `back`. */
function interleave(x: usize, r: i32, n: i32, t: usize, back: bool): void {
  const r0 = addr(x, r * n);
  const r1 = addr(r0, n);
  const r2 = addr(r1, n);
  const r3 = addr(r2, n);
  for (let j = 0; j < n; j++) {
    const o = column(t, j);
    const k = (<usize>j) << 3;
    if (back) {
      store<f64>(r0 + k, load<f64>(o));
      store<f64>(r1 + k, load<f64>(o, 8));
      store<f64>(r2 + k, load<f64>(o, 16));
      store<f64>(r3 + k, load<f64>(o, 24));
    } else {
      store<f64>(o, load<f64>(r0 + k));
      store<f64>(o, load<f64>(r1 + k), 8);
      store<f64>(o, load<f64>(r2 + k), 16);
      store<f64>(o, load<f64>(r3 + k), 24);
    }
  }
}

/**
 * Applies the `ops` logged chains to the `rows` rows of `x` and updates `firsts`/`lasts` (see the
 * top of the file): the TypeScript `RotationLog.applyTo` with the same bits.
 */
export function rotationChains(
  x: usize,
  rows: i32,
  n: i32,
  ops: i32,
  los: usize,
  his: usize,
  offs: usize,
  forward: usize,
  cs: usize,
  sn: usize,
  firsts: usize,
  lasts: usize,
  scratch: usize,
): void {
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    let f = min(min(word(firsts, r), word(firsts, r + 1)), min(word(firsts, r + 2), word(firsts, r + 3)));
    let g = max(max(word(lasts, r), word(lasts, r + 1)), max(word(lasts, r + 2), word(lasts, r + 3)));
    interleave(x, r, n, scratch, false);
    for (let op = 0; op < ops; op++) {
      const lo = word(los, op);
      const hi = word(his, op);
      if (g < lo || f > hi) continue; // zero on [lo, hi]: unchanged
      const base = word(offs, op) - lo;
      const fwd = word(forward, op);
      // Two consecutive sweeps over the same block run as one wavefront (same arithmetic).
      const pair = op + 1 < ops && word(los, op + 1) == lo && word(his, op + 1) == hi && word(forward, op + 1) == fwd;
      if (fwd == 1) {
        const j0 = f > lo ? f - 1 : lo;
        if (pair) {
          const p = j0 > lo ? j0 - 1 : lo;
          forwardChainPair4(scratch, p, hi, cs, sn, base, word(offs, op + 1) - lo);
          op++;
          f = p < f ? p : f;
        } else {
          forwardChain4(scratch, j0, hi, cs, sn, base);
          f = j0 < f ? j0 : f;
        }
        g = hi > g ? hi : g;
      } else {
        const j1 = g < hi ? g : hi - 1;
        if (pair) {
          const g1 = j1 + 1 > g ? j1 + 1 : g;
          const p = g1 < hi ? g1 : hi - 1;
          backwardChainPair4(scratch, lo, p, cs, sn, base, word(offs, op + 1) - lo);
          op++;
          g = p + 1 > g1 ? p + 1 : g1;
        } else {
          backwardChain4(scratch, lo, j1, cs, sn, base);
          g = j1 + 1 > g ? j1 + 1 : g;
        }
        f = lo < f ? lo : f;
      }
    }
    interleave(x, r, n, scratch, true);
    for (let q = r; q < r + 4; q++) {
      store<i32>(firsts + ((<usize>q) << 2), f);
      store<i32>(lasts + ((<usize>q) << 2), g);
    }
  }
  for (; r < rows; r++) {
    const o = addr(x, r * n);
    let f = word(firsts, r);
    let g = word(lasts, r);
    for (let op = 0; op < ops; op++) {
      const lo = word(los, op);
      const hi = word(his, op);
      if (g < lo || f > hi) continue;
      const base = word(offs, op) - lo;
      if (word(forward, op) == 1) {
        const j0 = f > lo ? f - 1 : lo;
        let xv = load<f64>(addr(o, j0));
        for (let j = j0; j < hi; j++) {
          const c = load<f64>(addr(cs, base + j));
          const s = load<f64>(addr(sn, base + j));
          const y = load<f64>(addr(o, j + 1));
          store<f64>(addr(o, j), c * xv + s * y);
          xv = c * y - s * xv;
        }
        store<f64>(addr(o, hi), xv);
        f = j0 < f ? j0 : f;
        g = hi > g ? hi : g;
      } else {
        const j1 = g < hi ? g : hi - 1;
        let xv = load<f64>(addr(o, j1 + 1));
        for (let j = j1; j >= lo; j--) {
          const c = load<f64>(addr(cs, base + j));
          const s = load<f64>(addr(sn, base + j));
          const y = load<f64>(addr(o, j));
          store<f64>(addr(o, j + 1), c * xv - s * y);
          xv = s * xv + c * y;
        }
        store<f64>(addr(o, lo), xv);
        g = j1 + 1 > g ? j1 + 1 : g;
        f = lo < f ? lo : f;
      }
    }
    store<i32>(firsts + ((<usize>r) << 2), f);
    store<i32>(lasts + ((<usize>r) << 2), g);
  }
}
