/**
 * The `webgpu` backend: the WebGPU kernels behind the backend interface's asynchronous products
 * (`gemmAsync`, `syrkAsync`, `weightedGramAsync`), precision float32. Its synchronous calls fall
 * back to the reference backend's float64 kernels, so code that is not GPU-aware keeps working;
 * code that awaits `resolveAsyncKernel` gets the GPU.
 *
 * @packageDocumentation
 */
import type { LinalgBackend } from '@shallowscape/linalg';
import type { WebGpuKernels } from './webgpu-kernels';

/**
 * A backend over a device's kernels.
 *
 * @param kernels - from `WebGpuKernels.create`.
 * @returns the backend, named `webgpu`, precision `float32`, its description naming the adapter.
 *
 * @example
 * ```ts
 * const fake = { adapter: { vendor: 'google', architecture: 'swiftshader', device: '', description: '' } } as WebGpuKernels;
 * const backend = webgpuBackend(fake);
 * [backend.name, backend.precision, backend.description]; // => ["webgpu", "float32", "WebGPU (WGSL kernels, float32) on google swiftshader"]
 * ```
 */
export function webgpuBackend(kernels: WebGpuKernels): LinalgBackend {
  const a = kernels.adapter;
  const adapter = [a.vendor, a.architecture, a.device].filter((s) => s !== '').join(' ');
  return {
    name: 'webgpu',
    precision: 'float32',
    description: `WebGPU (WGSL kernels, float32) on ${adapter || 'an unnamed adapter'}`,
    gemmAsync: (transA, transB, m, n, k, alpha, x, y, beta, c) => kernels.gemm(transA, transB, m, n, k, alpha, x, y, beta, c),
    syrkAsync: (transpose, n, k, alpha, x, beta, c) => kernels.syrk(transpose, n, k, alpha, x, beta, c),
    weightedGramAsync: (rows, cols, x, w, c) => kernels.weightedGram(rows, cols, x, w, c),
  };
}
