import { describe, expect, it } from 'vitest';
import { referenceBackend, type LinalgBackend } from '@shallowscape/linalg';
import { nodeWebGpu } from '@shallowscape/webgpu/node';
import { checkBackendForCommand } from './backend-selection';
import { main } from './main';
import { captureIo } from './testing/captured-io';

const float32: LinalgBackend = { name: 'some-gpu', precision: 'float32', description: 'a float32 device backend' };

describe('checkBackendForCommand', () => {
  it('lets a float32 backend run train, eval, sweep and linalg-info, and refuses it elsewhere, naming why', () => {
    for (const command of ['train', 'eval', 'sweep', 'linalg-info']) expect(() => checkBackendForCommand(command, float32)).not.toThrow();
    expect(() => checkBackendForCommand('certify', float32)).toThrow(/^--backend some-gpu \(float32\) applies to train, eval, sweep; certificates are never computed in float32$/);
    expect(() => checkBackendForCommand('spectrum', float32)).toThrow(/spectrum computes in float64 only/);
    expect(() => checkBackendForCommand('reproduce', float32)).toThrow(/reproduce computes in float64 only/);
    for (const command of ['certify', 'spectrum', 'reproduce']) expect(() => checkBackendForCommand(command, referenceBackend)).not.toThrow();
  });
});

describe('--backend webgpu', () => {
  it('runs where this process has a WebGPU device; elsewhere one line naming why, exit 2, before anything runs', async () => {
    const gpu = await nodeWebGpu();
    const io = captureIo();
    const code = await main(['--backend', 'webgpu', 'train', '--d', '3', '--m', '4', '--n', '10', '--optimizer', 'gd', '--lr', '1e-3', '--steps', '5', '--json'], io);
    if (gpu.available) {
      expect(code).toBe(0);
    } else {
      expect(code).toBe(2);
      expect(io.err()).toBe(`shallowscape: error: --backend webgpu: no WebGPU device here: ${gpu.reason}\n`);
      expect(io.out()).toBe('');
    }
  });

  it('gpujs too: one line naming why, exit 2, where gpu.js has no WebGPU adapter', async () => {
    const gpu = await nodeWebGpu();
    const io = captureIo();
    const code = await main(['--backend', 'gpujs', 'eval', '--weights', 'W.npy', '--data', 'X.npy', '--labels', 'y.npy'], io);
    if (!gpu.available) {
      expect(code).toBe(2);
      expect(io.err()).toBe(`shallowscape: error: --backend gpujs: gpu.js's webgpu mode needs a WebGPU adapter: ${gpu.reason}\n`);
    }
  });

  it('is listed among the choices of --backend in the help', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/auto, reference, wasm-simd, native, webgpu, gpujs/);
  });
});
