import type { LinalgBackend } from '../linalg-backend';
import { eighKernel } from '../decompositions/eigh-kernel';
import { singularValuesKernel, svdKernel } from '../decompositions/svd-kernel';
import { dotKernel } from '../kernels/blas1-kernels';
import { gemmKernel } from '../kernels/gemm-kernel';
import { gemvKernel } from '../kernels/gemv-kernel';
import { quadraticFormsKernel } from '../kernels/quadratic-forms-kernel';
import { syrkKernel } from '../kernels/syrk-kernel';
import { weightedGramKernel } from '../kernels/weighted-gram-kernel';

/**
 * The pure-TypeScript float64 backend: cache-blocked, register-tiled kernels that run anywhere
 * JavaScript does. It is the fallback for every slot another backend
 * leaves out, including the decompositions (`eigh`: tridiagonalisation + QL / divide and conquer;
 * `svd`: bidiagonalisation + Golub–Kahan QR).
 *
 * @example
 * ```ts
 * referenceBackend.name; // => "reference"
 * referenceBackend.dot!(2, Float64Array.of(1, 2), Float64Array.of(3, 4)); // => 11
 * ```
 */
export const referenceBackend: LinalgBackend = {
  name: 'reference',
  precision: 'float64',
  description: 'Pure TypeScript, float64, cache-blocked and register-tiled (single thread)',
  gemm: gemmKernel,
  syrk: syrkKernel,
  weightedGram: weightedGramKernel,
  quadraticForms: quadraticFormsKernel,
  gemv: gemvKernel,
  dot: dotKernel,
  eigh: eighKernel,
  svd: svdKernel,
  singularValues: singularValuesKernel,
};
