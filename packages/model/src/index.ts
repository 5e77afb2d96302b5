/**
 * Quadratic and signed-quadratic networks: teacher–student data, empirical and population risks
 * with their gradients, Hessian-vector products and dense Hessians, generalisation error, and
 * initialisations.
 *
 * @packageDocumentation
 */
export { QuadraticNet } from './quadratic-net';
export { SignedQuadraticNet, balancedSigns } from './signed-quadratic-net';
export {
  inputMoments,
  randomLabels,
  sampleInputs,
  sampleTeacher,
  teacherLabels,
  type InputDistribution,
  type RandomLabelsOptions,
  type SampleTeacherOptions,
  type TeacherLabelsOptions,
} from './teacher-student';
export {
  MAX_DENSE_HESSIAN_PARAMETERS,
  QuadraticEmpiricalRisk,
  type QuadraticEmpiricalRiskOptions,
  type QuadraticParameterBlock,
} from './quadratic-risk';
export {
  QuadraticPopulationRisk,
  quadraticPopulationRisk,
  quadraticPopulationRiskGradient,
  type QuadraticPopulationRiskOptions,
} from './quadratic-population-risk';
export { generalizationError, type GeneralizationError } from './generalization-error';
export { gaussianInit, identityInit, smallInit } from './initialization';
export { ACTIVATIONS, activationFunctions, erf, type Activation, type ActivationFunctions } from './activations';
export {
  PARAMETERIZATIONS,
  TwoLayerNet,
  parameterizationScale,
  type Parameterization,
  type TwoLayerNetOptions,
} from './two-layer-net';
export {
  TwoLayerEmpiricalRisk,
  type TwoLayerEmpiricalRiskOptions,
  type TwoLayerFrozenLayer,
  type TwoLayerParameterBlock,
} from './two-layer-risk';
export {
  TwoLayerPopulationRisk,
  twoLayerPopulationRisk,
  twoLayerPopulationRiskGradient,
  twoLayerPopulationRiskMonteCarlo,
  type GaussianKernelActivation,
  type TwoLayerPopulationRiskMonteCarloOptions,
  type TwoLayerPopulationRiskObjectiveOptions,
  type TwoLayerPopulationRiskOptions,
  type TwoLayerWeights,
} from './two-layer-population-risk';
export { NTK_UNIT_NORM_TOLERANCE, ntkGram, ntkMinEigenvalue } from './ntk';
export { relativeMovement } from './relative-movement';
