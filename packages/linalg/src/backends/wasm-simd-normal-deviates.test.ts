import { describe, expect, it } from 'vitest';
import { createRng, Rng } from '../rng';
import { createWasmSimdWorkspace } from './wasm-simd';
import { wasmNormalDeviates } from './wasm-simd-normal-deviates';

/** The entries whose bits differ (−0 and +0 differ too). */
function bitDifferences(a: Float64Array, b: Float64Array): number {
  const x = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const y = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  let count = x.length === y.length ? 0 : Infinity;
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) count++;
  return count;
}

/** `length` deviates drawn one at a time with `normal()`, as fillNormal's TypeScript loop does. */
function oneByOne(rng: Rng, length: number, mean: number, std: number): Float64Array {
  const out = new Float64Array(length);
  for (let k = 0; k < length; k++) out[k] = mean + std * rng.normal();
  return out;
}

// Rng.fillNormal draws from 64 deviates on in WebAssembly (wasm/assembly/normal-deviates.ts): the
// deviates, the generator's state after them and its spare normal must be those of normal() one
// at a time. Lengths below and above the cutover, odd and even, across the module's chunks of
// 32768; with and without a spare normal pending; unit and general mean and std.
describe('Rng.fillNormal in WebAssembly', () => {
  it('is available in Node', () => {
    expect(wasmNormalDeviates()).not.toBeNull();
  });

  for (const length of [0, 1, 2, 63, 64, 65, 1000, 32767, 32768, 32769, 100001]) {
    for (const pending of [false, true]) {
      it(`gives the bits of normal() one at a time: ${length} deviates${pending ? ', a spare pending' : ''}`, () => {
        const a = createRng(length + 7);
        const b = createRng(length + 7);
        if (pending) {
          expect(a.normal()).toBe(b.normal()); // leaves a spare in both
        }
        const [mean, std] = length % 2 === 0 ? [0, 1] : [-1.5, 0.3];
        const got = a.fillNormal(new Float64Array(length), mean, std);
        const want = oneByOne(b, length, mean, std);
        expect(bitDifferences(got, want)).toBe(0);
        expect(a.getState()).toEqual(b.getState());
        // The streams go on together, spare first.
        expect(bitDifferences(a.fillNormal(new Float64Array(101)), oneByOne(b, 101, 0, 1))).toBe(0);
      });
    }
  }

  it('draws standard normals: mean, variance and tails of 10⁶ deviates within Monte Carlo tolerance', () => {
    const z = createRng(99).fillNormal(new Float64Array(1_000_000));
    let sum = 0;
    let squares = 0;
    let beyond2 = 0;
    for (const x of z) {
      sum += x;
      squares += x * x;
      if (Math.abs(x) > 2) beyond2++;
    }
    const n = z.length;
    // Standard errors: 1/√n for the mean, √(2/n) for the variance, √(p(1−p)/n) for P(|Z| > 2) = 0.0455.
    expect(Math.abs(sum / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(squares / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(beyond2 / n - 0.0455003)).toBeLessThan(5 * Math.sqrt((0.0455 * 0.9545) / n));
  });

  it('uses the logarithm of natural-log.ts: the module’s port has the bits of Math.log', () => {
    const ex = createWasmSimdWorkspace().exports;
    const rng = createRng(5);
    const words = new Uint32Array(2);
    const view = new Float64Array(words.buffer);
    let differ = 0;
    for (let i = 0; i < 200000; i++) {
      words[0] = rng.nextUint32();
      words[1] = rng.nextUint32() & 0x7fffffff;
      const x = i % 2 === 0 ? view[0]! : 1 - rng.uniform();
      const a = ex.naturalLogOf(x);
      const b = Math.log(x);
      if (!Object.is(a, b) && !(Number.isNaN(a) && Number.isNaN(b))) differ++;
    }
    for (const x of [0, -0, -1, Infinity, NaN, 1, Number.MIN_VALUE, 1 + 2 ** -21, 1 - 2 ** -21]) {
      const a = ex.naturalLogOf(x);
      if (!Object.is(a, Math.log(x)) && !(Number.isNaN(a) && Number.isNaN(Math.log(x)))) differ++;
    }
    expect(differ).toBe(0);
  });
});
