/**
 * The one place that talks to Slurm: submitting batch jobs, reading the queue and the jobs'
 * final states, cancelling and waiting. Always through Slurm's own command-line tools
 * (`sbatch`, `squeue`, `scontrol`, `scancel`), each run with `execFile` and an argument array:
 * never a shell, never a command line built by string concatenation. The parsers of their output
 * are exported too, for the tests.
 *
 * Every command takes an optional `env`: the whole environment the tool runs with (default
 * `process.env`), e.g. `{ ...process.env, SLURM_CONF: '/tmp/slurm/slurm.conf' }`. Its `PATH` is
 * where the tool is looked up.
 *
 * Slurm's behaviour these functions rely on (checked on Slurm 22.05):
 * - `squeue -j IDS` lists only jobs still queued or running (PENDING, RUNNING, COMPLETING, ...);
 *   finished jobs drop out of its output at once. It exits 1 with
 *   `slurm_load_jobs error: Invalid job id specified` when none of the ids is known to the
 *   controller any more (MinJobAge, 300 s by default, after they ended), and 0 with the known
 *   ones' rows when only some are.
 * - `scontrol show job -o ID` still shows a finished job (COMPLETED, FAILED, CANCELLED, ...)
 *   until MinJobAge has passed, then fails with the same `Invalid job id specified`. An array's
 *   elements that never started (pending, or cancelled while pending) stay one record whose
 *   `ArrayTaskId` is a range such as `2-4` or `1,3,5%1`.
 * - `scancel` exits 0 for jobs that have already ended or are unknown.
 *
 * @packageDocumentation
 */
import { execFile } from 'node:child_process';
import { InvalidArgumentError } from '@shallowscape/linalg';
import { describeSystemError } from '../errors';
import { SlurmError } from './slurm-error';

/** Job states Slurm reports (`squeue %T`, `scontrol JobState`), long form. */
export type KnownSlurmJobState =
  | 'PENDING'
  | 'RUNNING'
  | 'SUSPENDED'
  | 'COMPLETING'
  | 'CONFIGURING'
  | 'COMPLETED'
  | 'CANCELLED'
  | 'FAILED'
  | 'TIMEOUT'
  | 'NODE_FAIL'
  | 'PREEMPTED'
  | 'BOOT_FAIL'
  | 'DEADLINE'
  | 'OUT_OF_MEMORY'
  | 'REQUEUED'
  | 'REQUEUE_FED'
  | 'REQUEUE_HOLD'
  | 'RESIZING'
  | 'RESV_DEL_HOLD'
  | 'REVOKED'
  | 'SIGNALING'
  | 'SPECIAL_EXIT'
  | 'STAGE_OUT'
  | 'STOPPED';

/**
 * A job state: one of {@link KnownSlurmJobState}, or (from a newer Slurm) another upper-case
 * word, passed through as printed.
 */
export type SlurmJobState = KnownSlurmJobState | (string & Record<never, never>);

/** A job accepted by `sbatch`. */
export interface SubmittedJob {
  /** The job id (for an array: the array's job id, `123` of `123_4`). */
  readonly jobId: string;
  /** The cluster that took it (`sbatch --parsable` prints `ID;CLUSTER` on multi-cluster setups), or `null`. */
  readonly cluster: string | null;
}

/** One row of the queue (`squeue`): a job or an array element still pending or running. */
export interface QueueEntry {
  /** The job id; for an array element the array's job id (`123` of `123_4`). */
  readonly jobId: string;
  /** The array element's index (`4` of `123_4`), or `null` for a job that is not an array. */
  readonly arrayTask: number | null;
  /** Its state, e.g. `PENDING`, `RUNNING`, `COMPLETING`. */
  readonly state: SlurmJobState;
  /** Why it is in that state, as `squeue %r` prints it, e.g. `None`, `Resources`, `Dependency`. */
  readonly reason: string;
}

/** A job's or array element's state as `scontrol show job` reports it (also after it ended). */
export interface JobStateRecord {
  /** The job id; for an array element the array's job id (`ArrayJobId`). */
  readonly jobId: string;
  /** The array element's index (`ArrayTaskId`), or `null` for a job that is not an array. */
  readonly arrayTaskId: number | null;
  /** Its state (`JobState`), e.g. `COMPLETED`, `FAILED`, `CANCELLED`, `TIMEOUT`, `PENDING`. */
  readonly state: SlurmJobState;
  /** `ExitCode` as Slurm prints it, `EXIT:SIGNAL`, e.g. `0:0`, `3:0`, `0:15` (killed by SIGTERM). */
  readonly exitCode: string;
  /** `Reason`, e.g. `None`, `NonZeroExitCode`, `Dependency`. */
  readonly reason: string;
}

