/**
 * Certificates about the landscape of quadratic networks. Currently: the quadratic lift
 * `φ`, the lifted design matrix `Φ` and the sample threshold `N* = d(d+1)/2`; later the energy
 * barrier, the sample condition, stationarity checks and the convex lift.
 *
 * @packageDocumentation
 */
export { liftedCoordinates, liftedDesign, liftInput, liftSymmetric, nStar, unliftSymmetric } from './lifted-design';
