/**
 * The unchecked singular value decomposition `A = U diag(s) Vᵀ`, the reference backend's `svd`
 * kernel: Householder bidiagonalisation, then the implicit-shift Golub–Kahan QR iteration with
 * Demmel–Kahan zero shifts for the values alone (LAPACK `dbdsqr`) or divide and conquer for the
 * vectors (LAPACK `dbdsdc`, see `bidiagonal-divide-conquer.ts`).
 *
 * Layout choices that keep the pure-TypeScript kernel O(mn²) with good constants:
 * - wide inputs are transposed, so the work is always on a tall `m × n` matrix (`m ≥ n`);
 * - very tall inputs are first reduced by QR (`m > 8n/3` with vectors, `m > 5n/3` without,
 *   the flop-count crossovers) and the `n × n` factor `R` is decomposed instead;
 * - the bidiagonal factors `U_B`, `V_B` come from divide and conquer, whose merges are matrix
 *   products; where the QR iteration makes them (least squares, n ≤ 25) its Givens rotations are
 *   logged and applied in batches, row by row, so each row stays in cache while a whole batch of
 *   sweeps passes over it;
 * - the Householder back-transformations act on `Uᵀ` and `Vᵀ` in blocks of 32 reflectors, as
 *   matrix products only.
 *
 * The stages live one per file: `bidiagonalize.ts` (Householder bidiagonalisation),
 * `bidiagonal-qr.ts` (the QR iteration) with `plane-rotation.ts`, `triangular-svd2.ts` (2 × 2
 * SVDs) and `rotation-log.ts` (batched rotations), `bidiagonal-divide-conquer.ts` (vectors),
 * `tall-svd.ts` (the tall driver) and
 * `tall-svd-solve.ts` (its least-squares mode).
 *
 * @packageDocumentation
 */
import { transposeKernel } from './qr';
import { tallSvd, type TallSvdKernels } from './tall-svd';

/**
 * Raw SVD of a row-major `rows × cols` array (not modified): `mode` 0 values only, 1 thin
 * factors, 2 square `U` and `V`; `uCols`, `vCols` are the numbers of columns of `u`, `v`.
 * `kernels`: a backend's products, QR step and rotation chains (see `TallSvdKernels`).
 */
export function svdRaw(
  rows: number,
  cols: number,
  a: Float64Array,
  mode: 0 | 1 | 2,
  kernels: TallSvdKernels = {},
): { s: Float64Array; u: Float64Array | null; v: Float64Array | null; uCols: number; vCols: number } {
  const k = Math.min(rows, cols);
  if (rows >= cols) {
    const r = tallSvd(rows, cols, a, mode, null, 0, kernels);
    if (r.ut === null || r.vt === null) return { s: r.s, u: null, v: null, uCols: 0, vCols: 0 };
    const p = mode === 2 ? rows : k;
    return {
      s: r.s,
      u: transposeKernel(p, rows, r.ut, new Float64Array(rows * p)),
      v: transposeKernel(cols, cols, r.vt, new Float64Array(cols * cols)),
      uCols: p,
      vCols: cols,
    };
  }
  // Wide: Aᵀ = V Σ Uᵀ is tall.
  const at = transposeKernel(rows, cols, a, new Float64Array(rows * cols));
  const r = tallSvd(cols, rows, at, mode, null, 0, kernels, true);
  if (r.ut === null || r.vt === null) return { s: r.s, u: null, v: null, uCols: 0, vCols: 0 };
  const p = mode === 2 ? cols : k;
  return {
    s: r.s,
    u: transposeKernel(rows, rows, r.vt, new Float64Array(rows * rows)),
    v: transposeKernel(p, cols, r.ut, new Float64Array(cols * p)),
    uCols: rows,
    vCols: p,
  };
}

/**
 * Unchecked thin SVD kernel on raw row-major arrays (the backend contract's `svd` slot):
 * $A = U \operatorname{diag}(s) V^\top$ with `k = min(rows, cols)`.
 *
 * @param rows - `m`.
 * @param cols - `n`.
 * @param a - `A`, `m × n` row-major, finite; not modified.
 * @returns `s` (`k`, descending, ≥ 0), `u` (`m × k` row-major), `v` (`n × k` row-major).
 * @throws {@link ConvergenceError} if the bidiagonal QR iteration fails to converge (not
 *   observed in practice).
 * @see {@link svd} for the checked version.
 * @example
 * ```ts
 * const { s } = svdKernel(2, 2, new Float64Array([3, 0, 0, -4]));
 * Array.from(s); // => [4, 3]
 * ```
 */
export function svdKernel(rows: number, cols: number, a: Float64Array): { s: Float64Array; u: Float64Array; v: Float64Array } {
  const r = svdRaw(rows, cols, a, 1);
  return { s: r.s, u: r.u!, v: r.v! };
}

/**
 * Unchecked singular values (descending) of a row-major `rows × cols` array (not modified).
 * @see {@link singularValues} for the checked version.
 */
export function singularValuesKernel(rows: number, cols: number, a: Float64Array): Float64Array {
  return svdRaw(rows, cols, a, 0).s;
}
