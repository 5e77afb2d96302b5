/**
 * The two-layer parts of `shallowscape train` and `shallowscape eval`
 * (`--model two-layer`): a network $f(x) = s \sum_r a_r \sigma(w_r \cdot x)$ with one of six
 * activations and three parameterisations, trained with a learning rate per layer (either layer
 * may be frozen), the relative movement of each layer from its initialisation recorded over the
 * run, and evaluated from files.
 *
 * The flag parsing stays in `train.ts` and `eval.ts`; this file validates the two-layer flag
 * combinations, builds the data and runs or evaluates the model.
 *
 * @packageDocumentation
 */
import { Matrix, ShallowscapeError, ShapeError, createRng, gaussianMatrix, nrm2, type Rng } from '@shallowscape/linalg';
import {
  TwoLayerEmpiricalRisk,
  TwoLayerNet,
  randomLabels,
  relativeMovement,
  twoLayerPopulationRisk,
  twoLayerPopulationRiskMonteCarlo,
  type Activation,
  type Parameterization,
} from '@shallowscape/model';
import { DivergenceError, minimizeAsync, type MinimizeOptions, type MinimizeResult, type StepInfo } from '@shallowscape/optim';
import type { CommandContext } from '../context';
import { UsageError, usageError } from '../errors';
import { formatJson } from '../io/json-output';
import { readMatrixFile, readVectorFile, writeMatrixFile, writeVectorFile } from '../io/matrix-file';
import { describeFile, formatNumber } from './eval';
import type { OptimizerName, TrainFinal } from './train';
import { DEFAULT_TWO_LAYER_SAMPLES, DEFAULT_TWO_LAYER_WIDTH, type FreezeChoice } from './two-layer-options';
import { DEFAULT_D, DEFAULT_RELATIVE_TOL, ProgressBar, agreeOn, fileClaim, finishSummary, flagClaim, isTerminal } from './train';
import { powerIterationNorm } from './power-iteration-norm';
import { checkOutDirectory, writeRunDirectory, type RunRecordFields } from './run-directory';

/** Gaussian samples of the Monte Carlo population risk (activations other than relu and erf). */
export const POPULATION_MONTE_CARLO_SAMPLES = 100000;
/** Seed of the Monte Carlo population risk in `eval` (fixed, so that `eval` is deterministic). */
export const EVAL_MONTE_CARLO_SEED = 0;

/** The two-layer train flags, as `train.ts` parses them. */
export interface TwoLayerTrainFlags {
  d: number | undefined;
  m: number | undefined;
  'teacher-width': number | undefined;
  n: number | undefined;
  inputs: string;
  labels: string;
  noise: number;
  activation: Activation | undefined;
  parameterization: Parameterization | undefined;
  'lr-hidden': number | undefined;
  'lr-output': number | undefined;
  freeze: FreezeChoice | undefined;
  optimizer: OptimizerName;
  steps: number;
  tol: number | undefined;
  'history-every': number;
  seed: number;
  out: string | undefined;
  json: boolean;
}

/** Where a layer's learning rate came from. */
export type LayerRateSource = 'flag' | 'default' | 'curvature-estimate' | 'weight-scale' | 'frozen';

