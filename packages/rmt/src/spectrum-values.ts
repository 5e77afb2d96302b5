/**
 * Validation of spectrum arguments shared by the ensembles and the spectral distances. Internal:
 * not exported from the package index.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, NonFiniteError, ShapeError } from '@shallowscape/linalg';

/**
 * Checks that `values` is a non-empty `Float64Array` or array of finite numbers and returns a
 * `Float64Array` copy sorted ascending.
 */
export function sortedFiniteValues(argument: string, values: unknown): Float64Array {
  return finiteValues(argument, values).sort();
}

/**
 * Checks that `values` is a non-empty `Float64Array` or array of finite numbers and returns a
 * `Float64Array` copy in the input order.
 */
export function finiteValues(argument: string, values: unknown): Float64Array {
  if (!(values instanceof Float64Array) && !Array.isArray(values)) {
    throw new InvalidArgumentError(argument, values, 'a Float64Array or an array of numbers');
  }
  const v = values as ArrayLike<unknown>;
  if (v.length === 0) throw new ShapeError(`${argument} is empty, expected at least one value`, argument);
  const out = new Float64Array(v.length);
  for (let k = 0; k < v.length; k++) {
    const x = v[k];
    if (typeof x !== 'number') throw new InvalidArgumentError(`${argument}[${k}]`, x, 'a number');
    if (x - x !== 0) throw new NonFiniteError(argument, k, x, `[${k}]`);
    out[k] = x;
  }
  return out;
}
