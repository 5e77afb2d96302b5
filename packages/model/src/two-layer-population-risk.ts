/**
 * Population risk of a two-layer student against a two-layer teacher for Gaussian inputs
 * $x \sim \mathcal N(0, I_d)$: exact for ReLU (arc-cosine kernel) and erf (arcsine kernel), with
 * its gradient and an objective; Monte Carlo with a standard error for every activation.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, ShapeError, checkPositiveInteger, checkRng, type Rng } from '@shallowscape/linalg';
import { checkActivation, type Activation } from './activations';
import { checkFlat, checkWeights, sharesMemory } from './model-arguments';
import { checkFreeze, type TwoLayerFrozenLayer, type TwoLayerParameterBlock } from './two-layer-risk';
import { productKernelsOf } from './quadratic-form-kernels';
import { checkOutputWeights, checkParameterization, scaleOf, twoLayerOutputsKernel, type Parameterization } from './two-layer-net';

/** The weights of a two-layer network: hidden $W$ ($m \times d$) and output $a$ (length $m$). */
export interface TwoLayerWeights {
  /** Hidden weights $W$, $m \times d$, rows $w_r$. */
  w: Matrix;
  /** Output weights $a$, length $m$. */
  a: Float64Array;
}

/** The activations with a closed-form Gaussian kernel. */
export type GaussianKernelActivation = 'relu' | 'erf';

/** Options of {@link twoLayerPopulationRisk} and {@link twoLayerPopulationRiskGradient}. */
export interface TwoLayerPopulationRiskOptions {
  /** The activation of student and teacher: `relu` or `erf`. */
  activation: GaussianKernelActivation;
  /** The student's parameterisation (scale $s$ from its width $m$). */
  parameterization: Parameterization;
  /** The teacher's parameterisation (scale $s^*$ from its width $m^*$). Default: `parameterization`. */
  teacherParameterization?: Parameterization;
}

interface Resolved {
  activation: GaussianKernelActivation;
  parameterization: Parameterization;
  teacherParameterization: Parameterization;
}

function resolveOptions(options: unknown, closedForm: boolean): Resolved & { activationAny: Activation } {
  if (options === undefined || options === null || typeof options !== 'object') {
    throw new InvalidArgumentError('options', options, 'an options object with activation and parameterization');
  }
  const o = options as Partial<TwoLayerPopulationRiskOptions> & { activation?: unknown };
  let activationAny: Activation;
  if (closedForm) {
    if (o.activation !== 'relu' && o.activation !== 'erf') {
      throw new InvalidArgumentError('options.activation', o.activation, "'relu' or 'erf' (the activations with a closed-form Gaussian kernel; use twoLayerPopulationRiskMonteCarlo for others)");
    }
    activationAny = o.activation;
  } else {
    activationAny = checkActivation('options.activation', o.activation);
  }
  const parameterization = checkParameterization('options.parameterization', o.parameterization);
  const teacherParameterization =
    o.teacherParameterization === undefined ? parameterization : checkParameterization('options.teacherParameterization', o.teacherParameterization);
  return { activation: activationAny as GaussianKernelActivation, activationAny, parameterization, teacherParameterization };
}

function checkNetwork(argument: string, net: unknown): TwoLayerWeights {
  if (net === null || typeof net !== 'object') throw new InvalidArgumentError(argument, net, 'an object { w: Matrix, a: Float64Array }');
  const n = net as Partial<TwoLayerWeights>;
  const w = checkWeights(`${argument}.w`, n.w);
  const a = checkOutputWeights(`${argument}.a`, n.a, w.rows, `the width (rows of ${argument}.w)`);
  return { w, a };
}

function checkPair(student: unknown, teacher: unknown): { student: TwoLayerWeights; teacher: TwoLayerWeights } {
  const s = checkNetwork('student', student);
  const t = checkNetwork('teacher', teacher);
  if (s.w.cols !== t.w.cols) {
    throw new ShapeError(`student.w has d = ${s.w.cols} columns but teacher.w has ${t.w.cols}`, 'teacher.w');
  }
  return { student: s, teacher: t };
}

