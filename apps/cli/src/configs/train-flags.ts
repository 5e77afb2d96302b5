/**
 * The flags of `shallowscape train` and their translation into a training run: flag
 * combinations that mean nothing are refused naming the flag, files are read, sizes fixed by
 * files are agreed with size flags, and defaults are filled in. What comes out is the typed
 * configuration `@shallowscape/experiments` runs (`trainQuadratic`, `trainTwoLayer`), so the
 * `train` command and a sweep cell perform exactly the same run.
 *
 * @packageDocumentation
 */
import { ShapeError } from '@shallowscape/linalg';
import type { Activation, Parameterization } from '@shallowscape/model';
import {
  ACTIVATION_NAMES,
  DEFAULT_QUADRATIC_TRAINING,
  DEFAULT_TWO_LAYER_TRAINING,
  FREEZE_CHOICES,
  INIT_KINDS,
  INPUT_KINDS,
  LABEL_KINDS,
  OPTIMIZERS,
  PARAMETERIZATION_NAMES,
  type FreezeChoice,
  type OptimizerName,
  type QuadraticTrainingConfig,
  type QuadraticTrainingData,
  type TwoLayerTrainingConfig,
  type TwoLayerTrainingData,
} from '@shallowscape/experiments';
import { usageError } from '../errors';
import { jsonFlag } from '../io/json-output';
import { reportFlag } from '../report/report-file';
import { readMatrixFile, readVectorFile } from '../io/matrix-file';
import { agreeOn, fileClaim, flagClaim } from './size-agreement';

/** The models `train` and `eval` know: the quadratic ones and `two-layer`. */
export const NETWORK_MODELS = ['quadratic', 'signed-quadratic', 'two-layer'] as const;
/** A name among {@link NETWORK_MODELS}. */
export type NetworkModelName = (typeof NETWORK_MODELS)[number];

const D = DEFAULT_QUADRATIC_TRAINING.d;
const TWO_LAYER_M = DEFAULT_TWO_LAYER_TRAINING.m;
const TWO_LAYER_N = DEFAULT_TWO_LAYER_TRAINING.n;

/** The flags of `shallowscape train` (they drive parsing and `--help`). */
export const trainFlags = {
  model: {
    type: 'string',
    choices: NETWORK_MODELS,
    default: 'quadratic',
    description: 'the student: all output signs +1, balanced signs ±1, or a two-layer network s Σ a_r σ(w_r·x)',
  },
  activation: { type: 'string', choices: ACTIVATION_NAMES, description: 'two-layer only: the activation σ (default relu)' },
  parameterization: {
    type: 'string',
    choices: PARAMETERIZATION_NAMES,
    description: 'two-layer only: the output scale s = 1/√m, 1/m or 1 (default ntk)',
  },
  'lr-hidden': { type: 'number', exclusiveMin: 0, valueName: '<η_W>', description: 'two-layer only: learning rate of the hidden layer W (default: see below)' },
  'lr-output': { type: 'number', exclusiveMin: 0, valueName: '<η_a>', description: 'two-layer only: learning rate of the output layer a (default: see below)' },
  freeze: { type: 'string', choices: FREEZE_CHOICES, description: 'two-layer only: keep this layer at its initialisation (rate 0)' },
  d: { type: 'integer', min: 1, valueName: '<d>', description: `input dimension (default ${D}, or fixed by a file)` },
  m: { type: 'integer', min: 1, valueName: '<m>', description: `student width (default d; 2d for signed-quadratic; ${TWO_LAYER_M} for two-layer; or fixed by --init FILE)` },
  'teacher-width': { type: 'integer', min: 1, valueName: '<m*>', description: 'teacher width (default d, or fixed by --teacher FILE)' },
  n: { type: 'integer', min: 1, valueName: '<N>', description: `number of samples (default d(d+1) = 2N*; ${TWO_LAYER_N} for two-layer; or fixed by a file)` },
  teacher: {
    type: 'string',
    valueName: '<gaussian|FILE>',
    description: 'teacher W*: i.i.d. N(0,1) or a file (default gaussian with teacher labels, none otherwise)',
  },
  'teacher-rank': { type: 'integer', min: 1, valueName: '<r>', description: 'rank of a gaussian teacher (default full: min(m*, d))' },
  inputs: { type: 'string', valueName: '<gaussian|rademacher|uniform|FILE>', default: 'gaussian', description: 'input coordinates, or an N×d file' },
  labels: { type: 'string', valueName: '<teacher|random|FILE>', default: 'teacher', description: 'labels: f_W*(x) (+ noise), N(0,1), or a file' },
  noise: { type: 'number', min: 0, default: 0, valueName: '<σ>', description: 'std of Gaussian noise added to teacher labels' },
  init: { type: 'string', valueName: '<identity|gaussian|small|FILE>', description: 'quadratic models: starting weights W₀, or an m×d file (default gaussian)' },
  'init-scale': {
    type: 'number',
    min: 0,
    valueName: '<c>',
    description: 'W₀ = c√m[I;0] (identity) or entries N(0, c²) (default c = 1; 1e-3 for small)',
  },
  optimizer: { type: 'string', choices: OPTIMIZERS, default: 'lbfgs', description: 'the optimiser' },
  lr: { type: 'number', exclusiveMin: 0, valueName: '<η>', description: 'learning rate (default: see below)' },
  steps: { type: 'integer', min: 0, default: DEFAULT_QUADRATIC_TRAINING.steps, valueName: '<T>', description: 'maximum number of optimiser steps' },
  objective: { type: 'string', choices: ['empirical', 'population'], default: 'empirical', description: 'the risk minimised' },
  tol: { type: 'number', min: 0, valueName: '<ε>', description: 'stop when ‖∇L‖_F ≤ ε (default 1e-10 × ‖∇L(W₀)‖_F)' },
  'history-every': { type: 'integer', min: 1, default: DEFAULT_QUADRATIC_TRAINING.historyEvery, valueName: '<k>', description: 'record the history every k steps (and the last)' },
  seed: { type: 'integer', min: 0, default: 0, valueName: '<s>', description: 'seed of the teacher, inputs, labels and init streams' },
  out: { type: 'string', valueName: '<dir>', description: 'write run.json and the matrices (.npy) to this directory' },
  certify: { type: 'boolean', description: 'certify the final weights (as `shallowscape certify`): adds "certificate"' },
  report: reportFlag,
  json: jsonFlag,
} as const;

