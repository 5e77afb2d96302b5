/**
 * The unchecked symmetric eigensolver, the reference backend's `eigh` kernel: Householder
 * tridiagonalisation, then implicit QL (eigenvalues only) or divide and conquer (with
 * eigenvectors), then the back-transformation. The LAPACK `dsyevd` pipeline in TypeScript, and
 * the same pipeline with pluggable dense stages ({@link eighPipeline}), which the `wasm-simd`
 * backend runs on its WebAssembly kernels.
 *
 * @packageDocumentation
 */
import { gemmStridedKernel } from '../kernels/gemm-kernel';
import { applyHouseholderQ, householderTridiagonalize, type TridiagonalReduction } from './tridiagonal';
import { tridiagonalEigenDivideConquer, type StridedGemm } from './tridiagonal-divide-conquer';
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
  return eighPipeline(n, a, wantVectors, signal, referenceEighStages);
}

/**
 * The three dense stages of the `dsyevd` pipeline that a backend may run on its own kernels
 * (see {@link eighPipeline}); the tridiagonal eigensolvers between them are shared.
 */
export interface EighStages {
  /**
   * Reduces $sA$ to tridiagonal form, $sA = Q T Q^\top$ (LAPACK `dsytrd`), reading only the lower
   * triangle of `a` (not modified) and scaling it by the power of two `scale` (exact). With
   * `keepReflectors` it also returns an `n × n` array whose upper triangle holds the reflectors
   * in the layout of {@link householderTridiagonalize}; otherwise `reflectors` is `null`.
   */
  tridiagonalize(
    n: number,
    a: Float64Array,
    scale: number,
    keepReflectors: boolean,
    signal?: AbortSignal,
  ): TridiagonalReduction & { reflectors: Float64Array | null };
  /**
   * The eigenvalues alone of $T = \operatorname{tridiag}(e, d, e)$: overwrites `d` (length n) with
   * them, ascending, and may destroy `e` (length n − 1).
   */
  tridiagonalValues(n: number, d: Float64Array, e: Float64Array): void;
  /** The product of the divide-and-conquer merges (the contract of `gemmStridedKernel`). */
  gemm: StridedGemm;
  /** $Z \leftarrow Q Z$ for the reduction's reflectors and τ (LAPACK `dormtr`), as {@link applyHouseholderQ}. */
  applyQ(n: number, reflectors: Float64Array, tau: Float64Array, z: Float64Array, signal?: AbortSignal): void;
}

/**
 * The reference kernel's stages, in TypeScript: the fused unblocked reduction
 * ({@link householderTridiagonalize}), implicit QL for the values alone ({@link implicitQl}),
 * `gemmStridedKernel` for the merges and the blocked back-transformation {@link applyHouseholderQ}.
 */
export const referenceEighStages: EighStages = {
  tridiagonalize(n, a, scale, keepReflectors, signal) {
    const w = Float64Array.from(a);
    if (scale !== 1) for (let k = 0; k < w.length; k++) w[k] = w[k]! * scale;
    return { ...householderTridiagonalize(n, w, signal), reflectors: keepReflectors ? w : null };
  },
  tridiagonalValues(n, d, e) {
    const scratch = new Float64Array(n);
    scratch.set(e.subarray(0, n - 1));
    implicitQl(n, d, scratch, null);
    d.sort();
  },
  gemm: gemmStridedKernel,
  applyQ: applyHouseholderQ,
};

/**
 * The `dsyevd` pipeline of {@link eighKernel} with pluggable dense stages: scaling of $A$ by a
 * power of two when $\max|a_{ij}|$ lies outside $[2^{-500}, 2^{500}]$, the reduction
 * `stages.tridiagonalize`, then `stages.tridiagonalValues` for the values alone, or divide and
 * conquer (merges through `stages.gemm`) and the back-transformation `stages.applyQ` for the
 * vectors. Same
 * contract as {@link eighKernel}; its result depends only on the input and the stages.
 *
 * @param n - order $n$ (`n ≤ 1` is answered directly).
 * @param a - `n × n` row-major symmetric matrix, lower triangle read, not modified.
 * @param wantVectors - also compute the eigenvectors.
 * @param signal - passed to the stages, which poll it.
 * @param stages - the reduction, the tridiagonal values, the merge product and the back-transformation.
 * @returns `values` ascending and `vectors` (or `null`), as {@link eighKernel}.
 * @throws {@link ConvergenceError} if an iteration fails to converge (not expected).
 * @see LAPACK `dsyevd`.
 */
export function eighPipeline(
  n: number,
  a: Float64Array,
  wantVectors: boolean,
  signal: AbortSignal | undefined,
  stages: EighStages,
): EighKernelResult {
  if (n === 0) return { values: new Float64Array(0), vectors: wantVectors ? new Float64Array(0) : null };
  if (n === 1) return { values: new Float64Array([a[0]!]), vectors: wantVectors ? new Float64Array([1]) : null };
  let max = 0;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j <= i; j++) max = Math.max(max, Math.abs(a[row + j]!));
  }
  let scale = 1;
  let unscale = 1;
  if (max > SCALE_HIGH || (max > 0 && max < SCALE_LOW)) {
    const exponent = Math.round(Math.log2(max));
    scale = 2 ** -exponent;
    unscale = 2 ** exponent;
  }
  const { d, e, tau, reflectors } = stages.tridiagonalize(n, a, scale, wantVectors, signal);
  let vectors: Float64Array | null = null;
  if (wantVectors) {
    vectors = tridiagonalEigenDivideConquer(n, d, e, stages.gemm);
    stages.applyQ(n, reflectors!, tau, vectors, signal);
  } else {
    stages.tridiagonalValues(n, d, e);
  }
  if (unscale !== 1) for (let i = 0; i < n; i++) d[i] = d[i]! * unscale;
  return { values: d, vectors };
}