/** `config` of a two-layer run (in the JSON output and `run.json`). */
export interface TwoLayerTrainConfig {
  model: 'two-layer';
  activation: Activation;
  parameterization: Parameterization;
  /** Input dimension $d$. */
  d: number;
  /** Student width $m$. */
  m: number;
  /** Number of samples $N$. */
  n: number;
  /** `"gaussian"` with teacher labels, `null` otherwise. */
  teacher: 'gaussian' | null;
  /** Teacher width $m^*$, or `null` without a teacher. */
  teacherWidth: number | null;
  /** `"gaussian"` or the inputs file. */
  inputs: string;
  /** `"teacher"`, `"random"` or the labels file. */
  labels: string;
  /** Standard deviation of the Gaussian label noise (teacher labels only). */
  noise: number;
  /** Always `"gaussian"`: $W_0$ entries $N(0, 1/d)$, $a_0$ entries $N(0, 1)$. */
  init: 'gaussian';
  /** The frozen layer, or `null`. */
  freeze: FreezeChoice | null;
  optimizer: OptimizerName;
  /** $\eta_W$ (0 when the hidden layer is frozen). */
  learningRateHidden: number;
  /** $\eta_a$ (0 when the output layer is frozen). */
  learningRateOutput: number;
  /** How each rate was chosen. */
  learningRateSource: { hidden: LayerRateSource; output: LayerRateSource };
  /** `"armijo"` (gd without rate flags), `"strong-wolfe"` (lbfgs) or `"none"`. */
  lineSearch: 'armijo' | 'strong-wolfe' | 'none';
  steps: number;
  /** Always `"empirical"`. */
  objective: 'empirical';
  tol: number;
  tolSource: 'flag' | 'relative-default';
  historyEvery: number;
  seed: number;
  /** `"exact"` (relu, erf), `"monte-carlo"` (other activations) or `null` (no teacher). */
  populationRiskMethod: 'exact' | 'monte-carlo' | null;
  /** Gaussian samples of the Monte Carlo estimate, or `null`. */
  populationRiskSamples: number | null;
}

/** The history of a two-layer run: that of quadratic runs plus the relative movements. */
export interface TwoLayerHistory {
  step: number[];
  risk: number[];
  gradientNorm: number[];
  elapsedMs: number[];
  /** $\|W_t - W_0\|_F / \|W_0\|_F$ at the recorded steps. */
  movementHidden: number[];
  /** $\|a_t - a_0\|_2 / \|a_0\|_2$ at the recorded steps. */
  movementOutput: number[];
}

/** What `train --model two-layer --json` prints. */
export interface TwoLayerTrainOutput {
  config: TwoLayerTrainConfig;
  final: TrainFinal;
  converged: boolean;
  stopReason: MinimizeResult['reason'];
  history: TwoLayerHistory;
  /** Standard error of a Monte Carlo `final.populationRisk` (0 when exact, `null` without a teacher). */
  populationRiskStandardError: number | null;
}

/** The contents of `run.json` of a two-layer run. */
export type TwoLayerRunRecord = TwoLayerTrainOutput & RunRecordFields;

/** A Gaussian vector of length `n` from `rng`. */
function gaussianVector(n: number, rng: Rng): Float64Array {
  return rng.fillNormal(new Float64Array(n));
}

/**
 * The population risk of a student against a teacher of the same activation and
 * parameterisation for $x \sim N(0, I_d)$: exact for relu and erf, otherwise a Monte Carlo
 * estimate with {@link POPULATION_MONTE_CARLO_SAMPLES} samples and its standard error.
 */
export function twoLayerPopulationMetrics(
  student: { w: Matrix; a: Float64Array },
  teacher: { w: Matrix; a: Float64Array },
  activation: Activation,
  parameterization: Parameterization,
  rng: Rng,
): { value: number; standardError: number; method: 'exact' | 'monte-carlo' } {
  if (activation === 'relu' || activation === 'erf') {
    return { value: twoLayerPopulationRisk(student, teacher, { activation, parameterization }), standardError: 0, method: 'exact' };
  }
  const estimate = twoLayerPopulationRiskMonteCarlo(student, teacher, { activation, parameterization, samples: POPULATION_MONTE_CARLO_SAMPLES, rng });
  return { value: estimate.value, standardError: estimate.standardError, method: 'monte-carlo' };
}

