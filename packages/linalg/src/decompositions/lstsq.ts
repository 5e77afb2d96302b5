/**
 * Linear least squares (minimum-norm, via the SVD), the Moore–Penrose pseudo-inverse, and
 * square linear systems (LU with partial pivoting).
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, ShapeError, SingularMatrixError } from '../errors';
import { Matrix } from '../matrix';
import { assertFiniteNumber, assertFiniteVector, assertSquare, checkMatrix } from '../validate';
import { transposeKernel } from './qr';
import { svdKernel } from './svd-kernel';
import { tallSvdSolveKernel } from './tall-svd-solve';

/** Options of {@link lstsq} and {@link pinv}. */
export interface RcondOptions {
  /**
   * Relative cutoff: singular values `s_i ≤ rcond · s_0` are treated as zero. Finite and `≥ 0`;
   * default `max(m, n) · ε` with `ε = 2⁻⁵²`.
   */
  rcond?: number;
}

/** Result of {@link lstsq}. */
export interface LstsqResult<T extends Matrix | Float64Array> {
  /** Minimum-norm least-squares solution: length `n` (vector `b`) or `n × k`. */
  x: T;
  /**
   * Squared residual norms `‖b_j − A x_j‖²` per right-hand side when `rank = n < m`;
   * otherwise empty (as NumPy: the residual is then zero or not meaningful).
   */
  residuals: Float64Array;
  /** Numerical rank: the number of singular values `> rcond · s_0`. */
  rank: number;
  /** Singular values of `A`, descending, length `min(m, n)`. */
  singularValues: Float64Array;
}

function checkRcond(options: RcondOptions, m: number, n: number): number {
  if (options.rcond === undefined) return Math.max(m, n) * Number.EPSILON;
  assertFiniteNumber('options.rcond', options.rcond);
  if (options.rcond < 0) throw new InvalidArgumentError('options.rcond', options.rcond, 'a finite number ≥ 0');
  return options.rcond;
}

/** Validates a right-hand side with `m` rows; returns its columns count and row-major data. */
function checkRightHandSide(b: unknown, m: number, aShape: string): { k: number; data: Float64Array } {
  if (b instanceof Float64Array) {
    assertFiniteVector('b', b);
    if (b.length !== m) throw new ShapeError(`b has length ${b.length} but a is ${aShape} (b needs length ${m})`, 'b');
    return { k: 1, data: b };
  }
  if (b instanceof Matrix || (typeof b === 'object' && b !== null && 'rows' in b)) {
    const bm = checkMatrix('b', b);
    if (bm.rows !== m) throw new ShapeError(`b is ${bm.rows}×${bm.cols} but a is ${aShape} (b needs ${m} rows)`, 'b');
    return { k: bm.cols, data: bm.data };
  }
  throw new InvalidArgumentError('b', b, 'a Float64Array or a Matrix');
}

/**
 * Minimum-norm linear least squares: $x = \arg\min \|x\|_2$ over the minimisers of
 * $\|A x - b\|_2$, i.e. $x = A^+ b = V \Sigma_r^{-1} U^\top b$ with singular values
 * `s_i ≤ rcond · s_0` treated as zero (the semantics of `numpy.linalg.lstsq`).
 *
 * For `m ≥ n` the SVD is computed without forming `U`: the left transformations are applied to
 * `b` directly (as LAPACK `dgelss`), which roughly halves the cost of a full SVD.
 *
 * @param a - `A`, `m × n`, finite.
 * @param b - `b`: a vector of length `m`, or an `m × k` matrix of right-hand sides.
 * @param options - `rcond`, the relative cutoff (default `max(m, n)·ε`).
 * @returns `x` (length `n`, or `n × k`), `residuals`, `rank`, `singularValues`.
 * @throws {@link ShapeError} when `b` does not have `m` rows.
 * @throws {@link InvalidArgumentError} for arguments of the wrong type or a negative or
 *   non-finite `rcond`.
 * @throws {@link NonFiniteError} for NaN or infinite entries.
 * @see Golub & Van Loan, *Matrix Computations* (4th ed.), §5.5.
 * @example
 * ```ts
 * // Fit y = c0 + c1 t through (0, 1), (1, 3), (2, 5):
 * const { x, rank } = lstsq(Matrix.from([[1, 0], [1, 1], [1, 2]]), new Float64Array([1, 3, 5]));
 * Array.from(x).map((v) => Math.round(v * 1e12) / 1e12); // => [1, 2]
 * rank; // => 2
 * ```
 */
