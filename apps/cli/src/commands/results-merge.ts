/**
 * `shallowscape results merge OUT IN…`: the stores of one sweep's shards into one store
 * (`sweep/merge-stores.ts`).
 *
 * @packageDocumentation
 */
import { defineCommand } from '../command';
import { formatJson, jsonFlag } from '../io/json-output';
import { mergeStores, type MergeSummary } from '../sweep/merge-stores';

const mergeFlags = {
  sweep: { type: 'string', valueName: '<name|hash>', description: 'the sweep to merge, when an input holds several (its name, or 8+ digits of its hash)' },
  json: jsonFlag,
} as const;

/** The lines that say which shards are not complete, or nothing. */
export function shardLines(summary: MergeSummary): string[] {
  return summary.shards.flatMap(({ count, complete, incomplete, missing }) => {
    if (complete.length === count) return [`  shards    ${count}/${count} complete`];
    const lines = [`  shards    ${complete.length}/${count} complete`];
    if (missing.length > 0) lines.push(`  missing   shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${count} (no run in any input)`);
    if (incomplete.length > 0) lines.push(`  incomplete shard${incomplete.length === 1 ? '' : 's'} ${incomplete.join(', ')} of ${count} (a cell not done)`);
    return lines;
  });
}

/** The `results merge` subcommand. */
export const resultsMergeCommand = defineCommand({
  name: 'merge',
  summary: 'merge the stores of one sweep (its shards) into one store; idempotent',
  description: [
    'Copies the runs of the sweep held by each IN store into OUT (created when missing; an existing',
    'OUT is merged into). Every IN must hold the same sweep: the same sweep file content (its hash);',
    'stores of another sweep are refused before anything is written. OUT keeps one row per cell: a',
    'done run wins over a failed one, a failed one over an interrupted one; between equals the row',
    'already in OUT stays. Rows are copied byte for byte, so merging again changes nothing.',
    '',
    'Where the sweep ran as shards (sweep --shard K/N), the summary says which shards are complete,',
    'which have a cell not done, and which have no run in any input; the exit code is still 0 (1 when',
    'a merged run failed), so a merge can collect whatever finished. --json: {"out", "name", "hash",',
    '"sweepId", "inputs", "cells", "done", "failed", "interrupted", "notRun", "added", "replaced",',
    '"kept", "status", "shards"}.',
  ].join('\n'),
  flags: mergeFlags,
  positionals: [
    { name: 'OUT', description: 'the store to write (created when missing)', required: true },
    { name: 'IN', description: 'the stores to merge into it', required: true, variadic: true },
  ],
  examples: ['shallowscape results merge runs.sqlite shards/shard-0.sqlite shards/shard-1.sqlite shards/shard-2.sqlite', 'shallowscape results merge all.sqlite laptop.sqlite cluster.sqlite --sweep sample-threshold'],
  run(ctx, { flags, positionals }) {
    const [out, ...inputs] = positionals as [string, ...string[]];
    const summary = mergeStores(out, inputs, flags.sweep !== undefined ? { sweep: flags.sweep } : {});
    if (flags.json) ctx.stdout.write(formatJson(summary));
    else {
      ctx.stdout.write(
        [
          `merged sweep ${summary.name} (${summary.hash.slice(0, 12)}) from ${summary.inputs.length} store${summary.inputs.length === 1 ? '' : 's'} into ${out} (sweep ${summary.sweepId}): ${summary.status}`,
          `  cells     ${summary.cells}: ${summary.done} done, ${summary.failed} failed, ${summary.interrupted} interrupted, ${summary.notRun} not run`,
          `  rows      ${summary.added} added, ${summary.replaced} replaced, ${summary.kept} already there or worse`,
          ...shardLines(summary),
          `read them:  shallowscape results ${out}`,
          '',
        ].join('\n'),
      );
    }
    return summary.failed > 0 ? 1 : 0;
  },
});