/** Flags of `train` that mean nothing for a two-layer network (each a usage error when given). */
export function rejectQuadraticOnlyFlags(
  ctx: CommandContext,
  given: { teacher?: string | undefined; 'teacher-rank'?: number | undefined; init?: string | undefined; 'init-scale'?: number | undefined; lr?: number | undefined; objective: string; certify: boolean },
): void {
  const only = (flag: string, what: string): UsageError => usageError(ctx, `${flag} applies only to --model quadratic|signed-quadratic, not to --model two-layer (${what})`, flag);
  if (given.init !== undefined) throw only('--init', `got --init ${given.init}; a two-layer network starts from W₀ ~ N(0, 1/d), a₀ ~ N(0, 1)`);
  if (given['init-scale'] !== undefined) throw only('--init-scale', `got --init-scale ${given['init-scale']}`);
  if (given.teacher !== undefined) throw only('--teacher', `got --teacher ${given.teacher}; --labels teacher samples a two-layer teacher`);
  if (given['teacher-rank'] !== undefined) throw only('--teacher-rank', `got --teacher-rank ${given['teacher-rank']}`);
  if (given.lr !== undefined) throw only('--lr', `got --lr ${given.lr}; use --lr-hidden and --lr-output`);
  if (given.objective !== 'empirical') throw only('--objective', `got --objective ${given.objective}; two-layer runs minimise the empirical risk`);
  if (given.certify) throw only('--certify', 'the certificates are those of quadratic networks');
}

/** Everything a two-layer run needs, validated. */
interface TwoLayerProblem {
  activation: Activation;
  parameterization: Parameterization;
  d: number;
  m: number;
  n: number;
  teacherWidth: number | null;
  x: Matrix;
  y: Float64Array;
  teacher: { w: Matrix; a: Float64Array } | null;
  w0: Matrix;
  a0: Float64Array;
  populationRng: Rng;
}

/**
 * Validates the flags of a two-layer run, reads its files and generates the data from the
 * streams split from `createRng(seed)` in the order teacher ($W^*$ then $a^*$), inputs, labels
 * (and noise), initialisation ($W_0$ then $a_0$), Monte Carlo population risk.
 */
function prepareTwoLayerProblem(ctx: CommandContext, f: TwoLayerTrainFlags): TwoLayerProblem {
  const activation = f.activation ?? 'relu';
  const parameterization = f.parameterization ?? 'ntk';
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
  for (const [flag, value, kinds] of [
    ['inputs', inputsIsFile ? f.inputs : null, ['gaussian']],
    ['labels', labelsKind === null ? f.labels : null, ['teacher', 'random']],
  ] as const) {
    if (value !== null && !/\.(npy|csv|json)$/i.test(value)) {
      throw usageError(ctx, `invalid value for --${flag}: ${JSON.stringify(value)} (expected ${kinds.join(', ')} or a .npy, .csv or .json file)`, `--${flag}`);
    }
  }

  const inputsFile = inputsIsFile ? readMatrixFile(f.inputs, '--inputs') : null;
  const labelsFile = labelsKind === null ? readVectorFile(f.labels, '--labels') : null;
  const dClaims = [...flagClaim('d', f.d)];
  const nClaims = [...flagClaim('n', f.n)];
  if (inputsFile !== null) {
    dClaims.push(fileClaim('inputs', f.inputs, inputsFile, 'd', inputsFile.cols));
    nClaims.push(fileClaim('inputs', f.inputs, inputsFile, 'N', inputsFile.rows));
  }
  if (labelsFile !== null) nClaims.push({ value: labelsFile.length, text: `--labels ${JSON.stringify(f.labels)} has ${labelsFile.length} entries (N = ${labelsFile.length})` });
  const d = agreeOn('d', dClaims) ?? DEFAULT_D;
  if (d === 0) throw new ShapeError(`${dClaims[0]!.text}: the input dimension must be at least 1`, 'd');
  const n = agreeOn('N', nClaims) ?? DEFAULT_TWO_LAYER_SAMPLES;
  if (n === 0) throw new ShapeError(`${nClaims[0]!.text}: no samples (N = 0); training needs at least one`, 'N');
  const m = f.m ?? DEFAULT_TWO_LAYER_WIDTH;
  const teacherWidth = labelsKind === 'teacher' ? (f['teacher-width'] ?? d) : null;

  const root = createRng(f.seed);
  const teacherRng = root.split();
  const inputsRng = root.split();
  const labelsRng = root.split();
  const initRng = root.split();
  const populationRng = root.split();
  const teacher = teacherWidth === null ? null : { w: gaussianMatrix(teacherWidth, d, teacherRng, 1 / Math.sqrt(d)), a: gaussianVector(teacherWidth, teacherRng) };
  const x = inputsFile ?? gaussianMatrix(n, d, inputsRng);
  let y: Float64Array;
  if (labelsFile !== null) y = labelsFile;
  else if (labelsKind === 'random') y = randomLabels(n, labelsRng);
  else {
    y = new TwoLayerNet(teacher!.w, teacher!.a, { activation, parameterization }).predict(x);
    if (f.noise > 0) for (let i = 0; i < n; i++) y[i] = y[i]! + f.noise * labelsRng.normal();
  }
  const w0 = gaussianMatrix(m, d, initRng, 1 / Math.sqrt(d));
  const a0 = gaussianVector(m, initRng);
  return { activation, parameterization, d, m, n, teacherWidth, x, y, teacher, w0, a0, populationRng };
}

