/**
 * Training and evaluation of quadratic and two-layer ReLU networks with the risk and gradient from
 * gpu.js kernels:
 * fixed-step gradient descent $W_{t+1} = W_t - \eta \nabla \hat L(W_t)$ with the float32 risk and
 * gradient of {@link GpujsKernels.quadraticRisk} at every step and the update in float64 on the
 * CPU (gpu.js has no resident buffers to update in place), in the shape of `trainQuadratic`'s
 * result (`trainQuadraticByDescent` of `@shallowscape/webgpu` builds it), and the evaluation of
 * `evaluateQuadratic` (`evaluateQuadraticWith`); the same for two-layer ReLU networks with a rate per
 * layer (`trainTwoLayerByDescent`, `evaluateTwoLayerWith`).
 *
 * @packageDocumentation
 */
import type {
  EvaluationMetrics,
  QuadraticProblem,
  QuadraticTrainingConfig,
  QuadraticTrainingData,
  QuadraticTrainingResult,
  TwoLayerEvaluation,
  TwoLayerTrainingConfig,
  TwoLayerTrainingData,
  TwoLayerTrainingResult,
  TwoLayerWeights,
} from '@shallowscape/experiments';
import { nrm2, type Matrix } from '@shallowscape/linalg';
import { parameterizationScale, relativeMovement, type Activation, type Parameterization } from '@shallowscape/model';
import {
  evaluateQuadraticWith,
  evaluateTwoLayerWith,
  trainQuadraticByDescent,
  trainTwoLayerByDescent,
  type QuadraticDescent,
  type TwoLayerDescent,
} from '@shallowscape/webgpu';
import { fixedStepDescent } from './fixed-step-descent';
import type { GpujsKernels } from './gpujs-kernels';

/**
 * Fixed-step gradient descent with gpu.js's risk and gradient (see the module notes).
 *
 * @param kernels - the gpu.js kernels.
 * @returns the descent for `trainQuadraticByDescent`.
 */
