/**
 * Closed-form population risk of a quadratic network `f_W(x) = ‖Wx‖²` against a planted
 * teacher, and its gradient.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, ShapeError, assertFiniteNumber, checkMatrix, Matrix } from '@shallowscape/linalg';

/**
 * Input distribution and label noise for {@link quadraticPopulationRisk}. The defaults describe
 * standard Gaussian inputs `x ~ N(0, I_d)` and noiseless labels.
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
}

/** Validated options with defaults filled in. */
interface ResolvedMoments {
  mu2: number;
  mu4: number;
  noiseVariance: number;
}

function resolveOptions(options: QuadraticPopulationRiskOptions | undefined): ResolvedMoments {
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

function checkPair(w: unknown, wStar: unknown): [Matrix, Matrix] {
  const a = checkMatrix('w', w);
  const b = checkMatrix('wStar', wStar);
  if (a.cols !== b.cols) {
    throw new ShapeError(
      `w is ${a.rows}×${a.cols} and wStar is ${b.rows}×${b.cols}: both need the same input dimension d (columns)`,
      'wStar',
    );
  }
  return [a, b];
}

/**
 * `Δ = WᵀW − W*ᵀW*` (d×d, symmetric), accumulated over rows: `WᵀW = Σ_j w_j w_jᵀ`. Only the upper
 * triangle is computed; it is mirrored at the end so Δ is exactly symmetric.
 */
function gramDifferenceKernel(w: Matrix, wStar: Matrix): Float64Array {
  const d = w.cols;
  const delta = new Float64Array(d * d);
  const accumulate = (m: Matrix, sign: number): void => {
    const a = m.data;
    for (let r = 0; r < m.rows; r++) {
      const o = r * d;
      for (let k = 0; k < d; k++) {
        const s = sign * a[o + k]!;
        if (s === 0) continue;
        const row = k * d;
        for (let l = k; l < d; l++) delta[row + l]! += s * a[o + l]!;
      }
    }
  };
  accumulate(w, 1);
  accumulate(wStar, -1);
  for (let k = 0; k < d; k++) for (let l = k + 1; l < d; l++) delta[l * d + k] = delta[k * d + l]!;
  return delta;
}

/** Risk from `Δ`: `(μ₄ − 3μ₂²) Σ_k Δ_kk² + μ₂²(2‖Δ‖_F² + (tr Δ)²) + s²`. Assumes valid input. */
function quadraticPopulationRiskKernel(delta: Float64Array, d: number, mo: ResolvedMoments): number {
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
 * Population risk of the quadratic network $f_W(x) = \|Wx\|^2 = x^\top W^\top W x$ against the
 * teacher $f_{W^*}$, in closed form.
 *
 * With $\Delta = W^\top W - W^{*\top} W^*$ and inputs whose coordinates are i.i.d., mean zero,
 * with moments $\mu_2 = \mathbb{E}[x_k^2]$ and $\mu_4 = \mathbb{E}[x_k^4]$,
 *
 * $$L(W) = \mathbb{E}\big[(f_W(x) - y)^2\big] = (\mu_4 - 3\mu_2^2)\sum_k \Delta_{kk}^2 + \mu_2^2\big(2\|\Delta\|_F^2 + (\operatorname{tr}\Delta)^2\big) + s^2,$$
 *
 * where $s^2$ is the label-noise variance. For Gaussian inputs ($\mu_2 = 1$, $\mu_4 = 3$, the
 * default) this is $L(W) = 2\|\Delta\|_F^2 + (\operatorname{tr}\Delta)^2$. Cost $O((m + m^*)d^2)$.
 *
 * @param w - student weights $W$, an $m \times d$ matrix (hidden units as rows).
 * @param wStar - teacher weights $W^*$, an $m^* \times d$ matrix with the same $d$.
 * @param options - input moments $\mu_2, \mu_4$ and noise variance $s^2$ (default Gaussian, noiseless).
 * @returns the risk $L(W) \ge s^2$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` or `wStar` is not a Matrix,
 *   or an option is out of range ($\mu_2 \le 0$, $\mu_4 < \mu_2^2$, $s^2 < 0$, non-finite).
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `w` or `wStar` has a NaN or infinite entry.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `w` and `wStar` have different numbers of columns.
 * @see Gamarnik, Kızıldağ and Zadik, "Stationary points of shallow neural networks with quadratic
 *   activation function" (the Gaussian formula and the energy barrier $2\sigma_{\min}(W^*)^4$).
 * @example
 * ```ts
 * const wStar = Matrix.identity(2);
 * const w = Matrix.from([[2, 0], [0, 1]]); // Δ = diag(3, 0)
 * quadraticPopulationRisk(w, wStar); // => 27
 * quadraticPopulationRisk(w, wStar, { mu2: 1, mu4: 1 }); // => 9
 * quadraticPopulationRisk(wStar, wStar, { noiseVariance: 0.25 }); // => 0.25
 * ```
 */
export function quadraticPopulationRisk(w: Matrix, wStar: Matrix, options?: QuadraticPopulationRiskOptions): number {
  const moments = resolveOptions(options);
  const [a, b] = checkPair(w, wStar);
  return quadraticPopulationRiskKernel(gramDifferenceKernel(a, b), a.cols, moments);
}

/** Gradient from `Δ`: `2W G` with the symmetric `G = ∂L/∂Δ`. Assumes valid input. */
function quadraticPopulationRiskGradientKernel(w: Matrix, delta: Float64Array, mo: ResolvedMoments): Matrix {
  const { rows: m, cols: d } = w;
  const mu22 = mo.mu2 * mo.mu2;
  const excess = mo.mu4 - 3 * mu22;
  let trace = 0;
  for (let k = 0; k < d; k++) trace += delta[k * d + k]!;
  // G = 2(μ₄ − 3μ₂²) diag(Δ) + μ₂²(4Δ + 2 tr(Δ) I);  ∇L = 2 W G.
  const g = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    for (let l = 0; l < d; l++) g[k * d + l] = 4 * mu22 * delta[k * d + l]!;
    g[k * d + k]! += 2 * excess * delta[k * d + k]! + 2 * mu22 * trace;
  }
  const out = new Matrix(m, d);
  const wd = w.data;
  const od = out.data;
  for (let i = 0; i < m; i++) {
    const o = i * d;
    for (let k = 0; k < d; k++) {
      const s = 2 * wd[o + k]!;
      if (s === 0) continue;
      const row = k * d;
      for (let l = 0; l < d; l++) od[o + l]! += s * g[row + l]!;
    }
  }
  return out;
}

/**
 * Gradient of {@link quadraticPopulationRisk} with respect to the student weights $W$.
 *
 * Writing $L$ as a function of the symmetric $\Delta = W^\top W - W^{*\top}W^*$, its gradient in
 * $\Delta$ is $G = 2(\mu_4 - 3\mu_2^2)\operatorname{diag}(\Delta_{11},\dots,\Delta_{dd}) + \mu_2^2\big(4\Delta + 2\operatorname{tr}(\Delta) I\big)$,
 * and the chain rule through $W^\top W$ gives $\nabla L(W) = 2WG$:
 *
 * $$\nabla L(W) = 4(\mu_4 - 3\mu_2^2)\, W \operatorname{diag}(\Delta) + \mu_2^2\big(8 W\Delta + 4\operatorname{tr}(\Delta)\, W\big).$$
 *
 * For Gaussian inputs (the default) this is $\nabla L(W) = 8W\Delta + 4\operatorname{tr}(\Delta)W$.
 * Label noise does not change the gradient. Cost $O((m + m^*)d^2)$.
 *
 * @param w - student weights $W$, $m \times d$.
 * @param wStar - teacher weights $W^*$, $m^* \times d$.
 * @param options - input moments and noise variance, as in {@link quadraticPopulationRisk}.
 * @returns $\nabla L(W)$, a new $m \times d$ matrix.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when an argument is not a Matrix or an option is out of range.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `w` or `wStar` has a NaN or infinite entry.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `w` and `wStar` have different numbers of columns.
 * @example
 * ```ts
 * const wStar = Matrix.identity(2);
 * const w = Matrix.from([[2, 0], [0, 1]]); // Δ = diag(3, 0), tr Δ = 3
 * quadraticPopulationRiskGradient(w, wStar).toArray(); // => [[72, 0], [0, 12]]
 * ```
 */
export function quadraticPopulationRiskGradient(w: Matrix, wStar: Matrix, options?: QuadraticPopulationRiskOptions): Matrix {
  const moments = resolveOptions(options);
  const [a, b] = checkPair(w, wStar);
  return quadraticPopulationRiskGradientKernel(a, gramDifferenceKernel(a, b), moments);
}
