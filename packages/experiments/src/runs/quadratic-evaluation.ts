/**
 * The quadratic evaluation run (`shallowscape eval`): the empirical risk, its gradient and the
 * population risk of given weights on given data.
 *
 * @packageDocumentation
 */
import { Matrix, frobeniusNorm } from '@shallowscape/linalg';
import { QuadraticEmpiricalRisk, QuadraticPopulationRisk } from '@shallowscape/model';
import { finiteOrOverflow, withOverflowGuard } from './float-overflow-error';

/** What an evaluation reports (`eval --json`). */
export interface EvaluationMetrics {
  /** $\hat L(W) = \frac1N \sum_i (f_W(x_i) - y_i)^2$. */
  empiricalRisk: number;
  /** $\|\nabla \hat L\|_F$ over all trainable parameters. */
  gradientNorm: number;
  /** $L(W)$ for Gaussian inputs against the teacher, or `null` without one. */
  populationRisk: number | null;
}

/**
 * Evaluates a quadratic network ($v = \mathbf 1$) or signed quadratic network on data: the risk
 * $\hat L(W) = \frac1N\sum_i (x_i^\top W^\top \operatorname{diag}(v) W x_i - y_i)^2$, its gradient
 * $\nabla \hat L(W) = \frac4N \operatorname{diag}(v) W S$ with $S = X^\top \operatorname{diag}(e) X$,
 * and with a teacher the Gaussian-input population risk $2\|\Delta\|_F^2 + (\operatorname{tr}\Delta)^2$,
 * $\Delta = W^\top \operatorname{diag}(v) W - W^{*\top}W^*$ (the mathematics guide, §1).
 *
 * @param w - weights $W$, $m \times d$.
 * @param x - inputs $X$, $N \times d$ ($N \ge 1$).
 * @param y - labels, length $N$.
 * @param options - `signs` $v$ (length $m$) and `teacher` $W^*$ ($m^* \times d$, output signs $+1$).
 * @returns the three metrics and the gradient matrix ($m \times d$).
 * @throws `FloatOverflowError` when finite inputs overflow float64 arithmetic; the model's typed
 *   errors for inconsistent shapes.
 * @example
 * ```ts
 * const x = Matrix.from([[1, 0], [0, 1]]);
 * evaluateQuadratic(Matrix.identity(2), x, Float64Array.of(1, 1), { teacher: Matrix.identity(2) }).populationRisk; // => 0
 * ```
 */
export function evaluateQuadratic(
  w: Matrix,
  x: Matrix,
  y: Float64Array,
  options: { signs?: Float64Array; teacher?: Matrix } = {},
): EvaluationMetrics & { gradient: Matrix } {
  const signOption = options.signs !== undefined ? { signs: options.signs } : {};
  const sources = ['weights', 'inputs', 'labels'];
  const objective = new QuadraticEmpiricalRisk(x, y, w.rows, signOption);
  const empiricalRisk = finiteOrOverflow('the empirical risk', withOverflowGuard('the empirical risk', sources, () => objective.risk(w)), sources);
  const gradient = withOverflowGuard('the gradient', sources, () => objective.riskGradient(w));
  const gradientNorm = finiteOrOverflow('the gradient norm', frobeniusNorm(gradient), sources);
  const populationRisk =
    options.teacher === undefined
      ? null
      : finiteOrOverflow(
          'the population risk',
          withOverflowGuard('the population risk', ['weights', 'teacher'], () => new QuadraticPopulationRisk(options.teacher!, w.rows, signOption).risk(w)),
          ['weights', 'teacher'],
        );
  return { empiricalRisk, gradientNorm, populationRisk, gradient };
}
