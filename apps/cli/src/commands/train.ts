/**
 * `shallowscape train`: a teacher–student experiment with a quadratic or signed quadratic
 * network (or, with `--model two-layer`, a two-layer network: see `two-layer-setup.ts`), end to
 * end: sample (or read) the teacher, inputs and labels, initialise, minimise the empirical or
 * population risk with one of five optimisers, and report (and optionally save) the
 * final risks, the relative error against the teacher and the history.
 *
 * Every input is validated before anything is computed or written; `--out` is written only at the
 * end (each file atomically, `run.json` last), also after Ctrl-C, which stops the optimiser at the
 * next iterate (the CLI then exits with 130).
 *
 * @packageDocumentation
 */
import { Matrix, ShallowscapeError, ShapeError, createRng, nrm2, type Rng } from '@shallowscape/linalg';
import {
  QuadraticEmpiricalRisk,
  QuadraticPopulationRisk,
  balancedSigns,
  gaussianInit,
  generalizationError,
  identityInit,
  inputMoments,
  randomLabels,
  sampleInputs,
  sampleTeacher,
  smallInit,
  teacherLabels,
  type Activation,
  type InputDistribution,
  type Parameterization,
} from '@shallowscape/model';
import { DivergenceError, minimizeAsync, type MinimizeOptions, type MinimizeResult, type StepInfo } from '@shallowscape/optim';
import { defineCommand } from '../command';
import type { CommandContext } from '../context';
import { usageError } from '../errors';
import { formatJson, jsonFlag } from '../io/json-output';
import { readMatrixFile, readVectorFile } from '../io/matrix-file';
import { certificateOf, formatCertificate, type CertificateOutput } from './certify';
import { formatNumber, type ModelName } from './eval';
import {
  ACTIVATION_NAMES,
  DEFAULT_TWO_LAYER_SAMPLES,
  DEFAULT_TWO_LAYER_WIDTH,
  FREEZE_CHOICES,
  NETWORK_MODELS,
  PARAMETERIZATION_NAMES,
  type FreezeChoice,
  type NetworkModelName,
} from './two-layer-options';
import { powerIterationNorm } from './power-iteration-norm';
import { checkOutDirectory, writeRunDirectory, type RunRecordFields } from './run-directory';
import { rejectQuadraticOnlyFlags, runTwoLayerTrain } from './two-layer-setup';

/** The optimisers `--optimizer` accepts (those of `minimize` in `@shallowscape/optim`). */
export const OPTIMIZERS = ['gd', 'momentum', 'nesterov', 'adam', 'lbfgs'] as const;
/** An optimiser name. */
export type OptimizerName = (typeof OPTIMIZERS)[number];

const INPUT_KINDS = ['gaussian', 'rademacher', 'uniform'] as const;
const LABEL_KINDS = ['teacher', 'random'] as const;
const INIT_KINDS = ['identity', 'gaussian', 'small'] as const;

/** Default input dimension when no file fixes it. */
export const DEFAULT_D = 10;
/** Default `--tol`, relative to the gradient norm at the starting point. */
export const DEFAULT_RELATIVE_TOL = 1e-10;

/** The resolved configuration of a run (`config` in the JSON output and in `run.json`). */
export interface TrainConfig {
  model: ModelName;
  /** Input dimension $d$. */
  d: number;
  /** Student width $m$. */
  m: number;
  /** Number of samples $N$. */
  n: number;
  /** `"gaussian"`, the teacher file, or `null` (no teacher: random or file labels without `--teacher`). */
  teacher: string | null;
  /** Teacher width $m^*$, or `null` without a teacher. */
  teacherWidth: number | null;
  /** Rank of a sampled teacher; `null` means full rank (or a file teacher, or none). */
  teacherRank: number | null;
  /** `"gaussian"`, `"rademacher"`, `"uniform"` or the inputs file. */
  inputs: string;
  /** `"teacher"`, `"random"` or the labels file. */
  labels: string;
  /** Standard deviation of the Gaussian label noise (teacher labels only). */
  noise: number;
  /** `"identity"`, `"gaussian"`, `"small"` or the initial-weights file. */
  init: string;
  /** Scale $c$ of the initialisation, `null` for a file. */
  initScale: number | null;
  optimizer: OptimizerName;
  /** The learning rate $\eta$ passed to the optimiser (for `gd` with Armijo: the largest trial step). */
  learningRate: number;
  /** How the learning rate was chosen. */
  learningRateSource: 'flag' | 'default' | 'curvature-estimate';
  /** `"armijo"` (gd without `--lr`), `"strong-wolfe"` (lbfgs) or `"none"`. */
  lineSearch: 'armijo' | 'strong-wolfe' | 'none';
  /** Maximum number of optimiser steps. */
  steps: number;
  objective: 'empirical' | 'population';
  /** The gradient-norm tolerance in force (absolute). */
  tol: number;
  /** Whether `tol` came from `--tol` or is the default relative one. */
  tolSource: 'flag' | 'relative-default';
  historyEvery: number;
  seed: number;
}

