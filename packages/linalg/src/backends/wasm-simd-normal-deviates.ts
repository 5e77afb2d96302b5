/**
 * The WebAssembly path of `Rng.fillNormal`: the module's `normalDeviates`
 * (`wasm/assembly/normal-deviates.ts`) runs the generator's steps (xoshiro256**, the polar method,
 * fdlibm's logarithm) with the bits of `Rng.normal`, about three times faster than the TypeScript
 * loop. One module instance of its own serves every generator; it is created on first use, where
 * WebAssembly SIMD is supported (the module is the backend's, which needs it).
 *
 * @packageDocumentation
 */
import { createWasmSimdWorkspace, isWasmSimdSupported } from './wasm-simd';
import type { WasmSimdWorkspace } from './wasm-simd-workspace';

/** Deviates generated per module call (the buffer in the module's memory). */
const CHUNK = 32768;

/**
 * Fills `out[from …]` with `mean + std · z`, `z` the polar method's normals of the generator whose
 * state words are `st` (`[s₀ high, s₀ low, s₁ high, …]`, advanced in place); returns the spare
 * normal left when an odd number was drawn, else `null`.
 */
export type NormalDeviates = (st: Uint32Array, out: Float64Array, from: number, mean: number, std: number) => number | null;

let runtime: WasmSimdWorkspace | null | undefined;

/**
 * The module's {@link NormalDeviates}, or `null` where WebAssembly SIMD is unsupported (the
 * TypeScript loop then runs, with the same bits).
 *
 * @returns the kernel, or `null`.
 */
export function wasmNormalDeviates(): NormalDeviates | null {
  if (runtime === undefined) runtime = isWasmSimdSupported() ? createWasmSimdWorkspace() : null;
  if (runtime === null) return null;
  const ws = runtime;
  return (st, out, from, mean, std) => {
    const mem = ws.reserve(4 + CHUNK)!; // 256 KiB: always within the memory cap
    const { start, f64 } = mem;
    const words = new Uint32Array(f64.buffer, start * 8, 8);
    // Little-endian u64 words: low half first.
    for (let k = 0; k < 4; k++) {
      words[2 * k] = st[2 * k + 1]!;
      words[2 * k + 1] = st[2 * k]!;
    }
    const ex = ws.exports;
    let spare: number | null = null;
    for (let at = from; at < out.length; at += CHUNK) {
      const count = Math.min(CHUNK, out.length - at);
      const left = ex.normalDeviates(start * 8, (start + 4) * 8, count, mean, std);
      out.set(f64.subarray(start + 4, start + 4 + count), at);
      // Only the last chunk can be odd (CHUNK is even).
      spare = Number.isNaN(left) ? null : left;
    }
    for (let k = 0; k < 4; k++) {
      st[2 * k + 1] = words[2 * k]!;
      st[2 * k] = words[2 * k + 1]!;
    }
    return spare;
  };
}
