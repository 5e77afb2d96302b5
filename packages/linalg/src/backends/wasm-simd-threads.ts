/**
 * The threads of the `wasm-simd` backend (Node): the embedded kernels compiled a second time over
 * an imported shared `WebAssembly.Memory`, instantiated once in this thread and once in each of
 * `threads − 1` worker threads. A product is split into bands of rows of its result: the operands
 * are copied once into the shared memory (unless they live there already: resident arrays, see
 * `allocate`), each thread runs `packedProduct` on its band (with packing buffers of its own), and
 * this thread waits on `Atomics.wait` for the others, so the backend's kernels stay synchronous.
 * The quadratic forms are split the same way, by rows of `X` (`quadraticFormRows`).
 *
 * Every entry of a band is summed over `k` in the order of the one-thread product (the kernel's
 * order does not depend on the band), so the result has the same bits for any thread count; a
 * symmetric product (`syrk`, `weightedGram`) computes the lower triangle of each band and
 * mirrors it once at the end, as the one-thread product does. Bands of symmetric products are
 * balanced by the area of the triangle they cover.
 *
 * Workers are started on first use, unreferenced (they never keep a process alive), and exist
 * only where Node's `worker_threads` and shared WebAssembly memory are available; elsewhere
 * {@link WasmSimdThreads.create} returns `null` and the backend runs on one thread.
 *
 * @packageDocumentation
 */
import { ShallowscapeError } from '../errors';
import { WASM_SIMD_SHARED_MODULE_BASE64 } from './wasm-simd-binary';
import { EDGE_TILE_DOUBLES, evenDoubles as even } from './wasm-simd-workspace';

/** The exports of the shared-memory module (those of the one-thread module). */
interface SharedExports {
  heapBase(): number;
  packedABufferLength(): number;
  packedBBufferLength(n: number, k: number): number;
  scaleBlock(m: number, n: number, beta: number, c: number, ldc: number, lowerOnly: number): void;
  mirrorLowerToUpper(n: number, c: number): void;
  packedProduct(...args: number[]): void;
  quadraticFormScratchLength(width: number): number;
  quadraticFormRows(...args: number[]): void;
}

/** One call into the module: an export's name and its arguments. */
type Call = [name: 'scaleBlock' | 'packedProduct' | 'quadraticFormRows', args: number[]];

/** The parts of `node:worker_threads` used here. */
interface WorkerThreads {
  isMainThread: boolean;
  Worker: new (source: string, options: { eval: true; workerData: unknown }) => {
    postMessage(message: unknown): void;
    unref(): void;
    terminate(): Promise<number>;
  };
}

/** The WebAssembly API with shared memory, typed locally (the package compiles without the DOM library). */
interface SharedWebAssembly {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: true }) => { buffer: SharedArrayBuffer; grow(pages: number): number };
}

const PAGE_BYTES = 65536;
/** The shared memory's maximum: 2 GiB, as the module declares. */
const MAX_PAGES = 32768;
/** Rows of a band are a multiple of the micro-kernel's MR (4) rows, except the last. */
const ROW_ALIGN = 4;

/**
 * The worker's program: instantiate the module over the shared memory, then run the calls of each
 * message in order and report 1 (done) or 2 (failed) in its status slot. It is this package's own
 * constant source, evaluated by `new Worker(…, { eval: true })`; the messages carry only export
 * names and numbers.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ex = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } }).exports;
const status = new Int32Array(workerData.status);
parentPort.on('message', ({ slot, calls }) => {
  let code = 1;
  try {
    for (const [name, args] of calls) ex[name](...args);
  } catch {
    code = 2;
  }
  Atomics.store(status, slot, code);
  Atomics.notify(status, slot);
});
`;

/** `node:worker_threads`, where this runtime is Node (≥ 20.16) and has it. */
function workerThreads(): WorkerThreads | null {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (typeof getBuiltin !== 'function') return null;
  const module = getBuiltin('node:worker_threads') as WorkerThreads | undefined;
  return module?.Worker !== undefined ? module : null;
}

/**
 * The default thread count of the backend: every core (`os.availableParallelism()`) on Node's main
 * thread, 1 inside a worker thread (a sweep's workers already use every core) and outside Node.
 * @example
 * ```ts
 * defaultThreadCount() >= 1; // => true
 * ```
 */