/** Final metrics (`final` in the JSON output). */
export interface TrainFinal {
  /** $\hat L(W) = \frac1N \sum_i (f_W(x_i) - y_i)^2$ on the training data. */
  empiricalRisk: number;
  /** $L(W)$ against the teacher for the input distribution (Gaussian for file inputs), label noise included; `null` without a teacher. */
  populationRisk: number | null;
  /** $\|Q - W^{*\top}W^*\|_F / \|W^{*\top}W^*\|_F$; `null` without a teacher. */
  relativeError: number | null;
  /** Frobenius norm of the gradient of the risk being minimised (`config.objective`). */
  gradientNorm: number;
  /** Optimiser steps taken. */
  step: number;
}

/** The sampled optimisation history, as parallel arrays. */
export interface TrainHistory {
  step: number[];
  /** The risk being minimised (`config.objective`) at those steps. */
  risk: number[];
  gradientNorm: number[];
  /** Milliseconds since the optimiser started (a timing field). */
  elapsedMs: number[];
}

/** What `train --json` prints. */
export interface TrainOutput {
  config: TrainConfig;
  final: TrainFinal;
  converged: boolean;
  /** Why the optimiser stopped (see `StopReason` in `@shallowscape/optim`). */
  stopReason: MinimizeResult['reason'];
  history: TrainHistory;
  /** With `--certify`: the certificate of the final weights on the training data (as `shallowscape certify --json`). */
  certificate?: CertificateOutput;
}

/** The contents of `run.json` in `--out DIR`. */
export type RunRecord = TrainOutput & RunRecordFields;

const flags = {
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
  d: { type: 'integer', min: 1, valueName: '<d>', description: `input dimension (default ${DEFAULT_D}, or fixed by a file)` },
  m: { type: 'integer', min: 1, valueName: '<m>', description: `student width (default d; 2d for signed-quadratic; ${DEFAULT_TWO_LAYER_WIDTH} for two-layer; or fixed by --init FILE)` },
  'teacher-width': { type: 'integer', min: 1, valueName: '<m*>', description: 'teacher width (default d, or fixed by --teacher FILE)' },
  n: { type: 'integer', min: 1, valueName: '<N>', description: `number of samples (default d(d+1) = 2N*; ${DEFAULT_TWO_LAYER_SAMPLES} for two-layer; or fixed by a file)` },
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
  steps: { type: 'integer', min: 0, default: 10000, valueName: '<T>', description: 'maximum number of optimiser steps' },
  objective: { type: 'string', choices: ['empirical', 'population'], default: 'empirical', description: 'the risk minimised' },
  tol: { type: 'number', min: 0, valueName: '<ε>', description: `stop when ‖∇L‖_F ≤ ε (default ${DEFAULT_RELATIVE_TOL} × ‖∇L(W₀)‖_F)` },
  'history-every': { type: 'integer', min: 1, default: 10, valueName: '<k>', description: 'record the history every k steps (and the last)' },
  seed: { type: 'integer', min: 0, default: 0, valueName: '<s>', description: 'seed of the teacher, inputs, labels and init streams' },
  out: { type: 'string', valueName: '<dir>', description: 'write run.json and the matrices (.npy) to this directory' },
  certify: { type: 'boolean', description: 'certify the final weights (as `shallowscape certify`): adds "certificate"' },
  json: jsonFlag,
} as const;

type TrainFlags = {
  model: ModelName;
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
  init: string;
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
  json: boolean;
};

/** One claim about a size: from a flag (`--d is 5`) or a file (`--inputs "X.npy" is 100×7 (d = 7)`). */
interface SizeClaim {
  value: number;
  text: string;
}

/** Resolves a size from the flag and files that fix it; any two that disagree are an error naming both. */
export function agreeOn(symbol: string, claims: readonly SizeClaim[]): number | undefined {
  const first = claims[0];
  for (const claim of claims.slice(1)) {
    if (claim.value !== first!.value) {
      throw new ShapeError(`${first!.text} but ${claim.text}; they must agree (${symbol})`, symbol);
    }
  }
  return first?.value;
}

export function flagClaim(flag: string, value: number | undefined): SizeClaim[] {
  return value === undefined ? [] : [{ value, text: `--${flag} is ${value}` }];
}

export function fileClaim(flag: string, path: string, m: Matrix, symbol: string, value: number): SizeClaim {
  return { value, text: `--${flag} ${JSON.stringify(path)} is ${m.rows}×${m.cols} (${symbol} = ${value})` };
}

