/**
 * Closed-form population risk of a (signed) quadratic network against a planted teacher: the
 * functions `quadraticPopulationRisk` / `quadraticPopulationRiskGradient` and the objective
 * `QuadraticPopulationRisk` (value, gradient, Hessian-vector product, dense Hessian).
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, ShapeError, assertFiniteNumber, checkMatrix, checkPositiveInteger, gemmKernel } from '@shallowscape/linalg';
import { checkFlat, checkSigns, checkWeights, sharesMemory } from './model-arguments';
import { effectiveMatrixKernel, effectiveMatrixOf, scaleRowsKernel, symmetrizeKernel } from './quadratic-form-kernels';
import { MAX_DENSE_HESSIAN_PARAMETERS, type QuadraticParameterBlock } from './quadratic-risk';

/**
 * Input distribution, label noise and output signs for {@link quadraticPopulationRisk},
 * {@link quadraticPopulationRiskGradient} and {@link QuadraticPopulationRisk}. The defaults describe
 * standard Gaussian inputs `x ~ N(0, I_d)`, noiseless labels and unsigned networks.
 */
export interface QuadraticPopulationRiskOptions {
  /**
   * Second moment $\mu_2 = \mathbb{E}[x_k^2]$ of each (i.i.d., mean-zero) input coordinate.
   * Default `1`.
   */
  mu2?: number;
  /**
   * Fourth moment $\mu_4 = \mathbb{E}[x_k^4]$ of each input coordinate; must satisfy
   * $\mu_4 \ge \mu_2^2$. Default `3` (Gaussian).
   */
  mu4?: number;
  /** Variance $s^2$ of additive label noise, $y = f_{W^*}(x) + \varepsilon$. Default `0`. */
  noiseVariance?: number;
  /** Output signs $v$ of a signed student (length $m$, entries ±1). Default: all $+1$. */
  signs?: Float64Array;
  /** Output signs $v^*$ of a signed teacher (length $m^*$, entries ±1). Default: all $+1$. */
  teacherSigns?: Float64Array;
}

/** Validated options with defaults filled in. */
export interface ResolvedMoments {
  mu2: number;
  mu4: number;
  noiseVariance: number;
}

export function resolveMoments(options: QuadraticPopulationRiskOptions | undefined): ResolvedMoments {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new InvalidArgumentError('options', options, 'an options object or undefined');
  }
  const mu2 = options?.mu2 ?? 1;
  const mu4 = options?.mu4 ?? 3;
  const noiseVariance = options?.noiseVariance ?? 0;
  assertFiniteNumber('options.mu2', mu2);
  assertFiniteNumber('options.mu4', mu4);
  assertFiniteNumber('options.noiseVariance', noiseVariance);
  if (mu2 <= 0) throw new InvalidArgumentError('options.mu2', mu2, 'a positive number');
  if (mu4 < mu2 * mu2) {
    throw new InvalidArgumentError('options.mu4', mu4, `at least mu2² = ${mu2 * mu2} (Jensen's inequality)`);
  }
  if (noiseVariance < 0) throw new InvalidArgumentError('options.noiseVariance', noiseVariance, 'a non-negative number');
  return { mu2, mu4, noiseVariance };
}

/** Validated student/teacher pair with their signs (`null` = all +1). */
export interface CheckedPair {
  w: Matrix;
  wStar: Matrix;
  signs: Float64Array | null;
  teacherSigns: Float64Array | null;
}

export function checkPair(w: unknown, wStar: unknown, options: QuadraticPopulationRiskOptions | undefined, wName = 'w', teacherName = 'wStar'): CheckedPair {
  const a = checkMatrix(wName, w);
  const b = checkMatrix(teacherName, wStar);
  if (a.cols !== b.cols) {
    throw new ShapeError(
      `${wName} is ${a.rows}×${a.cols} and ${teacherName} is ${b.rows}×${b.cols}: both need the same input dimension d (columns)`,
      teacherName,
    );
  }
  const signs = checkSigns('options.signs', options?.signs, a.rows, `the student width (rows of ${wName})`);
  const teacherSigns = checkSigns('options.teacherSigns', options?.teacherSigns, b.rows, `the teacher width (rows of ${teacherName})`);
  return { w: a, wStar: b, signs, teacherSigns };
}

