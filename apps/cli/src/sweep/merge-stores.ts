/**
 * Merging the stores of one sweep (its shards, run on several machines or as a Slurm job array)
 * into one: `shallowscape results merge OUT IN…`.
 *
 * Every input must hold the same sweep (the same file content hash); the output keeps one row per
 * cell, the best one: a `done` run wins over a `failed` one, which wins over an `interrupted` one;
 * between equals the row already in the output stays (then the inputs' in the order given). Rows
 * are copied byte for byte, so a merged run is the run as its shard recorded it. Merging the same
 * inputs again changes nothing (idempotent), and an output that already holds the sweep is merged
 * into, not replaced.
 *
 * @packageDocumentation
 */
import { realpathSync } from 'node:fs';
import { ResultsStore, StoreError, type SweepRow } from './results-store';
import type { RunStatus } from './sweep-protocol';
import { shardStatuses } from './shard-status';
import { lockStore } from './store-lock';

/** How a merge ended. */
export interface MergeSummary {
  /** The output store. */
  out: string;
  /** The sweep's name and file hash, and its id in the output. */
  name: string;
  hash: string;
  sweepId: number;
  /** Each input, with the runs it holds of the sweep. */
  inputs: Array<{ path: string; runs: number }>;
  /** The sweep's cells, and how many the output now holds by status (`notRun`: no row). */
  cells: number;
  done: number;
  failed: number;
  interrupted: number;
  notRun: number;
  /** Rows written as new, rows that replaced a worse one, and rows of the inputs not taken. */
  added: number;
  replaced: number;
  kept: number;
  /** `complete` when every cell has a done or failed run, else `interrupted`. */
  status: 'complete' | 'interrupted';
  /**
   * Where the sweep was run as shards (`--shard K/N`): for each N seen, the shards whose cells are
   * all done, those with a cell not done, and those with no run at all.
   */
  shards: Array<{ count: number; complete: number[]; incomplete: number[]; missing: number[] }>;
}

const RANK: Record<RunStatus, number> = { interrupted: 1, failed: 2, done: 3 };

/** The sweep of an input store: the one `selector` names, or its only sweep. */
function inputSweep(store: ResultsStore, label: string, selector: string | undefined): SweepRow {
  const sweeps = store.sweeps();
  if (sweeps.length === 0) throw new StoreError(`${label} holds no sweep`, 'IN');
  if (selector !== undefined) {
    const matches = sweeps.filter((s) => s.name === selector || (selector.length >= 8 && s.hash.startsWith(selector)));
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) throw new StoreError(`${label} holds ${matches.length} sweeps named ${JSON.stringify(selector)} (hashes ${matches.map((s) => s.hash.slice(0, 12)).join(', ')}); name one by its hash with --sweep`, '--sweep');
    throw new StoreError(`${label} holds no sweep ${JSON.stringify(selector)}; it holds ${sweeps.map((s) => `${s.name} (${s.hash.slice(0, 12)})`).join(', ')}`, '--sweep');
  }
  if (sweeps.length > 1) {
    throw new StoreError(`${label} holds ${sweeps.length} sweeps (${sweeps.map((s) => `${s.name} ${s.hash.slice(0, 12)}`).join(', ')}); name the one to merge with --sweep <name|hash>`, '--sweep');
  }
  return sweeps[0]!;
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/**
 * Merges the sweep held by every input into `out` (created when missing).
 *
 * Every input is opened and checked (a store, holding the same sweep) before anything is written;
 * the output is locked like a running sweep's store and written in one transaction. An input that
 * is the output file itself is skipped.
 *
 * @param out - the output store.
 * @param inputs - the input stores (at least one).
 * @param options - `sweep`: the sweep to merge by name or hash prefix (≥ 8 hex digits), needed
 *   when an input holds several.
 * @returns what the output now holds.
 * @throws {@link StoreError} naming the file: not a store, no sweep, stores of different sweeps.
 */
