/**
 * Symmetric eigendecomposition $A = V \Lambda V^\top$, checked: validates the matrix, then runs
 * the backend's `eigh` kernel (the reference one is {@link eighKernel}, in `eigh-kernel.ts`).
 *
 * @packageDocumentation
 */
import { resolveKernel, type LinalgBackend } from '../backend';
import { InvalidArgumentError } from '../errors';
import { Matrix } from '../matrix';
import { assertFiniteNumber, assertSquare, assertSymmetric, checkMatrix, checkSignal, defaultSymmetryTolerance } from '../validate';

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
  /**
   * Polled between the steps of the $O(n^3)$ reduction (once per column on the reference
   * backend, once per panel of 16 columns on `wasm-simd`) and of the back transformation (once
   * per block of 32 reflectors); aborting it stops the computation with `AbortedError`.
   */
  signal?: AbortSignal;
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
 * Algorithm: Householder reduction to tridiagonal form ($\tfrac43 n^3$ flops; on the reference
 * backend the symmetric product and the rank-2 update fused into one pass per step, on `wasm-simd`
 * blocked as LAPACK's `dsytrd`), then implicit QL with Wilkinson shifts for the eigenvalues alone
 * (its root-free variant `dsterf` on `wasm-simd`), or Cuppen's divide and conquer with
 * Gu–Eisenstat eigenvectors followed by a blocked back-transformation when vectors are wanted.
 * Backward error $O(n\varepsilon\|A\|)$, like LAPACK's `dsyevd`; each backend is deterministic,
 * and two backends agree to that error, not to the bit.
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
  const result = resolveKernel('eigh', options.backend)(n, a.data, vectors, options.signal);
  if (result.vectors === null) return { values: result.values };
  return { values: result.values, vectors: new Matrix(n, n, result.vectors) };
}

/**
 * Eigenvalues of a real symmetric matrix, ascending: $\lambda_0 \le \dots \le \lambda_{n-1}$ of
 * $A = V \operatorname{diag}(\lambda) V^\top$. Same as `eigh(a, { vectors: false }).values`.
 *
 * @param a - symmetric $n \times n$ matrix $A$.
 * @param options - `symmetryTolerance` (default $64\,\varepsilon \max|a_{ij}|$), `signal`.
 * @returns $\lambda$, length n.
 * @throws {@link InvalidArgumentError}, {@link ShapeError}, {@link NonFiniteError},
 *   {@link NotSymmetricError}, {@link ConvergenceError} as {@link eigh}.
 * @see {@link eigh}
 * @example
 * ```ts
 * eigvalsh(Matrix.from([[4, 0], [0, -1]])); // => [-1, 4]
 * ```
 */
export function eigvalsh(a: Matrix, options: Pick<EighOptions, 'symmetryTolerance' | 'signal'> = {}): Float64Array {
  const { symmetryTolerance, signal } = checkOptions(options);
  return eigh(a, { symmetryTolerance, signal, vectors: false }).values;
}

/** Validates the options object of {@link eigh}. */
function checkOptions(options: unknown): EighOptions {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', options, 'an options object');
  const { vectors, symmetryTolerance, signal } = options as EighOptions;
  checkSignal('options.signal', signal);
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
