/**
 * The backend registry. A backend ({@link LinalgBackend}, in `linalg-backend.ts`) is a plain
 * object of unchecked kernels on row-major `Float64Array`s; every slot is optional and a missing
 * one falls back to the
 * {@link referenceBackend}. The checked wrappers (`gemm`, `syrk`, …) dispatch through
 * {@link resolveKernel}, to the backend passed in their options or else the default one.
 *
 * Every backend must pass the conformance suite in `testing/backend-conformance.ts`, whose
 * tolerances follow the backend's declared {@link Precision}.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, ShallowscapeError } from './errors';
import { assertDimension } from './validate-number';
import { referenceBackend } from './backends/reference';
import { getWasmSimdBackend } from './backends/wasm-simd';
import { ASYNC_KERNEL_NAMES, KERNEL_NAMES, type AsyncKernelName, type KernelName, type LinalgBackend, type Precision } from './linalg-backend';

export { referenceBackend, type AsyncKernelName, type KernelName, type LinalgBackend, type Precision };

/** The registered backends by name, the reference one first. */
const registry = new Map<string, LinalgBackend>([[referenceBackend.name, referenceBackend]]);
/** The default backend; `undefined` until the first use decides it ({@link getBackend}). */
let currentBackend: LinalgBackend | undefined;

/** The loaders of the backends offered for the automatic default ({@link offerDefaultBackend}), in the order offered. */
const offered: Array<() => LinalgBackend | null> = [];

/**
 * The automatic default: the most recently offered backend whose loader returns a float64 backend
 * (registered), else the shared `wasm-simd` backend (registered) where supported, else the
 * reference one.
 */
function automaticBackend(): LinalgBackend {
  for (let i = offered.length - 1; i >= 0; i--) {
    let backend: LinalgBackend | null = null;
    try {
      backend = offered[i]!();
    } catch {
      backend = null; // a loader that fails offers nothing
    }
    if (backend === null || backend === undefined || backend.precision !== 'float64') continue;
    assertBackend('offered backend', backend);
    registerBackend(backend);
    return backend;
  }
  const wasm = registerWasmSimdBackend();
  return wasm ?? referenceBackend;
}

/**
 * Offers a backend for the automatic default. When the default is decided (on the first
 * {@link getBackend} unless {@link setBackend} chose one), the offered backends are tried before
 * `wasm-simd`, the most recently offered first: the first whose `load()` returns a float64
 * backend becomes the default and is registered; a loader that returns `null` (or a float32
 * backend) or throws is passed over. `@shallowscape/linalg-native` offers its native backend
 * (OpenBLAS and LAPACK) when it is imported, so a program that imports it gets the native backend
 * as its default wherever the addon loads. Offering has no effect on a default already decided.
 *
 * @param load - returns the backend, or `null` when it cannot run here; called at most once, when the default is decided.
 * @throws {@link InvalidArgumentError} when `load` is not a function.
 * @example
 * ```ts
 * offerDefaultBackend(() => null); // a backend that never loads: the default stays as it would be
 * getBackend().precision; // => "float64"
 * ```
 */
export function offerDefaultBackend(load: () => LinalgBackend | null): void {
  if (typeof load !== 'function') throw new InvalidArgumentError('load', load, 'a function returning a LinalgBackend or null');
  offered.push(load);
}

/** Throws an {@link InvalidArgumentError} unless `value` is a well-formed backend object. */
function assertBackend(argument: string, value: unknown): asserts value is LinalgBackend {
  const b = value as Partial<Record<string, unknown>> | null;
  if (b === null || typeof b !== 'object') throw new InvalidArgumentError(argument, value, 'a LinalgBackend object');
  if (typeof b.name !== 'string' || b.name.length === 0) {
    throw new InvalidArgumentError(`${argument}.name`, b.name, 'a non-empty string');
  }
  if (b.precision !== 'float64' && b.precision !== 'float32') {
    throw new InvalidArgumentError(`${argument}.precision`, b.precision, "'float64' or 'float32'");
  }
  if (typeof b.description !== 'string') {
    throw new InvalidArgumentError(`${argument}.description`, b.description, 'a string');
  }
  for (const slot of [...KERNEL_NAMES, ...ASYNC_KERNEL_NAMES, 'allocate'] as const) {
    if (b[slot] !== undefined && typeof b[slot] !== 'function') {
      throw new InvalidArgumentError(`${argument}.${slot}`, b[slot], 'a function or undefined');
    }
  }
}

