/**
 * How far each shard of a sweep got in a store: which of its cells are done, failed,
 * interrupted or not run. A shard is complete when every one of its cells is done (a failed or
 * interrupted cell is run again when the shard is run again, as a resumed sweep does).
 *
 * @packageDocumentation
 */
import type { ResultsStore, SweepRow } from './results-store';
import { cellIndex, shardSize, type SweepShard } from './sweep-shard';

/** One shard's cells in a store. */
export interface ShardStatus {
  /** K. */
  index: number;
  /** The cells of the shard. */
  cells: number;
  done: number;
  failed: number;
  interrupted: number;
  /** Cells of the shard with no row in the store. */
  notRun: number;
  /** Every cell of the shard is done. */
  complete: boolean;
}

/**
 * The state of every shard `0..count-1` of a sweep in a store.
 *
 * @param store - an open store.
 * @param sweep - the sweep's row in it.
 * @param count - N, the number of shards.
 * @returns one entry per shard, in order.
 * @example
 * ```ts
 * // A store where cells 0..5 of a 6-cell sweep (seeds: 1) are done but cell 4:
 * shardStatuses(store, sweep, 2).map((s) => s.complete); // => [false, true]
 * ```
 */
export function shardStatuses(store: ResultsStore, sweep: SweepRow, count: number): ShardStatus[] {
  const statuses: ShardStatus[] = Array.from({ length: count }, (_, index) => {
    const cells = shardSize(sweep.cells, { index, count });
    return { index, cells, done: 0, failed: 0, interrupted: 0, notRun: cells, complete: false };
  });
  for (const run of store.runStatuses(sweep.id)) {
    const i = cellIndex(run.point, run.repetition, sweep.seeds);
    if (i >= sweep.cells) continue;
    const entry = statuses[i % count]!;
    entry[run.status]++;
    entry.notRun--;
  }
  for (const entry of statuses) entry.complete = entry.done === entry.cells;
  return statuses;
}

/**
 * The state of one shard.
 *
 * @see {@link shardStatuses}.
 */
export function shardStatus(store: ResultsStore, sweep: SweepRow, shard: SweepShard): ShardStatus {
  return shardStatuses(store, sweep, shard.count)[shard.index]!;
}
