/**
 * A quadratic training run with gradient descent on the GPU: the run of `trainQuadratic` from
 * `@shallowscape/experiments` (the same problem: teacher, inputs, labels and start drawn from the
 * seed in float64), with the descent $W_{t+1} = W_t - \eta \nabla \hat L(W_t)$ run entirely on the
 * device in float32 ({@link GpuQuadraticRisk.descend}). The history holds the float32 risks and
 * gradient norms the device computed at the recorded steps. The final metrics are those of the
 * float32 end point, evaluated in float64 on the CPU, and so is the certificate under `certify`:
 * certificates are never computed in float32.
 *
 * @packageDocumentation
 */
import {
  DEFAULT_RELATIVE_TOL,
  certify,
  quadraticProblem,
  type QuadraticProblem,
  type QuadraticTrainingConfig,
  type QuadraticTrainingData,
  type QuadraticTrainingOutput,
  type QuadraticTrainingResult,
  type ResolvedQuadraticTrainingConfig,
} from '@shallowscape/experiments';
import { InvalidArgumentError, Matrix, nrm2 } from '@shallowscape/linalg';
import { QuadraticEmpiricalRisk, generalizationError } from '@shallowscape/model';
import { GpuQuadraticRisk, type GpuDescentResult } from './gpu-quadratic-risk';
import type { WebGpuKernels } from './webgpu-kernels';

/** Fixed-step gradient descent on a device, from the problem's start (see {@link trainQuadraticByDescent}). */
export type QuadraticDescent = (
  problem: QuadraticProblem,
  options: { learningRate: number; maxSteps: number; gradientTolerance: number; checkEvery: number; signal?: AbortSignal },
) => Promise<GpuDescentResult>;

/**
 * Trains a quadratic or signed quadratic network by fixed-step gradient descent on the GPU.
 *
 * @param kernels - the device's kernels.
 * @param config - the configuration of `trainQuadratic` (see {@link trainQuadraticByDescent} for what it must ask for).
 * @param data - the matrices that come from files.
 * @param options - `signal` (stops at the next recorded step, keeping the iterate).
 * @returns the result in the shape of `trainQuadratic`'s.
 */
export function trainQuadraticOnGpu(
  kernels: WebGpuKernels,
  config: QuadraticTrainingConfig,
  data: QuadraticTrainingData = {},
  options: { signal?: AbortSignal } = {},
): Promise<QuadraticTrainingResult> {
  return trainQuadraticByDescent(
    async (problem, descent) => {
      const { x, y, signs } = problem;
      const risk = GpuQuadraticRisk.create(kernels, { x: x.data, y, n: x.rows, d: x.cols, m: problem.w0.rows, ...(signs !== null ? { signs } : {}) });
      try {
        return await risk.descend(problem.w0.data, descent);
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
 * The training run of `trainQuadratic` with fixed-step gradient descent done by `descend` on a
 * device (the problem drawn from the seed in float64 on the CPU, as `trainQuadratic` draws it).
 *
 * @param descend - the descent on the device.
 * @param config - the configuration of `trainQuadratic`; it must ask for `optimizer: 'gd'` with a
 *   `learningRate`, on the `empirical` objective (the loop on the device has no line search and
 *   holds the data, not the population moments).
 * @param data - the matrices that come from files.
 * @param options - `signal` (stops at the next recorded step, keeping the iterate).
 * @returns the result in the shape of `trainQuadratic`'s (`optimizerMs` is the time on the
 *   device; `evaluations` counts one risk and gradient per step).
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming the configuration field the GPU loop
 *   does not support; the errors of `quadraticProblem` for a configuration that means nothing.
 */
export async function trainQuadraticByDescent(
  descend: QuadraticDescent,
  config: QuadraticTrainingConfig,
  data: QuadraticTrainingData = {},
  options: { signal?: AbortSignal } = {},
): Promise<QuadraticTrainingResult> {
  if (config.optimizer !== 'gd') throw new InvalidArgumentError('optimizer', config.optimizer, "'gd' (the loop on the GPU is fixed-step gradient descent)");
  if (config.learningRate === null) throw new InvalidArgumentError('learningRate', config.learningRate, 'a fixed learning rate (the loop on the GPU has no line search)');
  if (config.objective !== 'empirical') throw new InvalidArgumentError('objective', config.objective, "'empirical' (the GPU holds the training data)");
  const problem = quadraticProblem(config, data);
  const { x, y, teacher, w0, signs, moments } = problem;
  const { m, d } = config;
  const empirical = new QuadraticEmpiricalRisk(x, y, m, signs !== null ? { signs } : {});
  const tol = config.tol ?? DEFAULT_RELATIVE_TOL * nrm2(empirical.gradient(w0.data));
  const t0 = performance.now();
  const run = await descend(problem, {
    learningRate: config.learningRate,
    maxSteps: config.steps,
    gradientTolerance: tol,
    checkEvery: config.historyEvery,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  const optimizerMs = performance.now() - t0;
  const w = new Matrix(m, d, run.w);
  const noiseVariance = config.noise * config.noise;
  const metrics = teacher !== null ? generalizationError(w, teacher, { ...moments, noiseVariance, ...(signs !== null ? { signs } : {}) }) : null;
  const { learningRate, tol: _tol, certify: wantCertificate, ...recorded } = config;
  const resolved: ResolvedQuadraticTrainingConfig = {
    ...recorded,
    learningRate,
    learningRateSource: 'flag',
    lineSearch: 'none',
    tol,
    tolSource: config.tol === null ? 'relative-default' : 'flag',
  };
  const converged = run.reason === 'gradient-tolerance';
  const output: QuadraticTrainingOutput = {
    config: resolved,
    final: {
      empiricalRisk: empirical.value(run.w),
      populationRisk: metrics?.populationRisk ?? null,
      relativeError: metrics?.relativeError ?? null,
      gradientNorm: nrm2(empirical.gradient(run.w)),
      step: run.steps,
    },
    converged,
    stopReason: run.reason,
    history: { step: run.history.step, risk: run.history.value, gradientNorm: run.history.gradientNorm, elapsedMs: run.history.elapsedMs },
  };
  if (wantCertificate && run.reason !== 'interrupted') {
    output.certificate = certify({ w, x, y, ...(teacher !== null ? { teacher } : {}), ...(signs !== null ? { signs } : {}) });
  }
  return { output, weights: w, problem, evaluations: run.steps + 1, optimizerMs, relativeErrorHistory: null };
}