export function lstsq(a: Matrix, b: Float64Array, options?: RcondOptions): LstsqResult<Float64Array>;
export function lstsq(a: Matrix, b: Matrix, options?: RcondOptions): LstsqResult<Matrix>;
export function lstsq(a: Matrix, b: Matrix | Float64Array, options?: RcondOptions): LstsqResult<Matrix | Float64Array>;
export function lstsq(a: Matrix, b: Matrix | Float64Array, options: RcondOptions = {}): LstsqResult<Matrix | Float64Array> {
  checkMatrix('a', a);
  const m = a.rows;
  const n = a.cols;
  const { k, data: bd } = checkRightHandSide(b, m, `${m}×${n}`);
  const rcond = checkRcond(options, m, n);

  const x = new Float64Array(n * k);
  let s: Float64Array;
  let rank = 0;
  let tail: Float64Array | null = null;
  if (m >= n) {
    const cT = transposeKernel(m, k, bd, new Float64Array(m * k));
    const r = tallSvdSolveKernel(m, n, a.data, cT, k);
    s = r.s;
    tail = r.tail;
    const cutoff = rcond * (n > 0 ? s[0]! : 0);
    // x = Σ_{i<rank} v_i (u_iᵀ b) / s_i; rows of vt are the v_i.
    for (let i = 0; i < n; i++) {
      if (!(s[i]! > cutoff)) break;
      rank++;
      const vi = i * n;
      for (let q = 0; q < k; q++) {
        const coef = r.c[i * k + q]! / s[i]!;
        if (coef === 0) continue;
        for (let j = 0; j < n; j++) x[j * k + q] = x[j * k + q]! + r.vt[vi + j]! * coef;
      }
    }
  } else {
    const r = svdKernel(m, n, a.data); // u: m × m, v: n × m
    s = r.s;
    const cutoff = rcond * s[0]!;
    const c = new Float64Array(k);
    for (let i = 0; i < m; i++) {
      if (!(s[i]! > cutoff)) break;
      rank++;
      c.fill(0);
      for (let row = 0; row < m; row++) {
        const ui = r.u[row * m + i]!;
        for (let q = 0; q < k; q++) c[q] = c[q]! + ui * bd[row * k + q]!;
      }
      for (let q = 0; q < k; q++) c[q] = c[q]! / s[i]!;
      for (let j = 0; j < n; j++) {
        const vji = r.v[j * m + i]!;
        for (let q = 0; q < k; q++) x[j * k + q] = x[j * k + q]! + vji * c[q]!;
      }
    }
  }

  // Full column rank and m > n: ‖b − Ax‖² is the squared norm of the part of b outside the
  // range of A, read off the orthogonally transformed b (no cancellation, as LAPACK dgelsd).
  const residuals = rank === n && m > n && tail !== null ? tail : new Float64Array(0);
  return {
    x: b instanceof Float64Array ? x : new Matrix(n, k, x),
    residuals,
    rank,
    singularValues: s,
  };
}

/**
 * Moore–Penrose pseudo-inverse $A^+ = V \Sigma_r^{-1} U^\top$ (`n × m`), with singular values
 * `s_i ≤ rcond · s_0` treated as zero.
 *
 * The default cutoff `rcond = max(m, n)·ε` matches {@link lstsq}, {@link rank} and NumPy's
 * `pinv(a, rtol=None)`; NumPy's legacy default is `rcond = 1e-15`.
 *
 * @param a - `A`, `m × n`, finite.
 * @param options - `rcond`, the relative cutoff (default `max(m, n)·ε`).
 * @returns `A⁺`, `n × m`, satisfying the Penrose conditions `A A⁺ A = A`, `A⁺ A A⁺ = A⁺`.
 * @throws {@link InvalidArgumentError} for a non-Matrix or a negative or non-finite `rcond`.
 * @throws {@link NonFiniteError} for NaN or infinite entries.
 * @see Penrose, "A generalized inverse for matrices" (1955).
 * @example
 * ```ts
 * pinv(Matrix.from([[2, 0], [0, 0]])).toArray(); // => [[0.5, 0], [0, 0]]
 * ```
 */
export function pinv(a: Matrix, options: RcondOptions = {}): Matrix {
  checkMatrix('a', a);
  const m = a.rows;
  const n = a.cols;
  const rcond = checkRcond(options, m, n);
  const k = Math.min(m, n);
  const out = new Float64Array(n * m);
  if (k === 0) return new Matrix(n, m, out);
  const { s, u, v } = svdKernel(m, n, a.data); // u: m × k, v: n × k
  const cutoff = rcond * s[0]!;
  let r = 0;
  while (r < k && s[r]! > cutoff) r++;
  const ut = transposeKernel(m, k, u, new Float64Array(m * k)); // rows: u_i
  for (let j = 0; j < n; j++) {
    const oj = j * m;
    for (let i = 0; i < r; i++) {
      const coef = v[j * k + i]! / s[i]!;
      if (coef === 0) continue;
      const oi = i * m;
      for (let c = 0; c < m; c++) out[oj + c] = out[oj + c]! + coef * ut[oi + c]!;
    }
  }
  return new Matrix(n, m, out);
}

