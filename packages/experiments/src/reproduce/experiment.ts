/**
 * What a reproducible experiment is: a named claim from the mathematics guide, a `run` that measures it on
 * seeded data, and a result that says, with numbers, whether the claim held (PASS) or not
 * (FAIL). `shallowscape reproduce` runs them; a FAIL is a scientific result, not an error.
 *
 * @packageDocumentation
 */
import { throwIfAborted, type Rng } from '@shallowscape/linalg';

/** What {@link Experiment.run} receives. */
export interface ExperimentConfig {
  /** `true` for the small default configuration (all eleven experiments in about 10 seconds on 2 cores). */
  quick: boolean;
  /** The master seed of the whole `reproduce` run (recorded in the result). */
  seed: number;
  /**
   * This experiment's own random stream: the runner splits it off the master generator at the
   * experiment's fixed position in the registry, so the numbers do not depend on `--only`.
   */
  rng: Rng;
  /** Aborted on Ctrl-C; experiments stop at the next safe point via {@link yieldToInterrupt}. */
  signal: AbortSignal;
  /** Optional progress reporting (one short line per call; the runner decides where it goes). */
  progress?: (message: string) => void;
}

/** One cell of a result table. */
export type TableValue = number | string | boolean | null;

/** A column of a result table: its key in each row and its heading in the text output. */
export interface TableColumn {
  /** Key in each row object (camelCase; also the JSON key). */
  key: string;
  /** Heading printed above the column. */
  label: string;
  /** How numbers are printed: fixed with `digits` decimals, exponential, or as integers (default). */
  format?: 'integer' | 'fixed' | 'exponential';
  /** Decimals for `fixed` / significant digits after the point for `exponential` (default 2). */
  digits?: number;
}

/** The measured numbers of an experiment, one row per cell of its sweep. */
export interface ResultTable {
  columns: TableColumn[];
  rows: Array<Record<string, TableValue>>;
}

/** What an experiment measured and concluded. */
export interface ExperimentResult {
  /** The experiment's name (as `--only` takes it). */
  name: string;
  /** The claim being tested, in words. */
  claim: string;
  /** The precise PASS criterion applied to the measured numbers. */
  criterion: string;
  /** Whether the criterion held. */
  passed: boolean;
  /** The measured numbers. */
  results: ResultTable;
  /** Further measured facts and the reasons for a FAIL, one sentence each. */
  details: string[];
  /** The configuration actually run (sizes, seeds per cell, tolerances, optimiser). */
  config: Record<string, unknown>;
}

/** A reproducible experiment. */
export interface Experiment {
  /** kebab-case name, e.g. `"sample-threshold"`. */
  readonly name: string;
  /** The claim, in one sentence. */
  readonly claim: string;
  /**
   * Runs the experiment on the quick or full configuration.
   * @throws `AbortedError` (from `@shallowscape/linalg`) when `config.signal` is aborted (checked between runs).
   */
  run(config: ExperimentConfig): Promise<ExperimentResult>;
}

/**
 * Yields to the event loop (so that a pending signal handler or timer can abort `signal`) and
 * throws `AbortedError` (from `@shallowscape/linalg`) if `signal` has been aborted. Experiments
 * call it between runs; it works the same in Node, in worker threads and in browsers.
 *
 * @param signal - the experiment's signal.
 * @throws `AbortedError` when `signal` is aborted.
 * @example
 * ```ts
 * (await yieldToInterrupt(new AbortController().signal)) === undefined; // => true
 * ```
 */
export async function yieldToInterrupt(signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  throwIfAborted(signal, 'the experiment');
}

/** The median of `values` (NaN for an empty list). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The largest of `values` (NaN for an empty list). */
export function maximum(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.max(...values);
}

/** The smallest of `values` (NaN for an empty list). */
export function minimum(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.min(...values);
}

/** `value` with `digits` significant digits in exponential notation, e.g. `"3.1e-15"`. */
export function sci(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toExponential(digits) : String(value);
}