/**
 * `Δ = Wᵀ diag(v) W − W*ᵀ diag(v*) W*` (d×d, exactly symmetric), written into `delta`; `qStar`
 * is the teacher's matrix.
 */
export function gramDifferenceKernel(m: number, d: number, w: Float64Array, signs: Float64Array | null, qStar: Float64Array, delta: Float64Array): void {
  effectiveMatrixKernel(m, d, w, signs, delta);
  for (let k = 0; k < d * d; k++) delta[k] = delta[k]! - qStar[k]!;
}

/** Risk from `Δ`: `(μ₄ − 3μ₂²) Σ_k Δ_kk² + μ₂²(2‖Δ‖_F² + (tr Δ)²) + s²`. Assumes valid input. */
export function populationRiskFromDelta(delta: Float64Array, d: number, mo: ResolvedMoments): number {
  let frob2 = 0;
  let trace = 0;
  let diag2 = 0;
  for (let k = 0; k < d; k++) {
    const dkk = delta[k * d + k]!;
    trace += dkk;
    diag2 += dkk * dkk;
    frob2 += dkk * dkk;
    for (let l = k + 1; l < d; l++) {
      const v = delta[k * d + l]!;
      frob2 += 2 * v * v;
    }
  }
  const excess = mo.mu4 - 3 * mo.mu2 * mo.mu2;
  return excess * diag2 + mo.mu2 * mo.mu2 * (2 * frob2 + trace * trace) + mo.noiseVariance;
}

/**
 * `G = ∂L/∂Δ = 2(μ₄ − 3μ₂²) diag(Δ) + μ₂²(4Δ + 2 tr(Δ) I)` (linear in Δ), written into `g`.
 */
function deltaGradientKernel(delta: Float64Array, d: number, mo: ResolvedMoments, g: Float64Array): void {
  const mu22 = mo.mu2 * mo.mu2;
  const excess = mo.mu4 - 3 * mu22;
  let trace = 0;
  for (let k = 0; k < d; k++) trace += delta[k * d + k]!;
  for (let k = 0; k < d * d; k++) g[k] = 4 * mu22 * delta[k]!;
  for (let k = 0; k < d; k++) g[k * d + k] = g[k * d + k]! + 2 * excess * delta[k * d + k]! + 2 * mu22 * trace;
}

/** `out = α diag(v) W G` (m×d) by `gemm`; `out` must not alias `w`. */
function weightedProductKernel(m: number, d: number, alpha: number, w: Float64Array, g: Float64Array, signs: Float64Array | null, out: Float64Array): void {
  gemmKernel(false, false, m, d, d, alpha, w, g, 0, out);
  scaleRowsKernel(m, d, signs, out);
}

