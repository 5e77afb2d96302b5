/**
 * The error an optimiser throws when its iterates blow up.
 *
 * @packageDocumentation
 */
import { ShallowscapeError, describeValue } from '@shallowscape/linalg';

/**
 * An optimiser diverged: at step `step` the objective value (or the gradient norm) was NaN,
 * infinite, or above the divergence threshold. The usual cure is a smaller learning rate.
 *
 * Detection: at every accepted iterate $x_t$ the optimiser checks $f(x_t)$ and
 * $\|\nabla f(x_t)\|_2$ for NaN and $\pm\infty$, and $f(x_t) \le \tau$ with the threshold
 * $\tau = 10^{12}\max(1, |f(x_0)|)$ unless given. A run never returns a NaN result.
 *
 * `code` is `"E_DIVERGENCE"`; `argument` is `"learningRate"`, the option to change. The message
 * ends with that advice; {@link DivergenceError.diagnosis} is the message without it, so that a
 * caller (the CLI) can give its own advice in its own terms (a flag) without rewriting the text.
 *
 * @example
 * ```ts
 * const error = new DivergenceError('gradient descent', 12, 'value', Infinity);
 * error.message; // => "gradient descent diverged at step 12: value = Infinity (try a smaller learningRate)"
 * error.diagnosis; // => "gradient descent diverged at step 12: value = Infinity"
 * error.step; // => 12
 * error.method; // => "gradient descent"
 * ```
 */
export class DivergenceError extends ShallowscapeError {
  /** The optimiser's name as it appears in the message, e.g. `"gradient descent"` or `"L-BFGS"`. */
  readonly method: string;
  /** The step at which divergence was detected (0 = the starting point). */
  readonly step: number;
  /** Which quantity was out of range: the objective value or the gradient norm. */
  readonly quantity: 'value' | 'gradient norm';
  /** The offending value (NaN, ±Infinity, or a finite value above `threshold`). */
  readonly value: number;
  /** The divergence threshold in force, when a finite value exceeded it. */
  readonly threshold: number | undefined;
  /** What happened, without the advice: `"<method> diverged at step <t>: <quantity> = <value>"`. */
  readonly diagnosis: string;

  /**
   * @param method - the optimiser's name, for the message.
   * @param step - the step at which divergence was detected.
   * @param quantity - `"value"` or `"gradient norm"`.
   * @param value - the offending value.
   * @param threshold - the threshold it exceeded, when it is finite.
   */
  constructor(method: string, step: number, quantity: 'value' | 'gradient norm', value: number, threshold?: number) {
    const why = threshold === undefined ? '' : ` exceeds the divergence threshold ${describeValue(threshold)}`;
    const diagnosis = `${method} diverged at step ${step}: ${quantity} = ${describeValue(value)}${why}`;
    super(`${diagnosis} (try a smaller learningRate)`, 'E_DIVERGENCE', 'learningRate');
    this.diagnosis = diagnosis;
    this.method = method;
    this.step = step;
    this.quantity = quantity;
    this.value = value;
    this.threshold = threshold;
  }
}
