/**
 * `@shallowscape/gpujs/node`: the gpu.js backend in Node, through Dawn's WebGPU bindings.
 *
 * @packageDocumentation
 */
export { nodeGpujsBackend, nodeGpujsKernels } from './node-gpujs';