/**
 * $|\lambda|_{\max}$ of the Hessian restricted to the trainable coordinates `[0, end)` minus the
 * frozen block, by power iteration on Hessian-vector products from a fixed generic start.
 */
function trainableHessianNorm(objective: TwoLayerEmpiricalRisk, theta: Float64Array, trainable: (k: number) => boolean): number {
  const n = theta.length;
  const u = new Float64Array(n);
  for (let k = 0; k < n; k++) u[k] = trainable(k) ? 1 + 0.5 * Math.sin(k + 1) : 0;
  return powerIterationNorm((v, out) => objective.hessianVectorProduct(theta, v, out), u, trainable);
}

/** The root mean square of a vector's entries. */
function rms(v: Float64Array): number {
  return v.length === 0 ? 0 : nrm2(v) / Math.sqrt(v.length);
}

/**
 * The per-layer rates: the flags when given, 0 for a frozen layer, otherwise the default of the
 * optimiser. lbfgs: 1 (the rates form its diagonal preconditioner). gd without rate flags:
 * Armijo backtracking from trial rates 1. gd with one rate flag, momentum and nesterov:
 * $1/\hat\lambda$, $\hat\lambda$ a power-iteration estimate of the largest Hessian eigenvalue over
 * the trainable layers at $(W_0, a_0)$. adam: 1% of the layer's RMS initial weight.
 */
function resolveRates(
  f: TwoLayerTrainFlags,
  objective: TwoLayerEmpiricalRisk,
  theta0: Float64Array,
  w0: Matrix,
  a0: Float64Array,
): { hidden: number; output: number; source: { hidden: LayerRateSource; output: LayerRateSource }; lineSearch: TwoLayerTrainConfig['lineSearch'] } {
  const hiddenSize = w0.data.length;
  const frozenHidden = f.freeze === 'hidden';
  const frozenOutput = f.freeze === 'output';
  const anyFlag = f['lr-hidden'] !== undefined || f['lr-output'] !== undefined;
  let lineSearch: TwoLayerTrainConfig['lineSearch'] = f.optimizer === 'lbfgs' ? 'strong-wolfe' : 'none';
  if (f.optimizer === 'gd' && !anyFlag) lineSearch = 'armijo';
  let curvature: number | undefined;
  const defaultRate = (layer: 'hidden' | 'output'): { rate: number; source: LayerRateSource } => {
    if (f.optimizer === 'lbfgs' || lineSearch === 'armijo') return { rate: 1, source: 'default' };
    if (f.optimizer === 'adam') {
      const scale = rms(layer === 'hidden' ? w0.data : a0);
      return { rate: scale > 0 ? 0.01 * scale : 1e-3, source: 'weight-scale' };
    }
    curvature ??= trainableHessianNorm(objective, theta0, (k) => (k < hiddenSize ? !frozenHidden : !frozenOutput));
    return { rate: curvature > 0 ? 1 / curvature : 1e-3, source: 'curvature-estimate' };
  };
  const pick = (layer: 'hidden' | 'output', frozen: boolean, flag: number | undefined): { rate: number; source: LayerRateSource } => {
    if (frozen) return { rate: 0, source: 'frozen' };
    if (flag !== undefined) return { rate: flag, source: 'flag' };
    return defaultRate(layer);
  };
  const hidden = pick('hidden', frozenHidden, f['lr-hidden']);
  const output = pick('output', frozenOutput, f['lr-output']);
  return { hidden: hidden.rate, output: output.rate, source: { hidden: hidden.source, output: output.source }, lineSearch };
}