/** Everything a run needs, validated. */
interface Problem {
  config: Omit<TrainConfig, 'learningRate' | 'learningRateSource' | 'lineSearch' | 'tol' | 'tolSource'>;
  x: Matrix;
  y: Float64Array;
  teacher: Matrix | null;
  w0: Matrix;
  signs: Float64Array | null;
  moments: { mu2: number; mu4: number };
}

/**
 * Validates the flags, reads the files, checks that all sizes agree and generates the data, in
 * this order of random streams split from `createRng(seed)`: teacher, inputs, labels (and noise),
 * initialisation. Changing N therefore changes neither the teacher nor the start.
 */
function prepareProblem(ctx: CommandContext, f: TrainFlags): Problem {
  const inputsKind = (INPUT_KINDS as readonly string[]).includes(f.inputs) ? (f.inputs as InputDistribution) : null;
  const labelsKind = (LABEL_KINDS as readonly string[]).includes(f.labels) ? (f.labels as 'teacher' | 'random') : null;
  const initKind = (INIT_KINDS as readonly string[]).includes(f.init) ? (f.init as 'identity' | 'gaussian' | 'small') : null;
  const teacherSpec = f.teacher ?? (labelsKind === 'teacher' ? 'gaussian' : null);
  const teacherIsFile = teacherSpec !== null && teacherSpec !== 'gaussian';

  // Flag combinations that cannot mean anything.
  if (teacherSpec === null) {
    if (f['teacher-width'] !== undefined) throw usageError(ctx, `--teacher-width applies only with a teacher (--labels teacher or --teacher)`, '--teacher-width');
    if (f['teacher-rank'] !== undefined) throw usageError(ctx, `--teacher-rank applies only with a teacher (--labels teacher or --teacher)`, '--teacher-rank');
    if (f.objective === 'population') {
      throw usageError(ctx, `--objective population needs a teacher, but --labels ${f.labels} has none (add --teacher gaussian|FILE or use --labels teacher)`, '--objective');
    }
  }
  if (teacherIsFile && f['teacher-rank'] !== undefined) throw usageError(ctx, `--teacher-rank applies only to --teacher gaussian, not to a file`, '--teacher-rank');
  if (f.noise > 0 && labelsKind !== 'teacher') throw usageError(ctx, `--noise applies only to --labels teacher (got --labels ${f.labels})`, '--noise');
  if (initKind === null && f['init-scale'] !== undefined) throw usageError(ctx, `--init-scale applies only to --init identity|gaussian|small, not to a file`, '--init-scale');
  if (f.objective === 'population') {
    if (labelsKind !== 'teacher') {
      throw usageError(ctx, `--objective population trains on the teacher's population risk and needs --labels teacher (got --labels ${f.labels})`, '--objective');
    }
    if (inputsKind === null) {
      throw usageError(ctx, `--objective population needs an input distribution (gaussian, rademacher or uniform) for its moments, not a file`, '--objective');
    }
  }

  // A value that is neither a keyword nor a matrix file name is a typo, not a missing file.
  for (const [flag, value, kinds] of [
    ['teacher', teacherIsFile ? teacherSpec : null, ['gaussian']],
    ['inputs', inputsKind === null ? f.inputs : null, INPUT_KINDS],
    ['labels', labelsKind === null ? f.labels : null, LABEL_KINDS],
    ['init', initKind === null ? f.init : null, INIT_KINDS],
  ] as const) {
    if (value !== null && !/\.(npy|csv|json)$/i.test(value)) {
      throw usageError(ctx, `invalid value for --${flag}: ${JSON.stringify(value)} (expected ${kinds.join(', ')} or a .npy, .csv or .json file)`, `--${flag}`);
    }
  }

  // Files, then the sizes they fix.
  const teacherPath = teacherIsFile ? teacherSpec : '';
  const teacherFile = teacherIsFile ? readMatrixFile(teacherPath, '--teacher') : null;
  const inputsFile = inputsKind === null ? readMatrixFile(f.inputs, '--inputs') : null;
  const labelsFile = labelsKind === null ? readVectorFile(f.labels, '--labels') : null;
  const initFile = initKind === null ? readMatrixFile(f.init, '--init') : null;

  const dClaims = [...flagClaim('d', f.d)];
  const nClaims = [...flagClaim('n', f.n)];
  const mClaims = [...flagClaim('m', f.m)];
  const widthClaims = [...flagClaim('teacher-width', f['teacher-width'])];
  if (teacherFile !== null) {
    if (teacherFile.rows === 0 || teacherFile.cols === 0) {
      throw new ShapeError(`--teacher ${JSON.stringify(teacherSpec)} is ${teacherFile.rows}×${teacherFile.cols}: the teacher needs at least one row and one column`, '--teacher');
    }
    if (teacherFile.data.every((v) => v === 0)) {
      throw new ShapeError(`--teacher ${JSON.stringify(teacherSpec)} is all zeros: W*ᵀW* = 0 leaves nothing to learn and no relative error`, '--teacher');
    }
    dClaims.push(fileClaim('teacher', teacherPath, teacherFile, 'd', teacherFile.cols));
    widthClaims.push(fileClaim('teacher', teacherPath, teacherFile, 'teacher width', teacherFile.rows));
  }
  if (inputsFile !== null) {
    dClaims.push(fileClaim('inputs', f.inputs, inputsFile, 'd', inputsFile.cols));
    nClaims.push(fileClaim('inputs', f.inputs, inputsFile, 'N', inputsFile.rows));
  }
  if (labelsFile !== null) nClaims.push({ value: labelsFile.length, text: `--labels ${JSON.stringify(f.labels)} has ${labelsFile.length} entries (N = ${labelsFile.length})` });
  if (initFile !== null) {
    dClaims.push(fileClaim('init', f.init, initFile, 'd', initFile.cols));
    mClaims.push(fileClaim('init', f.init, initFile, 'm', initFile.rows));
  }
  const d = agreeOn('d', dClaims) ?? DEFAULT_D;
  if (d === 0) throw new ShapeError(`${dClaims[0]!.text}: the input dimension must be at least 1`, 'd');
  const n = agreeOn('N', nClaims) ?? d * (d + 1);
  if (n === 0) throw new ShapeError(`${nClaims[0]!.text}: no samples (N = 0); training needs at least one`, 'N');
  const m = agreeOn('m', mClaims) ?? (f.model === 'signed-quadratic' ? 2 * d : d);
  if (m === 0) throw new ShapeError(`${mClaims[0]!.text}: the student needs at least one hidden unit (m ≥ 1)`, 'm');
  const teacherWidth = teacherSpec === null ? null : (agreeOn('teacher width', widthClaims) ?? d);
  const teacherRank = f['teacher-rank'] ?? null;
  if (teacherRank !== null && teacherRank > Math.min(teacherWidth!, d)) {
    throw usageError(ctx, `--teacher-rank ${teacherRank} exceeds min(teacher width, d) = min(${teacherWidth}, ${d}) = ${Math.min(teacherWidth!, d)}`, '--teacher-rank');
  }
  if (initKind === 'identity' && m < d) {
    throw usageError(ctx, `--init identity needs m ≥ d (W₀ = √m [I_d; 0]), but m = ${m} < d = ${d}; raise --m or choose another --init`, '--init');
  }
  const initScale = initKind === null ? null : (f['init-scale'] ?? (initKind === 'small' ? 1e-3 : 1));

  // Data, each from its own stream.
  const root = createRng(f.seed);
  const teacherRng = root.split();
  const inputsRng = root.split();
  const labelsRng = root.split();
  const initRng = root.split();
  const teacher =
    teacherSpec === null
      ? null
      : (teacherFile ?? sampleTeacher(teacherWidth!, d, teacherRng, teacherRank !== null && teacherRank < Math.min(teacherWidth!, d) ? { rank: teacherRank } : {}));
  const x = inputsFile ?? sampleInputs(n, d, inputsKind!, inputsRng);
  let y: Float64Array;
  if (labelsFile !== null) y = labelsFile;
  else if (labelsKind === 'random') y = randomLabels(n, labelsRng);
  else y = teacherLabels(x, teacher!, f.noise > 0 ? { noise: f.noise, rng: labelsRng } : {});
  const w0 = initFile ?? initialWeights(initKind!, m, d, initScale!, initRng);
  const signs = f.model === 'signed-quadratic' ? balancedSigns(m) : null;

  return {
    config: {
      model: f.model,
      d,
      m,
      n,
      teacher: teacherSpec,
      teacherWidth,
      teacherRank: teacherRank !== null && teacherRank < Math.min(teacherWidth!, d) ? teacherRank : null,
      inputs: f.inputs,
      labels: f.labels,
      noise: f.noise,
      init: f.init,
      initScale,
      optimizer: f.optimizer,
      steps: f.steps,
      objective: f.objective,
      historyEvery: f['history-every'],
      seed: f.seed,
    },
    x,
    y,
    teacher,
    w0,
    signs,
    moments: inputMoments(inputsKind ?? 'gaussian'),
  };
}

