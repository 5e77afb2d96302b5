/**
 * Plain gradient descent with a fixed step: the `"gd"` method of `minimize` under its historical
 * name and options.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from '@shallowscape/linalg';
import type { LearningRate } from './learning-rate';
import { minimize, type MinimizeOptions, type MinimizeResult } from './minimize';
import type { Objective } from './objective';

/** Options of {@link gradientDescent}: those of `minimize` without the method choice, with a required learning rate. */
export interface GradientDescentOptions extends Omit<MinimizeOptions, 'method' | 'learningRate' | 'momentum' | 'adam' | 'lbfgs'> {
  /** Step size $\eta > 0$, or $\eta_b \ge 0$ per block name (every block must be given; 0 freezes a block). */
  learningRate: LearningRate;
}

/** The result of {@link gradientDescent} (that of `minimize`). */
export type GradientDescentResult = MinimizeResult;

/**
 * Minimises an {@link Objective} by gradient descent with a fixed step:
 *
 * $$x_{t+1} = x_t - \eta \odot \nabla f(x_t),$$
 *
 * where $\eta$ is one learning rate, or one rate $\eta_b$ per parameter block (applied to that
 * block's coordinates). On a quadratic $f(x) = \tfrac12 x^\top A x - b^\top x$ the error
 * $x_t - x^*$ contracts by $\max_i |1 - \eta\lambda_i(A)|$ per step, so $\eta < 2/\lambda_{\max}$
 * is needed.
 *
 * Equivalent to `minimize(objective, x0, { ...options, method: 'gd' })` (with
 * `lineSearch: "armijo"` it backtracks), with the same stopping rules, history and divergence
 * detection: it throws a {@link DivergenceError} naming the step when $f(x_t)$ or
 * $\|\nabla f(x_t)\|$ is NaN or infinite, or $f(x_t)$ exceeds `divergenceThreshold`.
 *
 * @param objective - the function $f$ to minimise, with its parameter blocks.
 * @param x0 - the starting point $x_0$, a Float64Array of length $n = \sum_b \mathrm{size}_b$ (not modified).
 * @param options - learning rate(s), step budget, tolerance, history sampling, callback.
 * @returns the final iterate, its value and gradient norm, the step count, the stop reason and the history.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for an invalid objective or option
 *   (non-positive learning rate, a rate record missing a block or naming an unknown one,
 *   negative or fractional `maxSteps`, `historyEvery < 1`, negative tolerance).
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `x0` does not have length $n$.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `x0` has a NaN or infinite entry.
 * @throws {@link DivergenceError} when the iterates diverge (see above).
 * @see Nocedal and Wright, *Numerical Optimization*, 2nd ed. (2006), §3.3 (the linear rate of steepest
 *   descent on quadratics).
 * @example
 * ```ts
 * // f(x) = ½ (x₀² + 4 x₁²), minimised at 0; with η = 0.25 the second coordinate is solved in one step.
 * const objective = {
 *   blocks: [{ name: 'x', size: 2 }],
 *   value: (x: Float64Array) => 0.5 * (x[0]! ** 2 + 4 * x[1]! ** 2),
 *   gradient: (x: Float64Array, out = new Float64Array(2)) => {
 *     out[0] = x[0]!;
 *     out[1] = 4 * x[1]!;
 *     return out;
 *   },
 * };
 * const result = gradientDescent(objective, Float64Array.of(1, 1), { learningRate: 0.25, maxSteps: 2 });
 * result.x; // => [0.5625, 0]
 * result.reason; // => "max-steps"
 * result.history.value; // => [2.5, 0.28125, 0.158203125]
 * ```
 */
export function gradientDescent(objective: Objective, x0: Float64Array, options: GradientDescentOptions): GradientDescentResult {
  if (options !== null && typeof options === 'object' && options.learningRate === undefined) {
    throw new InvalidArgumentError('learningRate', undefined, 'a positive number or a record { blockName: rate }');
  }
  return minimize(objective, x0, { ...options, method: 'gd' });
}
