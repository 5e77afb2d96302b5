/**
 * The `gpujs` backend in Node: gpu.js's WebGPU mode over the `navigator.gpu` of Dawn's bindings
 * (the optional `webgpu` package, opened by `@shallowscape/webgpu/node`). gpu.js does not import
 * a WebGPU implementation itself; where Dawn finds no adapter the backend says why and refuses
 * every kernel. (gpu.js's WebGL2 mode needs a browser's canvas; its headless-gl mode is not
 * installed.)
 *
 * @packageDocumentation
 */
import { unavailableBackend, type LinalgBackend } from '@shallowscape/linalg';
import { nodeWebGpu } from '@shallowscape/webgpu/node';
import { gpujsBackend } from './gpujs-backend';
import { GpujsKernels } from './gpujs-kernels';

let kernels: Promise<GpujsKernels | { unavailable: string }> | undefined;
let backend: Promise<LinalgBackend> | undefined;

/**
 * gpu.js's kernels in its WebGPU mode over Dawn's adapter, once per process, or why there are none.
 *
 * @returns the kernels, or `{ unavailable: reason }`.
 */
export function nodeGpujsKernels(): Promise<GpujsKernels | { unavailable: string }> {
  kernels ??= (async () => {
    const gpu = await nodeWebGpu();
    if (!gpu.available) return { unavailable: `gpu.js's webgpu mode needs a WebGPU adapter: ${gpu.reason}` };
    const scope = globalThis as { navigator?: { gpu?: GPU } };
    scope.navigator ??= {};
    scope.navigator.gpu ??= gpu.gpu;
    return GpujsKernels.create('webgpu');
  })();
  return kernels;
}

/**
 * The `gpujs` backend of this process, the same object on every call.
 *
 * @returns the backend over gpu.js's WebGPU mode where Dawn gives an adapter; otherwise one whose
 *   description says why it is unavailable and whose every kernel throws that reason.
 */
export function nodeGpujsBackend(): Promise<LinalgBackend> {
  backend ??= nodeGpujsKernels().then((k) => ('unavailable' in k ? unavailableBackend('gpujs', 'float32', 'gpu.js 2.24 kernels (float32)', k.unavailable) : gpujsBackend(k)));
  return backend;
}