function initialWeights(kind: 'identity' | 'gaussian' | 'small', m: number, d: number, scale: number, rng: Rng): Matrix {
  if (kind === 'identity') return identityInit(m, d, scale);
  if (kind === 'gaussian') return gaussianInit(m, d, rng, scale);
  return smallInit(m, d, rng, scale);
}

/** A risk as the optimiser sees it, with the Hessian-vector product the curvature estimate needs. */
interface TrainObjective {
  readonly blocks: readonly { name: string; size: number }[];
  value(w: Float64Array): number;
  gradient(w: Float64Array, out?: Float64Array): Float64Array;
  valueAndGradient(w: Float64Array, out: Float64Array): number;
  hessianVectorProduct(w: Float64Array, u: Float64Array, out?: Float64Array): Float64Array;
}

/** $|\lambda|_{\max}$ of the Hessian at `w` by power iteration on Hessian-vector products. */
function hessianNormEstimate(objective: TrainObjective, w: Float64Array): number {
  const n = w.length;
  const u = new Float64Array(n);
  // A fixed start that is generic (not orthogonal to the top eigenvector of structured problems).
  const wNorm = nrm2(w);
  for (let k = 0; k < n; k++) u[k] = (wNorm > 0 ? w[k]! / wNorm : 0) + Math.sin(k + 1) / Math.sqrt(n);
  return powerIterationNorm((v, out) => objective.hessianVectorProduct(w, v, out), u);
}

