/**
 * The record of a training run in its `--out` directory, shared by the quadratic and two-layer
 * runs: the arrays as `.npy` files and `run.json` (the printed output plus versions, evaluations,
 * timing and the list of files), each written atomically, `run.json` last.
 *
 * @packageDocumentation
 */
import type { MinimizeResult } from '@shallowscape/optim';
import { collectVersions, type Versions } from '../versions';
import type { RunDirectory } from './run-directory';

/** What `run.json` adds to the printed `--json` output of a run. */
export interface RunRecordFields {
  versions: Versions;
  /** Objective evaluations made by the optimiser (line-search trials included). */
  evaluations: number;
  /** Timing fields: the only ones that differ between two runs with the same configuration. */
  timing: { startedAt: string; totalMs: number; optimizerMs: number };
  /** The files written beside `run.json` (names relative to the directory). */
  files: Record<string, string>;
}

/** One array of a run directory. */
export interface RunArray {
  /** Its key in `run.json`'s `files` (`weights`, `inputs`, ...). */
  key: string;
  /** Its file name in the directory (`W.npy`). */
  name: string;
  /** Its entries, row-major. */
  data: Float64Array;
  /** Its `.npy` shape. */
  shape: readonly number[];
}

/**
 * Writes a training run into its prepared directory: each array in order as `.npy`, then
 * `run.json` holding `output` with {@link RunRecordFields} (files listed in the order of `arrays`),
 * last, so the directory is complete exactly when `run.json` exists.
 *
 * @param out - the prepared `--out` directory (`prepareRunDirectory`).
 * @param arrays - the arrays to write, in order.
 * @param output - what the run prints with `--json`.
 * @param result - the optimiser's result (its evaluation count and time).
 * @param started - when the command started: the wall-clock date and `performance.now()`.
 * @returns the paths written, `run.json` last.
 * @throws the writers' errors when a file cannot be written.
 */
export async function writeTrainingRun(
  out: RunDirectory,
  arrays: readonly RunArray[],
  output: object,
  result: Pick<MinimizeResult, 'evaluations' | 'elapsedMs'>,
  started: { startedAt: Date; t0: number },
): Promise<string[]> {
  for (const array of arrays) await out.writeNpy(array.key, array.name, array.data, array.shape);
  const fields: RunRecordFields = {
    versions: collectVersions(),
    evaluations: result.evaluations,
    timing: { startedAt: started.startedAt.toISOString(), totalMs: performance.now() - started.t0, optimizerMs: result.elapsedMs },
    files: out.files,
  };
  await out.complete('run.json', { ...output, ...fields });
  return out.written;
}