/** Row norms of an m×d row-major array. */
function rowNorms(m: number, d: number, w: Float64Array): Float64Array {
  const out = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let t = 0;
    for (let k = r * d; k < (r + 1) * d; k++) t += w[k]! * w[k]!;
    out[r] = Math.sqrt(t);
  }
  return out;
}

/**
 * Gaussian kernel matrix $K_{rq} = \mathbb E[\sigma(w_r \cdot x)\sigma(u_q \cdot x)]$ (m×q) and, when
 * `weights` is given, the gradient sums $G_r = \sum_q \text{weights}_q\, \partial_{w_r} K_{rq}$ (m×d)
 * added to `grad` times `gradScale` (unchecked kernel).
 *
 * ReLU: $\theta = 2\operatorname{atan2}(\|\hat w - \hat u\|, \|\hat w + \hat u\|)$ (accurate for nearly
 * parallel vectors), $K = \|w\|\|u\|(\sin\theta + (\pi - \theta)\cos\theta)/(2\pi)$,
 * $\partial_w K = ((\pi - \theta) u + \|u\| \sin\theta\, \hat w)/(2\pi)$ ($0$ when $w = 0$, matching
 * $\operatorname{relu}'(0) = 0$).
 * erf: $\rho = 2 w\cdot u/\sqrt{AB}$, $A = 1 + 2\|w\|^2$, $B = 1 + 2\|u\|^2$, $K = \frac2\pi \arcsin\rho$,
 * $\partial_w K = \frac{4}{\pi\sqrt{AB}\sqrt{1 - \rho^2}}\,(u - 2 (w\cdot u) w / A)$.
 */
export function gaussianKernelMatrixKernel(
  activation: GaussianKernelActivation,
  m: number,
  q: number,
  d: number,
  w: Float64Array,
  u: Float64Array,
  k: Float64Array,
  weights: Float64Array | null,
  gradScale: Float64Array | null,
  grad: Float64Array | null,
): void {
  const nw = rowNorms(m, d, w);
  const nu = rowNorms(q, d, u);
  for (let r = 0; r < m; r++) {
    const wo = r * d;
    const wn = nw[r]!;
    for (let j = 0; j < q; j++) {
      const uo = j * d;
      const un = nu[j]!;
      let c = 0;
      for (let t = 0; t < d; t++) c += w[wo + t]! * u[uo + t]!;
      let kv: number;
      // ∂_w K = alpha·u + beta·w
      let alpha = 0;
      let beta = 0;
      if (activation === 'relu') {
        if (wn === 0 || un === 0) {
          kv = 0;
        } else {
          let dm = 0;
          let dp = 0;
          for (let t = 0; t < d; t++) {
            const a1 = w[wo + t]! / wn;
            const b1 = u[uo + t]! / un;
            dm += (a1 - b1) * (a1 - b1);
            dp += (a1 + b1) * (a1 + b1);
          }
          const theta = 2 * Math.atan2(Math.sqrt(dm), Math.sqrt(dp));
          const sin = Math.sin(theta);
          const cos = Math.cos(theta);
          kv = (wn * un * (sin + (Math.PI - theta) * cos)) / (2 * Math.PI);
          alpha = (Math.PI - theta) / (2 * Math.PI);
          beta = (un * sin) / (wn * 2 * Math.PI);
        }
      } else {
        const aa = 1 + 2 * wn * wn;
        const bb = 1 + 2 * un * un;
        const inv = 1 / Math.sqrt(aa * bb);
        const rho = 2 * c * inv;
        kv = (2 / Math.PI) * Math.asin(rho);
        const g = (4 * inv) / (Math.PI * Math.sqrt(1 - rho * rho));
        alpha = g;
        beta = (-2 * c * g) / aa;
      }
      k[r * q + j] = kv;
      if (weights !== null && grad !== null && gradScale !== null) {
        const f = weights[j]! * gradScale[r]!;
        if (f !== 0 && (alpha !== 0 || beta !== 0)) {
          const fa = f * alpha;
          const fb = f * beta;
          for (let t = 0; t < d; t++) grad[wo + t] = grad[wo + t]! + fa * u[uo + t]! + fb * w[wo + t]!;
        }
      }
    }
  }
}