/**
 * The default learning rate of momentum, Nesterov and Adam, from the scale of the problem.
 *
 * The curvature of the quadratic risk grows with the scale of $A = W^\top W$: for Gaussian inputs
 * and $A = cI$ the largest Hessian eigenvalue is $8c(d+2)$, and along a run $A$ moves from $A_0$
 * to the target. So the Hessian norm is estimated (power iteration) at $W_0$ and at $W_0$
 * rescaled to the target's trace $\tau$ ($\operatorname{tr} W^{*\top}W^*$ for the population risk,
 * $\sqrt{\operatorname{mean}(y^2)}/\mu_2$ from the labels otherwise), and
 * $\eta = 1/\hat\lambda$ with $\hat\lambda$ the larger estimate (half the stability limit $2/\lambda$
 * of gradient descent; heavy ball with $\beta = 0.9$ is stable up to $3.8/\lambda$). Adam's steps
 * are about $\eta$ per coordinate whatever the curvature, so its rate is 1% of the RMS weight at
 * the target scale, $0.01\sqrt{\max(\|W_0\|_F^2, \tau)/(md)}$.
 */
function scaledLearningRate(optimizer: 'momentum' | 'nesterov' | 'adam', objective: TrainObjective, w0: Float64Array, targetTrace: number): number {
  const size = w0.length;
  const w0Square = w0.reduce((s, v) => s + v * v, 0);
  if (optimizer === 'adam') {
    const scale = Math.sqrt(Math.max(w0Square, targetTrace) / size);
    return scale > 0 ? 0.01 * scale : 1e-3;
  }
  let lambda = hessianNormEstimate(objective, w0);
  if (targetTrace > 0) {
    const reference = new Float64Array(size);
    if (w0Square > 0) {
      const factor = Math.sqrt(targetTrace / w0Square);
      for (let k = 0; k < size; k++) reference[k] = w0[k]! * factor;
    } else {
      const entry = Math.sqrt(targetTrace / size);
      for (let k = 0; k < size; k++) reference[k] = entry * (k % 2 === 0 ? 1 : -1);
    }
    lambda = Math.max(lambda, hessianNormEstimate(objective, reference));
  }
  return lambda > 0 ? 1 / lambda : 1e-3;
}

/** A one-line progress bar on a terminal's stderr, redrawn at most every 100 ms. */
export class ProgressBar {
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(
    private readonly stream: CommandContext['stderr'],
    private readonly steps: number,
    private readonly columns: number,
  ) {}

