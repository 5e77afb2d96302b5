/**
 * Vector and matrix norms and simple element-wise matrix operations, checked.
 *
 * @packageDocumentation
 */
import { resolveKernel } from '../backend';
import { InvalidArgumentError, ShapeError } from '../errors';
import { Matrix } from '../matrix';
import { assertFiniteNumber, assertSquare } from '../validate';
import { asumKernel, nrm2Kernel } from './blas1-kernels';
import { checkOperand, checkVectorOperand } from './check-operands';

function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a > m) m = a;
  }
  return m;
}

function checkSameShape(a: Matrix, b: Matrix): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeError(`b is ${b.rows}×${b.cols}, expected the shape of a, ${a.rows}×${a.cols}`, 'b');
  }
}

/**
 * Vector $p$-norm for $p \in \{1, 2, \infty\}$: $\|x\|_1 = \sum_i |x_i|$,
 * $\|x\|_2 = \sqrt{\sum_i x_i^2}$ (overflow-safe, see {@link nrm2}), $\|x\|_\infty = \max_i |x_i|$.
 *
 * @param x - $x$.
 * @param p - `1`, `2` (default) or `Infinity`.
 * @returns $\|x\|_p$ (0 for an empty vector).
 * @throws {@link InvalidArgumentError} for another `p` or a non-Float64Array `x`.
 * @throws {@link NonFiniteError} for a NaN or infinite entry.
 * @example
 * ```ts
 * const x = Float64Array.of(3, -4);
 * [vectorNorm(x, 1), vectorNorm(x), vectorNorm(x, Infinity)]; // => [7, 5, 4]
 * ```
 */
export function vectorNorm(x: Float64Array, p: 1 | 2 | typeof Infinity = 2): number {
  if (p !== 1 && p !== 2 && p !== Infinity) throw new InvalidArgumentError('p', p, '1, 2 or Infinity');
  checkVectorOperand('x', x);
  if (p === 1) return asumKernel(x.length, x);
  if (p === 2) return nrm2Kernel(x.length, x);
  return maxAbs(x);
}

/**
 * Frobenius norm $\|A\|_F = \sqrt{\sum_{ij} a_{ij}^2}$, safe from overflow and underflow.
 *
 * @param a - $A$, any shape.
 * @returns $\|A\|_F$ (0 for an empty matrix).
 * @throws {@link InvalidArgumentError} when `a` is not a Matrix.
 * @throws {@link NonFiniteError} for a NaN or infinite entry.
 * @example
 * ```ts
 * frobeniusNorm(Matrix.from([[1, 2], [2, 4]])); // => 5
 * ```
 */
export function frobeniusNorm(a: Matrix): number {
  checkOperand('a', a);
  return nrm2Kernel(a.data.length, a.data);
}

/**
 * Matrix norm: `'1'` the maximum absolute column sum $\max_j \sum_i |a_{ij}|$, `'inf'` the
 * maximum absolute row sum $\max_i \sum_j |a_{ij}|$, `'fro'` the Frobenius norm
 * $\sqrt{\sum_{ij} a_{ij}^2}$.
 *
 * @param a - $A$, any shape.
 * @param type - `'1'`, `'inf'` or `'fro'` (default).
 * @returns the norm (0 for an empty matrix).
 * @throws {@link InvalidArgumentError} for another `type` or a non-matrix `a`.
 * @throws {@link NonFiniteError} for a NaN or infinite entry.
 * @example
 * ```ts
 * const a = Matrix.from([[1, -2], [3, 4]]);
 * [matrixNorm(a, '1'), matrixNorm(a, 'inf'), matrixNorm(a, 'fro')]; // => [6, 7, 5.477225575051661]
 * ```
 */
export function matrixNorm(a: Matrix, type: '1' | 'inf' | 'fro' = 'fro'): number {
  if (type !== '1' && type !== 'inf' && type !== 'fro') throw new InvalidArgumentError('type', type, "'1', 'inf' or 'fro'");
  checkOperand('a', a);
  const { rows, cols, data } = a;
  if (type === 'fro') return nrm2Kernel(data.length, data);
  if (type === 'inf') {
    let best = 0;
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = i * cols; j < (i + 1) * cols; j++) s += Math.abs(data[j]!);
      if (s > best) best = s;
    }
    return best;
  }
  const sums = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) sums[j] = sums[j]! + Math.abs(data[r + j]!);
  }
  return maxAbs(sums);
}