/**
 * Adds a backend to the registry, so {@link listBackends} shows it and {@link setBackend} can
 * select it by name. Registering the same object twice is a no-op.
 *
 * @param backend - the backend; its `name` must not be taken by a different backend.
 * @throws {@link InvalidArgumentError} for a malformed backend or a name already registered to another object.
 * @example
 * ```ts
 * registerBackend({ name: 'tiny', precision: 'float64', description: 'no kernels of its own' });
 * listBackends().some((b) => b.name === 'tiny'); // => true
 * ```
 */
export function registerBackend(backend: LinalgBackend): void {
  assertBackend('backend', backend);
  const existing = registry.get(backend.name);
  if (existing === backend) return;
  if (existing !== undefined) {
    throw new InvalidArgumentError('backend.name', backend.name, 'a name not already registered to another backend');
  }
  registry.set(backend.name, backend);
}

/**
 * The default backend, used by every wrapper that is not given one explicitly. Unless
 * {@link setBackend} chose one, it is decided once, on first use: the fastest float64 backend that
 * runs here, that is a backend offered by another package ({@link offerDefaultBackend}: the native
 * backend of `@shallowscape/linalg-native`, OpenBLAS and LAPACK, once that package is imported and
 * where its addon loads), else `wasm-simd` where the engine supports WebAssembly SIMD (it gives
 * the reference backend's bits for every product), else the {@link referenceBackend}.
 * @example
 * ```ts
 * getBackend().name; // => "wasm-simd"
 * ```
 */
export function getBackend(): LinalgBackend {
  currentBackend ??= automaticBackend();
  return currentBackend;
}

/**
 * Registers the shared `wasm-simd` backend (`getWasmSimdBackend`) when the engine supports
 * WebAssembly SIMD, so `listBackends()` shows it and `setBackend('wasm-simd')` can select it. It
 * does not change the default backend. Calling it again is a no-op.
 *
 * @returns the registered backend, or `null` (nothing registered) without SIMD support.
 * @example
 * ```ts
 * const wasm = registerWasmSimdBackend();
 * wasm === null || listBackends().some((b) => b.name === 'wasm-simd'); // => true
 * ```
 */
export function registerWasmSimdBackend(): LinalgBackend | null {
  const backend = getWasmSimdBackend();
  if (backend !== null) registerBackend(backend);
  return backend;
}

/**
 * Makes `backend` the default (registering it first if needed) and returns the previous
 * default, so callers can restore it. A registered backend may also be given by name.
 *
 * @param backend - a backend object, or the name of a registered one.
 * @returns the previous default backend.
 * @throws {@link InvalidArgumentError} for a malformed backend or an unknown name.
 * @example
 * ```ts
 * const previous = setBackend(referenceBackend);
 * setBackend(previous).name; // => "reference"
 * ```
 */
export function setBackend(backend: LinalgBackend | string): LinalgBackend {
  let next: LinalgBackend;
  if (typeof backend === 'string') {
    const found = registry.get(backend);
    if (found === undefined) {
      throw new InvalidArgumentError('backend', backend, `one of the registered backends (${[...registry.keys()].join(', ')})`);
    }
    next = found;
  } else {
    registerBackend(backend);
    next = backend;
  }
  const previous = getBackend();
  currentBackend = next;
  return previous;
}

/**
 * The registered backends, in registration order, marking the default.
 * @example
 * ```ts
 * listBackends().find((b) => b.isDefault)?.name; // => "wasm-simd"
 * ```
 */
export function listBackends(): Array<{ name: string; precision: Precision; description: string; isDefault: boolean }> {
  return [...registry.values()].map((b) => ({
    name: b.name,
    precision: b.precision,
    description: b.description,
    isDefault: b === getBackend(),
  }));
}

/** `backend`, checked unless it is the reference or the default one (already valid), or the default when `undefined`. */
function chosenBackend(backend: LinalgBackend | undefined): LinalgBackend {
  if (backend === undefined) return getBackend();
  if (backend !== referenceBackend && backend !== getBackend()) assertBackend('backend', backend);
  return backend;
}

/**
 * The kernel `name` from `backend` (default: {@link getBackend}), falling back to the
 * {@link referenceBackend}'s when the backend lacks it. A backend's own kernel comes bound to
 * the backend.
 *
 * @param name - the kernel slot, e.g. `'gemm'`.
 * @param backend - the backend to take it from; `undefined` for the default.
 * @throws {@link InvalidArgumentError} for an unknown slot name or a malformed backend.
 * @throws {@link ShallowscapeError} (`E_BACKEND`) when neither backend provides the kernel.
 * @example
 * ```ts
 * const dot = resolveKernel('dot');
 * dot(2, Float64Array.of(1, 2), Float64Array.of(3, 4)); // => 11
 * ```
 */
