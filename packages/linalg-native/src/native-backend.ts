/**
 * The `native` backend of `@shallowscape/linalg`: OpenBLAS's BLAS products and LAPACK's
 * symmetric eigensolver and SVD through the compiled addon, in float64. The products run on the
 * addon's own threads over a partition fixed by their shape, so every result has the same bits
 * whatever the thread count.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, throwIfAborted, type LinalgBackend } from '@shallowscape/linalg';
import { withLapackErrors } from './lapack-error';
import { loadNativeAddon, type HeapPolicy, type NativeAddon, type OpenblasConfig } from './native-addon';

/** Options of {@link loadNativeBackend}. */
export interface NativeBackendOptions {
  /**
   * Threads of the addon's pool that run the products from now on, for the whole process (as
   * `setNativeThreads`), a positive integer (capped at 256). Left out: the current count is
   * kept; it starts as the thread count OpenBLAS chose when it loaded, `OPENBLAS_NUM_THREADS` (or
   * `GOTO_NUM_THREADS`, `OMP_NUM_THREADS`) when set, else one per core the process may run on.
   * The count changes speed only, never the bits of a result; OpenBLAS itself always runs at one
   * thread.
   */
  threads?: number;
}

/** The native backend and what it runs on, or why it is unavailable. */
export type NativeBackendLoad =
  | {
      available: true;
      /** The backend: `name` `'native'`, `precision` `'float64'`. */
      backend: LinalgBackend;
      /** `openblas_get_config()`, e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64`. */
      config: string;
      /** `openblas_get_corename()`, e.g. `Haswell`. */
      coreName: string;
      /** The addon's thread count in effect after the call (see {@link NativeBackendOptions.threads}). */
      threads: number;
      /** The heap policy the addon set when it loaded (glibc's malloc thresholds, or why not). */
      heap: HeapPolicy;
    }
  | { available: false; reason: string };

/**
 * The one-line description of the backend: the OpenBLAS version from its build string, the
 * kernels, the addon's thread count, and where LAPACK comes from, e.g.
 * `OpenBLAS 0.3.21 (Cooperlake kernels, 2 threads) + LAPACK`.
 */
export function describeOpenblas(info: OpenblasConfig, threads: number): string {
  const version = /^OpenBLAS\s+\S+/.exec(info.config)?.[0] ?? (info.config.split(/\s+/)[0] || 'OpenBLAS');
  const lapackFile = info.lapackLibrary.split('/').pop() ?? '';
  const lapack = lapackFile === '' || /openblas/i.test(lapackFile) ? 'LAPACK' : `LAPACK (${lapackFile})`;
  return `${version} (${info.coreName || 'unknown'} kernels, ${threads} thread${threads === 1 ? '' : 's'}) + ${lapack}`;
}

/** The backend over `addon`: each slot calls the addon directly; the description follows the thread count. */
function createNativeBackend(addon: NativeAddon): LinalgBackend {
  const info = addon.openblasConfig();
  return {
    name: 'native',
    precision: 'float64',
    get description(): string {
      return describeOpenblas(info, addon.getThreads());
    },
    gemm: (transA, transB, m, n, k, alpha, a, b, beta, c) => addon.gemm(transA, transB, m, n, k, alpha, a, b, beta, c),
    syrk: (transpose, n, k, alpha, a, beta, c) => addon.syrk(transpose, n, k, alpha, a, beta, c),
    weightedGram: (rows, cols, x, w, c) => addon.weightedGram(rows, cols, x, w, c),
    quadraticForms: (n, d, x, a, f) => addon.quadraticForms(n, d, x, a, f),
    gemv: (trans, m, n, alpha, a, x, beta, y) => addon.gemv(trans, m, n, alpha, a, x, beta, y),
    dot: (n, x, y) => addon.dot(n, x, y),
    eigh: (n, a, wantVectors, signal) => {
      throwIfAborted(signal, 'eigh');
      return withLapackErrors(() => addon.eigh(n, a, wantVectors), 'a');
    },
    svd: (rows, cols, a) => withLapackErrors(() => addon.svd(rows, cols, a), 'a'),
    singularValues: (rows, cols, a) => withLapackErrors(() => addon.singularValues(rows, cols, a), 'a'),
  };
}

