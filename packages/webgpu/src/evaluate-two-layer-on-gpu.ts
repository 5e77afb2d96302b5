/**
 * The evaluation of `evaluateTwoLayer` (`@shallowscape/experiments`) for a ReLU network with the
 * empirical risk and both gradients computed on the GPU in float32, the population risk against a
 * teacher in float64 on the CPU (exact, by the arc-cosine kernel; it needs only the weights).
 *
 * @packageDocumentation
 */
import { EVAL_MONTE_CARLO_SEED, twoLayerPopulationMetrics, type TwoLayerEvaluation, type TwoLayerWeights } from '@shallowscape/experiments';
import { InvalidArgumentError, Matrix, createRng, nrm2 } from '@shallowscape/linalg';
import { parameterizationScale, type Activation, type Parameterization } from '@shallowscape/model';
import { GpuReluRisk } from './gpu-relu-risk';
import type { WebGpuKernels } from './webgpu-kernels';

/**
 * Evaluates a two-layer ReLU network on its data, the data-sized work on the GPU.
 *
 * @param kernels - the device's kernels.
 * @param net - $W$ ($m \times d$) and $a$ (length $m$).
 * @param x - the inputs $X$ ($N \times d$).
 * @param y - the labels.
 * @param options - `activation` (must be `'relu'`), `parameterization` and an optional teacher.
 * @returns the metrics and both gradients, as `evaluateTwoLayer` returns them.
 */
export function evaluateTwoLayerOnGpu(
  kernels: WebGpuKernels,
  net: TwoLayerWeights,
  x: Matrix,
  y: Float64Array,
  options: { activation: Activation; parameterization: Parameterization; teacher?: TwoLayerWeights },
): Promise<TwoLayerEvaluation> {
  return evaluateTwoLayerWith(
    async (theta, gradient) => {
      const risk = GpuReluRisk.create(kernels, { x: x.data, y, n: x.rows, d: x.cols, m: net.w.rows, scale: parameterizationScale(options.parameterization, net.w.rows) });
      try {
        return await risk.evaluate(theta, gradient);
      } finally {
        risk.destroy();
      }
    },
    net,
    options,
  );
}

/**
 * The metrics of `evaluateTwoLayer` from a device's risk and gradient: `riskAndGradient` returns
 * $\hat L(W, a)$ at $\theta = [\operatorname{vec}(W), a]$ and writes
 * $[\operatorname{vec}(\nabla_W \hat L), \nabla_a \hat L]$; the gradient norm is
 * $\sqrt{\|\nabla_W \hat L\|_F^2 + \|\nabla_a \hat L\|^2}$ and the population risk is computed in
 * float64 on the CPU.
 *
 * @param riskAndGradient - the device's evaluation.
 * @param net - $W$ and $a$.
 * @param options - `activation` (must be `'relu'`: the device kernels are ReLU's), `parameterization`, an optional teacher.
 * @returns the metrics and both gradients.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for another activation.
 */
export async function evaluateTwoLayerWith(
  riskAndGradient: (theta: Float64Array, gradient: Float64Array) => Promise<number>,
  net: TwoLayerWeights,
  options: { activation: Activation; parameterization: Parameterization; teacher?: TwoLayerWeights },
): Promise<TwoLayerEvaluation> {
  if (options.activation !== 'relu') throw new InvalidArgumentError('options.activation', options.activation, "'relu' (the GPU kernels are ReLU's)");
  const { w, a } = net;
  const hidden = w.rows * w.cols;
  const theta = new Float64Array(hidden + w.rows);
  theta.set(w.data, 0);
  theta.set(a, hidden);
  const gradient = new Float64Array(theta.length);
  const empiricalRisk = await riskAndGradient(theta, gradient);
  const gradientHidden = new Matrix(w.rows, w.cols, gradient.slice(0, hidden));
  const gradientOutput = gradient.slice(hidden);
  let populationRisk: number | null = null;
  let populationRiskStandardError: number | null = null;
  if (options.teacher !== undefined) {
    const metrics = twoLayerPopulationMetrics(net, options.teacher, 'relu', options.parameterization, createRng(EVAL_MONTE_CARLO_SEED));
    populationRisk = metrics.value;
    populationRiskStandardError = metrics.standardError;
  }
  return { empiricalRisk, gradientNorm: nrm2(gradient), populationRisk, populationRiskStandardError, gradientHidden, gradientOutput };
}