/**
 * Population risk of the quadratic network $f_W(x) = \|Wx\|^2 = x^\top W^\top W x$ (or of a signed
 * network, $f(x) = x^\top W^\top \operatorname{diag}(v) W x$) against the teacher $f_{W^*}$, in
 * closed form.
 *
 * With $\Delta = Q - Q^*$, $Q = W^\top \operatorname{diag}(v) W$, $Q^* = W^{*\top} \operatorname{diag}(v^*) W^*$
 * ($v = v^* = \mathbf 1$ by default, giving $\Delta = W^\top W - W^{*\top} W^*$), and inputs whose
 * coordinates are i.i.d., mean zero, with moments $\mu_2 = \mathbb{E}[x_k^2]$ and $\mu_4 = \mathbb{E}[x_k^4]$,
 *
 * $$L(W) = \mathbb{E}\big[(f_W(x) - y)^2\big] = (\mu_4 - 3\mu_2^2)\sum_k \Delta_{kk}^2 + \mu_2^2\big(2\|\Delta\|_F^2 + (\operatorname{tr}\Delta)^2\big) + s^2,$$
 *
 * where $s^2$ is the label-noise variance. For Gaussian inputs ($\mu_2 = 1$, $\mu_4 = 3$, the
 * default) this is $L(W) = 2\|\Delta\|_F^2 + (\operatorname{tr}\Delta)^2$. Cost $O((m + m^*)d^2)$.
 *
 * @param w - student weights $W$, an $m \times d$ matrix (hidden units as rows).
 * @param wStar - teacher weights $W^*$, an $m^* \times d$ matrix with the same $d$.
 * @param options - input moments $\mu_2, \mu_4$, noise variance $s^2$ (default Gaussian, noiseless),
 *   student `signs` $v$ and `teacherSigns` $v^*$ (default all $+1$).
 * @returns the risk $L(W) \ge s^2$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` or `wStar` is not a Matrix,
 *   an option is out of range ($\mu_2 \le 0$, $\mu_4 < \mu_2^2$, $s^2 < 0$, non-finite), or a sign is not ±1.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `w` or `wStar` has a NaN or infinite entry.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `w` and `wStar` have different numbers of columns,
 *   or a sign vector's length is not the matching width.
 * @see Gamarnik, Kızıldağ and Zadik, "Stationary points of shallow neural networks with quadratic
 *   activation function" (the Gaussian formula and the energy barrier $2\sigma_{\min}(W^*)^4$).
 * @example
 * ```ts
 * const wStar = Matrix.identity(2);
 * const w = Matrix.from([[2, 0], [0, 1]]); // Δ = diag(3, 0)
 * quadraticPopulationRisk(w, wStar); // => 27
 * quadraticPopulationRisk(w, wStar, { mu2: 1, mu4: 1 }); // => 9
 * quadraticPopulationRisk(wStar, wStar, { noiseVariance: 0.25 }); // => 0.25
 * quadraticPopulationRisk(w, wStar, { teacherSigns: Float64Array.of(1, -1) }); // => 51
 * ```
 */
export function quadraticPopulationRisk(w: Matrix, wStar: Matrix, options?: QuadraticPopulationRiskOptions): number {
  const moments = resolveMoments(options);
  const pair = checkPair(w, wStar, options);
  const d = pair.w.cols;
  const qStar = effectiveMatrixOf(pair.wStar.rows, d, pair.wStar.data, pair.teacherSigns);
  const delta = new Float64Array(d * d);
  gramDifferenceKernel(pair.w.rows, d, pair.w.data, pair.signs, qStar, delta);
  return populationRiskFromDelta(delta, d, moments);
}

/**
 * Gradient of {@link quadraticPopulationRisk} with respect to the student weights $W$.
 *
 * Writing $L$ as a function of the symmetric $\Delta = Q - Q^*$, its gradient in $\Delta$ is
 * $G = 2(\mu_4 - 3\mu_2^2)\operatorname{diag}(\Delta_{11},\dots,\Delta_{dd}) + \mu_2^2\big(4\Delta + 2\operatorname{tr}(\Delta) I\big)$,
 * and the chain rule through $Q = W^\top \operatorname{diag}(v) W$ gives $\nabla L(W) = 2\operatorname{diag}(v) WG$; unsigned:
 *
 * $$\nabla L(W) = 4(\mu_4 - 3\mu_2^2)\, W \operatorname{diag}(\Delta) + \mu_2^2\big(8 W\Delta + 4\operatorname{tr}(\Delta)\, W\big).$$
 *
 * For Gaussian inputs (the default) this is $\nabla L(W) = 8W\Delta + 4\operatorname{tr}(\Delta)W$.
 * Label noise does not change the gradient. Cost $O((m + m^*)d^2)$.
 *
 * @param w - student weights $W$, $m \times d$.
 * @param wStar - teacher weights $W^*$, $m^* \times d$.
 * @param options - input moments, noise variance and signs, as in {@link quadraticPopulationRisk}.
 * @returns $\nabla L(W)$, a new $m \times d$ matrix.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when an argument is not a Matrix, an option is out of range or a sign is not ±1.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `w` or `wStar` has a NaN or infinite entry.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `w` and `wStar` have different numbers of columns, or a sign vector has the wrong length.
 * @example
 * ```ts
 * const wStar = Matrix.identity(2);
 * const w = Matrix.from([[2, 0], [0, 1]]); // Δ = diag(3, 0), tr Δ = 3
 * quadraticPopulationRiskGradient(w, wStar).toArray(); // => [[72, 0], [0, 12]]
 * ```
 */
