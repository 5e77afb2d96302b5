/**
 * Symmetric eigendecomposition $A = V \Lambda V^\top$: Householder tridiagonalisation, then
 * implicit QL (eigenvalues only) or divide and conquer (with eigenvectors), then the
 * back-transformation. The LAPACK `dsyevd` pipeline in TypeScript.
 *
 * @packageDocumentation
 */
import { resolveKernel, type LinalgBackend } from '../backend';
import { InvalidArgumentError } from '../errors';
import { Matrix } from '../matrix';
import { assertFiniteNumber, assertSquare, assertSymmetric, checkMatrix, defaultSymmetryTolerance } from '../validate';
import { applyHouseholderQ, householderTridiagonalize } from './tridiagonal';
import { tridiagonalEigenDivideConquer } from './tridiagonal-divide-conquer';
import { implicitQl } from './tridiagonal-ql';

/** Options of {@link eigh}. */
export interface EighOptions {
  /**
   * Compute the eigenvectors (default `true`). With `false` only the eigenvalues are computed,
   * in $O(n^2)$ after the $\tfrac43 n^3$ reduction, and `vectors` is absent.
   */
  vectors?: boolean;
  /**
   * Largest accepted asymmetry $\max_{ij} |a_{ij} - a_{ji}|$. Default
   * $64\,\varepsilon \max_{ij}|a_{ij}|$ ({@link defaultSymmetryTolerance}), which admits the
   * round-off of forming $X^\top X$ and rejects a genuinely asymmetric matrix.
   */
  symmetryTolerance?: number;
  /** Backend whose `eigh` kernel runs the computation (default: {@link getBackend}; the reference kernel when the backend has none). */
  backend?: LinalgBackend;
}

/** Result of {@link eigh}. */
export interface EighResult {
  /** Eigenvalues $\lambda_0 \le \lambda_1 \le \dots \le \lambda_{n-1}$. */
  values: Float64Array;
  /** $n \times n$ orthogonal V whose column j is the unit eigenvector of `values[j]` (absent when `vectors: false`). */
  vectors?: Matrix;
}

/** Raw result of {@link eighKernel}. */
export interface EighKernelResult {
  /** Eigenvalues, ascending (length n). */
  values: Float64Array;
  /** n × n row-major, eigenvectors as columns; `null` when not requested. */
  vectors: Float64Array | null;
}

const SCALE_HIGH = 2 ** 500;
const SCALE_LOW = 2 ** -500;

/**
 * Unchecked symmetric eigensolver on a raw row-major array, the backend's `eigh` kernel:
 * $A = V \operatorname{diag}(\lambda) V^\top$.
 *
 * Assumes `a` holds a finite symmetric `n × n` matrix; only its lower triangle is read (as
 * LAPACK with `uplo = 'L'`, and `numpy.linalg.eigh`'s default), and `a` is not modified.
 * Matrices with $\max|a_{ij}|$ outside $[2^{-500}, 2^{500}]$ are scaled by a power of two (exact)
 * first. The eigenvalues have a normwise backward error of order $n \varepsilon \|A\|$, and the
 * eigenvectors satisfy $\|AV - V\Lambda\| = O(n \varepsilon \|A\|)$,
 * $\|V^\top V - I\| = O(n\varepsilon)$.
 *
 * @param n - order $n$.
 * @param a - `n × n` row-major symmetric matrix (not modified).
 * @param wantVectors - also compute the eigenvectors.
 * @returns `values` ascending and `vectors` (n × n row-major, column j pairs with `values[j]`, or `null`).
 * @throws {@link ConvergenceError} if an iteration fails to converge (not expected).
 * @see {@link eigh} for the checked version.
 * @example
 * ```ts
 * const { values, vectors } = eighKernel(2, new Float64Array([2, 1, 1, 2]), false);
 * values; // => [1, 3]
 * vectors; // => null
 * ```
 */
export function eighKernel(n: number, a: Float64Array, wantVectors: boolean): EighKernelResult {
  if (n === 0) return { values: new Float64Array(0), vectors: wantVectors ? new Float64Array(0) : null };
  if (n === 1) return { values: new Float64Array([a[0]!]), vectors: wantVectors ? new Float64Array([1]) : null };
  const w = Float64Array.from(a);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j <= i; j++) max = Math.max(max, Math.abs(w[row + j]!));
  }
  let unscale = 1;
  if (max > SCALE_HIGH || (max > 0 && max < SCALE_LOW)) {
    const exponent = Math.round(Math.log2(max));
    const scale = 2 ** -exponent;
    unscale = 2 ** exponent;
    for (let k = 0; k < w.length; k++) w[k] = w[k]! * scale;
  }
  const { d, e, tau } = householderTridiagonalize(n, w);
  let vectors: Float64Array | null = null;
  if (wantVectors) {
    vectors = tridiagonalEigenDivideConquer(n, d, e);
    applyHouseholderQ(n, w, tau, vectors);
  } else {
    const scratch = new Float64Array(n);
    scratch.set(e);
    implicitQl(n, d, scratch, null);
    d.sort();
  }
  if (unscale !== 1) for (let i = 0; i < n; i++) d[i] = d[i]! * unscale;
  return { values: d, vectors };
}

