/**
 * The threads of the `wasm-simd` backend (Node): the embedded kernels compiled a second time over
 * an imported shared `WebAssembly.Memory`, instantiated once in this thread and once in each of
 * `threads − 1` worker threads. The operands are copied once into the shared memory (unless they
 * live there already: resident arrays, see `allocate`); a product then runs as a job of phases,
 * each a list of units of work that the threads take one at a time from a shared counter
 * (`Atomics.add`), in any order and on any thread, with a barrier between phases; this thread
 * takes units too, then waits on `Atomics.wait` for the others, so the backend's kernels stay
 * synchronous. A thread that runs slower (a busy core, a smaller core) takes fewer units, so the
 * work does not wait for the slowest thread as it would with one fixed band per thread.
 *
 * A product's phases: every panel of `op(B)` packed once into the shared memory (`packPanel`),
 * then blocks of rows × column blocks of `C` against those panels (`productOfPackedPanels`);
 * symmetric products (`syrk`, `weightedGram`) compute the blocks that meet the lower triangle
 * and then mirror it by blocks of rows (`mirrorRows`). The quadratic forms take blocks of rows of
 * `X` (`quadraticFormRows`). Every entry is summed over `k` in the order of the one-thread
 * product, whatever block computes it on whatever thread, so the result has the same bits for
 * any thread count and any schedule.
 *
 * Workers are started on first use, unreferenced (they never keep a process alive), and exist
 * only where Node's `worker_threads` and shared WebAssembly memory are available; elsewhere
 * {@link WasmSimdThreads.create} returns `null` and the backend runs on one thread.
 *
 * @packageDocumentation
 */
import { ShallowscapeError } from '../errors';
import { WASM_SIMD_SHARED_MODULE_BASE64 } from './wasm-simd-binary';
import { evenDoubles as even } from './wasm-simd-workspace';

/** The exports of the shared-memory module (those of the one-thread module). */
interface SharedExports {
  heapBase(): number;
  scaleBlock(m: number, n: number, beta: number, c: number, ldc: number, lowerOnly: number): void;
  mirrorRows(n: number, c: number, r0: number, r1: number): void;
  packedPanelsLength(n: number, k: number): number;
  panelScratchLength(): number;
  panelColumns(): number;
  panelDepth(): number;
  packPanel(...args: number[]): void;
  productOfPackedPanels(...args: number[]): void;
  productWithScratch(...args: number[]): void;
  packedBBufferLength(n: number, k: number): number;
  quadraticFormScratchLength(width: number): number;
  quadraticFormRows(...args: number[]): void;
}

/** One call into the module: an export's name and its arguments (the thread's scratch address is appended). */
type Call = [name: 'scaleBlock' | 'mirrorRows' | 'packPanel' | 'productOfPackedPanels' | 'productWithScratch' | 'quadraticFormRows', args: number[]];

/** A unit of work: calls that one thread runs in order. */
type Unit = Call[];

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
/** Rows of a block of `C` are a multiple of the micro-kernel's MR (4) rows, except the last. */
const ROW_ALIGN = 4;
/** The most rows of a block of `C`: a packed panel of `op(B)` (768 KiB) meets this many rows while it is in L2. */
const MAX_BLOCK_ROWS = 256;
/** Rows of a block of the mirror: a multiple of `mirrorRows`' 32. */
const MIRROR_ALIGN = 32;
/**
 * Rows of `C` per thread from which a product runs as blocks against panels packed once (below
 * it, as one band of rows per thread, each packing `op(B)` itself): a block reads each packed
 * panel from the shared cache, which pays when it has a hundred rows or more, while a band packs
 * its panel into its own cache; a short, deep product (a weighted Gram matrix of a tall `X`) is
 * faster in bands.
 */
const BLOCKED_ROWS_PER_THREAD = 256;
/** Order of the symmetric products from which the threads mirror the triangle (below it, this thread alone). */
const PARALLEL_MIRROR = 512;
/** Units per thread aimed at: enough for a slower thread to take fewer. */
const UNITS_PER_THREAD = 4;
/** Slots of the job's counters: the next unit and the units done, for each of at most three phases. */
const SYNC_SLOTS = 6;

