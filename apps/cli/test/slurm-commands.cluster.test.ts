/**
 * The Slurm commands (`src/slurm/slurm-commands.ts`) and `shallowscape sweep --slurm --submit
 * --wait` (the built CLI) against a real single-node Slurm cluster
 * (`tooling/slurm/start-slurm.sh`, through `./slurm-cluster.ts`): an array job and a dependent
 * merge job, the queue while a job runs, cancelling, and the ids Slurm does not know. Needs root
 * and the Debian packages slurm-wlm and munge; without them every test here fails (the cluster
 * cannot start), it does not skip.
 *
 * Every test that needs the cluster lives in THIS file: the cluster uses the fixed ports 6817 and
 * 6818, and vitest runs test files in parallel processes, so two files would collide. The cluster
 * is started once for the whole file (top-level `beforeAll`) and shared by its `describe` blocks.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cancelJobs, jobStates, queueStates, submitBatch, waitForJobs, type QueueEntry, type QueueSummary } from '../src/slurm/slurm-commands';
import { SlurmError } from '../src/slurm/slurm-error';
import { requireBuiltCli, runBuiltCli, startBuiltCli } from '../src/testing/built-cli';
import { startTestCluster, TEST_CLUSTER_HOOK_TIMEOUT_MS, type TestCluster } from './slurm-cluster';

/** The cluster shared by every test in this file. */
let cluster: TestCluster;
/** A scratch folder for job scripts and their outputs, readable by the jobs (they run as root). */
let dir: string;

/** Why the cluster did not start, if it did not. */
let startError: unknown;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shallowscape-slurm-jobs-'));
  try {
    cluster = await startTestCluster();
  } catch (error) {
    startError = error;
  }
}, TEST_CLUSTER_HOOK_TIMEOUT_MS);

// Without a cluster every test FAILS with the reason (an error in beforeAll would only mark
// them skipped, and CI counts failed tests).
beforeEach(() => {
  if (startError !== undefined) throw startError;
});

afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
}, TEST_CLUSTER_HOOK_TIMEOUT_MS);

