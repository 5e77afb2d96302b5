/**
 * The energy barrier of quadratic networks (the mathematics guide, §1.1–§1.2): every rank-deficient student
 * has population risk at least $c\,\sigma_{\min}(W^*)^4$, so a student below that value is full
 * rank; and the check of the identity initialisation against the barrier.
 *
 * All linear algebra here is float64 (`singularValues` on the default backend when it is float64,
 * else on the reference one).
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, ShapeError, assertFiniteNumber, checkMatrix, singularValues } from '@shallowscape/linalg';
import { quadraticPopulationRisk } from '@shallowscape/model';
import { certificateBackend } from './float64-backend';

/** Input moments for {@link energyBarrier} and {@link energyBarrierCertificate}. */
export interface EnergyBarrierOptions {
  /** Second moment $\mu_2 = \mathbb E[x_k^2]$ of each i.i.d. mean-zero input coordinate (default 1). */
  mu2?: number;
  /** Fourth moment $\mu_4 = \mathbb E[x_k^4] \ge \mu_2^2$ (default 3, Gaussian). */
  mu4?: number;
}

/** Options of {@link energyBarrierCertificate}. */
export interface EnergyBarrierCertificateOptions extends EnergyBarrierOptions {
  /** Output signs $v$ of a signed student (length $m$, entries ±1); default all $+1$. */
  signs?: Float64Array;
}

/** Result of {@link energyBarrierCertificate}. */
export interface EnergyBarrierCertificate {
  /** The barrier $c\,\sigma_{\min}(W^*)^4$ ({@link energyBarrier}). */
  barrier: number;
  /** The population risk $L(W)$ of the student. */
  populationRisk: number;
  /** $L(W) < 2\sigma_{\min}(W^*)^4$ (the barrier): then $W$ is certainly full rank ($\operatorname{rank} W = d$). */
  belowBarrier: boolean;
}

/** Result of {@link identityInitializationCheck}. */
export interface IdentityInitializationCheck {
  /** The barrier $2\sigma_{\min}(W^*)^4$. */
  barrier: number;
  /** $L(W_0)$ for $W_0 = \sqrt m\,[I_d; 0]$. */
  initialRisk: number;
  /** $L(W_0) < 2\sigma_{\min}(W^*)^4$. */
  belowBarrier: boolean;
  /** Student width $m$. */
  m: number;
  /** Input dimension $d$. */
  d: number;
}

function checkMoments(options: EnergyBarrierOptions | undefined): { mu2: number; mu4: number } {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new InvalidArgumentError('options', options, 'an options object or undefined');
  }
  const mu2 = options?.mu2 ?? 1;
  const mu4 = options?.mu4 ?? 3;
  assertFiniteNumber('options.mu2', mu2);
  assertFiniteNumber('options.mu4', mu4);
  if (mu2 <= 0) throw new InvalidArgumentError('options.mu2', mu2, 'a positive number');
  if (mu4 < mu2 * mu2) throw new InvalidArgumentError('options.mu4', mu4, `at least mu2² = ${mu2 * mu2}`);
  return { mu2, mu4 };
}

/** σ_min over the d singular values of an m*×d teacher; 0 when m* < d or numerically rank deficient. */
function teacherSigmaMin(t: Matrix): number {
  const d = t.cols;
  if (t.rows < d || d === 0) return 0;
  const s = singularValues(t, { backend: certificateBackend() });
  const smin = s[d - 1]!;
  const tol = Math.max(t.rows, d) * Number.EPSILON * s[0]!;
  return smin > tol ? smin : 0;
}

/**
 * The energy barrier $c\,\sigma_{\min}(W^*)^4$: every student $W$ with $\operatorname{rank} W < d$
 * has population risk $L(W) \ge c\,\sigma_{\min}(W^*)^4$.
 *
 * For Gaussian inputs $c = 2$ (Gamarnik–Kızıldağ–Zadik): with $\Delta = W^\top W - W^{*\top}W^*$
 * and a unit $u$ in the kernel of $W$, $\|\Delta\|_F \ge |u^\top\Delta u| = \|W^*u\|^2 \ge \sigma_{\min}(W^*)^2$,
 * and $L = 2\|\Delta\|_F^2 + (\operatorname{tr}\Delta)^2 \ge 2\|\Delta\|_F^2$. For inputs with i.i.d.
 * coordinates of moments $\mu_2, \mu_4$ the same argument on
 * $L = (\mu_4 - \mu_2^2)\sum_k \Delta_{kk}^2 + \mu_2^2\big(2\sum_{k \ne l}\Delta_{kl}^2 + (\operatorname{tr}\Delta)^2\big)$
 * gives $c = \min(\mu_4 - \mu_2^2,\ 2\mu_2^2)$ **(derived**, not from the paper; it is $2$ for Gaussian
 * inputs and $0$ for Rademacher inputs, whose risk does not see the diagonal of $\Delta$). The argument
 * holds as well for signed students $Q = W^\top\operatorname{diag}(v)W$.
 *
 * $\sigma_{\min}$ is the smallest of the $d$ singular values of $W^*$; the barrier is $0$ when $W^*$ has
 * fewer than $d$ rows or is numerically rank deficient ($\sigma_{\min} \le \max(m^*, d)\,\varepsilon\,\sigma_{\max}$).
 *
 * @param teacher - the teacher $W^*$, an $m^* \times d$ matrix.
 * @param options - input moments `mu2` $\mu_2$ (default 1) and `mu4` $\mu_4$ (default 3).
 * @returns the barrier, $\ge 0$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `teacher` is not a Matrix or a moment is invalid.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `teacher`.
 * @see Gamarnik, Kızıldağ and Zadik, "Stationary points of shallow neural networks with quadratic activation function" (energy barrier).
 * @example
 * ```ts
 * energyBarrier(Matrix.from([[2, 0], [0, 1], [0, 0]])); // => 2
 * energyBarrier(Matrix.from([[2, 0], [0, 3]]), { mu2: 1, mu4: 1 }); // => 0
 * energyBarrier(Matrix.from([[1, 1]])); // => 0
 * ```
 */