export function quadraticPopulationRiskGradient(w: Matrix, wStar: Matrix, options?: QuadraticPopulationRiskOptions): Matrix {
  const moments = resolveMoments(options);
  const pair = checkPair(w, wStar, options);
  const { rows: m, cols: d } = pair.w;
  const qStar = effectiveMatrixOf(pair.wStar.rows, d, pair.wStar.data, pair.teacherSigns);
  const delta = new Float64Array(d * d);
  gramDifferenceKernel(m, d, pair.w.data, pair.signs, qStar, delta);
  const g = new Float64Array(d * d);
  deltaGradientKernel(delta, d, moments, g);
  const out = new Matrix(m, d);
  weightedProductKernel(m, d, 2, pair.w.data, g, pair.signs, out.data);
  return out;
}

/**
 * The population risk of a (signed) quadratic network against a fixed teacher, as an optimisation
 * objective in the student weights $W$ ($m \times d$, flattened row-major into one block `"W"`):
 *
 * $$L(W) = (\mu_4 - 3\mu_2^2)\sum_k \Delta_{kk}^2 + \mu_2^2\big(2\|\Delta\|_F^2 + (\operatorname{tr}\Delta)^2\big) + s^2, \qquad \Delta = W^\top \operatorname{diag}(v) W - W^{*\top} \operatorname{diag}(v^*) W^*,$$
 *
 * its gradient $\nabla L(W) = 2 \operatorname{diag}(v)\, W G(\Delta)$ with the linear map
 * $G(\Delta) = 2(\mu_4 - 3\mu_2^2)\operatorname{Diag}(\Delta) + \mu_2^2(4\Delta + 2\operatorname{tr}(\Delta) I)$, and the
 * Hessian-vector product
 *
 * $$\nabla^2 L(W)[U] = 2\operatorname{diag}(v)\big(U\,G(\Delta) + W\,G(\Delta')\big), \qquad \Delta' = U^\top \operatorname{diag}(v) W + W^\top \operatorname{diag}(v) U.$$
 *
 * Every evaluation costs $O(md^2)$ (the teacher's $Q^*$ is formed once). It implements the
 * `Objective` interface of `@shallowscape/optim` structurally; working buffers are allocated once.
 * Flat methods check types and lengths but not finiteness (non-finite parameters give a
 * non-finite value, which optimisers report as divergence); the Matrix methods check both.
 *
 * @see the mathematics guide, §1 (population risk), §2 (signed networks).
 * @example
 * ```ts
 * const objective = new QuadraticPopulationRisk(Matrix.identity(2), 2);
 * objective.risk(Matrix.from([[2, 0], [0, 1]])); // => 27
 * objective.riskGradient(Matrix.identity(2)).toArray(); // => [[0, 0], [0, 0]]
 * objective.value(Float64Array.of(0, 0, 0, 0)); // => 8
 * ```
 */
