/**
 * The loop of fixed-step gradient descent driven from the CPU around a device's risk and
 * gradient: evaluate, every `checkEvery` steps (and at the last) record the risk and the gradient
 * norm and stop on divergence, the tolerance or an abort, then update in float64.
 *
 * @packageDocumentation
 */
import { ShallowscapeError } from '@shallowscape/linalg';

/** What {@link fixedStepDescent} needs: the iterate, the device's evaluation, the norm and the update. */
export interface FixedStepLoop {
  /** The start, updated in place. */
  x: Float64Array;
  /** $\hat L(x)$, with the gradient written into `gradient`. */
  evaluate(x: Float64Array, gradient: Float64Array): Promise<number>;
  /** The gradient norm the tolerance applies to. */
  norm(gradient: Float64Array): number;
  /** One step, in place. */
  update(x: Float64Array, gradient: Float64Array): void;
  /** Called at each recorded step with the iterate (for quantities of the history of one's own). */
  record?(x: Float64Array): void;
  /** The rate(s), for the divergence message. */
  rates: string;
  maxSteps: number;
  gradientTolerance: number;
  checkEvery: number;
  signal?: AbortSignal;
}

/** What {@link fixedStepDescent} returns. */
export interface FixedStepResult {
  x: Float64Array;
  steps: number;
  value: number;
  gradientNorm: number;
  reason: 'gradient-tolerance' | 'max-steps' | 'interrupted';
  history: { step: number[]; value: number[]; gradientNorm: number[]; elapsedMs: number[] };
}

/**
 * Runs the loop: $x_{t+1} = \operatorname{update}(x_t, \nabla \hat L(x_t))$ until the gradient norm at
 * a recorded step is at most `gradientTolerance`, `maxSteps` steps, or an abort.
 *
 * @param loop - the iterate, the evaluation, the norm, the update and the budget.
 * @returns the last iterate, its risk and gradient norm, why it stopped, and the history.
 * @throws {@link @shallowscape/linalg!ShallowscapeError | ShallowscapeError} (`E_DIVERGENCE`) when the risk or the norm becomes non-finite.
 */
export async function fixedStepDescent(loop: FixedStepLoop): Promise<FixedStepResult> {
  const { x } = loop;
  const g = new Float64Array(x.length);
  const history: FixedStepResult['history'] = { step: [], value: [], gradientNorm: [], elapsedMs: [] };
  const start = performance.now();
  let value = Number.NaN;
  let gradientNorm = Number.NaN;
  let reason: FixedStepResult['reason'] = 'max-steps';
  let t = 0;
  for (; ; t++) {
    value = await loop.evaluate(x, g);
    if (t % loop.checkEvery === 0 || t === loop.maxSteps) {
      gradientNorm = loop.norm(g);
      history.step.push(t);
      history.value.push(value);
      history.gradientNorm.push(gradientNorm);
      history.elapsedMs.push(performance.now() - start);
      loop.record?.(x);
      if (!Number.isFinite(value) || !Number.isFinite(gradientNorm)) {
        throw new ShallowscapeError(`gradient descent with gpu.js diverged at step ${t} (risk ${value}); use smaller learning rates than ${loop.rates}`, 'E_DIVERGENCE', 'options.learningRate');
      }
      if (gradientNorm <= loop.gradientTolerance) {
        reason = 'gradient-tolerance';
        break;
      }
      if (loop.signal?.aborted === true) {
        reason = 'interrupted';
        break;
      }
    }
    if (t === loop.maxSteps) break;
    loop.update(x, g);
  }
  return { x, steps: t, value, gradientNorm, reason, history };
}
