/**
 * The two-layer training run (`shallowscape train --model two-layer`): a network
 * $f(x) = s \sum_r a_r \sigma(w_r \cdot x)$ trained with a learning rate per layer (either layer
 * may be frozen), with the relative movement of each layer from its start recorded over the run.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, ShapeError, checkPositiveInteger, createRng, gaussianMatrix, nrm2, type Rng } from '@shallowscape/linalg';
import { TwoLayerEmpiricalRisk, TwoLayerNet, randomLabels, relativeMovement } from '@shallowscape/model';
import { curvatureLearningRate, minimizeAsync, weightScaleLearningRate, type MinimizeOptions, type MinimizeResult, type StepInfo } from '@shallowscape/optim';
import { finiteOrOverflow, withOverflowGuard } from './float-overflow-error';
import { DEFAULT_RELATIVE_TOL } from './quadratic-training-config';
import type { TrainingFinal, TrainingHistory, TrainingRunOptions } from './quadratic-training';
import { twoLayerPopulationMetrics, type TwoLayerWeights } from './two-layer-evaluation';
import {
  POPULATION_MONTE_CARLO_SAMPLES,
  type LayerRateSource,
  type ResolvedTwoLayerTrainingConfig,
  type TwoLayerTrainingConfig,
  type TwoLayerTrainingData,
} from './two-layer-training-config';

/** The history of a two-layer run: that of quadratic runs plus the relative movements. */
export interface TwoLayerTrainingHistory extends TrainingHistory {
  /** $\|W_t - W_0\|_F / \|W_0\|_F$ at the recorded steps. */
  movementHidden: number[];
  /** $\|a_t - a_0\|_2 / \|a_0\|_2$ at the recorded steps. */
  movementOutput: number[];
}

/** The final metrics of a two-layer run: those of every run and how far each layer moved. */
export interface TwoLayerTrainingFinal extends TrainingFinal {
  /** $\|W_T - W_0\|_F / \|W_0\|_F$ at the last step (small: the lazy, NTK regime). */
  movementHidden: number;
  /** $\|a_T - a_0\|_2 / \|a_0\|_2$ at the last step. */
  movementOutput: number;
}

/** What a two-layer training run reports (`train --model two-layer --json`). */
export interface TwoLayerTrainingOutput {
  config: ResolvedTwoLayerTrainingConfig;
  final: TwoLayerTrainingFinal;
  converged: boolean;
  /** Why the optimiser stopped (see `StopReason` in `@shallowscape/optim`). */
  stopReason: MinimizeResult['reason'];
  history: TwoLayerTrainingHistory;
  /** Standard error of a Monte Carlo `final.populationRisk` (0 when exact, `null` without a teacher). */
  populationRiskStandardError: number | null;
}

/** Everything a two-layer run trains on. */
export interface TwoLayerProblem {
  /** Inputs $X$, $N \times d$. */
  x: Matrix;
  /** Labels, length $N$. */
  y: Float64Array;
  /** The teacher ($W^*$, $a^*$) with teacher labels, else `null`. */
  teacher: TwoLayerWeights | null;
  /** The start $W_0$ ($m \times d$, entries $N(0, 1/d)$). */
  w0: Matrix;
  /** The start $a_0$ (length $m$, entries $N(0, 1)$). */
  a0: Float64Array;
  /** The stream of the Monte Carlo population risk. */
  populationRng: Rng;
}

/** A finished two-layer training run: its report and the arrays a run directory keeps. */
export interface TwoLayerTrainingResult {
  output: TwoLayerTrainingOutput;
  /** The final weights. */
  weights: TwoLayerWeights;
  problem: TwoLayerProblem;
  evaluations: number;
  optimizerMs: number;
}

