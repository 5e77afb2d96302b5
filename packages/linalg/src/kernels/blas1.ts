/**
 * Checked level-1 BLAS on `Float64Array` vectors. Each validates its operands once (type,
 * matching lengths, finite entries) and then runs the unchecked kernel in `blas1-kernels.ts`.
 *
 * @packageDocumentation
 */
import { resolveKernel, type LinalgBackend } from '../backend';
import { ShapeError } from '../errors';
import { asumKernel, axpyKernel, iamaxKernel, nrm2Kernel, scalKernel } from './blas1-kernels';
import { checkOptions, checkVectorOperand, scalarOption } from './check-operands';

function checkSameLength(x: Float64Array, y: Float64Array): void {
  if (y.length !== x.length) throw new ShapeError(`y has length ${y.length}, expected x.length = ${x.length}`, 'y');
}

/**
 * Dot product $x^\top y = \sum_i x_i y_i$.
 *
 * @param x - $x$, length `n`.
 * @param y - $y$, length `n`.
 * @param options - `backend` (default: the current default backend).
 * @returns $x^\top y$ (0 for empty vectors).
 * @throws {@link InvalidArgumentError} when `x` or `y` is not a Float64Array.
 * @throws {@link ShapeError} when the lengths differ.
 * @throws {@link NonFiniteError} for a NaN or infinite entry.
 * @example
 * ```ts
 * dot(Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6)); // => 32
 * ```
 */
export function dot(x: Float64Array, y: Float64Array, options?: { backend?: LinalgBackend }): number {
  checkVectorOperand('x', x);
  checkVectorOperand('y', y);
  checkSameLength(x, y);
  return resolveKernel('dot', checkOptions('options', options).backend)(x.length, x, y);
}

/**
 * $y \leftarrow \alpha x + y$, in place.
 *
 * @param alpha - $\alpha$, finite.
 * @param x - $x$, length `n`.
 * @param y - $y$, length `n`; overwritten.
 * @returns `y`.
 * @throws {@link InvalidArgumentError} for a non-finite `alpha` or a non-Float64Array vector.
 * @throws {@link ShapeError} when the lengths differ.
 * @throws {@link NonFiniteError} for a NaN or infinite entry.
 * @example
 * ```ts
 * Array.from(axpy(2, Float64Array.of(1, 2), Float64Array.of(10, 20))); // => [12, 24]
 * ```
 */
export function axpy(alpha: number, x: Float64Array, y: Float64Array): Float64Array {
  scalarOption('alpha', alpha, 1);
  checkVectorOperand('x', x);
  checkVectorOperand('y', y);
  checkSameLength(x, y);
  axpyKernel(x.length, alpha, x, y);
  return y;
}

/**
 * $x \leftarrow \alpha x$, in place.
 *
 * @param alpha - $\alpha$, finite.
 * @param x - $x$; overwritten.
 * @returns `x`.
 * @throws {@link InvalidArgumentError} for a non-finite `alpha` or a non-Float64Array `x`.
 * @throws {@link NonFiniteError} for a NaN or infinite entry.
 * @example
 * ```ts
 * Array.from(scal(-2, Float64Array.of(1, 3))); // => [-2, -6]
 * ```
 */
export function scal(alpha: number, x: Float64Array): Float64Array {
  scalarOption('alpha', alpha, 1);
  checkVectorOperand('x', x);
  scalKernel(x.length, alpha, x);
  return x;
}

/**
 * Euclidean norm $\|x\|_2 = \sqrt{\sum_i x_i^2}$, safe from overflow and underflow (Blue's
 * scaled accumulation, as LAPACK's `dnrm2`): `nrm2([3e200, 4e200]) = 5e200`.
 *
 * @param x - $x$.
 * @returns $\|x\|_2$ (0 for an empty vector).
 * @throws {@link InvalidArgumentError} when `x` is not a Float64Array.
 * @throws {@link NonFiniteError} for a NaN or infinite entry.
 * @see E. Anderson, "Algorithm 978: Safe scaling in the Level 1 BLAS", ACM TOMS 44(1), 2017.
 * @example
 * ```ts
 * nrm2(Float64Array.of(3, 4)); // => 5
 * nrm2(Float64Array.of(3e-200, 4e-200)); // => 5e-200
 * ```
 */
export function nrm2(x: Float64Array): number {
  checkVectorOperand('x', x);
  return nrm2Kernel(x.length, x);
}

/**
 * Sum of magnitudes $\|x\|_1 = \sum_i |x_i|$.
 *
 * @param x - $x$.
 * @returns $\|x\|_1$ (0 for an empty vector).
 * @throws {@link InvalidArgumentError} when `x` is not a Float64Array.
 * @throws {@link NonFiniteError} for a NaN or infinite entry.
 * @example
 * ```ts
 * asum(Float64Array.of(1, -2, 3)); // => 6
 * ```
 */
export function asum(x: Float64Array): number {
  checkVectorOperand('x', x);
  return asumKernel(x.length, x);
}

/**
 * Index of the first entry of largest magnitude, $\min \arg\max_i |x_i|$ (0-based).
 *
 * @param x - $x$.
 * @returns the index, or `-1` for an empty vector.
 * @throws {@link InvalidArgumentError} when `x` is not a Float64Array.
 * @throws {@link NonFiniteError} for a NaN or infinite entry.
 * @example
 * ```ts
 * iamax(Float64Array.of(1, -7, 7, 2)); // => 1
 * ```
 */
export function iamax(x: Float64Array): number {
  checkVectorOperand('x', x);
  return iamaxKernel(x.length, x);
}
