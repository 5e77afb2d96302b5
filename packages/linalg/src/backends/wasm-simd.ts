/**
 * The `wasm-simd` backend: float64 `gemm`, `syrk`, `weightedGram` and `quadraticForms` kernels, and the dense
 * stages of `eigh`, compiled from AssemblyScript (`wasm/assembly/`) to WebAssembly with 128-bit
 * SIMD (`f64x2`); the products use the same Goto–van de Geijn packing as the reference engine,
 * with a 4 × 4 micro-tile held in eight vector registers. The module is embedded in the package
 * (`wasm-simd-binary.ts`, base64): nothing is downloaded, and it is compiled and instantiated
 * synchronously on the backend's first product.
 *
 * Operands are copied into the module's linear memory and the result copied out (`O(n²)` against
 * the product's `O(n³)`); products below a work threshold, and the slots it leaves out (`gemv`,
 * `dot`: memory-bound, where the copies would cost as much as the work; `svd`), run on the
 * reference backend. Its `eigh` (`wasm-simd-eigh.ts`) keeps the matrix in linear memory through
 * a blocked tridiagonalisation and applies the back-transformation there. Where the engine
 * supports it, it is the library's default backend (see `getBackend`); it can also be given per
 * call (`{ backend }`).
 *
 * @packageDocumentation
 */
import type { LinalgBackend } from '../linalg-backend';
import { InvalidArgumentError } from '../errors';
import { gemmKernel } from '../kernels/gemm-kernel';
import { syrkKernel } from '../kernels/syrk-kernel';
import { weightedGramKernel } from '../kernels/weighted-gram-kernel';
import { blockedQuadraticFormsKernel, fillQuadraticFormPanels, quadraticFormsWorkspace, type QuadraticFormsWorkspace } from '../kernels/quadratic-forms-kernel';
import { WASM_SIMD_MODULE_BASE64 } from './wasm-simd-binary';
import { WasmSimdThreads, defaultThreadCount } from './wasm-simd-threads';
import { createWasmSimdEigh } from './wasm-simd-eigh';
import { stridedGemmOver } from './strided-gemm-over';
import { svdRaw } from '../decompositions/svd-kernel';
import { createWasmSimdTallQr } from './wasm-simd-tall-qr';
import { createWasmSimdRotationChains } from './wasm-simd-rotation-chains';
import { createWasmSimdBidiagonalize } from './wasm-simd-bidiagonalize';
import { EDGE_TILE_DOUBLES, evenDoubles as even, type WasmSimdExports, type WasmSimdWorkspace } from './wasm-simd-workspace';

export type { WasmSimdExports, WasmSimdMemory, WasmSimdWorkspace } from './wasm-simd-workspace';

/** Options of {@link createWasmSimdBackend}. */
export interface WasmSimdBackendOptions {
  /**
   * Products with fewer multiply–adds than this (`m·n·k`; half of `n²k` for `syrk` and
   * `weightedGram`) run on the reference kernels, where the copies and the call would cost more
   * than SIMD saves. Default 4096; 0 sends every non-empty product to WebAssembly.
   */
  minWork?: number;
  /**
   * Threads for large products (Node only: worker threads over a shared WebAssembly memory; see
   * `wasm-simd-threads.ts`). Default: every core on Node's main thread, 1 inside a worker thread
   * and outside Node. Any count gives the same bits.
   */
  threads?: number;
  /**
   * Products with at least this many multiply–adds run on the threads (default 2²², about a
   * 160³ gemm; measured on 2 cores: 2 threads break even at 128³ and are 1.25× faster at 160³,
   * 1.65× at 256³, 1.9× from 512³).
   */
  threadMinWork?: number;
}

const DEFAULT_MIN_WORK = 4096;
const DEFAULT_THREAD_MIN_WORK = 2 ** 22;
/** Largest linear memory the backend will grow to (bytes); larger products use the reference kernels. */
const MAX_MEMORY_BYTES = 2 ** 31;
const PAGE_BYTES = 65536;
/**
 * Entries from which `allocate` places an array in the threads' shared memory (256 KiB): copying
 * a smaller operand costs microseconds, and a small model should not start the worker threads.
 */