export function defaultThreadCount(): number {
  const threads = workerThreads();
  if (threads === null || !threads.isMainThread) return 1;
  const os = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process!.getBuiltinModule!('node:os') as { availableParallelism?: () => number; cpus(): unknown[] };
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/** Boundaries `0 = b₀ < … < b_T = n` of `T` bands of rows, a multiple of {@link ROW_ALIGN} apart (but the last). */
function bands(n: number, count: number, triangle: boolean): number[] {
  const cuts = [0];
  for (let t = 1; t < count; t++) {
    // Equal areas: rows for a rectangle, the triangle's area up to row b is b²/2.
    const exact = triangle ? n * Math.sqrt(t / count) : (n * t) / count;
    const cut = Math.min(n, Math.max(cuts[t - 1]!, Math.round(exact / ROW_ALIGN) * ROW_ALIGN));
    cuts.push(cut);
  }
  cuts.push(n);
  return cuts;
}


/** The threads of one backend; see the module notes. */
export class WasmSimdThreads {
  /** Threads that compute a product, this one included. */
  readonly count: number;
  private readonly exports: SharedExports;
  private readonly memory: { buffer: SharedArrayBuffer; grow(pages: number): number };
  private readonly workers: Array<{ postMessage(message: unknown): void; terminate(): Promise<number> }>;
  private readonly status: Int32Array;
  private readonly base: number;
  /** Live resident arrays (see `allocate`): start → length, in doubles. */
  private readonly regions = new Map<number, number>();
  /** The resident arrays themselves, with their start: only these are read in place. */
  private readonly resident = new WeakMap<Float64Array, number>();
  /** Frees a resident array's region once the array is garbage-collected. */
  private readonly reclaim = new FinalizationRegistry<number>((start) => this.regions.delete(start));

  private constructor(count: number, api: SharedWebAssembly, threads: WorkerThreads) {
    this.count = count;
    const bytes = Uint8Array.from(atob(WASM_SIMD_SHARED_MODULE_BASE64), (ch) => ch.charCodeAt(0));
    const module = new api.Module(bytes);
    this.memory = new api.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    this.exports = new api.Instance(module, { env: { memory: this.memory } }).exports as SharedExports;
    this.base = Math.ceil(this.exports.heapBase() / 16) * 2;
    const status = new SharedArrayBuffer(4 * count);
    this.status = new Int32Array(status);
    this.workers = [];
    for (let t = 1; t < count; t++) {
      const worker = new threads.Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory: this.memory, status } });
      worker.unref();
      this.workers.push(worker);
    }
  }

  /**
   * `count` threads for the kernels, or `null` where they cannot run (not Node, no shared
   * WebAssembly memory, or `count < 2`).
   *
   * @param count - threads, this one included.
   * @returns the threads, or `null`.
   */
  static create(count: number): WasmSimdThreads | null {
    if (!(count >= 2)) return null;
    const threads = workerThreads();
    const api = (globalThis as unknown as { WebAssembly?: Partial<SharedWebAssembly> }).WebAssembly;
    if (threads === null || api?.Memory === undefined || typeof SharedArrayBuffer === 'undefined') return null;
    try {
      return new WasmSimdThreads(count, api as SharedWebAssembly, threads);
    } catch {
      return null;
    }
  }

  /** Stops the workers (the threads cannot be used afterwards). */
  async destroy(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** The first double index above every live resident array: where a call's scratch and copies start. */
  private callBase(): number {
    let top = this.base;
    for (const [start, length] of this.regions) top = Math.max(top, start + even(length));
    return top;
  }

  /**
   * Grows the shared memory so that `doubles` doubles fit after the resident arrays; returns the
   * first free double index and a view, or `null` past 2 GiB.
   */
  private reserve(doubles: number): { start: number; f64: Float64Array } | null {
    const start = this.callBase();
    if (!this.grow(start + doubles)) return null;
    return { start, f64: new Float64Array(this.memory.buffer) };
  }

  /** Grows the memory to hold `end` doubles; false past 2 GiB. */
  private grow(end: number): boolean {
    const bytes = end * 8;
    if (bytes > MAX_PAGES * PAGE_BYTES) return false;
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
    return true;
  }

  /**
   * A zero-filled array of `length` doubles in the shared memory (a resident array): the products
   * read it in place instead of copying it in, which is what lets a risk that evaluates the same
   * `X` many times use every thread. Its region is the first gap between live resident arrays
   * that fits (else above them), and is freed when the array is garbage-collected, so keep the
   * array itself reachable while it is in use (a view made from it is copied like any other
   * operand, and does not keep the region). `null` past 2 GiB.
   *
   * @param length - entries.
   * @returns the array, or `null`.
   */
  allocate(length: number): Float64Array | null {
    const size = even(length);
    const taken = [...this.regions].sort((p, q) => p[0] - q[0]);
    let start = this.base;
    for (const [s, l] of taken) {
      if (s - start >= size) break;
      start = Math.max(start, s + even(l));
    }
    if (!this.grow(start + size)) return null;
    const array = new Float64Array(this.memory.buffer, start * 8, length);
    array.fill(0);
    this.regions.set(start, length);
    this.resident.set(array, start);
    this.reclaim.register(array, start);
    return array;
  }

  /**
   * Where operand `data` (its first `length` entries) is in the shared memory, as a double index:
   * its own start when it is a resident array, else `at`, where it is copied.
   */
  private place(data: Float64Array, length: number, at: number, f64: Float64Array): number {
    const start = this.resident.get(data);
    if (start !== undefined) return start;
    f64.set(data.subarray(0, length), at);
    return at;
  }

  /** Runs band `t`'s calls on thread `t` (0: this one) and waits for every band. */
  private run(callsOf: Call[][]): void {
    const { status } = this;
    for (let t = 1; t < callsOf.length; t++) {
      Atomics.store(status, t, 0);
      this.workers[t - 1]!.postMessage({ slot: t, calls: callsOf[t] });
    }
    for (const [name, args] of callsOf[0]!) (this.exports[name] as (...a: number[]) => void)(...args);
    let failed = false;
    for (let t = 1; t < callsOf.length; t++) {
      while (Atomics.load(status, t) === 0) Atomics.wait(status, t, 0);
      if (Atomics.load(status, t) === 2) failed = true;
    }
    if (failed) throw new ShallowscapeError('a worker thread of the wasm-simd backend failed', 'E_BACKEND');
  }

  /** Per-thread scratch (edge tile, packed A, packed B for `n × k`), after `start`; returns its double index per thread and the end. */
  private scratch(start: number, n: number, k: number): { at: number[]; end: number } {
    const each = EDGE_TILE_DOUBLES + this.exports.packedABufferLength() + even(this.exports.packedBBufferLength(n, k));
    return { at: Array.from({ length: this.count }, (_, t) => start + t * each), end: start + this.count * each };
  }

  /**
   * The `gemm` contract (`m·n·k > 0`, `α ≠ 0`), split into bands of rows of C. Returns false
   * (nothing done) when the operands do not fit in 2 GiB.
   */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array): boolean {
    const ex = this.exports;
    const probe = this.reserve(0)!;
    const s = this.scratch(probe.start, n, k);
    const aIn = this.resident.has(a);
    const bIn = this.resident.has(b);
    const ap0 = s.end;
    const bp0 = ap0 + (aIn ? 0 : even(m * k));
    const cp = bp0 + (bIn ? 0 : even(k * n));
    const mem = this.reserve(cp - probe.start + m * n);
    if (mem === null) return false;
    const { f64 } = mem;
    const ap = this.place(a, m * k, ap0, f64);
    const bp = this.place(b, k * n, bp0, f64);
    if (beta !== 0) f64.set(c.subarray(0, m * n), cp);
    const cuts = bands(m, Math.min(this.count, Math.ceil(m / ROW_ALIGN)), false);
    const lda = transA ? m : k;
    const ldb = transB ? k : n;
    const callsOf = cuts.slice(1).map((r1, t): Call[] => {
      const r0 = cuts[t]!;
      const rows = r1 - r0;
      if (rows === 0) return [];
      const band = transA ? ap + r0 : ap + r0 * k;
      const w = s.at[t]!;
      return [
        ['scaleBlock', [rows, n, beta, (cp + r0 * n) * 8, n, 0]],
        ['packedProduct', [transA ? 1 : 0, transB ? 1 : 0, rows, n, k, alpha, band * 8, lda, bp * 8, ldb, (cp + r0 * n) * 8, n, 0, 0, (w + EDGE_TILE_DOUBLES) * 8, (w + EDGE_TILE_DOUBLES + ex.packedABufferLength()) * 8, w * 8, 0]],
      ];
    });
    this.run(callsOf);
    c.set(new Float64Array(this.memory.buffer, cp * 8, m * n));
    return true;
  }

  /**
   * The lower triangle of a symmetric product `C ← α op(A) diag(s) op(A)ᵀ + β C` by bands of rows,
   * then mirrored: `a` at double index `ap` with `op(A)` row `i` at `ap + i·rowStride` and the
   * other operand `op(B)` from `bp` (`transB`), both with leading dimension `lda`.
   */
  private symmetric(n: number, k: number, alpha: number, beta: number, c: Float64Array, layout: { transA: boolean; transB: boolean; ap: number; bp: number; lda: number; rowStride: number; scale: number; cp: number; scratch: { at: number[] } }): void {
    const ex = this.exports;
    const { cp } = layout;
    const cuts = bands(n, Math.min(this.count, Math.ceil(n / ROW_ALIGN)), true);
    const callsOf = cuts.slice(1).map((r1, t): Call[] => {
      const r0 = cuts[t]!;
      const rows = r1 - r0;
      if (rows === 0) return [];
      const w = layout.scratch.at[t]!;
      return [
        ['scaleBlock', [rows, n, beta, (cp + r0 * n) * 8, n, 0]],
        [
          'packedProduct',
          [
            layout.transA ? 1 : 0, layout.transB ? 1 : 0, rows, r1, k, alpha,
            (layout.ap + r0 * layout.rowStride) * 8, layout.lda, layout.bp * 8, layout.lda, (cp + r0 * n) * 8, n,
            1, layout.scale, (w + EDGE_TILE_DOUBLES) * 8, (w + EDGE_TILE_DOUBLES + ex.packedABufferLength()) * 8, w * 8, r0,
          ],
        ],
      ];
    });
    this.run(callsOf);
    ex.mirrorLowerToUpper(n, cp * 8);
    c.set(new Float64Array(this.memory.buffer, cp * 8, n * n));
  }

  /**
   * The quadratic forms `f_i = x_iᵀ A x_i` (`n·d > 0`) from the coefficient panels of the
   * column-blocked scheme (`fillQuadraticFormPanels`, blocks `width` wide), by bands of rows: each
   * thread runs `quadraticFormRows` on its rows with scratch of its own. A row's form depends on
   * that row alone, so any split gives the same bits. False when it does not fit in 2 GiB.
   */
  quadraticForms(n: number, d: number, x: Float64Array, panels: Float64Array, width: number, f: Float64Array): boolean {
    const probe = this.reserve(0)!;
    const each = even(this.exports.quadraticFormScratchLength(width));
    const pp = probe.start + this.count * each;
    const fp = pp + even(panels.length);
    const xp0 = fp + even(n);
    const mem = this.reserve(xp0 - probe.start + (this.resident.has(x) ? 0 : n * d));
    if (mem === null) return false;
    mem.f64.set(panels, pp);
    const xp = this.place(x, n * d, xp0, mem.f64);
    const cuts = bands(n, Math.min(this.count, Math.ceil(n / ROW_ALIGN)), false);
    const callsOf = cuts.slice(1).map((r1, t): Call[] => {
      const r0 = cuts[t]!;
      if (r1 === r0) return [];
      return [['quadraticFormRows', [r0, r1, d, width, xp * 8, pp * 8, fp * 8, (probe.start + t * each) * 8]]];
    });
    this.run(callsOf);
    f.set(new Float64Array(this.memory.buffer, fp * 8, n));
    return true;
  }

  /** The `syrk` contract (`n·k > 0`, `α ≠ 0`) by bands; false when it does not fit in 2 GiB. */
  syrk(transpose: boolean, n: number, k: number, alpha: number, a: Float64Array, beta: number, c: Float64Array): boolean {
    const probe = this.reserve(0)!;
    const scratch = this.scratch(probe.start, n, k);
    const cp = scratch.end + (this.resident.has(a) ? 0 : even(n * k));
    const mem = this.reserve(cp - probe.start + n * n);
    if (mem === null) return false;
    const ap = this.place(a, n * k, scratch.end, mem.f64);
    if (beta !== 0) mem.f64.set(c.subarray(0, n * n), cp);
    // AAᵀ: op(A) = A (n × k, row i at i·k), op(B) = Aᵀ; AᵀA: op(A) = Aᵀ (A stored k × n, row i of Aᵀ at i), op(B) = A.
    const lda = transpose ? n : k;
    this.symmetric(n, k, alpha, beta, c, { transA: transpose, transB: !transpose, ap, bp: ap, lda, rowStride: transpose ? 1 : k, scale: 0, cp, scratch });
    return true;
  }

  /** The `weightedGram` contract (`rows·cols > 0`) by bands; false when it does not fit in 2 GiB. */
  weightedGram(rows: number, cols: number, x: Float64Array, w: Float64Array, c: Float64Array): boolean {
    const probe = this.reserve(0)!;
    const scratch = this.scratch(probe.start, cols, rows);
    const wp = scratch.end;
    const xp0 = wp + even(rows);
    const cp = xp0 + (this.resident.has(x) ? 0 : even(rows * cols));
    const mem = this.reserve(cp - probe.start + cols * cols);
    if (mem === null) return false;
    mem.f64.set(w.subarray(0, rows), wp);
    const xp = this.place(x, rows * cols, xp0, mem.f64);
    // Xᵀ diag(w) X: op(A) = Xᵀ (row i of Xᵀ at i), op(B) = X, the weights along k.
    this.symmetric(cols, rows, 1, 0, c, { transA: true, transB: false, ap: xp, bp: xp, lda: cols, rowStride: 1, scale: wp * 8, cp, scratch });
    return true;
  }
}
