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
import { ShallowscapeError, nrm2, type Matrix } from '@shallowscape/linalg';
import { parameterizationScale, relativeMovement, type Activation, type Parameterization } from '@shallowscape/model';
import {
  evaluateQuadraticWith,
  evaluateTwoLayerWith,
  trainQuadraticByDescent,
  trainTwoLayerByDescent,
  type GpuDescentResult,
  type GpuReluDescentResult,
  type QuadraticDescent,
  type TwoLayerDescent,
} from '@shallowscape/webgpu';
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
    const w = w0.data.slice();
    const g = new Float64Array(w.length);
    const history: GpuDescentResult['history'] = { step: [], value: [], gradientNorm: [], elapsedMs: [] };
    const start = performance.now();
    let value = Number.NaN;
    let gradientNorm = Number.NaN;
    let reason: GpuDescentResult['reason'] = 'max-steps';
    let t = 0;
    for (; ; t++) {
      value = await kernels.quadraticRisk(w, x.data, y, sizes, signs, g);
      if (t % options.checkEvery === 0 || t === options.maxSteps) {
        gradientNorm = nrm2(g);
        history.step.push(t);
        history.value.push(value);
        history.gradientNorm.push(gradientNorm);
        history.elapsedMs.push(performance.now() - start);
        if (!Number.isFinite(value) || !Number.isFinite(gradientNorm)) {
          throw new ShallowscapeError(`gradient descent with gpu.js diverged at step ${t} (risk ${value}); use a smaller learning rate than ${options.learningRate}`, 'E_DIVERGENCE', 'options.learningRate');
        }
        if (gradientNorm <= options.gradientTolerance) {
          reason = 'gradient-tolerance';
          break;
        }
        if (options.signal?.aborted === true) {
          reason = 'interrupted';
          break;
        }
      }
      if (t === options.maxSteps) break;
      for (let k = 0; k < w.length; k++) w[k]! -= options.learningRate * g[k]!;
    }
    return { w, steps: t, value, gradientNorm, reason, history };
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
    const g = new Float64Array(theta.length);
    const rates = options.learningRates;
    const history: GpuReluDescentResult['history'] = { step: [], value: [], gradientNorm: [], elapsedMs: [], movementHidden: [], movementOutput: [] };
    const start = performance.now();
    let value = Number.NaN;
    let gradientNorm = Number.NaN;
    let reason: GpuReluDescentResult['reason'] = 'max-steps';
    let t = 0;
    for (; ; t++) {
      value = await kernels.reluRisk(theta, x.data, y, sizes, g);
      if (t % options.checkEvery === 0 || t === options.maxSteps) {
        gradientNorm = Math.hypot(rates.hidden > 0 ? nrm2(g.subarray(0, hidden)) : 0, rates.output > 0 ? nrm2(g.subarray(hidden)) : 0);
        history.step.push(t);
        history.value.push(value);
        history.gradientNorm.push(gradientNorm);
        history.elapsedMs.push(performance.now() - start);
        history.movementHidden.push(relativeMovement(theta.subarray(0, hidden), w0.data));
        history.movementOutput.push(relativeMovement(theta.subarray(hidden), a0));
        if (!Number.isFinite(value) || !Number.isFinite(gradientNorm)) {
          throw new ShallowscapeError(`gradient descent with gpu.js diverged at step ${t} (risk ${value}); use smaller learning rates than ${rates.hidden} (W) and ${rates.output} (a)`, 'E_DIVERGENCE', 'options.learningRates');
        }
        if (gradientNorm <= options.gradientTolerance) {
          reason = 'gradient-tolerance';
          break;
        }
        if (options.signal?.aborted === true) {
          reason = 'interrupted';
          break;
        }
      }
      if (t === options.maxSteps) break;
      for (let k = 0; k < hidden; k++) theta[k]! -= rates.hidden * g[k]!;
      for (let k = hidden; k < theta.length; k++) theta[k]! -= rates.output * g[k]!;
    }
    return { theta, steps: t, value, gradientNorm, reason, history };
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
