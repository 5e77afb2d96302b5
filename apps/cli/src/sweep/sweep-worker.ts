/**
 * The worker thread of a sweep (bundled to `dist/sweep-worker.js`, loaded by the pool of
 * `sweep-pool.ts`). Each task is one cell: the command line of a sweepable command with `--json`,
 * run by {@link runCli} exactly as `shallowscape` would run it, with its output captured. The
 * worker parses the JSON output into metrics and history, so the main thread only stores them.
 *
 * Stopping: the pool broadcasts the signal's name (`SIGINT`, `SIGTERM`) on the sweep's
 * `BroadcastChannel`; the run in flight is aborted with it, stops at its next step, and is reported
 * as interrupted; a task that arrives after the stop is not started.
 *
 * @packageDocumentation
 */
import { BroadcastChannel } from 'node:worker_threads';
import { workerData } from 'piscina';
import type { OutputStream } from '../context';
import { InterruptedError, type StopSignal } from '../errors';
import { runCli } from '../main';
import { runMetrics } from './run-metrics';
import { SWEEPABLE_COMMANDS } from './sweepable-commands';
import type { CellOutcome, CellTask, SweepWorkerData } from './sweep-protocol';

const data = workerData as SweepWorkerData;
let stopSignal: StopSignal | null = null;
let current: AbortController | null = null;
const channel = new BroadcastChannel(data.channel);
channel.onmessage = (event: unknown) => {
  const signal = (event as { data?: unknown }).data;
  stopSignal = signal === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
  current?.abort(new InterruptedError(stopSignal));
};
channel.unref();

function collector(): OutputStream & { text(): string } {
  const chunks: string[] = [];
  return { write: (chunk: string) => chunks.push(chunk), text: () => chunks.join('') };
}

/** Runs one cell; never throws (a failure is an outcome). */
export default async function runCell(task: CellTask): Promise<CellOutcome> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  if (stopSignal !== null) return { status: 'interrupted', exitCode: 0, metrics: null, history: null, output: null, error: `not started (${stopSignal})`, startedAt, elapsedMs: 0 };
  const controller = new AbortController();
  current = controller;
  const stdout = collector();
  const stderr = collector();
  const argv = data.backend !== null ? ['--backend', data.backend, ...task.argv] : task.argv;
  let exitCode: number;
  try {
    exitCode = await runCli(argv, { stdout, stderr, env: process.env, signal: controller.signal }, SWEEPABLE_COMMANDS);
  } finally {
    current = null;
  }
  const elapsedMs = performance.now() - t0;
  const message = stderr
    .text()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.replace(/^shallowscape: (error: |internal error: )?/, ''))
    .join(' ');
  if (exitCode === 130 || exitCode === 143) return { status: 'interrupted', exitCode, metrics: null, history: null, output: null, error: message || 'interrupted', startedAt, elapsedMs };
  if (exitCode !== 0) return { status: 'failed', exitCode, metrics: null, history: null, output: null, error: message || `exit code ${exitCode}`, startedAt, elapsedMs };
  const text = stdout.text();
  let output: unknown;
  try {
    output = JSON.parse(text);
  } catch {
    return { status: 'failed', exitCode, metrics: null, history: null, output: null, error: `the run printed no JSON: ${text.slice(0, 200)}`, startedAt, elapsedMs };
  }
  const { metrics, history } = runMetrics(output);
  const rest = { ...(output as Record<string, unknown>) };
  delete rest.history;
  return { status: 'done', exitCode, metrics, history, output: rest, error: null, startedAt, elapsedMs };
}