/**
 * Solves the square system $A X = B$ by LU factorisation with partial pivoting, $PA = LU$.
 *
 * `A` is rejected as singular when a pivot satisfies $|u_{kk}| \le n\,\varepsilon\,\max_{ij}|a_{ij}|$:
 * then `A` is within a relative perturbation of order `n·ε` of a singular matrix and the
 * solution would carry no correct digits. Use {@link lstsq} for singular or rectangular
 * systems (minimum-norm solution).
 *
 * @param a - `A`, `n × n`, finite.
 * @param b - `B`: a vector of length `n` or an `n × k` matrix.
 * @returns `X` of the same kind and shape as `b`.
 * @throws {@link SingularMatrixError} when `A` is singular to working precision (names the
 *   pivot).
 * @throws {@link ShapeError} when `a` is not square or `b` does not have `n` rows.
 * @throws {@link InvalidArgumentError} for arguments of the wrong type.
 * @throws {@link NonFiniteError} for NaN or infinite entries.
 * @see Golub & Van Loan, *Matrix Computations* (4th ed.), §3.4.
 * @example
 * ```ts
 * Array.from(solve(Matrix.from([[2, 1], [1, 3]]), new Float64Array([3, 5]))); // => [0.8, 1.4]
 * ```
 */
export function solve(a: Matrix, b: Float64Array): Float64Array;
export function solve(a: Matrix, b: Matrix): Matrix;
export function solve(a: Matrix, b: Matrix | Float64Array): Matrix | Float64Array;
export function solve(a: Matrix, b: Matrix | Float64Array): Matrix | Float64Array {
  checkMatrix('a', a);
  assertSquare('a', a);
  const n = a.rows;
  const { k, data } = checkRightHandSide(b, n, `${n}×${n}`);
  const x = data.slice();
  const lu = a.data.slice();
  let maxAbs = 0;
  for (let i = 0; i < lu.length; i++) maxAbs = Math.max(maxAbs, Math.abs(lu[i]!));
  const tol = n * Number.EPSILON * maxAbs;
  const failed = luSolveKernel(n, lu, x, k, tol);
  if (failed >= 0) throw new SingularMatrixError('a', failed, Math.abs(lu[failed * n + failed]!), tol);
  return b instanceof Float64Array ? x : new Matrix(n, k, x);
}

/**
 * Unchecked LU solve with partial pivoting: overwrites `lu` (`n × n`) with the factors and `x`
 * (`n × k`, holding `B`) with `A⁻¹ B`. Returns `−1`, or the first step whose best pivot has
 * magnitude `≤ tol` (that pivot is then left in `lu[k·n + k]`).
 */
export function luSolveKernel(n: number, lu: Float64Array, x: Float64Array, k: number, tol: number): number {
  for (let c = 0; c < n; c++) {
    let p = c;
    let best = Math.abs(lu[c * n + c]!);
    for (let i = c + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + c]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (p !== c) {
      for (let j = 0; j < n; j++) {
        const t = lu[c * n + j]!;
        lu[c * n + j] = lu[p * n + j]!;
        lu[p * n + j] = t;
      }
      for (let q = 0; q < k; q++) {
        const t = x[c * k + q]!;
        x[c * k + q] = x[p * k + q]!;
        x[p * k + q] = t;
      }
    }
    if (!(best > tol)) return c;
    const pivot = lu[c * n + c]!;
    for (let i = c + 1; i < n; i++) {
      const f = lu[i * n + c]! / pivot;
      if (f === 0) continue;
      lu[i * n + c] = f;
      const ri = i * n;
      const rc = c * n;
      for (let j = c + 1; j < n; j++) lu[ri + j] = lu[ri + j]! - f * lu[rc + j]!;
      for (let q = 0; q < k; q++) x[i * k + q] = x[i * k + q]! - f * x[c * k + q]!;
    }
  }
  // Back substitution with U.
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    for (let j = i + 1; j < n; j++) {
      const u = lu[ri + j]!;
      if (u === 0) continue;
      for (let q = 0; q < k; q++) x[i * k + q] = x[i * k + q]! - u * x[j * k + q]!;
    }
    const d = lu[ri + i]!;
    for (let q = 0; q < k; q++) x[i * k + q] = x[i * k + q]! / d;
  }
  return -1;
}
