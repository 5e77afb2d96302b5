/**
 * Singular value decomposition $A = U \operatorname{diag}(s) V^\top$, checked, with singular
 * values, numerical rank and condition number. The computation is the backend's `svd` kernel for
 * the thin factors (the reference one is {@link svdKernel}, in `svd-kernel.ts`), the reference
 * kernel otherwise.
 *
 * @packageDocumentation
 */
import { resolveKernel, type LinalgBackend } from '../backend';
import { InvalidArgumentError } from '../errors';
import { Matrix } from '../matrix';
import { assertFiniteNumber, checkMatrix } from '../validate';
import { svdKernel, svdRaw } from './svd-kernel';

/** Options of {@link svd}. */
export interface SvdOptions {
  /** Square `U` (`m × m`) and `V` (`n × n`) instead of the thin factors; default `false`. */
  full?: boolean;
  /**
   * Backend whose `svd` kernel computes the thin factorisation (default: {@link getBackend}; the
   * reference kernel when the backend has none). `full: true` always uses the reference kernel.
   */
  backend?: LinalgBackend;
}

/** Result of {@link svd}. */
export interface SvdResult {
  /** Singular values `s_0 ≥ s_1 ≥ … ≥ 0`, length `k = min(m, n)`. */
  s: Float64Array;
  /** Left singular vectors as columns: `m × k` (thin) or `m × m` (full). */
  u: Matrix;
  /** Right singular vectors as columns: `n × k` (thin) or `n × n` (full). */
  v: Matrix;
}

/**
 * Singular value decomposition $A = U \operatorname{diag}(s) V^\top$, thin by default.
 *
 * Householder bidiagonalisation followed by the implicit-shift Golub–Kahan QR iteration with
 * Demmel–Kahan zero shifts (LAPACK `dgesvd`'s algorithm): backward stable, so
 * `‖A − U diag(s) Vᵀ‖ = O(max(m, n)·ε·‖A‖)` and the singular values are accurate to
 * `O(max(m, n)·ε·s_0)`. Cost `O(mn·min(m, n))`. Handles wide, tall, rank-deficient and zero
 * matrices; columns of `U`, `V` for repeated or zero singular values are an orthonormal basis
 * of the corresponding subspace.
 *
 * @param a - `A`, `m × n`, finite.
 * @param options - `full: true` for square `U` (`m × m`) and `V` (`n × n`).
 * @returns `s` (descending, length `k = min(m, n)`), `u`, `v` with orthonormal columns.
 * @throws {@link InvalidArgumentError} when `a` is not a Matrix or `options.full` is not a
 *   boolean.
 * @throws {@link NonFiniteError} for NaN or infinite entries.
 * @throws {@link ConvergenceError} if the QR iteration fails to converge (not observed).
 * @see Golub & Kahan, "Calculating the singular values and pseudo-inverse of a matrix" (1965);
 *   Demmel & Kahan, "Accurate singular values of bidiagonal matrices" (1990).
 * @example
 * ```ts
 * const { s, u, v } = svd(Matrix.from([[0, 2], [3, 0]]));
 * Array.from(s); // => [3, 2]
 * u.shape; // => [2, 2]
 * ```
 */
export function svd(a: Matrix, options: SvdOptions = {}): SvdResult {
  checkMatrix('a', a);
  const full = options.full ?? false;
  if (typeof full !== 'boolean') throw new InvalidArgumentError('options.full', full, 'a boolean');
  const kernel = resolveKernel('svd', options.backend);
  if (!full && kernel !== svdKernel) {
    const k = Math.min(a.rows, a.cols);
    const t = kernel(a.rows, a.cols, a.data);
    return { s: t.s, u: new Matrix(a.rows, k, t.u), v: new Matrix(a.cols, k, t.v) };
  }
  const r = svdRaw(a.rows, a.cols, a.data, full ? 2 : 1);
  return { s: r.s, u: new Matrix(a.rows, r.uCols, r.u!), v: new Matrix(a.cols, r.vCols, r.v!) };
}