/**
 * Runs the units of each phase on this thread, taking them one at a time from the shared counters
 * `sync[2p]` (next) and `sync[2p + 1]` (done), and waits at the end of each phase until every unit
 * of it is done (the last unit's thread notifies). Every call gets `scratch`, this thread's
 * scratch address, as its last argument. Returns whether a call threw (its unit still counts as
 * done, so no thread waits for ever). It runs on this thread and, as source text, in every worker
 * (WORKER_SOURCE): it uses nothing but its arguments and `Atomics`.
 */
function runPhases(ex: Record<string, (...args: number[]) => void>, sync: Int32Array, phases: Unit[][], scratch: number): boolean {
  let failed = false;
  for (let p = 0; p < phases.length; p++) {
    const units = phases[p]!;
    for (;;) {
      const u = Atomics.add(sync, 2 * p, 1);
      if (u >= units.length) break;
      try {
        for (const [name, args] of units[u]!) ex[name]!(...args, scratch);
      } catch {
        failed = true;
      }
      if (Atomics.add(sync, 2 * p + 1, 1) + 1 === units.length) Atomics.notify(sync, 2 * p + 1);
    }
    for (let done = Atomics.load(sync, 2 * p + 1); done < units.length; done = Atomics.load(sync, 2 * p + 1)) Atomics.wait(sync, 2 * p + 1, done);
  }
  return failed;
}

/**
 * The worker's program: instantiate the module over the shared memory, then run each job's
 * phases with {@link runPhases} (its own source, compiled into this package) and report 1 (done)
 * or 2 (failed) in its status slot. It is this package's own constant source, evaluated by
 * `new Worker(…, { eval: true })`; the messages carry only export names and numbers.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ex = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } }).exports;
const status = new Int32Array(workerData.status);
const sync = new Int32Array(workerData.sync);
const runPhases = ${runPhases.toString()};
parentPort.on('message', ({ slot, phases, scratch }) => {
  const failed = runPhases(ex, sync, phases, scratch);
  Atomics.store(status, slot, failed ? 2 : 1);
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

/** Boundaries `0 = b₀ < … < b_T = n` of `T` bands of rows, a multiple of {@link ROW_ALIGN} apart (but the last); of equal areas of the lower triangle with `triangle`. */
function bands(n: number, count: number, triangle: boolean): Array<[number, number]> {
  const cuts = [0];
  for (let t = 1; t < count; t++) {
    // Equal areas: rows for a rectangle, the triangle's area up to row b is b²/2.
    const exact = triangle ? n * Math.sqrt(t / count) : (n * t) / count;
    cuts.push(Math.min(n, Math.max(cuts[t - 1]!, Math.round(exact / ROW_ALIGN) * ROW_ALIGN)));
  }
  cuts.push(n);
  return cuts.slice(1).map((end, t): [number, number] => [cuts[t]!, end]).filter(([start, end]) => end > start);
}

/** Cuts `[0, n)` into blocks of `size` (the last shorter): `[start, end)` pairs. */
function blocks(n: number, size: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let start = 0; start < n; start += size) out.push([start, Math.min(n, start + size)]);
  return out;
}

/** Rows of the blocks of an `m`-row output for `threads` threads: about UNITS_PER_THREAD blocks each (with the column blocks, often more), a multiple of `align`, at most `most`. */
function blockRows(m: number, threads: number, align: number, most: number): number {
  const rows = Math.ceil(m / (UNITS_PER_THREAD * threads) / align) * align;
  return Math.max(align, Math.min(most, rows));
}