export function mergeStores(out: string, inputs: readonly string[], options: { sweep?: string } = {}): MergeSummary {
  ResultsStore.checkPath(out, { create: true, flag: 'OUT' });
  const opened: Array<{ path: string; store: ResultsStore; sweep: SweepRow }> = [];
  try {
    for (const [i, path] of inputs.entries()) {
      if (sameFile(path, out)) continue;
      const label = `IN ${JSON.stringify(path)}`;
      const store = ResultsStore.open(path, { create: false, readonly: true, flag: 'IN' });
      let sweep: SweepRow;
      try {
        sweep = inputSweep(store, label, options.sweep);
      } catch (error) {
        store.close();
        throw error;
      }
      const first = opened[0];
      if (first !== undefined && sweep.hash !== first.sweep.hash) {
        store.close();
        throw new StoreError(
          `${label} holds sweep ${JSON.stringify(sweep.name)} (hash ${sweep.hash.slice(0, 12)}), but IN ${JSON.stringify(first.path)} holds ${JSON.stringify(first.sweep.name)} (hash ${first.sweep.hash.slice(0, 12)}): only stores of the same sweep file (same content) can be merged (input ${i + 1})`,
          'IN',
        );
      }
      opened.push({ path, store, sweep });
    }
    const reference = opened[0];
    const lock = lockStore(out, 'OUT');
    let target: ResultsStore | undefined;
    try {
      target = ResultsStore.open(out, { create: true, flag: 'OUT' });
      const existingSweep = reference !== undefined ? target.sweepByHash(reference.sweep.hash) : inputSweep(target, `OUT ${JSON.stringify(out)}`, options.sweep);
      const sweepRow = reference?.sweep ?? existingSweep!;
      const counts = { added: 0, replaced: 0, kept: 0 };
      const inputRuns: Array<{ path: string; runs: number }> = [];
      const output = target;
      const merged = output.transaction(() => {
        const row = output.importSweep(sweepRow);
        const best = new Map(output.runStatuses(row.id).map((r) => [`${r.point}#${r.repetition}`, r.status]));
        let startedAt = row.startedAt;
        let endedAt = row.endedAt;
        for (const input of opened) {
          const runs = input.store.storedRuns(input.sweep.id);
          inputRuns.push({ path: input.path, runs: runs.length });
          for (const run of runs) {
            const key = `${run.point}#${run.repetition}`;
            const current = best.get(key);
            if (current !== undefined && RANK[run.status] <= RANK[current]) {
              counts.kept++;
              continue;
            }
            output.putStoredRun(row.id, run);
            best.set(key, run.status);
            if (current === undefined) counts.added++;
            else counts.replaced++;
          }
          for (const shard of input.store.shards(input.sweep.id)) output.importShard(row.id, shard);
          if (input.sweep.startedAt < startedAt) startedAt = input.sweep.startedAt;
          if (input.sweep.endedAt !== null && (endedAt === null || input.sweep.endedAt > endedAt)) endedAt = input.sweep.endedAt;
        }
        const byStatus: Record<RunStatus, number> = { done: 0, failed: 0, interrupted: 0 };
        for (const status of best.values()) byStatus[status]++;
        const status = byStatus.done + byStatus.failed === row.cells ? 'complete' : 'interrupted';
        output.setSweepState(row.id, { startedAt, endedAt, status });
        return { row: output.sweepByHash(row.hash)!, byStatus, status } as const;
      });
      const shardCounts = [...new Set(output.shards(merged.row.id).map((s) => s.shards))];
      const shards = shardCounts.map((count) => {
        const started = new Set(output.shards(merged.row.id).filter((s) => s.shards === count).map((s) => s.shard));
        const statuses = shardStatuses(output, merged.row, count);
        return {
          count,
          complete: statuses.filter((s) => s.complete).map((s) => s.index),
          incomplete: statuses.filter((s) => !s.complete && (started.has(s.index) || s.notRun < s.cells)).map((s) => s.index),
          missing: statuses.filter((s) => !s.complete && !started.has(s.index) && s.notRun === s.cells).map((s) => s.index),
        };
      });
      const { byStatus } = merged;
      return {
        out,
        name: merged.row.name,
        hash: merged.row.hash,
        sweepId: merged.row.id,
        inputs: inputRuns,
        cells: merged.row.cells,
        ...byStatus,
        notRun: merged.row.cells - byStatus.done - byStatus.failed - byStatus.interrupted,
        ...counts,
        status: merged.status,
        shards,
      };
    } finally {
      target?.close();
      lock.release();
    }
  } finally {
    for (const input of opened) input.store.close();
  }
}
