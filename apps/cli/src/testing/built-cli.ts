/**
 * Test support: run the built `shallowscape` executable (`apps/cli/dist/index.js`) as a real
 * child process, to test what only a process shows: exit codes, signals, stdout on a full disk,
 * files left behind. `pnpm test` builds it before vitest runs; run `pnpm --filter
 * @shallowscape/cli build` before running such a test alone. `SHALLOWSCAPE_TEST_CLI` points the
 * tests at another build.
 *
 * @packageDocumentation
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built executable: `apps/cli/dist/index.js`, or `SHALLOWSCAPE_TEST_CLI` when set. */
export const BUILT_CLI: string = process.env.SHALLOWSCAPE_TEST_CLI ?? fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/**
 * The path of the built executable, after checking that it exists.
 *
 * @throws `Error` saying how to build it when `apps/cli/dist/index.js` is missing.
 * @example
 * ```ts
 * requireBuiltCli().endsWith('dist/index.js'); // => true
 * ```
 */
export function requireBuiltCli(): string {
  if (!existsSync(BUILT_CLI)) {
    throw new Error(`the built CLI ${BUILT_CLI} is missing: run 'pnpm --filter @shallowscape/cli build' (pnpm test builds it before vitest)`);
  }
  return BUILT_CLI;
}

/** How {@link runBuiltCli} runs the command. */
export interface CliRunOptions {
  /** Working directory (default: this process's). */
  cwd?: string;
  /** Extra environment variables (on top of this process's, without SHALLOWSCAPE_DEBUG). */
  env?: Record<string, string>;
  /** Kill the process (SIGKILL) after this many milliseconds (default 120 000). */
  timeoutMs?: number;
  /** A file descriptor to use as standard output instead of a pipe (e.g. one opened on `/dev/full`). */
  stdoutFd?: number;
  /** Run as this user id (and group id), for tests that need a user other than root. */
  uid?: number;
}

/** What a finished run of the CLI produced. */
export interface CliRun {
  /** The exit code, or `null` when a signal killed it. */
  code: number | null;
  /** The signal that killed it, or `null`. */
  signal: NodeJS.Signals | null;
  /** Everything written to standard output (empty when `stdoutFd` was given). */
  stdout: string;
  /** Everything written to standard error. */
  stderr: string;
  /** Whether it was killed for running past `timeoutMs`. */
  timedOut: boolean;
  /** Wall-clock milliseconds. */
  ms: number;
}

/** A running CLI process with its output so far. */
export interface RunningCli {
  /** The process. */
  child: ChildProcess;
  /** Standard output so far. */
  stdout(): string;
  /** Standard error so far. */
  stderr(): string;
  /** Resolves when standard output matches `pattern` (rejects if the process ends first or after `timeoutMs`). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves when the process has ended. */
  finished: Promise<CliRun>;
}

/**
 * Starts the built CLI with `argv` and returns at once.
 *
 * @param argv - the arguments after the program name.
 * @param options - working directory, environment, timeout, standard output, user.
 * @returns the running process.
 * @throws as {@link requireBuiltCli}.
 * @example
 * ```ts
 * const run = startBuiltCli(['reproduce', '--out', dir]);
 * await run.waitForOutput(/PASS|FAIL/);
 * run.child.kill('SIGTERM');
 * (await run.finished).code; // => 143
 * ```
 */
export function startBuiltCli(argv: readonly string[], options: CliRunOptions = {}): RunningCli {
  const cli = requireBuiltCli();
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  delete env.SHALLOWSCAPE_DEBUG;
  const stdio: StdioOptions = ['ignore', options.stdoutFd ?? 'pipe', 'pipe'];
  const started = performance.now();
  const child = spawn(process.execPath, [cli, ...argv], {
    cwd: options.cwd,
    env,
    stdio,
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 120_000);
  const finished = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      for (const listener of listeners) listener();
      resolve({ code, signal, stdout, stderr, timedOut, ms: performance.now() - started });
    });
  });
  let ended = false;
  void finished.then(
    () => (ended = true),
    () => (ended = true),
  );
  const waitForOutput = (pattern: RegExp, timeoutMs = 120_000): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no output matching ${pattern} within ${timeoutMs} ms; stdout: ${stdout.slice(-500)}; stderr: ${stderr.slice(-500)}`));
      }, timeoutMs);
      function check(): void {
        if (pattern.test(stdout)) {
          clearTimeout(deadline);
          listeners.delete(check);
          resolve();
        } else if (ended || child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(deadline);
          listeners.delete(check);
          reject(new Error(`the process ended before printing ${pattern}; stdout: ${stdout.slice(-500)}; stderr: ${stderr.slice(-500)}`));
        }
      }
      listeners.add(check);
      check();
    });
  return { child, stdout: () => stdout, stderr: () => stderr, waitForOutput, finished };
}

/**
 * Runs the built CLI with `argv` to the end.
 *
 * @param argv - the arguments after the program name.
 * @param options - working directory, environment, timeout, standard output, user.
 * @returns its exit code, signal, output and time.
 * @throws as {@link requireBuiltCli}.
 * @example
 * ```ts
 * (await runBuiltCli(['--version'])).code; // => 0
 * ```
 */
export function runBuiltCli(argv: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  return startBuiltCli(argv, options).finished;
}

/** The record names a complete run directory holds one of. */
const RECORDS = ['run.json', 'spectrum.json', 'results.json'];

/** What an `--out` directory holds after a run. */
export type OutDirectoryState =
  | { state: 'absent' }
  | { state: 'empty' }
  | { state: 'complete'; record: string; files: string[] }
  | { state: 'incomplete'; entries: string[]; why: string };

/**
 * Classifies an `--out` directory: absent, empty, complete (a record, every file it lists
 * present, nothing else but them, no temporary files) or incomplete (with the reason).
 *
 * @param dir - the directory.
 * @example
 * ```ts
 * inspectOutDirectory('/nonexistent'); // => { state: "absent" }
 * ```
 */
export function inspectOutDirectory(dir: string): OutDirectoryState {
  if (!existsSync(dir)) return { state: 'absent' };
  if (!statSync(dir).isDirectory()) return { state: 'incomplete', entries: [], why: `${dir} is not a directory` };
  const entries = readdirSync(dir).sort();
  if (entries.length === 0) return { state: 'empty' };
  const records = entries.filter((name) => RECORDS.includes(name));
  if (records.length !== 1) return { state: 'incomplete', entries, why: records.length === 0 ? 'no record (run.json, spectrum.json, results.json)' : `several records: ${records.join(', ')}` };
  const record = records[0]!;
  let parsed: { files?: Record<string, string> };
  try {
    parsed = JSON.parse(readFileSync(join(dir, record), 'utf8')) as { files?: Record<string, string> };
  } catch (error) {
    return { state: 'incomplete', entries, why: `${record} is not JSON: ${(error as Error).message}` };
  }
  const files = Object.values(parsed.files ?? {});
  const missing = files.filter((name) => !entries.includes(name));
  if (missing.length > 0) return { state: 'incomplete', entries, why: `${record} lists missing files: ${missing.join(', ')}` };
  const extra = entries.filter((name) => name !== record && !files.includes(name));
  if (extra.length > 0) return { state: 'incomplete', entries, why: `files the record does not list: ${extra.join(', ')}` };
  return { state: 'complete', record, files };
}
