/**
 * Backend selection: the CLI is the one place that picks the linear-algebra backend (STYLE.md).
 * The choice comes from the global flag `--backend`, else the environment variable
 * `SHALLOWSCAPE_BACKEND`, else `auto`: the `native` float64 backend (OpenBLAS and LAPACK through
 * the optional addon of `@shallowscape/linalg-native`, on every core of the machine, one thread
 * inside a sweep's workers) when it loads, else
 * `wasm-simd` when this runtime supports WebAssembly SIMD, else the pure-TypeScript `reference`
 * backend (`auto` keeps a backend other than these that a program embedding `main()` has already
 * made the default). `wasm-simd` and `reference` give the same bits for the product kernels (same
 * packing, tile and summation order; tested in linalg); `native` agrees with them to the
 * conformance tolerances, and is deterministic for a seed.
 *
 * `webgpu` (WGSL kernels) and `gpujs` (gpu.js kernels in its WebGPU mode) are the float32 GPU
 * backends, opt-in and never automatic: they need a WebGPU device in this process (the optional
 * package `webgpu`, Dawn, with a Vulkan driver on Linux), and apply to the
 * commands that train and evaluate (`train`, `eval`, `sweep`, and `linalg-info` to check it);
 * certificates, spectra and `reproduce` stay float64 and refuse it.
 *
 * @packageDocumentation
 */
import {
  defaultThreadCount,
  getBackend,
  getWasmSimdBackend,
  referenceBackend,
  isWasmSimdSupported,
  registerWasmSimdBackend,
  setBackend,
  type LinalgBackend,
} from '@shallowscape/linalg';
import { loadNativeBackend, type NativeBackendLoad } from '@shallowscape/linalg-native';
import { nodeGpujsBackend, nodeGpujsKernels } from '@shallowscape/gpujs/node';
import { nodeWebGpu, nodeWebGpuBackend } from '@shallowscape/webgpu/node';
import { UsageError } from './errors';

/** Accepted values of `--backend` and `SHALLOWSCAPE_BACKEND`. */
export const BACKEND_CHOICES = ['auto', 'reference', 'wasm-simd', 'native', 'webgpu', 'gpujs'] as const;

/** The commands a float32 device backend applies to. */
export const DEVICE_BACKEND_COMMANDS: readonly string[] = ['train', 'eval', 'sweep', 'linalg-info'];

/** A backend choice. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/**
 * The `native` backend on `defaultThreadCount()` threads (every core on the main thread, one in a
 * sweep's worker threads, whose cells already fill the cores), or why it does not load. Its
 * products cut the work by a rule fixed by their shape, so the thread count changes speed, never
 * the bits: a sweep's cell gives the bits of the same command run alone.
 *
 * @returns what `loadNativeBackend` returns.
 */
export function nativeBackend(): NativeBackendLoad {
  return loadNativeBackend({ threads: defaultThreadCount() });
}

/**
 * Registers the `wasm-simd` backend when supported and makes the chosen backend the default.
 *
 * @param flag - the value of `--backend`, if given.
 * @param env - the environment (for `SHALLOWSCAPE_BACKEND`).
 * @returns the backend now in use.
 * @throws {@link UsageError} for an unknown choice, `wasm-simd` where it is unsupported, `native`
 *   where its addon does not load, or `webgpu` where this process has no WebGPU device (naming why).
 */
export async function selectBackend(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): Promise<LinalgBackend> {
  const fromEnv = env.SHALLOWSCAPE_BACKEND;
  const source = flag !== undefined ? '--backend' : 'SHALLOWSCAPE_BACKEND';
  const raw = flag ?? (fromEnv === undefined || fromEnv === '' ? 'auto' : fromEnv);
  if (!(BACKEND_CHOICES as readonly string[]).includes(raw)) {
    throw new UsageError(`invalid value for ${source}: ${JSON.stringify(raw)} (expected one of ${BACKEND_CHOICES.join(', ')})`, source);
  }
  const choice = raw as BackendChoice;
  const supported = isWasmSimdSupported();
  if (supported) registerWasmSimdBackend();
  if (choice === 'wasm-simd' && !supported) {
    throw new UsageError(`${source} wasm-simd: this runtime does not support WebAssembly SIMD; use reference or auto`, source);
  }
  if (choice === 'gpujs') {
    const kernels = await nodeGpujsKernels();
    if ('unavailable' in kernels) throw new UsageError(`${source} gpujs: ${kernels.unavailable}`, source);
    setBackend(await nodeGpujsBackend());
    return getBackend();
  }
  if (choice === 'webgpu') {
    const gpu = await nodeWebGpu();
    if (!gpu.available) throw new UsageError(`${source} webgpu: no WebGPU device here: ${gpu.reason}`, source);
    setBackend(await nodeWebGpuBackend());
    return getBackend();
  }
  if (choice === 'native') {
    const native = nativeBackend();
    if (!native.available) throw new UsageError(`${source} native: ${native.reason}`, source);
    setBackend(native.backend);
    return getBackend();
  }
  if (choice === 'auto') {
    // Respect a backend an embedding program already made the default (e.g. tests of main()), other
    // than the library's own automatic choices.
    const current = getBackend();
    if (current === referenceBackend || current === getWasmSimdBackend()) {
      const native = nativeBackend();
      if (native.available) setBackend(native.backend);
      else if (supported) setBackend('wasm-simd');
    }
  } else {
    setBackend(choice);
  }
  return getBackend();
}

/**
 * Refuses a float32 device backend for a command it does not apply to (certificates, spectra and
 * the reproduced claims are computed in float64 only).
 *
 * @param command - the command's name.
 * @param backend - the backend in use.
 * @throws {@link UsageError} naming `--backend` and the command.
 */
export function checkBackendForCommand(command: string, backend: LinalgBackend): void {
  if (backend.precision !== 'float32' || DEVICE_BACKEND_COMMANDS.includes(command)) return;
  const why = command === 'certify' ? 'certificates are never computed in float32' : `${command} computes in float64 only`;
  throw new UsageError(`--backend ${backend.name} (float32) applies to ${DEVICE_BACKEND_COMMANDS.slice(0, 3).join(', ')}; ${why}`, '--backend');
}
