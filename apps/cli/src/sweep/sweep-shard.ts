/**
 * Shards of a sweep: `--shard K/N` runs the cells whose index in the sweep's cell order is
 * congruent to K modulo N.
 *
 * The cell order is fixed by the sweep file alone (grids in order, the points of each grid in
 * order, the repetitions of each point), and a cell's index is
 * $i = \text{point} \cdot \text{seeds} + \text{repetition}$, so shard $K$ of $N$ is
 * $\{\, i : i \bmod N = K \,\}$: a partition of the cells fixed by their coordinates, with
 * $\lceil (C - K)/N \rceil$ cells in shard $K$ of a sweep of $C$ cells (the counts differ by at
 * most one), and the repetitions of a point spread over the shards, so neighbouring (similarly
 * expensive) cells are dealt round-robin. A cell's seed depends only on its coordinates, so the
 * union of the N shards is the unsharded sweep, run for run and bit for bit.
 *
 * @packageDocumentation
 */
import { UsageError } from '../errors';

/** Shard `index` of `count` (`--shard index/count`). */
export interface SweepShard {
  /** K, from 0. */
  readonly index: number;
  /** N ≥ 1. */
  readonly count: number;
}

/** The most shards a sweep may be cut into (Slurm's own default `MaxArraySize` is 1001). */
export const MAX_SHARDS = 100_000;

/**
 * Reads `K/N` (`0 ≤ K < N ≤ 100000`, decimal integers).
 *
 * @param text - the flag's value.
 * @param flag - the flag, for the message.
 * @throws {@link UsageError} naming the flag and the value.
 * @example
 * ```ts
 * parseShard('2/8'); // => { index: 2, count: 8 }
 * ```
 */
export function parseShard(text: string, flag = '--shard'): SweepShard {
  const match = /^(\d{1,6})\/(\d{1,6})$/.exec(text);
  const index = match === null ? NaN : Number(match[1]);
  const count = match === null ? NaN : Number(match[2]);
  if (match === null || !(count >= 1 && count <= MAX_SHARDS) || !(index < count)) {
    throw new UsageError(`invalid value for ${flag}: ${JSON.stringify(text)} (expected K/N with 0 ≤ K < N ≤ ${MAX_SHARDS}, e.g. 0/4: shard K counts from 0)`, flag);
  }
  return { index, count };
}

/**
 * The index of a cell in its sweep's cell order.
 *
 * @param point - the cell's grid point (counting through the grids).
 * @param repetition - its repetition, from 0.
 * @param seeds - repetitions per point.
 * @returns $\text{point} \cdot \text{seeds} + \text{repetition}$.
 */
export function cellIndex(point: number, repetition: number, seeds: number): number {
  return point * seeds + repetition;
}

/**
 * The number of cells in a shard: $\lceil (C - K) / N \rceil$ for $K < C$, else 0.
 *
 * @example
 * ```ts
 * [0, 1, 2].map((k) => shardSize(10, { index: k, count: 3 })); // => [4, 3, 3]
 * ```
 */
export function shardSize(cells: number, shard: SweepShard): number {
  return shard.index < cells ? Math.floor((cells - 1 - shard.index) / shard.count) + 1 : 0;
}

/**
 * The cells of a shard, in sweep order.
 *
 * @param cells - all the cells of the sweep, in sweep order.
 * @param shard - which shard.
 * @example
 * ```ts
 * shardCells(['a', 'b', 'c', 'd', 'e'], { index: 1, count: 2 }); // => ['b', 'd']
 * ```
 */
export function shardCells<T>(cells: readonly T[], shard: SweepShard): T[] {
  return cells.filter((_, i) => i % shard.count === shard.index);
}