/**
 * Element-wise sum $A + B$ (a new matrix).
 *
 * @param a - $A$, `m × n`.
 * @param b - $B$, `m × n`.
 * @returns $A + B$.
 * @throws {@link ShapeError} when the shapes differ.
 * @throws {@link InvalidArgumentError} for a non-matrix operand.
 * @throws {@link NonFiniteError} for a NaN or infinite entry.
 * @example
 * ```ts
 * add(Matrix.from([[1, 2]]), Matrix.from([[10, 20]])).toArray(); // => [[11, 22]]
 * ```
 */
export function add(a: Matrix, b: Matrix): Matrix {
  checkOperand('a', a);
  checkOperand('b', b);
  checkSameShape(a, b);
  const out = new Float64Array(a.data.length);
  for (let t = 0; t < out.length; t++) out[t] = a.data[t]! + b.data[t]!;
  return new Matrix(a.rows, a.cols, out);
}

/**
 * Element-wise difference $A - B$ (a new matrix).
 *
 * @param a - $A$, `m × n`.
 * @param b - $B$, `m × n`.
 * @returns $A - B$.
 * @throws {@link ShapeError} when the shapes differ.
 * @throws {@link InvalidArgumentError} for a non-matrix operand.
 * @throws {@link NonFiniteError} for a NaN or infinite entry.
 * @example
 * ```ts
 * subtract(Matrix.from([[1, 2]]), Matrix.from([[10, 20]])).toArray(); // => [[-9, -18]]
 * ```
 */
export function subtract(a: Matrix, b: Matrix): Matrix {
  checkOperand('a', a);
  checkOperand('b', b);
  checkSameShape(a, b);
  const out = new Float64Array(a.data.length);
  for (let t = 0; t < out.length; t++) out[t] = a.data[t]! - b.data[t]!;
  return new Matrix(a.rows, a.cols, out);
}

/**
 * Scalar multiple $sA$ (a new matrix).
 *
 * @param a - $A$.
 * @param s - $s$, finite.
 * @returns $sA$.
 * @throws {@link InvalidArgumentError} for a non-matrix `a` or a non-finite `s`.
 * @throws {@link NonFiniteError} for a NaN or infinite entry.
 * @example
 * ```ts
 * scale(Matrix.from([[1, -2]]), 3).toArray(); // => [[3, -6]]
 * ```
 */
export function scale(a: Matrix, s: number): Matrix {
  checkOperand('a', a);
  assertFiniteNumber('s', s);
  const out = new Float64Array(a.data.length);
  for (let t = 0; t < out.length; t++) out[t] = s * a.data[t]!;
  return new Matrix(a.rows, a.cols, out);
}

/**
 * Trace $\operatorname{tr}(A) = \sum_i a_{ii}$ of a square matrix.
 *
 * @param a - $A$, `n × n`.
 * @returns $\operatorname{tr}(A)$ (0 for `0 × 0`).
 * @throws {@link ShapeError} when `a` is not square.
 * @throws {@link InvalidArgumentError} for a non-matrix `a`.
 * @throws {@link NonFiniteError} for a NaN or infinite entry.
 * @example
 * ```ts
 * trace(Matrix.from([[1, 2], [3, 4]])); // => 5
 * ```
 */
export function trace(a: Matrix): number {
  checkOperand('a', a);
  assertSquare('a', a);
  let s = 0;
  for (let i = 0; i < a.rows; i++) s += a.data[i * a.cols + i]!;
  return s;
}

/**
 * Frobenius inner product $\langle A, B\rangle = \operatorname{tr}(A^\top B) = \sum_{ij} a_{ij} b_{ij}$.
 *
 * @param a - $A$, `m × n`.
 * @param b - $B$, `m × n`.
 * @returns $\langle A, B \rangle$.
 * @throws {@link ShapeError} when the shapes differ.
 * @throws {@link InvalidArgumentError} for a non-matrix operand.
 * @throws {@link NonFiniteError} for a NaN or infinite entry.
 * @example
 * ```ts
 * frobeniusInner(Matrix.from([[1, 2], [3, 4]]), Matrix.identity(2)); // => 5
 * ```
 */
export function frobeniusInner(a: Matrix, b: Matrix): number {
  checkOperand('a', a);
  checkOperand('b', b);
  checkSameShape(a, b);
  return resolveKernel('dot')(a.data.length, a.data, b.data);
}
