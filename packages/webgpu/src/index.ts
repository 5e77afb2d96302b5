/**
 * `@shallowscape/webgpu`: float32 compute kernels on a WebGPU device, opt-in beside the float64
 * CPU backends (never used for certificates): tiled sgemm, syrk, the weighted Gram matrix, and the
 * quadratic and two-layer ReLU risks and gradients with the data resident on the device, and
 * gradient descent run on the device.
 *
 * @packageDocumentation
 */
export { WebGpuKernels, type AdapterDescription, type DeviceArray, type PreparedDispatch } from './webgpu-kernels';
export { webgpuBackend } from './webgpu-backend';
export { trainQuadraticByDescent, trainQuadraticOnGpu, type QuadraticDescent } from './train-on-gpu';
export { evaluateQuadraticOnGpu, evaluateQuadraticWith } from './evaluate-on-gpu';
export { GpuReluRisk, type GpuReluDescentOptions, type GpuReluDescentResult, type GpuReluRiskData } from './gpu-relu-risk';
export { trainTwoLayerByDescent, trainTwoLayerOnGpu, type TwoLayerDescent } from './train-two-layer-on-gpu';
export { evaluateTwoLayerOnGpu, evaluateTwoLayerWith } from './evaluate-two-layer-on-gpu';
export { GpuQuadraticRisk, type GpuDescentOptions, type GpuDescentResult, type GpuQuadraticRiskData } from './gpu-quadratic-risk';
export { SGEMM_TILE, SGEMM_WGSL, sgemmUniforms, type SgemmParams } from './wgsl/sgemm';
export { DESCENT_STEP_WGSL, QUADRATIC_RESIDUALS_WGSL, RELU_RESIDUALS_WGSL, SCALE_ROWS_WGSL, SUM_OF_SQUARES_WGSL, WORKGROUP_1D } from './wgsl/elementwise';
