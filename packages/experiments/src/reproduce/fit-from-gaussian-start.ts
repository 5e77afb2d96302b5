/**
 * What several experiments do the same way: the mean square of the labels, gradient norms for
 * relative stopping tolerances, and L-BFGS on a quadratic network's empirical risk from a
 * Gaussian start scaled like the teacher.
 *
 * @packageDocumentation
 */
import { Matrix, type Rng } from '@shallowscape/linalg';
import { gaussianInit } from '@shallowscape/model';
import { DivergenceError, minimize, type MinimizeResult, type Objective } from '@shallowscape/optim';

/**
 * The mean square of the labels, $\frac1N \sum_i y_i^2$ (the risk of the zero network).
 *
 * @param y - labels $y$, length $N \ge 1$.
 */
export function meanSquare(y: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += y[i]! * y[i]!;
  return sum / y.length;
}

/**
 * $\|\nabla L(w)\|_2$, the plain root of the sum of squares (NaN propagates: a diverged
 * gradient gives a NaN tolerance rather than an error).
 *
 * @param objective - the risk $L$.
 * @param w - the point, flattened.
 */
export function gradientNormAt(objective: Pick<Objective, 'gradient'>, w: Float64Array): number {
  const g = objective.gradient(w);
  let sum = 0;
  for (let k = 0; k < g.length; k++) sum += g[k]! * g[k]!;
  return Math.sqrt(sum);
}

/** How {@link fitFromGaussianStart} runs L-BFGS. */
export interface GaussianStartFitOptions {
  maxSteps: number;
  /** Stop at $\|\nabla L\| \le$ `gradientReduction` $\cdot \|\nabla L(W_0)\|$. */
  gradientReduction: number;
  /** Stop at a risk at most this (the optimiser's default when absent). */
  valueTolerance?: number;
  /** The L-BFGS memory is $\min(md, \text{maxMemory})$. */
  maxMemory: number;
}

/** The start and, unless the run diverged, the optimiser's result. */
export interface GaussianStartFit {
  w0: Matrix;
  /** `null` when the optimiser raised a `DivergenceError`. */
  result: MinimizeResult | null;
}

/**
 * Minimises `risk` by L-BFGS from $W_0$ with i.i.d. $N(0, m^{*} / m)$ entries (so that
 * $\mathbb E[W_0^\top W_0] = m^* I$, the scale of a teacher $W^*$ with $N(0, 1)$ entries).
 *
 * @param risk - the empirical risk $\hat L$ of an $m \times d$ student.
 * @param size - $d$, $m$ and $m^*$.
 * @param rng - draws $W_0$ ($m \cdot d$ normals).
 * @param options - steps, tolerances and memory.
 * @returns $W_0$ and the result, `null` after divergence.
 * @throws whatever the optimiser throws other than `DivergenceError`.
 */
export function fitFromGaussianStart(
  risk: Objective,
  size: { d: number; width: number; teacherWidth: number },
  rng: Rng,
  options: GaussianStartFitOptions,
): GaussianStartFit {
  const { d, width, teacherWidth } = size;
  const w0 = gaussianInit(width, d, rng, Math.sqrt(teacherWidth / width));
  const g0Norm = gradientNormAt(risk, w0.data);
  try {
    const result = minimize(risk, w0.data, {
      method: 'lbfgs',
      maxSteps: options.maxSteps,
      gradientTolerance: options.gradientReduction * g0Norm,
      ...(options.valueTolerance !== undefined ? { valueTolerance: options.valueTolerance } : {}),
      lbfgs: { memory: Math.min(width * d, options.maxMemory) },
      historyEvery: options.maxSteps,
    });
    return { w0, result };
  } catch (error) {
    if (!(error instanceof DivergenceError)) throw error;
    return { w0, result: null };
  }
}
