/**
 * The unchecked symmetric eigensolver, the reference backend's `eigh` kernel: Householder
 * tridiagonalisation, then implicit QL (eigenvalues only) or divide and conquer (with
 * eigenvectors), then the back-transformation. The LAPACK `dsyevd` pipeline in TypeScript.
 *
 * @packageDocumentation
 */
import { applyHouseholderQ, householderTridiagonalize } from './tridiagonal';
import { tridiagonalEigenDivideConquer } from './tridiagonal-divide-conquer';
import { implicitQl } from './tridiagonal-ql';

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
export function eighKernel(n: number, a: Float64Array, wantVectors: boolean, signal?: AbortSignal): EighKernelResult {
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
  const { d, e, tau } = householderTridiagonalize(n, w, signal);
  let vectors: Float64Array | null = null;
  if (wantVectors) {
    vectors = tridiagonalEigenDivideConquer(n, d, e);
    applyHouseholderQ(n, w, tau, vectors, signal);
  } else {
    const scratch = new Float64Array(n);
    scratch.set(e);
    implicitQl(n, d, scratch, null);
    d.sort();
  }
  if (unscale !== 1) for (let i = 0; i < n; i++) d[i] = d[i]! * unscale;
  return { values: d, vectors };
}
