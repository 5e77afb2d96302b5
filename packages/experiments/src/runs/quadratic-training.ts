/**
 * The quadratic training run (`shallowscape train`, a sweep cell of `run: train`): build the
 * data, choose the learning rate, minimise the empirical or population risk of a quadratic or
 * signed quadratic network, and report the final risks, the relative error and the history.
 *
 * @packageDocumentation
 */
import { AbortedError, Matrix, nrm2 } from '@shallowscape/linalg';
import { QuadraticEmpiricalRisk, QuadraticPopulationRisk, generalizationError } from '@shallowscape/model';
import { curvatureLearningRate, minimizeAsync, weightScaleLearningRate, type MinimizeOptions, type MinimizeResult, type StepInfo } from '@shallowscape/optim';
import { certify, type CertificateOutput } from './certification';
import { finiteOrOverflow, withOverflowGuard } from './float-overflow-error';
import { quadraticProblem, type QuadraticProblem } from './quadratic-problem';
import {
  DEFAULT_RELATIVE_TOL,
  INIT_KINDS,
  INPUT_KINDS,
  type QuadraticTrainingConfig,
  type QuadraticTrainingData,
  type ResolvedQuadraticTrainingConfig,
} from './quadratic-training-config';

/** Final metrics of a training run (`final` in `train --json`). */
export interface TrainingFinal {
  /** $\hat L(W) = \frac1N \sum_i (f_W(x_i) - y_i)^2$ on the training data. */
  empiricalRisk: number;
  /** $L(W)$ against the teacher for the input distribution (Gaussian for file inputs), label noise included; `null` without a teacher. */
  populationRisk: number | null;
  /** $\|Q - W^{*\top}W^*\|_F / \|W^{*\top}W^*\|_F$ (quadratic models); `null` without a teacher or for two-layer models. */
  relativeError: number | null;
  /** Frobenius norm of the gradient of the risk being minimised, over the trainable parameters. */
  gradientNorm: number;
  /** Optimiser steps taken. */
  step: number;
}

/** The sampled optimisation history, as parallel arrays. */
export interface TrainingHistory {
  step: number[];
  /** The risk being minimised at those steps. */
  risk: number[];
  gradientNorm: number[];
  /** Milliseconds since the optimiser started (a timing field). */
  elapsedMs: number[];
}

/** What a quadratic training run reports (`train --json`). */
export interface QuadraticTrainingOutput {
  config: ResolvedQuadraticTrainingConfig;
  final: TrainingFinal;
  converged: boolean;
  /** Why the optimiser stopped (see `StopReason` in `@shallowscape/optim`). */
  stopReason: MinimizeResult['reason'];
  history: TrainingHistory;
  /** With `certify`: the certificate of the final weights on the training data and teacher. */
  certificate?: CertificateOutput;
}

/** A finished quadratic training run: its report and the arrays a run directory keeps. */
export interface QuadraticTrainingResult {
  output: QuadraticTrainingOutput;
  /** The final weights $W$, $m \times d$. */
  weights: Matrix;
  /** The data trained on and the start. */
  problem: QuadraticProblem;
  /** Objective evaluations made by the optimiser (line-search trials included). */
  evaluations: number;
  /** Milliseconds spent in the optimiser. */
  optimizerMs: number;
  /**
   * With a teacher: the relative error $\|Q_t - W^{*\top}W^*\|_F / \|W^{*\top}W^*\|_F$ at the
   * steps of `output.history` (the last one is `final.relativeError`), for figures; `null` without
   * a teacher. Not part of `output`, whose keys are the JSON contract of `train`.
   */
  relativeErrorHistory: number[] | null;
}

/** Options of the training runs. */
export interface TrainingRunOptions {
  /** Aborting it stops the optimiser at the next iterate; the run still returns what it reached (stop reason `"interrupted"`), without a certificate. */
  signal?: AbortSignal;
  /** Called at every optimiser step (progress display). */
  onStep?: (info: StepInfo) => void;
}

/**
 * The trace $\tau$ that $A = W^\top W$ moves towards: $\|W^*\|_F^2$ for the population risk,
 * $\sqrt{\operatorname{mean}(y^2)}/\mu_2$ from the labels otherwise (for Gaussian inputs
 * $\mathbb E[x^\top A x] = \mu_2 \operatorname{tr} A$).
 */