export class QuadraticPopulationRisk {
  /** One block, `{ name: "W", size: m·d }`: the student weights flattened row-major. */
  readonly blocks: readonly QuadraticParameterBlock[];
  /** Student width $m$. */
  readonly width: number;
  /** Input dimension $d$. */
  readonly inputDimension: number;

  private readonly moments: ResolvedMoments;
  private readonly v: Float64Array | null;
  private readonly qStar: Float64Array;
  // d×d work matrices: Δ, G(Δ), Δ', G(Δ').
  private readonly delta: Float64Array;
  private readonly g: Float64Array;
  private readonly deltaDirection: Float64Array;
  private readonly gDirection: Float64Array;
  // m×d work arrays: diag(v) U and an output buffer for aliased calls.
  private readonly vu: Float64Array;
  private readonly outBuffer: Float64Array;

  /**
   * @param teacher - teacher weights $W^*$, an $m^* \times d$ matrix ($m^*, d \ge 1$). Only $Q^*$ is kept.
   * @param width - student width $m \ge 1$.
   * @param options - input moments `mu2`, `mu4` (default Gaussian: 1, 3; see {@link inputMoments}),
   *   `noiseVariance` $s^2$, student `signs` $v$ (length $m$) and `teacherSigns` $v^*$ (length $m^*$),
   *   both default all $+1$.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `teacher` is not a Matrix or has no
   *   rows or columns, `width` is not an integer ≥ 1, a moment option is out of range, or a sign is not ±1.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when a sign vector has the wrong length.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `teacher`.
   */
  constructor(teacher: Matrix, width: number, options?: QuadraticPopulationRiskOptions) {
    const t = checkWeights('teacher', teacher);
    const m = checkPositiveInteger('width', width);
    this.moments = resolveMoments(options);
    const signs = checkSigns('options.signs', options?.signs, m, 'width');
    const teacherSigns = checkSigns('options.teacherSigns', options?.teacherSigns, t.rows, 'the teacher width (rows of teacher)');
    const d = t.cols;
    this.width = m;
    this.inputDimension = d;
    this.blocks = Object.freeze([Object.freeze({ name: 'W', size: m * d })]);
    this.v = signs === null || signs.every((s) => s === 1) ? null : signs.slice();
    this.qStar = effectiveMatrixOf(t.rows, d, t.data, teacherSigns);
    this.delta = new Float64Array(d * d);
    this.g = new Float64Array(d * d);
    this.deltaDirection = new Float64Array(d * d);
    this.gDirection = new Float64Array(d * d);
    this.vu = new Float64Array(m * d);
    this.outBuffer = new Float64Array(m * d);
  }

  /**
   * The teacher's matrix $Q^* = W^{*\top} \operatorname{diag}(v^*) W^*$ ($d \times d$, a copy).
   * @example
   * ```ts
   * new QuadraticPopulationRisk(Matrix.from([[1, 2]]), 1).teacherMatrix().toArray(); // => [[1, 2], [2, 4]]
   * ```
   */
  teacherMatrix(): Matrix {
    const d = this.inputDimension;
    return new Matrix(d, d, this.qStar.slice());
  }

  /**
   * $L(W)$ at the flat weights.
   * @param w - $W$ flattened row-major (length $md$).
   * @returns the risk.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` is not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `w.length ≠ md`.
   * @example
   * ```ts
   * new QuadraticPopulationRisk(Matrix.identity(1), 1).value(Float64Array.of(2)); // => 27
   * ```
   */
  value(w: Float64Array): number {
    checkFlat('w', w, this.width * this.inputDimension, this.shape());
    this.computeDelta(w);
    return populationRiskFromDelta(this.delta, this.inputDimension, this.moments);
  }

