/**
 * The quadratic-activation network with fixed output signs: `f(x) = Σ_j v_j (w_j·x)²`.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, checkPositiveInteger } from '@shallowscape/linalg';
import { checkSamples, checkSigns, checkWeights } from './model-arguments';
import { effectiveMatrixOf, quadraticFormsOf } from './quadratic-form-kernels';

/**
 * A signed quadratic network $f(x) = \sum_{j=1}^{k} v_j (w_j \cdot x)^2 = x^\top Q x$ with fixed
 * output signs $v_j = \pm 1$ and $Q = W^\top \operatorname{diag}(v) W$ (the mathematics guide, §2). With at least
 * $d$ signs of each kind ($k \ge 2d$, see {@link balancedSigns}) $Q$ can be any symmetric matrix.
 *
 * The network holds its own copies of the weights and signs.
 *
 * @see Soltanolkotabi, Javanmard and Lee, "Theoretical insights into the optimization landscape of
 *   over-parameterized shallow neural networks".
 * @example
 * ```ts
 * const net = new SignedQuadraticNet(Matrix.from([[1, 0], [0, 1]]), Float64Array.of(1, -1));
 * net.predict(Matrix.from([[3, 2]])); // => [5]
 * net.effectiveMatrix().toArray(); // => [[1, 0], [0, -1]]
 * ```
 */
export class SignedQuadraticNet {
  /** Hidden width $k$ (rows of $W$, length of $v$). */
  readonly width: number;
  /** Input dimension $d$ (columns of $W$). */
  readonly inputDimension: number;
  private readonly w: Matrix;
  private readonly v: Float64Array;

  /**
   * @param w - hidden weights $W$, a $k \times d$ matrix with the hidden units as rows ($k, d \ge 1$). Copied.
   * @param signs - output signs $v \in \{-1, +1\}^k$. Copied.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` is not a Matrix or has no rows or
   *   columns, when `signs` is not a Float64Array, or one of its entries is not ±1.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `signs.length ≠ k`.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `w` has a NaN or infinite entry.
   */
  constructor(w: Matrix, signs: Float64Array) {
    const checked = checkWeights('w', w);
    if (signs === undefined) throw new InvalidArgumentError('signs', signs, 'a Float64Array of ±1, one per hidden unit');
    this.v = Float64Array.from(checkSigns('signs', signs, checked.rows, 'the width k (rows of w)')!);
    this.w = checked.clone();
    this.width = this.w.rows;
    this.inputDimension = this.w.cols;
  }

  /** A copy of the hidden weights $W$ ($k \times d$). */
  get weights(): Matrix {
    return this.w.clone();
  }

  /** A copy of the output signs $v$ (length $k$). */
  get signs(): Float64Array {
    return this.v.slice();
  }

  /**
   * The matrix of the quadratic form, $Q = W^\top \operatorname{diag}(v)\, W = \sum_j v_j w_j w_j^\top$
   * ($d \times d$, symmetric, in general indefinite), by the weighted Gram kernel.
   * @example
   * ```ts
   * new SignedQuadraticNet(Matrix.from([[1, 1], [1, 0]]), Float64Array.of(1, -1)).effectiveMatrix().toArray(); // => [[0, 1], [1, 1]]
   * ```
   */
  effectiveMatrix(): Matrix {
    const { rows: k, cols: d } = this.w;
    return new Matrix(d, d, effectiveMatrixOf(k, d, this.w.data, this.v));
  }

  /**
   * Outputs $f(x_i) = x_i^\top Q x_i$ for the rows $x_i$ of $X$, as the row dots of $XQ$ with $X$:
   * cost $O(k d^2 + N d^2)$.
   *
   * @param x - inputs $X$, $N \times d$ ($N = 0$ gives an empty result).
   * @returns the $N$ outputs.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `x` is not a Matrix.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `x` does not have $d$ columns.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `x` has a NaN or infinite entry.
   * @example
   * ```ts
   * const net = new SignedQuadraticNet(Matrix.from([[1, 1], [1, -1]]), Float64Array.of(1, -1));
   * net.predict(Matrix.from([[1, 2], [1, 0]])); // => [8, 0]
   * ```
   */
  predict(x: Matrix): Float64Array {
    const d = this.inputDimension;
    const xs = checkSamples('x', x, d, false);
    return quadraticFormsOf(xs.rows, d, xs.data, effectiveMatrixOf(this.width, d, this.w.data, this.v));
  }
}

/**
 * Balanced output signs for a signed network of width $k$: the first $\lceil k/2 \rceil$ entries are
 * $+1$, the rest $-1$. For $k \ge 2d$ this gives at least $d$ of each sign, the condition under which
 * $Q = W^\top \operatorname{diag}(v) W$ ranges over all symmetric matrices (the mathematics guide, §2).
 *
 * @param k - the width $k \ge 1$.
 * @returns $v \in \{-1, +1\}^k$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `k` is not an integer ≥ 1.
 * @example
 * ```ts
 * balancedSigns(5); // => [1, 1, 1, -1, -1]
 * balancedSigns(4); // => [1, 1, -1, -1]
 * ```
 */
export function balancedSigns(k: number): Float64Array {
  checkPositiveInteger('k', k);
  const v = new Float64Array(k);
  const plus = Math.ceil(k / 2);
  for (let j = 0; j < k; j++) v[j] = j < plus ? 1 : -1;
  return v;
}