/** How many of the waited-for jobs (array elements counted one by one) are in each state. */
export interface QueueSummary {
  /** PENDING. */
  readonly pending: number;
  /** RUNNING. */
  readonly running: number;
  /** Anything else still in the queue: COMPLETING, CONFIGURING, SUSPENDED, REQUEUED, ... */
  readonly other: number;
}

/** Options of {@link waitForJobs}. */
export interface WaitForJobsOptions {
  /** Milliseconds between two looks at the queue (default 5000: be kind to the controller). */
  readonly pollMs?: number;
  /** Stops the waiting (not the jobs) when aborted. */
  readonly signal?: AbortSignal;
  /** Called with the first summary and then whenever it changes, the last time with all zeros. */
  readonly onProgress?: (summary: QueueSummary) => void;
}

/** How long one Slurm tool may take before it counts as failed. */
const TOOL_TIMEOUT_MS = 120_000;
/** The most output read from one tool run. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
/** The most array elements one id range is expanded to (Slurm's own MaxArraySize limit). */
const MAX_ARRAY_ELEMENTS = 4_000_001;
/** How many looks at the queue in a row may fail (controller busy) before {@link waitForJobs} gives up. */
const MAX_CONSECUTIVE_POLL_FAILURES = 3;
/** What `squeue` and `scontrol` print (on standard error) for ids the controller no longer knows. */
const INVALID_JOB_ID = /Invalid job id specified/i;
/** A job id as the functions accept it: `123`, or `123_4` for one array element. */
const JOB_ID = /^\d+(?:_\d+)?$/;
/** The `squeue` output format: job id (`123` or `123_4`), long state, reason. */
const SQUEUE_FORMAT = '%i|%T|%r';

/** What a tool printed and how it exited. */
interface ToolRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** The first non-empty lines of `text` (at most `count`), trimmed and joined with a space. */
function firstLines(text: string, count = 3): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .slice(0, count)
    .join(' ');
}

/**
 * Runs `tool args...` without a shell and resolves with what it printed and its exit code, also
 * when that is not 0 (the caller decides what a failure means).
 *
 * @throws {@link SlurmError} when the tool is not found (`ENOENT`) or cannot be run, is killed,
 * does not answer within {@link TOOL_TIMEOUT_MS} or prints more than {@link MAX_OUTPUT_BYTES};
 * the `AbortError` of `execFile` when `signal` is aborted.
 */
function runTool(tool: string, args: readonly string[], env: NodeJS.ProcessEnv | undefined, signal?: AbortSignal): Promise<ToolRun> {
  const environment = env ?? process.env;
  return new Promise((resolve, reject) => {
    execFile(
      tool,
      args,
      { env: environment, encoding: 'utf8', maxBuffer: MAX_OUTPUT_BYTES, timeout: TOOL_TIMEOUT_MS, signal, windowsHide: true },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ stdout, stderr, exitCode: 0 });
          return;
        }
        if (error.name === 'AbortError') {
          reject(error);
          return;
        }
        const code: unknown = error.code;
        if (typeof code === 'number') {
          resolve({ stdout, stderr, exitCode: code });
          return;
        }
        if (code === 'ENOENT') {
          reject(
            new SlurmError(tool, `${tool} not found: is this a Slurm login node? (PATH=${environment.PATH ?? ''})`, { cause: error }),
          );
          return;
        }
        if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          reject(new SlurmError(tool, `${tool} printed more than ${MAX_OUTPUT_BYTES} bytes`, { cause: error }));
          return;
        }
        if (error.killed === true) {
          reject(new SlurmError(tool, `${tool} did not answer within ${TOOL_TIMEOUT_MS / 1000} s`, { stderr: stderr.trim(), cause: error }));
          return;
        }
        if (typeof error.signal === 'string') {
          reject(new SlurmError(tool, `${tool} was killed by ${error.signal}`, { stderr: stderr.trim(), cause: error }));
          return;
        }
        reject(new SlurmError(tool, `cannot run ${tool}: ${describeSystemError(error)}`, { cause: error }));
      },
    );
  });
}