/** The parsed flags of `train`. */
export interface TrainFlags {
  model: NetworkModelName;
  activation: Activation | undefined;
  parameterization: Parameterization | undefined;
  'lr-hidden': number | undefined;
  'lr-output': number | undefined;
  freeze: FreezeChoice | undefined;
  d: number | undefined;
  m: number | undefined;
  'teacher-width': number | undefined;
  n: number | undefined;
  teacher: string | undefined;
  'teacher-rank': number | undefined;
  inputs: string;
  labels: string;
  noise: number;
  init: string | undefined;
  'init-scale': number | undefined;
  optimizer: OptimizerName;
  lr: number | undefined;
  steps: number;
  objective: 'empirical' | 'population';
  tol: number | undefined;
  'history-every': number;
  seed: number;
  out: string | undefined;
  certify: boolean;
  report: boolean;
  json: boolean;
}

/** A training run as the flags describe it: which model, its configuration and its file data. */
export type TrainingRun =
  | { model: 'quadratic' | 'signed-quadratic'; config: QuadraticTrainingConfig; data: QuadraticTrainingData }
  | { model: 'two-layer'; config: TwoLayerTrainingConfig; data: TwoLayerTrainingData };

/** A value that is neither a keyword nor a matrix file name is a typo, not a missing file. */
function checkFileOrKeyword(commandPath: string, flag: string, value: string | null, kinds: readonly string[]): void {
  if (value !== null && !/\.(npy|csv|json)$/i.test(value)) {
    throw usageError({ commandPath }, `invalid value for --${flag}: ${JSON.stringify(value)} (expected ${kinds.join(', ')} or a .npy, .csv or .json file)`, `--${flag}`);
  }
}

/**
 * Translates the flags of `train` into a training run: refuses flag combinations that mean
 * nothing (naming the flag), reads the files, agrees the sizes fixed by files with the size flags
 * (an error names both when they differ) and fills in the defaults.
 *
 * @param commandPath - the command, for the `--help` hint of usage errors.
 * @param flags - the parsed flags.
 * @returns the model, its configuration and the matrices read from files.
 * @throws `UsageError` for a meaningless combination; `ShapeError` for sizes that disagree; the
 *   file readers' errors for unreadable or malformed files.
 */
