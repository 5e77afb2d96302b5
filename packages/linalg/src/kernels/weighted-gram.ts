import { resolveKernel, type LinalgBackend } from '../backend';
import { ShapeError } from '../errors';
import { Matrix } from '../matrix';
import { productOutput } from './product-output';
import { checkOperand, checkOptions, checkVectorOperand } from './check-operands';

/** Options of {@link weightedGram}. */
export interface WeightedGramOptions {
  /** The backend to run on (default: the current default backend). */
  backend?: LinalgBackend;
}

/**
 * Weighted Gram matrix $X^\top \operatorname{diag}(w)\, X = \sum_{i=1}^{N} w_i\, x_i x_i^\top$
 * of the rows $x_i$ of $X$.
 *
 * This is the gradient kernel of quadratic networks (the mathematics guide, §1 cost note): the reference
 * kernel ({@link weightedGramKernel}) folds $w$ into the packed panels of the blocked `gemm`,
 * computes one triangle ($N d^2$ multiply–adds) and mirrors it, so it runs near `gemm` speed
 * for $N \gg d$. The weights may have any sign (the result is then indefinite).
 *
 * @param x - $X$, `N × d`.
 * @param w - $w$, length `N`.
 * @param options - `backend`.
 * @returns the symmetric `d × d` matrix $X^\top \operatorname{diag}(w) X$.
 * @throws {@link InvalidArgumentError} when `x` is not a Matrix, `w` not a Float64Array, or the backend is malformed.
 * @throws {@link ShapeError} when `w.length ≠ x.rows`.
 * @throws {@link NonFiniteError} for a NaN or infinite entry of `x` or `w`.
 * @example
 * ```ts
 * const x = Matrix.from([[1, 0], [1, 2]]);
 * weightedGram(x, Float64Array.of(3, -1)).toArray(); // => [[2, -2], [-2, -4]]
 * ```
 */
export function weightedGram(x: Matrix, w: Float64Array, options?: WeightedGramOptions): Matrix {
  checkOperand('x', x);
  checkVectorOperand('w', w);
  if (w.length !== x.rows) {
    throw new ShapeError(`w has length ${w.length}, expected x.rows = ${x.rows} (x is ${x.rows}×${x.cols})`, 'w');
  }
  const opts = checkOptions('options', options);
  const c = productOutput(x.cols, x.cols);
  resolveKernel('weightedGram', opts.backend)(x.rows, x.cols, x.data, w, c.data);
  return c;
}