/** `aᵀ K b` for K m×q row-major. */
function bilinear(m: number, q: number, a: Float64Array, k: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let r = 0; r < m; r++) {
    let row = 0;
    for (let j = 0; j < q; j++) row += k[r * q + j]! * b[j]!;
    sum += a[r]! * row;
  }
  return sum;
}

/**
 * Population risk and (optionally) gradient, unchecked. `grad` (length md + m, zeroed here) gets
 * [∇_W, ∇_a]. Returns the risk.
 */
export function twoLayerPopulationRiskKernel(
  activation: GaussianKernelActivation,
  m: number,
  mt: number,
  d: number,
  w: Float64Array,
  a: Float64Array,
  s: number,
  wt: Float64Array,
  at: Float64Array,
  st: number,
  grad: Float64Array | null,
): number {
  const kss = new Float64Array(m * m);
  const kst = new Float64Array(m * mt);
  const ktt = new Float64Array(mt * mt);
  let gw: Float64Array | null = null;
  if (grad !== null) {
    grad.fill(0);
    gw = grad.subarray(0, m * d);
  }
  // ∇_{w_r} = 2 a_r [s² Σ_r' a_r' ∂K(w_r, w_r') − s s* Σ_q a*_q ∂K(w_r, w*_q)]
  const scaleSelf = new Float64Array(m);
  const scaleCross = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    scaleSelf[r] = 2 * a[r]! * s * s;
    scaleCross[r] = -2 * a[r]! * s * st;
  }
  gaussianKernelMatrixKernel(activation, m, m, d, w, w, kss, a, scaleSelf, gw);
  gaussianKernelMatrixKernel(activation, m, mt, d, w, wt, kst, at, scaleCross, gw);
  gaussianKernelMatrixKernel(activation, mt, mt, d, wt, wt, ktt, null, null, null);
  const risk = s * s * bilinear(m, m, a, kss, a) - 2 * s * st * bilinear(m, mt, a, kst, at) + st * st * bilinear(mt, mt, at, ktt, at);
  if (grad !== null) {
    const ga = grad.subarray(m * d);
    for (let r = 0; r < m; r++) {
      let self = 0;
      for (let j = 0; j < m; j++) self += kss[r * m + j]! * a[j]!;
      let cross = 0;
      for (let j = 0; j < mt; j++) cross += kst[r * mt + j]! * at[j]!;
      ga[r] = 2 * s * s * self - 2 * s * st * cross;
    }
  }
  return Math.max(0, risk);
}