export function resolveTraining(commandPath: string, flags: TrainFlags): TrainingRun {
  if (flags.model === 'two-layer') return resolveTwoLayerTraining(commandPath, flags);
  for (const flag of ['activation', 'parameterization', 'lr-hidden', 'lr-output', 'freeze'] as const) {
    if (flags[flag] !== undefined) throw usageError({ commandPath }, `--${flag} applies only to --model two-layer (got --model ${flags.model})`, `--${flag}`);
  }
  return resolveQuadraticTraining(commandPath, flags);
}

function resolveQuadraticTraining(commandPath: string, f: TrainFlags): TrainingRun {
  const ctx = { commandPath };
  const model = f.model as 'quadratic' | 'signed-quadratic';
  const init = f.init ?? 'gaussian';
  const inputsKind = (INPUT_KINDS as readonly string[]).includes(f.inputs);
  const labelsKind = (LABEL_KINDS as readonly string[]).includes(f.labels) ? f.labels : null;
  const initKind = (INIT_KINDS as readonly string[]).includes(init);
  const teacherSpec = f.teacher ?? (labelsKind === 'teacher' ? 'gaussian' : null);
  const teacherIsFile = teacherSpec !== null && teacherSpec !== 'gaussian';

  if (teacherSpec === null) {
    if (f['teacher-width'] !== undefined) throw usageError(ctx, `--teacher-width applies only with a teacher (--labels teacher or --teacher)`, '--teacher-width');
    if (f['teacher-rank'] !== undefined) throw usageError(ctx, `--teacher-rank applies only with a teacher (--labels teacher or --teacher)`, '--teacher-rank');
    if (f.objective === 'population') {
      throw usageError(ctx, `--objective population needs a teacher, but --labels ${f.labels} has none (add --teacher gaussian|FILE or use --labels teacher)`, '--objective');
    }
  }
  if (teacherIsFile && f['teacher-rank'] !== undefined) throw usageError(ctx, `--teacher-rank applies only to --teacher gaussian, not to a file`, '--teacher-rank');
  if (f.noise > 0 && labelsKind !== 'teacher') throw usageError(ctx, `--noise applies only to --labels teacher (got --labels ${f.labels})`, '--noise');
  if (!initKind && f['init-scale'] !== undefined) throw usageError(ctx, `--init-scale applies only to --init identity|gaussian|small, not to a file`, '--init-scale');
  if (f.objective === 'population') {
    if (labelsKind !== 'teacher') {
      throw usageError(ctx, `--objective population trains on the teacher's population risk and needs --labels teacher (got --labels ${f.labels})`, '--objective');
    }
    if (!inputsKind) throw usageError(ctx, `--objective population needs an input distribution (gaussian, rademacher or uniform) for its moments, not a file`, '--objective');
  }
  checkFileOrKeyword(commandPath, 'teacher', teacherIsFile ? teacherSpec : null, ['gaussian']);
  checkFileOrKeyword(commandPath, 'inputs', inputsKind ? null : f.inputs, INPUT_KINDS);
  checkFileOrKeyword(commandPath, 'labels', labelsKind === null ? f.labels : null, LABEL_KINDS);
  checkFileOrKeyword(commandPath, 'init', initKind ? null : init, INIT_KINDS);

  // Files, then the sizes they fix.
  const teacherFile = teacherIsFile ? readMatrixFile(teacherSpec, '--teacher') : null;
  const inputsFile = inputsKind ? null : readMatrixFile(f.inputs, '--inputs');
  const labelsFile = labelsKind === null ? readVectorFile(f.labels, '--labels') : null;
  const initFile = initKind ? null : readMatrixFile(init, '--init');
  const dClaims = flagClaim('d', f.d);
  const nClaims = flagClaim('n', f.n);
  const mClaims = flagClaim('m', f.m);
  const widthClaims = flagClaim('teacher-width', f['teacher-width']);
  if (teacherFile !== null) {
    if (teacherFile.rows === 0 || teacherFile.cols === 0) {
      throw new ShapeError(`--teacher ${JSON.stringify(teacherSpec)} is ${teacherFile.rows}×${teacherFile.cols}: the teacher needs at least one row and one column`, '--teacher');
    }
    if (teacherFile.data.every((v) => v === 0)) {
      throw new ShapeError(`--teacher ${JSON.stringify(teacherSpec)} is all zeros: W*ᵀW* = 0 leaves nothing to learn and no relative error`, '--teacher');
    }
    dClaims.push(fileClaim('teacher', teacherSpec!, teacherFile, 'd', teacherFile.cols));
    widthClaims.push(fileClaim('teacher', teacherSpec!, teacherFile, 'teacher width', teacherFile.rows));
  }
  if (inputsFile !== null) {
    dClaims.push(fileClaim('inputs', f.inputs, inputsFile, 'd', inputsFile.cols));
    nClaims.push(fileClaim('inputs', f.inputs, inputsFile, 'N', inputsFile.rows));
  }
  if (labelsFile !== null) nClaims.push({ value: labelsFile.length, text: `--labels ${JSON.stringify(f.labels)} has ${labelsFile.length} entries (N = ${labelsFile.length})` });
  if (initFile !== null) {
    dClaims.push(fileClaim('init', init, initFile, 'd', initFile.cols));
    mClaims.push(fileClaim('init', init, initFile, 'm', initFile.rows));
  }
  const d = agreeOn('d', dClaims) ?? D;
  if (d === 0) throw new ShapeError(`${dClaims[0]!.text}: the input dimension must be at least 1`, 'd');
  const n = agreeOn('N', nClaims) ?? d * (d + 1);
  if (n === 0) throw new ShapeError(`${nClaims[0]!.text}: no samples (N = 0); training needs at least one`, 'N');
  const m = agreeOn('m', mClaims) ?? (model === 'signed-quadratic' ? 2 * d : d);
  if (m === 0) throw new ShapeError(`${mClaims[0]!.text}: the student needs at least one hidden unit (m ≥ 1)`, 'm');
  const teacherWidth = teacherSpec === null ? null : (agreeOn('teacher width', widthClaims) ?? d);
  const teacherRank = f['teacher-rank'] ?? null;
  if (teacherRank !== null && teacherRank > Math.min(teacherWidth!, d)) {
    throw usageError(ctx, `--teacher-rank ${teacherRank} exceeds min(teacher width, d) = min(${teacherWidth}, ${d}) = ${Math.min(teacherWidth!, d)}`, '--teacher-rank');
  }
  if (init === 'identity' && m < d) {
    throw usageError(ctx, `--init identity needs m ≥ d (W₀ = √m [I_d; 0]), but m = ${m} < d = ${d}; raise --m or choose another --init`, '--init');
  }
  const config: QuadraticTrainingConfig = {
    model,
    d,
    m,
    n,
    teacher: teacherSpec,
    teacherWidth,
    teacherRank: teacherRank !== null && teacherRank < Math.min(teacherWidth!, d) ? teacherRank : null,
    inputs: f.inputs,
    labels: f.labels,
    noise: f.noise,
    init,
    initScale: initKind ? (f['init-scale'] ?? (init === 'small' ? 1e-3 : 1)) : null,
    optimizer: f.optimizer,
    learningRate: f.lr ?? null,
    steps: f.steps,
    objective: f.objective,
    tol: f.tol ?? null,
    historyEvery: f['history-every'],
    seed: f.seed,
    certify: f.certify,
  };
  const data: QuadraticTrainingData = {
    ...(teacherFile !== null ? { teacher: teacherFile } : {}),
    ...(inputsFile !== null ? { inputs: inputsFile } : {}),
    ...(labelsFile !== null ? { labels: labelsFile } : {}),
    ...(initFile !== null ? { init: initFile } : {}),
  };
  return { model, config, data };
}

