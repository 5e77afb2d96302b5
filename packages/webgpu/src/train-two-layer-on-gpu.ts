/**
 * A two-layer ReLU training run with gradient descent on the GPU: the run of `trainTwoLayer` from
 * `@shallowscape/experiments` (the same problem: teacher, inputs, labels and start drawn from the
 * seed in float64), with the descent
 * $W_{t+1} = W_t - \eta_W \nabla_W \hat L$, $a_{t+1} = a_t - \eta_a \nabla_a \hat L$ on the device in
 * float32 ({@link GpuReluRisk.descend}). The history holds the float32 risks, gradient norms and
 * movements the device computed at the recorded steps (the movements against the start rounded to
 * float32); the final metrics are those of the float32 end point, evaluated in float64 on the CPU (the population risk against a teacher exactly, by the
 * arc-cosine kernel).
 *
 * @packageDocumentation
 */
import {
  DEFAULT_RELATIVE_TOL,
  twoLayerPopulationMetrics,
  twoLayerProblem,
  type ResolvedTwoLayerTrainingConfig,
  type TwoLayerProblem,
  type TwoLayerTrainingConfig,
  type TwoLayerTrainingData,
  type TwoLayerTrainingOutput,
  type TwoLayerTrainingResult,
} from '@shallowscape/experiments';
import { InvalidArgumentError, nrm2 } from '@shallowscape/linalg';
import { TwoLayerEmpiricalRisk, parameterizationScale, relativeMovement } from '@shallowscape/model';
import { GpuReluRisk, type GpuReluDescentResult } from './gpu-relu-risk';
import type { WebGpuKernels } from './webgpu-kernels';

/** Fixed-step gradient descent of a two-layer ReLU network on a device, from the problem's start. */
export type TwoLayerDescent = (
  problem: TwoLayerProblem,
  options: {
    /** The output scale $s$ of the parameterisation. */
    scale: number;
    learningRates: { hidden: number; output: number };
    maxSteps: number;
    gradientTolerance: number;
    checkEvery: number;
    signal?: AbortSignal;
  },
) => Promise<GpuReluDescentResult>;

/**
 * Trains a two-layer ReLU network by fixed-step gradient descent on the GPU.
 *
 * @param kernels - the device's kernels.
 * @param config - the configuration of `trainTwoLayer` (see {@link trainTwoLayerByDescent} for what it must ask for).
 * @param data - the matrices that come from files.
 * @param options - `signal` (stops at the next recorded step, keeping the iterate).
 * @returns the result in the shape of `trainTwoLayer`'s.
 */
export function trainTwoLayerOnGpu(
  kernels: WebGpuKernels,
  config: TwoLayerTrainingConfig,
  data: TwoLayerTrainingData = {},
  options: { signal?: AbortSignal } = {},
): Promise<TwoLayerTrainingResult> {
  return trainTwoLayerByDescent(
    async (problem, descent) => {
      const { x, y, w0, a0 } = problem;
      const m = w0.rows;
      const risk = GpuReluRisk.create(kernels, { x: x.data, y, n: x.rows, d: x.cols, m, scale: descent.scale });
      try {
        const theta0 = new Float64Array(w0.data.length + m);
        theta0.set(w0.data, 0);
        theta0.set(a0, w0.data.length);
        return await risk.descend(theta0, descent);
      } finally {
        risk.destroy();
      }
    },
    config,
    data,
    options,
  );
}

/**
 * The training run of `trainTwoLayer` with fixed-step gradient descent done by `descend` on a
 * device (the problem drawn from the seed in float64 on the CPU, as `trainTwoLayer` draws it).
 *
 * @param descend - the descent on the device.
 * @param config - the configuration of `trainTwoLayer`; it must ask for `activation: 'relu'` (the
 *   device kernels are ReLU's), `optimizer: 'gd'` and a rate for each layer that is not frozen
 *   (the loop on the device has no line search and no curvature estimate).
 * @param data - the matrices that come from files.
 * @param options - `signal` (stops at the next recorded step, keeping the iterate).
 * @returns the result in the shape of `trainTwoLayer`'s (`optimizerMs` is the time of the
 *   descent; `evaluations` counts one risk and gradient per step).
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming the configuration field the GPU loop
 *   does not support; the errors of `twoLayerProblem` for a configuration that means nothing.
 */