/**
 * The population risk of a two-layer student against a two-layer teacher of the same activation
 * for Gaussian inputs, in closed form:
 *
 * $$R = \mathbb E_{x \sim \mathcal N(0, I_d)}\big(f(x) - f^*(x)\big)^2 = s^2 a^\top K(W, W) a - 2 s s^* a^\top K(W, W^*) a^* + s^{*2} a^{*\top} K(W^*, W^*) a^*,$$
 *
 * with $K(W, U)_{rq} = \kappa(w_r, u_q) = \mathbb E[\sigma(w_r \cdot x)\sigma(u_q \cdot x)]$:
 * for ReLU the arc-cosine kernel $\kappa(w, u) = \|w\|\|u\|(\sin\theta + (\pi - \theta)\cos\theta)/(2\pi)$
 * ($\theta$ the angle between $w$ and $u$); for erf the arcsine kernel
 * $\kappa(w, u) = \frac2\pi \arcsin\frac{2 w^\top u}{\sqrt{(1 + 2\|w\|^2)(1 + 2\|u\|^2)}}$. Cost
 * $O((m + m^*)^2 d)$. Rounding can make the expansion slightly negative at a perfect fit; the
 * result is clamped at 0.
 * @param student - $\{w: W, a\}$, $W$ $m \times d$.
 * @param teacher - $\{w: W^*, a^*\}$, $W^*$ $m^* \times d$.
 * @param options - `activation` (`relu` or `erf`), `parameterization` (student scale $s$),
 *   `teacherParameterization` (scale $s^*$; default the student's).
 * @returns $R$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming the argument for a missing or
 *   malformed network, or `options.activation` / `options.parameterization` /
 *   `options.teacherParameterization` for an unsupported name.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when the widths of `w` and `a` or the input dimensions disagree.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite weight.
 * @see Cho and Saul, "Kernel methods for deep learning" (arc-cosine kernel); Williams, "Computing
 *   with infinite networks" (arcsine kernel).
 * @example
 * ```ts
 * const teacher = { w: Matrix.from([[1, 0]]), a: Float64Array.of(1) };
 * const student = { w: Matrix.from([[0, 1]]), a: Float64Array.of(1) };
 * twoLayerPopulationRisk(teacher, teacher, { activation: 'relu', parameterization: 'standard' }); // => 0
 * // E relu(x₁)² + E relu(x₂)² − 2 E relu(x₁) E relu(x₂) = 1 − 1/π
 * twoLayerPopulationRisk(student, teacher, { activation: 'relu', parameterization: 'standard' }); // => 0.6816901138162093
 * ```
 */
export function twoLayerPopulationRisk(student: TwoLayerWeights, teacher: TwoLayerWeights, options: TwoLayerPopulationRiskOptions): number {
  const pair = checkPair(student, teacher);
  const o = resolveOptions(options, true);
  const { w, a } = pair.student;
  const t = pair.teacher;
  const d = w.cols;
  return twoLayerPopulationRiskKernel(
    o.activation,
    w.rows,
    t.w.rows,
    d,
    w.data,
    a,
    scaleOf(o.parameterization, w.rows),
    t.w.data,
    t.a,
    scaleOf(o.teacherParameterization, t.w.rows),
    null,
  );
}

/**
 * The gradient of {@link twoLayerPopulationRisk} with respect to the student's weights:
 *
 * $$\nabla_{a} R = 2s^2 K(W, W) a - 2 s s^* K(W, W^*) a^*, \qquad \nabla_{w_r} R = 2 a_r\Big(s^2 \sum_{r'} a_{r'} \partial_1\kappa(w_r, w_{r'}) - s s^* \sum_q a^*_q \partial_1\kappa(w_r, w^*_q)\Big),$$
 *
 * with, for ReLU, $\partial_1\kappa(w, u) = \big((\pi - \theta)u + \|u\|\sin\theta\, w/\|w\|\big)/(2\pi)$
 * (taken as $0$ at $w = 0$, matching $\operatorname{relu}'(0) = 0$), and for erf
 * $\partial_1\kappa(w, u) = \frac{4}{\pi\sqrt{AB(1 - \rho^2)}}\big(u - \frac{2 w^\top u}{A} w\big)$,
 * $A = 1 + 2\|w\|^2$, $B = 1 + 2\|u\|^2$, $\rho = 2w^\top u/\sqrt{AB}$.
 * @param student - $\{w: W, a\}$, $W$ $m \times d$.
 * @param teacher - $\{w: W^*, a^*\}$, $W^*$ $m^* \times d$.
 * @param options - as for {@link twoLayerPopulationRisk}.
 * @returns `{ w: ∇_W R (m×d), a: ∇_a R (length m) }`, new arrays.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} as {@link twoLayerPopulationRisk}.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} as {@link twoLayerPopulationRisk}.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite weight.
 * @example
 * ```ts
 * // R(a) = a² E relu(x₁)² − 2a E relu(x₁)² + E relu(x₁)² = (a − 1)²/2, so ∂R/∂a = a − 1.
 * const teacher = { w: Matrix.from([[1, 0]]), a: Float64Array.of(1) };
 * twoLayerPopulationRiskGradient({ w: Matrix.from([[1, 0]]), a: Float64Array.of(3) }, teacher, { activation: 'relu', parameterization: 'standard' }).a; // => [2]
 * ```
 */
