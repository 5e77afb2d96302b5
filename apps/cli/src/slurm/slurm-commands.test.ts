/**
 * The Slurm commands without Slurm: the parsers on output captured from a real Slurm 22.05
 * (`tooling/slurm/start-slurm.sh`), and the commands against stand-in tools (small shell scripts
 * on `PATH` that record their arguments and print canned output). The same commands against a
 * real cluster: `test/slurm-commands.cluster.test.ts`.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cancelJobs,
  expandArrayTaskIds,
  jobStates,
  parseSbatchParsable,
  parseScontrolFields,
  parseScontrolJobs,
  parseSqueueRows,
  queueStates,
  submitBatch,
  waitForJobs,
  type QueueSummary,
} from './slurm-commands';
import { SlurmError } from './slurm-error';

/**
 * `scontrol show job -o 1` on a 5-element array (`--array=0-4`, 2 CPUs): elements 0 and 1
 * running, 2-4 still one pending record (its StdOut names index 4294967294, Slurm's "no index").
 */
const SCONTROL_ARRAY_RUNNING = [
  'JobId=1 ArrayJobId=1 ArrayTaskId=2-4 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901759 Nice=0 Account=(null) QOS=(null) JobState=PENDING Reason=Resources Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:00 TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=2026-12-05T16:27:05 EligibleTime=2026-12-05T16:27:05 AccrueTime=2026-12-05T16:27:05 StartTime=Unknown EndTime=Unknown Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-12-05T16:27:05 Scheduler=Main Partition=debug AllocNode:Sid=localhost:942 ReqNodeList=(null) ExcNodeList=(null) NodeList= NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,mem=24105M,node=1,billing=1 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=(null) WorkDir=/tmp/sjob StdErr=/tmp/sjob/a-1_4294967294.log StdIn=/dev/null StdOut=/tmp/sjob/a-1_4294967294.log Power= ',
  'JobId=5 ArrayJobId=1 ArrayTaskId=1 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901759 Nice=0 Account=(null) QOS=(null) JobState=RUNNING Reason=None Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:00 TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=2026-12-05T16:27:05 EligibleTime=2026-12-05T16:27:05 AccrueTime=2026-12-05T16:27:05 StartTime=2026-12-05T16:27:05 EndTime=Unknown Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-12-05T16:27:05 Scheduler=Main Partition=debug AllocNode:Sid=localhost:942 ReqNodeList=(null) ExcNodeList=(null) NodeList=vm BatchHost=vm NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,node=1,billing=1 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=(null) WorkDir=/tmp/sjob StdErr=/tmp/sjob/a-1_1.log StdIn=/dev/null StdOut=/tmp/sjob/a-1_1.log Power= ',
  'JobId=4 ArrayJobId=1 ArrayTaskId=0 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901759 Nice=0 Account=(null) QOS=(null) JobState=RUNNING Reason=None Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:00 TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=2026-12-05T16:27:05 EligibleTime=2026-12-05T16:27:05 AccrueTime=2026-12-05T16:27:05 StartTime=2026-12-05T16:27:05 EndTime=Unknown Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-12-05T16:27:05 Scheduler=Main Partition=debug AllocNode:Sid=localhost:942 ReqNodeList=(null) ExcNodeList=(null) NodeList=vm BatchHost=vm NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,node=1,billing=1 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=(null) WorkDir=/tmp/sjob StdErr=/tmp/sjob/a-1_0.log StdIn=/dev/null StdOut=/tmp/sjob/a-1_0.log Power= ',
  '',
].join('\n');

/** `scontrol show job -o 8` for `sbatch --wrap 'exit 3'`, after it ended. */
const SCONTROL_FAILED =
  'JobId=8 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901756 Nice=0 Account=(null) QOS=(null) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=3:0 RunTime=00:00:00 TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=2026-12-05T16:27:29 EligibleTime=2026-12-05T16:27:29 AccrueTime=2026-12-05T16:27:29 StartTime=2026-12-05T16:27:29 EndTime=2026-12-05T16:27:29 Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-12-05T16:27:29 Scheduler=Main Partition=debug AllocNode:Sid=localhost:942 ReqNodeList=(null) ExcNodeList=(null) NodeList=vm BatchHost=vm NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,node=1,billing=1 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=(null) WorkDir=/work/main StdErr=/work/main/slurm-8.out StdIn=/dev/null StdOut=/work/main/slurm-8.out Power= \n';

