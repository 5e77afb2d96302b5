/**
 * The blocked Householder QR step of the `wasm-simd` backend's tall SVD, run in the module's own
 * memory: the matrix is transposed straight into that memory, the factorisation
 * (`householderQrTransposedBlockedKernel`, LAPACK `dgeqrf`) works on a view of it, and its
 * trailing updates run `packedProduct` on the matrix in place, strided as it lies, instead of
 * copying the trailing matrix (up to the whole input) into the module and back for every panel;
 * the reflectors within each panel run the module's `reflectRows`.
 * Only R leaves the module, and the reflectors when the singular vectors need them. The memory is
 * reserved once, before the factorisation, and does not grow while the views are in use. The
 * products have the bits of every `gemm` kernel of the package, so the factors are those of the
 * same QR on the reference or the copying backend `gemm` (`tallQrStep`).
 *
 * @packageDocumentation
 */
import { QR_PANEL, householderQrTransposedBlockedKernel, reflectRowsKernel, transposeKernel, type ReflectRows } from '../decompositions/qr';
import { copyUpperR, type TallQr } from '../decompositions/tall-svd';
import { gemmStridedKernel, type StridedGemm } from '../kernels/gemm-kernel';
import { EDGE_TILE_DOUBLES, evenDoubles as even, type WasmSimdWorkspace } from './wasm-simd-workspace';

/**
 * The QR step of a tall SVD ({@link TallQr}) on `runtime`'s module. It returns false, having done
 * nothing, when the matrix and its scratch do not fit in the module's memory (2 GiB).
 *
 * @param runtime - the backend's module instance and its bump layout.
 * @param fallback - the product of the shapes that the module does not run: an empty dimension or
 *   `alpha = 0` (every other product of the factorisation fits the scratch and runs in the module).
 *   Default: the TypeScript kernel, on the views as they are.
 * @returns the QR step.
 */
export function createWasmSimdTallQr(runtime: WasmSimdWorkspace, fallback: StridedGemm = gemmStridedKernel): TallQr {
  return (m, n, a, tau, r, keepFactors) => {
    const ex = runtime.exports;
    const nb = QR_PANEL;
    // Scratch of the products of a panel (applyReflectorsBlockedKernel): as op(A) the panel of the
    // Gram product P Pᵀ (nb × len ≤ nb·m) and Y2 (rows × nb ≤ n·nb), as op(B) the panel, as C Y
    // (rows × nb) and the Gram matrix (nb × nb), and the packing buffers.
    const paLen = ex.packedABufferLength();
    const pbLen = even(Math.max(ex.packedBBufferLength(nb, m), ex.packedBBufferLength(m, nb)));
    const capacity = { a: even(Math.max(n, m) * nb), b: even(nb * m), c: even(n * nb) };
    const scratch = EDGE_TILE_DOUBLES + paLen + pbLen + capacity.a + capacity.b + capacity.c;
    const mem = runtime.reserve(scratch + even(n * m));
    if (mem === null) return false;
    const { start, f64 } = mem;
    const buffer = f64.buffer;
    const tile = start;
    const pa = tile + EDGE_TILE_DOUBLES;
    const pb = pa + paLen;
    const slots = { a: pb + pbLen, b: pb + pbLen + capacity.a, c: pb + pbLen + capacity.a + capacity.b };
    const atAt = start + scratch;
    const view = transposeKernel(m, n, a, f64.subarray(atAt, atAt + n * m));

    /** Double index of block (rows × cols at `off`, row stride `ld`) of `x`: in place when `x` lies in the module's memory, else copied densely into `slot`. */
    const place = (x: Float64Array, off: number, ld: number, rows: number, cols: number, slot: number, copy: boolean): { at: number; ld: number } => {
      if (x.buffer === buffer) return { at: x.byteOffset / 8 + off, ld };
      if (copy) for (let r = 0; r < rows; r++) f64.set(x.subarray(off + r * ld, off + r * ld + cols), slot + r * cols);
      return { at: slot, ld: Math.max(1, cols) };
    };
    const fits = (x: Float64Array, size: number, capacityOf: number) => x.buffer === buffer || size <= capacityOf;
    const gemm: StridedGemm = (transA, transB, mm, nn, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc) => {
      if (mm === 0 || nn === 0 || k === 0 || alpha === 0 || !fits(a, mm * k, capacity.a) || !fits(b, k * nn, capacity.b) || !fits(c, mm * nn, capacity.c)) {
        // The TypeScript kernel, on the views as they are (it neither grows nor touches the module's memory): the same bits.
        fallback(transA, transB, mm, nn, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        return;
      }
      const ap = place(a, aOff, lda, transA ? k : mm, transA ? mm : k, slots.a, true);
      const bp = place(b, bOff, ldb, transB ? nn : k, transB ? k : nn, slots.b, true);
      const cp = place(c, cOff, ldc, mm, nn, slots.c, beta !== 0);
      ex.scaleBlock(mm, nn, beta, cp.at * 8, cp.ld, 0);
      ex.packedProduct(transA ? 1 : 0, transB ? 1 : 0, mm, nn, k, alpha, ap.at * 8, ap.ld, bp.at * 8, bp.ld, cp.at * 8, cp.ld, 0, 0, pa * 8, pb * 8, tile * 8, 0);
      if (c.buffer !== buffer) for (let r = 0; r < mm; r++) c.set(f64.subarray(cp.at + r * nn, cp.at + r * nn + nn), cOff + r * ldc);
    };
    // The panel's reflectors, on the module's view in place (module `reflectRows`, the same bits).
    const reflectRows: ReflectRows = (x, ld, r0, r1, c0, len, v, vo, t) => {
      if (x.buffer !== buffer || v.buffer !== buffer) reflectRowsKernel(x, ld, r0, r1, c0, len, v, vo, t);
      else ex.reflectRows(x.byteOffset, ld, r0, r1, c0, len, v.byteOffset + vo * 8, t);
    };
    householderQrTransposedBlockedKernel(m, n, view, tau, gemm, reflectRows);
    copyUpperR(m, n, view, r);
    return keepFactors ? view.slice() : null;
  };
}