function formatTwoLayerSummary(output: TwoLayerTrainOutput, totalMs: number, files: string[]): string {
  const c = output.config;
  const f = output.final;
  const lines: string[] = [];
  lines.push(`two-layer ${c.activation} network (${c.parameterization}): d = ${c.d}, m = ${c.m}, N = ${c.n}, seed ${c.seed}`);
  const teacher = c.teacher === null ? 'no teacher' : `teacher ${c.teacher} (width ${c.teacherWidth})`;
  lines.push(`${teacher}, inputs ${c.inputs}, labels ${c.labels}${c.noise > 0 ? ` (noise σ = ${c.noise})` : ''}`);
  lines.push(
    `optimizer ${c.optimizer} (η_W ${formatNumber(c.learningRateHidden)}, η_a ${formatNumber(c.learningRateOutput)}` +
      `${c.lineSearch !== 'none' ? `, ${c.lineSearch} line search` : ''})${c.freeze !== null ? `, ${c.freeze} layer frozen` : ''}`,
  );
  lines.push('');
  const popNote =
    c.populationRiskMethod === null
      ? 'no teacher'
      : c.populationRiskMethod === 'exact'
        ? 'exact, Gaussian inputs'
        : `Monte Carlo, ${c.populationRiskSamples} samples, ± ${formatNumber(output.populationRiskStandardError)}`;
  const h = output.history;
  const rows: Array<[string, string, string]> = [
    ['empirical risk', formatNumber(f.empiricalRisk), '(1/N) Σ (f(x_i) − y_i)²'],
    ['population risk', formatNumber(f.populationRisk), popNote],
    ['gradient norm', formatNumber(f.gradientNorm), `tol ${formatNumber(c.tol)}${c.freeze !== null ? ` (${c.freeze === 'hidden' ? 'a' : 'W'} only)` : ''}`],
    ['hidden movement', formatNumber(h.movementHidden.at(-1) ?? 0), '‖W − W₀‖_F / ‖W₀‖_F'],
    ['output movement', formatNumber(h.movementOutput.at(-1) ?? 0), '‖a − a₀‖ / ‖a₀‖'],
    ['steps', String(f.step), `of at most ${c.steps}`],
  ];
  return finishSummary(lines, rows, output, totalMs, files);
}

/**
 * Runs `train --model two-layer`: validates, generates the data, minimises the empirical risk
 * with per-layer rates `{ W: η_W, a: η_a }`, records the relative movement of each layer at the
 * history steps, and prints (and with `--out` writes) the result.
 */
