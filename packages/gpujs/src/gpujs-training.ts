/**
 * Training and evaluation of quadratic networks with the risk and gradient from gpu.js kernels:
 * fixed-step gradient descent $W_{t+1} = W_t - \eta \nabla \hat L(W_t)$ with the float32 risk and
 * gradient of {@link GpujsKernels.quadraticRisk} at every step and the update in float64 on the
 * CPU (gpu.js has no resident buffers to update in place), in the shape of `trainQuadratic`'s
 * result (`trainQuadraticByDescent` of `@shallowscape/webgpu` builds it), and the evaluation of
 * `evaluateQuadratic` (`evaluateQuadraticWith`).
 *
 * @packageDocumentation
 */
import type { EvaluationMetrics, QuadraticProblem, QuadraticTrainingConfig, QuadraticTrainingData, QuadraticTrainingResult } from '@shallowscape/experiments';
import { ShallowscapeError, nrm2, type Matrix } from '@shallowscape/linalg';
import { evaluateQuadraticWith, trainQuadraticByDescent, type GpuDescentResult, type QuadraticDescent } from '@shallowscape/webgpu';
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
