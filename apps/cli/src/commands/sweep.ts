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
import { MAX_SHARDS, parseShard, shardCells } from '../sweep/sweep-shard';
import { DEFAULT_SLURM_TASKS, slurmSweep } from '../slurm/slurm-sweep';
import { UsageError } from '../errors';
import { collectVersions } from '../versions';
import { stopReason } from '../interrupt';

const sweepFlags = {
  store: { type: 'string', valueName: '<file>', description: 'the SQLite results store (default <name>.sqlite, from the sweep\'s name)' },
  workers: { type: 'integer', min: 1, max: 1024, valueName: '<n>', description: `worker threads (default: the number of cores, here ${availableParallelism()})` },
  resume: { type: 'boolean', description: 'refuse to start unless the store already holds this sweep with the same content' },
  shard: { type: 'string', valueName: '<K/N>', description: 'run only shard K of N (0 ≤ K < N): the cells whose index in the sweep is K modulo N; merge the shards\' stores with `results merge`' },
  'dry-run': { type: 'boolean', description: 'check the file and print its cells; run nothing, touch no store' },
  slurm: { type: 'boolean', description: 'write a Slurm job array (one task per shard) and a merge job into --dir; print how to submit them' },
  submit: { type: 'boolean', description: 'with --slurm: submit both jobs (sbatch), print their ids; again: resubmit only the shards not complete' },
  wait: { type: 'boolean', description: 'with --submit: follow the jobs in squeue until they end, then report the merged store' },
  tasks: { type: 'integer', min: 1, max: MAX_SHARDS, valueName: '<n>', description: `with --slurm: the number of shards (array tasks; default ${DEFAULT_SLURM_TASKS}, at most one per cell)` },
  partition: { type: 'string', valueName: '<name>', description: 'with --slurm: the partition (#SBATCH --partition)' },
  time: { type: 'string', valueName: '<limit>', description: 'with --slurm: the time limit of each task (#SBATCH --time), e.g. 2:00:00 or 1-12' },
  'cpus-per-task': { type: 'integer', min: 1, max: 1024, valueName: '<n>', description: 'with --slurm: cores per task (#SBATCH --cpus-per-task); each task runs that many workers' },
  mem: { type: 'string', valueName: '<size>', description: 'with --slurm: memory per task (#SBATCH --mem), e.g. 8G' },
  'sbatch-arg': { type: 'string', multiple: true, valueName: '<--opt=value>', description: 'with --slurm: another #SBATCH option, repeatable, written --sbatch-arg=--account=abc123' },
  dir: { type: 'string', valueName: '<dir>', description: 'with --slurm: the submission directory (default <name>.slurm): scripts, shard stores, logs' },
  json: jsonFlag,
} as const;

function progressText(p: SweepProgress): string {
  const remaining = p.total - p.skipped - p.finished;
  const rate = p.elapsedMs > 0 ? (p.finished * 1000) / p.elapsedMs : 0;
  const eta = rate > 0 ? `  ETA ${formatDuration(remaining / rate)}` : '';
  const failures = p.failed > 0 ? `  ${p.failed} failed` : '';
  return `cells ${p.skipped + p.finished}/${p.total}${failures}  ${rate >= 10 ? rate.toFixed(0) : rate.toFixed(2)} runs/s${eta}`;
}

/** The flags that only make sense with `--slurm`, and those that make none with it. */
function checkSlurmFlags(flags: { slurm: boolean; submit: boolean; wait: boolean; [name: string]: unknown }): void {
  const slurmOnly = ['submit', 'wait', 'tasks', 'partition', 'time', 'cpus-per-task', 'mem', 'dir'].filter((name) => flags[name] !== undefined && flags[name] !== false);
  if ((flags['sbatch-arg'] as string[]).length > 0) slurmOnly.push('sbatch-arg');
  if (!flags.slurm && slurmOnly.length > 0) throw new UsageError(`--${slurmOnly[0]} needs --slurm (it describes the Slurm jobs)`, `--${slurmOnly[0]}`);
  if (flags.wait && !flags.submit) throw new UsageError('--wait needs --submit (it follows the submitted jobs)', '--wait');
  if (flags.slurm) {
    const clash = ['shard', 'workers', 'resume', 'dry-run'].find((name) => flags[name] !== undefined && flags[name] !== false);
    if (clash !== undefined) {
      const why = clash === 'workers' ? 'each task runs --cpus-per-task workers' : clash === 'shard' ? 'the job array runs the shards' : clash === 'resume' ? 'submitting again resumes' : 'without --submit, --slurm runs nothing';
      throw new UsageError(`--${clash} does not go with --slurm (${why})`, `--${clash}`);
    }
  }
}

/** The global `--backend` flag of this invocation, to pass on to the tasks of a Slurm job. */
function backendArgs(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length && !SWEEP_NAMES.has(argv[i]!); i++) {
    const word = argv[i]!;
    if (word.startsWith('--backend=')) args.push(word);
    else if (word === '--backend' && argv[i + 1] !== undefined) args.push(`--backend=${argv[i + 1]!}`);
  }
  return args.slice(-1);
}

const SWEEP_NAMES = new Set(['sweep']);

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
    '"skipped", "finished", "failed", "interrupted", "notStarted", "workers", "elapsedMs", "shard"}).',
    '',
    'More machines: --shard K/N runs the cells whose index (point·seeds + repetition) is K mod N, into',
    'its own store; the N shards together are the sweep, bit for bit; `shallowscape results merge OUT',
    'IN…` joins their stores. --slurm writes a Slurm job array (task K runs shard K of --tasks N, with',
    '--cpus-per-task workers) and a merge job (afterany) into --dir, with a copy of the file, and prints',
    'the two sbatch commands; --submit submits them, --wait follows them in squeue and reports the',
    'merged store (exit 1 if a shard did not complete). Submitting again resubmits only the shards',
    'whose store is not complete. Site options become #SBATCH lines: --partition, --time, --mem,',
    '--sbatch-arg=--account=abc123 (repeatable). See the guide "Running a sweep on a cluster".',
  ].join('\n'),
  flags: sweepFlags,
  positionals: [{ name: 'FILE', description: 'the sweep file (.yaml, .yml or .json)', required: true }],
  examples: [
    'shallowscape sweep examples/sweeps/sample-threshold.yaml',
    'shallowscape sweep my-sweep.yaml --store runs.sqlite --workers 8',
    'shallowscape sweep my-sweep.yaml --dry-run',
    'shallowscape sweep my-sweep.yaml --shard 0/4 --store part-0.sqlite',
    'shallowscape sweep my-sweep.yaml --slurm --tasks 20 --cpus-per-task 4 --time 1:00:00 --submit --wait',
  ],
  async run(ctx, { flags, positionals }) {
    const path = positionals[0]!;
    checkSlurmFlags(flags);
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
    if (flags.slurm) {
      return slurmSweep(ctx, {
        path,
        file,
        cells: plan.cells.length,
        store: storePath,
        storeFlag,
        globalArgs: backendArgs(ctx.argv),
        submit: flags.submit,
        wait: flags.wait,
        json: flags.json,
        tasks: flags.tasks,
        dir: flags.dir,
        site: {
          ...(flags.partition !== undefined ? { partition: flags.partition } : {}),
          ...(flags.time !== undefined ? { time: flags.time } : {}),
          ...(flags['cpus-per-task'] !== undefined ? { cpusPerTask: flags['cpus-per-task'] } : {}),
          ...(flags.mem !== undefined ? { mem: flags.mem } : {}),
          sbatchArgs: flags['sbatch-arg'],
        },
      });
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
