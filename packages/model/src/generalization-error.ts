/**
 * The generalisation error of a quadratic-network student: its population risk and the relative
 * error of its effective matrix against the teacher's.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, type Matrix } from '@shallowscape/linalg';
import { checkWeights } from './model-arguments';
import { effectiveMatrixOf } from './quadratic-form-kernels';
import {
  checkPair,
  gramDifferenceKernel,
  populationRiskFromDelta,
  resolveMoments,
  type QuadraticPopulationRiskOptions,
} from './quadratic-population-risk';

/** Result of {@link generalizationError}. */
export interface GeneralizationError {
  /** The population risk $L(W)$ (absolute generalisation error, label noise included). */
  populationRisk: number;
  /** $\|Q - Q^*\|_F / \|Q^*\|_F$. */
  relativeError: number;
}

/**
 * Generalisation error of a student $W$ ($m \times d$) against a teacher $W^*$ ($m^* \times d$):
 * the population risk (the mathematics guide, §1)
 *
 * $$L(W) = (\mu_4 - 3\mu_2^2)\sum_k \Delta_{kk}^2 + \mu_2^2\big(2\|\Delta\|_F^2 + (\operatorname{tr}\Delta)^2\big) + s^2$$
 *
 * and the relative error $\|\Delta\|_F / \|Q^*\|_F$, where $Q = W^\top \operatorname{diag}(v) W$,
 * $Q^* = W^{*\top} \operatorname{diag}(v^*) W^*$, $\Delta = Q - Q^*$ (unsigned networks:
 * $\|W^\top W - W^{*\top} W^*\|_F / \|W^{*\top} W^*\|_F$, the `relativeError` of the conventions guide).
 * Cost $O((m + m^*)d^2)$.
 *
 * @param w - student weights $W$, $m \times d$ ($m \ge 1$).
 * @param teacher - teacher weights $W^*$, $m^* \times d$ ($m^* \ge 1$).
 * @param options - input moments `mu2`, `mu4` (default Gaussian), `noiseVariance` $s^2$, student
 *   `signs` $v$ and `teacherSigns` $v^*$ (default all $+1$).
 * @returns `{ populationRisk, relativeError }`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` or `teacher` is not a Matrix or
 *   has no rows or columns, an option is out of range, a sign is not ±1, or $Q^* = 0$ (naming
 *   `teacher`: the relative error is undefined).
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `w` and `teacher` have different numbers of columns, or a
 *   sign vector has the wrong length.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `w` or `teacher`.
 * @example
 * ```ts
 * const e = generalizationError(Matrix.from([[2, 0], [0, 1]]), Matrix.identity(2)); // Δ = diag(3, 0)
 * e.populationRisk; // => 27
 * e.relativeError; // => 2.1213
 * ```
 */
export function generalizationError(w: Matrix, teacher: Matrix, options?: QuadraticPopulationRiskOptions): GeneralizationError {
  checkWeights('w', w);
  checkWeights('teacher', teacher);
  const moments = resolveMoments(options);
  const pair = checkPair(w, teacher, options, 'w', 'teacher');
  const d = pair.w.cols;
  const qStar = effectiveMatrixOf(pair.wStar.rows, d, pair.wStar.data, pair.teacherSigns);
  const delta = new Float64Array(d * d);
  gramDifferenceKernel(pair.w.rows, d, pair.w.data, pair.signs, qStar, delta);
  const norm = (a: Float64Array): number => {
    // Scaled sum of squares: no overflow or underflow for extreme entries.
    let scale = 0;
    for (const v of a) scale = Math.max(scale, Math.abs(v));
    if (scale === 0) return 0;
    let sum = 0;
    for (const v of a) sum += (v / scale) * (v / scale);
    return scale * Math.sqrt(sum);
  };
  const teacherNorm = norm(qStar);
  if (teacherNorm === 0) {
    throw new InvalidArgumentError('teacher', teacher, "a teacher with W*ᵀ diag(v*) W* ≠ 0 (the relative error divides by its norm)");
  }
  return { populationRisk: populationRiskFromDelta(delta, d, moments), relativeError: norm(delta) / teacherNorm };
}
