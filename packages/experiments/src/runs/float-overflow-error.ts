/**
 * The error a run throws when finite inputs produce infinite or NaN results: the values are too
 * large for float64 arithmetic (weights of size 1e200 square to Infinity).
 *
 * @packageDocumentation
 */
import { NonFiniteError, ShallowscapeError, describeValue } from '@shallowscape/linalg';

/**
 * Finite inputs overflow float64 arithmetic: a quantity computed from them (a risk, a gradient
 * norm, a prediction) is infinite or NaN. `sources` names the configuration fields or data whose
 * values are to blame (`"weights"`, `"inputs"`, `"labels"`, `"teacher"`, `"init"`, …), so that a
 * caller can name its own flags and files; `quantity` and `value` say what overflowed.
 *
 * `code` is `"E_OVERFLOW"`.
 *
 * @example
 * ```ts
 * const error = new FloatOverflowError('the empirical risk', Infinity, ['weights', 'labels']);
 * error.message; // => "the values of weights, labels overflow float64 arithmetic (the empirical risk is Infinity)"
 * ```
 */
export class FloatOverflowError extends ShallowscapeError {
  /** The fields whose values overflow. */
  readonly sources: readonly string[];
  /** What was computed from them. */
  readonly quantity: string;
  /** Its non-finite value. */
  readonly value: number;

  /**
   * @param quantity - what overflowed, in words (`"the empirical risk"`).
   * @param value - its value (infinite or NaN).
   * @param sources - the fields whose values are to blame.
   */
  constructor(quantity: string, value: number, sources: readonly string[]) {
    super(`the values of ${sources.join(', ')} overflow float64 arithmetic (${quantity} is ${describeValue(value)})`, 'E_OVERFLOW', sources[0]);
    this.sources = sources;
    this.quantity = quantity;
    this.value = value;
  }
}

/**
 * Returns `value` when it is finite, else throws {@link FloatOverflowError}: the guard a run
 * puts on what it computes from finite inputs.
 *
 * @param quantity - what `value` is, in words.
 * @param value - the computed number.
 * @param sources - the fields it was computed from.
 * @returns `value`.
 * @throws {@link FloatOverflowError} when `value` is infinite or NaN.
 * @example
 * ```ts
 * finiteOrOverflow('the risk', 2.5, ['inputs']); // => 2.5
 * ```
 */
export function finiteOrOverflow(quantity: string, value: number, sources: readonly string[]): number {
  if (!Number.isFinite(value)) throw new FloatOverflowError(quantity, value, sources);
  return value;
}

/**
 * Runs `compute` on finite inputs and reports a `NonFiniteError` raised inside it (an intermediate
 * such as $W^\top W$ that overflowed, named after an internal variable) as the
 * {@link FloatOverflowError} of `sources`.
 *
 * @param quantity - what `compute` computes, in words.
 * @param sources - the fields its inputs come from.
 * @param compute - the computation.
 * @returns what `compute` returns.
 * @throws {@link FloatOverflowError} instead of a `NonFiniteError`; anything else `compute` throws.
 * @example
 * ```ts
 * withOverflowGuard('the sum', ['inputs'], () => 1 + 1); // => 2
 * ```
 */
export function withOverflowGuard<T>(quantity: string, sources: readonly string[], compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof NonFiniteError) throw new FloatOverflowError(quantity, error.value, sources);
    throw error;
  }
}
