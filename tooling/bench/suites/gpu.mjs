// gpu suite: the float32 WebGPU kernels of @shallowscape/webgpu on the WebGPU device of this Node
// process (Dawn, from the optional `webgpu` package; on Linux it needs the Vulkan loader and a
// Vulkan driver for the GPU), against PyTorch on the same GPU (tooling/bench/torch_bench.py, when
// python3 has torch with CUDA) and this project's float64 wasm-simd path on the CPU.
//
// - sgemm n = 1024, 2048, 4096: the tiled WGSL sgemm on resident buffers (dispatch, then wait for
//   the queue; nothing read back) against PyTorch float32 with TF32 off; the same product through
//   the backend interface (Float64Array in, rounded to float32, uploaded, read back, widened); gpu.js
//   in its WebGPU mode (its own upload and read-back).
// - quadratic risk + gradient (m, d, N) = (200, 100, 20000) and (400, 200, 200000): the
//   GpuQuadraticRisk evaluation an optimiser on the CPU sees (W up, the m×d gradient and the risk's
//   partial sums down) against PyTorch float64 on the GPU, the wasm-simd QuadraticEmpiricalRisk
//   (float64, one CPU core) and numpy (one thread); and one step of the descent loop on the device
//   (100 steps in one command buffer, per step).
// - a training run: trainQuadraticOnGpu at (400, 200, 200000), 1,000 steps of fixed-step gradient
//   descent, end to end (teacher, inputs and labels drawn in float64 on the CPU, upload, the loop,
//   the final metrics in float64), once.
//
// Where this process has no WebGPU device every case is skipped with the reason; the browser
// tests hold the kernels correct on such machines. The cases are built by `gpuCases` (gpu-cases.mjs), which the
// self-contained bundle for GPU machines (tooling/gpu/) runs as well.

import { gpuCases } from './gpu-cases.mjs';

/** @type {import('../run.mjs').Suite} */
export default {
  name: 'gpu',
  description:
    'float32 WebGPU kernels (Dawn in Node) against PyTorch on the same GPU and the float64 wasm-simd path: sgemm, the quadratic risk + gradient, a 1,000-step training run',
  async cases({ linalg, quick }) {
    const dist = (p) => new URL(`../../../packages/${p}`, import.meta.url).href;
    let mods;
    try {
      mods = {
        model: await import(dist('model/dist/index.js')),
        experiments: await import(dist('experiments/dist/index.js')),
        webgpu: await import(dist('webgpu/dist/index.js')),
        webgpuNode: await import(dist('webgpu/dist/node.js')),
        gpujsNode: await import(dist('gpujs/dist/node.js')),
      };
    } catch (e) {
      const why = `the packages are not built (${e.code ?? e.message}): run pnpm build`;
      return [{ name: 'gpu', params: {}, skip: why }];
    }
    const device = await mods.webgpuNode.nodeWebGpu();
    const gpujs = device.available ? await mods.gpujsNode.nodeGpujsKernels() : { unavailable: device.reason };
    return gpuCases({
      linalg,
      model: mods.model,
      experiments: mods.experiments,
      webgpu: mods.webgpu,
      kernels: device.available ? device.kernels : null,
      reason: device.available ? null : device.reason,
      gpujs: 'unavailable' in gpujs ? null : gpujs,
      gpujsReason: 'unavailable' in gpujs ? gpujs.unavailable : null,
      quick,
    });
  },
};