function targetTrace(config: QuadraticTrainingConfig, problem: QuadraticProblem): number {
  if (config.objective === 'population') return problem.teacher!.data.reduce((s, v) => s + v * v, 0);
  const y = problem.y;
  return Math.sqrt(y.reduce((s, v) => s + v * v, 0) / y.length) / problem.moments.mu2;
}

/**
 * The default learning rate of momentum, Nesterov and Adam, from the scale of the problem. The
 * curvature of the quadratic risk grows with the scale of $A = W^\top W$ (for Gaussian inputs and
 * $A = cI$ the largest Hessian eigenvalue is $8c(d+2)$), and along a run $A$ moves from $A_0$ to
 * the target of trace $\tau$. So momentum and Nesterov take $1/\hat\lambda$, $\hat\lambda$ the
 * curvature (`curvatureLearningRate` of `@shallowscape/optim`) at $W_0$ and at $W_0$ rescaled to
 * trace $\tau$; Adam, whose steps are about $\eta$ per coordinate whatever the curvature, takes
 * 1% of the RMS weight at that scale, $0.01\sqrt{\max(\|W_0\|_F^2, \tau)/(md)}$
 * (`weightScaleLearningRate`).
 */
function scaledLearningRate(optimizer: 'momentum' | 'nesterov' | 'adam', objective: QuadraticEmpiricalRisk | QuadraticPopulationRisk, w0: Float64Array, tau: number): number {
  if (optimizer === 'adam') return weightScaleLearningRate(w0, tau);
  const size = w0.length;
  const w0Square = w0.reduce((s, v) => s + v * v, 0);
  const points = [w0];
  if (tau > 0) {
    const reference = new Float64Array(size);
    if (w0Square > 0) {
      const factor = Math.sqrt(tau / w0Square);
      for (let k = 0; k < size; k++) reference[k] = w0[k]! * factor;
    } else {
      const entry = Math.sqrt(tau / size);
      for (let k = 0; k < size; k++) reference[k] = entry * (k % 2 === 0 ? 1 : -1);
    }
    points.push(reference);
  }
  return curvatureLearningRate(objective, points);
}

/** The sources of a quadratic run's data, for overflow messages: the fields that name files or scale generators. */
function dataSources(config: QuadraticTrainingConfig): string[] {
  const sources: string[] = [];
  if (config.teacher !== null && config.teacher !== 'gaussian') sources.push('teacher');
  if (!(INPUT_KINDS as readonly string[]).includes(config.inputs)) sources.push('inputs');
  if (config.labels !== 'teacher' && config.labels !== 'random') sources.push('labels');
  if (!(INIT_KINDS as readonly string[]).includes(config.init)) sources.push('init');
  else if (config.initScale !== null && config.initScale !== 1) sources.push('initScale');
  if (config.noise > 0) sources.push('noise');
  return sources.length > 0 ? sources : ['inputs', 'labels', 'init'];
}

/**
 * Trains a quadratic ($v = \mathbf 1$) or signed quadratic network $f(x) = x^\top W^\top
 * \operatorname{diag}(v) W x$ on teacher–student or given data: builds the data
 * (`quadraticProblem`), checks that the starting risk and gradient are finite, picks the learning
 * rate, minimises the empirical risk $\hat L(W) = \frac1N\sum_i (f(x_i) - y_i)^2$ or the exact
 * population risk, and reports the final metrics.
 *
 * Learning rate when `config.learningRate` is `null`: `gd` uses Armijo backtracking from 1,
 * `lbfgs` 1 (its strong Wolfe line search scales it), momentum and Nesterov $1/\hat\lambda$ from
 * the curvature and Adam 1% of the RMS weight (see `scaledLearningRate` in the source). The
 * tolerance defaults to {@link DEFAULT_RELATIVE_TOL} $\cdot \|\nabla L(W_0)\|_F$.
 *
 * The same configuration gives bit-identical results in any thread or process.
 *
 * @param config - the run, fully resolved.
 * @param data - the matrices of the fields that name files.
 * @param options - `signal` (stops the optimiser; the result says `"interrupted"`) and `onStep`.
 * @returns the report (`output`), the final weights, the data and the optimiser's counts.
 * @throws `InvalidArgumentError`/`ShapeError` for an inconsistent configuration,
 *   `FloatOverflowError` when the data overflow float64 arithmetic at the start, `DivergenceError`
 *   (from `@shallowscape/optim`) when the iterates blow up.
 * @example
 * ```ts
 * const { output } = await trainQuadratic({ ...DEFAULT_QUADRATIC_TRAINING, d: 4, m: 4, n: 20, teacherWidth: 4 });
 * output.converged; // => true
 * output.final.relativeError < 1e-6; // => true
 * ```
 */