/** The threads of one backend; see the module notes. */
export class WasmSimdThreads {
  /** Threads that compute a product, this one included. */
  readonly count: number;
  private readonly exports: SharedExports;
  private readonly memory: { buffer: SharedArrayBuffer; grow(pages: number): number };
  private readonly workers: Array<{ postMessage(message: unknown): void; terminate(): Promise<number> }>;
  private readonly status: Int32Array;
  /** The job's counters (see {@link runPhases}). */
  private readonly sync: Int32Array;
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
    const sync = new SharedArrayBuffer(4 * SYNC_SLOTS);
    this.sync = new Int32Array(sync);
    this.workers = [];
    for (let t = 1; t < count; t++) {
      const worker = new threads.Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory: this.memory, status, sync } });
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

  /**
   * Runs a job: its phases in order, each unit on whichever thread takes it (this one included),
   * thread `t`'s calls getting `scratch + t·each` doubles as their last argument (a byte address);
   * returns once every thread has left the job.
   */
  private run(phases: Unit[][], scratch: number, each: number): void {
    const { status, sync } = this;
    sync.fill(0);
    // A worker beyond the largest phase's units would find nothing to take.
    const helpers = Math.min(this.workers.length, Math.max(...phases.map((units) => units.length)) - 1);
    for (let t = 1; t <= helpers; t++) {
      Atomics.store(status, t, 0);
      this.workers[t - 1]!.postMessage({ slot: t, phases, scratch: (scratch + t * each) * 8 });
    }
    let failed = runPhases(this.exports as unknown as Record<string, (...args: number[]) => void>, sync, phases, scratch * 8);
    for (let t = 1; t <= helpers; t++) {
      while (Atomics.load(status, t) === 0) Atomics.wait(status, t, 0);
      if (Atomics.load(status, t) === 2) failed = true;
    }
    if (failed) throw new ShallowscapeError('a worker thread of the wasm-simd backend failed', 'E_BACKEND');
  }

  /**
   * The first phase of a product: every panel of `op(B)` (`k × n`, at double index `bp`, leading
   * dimension `ldb`) packed into `panels`, one panel a unit.
   */
  private packUnits(transB: boolean, n: number, k: number, bp: number, ldb: number, panels: number): Unit[] {
    const units: Unit[] = [];
    for (const [jc] of blocks(n, this.exports.panelColumns())) {
      for (const [pc] of blocks(k, this.exports.panelDepth())) units.push([['packPanel', [transB ? 1 : 0, bp * 8, ldb, n, k, jc, pc, panels * 8]]]);
    }
    return units;
  }

  /**
   * Where a product's buffers go: each thread's scratch (`each` doubles, at least the panel
   * product's), the packed panels of an `n`-column, depth-`k` `op(B)` (none for `n = 0`), then
   * `extra` doubles of operands and output. Null past 2 GiB.
   */
  private layout(n: number, k: number, each: number, extra: number): { scratch: number; each: number; panels: number; rest: number; f64: Float64Array } | null {
    const size = even(Math.max(each, this.exports.panelScratchLength()));
    const probe = this.reserve(0)!;
    const panels = probe.start + this.count * size;
    const rest = panels + (n === 0 ? 0 : even(this.exports.packedPanelsLength(n, k)));
    const mem = this.reserve(rest - probe.start + extra);
    return mem === null ? null : { scratch: probe.start, each: size, panels, rest, f64: mem.f64 };
  }

  /**
   * The layout of a product with `rows` rows of C, `op(B)` `k × n`, and `extra` doubles of operands
   * and output: as blocks against panels packed once when C has at least
   * {@link BLOCKED_ROWS_PER_THREAD} rows per thread (panels, and the panel product's scratch), else
   * as bands (no panels; each thread's scratch holds a packed panel of its own). Null past 2 GiB.
   */
  private productLayout(rows: number, n: number, k: number, extra: number): (ReturnType<WasmSimdThreads['layout']> & { blocked: boolean }) | null {
    const blocked = rows >= BLOCKED_ROWS_PER_THREAD * this.count;
    const bandScratch = this.exports.panelScratchLength() + even(this.exports.packedBBufferLength(n, k));
    const mem = blocked ? this.layout(n, k, 0, extra) : this.layout(0, 0, bandScratch, extra);
    return mem === null ? null : { ...mem, blocked };
  }

  /**
   * The phases of `C ← α op(A) diag(s) op(B) + β C` (`m × n`, depth `k`, C row-major at double
   * index `cp`): blocked, the panels of `op(B)` packed once, then blocks of rows × column blocks of
   * C against them; else one band of rows per thread, each packing `op(B)` itself. With `lower`
   * (a symmetric product, `m = n`) only the blocks meeting the lower triangle, the bottom rows (the
   * longest) first, and bands of equal areas of the triangle. `rowsAt(r)`: the byte address of
   * `op(A)` row `r`; `scale`: the byte address of `s` (0: none).
   */
  private productPhases(
    m: number, n: number, k: number, alpha: number, beta: number,
    p: { lower: boolean; transA: boolean; transB: boolean; rowsAt: (r: number) => number; lda: number; bp: number; ldb: number; scale: number; cp: number; blocked: boolean; panels: number },
  ): Unit[][] {
    const { cp, lower } = p;
    const flags = { transA: p.transA ? 1 : 0, lower: lower ? 1 : 0 };
    // Row r0 of the block's rows; its columns end at r1 in a triangle.
    const scale = (r0: number, r1: number, j0: number, j1: number): Call => ['scaleBlock', [r1 - r0, j1 - j0, beta, (cp + r0 * n + j0) * 8, n, 0]];
    if (!p.blocked) {
      return [
        bands(m, Math.min(this.count, Math.ceil(m / ROW_ALIGN)), lower).map(([r0, r1]): Unit => {
          const cols = lower ? r1 : n;
          return [
            scale(r0, r1, 0, n),
            ['productWithScratch', [flags.transA, p.transB ? 1 : 0, r1 - r0, cols, k, alpha, p.rowsAt(r0), p.lda, p.bp * 8, p.ldb, (cp + r0 * n) * 8, n, flags.lower, p.scale, lower ? r0 : 0]],
          ];
        }),
      ];
    }
    const rowBlocks = blocks(m, blockRows(m, this.count, ROW_ALIGN, MAX_BLOCK_ROWS));
    const units: Unit[] = [];
    for (const [r0, r1] of lower ? rowBlocks.reverse() : rowBlocks) {
      for (const [j0, j1] of blocks(lower ? r1 : n, this.exports.panelColumns())) {
        units.push([
          scale(r0, r1, j0, j1),
          ['productOfPackedPanels', [flags.transA, r1 - r0, j0, j1, k, alpha, p.rowsAt(r0), p.lda, p.panels * 8, n, (cp + r0 * n) * 8, n, flags.lower, p.scale, lower ? r0 : 0]],
        ]);
      }
    }
    return [this.packUnits(p.transB, n, k, p.bp, p.ldb, p.panels), units];
  }

  /**
   * The `gemm` contract (`m·n·k > 0`, `α ≠ 0`), see {@link productPhases}. Returns false (nothing
   * done) when the operands do not fit in 2 GiB.
   */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array): boolean {
    const aIn = this.resident.has(a);
    const bIn = this.resident.has(b);
    const mem = this.productLayout(m, n, k, (aIn ? 0 : even(m * k)) + (bIn ? 0 : even(k * n)) + m * n);
    if (mem === null) return false;
    const { f64 } = mem;
    const ap = this.place(a, m * k, mem.rest, f64);
    const bp = this.place(b, k * n, mem.rest + (aIn ? 0 : even(m * k)), f64);
    const cp = mem.rest + (aIn ? 0 : even(m * k)) + (bIn ? 0 : even(k * n));
    if (beta !== 0) f64.set(c.subarray(0, m * n), cp);
    const rowsAt = (r0: number) => (transA ? ap + r0 : ap + r0 * k) * 8;
    const phases = this.productPhases(m, n, k, alpha, beta, { ...mem, lower: false, transA, transB, rowsAt, lda: transA ? m : k, bp, ldb: transB ? k : n, scale: 0, cp });
    this.run(phases, mem.scratch, mem.each);
    c.set(new Float64Array(this.memory.buffer, cp * 8, m * n));
    return true;
  }

  /**
   * The lower triangle of a symmetric product `C ← α op(A) diag(s) op(A)ᵀ + β C` (`n × n`, depth
   * `k`, see {@link productPhases}), then mirrored: by blocks of rows on the threads from
   * {@link PARALLEL_MIRROR}, else here. `op(A)` row `i` at double index `ap + i·rowStride`
   * (leading dimension `lda`, transposed with `transA`), `op(B) = op(A)ᵀ` from `ap` (`transB`,
   * the same leading dimension), `s` at byte address `scale` (0: none), C at `cp`.
   */
  private symmetric(
    n: number, k: number, alpha: number, beta: number, c: Float64Array,
    at: { blocked: boolean; transA: boolean; transB: boolean; ap: number; lda: number; rowStride: number; scale: number; cp: number; panels: number; scratch: number; each: number },
  ): void {
    const { cp } = at;
    const rowsAt = (r0: number) => (at.ap + r0 * at.rowStride) * 8;
    const phases = this.productPhases(n, n, k, alpha, beta, { ...at, lower: true, rowsAt, bp: at.ap, ldb: at.lda });
    // A small triangle is mirrored here, after the job (a phase would cost more than the copy).
    if (n >= PARALLEL_MIRROR) phases.push(blocks(n, blockRows(n, this.count, MIRROR_ALIGN, Infinity)).map(([r0, r1]) => [['mirrorRows', [n, cp * 8, r0, r1]]]));
    this.run(phases, at.scratch, at.each);
    if (n < PARALLEL_MIRROR) this.exports.mirrorRows(n, cp * 8, 0, n);
    c.set(new Float64Array(this.memory.buffer, cp * 8, n * n));
  }

  /**
   * The quadratic forms `f_i = x_iᵀ A x_i` (`n·d > 0`) from the coefficient panels of the
   * column-blocked scheme (`fillQuadraticFormPanels`, blocks `width` wide), by blocks of rows:
   * `quadraticFormRows` with the thread's scratch. A row's form depends on that row alone, so any
   * split gives the same bits. False when it does not fit in 2 GiB.
   */
  quadraticForms(n: number, d: number, x: Float64Array, panels: Float64Array, width: number, f: Float64Array): boolean {
    const xIn = this.resident.has(x);
    const probe = this.reserve(0)!;
    const each = even(this.exports.quadraticFormScratchLength(width));
    const pp = probe.start + this.count * each;
    const fp = pp + even(panels.length);
    const xp0 = fp + even(n);
    const mem = this.reserve(xp0 - probe.start + (xIn ? 0 : n * d));
    if (mem === null) return false;
    mem.f64.set(panels, pp);
    const xp = this.place(x, n * d, xp0, mem.f64);
    const units: Unit[] = blocks(n, blockRows(n, this.count, ROW_ALIGN, Infinity)).map(([r0, r1]) => [['quadraticFormRows', [r0, r1, d, width, xp * 8, pp * 8, fp * 8]]]);
    this.run([units], probe.start, each);
    f.set(new Float64Array(this.memory.buffer, fp * 8, n));
    return true;
  }

  /** The `syrk` contract (`n·k > 0`, `α ≠ 0`); false when it does not fit in 2 GiB. */
  syrk(transpose: boolean, n: number, k: number, alpha: number, a: Float64Array, beta: number, c: Float64Array): boolean {
    const aIn = this.resident.has(a);
    const mem = this.productLayout(n, n, k, (aIn ? 0 : even(n * k)) + n * n);
    if (mem === null) return false;
    const ap = this.place(a, n * k, mem.rest, mem.f64);
    const cp = mem.rest + (aIn ? 0 : even(n * k));
    if (beta !== 0) mem.f64.set(c.subarray(0, n * n), cp);
    // AAᵀ: op(A) = A (n × k, row i at i·k), op(B) = Aᵀ; AᵀA: op(A) = Aᵀ (A stored k × n, row i of Aᵀ at i), op(B) = A.
    const lda = transpose ? n : k;
    this.symmetric(n, k, alpha, beta, c, { ...mem, transA: transpose, transB: !transpose, ap, lda, rowStride: transpose ? 1 : k, scale: 0, cp });
    return true;
  }

  /** The `weightedGram` contract (`rows·cols > 0`); false when it does not fit in 2 GiB. */
  weightedGram(rows: number, cols: number, x: Float64Array, w: Float64Array, c: Float64Array): boolean {
    const xIn = this.resident.has(x);
    const mem = this.productLayout(cols, cols, rows, even(rows) + (xIn ? 0 : even(rows * cols)) + cols * cols);
    if (mem === null) return false;
    const wp = mem.rest;
    mem.f64.set(w.subarray(0, rows), wp);
    const xp = this.place(x, rows * cols, wp + even(rows), mem.f64);
    const cp = wp + even(rows) + (xIn ? 0 : even(rows * cols));
    // Xᵀ diag(w) X: op(A) = Xᵀ (row i of Xᵀ at i), op(B) = X, the weights along k.
    this.symmetric(cols, rows, 1, 0, c, { ...mem, transA: true, transB: false, ap: xp, lda: cols, rowStride: 1, scale: wp * 8, cp });
    return true;
  }
}