export function twoLayerPopulationRiskGradient(
  student: TwoLayerWeights,
  teacher: TwoLayerWeights,
  options: TwoLayerPopulationRiskOptions,
): { w: Matrix; a: Float64Array } {
  const pair = checkPair(student, teacher);
  const o = resolveOptions(options, true);
  const { w, a } = pair.student;
  const t = pair.teacher;
  const m = w.rows;
  const d = w.cols;
  const grad = new Float64Array(m * d + m);
  twoLayerPopulationRiskKernel(
    o.activation,
    m,
    t.w.rows,
    d,
    w.data,
    a,
    scaleOf(o.parameterization, m),
    t.w.data,
    t.a,
    scaleOf(o.teacherParameterization, t.w.rows),
    grad,
  );
  return { w: new Matrix(m, d, grad.slice(0, m * d)), a: grad.slice(m * d) };
}

/** Options of {@link twoLayerPopulationRiskMonteCarlo}. */
export interface TwoLayerPopulationRiskMonteCarloOptions {
  /** The activation of student and teacher (any {@link Activation}). */
  activation: Activation;
  /** The student's parameterisation. */
  parameterization: Parameterization;
  /** The teacher's parameterisation. Default: `parameterization`. */
  teacherParameterization?: Parameterization;
  /** Number of Gaussian samples $n \ge 2$. */
  samples: number;
  /** The random generator the inputs are drawn from (advanced by $nd$ normal draws). */
  rng: Rng;
}

/** Samples per batch of the Monte Carlo estimate. */
const MONTE_CARLO_BATCH = 4096;

/**
 * A Monte Carlo estimate of the population risk $\mathbb E_{x \sim \mathcal N(0, I_d)}(f(x) - f^*(x))^2$
 * for any activation: the mean of $\ell_i = (f(x_i) - f^*(x_i))^2$ over $n$ independent Gaussian
 * inputs, with the standard error $\hat\sigma_\ell/\sqrt n$ ($\hat\sigma_\ell$ the sample standard
 * deviation, Welford's updates). The outputs are formed through the default backend's `gemm`.
 * @param student - $\{w: W, a\}$, $W$ $m \times d$.
 * @param teacher - $\{w: W^*, a^*\}$, $W^*$ $m^* \times d$.
 * @param options - `activation`, `parameterization`, `teacherParameterization`, `samples` $n \ge 2$, `rng`.
 * @returns `{ value, standardError }`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for malformed networks, an unknown
 *   activation or parameterisation (naming the option), `options.samples` not an integer ≥ 2, or
 *   `options.rng` not an Rng.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when shapes disagree.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite weight.
 * @example
 * ```ts
 * const net = { w: Matrix.from([[1, 0]]), a: Float64Array.of(1) };
 * twoLayerPopulationRiskMonteCarlo(net, net, { activation: 'tanh', parameterization: 'ntk', samples: 100, rng: createRng(1) }); // => { "value": 0, "standardError": 0 }
 * ```
 */
