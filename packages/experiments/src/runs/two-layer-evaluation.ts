/**
 * The two-layer evaluation run (`shallowscape eval --model two-layer`) and the population risk
 * of a two-layer student against a teacher, shared with the training run.
 *
 * @packageDocumentation
 */
import { Matrix, createRng, nrm2, type Rng } from '@shallowscape/linalg';
import {
  TwoLayerEmpiricalRisk,
  twoLayerPopulationRisk,
  twoLayerPopulationRiskMonteCarlo,
  type Activation,
  type Parameterization,
} from '@shallowscape/model';
import { finiteOrOverflow, withOverflowGuard } from './float-overflow-error';
import { POPULATION_MONTE_CARLO_SAMPLES } from './two-layer-training-config';

/** Seed of the Monte Carlo population risk of {@link evaluateTwoLayer} (fixed, so that evaluation is deterministic). */
export const EVAL_MONTE_CARLO_SEED = 0;

/** A two-layer network's weights: $W$ ($m \times d$) and $a$ (length $m$). */
export interface TwoLayerWeights {
  w: Matrix;
  a: Float64Array;
}

/**
 * The population risk $\mathbb E_x (f(x) - f^*(x))^2$, $x \sim N(0, I_d)$, of a student against a
 * teacher of the same activation and parameterisation: exact for relu and erf (arc-cosine and
 * arcsine kernels), otherwise a Monte Carlo estimate with {@link POPULATION_MONTE_CARLO_SAMPLES}
 * samples from `rng`, with its standard error.
 *
 * @param student - $W$, $a$.
 * @param teacher - $W^*$, $a^*$.
 * @param activation - $\sigma$.
 * @param parameterization - the output scale.
 * @param rng - the generator of the Monte Carlo samples (unused for relu and erf).
 * @returns the value, its standard error (0 when exact) and the method.
 * @example
 * ```ts
 * const net = { w: Matrix.from([[1, 0]]), a: Float64Array.of(1) };
 * twoLayerPopulationMetrics(net, net, 'relu', 'ntk', createRng(0)); // => { value: 0, standardError: 0, method: "exact" }
 * ```
 */
export function twoLayerPopulationMetrics(
  student: TwoLayerWeights,
  teacher: TwoLayerWeights,
  activation: Activation,
  parameterization: Parameterization,
  rng: Rng,
): { value: number; standardError: number; method: 'exact' | 'monte-carlo' } {
  if (activation === 'relu' || activation === 'erf') {
    return { value: twoLayerPopulationRisk(student, teacher, { activation, parameterization }), standardError: 0, method: 'exact' };
  }
  const estimate = twoLayerPopulationRiskMonteCarlo(student, teacher, { activation, parameterization, samples: POPULATION_MONTE_CARLO_SAMPLES, rng });
  return { value: estimate.value, standardError: estimate.standardError, method: 'monte-carlo' };
}

/** What {@link evaluateTwoLayer} computes (`eval --json` is the first three keys). */
export interface TwoLayerEvaluation {
  /** $\hat L = \frac1N \sum_i (f(x_i) - y_i)^2$. */
  empiricalRisk: number;
  /** $\sqrt{\|\nabla_W \hat L\|_F^2 + \|\nabla_a \hat L\|_2^2}$ over both layers. */
  gradientNorm: number;
  /** Against the teacher for $x \sim N(0, I_d)$ (exact for relu/erf, Monte Carlo otherwise), or `null`. */
  populationRisk: number | null;
  /** Standard error of a Monte Carlo `populationRisk` (0 when exact, `null` without a teacher). */
  populationRiskStandardError: number | null;
  /** $\nabla_W \hat L$, $m \times d$. */
  gradientHidden: Matrix;
  /** $\nabla_a \hat L$, length $m$. */
  gradientOutput: Float64Array;
}

/**
 * Evaluates a two-layer network $f(x) = s\sum_r a_r\sigma(w_r\cdot x)$ on data: the empirical
 * risk, its gradient over both layers and, with a teacher of the same activation and
 * parameterisation, the Gaussian-input population risk (Monte Carlo with seed
 * {@link EVAL_MONTE_CARLO_SEED} for activations without a closed form).
 *
 * @param net - $W$ ($m \times d$) and $a$ (length $m$).
 * @param x - inputs $X$, $N \times d$.
 * @param y - labels, length $N$.
 * @param options - `activation`, `parameterization` and an optional `teacher`.
 * @returns the metrics and both gradients.
 * @throws `FloatOverflowError` when finite inputs overflow float64 arithmetic; the model's typed
 *   errors for inconsistent shapes.
 * @example
 * ```ts
 * const net = { w: Matrix.from([[1, 0]]), a: Float64Array.of(1) };
 * evaluateTwoLayer(net, Matrix.from([[2, 0]]), Float64Array.of(2), { activation: 'relu', parameterization: 'standard' }).empiricalRisk; // => 0
 * ```
 */
export function evaluateTwoLayer(
  net: TwoLayerWeights,
  x: Matrix,
  y: Float64Array,
  options: { activation: Activation; parameterization: Parameterization; teacher?: TwoLayerWeights },
): TwoLayerEvaluation {
  const { w, a } = net;
  const { activation, parameterization } = options;
  const objective = new TwoLayerEmpiricalRisk(x, y, { width: w.rows, activation, parameterization });
  const sources = ['weights', 'outputWeights', 'inputs', 'labels'];
  const empiricalRisk = finiteOrOverflow('the empirical risk', withOverflowGuard('the empirical risk', sources, () => objective.risk(w, a)), sources);
  const gradients = withOverflowGuard('the gradient', sources, () => objective.gradients(w, a));
  const gradientNorm = finiteOrOverflow('the gradient norm', Math.hypot(nrm2(gradients.w.data), nrm2(gradients.a)), sources);
  let populationRisk: number | null = null;
  let populationRiskStandardError: number | null = null;
  if (options.teacher !== undefined) {
    const metrics = twoLayerPopulationMetrics({ w, a }, options.teacher, activation, parameterization, createRng(EVAL_MONTE_CARLO_SEED));
    populationRisk = finiteOrOverflow('the population risk', metrics.value, ['weights', 'outputWeights', 'teacher', 'teacherOutputWeights']);
    populationRiskStandardError = metrics.standardError;
  }
  return { empiricalRisk, gradientNorm, populationRisk, populationRiskStandardError, gradientHidden: gradients.w, gradientOutput: gradients.a };
}
