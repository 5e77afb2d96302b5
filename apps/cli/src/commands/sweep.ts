/**
 * `shallowscape sweep FILE`: a sweep file → its cells (`sweep/sweep-plan.ts`, every cell checked
 * before anything runs) → a pool of worker threads (`sweep/execute-sweep.ts`) → one row per run
 * in an SQLite store (`sweep/results-store.ts`).
 *
 * @packageDocumentation
 */
import { availableParallelism } from 'node:os';
import { getBackend } from '@shallowscape/linalg';
import { defineCommand } from '../command';
import { jsonFlag, formatJson } from '../io/json-output';
import { commandLine } from '../output/shell-words';
import { ProgressReporter } from '../output/progress-reporter';
import { formatDuration } from '../resources/memory-budget';
import { closestMatch } from '../suggest';
import { executeSweep, type SweepProgress } from '../sweep/execute-sweep';
import { ResultsStore, StoreError } from '../sweep/results-store';
import { lockStore } from '../sweep/store-lock';
import { readSweepFile, SweepFileError } from '../sweep/sweep-file';
import { planSweep } from '../sweep/sweep-plan';
import { sweepWorkerFile } from '../sweep/sweep-worker-file';
import { SWEEPABLE_COMMANDS, pointValidator } from '../sweep/sweepable-commands';
import { parseShard, shardCells } from '../sweep/sweep-shard';
import { collectVersions } from '../versions';
import { stopReason } from '../interrupt';

const sweepFlags = {
  store: { type: 'string', valueName: '<file>', description: 'the SQLite results store (default <name>.sqlite, from the sweep\'s name)' },
  workers: { type: 'integer', min: 1, max: 1024, valueName: '<n>', description: `worker threads (default: the number of cores, here ${availableParallelism()})` },
  resume: { type: 'boolean', description: 'refuse to start unless the store already holds this sweep with the same content' },
  shard: { type: 'string', valueName: '<K/N>', description: 'run only shard K of N (0 ≤ K < N): the cells whose index in the sweep is K modulo N; merge the shards\' stores with `results merge`' },
  'dry-run': { type: 'boolean', description: 'check the file and print its cells; run nothing, touch no store' },
  json: jsonFlag,
} as const;

function progressText(p: SweepProgress): string {
  const remaining = p.total - p.skipped - p.finished;
  const rate = p.elapsedMs > 0 ? (p.finished * 1000) / p.elapsedMs : 0;
  const eta = rate > 0 ? `  ETA ${formatDuration(remaining / rate)}` : '';
  const failures = p.failed > 0 ? `  ${p.failed} failed` : '';
  return `cells ${p.skipped + p.finished}/${p.total}${failures}  ${rate >= 10 ? rate.toFixed(0) : rate.toFixed(2)} runs/s${eta}`;
}