export async function runTwoLayerTrain(ctx: CommandContext, f: TwoLayerTrainFlags): Promise<number> {
  const startedAt = new Date();
  const t0 = performance.now();
  const problem = prepareTwoLayerProblem(ctx, f);
  const { activation, parameterization, d, m, n, x, y, teacher, w0, a0 } = problem;
  if (f.out !== undefined) await checkOutDirectory(ctx, f.out);

  const objective = new TwoLayerEmpiricalRisk(x, y, { width: m, activation, parameterization, ...(f.freeze !== undefined ? { freeze: f.freeze } : {}) });
  const theta0 = objective.pack(w0, a0);
  const hiddenSize = m * d;
  const rates = resolveRates(f, objective, theta0, w0, a0);
  const gradient0 = objective.gradient(theta0);
  const tol = f.tol ?? DEFAULT_RELATIVE_TOL * nrm2(gradient0);
  const populationRiskMethod = teacher === null ? null : activation === 'relu' || activation === 'erf' ? 'exact' : 'monte-carlo';
  const config: TwoLayerTrainConfig = {
    model: 'two-layer',
    activation,
    parameterization,
    d,
    m,
    n,
    teacher: teacher === null ? null : 'gaussian',
    teacherWidth: problem.teacherWidth,
    inputs: f.inputs,
    labels: f.labels,
    noise: f.noise,
    init: 'gaussian',
    freeze: f.freeze ?? null,
    optimizer: f.optimizer,
    learningRateHidden: rates.hidden,
    learningRateOutput: rates.output,
    learningRateSource: rates.source,
    lineSearch: rates.lineSearch,
    steps: f.steps,
    objective: 'empirical',
    tol,
    tolSource: f.tol === undefined ? 'relative-default' : 'flag',
    historyEvery: f['history-every'],
    seed: f.seed,
    populationRiskMethod,
    populationRiskSamples: populationRiskMethod === 'monte-carlo' ? POPULATION_MONTE_CARLO_SAMPLES : null,
  };

  // Movements at the recorded steps (every k-th step; the last one is computed from the result).
  const movements = new Map<number, [number, number]>();
  const every = f['history-every'];
  const terminal = isTerminal(ctx.stderr);
  const progress = terminal.tty && !f.json ? new ProgressBar(ctx.stderr, f.steps, terminal.columns) : null;
  const onStep = (info: StepInfo): void => {
    if (info.step % every === 0) {
      const theta = info.x as Float64Array;
      movements.set(info.step, [relativeMovement(theta.subarray(0, hiddenSize), w0.data), relativeMovement(theta.subarray(hiddenSize), a0)]);
    }
    progress?.update(info);
  };
  const options: MinimizeOptions = {
    method: f.optimizer,
    learningRate: { W: rates.hidden, a: rates.output },
    ...(rates.lineSearch === 'armijo' ? { lineSearch: 'armijo' as const } : {}),
    maxSteps: f.steps,
    gradientTolerance: tol,
    valueTolerance: 0,
    historyEvery: every,
    signal: ctx.signal,
    onStep,
  };
  let result: MinimizeResult;
  try {
    result = await minimizeAsync(objective, theta0, options);
  } catch (error) {
    progress?.clear();
    if (error instanceof DivergenceError) {
      const given = [f['lr-hidden'] !== undefined ? `--lr-hidden ${f['lr-hidden']}` : null, f['lr-output'] !== undefined ? `--lr-output ${f['lr-output']}` : null].filter((s) => s !== null);
      const hint = given.length > 0 ? `try smaller rates than ${given.join(', ')}` : 'try passing smaller --lr-hidden and --lr-output';
      throw new ShallowscapeError(`${error.message.replace(/ \(try a smaller learningRate\)$/, '')}; ${hint}`, 'E_DIVERGENCE', '--lr-hidden');
    }
    throw error;
  }
  progress?.clear();

  const { w, a } = objective.unpack(result.x);
  const finalMovement: [number, number] = [relativeMovement(result.x.subarray(0, hiddenSize), w0.data), relativeMovement(result.x.subarray(hiddenSize), a0)];
  const movementAt = (step: number): [number, number] => (step === result.steps ? finalMovement : movements.get(step)!);
  let populationRisk: number | null = null;
  let populationRiskStandardError: number | null = null;
  // After Ctrl-C the run stops as soon as it can: no Monte Carlo estimate for the interrupted weights.
  if (teacher !== null && !(populationRiskMethod === 'monte-carlo' && ctx.signal.aborted)) {
    const metrics = twoLayerPopulationMetrics({ w, a }, teacher, activation, parameterization, problem.populationRng);
    populationRisk = metrics.value + f.noise * f.noise;
    populationRiskStandardError = metrics.standardError;
  }
  const output: TwoLayerTrainOutput = {
    config,
    final: {
      empiricalRisk: objective.value(result.x),
      populationRisk,
      relativeError: null,
      gradientNorm: result.gradientNorm,
      step: result.steps,
    },
    converged: result.converged,
    stopReason: result.reason,
    history: {
      step: result.history.step,
      risk: result.history.value,
      gradientNorm: result.history.gradientNorm,
      elapsedMs: result.history.time,
      movementHidden: result.history.step.map((s) => movementAt(s)[0]),
      movementOutput: result.history.step.map((s) => movementAt(s)[1]),
    },
    populationRiskStandardError,
  };

  const written =
    f.out === undefined
      ? []
      : await writeRunDirectory(
          ctx,
          f.out,
          [
            { key: 'weights', name: 'W.npy', data: w.data, shape: [m, d] },
            { key: 'outputWeights', name: 'a.npy', data: a, shape: [m] },
            { key: 'initialWeights', name: 'W0.npy', data: w0.data, shape: [m, d] },
            { key: 'initialOutputWeights', name: 'a0.npy', data: a0, shape: [m] },
            { key: 'inputs', name: 'X.npy', data: x.data, shape: [x.rows, d] },
            { key: 'labels', name: 'y.npy', data: y, shape: [y.length] },
            ...(teacher !== null
              ? [
                  { key: 'teacher', name: 'Wstar.npy', data: teacher.w.data, shape: [teacher.w.rows, d] },
                  { key: 'teacherOutputWeights', name: 'astar.npy', data: teacher.a, shape: [teacher.a.length] },
                ]
              : []),
          ],
          output,
          result,
          { startedAt, t0 },
        );
  ctx.stdout.write(f.json ? formatJson(output) : formatTwoLayerSummary(output, performance.now() - t0, written));
  return 0;
}