export function gpujsDescent(kernels: GpujsKernels): QuadraticDescent {
  return async (problem: QuadraticProblem, options) => {
    const { x, y, signs, w0 } = problem;
    const sizes = { n: x.rows, d: x.cols, m: w0.rows };
    const rate = options.learningRate;
    const run = await fixedStepDescent({
      x: w0.data.slice(),
      evaluate: (w, g) => kernels.quadraticRisk(w, x.data, y, sizes, signs, g),
      norm: (g) => nrm2(g),
      update: (w, g) => {
        for (let k = 0; k < w.length; k++) w[k]! -= rate * g[k]!;
      },
      rates: `${rate}`,
      maxSteps: options.maxSteps,
      gradientTolerance: options.gradientTolerance,
      checkEvery: options.checkEvery,
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
    return { w: run.x, steps: run.steps, value: run.value, gradientNorm: run.gradientNorm, reason: run.reason, history: run.history };
  };
}

/**
 * The run of `trainQuadratic` by fixed-step gradient descent with gpu.js (see `trainQuadraticOnGpu`
 * of `@shallowscape/webgpu` for what the configuration must ask for).
 *
 * @param kernels - the gpu.js kernels.
 * @param config - the configuration.
 * @param data - the matrices that come from files.
 * @param options - `signal`.
 * @returns the result in the shape of `trainQuadratic`'s.
 */
export function trainQuadraticOnGpujs(
  kernels: GpujsKernels,
  config: QuadraticTrainingConfig,
  data: QuadraticTrainingData = {},
  options: { signal?: AbortSignal } = {},
): Promise<QuadraticTrainingResult> {
  return trainQuadraticByDescent(gpujsDescent(kernels), config, data, options);
}

/**
 * The evaluation of `evaluateQuadratic`, the risk and gradient from gpu.js.
 *
 * @param kernels - the gpu.js kernels.
 * @param w - the weights.
 * @param x - the inputs.
 * @param y - the labels.
 * @param options - the output signs and the teacher.
 * @returns the metrics and the gradient.
 */
export function evaluateQuadraticOnGpujs(
  kernels: GpujsKernels,
  w: Matrix,
  x: Matrix,
  y: Float64Array,
  options: { signs?: Float64Array; teacher?: Matrix } = {},
): Promise<EvaluationMetrics & { gradient: Matrix }> {
  return evaluateQuadraticWith((gradient) => kernels.quadraticRisk(w.data, x.data, y, { n: x.rows, d: x.cols, m: w.rows }, options.signs ?? null, gradient), w, options);
}

/**
 * Fixed-step gradient descent of a two-layer ReLU network with gpu.js's risk and gradient
 * ({@link GpujsKernels.reluRisk}) and the update
 * $W \leftarrow W - \eta_W \nabla_W \hat L$, $a \leftarrow a - \eta_a \nabla_a \hat L$ in float64 on the
 * CPU; a rate of 0 freezes its layer and leaves its gradient out of the norm.
 *
 * @param kernels - the gpu.js kernels.
 * @returns the descent for `trainTwoLayerByDescent`.
 */
export function gpujsTwoLayerDescent(kernels: GpujsKernels): TwoLayerDescent {
  return async (problem, options) => {
    const { x, y, w0, a0 } = problem;
    const m = w0.rows;
    const hidden = m * x.cols;
    const sizes = { n: x.rows, d: x.cols, m, scale: options.scale };
    const theta = new Float64Array(hidden + m);
    theta.set(w0.data, 0);
    theta.set(a0, hidden);
    const rates = options.learningRates;
    const movementHidden: number[] = [];
    const movementOutput: number[] = [];
    const run = await fixedStepDescent({
      x: theta,
      evaluate: (t, g) => kernels.reluRisk(t, x.data, y, sizes, g),
      norm: (g) => Math.hypot(rates.hidden > 0 ? nrm2(g.subarray(0, hidden)) : 0, rates.output > 0 ? nrm2(g.subarray(hidden)) : 0),
      update: (t, g) => {
        for (let k = 0; k < hidden; k++) t[k]! -= rates.hidden * g[k]!;
        for (let k = hidden; k < t.length; k++) t[k]! -= rates.output * g[k]!;
      },
      record: (t) => {
        movementHidden.push(relativeMovement(t.subarray(0, hidden), w0.data));
        movementOutput.push(relativeMovement(t.subarray(hidden), a0));
      },
      rates: `${rates.hidden} (W) and ${rates.output} (a)`,
      maxSteps: options.maxSteps,
      gradientTolerance: options.gradientTolerance,
      checkEvery: options.checkEvery,
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
    return { theta: run.x, steps: run.steps, value: run.value, gradientNorm: run.gradientNorm, reason: run.reason, history: { ...run.history, movementHidden, movementOutput } };
  };
}

/**
 * The run of `trainTwoLayer` by fixed-step gradient descent with gpu.js (see
 * `trainTwoLayerByDescent` of `@shallowscape/webgpu` for what the configuration must ask for).
 *
 * @param kernels - the gpu.js kernels.
 * @param config - the configuration.
 * @param data - the matrices that come from files.
 * @param options - `signal`.
 * @returns the result in the shape of `trainTwoLayer`'s.
 */
export function trainTwoLayerOnGpujs(
  kernels: GpujsKernels,
  config: TwoLayerTrainingConfig,
  data: TwoLayerTrainingData = {},
  options: { signal?: AbortSignal } = {},
): Promise<TwoLayerTrainingResult> {
  return trainTwoLayerByDescent(gpujsTwoLayerDescent(kernels), config, data, options);
}

/**
 * The evaluation of `evaluateTwoLayer` for a ReLU network, the risk and both gradients from gpu.js.
 *
 * @param kernels - the gpu.js kernels.
 * @param net - $W$ and $a$.
 * @param x - the inputs.
 * @param y - the labels.
 * @param options - `activation` (`'relu'`), `parameterization`, an optional teacher.
 * @returns the metrics and both gradients.
 */
export function evaluateTwoLayerOnGpujs(
  kernels: GpujsKernels,
  net: TwoLayerWeights,
  x: Matrix,
  y: Float64Array,
  options: { activation: Activation; parameterization: Parameterization; teacher?: TwoLayerWeights },
): Promise<TwoLayerEvaluation> {
  const sizes = { n: x.rows, d: x.cols, m: net.w.rows, scale: parameterizationScale(options.parameterization, net.w.rows) };
  return evaluateTwoLayerWith((theta, gradient) => kernels.reluRisk(theta, x.data, y, sizes, gradient), net, options);
}