/** The {@link SlurmError} for a tool that exited with a non-zero status, quoting its standard error. */
function failed(tool: string, run: ToolRun): SlurmError {
  const said = firstLines(run.stderr) || firstLines(run.stdout);
  return new SlurmError(tool, `${tool} failed (exit ${run.exitCode})${said ? `: ${said}` : ' with no message'}`, {
    exitCode: run.exitCode,
    stderr: run.stderr.trim(),
  });
}

/** Throws unless every id is a job id (`123`) or an array element's (`123_4`). */
function checkJobIds(argument: string, jobIds: readonly string[]): void {
  for (const id of jobIds) {
    if (!JOB_ID.test(id)) throw new InvalidArgumentError(argument, id, 'a Slurm job id: digits, or digits_digits for one array element');
  }
}

/**
 * Reads what `sbatch --parsable` printed: the job id, or `ID;CLUSTER` on multi-cluster setups
 * (the last non-empty line, trimmed; the id must be digits).
 *
 * @param stdout - sbatch's standard output.
 * @returns the job id and the cluster (`null` when none was printed).
 * @throws {@link SlurmError} when the output is not a job id.
 * @example
 * ```ts
 * parseSbatchParsable('1234\n'); // => { jobId: '1234', cluster: null }
 * parseSbatchParsable('1234;hpc'); // => { jobId: '1234', cluster: 'hpc' }
 * ```
 */
export function parseSbatchParsable(stdout: string): SubmittedJob {
  const lines = stdout
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const last = lines.at(-1) ?? '';
  const separator = last.indexOf(';');
  const jobId = separator < 0 ? last : last.slice(0, separator);
  const cluster = separator < 0 ? null : last.slice(separator + 1).trim() || null;
  if (!/^\d+$/.test(jobId)) {
    throw new SlurmError('sbatch', `sbatch --parsable printed ${JSON.stringify(stdout.trim().slice(0, 200))}, not a job id`);
  }
  return { jobId, cluster };
}

/**
 * Expands a Slurm array index expression, as `scontrol` (`ArrayTaskId=`) and `squeue` (`%i`,
 * inside `[...]`) print it: comma-separated indices and ranges `A-B` with an optional step `:S`,
 * and an optional throttle suffix `%N`, which is ignored.
 *
 * @param text - e.g. `4`, `2-4`, `1,3,5%1`, `1-9:2`, `[5-9]`.
 * @returns the indices in ascending order, or `null` when `text` is not such an expression.
 * @example
 * ```ts
 * expandArrayTaskIds('2-4'); // => [2, 3, 4]
 * expandArrayTaskIds('1,3,5-6%1'); // => [1, 3, 5, 6]
 * expandArrayTaskIds('1-9:4'); // => [1, 5, 9]
 * ```
 */
export function expandArrayTaskIds(text: string): number[] | null {
  const body = text.trim().replace(/^\[(.*)\]$/, '$1').replace(/%\d+$/, '');
  if (body === '') return null;
  const indices = new Set<number>();
  for (const part of body.split(',')) {
    const match = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part);
    if (match === null) return null;
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    const step = match[3] === undefined ? 1 : Number(match[3]);
    if (last < first || step < 1) return null;
    if (indices.size + Math.floor((last - first) / step) + 1 > MAX_ARRAY_ELEMENTS) return null;
    for (let index = first; index <= last; index += step) indices.add(index);
  }
  return [...indices].sort((a, b) => a - b);
}

/**
 * Reads the rows `squeue -h -r -o '%i|%T|%r'` printed: `ID|STATE|REASON`, where `ID` is `123`
 * (a job), `123_4` (an array element) or, without `-r`, `123_[5-9]` (pending elements, expanded
 * here to one entry each); a heterogeneous job's `123+0` counts as job `123`. The reason is the
 * rest of the line and may contain spaces. Blank lines are skipped.
 *
 * @param stdout - squeue's standard output.
 * @returns one entry per job or array element, in squeue's order.
 * @throws {@link SlurmError} for a line that is not such a row.
 * @example
 * ```ts
 * parseSqueueRows('12_3|RUNNING|None\n13|PENDING|Dependency\n');
 * // => [{ jobId: '12', arrayTask: 3, state: 'RUNNING', reason: 'None' },
 * //     { jobId: '13', arrayTask: null, state: 'PENDING', reason: 'Dependency' }]
 * ```
 */
