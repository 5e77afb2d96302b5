/**
 * Cholesky factorisation `A = L Lᵀ` of a symmetric positive definite matrix, and solves with
 * the factor.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, NotPositiveDefiniteError, ShapeError } from '../errors';
import { Matrix } from '../matrix';
import { assertFiniteVector, assertSquare, assertSymmetric, checkMatrix } from '../validate';

/**
 * Unchecked Cholesky kernel (row-oriented Cholesky–Banachiewicz; every inner product runs over
 * two contiguous row prefixes of `L`). Reads the lower triangle of the row-major `n × n` array
 * `a` and writes `L` (lower triangular, zeros above the diagonal) to `l`.
 *
 * @returns `−1` on success, or the index `k` of the first pivot whose Schur complement
 *   `a_kk − Σ_{j<k} l_kj²` is not positive; that value is then left in `l[k·n + k]`.
 */
export function choleskyKernel(n: number, a: Float64Array, l: Float64Array): number {
  l.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let k = 0;
      for (; k + 3 < j; k += 4) {
        s0 += l[ri + k]! * l[rj + k]!;
        s1 += l[ri + k + 1]! * l[rj + k + 1]!;
        s2 += l[ri + k + 2]! * l[rj + k + 2]!;
        s3 += l[ri + k + 3]! * l[rj + k + 3]!;
      }
      for (; k < j; k++) s0 += l[ri + k]! * l[rj + k]!;
      const s = a[ri + j]! - (s0 + s1 + (s2 + s3));
      if (j < i) {
        l[ri + j] = s / l[rj + j]!;
      } else {
        if (!(s > 0)) {
          l[ri + i] = s;
          return i;
        }
        l[ri + i] = Math.sqrt(s);
      }
    }
  }
  return -1;
}

/** Result of {@link cholesky}. */
export interface CholeskyResult {
  /** The lower triangular factor `L` with positive diagonal, `A = L Lᵀ`. */
  l: Matrix;
}

/**
 * Cholesky factorisation $A = L L^\top$ of a symmetric positive definite `A`, with `L` lower
 * triangular and $\ell_{kk} > 0$.
 *
 * `A` must be symmetric to the default tolerance of `assertSymmetric`
 * (`64·ε·max|a_ij|`); only its lower triangle is read. Cost `n³/3` flops.
 *
 * @param a - `A`, `n × n`, symmetric positive definite, finite.
 * @returns `{ l }` with `L L^T = A` to `O(n·ε·‖A‖)`.
 * @throws {@link NotPositiveDefiniteError} naming the first pivot `k` whose Schur complement
 *   $a_{kk} - \sum_{j<k} \ell_{kj}^2$ is not positive (so `A` is not positive definite to
 *   working precision).
 * @throws {@link ShapeError} when `a` is not square.
 * @throws {@link NotSymmetricError} when `a` is not symmetric.
 * @throws {@link InvalidArgumentError} when `a` is not a Matrix.
 * @throws {@link NonFiniteError} for NaN or infinite entries.
 * @see Golub & Van Loan, *Matrix Computations* (4th ed.), §4.2.
 * @example
 * ```ts
 * cholesky(Matrix.from([[4, 2], [2, 5]])).l.toArray(); // => [[2, 0], [1, 2]]
 * ```
 */
export function cholesky(a: Matrix): CholeskyResult {
  checkMatrix('a', a);
  assertSquare('a', a);
  assertSymmetric('a', a);
  const n = a.rows;
  const l = new Float64Array(n * n);
  const pivot = choleskyKernel(n, a.data, l);
  if (pivot >= 0) throw new NotPositiveDefiniteError('a', pivot, l[pivot * n + pivot]!);
  return { l: new Matrix(n, n, l) };
}

/**
 * Solves $L L^\top X = B$ given the Cholesky factor `L` (forward then back substitution).
 *
 * Only the lower triangle of `l` is read.
 *
 * @param l - `L`, `n × n` lower triangular with positive diagonal (from {@link cholesky}).
 * @param b - `B`: a vector of length `n` or an `n × k` matrix.
 * @returns `X` of the same kind and shape as `b`.
 * @throws {@link ShapeError} when `l` is not square or `b` does not have `n` rows.
 * @throws {@link InvalidArgumentError} when a diagonal entry of `l` is not positive, or for
 *   arguments of the wrong type.
 * @throws {@link NonFiniteError} for NaN or infinite entries.
 * @see {@link cholesky}; Golub & Van Loan, *Matrix Computations* (4th ed.), §4.2.
 * @example
 * ```ts
 * const { l } = cholesky(Matrix.from([[4, 2], [2, 5]]));
 * Array.from(choleskySolve(l, new Float64Array([6, 7]))); // => [1, 1]
 * ```
 */
export function choleskySolve(l: Matrix, b: Float64Array): Float64Array;
export function choleskySolve(l: Matrix, b: Matrix): Matrix;
export function choleskySolve(l: Matrix, b: Matrix | Float64Array): Matrix | Float64Array;
export function choleskySolve(l: Matrix, b: Matrix | Float64Array): Matrix | Float64Array {
  checkMatrix('l', l);
  assertSquare('l', l);
  const n = l.rows;
  for (let i = 0; i < n; i++) {
    const d = l.data[i * n + i]!;
    if (!(d > 0)) throw new InvalidArgumentError(`l[${i}][${i}]`, d, 'a positive diagonal entry (a Cholesky factor)');
  }
  let x: Float64Array;
  let k: number;
  if (b instanceof Float64Array) {
    assertFiniteVector('b', b);
    if (b.length !== n) throw new ShapeError(`b has length ${b.length} but l is ${n}×${n}`, 'b');
    x = b.slice();
    k = 1;
  } else {
    checkMatrix('b', b);
    if (b.rows !== n) throw new ShapeError(`b is ${b.rows}×${b.cols} but l is ${n}×${n} (b needs ${n} rows)`, 'b');
    x = b.data.slice();
    k = b.cols;
  }
  choleskySolveKernel(n, l.data, x, k);
  return b instanceof Float64Array ? x : new Matrix(n, k, x);
}

/**
 * Unchecked: overwrites the row-major `n × k` array `x` (holding `B`) with `(L Lᵀ)⁻¹ B`.
 */
export function choleskySolveKernel(n: number, l: Float64Array, x: Float64Array, k: number): void {
  // L Y = B: row i of Y = (b_i − Σ_{j<i} l_ij y_j) / l_ii.
  for (let i = 0; i < n; i++) {
    const xi = i * k;
    for (let j = 0; j < i; j++) {
      const lij = l[i * n + j]!;
      if (lij === 0) continue;
      const xj = j * k;
      for (let c = 0; c < k; c++) x[xi + c] = x[xi + c]! - lij * x[xj + c]!;
    }
    const lii = l[i * n + i]!;
    for (let c = 0; c < k; c++) x[xi + c] = x[xi + c]! / lii;
  }
  // Lᵀ X = Y: row i of X = (y_i − Σ_{j>i} l_ji x_j) / l_ii.
  for (let i = n - 1; i >= 0; i--) {
    const xi = i * k;
    for (let j = i + 1; j < n; j++) {
      const lji = l[j * n + i]!;
      if (lji === 0) continue;
      const xj = j * k;
      for (let c = 0; c < k; c++) x[xi + c] = x[xi + c]! - lji * x[xj + c]!;
    }
    const lii = l[i * n + i]!;
    for (let c = 0; c < k; c++) x[xi + c] = x[xi + c]! / lii;
  }
}
