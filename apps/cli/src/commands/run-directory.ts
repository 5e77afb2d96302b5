/**
 * The `train --out DIR` run directory, shared by the quadratic and two-layer runs: the arrays
 * as `.npy` files and `run.json` (the printed output plus versions, evaluations, timing and the
 * list of files), each written atomically, `run.json` last.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { MinimizeResult } from '@shallowscape/optim';
import type { CommandContext } from '../context';
import { usageError } from '../errors';
import { formatJson } from '../io/json-output';
import { writeNpy } from '../io/npy';
import { writeFileAtomic } from '../io/write-file-atomic';
import { collectVersions, type Versions } from '../versions';

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
 * Checks, before any work, that `--out DIR` is a directory or does not exist yet.
 *
 * @param ctx - the command context (for the `--help` hint).
 * @param dir - the `--out` path.
 * @throws {@link UsageError} naming `--out` when `dir` exists and is not a directory.
 */
export async function checkOutDirectory(ctx: CommandContext, dir: string): Promise<void> {
  const existing = await stat(dir).catch(() => undefined);
  if (existing !== undefined && !existing.isDirectory()) {
    throw usageError(ctx, `--out ${JSON.stringify(dir)} exists and is not a directory`, '--out');
  }
}

/**
 * Writes a run directory: creates `dir`, writes each array in order as `.npy`, then `run.json`
 * holding `output` with {@link RunRecordFields} (files listed in the order of `arrays`).
 *
 * @param ctx - the command context (for the `--help` hint).
 * @param dir - the `--out` directory (created with its parents when missing).
 * @param arrays - the arrays to write, in order.
 * @param output - what the run prints with `--json`.
 * @param result - the optimiser's result (its evaluation count and time).
 * @param started - when the command started: the wall-clock date and `performance.now()`.
 * @returns the paths written, `run.json` last.
 * @throws {@link UsageError} naming `--out` when the directory cannot be created; the writers'
 *   errors when a file cannot be written.
 */
export async function writeRunDirectory(
  ctx: CommandContext,
  dir: string,
  arrays: readonly RunArray[],
  output: object,
  result: Pick<MinimizeResult, 'evaluations' | 'elapsedMs'>,
  started: { startedAt: Date; t0: number },
): Promise<string[]> {
  await mkdir(dir, { recursive: true }).catch((error: unknown) => {
    throw usageError(ctx, `--out ${JSON.stringify(dir)}: cannot create the directory (${(error as Error).message})`, '--out');
  });
  const files: Record<string, string> = {};
  for (const array of arrays) {
    await writeNpy(join(dir, array.name), array.data, array.shape);
    files[array.key] = array.name;
  }
  const fields: RunRecordFields = {
    versions: collectVersions(),
    evaluations: result.evaluations,
    timing: { startedAt: started.startedAt.toISOString(), totalMs: performance.now() - started.t0, optimizerMs: result.elapsedMs },
    files,
  };
  await writeFileAtomic(join(dir, 'run.json'), formatJson({ ...output, ...fields }));
  return [...Object.values(files).map((name) => join(dir, name)), join(dir, 'run.json')];
}
