/**
 * Optimisers over a flat parameter vector: the `Objective` interface and gradient descent.
 * (Momentum, Adam, L-BFGS and gradient flow will follow.)
 *
 * @packageDocumentation
 */
export { objectiveLayout, type BlockLayout, type Objective, type ParameterBlock } from './objective';
export { DivergenceError } from './divergence-error';
export {
  gradientDescent,
  type GradientDescentOptions,
  type GradientDescentResult,
  type LearningRate,
  type OptimizationHistory,
  type StepInfo,
  type StopReason,
} from './gradient-descent';