/**
 * Singular values $s_0 \ge s_1 \ge \cdots \ge s_{k-1} \ge 0$ of `A` (`k = min(m, n)`), without
 * forming the singular vectors (about half the work of {@link svd}), by the backend's
 * `singularValues` kernel (the default backend's unless `options.backend` is given; the reference
 * kernel where it has none; LAPACK's `dgesdd` on the native backend).
 *
 * @param a - `A`, `m × n`, finite.
 * @param options - `backend`.
 * @returns `s`, descending, length `min(m, n)`.
 * @throws {@link InvalidArgumentError} when `a` is not a Matrix.
 * @throws {@link NonFiniteError} for NaN or infinite entries.
 * @see {@link svd}; Demmel & Kahan (1990) for the relative accuracy of small singular values.
 * @example
 * ```ts
 * Array.from(singularValues(Matrix.from([[1, 1], [1, 1]]))); // => [2, 0]
 * ```
 */
export function singularValues(a: Matrix, options: { backend?: LinalgBackend } = {}): Float64Array {
  checkMatrix('a', a);
  return resolveKernel('singularValues', options.backend)(a.rows, a.cols, a.data);
}

/**
 * Numerical rank: the number of singular values above a tolerance,
 * $\operatorname{rank}(A) = \#\{i : s_i > \mathrm{tol}\}$.
 *
 * The default tolerance is NumPy's `matrix_rank` default
 * $\mathrm{tol} = \max(m, n)\,\varepsilon\, s_0$ with $\varepsilon = 2^{-52}$: singular values
 * below it are indistinguishable from round-off in `A`.
 *
 * @param a - `A`, `m × n`, finite.
 * @param tol - absolute threshold, finite and `≥ 0` (default `max(m, n)·ε·s_0`).
 * @returns the numerical rank, an integer in `[0, min(m, n)]`.
 * @throws {@link InvalidArgumentError} for a negative or non-finite `tol`, or a non-Matrix.
 * @throws {@link NonFiniteError} for NaN or infinite entries.
 * @see `numpy.linalg.matrix_rank`; Golub & Van Loan, *Matrix Computations* (4th ed.), §5.4.1.
 * @example
 * ```ts
 * rank(Matrix.from([[1, 2], [2, 4], [3, 6]])); // => 1
 * ```
 */
export function rank(a: Matrix, tol?: number): number {
  checkMatrix('a', a);
  if (tol !== undefined) {
    assertFiniteNumber('tol', tol);
    if (tol < 0) throw new InvalidArgumentError('tol', tol, 'a finite number ≥ 0');
  }
  const s = svdRaw(a.rows, a.cols, a.data, 0).s;
  const threshold = tol ?? Math.max(a.rows, a.cols) * Number.EPSILON * (s.length > 0 ? s[0]! : 0);
  let r = 0;
  for (let i = 0; i < s.length; i++) if (s[i]! > threshold) r++;
  return r;
}

/**
 * 2-norm condition number $\kappa_2(A) = s_0 / s_{k-1}$ (ratio of the largest to the smallest
 * of the `k = min(m, n)` singular values); `Infinity` when `s_{k−1} = 0` (including `A = 0`).
 *
 * @param a - `A`, `m × n` with `m, n ≥ 1`, finite.
 * @returns `κ₂(A) ≥ 1`, or `Infinity`.
 * @throws {@link InvalidArgumentError} for an empty matrix or a non-Matrix.
 * @throws {@link NonFiniteError} for NaN or infinite entries.
 * @see `numpy.linalg.cond` (2-norm); Golub & Van Loan, *Matrix Computations* (4th ed.), §2.6.2.
 * @example
 * ```ts
 * conditionNumber(Matrix.from([[2, 0], [0, 0.5]])); // => 4
 * ```
 */
export function conditionNumber(a: Matrix): number {
  checkMatrix('a', a);
  if (a.rows === 0 || a.cols === 0) throw new InvalidArgumentError('a', a, 'a non-empty matrix');
  const s = svdRaw(a.rows, a.cols, a.data, 0).s;
  const smin = s[s.length - 1]!;
  return smin === 0 ? Infinity : s[0]! / smin;
}
