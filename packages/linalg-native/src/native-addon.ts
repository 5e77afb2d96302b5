/**
 * Loading the compiled addon `build/Release/linalg_native.node` (OpenBLAS + LAPACKE), once per
 * process, and the shape of what it exports. The addon is optional: when it was not built or does
 * not load, the result says why in words instead of throwing.
 *
 * @packageDocumentation
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShallowscapeError } from '@shallowscape/linalg';

/** What OpenBLAS says about itself (`openblas_get_config`, `openblas_get_corename`, …). */
export interface OpenblasConfig {
  /** `openblas_get_config()`, e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64`. */
  config: string;
  /** `openblas_get_corename()`: the kernels in use, e.g. `Haswell` (`OPENBLAS_CORETYPE` overrides the detected one). */
  coreName: string;
  /** The addon's thread count: the threads of its own pool that run the products (see `setNativeThreads`). */
  threads: number;
  /** `openblas_get_num_threads()`: OpenBLAS's own threads, always 1 (the addon sets it when it loads). */
  openblasThreads: number;
  /** `openblas_get_parallel()`: 0 sequential build, 1 pthreads, 2 OpenMP. */
  parallel: number;
  /** The shared library `dgemm_` was bound to. */
  blasLibrary: string;
  /** The shared library `dsyevd_` was bound to (OpenBLAS's own LAPACK, or a reference one). */
  lapackLibrary: string;
}

/**
 * The heap policy the addon set when it loaded: glibc's malloc thresholds (see the package README,
 * "Memory of large outputs").
 */
export interface HeapPolicy {
  /**
   * `'addon'`: blocks up to `mmapThreshold` bytes come from the heap, and up to `trimThreshold`
   * bytes of freed memory are kept for reuse; `'environment'`: a `MALLOC_*` variable or a
   * `glibc.malloc` tunable was set, and glibc's own policy is left as it is; `'unsupported'`: not
   * glibc (or glibc refused the thresholds), nothing was changed.
   */
  source: 'addon' | 'environment' | 'unsupported';
  /** 33554432 (32 MiB) when `source` is `'addon'`, else `null`. */
  mmapThreshold: number | null;
  /** 134217728 (128 MiB) when `source` is `'addon'`, else `null`. */
  trimThreshold: number | null;
}

/**
 * The functions of the addon (`src/native/*.cc`), on row-major `Float64Array`s. The products have
 * the contracts of the `LinalgBackend` slots of the same names; the decompositions return new
 * arrays and never modify their input. LAPACK failures throw an `Error` with `routine` and `info`.
 * Every function is synchronous. The products run on the addon's thread pool over a partition
 * fixed by the shape (the same bits for every thread count); OpenBLAS runs at one thread.
 */
export interface NativeAddon {
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array): void;
  syrk(transpose: boolean, n: number, k: number, alpha: number, a: Float64Array, beta: number, c: Float64Array): void;
  weightedGram(rows: number, cols: number, x: Float64Array, w: Float64Array, c: Float64Array): void;
  /** $f_i = x_i^\top A x_i$ (upper triangle of `a` read): bands of 256 rows of `x` on the pool, blocks of 16 columns, one `dgemm` per block. */
  quadraticForms(n: number, d: number, x: Float64Array, a: Float64Array, f: Float64Array): void;
  gemv(trans: boolean, m: number, n: number, alpha: number, a: Float64Array, x: Float64Array, beta: number, y: Float64Array): void;
  dot(n: number, x: Float64Array, y: Float64Array): number;
  /** `dsyevd`: values ascending, eigenvectors as the columns of the row-major `n × n` `vectors`. */
  eigh(n: number, a: Float64Array, wantVectors: boolean): { values: Float64Array; vectors: Float64Array | null };
  /** `dgesdd` (`jobz = 'S'`): thin SVD, `u` `rows × k`, `v` `cols × k`. */
  svd(rows: number, cols: number, a: Float64Array): { s: Float64Array; u: Float64Array; v: Float64Array };
  /** `dgesdd` (`jobz = 'N'`). */
  singularValues(rows: number, cols: number, a: Float64Array): Float64Array;
  /** `dpotrf`: `L` (lower, zeros above the diagonal) with `A = L Lᵀ`. */
  cholesky(n: number, a: Float64Array): Float64Array;
  /** `dgeqp3` + `dorgqr`: `A P = Q R`, `q` `rows × k`, `r` `k × cols`, 0-based `permutation`. */
  qrPivoted(rows: number, cols: number, a: Float64Array): { q: Float64Array; r: Float64Array; permutation: Int32Array };
  /** `dgelsd`: `x` `n × nrhs`, `s` of `A`, `rank`, `residuals` (when `rank = n < m`). */
  leastSquares(m: number, n: number, nrhs: number, a: Float64Array, b: Float64Array, rcond: number): { x: Float64Array; s: Float64Array; rank: number; residuals: Float64Array };
  /** Sets the thread count of the addon's pool (capped at 256); returns the count now in effect. OpenBLAS stays at one thread. */
  setThreads(threads: number): number;
  /** The thread count of the addon's pool. */
  getThreads(): number;
  openblasConfig(): OpenblasConfig;
  /** The heap policy set when the addon loaded. */
  heapPolicy(): HeapPolicy;
}

/** The addon, or why there is none. */
export type NativeAddonLoad = { available: true; addon: NativeAddon; path: string } | { available: false; reason: string };

/** The package root: the nearest directory above this module whose `package.json` is this package's (`src/` and `dist/` are both one level down). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@shallowscape/linalg-native') return dir;
      } catch {
        // An unreadable manifest is not ours: keep looking.
      }
    }
    dir = dirname(dir);
  }
  return dirname(dirname(fileURLToPath(import.meta.url)));
}

let loaded: NativeAddonLoad | undefined;

/**
 * Loads the compiled addon once per process (later calls return the same result) and never
 * throws: when it is missing, the reason is the text the build script left in
 * `build/unavailable.txt` (or that it was never built); when it does not load, the loader's message.
 *
 * @returns the addon and its path, or the reason there is none.
 */
export function loadNativeAddon(): NativeAddonLoad {
  loaded ??= load();
  return loaded;
}

function load(): NativeAddonLoad {
  let root: string;
  try {
    root = packageRoot();
  } catch (error) {
    return { available: false, reason: `cannot locate the package directory (${error instanceof Error ? error.message : String(error)})` };
  }
  const path = join(root, 'build', 'Release', 'linalg_native.node');
  if (!existsSync(path)) {
    const note = join(root, 'build', 'unavailable.txt');
    const why = existsSync(note) ? readFileSync(note, 'utf8').trim() : '';
    return {
      available: false,
      reason: why !== '' ? why : `the native addon was not built (no ${path}; run pnpm --filter @shallowscape/linalg-native build:addon)`,
    };
  }
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    return { available: true, addon, path };
  } catch (error) {
    return { available: false, reason: `the native addon ${path} does not load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
}

/**
 * The addon, for functions that cannot work without it.
 *
 * @param what - the function that needs it, for the message.
 * @returns the addon.
 * @throws {@link @shallowscape/linalg!ShallowscapeError | ShallowscapeError} (`code` `"E_BACKEND"`) with the reason when it is unavailable.
 */
export function requireNativeAddon(what: string): NativeAddon {
  const load = loadNativeAddon();
  if (load.available) return load.addon;
  throw new ShallowscapeError(`${what} needs the native addon of @shallowscape/linalg-native, which is unavailable here: ${load.reason}`, 'E_BACKEND');
}
