/**
 * Float overflow in the CLI's terms: a run's `FloatOverflowError` names configuration fields
 * (`weights`, `labels`); the user needs the flags and files they came from.
 *
 * @packageDocumentation
 */
import { ShallowscapeError, describeValue } from '@shallowscape/linalg';
import { FloatOverflowError } from '@shallowscape/experiments';

/**
 * Rewrites a run's {@link FloatOverflowError} to name the flags and files of its sources
 * (`--weights "W.npy", --labels "y.npy": the values overflow float64 arithmetic (the empirical risk is Infinity)`);
 * returns any other error unchanged. Sources without a name in `names` are named as the run named them.
 *
 * @param error - what the run threw.
 * @param names - the flag-and-value text of each source field.
 * @returns the error to throw.
 * @example
 * ```ts
 * const e = new FloatOverflowError('the empirical risk', Infinity, ['weights', 'labels']);
 * overflowInFlags(e, { weights: '--weights "W.npy"', labels: '--labels "y.npy"' }).message;
 * // => "--weights \"W.npy\", --labels \"y.npy\": the values overflow float64 arithmetic (the empirical risk is Infinity)"
 * ```
 */
export function overflowInFlags(error: unknown, names: Readonly<Record<string, string | undefined>>): unknown {
  if (!(error instanceof FloatOverflowError)) return error;
  const named = [...new Set(error.sources.map((source) => names[source] ?? source))];
  return new ShallowscapeError(`${named.join(', ')}: the values overflow float64 arithmetic (${error.quantity} is ${describeValue(error.value)})`, 'E_OVERFLOW', named[0]);
}

/** `--flag "value"` for a flag whose value names a file, or `undefined` for a generator keyword. */
export function fileFlag(flag: string, value: string | null | undefined, keywords: readonly string[]): string | undefined {
  return value === null || value === undefined || keywords.includes(value) ? undefined : `--${flag} ${JSON.stringify(value)}`;
}