function resolveTwoLayerTraining(commandPath: string, f: TrainFlags): TrainingRun {
  const ctx = { commandPath };
  const only = (flag: string, what: string): Error =>
    usageError(ctx, `${flag} applies only to --model quadratic|signed-quadratic, not to --model two-layer (${what})`, flag);
  if (f.init !== undefined) throw only('--init', `got --init ${f.init}; a two-layer network starts from W₀ ~ N(0, 1/d), a₀ ~ N(0, 1)`);
  if (f['init-scale'] !== undefined) throw only('--init-scale', `got --init-scale ${f['init-scale']}`);
  if (f.teacher !== undefined) throw only('--teacher', `got --teacher ${f.teacher}; --labels teacher samples a two-layer teacher`);
  if (f['teacher-rank'] !== undefined) throw only('--teacher-rank', `got --teacher-rank ${f['teacher-rank']}`);
  if (f.lr !== undefined) throw only('--lr', `got --lr ${f.lr}; use --lr-hidden and --lr-output`);
  if (f.objective !== 'empirical') throw only('--objective', `got --objective ${f.objective}; two-layer runs minimise the empirical risk`);
  if (f.certify) throw only('--certify', 'the certificates are those of quadratic networks');

  const labelsKind = f.labels === 'teacher' || f.labels === 'random' ? f.labels : null;
  const inputsIsFile = f.inputs !== 'gaussian';
  if (inputsIsFile && (f.inputs === 'rademacher' || f.inputs === 'uniform')) {
    throw usageError(ctx, `--inputs ${f.inputs} applies only to quadratic models; --model two-layer takes gaussian inputs or a file`, '--inputs');
  }
  if (labelsKind !== 'teacher') {
    if (f['teacher-width'] !== undefined) throw usageError(ctx, `--teacher-width applies only with --labels teacher (got --labels ${f.labels})`, '--teacher-width');
    if (f.noise > 0) throw usageError(ctx, `--noise applies only to --labels teacher (got --labels ${f.labels})`, '--noise');
  }
  if (f.freeze === 'hidden' && f['lr-hidden'] !== undefined) throw usageError(ctx, `--lr-hidden ${f['lr-hidden']} contradicts --freeze hidden (a frozen layer has rate 0)`, '--lr-hidden');
  if (f.freeze === 'output' && f['lr-output'] !== undefined) throw usageError(ctx, `--lr-output ${f['lr-output']} contradicts --freeze output (a frozen layer has rate 0)`, '--lr-output');
  checkFileOrKeyword(commandPath, 'inputs', inputsIsFile ? f.inputs : null, ['gaussian']);
  checkFileOrKeyword(commandPath, 'labels', labelsKind === null ? f.labels : null, ['teacher', 'random']);

  const inputsFile = inputsIsFile ? readMatrixFile(f.inputs, '--inputs') : null;
  const labelsFile = labelsKind === null ? readVectorFile(f.labels, '--labels') : null;
  const dClaims = flagClaim('d', f.d);
  const nClaims = flagClaim('n', f.n);
  if (inputsFile !== null) {
    dClaims.push(fileClaim('inputs', f.inputs, inputsFile, 'd', inputsFile.cols));
    nClaims.push(fileClaim('inputs', f.inputs, inputsFile, 'N', inputsFile.rows));
  }
  if (labelsFile !== null) nClaims.push({ value: labelsFile.length, text: `--labels ${JSON.stringify(f.labels)} has ${labelsFile.length} entries (N = ${labelsFile.length})` });
  const d = agreeOn('d', dClaims) ?? D;
  if (d === 0) throw new ShapeError(`${dClaims[0]!.text}: the input dimension must be at least 1`, 'd');
  const n = agreeOn('N', nClaims) ?? TWO_LAYER_N;
  if (n === 0) throw new ShapeError(`${nClaims[0]!.text}: no samples (N = 0); training needs at least one`, 'N');
  const config: TwoLayerTrainingConfig = {
    activation: f.activation ?? DEFAULT_TWO_LAYER_TRAINING.activation,
    parameterization: f.parameterization ?? DEFAULT_TWO_LAYER_TRAINING.parameterization,
    d,
    m: f.m ?? TWO_LAYER_M,
    n,
    teacherWidth: labelsKind === 'teacher' ? (f['teacher-width'] ?? d) : null,
    inputs: f.inputs,
    labels: f.labels,
    noise: f.noise,
    freeze: f.freeze ?? null,
    optimizer: f.optimizer,
    learningRateHidden: f['lr-hidden'] ?? null,
    learningRateOutput: f['lr-output'] ?? null,
    steps: f.steps,
    tol: f.tol ?? null,
    historyEvery: f['history-every'],
    seed: f.seed,
  };
  const data: TwoLayerTrainingData = { ...(inputsFile !== null ? { inputs: inputsFile } : {}), ...(labelsFile !== null ? { labels: labelsFile } : {}) };
  return { model: 'two-layer', config, data };
}