export function parseSqueueRows(stdout: string): QueueEntry[] {
  const entries: QueueEntry[] = [];
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const fields = /^(\d+)(?:\+\d+)?(?:_(\d+|\[[^\]]*\]))?\|([A-Z_]+)\|(.*)$/.exec(line);
    const tasks = fields === null ? null : fields[2] === undefined ? [null] : expandArrayTaskIds(fields[2]);
    if (fields === null || tasks === null) {
      throw new SlurmError('squeue', `squeue printed ${JSON.stringify(line.slice(0, 200))}, not a row "ID|STATE|REASON"`);
    }
    for (const arrayTask of tasks) entries.push({ jobId: fields[1]!, arrayTask, state: fields[3]!, reason: fields[4]!.trim() });
  }
  return entries;
}

/**
 * Splits one line of `scontrol show ... -o` into its `Key=Value` fields. Fields are separated by
 * single spaces, but some values (`JobName`, `Command`, `WorkDir`, `StdOut`, ...) may contain
 * spaces themselves: a field ends only where a space is followed by the next `Key=` (a letter,
 * then letters, digits, `_`, `:` or `/`, then `=`, as in `ReqB:S:C:T=` or `CPUs/Task=`). When a
 * key appears twice (a value that itself contains ` Word=`), the first occurrence is kept.
 *
 * @param line - one line of `scontrol show job -o`.
 * @returns the fields by key, values untrimmed except for the line's trailing whitespace.
 * @example
 * ```ts
 * parseScontrolFields('JobId=7 JobName=my job JobState=COMPLETED').get('JobName'); // => "my job"
 * ```
 */
export function parseScontrolFields(line: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const token of line.trimEnd().split(/ (?=[A-Za-z][A-Za-z0-9_:/]*=)/)) {
    const equals = token.indexOf('=');
    if (equals <= 0) continue;
    const key = token.slice(0, equals).trim();
    if (!fields.has(key)) fields.set(key, token.slice(equals + 1));
  }
  return fields;
}

/**
 * Reads what `scontrol show job -o ID` printed: one line per job or array element (an array's
 * elements that never started are one line with a range `ArrayTaskId=2-4`, expanded here to
 * one record each). Uses `JobId`, `ArrayJobId`, `ArrayTaskId`, `JobState`, `Reason` and
 * `ExitCode`; an array element's `jobId` is its `ArrayJobId`.
 *
 * @param stdout - scontrol's standard output.
 * @returns the records, sorted by job id and then array index.
 * @throws {@link SlurmError} for a non-empty line without `JobId` and `JobState`, or with an
 * `ArrayTaskId` that is not an index expression.
 * @example
 * ```ts
 * parseScontrolJobs('JobId=5 ArrayJobId=4 ArrayTaskId=1 JobName=w JobState=COMPLETED Reason=None ExitCode=0:0');
 * // => [{ jobId: '4', arrayTaskId: 1, state: 'COMPLETED', exitCode: '0:0', reason: 'None' }]
 * ```
 */
export function parseScontrolJobs(stdout: string): JobStateRecord[] {
  const records: JobStateRecord[] = [];
  for (const raw of stdout.split(/\r?\n/)) {
    if (raw.trim() === '') continue;
    const fields = parseScontrolFields(raw.trim());
    const ownId = fields.get('JobId');
    const state = fields.get('JobState');
    if (ownId === undefined || !/^\d+$/.test(ownId) || state === undefined || state === '') {
      throw new SlurmError('scontrol', `scontrol printed ${JSON.stringify(raw.trim().slice(0, 200))}, not a job record with JobId and JobState`);
    }
    const arrayJobId = fields.get('ArrayJobId');
    const taskText = fields.get('ArrayTaskId');
    const tasks = taskText === undefined ? [null] : expandArrayTaskIds(taskText);
    if (tasks === null) {
      throw new SlurmError('scontrol', `scontrol printed ArrayTaskId=${JSON.stringify(taskText)} for job ${ownId}, not an array index expression`);
    }
    const jobId = arrayJobId !== undefined && /^\d+$/.test(arrayJobId) ? arrayJobId : ownId;
    for (const arrayTaskId of tasks) {
      records.push({ jobId, arrayTaskId, state, exitCode: fields.get('ExitCode') ?? '', reason: fields.get('Reason') ?? '' });
    }
  }
  return records.sort((a, b) => Number(a.jobId) - Number(b.jobId) || (a.arrayTaskId ?? -1) - (b.arrayTaskId ?? -1));
}