export async function trainQuadratic(
  config: QuadraticTrainingConfig,
  data: QuadraticTrainingData = {},
  options: TrainingRunOptions = {},
): Promise<QuadraticTrainingResult> {
  const problem = quadraticProblem(config, data);
  const { x, y, teacher, w0, signs, moments } = problem;
  const { m, d } = config;
  const noiseVariance = config.noise * config.noise;
  const signOption = signs !== null ? { signs } : {};
  const empirical = new QuadraticEmpiricalRisk(x, y, m, signOption);
  const objective = config.objective === 'population' ? new QuadraticPopulationRisk(teacher!, m, { ...moments, noiseVariance, ...signOption }) : empirical;
  const x0 = w0.data.slice();

  const sources = dataSources(config);
  const gradient0 = withOverflowGuard('the gradient at the start', sources, () => objective.gradient(x0));
  finiteOrOverflow(`the ${config.objective} risk at the start`, withOverflowGuard('the risk at the start', sources, () => objective.value(x0)), sources);
  const gradientNorm0 = finiteOrOverflow('the gradient norm at the start', nrm2(gradient0), sources);
  const tol = config.tol ?? DEFAULT_RELATIVE_TOL * gradientNorm0;

  let learningRate: number;
  let learningRateSource: ResolvedQuadraticTrainingConfig['learningRateSource'];
  let lineSearch: ResolvedQuadraticTrainingConfig['lineSearch'] = config.optimizer === 'lbfgs' ? 'strong-wolfe' : 'none';
  if (config.learningRate !== null) {
    learningRate = config.learningRate;
    learningRateSource = 'flag';
  } else if (config.optimizer === 'gd' || config.optimizer === 'lbfgs') {
    learningRate = 1;
    learningRateSource = 'default';
    if (config.optimizer === 'gd') lineSearch = 'armijo';
  } else {
    learningRate = scaledLearningRate(config.optimizer, objective, x0, targetTrace(config, problem));
    learningRateSource = 'curvature-estimate';
  }
  const { learningRate: _rate, tol: _tol, certify: wantCertificate, ...recorded } = config;
  const resolved: ResolvedQuadraticTrainingConfig = {
    ...recorded,
    learningRate,
    learningRateSource,
    lineSearch,
    tol,
    tolSource: config.tol === null ? 'relative-default' : 'flag',
  };

  const minimizeOptions: MinimizeOptions = {
    method: config.optimizer,
    learningRate,
    ...(lineSearch === 'armijo' ? { lineSearch: 'armijo' as const } : {}),
    maxSteps: config.steps,
    gradientTolerance: tol,
    valueTolerance: 0,
    historyEvery: config.historyEvery,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  };
  // With a teacher, the relative error at the recorded steps (every k-th; the last one is the final one).
  const errors = new Map<number, number>();
  if (teacher !== null) {
    const every = config.historyEvery;
    minimizeOptions.onStep = (info) => {
      if (info.step % every === 0) errors.set(info.step, generalizationError(new Matrix(m, d, info.x as Float64Array), teacher, { ...moments, noiseVariance, ...signOption }).relativeError);
      return options.onStep?.(info);
    };
  } else if (options.onStep !== undefined) {
    minimizeOptions.onStep = options.onStep;
  }
  const result = await minimizeAsync(objective, x0, minimizeOptions);

  const w = new Matrix(m, d, result.x);
  const metrics = teacher !== null ? generalizationError(w, teacher, { ...moments, noiseVariance, ...signOption }) : null;
  const output: QuadraticTrainingOutput = {
    config: resolved,
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
  const relativeErrorHistory = metrics === null ? null : result.history.step.map((s) => (s === result.steps ? metrics.relativeError : errors.get(s)!));
  // After an abort the run stops as soon as it can: no certificate for the interrupted weights.
  if (wantCertificate && options.signal?.aborted !== true) {
    try {
      output.certificate = certify(
        { w, x, y, ...(teacher !== null ? { teacher } : {}), ...(signs !== null ? { signs } : {}) },
        options.signal !== undefined ? { signal: options.signal } : {},
      );
    } catch (error) {
      if (!(error instanceof AbortedError)) throw error;
    }
  }
  return { output, weights: w, problem, evaluations: result.evaluations, optimizerMs: result.elapsedMs, relativeErrorHistory };
}
