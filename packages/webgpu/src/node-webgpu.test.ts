import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasVulkanDriver, hasVulkanLoader, nodeWebGpu, nodeWebGpuBackend } from './node-webgpu';

describe('hasVulkanLoader', () => {
  it('finds libvulkan.so.1 through LD_LIBRARY_PATH, and is true off Linux', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vulkan-'));
    writeFileSync(join(dir, 'libvulkan.so.1'), '');
    expect(hasVulkanLoader({ LD_LIBRARY_PATH: `/nonexistent:${dir}/` }, 'linux')).toBe(true);
    expect(hasVulkanLoader({}, 'darwin')).toBe(true);
    expect(hasVulkanLoader({}, 'win32')).toBe(true);
  });
});

describe('hasVulkanDriver', () => {
  it('finds a driver manifest named by VK_DRIVER_FILES or VK_ICD_FILENAMES, and is true off Linux', () => {
    const dir = mkdtempSync(join(tmpdir(), 'icd-'));
    writeFileSync(join(dir, 'gpu_icd.json'), '{}');
    expect(hasVulkanDriver({ VK_DRIVER_FILES: join(dir, 'gpu_icd.json') }, 'linux')).toBe(true);
    expect(hasVulkanDriver({ VK_ICD_FILENAMES: `/nonexistent.json:${join(dir, 'gpu_icd.json')}` }, 'linux')).toBe(true);
    expect(hasVulkanDriver({}, 'darwin')).toBe(true);
  });
});

describe('nodeWebGpu', () => {
  it('opens a device through the webgpu package where there is one, else says why in words; once per process', async () => {
    const first = await nodeWebGpu();
    expect(await nodeWebGpu()).toBe(first);
    if (first.available) {
      // A GPU machine: the kernels work.
      const c = new Float64Array(4);
      await first.kernels.gemm(false, false, 2, 2, 2, 1, Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 0, 0, 1), 0, c);
      expect(Array.from(c)).toEqual([1, 2, 3, 4]);
      expect(first.adapter.vendor.length).toBeGreaterThan(0);
    } else {
      // A CPU machine: the package loads, and the reason names what is missing. CI installs the
      // Vulkan loader and no driver, so there the reason must be the driver.
      expect(first.reason).toMatch(/Vulkan|adapter|device/);
      expect(first.reason).not.toMatch(/not installed/);
      if (process.env.CI === 'true') expect(first.reason).toMatch(/^no Vulkan driver \(no ICD manifest in /);
    }
  });
});

describe('nodeWebGpuBackend', () => {
  it('is the backend over the device, or one that names why it is unavailable and refuses every kernel with that reason', async () => {
    const backend = await nodeWebGpuBackend();
    expect(await nodeWebGpuBackend()).toBe(backend);
    expect([backend.name, backend.precision]).toEqual(['webgpu', 'float32']);
    const gpu = await nodeWebGpu();
    if (gpu.available) {
      expect(backend.description).toContain(gpu.adapter.vendor);
    } else {
      expect(backend.description).toBe(`WebGPU (WGSL kernels, float32): unavailable here: ${gpu.reason}`);
      const c = new Float64Array(1);
      expect(() => backend.gemm!(false, false, 1, 1, 1, 1, Float64Array.of(1), Float64Array.of(1), 0, c)).toThrow(/the webgpu backend is unavailable here: /);
      await expect(backend.weightedGramAsync!(1, 1, Float64Array.of(1), Float64Array.of(1), c)).rejects.toMatchObject({ code: 'E_BACKEND' });
    }
  });
});
