/**
 * The first-layer neural tangent kernel of a ReLU network on unit-norm inputs: its Gram matrix
 * and least eigenvalue $\lambda_0$.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, checkMatrix, eigvalsh } from '@shallowscape/linalg';

/** How far a row norm of the input to {@link ntkGram} may be from 1. */
export const NTK_UNIT_NORM_TOLERANCE = 1e-8;

/**
 * The Gram matrix of the first-layer ReLU neural tangent kernel on unit-norm inputs:
 *
 * $$H_{ij} = \mathbb E_{w \sim \mathcal N(0, I)}\big[x_i \cdot x_j\, \mathbb 1[w \cdot x_i \ge 0,\, w \cdot x_j \ge 0]\big] = \frac{x_i \cdot x_j\,\big(\pi - \arccos(x_i \cdot x_j)\big)}{2\pi},$$
 *
 * the cosine $x_i \cdot x_j$ clamped to $[-1, 1]$ before the arccosine. The rows must have unit
 * norm (within {@link NTK_UNIT_NORM_TOLERANCE}): the formula holds only there, so other inputs are
 * an error rather than silently normalised (divide each row by its norm first). The diagonal is
 * exactly $1/2$. Symmetric positive semidefinite, positive definite when no two rows are parallel.
 * @param x - inputs $X$, $N \times d$, unit-norm rows ($N, d \ge 1$).
 * @returns $H$, $N \times N$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `x` is not a Matrix, is empty, or
 *   naming `x` with the first row whose norm is not 1.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry.
 * @see Du, Zhai, Póczos and Singh, "Gradient descent provably optimizes over-parameterized neural
 *   networks" (ICLR 2019), the matrix $H^\infty$.
 * @example
 * ```ts
 * ntkGram(Matrix.from([[1, 0], [0, 1]])).toArray(); // => [[0.5, 0], [0, 0.5]]
 * // cos θ = 0.6: 0.6 (π − arccos 0.6)/(2π)
 * ntkGram(Matrix.from([[1, 0], [0.6, 0.8]])).get(0, 1); // => 0.21144982940974
 * ntkGram(Matrix.from([[2, 0]])); // throws InvalidArgumentError
 * ```
 */
export function ntkGram(x: Matrix): Matrix {
  const xs = checkMatrix('x', x);
  const n = xs.rows;
  const d = xs.cols;
  if (n < 1 || d < 1) throw new InvalidArgumentError('x', xs, 'at least one row and one column');
  const data = xs.data;
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (let k = i * d; k < (i + 1) * d; k++) t += data[k]! * data[k]!;
    const norm = Math.sqrt(t);
    if (Math.abs(norm - 1) > NTK_UNIT_NORM_TOLERANCE) {
      throw new InvalidArgumentError('x', `row ${i} with norm ${norm}`, 'unit-norm rows (normalise the inputs first)');
    }
  }
  const h = new Matrix(n, n);
  const hd = h.data;
  for (let i = 0; i < n; i++) {
    hd[i * n + i] = 0.5;
    for (let j = 0; j < i; j++) {
      let c = 0;
      for (let k = 0; k < d; k++) c += data[i * d + k]! * data[j * d + k]!;
      c = Math.min(1, Math.max(-1, c));
      const v = (c * (Math.PI - Math.acos(c))) / (2 * Math.PI);
      hd[i * n + j] = v;
      hd[j * n + i] = v;
    }
  }
  return h;
}

/**
 * $\lambda_0 = \lambda_{\min}(H)$, the least eigenvalue of {@link ntkGram}: positive when no two
 * inputs are parallel, and the rate constant of gradient descent in the NTK regime (the training
 * residual contracts like $(1 - \eta\lambda_0/2)^t$).
 * @param x - inputs $X$, $N \times d$, unit-norm rows.
 * @returns $\lambda_0$ (by the symmetric eigensolver).
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} as {@link ntkGram}.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry.
 * @see Du, Zhai, Póczos and Singh (ICLR 2019), Assumption 3.1.
 * @example
 * ```ts
 * // H = [[1/2, h], [h, 1/2]] with h = 0.21144982940974: λ₀ = 1/2 − h
 * ntkMinEigenvalue(Matrix.from([[1, 0], [0.6, 0.8]])); // => 0.28855017059026
 * ```
 */
export function ntkMinEigenvalue(x: Matrix): number {
  return eigvalsh(ntkGram(x))[0]!;
}
