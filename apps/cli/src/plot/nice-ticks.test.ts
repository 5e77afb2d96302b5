import { describe, expect, it } from 'vitest';
import { formatTick, niceTicks } from './nice-ticks';

describe('niceTicks', () => {
  it('picks steps 1, 2 or 5 times a power of ten inside the range', () => {
    expect(niceTicks(-2.3, 2.3)).toEqual({ values: [-2, -1, 0, 1, 2], step: 1, decimals: 0 });
    expect(niceTicks(0, 0.37, 5)).toEqual({ values: [0, 0.1, 0.2, 0.3], step: 0.1, decimals: 1 });
    expect(niceTicks(0.25, 2.25, 6).values).toEqual([0.5, 1, 1.5, 2]);
    expect(niceTicks(900, 1100, 4)).toEqual({ values: [900, 950, 1000, 1050, 1100], step: 50, decimals: 0 });
  });

  it('gives at most target + 1 ticks and at least two on any range', () => {
    for (const [lo, hi] of [
      [0, 1],
      [-1e-7, 3e-7],
      [123.4, 123.9],
      [-5e6, 7e6],
      [0, 0.0013],
    ] as const) {
      for (const target of [3, 5, 6]) {
        const { values, step } = niceTicks(lo, hi, target);
        expect(values.length).toBeLessThanOrEqual(target + 2);
        expect(values.length).toBeGreaterThanOrEqual(2);
        const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-12);
        expect([1, 2, 5].some((c) => Math.abs(mantissa - c) < 1e-9)).toBe(true);
        for (const v of values) {
          expect(v).toBeGreaterThanOrEqual(lo - 1e-9 * step);
          expect(v).toBeLessThanOrEqual(hi + 1e-9 * step);
        }
      }
    }
  });

  it('rejects empty or non-finite ranges', () => {
    expect(() => niceTicks(1, 1)).toThrow(RangeError);
    expect(() => niceTicks(0, Infinity)).toThrow(RangeError);
    expect(() => niceTicks(0, 1, 0)).toThrow(RangeError);
  });
});

describe('formatTick', () => {
  it('prints with the step decimals, exponent form for extreme magnitudes', () => {
    expect(formatTick(0.5, 1)).toBe('0.5');
    expect(formatTick(2, 1)).toBe('2.0');
    expect(formatTick(0, 3)).toBe('0');
    expect(formatTick(5e6, 0)).toBe('5e+6');
    expect(formatTick(2e-6, 6)).toBe('2e-6');
  });
});