export function resolveKernel<K extends KernelName>(name: K, backend?: LinalgBackend): NonNullable<LinalgBackend[K]> {
  if (!KERNEL_NAMES.includes(name)) {
    throw new InvalidArgumentError('name', name, `a kernel slot (${KERNEL_NAMES.join(', ')})`);
  }
  const source = chosenBackend(backend);
  const own = source[name];
  if (own !== undefined) {
    const kernel = source === referenceBackend ? own : (own as (...args: never[]) => unknown).bind(source);
    return kernel as NonNullable<LinalgBackend[K]>;
  }
  const fallback = referenceBackend[name];
  if (fallback === undefined) {
    throw new ShallowscapeError(
      `no '${name}' kernel: backend '${source.name}' does not provide one and the reference backend has none`,
      'E_BACKEND',
      'backend',
    );
  }
  return fallback as NonNullable<LinalgBackend[K]>;
}

/**
 * A new zero-filled Float64Array of `length` entries for an operand that `backend` (default:
 * {@link getBackend}) will read many times: the backend's own `allocate` when it has one (the
 * threaded `wasm-simd` backend's shared memory, read there without a copy), else a plain array.
 * Either way the contents are an ordinary Float64Array's: only where they live differs.
 *
 * @param length - entries (a non-negative integer).
 * @param backend - the backend that will read it; `undefined` for the default.
 * @returns the array.
 * @throws {@link InvalidArgumentError} for a malformed backend or length, or when the backend's `allocate` returns anything but a Float64Array of `length`.
 * @example
 * ```ts
 * const x = allocateOperand(3, referenceBackend);
 * Array.from(x); // => [0, 0, 0]
 * ```
 */
export function allocateOperand(length: number, backend?: LinalgBackend): Float64Array {
  assertDimension('length', length);
  const source = chosenBackend(backend);
  if (source.allocate === undefined) return new Float64Array(length);
  const array = source.allocate(length);
  if (!(array instanceof Float64Array) || array.length !== length) {
    throw new InvalidArgumentError(`${source.name}.allocate(${length})`, array, `a Float64Array of length ${length}`);
  }
  return array;
}

/** The synchronous contract behind each asynchronous slot. */
const SYNC_OF: Readonly<Record<AsyncKernelName, 'gemm' | 'syrk' | 'weightedGram'>> = { gemmAsync: 'gemm', syrkAsync: 'syrk', weightedGramAsync: 'weightedGram' };

/**
 * The asynchronous kernel `name` from `backend` (default: {@link getBackend}): the backend's own
 * (bound to it) when it has one, else its synchronous kernel of the same contract, resolved as
 * {@link resolveKernel} does, run when called and wrapped in a resolved promise. Callers that may
 * meet a device backend await it; on a CPU backend nothing changes but the promise.
 * @param name - the asynchronous slot, e.g. `'gemmAsync'`.
 * @param backend - the backend to take it from; `undefined` for the default.
 * @throws {@link InvalidArgumentError} for an unknown slot name or a malformed backend.
 * @example
 * ```ts
 * const gemm = resolveAsyncKernel('gemmAsync');
 * const c = new Float64Array(1);
 * await gemm(false, false, 1, 1, 2, 1, Float64Array.of(1, 2), Float64Array.of(3, 4), 0, c);
 * c[0]; // => 11
 * ```
 */
export function resolveAsyncKernel<K extends AsyncKernelName>(name: K, backend?: LinalgBackend): NonNullable<LinalgBackend[K]> {
  if (!ASYNC_KERNEL_NAMES.includes(name)) {
    throw new InvalidArgumentError('name', name, `an asynchronous kernel slot (${ASYNC_KERNEL_NAMES.join(', ')})`);
  }
  const source = chosenBackend(backend);
  const own = source[name];
  if (own !== undefined) return (own as (...args: never[]) => unknown).bind(source) as NonNullable<LinalgBackend[K]>;
  const sync = resolveKernel(SYNC_OF[name], source) as (...args: unknown[]) => void;
  const wrapped = (...args: unknown[]): Promise<void> => {
    try {
      sync(...args);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return wrapped as unknown as NonNullable<LinalgBackend[K]>;
}