  /**
   * $\nabla L(W) = 2\operatorname{diag}(v)\, W G(\Delta)$, flattened row-major.
   * @param w - $W$ flattened row-major (length $md$).
   * @param out - destination (length $md$; may be `w`). Default: a new array.
   * @returns `out`.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` or `out` is not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when a length is not $md$.
   * @example
   * ```ts
   * // d = m = 1: L(w) = 3(w² − 1)², L'(w) = 12 w (w² − 1).
   * new QuadraticPopulationRisk(Matrix.identity(1), 1).gradient(Float64Array.of(2)); // => [72]
   * ```
   */
  gradient(w: Float64Array, out?: Float64Array): Float64Array {
    const p = this.width * this.inputDimension;
    checkFlat('w', w, p, this.shape());
    const target = out === undefined ? new Float64Array(p) : checkFlat('out', out, p, this.shape());
    this.computeDelta(w);
    this.writeGradient(w, target);
    return target;
  }

  /**
   * Writes $\nabla L(W)$ into `out` and returns $L(W)$.
   * @param w - $W$ flattened row-major (length $md$).
   * @param out - destination (length $md$; may be `w`).
   * @returns $L(W)$.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` or `out` is not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when a length is not $md$.
   * @example
   * ```ts
   * const g = new Float64Array(1);
   * new QuadraticPopulationRisk(Matrix.identity(1), 1).valueAndGradient(Float64Array.of(2), g); // => 27
   * g; // => [72]
   * ```
   */
  valueAndGradient(w: Float64Array, out: Float64Array): number {
    const p = this.width * this.inputDimension;
    checkFlat('w', w, p, this.shape());
    checkFlat('out', out, p, this.shape());
    this.computeDelta(w);
    const risk = populationRiskFromDelta(this.delta, this.inputDimension, this.moments);
    this.writeGradient(w, out);
    return risk;
  }

  /**
   * $\nabla^2 L(W)[U] = 2\operatorname{diag}(v)\big(U G(\Delta) + W G(\Delta')\big)$,
   * $\Delta' = U^\top \operatorname{diag}(v) W + W^\top \operatorname{diag}(v) U$; cost $O(md^2)$.
   * @param w - $W$ flattened row-major (length $md$).
   * @param u - direction $U$ flattened row-major (length $md$).
   * @param out - destination (length $md$; may alias `w` or `u`). Default: a new array.
   * @returns `out`.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when an argument is not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when a length is not $md$.
   * @example
   * ```ts
   * // d = m = 1: L''(w) = 36 w² − 12.
   * new QuadraticPopulationRisk(Matrix.identity(1), 1).hessianVectorProduct(Float64Array.of(2), Float64Array.of(1)); // => [132]
   * ```
   */
  hessianVectorProduct(w: Float64Array, u: Float64Array, out?: Float64Array): Float64Array {
    const m = this.width;
    const d = this.inputDimension;
    const p = m * d;
    checkFlat('w', w, p, this.shape());
    checkFlat('u', u, p, this.shape());
    const target = out === undefined ? new Float64Array(p) : checkFlat('out', out, p, this.shape());
    this.computeDelta(w);
    deltaGradientKernel(this.delta, d, this.moments, this.g);
    // Δ' = B + Bᵀ with B = Wᵀ diag(v) U.
    const vu = this.vu;
    vu.set(u);
    scaleRowsKernel(m, d, this.v, vu);
    const dd = this.deltaDirection;
    gemmKernel(true, false, d, d, m, 1, w, vu, 0, dd);
    symmetrizeKernel(d, dd);
    for (let k = 0; k < d * d; k++) dd[k] = 2 * dd[k]!;
    deltaGradientKernel(dd, d, this.moments, this.gDirection);
    const dest = sharesMemory(target, w) || sharesMemory(target, u) ? this.outBuffer : target;
    gemmKernel(false, false, m, d, d, 2, u, this.g, 0, dest);
    gemmKernel(false, false, m, d, d, 2, w, this.gDirection, 1, dest);
    scaleRowsKernel(m, d, this.v, dest);
    if (dest !== target) target.set(dest);
    return target;
  }

