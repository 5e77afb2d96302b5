/**
 * Optimisers over a flat parameter vector: the `Objective` interface, `minimize` (gradient
 * descent with a fixed step or Armijo backtracking, heavy-ball and Nesterov momentum, Adam,
 * L-BFGS with a strong Wolfe line search), and the `DivergenceError` they throw.
 *
 * @packageDocumentation
 */
export { objectiveLayout, type BlockLayout, type Objective, type ParameterBlock } from './objective';
export { DivergenceError } from './divergence-error';
export type { LearningRate } from './learning-rate';
export { CURVATURE_ITERATIONS, curvatureLearningRate, weightScaleLearningRate, type CurvatureLearningRateOptions } from './default-learning-rates';
export {
  minimize,
  minimizeAsync,
  type MinimizeAsyncOptions,
  type MinimizeMethod,
  type MinimizeOptions,
  type MinimizeResult,
  type OptimizationHistory,
  type StepInfo,
  type StopReason,
} from './minimize';
export { gradientDescent, type GradientDescentOptions, type GradientDescentResult } from './gradient-descent';
export {
  gradientFlow,
  gradientFlowAsync,
  type GradientFlowHistory,
  type GradientFlowOptions,
  type GradientFlowResult,
  type GradientFlowStepInfo,
  type GradientFlowStopReason,
} from './gradient-flow';
// Hessian spectra moved to @shallowscape/linalg (one home for operator spectra); re-exported unchanged.
export {
  hessianExtremeEigenvalues,
  hutchinsonTrace,
  lanczos,
  lanczosKernel,
  spectralDensity,
  stochasticLanczosQuadrature,
  type ExtremeEigenvalues,
  type ExtremeEigenvaluesOptions,
  type HutchinsonOptions,
  type LanczosKernelOptions,
  type LanczosSpectrum,
  type LanczosSpectrumOptions,
  type SpectralQuadrature,
  type StochasticLanczosQuadratureOptions,
  type SymmetricOperator,
  type TraceEstimate,
} from '@shallowscape/linalg';
