/**
 * `@shallowscape/webgpu/node`: the WebGPU kernels in Node, through the optional `webgpu` package
 * (Dawn), loaded on first use. Kept out of the package's main entry so that browsers never see a
 * Node module.
 *
 * @packageDocumentation
 */
export { hasVulkanDriver, hasVulkanLoader, nodeWebGpu, nodeWebGpuBackend, type NodeWebGpu } from './node-webgpu';
