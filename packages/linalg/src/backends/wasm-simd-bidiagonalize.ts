/**
 * The Householder bidiagonalisation of the `wasm-simd` backend's SVD, run in the module's own
 * memory: the matrix is copied in once and reduced there. From {@link BLOCKED_BIDIAGONAL_MIN}
 * columns it is blocked (LAPACK `dgebrd`): panels of {@link BIDIAGONAL_PANEL_WIDTH} steps by
 * `dlabrd` (`bidiagonalPanel`, `wasm/assembly/bidiagonal-panel.ts`), whose two matrix–vector
 * products per step are one fused pass over the trailing rows, and the trailing updates as
 * rank-`2nb` products through the packed micro-kernel (`bidiagonalTrailingUpdate`). Narrower
 * matrices run `bidiagonalize` (LAPACK `dgebd2` with look-ahead), its fused pass over the trailing
 * rows in the module (`bidiagonalRows`, `wasm/assembly/bidiagonal-rows.ts`) with the bits of the
 * TypeScript pass. Where the matrix does not fit (2 GiB) the TypeScript reduction runs.
 *
 * @packageDocumentation
 */
import { bidiagonalize, type BidiagonalRows } from '../decompositions/bidiagonalize';
import type { Bidiagonalize } from '../decompositions/tall-svd';
import { evenDoubles as even, EDGE_TILE_DOUBLES, reserveBuffers, type WasmSimdWorkspace } from './wasm-simd-workspace';

/**
 * Steps per panel of the blocked reduction (LAPACK's `nb`). Measured on one thread (medians of 5,
 * 2-core AMD EPYC VM): 1000 × 1000 in 203, 201, 204 and 215 ms with 16, 24, 32 and 48; 1275 ×
 * 1275 in 424, 431, 418 and 446 ms. Of the 204 ms at 32, 139 are the panels' passes (one read of
 * the trailing rows per step, near the core's cache bandwidth) and 65 the trailing products.
 */
export const BIDIAGONAL_PANEL_WIDTH = 32;

/**
 * Columns from which the reduction is blocked. Measured against the unblocked fused pass (medians
 * of 9, same machine): 300 × 300 7.0 against 7.2 ms (alike while the matrix stays in the L2
 * cache), 384² 14.5 against 15.7, 512² 34–42 against 41–43, 700² 76–79 against 90–96, 1000²
 * 203 against 267–386, 1275² 418–476 against 599–798.
 */
export const BLOCKED_BIDIAGONAL_MIN = 384;

/** Where the blocked reduction starts and its panel width (defaults: the measured constants above). */
export interface BidiagonalBlocking {
  /** Columns from which the reduction is blocked. */
  from: number;
  /** Steps per panel. */
  width: number;
}

/**
 * The bidiagonalisation of a tall SVD ({@link Bidiagonalize}) on `runtime`'s module: blocked from
 * {@link BLOCKED_BIDIAGONAL_MIN} columns (deterministic, equal to `bidiagonalize`'s result up to
 * rounding: the same reflectors and sign conventions), else `bidiagonalize` with the TypeScript
 * bits.
 *
 * @param runtime - the backend's module instance and its bump layout.
 * @param blocking - where blocking starts and the panel width.
 * @returns the reduction.
 */
export function createWasmSimdBidiagonalize(
  runtime: WasmSimdWorkspace,
  blocking: BidiagonalBlocking = { from: BLOCKED_BIDIAGONAL_MIN, width: BIDIAGONAL_PANEL_WIDTH },
): Bidiagonalize {
  return (m, n, w, d, e, tauL, tauR, vl) => {
    if (n >= blocking.from && blockedBidiagonalize(runtime, m, n, w, d, e, tauL, tauR, vl, blocking.width)) return;
    const mem = runtime.reserve(even(m * n) + even(m) + 2 * even(n));
    if (mem === null) {
      bidiagonalize(m, n, w, d, e, tauL, tauR, vl);
      return;
    }
    const { start, f64 } = mem;
    const wAt = start;
    const vAt = wAt + even(m * n);
    const zAt = vAt + even(m);
    const yAt = zAt + even(n);
    const view = f64.subarray(wAt, wAt + m * n);
    view.set(w.subarray(0, m * n));
    const ex = runtime.exports;
    const rows: BidiagonalRows = (mm, nn, j, ww, v, z, y, tr) => ex.bidiagonalRows(mm, nn, j, ww.byteOffset, v.byteOffset, z.byteOffset, y.byteOffset, tr);
    const work = { v: f64.subarray(vAt, vAt + m), z: f64.subarray(zAt, zAt + n), y: f64.subarray(yAt, yAt + n), rows };
    work.v.fill(0);
    work.z.fill(0);
    work.y.fill(0);
    bidiagonalize(m, n, view, d, e, tauL, tauR, vl, work);
    w.set(view);
  };
}

/**
 * The blocked reduction of the tall `m × n` `w` (`m ≥ n ≥ 1`) with panels of `nb` steps, with the
 * arguments and result layout of `bidiagonalize`. False (nothing done) when it does not fit the
 * module's memory.
 */
function blockedBidiagonalize(
  runtime: WasmSimdWorkspace, m: number, n: number, w: Float64Array, d: Float64Array, e: Float64Array,
  tauL: Float64Array, tauR: Float64Array, vl: Float64Array | null, nb: number,
): boolean {
  const ex = runtime.exports;
  const sizes = [
    EDGE_TILE_DOUBLES, ex.packedABufferLength(), even(ex.packedBBufferLength(n, 2 * nb)), even(m * n),
    even(m * nb), even(nb * n), even(m), even(n), even(6 * nb + 4), even(2 * nb * m), even(2 * nb * n),
    even(n), even(n), even(n), even(n),
  ];
  const mem = reserveBuffers(runtime, sizes);
  if (mem === null) return false;
  const { at, f64 } = mem;
  const [tile, pa, pb, ap, xp, yt, col, y, small, p, q, dp, ep, tlp, trp] = at.map((i) => i * 8) as [
    number, number, number, number, number, number, number, number, number, number, number, number, number, number, number,
  ];
  const a = f64.subarray(ap / 8, ap / 8 + m * n);
  a.set(w.subarray(0, m * n));
  for (let k0 = 0; k0 < n; k0 += nb) {
    const b = Math.min(nb, n - k0);
    ex.bidiagonalPanel(m, n, ap, k0, b, dp, ep, tlp, trp, xp, nb, yt, col, y, small);
    ex.bidiagonalTrailingUpdate(m, n, ap, k0, b, xp, nb, yt, p, q, pa, pb, tile);
  }
  d.set(f64.subarray(dp / 8, dp / 8 + n));
  tauL.set(f64.subarray(tlp / 8, tlp / 8 + n));
  if (n > 1) {
    e.set(f64.subarray(ep / 8, ep / 8 + n - 1));
    tauR.set(f64.subarray(trp / 8, trp / 8 + n - 1));
  }
  tauR[n - 1] = 0;
  for (let c = 0; c < n; c++) {
    a[c * n + c] = d[c]!;
    if (c + 1 < n) a[c * n + c + 1] = e[c]!;
  }
  w.set(a);
  if (vl !== null) {
    for (let j = 0; j < n; j++) {
      const o = j * m;
      for (let i = j + 1; i < m; i++) vl[o + i] = a[i * n + j]!;
    }
  }
  return true;
}
