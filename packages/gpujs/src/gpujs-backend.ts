/**
 * The `gpujs` backend: gpu.js kernels behind the backend interface's asynchronous products
 * (`gemmAsync`, `syrkAsync`, `weightedGramAsync`), precision float32; its synchronous calls fall
 * back to the reference backend's float64 kernels.
 *
 * @packageDocumentation
 */
import type { LinalgBackend } from '@shallowscape/linalg';
import type { GpujsKernels } from './gpujs-kernels';

/**
 * A backend over gpu.js kernels.
 *
 * @param kernels - from `GpujsKernels.create`.
 * @returns the backend, named `gpujs`, precision `float32`, its description naming gpu.js's mode.
 *
 * @example
 * ```ts
 * const backend = gpujsBackend({ mode: 'webgl2' } as GpujsKernels);
 * [backend.name, backend.precision, backend.description]; // => ["gpujs", "float32", "gpu.js 2.24 kernels (float32) in its webgl2 mode"]
 * ```
 */
export function gpujsBackend(kernels: GpujsKernels): LinalgBackend {
  return {
    name: 'gpujs',
    precision: 'float32',
    description: `gpu.js 2.24 kernels (float32) in its ${kernels.mode} mode`,
    gemmAsync: (transA, transB, m, n, k, alpha, a, b, beta, c) => kernels.gemm(transA, transB, m, n, k, alpha, a, b, beta, c),
    syrkAsync: (transpose, n, k, alpha, a, beta, c) => kernels.syrk(transpose, n, k, alpha, a, beta, c),
    weightedGramAsync: (rows, cols, x, w, c) => kernels.weightedGram(rows, cols, x, w, c),
  };
}