/** What `eval --model two-layer` computes (its `--json` contract is the first three keys). */
export interface TwoLayerEvaluation {
  /** $\hat L = \frac1N \sum_i (f(x_i) - y_i)^2$. */
  empiricalRisk: number;
  /** $\sqrt{\|\nabla_W \hat L\|_F^2 + \|\nabla_a \hat L\|_2^2}$ over both layers. */
  gradientNorm: number;
  /** Against the teacher for $x \sim N(0, I_d)$ (exact for relu/erf, Monte Carlo otherwise), or `null`. */
  populationRisk: number | null;
  /** Standard error of a Monte Carlo `populationRisk` (0 when exact, `null` without a teacher). */
  populationRiskStandardError: number | null;
  /** $\nabla_W \hat L$, $m \times d$. */
  gradientHidden: Matrix;
  /** $\nabla_a \hat L$, length $m$. */
  gradientOutput: Float64Array;
}

/**
 * Evaluates a two-layer network $f(x) = s\sum_r a_r\sigma(w_r\cdot x)$ on data: the empirical
 * risk, its gradient over both layers and, with a teacher of the same activation and
 * parameterisation, the Gaussian-input population risk.
 */
export function evaluateTwoLayer(
  w: Matrix,
  a: Float64Array,
  x: Matrix,
  y: Float64Array,
  options: { activation: Activation; parameterization: Parameterization; teacher?: { w: Matrix; a: Float64Array } },
): TwoLayerEvaluation {
  const { activation, parameterization } = options;
  const objective = new TwoLayerEmpiricalRisk(x, y, { width: w.rows, activation, parameterization });
  const empiricalRisk = objective.risk(w, a);
  const gradients = objective.gradients(w, a);
  const gradientNorm = Math.hypot(nrm2(gradients.w.data), nrm2(gradients.a));
  let populationRisk: number | null = null;
  let populationRiskStandardError: number | null = null;
  if (options.teacher !== undefined) {
    const metrics = twoLayerPopulationMetrics({ w, a }, options.teacher, activation, parameterization, createRng(EVAL_MONTE_CARLO_SEED));
    populationRisk = metrics.value;
    populationRiskStandardError = metrics.standardError;
  }
  return { empiricalRisk, gradientNorm, populationRisk, populationRiskStandardError, gradientHidden: gradients.w, gradientOutput: gradients.a };
}

/** The two-layer eval flags, as `eval.ts` parses them. */
export interface TwoLayerEvalFlags {
  weights: string;
  data: string;
  labels: string;
  activation: Activation | undefined;
  parameterization: Parameterization | undefined;
  'output-weights': string | undefined;
  teacher: string | undefined;
  'teacher-output-weights': string | undefined;
  'grad-out': string | undefined;
  'output-grad-out': string | undefined;
  json: boolean;
}

