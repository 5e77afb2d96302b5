/**
 * `shallowscape sweep FILE --slurm`: a sweep as a Slurm job array of N shards and a merge job.
 *
 * Writes into the submission directory (`--dir`, default `<name>.slurm/`): a copy of the sweep
 * file (the tasks run this copy, so editing the original does not change a submitted sweep),
 * `array.sbatch`, `merge.sbatch`, `submission.json` (the sweep's hash, N, the jobs submitted),
 * and, as the tasks run, `shards/shard-K.sqlite` and `logs/`. With `--submit` it submits both
 * scripts (`sbatch --parsable`; the merge with `--dependency=afterany:ARRAY`), and with `--wait` it
 * follows them in `squeue` and reports the merged store. Submitting again resubmits only the
 * shards whose store is not complete, then the merge.
 *
 * @packageDocumentation
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { formatJson } from '../io/json-output';
import { writeFileAtomic } from '../io/write-file-atomic';
import { stopReason } from '../interrupt';
import { commandLine } from '../output/shell-words';
import { ResultsStore } from '../sweep/results-store';
import { shardStatus, shardStatuses } from '../sweep/shard-status';
import type { SweepFile } from '../sweep/sweep-file';
import { cliEntryFile } from './cli-entry-file';
import { jobStates, queueStates, submitBatch, waitForJobs } from './slurm-commands';
import { ARRAY_SCRIPT, MERGE_SCRIPT, arrayRanges, arraySbatchScript, checkSiteOptions, mergeSbatchScript, shardStorePath, type SlurmSiteOptions, type SlurmSweepLayout } from './slurm-scripts';

/** Array tasks when `--tasks` is not given (at most one per cell). */
export const DEFAULT_SLURM_TASKS = 10;

/** What `submission.json` holds. */
interface SubmissionRecord {
  name: string;
  hash: string;
  tasks: number;
  sweepFile: string;
  jobs: Array<{ array: string | null; merge: string; shards: number[]; submittedAt: string }>;
}

/** The request of {@link slurmSweep}: the checked sweep and the flags. */
export interface SlurmSweepRequest {
  /** The sweep file as named, and as read. */
  path: string;
  file: SweepFile;
  /** The number of cells of the sweep. */
  cells: number;
  /** The merged store, and how it was named (for messages). */
  store: string;
  storeFlag: string;
  /** Global flags to pass on to the tasks (`--backend=…`). */
  globalArgs: readonly string[];
  submit: boolean;
  wait: boolean;
  json: boolean;
  tasks: number | undefined;
  dir: string | undefined;
  site: SlurmSiteOptions;
}

function readRecord(path: string, dirFlag: string): SubmissionRecord | null {
  if (!existsSync(path)) return null;
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as SubmissionRecord;
    if (typeof record.hash !== 'string' || !Number.isSafeInteger(record.tasks) || !Array.isArray(record.jobs)) throw new Error('missing fields');
    return record;
  } catch (error) {
    throw new UsageError(`${dirFlag}: ${JSON.stringify(path)} is not a submission record of shallowscape (${(error as Error).message}); name a new --dir`, '--dir');
  }
}

/** The shards whose store in the submission directory does not hold all of their cells done. */
function incompleteShards(dir: string, hash: string, tasks: number): number[] {
  const pending: number[] = [];
  for (let k = 0; k < tasks; k++) {
    const path = shardStorePath(dir, k);
    if (!existsSync(path)) {
      pending.push(k);
      continue;
    }
    const store = ResultsStore.open(path, { create: false, readonly: true, flag: 'shard store' });
    try {
      const sweep = store.sweepByHash(hash);
      if (sweep === undefined || !shardStatus(store, sweep, { index: k, count: tasks }).complete) pending.push(k);
    } finally {
      store.close();
    }
  }
  return pending;
}

/**
 * Writes the submission directory and, with `submit`, submits it (see the module's description).
 *
 * Everything is checked before anything is written: the site options, the submission directory
 * (new, empty, or an earlier submission of the same sweep with the same N), the store's path, and,
 * with `submit`, that the earlier submission's jobs have left the queue.
 *
 * @returns the exit code: 0, or with `wait` 1 when a shard did not complete or a run failed.
 * @throws {@link UsageError} for bad flags or directories, `StoreError` for a shard store that is not one (exit 2),
 *   `SlurmError` when a Slurm command fails.
 */