/** The `sweep` command. */
export const sweepCommand = defineCommand({
  name: 'sweep',
  summary: 'run a grid of runs (a sweep file) on every core into an SQLite results store; resumable',
  description: [
    'FILE (YAML or JSON) names a command and a grid of its flags:',
    '',
    '  name: sample-threshold-d6',
    '  run: train                  # the command each cell runs: train, eval, certify or spectrum',
    '  fixed: { d: 6, m: 8 }       # flags of every cell, spelled as on the command line',
    '  grid:                       # the Cartesian product of these lists',
    '    n: [10, 15, 20, 21, 25, 30]',
    '  seeds: 8                    # repetitions per grid point (default 1); seed: the base seed (0)',
    '',
    'Each cell is exactly `shallowscape train --d 6 --m 8 --n 21 --seed S --json`, with the same',
    'results. Grid values: a list; { range: [from, to, step] }; { linspace: [from, to, count] };',
    '{ logrange: [from, to, count] } (rounded for integer flags); or an expression over the other keys,',
    'e.g. n: "round(ratio * d*(d+1)/2)" with ratio a key of the grid that is not a flag (a parameter).',
    'Expressions: + - * / % ^, comparisons, and/or/not, sqrt exp log log2 log10 abs floor ceil round min',
    'max pow, pi and e; a hyphenated flag is written with _ (teacher_width). grids: [ {...}, {...} ] runs',
    'several grids. A cell\'s seed is derived from the base seed and its coordinates only (the first 48',
    'bits of SHA-256), so results do not depend on --workers, order or resumption.',
    '',
    'The whole file is checked before the first run (unknown keys or flags, values the command would',
    'reject, empty grids, expressions that do not parse or give a non-integer size): exit 2, one line',
    'naming the file, line, column and key path. The store is <name>.sqlite (or --store), SQLite in WAL',
    'mode: a table of sweeps and one row per run (coordinates, seed, status, metrics, history, timing,',
    'error), each written when its run ends. Running the same file again skips the cells already done',
    'and reruns failed or interrupted ones; a changed file is a new sweep in the store (with --resume,',
    'an error). One sweep writes a store at a time (a second one refuses); read it with',
    '`shallowscape results`, even while the sweep runs.',
    '',
    'A run that fails (divergence, a bad file) is recorded with its error and the sweep goes on; the',
    'exit code is 1 if any run failed. Ctrl-C or SIGTERM stops handing out cells, lets the runs in',
    'flight stop at their next step, records them as interrupted and exits 130 (143); kill -9 loses',
    'only the runs in flight. Progress (cells done/total, failures, rate, ETA) goes to stderr;',
    'stdout has only the summary (--json: {"name", "store", "sweepId", "run", "cells", "points",',
    '"skipped", "finished", "failed", "interrupted", "notStarted", "workers", "elapsedMs"}).',
  ].join('\n'),
  flags: sweepFlags,
  positionals: [{ name: 'FILE', description: 'the sweep file (.yaml, .yml or .json)', required: true }],
  examples: [
    'shallowscape sweep examples/sweeps/sample-threshold.yaml',
    'shallowscape sweep my-sweep.yaml --store runs.sqlite --workers 8',
    'shallowscape sweep my-sweep.yaml --dry-run',
  ],
  async run(ctx, { flags, positionals }) {
    const path = positionals[0]!;
    const shard = flags.shard !== undefined ? parseShard(flags.shard) : null;
    const file = readSweepFile(path);
    const command = SWEEPABLE_COMMANDS.find((c) => c.name === file.run);
    if (command === undefined) {
      const names = SWEEPABLE_COMMANDS.map((c) => c.name);
      const near = closestMatch(file.run, names);
      throw new SweepFileError(path, file.locate('run'), 'run', `${JSON.stringify(file.run)} is not a command a sweep can run${near !== undefined ? ` (did you mean '${near}'?)` : ''}; one of: ${names.join(', ')}`);
    }
    const plan = planSweep(file, command, pointValidator(command, ctx.env));
    const cells = shard !== null ? shardCells(plan.cells, shard) : plan.cells;
    const shardText = shard !== null ? ` (shard ${shard.index}/${shard.count}: ${cells.length} of ${plan.cells.length} cells)` : '';
    const workers = flags.workers ?? availableParallelism();
    const storePath = flags.store ?? `${file.name}.sqlite`;
    const storeFlag = flags.store !== undefined ? '--store' : `store (from name: ${file.name})`;
    if (flags['dry-run']) {
      if (flags.json) {
        ctx.stdout.write(
          formatJson({ name: file.name, run: file.run, store: storePath, points: plan.points.length, cells: cells.length, shard: shard === null ? null : `${shard.index}/${shard.count}`, argv: cells.map((c) => c.argv) }),
        );
      } else {
        const lines = cells.slice(0, 20).map((c) => `  ${commandLine(['shallowscape', ...c.argv])}`);
        if (cells.length > 20) lines.push(`  … and ${cells.length - 20} more`);
        ctx.stdout.write(`sweep ${file.name}: ${plan.points.length} points × ${file.seeds} seeds = ${plan.cells.length} runs of ${file.run}${shardText}, into ${storePath}\n${lines.join('\n')}\n`);
      }
      return 0;
    }
    const workerFile = sweepWorkerFile();
    ResultsStore.checkPath(storePath, { create: !flags.resume, flag: storeFlag });
    const lock = lockStore(storePath, storeFlag);
    let store: ResultsStore | undefined;
    try {
      store = ResultsStore.open(storePath, { create: !flags.resume, flag: storeFlag });
      const existing = store.sweepByHash(file.hash);
      if (flags.resume && existing === undefined) {
        const same = store.sweeps().filter((s) => s.name === file.name);
        const why = same.length > 0 ? `it holds sweep ${JSON.stringify(file.name)} with other content (the file changed since)` : `it holds no sweep ${JSON.stringify(file.name)}`;
        throw new StoreError(`--resume: ${storeFlag} ${JSON.stringify(storePath)} cannot resume ${JSON.stringify(path)}: ${why}; run without --resume to start it as a new sweep`, '--resume');
      }
      const versions = collectVersions();
      const sweep = store.beginSweep({
        name: file.name,
        file: path,
        content: file.canonical,
        hash: file.hash,
        run: file.run,
        baseSeed: file.seed,
        seeds: file.seeds,
        cells: plan.cells.length,
        versions,
      });
      if (shard !== null) store.beginShard(sweep.id, { ...shard, cells: cells.length });
      const progress = new ProgressReporter(ctx.stderr, { enabled: !flags.json, lineMs: 5000 });
      const backend = getBackend().name;
      // Redrawn when a run ends, and every second in between (long runs): the reporter's own
      // intervals decide what is shown.
      let latest: SweepProgress | null = null;
      const t0 = performance.now();
      const show = (): void => {
        if (latest !== null) progress.update(progressText({ ...latest, elapsedMs: performance.now() - t0 }), (latest.skipped + latest.finished) / latest.total);
      };
      const ticker = setInterval(show, 1000);
      ticker.unref();
      let summary;
      try {
        summary = await executeSweep(cells, store, sweep.id, {
          workers,
          signal: ctx.signal,
          workerFile,
          backend,
          onStart: (p) => {
            latest = p;
          },
          onProgress: (p) => {
            latest = p;
            show();
          },
        });
      } finally {
        clearInterval(ticker);
        progress.clear();
      }
      const stopped = summary.stopped !== null;
      if (shard !== null) store.endShard(sweep.id, shard, stopped ? 'interrupted' : 'complete');
      // The sweep's row says whether all of its cells ran (a shard runs only some).
      const ranAll = store.runStatuses(sweep.id).filter((r) => r.status !== 'interrupted').length === plan.cells.length;
      store.endSweep(sweep.id, stopped || !ranAll ? 'interrupted' : 'complete');
      const ours = new Set(cells.map((c) => c.key));
      const failedInStore = store.runs(sweep.id).filter((r) => r.status === 'failed' && ours.has(r.cellKey)).length;
      const result = {
        name: file.name,
        store: storePath,
        sweepId: sweep.id,
        run: file.run,
        cells: cells.length,
        shard: shard === null ? null : `${shard.index}/${shard.count}`,
        points: plan.points.length,
        skipped: summary.skipped,
        finished: summary.finished,
        failed: summary.failed,
        interrupted: summary.interrupted,
        notStarted: summary.notStarted,
        workers,
        elapsedMs: summary.elapsedMs,
      };
      if (stopped) {
        ctx.stderr.write(
          `sweep ${file.name}${shardText}: stopped after ${summary.finished} runs (${summary.interrupted} interrupted, ${summary.notStarted} not started); ${summary.skipped + summary.finished - summary.interrupted - summary.failed} of ${cells.length} done in ${storePath}; run the same command to resume\n`,
        );
        if (flags.json) ctx.stdout.write(formatJson(result));
        throw stopReason(ctx.signal);
      }
      if (flags.json) ctx.stdout.write(formatJson(result));
      else {
        const rate = summary.elapsedMs > 0 ? (summary.finished * 1000) / summary.elapsedMs : 0;
        ctx.stdout.write(
          [
            `sweep ${file.name}: ${plan.points.length} points × ${file.seeds} seeds = ${plan.cells.length} runs of ${file.run}${shardText} → ${storePath} (sweep ${sweep.id})`,
            `  ran       ${summary.finished}${summary.skipped > 0 ? ` (${summary.skipped} already done, skipped)` : ''}`,
            `  failed    ${summary.failed}`,
            `  time      ${(summary.elapsedMs / 1000).toFixed(2)} s (${rate.toFixed(1)} runs/s on ${workers} worker${workers === 1 ? '' : 's'})`,
            `read them:  shallowscape results ${storePath}${failedInStore > 0 ? ' (errors: --format table shows them)' : ''}`,
            '',
          ].join('\n'),
        );
      }
      return failedInStore > 0 ? 1 : 0;
    } finally {
      store?.close();
      lock.release();
    }
  },
});
