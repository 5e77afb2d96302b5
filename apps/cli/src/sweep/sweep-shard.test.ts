import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors';
import { cellIndex, parseShard, shardCells, shardSize } from './sweep-shard';

describe('sweep shards', () => {
  it('reads K/N with 0 ≤ K < N', () => {
    expect(parseShard('0/1')).toEqual({ index: 0, count: 1 });
    expect(parseShard('7/8')).toEqual({ index: 7, count: 8 });
    for (const bad of ['8/8', '0/0', '-1/2', '1 / 2', '1/2/3', 'a/b', '', '0/100001', '1.0/2', '0x1/2']) {
      expect(() => parseShard(bad), bad).toThrow(UsageError);
    }
    expect(() => parseShard('3/3')).toThrow(/--shard: "3\/3" \(expected K\/N with 0 ≤ K < N/);
  });

  it('partitions the cells: disjoint, covering, sizes ⌈(C − K)/N⌉ differing by at most one', () => {
    for (const cells of [0, 1, 5, 6, 17]) {
      const all = Array.from({ length: cells }, (_, i) => i);
      for (const count of [1, 2, 3, 4, 7, 20]) {
        const parts = Array.from({ length: count }, (_, index) => shardCells(all, { index, count }));
        expect(parts.flat().sort((a, b) => a - b)).toEqual(all);
        const sizes = parts.map((p) => p.length);
        expect(sizes).toEqual(Array.from({ length: count }, (_, index) => shardSize(cells, { index, count })));
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        parts.forEach((p, k) => p.forEach((i) => expect(i % count).toBe(k)));
      }
    }
  });

  it('numbers a cell point-major: point · seeds + repetition', () => {
    expect(cellIndex(0, 0, 3)).toBe(0);
    expect(cellIndex(2, 1, 3)).toBe(7);
  });
});