  /**
   * $L(W)$ for a weight matrix.
   * @param w - $W$, $m \times d$.
   * @returns the risk.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` is not a Matrix or not $m \times d$.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `w`.
   * @example
   * ```ts
   * new QuadraticPopulationRisk(Matrix.identity(2), 2).risk(Matrix.identity(2)); // => 0
   * ```
   */
  risk(w: Matrix): number {
    return this.value(this.checkWeightMatrix(w).data);
  }

  /**
   * $\nabla L(W)$ as an $m \times d$ matrix.
   * @param w - $W$, $m \times d$.
   * @returns a new $m \times d$ matrix.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` is not a Matrix or not $m \times d$.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `w`.
   * @example
   * ```ts
   * new QuadraticPopulationRisk(Matrix.identity(2), 2).riskGradient(Matrix.from([[2, 0], [0, 1]])).toArray(); // => [[72, 0], [0, 12]]
   * ```
   */
  riskGradient(w: Matrix): Matrix {
    const wm = this.checkWeightMatrix(w);
    const out = new Matrix(this.width, this.inputDimension);
    this.gradient(wm.data, out.data);
    return out;
  }

  /**
   * The dense Hessian $\nabla^2 L(W)$ ($md \times md$, parameters in row-major order of $W$), one
   * column per Hessian-vector product with a unit vector, then symmetrised as $\frac12(H + H^\top)$
   * (the columns agree with the rows to rounding). Cost $O(m^2 d^3)$; for at most
   * {@link MAX_DENSE_HESSIAN_PARAMETERS} parameters.
   * @param w - $W$, $m \times d$.
   * @returns a new symmetric $md \times md$ matrix.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` is not a Matrix or not $m \times d$,
   *   or $md$ exceeds {@link MAX_DENSE_HESSIAN_PARAMETERS}.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `w`.
   * @example
   * ```ts
   * new QuadraticPopulationRisk(Matrix.identity(1), 1).hessian(Matrix.from([[2]])).toArray(); // => [[132]]
   * ```
   */
  hessian(w: Matrix): Matrix {
    const wm = this.checkWeightMatrix(w);
    const p = this.width * this.inputDimension;
    if (p > MAX_DENSE_HESSIAN_PARAMETERS) {
      throw new InvalidArgumentError('w', wm, `at most ${MAX_DENSE_HESSIAN_PARAMETERS} parameters m·d for a dense Hessian (use hessianVectorProduct)`);
    }
    const h = new Matrix(p, p);
    const hd = h.data;
    const e = new Float64Array(p);
    const column = new Float64Array(p);
    for (let c = 0; c < p; c++) {
      e[c] = 1;
      this.hessianVectorProduct(wm.data, e, column);
      e[c] = 0;
      for (let r = 0; r < p; r++) hd[r * p + c] = column[r]!;
    }
    symmetrizeKernel(p, hd);
    return h;
  }

  private shape(): string {
    return `W is ${this.width}×${this.inputDimension}`;
  }

  private checkWeightMatrix(w: Matrix): Matrix {
    const wm = checkMatrix('w', w);
    if (wm.rows !== this.width || wm.cols !== this.inputDimension) {
      throw new InvalidArgumentError('w', wm, `an ${this.width}×${this.inputDimension} matrix (width m × input dimension d)`);
    }
    return wm;
  }

  private computeDelta(w: Float64Array): void {
    gramDifferenceKernel(this.width, this.inputDimension, w, this.v, this.qStar, this.delta);
  }

  /** `out = 2 diag(v) W G(Δ)` with Δ current; `out` may alias `w`. */
  private writeGradient(w: Float64Array, out: Float64Array): void {
    const m = this.width;
    const d = this.inputDimension;
    deltaGradientKernel(this.delta, d, this.moments, this.g);
    const dest = sharesMemory(out, w) ? this.outBuffer : out;
    weightedProductKernel(m, d, 2, w, this.g, this.v, dest);
    if (dest !== out) out.set(dest);
  }
}