export async function slurmSweep(ctx: CommandContext, request: SlurmSweepRequest): Promise<number> {
  const { file, site } = request;
  checkSiteOptions(site);
  const dirFlag = request.dir !== undefined ? '--dir' : `--dir (from name: ${file.name}.slurm)`;
  const dir = resolve(request.dir ?? `${file.name}.slurm`);
  const store = resolve(request.store);
  ResultsStore.checkPath(store, { create: true, flag: request.storeFlag });
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${dirFlag} ${JSON.stringify(dir)} is not a directory`, '--dir');
  const recordPath = join(dir, 'submission.json');
  const record = readRecord(recordPath, dirFlag);
  if (record === null && existsSync(dir) && readdirSync(dir).length > 0) {
    throw new UsageError(`${dirFlag} ${JSON.stringify(dir)} is not empty and holds no submission of shallowscape (submission.json); name a new or empty directory`, '--dir');
  }
  let tasks = Math.min(request.tasks ?? DEFAULT_SLURM_TASKS, request.cells);
  if (record !== null) {
    if (record.hash !== file.hash) {
      throw new UsageError(`${dirFlag} ${JSON.stringify(dir)} holds a submission of another sweep (${record.name}, hash ${record.hash.slice(0, 12)}; this file's is ${file.hash.slice(0, 12)}): the sweep file changed since; name a new --dir`, '--dir');
    }
    if (request.tasks !== undefined && tasks !== record.tasks) {
      throw new UsageError(`--tasks ${request.tasks}: ${JSON.stringify(dir)} was submitted in ${record.tasks} shards, and a resubmission keeps them; leave --tasks out or name a new --dir`, '--tasks');
    }
    tasks = record.tasks;
    const last = record.jobs[record.jobs.length - 1];
    if (request.submit && last !== undefined) {
      const ids = [last.array, last.merge].filter((id): id is string => id !== null);
      const queued = await queueStates(ids, ctx.env);
      if (queued.length > 0) {
        throw new UsageError(`${dirFlag} ${JSON.stringify(dir)}: its jobs ${ids.join(', ')} are still in the queue; wait for them (squeue -j ${ids.join(',')}) or cancel them (scancel ${ids.join(' ')}) before submitting again`, '--dir');
      }
    }
  }

  const layout: SlurmSweepLayout = {
    name: file.name,
    dir,
    workdir: process.cwd(),
    node: process.execPath,
    cli: cliEntryFile(),
    globalArgs: request.globalArgs,
    sweepFile: join(dir, `sweep${extname(request.path) || '.yaml'}`),
    tasks,
    store,
  };
  const arrayScript = arraySbatchScript(layout, site);
  const mergeScript = mergeSbatchScript(layout, site);
  mkdirSync(join(dir, 'shards'), { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  copyFileSync(request.path, layout.sweepFile);
  await writeFileAtomic(join(dir, ARRAY_SCRIPT), arrayScript);
  await writeFileAtomic(join(dir, MERGE_SCRIPT), mergeScript);
  const current: SubmissionRecord = record ?? { name: file.name, hash: file.hash, tasks, sweepFile: layout.sweepFile, jobs: [] };
  if (record === null) await writeFileAtomic(recordPath, formatJson(current));

  const pending = incompleteShards(dir, file.hash, tasks);
  const complete = Array.from({ length: tasks }, (_, k) => k).filter((k) => !pending.includes(k));
  const arrayPath = join(dir, ARRAY_SCRIPT);
  const mergePath = join(dir, MERGE_SCRIPT);
  const summary: Record<string, unknown> = { name: file.name, dir, store, tasks, cells: request.cells, pending, complete, arrayScript: arrayPath, mergeScript: mergePath };
  const shardText = `${request.cells} cells in ${tasks} shard${tasks === 1 ? '' : 's'}`;

  if (!request.submit) {
    const commands =
      pending.length > 0
        ? [`jobid=$(${commandLine(['sbatch', '--parsable', `--array=${arrayRanges(pending)}`, arrayPath])})`, `${commandLine(['sbatch', '--dependency=afterany:'])}$jobid ${commandLine([mergePath])}`]
        : [commandLine(['sbatch', mergePath])];
    if (request.json) ctx.stdout.write(formatJson({ ...summary, commands }));
    else {
      ctx.stdout.write(
        [
          `sweep ${file.name}: ${shardText}; wrote ${join(dir, ARRAY_SCRIPT)} and ${MERGE_SCRIPT} beside it`,
          ...(complete.length > 0 ? [`  shards ${arrayRanges(complete)} are complete in ${join(dir, 'shards')}; only ${arrayRanges(pending) || 'the merge'} to run`] : []),
          'submit with (or add --submit):',
          ...commands.map((c) => `  ${c}`),
          '',
        ].join('\n'),
      );
    }
    return 0;
  }

  let arrayJob: string | null = null;
  if (pending.length > 0) arrayJob = (await submitBatch(arrayPath, [`--array=${arrayRanges(pending)}`], ctx.env)).jobId;
  const mergeJob = (await submitBatch(mergePath, arrayJob !== null ? [`--dependency=afterany:${arrayJob}`] : [], ctx.env)).jobId;
  current.jobs.push({ array: arrayJob, merge: mergeJob, shards: pending, submittedAt: new Date().toISOString() });
  await writeFileAtomic(recordPath, formatJson(current));
  const ids = [arrayJob, mergeJob].filter((id): id is string => id !== null);
  Object.assign(summary, { arrayJobId: arrayJob, mergeJobId: mergeJob });
  if (!request.json) {
    ctx.stdout.write(
      [
        `sweep ${file.name}: ${shardText}; submitted ${arrayJob !== null ? `array job ${arrayJob} (shards ${arrayRanges(pending)}) and ` : ''}merge job ${mergeJob}${arrayJob !== null ? ' (after it)' : ''} → ${store}`,
        `  follow: squeue -j ${ids.join(',')}    cancel: scancel ${ids.join(' ')}    logs: ${join(dir, 'logs')}`,
        '',
      ].join('\n'),
    );
  }
  if (!request.wait) {
    if (request.json) ctx.stdout.write(formatJson(summary));
    return 0;
  }

  const outcome = await waitForJobs(
    ids,
    {
      pollMs: 500,
      signal: ctx.signal,
      onProgress: (p) => {
        if (!request.json) ctx.stderr.write(`slurm: jobs ${ids.join(', ')}: ${p.pending} pending, ${p.running} running${p.other > 0 ? `, ${p.other} other` : ''}\n`);
      },
    },
    ctx.env,
  );
  if (outcome === 'aborted') {
    ctx.stderr.write(`sweep ${file.name}: stopped waiting; the jobs go on (cancel them: scancel ${ids.join(' ')})\n`);
    if (request.json) ctx.stdout.write(formatJson(summary));
    throw stopReason(ctx.signal);
  }
  const mergeState = (await jobStates(mergeJob, ctx.env))[0];
  const result = mergedResult(store, file.hash, tasks);
  Object.assign(summary, { mergeState: mergeState?.state ?? null, merged: result });
  if (request.json) ctx.stdout.write(formatJson(summary));
  else {
    const incomplete = result.incompleteShards;
    ctx.stdout.write(
      [
        `sweep ${file.name}: merge job ${mergeJob} ${mergeState?.state ?? 'ended'}; ${store}: ${result.done} of ${request.cells} cells done, ${result.failed} failed; shards ${tasks - incomplete.length}/${tasks} complete`,
        ...(incomplete.length > 0 ? [`  incomplete: shard${incomplete.length === 1 ? '' : 's'} ${arrayRanges(incomplete)} (logs: ${join(dir, 'logs')}); run the same command again to resubmit them`] : []),
        '',
      ].join('\n'),
    );
  }
  return result.incompleteShards.length === 0 && result.failed === 0 && mergeState?.state === 'COMPLETED' ? 0 : 1;
}

/** What the merged store holds of the sweep after the merge job. */
function mergedResult(path: string, hash: string, tasks: number): { done: number; failed: number; incompleteShards: number[] } {
  if (!existsSync(path)) return { done: 0, failed: 0, incompleteShards: Array.from({ length: tasks }, (_, k) => k) };
  const store = ResultsStore.open(path, { create: false, readonly: true, flag: '--store' });
  try {
    const sweep = store.sweepByHash(hash);
    if (sweep === undefined) return { done: 0, failed: 0, incompleteShards: Array.from({ length: tasks }, (_, k) => k) };
    const statuses = shardStatuses(store, sweep, tasks);
    return {
      done: statuses.reduce((sum, s) => sum + s.done, 0),
      failed: statuses.reduce((sum, s) => sum + s.failed, 0),
      incompleteShards: statuses.filter((s) => !s.complete).map((s) => s.index),
    };
  } finally {
    store.close();
  }
}
