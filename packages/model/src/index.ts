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
