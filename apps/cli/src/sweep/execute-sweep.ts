/**
 * Runs the cells of a sweep on a pool of worker threads (piscina) and records each run in the
 * store when it ends. At most one cell per worker is handed out at a time, so a stop (Ctrl-C,
 * SIGTERM) leaves nothing queued: no new cell is handed out, the runs in flight are told to stop
 * (a `BroadcastChannel` message; they stop at their next step) and are recorded as interrupted.
 * Cells already done in the store are skipped, so running a sweep again resumes it.
 *
 * @packageDocumentation
 */
import { BroadcastChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { stopReason } from '../interrupt';
import type { ResultsStore } from './results-store';
import type { SweepCell } from './sweep-plan';
import type { CellOutcome, CellTask, SweepWorkerData } from './sweep-protocol';

/** The state of a sweep as it runs, for the progress display. */
export interface SweepProgress {
  /** Cells of the sweep. */
  total: number;
  /** Cells already done in the store before this session. */
  skipped: number;
  /** Runs finished in this session, failed ones included. */
  finished: number;
  /** Runs that failed in this session. */
  failed: number;
  /** Milliseconds since the pool started. */
  elapsedMs: number;
}

/** How a session of a sweep ended. */
export interface SweepSummary extends SweepProgress {
  /** Runs interrupted by a stop (recorded, rerun on resume). */
  interrupted: number;
  /** Cells neither done before nor run in this session (after a stop). */
  notStarted: number;
  /** The stop signal, if the session was stopped. */
  stopped: 'SIGINT' | 'SIGTERM' | null;
}

/** Options of {@link executeSweep}. */
export interface ExecuteOptions {
  /** Worker threads (≥ 1). */
  workers: number;
  /** Aborted on Ctrl-C or SIGTERM. */
  signal: AbortSignal;
  /** The worker module (`dist/sweep-worker.js`). */
  workerFile: string | URL;
  /** The linear-algebra backend for the workers, or null for their default. */
  backend: string | null;
  /** Called once before the first run, with the cells already done. */
  onStart?: (progress: SweepProgress) => void;
  /** Called after each run ends. */
  onProgress?: (progress: SweepProgress) => void;
}

let channelCount = 0;

/**
 * Runs the cells not yet done and records them.
 *
 * @param cells - the sweep's cells.
 * @param store - the open store.
 * @param sweepId - the sweep's row in the store.
 * @param options - workers, stop signal, worker module, progress callback.
 * @returns the counts of the session.
 */
export async function executeSweep(cells: readonly SweepCell[], store: ResultsStore, sweepId: number, options: ExecuteOptions): Promise<SweepSummary> {
  const done = store.doneKeys(sweepId);
  const pending = cells.filter((c) => !done.has(c.key));
  const progress: SweepProgress = { total: cells.length, skipped: cells.length - pending.length, finished: 0, failed: 0, elapsedMs: 0 };
  let interrupted = 0;
  if (pending.length === 0 || options.signal.aborted) {
    return { ...progress, interrupted, notStarted: pending.length, stopped: options.signal.aborted ? signalName(options.signal) : null };
  }
  const channelName = `shallowscape-sweep-${process.pid}-${++channelCount}`;
  const workerData: SweepWorkerData = { channel: channelName, backend: options.backend };
  const workers = Math.max(1, Math.min(options.workers, pending.length));
  const pool = new Piscina<CellTask, CellOutcome>({
    filename: options.workerFile instanceof URL ? options.workerFile.href : options.workerFile,
    minThreads: workers,
    maxThreads: workers,
    concurrentTasksPerWorker: 1,
    idleTimeout: 60_000,
    atomics: 'async',
    workerData,
  });
  const broadcast = new BroadcastChannel(channelName);
  const t0 = performance.now();
  options.onStart?.({ ...progress });
  let stopping = false;
  const onStop = (): void => {
    stopping = true;
    broadcast.postMessage(signalName(options.signal));
  };
  options.signal.addEventListener('abort', onStop, { once: true });

  const record = (cell: SweepCell, outcome: CellOutcome): void => {
    if (outcome.status === 'interrupted' && outcome.exitCode === 0) return; // handed out, never started
    store.recordRun(sweepId, cell, outcome);
    progress.finished++;
    if (outcome.status === 'failed') progress.failed++;
    if (outcome.status === 'interrupted') interrupted++;
    progress.elapsedMs = performance.now() - t0;
    options.onProgress?.({ ...progress });
  };
  let next = 0;
  const inFlight = new Set<Promise<void>>();
  const launch = (): void => {
    while (!stopping && inFlight.size < workers && next < pending.length) {
      const cell = pending[next++]!;
      const startedAt = new Date().toISOString();
      const task: Promise<void> = pool
        .run({ argv: cell.argv })
        .then(
          (outcome) => record(cell, outcome),
          (error: unknown) =>
            record(cell, {
              status: 'failed',
              exitCode: 1,
              metrics: null,
              history: null,
              output: null,
              error: `the worker failed: ${error instanceof Error ? error.message : String(error)}`,
              startedAt,
              elapsedMs: 0,
            }),
        )
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
  };
  try {
    launch();
    while (inFlight.size > 0) {
      await Promise.race(inFlight);
      launch();
    }
  } finally {
    options.signal.removeEventListener('abort', onStop);
    broadcast.close();
    await pool.destroy();
  }
  progress.elapsedMs = performance.now() - t0;
  const notStarted = pending.length - progress.finished;
  return { ...progress, interrupted, notStarted, stopped: stopping ? signalName(options.signal) : null };
}

function signalName(signal: AbortSignal): 'SIGINT' | 'SIGTERM' {
  const reason = stopReason(signal) as { signal?: unknown };
  return reason.signal === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
}
