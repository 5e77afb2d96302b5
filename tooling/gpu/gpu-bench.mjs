// The gpu benchmark suite as one program for a GPU machine that has no Node installation and no
// network: tooling/gpu/pack.mjs bundles this file with the packages' sources into
// gpu-pack/gpu-bench.mjs, beside Node, Dawn's bindings and the Vulkan loader, and
// gpu-pack/run-on-gpu.sh runs it there. It times the cases of tooling/bench/suites/gpu-cases.mjs
// (the same as `pnpm bench --only gpu`) against PyTorch on the same GPU and numpy, and writes the
// JSON report of tooling/bench (schema shallowscape-bench/1) to --out.
//
//   node gpu-bench.mjs [--quick] [--out FILE]
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import * as linalg from '@shallowscape/linalg';
import * as model from '@shallowscape/model';
import * as experiments from '@shallowscape/experiments';
import * as webgpu from '@shallowscape/webgpu';
import { nodeWebGpu } from '@shallowscape/webgpu/node';
import { nodeGpujsKernels } from '@shallowscape/gpujs/node';
import { describeMachine, probeNumpy, probeTorch } from '../bench/harness.mjs';
import { runSuite } from '../bench/run-suite.mjs';
import { gpuCases } from '../bench/suites/gpu-cases.mjs';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, out: { type: 'string', default: 'gpu-bench.json' } } });
const device = await nodeWebGpu();
console.log(device.available ? `WebGPU adapter: ${JSON.stringify(device.kernels.adapter)}` : `no WebGPU device: ${device.reason}`);
const gpujs = device.available ? await nodeGpujsKernels() : { unavailable: device.reason };
const numpy = probeNumpy();
let torch = null;
const suite = {
  name: 'gpu',
  description: 'float32 WebGPU kernels (Dawn in Node) against PyTorch on the same GPU and the float64 wasm-simd path',
  cases: ({ quick }) =>
    gpuCases({
      linalg,
      model,
      experiments,
      webgpu,
      kernels: device.available ? device.kernels : null,
      reason: device.available ? null : device.reason,
      gpujs: 'unavailable' in gpujs ? null : gpujs,
      gpujsReason: 'unavailable' in gpujs ? gpujs.unavailable : null,
      quick,
    }),
};
const machine = describeMachine();
console.log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.os}`);
const record = await runSuite(suite, { linalg, quick: values.quick }, { numpy, references: numpy.available ? ['numpy'] : [], torch: () => (torch ??= probeTorch()) });
const report = {
  schema: 'shallowscape-bench/1',
  date: new Date().toISOString(),
  machine: { ...machine, loadAverageEnd: os.loadavg().map((x) => Math.round(x * 100) / 100), adapter: device.available ? device.kernels.adapter : null },
  package: { name: '@shallowscape/webgpu', bundle: 'tooling/gpu/pack.mjs' },
  options: { quick: values.quick, only: ['gpu'] },
  references: {
    numpy: numpy.available ? { available: true, version: numpy.version, blas: numpy.blas, threads: 1 } : { available: false, reason: numpy.reason },
    ...(torch !== null ? { pytorch: torch } : {}),
  },
  suites: [record],
};
writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`wrote ${values.out}`);
// Dawn's device keeps the event loop alive: the run is over.
process.exit(0);
