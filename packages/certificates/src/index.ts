/**
 * Certificates about the landscape of quadratic networks: the quadratic lift `φ`, the lifted design
 * `Φ` and the sample threshold `N* = d(d+1)/2`; the energy barrier; the sample condition and the
 * bad global minimum below it; stationarity and curvature (dense and Lanczos); the convex-lift
 * global-optimality certificate with an independent solve of the lifted problem; and
 * `certifyQuadraticNetwork`, all of them at once.
 *
 * Everything here computes in float64 with the reference kernels of `@shallowscape/linalg`; a float32
 * backend set as the default is never used.
 *
 * @packageDocumentation
 */
export { liftedCoordinates, liftedDesign, liftInput, liftSymmetric, nStar, unliftSymmetric } from './lifted-design';
export {
  energyBarrier,
  energyBarrierCertificate,
  identityInitializationCheck,
  type EnergyBarrierCertificate,
  type EnergyBarrierCertificateOptions,
  type EnergyBarrierOptions,
  type IdentityInitializationCheck,
} from './energy-barrier';
export {
  badGlobalMinimum,
  sampleCondition,
  type BadGlobalMinimum,
  type BadGlobalMinimumOptions,
  type SampleCondition,
  type SampleConditionOptions,
} from './sample-condition';
// lanczosMinEigenvalue lives in @shallowscape/linalg (one home for operator spectra); re-exported unchanged.
export { lanczosMinEigenvalue, type LanczosOptions, type LanczosResult } from '@shallowscape/linalg';
export {
  AUTO_DENSE_PARAMETERS,
  stationarityCertificate,
  strictSaddleCheck,
  type CurvatureObjective,
  type StationarityCertificate,
  type StationarityOptions,
  type StrictSaddleCheck,
  type StrictSaddleOptions,
} from './stationarity';
export {
  globalOptimalityCertificate,
  liftedGradient,
  solveLiftedProblem,
  type GlobalOptimalityCertificate,
  type GlobalOptimalityOptions,
  type LiftedSolution,
  type SolveLiftedOptions,
} from './convex-lift';
export {
  certifyQuadraticNetwork,
  type CertifyQuadraticNetworkInput,
  type CertifyQuadraticNetworkOptions,
  type QuadraticNetworkCertificate,
} from './certify-quadratic-network';
