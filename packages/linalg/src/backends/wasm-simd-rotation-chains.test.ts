import { describe, expect, it } from 'vitest';
import { rotationChainsKernel, type RotationChains } from '../decompositions/rotation-log';
import { svdRaw } from '../decompositions/svd-kernel';
import { createRng, type Rng } from '../rng';
import { stridedGemmOver } from './strided-gemm-over';
import { createWasmSimdBackend, createWasmSimdWorkspace } from './wasm-simd';
import { createWasmSimdRotationChains } from './wasm-simd-rotation-chains';
import { createWasmSimdTallQr } from './wasm-simd-tall-qr';

/** The entries whose bits differ (−0 and +0 differ too). */
function bitDifferences(a: Float64Array, b: Float64Array): number {
  const x = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const y = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  let count = x.length === y.length ? 0 : Infinity;
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) count++;
  return count;
}

/** A batch of `ops` chains on `n` columns, as the rotation log holds it; some consecutive chains repeat a block (the paired pass). */
function batch(rng: Rng, n: number, ops: number) {
  const lo = new Int32Array(ops);
  const hi = new Int32Array(ops);
  const off = new Int32Array(ops);
  const forward = new Uint8Array(ops);
  let used = 0;
  for (let op = 0; op < ops; op++) {
    if (op > 0 && rng.uniform() < 0.4) {
      lo[op] = lo[op - 1]!;
      hi[op] = hi[op - 1]!;
      forward[op] = forward[op - 1]!;
    } else {
      const a = Math.floor(rng.uniform() * n);
      const b = Math.floor(rng.uniform() * n);
      lo[op] = Math.min(a, b);
      hi[op] = Math.max(a, b) === Math.min(a, b) ? Math.min(n - 1, Math.max(a, b) + 1) : Math.max(a, b);
      forward[op] = rng.uniform() < 0.5 ? 1 : 0;
    }
    off[op] = used;
    used += hi[op]! - lo[op]!;
  }
  const cs = new Float64Array(Math.max(used, 1));
  const sn = new Float64Array(Math.max(used, 1));
  for (let i = 0; i < used; i++) {
    const angle = 2 * Math.PI * rng.uniform();
    cs[i] = Math.cos(angle);
    sn[i] = Math.sin(angle);
  }
  return { lo, hi, off, forward, cs, sn, used };
}

/** Runs two successive batches on a factor with `chains`; returns the factor and its column bounds. */
function run(chains: RotationChains, seed: number, rows: number, n: number, identity: boolean, ops: number) {
  const rng = createRng(seed);
  const x = new Float64Array(rows * n);
  const firsts = new Int32Array(rows);
  const lasts = new Int32Array(rows);
  if (identity) {
    for (let i = 0; i < rows; i++) {
      x[i * n + i] = 1;
      firsts[i] = i;
      lasts[i] = i;
    }
  } else {
    rng.fillNormal(x);
    lasts.fill(n - 1);
  }
  for (let pass = 0; pass < 2; pass++) {
    const b = batch(rng, n, ops);
    chains(x, rows, n, ops, b.lo, b.hi, b.off, b.forward, b.cs, b.sn, b.used, firsts, lasts);
  }
  return { x, firsts, lasts };
}

// The rotation chains of the wasm-simd SVD (four rows in f64x2 registers, wasm/assembly/
// rotation-chains.ts) against the TypeScript pass of the rotation log: the same bits, including
// the signs of zeros and the column bounds that skip zero parts of rows. Factors start as the
// identity (U_B, V_B) or dense (the least-squares right-hand sides); row counts that are and are
// not multiples of four; single and paired chains, forward and backward.
describe('wasm-simd rotation chains', () => {
  const wasm = createWasmSimdRotationChains(createWasmSimdWorkspace());
  const cases = [
    [1, 2, true, 3],
    [4, 4, true, 5],
    [7, 7, true, 40],
    [37, 37, true, 200],
    [130, 130, true, 500],
    [9, 37, false, 100],
    [3, 50, false, 60],
    [64, 65, false, 300],
  ] as const;
  for (const [rows, n, identity, ops] of cases) {
    it(`give the TypeScript pass's bits: ${rows} rows × ${n} columns, ${identity ? 'identity' : 'dense'} start, ${ops} chains per batch`, () => {
      const want = run(rotationChainsKernel, rows * 1000 + n, rows, Math.max(n, rows), identity, ops);
      const got = run(wasm, rows * 1000 + n, rows, Math.max(n, rows), identity, ops);
      expect(bitDifferences(got.x, want.x)).toBe(0);
      expect(Array.from(got.firsts)).toEqual(Array.from(want.firsts));
      expect(Array.from(got.lasts)).toEqual(Array.from(want.lasts));
      // The chains did move the factor (the comparison is not between two untouched arrays).
      const untouched = run(() => {}, rows * 1000 + n, rows, Math.max(n, rows), identity, ops);
      expect(bitDifferences(want.x, untouched.x)).toBeGreaterThan(0);
    });
  }

  it('leave the SVD of the one-thread backend as the TypeScript pass leaves it, bit for bit', () => {
    const backend = createWasmSimdBackend({ threads: 1 })!;
    const kernels = { gemm: stridedGemmOver(backend.gemm!), qr: createWasmSimdTallQr(createWasmSimdWorkspace()) };
    const rng = createRng(11);
    // Square (no QR step), tall with the QR step, wide (transposed), and a rank-deficient one.
    for (const [rows, cols] of [[150, 150], [700, 90], [60, 130]] as const) {
      const a = rng.fillNormal(new Float64Array(rows * cols));
      const f = backend.svd!(rows, cols, a);
      const want = svdRaw(rows, cols, a, 1, kernels);
      expect(bitDifferences(f.s, want.s)).toBe(0);
      expect(bitDifferences(f.u, want.u!)).toBe(0);
      expect(bitDifferences(f.v, want.v!)).toBe(0);
    }
    const low = new Float64Array(80 * 80);
    for (let i = 0; i < 80; i++) for (let j = 0; j < 80; j++) low[i * 80 + j] = (i + 1) * (j % 7);
    const f = backend.svd!(80, 80, low);
    const want = svdRaw(80, 80, low, 1, kernels);
    expect(bitDifferences(f.u, want.u!)).toBe(0);
    expect(bitDifferences(f.v, want.v!)).toBe(0);
  });
});
