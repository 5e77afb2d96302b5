/**
 * Backend selection: the CLI is the one place that picks the linear-algebra backend (STYLE.md).
 * The choice comes from the global flag `--backend`, else the environment variable
 * `SHALLOWSCAPE_BACKEND`, else `auto`: the `wasm-simd` float64 backend when this runtime supports
 * WebAssembly SIMD, the pure-TypeScript `reference` backend otherwise (`auto` keeps a non-reference
 * backend that a program embedding `main()` has already made the default). Both are float64 and give
 * the same bits for the product kernels (same packing, tile and summation order; tested in
 * linalg), so the choice changes speed, never results.
 *
 * @packageDocumentation
 */
import {
  getBackend,
  isWasmSimdSupported,
  registerWasmSimdBackend,
  setBackend,
  type LinalgBackend,
} from '@shallowscape/linalg';
import { UsageError } from './errors';

/** Accepted values of `--backend` and `SHALLOWSCAPE_BACKEND`. */
export const BACKEND_CHOICES = ['auto', 'reference', 'wasm-simd'] as const;

/** A backend choice. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/**
 * Registers the `wasm-simd` backend when supported and makes the chosen backend the default.
 *
 * @param flag - the value of `--backend`, if given.
 * @param env - the environment (for `SHALLOWSCAPE_BACKEND`).
 * @returns the backend now in use.
 * @throws {@link UsageError} for an unknown choice, or `wasm-simd` where it is unsupported.
 */
export function selectBackend(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): LinalgBackend {
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
  if (choice === 'auto') {
    // Respect a backend an embedding program already made the default (e.g. tests of main()).
    if (getBackend().name === 'reference' && supported) setBackend('wasm-simd');
  } else {
    setBackend(choice);
  }
  return getBackend();
}
