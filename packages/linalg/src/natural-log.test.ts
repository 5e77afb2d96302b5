import { describe, expect, it } from 'vitest';
import { naturalLog } from './natural-log';
import { createRng } from './rng';

/** The entries whose bits differ between two arrays (NaNs with the same bits compare equal). */
function bitDifferences(a: Float64Array, b: Float64Array): number {
  const x = new BigUint64Array(a.buffer);
  const y = new BigUint64Array(b.buffer);
  let count = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) count++;
  return count;
}

function compare(inputs: Float64Array): number {
  const ours = inputs.map(naturalLog);
  const engine = inputs.map(Math.log);
  return bitDifferences(ours, engine);
}

// Node's Math.log is V8's port of fdlibm's __ieee754_log: naturalLog must give its bits on every
// branch (|f| < 2⁻²⁰, f far from or near 0, k = 0 or not, subnormal arguments, special values).
describe('naturalLog', () => {
  it('has the bits of Math.log on 2²⁰ uniforms in (0, 1), the polar method’s arguments', () => {
    const rng = createRng(1);
    const u = new Float64Array(1 << 20);
    for (let i = 0; i < u.length; i++) u[i] = 1 - rng.uniform();
    expect(compare(u)).toBe(0);
  });

  it('has the bits of Math.log on 2²⁰ random positive doubles of every exponent, subnormals included', () => {
    const rng = createRng(2);
    const words = new Uint32Array(2 << 20);
    for (let i = 0; i < words.length; i++) words[i] = rng.nextUint32();
    for (let i = 1; i < words.length; i += 2) words[i] = words[i]! & 0x7fffffff; // positive (little-endian high words)
    expect(compare(new Float64Array(words.buffer))).toBe(0);
  });

  it('has the bits of Math.log next to 1 and to the branch boundaries of the mantissa', () => {
    const inputs: number[] = [];
    const near = (x: number, steps: number) => {
      let up = x;
      let down = x;
      for (let i = 0; i < steps; i++) {
        up = up + Number.EPSILON * up;
        down = down - (Number.EPSILON / 2) * down;
        inputs.push(up, down);
      }
    };
    near(1, 5000);
    for (const x of [1 + 2 ** -20, 1 - 2 ** -20, Math.SQRT2, Math.SQRT1_2, 1.0149, 1.021, 2, 0.5]) near(x, 200);
    for (let e = -1074; e <= 1023; e++) inputs.push(2 ** e, 1.5 * 2 ** e);
    expect(compare(Float64Array.from(inputs))).toBe(0);
  });

  it('gives Math.log’s special values', () => {
    expect(naturalLog(0)).toBe(-Infinity);
    expect(naturalLog(-0)).toBe(-Infinity);
    expect(naturalLog(Infinity)).toBe(Infinity);
    expect(naturalLog(-1)).toBeNaN();
    expect(naturalLog(-Infinity)).toBeNaN();
    expect(naturalLog(NaN)).toBeNaN();
    expect(naturalLog(1)).toBe(0);
    expect(naturalLog(Number.MIN_VALUE)).toBe(Math.log(Number.MIN_VALUE));
  });

  it('is the logarithm: exp(log x) returns x to a few ulps, and log(2^k) = k ln 2', () => {
    const rng = createRng(3);
    for (let i = 0; i < 1000; i++) {
      const x = Math.exp(40 * (rng.uniform() - 0.5));
      expect(Math.abs(Math.exp(naturalLog(x)) - x)).toBeLessThanOrEqual(4 * Number.EPSILON * x);
    }
    for (let k = -60; k <= 60; k++) expect(Math.abs(naturalLog(2 ** k) - k * Math.LN2)).toBeLessThanOrEqual(Math.abs(k) * Number.EPSILON);
  });
});
