/**
 * WebGPU in Node: the optional `webgpu` package (Dawn's Node bindings, its Linux binary inside the
 * package) loaded on first use, never at import. Dawn needs a Vulkan driver on Linux, so the
 * Vulkan loader (`libvulkan.so.1`, Debian's `libvulkan1`) and a Vulkan driver (an ICD manifest,
 * e.g. NVIDIA's) are looked for first: without them Dawn finds no adapter and prints its
 * warnings on standard error, which must stay for the command's own messages. Every way of not getting a device is a reason
 * in words, for `linalg-info` and for the error of `--backend webgpu`.
 *
 * @packageDocumentation
 */
import { existsSync, readdirSync } from 'node:fs';
import { unavailableBackend, type LinalgBackend } from '@shallowscape/linalg';
import { webgpuBackend } from './webgpu-backend';
import { WebGpuKernels, type AdapterDescription } from './webgpu-kernels';

/** A WebGPU device in this process, or why there is none. */
export type NodeWebGpu = { available: true; kernels: WebGpuKernels; adapter: AdapterDescription; gpu: GPU } | { available: false; reason: string };

/** Where Linux distributions keep the Vulkan loader. */
const VULKAN_LOADER_PATHS = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
  '/usr/lib64/libvulkan.so.1',
  '/usr/lib/libvulkan.so.1',
  '/lib/x86_64-linux-gnu/libvulkan.so.1',
];

/**
 * Whether the Vulkan loader Dawn needs on Linux can be found (in the usual library directories or
 * `LD_LIBRARY_PATH`); always `true` elsewhere (Dawn uses Metal or Direct3D there).
 *
 * @param env - the environment (for `LD_LIBRARY_PATH`).
 * @param platform - the platform (default: this process's).
 * @returns whether `libvulkan.so.1` is there (tested in `node-webgpu.test.ts`: this module is the
 *   package's `./node` entry, outside the scope of the executed examples).
 */
export function hasVulkanLoader(env: Readonly<Record<string, string | undefined>> = process.env, platform: string = process.platform): boolean {
  if (platform !== 'linux') return true;
  const extra = (env.LD_LIBRARY_PATH ?? '')
    .split(':')
    .filter((d) => d !== '')
    .map((d) => `${d.replace(/\/$/, '')}/libvulkan.so.1`);
  return [...extra, ...VULKAN_LOADER_PATHS].some((p) => existsSync(p));
}

/** Where the Vulkan loader looks for driver (ICD) manifests. */
const VULKAN_ICD_DIRECTORIES = ['/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/etc/vulkan/icd.d'];

/**
 * Whether a Vulkan driver is installed for the loader to find on Linux: a manifest named by
 * `VK_DRIVER_FILES` or `VK_ICD_FILENAMES`, or a `.json` manifest in the loader's ICD directories;
 * always `true` elsewhere.
 *
 * @param env - the environment.
 * @param platform - the platform (default: this process's).
 * @returns whether there is a driver manifest.
 */
export function hasVulkanDriver(env: Readonly<Record<string, string | undefined>> = process.env, platform: string = process.platform): boolean {
  if (platform !== 'linux') return true;
  const named = `${env.VK_DRIVER_FILES ?? ''}:${env.VK_ICD_FILENAMES ?? ''}`.split(':').filter((f) => f !== '');
  if (named.some((f) => existsSync(f))) return true;
  return VULKAN_ICD_DIRECTORIES.some((d) => {
    try {
      return readdirSync(d).some((f) => f.endsWith('.json'));
    } catch {
      return false;
    }
  });
}

let probed: Promise<NodeWebGpu> | undefined;

/**
 * Opens a WebGPU device in Node through the optional `webgpu` package, once per process (later
 * calls return the same result).
 *
 * @returns the kernels on the device and its adapter, or the reason there is none: the package is
 *   not installed, no Vulkan loader, Dawn found no adapter, or the device could not be created.
 */
export function nodeWebGpu(): Promise<NodeWebGpu> {
  probed ??= probe();
  return probed;
}

async function probe(): Promise<NodeWebGpu> {
  let module: { create: (options: string[]) => GPU };
  try {
    const specifier = 'webgpu';
    module = (await import(/* @vite-ignore */ specifier)) as typeof module;
  } catch (error) {
    return { available: false, reason: `the optional package 'webgpu' (Dawn's Node bindings) is not installed or does not load here (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
  }
  if (!hasVulkanLoader()) {
    return { available: false, reason: "no Vulkan loader (libvulkan.so.1; Debian's package libvulkan1), which Dawn needs on Linux" };
  }
  if (!hasVulkanDriver()) {
    return { available: false, reason: `no Vulkan driver (no ICD manifest in ${VULKAN_ICD_DIRECTORIES.join(', ')}), so Dawn would find no adapter` };
  }
  let gpu: GPU;
  try {
    gpu = module.create([]);
  } catch (error) {
    return { available: false, reason: `Dawn could not start (${error instanceof Error ? error.message : String(error)})` };
  }
  try {
    const kernels = await WebGpuKernels.create(gpu);
    return { available: true, kernels, adapter: kernels.adapter, gpu };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { available: false, reason: /no adapter/.test(message) ? 'Dawn found no adapter (no Vulkan driver for a GPU on this machine)' : `the device could not be created (${message})` };
  }
}

let backend: Promise<LinalgBackend> | undefined;

/**
 * The `webgpu` backend of this process, the same object on every call: over the device of
 * {@link nodeWebGpu} when there is one; otherwise a backend of that name whose description says
 * why it is unavailable and whose every kernel throws that reason (`E_BACKEND`), so that selecting
 * it never computes silently on the CPU.
 *
 * @returns the backend.
 */
export function nodeWebGpuBackend(): Promise<LinalgBackend> {
  backend ??= nodeWebGpu().then((gpu) =>
    gpu.available ? webgpuBackend(gpu.kernels) : unavailableBackend('webgpu', 'float32', 'WebGPU (WGSL kernels, float32)', gpu.reason),
  );
  return backend;
}