export async function trainTwoLayerByDescent(
  descend: TwoLayerDescent,
  config: TwoLayerTrainingConfig,
  data: TwoLayerTrainingData = {},
  options: { signal?: AbortSignal } = {},
): Promise<TwoLayerTrainingResult> {
  if (config.activation !== 'relu') throw new InvalidArgumentError('activation', config.activation, "'relu' (the GPU kernels are ReLU's)");
  if (config.optimizer !== 'gd') throw new InvalidArgumentError('optimizer', config.optimizer, "'gd' (the loop on the GPU is fixed-step gradient descent)");
  const frozenHidden = config.freeze === 'hidden';
  const frozenOutput = config.freeze === 'output';
  if (!frozenHidden && config.learningRateHidden === null) throw new InvalidArgumentError('learningRateHidden', null, 'a fixed rate for W (the loop on the GPU has no line search)');
  if (!frozenOutput && config.learningRateOutput === null) throw new InvalidArgumentError('learningRateOutput', null, 'a fixed rate for a (the loop on the GPU has no line search)');
  const problem = twoLayerProblem(config, data);
  const { x, y, teacher, w0, a0 } = problem;
  const { activation, parameterization, d, m, n } = config;
  const objective = new TwoLayerEmpiricalRisk(x, y, { width: m, activation, parameterization, ...(config.freeze !== null ? { freeze: config.freeze } : {}) });
  const theta0 = objective.pack(w0, a0);
  const tol = config.tol ?? DEFAULT_RELATIVE_TOL * nrm2(objective.gradient(theta0));
  const rates = { hidden: frozenHidden ? 0 : config.learningRateHidden!, output: frozenOutput ? 0 : config.learningRateOutput! };
  const t0 = performance.now();
  const run = await descend(problem, {
    scale: parameterizationScale(parameterization, m),
    learningRates: rates,
    maxSteps: config.steps,
    gradientTolerance: tol,
    checkEvery: config.historyEvery,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  const optimizerMs = performance.now() - t0;
  // A frozen layer is its float64 start, not the device's float32 copy of it.
  if (frozenHidden) run.theta.set(w0.data, 0);
  if (frozenOutput) run.theta.set(a0, w0.data.length);
  const { w, a } = objective.unpack(run.theta);
  const populationRiskMethod = teacher === null ? null : 'exact';
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
    optimizer: 'gd',
    learningRateHidden: rates.hidden,
    learningRateOutput: rates.output,
    learningRateSource: { hidden: frozenHidden ? 'frozen' : 'flag', output: frozenOutput ? 'frozen' : 'flag' },
    lineSearch: 'none',
    steps: config.steps,
    objective: 'empirical',
    tol,
    tolSource: config.tol === null ? 'relative-default' : 'flag',
    historyEvery: config.historyEvery,
    seed: config.seed,
    populationRiskMethod,
    populationRiskSamples: null,
  };
  let populationRisk: number | null = null;
  let populationRiskStandardError: number | null = null;
  if (teacher !== null) {
    const metrics = twoLayerPopulationMetrics({ w, a }, teacher, activation, parameterization, problem.populationRng);
    populationRisk = metrics.value + config.noise * config.noise;
    populationRiskStandardError = metrics.standardError;
  }
  const { history } = run;
  const output: TwoLayerTrainingOutput = {
    config: resolved,
    final: {
      empiricalRisk: objective.value(run.theta),
      populationRisk,
      relativeError: null,
      gradientNorm: nrm2(objective.gradient(run.theta)),
      step: run.steps,
      movementHidden: relativeMovement(w.data, w0.data),
      movementOutput: relativeMovement(a, a0),
    },
    converged: run.reason === 'gradient-tolerance',
    stopReason: run.reason,
    history: {
      step: history.step,
      risk: history.value,
      gradientNorm: history.gradientNorm,
      elapsedMs: history.elapsedMs,
      movementHidden: history.movementHidden,
      movementOutput: history.movementOutput,
    },
    populationRiskStandardError,
  };
  return { output, weights: { w, a }, problem, evaluations: run.steps + 1, optimizerMs };
}