export function twoLayerPopulationRiskMonteCarlo(
  student: TwoLayerWeights,
  teacher: TwoLayerWeights,
  options: TwoLayerPopulationRiskMonteCarloOptions,
): { value: number; standardError: number } {
  const pair = checkPair(student, teacher);
  const o = resolveOptions(options, false);
  const n = checkPositiveInteger('options.samples', options.samples);
  if (n < 2) throw new InvalidArgumentError('options.samples', n, 'an integer ≥ 2 (a standard error needs two samples)');
  const rng = checkRng('options.rng', options.rng);
  const { w, a } = pair.student;
  const t = pair.teacher;
  const m = w.rows;
  const mt = t.w.rows;
  const d = w.cols;
  const s = scaleOf(o.parameterization, m);
  const st = scaleOf(o.teacherParameterization, mt);
  const batch = Math.min(n, MONTE_CARLO_BATCH);
  const x = new Float64Array(batch * d);
  const f = new Float64Array(batch);
  const ft = new Float64Array(batch);
  const kernels = productKernelsOf(undefined); // the default backend's gemm
  let count = 0;
  let mean = 0;
  let m2 = 0;
  for (let start = 0; start < n; start += batch) {
    const rb = Math.min(batch, n - start);
    const xb = x.subarray(0, rb * d);
    rng.fillNormal(xb);
    twoLayerOutputsKernel(rb, d, m, xb, w.data, a, s, o.activationAny, f, kernels);
    twoLayerOutputsKernel(rb, d, mt, xb, t.w.data, t.a, st, o.activationAny, ft, kernels);
    for (let i = 0; i < rb; i++) {
      const diff = f[i]! - ft[i]!;
      const l = diff * diff;
      count++;
      const delta = l - mean;
      mean += delta / count;
      m2 += delta * (l - mean);
    }
  }
  return { value: mean, standardError: Math.sqrt(m2 / (n - 1) / n) };
}

/** Options of {@link TwoLayerPopulationRisk}. */
export interface TwoLayerPopulationRiskObjectiveOptions extends TwoLayerPopulationRiskOptions {
  /** Student width $m \ge 1$. */
  width: number;
  /** A frozen student layer (its gradient block is zero). Default: both trainable. */
  freeze?: TwoLayerFrozenLayer;
}

/**
 * The closed-form population risk {@link twoLayerPopulationRisk} of a width-$m$ student against a
 * fixed teacher, as an objective over the student's flat parameters $[\operatorname{vec}(W), a]$
 * (blocks `"W"` ($md$) and `"a"` ($m$), as {@link TwoLayerEmpiricalRisk}): `value`, `gradient`,
 * `valueAndGradient` (no Hessian-vector product). It implements the `Objective` interface of
 * `@shallowscape/optim` structurally, e.g. for gradient flow on the population risk.
 *
 * @see the mathematics guide, §4.
 * @example
 * ```ts
 * const teacher = { w: Matrix.from([[1, 0]]), a: Float64Array.of(1) };
 * const objective = new TwoLayerPopulationRisk(teacher, { width: 1, activation: 'relu', parameterization: 'standard' });
 * objective.value(Float64Array.of(1, 0, 3)); // => 2
 * objective.gradient(Float64Array.of(1, 0, 3)); // => [6, 0, 2]
 * ```
 */
export class TwoLayerPopulationRisk {
  /** `[{ name: "W", size: m·d }, { name: "a", size: m }]`. */
  readonly blocks: readonly TwoLayerParameterBlock[];
  /** Student width $m$. */
  readonly width: number;
  /** Input dimension $d$. */
  readonly inputDimension: number;
  /** Total number of parameters $md + m$. */
  readonly parameterCount: number;
  /** The frozen layer, or `null`. */
  readonly frozen: TwoLayerFrozenLayer | null;
  private readonly activation: GaussianKernelActivation;
  private readonly scale: number;
  private readonly teacherScale: number;
  private readonly teacherW: Float64Array;
  private readonly teacherA: Float64Array;
  private readonly teacherWidth: number;
  private readonly buffer: Float64Array;

  /**
   * @param teacher - $\{w: W^*, a^*\}$ (copied), $W^*$ $m^* \times d$.
   * @param options - `width` $m$, `activation` (`relu` or `erf`), `parameterization`,
   *   `teacherParameterization`, `freeze`.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for a malformed teacher, or naming the
   *   option (`options.width`, `options.activation`, `options.parameterization`, …).
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when the teacher's `w` and `a` disagree.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite teacher weight.
   */
  constructor(teacher: TwoLayerWeights, options: TwoLayerPopulationRiskObjectiveOptions) {
    const t = checkNetwork('teacher', teacher);
    const o = resolveOptions(options, true);
    const m = checkPositiveInteger('options.width', options.width);
    this.frozen = checkFreeze('options.freeze', options.freeze);
    const d = t.w.cols;
    this.width = m;
    this.inputDimension = d;
    this.parameterCount = m * d + m;
    this.blocks = Object.freeze([Object.freeze({ name: 'W', size: m * d }), Object.freeze({ name: 'a', size: m })]);
    this.activation = o.activation;
    this.scale = scaleOf(o.parameterization, m);
    this.teacherWidth = t.w.rows;
    this.teacherScale = scaleOf(o.teacherParameterization, t.w.rows);
    this.teacherW = t.w.data.slice();
    this.teacherA = t.a.slice();
    this.buffer = new Float64Array(this.parameterCount);
  }