/** Checks that a vector file has one entry per row of a weights file, naming both. */
function checkOutputWeights(flag: string, path: string, v: Float64Array, weightsFlag: string, weightsPath: string, w: Matrix): void {
  if (v.length !== w.rows) {
    throw new ShapeError(
      `${flag} ${JSON.stringify(path)} has ${v.length} entries, but ${describeFile(weightsFlag, weightsPath, w)} (m = ${w.rows}): one output weight per hidden unit`,
      flag,
    );
  }
}

/** Runs `eval --model two-layer` after `eval.ts` has read and checked W, X and y. */
export async function runTwoLayerEval(
  ctx: CommandContext,
  flags: TwoLayerEvalFlags,
  data: { w: Matrix; x: Matrix; y: Float64Array },
  format: (result: { empiricalRisk: number; gradientNorm: number; populationRisk: number | null }, note: string) => string,
): Promise<number> {
  const { w, x, y } = data;
  const outputPath = flags['output-weights'];
  if (outputPath === undefined) throw usageError(ctx, 'missing required flag --output-weights <file> (the output layer a, length m) for --model two-layer', '--output-weights');
  const teacherPath = flags.teacher;
  const teacherOutputPath = flags['teacher-output-weights'];
  if ((teacherPath === undefined) !== (teacherOutputPath === undefined)) {
    const [given, missing] = teacherPath !== undefined ? ['--teacher', '--teacher-output-weights'] : ['--teacher-output-weights', '--teacher'];
    throw usageError(ctx, `${given} needs ${missing} as well with --model two-layer (the teacher is W* and a*)`, missing);
  }
  const a = readVectorFile(outputPath, '--output-weights');
  checkOutputWeights('--output-weights', outputPath, a, '--weights', flags.weights, w);
  let teacher: { w: Matrix; a: Float64Array } | undefined;
  if (teacherPath !== undefined && teacherOutputPath !== undefined) {
    const tw = readMatrixFile(teacherPath, '--teacher');
    if (tw.rows === 0 || tw.cols !== w.cols) {
      throw new ShapeError(
        `${describeFile('--teacher', teacherPath, tw)}${tw.rows === 0 ? ' (no rows)' : ` (d = ${tw.cols})`} but ` +
          `${describeFile('--weights', flags.weights, w)} (d = ${w.cols}): the teacher needs at least one row and d columns`,
        '--teacher',
      );
    }
    const ta = readVectorFile(teacherOutputPath, '--teacher-output-weights');
    checkOutputWeights('--teacher-output-weights', teacherOutputPath, ta, '--teacher', teacherPath, tw);
    teacher = { w: tw, a: ta };
  }
  const activation = flags.activation ?? 'relu';
  const parameterization = flags.parameterization ?? 'ntk';
  const result = evaluateTwoLayer(w, a, x, y, { activation, parameterization, ...(teacher !== undefined ? { teacher } : {}) });
  if (flags['grad-out'] !== undefined) await writeMatrixFile(flags['grad-out'], result.gradientHidden, '--grad-out');
  if (flags['output-grad-out'] !== undefined) await writeVectorFile(flags['output-grad-out'], result.gradientOutput, '--output-grad-out');
  const output = { empiricalRisk: result.empiricalRisk, gradientNorm: result.gradientNorm, populationRisk: result.populationRisk };
  const note =
    teacherPath === undefined
      ? 'needs --teacher and --teacher-output-weights'
      : result.populationRiskStandardError === 0
        ? `exact, Gaussian inputs, teacher ${JSON.stringify(teacherPath)}`
        : `Monte Carlo (${POPULATION_MONTE_CARLO_SAMPLES} samples, seed ${EVAL_MONTE_CARLO_SEED}) ± ${formatNumber(result.populationRiskStandardError)}`;
  ctx.stdout.write(flags.json ? formatJson(output) : format(output, note));
  return 0;
}