/**
 * `scontrol show job -o 10` after `scancel` of a running job submitted as
 * `sbatch -J "my job=x y" -o "/tmp/sjob/dir with space/o.log" "s p.sh" arg1 "arg 2"`:
 * spaces (and an `=`) inside values.
 */
const SCONTROL_CANCELLED_WITH_SPACES =
  'JobId=10 JobName=my job=x y UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901754 Nice=0 Account=(null) QOS=(null) JobState=CANCELLED Reason=None Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:15 RunTime=00:00:00 TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=2026-12-05T16:27:32 EligibleTime=2026-12-05T16:27:32 AccrueTime=2026-12-05T16:27:32 StartTime=2026-12-05T16:27:33 EndTime=2026-12-05T16:27:33 Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-12-05T16:27:33 Scheduler=Main Partition=debug AllocNode:Sid=localhost:942 ReqNodeList=(null) ExcNodeList=(null) NodeList=vm BatchHost=vm NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,node=1,billing=1 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=/tmp/sjob/dir with space/s p.sh arg1 arg 2 WorkDir=/tmp/sjob/dir with space StdErr=/tmp/sjob/dir with space/o.log StdIn=/dev/null StdOut=/tmp/sjob/dir with space/o.log Power= \n';

/**
 * `scontrol show job -o 11` after `scancel` of `--array=1-9:2%1` while all its elements were
 * pending: one record for all of them, a list with a throttle.
 */
const SCONTROL_CANCELLED_PENDING_ARRAY =
  'JobId=11 ArrayJobId=11 ArrayTaskId=1,3,5,7,9%1 ArrayTaskThrottle=1 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901753 Nice=0 Account=(null) QOS=(null) JobState=CANCELLED Reason=None Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:00 TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=2026-12-05T16:27:55 EligibleTime=Unknown AccrueTime=Unknown StartTime=2026-12-05T16:27:56 EndTime=2026-12-05T16:27:56 Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-12-05T16:27:55 Scheduler=Main Partition=debug AllocNode:Sid=localhost:942 ReqNodeList=(null) ExcNodeList=(null) NodeList= NumNodes=1 NumCPUs=1 NumTasks=N/A CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,mem=24105M,node=1,billing=1 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=(null) WorkDir=/tmp/sjob StdErr=/dev/null StdIn=/dev/null StdOut=/dev/null Power= \n';

/** A dependent job waiting for an array (`--dependency=afterany:1`). */
const SCONTROL_DEPENDENT =
  'JobId=2 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901758 Nice=0 Account=(null) QOS=(null) JobState=PENDING Reason=Dependency Dependency=afterany:1_*(unfulfilled) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:00 TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=2026-12-05T16:27:05 EligibleTime=Unknown AccrueTime=Unknown StartTime=Unknown EndTime=Unknown Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-12-05T16:27:05 Scheduler=Main Partition=debug AllocNode:Sid=localhost:942 ReqNodeList=(null) ExcNodeList=(null) NodeList= NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,mem=24105M,node=1,billing=1 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=(null) WorkDir=/tmp/sjob StdErr=/tmp/sjob/m.log StdIn=/dev/null StdOut=/tmp/sjob/m.log Power= \n';

/** `squeue -h -r -j 1,2,3 -o '%i|%T|%r'` at the same moment as {@link SCONTROL_ARRAY_RUNNING}. */
const SQUEUE_ROWS = ['1_2|PENDING|Resources', '1_3|PENDING|Resources', '1_4|PENDING|Resources', '2|PENDING|Dependency', '3|PENDING|Priority', '1_0|RUNNING|None', '1_1|RUNNING|None', ''].join('\n');