/**
 * Checks a two-layer configuration and builds its data from the streams split off
 * `createRng(seed)` in the order teacher ($W^*$ then $a^*$), inputs, labels (and noise),
 * initialisation ($W_0$ then $a_0$), Monte Carlo population risk.
 *
 * @param config - the run.
 * @param data - the matrices of the fields that name files.
 * @returns the data and the start.
 * @throws `InvalidArgumentError` for a size below 1, noise or a teacher width without teacher
 *   labels, a file field without its data; `ShapeError` for data of another shape than the sizes.
 * @example
 * ```ts
 * twoLayerProblem({ ...DEFAULT_TWO_LAYER_TRAINING, n: 7 }).x.rows; // => 7
 * ```
 */
export function twoLayerProblem(config: TwoLayerTrainingConfig, data: TwoLayerTrainingData = {}): TwoLayerProblem {
  const { d, m, n } = config;
  checkPositiveInteger('d', d);
  checkPositiveInteger('m', m);
  checkPositiveInteger('n', n);
  const teacherLabelsWanted = config.labels === 'teacher';
  if (teacherLabelsWanted) checkPositiveInteger('teacherWidth', config.teacherWidth ?? 0);
  else if (config.teacherWidth !== null) throw new InvalidArgumentError('teacherWidth', config.teacherWidth, 'null unless the labels are "teacher"');
  if (!(config.noise >= 0 && Number.isFinite(config.noise))) throw new InvalidArgumentError('noise', config.noise, 'a finite number ≥ 0');
  if (config.noise > 0 && !teacherLabelsWanted) throw new InvalidArgumentError('noise', config.noise, '0 unless the labels are "teacher"');
  if (config.inputs !== 'gaussian') {
    const inputs = data.inputs;
    if (inputs === undefined) throw new InvalidArgumentError('inputs', config.inputs, '"gaussian", or a file whose contents are given as data.inputs');
    if (inputs.rows !== n || inputs.cols !== d) throw new ShapeError(`inputs is ${inputs.rows}×${inputs.cols}, but the configuration needs ${n}×${d}`, 'inputs');
  }
  if (!teacherLabelsWanted && config.labels !== 'random') {
    const labels = data.labels;
    if (labels === undefined) throw new InvalidArgumentError('labels', config.labels, '"teacher", "random", or a file whose contents are given as data.labels');
    if (labels.length !== n) throw new ShapeError(`labels has ${labels.length} entries, but the configuration needs N = ${n}`, 'labels');
  }

  const root = createRng(config.seed);
  const teacherRng = root.split();
  const inputsRng = root.split();
  const labelsRng = root.split();
  const initRng = root.split();
  const populationRng = root.split();
  const { activation, parameterization } = config;
  const teacher = teacherLabelsWanted
    ? { w: gaussianMatrix(config.teacherWidth!, d, teacherRng, 1 / Math.sqrt(d)), a: teacherRng.fillNormal(new Float64Array(config.teacherWidth!)) }
    : null;
  const x = config.inputs === 'gaussian' ? gaussianMatrix(n, d, inputsRng) : data.inputs!;
  let y: Float64Array;
  if (teacher !== null) {
    y = new TwoLayerNet(teacher.w, teacher.a, { activation, parameterization }).predict(x);
    if (config.noise > 0) for (let i = 0; i < n; i++) y[i] = y[i]! + config.noise * labelsRng.normal();
  } else if (config.labels === 'random') y = randomLabels(n, labelsRng);
  else y = data.labels!;
  const w0 = gaussianMatrix(m, d, initRng, 1 / Math.sqrt(d));
  const a0 = initRng.fillNormal(new Float64Array(m));
  return { x, y, teacher, w0, a0, populationRng };
}

/**
 * The per-layer rates: the configured ones, 0 for a frozen layer, otherwise the optimiser's
 * default. lbfgs: 1 (the rates form its diagonal preconditioner). gd without rates: Armijo
 * backtracking from 1. gd with one rate, momentum and nesterov: $1/\hat\lambda$ from the
 * curvature over the trainable layers at the start. adam: 1% of the layer's RMS initial weight.
 */
