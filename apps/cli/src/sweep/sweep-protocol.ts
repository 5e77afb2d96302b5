/**
 * The messages between a sweep's main thread and its worker threads (`sweep-worker.ts`).
 *
 * @packageDocumentation
 */
import type { MetricValue } from './run-metrics';

/** What every worker is started with. */
export interface SweepWorkerData {
  /** The name of the `BroadcastChannel` on which the main thread announces a stop. */
  channel: string;
  /** The linear-algebra backend the main thread runs with (`reference`, `wasm-simd`), or null for the default. */
  backend: string | null;
}

/** One cell to run. */
export interface CellTask {
  /** The command line without the program name, e.g. `['train', '--d=6', '--seed=17', '--json']`. */
  argv: string[];
}

/** How a run ended. */
export type RunStatus = 'done' | 'failed' | 'interrupted';

/** What a worker returns for a cell. */
export interface CellOutcome {
  status: RunStatus;
  /** The command's exit code (0 for a run not started). */
  exitCode: number;
  /** The metrics ({@link runMetrics}), for a finished run. */
  metrics: Record<string, MetricValue> | null;
  /** The output's `history`, for a finished run that has one. */
  history: unknown;
  /** The rest of the JSON output (without `history`). */
  output: unknown;
  /** The command's error message (one line) for a failed or interrupted run. */
  error: string | null;
  /** ISO 8601 time the run started. */
  startedAt: string;
  /** Wall-clock milliseconds of the run. */
  elapsedMs: number;
}
