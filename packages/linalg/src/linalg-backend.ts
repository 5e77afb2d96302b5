/**
 * The backend contract: a {@link LinalgBackend} is a plain object of unchecked kernels on
 * row-major `Float64Array`s, every slot optional. The registry that holds backends and resolves
 * kernels is `backend.ts`.
 *
 * @packageDocumentation
 */

/** Working precision of a backend's arithmetic. `float32` backends are opt-in and never used for certificates. */
export type Precision = 'float64' | 'float32';

/**
 * A compute backend: unchecked kernels on raw row-major arrays. Every slot is optional: a
 * missing kernel falls back to the reference backend's. Kernels are called with the backend as
 * `this` and must not keep references to the arrays they are given.
 */
export interface LinalgBackend {
  /** Registry name, unique; `'reference'` for the pure-TypeScript backend. */
  readonly name: string;
  /** Working precision; sets the conformance tolerances. */
  readonly precision: Precision;
  /** One line for `listBackends` and the CLI, e.g. what library or device it uses. */
  readonly description: string;
  /** $C \leftarrow \alpha\,\mathrm{op}(A)\,\mathrm{op}(B) + \beta C$, `C` is `m × n`; `a` is `m × k` (`k × m` with `transA`), `b` is `k × n` (`n × k` with `transB`). `β = 0` ignores `c`. */
  gemm?(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float64Array,
    b: Float64Array,
    beta: number,
    c: Float64Array,
  ): void;
  /** `transpose = false`: $C \leftarrow \alpha A A^\top + \beta C$ with `A` `n × k`; `true`: $C \leftarrow \alpha A^\top A + \beta C$ with `A` `k × n`. The full symmetric `C` (`n × n`) is written. */
  syrk?(transpose: boolean, n: number, k: number, alpha: number, a: Float64Array, beta: number, c: Float64Array): void;
  /** $C \leftarrow X^\top \operatorname{diag}(w) X$, `X` is `rows × cols`, `C` is `cols × cols` (overwritten). */
  weightedGram?(rows: number, cols: number, x: Float64Array, w: Float64Array, c: Float64Array): void;
  /**
   * The quadratic forms $f_i = x_i^\top A x_i = \sum_{j,k} x_{ij} A_{jk} x_{ik}$ of the rows $x_i$ of
   * `X` (`n × d`), for a symmetric `A` (`d × d`); `f` (length `n`) is overwritten ($f_i = 0$ when
   * `d = 0`). `A` must be symmetric, and a kernel reads only its upper triangle
   * (`a[j·d + k]`, `j ≤ k`): the strict lower triangle is ignored and may hold anything, NaN
   * included (so a matrix that is symmetric only up to rounding is taken as its upper triangle).
   * `f` must not share storage with `x` or `a`. Accuracy: within
   * $c\, d\, u \sum_{j,k} |x_{ij}| |A_{jk}| |x_{ik}|$ of the exact value (the conformance suite
   * takes $c\,d = 8 (2d + 2)$); the reference kernel is the column-blocked scheme of
   * `blockedQuadraticFormsKernel` (about $0.6\, n d^2$ multiply–adds at $d = 100$).
   */
  quadraticForms?(n: number, d: number, x: Float64Array, a: Float64Array, f: Float64Array): void;
  /** $y \leftarrow \alpha\,\mathrm{op}(A)\,x + \beta y$, `A` is `m × n`. `β = 0` ignores `y`. */
  gemv?(trans: boolean, m: number, n: number, alpha: number, a: Float64Array, x: Float64Array, beta: number, y: Float64Array): void;
  /** $x^\top y$ over the first `n` entries. */
  dot?(n: number, x: Float64Array, y: Float64Array): number;
  /**
   * Symmetric eigendecomposition of the `n × n` row-major `a` (not modified): `values`
   * ascending; `vectors` (`n × n`, row-major, eigenvectors as columns) or `null` when not wanted.
   */
  eigh?(n: number, a: Float64Array, wantVectors: boolean, signal?: AbortSignal): { values: Float64Array; vectors: Float64Array | null };
  /**
   * Thin SVD of the `rows × cols` row-major `a` (not modified), `k = min(rows, cols)`:
   * `s` descending (length `k`), `u` `rows × k`, `v` `cols × k` (row-major), $A = U \operatorname{diag}(s) V^\top$.
   */
  svd?(rows: number, cols: number, a: Float64Array): { s: Float64Array; u: Float64Array; v: Float64Array };
  /**
   * The singular values alone of the `rows × cols` row-major `a` (not modified), descending, length
   * `min(rows, cols)`: the values of `svd` without forming the vectors (LAPACK `dgesdd` with
   * `jobz = 'N'`).
   */
  singularValues?(rows: number, cols: number, a: Float64Array): Float64Array;
  /**
   * Storage for an operand that this backend's kernels read in place: a new zero-filled
   * Float64Array of `length` entries. The `wasm-simd` backend on several threads returns a view
   * of the WebAssembly memory its threads share, so that products over the array skip the copy
   * into that memory (a risk evaluated many times on the same `X` keeps `X` there); its region is
   * freed when the returned array is garbage-collected, so the array itself must stay reachable
   * while it is used. Optional: callers without it use `new Float64Array(length)` (see
   * `allocateOperand`).
   */
  allocate?(length: number): Float64Array;
  /**
   * The asynchronous products, for devices that compute while the caller waits (a GPU): the
   * contracts of `gemm`, `syrk` and `weightedGram`, with the output written when the promise
   * resolves. A backend may provide only these; its synchronous calls then fall back to the
   * reference backend's kernels, and `resolveAsyncKernel` turns a synchronous kernel into an
   * asynchronous one for backends that have no device.
   */
  gemmAsync?(...args: Parameters<NonNullable<LinalgBackend['gemm']>>): Promise<void>;
  /** The asynchronous `syrk` (see `gemmAsync`). */
  syrkAsync?(...args: Parameters<NonNullable<LinalgBackend['syrk']>>): Promise<void>;
  /** The asynchronous `weightedGram` (see `gemmAsync`). */
  weightedGramAsync?(...args: Parameters<NonNullable<LinalgBackend['weightedGram']>>): Promise<void>;
}

/** The names of the asynchronous kernel slots of a {@link LinalgBackend}. */
export type AsyncKernelName = 'gemmAsync' | 'syrkAsync' | 'weightedGramAsync';

/** The names of the synchronous kernel slots of a {@link LinalgBackend}. */
export type KernelName = Exclude<keyof LinalgBackend, 'name' | 'precision' | 'description' | AsyncKernelName>;

/** The kernel slots, in the order of {@link LinalgBackend}. */
export const KERNEL_NAMES: readonly KernelName[] = ['gemm', 'syrk', 'weightedGram', 'quadraticForms', 'gemv', 'dot', 'eigh', 'svd', 'singularValues'];

/** The asynchronous kernel slots, each named after its synchronous contract. */
export const ASYNC_KERNEL_NAMES: readonly AsyncKernelName[] = ['gemmAsync', 'syrkAsync', 'weightedGramAsync'];
