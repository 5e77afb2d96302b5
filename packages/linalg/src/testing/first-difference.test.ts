import { describe, expect, it } from 'vitest';
import { firstDifference } from './first-difference';

describe('firstDifference', () => {
  it('names the first differing entry, compares with Object.is, and checks the lengths', () => {
    expect(firstDifference(Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 3))).toBeNull();
    expect(firstDifference(Float64Array.of(1, 2, 4, 5), Float64Array.of(1, 2, 3, 6))).toBe('entry 2: 4, expected 3');
    expect(firstDifference([NaN], [NaN])).toBeNull();
    expect(firstDifference([0], [-0])).toBe('entry 0: 0, expected 0');
    expect(firstDifference([1, 2], [1])).toBe('length 2, expected 1');
  });
});
