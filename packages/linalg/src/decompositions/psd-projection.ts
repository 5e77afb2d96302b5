/**
 * Projection onto the cone of positive semidefinite matrices in the Frobenius norm.
 *
 * @packageDocumentation
 */
import { resolveKernel, type LinalgBackend } from '../backend';
import { InvalidArgumentError } from '../errors';
import { Matrix } from '../matrix';
import { assertFiniteNumber } from '../validate';
import { checkSymmetricMatrix } from './eigh';

/** Options of {@link projectPsd}. */
export interface ProjectPsdOptions {
  /**
   * Eigenvalue floor $\mu \ge 0$ (default 0): eigenvalues below it are raised to it, so the
   * result is the nearest matrix with $\lambda_{\min} \ge \mu$.
   */
  minEigenvalue?: number;
  /** Largest accepted asymmetry $\max|a_{ij} - a_{ji}|$; default $64\,\varepsilon\max|a_{ij}|$ as {@link eigh}. */
  symmetryTolerance?: number;
  /** Backend whose `eigh` and `gemm` kernels run the computation (default: the default backend, as {@link eigh}). */
  backend?: LinalgBackend;
}

/**
 * Nearest positive semidefinite matrix in the Frobenius norm:
 * $$ P(A) = V \max(\Lambda, \mu I) V^\top, \qquad S = \tfrac12 (A + A^\top) = V \Lambda V^\top, $$
 * with $\mu$ = `minEigenvalue` (default 0, the projection onto the PSD cone).
 *
 * The symmetric part S is decomposed by {@link eigh}; eigenvalues below the floor are replaced by
 * it. When every computed eigenvalue is already ≥ μ, S itself is returned unchanged (so a PSD
 * input comes back exactly); otherwise $P = \sum_j \max(\lambda_j, \mu)\, v_j v_j^\top$ is formed
 * over the nonzero terms and symmetrised exactly. The result is PSD and idempotent up to
 * round-off ($O(n \varepsilon \|A\|)$).
 *
 * @param a - symmetric $n \times n$ matrix A (checked as for {@link eigh}).
 * @param options - `minEigenvalue` μ ≥ 0 (default 0), `symmetryTolerance` and `backend` (whose `eigh`
 *   and `gemm` run it; default: the default backend).
 * @returns the $n \times n$ symmetric matrix $P(A)$ (new storage).
 * @throws {@link InvalidArgumentError} if `a` is not a Matrix or an option is invalid
 *   (`minEigenvalue` negative or not finite).
 * @throws {@link ShapeError} if `a` is not square.
 * @throws {@link NonFiniteError} if `a` has a NaN or infinite entry.
 * @throws {@link NotSymmetricError} if $|a_{ij} - a_{ji}|$ exceeds `symmetryTolerance`.
 * @throws {@link ConvergenceError} if the eigensolver fails to converge (not expected).
 * @see Higham, "Computing a nearest symmetric positive semidefinite matrix", Linear Algebra
 *   Appl. 103 (1988).
 * @example
 * ```ts
 * projectPsd(Matrix.from([[2, 0], [0, -1]])).toArray(); // => [[2, 0], [0, 0]]
 * projectPsd(Matrix.from([[2, 0], [0, -1]]), { minEigenvalue: 0.5 }).toArray(); // => [[2, 0], [0, 0.5]]
 * ```
 */
export function projectPsd(a: Matrix, options: ProjectPsdOptions = {}): Matrix {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', options, 'an options object');
  const { minEigenvalue = 0, symmetryTolerance, backend } = options;
  assertFiniteNumber('options.minEigenvalue', minEigenvalue);
  if (minEigenvalue < 0) throw new InvalidArgumentError('options.minEigenvalue', minEigenvalue, 'a finite number ≥ 0');
  if (symmetryTolerance !== undefined) {
    assertFiniteNumber('options.symmetryTolerance', symmetryTolerance);
    if (symmetryTolerance < 0) {
      throw new InvalidArgumentError('options.symmetryTolerance', symmetryTolerance, 'a finite number ≥ 0');
    }
  }
  const n = checkSymmetricMatrix('a', a, symmetryTolerance);
  return new Matrix(n, n, projectPsdKernel(n, a.data, minEigenvalue, backend));
}

/**
 * Unchecked kernel of {@link projectPsd}: $V \max(\Lambda, \mu I) V^\top$ for the symmetric part
 * of the `n × n` row-major `a` (not modified), as a new row-major array.
 *
 * @param n - order n.
 * @param a - `n × n` row-major (finite, symmetric to round-off).
 * @param minEigenvalue - floor μ ≥ 0.
 * @param backend - the backend of the `eigh` and `gemm` kernels (default: the default backend).
 * @returns the projection, exactly symmetric.
 */
export function projectPsdKernel(n: number, a: Float64Array, minEigenvalue: number, backend?: LinalgBackend): Float64Array {
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    s[i * n + i] = a[i * n + i]!;
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (a[i * n + j]! + a[j * n + i]!);
      s[i * n + j] = v;
      s[j * n + i] = v;
    }
  }
  if (n === 0) return s;
  const { values, vectors } = resolveKernel('eigh', backend)(n, s, true);
  if (values[0]! >= minEigenvalue) return s;
  const v = vectors!;
  const kept: number[] = [];
  for (let j = 0; j < n; j++) if (Math.max(values[j]!, minEigenvalue) > 0) kept.push(j);
  const p = kept.length;
  const out = new Float64Array(n * n);
  if (p === 0) return out;
  // P = (V₊ diag(μ₊)) V₊ᵀ
  const scaled = new Float64Array(n * p);
  const vt = new Float64Array(p * n);
  for (let t = 0; t < p; t++) {
    const j = kept[t]!;
    const mu = Math.max(values[j]!, minEigenvalue);
    for (let r = 0; r < n; r++) {
      const x = v[r * n + j]!;
      scaled[r * p + t] = mu * x;
      vt[t * n + r] = x;
    }
  }
  resolveKernel('gemm', backend)(false, false, n, n, p, 1, scaled, vt, 0, out);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const x = 0.5 * (out[i * n + j]! + out[j * n + i]!);
      out[i * n + j] = x;
      out[j * n + i] = x;
    }
  }
  return out;
}