let shared: LinalgBackend | undefined;

/**
 * Loads the native float64 backend: the kernels $C \leftarrow \alpha\,\mathrm{op}(A)\,\mathrm{op}(B) + \beta C$
 * (`dgemm`), $C \leftarrow \alpha A A^\top + \beta C$ (`dsyrk`, mirrored), $C = X^\top \operatorname{diag}(w) X$,
 * $y \leftarrow \alpha\,\mathrm{op}(A)\,x + \beta y$ (`dgemv`), $x^\top y$ (`ddot`) from OpenBLAS, the
 * quadratic forms $f_i = x_i^\top A x_i$ of the rows of $X$ for a symmetric $A$ (`dgemm` on blocks
 * of 16 columns, using the symmetry: about $n d (d + 16)/2$ multiply–adds), and
 * $A = V \Lambda V^\top$ (`dsyevd`) and $A = U \Sigma V^\top$ (`dgesdd`) from LAPACK.
 *
 * The addon is loaded once per process and the same backend object is returned on every call; it
 * is not registered or made the default (pass it to `registerBackend` / `setBackend`).
 *
 * Calls run synchronously. `gemm`, `syrk`, `weightedGram`, `quadraticForms` and `gemv` are cut into
 * pieces by a rule that depends only on their shape (bands of the output, and groups of a long
 * reduction), each piece single-threaded OpenBLAS calls; the addon's pool of `threads` threads (the calling
 * thread included) runs the pieces, so a result has the same bits for every thread count. LAPACK
 * (`eigh`, `svd`, `singularValues`) runs on the calling thread with OpenBLAS at one thread, also
 * the same bits for every thread count.
 *
 * Loading the addon sets the process's heap policy under glibc (`heap`): blocks up to 32 MiB come
 * from the heap and up to 128 MiB of freed memory is kept, so that the outputs of repeated calls
 * reuse memory already paged in instead of faulting in fresh pages. A `MALLOC_*` variable or a
 * `glibc.malloc` tunable in the environment leaves glibc's own policy in place.
 *
 * @param options - `threads`: the addon's thread count from now on (a positive integer); left out,
 *   the current count (initially OpenBLAS's at load: `OPENBLAS_NUM_THREADS`, else one per core).
 * @returns `{ available: true, backend, config, coreName, threads, heap }`, or `{ available: false, reason }`
 *   when the addon was not built (the build script's reason) or does not load (the loader's
 *   message). A missing or broken addon never throws.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `options.threads` is not a positive integer.
 * @see OpenBLAS; LAPACK Users' Guide (3rd ed.), `dsyevd`, `dgesdd`.
 * @example
 * ```ts
 * const native = loadNativeBackend();
 * typeof native.available; // => "boolean"
 * if (native.available) {
 *   [native.backend.name, native.backend.precision]; // => ["native", "float64"]
 *   native.backend.dot!(3, Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6)); // => 32
 *   Array.from(native.backend.eigh!(2, Float64Array.of(2, 1, 1, 2), false).values); // => [1, 3]
 * }
 * ```
 */
export function loadNativeBackend(options: NativeBackendOptions = {}): NativeBackendLoad {
  const { threads } = options;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new InvalidArgumentError('options.threads', threads, 'a positive integer');
  }
  const load = loadNativeAddon();
  if (!load.available) return { available: false, reason: load.reason };
  const { addon } = load;
  try {
    if (threads !== undefined) addon.setThreads(threads);
    shared ??= createNativeBackend(addon);
    const info = addon.openblasConfig();
    return { available: true, backend: shared, config: info.config, coreName: info.coreName, threads: info.threads, heap: addon.heapPolicy() };
  } catch (error) {
    return { available: false, reason: `the native addon loaded but OpenBLAS could not be queried: ${error instanceof Error ? error.message : String(error)}` };
  }
}