/**
 * Eigenvalues and (optionally) eigenvectors of a real symmetric matrix:
 * $A = V \operatorname{diag}(\lambda) V^\top$ with $V^\top V = I$ and
 * $\lambda_0 \le \dots \le \lambda_{n-1}$.
 *
 * `values` are ascending; `vectors` holds the eigenvectors as **columns**, so
 * $A V = V \operatorname{diag}(\lambda)$. Each eigenvector is determined only up to sign (and,
 * for a repeated eigenvalue, up to a rotation within its eigenspace). Vectors are computed by
 * default; pass `{ vectors: false }` for eigenvalues only (several times faster). Only the lower
 * triangle enters the computation, after the whole matrix has been checked to be symmetric
 * within `symmetryTolerance`.
 *
 * Algorithm: Householder reduction to tridiagonal form ($\tfrac43 n^3$ flops, the symmetric
 * product and the rank-2 update fused into one pass per step), then implicit QL with Wilkinson
 * shifts for the eigenvalues alone, or Cuppen's divide and conquer with Gu–Eisenstat
 * eigenvectors followed by a blocked back-transformation when vectors are wanted. Backward error
 * $O(n\varepsilon\|A\|)$, like LAPACK's `dsyevd`.
 *
 * @param a - symmetric $n \times n$ matrix $A$ (0 × 0 allowed).
 * @param options - `vectors` (default `true`), `symmetryTolerance` (default
 *   $64\,\varepsilon \max|a_{ij}|$).
 * @returns `{ values, vectors }`: $\lambda$ (length n, ascending) and $V$ ($n \times n$).
 * @throws {@link InvalidArgumentError} if `a` is not a Matrix or an option is invalid.
 * @throws {@link ShapeError} if `a` is not square.
 * @throws {@link NonFiniteError} if `a` has a NaN or infinite entry.
 * @throws {@link NotSymmetricError} naming the first pair $(i, j)$ with
 *   $|a_{ij} - a_{ji}| > $ `symmetryTolerance`.
 * @throws {@link ConvergenceError} if an iteration fails to converge (not expected in practice).
 * @see Golub & Van Loan, Matrix Computations (4th ed.), §8.3 and §8.4.4; LAPACK `dsyevd`.
 * @example
 * ```ts
 * const { values, vectors } = eigh(Matrix.from([[2, 0], [0, 1]]));
 * values; // => [1, 2]
 * vectors; // => [[0, 1], [1, 0]]
 * eigh(Matrix.from([[2, 1], [1, 2]])).values; // => [1, 3]
 * Math.abs(eigh(Matrix.from([[2, 1], [1, 2]])).vectors.get(0, 1)); // => 0.7071
 * 'vectors' in eigh(Matrix.from([[2, 1], [1, 2]]), { vectors: false }); // => false
 * ```
 */
export function eigh(a: Matrix, options: EighOptions & { vectors: false }): { values: Float64Array; vectors?: undefined };
export function eigh(a: Matrix, options?: EighOptions & { vectors?: true }): { values: Float64Array; vectors: Matrix };
export function eigh(a: Matrix, options?: EighOptions): EighResult;
export function eigh(a: Matrix, options: EighOptions = {}): EighResult {
  const { vectors = true, symmetryTolerance } = checkOptions(options);
  const n = checkSymmetricMatrix('a', a, symmetryTolerance);
  const result = resolveKernel('eigh', options.backend)(n, a.data, vectors);
  if (result.vectors === null) return { values: result.values };
  return { values: result.values, vectors: new Matrix(n, n, result.vectors) };
}

/**
 * Eigenvalues of a real symmetric matrix, ascending: $\lambda_0 \le \dots \le \lambda_{n-1}$ of
 * $A = V \operatorname{diag}(\lambda) V^\top$. Same as `eigh(a, { vectors: false }).values`.
 *
 * @param a - symmetric $n \times n$ matrix $A$.
 * @param options - `symmetryTolerance` (default $64\,\varepsilon \max|a_{ij}|$).
 * @returns $\lambda$, length n.
 * @throws {@link InvalidArgumentError}, {@link ShapeError}, {@link NonFiniteError},
 *   {@link NotSymmetricError}, {@link ConvergenceError} as {@link eigh}.
 * @see {@link eigh}
 * @example
 * ```ts
 * eigvalsh(Matrix.from([[4, 0], [0, -1]])); // => [-1, 4]
 * ```
 */
export function eigvalsh(a: Matrix, options: Pick<EighOptions, 'symmetryTolerance'> = {}): Float64Array {
  return eigh(a, { symmetryTolerance: checkOptions(options).symmetryTolerance, vectors: false }).values;
}

/** Validates the options object of {@link eigh}. */
function checkOptions(options: unknown): EighOptions {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', options, 'an options object');
  const { vectors, symmetryTolerance } = options as EighOptions;
  if (vectors !== undefined && typeof vectors !== 'boolean') {
    throw new InvalidArgumentError('options.vectors', vectors, 'a boolean');
  }
  if (symmetryTolerance !== undefined) {
    assertFiniteNumber('options.symmetryTolerance', symmetryTolerance);
    if (symmetryTolerance < 0) {
      throw new InvalidArgumentError('options.symmetryTolerance', symmetryTolerance, 'a finite number ≥ 0');
    }
  }
  return options as EighOptions;
}

/**
 * Checks that `a` is a finite, square, symmetric Matrix (within `tolerance`, default
 * {@link defaultSymmetryTolerance}) and returns its order.
 */
export function checkSymmetricMatrix(argument: string, a: unknown, tolerance?: number): number {
  const m = checkMatrix(argument, a);
  assertSquare(argument, m);
  assertSymmetric(argument, m, tolerance ?? defaultSymmetryTolerance(m));
  return m.rows;
}
