/**
 * The commands a sweep can run in its cells, and each one's check of a grid point before anything
 * runs. A cell is the command itself, run with `--json` on the cell's flags (by {@link runCli} in
 * a worker thread), so its results are exactly those of the single command.
 *
 * Every point is checked as its command checks before it computes: types, ranges and choices of
 * the flags, flags that cannot be combined, the required inputs, and the memory the run needs
 * where the flags fix the sizes (`train`, a sampled `spectrum`). The input files a point names
 * (`eval`, `certify`, `spectrum --weights`) must exist and be readable; what their contents hold
 * (shapes, values) is checked by the cell, and a file the command rejects is a failed run. Under a
 * float32 device backend (`--backend webgpu|gpujs`) the command must be one it applies to and every
 * point one its kernels compute (fixed-step descent; ReLU for two-layer networks).
 *
 * @packageDocumentation
 */
import { accessSync, constants, statSync } from 'node:fs';
import { quadraticTrainingCost, twoLayerTrainingCost } from '@shallowscape/experiments';
import { getBackend } from '@shallowscape/linalg';
import { checkBackendForCommand } from '../backend-selection';
import type { Command } from '../command';
import { certifyCommand } from '../commands/certify';
import { checkDeviceEvaluation, checkEvalFlags, evalCommand, type EvalFlags } from '../commands/eval';
import { checkSpectrumFlags, sampledSpectrumCost, spectrumCommand, type SpectrumFlags } from '../commands/spectrum';
import { checkDeviceTraining, trainCommand } from '../commands/train';
import { requireSampleInputFlags } from '../configs/sample-inputs';
import { resolveTraining, type TrainFlags } from '../configs/train-flags';
import type { Environment } from '../context';
import { FileError } from '../errors';
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
  const budget = memoryBudget(env);
  const commandPath = `shallowscape ${command.name}`;
  // A float32 device backend: only what it computes (no certificates; the GPU loop's runs).
  const backend = getBackend();
  checkBackendForCommand(command.name, backend);
  const device = backend.precision === 'float32' ? backend.name : null;
  if (command === trainCommand) {
    return (point) => {
      const run = resolveTraining(commandPath, point.parsed as unknown as TrainFlags);
      if (device !== null) checkDeviceTraining(commandPath, device, run);
      const c = run.config;
      const sizes = { d: c.d, m: c.m, n: c.n, teacherWidth: c.teacherWidth ?? 0, steps: c.steps };
      const cost = run.model === 'two-layer' ? twoLayerTrainingCost(sizes) : quadraticTrainingCost(sizes);
      checkMemoryBudget(cost, formatSizeFlags({ d: c.d, m: c.m, n: c.n }), { budget });
    };
  }
  if (command === evalCommand) {
    return (point) => {
      checkEvalFlags(commandPath, point.parsed as unknown as EvalFlags);
      if (device !== null) checkDeviceEvaluation(commandPath, device, point.parsed as unknown as EvalFlags);
      checkInputFiles(point, ['weights', 'data', 'labels', 'teacher', 'output-signs', 'output-weights', 'teacher-output-weights']);
    };
  }
  if (command === certifyCommand) {
    return (point) => {
      requireSampleInputFlags(commandPath, point.parsed as unknown as EvalFlags);
      checkInputFiles(point, ['weights', 'data', 'labels', 'teacher', 'output-signs']);
    };
  }
  if (command === spectrumCommand) {
    return (point) => {
      const flags = point.parsed as unknown as SpectrumFlags;
      checkSpectrumFlags(commandPath, flags);
      checkInputFiles(point, ['weights']);
      const cost = sampledSpectrumCost(flags);
      if (cost !== undefined) checkMemoryBudget(cost.estimate, cost.cause, { budget });
    };
  }
  throw new Error(`unreachable: ${command.name} is not a sweepable command`);
}

/** Throws the error reading it would give if a file flag of the point names no readable file. */
function checkInputFiles(point: SweepPoint, flags: readonly string[]): void {
  for (const flag of flags) {
    const path = point.parsed[flag];
    if (typeof path !== 'string') continue;
    try {
      accessSync(path, constants.R_OK);
      if (statSync(path).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    } catch (cause) {
      throw new FileError(path, 'read', cause, `--${flag}`);
    }
  }
}
