/**
 * Relative distance of parameters from their initialisation.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, ShapeError } from '@shallowscape/linalg';

/**
 * The relative movement $\|\theta_t - \theta_0\| / \|\theta_0\|$ (Euclidean, i.e. Frobenius for a
 * flattened matrix): small values mark the lazy (NTK) regime. When $\theta_0 = 0$ the ratio is
 * $0$ if $\theta_t = 0$ and $+\infty$ otherwise.
 * @param current - $\theta_t$.
 * @param initial - $\theta_0$, the same length.
 * @returns the ratio.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when an argument is not a Float64Array.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when the lengths differ.
 * @example
 * ```ts
 * relativeMovement(Float64Array.of(3, 4), Float64Array.of(0, 4)); // => 0.75
 * relativeMovement(Float64Array.of(0, 0), Float64Array.of(0, 0)); // => 0
 * ```
 */
export function relativeMovement(current: Float64Array, initial: Float64Array): number {
  if (!(current instanceof Float64Array)) throw new InvalidArgumentError('current', current, 'a Float64Array');
  if (!(initial instanceof Float64Array)) throw new InvalidArgumentError('initial', initial, 'a Float64Array');
  if (current.length !== initial.length) {
    throw new ShapeError(`current has length ${current.length} but initial has ${initial.length}`, 'current');
  }
  // Scaled sums of squares: no overflow or underflow for extreme entries.
  let scaleD = 0;
  let scaleI = 0;
  for (let k = 0; k < current.length; k++) {
    scaleD = Math.max(scaleD, Math.abs(current[k]! - initial[k]!));
    scaleI = Math.max(scaleI, Math.abs(initial[k]!));
  }
  if (scaleD === 0) return Number.isNaN(scaleI) ? Number.NaN : 0;
  if (scaleI === 0) return Number.POSITIVE_INFINITY;
  let sd = 0;
  let si = 0;
  for (let k = 0; k < current.length; k++) {
    const dd = (current[k]! - initial[k]!) / scaleD;
    const ii = initial[k]! / scaleI;
    sd += dd * dd;
    si += ii * ii;
  }
  return (scaleD * Math.sqrt(sd)) / (scaleI * Math.sqrt(si));
}