function resolveRates(
  config: TwoLayerTrainingConfig,
  objective: TwoLayerEmpiricalRisk,
  theta0: Float64Array,
  problem: TwoLayerProblem,
): { hidden: number; output: number; source: { hidden: LayerRateSource; output: LayerRateSource }; lineSearch: ResolvedTwoLayerTrainingConfig['lineSearch'] } {
  const hiddenSize = problem.w0.data.length;
  const frozenHidden = config.freeze === 'hidden';
  const frozenOutput = config.freeze === 'output';
  const anyRate = config.learningRateHidden !== null || config.learningRateOutput !== null;
  let lineSearch: ResolvedTwoLayerTrainingConfig['lineSearch'] = config.optimizer === 'lbfgs' ? 'strong-wolfe' : 'none';
  if (config.optimizer === 'gd' && !anyRate) lineSearch = 'armijo';
  let curvatureRate: number | undefined;
  const defaultRate = (layer: 'hidden' | 'output'): { rate: number; source: LayerRateSource } => {
    if (config.optimizer === 'lbfgs' || lineSearch === 'armijo') return { rate: 1, source: 'default' };
    if (config.optimizer === 'adam') return { rate: weightScaleLearningRate(layer === 'hidden' ? problem.w0.data : problem.a0), source: 'weight-scale' };
    curvatureRate ??= curvatureLearningRate(objective, [theta0], { trainable: (k) => (k < hiddenSize ? !frozenHidden : !frozenOutput) });
    return { rate: curvatureRate, source: 'curvature-estimate' };
  };
  const pick = (layer: 'hidden' | 'output', frozen: boolean, given: number | null): { rate: number; source: LayerRateSource } => {
    if (frozen) return { rate: 0, source: 'frozen' };
    if (given !== null) return { rate: given, source: 'flag' };
    return defaultRate(layer);
  };
  const hidden = pick('hidden', frozenHidden, config.learningRateHidden);
  const output = pick('output', frozenOutput, config.learningRateOutput);
  return { hidden: hidden.rate, output: output.rate, source: { hidden: hidden.source, output: output.source }, lineSearch };
}

/**
 * Trains a two-layer network $f(x) = s\sum_r a_r\sigma(w_r \cdot x)$ on teacher, random or given
 * labels: minimises $\hat L = \frac1N\sum_i (f(x_i) - y_i)^2$ with the rates $\{W: \eta_W, a: \eta_a\}$,
 * recording $\|W_t - W_0\|_F/\|W_0\|_F$ and $\|a_t - a_0\|/\|a_0\|$ at the history steps, and with
 * a teacher the population risk of the result (exact for relu and erf, Monte Carlo otherwise; not
 * estimated after an abort).
 *
 * @param config - the run, fully resolved.
 * @param data - the matrices of the fields that name files.
 * @param options - `signal` and `onStep`.
 * @returns the report, the final weights, the data and the optimiser's counts.
 * @throws as {@link twoLayerProblem}; `FloatOverflowError` when the data overflow float64
 *   arithmetic at the start; `DivergenceError` when the iterates blow up.
 * @example
 * ```ts
 * const { output } = await trainTwoLayer({ ...DEFAULT_TWO_LAYER_TRAINING, m: 20, n: 10, steps: 50 });
 * output.history.movementHidden[0]; // => 0
 * ```
 */
