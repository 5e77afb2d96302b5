/**
 * Test support: a real single-node Slurm cluster (munge, slurmctld, slurmd) for the tests that
 * submit jobs, started with the project's own `tooling/slurm/start-slurm.sh` and stopped with
 * `tooling/slurm/stop-slurm.sh`. Needs root and the Debian packages `slurm-wlm` and `munge`
 * (`.ci/run` installs them); without them {@link startTestCluster} throws, so the tests fail
 * rather than skip.
 *
 * The cluster listens on the fixed ports 6817 and 6818, so only one can run on a machine at a
 * time: keep every test that needs it in `slurm-commands.cluster.test.ts` (vitest runs test files
 * in parallel processes). Within one process the cluster is shared and reference counted.
 *
 * @packageDocumentation
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A running test cluster, as one user of it sees it. */
export interface TestCluster {
  /** `process.env` plus `SLURM_CONF` naming the cluster's `slurm.conf`: pass it to the Slurm commands. */
  readonly env: NodeJS.ProcessEnv;
  /** The folder that holds the cluster's configuration, state, pidfiles and logs (`log/*.log`). */
  readonly base: string;
  /** Gives this handle back; the last one given back stops the cluster and deletes `base`. Idempotent. */
  stop(): Promise<void>;
}

/** A generous bound for a `beforeAll` that calls {@link startTestCluster} (it takes a few seconds). */
export const TEST_CLUSTER_HOOK_TIMEOUT_MS = 120_000;

/** The scripts, from this file's place in the repository. */
const START_SCRIPT = fileURLToPath(new URL('../../../tooling/slurm/start-slurm.sh', import.meta.url));
const STOP_SCRIPT = fileURLToPath(new URL('../../../tooling/slurm/stop-slurm.sh', import.meta.url));

/** The most time a script may take (start waits up to 30 s for the node, stop up to about 15 s). */
const SCRIPT_TIMEOUT_MS = 90_000;

/** The process-wide cluster: started once, shared by every caller until the last one stops. */
interface SharedCluster {
  /** Resolves to the base folder and environment once the node is idle. */
  readonly ready: Promise<{ base: string; env: NodeJS.ProcessEnv }>;
  /** Handles given out and not yet stopped. */
  users: number;
}

let shared: SharedCluster | null = null;

/** The base folders of the clusters this process started and has not stopped yet. */
const liveBases = new Set<string>();
let exitHookInstalled = false;

/** Runs a script with bash (its executable bit does not matter) and collects what it printed. */
function runScript(script: string, base: string): Promise<{ code: number | null; stdout: string; stderr: string; error: Error | null }> {
  return new Promise((resolve) => {
    execFile('bash', [script, base], { encoding: 'utf8', timeout: SCRIPT_TIMEOUT_MS }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr, error });
    });
  });
}

/** Stops the cluster under `base` at once (for process exit: no promises run then). */
function stopNow(base: string): void {
  spawnSync('bash', [STOP_SCRIPT, base], { stdio: 'ignore', timeout: SCRIPT_TIMEOUT_MS });
}

/** Starts a cluster under a fresh temporary folder; throws with the script's output when it cannot. */
async function startCluster(): Promise<{ base: string; env: NodeJS.ProcessEnv }> {
  const base = await mkdtemp(join(tmpdir(), 'shallowscape-slurm-'));
  const run = await runScript(START_SCRIPT, base);
  const last = run.stdout.trimEnd().split('\n').at(-1) ?? '';
  const conf = /^SLURM_CONF=(\/.+)$/.exec(last)?.[1];
  if (run.code !== 0 || conf === undefined) {
    stopNow(base);
    await rm(base, { recursive: true, force: true });
    const how = run.code === null ? `did not finish: ${run.error?.message ?? 'unknown error'}` : `exit ${run.code}`;
    throw new Error(
      `cannot start the test Slurm cluster (${START_SCRIPT} ${base}: ${how}; it needs root, ` +
        `'apt-get install -y --no-install-recommends slurm-wlm munge' and the ports 6817/6818 free):\n${run.stdout}${run.stderr}`,
    );
  }
  // Whatever happens to the tests, the daemons must not outlive this process.
  liveBases.add(base);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const live of liveBases) stopNow(live);
    });
  }
  return { base, env: { ...process.env, SLURM_CONF: conf } };
}

/** Gives one handle back; the last stops the cluster and deletes its folder. */
async function release(cluster: SharedCluster, base: string): Promise<void> {
  cluster.users -= 1;
  if (cluster.users > 0 || shared !== cluster) return;
  shared = null;
  const run = await runScript(STOP_SCRIPT, base);
  liveBases.delete(base);
  if (run.code !== 0) throw new Error(`cannot stop the test Slurm cluster (${STOP_SCRIPT} ${base}: exit ${run.code}):\n${run.stdout}${run.stderr}`);
  await rm(base, { recursive: true, force: true });
}

/**
 * Starts the single-node test cluster (`tooling/slurm/start-slurm.sh` with a fresh folder under
 * the system's temporary directory) and waits until its node is idle; when this process already
 * runs one, returns a new handle to it instead (reference counted: the cluster stops when every
 * handle has been stopped). Jobs run as root, with the submitting process's environment
 * (sbatch's default `--export=ALL`).
 *
 * @returns the cluster: `env` for the Slurm commands, `base`, and `stop()` (idempotent).
 * @throws an `Error` with the script's output when the cluster cannot start (not root, Slurm or
 * munge not installed, the ports 6817/6818 taken by another cluster or program).
 * @example
 * ```ts
 * let cluster: TestCluster;
 * beforeAll(async () => { cluster = await startTestCluster(); }, TEST_CLUSTER_HOOK_TIMEOUT_MS);
 * afterAll(() => cluster?.stop(), TEST_CLUSTER_HOOK_TIMEOUT_MS);
 * ```
 */
export async function startTestCluster(): Promise<TestCluster> {
  if (shared === null) {
    const starting: SharedCluster = { ready: startCluster(), users: 0 };
    shared = starting;
    starting.ready.catch(() => {
      if (shared === starting) shared = null;
    });
  }
  const cluster = shared;
  cluster.users += 1;
  let ready: { base: string; env: NodeJS.ProcessEnv };
  try {
    ready = await cluster.ready;
  } catch (error) {
    cluster.users -= 1;
    throw error;
  }
  let stopped: Promise<void> | null = null;
  return {
    env: ready.env,
    base: ready.base,
    stop: () => {
      stopped ??= release(cluster, ready.base);
      return stopped;
    },
  };
}