describe('parseSbatchParsable', () => {
  it('reads a job id, with and without a cluster', () => {
    expect(parseSbatchParsable('1234\n')).toEqual({ jobId: '1234', cluster: null });
    expect(parseSbatchParsable('  77;hpc-west \n')).toEqual({ jobId: '77', cluster: 'hpc-west' });
    expect(parseSbatchParsable('77;')).toEqual({ jobId: '77', cluster: null });
  });

  it('takes the last line when something printed before it', () => {
    expect(parseSbatchParsable('note: your account is almost out of hours\n42\n')).toEqual({ jobId: '42', cluster: null });
  });

  it.each(['', '\n', 'Submitted batch job 12', 'abc;hpc', '12a', '-3'])('rejects %j with a SlurmError naming sbatch', (text) => {
    let error: unknown;
    try {
      parseSbatchParsable(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SlurmError);
    expect(error).toMatchObject({ code: 'E_SLURM', tool: 'sbatch', message: expect.stringMatching(/^sbatch --parsable printed .*, not a job id$/) });
  });
});

describe('expandArrayTaskIds', () => {
  it('expands single indices, ranges, steps and lists, ignoring a throttle', () => {
    expect(expandArrayTaskIds('4')).toEqual([4]);
    expect(expandArrayTaskIds('2-4')).toEqual([2, 3, 4]);
    expect(expandArrayTaskIds('1,3,5,7,9%1')).toEqual([1, 3, 5, 7, 9]);
    expect(expandArrayTaskIds('1-9:4')).toEqual([1, 5, 9]);
    expect(expandArrayTaskIds('[5-6,0]')).toEqual([0, 5, 6]);
  });

  it.each(['', '[]', 'a', '4-2', '1-3:0', '1,,2', '4294967294-9999999999'])('rejects %j', (text) => {
    expect(expandArrayTaskIds(text)).toBeNull();
  });
});

describe('parseSqueueRows', () => {
  it('reads array elements, plain jobs and reasons, one entry per element', () => {
    expect(parseSqueueRows(SQUEUE_ROWS)).toEqual([
      { jobId: '1', arrayTask: 2, state: 'PENDING', reason: 'Resources' },
      { jobId: '1', arrayTask: 3, state: 'PENDING', reason: 'Resources' },
      { jobId: '1', arrayTask: 4, state: 'PENDING', reason: 'Resources' },
      { jobId: '2', arrayTask: null, state: 'PENDING', reason: 'Dependency' },
      { jobId: '3', arrayTask: null, state: 'PENDING', reason: 'Priority' },
      { jobId: '1', arrayTask: 0, state: 'RUNNING', reason: 'None' },
      { jobId: '1', arrayTask: 1, state: 'RUNNING', reason: 'None' },
    ]);
  });

  it('keeps reasons with spaces, parentheses and bars, expands a pending range (squeue without -r)', () => {
    expect(
      parseSqueueRows('9_[5-7%2]|PENDING|(Dependency)\n8|PENDING|launch failed requeued held\n7|PENDING|ReqNodeNotAvail, UnavailableNodes:n[1-2]|x\n'),
    ).toEqual([
      { jobId: '9', arrayTask: 5, state: 'PENDING', reason: '(Dependency)' },
      { jobId: '9', arrayTask: 6, state: 'PENDING', reason: '(Dependency)' },
      { jobId: '9', arrayTask: 7, state: 'PENDING', reason: '(Dependency)' },
      { jobId: '8', arrayTask: null, state: 'PENDING', reason: 'launch failed requeued held' },
      { jobId: '7', arrayTask: null, state: 'PENDING', reason: 'ReqNodeNotAvail, UnavailableNodes:n[1-2]|x' },
    ]);
  });

  it('reads nothing from empty output and rejects a line that is not a row', () => {
    expect(parseSqueueRows('')).toEqual([]);
    expect(parseSqueueRows('\n\n')).toEqual([]);
    expect(() => parseSqueueRows('JOBID PARTITION NAME\n')).toThrow(SlurmError);
    expect(() => parseSqueueRows('12|running|None')).toThrow(/squeue printed "12\|running\|None", not a row/);
  });
});

describe('parseScontrolFields', () => {
  it('splits at " Key=" only: values keep their spaces, keys may hold : and /', () => {
    const fields = parseScontrolFields(SCONTROL_CANCELLED_WITH_SPACES.trim());
    expect(fields.get('JobName')).toBe('my');
    expect(fields.get('Command')).toBe('/tmp/sjob/dir with space/s p.sh arg1 arg 2');
    expect(fields.get('WorkDir')).toBe('/tmp/sjob/dir with space');
    expect(fields.get('StdOut')).toBe('/tmp/sjob/dir with space/o.log');
    expect(fields.get('ReqB:S:C:T')).toBe('0:0:*:*');
    expect(fields.get('CPUs/Task')).toBe('1');
    expect(fields.get('TRES')).toBe('cpu=1,node=1,billing=1');
    expect(fields.get('NodeList')).toBe('vm');
    expect(fields.get('Power')).toBe('');
  });

  it('keeps the first occurrence of a key', () => {
    expect(parseScontrolFields('JobId=1 JobName=a JobState=FAKE JobState=RUNNING').get('JobState')).toBe('FAKE');
  });
});

describe('parseScontrolJobs', () => {
  it('reads a running array: the pending range expanded, sorted by index, jobId the array id', () => {
    expect(parseScontrolJobs(SCONTROL_ARRAY_RUNNING)).toEqual([
      { jobId: '1', arrayTaskId: 0, state: 'RUNNING', exitCode: '0:0', reason: 'None' },
      { jobId: '1', arrayTaskId: 1, state: 'RUNNING', exitCode: '0:0', reason: 'None' },
      { jobId: '1', arrayTaskId: 2, state: 'PENDING', exitCode: '0:0', reason: 'Resources' },
      { jobId: '1', arrayTaskId: 3, state: 'PENDING', exitCode: '0:0', reason: 'Resources' },
      { jobId: '1', arrayTaskId: 4, state: 'PENDING', exitCode: '0:0', reason: 'Resources' },
    ]);
  });

  it('reads final states of plain jobs: FAILED with its exit code, CANCELLED with spaces in values', () => {
    expect(parseScontrolJobs(SCONTROL_FAILED)).toEqual([{ jobId: '8', arrayTaskId: null, state: 'FAILED', exitCode: '3:0', reason: 'NonZeroExitCode' }]);
    expect(parseScontrolJobs(SCONTROL_CANCELLED_WITH_SPACES)).toEqual([
      { jobId: '10', arrayTaskId: null, state: 'CANCELLED', exitCode: '0:15', reason: 'None' },
    ]);
    expect(parseScontrolJobs(SCONTROL_DEPENDENT)).toEqual([{ jobId: '2', arrayTaskId: null, state: 'PENDING', exitCode: '0:0', reason: 'Dependency' }]);
  });

  it('expands an array cancelled while pending to one CANCELLED record per element', () => {
    const records = parseScontrolJobs(SCONTROL_CANCELLED_PENDING_ARRAY);
    expect(records.map((record) => record.arrayTaskId)).toEqual([1, 3, 5, 7, 9]);
    expect(new Set(records.map((record) => `${record.jobId} ${record.state}`))).toEqual(new Set(['11 CANCELLED']));
  });

  it('reads nothing from empty output and rejects lines that are not job records', () => {
    expect(parseScontrolJobs('\n')).toEqual([]);
    expect(() => parseScontrolJobs('NodeName=vm Arch=x86_64 CoresPerSocket=2')).toThrow(/not a job record with JobId and JobState/);
    expect(() => parseScontrolJobs('JobId=3 ArrayJobId=3 ArrayTaskId=x-y JobState=PENDING')).toThrow(/not an array index expression/);
  });
});

/** A folder of stand-in Slurm tools for one test. */
let bin: string;
beforeEach(() => {
  bin = mkdtempSync(join(tmpdir(), 'shallowscape-slurm-stub-'));
});
afterEach(() => {
  rmSync(bin, { recursive: true, force: true });
});

/** An environment whose PATH is only the stand-in tools' folder (plus /bin for `sh`, `cat`). */
function stubEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${bin}:/bin:/usr/bin`, SLURM_CONF: '/nonexistent/slurm.conf' };
}

/**
 * Writes a stand-in `tool`: it appends its arguments (one per line, then `--`) to `tool.args`
 * and runs `body` (shell).
 */
function stub(tool: string, body: string): void {
  const path = join(bin, tool);
  writeFileSync(path, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> "${path}.args"; done\necho -- >> "${path}.args"\n${body}\n`);
  chmodSync(path, 0o755);
}