export function energyBarrier(teacher: Matrix, options?: EnergyBarrierOptions): number {
  const t = checkMatrix('teacher', teacher);
  const { mu2, mu4 } = checkMoments(options);
  const c = Math.min(mu4 - mu2 * mu2, 2 * mu2 * mu2);
  const s = teacherSigmaMin(t);
  return c * s ** 4;
}

/**
 * The energy-barrier certificate of a student $W$: the barrier $c\,\sigma_{\min}(W^*)^4$
 * ({@link energyBarrier}), the population risk $L(W)$, and whether $L(W) < c\,\sigma_{\min}(W^*)^4$,
 * in which case $W$ is full rank and so is every point of a risk-non-increasing path from it.
 *
 * @param w - the student $W$, $m \times d$.
 * @param teacher - the teacher $W^*$, $m^* \times d$.
 * @param options - input moments `mu2`, `mu4` (default Gaussian) and student `signs` $v$.
 * @returns `{ barrier, populationRisk, belowBarrier }`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` or `teacher` is not a Matrix, or an option is invalid.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `w` and `teacher` have different numbers of columns.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry.
 * @see Gamarnik, Kızıldağ and Zadik (energy barrier); the mathematics guide, §1.1.
 * @example
 * ```ts
 * const teacher = Matrix.identity(2);
 * energyBarrierCertificate(Matrix.from([[1, 0], [0, 1.1]]), teacher); // => { barrier: 2, populationRisk: 0.1323, belowBarrier: true }
 * energyBarrierCertificate(Matrix.from([[1, 0], [0, 0]]), teacher); // => { barrier: 2, populationRisk: 3, belowBarrier: false }
 * ```
 */
export function energyBarrierCertificate(w: Matrix, teacher: Matrix, options?: EnergyBarrierCertificateOptions): EnergyBarrierCertificate {
  const student = checkMatrix('w', w);
  const t = checkMatrix('teacher', teacher);
  if (student.cols !== t.cols) {
    throw new ShapeError(`w is ${student.rows}×${student.cols} and teacher is ${t.rows}×${t.cols}: both need the same input dimension d (columns)`, 'w');
  }
  const barrier = energyBarrier(t, options);
  const populationRisk = quadraticPopulationRisk(student, t, {
    mu2: options?.mu2 ?? 1,
    mu4: options?.mu4 ?? 3,
    ...(options?.signs === undefined ? {} : { signs: options.signs }),
  });
  return { barrier, populationRisk, belowBarrier: populationRisk < barrier };
}

/**
 * Whether the identity initialisation $W_0 = \sqrt m\,[I_d; 0]$ ($W_0^\top W_0 = m I_d$) starts below
 * the energy barrier of a teacher: $L(W_0) < 2\sigma_{\min}(W^*)^4$ (Gaussian inputs). For a Gaussian
 * teacher this needs $m \gtrsim C d^2$ (the mathematics guide, §1.2, derived).
 *
 * @param teacher - the teacher $W^*$, $m^* \times d$.
 * @param m - the student width $m \ge d$ (default $m^*$, the teacher's width).
 * @returns `{ barrier, initialRisk, belowBarrier, m, d }`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `teacher` is not a Matrix, or `m` is not an integer $\ge d$.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `teacher`.
 * @see Gamarnik, Kızıldağ and Zadik (identity initialisation below the barrier); the mathematics guide, §1.2.
 * @example
 * ```ts
 * const teacher = Matrix.from([[2, 0], [0, 2]]); // W*ᵀW* = 4I, barrier 2·2⁴ = 32
 * identityInitializationCheck(teacher, 3); // => { barrier: 32, initialRisk: 8, belowBarrier: true, m: 3, d: 2 }
 * identityInitializationCheck(teacher, 8); // => { barrier: 32, initialRisk: 128, belowBarrier: false, m: 8, d: 2 }
 * ```
 */
export function identityInitializationCheck(teacher: Matrix, m?: number): IdentityInitializationCheck {
  const t = checkMatrix('teacher', teacher);
  const d = t.cols;
  if (d < 1) throw new InvalidArgumentError('teacher', t, 'a matrix with at least one column (d ≥ 1)');
  const width = m ?? t.rows;
  if (typeof width !== 'number' || !Number.isSafeInteger(width) || width < d) {
    throw new InvalidArgumentError('m', width, `an integer ≥ d = ${d} (the identity start needs at least d hidden units)`);
  }
  const w0 = new Matrix(width, d);
  const s = Math.sqrt(width);
  for (let k = 0; k < d; k++) w0.data[k * d + k] = s;
  const barrier = energyBarrier(t);
  const initialRisk = quadraticPopulationRisk(w0, t);
  return { barrier, initialRisk, belowBarrier: initialRisk < barrier, m: width, d };
}