const RESIDENT_MIN_LENGTH = 2 ** 15;

/**
 * The part of the global `WebAssembly` API used here, typed locally: the package compiles
 * without the DOM library, and engines without WebAssembly leave it undefined.
 */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

function webAssemblyApi(): WebAssemblyApi | undefined {
  const api = (globalThis as { WebAssembly?: Partial<WebAssemblyApi> }).WebAssembly;
  if (api === undefined || typeof api.validate !== 'function' || typeof api.Module !== 'function' || typeof api.Instance !== 'function') {
    return undefined;
  }
  return api as WebAssemblyApi;
}

let decodedBytes: Uint8Array | undefined;
let compiledModule: object | undefined;
let supported: boolean | undefined;
let sharedBackend: LinalgBackend | null | undefined;

/**
 * The embedded WebAssembly module's bytes, decoded from base64 (once, then cached).
 * @example
 * ```ts
 * Array.from(wasmSimdModuleBytes().subarray(0, 4)); // => [0, 97, 115, 109]
 * ```
 */
export function wasmSimdModuleBytes(): Uint8Array {
  if (decodedBytes === undefined) {
    const text = atob(WASM_SIMD_MODULE_BASE64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    decodedBytes = bytes;
  }
  return decodedBytes;
}

/**
 * Whether this JavaScript engine can run the `wasm-simd` backend: WebAssembly is present and
 * validates the embedded module, which uses the fixed-width SIMD proposal (Node ≥ 16.4, all
 * current browsers).
 * @example
 * ```ts
 * typeof isWasmSimdSupported(); // => "boolean"
 * ```
 */
export function isWasmSimdSupported(): boolean {
  if (supported === undefined) {
    const api = webAssemblyApi();
    supported = api !== undefined && api.validate(wasmSimdModuleBytes());
  }
  return supported;
}

/** Compiles (once) and instantiates the embedded module, synchronously. */
function instantiate(): WasmSimdExports {
  // Only reached after isWasmSimdSupported() found the API.
  const api = webAssemblyApi()!;
  compiledModule ??= new api.Module(wasmSimdModuleBytes());
  return new api.Instance(compiledModule, {}).exports as WasmSimdExports;
}

/**
 * One instance of the module and its memory, with the bump layout of a call: the edge tile,
 * the packing buffers, then the operands, each 16-byte aligned.
 */
class WasmSimdRuntime implements WasmSimdWorkspace {
  private exportsCache: WasmSimdExports | undefined;
  private view = new Float64Array(0);
  private base = 0;

  get exports(): WasmSimdExports {
    if (this.exportsCache === undefined) {
      this.exportsCache = instantiate();
      // Double index of the first free 16-byte aligned address.
      this.base = Math.ceil(this.exportsCache.heapBase() / 16) * 2;
    }
    return this.exportsCache;
  }

  /**
   * Grows memory so that `doubles` doubles fit after the heap base and returns the first free
   * double index and a view over the whole memory; `null` when it would exceed the cap.
   */
  reserve(doubles: number): { start: number; f64: Float64Array } | null {
    const ex = this.exports;
    const bytes = (this.base + doubles) * 8;
    if (bytes > MAX_MEMORY_BYTES) return null;
    const have = ex.memory.buffer.byteLength;
    if (bytes > have) ex.memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
    if (this.view.buffer !== ex.memory.buffer) this.view = new Float64Array(ex.memory.buffer);
    return { start: this.base, f64: this.view };
  }
}

/**
 * A fresh instance of the embedded module with the backend's bump layout (its own memory), for
 * kernels that chain several module calls on data kept in linear memory (the `eigh` stages) and
 * for their tests. Call only where {@link isWasmSimdSupported} holds; the module is instantiated
 * on first use of `exports`.
 *
 * @returns the workspace: the module's exports and its `reserve`.
 */
export function createWasmSimdWorkspace(): WasmSimdWorkspace {
  return new WasmSimdRuntime();
}

/**
 * A new `wasm-simd` backend (float64), or `null` where the engine lacks WebAssembly SIMD.
 *
 * Its `gemm`, `syrk`, `weightedGram` and `eigh` (see `createWasmSimdEigh` in `wasm-simd-eigh.ts`) run the
 * embedded module, instantiated synchronously on first use (no top-level await, no download);
 * every other slot falls back to the reference backend. The backend is not registered (`registerBackend`). Each backend owns
 * one module instance, whose memory grows to the largest product it has run (capped at 2 GiB;
 * beyond it the reference kernels run).
 *
 * @param options - `minWork`: products with fewer multiply–adds than this run on the reference kernels (default 4096).
 * @returns the backend, or `null` when `WebAssembly.validate` rejects the SIMD module.
 * @throws {@link InvalidArgumentError} when `options.minWork` is not a non-negative finite number.
 * @example
 * ```ts
 * const wasm = createWasmSimdBackend();
 * const c = new Float64Array(4);
 * wasm?.gemm?.(false, false, 2, 2, 2, 1, Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8), 0, c);
 * wasm === null || Array.from(c).join(','); // => "19,22,43,50"
 * ```
 */
export function createWasmSimdBackend(options: WasmSimdBackendOptions = {}): LinalgBackend | null {
  const minWork = options.minWork ?? DEFAULT_MIN_WORK;
  if (typeof minWork !== 'number' || !(minWork >= 0) || !Number.isFinite(minWork)) {
    throw new InvalidArgumentError('options.minWork', minWork, 'a non-negative finite number');
  }
  const threadCount = options.threads ?? defaultThreadCount();
  if (!Number.isInteger(threadCount) || threadCount < 1) throw new InvalidArgumentError('options.threads', threadCount, 'a positive integer');
  const threadMinWork = options.threadMinWork ?? DEFAULT_THREAD_MIN_WORK;
  if (typeof threadMinWork !== 'number' || !(threadMinWork >= 0) || !Number.isFinite(threadMinWork)) {
    throw new InvalidArgumentError('options.threadMinWork', threadMinWork, 'a non-negative finite number');
  }
  if (!isWasmSimdSupported()) return null;
  const runtime = new WasmSimdRuntime();
  // The threads, started on the first product that needs them (null: one thread).
  let pool: WasmSimdThreads | null | undefined = threadCount > 1 ? undefined : null;
  const threadsFor = (work: number): WasmSimdThreads | null => {
    if (pool === null || work < threadMinWork) return null;
    pool ??= WasmSimdThreads.create(threadCount);
    return pool;
  };

  function gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Float64Array, b: Float64Array, beta: number, c: Float64Array,
  ): void {
    if (m === 0 || n === 0) return;
    if (k === 0 || alpha === 0 || m * n * k < minWork) {
      gemmKernel(transA, transB, m, n, k, alpha, a, b, beta, c);
      return;
    }
    if (threadsFor(m * n * k)?.gemm(transA, transB, m, n, k, alpha, a, b, beta, c) === true) return;
    const ex = runtime.exports;
    const paLen = ex.packedABufferLength();
    const pbLen = even(ex.packedBBufferLength(n, k));
    const aLen = even(m * k);
    const bLen = even(k * n);
    const mem = runtime.reserve(EDGE_TILE_DOUBLES + paLen + pbLen + aLen + bLen + m * n);
    if (mem === null) {
      gemmKernel(transA, transB, m, n, k, alpha, a, b, beta, c);
      return;
    }
    const { start, f64 } = mem;
    const pa = start + EDGE_TILE_DOUBLES;
    const pb = pa + paLen;
    const ap = pb + pbLen;
    const bp = ap + aLen;
    const cp = bp + bLen;
    f64.set(a.subarray(0, m * k), ap);
    f64.set(b.subarray(0, k * n), bp);
    if (beta !== 0) f64.set(c.subarray(0, m * n), cp);
    ex.scaleBlock(m, n, beta, cp * 8, n, 0);
    ex.packedProduct(
      transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha,
      ap * 8, transA ? m : k, bp * 8, transB ? k : n, cp * 8, n,
      0, 0, pa * 8, pb * 8, start * 8, 0,
    );
    c.set(f64.subarray(cp, cp + m * n));
  }

  function syrk(transpose: boolean, n: number, k: number, alpha: number, a: Float64Array, beta: number, c: Float64Array): void {
    if (n === 0) return;
    if (k === 0 || alpha === 0 || (n * n * k) / 2 < minWork) {
      syrkKernel(transpose, n, k, alpha, a, beta, c);
      return;
    }
    if (threadsFor((n * n * k) / 2)?.syrk(transpose, n, k, alpha, a, beta, c) === true) return;
    const ex = runtime.exports;
    const paLen = ex.packedABufferLength();
    const pbLen = even(ex.packedBBufferLength(n, k));
    const aLen = even(n * k);
    const mem = runtime.reserve(EDGE_TILE_DOUBLES + paLen + pbLen + aLen + n * n);
    if (mem === null) {
      syrkKernel(transpose, n, k, alpha, a, beta, c);
      return;
    }
    const { start, f64 } = mem;
    const pa = start + EDGE_TILE_DOUBLES;
    const pb = pa + paLen;
    const ap = pb + pbLen;
    const cp = ap + aLen;
    f64.set(a.subarray(0, n * k), ap);
    if (beta !== 0) f64.set(c.subarray(0, n * n), cp);
    ex.scaleBlock(n, n, beta, cp * 8, n, 1);
    // AAᵀ: op(A) = A (n × k), op(B) = Aᵀ; AᵀA: op(A) = Aᵀ (A stored k × n), op(B) = A.
    const lda = transpose ? n : k;
    ex.packedProduct(
      transpose ? 1 : 0, transpose ? 0 : 1, n, n, k, alpha,
      ap * 8, lda, ap * 8, lda, cp * 8, n,
      1, 0, pa * 8, pb * 8, start * 8, 0,
    );
    ex.mirrorLowerToUpper(n, cp * 8);
    c.set(f64.subarray(cp, cp + n * n));
  }

  function weightedGram(rows: number, cols: number, x: Float64Array, w: Float64Array, c: Float64Array): void {
    if (cols === 0) return;
    if (rows === 0 || (rows * cols * cols) / 2 < minWork) {
      weightedGramKernel(rows, cols, x, w, c);
      return;
    }
    if (threadsFor((rows * cols * cols) / 2)?.weightedGram(rows, cols, x, w, c) === true) return;
    const ex = runtime.exports;
    const paLen = ex.packedABufferLength();
    const pbLen = even(ex.packedBBufferLength(cols, rows));
    const xLen = even(rows * cols);
    const wLen = even(rows);
    const mem = runtime.reserve(EDGE_TILE_DOUBLES + paLen + pbLen + xLen + wLen + cols * cols);
    if (mem === null) {
      weightedGramKernel(rows, cols, x, w, c);
      return;
    }
    const { start, f64 } = mem;
    const pa = start + EDGE_TILE_DOUBLES;
    const pb = pa + paLen;
    const xp = pb + pbLen;
    const wp = xp + xLen;
    const cp = wp + wLen;
    f64.set(x.subarray(0, rows * cols), xp);
    f64.set(w.subarray(0, rows), wp);
    ex.scaleBlock(cols, cols, 0, cp * 8, cols, 0);
    ex.packedProduct(
      1, 0, cols, cols, rows, 1,
      xp * 8, cols, xp * 8, cols, cp * 8, cols,
      1, wp * 8, pa * 8, pb * 8, start * 8, 0,
    );
    ex.mirrorLowerToUpper(cols, cp * 8);
    c.set(f64.subarray(cp, cp + cols * cols));
  }

  // The panels of the forms (re-made when d changes; filled from A on every call).
  let formsWorkspace: QuadraticFormsWorkspace | undefined;

  function quadraticForms(n: number, d: number, x: Float64Array, a: Float64Array, f: Float64Array): void {
    if (n === 0) return;
    if (d === 0) {
      f.fill(0, 0, n);
      return;
    }
    if (formsWorkspace?.d !== d) formsWorkspace = quadraticFormsWorkspace(1, d);
    const ws = formsWorkspace;
    fillQuadraticFormPanels(d, a, ws);
    const width = ws.widths[0]!;
    // Multiply–adds: about n d² (P + 1) / (2P) for P column blocks.
    const work = (n * d * d * (ws.starts.length + 1)) / (2 * ws.starts.length);
    if (threadsFor(work)?.quadraticForms(n, d, x, ws.panels, width, f) === true) return;
    const ex = runtime.exports;
    const scratchLen = even(ex.quadraticFormScratchLength(width));
    const xLen = even(n * d);
    const panelsLen = even(ws.panels.length);
    const mem = runtime.reserve(scratchLen + xLen + panelsLen + n);
    if (mem === null) {
      blockedQuadraticFormsKernel(n, d, x, a, f, gemmKernel, quadraticFormsWorkspace(n, d));
      return;
    }
    const { start, f64 } = mem;
    const xp = start + scratchLen;
    const panels = xp + xLen;
    const fp = panels + panelsLen;
    f64.set(x.subarray(0, n * d), xp);
    f64.set(ws.panels, panels);
    ex.quadraticFormRows(0, n, d, width, xp * 8, panels * 8, fp * 8, start * 8);
    f.set(f64.subarray(fp, fp + n));
  }

  const stridedGemm = stridedGemmOver(gemm);
  // On one thread the QR step of a tall SVD runs in the module's memory (no copies of the trailing
  // matrix); on several, its products go to the threads through `stridedGemm`.
  const tallQr = threadCount === 1 ? createWasmSimdTallQr(runtime) : null;
  // The SVD: products on this backend's gemm, the QR step above, the bidiagonalisation (blocked
  // from BLOCKED_BIDIAGONAL_MIN columns, else its fused row passes) and the rotation chains of the
  // bidiagonal QR iteration in the module (f64x2).
  const svdKernels = {
    gemm: stridedGemm,
    qr: tallQr,
    rotations: createWasmSimdRotationChains(runtime),
    bidiagonalize: createWasmSimdBidiagonalize(runtime),
  };
  return {
    name: 'wasm-simd',
    precision: 'float64',
    description: `WebAssembly SIMD (f64x2), float64: packed gemm/syrk/weightedGram/quadraticForms, blocked eigh, and the blocked QR step, bidiagonalisation and rotation chains of the SVD from AssemblyScript (${threadCount === 1 ? 'single thread' : `${threadCount} threads from ${threadMinWork} multiply–adds`})`,
    gemm,
    syrk,
    weightedGram,
    quadraticForms,
    // On several threads, an array of at least RESIDENT_MIN_LENGTH entries lives in the memory they
    // share (products read it in place); a smaller one, or on one thread, is a plain array.
    allocate(length: number): Float64Array {
      const threads = length < RESIDENT_MIN_LENGTH ? null : threadsFor(Infinity);
      return threads?.allocate(length) ?? new Float64Array(length);
    },
    eigh: createWasmSimdEigh(runtime, gemm),
    // The reference SVD with the QR step of tall inputs blocked, its products on this gemm, its
    // rotation chains in the module.
    svd(rows, cols, a) {
      const r = svdRaw(rows, cols, a, 1, svdKernels);
      return { s: r.s, u: r.u!, v: r.v! };
    },
    singularValues: (rows, cols, a) => svdRaw(rows, cols, a, 0, svdKernels).s,
  };
}

/**
 * The shared `wasm-simd` backend (created on the first call with the default options), or
 * `null` where WebAssembly SIMD is unsupported. It is the library's default where supported.
 * @example
 * ```ts
 * const wasm = getWasmSimdBackend();
 * wasm === null || wasm.name; // => "wasm-simd"
 * ```
 */
export function getWasmSimdBackend(): LinalgBackend | null {
  if (sharedBackend === undefined) sharedBackend = createWasmSimdBackend();
  return sharedBackend;
}
