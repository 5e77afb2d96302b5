/**
 * The Householder bidiagonalisation of the `wasm-simd` backend's SVD, run in the module's own
 * memory: the matrix is copied in once, `bidiagonalize` (LAPACK `dgebd2` with look-ahead) works on
 * a view of that memory, and the fused pass of every step over the trailing rows, where the
 * `O(mn²)` work is, runs the module's `bidiagonalRows` (`wasm/assembly/bidiagonal-rows.ts`) in
 * place, in `f64x2` registers, with the bits of the TypeScript pass. The memory is reserved once
 * and does not grow while the views are in use; where the matrix does not fit (2 GiB) the
 * TypeScript reduction runs.
 *
 * @packageDocumentation
 */
import { bidiagonalize, type BidiagonalRows } from '../decompositions/bidiagonalize';
import type { Bidiagonalize } from '../decompositions/tall-svd';
import { evenDoubles as even, type WasmSimdWorkspace } from './wasm-simd-workspace';

/**
 * The bidiagonalisation of a tall SVD ({@link Bidiagonalize}) on `runtime`'s module.
 *
 * @param runtime - the backend's module instance and its bump layout.
 * @returns the reduction.
 */
export function createWasmSimdBidiagonalize(runtime: WasmSimdWorkspace): Bidiagonalize {
  return (m, n, w, d, e, tauL, tauR, vl) => {
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
