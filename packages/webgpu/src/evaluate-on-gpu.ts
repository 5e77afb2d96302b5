/**
 * The evaluation of `evaluateQuadratic` (`@shallowscape/experiments`) with the empirical risk and
 * its gradient computed on the GPU in float32: $\hat L(W)$, $\nabla_W \hat L$ and its Frobenius norm
 * from the device, the population risk against a teacher in float64 on the CPU (it needs only
 * $W^\top W$, not the data).
 *
 * @packageDocumentation
 */
import type { EvaluationMetrics } from '@shallowscape/experiments';
import { Matrix, nrm2 } from '@shallowscape/linalg';
import { QuadraticPopulationRisk } from '@shallowscape/model';
import { GpuQuadraticRisk } from './gpu-quadratic-risk';
import type { WebGpuKernels } from './webgpu-kernels';

/**
 * Evaluates a quadratic or signed quadratic network on its data, the data-sized work on the GPU.
 *
 * @param kernels - the device's kernels.
 * @param w - the weights $W$ ($m \times d$).
 * @param x - the inputs $X$ ($N \times d$).
 * @param y - the labels.
 * @param options - the output signs $v$ and the teacher $W^*$.
 * @returns the metrics and the gradient, as `evaluateQuadratic` returns them.
 */
export async function evaluateQuadraticOnGpu(
  kernels: WebGpuKernels,
  w: Matrix,
  x: Matrix,
  y: Float64Array,
  options: { signs?: Float64Array; teacher?: Matrix } = {},
): Promise<EvaluationMetrics & { gradient: Matrix }> {
  return evaluateQuadraticWith(
    async (gradient) => {
      const risk = GpuQuadraticRisk.create(kernels, { x: x.data, y, n: x.rows, d: x.cols, m: w.rows, ...(options.signs !== undefined ? { signs: options.signs } : {}) });
      try {
        return await risk.evaluate(w.data, gradient);
      } finally {
        risk.destroy();
      }
    },
    w,
    options,
  );
}

/**
 * The metrics of `evaluateQuadratic` from a device's risk and gradient: `riskAndGradient` returns
 * $\hat L(W)$ and writes $\nabla_W \hat L$; the population risk against a teacher is computed in
 * float64 on the CPU.
 *
 * @param riskAndGradient - the device's evaluation at $W$.
 * @param w - the weights $W$ ($m \times d$).
 * @param options - the output signs $v$ and the teacher $W^*$.
 * @returns the metrics and the gradient.
 */
export async function evaluateQuadraticWith(
  riskAndGradient: (gradient: Float64Array) => Promise<number>,
  w: Matrix,
  options: { signs?: Float64Array; teacher?: Matrix } = {},
): Promise<EvaluationMetrics & { gradient: Matrix }> {
  const signOption = options.signs !== undefined ? { signs: options.signs } : {};
  const gradient = new Float64Array(w.rows * w.cols);
  const empiricalRisk = await riskAndGradient(gradient);
  const populationRisk = options.teacher === undefined ? null : new QuadraticPopulationRisk(options.teacher, w.rows, signOption).risk(w);
  return { empiricalRisk, gradientNorm: nrm2(gradient), populationRisk, gradient: new Matrix(w.rows, w.cols, gradient) };
}
