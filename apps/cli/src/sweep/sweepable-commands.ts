/**
 * The commands a sweep can run in its cells, and each one's check of a grid point before anything
 * runs. A cell is the command itself, run with `--json` on the cell's flags (by {@link runCli} in
 * a worker thread), so its results are exactly those of the single command.
 *
 * `train` is checked as deeply as `shallowscape train` checks before it computes: flag
 * combinations, files and their sizes, and the memory the run needs. `eval`, `certify` and
 * `spectrum` are checked at the level of their flags (types, ranges, choices); what they check
 * later (their files) is reported by the cell, as a failed run.
 *
 * @packageDocumentation
 */
import { quadraticTrainingCost, twoLayerTrainingCost } from '@shallowscape/experiments';
import type { Command } from '../command';
import { certifyCommand } from '../commands/certify';
import { evalCommand } from '../commands/eval';
import { spectrumCommand } from '../commands/spectrum';
import { trainCommand } from '../commands/train';
import { resolveTraining, type TrainFlags } from '../configs/train-flags';
import type { Environment } from '../context';
import { checkMemoryBudget, formatSizeFlags, memoryBudget } from '../resources/memory-budget';
import type { SweepPoint } from './sweep-plan';

/** The commands a sweep can run, in the order the help lists them. */
export const SWEEPABLE_COMMANDS: readonly Command[] = [trainCommand, evalCommand, certifyCommand, spectrumCommand];

/**
 * The check of one grid point by its command, before anything runs.
 *
 * @param command - the command the sweep runs.
 * @param env - the environment (for the memory budget, `SHALLOWSCAPE_MEMORY_LIMIT`).
 * @returns a function that throws the command's error for a point it would reject.
 */
export function pointValidator(command: Command, env: Environment): (point: SweepPoint) => void {
  if (command !== trainCommand) return () => undefined;
  const budget = memoryBudget(env);
  return (point) => {
    const run = resolveTraining('shallowscape train', point.parsed as unknown as TrainFlags);
    const c = run.config;
    const sizes = { d: c.d, m: c.m, n: c.n, teacherWidth: c.teacherWidth ?? 0, steps: c.steps };
    const cost = run.model === 'two-layer' ? twoLayerTrainingCost(sizes) : quadraticTrainingCost(sizes);
    checkMemoryBudget(cost, formatSizeFlags({ d: c.d, m: c.m, n: c.n }), { budget });
  };
}