export async function trainTwoLayer(config: TwoLayerTrainingConfig, data: TwoLayerTrainingData = {}, options: TrainingRunOptions = {}): Promise<TwoLayerTrainingResult> {
  const problem = twoLayerProblem(config, data);
  const { activation, parameterization, d, m, n } = config;
  const { x, y, teacher, w0, a0 } = problem;
  const objective = new TwoLayerEmpiricalRisk(x, y, { width: m, activation, parameterization, ...(config.freeze !== null ? { freeze: config.freeze } : {}) });
  const theta0 = objective.pack(w0, a0);
  const hiddenSize = m * d;
  const sources = [...(config.inputs !== 'gaussian' ? ['inputs'] : []), ...(config.labels !== 'teacher' && config.labels !== 'random' ? ['labels'] : [])];
  const blame = sources.length > 0 ? sources : config.noise > 0 ? ['noise'] : ['inputs', 'labels'];
  finiteOrOverflow('the empirical risk at the start', withOverflowGuard('the empirical risk at the start', blame, () => objective.value(theta0)), blame);
  const gradient0 = withOverflowGuard('the gradient at the start', blame, () => objective.gradient(theta0));
  const tol = config.tol ?? DEFAULT_RELATIVE_TOL * finiteOrOverflow('the gradient norm at the start', nrm2(gradient0), blame);
  const rates = resolveRates(config, objective, theta0, problem);
  const populationRiskMethod = teacher === null ? null : activation === 'relu' || activation === 'erf' ? 'exact' : 'monte-carlo';
  const resolved: ResolvedTwoLayerTrainingConfig = {
    model: 'two-layer',
    activation,
    parameterization,
    d,
    m,
    n,
    teacher: teacher === null ? null : 'gaussian',
    teacherWidth: config.teacherWidth,
    inputs: config.inputs,
    labels: config.labels,
    noise: config.noise,
    init: 'gaussian',
    freeze: config.freeze,
    optimizer: config.optimizer,
    learningRateHidden: rates.hidden,
    learningRateOutput: rates.output,
    learningRateSource: rates.source,
    lineSearch: rates.lineSearch,
    steps: config.steps,
    objective: 'empirical',
    tol,
    tolSource: config.tol === null ? 'relative-default' : 'flag',
    historyEvery: config.historyEvery,
    seed: config.seed,
    populationRiskMethod,
    populationRiskSamples: populationRiskMethod === 'monte-carlo' ? POPULATION_MONTE_CARLO_SAMPLES : null,
  };

  // Movements at the recorded steps (every k-th step; the last one is computed from the result).
  const movements = new Map<number, [number, number]>();
  const every = config.historyEvery;
  const onStep = (info: StepInfo): void => {
    if (info.step % every === 0) {
      const theta = info.x as Float64Array;
      movements.set(info.step, [relativeMovement(theta.subarray(0, hiddenSize), w0.data), relativeMovement(theta.subarray(hiddenSize), a0)]);
    }
    options.onStep?.(info);
  };
  const minimizeOptions: MinimizeOptions = {
    method: config.optimizer,
    learningRate: { W: rates.hidden, a: rates.output },
    ...(rates.lineSearch === 'armijo' ? { lineSearch: 'armijo' as const } : {}),
    maxSteps: config.steps,
    gradientTolerance: tol,
    valueTolerance: 0,
    historyEvery: every,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    onStep,
  };
  const result = await minimizeAsync(objective, theta0, minimizeOptions);

  const { w, a } = objective.unpack(result.x);
  const finalMovement: [number, number] = [relativeMovement(result.x.subarray(0, hiddenSize), w0.data), relativeMovement(result.x.subarray(hiddenSize), a0)];
  const movementAt = (step: number): [number, number] => (step === result.steps ? finalMovement : movements.get(step)!);
  let populationRisk: number | null = null;
  let populationRiskStandardError: number | null = null;
  // After an abort the run stops as soon as it can: no Monte Carlo estimate for the interrupted weights.
  if (teacher !== null && !(populationRiskMethod === 'monte-carlo' && options.signal?.aborted === true)) {
    const metrics = twoLayerPopulationMetrics({ w, a }, teacher, activation, parameterization, problem.populationRng);
    populationRisk = metrics.value + config.noise * config.noise;
    populationRiskStandardError = metrics.standardError;
  }
  const output: TwoLayerTrainingOutput = {
    config: resolved,
    final: {
      empiricalRisk: objective.value(result.x),
      populationRisk,
      relativeError: null,
      gradientNorm: result.gradientNorm,
      step: result.steps,
      movementHidden: finalMovement[0],
      movementOutput: finalMovement[1],
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
  return { output, weights: { w, a }, problem, evaluations: result.evaluations, optimizerMs: result.elapsedMs };
}