/** The argument lists the stand-in `tool` was called with, one array per call. */
function calls(tool: string): string[][] {
  const text = readFileSync(join(bin, `${tool}.args`), 'utf8');
  return text
    .split('--\n')
    .filter((call) => call !== '')
    .map((call) => call.split('\n').filter((line) => line !== ''));
}

describe('a Slurm tool that is not installed', () => {
  it.each([
    ['sbatch', () => submitBatch('job.sh', [], { ...process.env, PATH: bin })],
    ['squeue', () => queueStates(['1'], { ...process.env, PATH: bin })],
    ['scontrol', () => jobStates('1', { ...process.env, PATH: bin })],
    ['scancel', () => cancelJobs(['1'], { ...process.env, PATH: bin })],
  ] as const)('%s: a SlurmError saying it is not found, with the PATH', async (tool, call) => {
    const error = await call().then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SlurmError);
    expect(error).toMatchObject({ code: 'E_SLURM', tool, exitCode: null, message: `${tool} not found: is this a Slurm login node? (PATH=${bin})` });
  });
});

describe('the commands, against stand-in tools', () => {
  it('submitBatch passes the options before the script, unchanged (no shell), and reads the id', async () => {
    stub('sbatch', 'echo "4711;west"');
    const job = await submitBatch('my job.sh', ['--array=0-2', '--job-name=a b; rm -rf /', '--output=$HOME/%A_%a.log'], stubEnv());
    expect(job).toEqual({ jobId: '4711', cluster: 'west' });
    expect(calls('sbatch')).toEqual([['--parsable', '--array=0-2', '--job-name=a b; rm -rf /', '--output=$HOME/%A_%a.log', 'my job.sh']]);
  });

  it("submitBatch: sbatch's non-zero exit becomes a SlurmError quoting its standard error", async () => {
    stub('sbatch', 'echo "sbatch: error: invalid partition specified: nope" >&2\necho "sbatch: error: Batch job submission failed: Invalid partition name specified" >&2\nexit 1');
    await expect(submitBatch('job.sh', ['--partition=nope'], stubEnv())).rejects.toMatchObject({
      code: 'E_SLURM',
      tool: 'sbatch',
      exitCode: 1,
      message:
        'sbatch failed (exit 1): sbatch: error: invalid partition specified: nope sbatch: error: Batch job submission failed: Invalid partition name specified',
    });
  });

  it('queueStates runs squeue -h -r -j IDS -o %i|%T|%r and parses its rows', async () => {
    stub('squeue', `cat <<'EOF'\n${SQUEUE_ROWS}EOF`);
    const rows = await queueStates(['1', '2', '3_0'], stubEnv());
    expect(rows).toHaveLength(7);
    expect(calls('squeue')).toEqual([['-h', '-r', '-j', '1,2,3_0', '-o', '%i|%T|%r']]);
  });

  it('queueStates: "Invalid job id specified" (the jobs have left) is no rows; other failures throw; no ids, no call', async () => {
    stub('squeue', 'echo "slurm_load_jobs error: Invalid job id specified" >&2\nexit 1');
    expect(await queueStates(['999'], stubEnv())).toEqual([]);
    expect(await queueStates([], stubEnv())).toEqual([]);
    expect(calls('squeue')).toHaveLength(1);
    stub('squeue', 'echo "slurm_load_jobs error: Unable to contact slurm controller (connect failure)" >&2\nexit 1');
    await expect(queueStates(['1'], stubEnv())).rejects.toThrow('squeue failed (exit 1): slurm_load_jobs error: Unable to contact slurm controller (connect failure)');
  });

  it('rejects ids that are not job ids before running anything', async () => {
    await expect(queueStates(['1,2'], stubEnv())).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    await expect(jobStates('-1', stubEnv())).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    await expect(cancelJobs(['--me'], stubEnv())).rejects.toMatchObject({ code: 'E_ARGUMENT' });
  });

  it('jobStates runs scontrol show job -o ID; a job Slurm has forgotten is no records', async () => {
    stub('scontrol', `cat <<'EOF'\n${SCONTROL_FAILED}EOF`);
    expect(await jobStates('8', stubEnv())).toEqual([{ jobId: '8', arrayTaskId: null, state: 'FAILED', exitCode: '3:0', reason: 'NonZeroExitCode' }]);
    expect(calls('scontrol')).toEqual([['show', 'job', '-o', '8']]);
    stub('scontrol', 'echo "slurm_load_jobs error: Invalid job id specified" >&2\nexit 1');
    expect(await jobStates('8', stubEnv())).toEqual([]);
  });

  it('cancelJobs runs scancel ID...; a failure throws', async () => {
    stub('scancel', 'exit 0');
    await cancelJobs(['5', '6_1'], stubEnv());
    await cancelJobs([], stubEnv());
    expect(calls('scancel')).toEqual([['5', '6_1']]);
    stub('scancel', 'echo "scancel: error: Kill job error on job id 5: Access/permission denied" >&2\nexit 1');
    await expect(cancelJobs(['5'], stubEnv())).rejects.toThrow(/^scancel failed \(exit 1\): scancel: error: Kill job error on job id 5/);
  });
});

