/**
 * The rotation chains of the `wasm-simd` backend's SVD: each batch of logged Givens rotations of
 * the bidiagonal QR iteration is applied to the factor `U_B` or `V_B` by the module's
 * `rotationChains` (`wasm/assembly/rotation-chains.ts`), four rows at a time in `f64x2`
 * registers, with the bits of the TypeScript pass (`rotationChainsKernel`). The factor, the batch
 * and the rows' column bounds are copied into the module's memory for the call and the factor and
 * bounds back; the TypeScript pass runs instead when they do not fit in that memory (2 GiB).
 *
 * @packageDocumentation
 */
import { rotationChainsKernel, type RotationChains } from '../decompositions/rotation-log';
import { evenDoubles as even, type WasmSimdWorkspace } from './wasm-simd-workspace';

/**
 * The {@link RotationChains} of `runtime`'s module.
 *
 * @param runtime - the backend's module instance and its bump layout.
 * @returns the chains.
 */
export function createWasmSimdRotationChains(runtime: WasmSimdWorkspace): RotationChains {
  return (x, rows, n, ops, lo, hi, off, forward, cs, sn, used, firsts, lasts) => {
    if (ops === 0 || rows === 0) return;
    // Doubles of each region; the i32 arrays take half a double per entry.
    const ints = even(Math.ceil(ops / 2));
    const bounds = even(Math.ceil(rows / 2));
    const lengths = { x: even(rows * n), rotations: even(used), ints, bounds, scratch: even(4 * n) };
    const total = lengths.x + 2 * lengths.rotations + 4 * ints + 2 * bounds + lengths.scratch;
    const mem = runtime.reserve(total);
    if (mem === null) {
      rotationChainsKernel(x, rows, n, ops, lo, hi, off, forward, cs, sn, used, firsts, lasts);
      return;
    }
    const { start, f64 } = mem;
    const i32 = new Int32Array(f64.buffer);
    let next = start;
    const take = (doubles: number): number => {
      const at = next;
      next += doubles;
      return at;
    };
    const at = {
      x: take(lengths.x),
      cs: take(lengths.rotations),
      sn: take(lengths.rotations),
      lo: take(ints),
      hi: take(ints),
      off: take(ints),
      forward: take(ints),
      firsts: take(bounds),
      lasts: take(bounds),
      scratch: take(lengths.scratch),
    };
    f64.set(x.subarray(0, rows * n), at.x);
    f64.set(cs.subarray(0, used), at.cs);
    f64.set(sn.subarray(0, used), at.sn);
    i32.set(lo.subarray(0, ops), 2 * at.lo);
    i32.set(hi.subarray(0, ops), 2 * at.hi);
    i32.set(off.subarray(0, ops), 2 * at.off);
    i32.set(forward.subarray(0, ops), 2 * at.forward);
    i32.set(firsts.subarray(0, rows), 2 * at.firsts);
    i32.set(lasts.subarray(0, rows), 2 * at.lasts);
    runtime.exports.rotationChains(
      at.x * 8, rows, n, ops, at.lo * 8, at.hi * 8, at.off * 8, at.forward * 8, at.cs * 8, at.sn * 8, at.firsts * 8, at.lasts * 8, at.scratch * 8,
    );
    x.set(f64.subarray(at.x, at.x + rows * n));
    firsts.set(i32.subarray(2 * at.firsts, 2 * at.firsts + rows));
    lasts.set(i32.subarray(2 * at.lasts, 2 * at.lasts + rows));
  };
}
