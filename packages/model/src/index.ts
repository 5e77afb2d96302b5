/**
 * Quadratic, signed-quadratic and two-layer networks: teacher–student data, risks, gradients and
 * Hessians. Currently: the closed-form population risk of a quadratic network and its gradient.
 *
 * @packageDocumentation
 */
export {
  quadraticPopulationRisk,
  quadraticPopulationRiskGradient,
  type QuadraticPopulationRiskOptions,
} from './quadratic-population-risk';