describe('waitForJobs, against a stand-in squeue', () => {
  /** A squeue that prints the next of `outputs` on each call (the last one from then on). */
  function queueSequence(outputs: readonly string[]): void {
    const files = outputs.map((output, index) => {
      const file = join(bin, `out${index}`);
      writeFileSync(file, output);
      return file;
    });
    const counter = join(bin, 'count');
    writeFileSync(counter, '0');
    stub(
      'squeue',
      [`n=$(cat '${counter}')`, `echo $((n + 1)) > '${counter}'`, `[ "$n" -ge ${files.length - 1} ] && n=${files.length - 1}`, `cat "${bin}/out$n"`].join('\n'),
    );
  }

  it('polls until the jobs have left the queue, reporting each change once', async () => {
    queueSequence(['1_0|PENDING|None\n1_1|PENDING|None\n2|PENDING|Dependency\n', '1_0|RUNNING|None\n1_1|PENDING|None\n2|PENDING|Dependency\n', '1_0|RUNNING|None\n1_1|PENDING|None\n2|PENDING|Dependency\n', '2|COMPLETING|None\n', '']);
    const summaries: QueueSummary[] = [];
    const outcome = await waitForJobs(['1', '2'], { pollMs: 10, onProgress: (summary) => summaries.push(summary) }, stubEnv());
    expect(outcome).toBe('done');
    expect(summaries).toEqual([
      { pending: 3, running: 0, other: 0 },
      { pending: 2, running: 1, other: 0 },
      { pending: 0, running: 0, other: 1 },
      { pending: 0, running: 0, other: 0 },
    ]);
    expect(calls('squeue')).toHaveLength(5);
  });

  it('returns "aborted" when the signal fires, without cancelling anything', async () => {
    queueSequence(['7|RUNNING|None\n']);
    stub('scancel', 'exit 0');
    const controller = new AbortController();
    const outcome = waitForJobs(['7'], { pollMs: 60_000, signal: controller.signal }, stubEnv());
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    expect(await outcome).toBe('aborted');
    expect(() => calls('scancel')).toThrow(/ENOENT/);
  });

  it('retries a failing squeue, but gives up after 3 failures in a row', async () => {
    stub('squeue', 'echo "slurm_load_jobs error: Socket timed out on send/recv operation" >&2\nexit 1');
    await expect(waitForJobs(['7'], { pollMs: 10 }, stubEnv())).rejects.toThrow(/^squeue failed \(exit 1\): slurm_load_jobs error: Socket timed out/);
    expect(calls('squeue')).toHaveLength(3);
    await expect(waitForJobs(['7'], { pollMs: 0 }, stubEnv())).rejects.toMatchObject({ code: 'E_ARGUMENT' });
  });
});
