import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveCellSeed } from './cell-seed';

// Seeds computed by python's hashlib (fixtures/cell-seeds.py), independently of this code.
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/cell-seeds.json', import.meta.url), 'utf8')) as Array<{
  base: number;
  coordinates: Record<string, number | string>;
  repetition: number;
  seed: number;
}>;

describe('deriveCellSeed', () => {
  it.each(fixtures.map((f) => [JSON.stringify(f.coordinates), f] as const))('matches hashlib for %s', (_, f) => {
    expect(deriveCellSeed(f.base, f.coordinates, f.repetition)).toBe(f.seed);
  });

  it('depends on the coordinates, not their order, and on the base seed and the repetition', () => {
    const s = deriveCellSeed(3, { d: 6, n: 21 }, 0);
    expect(deriveCellSeed(3, { n: 21, d: 6 }, 0)).toBe(s);
    expect(deriveCellSeed(4, { d: 6, n: 21 }, 0)).not.toBe(s);
    expect(deriveCellSeed(3, { d: 6, n: 21 }, 1)).not.toBe(s);
    expect(deriveCellSeed(3, { d: 6, n: 22 }, 0)).not.toBe(s);
  });

  it('gives integers below 2^48 (safe, and accepted by --seed)', () => {
    for (let r = 0; r < 200; r++) {
      const s = deriveCellSeed(0, { n: r }, r);
      expect(Number.isSafeInteger(s)).toBe(true);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(2 ** 48);
    }
  });
});