/** Writes a bash batch script `name` into the scratch folder and returns its path. */
function writeScript(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/bash\nset -eu\n${body}\n`, { mode: 0o755 });
  return path;
}

/** Polls `queueStates` until `accept` holds for the rows (or `timeoutMs` passes) and returns the rows. */
async function queueUntil(jobId: string, accept: (rows: QueueEntry[]) => boolean, timeoutMs = 20_000): Promise<QueueEntry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await queueStates([jobId], cluster.env);
    if (accept(rows) || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Slurm commands on a real cluster', () => {
  it('runs a 3-element array and a dependent merge job (afterany), waits for both, reads their final states', async () => {
    const task = writeScript('task.sh', 'echo "task $SLURM_ARRAY_TASK_ID" > "task-$SLURM_ARRAY_TASK_ID.txt"');
    const merge = writeScript('merge.sh', 'cat task-0.txt task-1.txt task-2.txt > merged.txt');
    const array = await submitBatch(task, ['--array=0-2', `--chdir=${dir}`, `--output=${join(dir, 'task-%A_%a.log')}`, '--job-name=shallowscape-test-task'], cluster.env);
    expect(array.jobId).toMatch(/^\d+$/);
    expect(array.cluster).toBeNull();
    const merged = await submitBatch(merge, [`--dependency=afterany:${array.jobId}`, `--chdir=${dir}`, `--output=${join(dir, 'merge-%j.log')}`], cluster.env);
    expect(Number(merged.jobId)).toBeGreaterThan(Number(array.jobId));

    const summaries: QueueSummary[] = [];
    const outcome = await waitForJobs([array.jobId, merged.jobId], { pollMs: 100, onProgress: (summary) => summaries.push(summary) }, cluster.env);
    expect(outcome).toBe('done');
    expect(summaries.at(-1)).toEqual({ pending: 0, running: 0, other: 0 });
    for (const [before, after] of summaries.slice(1).map((summary, index) => [summaries[index], summary] as const)) expect(after).not.toEqual(before);

    expect(readFileSync(join(dir, 'merged.txt'), 'utf8')).toBe('task 0\ntask 1\ntask 2\n');
    expect(await jobStates(array.jobId, cluster.env)).toEqual([0, 1, 2].map((index) => ({ jobId: array.jobId, arrayTaskId: index, state: 'COMPLETED', exitCode: '0:0', reason: 'None' })));
    expect(await jobStates(`${array.jobId}_1`, cluster.env)).toEqual([{ jobId: array.jobId, arrayTaskId: 1, state: 'COMPLETED', exitCode: '0:0', reason: 'None' }]);
    expect(await jobStates(merged.jobId, cluster.env)).toEqual([{ jobId: merged.jobId, arrayTaskId: null, state: 'COMPLETED', exitCode: '0:0', reason: 'None' }]);
    // Ended jobs are no longer in the queue (squeue still knows them, it lists only live states).
    expect(await queueStates([array.jobId, merged.jobId], cluster.env)).toEqual([]);
  });

  it('queueStates sees a job pending or running, then nothing once it has ended', async () => {
    const script = writeScript('sleep.sh', 'sleep 2');
    const { jobId } = await submitBatch(script, [`--chdir=${dir}`, '--output=/dev/null'], cluster.env);
    const first = await queueStates([jobId], cluster.env);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ jobId, arrayTask: null });
    expect(['PENDING', 'RUNNING']).toContain(first[0]!.state);
    const running = await queueUntil(jobId, (rows) => rows[0]?.state === 'RUNNING');
    expect(running).toEqual([{ jobId, arrayTask: null, state: 'RUNNING', reason: 'None' }]);
    expect(await waitForJobs([jobId], { pollMs: 100 }, cluster.env)).toBe('done');
    expect(await queueStates([jobId], cluster.env)).toEqual([]);
    expect(await jobStates(jobId, cluster.env)).toEqual([{ jobId, arrayTaskId: null, state: 'COMPLETED', exitCode: '0:0', reason: 'None' }]);
  });

  it('cancelJobs cancels a running job (CANCELLED, killed by SIGTERM) and a held array (one CANCELLED record per element)', async () => {
    const script = writeScript('long.sh', 'sleep 300');
    const running = await submitBatch(script, [`--chdir=${dir}`, '--output=/dev/null'], cluster.env);
    const held = await submitBatch(script, ['--hold', '--array=0-3', `--chdir=${dir}`, '--output=/dev/null'], cluster.env);
    expect(await queueUntil(running.jobId, (rows) => rows[0]?.state === 'RUNNING')).toMatchObject([{ state: 'RUNNING' }]);
    const pending = await queueStates([held.jobId], cluster.env);
    expect(pending.map((row) => [row.arrayTask, row.state])).toEqual([0, 1, 2, 3].map((index) => [index, 'PENDING']));
    expect(pending[0]!.reason).toMatch(/Held/);

    await cancelJobs([running.jobId, held.jobId], cluster.env);
    expect(await waitForJobs([running.jobId, held.jobId], { pollMs: 100 }, cluster.env)).toBe('done');
    expect(await jobStates(running.jobId, cluster.env)).toEqual([{ jobId: running.jobId, arrayTaskId: null, state: 'CANCELLED', exitCode: '0:15', reason: 'None' }]);
    const array = await jobStates(held.jobId, cluster.env);
    expect(array.map((record) => [record.arrayTaskId, record.state])).toEqual([0, 1, 2, 3].map((index) => [index, 'CANCELLED']));
    // Cancelling again, or a job Slurm never had, is no error.
    await cancelJobs([running.jobId, '999999'], cluster.env);
  });

  it('ids Slurm does not know: no queue rows, no job records', async () => {
    expect(await queueStates(['999999'], cluster.env)).toEqual([]);
    expect(await queueStates(['999998', '999999_3'], cluster.env)).toEqual([]);
    expect(await jobStates('999999', cluster.env)).toEqual([]);
    expect(await waitForJobs(['999999'], { pollMs: 100 }, cluster.env)).toBe('done');
  });

  it('startTestCluster in the same process hands out the running cluster; stopping a second handle (twice) leaves it up', async () => {
    const second = await startTestCluster();
    expect(second.base).toBe(cluster.base);
    expect(second.env.SLURM_CONF).toBe(cluster.env.SLURM_CONF);
    await second.stop();
    await second.stop();
    const script = writeScript('still-up.sh', 'true');
    const { jobId } = await submitBatch(script, [`--chdir=${dir}`, '--output=/dev/null'], cluster.env);
    expect(await waitForJobs([jobId], { pollMs: 100 }, cluster.env)).toBe('done');
  });

  it("a rejected submission is a SlurmError quoting sbatch's error", async () => {
    const script = writeScript('true.sh', 'true');
    const error = await submitBatch(script, ['--partition=no-such-partition'], cluster.env).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SlurmError);
    expect(error).toMatchObject({ code: 'E_SLURM', tool: 'sbatch', exitCode: 1 });
    expect((error as SlurmError).message).toMatch(/^sbatch failed \(exit 1\): sbatch: error: invalid partition specified: no-such-partition/);
  });
});

/** 3 points × 2 seeds = 6 cells of a small training run: the sweep the Slurm tests submit. */
const SWEEP = `name: cluster-small
run: train
fixed: { d: 4, m: 5 }
grid:
  n: [6, 9, 12]
seeds: 2
`;

/** What the runs of a store computed, in cell order: everything but their timings. */
function storeResults(store: string): unknown[] {
  const db = new Database(store, { readonly: true });
  try {
    const rows = db.prepare('SELECT cell_key, coordinates, seed, argv, status, metrics, history, output, error FROM runs ORDER BY point, repetition').all() as Array<Record<string, string | null>>;
    return rows.map(({ history, ...row }) => {
      const { elapsedMs: _elapsed, ...computed } = JSON.parse(history ?? '{}') as Record<string, unknown>;
      return { ...row, history: computed };
    });
  } finally {
    db.close();
  }
}

interface SlurmSweepJson {
  pending: number[];
  complete: number[];
  commands?: string[];
  arrayJobId?: string | null;
  mergeJobId?: string;
  mergeState?: string | null;
  merged?: { done: number; failed: number; incompleteShards: number[] };
}

describe('sweep --slurm --submit --wait on a real cluster', () => {
  it('runs a 3-task array and its merge; a failed shard is reported, resubmitted alone, and the merged store equals the sweep run locally', async () => {
    requireBuiltCli();
    const work = mkdtempSync(join(tmpdir(), 'shallowscape-slurm-sweep-'));
    try {
      writeFileSync(join(work, 'small.yaml'), SWEEP);
      const env = Object.fromEntries(Object.entries(cluster.env).filter((e): e is [string, string] => e[1] !== undefined));
      const sweep = (...flags: string[]): ReturnType<typeof runBuiltCli> =>
        runBuiltCli(['sweep', 'small.yaml', '--slurm', '--dir', 'small.slurm', '--store', 'merged.sqlite', '--time', '5', '--json', ...flags], { cwd: work, env, timeoutMs: 120_000 });

      // Without --submit: the scripts and the two commands, nothing submitted.
      const written = await sweep('--tasks', '3');
      expect(written.code).toBe(0);
      const plan = JSON.parse(written.stdout) as SlurmSweepJson;
      expect(plan.pending).toEqual([0, 1, 2]);
      expect(plan.commands).toEqual([
        `jobid=$(sbatch --parsable --array=0-2 ${join(work, 'small.slurm', 'array.sbatch')})`,
        `sbatch --dependency=afterany:$jobid ${join(work, 'small.slurm', 'merge.sbatch')}`,
      ]);

      // Shard 2's store is locked by a live process (this one): its task fails and writes no store;
      // the merge (afterany) still runs and merges shards 0 and 1.
      const lock = join(work, 'small.slurm', 'shards', 'shard-2.sqlite.lock');
      writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      const first = await sweep('--submit', '--wait');
      expect(first.code).toBe(1);
      const failed = JSON.parse(first.stdout) as SlurmSweepJson;
      expect(failed.pending).toEqual([0, 1, 2]);
      expect(failed.mergeState).toBe('COMPLETED');
      expect(failed.merged).toEqual({ done: 4, failed: 0, incompleteShards: [2] });
      expect(readFileSync(join(work, 'small.slurm', 'logs', 'shard-2.out'), 'utf8')).toMatch(/is being written by another sweep/);
      expect(readFileSync(join(work, 'small.slurm', 'logs', `merge-${failed.mergeJobId}.out`), 'utf8')).toMatch(/missing {3}shard 2 of 3/);

      // Submitting again resubmits shard 2 alone, then the merge.
      rmSync(lock);
      const second = await sweep('--submit', '--wait');
      expect(second.stderr).toBe('');
      expect(second.code).toBe(0);
      const resumed = JSON.parse(second.stdout) as SlurmSweepJson;
      expect(resumed.pending).toEqual([2]);
      expect(resumed.complete).toEqual([0, 1]);
      expect(resumed.merged).toEqual({ done: 6, failed: 0, incompleteShards: [] });
      const states = await jobStates(resumed.arrayJobId!, cluster.env);
      expect(states.map((s) => [s.arrayTaskId, s.state])).toEqual([[2, 'COMPLETED']]);

      // The merged store is the sweep run on this machine, run for run and bit for bit.
      const local = await runBuiltCli(['sweep', 'small.yaml', '--store', 'local.sqlite', '--workers', '2'], { cwd: work, env });
      expect(local.code).toBe(0);
      expect(storeResults(join(work, 'merged.sqlite'))).toEqual(storeResults(join(work, 'local.sqlite')));

      // A third submission has nothing left to run: only the merge.
      const third = await sweep('--submit', '--wait');
      expect(third.code).toBe(0);
      expect(JSON.parse(third.stdout)).toMatchObject({ pending: [], arrayJobId: null, merged: { done: 6, incompleteShards: [] } });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 240_000);

  it('Ctrl-C while waiting stops the waiting, not the jobs: exit 130, the jobs still queued, how to cancel them said', async () => {
    requireBuiltCli();
    const work = mkdtempSync(join(tmpdir(), 'shallowscape-slurm-sigint-'));
    try {
      writeFileSync(join(work, 'small.yaml'), SWEEP);
      const env = Object.fromEntries(Object.entries(cluster.env).filter((e): e is [string, string] => e[1] !== undefined));
      // --begin keeps the array pending for a minute: nothing ends while the test waits.
      const run = startBuiltCli(['sweep', 'small.yaml', '--slurm', '--tasks', '2', '--sbatch-arg=--begin=now+60', '--submit', '--wait'], { cwd: work, env });
      await run.waitForOutput(/submitted array job \d+/, 60_000);
      const [, arrayJob, mergeJob] = /submitted array job (\d+) \(shards 0-1\) and merge job (\d+)/.exec(run.stdout())!;
      run.child.kill('SIGINT');
      const ended = await run.finished;
      expect(ended.code).toBe(130);
      expect(ended.stderr).toContain(`stopped waiting; the jobs go on (cancel them: scancel ${arrayJob} ${mergeJob})`);
      const queued = await queueStates([arrayJob!, mergeJob!], cluster.env);
      expect(queued.length).toBeGreaterThan(0);
      expect(queued.every((r) => r.state === 'PENDING')).toBe(true);
      await cancelJobs([arrayJob!, mergeJob!], cluster.env);
      expect(await waitForJobs([arrayJob!, mergeJob!], { pollMs: 100 }, cluster.env)).toBe('done');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