  update(info: StepInfo): void {
    if (info.elapsedMs - this.lastDraw < 100) return;
    this.lastDraw = info.elapsedMs;
    const fraction = this.steps === 0 ? 1 : Math.min(1, info.step / this.steps);
    const width = 24;
    const filled = Math.round(fraction * width);
    const text = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] step ${info.step}/${this.steps}  risk ${formatNumber(info.value)}  ‖∇‖ ${formatNumber(info.gradientNorm)}`;
    this.stream.write(`\r${text.slice(0, Math.max(10, this.columns - 1))}\x1b[K`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
  }
}

/** Whether `stream` is a terminal, and its width in columns (80 when unknown). */
export function isTerminal(stream: CommandContext['stderr']): { tty: boolean; columns: number } {
  const s = stream as { isTTY?: unknown; columns?: unknown };
  return { tty: s.isTTY === true, columns: typeof s.columns === 'number' && s.columns > 20 ? s.columns : 80 };
}

function formatSummary(output: TrainOutput, totalMs: number, files: string[]): string {
  const c = output.config;
  const f = output.final;
  const nStar = (c.d * (c.d + 1)) / 2;
  const lines: string[] = [];
  lines.push(`${c.model} network: d = ${c.d}, m = ${c.m}, N = ${c.n} (N* = d(d+1)/2 = ${nStar}), seed ${c.seed}`);
  const teacher =
    c.teacher === null ? 'no teacher' : `teacher ${c.teacher} (width ${c.teacherWidth}${c.teacherRank !== null ? `, rank ${c.teacherRank}` : ''})`;
  lines.push(`${teacher}, inputs ${c.inputs}, labels ${c.labels}${c.noise > 0 ? ` (noise σ = ${c.noise})` : ''}`);
  lines.push(
    `init ${c.init}${c.initScale !== null ? ` (scale ${c.initScale})` : ''}, optimizer ${c.optimizer} ` +
      `(lr ${formatNumber(c.learningRate)}${c.lineSearch !== 'none' ? `, ${c.lineSearch} line search` : ''}), objective ${c.objective}`,
  );
  lines.push('');
  const rows: Array<[string, string, string]> = [
    ['empirical risk', formatNumber(f.empiricalRisk), '(1/N) Σ (f(x_i) − y_i)²'],
    ['population risk', formatNumber(f.populationRisk), c.teacher === null ? 'no teacher' : 'exact, for the input distribution'],
    ['relative error', formatNumber(f.relativeError), c.teacher === null ? 'no teacher' : '‖Q − W*ᵀW*‖_F / ‖W*ᵀW*‖_F'],
    ['gradient norm', formatNumber(f.gradientNorm), `tol ${formatNumber(c.tol)}`],
    ['steps', String(f.step), `of at most ${c.steps}`],
  ];
  return finishSummary(lines, rows, output, totalMs, files);
}

/**
 * Ends the text summary of a run: the result rows (label, value, note) in aligned columns, then
 * the stop reason with the total time and, when any, the files written.
 */
export function finishSummary(
  lines: string[],
  rows: ReadonlyArray<readonly [string, string, string]>,
  output: Pick<TrainOutput, 'stopReason' | 'converged'>,
  totalMs: number,
  files: readonly string[],
): string {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const [a, b, note] of rows) lines.push(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${note}`);
  lines.push('');
  lines.push(`stopped: ${output.stopReason} (${output.converged ? 'converged' : 'not converged'}) after ${(totalMs / 1000).toFixed(2)} s`);
  if (files.length > 0) lines.push(`wrote: ${files.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** The `train` command. */
export const trainCommand = defineCommand({
  name: 'train',
  summary: 'train a quadratic or two-layer network on teacher–student or random-label data and report risks',
  description: [
    'Samples (or reads) a teacher W* (m*×d), inputs X (N×d) and labels y, initialises W₀ (m×d) and',
    'minimises the empirical risk (1/N) Σ_i (f(x_i) − y_i)², f(x) = xᵀ Wᵀ diag(v) W x, or the exact',
    'population risk (--objective population). --model quadratic has v = 1; signed-quadratic has the',
    'first ⌈m/2⌉ signs +1 and the rest −1. The teacher is always all-positive; teacher labels are',
    'y_i = ‖W* x_i‖² + σ ε_i. By default `shallowscape train` recovers a Gaussian teacher with d = 10',
    'from N = 2N* = 110 samples (N* = d(d+1)/2) by L-BFGS in well under a second; try --n 40.',
    '',
    'Sizes: a file fixes its dimensions (--teacher: m*, d; --inputs: N, d; --labels: N; --init: m, d);',
    'a size flag given as well must agree. Defaults: d = 10, m = d (2d for signed-quadratic),',
    'm* = d, N = d(d+1). Random streams: the seed is split into independent streams for the',
    'teacher, the inputs, the labels (and noise) and the initialisation, so changing N changes',
    'neither the teacher nor W₀. The population risk of file inputs assumes Gaussian inputs.',
    '',
    'Learning rate: gd without --lr uses Armijo backtracking (largest trial step 1); gd with --lr',
    'takes fixed steps. lbfgs uses a strong Wolfe line search (--lr scales its first trial step).',
    'momentum and nesterov default to 1/λ̂, λ̂ a power-iteration estimate of the largest Hessian',
    'eigenvalue at W₀ and at W₀ rescaled to the scale of the labels (curvature grows like 8(d+2)·‖A‖);',
    'adam defaults to 1% of the RMS weight at that scale. The chosen value is in config.learningRate.',
    'Stopping: when ‖∇L‖_F ≤ --tol (default 1e-10 × ‖∇L(W₀)‖_F), zero risk, no further decrease',
    '(line searches), or --steps. A run that blows up (NaN, Inf) is an error: use a smaller --lr.',
    '',
    'JSON (--json): {"config", "final": {"empiricalRisk", "populationRisk", "relativeError",',
    '"gradientNorm", "step"}, "converged", "stopReason", "history": {"step", "risk", "gradientNorm",',
    '"elapsedMs"}}; populationRisk and relativeError are null without a teacher. A progress bar is',
    'drawn on stderr only when it is a terminal and --json is not given.',
    '',
    '--certify adds "certificate": the object `shallowscape certify --json` prints for the final',
    'weights on the training data and teacher (stationarity, energy barrier, sample condition,',
    'global optimality), to the --json output and to run.json (not computed after Ctrl-C).',
    '',
    'Two-layer networks (--model two-layer): f(x) = s Σ_r a_r σ(w_r·x), σ from --activation (default',
    'relu), s = 1/√m, 1/m or 1 (--parameterization ntk (default), mean-field, standard). W₀ has i.i.d.',
    'N(0, 1/d) entries and a₀ i.i.d. N(0, 1); inputs are N(0, I_d) (or a file); --labels teacher uses a',
    'two-layer teacher of the same activation and parameterisation, width --teacher-width (default d),',
    'W* ~ N(0, 1/d), a* ~ N(0, 1). Defaults: d = 10, m = 100, N = 100. The optimiser gets the rates',
    '{W: η_W, a: η_a} (--lr-hidden, --lr-output); --freeze hidden|output sets that rate to 0 and leaves',
    'the layer out of the gradient norm. Default rates: lbfgs 1 (its diagonal preconditioner); gd',
    'without rate flags: Armijo from 1; gd with one rate flag, momentum, nesterov: 1/λ̂ (power',
    'iteration on the trainable layers at the start); adam: 1% of the layer\'s RMS initial weight.',
    'history.movementHidden = ‖W_t − W₀‖_F/‖W₀‖_F, history.movementOutput = ‖a_t − a₀‖/‖a₀‖.',
    'final.populationRisk (Gaussian inputs, + σ²) is exact for relu and erf and a Monte Carlo estimate',
    '(1e5 samples; standard error in "populationRiskStandardError") for the other activations;',
    'final.relativeError is null (it is defined for quadratic models only). --init, --init-scale,',
    '--teacher, --teacher-rank, --lr, --objective and --certify are for quadratic models only;',
    '--activation, --parameterization, --lr-hidden, --lr-output and --freeze for two-layer only.',
    '--out writes W.npy, a.npy, W0.npy, a0.npy, X.npy, y.npy (Wstar.npy, astar.npy) and run.json.',
    '',
    '--out DIR writes W.npy (final weights), W0.npy, X.npy, y.npy, teacher.npy (if any), signs.npy',
    '(signed-quadratic) and run.json (config, seed, package versions, history, final metrics, stop',
    'reason, timing), each atomically, run.json last; Ctrl-C stops the optimiser at the next step,',
    'still writes them for what was computed, and exits with 130. Errors (mismatched sizes, N = 0,',
    'm < d with --init identity, NaN/Inf or malformed files, unknown flags) print one line, exit with',
    '2 and leave no file behind.',
  ].join('\n'),
  flags,
  examples: [
    'shallowscape train',
    'shallowscape train --d 8 --n 20 --json',
    'shallowscape train --init identity --m 100 --optimizer gd --out runs/identity',
    'shallowscape train --model signed-quadratic --labels random --d 6 --n 15',
    'shallowscape train --inputs X.npy --labels y.npy --init W0.npy --optimizer adam --steps 5000',
    'shallowscape train --model two-layer --labels random --m 200 --out runs/relu',
    'shallowscape train --model two-layer --activation tanh --optimizer gd --lr-hidden 0.5 --lr-output 0.1',
  ],
  async run(ctx, { flags: parsed }) {
    const given = parsed as Omit<TrainFlags, 'model' | 'init'> & { model: NetworkModelName; init: string | undefined };
    if (given.model === 'two-layer') {
      rejectQuadraticOnlyFlags(ctx, given);
      return runTwoLayerTrain(ctx, given);
    }
    for (const flag of ['activation', 'parameterization', 'lr-hidden', 'lr-output', 'freeze'] as const) {
      if (given[flag] !== undefined) throw usageError(ctx, `--${flag} applies only to --model two-layer (got --model ${given.model})`, `--${flag}`);
    }
    const f: TrainFlags = { ...given, model: given.model, init: given.init ?? 'gaussian' };
    const startedAt = new Date();
    const t0 = performance.now();
    const problem = prepareProblem(ctx, f);
    const { x, y, teacher, w0, signs, moments } = problem;
    const { m, d } = problem.config;
    const noiseVariance = f.noise * f.noise;

    if (f.out !== undefined) await checkOutDirectory(ctx, f.out);

    const signOption = signs !== null ? { signs } : {};
    const empirical = new QuadraticEmpiricalRisk(x, y, m, signOption);
    const objective: TrainObjective =
      f.objective === 'population' ? new QuadraticPopulationRisk(teacher!, m, { ...moments, noiseVariance, ...signOption }) : empirical;
    const x0 = w0.data.slice();

    const gradient0 = objective.gradient(x0);
    const tol = f.tol ?? DEFAULT_RELATIVE_TOL * nrm2(gradient0);
    let learningRate: number;
    let learningRateSource: TrainConfig['learningRateSource'];
    let lineSearch: TrainConfig['lineSearch'] = f.optimizer === 'lbfgs' ? 'strong-wolfe' : 'none';
    if (f.lr !== undefined) {
      learningRate = f.lr;
      learningRateSource = 'flag';
    } else if (f.optimizer === 'gd' || f.optimizer === 'lbfgs') {
      learningRate = 1;
      learningRateSource = 'default';
      if (f.optimizer === 'gd') lineSearch = 'armijo';
    } else {
      let targetTrace: number;
      if (f.objective === 'population') targetTrace = teacher!.data.reduce((s, v) => s + v * v, 0);
      else targetTrace = Math.sqrt(y.reduce((s, v) => s + v * v, 0) / y.length) / moments.mu2;
      learningRate = scaledLearningRate(f.optimizer, objective, x0, targetTrace);
      learningRateSource = 'curvature-estimate';
    }
    const config: TrainConfig = { ...problem.config, learningRate, learningRateSource, lineSearch, tol, tolSource: f.tol === undefined ? 'relative-default' : 'flag' };

    const terminal = isTerminal(ctx.stderr);
    const progress = terminal.tty && !f.json ? new ProgressBar(ctx.stderr, f.steps, terminal.columns) : null;
    const options: MinimizeOptions = {
      method: f.optimizer,
      learningRate,
      ...(lineSearch === 'armijo' ? { lineSearch: 'armijo' as const } : {}),
      maxSteps: f.steps,
      gradientTolerance: tol,
      valueTolerance: 0,
      historyEvery: f['history-every'],
      signal: ctx.signal,
      ...(progress !== null ? { onStep: (info: StepInfo) => progress.update(info) } : {}),
    };
    let result: MinimizeResult;
    try {
      result = await minimizeAsync(objective, x0, options);
    } catch (error) {
      progress?.clear();
      if (error instanceof DivergenceError) {
        const hint = f.lr !== undefined ? `try a smaller --lr than ${f.lr}` : 'try passing a smaller --lr';
        throw new ShallowscapeError(`${error.message.replace(/ \(try a smaller learningRate\)$/, '')}; ${hint}`, 'E_DIVERGENCE', '--lr');
      }
      throw error;
    }
    progress?.clear();

    const w = new Matrix(m, d, result.x);
    const metrics = teacher !== null ? generalizationError(w, teacher, { ...moments, noiseVariance, ...signOption }) : null;
    const output: TrainOutput = {
      config,
      final: {
        empiricalRisk: empirical.value(result.x),
        populationRisk: metrics?.populationRisk ?? null,
        relativeError: metrics?.relativeError ?? null,
        gradientNorm: result.gradientNorm,
        step: result.steps,
      },
      converged: result.converged,
      stopReason: result.reason,
      history: { step: result.history.step, risk: result.history.value, gradientNorm: result.history.gradientNorm, elapsedMs: result.history.time },
    };
    // After Ctrl-C the run stops as soon as it can: no certificate for the interrupted weights.
    if (f.certify && !ctx.signal.aborted) {
      output.certificate = certificateOf({ w, x, y, ...(teacher !== null ? { teacher } : {}), ...(signs !== null ? { signs } : {}) });
    }

    const written =
      f.out === undefined
        ? []
        : await writeRunDirectory(
            ctx,
            f.out,
            [
              { key: 'weights', name: 'W.npy', data: result.x, shape: [m, d] },
              { key: 'initialWeights', name: 'W0.npy', data: w0.data, shape: [m, d] },
              { key: 'inputs', name: 'X.npy', data: x.data, shape: [x.rows, d] },
              { key: 'labels', name: 'y.npy', data: y, shape: [y.length] },
              ...(teacher !== null ? [{ key: 'teacher', name: 'teacher.npy', data: teacher.data, shape: [teacher.rows, d] }] : []),
              ...(signs !== null ? [{ key: 'signs', name: 'signs.npy', data: signs, shape: [m] }] : []),
            ],
            output,
            result,
            { startedAt, t0 },
          );

    let text = '';
    if (!f.json) {
      text = formatSummary(output, performance.now() - t0, written);
      if (output.certificate !== undefined) {
        text += `\ncertificate of the final weights:\n${formatCertificate(output.certificate, { model: f.model, m, d, ...(config.teacher !== null ? { teacher: config.teacher } : {}) })}`;
      }
    }
    ctx.stdout.write(f.json ? formatJson(output) : text);
    return 0;
  },
});