/**
 * Submits a batch script: runs `sbatch --parsable ...args script` and reads the job id it prints.
 * `script` is a path (relative to the current directory) and the job's working directory is the
 * current one unless `args` holds `--chdir=DIR`; `args` are sbatch options such as
 * `--array=0-9`, `--dependency=afterany:123`, `--output=DIR/%A_%a.log`, one per element.
 *
 * @param script - the batch script's path.
 * @param args - sbatch options, before the script.
 * @param env - the environment sbatch runs with (default `process.env`).
 * @returns the job id (for an array, the array's id) and the cluster, if sbatch named one.
 * @throws {@link SlurmError} when sbatch is not found, exits non-zero (its standard error in
 * the message, e.g. `sbatch failed (exit 1): sbatch: error: invalid partition specified: nope ...`)
 * or prints no job id.
 * @example
 * ```ts
 * const { jobId } = await submitBatch('job.sh', ['--array=0-2', '--output=logs/%A_%a.log'], env);
 * ```
 */
export async function submitBatch(script: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<SubmittedJob> {
  const run = await runTool('sbatch', ['--parsable', ...args, script], env);
  if (run.exitCode !== 0) throw failed('sbatch', run);
  return parseSbatchParsable(run.stdout);
}

/**
 * The queue's rows for the given jobs: runs `squeue -h -r -j ID1,ID2 -o %i|%T|%r` (`-r`: one row
 * per array element, also for pending ones). Only jobs still in the queue (pending, running,
 * completing, ...) have rows; jobs that have ended have none, also after the controller forgot
 * them (`squeue` then fails with "Invalid job id specified", which counts as no rows).
 *
 * @param jobIds - job ids (`123`: the job, or all of an array's elements) or array elements (`123_4`); none: no call, no rows.
 * @param env - the environment squeue runs with (default `process.env`).
 * @returns one entry per job or array element still in the queue.
 * @throws {@link InvalidArgumentError} for an id that is not a job id; {@link SlurmError} when
 * squeue is not found, fails otherwise (e.g. the controller cannot be reached) or prints
 * something else.
 * @example
 * ```ts
 * await queueStates(['123'], env); // => [{ jobId: '123', arrayTask: 0, state: 'RUNNING', reason: 'None' }, ...]
 * ```
 */
export async function queueStates(jobIds: readonly string[], env?: NodeJS.ProcessEnv): Promise<QueueEntry[]> {
  return queueStatesUntil(jobIds, env);
}

/** {@link queueStates}, stopped with execFile's `AbortError` when `signal` is aborted. */
async function queueStatesUntil(jobIds: readonly string[], env: NodeJS.ProcessEnv | undefined, signal?: AbortSignal): Promise<QueueEntry[]> {
  checkJobIds('jobIds', jobIds);
  if (jobIds.length === 0) return [];
  const run = await runTool('squeue', ['-h', '-r', '-j', jobIds.join(','), '-o', SQUEUE_FORMAT], env, signal);
  if (run.exitCode !== 0) {
    if (INVALID_JOB_ID.test(run.stderr)) return [];
    throw failed('squeue', run);
  }
  return parseSqueueRows(run.stdout);
}

/**
 * A job's states, also after it ended: runs `scontrol show job -o ID` (one line per job or array
 * element) and reads `JobState`, `ExitCode`, `Reason` and the array index of each. Slurm keeps
 * ended jobs for MinJobAge (300 s by default); after that, and for ids it never knew, scontrol
 * fails with "Invalid job id specified" and this returns no records.
 *
 * @param jobId - a job id (`123`: the job, or all of an array's elements) or one element (`123_4`).
 * @param env - the environment scontrol runs with (default `process.env`).
 * @returns the records, sorted by array index; empty when Slurm no longer knows the job.
 * @throws {@link InvalidArgumentError} for an id that is not a job id; {@link SlurmError} when
 * scontrol is not found, fails otherwise or prints something else.
 * @example
 * ```ts
 * (await jobStates('123', env)).every((job) => job.state === 'COMPLETED');
 * ```
 */
export async function jobStates(jobId: string, env?: NodeJS.ProcessEnv): Promise<JobStateRecord[]> {
  checkJobIds('jobId', [jobId]);
  const run = await runTool('scontrol', ['show', 'job', '-o', jobId], env);
  if (run.exitCode !== 0) {
    if (INVALID_JOB_ID.test(run.stderr)) return [];
    throw failed('scontrol', run);
  }
  return parseScontrolJobs(run.stdout);
}

/**
 * Cancels jobs: runs `scancel ID...` (a job id cancels all of an array's elements). Jobs that
 * have already ended, or that Slurm no longer knows, are no error (scancel exits 0 for them).
 * Cancelled jobs end as `CANCELLED` (`ExitCode` `0:15` when they were running).
 *
 * @param jobIds - job ids (`123`) or array elements (`123_4`); none: no call.
 * @param env - the environment scancel runs with (default `process.env`).
 * @throws {@link InvalidArgumentError} for an id that is not a job id; {@link SlurmError} when
 * scancel is not found or fails (e.g. the controller cannot be reached, another user's job).
 * @example
 * ```ts
 * await cancelJobs(['123', '124'], env);
 * ```
 */
export async function cancelJobs(jobIds: readonly string[], env?: NodeJS.ProcessEnv): Promise<void> {
  checkJobIds('jobIds', jobIds);
  if (jobIds.length === 0) return;
  const run = await runTool('scancel', [...jobIds], env);
  if (run.exitCode !== 0) throw failed('scancel', run);
}

/** Counts the entries by state. */
function summarise(entries: readonly QueueEntry[]): QueueSummary {
  let pending = 0;
  let running = 0;
  let other = 0;
  for (const entry of entries) {
    if (entry.state === 'PENDING') pending += 1;
    else if (entry.state === 'RUNNING') running += 1;
    else other += 1;
  }
  return { pending, running, other };
}

/** Whether `signal` is aborted (a call, so that TypeScript does not narrow `aborted` across an `await`). */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** Resolves after `ms` milliseconds, or at once when `signal` is (or becomes) aborted. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (isAborted(signal)) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Waits until none of the jobs is in the queue any more (all ended: completed, failed,
 * cancelled, ...), looking with {@link queueStates} every `pollMs`. Reports the counts of pending,
 * running and other rows through `onProgress` at the first look and whenever they change (the
 * last report is all zeros). A look that fails although squeue ran (a busy controller) is
 * retried, up to 3 in a row. Read how the jobs ended with {@link jobStates}.
 *
 * @param jobIds - job ids or array elements, as for {@link queueStates}.
 * @param options - `pollMs` (default 5000), `signal` (stops the waiting, leaving the jobs alone), `onProgress`.
 * @param env - the environment squeue runs with (default `process.env`).
 * @returns `'done'` when the jobs have left the queue, `'aborted'` when `signal` was aborted first.
 * @throws {@link InvalidArgumentError} for an id that is not a job id or a `pollMs` that is not a
 * positive number; {@link SlurmError} when squeue is not found, or fails 3 times in a row.
 * @example
 * ```ts
 * const outcome = await waitForJobs([arrayId, mergeId], { pollMs: 2000, onProgress: (s) => console.log(s) }, env);
 * ```
 */
export async function waitForJobs(jobIds: readonly string[], options: WaitForJobsOptions = {}, env?: NodeJS.ProcessEnv): Promise<'done' | 'aborted'> {
  const { pollMs = 5000, signal, onProgress } = options;
  if (!(pollMs > 0 && Number.isFinite(pollMs))) throw new InvalidArgumentError('pollMs', pollMs, 'a positive number of milliseconds');
  checkJobIds('jobIds', jobIds);
  let last: QueueSummary | null = null;
  let failures = 0;
  for (;;) {
    if (isAborted(signal)) return 'aborted';
    let entries: QueueEntry[];
    try {
      entries = await queueStatesUntil(jobIds, env, signal);
      failures = 0;
    } catch (error) {
      if (isAborted(signal)) return 'aborted';
      failures += 1;
      if (!(error instanceof SlurmError) || error.exitCode === null || failures >= MAX_CONSECUTIVE_POLL_FAILURES) throw error;
      await sleep(pollMs, signal);
      continue;
    }
    const summary = summarise(entries);
    if (last === null || summary.pending !== last.pending || summary.running !== last.running || summary.other !== last.other) {
      last = summary;
      onProgress?.(summary);
    }
    if (entries.length === 0) return 'done';
    await sleep(pollMs, signal);
  }
}
