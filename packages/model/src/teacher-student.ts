/**
 * Teacher–student data for quadratic networks: inputs, planted teachers and labels, all drawn
 * from a seeded generator passed in.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, ShapeError, checkMatrix, checkPositiveInteger, checkRng, gaussianMatrix, gemmKernel, type Rng } from '@shallowscape/linalg';
import { checkCount, checkNonNegative, checkOptionsObject, checkSigns, checkWeights } from './model-arguments';
import { effectiveMatrixOf, quadraticFormsOf } from './quadratic-form-kernels';

/**
 * Distribution of the i.i.d. input coordinates: standard Gaussian, Rademacher (±1), or uniform on
 * $[-\sqrt3, \sqrt3]$. All three have mean 0 and variance $\mu_2 = 1$; they differ in the fourth
 * moment $\mu_4$ (see {@link inputMoments}).
 */
export type InputDistribution = 'gaussian' | 'rademacher' | 'uniform';

const SQRT3 = Math.sqrt(3);

const MOMENTS: Record<InputDistribution, { mu2: number; mu4: number }> = {
  gaussian: { mu2: 1, mu4: 3 },
  rademacher: { mu2: 1, mu4: 1 },
  uniform: { mu2: 1, mu4: 9 / 5 },
};

function checkDistribution(argument: string, dist: unknown): InputDistribution {
  if (typeof dist !== 'string' || !Object.prototype.hasOwnProperty.call(MOMENTS, dist)) {
    throw new InvalidArgumentError(argument, dist, "'gaussian', 'rademacher' or 'uniform'");
  }
  return dist as InputDistribution;
}

/**
 * Second and fourth moments $\mu_2 = \mathbb{E}[x_k^2]$, $\mu_4 = \mathbb{E}[x_k^4]$ of one input
 * coordinate: Gaussian $(1, 3)$, Rademacher $(1, 1)$, uniform on $[-\sqrt3, \sqrt3]$ $(1, 9/5)$.
 * Pass them to {@link QuadraticPopulationRisk} for the exact population risk under that distribution.
 *
 * @param dist - the input distribution.
 * @returns `{ mu2, mu4 }`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for an unknown distribution.
 * @example
 * ```ts
 * inputMoments('uniform'); // => { "mu2": 1, "mu4": 1.8 }
 * inputMoments('rademacher'); // => { "mu2": 1, "mu4": 1 }
 * ```
 */
export function inputMoments(dist: InputDistribution): { mu2: number; mu4: number } {
  const m = MOMENTS[checkDistribution('dist', dist)];
  return { mu2: m.mu2, mu4: m.mu4 };
}

/**
 * Samples $N$ inputs $x_i \in \mathbb{R}^d$ with i.i.d. coordinates: $N(0,1)$ (`gaussian`), $\pm 1$
 * with probability ½ (`rademacher`), or uniform on $[-\sqrt3, \sqrt3]$ (`uniform`). Entries are drawn
 * row by row, so the same seed gives bit-identical data.
 *
 * @param n - number of samples $N \ge 0$.
 * @param d - input dimension $d \ge 1$.
 * @param dist - the coordinate distribution.
 * @param rng - the generator the draws come from (advanced).
 * @returns $X$, an $N \times d$ matrix with the samples as rows.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for a negative or fractional `n`, `d < 1`,
 *   an unknown `dist` or an `rng` that is not an Rng.
 * @example
 * ```ts
 * const x = sampleInputs(3, 2, 'rademacher', createRng(1));
 * x.shape; // => [3, 2]
 * Array.from(x.data).every((v) => v === 1 || v === -1); // => true
 * ```
 */
export function sampleInputs(n: number, d: number, dist: InputDistribution, rng: Rng): Matrix {
  checkCount('n', n);
  checkPositiveInteger('d', d);
  const kind = checkDistribution('dist', dist);
  checkRng('rng', rng);
  const x = new Matrix(n, d);
  const a = x.data;
  if (kind === 'gaussian') rng.fillNormal(a);
  else if (kind === 'rademacher') for (let k = 0; k < a.length; k++) a[k] = rng.rademacher();
  else for (let k = 0; k < a.length; k++) a[k] = rng.uniformRange(-SQRT3, SQRT3);
  return x;
}

/** Options of {@link sampleTeacher}. */
export interface SampleTeacherOptions {
  /**
   * Rank $r$ of the teacher, $1 \le r \le \min(m^*, d)$. Default: full rank (an i.i.d. Gaussian
   * matrix). For $r < d$ the teacher is $W^* = AB/\sqrt r$ with $A$ ($m^* \times r$) and $B$
   * ($r \times d$) i.i.d. $N(0,1)$, so its entries still have unit variance.
   */
  rank?: number;
}

/**
 * Samples a planted teacher $W^* \in \mathbb{R}^{m^* \times d}$ with i.i.d. $N(0,1)$ entries, or of a
 * chosen rank $r < d$ as the product $W^* = AB/\sqrt r$ of Gaussian factors ($A$: $m^* \times r$,
 * $B$: $r \times d$, drawn in that order), whose entries have mean 0 and variance 1.
 *
 * @param width - teacher width $m^* \ge 1$.
 * @param d - input dimension $d \ge 1$.
 * @param rng - the generator (advanced).
 * @param options - `rank` $r$.
 * @returns $W^*$, $m^* \times d$; of rank $\min(m^*, d)$ (full) or $r$, almost surely.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for `width` or `d` not an integer ≥ 1, an
 *   `rng` that is not an Rng, or `options.rank` outside $[1, \min(m^*, d)]$.
 * @example
 * ```ts
 * const teacher = sampleTeacher(6, 4, createRng(3), { rank: 2 });
 * teacher.shape; // => [6, 4]
 * rank(teacher); // => 2
 * ```
 */
