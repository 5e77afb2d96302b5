/**
 * A backend that cannot run in this process (a device with no adapter, a native addon that did
 * not build): listed with the reason, and refusing every kernel.
 *
 * @packageDocumentation
 */
import { ShallowscapeError } from '../errors';
import type { LinalgBackend, Precision } from '../linalg-backend';

/**
 * A backend that is not available in this process: its description says why, and every kernel
 * throws that reason (`E_BACKEND`), so selecting it never computes silently with another one.
 *
 * @param name - the backend's name, e.g. `webgpu`.
 * @param precision - the precision it would compute in.
 * @param what - what it would be, e.g. `WebGPU (WGSL kernels, float32)`.
 * @param reason - why it is unavailable, in words.
 * @returns the backend.
 * @example
 * ```ts
 * const native = unavailableBackend('native', 'float64', 'OpenBLAS + LAPACK', 'the addon is not built');
 * native.description; // => "OpenBLAS + LAPACK: unavailable here: the addon is not built"
 * native.dot!(1, Float64Array.of(1), Float64Array.of(1)); // throws ShallowscapeError
 * ```
 */
export function unavailableBackend(name: string, precision: Precision, what: string, reason: string): LinalgBackend {
  const refusal = (): ShallowscapeError => new ShallowscapeError(`the ${name} backend is unavailable here: ${reason}`, 'E_BACKEND', 'backend');
  const fail = (): never => {
    throw refusal();
  };
  const reject = (): Promise<never> => Promise.reject(refusal());
  return {
    name,
    precision,
    description: `${what}: unavailable here: ${reason}`,
    gemm: fail,
    syrk: fail,
    weightedGram: fail,
    quadraticForms: fail,
    gemv: fail,
    dot: fail,
    eigh: fail,
    svd: fail,
    singularValues: fail,
    gemmAsync: reject,
    syrkAsync: reject,
    weightedGramAsync: reject,
  };
}
