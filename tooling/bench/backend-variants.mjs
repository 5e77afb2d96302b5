// The float64 backends the product suites time, one row each beside the reference backend's
// (whose row also holds the peers): the wasm-simd backend on one thread, the same on every core
// (worker threads; the same bits), and the native backend (OpenBLAS + LAPACK through
// @shallowscape/linalg-native) on one thread and on every core (the addon's own threads over a
// partition fixed by the shape; the same bits) where its addon loads. numpy runs on one thread, so
// the one-thread rows are the like-for-like ratios.
import os from 'node:os';

/**
 * @typedef {{ label: string, backend: any | null, params: object, note: string, skip: string | null }} BackendVariant
 */

/**
 * The variants of this machine and build.
 *
 * @param {any} linalg - the built @shallowscape/linalg.
 * @returns {Promise<BackendVariant[]>}
 */
export async function backendVariants(linalg) {
  const variants = [];
  const wasm = (threads) => (typeof linalg.createWasmSimdBackend === 'function' ? linalg.createWasmSimdBackend({ threads }) : null);
  const noWasm = 'no wasm-simd backend (old build or no WebAssembly SIMD)';
  const one = wasm(1);
  variants.push({ label: 'wasm-simd', backend: one, params: { backend: 'wasm-simd', threads: 1 }, note: 'the wasm-simd backend (WebAssembly f64x2) on one thread, { backend }', skip: one ? null : noWasm });
  const cores = os.availableParallelism();
  if (cores > 1) {
    const all = wasm(cores);
    variants.push({
      label: `wasm-simd, ${cores} threads`,
      backend: all,
      params: { backend: 'wasm-simd', threads: cores },
      note: `the wasm-simd backend on ${cores} worker threads (products from its cutover; the bits of one thread), { backend }`,
      skip: all ? null : noWasm,
    });
  }
  let native = null;
  let module = null;
  let reason;
  try {
    module = await import(new URL('../../packages/linalg-native/dist/index.js', import.meta.url).href);
    const load = module.loadNativeBackend({ threads: 1 });
    if (load.available) native = load;
    else reason = `the native addon does not load: ${load.reason}`;
  } catch (e) {
    reason = `@shallowscape/linalg-native is not built (${e.code ?? e.message}): run pnpm build`;
  }
  for (const threads of cores > 1 ? [1, cores] : [1]) {
    variants.push({
      label: threads === 1 ? 'native' : `native, ${threads} threads`,
      backend: native ? onNativeThreads(module, native.backend, threads) : null,
      params: { backend: 'native', threads, ...(native ? { openblasCore: native.coreName, openblas: native.config, heapPolicy: native.heap.source } : {}) },
      note: native ? `OpenBLAS (${native.coreName} kernels, 1 thread) + LAPACK${threads > 1 ? `, products on the addon's ${threads} threads (the bits of one)` : ''}, { backend }` : '',
      skip: native ? null : reason,
    });
  }
  return variants;
}

/**
 * The native backend with its products on `threads` threads: the addon's thread count is
 * process-wide, so each product sets it first (a no-op when it is already `threads`).
 */
function onNativeThreads(module, backend, threads) {
  // A distinct name for the threaded one: the library's registry holds one backend per name.
  const wrapped = { ...backend, ...(threads > 1 ? { name: `native-${threads}-threads`, description: `${backend.description} on ${threads} threads` } : {}) };
  for (const name of ['gemm', 'syrk', 'weightedGram', 'quadraticForms', 'gemv']) {
    if (typeof backend[name] !== 'function') continue;
    wrapped[name] = (...args) => {
      module.setNativeThreads(threads);
      return backend[name](...args);
    };
  }
  for (const name of ['eigh', 'svd', 'singularValues']) {
    if (typeof backend[name] === 'function') wrapped[name] = (...args) => backend[name](...args);
  }
  return wrapped;
}

/**
 * One row per variant for a case: `name [label]`, its shallowscape subject made by `makeRun(backend)`,
 * and the case's numpy (or other reference) comparison again for its ratio.
 *
 * @param {{ name: string, params: object, flops?: number, numpy?: object }} base - the reference row.
 * @param {BackendVariant[]} variants
 * @param {{ reps: number, warmup: number }} timing
 * @param {(backend: any) => () => unknown} makeRun
 */
export function variantRows(base, variants, timing, makeRun) {
  return variants.map((v) => {
    const name = `${base.name} [${v.label}]`;
    const params = { ...base.params, ...v.params };
    if (v.skip !== null) return { name, params, skip: v.skip };
    return {
      name,
      params,
      ...(base.flops !== undefined ? { flops: base.flops } : {}),
      subjects: { shallowscape: { ...timing, note: v.note, setup: () => makeRun(v.backend) } },
      ...(base.numpy !== undefined ? { numpy: base.numpy } : {}),
    };
  });
}

/** The registrable stand-in of each backend set as the default (see onBackend), and their count. */
const standIns = new WeakMap();
let standInCount = 0;

/**
 * `backend` itself when it is the reference one, else a copy of its slots under a name of its own
 * (`bench-1: wasm-simd`, …), made once per backend: the library's registry holds one backend per
 * name, and a variant (a one-thread wasm-simd backend) shares its name with the registered default.
 */
function standIn(linalg, backend) {
  if (backend === linalg.referenceBackend) return backend;
  let copy = standIns.get(backend);
  if (copy === undefined) {
    standInCount += 1;
    copy = { ...backend, name: `bench-${standInCount}: ${backend.name}` };
    standIns.set(backend, copy);
  }
  return copy;
}

/**
 * `fn` run with `backend` as the library's default (for code that takes no `{ backend }` option,
 * e.g. a certificate or a spectrum), the previous default restored after each call. A backend
 * other than the reference one is set through a registrable stand-in (the same slots under a name
 * of its own), so a second wasm-simd backend can be the default too.
 *
 * @param {any} linalg
 * @param {any} backend
 * @param {() => unknown} fn
 * @returns {() => unknown}
 */
export function onBackend(linalg, backend, fn) {
  const chosen = standIn(linalg, backend);
  return () => {
    const previous = linalg.setBackend(chosen);
    try {
      return fn();
    } finally {
      linalg.setBackend(previous);
    }
  };
}
