/**
 * `@shallowscape/gpujs`: the products, the quadratic risk and the two-layer ReLU risk as gpu.js kernels (float32, opt-in
 * beside the float64 CPU backends, never used for certificates), on gpu.js's WebGL2 mode in
 * browsers and its WebGPU mode where an adapter exists; `gpujsBackend` puts them behind the
 * backend interface's asynchronous products.
 *
 * @packageDocumentation
 */
export { GpujsKernels, type GpujsMode } from './gpujs-kernels';
export { gpujsBackend } from './gpujs-backend';
export { evaluateQuadraticOnGpujs, evaluateTwoLayerOnGpujs, gpujsDescent, gpujsTwoLayerDescent, trainQuadraticOnGpujs, trainTwoLayerOnGpujs } from './gpujs-training';
