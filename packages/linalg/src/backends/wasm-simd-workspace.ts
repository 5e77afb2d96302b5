/**
 * The types through which the host code of the `wasm-simd` backend sees its WebAssembly module:
 * the module's exports (`wasm/assembly/`) and a workspace, an instance with the bump layout of one
 * call. Types only, so that the backend and its `eigh` stages share them without an import cycle.
 *
 * @packageDocumentation
 */

/** The linear memory of the embedded module (the part of `WebAssembly.Memory` used here). */
export interface WasmSimdMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}

/** The exports of the embedded module (byte addresses into its memory; see `wasm/assembly/index.ts`). */
export interface WasmSimdExports {
  readonly memory: WasmSimdMemory;
  heapBase(): number;
  packedABufferLength(): number;
  packedBBufferLength(n: number, k: number): number;
  scaleBlock(m: number, n: number, beta: number, c: number, ldc: number, lowerOnly: number): void;
  mirrorLowerToUpper(n: number, c: number): void;
  packedProduct(
    transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, c: number, ldc: number,
    lowerOnly: number, kScale: number, pa: number, pb: number, tile: number, rowOffset: number,
  ): void;
  symmetricLowerProduct(m: number, a: number, lda: number, x: number, y: number): void;
  tridiagonalPanel(
    n: number, a: number, k0: number, nb: number, d: number, e: number, tau: number, wt: number, col: number, y: number, tmp: number,
  ): void;
  tridiagonalTrailingUpdate(n: number, a: number, k0: number, nb: number, wt: number, p: number, pa: number, pb: number, tile: number): void;
  quadraticFormScratchLength(width: number): number;
  quadraticFormRows(r0: number, r1: number, d: number, width: number, x: number, panels: number, f: number, scratch: number): void;
  naturalLogOf(x: number): number;
  normalDeviates(state: number, out: number, count: number, mean: number, std: number): number;
  bidiagonalRows(m: number, n: number, j: number, w: number, v: number, z: number, y: number, tr: number): void;
  bidiagonalPanel(
    m: number, n: number, a: number, k0: number, b: number, d: number, e: number, tauL: number, tauR: number,
    x: number, nb: number, yt: number, col: number, y: number, small: number,
  ): void;
  bidiagonalTrailingUpdate(
    m: number, n: number, a: number, k0: number, b: number, x: number, nb: number, yt: number, p: number, q: number, pa: number, pb: number, tile: number,
  ): void;
  reflectRows(x: number, ld: number, r0: number, r1: number, c0: number, len: number, v: number, tau: number): void;
  rotationChains(
    x: number, rows: number, n: number, ops: number, lo: number, hi: number, off: number, forward: number,
    cs: number, sn: number, firsts: number, lasts: number, scratch: number,
  ): void;
}

/**
 * A module instance with the bump layout of one call, as the backend's kernels use it:
 * `reserve(doubles)` grows the memory so that `doubles` doubles fit from a 16-byte aligned double
 * index `start` and returns it with a view over the whole memory (`null` beyond the memory cap).
 * Every call of the backend reuses the same region, so nothing stays there between calls.
 */
export interface WasmSimdWorkspace {
  readonly exports: WasmSimdExports;
  reserve(doubles: number): { start: number; f64: Float64Array } | null;
}

/** Doubles of the scratch tile `packedProduct` uses for partial micro-tiles (`MR · NR`). */
export const EDGE_TILE_DOUBLES = 16;

/** Doubles rounded up to an even count, so every buffer in the module's memory starts 16-byte aligned. */
export function evenDoubles(doubles: number): number {
  return doubles + (doubles & 1);
}

/**
 * Reserves consecutive buffers of `sizes` doubles in `workspace` (each size even, so that every
 * buffer starts 16-byte aligned): their double indices `at`, in order, and the view over the
 * memory; `null` beyond the memory cap.
 */
export function reserveBuffers(workspace: WasmSimdWorkspace, sizes: readonly number[]): { at: number[]; f64: Float64Array } | null {
  const mem = workspace.reserve(sizes.reduce((sum, size) => sum + size, 0));
  if (mem === null) return null;
  const at: number[] = [];
  let next = mem.start;
  for (const size of sizes) {
    at.push(next);
    next += size;
  }
  return { at, f64: mem.f64 };
}
