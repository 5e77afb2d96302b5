import { describe, expect, it } from 'vitest';
import { expectClose } from './close';

describe('expectClose', () => {
  it('accepts values within the tolerance and rejects values outside it', () => {
    expect(() => expectClose(1 + 1e-12, 1, { abs: 1e-11 })).not.toThrow();
    expect(() => expectClose(1 + 1e-9, 1, { abs: 1e-11 })).toThrow(/differs/);
    expect(() => expectClose([1, 2], [1, 2.1], { rel: 1e-3 })).toThrow(/value\[1\]/);
    expect(() => expectClose(1, 1 + Number.EPSILON, { ulps: 1 })).not.toThrow();
    expect(() => expectClose(1, 1 + 4 * Number.EPSILON, { ulps: 2 })).toThrow();
    expect(() => expectClose(NaN, NaN, { abs: 1 })).toThrow();
  });
  it('requires a tolerance', () => {
    expect(() => expectClose(1, 1, {})).toThrow(/needs a tolerance/);
  });
});