export function sampleTeacher(width: number, d: number, rng: Rng, options?: SampleTeacherOptions): Matrix {
  checkPositiveInteger('width', width);
  checkPositiveInteger('d', d);
  checkRng('rng', rng);
  const opts = checkOptionsObject('options', options);
  if (opts.rank === undefined) return gaussianMatrix(width, d, rng);
  const r = opts.rank;
  if (typeof r !== 'number' || !Number.isSafeInteger(r) || r < 1 || r > Math.min(width, d)) {
    throw new InvalidArgumentError('options.rank', r, `an integer in [1, min(width, d)] = [1, ${Math.min(width, d)}]`);
  }
  if (r === d) return gaussianMatrix(width, d, rng);
  const a = gaussianMatrix(width, r, rng);
  const b = gaussianMatrix(r, d, rng);
  const out = new Matrix(width, d);
  gemmKernel(false, false, width, d, r, 1 / Math.sqrt(r), a.data, b.data, 0, out.data);
  return out;
}

/** Options of {@link teacherLabels}. */
export interface TeacherLabelsOptions {
  /** Output signs $v^*$ of a signed teacher (length $m^*$, entries ±1). Default: all $+1$. */
  signs?: Float64Array;
  /**
   * Standard deviation $\sigma \ge 0$ of additive Gaussian label noise (its variance $\sigma^2$ is the
   * population risk's `noiseVariance`). Default 0; a positive value needs `rng`.
   */
  noise?: number;
  /** The generator of the noise (advanced by $N$ normal draws, in sample order). */
  rng?: Rng;
}

/**
 * Labels from a planted teacher: $y_i = f_{W^*}(x_i) + \sigma \varepsilon_i$ with
 * $f_{W^*}(x) = x^\top Q^* x$, $Q^* = W^{*\top} \operatorname{diag}(v^*) W^*$ ($v^* = \mathbf 1$ unless
 * `signs` is given) and $\varepsilon_i$ i.i.d. $N(0,1)$. Cost $O(m^* d^2 + N d^2)$.
 *
 * @param x - inputs $X$, $N \times d$.
 * @param teacher - teacher weights $W^*$, $m^* \times d$.
 * @param options - teacher `signs`, noise standard deviation `noise`, noise generator `rng`.
 * @returns the $N$ labels.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `x` or `teacher` is not a Matrix, the
 *   teacher has no rows or columns, a sign is not ±1, `noise` is negative or not finite, or
 *   `noise > 0` without an `rng`.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `x` and `teacher` have different numbers of columns, or
 *   `signs.length ≠ m*`.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `x` or `teacher`.
 * @example
 * ```ts
 * const x = Matrix.from([[1, 2], [1, -1]]);
 * teacherLabels(x, Matrix.from([[1, 1]])); // => [9, 0]
 * teacherLabels(x, Matrix.from([[1, 0], [0, 1]]), { signs: Float64Array.of(1, -1) }); // => [-3, 0]
 * ```
 */
export function teacherLabels(x: Matrix, teacher: Matrix, options?: TeacherLabelsOptions): Float64Array {
  const t = checkWeights('teacher', teacher);
  const xs = checkMatrix('x', x);
  if (xs.cols !== t.cols) {
    throw new ShapeError(`x is ${xs.rows}×${xs.cols} and teacher is ${t.rows}×${t.cols}: both need d columns`, 'x');
  }
  const opts = checkOptionsObject('options', options);
  const signs = checkSigns('options.signs', opts.signs, t.rows, 'the teacher width (rows of teacher)');
  const noise = checkNonNegative('options.noise', opts.noise ?? 0);
  const rng = noise > 0 ? checkRng('options.rng', opts.rng) : null;
  const d = t.cols;
  const y = quadraticFormsOf(xs.rows, d, xs.data, effectiveMatrixOf(t.rows, d, t.data, signs));
  if (rng !== null) for (let i = 0; i < y.length; i++) y[i] = y[i]! + noise * rng.normal();
  return y;
}

/** Options of {@link randomLabels}. */
export interface RandomLabelsOptions {
  /** Standard deviation $s \ge 0$ of the labels. Default 1. */
  scale?: number;
}

/**
 * Arbitrary labels unrelated to any teacher: $y_i$ i.i.d. $N(0, s^2)$. These are the "arbitrary
 * data" of the mathematics guide, §2 (a signed network with $k \ge 2d$ fits them when $N \le d(d+1)/2$).
 *
 * @param n - number of labels $N \ge 0$.
 * @param rng - the generator (advanced by $N$ normal draws).
 * @param options - `scale` $s$.
 * @returns the $N$ labels.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for a negative or fractional `n`, an `rng`
 *   that is not an Rng, or a negative or non-finite `scale`.
 * @example
 * ```ts
 * randomLabels(4, createRng(5)).length; // => 4
 * randomLabels(3, createRng(5), { scale: 0 }); // => [0, 0, 0]
 * ```
 */
export function randomLabels(n: number, rng: Rng, options?: RandomLabelsOptions): Float64Array {
  checkCount('n', n);
  checkRng('rng', rng);
  const opts = checkOptionsObject('options', options);
  const scale = checkNonNegative('options.scale', opts.scale ?? 1);
  const y = new Float64Array(n);
  rng.fillNormal(y, 0, scale);
  return y;
}
