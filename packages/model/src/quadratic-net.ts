/**
 * The quadratic-activation network with all output weights `+1`: `f_W(x) = ‖Wx‖²`.
 *
 * @packageDocumentation
 */
import { Matrix } from '@shallowscape/linalg';
import { checkSamples, checkWeights } from './model-arguments';
import { effectiveMatrixOf, quadraticFormsOf } from './quadratic-form-kernels';

/**
 * A quadratic network $f_W(x) = \sum_{j=1}^{m} (w_j \cdot x)^2 = \|Wx\|^2 = x^\top A x$ with
 * $A = W^\top W$ (the mathematics guide, §1). Only $A$ matters: two networks with the same $W^\top W$
 * compute the same function.
 *
 * The network holds its own copy of the weights (immutable: {@link QuadraticNet.weights}
 * returns a copy).
 *
 * @see Gamarnik, Kızıldağ and Zadik, "Stationary points of shallow neural networks with
 *   quadratic activation function".
 * @example
 * ```ts
 * const net = new QuadraticNet(Matrix.from([[1, 0], [1, 1]]));
 * net.predict(Matrix.from([[1, 2], [0, 1]])); // => [10, 1]
 * net.gram().toArray(); // => [[2, 1], [1, 1]]
 * ```
 */
export class QuadraticNet {
  /** Hidden width $m$ (rows of $W$). */
  readonly width: number;
  /** Input dimension $d$ (columns of $W$). */
  readonly inputDimension: number;
  private readonly w: Matrix;

  /**
   * @param w - hidden weights $W$, an $m \times d$ matrix with the hidden units $w_j$ as rows
   *   ($m, d \ge 1$). It is copied.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` is not a Matrix or has no rows or no columns.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `w` has a NaN or infinite entry.
   */
  constructor(w: Matrix) {
    this.w = checkWeights('w', w).clone();
    this.width = this.w.rows;
    this.inputDimension = this.w.cols;
  }

  /** A copy of the hidden weights $W$ ($m \times d$). */
  get weights(): Matrix {
    return this.w.clone();
  }

  /**
   * The Gram matrix $A = W^\top W$ ($d \times d$, symmetric positive semidefinite), by `syrk`.
   * @example
   * ```ts
   * new QuadraticNet(Matrix.from([[3, 4]])).gram().toArray(); // => [[9, 12], [12, 16]]
   * ```
   */
  gram(): Matrix {
    const { rows: m, cols: d } = this.w;
    return new Matrix(d, d, effectiveMatrixOf(m, d, this.w.data, null));
  }

  /**
   * The matrix of the quadratic form, $Q = W^\top W$: the same as {@link QuadraticNet.gram}, named
   * as in {@link SignedQuadraticNet.effectiveMatrix} so both networks can be used alike.
   * @example
   * ```ts
   * new QuadraticNet(Matrix.from([[1, 1]])).effectiveMatrix().toArray(); // => [[1, 1], [1, 1]]
   * ```
   */
  effectiveMatrix(): Matrix {
    return this.gram();
  }

  /**
   * Outputs $f_W(x_i) = x_i^\top A x_i$ for the rows $x_i$ of $X$, computed as the row dots of
   * $XA$ with $X$ ($A = W^\top W$ formed once): cost $O(m d^2 + N d^2)$.
   *
   * @param x - inputs $X$, an $N \times d$ matrix with the samples as rows ($N = 0$ gives an empty result).
   * @returns the $N$ outputs.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `x` is not a Matrix.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `x` does not have $d$ columns.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `x` has a NaN or infinite entry.
   * @example
   * ```ts
   * new QuadraticNet(Matrix.from([[1, 2]])).predict(Matrix.from([[1, 1], [2, -1]])); // => [9, 0]
   * ```
   */
  predict(x: Matrix): Float64Array {
    const d = this.inputDimension;
    const xs = checkSamples('x', x, d, false);
    return quadraticFormsOf(xs.rows, d, xs.data, effectiveMatrixOf(this.width, d, this.w.data, null));
  }
}
