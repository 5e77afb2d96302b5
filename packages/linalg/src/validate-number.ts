/**
 * Checks of numeric arguments (sizes, counts, finite scalars), apart from `validate.ts` because
 * `Matrix` itself needs them and `validate.ts` needs `Matrix`.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from './errors';

/** Throws unless `value` is a non-negative safe integer (a matrix dimension). */
export function assertDimension(argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(argument, value, 'a non-negative integer');
  }
}

/**
 * Checks that `value` is a positive integer (a size, a count of steps, probes or iterations) and
 * returns it: the one positive-integer check of every package.
 *
 * $$\texttt{value} \in \{1, 2, \dots, 2^{53} - 1\}$$
 *
 * @param argument - the argument's name for the message, e.g. `'options.steps'`.
 * @param value - the value to check.
 * @returns `value`, typed as a number.
 * @throws {@link InvalidArgumentError} naming `argument` unless `value` is a safe integer $\ge 1$.
 * @example
 * ```ts
 * checkPositiveInteger('n', 3); // => 3
 * checkPositiveInteger('options.steps', 0); // throws InvalidArgumentError
 * ```
 */
export function checkPositiveInteger(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(argument, value, 'an integer ≥ 1');
  }
  return value;
}

/** Throws unless `value` is a finite number. */
export function assertFiniteNumber(argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(argument, value, 'a finite number');
  }
}
