import { packedProduct } from './gemm-kernel';
import { mirrorLowerToUpper } from './syrk-kernel';

/**
 * Unchecked weighted Gram matrix on row-major arrays:
 * $C \leftarrow X^\top \operatorname{diag}(w)\, X = \sum_i w_i\, x_i x_i^\top$ for $X$ of size
 * $N \times d$ (`rows × cols`) with rows $x_i$.
 *
 * The weights are folded into the packed panels of $X^\top$, so this runs through the blocked
 * `gemm` micro-kernel at its speed, over the lower triangle only (half the flops), then mirrors.
 * The weights may have any sign. `c` (`cols × cols`) is overwritten (its old content, NaN
 * included, is ignored). Assumes valid input: the checked wrapper is {@link weightedGram}.
 *
 * @param rows - $N$, the number of rows of $X$ and the length of $w$.
 * @param cols - $d$, the number of columns of $X$ and the order of $C$.
 * @param x - $X$ (`rows × cols`, row-major).
 * @param w - $w$ (length `rows`).
 * @param c - $C$ (`cols × cols`, row-major), overwritten; must not share storage with `x` or `w`.
 * @example
 * ```ts
 * const c = new Float64Array(1);
 * weightedGramKernel(2, 1, Float64Array.of(1, 2), Float64Array.of(3, -1), c);
 * c[0]; // => -1
 * ```
 */
export function weightedGramKernel(rows: number, cols: number, x: Float64Array, w: Float64Array, c: Float64Array): void {
  c.fill(0, 0, cols * cols);
  packedProduct(true, false, cols, cols, rows, 1, x, 0, cols, x, 0, cols, c, 0, cols, true, w);
  mirrorLowerToUpper(cols, c);
}