  /**
   * $R(W, a)$ at the flat parameters.
   * @param params - $[\operatorname{vec}(W), a]$, length $md + m$.
   * @returns the risk.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `params` is not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when its length is not $md + m$.
   * @example
   * ```ts
   * const teacher = { w: Matrix.from([[1]]), a: Float64Array.of(1) };
   * new TwoLayerPopulationRisk(teacher, { width: 1, activation: 'erf', parameterization: 'standard' }).value(Float64Array.of(1, 1)); // => 0
   * ```
   */
  value(params: Float64Array): number {
    checkFlat('params', params, this.parameterCount, this.shape());
    return this.evaluate(params, null);
  }

  /**
   * $\nabla R = [\operatorname{vec}(\nabla_W R), \nabla_a R]$ (a frozen block is zero).
   * @param params - length $md + m$.
   * @param out - destination (length $md + m$; may be `params`). Default: a new array.
   * @returns `out`.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when an argument is not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when a length is not $md + m$.
   * @example
   * ```ts
   * const teacher = { w: Matrix.from([[1]]), a: Float64Array.of(1) };
   * new TwoLayerPopulationRisk(teacher, { width: 1, activation: 'erf', parameterization: 'standard' }).gradient(Float64Array.of(1, 1)); // => [0, 0]
   * ```
   */
  gradient(params: Float64Array, out?: Float64Array): Float64Array {
    const p = this.parameterCount;
    checkFlat('params', params, p, this.shape());
    const target = out === undefined ? new Float64Array(p) : checkFlat('out', out, p, this.shape());
    this.evaluate(params, target);
    return target;
  }

  /**
   * Writes $\nabla R$ into `out` and returns $R$.
   * @param params - length $md + m$.
   * @param out - the gradient's destination (length $md + m$; may be `params`).
   * @returns $R$.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when an argument is not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when a length is not $md + m$.
   * @example
   * ```ts
   * const teacher = { w: Matrix.from([[1, 0]]), a: Float64Array.of(1) };
   * const g = new Float64Array(3);
   * new TwoLayerPopulationRisk(teacher, { width: 1, activation: 'relu', parameterization: 'standard', freeze: 'hidden' }).valueAndGradient(Float64Array.of(1, 0, 3), g); // => 2
   * g; // => [0, 0, 2]
   * ```
   */
  valueAndGradient(params: Float64Array, out: Float64Array): number {
    const p = this.parameterCount;
    checkFlat('params', params, p, this.shape());
    checkFlat('out', out, p, this.shape());
    return this.evaluate(params, out);
  }

  private shape(): string {
    return `[vec(W), a] with W ${this.width}×${this.inputDimension}`;
  }

  private evaluate(params: Float64Array, out: Float64Array | null): number {
    const m = this.width;
    const d = this.inputDimension;
    const md = m * d;
    const grad = out === null ? null : sharesMemory(out, params) ? this.buffer : out;
    const risk = twoLayerPopulationRiskKernel(
      this.activation,
      m,
      this.teacherWidth,
      d,
      params.subarray(0, md),
      params.subarray(md),
      this.scale,
      this.teacherW,
      this.teacherA,
      this.teacherScale,
      grad,
    );
    if (grad !== null && out !== null) {
      if (this.frozen === 'hidden') grad.fill(0, 0, md);
      if (this.frozen === 'output') grad.fill(0, md);
      if (grad !== out) out.set(grad);
    }
    return risk;
  }
}

