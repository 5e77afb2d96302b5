/**
 * The empirical square-loss risk of a two-layer network $f(x) = s \sum_r a_r \sigma(w_r \cdot x)$ as
 * an optimisation objective over both layers: value, gradient, exact Hessian-vector product and
 * dense Hessian.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, ShapeError, checkMatrix, checkPositiveInteger, type LinalgBackend } from '@shallowscape/linalg';
import { activationKernel, type Activation } from './activations';
import { checkFlat, checkLabels, sharesMemory } from './model-arguments';
import { productKernelsOf, type ProductKernels } from './quadratic-form-kernels';
import { MAX_DENSE_HESSIAN_PARAMETERS } from './quadratic-risk';
import { checkOutputWeights, checkTwoLayerOptions, chunkRows, scaleOf, type Parameterization } from './two-layer-net';

/** A frozen layer: `hidden` ($W$) or `output` ($a$). */
export type TwoLayerFrozenLayer = 'hidden' | 'output';

/** Options of {@link TwoLayerEmpiricalRisk}. */
export interface TwoLayerEmpiricalRiskOptions {
  /** Hidden width $m \ge 1$. */
  width: number;
  /** The activation $\sigma$. */
  activation: Activation;
  /** The output scaling $s$. */
  parameterization: Parameterization;
  /**
   * A layer whose gradient (and Hessian rows and columns) is set to zero: `hidden` freezes $W$,
   * `output` freezes $a$. The block stays in the parameter vector. Default: both layers trainable.
   */
  freeze?: TwoLayerFrozenLayer;
  /**
   * The linalg backend whose `gemm` and `syrk` kernels do the products (slots it lacks fall back
   * to the reference backend). Default: the default backend (`getBackend()`) at construction.
   */
  backend?: LinalgBackend;
}

/** A named block of the flat parameter vector (the `ParameterBlock` of `@shallowscape/optim`). */
export interface TwoLayerParameterBlock {
  /** `"W"` (hidden weights, $md$ entries, row-major) or `"a"` (output weights, $m$ entries). */
  readonly name: string;
  /** The block's length. */
  readonly size: number;
}

/** Validates the `freeze` option. */
export function checkFreeze(argument: string, value: unknown): TwoLayerFrozenLayer | null {
  if (value === undefined) return null;
  if (value !== 'hidden' && value !== 'output') throw new InvalidArgumentError(argument, value, "'hidden', 'output' or undefined");
  return value;
}

/**
 * The empirical risk of a two-layer network on data $(X, y)$ as a function of both layers:
 *
 * $$\hat L(W, a) = \frac1N \sum_{i=1}^{N} \big(f(x_i) - y_i\big)^2, \qquad f(x) = s \sum_{r=1}^{m} a_r\, \sigma(w_r \cdot x).$$
 *
 * With $Z = XW^\top$ ($N \times m$, $z_{ir} = w_r \cdot x_i$) and residuals $e_i = f(x_i) - y_i$,
 *
 * $$\nabla_a \hat L = \frac{2s}{N}\, \sigma(Z)^\top e, \qquad \nabla_W \hat L = \frac{2s}{N}\, \big(\sigma'(Z) \odot e\,a^\top\big)^\top X,$$
 *
 * and the Hessian applied to a direction $(U, b)$, with $V = XU^\top$ and
 * $\delta f_i = s\sum_r \big(b_r \sigma(z_{ir}) + a_r \sigma'(z_{ir}) v_{ir}\big)$, is
 *
 * $$H_a[U, b]_r = \frac{2s}{N}\sum_i \big(\delta f_i\, \sigma(z_{ir}) + e_i \sigma'(z_{ir}) v_{ir}\big), \qquad H_W[U, b] = \frac{2s}{N}\, C^\top X,$$
 *
 * $C_{ir} = \delta f_i\, a_r \sigma'(z_{ir}) + e_i\big(b_r \sigma'(z_{ir}) + a_r \sigma''(z_{ir}) v_{ir}\big)$. Every
 * evaluation is two `gemm`s ($Z$ and the $W$-gradient, $O(Nmd)$ each; three for a Hessian-vector
 * product) plus $O(Nm)$ elementwise work, in row chunks of $X$, so the working memory is
 * $O(m \cdot \text{chunk})$, not $O(Nm)$.
 *
 * It implements the `Objective` interface of `@shallowscape/optim` structurally: the flat
 * parameters are $[\operatorname{vec}(W), a]$ with $W$ row-major, in two blocks `"W"` ($md$) and
 * `"a"` ($m$), both always present. A layer is frozen either by the optimiser (a per-block
 * learning rate of 0) or by `freeze`, which zeroes that block of the gradient, and the matching
 * rows and columns of the Hessian (the Hessian-vector product ignores the frozen block of the
 * direction and returns zeros there). ReLU uses $\operatorname{relu}'(0) = 0$ and
 * $\operatorname{relu}'' = 0$.
 *
 * The risk and gradient of the last point are cached (`value` then `gradient` at the same point
 * costs one pass). The data are copied. The flat methods check types and lengths but not the
 * finiteness of the parameters; the Matrix methods also reject non-finite weights.
 *
 * @see the mathematics guide, §4.
 * @example
 * ```ts
 * const x = Matrix.from([[1, 0], [0, 1]]);
 * const objective = new TwoLayerEmpiricalRisk(x, Float64Array.of(1, 0), { width: 1, activation: 'relu', parameterization: 'standard' });
 * objective.risk(Matrix.from([[1, 0]]), Float64Array.of(1)); // => 0
 * objective.risk(Matrix.from([[1, 1]]), Float64Array.of(1)); // => 0.5
 * objective.gradients(Matrix.from([[1, 1]]), Float64Array.of(1)).a; // => [1]
 * objective.value(objective.pack(Matrix.from([[2, 0]]), Float64Array.of(1))); // => 0.5
 * ```
 */
export class TwoLayerEmpiricalRisk {
  /** `[{ name: "W", size: m·d }, { name: "a", size: m }]`. */
  readonly blocks: readonly TwoLayerParameterBlock[];
  /** Hidden width $m$. */
  readonly width: number;
  /** Input dimension $d$. */
  readonly inputDimension: number;
  /** Number of samples $N \ge 1$. */
  readonly sampleCount: number;
  /** The activation. */
  readonly activation: Activation;
  /** The parameterisation. */
  readonly parameterization: Parameterization;
  /** The output scale $s$. */
  readonly scale: number;
  /** The frozen layer, or `null`. */
  readonly frozen: TwoLayerFrozenLayer | null;
  /** Total number of parameters $md + m$. */
  readonly parameterCount: number;

  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly kernels: ProductKernels;
  private readonly rowsPerChunk: number;
  // Chunk buffers (rows × m): Z (then σ(Z)), σ'(Z), σ''(Z), V = X Uᵀ.
  private readonly z: Float64Array;
  private readonly dz: Float64Array;
  private readonly d2z: Float64Array;
  private readonly vz: Float64Array;
  // Cache of the last point: parameters, risk, gradient.
  private readonly cachedParams: Float64Array;
  private readonly cachedGradient: Float64Array;
  private cacheValid = false;
  private gradientValid = false;
  private cachedRisk = Number.NaN;
  private readonly outBuffer: Float64Array;

  /**
   * @param x - inputs $X$, $N \times d$, samples as rows ($N, d \ge 1$). Copied.
   * @param y - labels, length $N$. Copied.
   * @param options - `width` $m$, `activation`, `parameterization`, optional `freeze` and `backend`.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `x` when it is not a Matrix or has
   *   no rows ($N = 0$) or columns; `y` when it is not a Float64Array; `options.width` when it is not
   *   an integer ≥ 1; `options.activation`, `options.parameterization` or `options.freeze` for an
   *   unknown name; `options.backend` when it is not an object.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `y.length ≠ N`.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `x` or `y`.
   */
  constructor(x: Matrix, y: Float64Array, options: TwoLayerEmpiricalRiskOptions) {
    const xs = checkMatrix('x', x);
    if (xs.rows < 1) throw new InvalidArgumentError('x', xs, 'at least one sample (row): a risk over zero samples is undefined');
    if (xs.cols < 1) throw new InvalidArgumentError('x', xs, 'at least one column (input dimension d ≥ 1)');
    const n = xs.rows;
    const d = xs.cols;
    const labels = checkLabels('y', y, n);
    const opts = checkTwoLayerOptions('options', options);
    const m = checkPositiveInteger('options.width', (options as Partial<TwoLayerEmpiricalRiskOptions>).width);
    this.frozen = checkFreeze('options.freeze', options.freeze);
    this.kernels = productKernelsOf(opts.backend);
    this.activation = opts.activation;
    this.parameterization = opts.parameterization;
    this.scale = scaleOf(opts.parameterization, m);
    this.width = m;
    this.inputDimension = d;
    this.sampleCount = n;
    this.parameterCount = m * d + m;
    this.blocks = Object.freeze([Object.freeze({ name: 'W', size: m * d }), Object.freeze({ name: 'a', size: m })]);
    this.x = xs.data.slice();
    this.y = labels.slice();
    this.rowsPerChunk = chunkRows(n, m);
    const c = this.rowsPerChunk * m;
    this.z = new Float64Array(c);
    this.dz = new Float64Array(c);
    this.d2z = new Float64Array(c);
    this.vz = new Float64Array(c);
    this.cachedParams = new Float64Array(this.parameterCount);
    this.cachedGradient = new Float64Array(this.parameterCount);
    this.outBuffer = new Float64Array(this.parameterCount);
  }

  /**
   * $\hat L(W, a)$ at the flat parameters $[\operatorname{vec}(W), a]$.
   * @param params - length $md + m$.
   * @returns the risk.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `params` is not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when its length is not $md + m$.
   * @example
   * ```ts
   * const objective = new TwoLayerEmpiricalRisk(Matrix.from([[1]]), Float64Array.of(0), { width: 1, activation: 'quadratic', parameterization: 'standard' });
   * objective.value(Float64Array.of(2, 3)); // => 144
   * ```
   */
  value(params: Float64Array): number {
    checkFlat('params', params, this.parameterCount, this.shape());
    if (this.cacheValid && sameEntries(this.cachedParams, params)) return this.cachedRisk;
    const risk = this.evaluate(params, null);
    this.cachedParams.set(params);
    this.cachedRisk = risk;
    this.cacheValid = true;
    this.gradientValid = false;
    return risk;
  }

  /**
   * $\nabla \hat L = [\operatorname{vec}(\nabla_W \hat L), \nabla_a \hat L]$ (a frozen block is zero).
   * @param params - length $md + m$.
   * @param out - destination (length $md + m$; may be `params`). Default: a new array.
   * @returns `out`.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when an argument is not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when a length is not $md + m$.
   * @example
   * ```ts
   * // f(x) = a w² x², N = 1, x = 1, y = 0: L = a² w⁴, ∂L/∂w = 4a²w³, ∂L/∂a = 2aw⁴.
   * const objective = new TwoLayerEmpiricalRisk(Matrix.from([[1]]), Float64Array.of(0), { width: 1, activation: 'quadratic', parameterization: 'standard' });
   * objective.gradient(Float64Array.of(2, 3)); // => [288, 96]
   * ```
   */
  gradient(params: Float64Array, out?: Float64Array): Float64Array {
    const p = this.parameterCount;
    checkFlat('params', params, p, this.shape());
    const target = out === undefined ? new Float64Array(p) : checkFlat('out', out, p, this.shape());
    this.evaluateGradient(params);
    target.set(this.cachedGradient);
    return target;
  }

  /**
   * Writes $\nabla \hat L$ into `out` and returns $\hat L$: one pass over the data.
   * @param params - length $md + m$.
   * @param out - the gradient's destination (length $md + m$; may be `params`).
   * @returns $\hat L$.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when an argument is not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when a length is not $md + m$.
   * @example
   * ```ts
   * const objective = new TwoLayerEmpiricalRisk(Matrix.from([[1]]), Float64Array.of(0), { width: 1, activation: 'quadratic', parameterization: 'standard', freeze: 'output' });
   * const g = new Float64Array(2);
   * objective.valueAndGradient(Float64Array.of(2, 3), g); // => 144
   * g; // => [288, 0]
   * ```
   */
  valueAndGradient(params: Float64Array, out: Float64Array): number {
    const p = this.parameterCount;
    checkFlat('params', params, p, this.shape());
    checkFlat('out', out, p, this.shape());
    const risk = this.evaluateGradient(params);
    out.set(this.cachedGradient);
    return risk;
  }

  /**
   * The exact Hessian-vector product $\nabla^2 \hat L\,[U, b]$ (formula in the class summary, using
   * $\sigma''$), at the cost of three `gemm`s. With `freeze`, the frozen block of the direction is
   * ignored and that block of the result is zero.
   * @param params - the point $[\operatorname{vec}(W), a]$ (length $md + m$).
   * @param direction - $[\operatorname{vec}(U), b]$ (length $md + m$).
   * @param out - destination (length $md + m$; may alias the inputs). Default: a new array.
   * @returns `out`.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when an argument is not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when a length is not $md + m$.
   * @example
   * ```ts
   * // L = a² w⁴ at (w, a) = (1, 1): ∇²L = [[12, 8], [8, 2]].
   * const objective = new TwoLayerEmpiricalRisk(Matrix.from([[1]]), Float64Array.of(0), { width: 1, activation: 'quadratic', parameterization: 'standard' });
   * objective.hessianVectorProduct(Float64Array.of(1, 1), Float64Array.of(1, 0)); // => [12, 8]
   * ```
   */
  hessianVectorProduct(params: Float64Array, direction: Float64Array, out?: Float64Array): Float64Array {
    const p = this.parameterCount;
    checkFlat('params', params, p, this.shape());
    checkFlat('direction', direction, p, this.shape());
    const target = out === undefined ? new Float64Array(p) : checkFlat('out', out, p, this.shape());
    const dest = sharesMemory(target, params) || sharesMemory(target, direction) ? this.outBuffer : target;
    this.hvp(params, direction, dest);
    if (dest !== target) target.set(dest);
    return target;
  }

  /**
   * The dense Hessian $\nabla^2 \hat L$ ($(md + m) \times (md + m)$, parameters ordered as the flat
   * vector): $\frac2N \sum_i \big(J_i J_i^\top + e_i \nabla^2 f(x_i)\big)$ with $J_i = \nabla f(x_i)$
   * (the Gauss–Newton part by `syrk` over row chunks), where $\nabla^2 f(x_i)$ has the blocks
   * $\partial^2 f/\partial w_r^2 = s a_r \sigma''(z_{ir}) x_i x_i^\top$ and
   * $\partial^2 f/\partial w_r \partial a_r = s \sigma'(z_{ir}) x_i$. Exactly symmetric; cost
   * $O(N p^2)$ for $p = md + m \le$ {@link MAX_DENSE_HESSIAN_PARAMETERS}. With `freeze`, the frozen
   * block's rows and columns are zero.
   * @param params - the point (length $md + m$).
   * @returns a new symmetric matrix.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `params` is not a Float64Array or
   *   $md + m$ exceeds {@link MAX_DENSE_HESSIAN_PARAMETERS}.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when its length is not $md + m$.
   * @example
   * ```ts
   * const objective = new TwoLayerEmpiricalRisk(Matrix.from([[1]]), Float64Array.of(0), { width: 1, activation: 'quadratic', parameterization: 'standard' });
   * objective.hessian(Float64Array.of(1, 1)).toArray(); // => [[12, 8], [8, 2]]
   * ```
   */
  hessian(params: Float64Array): Matrix {
    const p = this.parameterCount;
    checkFlat('params', params, p, this.shape());
    if (p > MAX_DENSE_HESSIAN_PARAMETERS) {
      throw new InvalidArgumentError('params', `length ${p}`, `at most ${MAX_DENSE_HESSIAN_PARAMETERS} parameters md + m for a dense Hessian (use hessianVectorProduct)`);
    }
    const m = this.width;
    const d = this.inputDimension;
    const n = this.sampleCount;
    const md = m * d;
    const s = this.scale;
    const x = this.x;
    const y = this.y;
    const w = params.subarray(0, md);
    const a = params.subarray(md);
    const h = new Matrix(p, p);
    const hd = h.data;
    const rows = Math.max(1, Math.min(n, Math.floor((1 << 17) / p)));
    const z = new Float64Array(rows * m);
    const dz = new Float64Array(rows * m);
    const d2z = new Float64Array(rows * m);
    const jac = new Float64Array(rows * p);
    const c = (2 * s) / n;
    for (let r0 = 0; r0 < n; r0 += rows) {
      const rb = Math.min(rows, n - r0);
      const xc = x.subarray(r0 * d, (r0 + rb) * d);
      this.kernels.gemm(false, true, rb, m, d, 1, xc, w, 0, z);
      activationKernel(this.activation, rb * m, z, z, dz, d2z);
      for (let i = 0; i < rb; i++) {
        const o = i * m;
        const xo = i * d;
        let f = 0;
        for (let r = 0; r < m; r++) f += a[r]! * z[o + r]!;
        const e = s * f - y[r0 + i]!;
        const jo = i * p;
        for (let r = 0; r < m; r++) {
          const gw = s * a[r]! * dz[o + r]!;
          const base = jo + r * d;
          for (let k = 0; k < d; k++) jac[base + k] = gw * xc[xo + k]!;
          jac[jo + md + r] = s * z[o + r]!;
          // Second-order terms e_i ∇²f(x_i), scaled by 2/N (lower triangle and diagonal blocks).
          const cw = c * e * a[r]! * d2z[o + r]!;
          if (cw !== 0) {
            for (let k = 0; k < d; k++) {
              const row = (r * d + k) * p + r * d;
              const ck = cw * xc[xo + k]!;
              for (let l = 0; l < d; l++) hd[row + l] = hd[row + l]! + ck * xc[xo + l]!;
            }
          }
          const cm = c * e * dz[o + r]!;
          if (cm !== 0) {
            const row = (md + r) * p + r * d;
            for (let k = 0; k < d; k++) hd[row + k] = hd[row + k]! + cm * xc[xo + k]!;
          }
        }
      }
      // Gauss–Newton part: H += (2/N) JᵀJ (β = 1). syrk reads only the lower triangle of H and
      // mirrors it, so the mixed (a_r, w_r) entries, written below the diagonal only, end up in both.
      this.kernels.syrk(true, p, rb, 2 / n, jac.subarray(0, rb * p), 1, hd);
    }
    if (this.frozen !== null) {
      const [lo, hi] = this.frozen === 'hidden' ? [0, md] : [md, p];
      for (let i = 0; i < p; i++) {
        for (let j = lo; j < hi; j++) {
          hd[i * p + j] = 0;
          hd[j * p + i] = 0;
        }
      }
    }
    return h;
  }

  /**
   * $\hat L(W, a)$ for weight matrices.
   * @param w - $W$, $m \times d$.
   * @param a - $a$, length $m$.
   * @returns the risk.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` is not a Matrix or `a` not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when a shape disagrees with $m$, $d$.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite weight.
   * @example
   * ```ts
   * new TwoLayerEmpiricalRisk(Matrix.from([[1]]), Float64Array.of(1), { width: 1, activation: 'relu', parameterization: 'standard' }).risk(Matrix.from([[3]]), Float64Array.of(1)); // => 4
   * ```
   */
  risk(w: Matrix, a: Float64Array): number {
    return this.evaluate(this.pack(w, a), null);
  }

  /**
   * The gradients $\nabla_W \hat L$ ($m \times d$) and $\nabla_a \hat L$ (length $m$); a frozen one is zero.
   * @param w - $W$, $m \times d$.
   * @param a - $a$, length $m$.
   * @returns new arrays `{ w, a }`.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` is not a Matrix or `a` not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when a shape disagrees with $m$, $d$.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite weight.
   * @example
   * ```ts
   * const g = new TwoLayerEmpiricalRisk(Matrix.from([[1]]), Float64Array.of(1), { width: 1, activation: 'relu', parameterization: 'standard' }).gradients(Matrix.from([[3]]), Float64Array.of(1));
   * g.w.toArray(); // => [[4]]
   * g.a; // => [12]
   * ```
   */
  gradients(w: Matrix, a: Float64Array): { w: Matrix; a: Float64Array } {
    const g = this.gradient(this.pack(w, a));
    return this.unpack(g);
  }

  /**
   * The flat parameter vector $[\operatorname{vec}(W), a]$ ($W$ row-major).
   * @param w - $W$, $m \times d$.
   * @param a - $a$, length $m$.
   * @returns a new array of length $md + m$.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` is not a Matrix or `a` not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when a shape disagrees with $m$, $d$.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite weight.
   * @example
   * ```ts
   * new TwoLayerEmpiricalRisk(Matrix.from([[1, 2]]), Float64Array.of(0), { width: 1, activation: 'tanh', parameterization: 'ntk' }).pack(Matrix.from([[1, 2]]), Float64Array.of(3)); // => [1, 2, 3]
   * ```
   */
  pack(w: Matrix, a: Float64Array): Float64Array {
    const m = this.width;
    const d = this.inputDimension;
    const wm = checkMatrix('w', w);
    if (wm.rows !== m || wm.cols !== d) {
      throw new ShapeError(`w is ${wm.rows}×${wm.cols}, expected ${m}×${d} (width m × input dimension d)`, 'w');
    }
    const av = checkOutputWeights('a', a, m, 'width m');
    const out = new Float64Array(m * d + m);
    out.set(wm.data);
    out.set(av, m * d);
    return out;
  }

  /**
   * Splits a flat vector $[\operatorname{vec}(W), a]$ into copies of $W$ ($m \times d$) and $a$.
   * @param params - length $md + m$.
   * @returns `{ w, a }` (new arrays).
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `params` is not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when its length is not $md + m$.
   * @example
   * ```ts
   * const objective = new TwoLayerEmpiricalRisk(Matrix.from([[1, 2]]), Float64Array.of(0), { width: 1, activation: 'tanh', parameterization: 'ntk' });
   * objective.unpack(Float64Array.of(1, 2, 3)).w.toArray(); // => [[1, 2]]
   * ```
   */
  unpack(params: Float64Array): { w: Matrix; a: Float64Array } {
    const m = this.width;
    const d = this.inputDimension;
    checkFlat('params', params, this.parameterCount, this.shape());
    return { w: new Matrix(m, d, params.slice(0, m * d)), a: params.slice(m * d) };
  }

  private shape(): string {
    return `[vec(W), a] with W ${this.width}×${this.inputDimension}`;
  }

  /** Risk and gradient at `params`, cached; the gradient lands in `cachedGradient`. */
  private evaluateGradient(params: Float64Array): number {
    if (this.cacheValid && this.gradientValid && sameEntries(this.cachedParams, params)) return this.cachedRisk;
    const risk = this.evaluate(params, this.cachedGradient);
    this.cachedParams.set(params);
    this.cachedRisk = risk;
    this.cacheValid = true;
    this.gradientValid = true;
    return risk;
  }

  /**
   * One pass over the data: the risk, and the gradient into `grad` (not aliasing `params`) when
   * given. Per row chunk: Z = X_c Wᵀ (gemm), σ and σ', residuals, ∇_a += (2s/N) σᵀe,
   * D = (2s/N)(e aᵀ ⊙ σ'), ∇_W += Dᵀ X_c (gemm).
   */
  private evaluate(params: Float64Array, grad: Float64Array | null): number {
    const m = this.width;
    const d = this.inputDimension;
    const n = this.sampleCount;
    const md = m * d;
    const s = this.scale;
    const x = this.x;
    const y = this.y;
    const z = this.z;
    const dz = this.dz;
    const w = params.subarray(0, md);
    const a = params.subarray(md);
    const gw = grad === null ? null : grad.subarray(0, md);
    const ga = grad === null ? null : grad.subarray(md);
    if (ga !== null) ga.fill(0);
    const needW = gw !== null && this.frozen !== 'hidden';
    const coef = (2 * s) / n;
    const rows = this.rowsPerChunk;
    const relu = this.activation === 'relu';
    let sum = 0;
    let first = true;
    for (let r0 = 0; r0 < n; r0 += rows) {
      const rb = Math.min(rows, n - r0);
      const xc = x.subarray(r0 * d, (r0 + rb) * d);
      this.kernels.gemm(false, true, rb, m, d, 1, xc, w, 0, z);
      if (relu) {
        sum += reluChunkKernel(rb, m, z, dz, a, y, r0, s, coef, ga, needW);
      } else {
        activationKernel(this.activation, rb * m, z, z, dz, null);
        sum += activatedChunkKernel(rb, m, z, dz, a, y, r0, s, coef, ga, needW);
      }
      if (needW) {
        this.kernels.gemm(true, false, m, d, rb, 1, dz.subarray(0, rb * m), xc, first ? 0 : 1, gw);
        first = false;
      }
    }
    if (gw !== null && !needW) gw.fill(0);
    if (ga !== null && this.frozen === 'output') ga.fill(0);
    return sum / n;
  }

  /** Hessian-vector product into `out` (not aliasing the inputs). */
  private hvp(params: Float64Array, direction: Float64Array, out: Float64Array): void {
    const m = this.width;
    const d = this.inputDimension;
    const n = this.sampleCount;
    const md = m * d;
    const s = this.scale;
    const x = this.x;
    const y = this.y;
    const { z, dz, d2z, vz } = this;
    const w = params.subarray(0, md);
    const a = params.subarray(md);
    const useU = this.frozen !== 'hidden';
    const useB = this.frozen !== 'output';
    const u = direction.subarray(0, md);
    const b = direction.subarray(md);
    const hw = out.subarray(0, md);
    const ha = out.subarray(md);
    ha.fill(0);
    const coef = (2 * s) / n;
    const rows = this.rowsPerChunk;
    let first = true;
    for (let r0 = 0; r0 < n; r0 += rows) {
      const rb = Math.min(rows, n - r0);
      const xc = x.subarray(r0 * d, (r0 + rb) * d);
      this.kernels.gemm(false, true, rb, m, d, 1, xc, w, 0, z);
      if (useU) this.kernels.gemm(false, true, rb, m, d, 1, xc, u, 0, vz);
      else vz.fill(0, 0, rb * m);
      activationKernel(this.activation, rb * m, z, z, dz, d2z);
      for (let i = 0; i < rb; i++) {
        const o = i * m;
        let f = 0;
        let df = 0;
        for (let r = 0; r < m; r++) {
          f += a[r]! * z[o + r]!;
          df += a[r]! * dz[o + r]! * vz[o + r]!;
          if (useB) df += b[r]! * z[o + r]!;
        }
        const e = s * f - y[r0 + i]!;
        df *= s;
        for (let r = 0; r < m; r++) {
          const sg = z[o + r]!;
          const g1 = dz[o + r]!;
          const g2 = d2z[o + r]!;
          const v = vz[o + r]!;
          ha[r] = ha[r]! + coef * (df * sg + e * g1 * v);
          const br = useB ? b[r]! : 0;
          // C_ir, reusing the σ'' buffer
          d2z[o + r] = coef * (df * a[r]! * g1 + e * (br * g1 + a[r]! * g2 * v));
        }
      }
      this.kernels.gemm(true, false, m, d, rb, 1, d2z.subarray(0, rb * m), xc, first ? 0 : 1, hw);
      first = false;
    }
    if (!useU) hw.fill(0);
    if (!useB) ha.fill(0);
  }
}

/**
 * One row chunk of the fused ReLU pass (unchecked): from `z` (rows × m pre-activations) the
 * residuals `e_i = s Σ_r a_r relu(z_ir) − y_i`; when `ga` is given, `ga += c σ(Z)ᵀe` and, when
 * `needW`, `dz_ir = c e_i a_r 1[z_ir > 0]` (c = 2s/N). Branch-free: `relu(t) = (t + |t|)/2`
 * (exact), so random signs cost no mispredicted branches. Returns `Σ_i e_i²`.
 */
function reluChunkKernel(
  rows: number,
  m: number,
  z: Float64Array,
  dz: Float64Array,
  a: Float64Array,
  y: Float64Array,
  y0: number,
  s: number,
  coef: number,
  ga: Float64Array | null,
  needW: boolean,
): number {
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const o = i * m;
    let f = 0;
    for (let r = 0; r < m; r++) {
      const t = z[o + r]!;
      f += a[r]! * (t + Math.abs(t));
    }
    const e = 0.5 * s * f - y[y0 + i]!;
    sum += e * e;
    if (ga === null) continue;
    const ce = coef * e;
    const half = 0.5 * ce;
    for (let r = 0; r < m; r++) {
      const t = z[o + r]!;
      ga[r] = ga[r]! + half * (t + Math.abs(t));
    }
    if (needW) {
      for (let r = 0; r < m; r++) dz[o + r] = ce * a[r]! * +(z[o + r]! > 0);
    }
  }
  return sum;
}

/**
 * One row chunk for a general activation (unchecked): `z` already holds σ(Z) and `dz` σ'(Z);
 * the same outputs as {@link reluChunkKernel}.
 */
function activatedChunkKernel(
  rows: number,
  m: number,
  z: Float64Array,
  dz: Float64Array,
  a: Float64Array,
  y: Float64Array,
  y0: number,
  s: number,
  coef: number,
  ga: Float64Array | null,
  needW: boolean,
): number {
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const o = i * m;
    let f = 0;
    for (let r = 0; r < m; r++) f += a[r]! * z[o + r]!;
    const e = s * f - y[y0 + i]!;
    sum += e * e;
    if (ga === null) continue;
    const ce = coef * e;
    for (let r = 0; r < m; r++) ga[r] = ga[r]! + ce * z[o + r]!;
    if (needW) for (let r = 0; r < m; r++) dz[o + r] = ce * a[r]! * dz[o + r]!;
  }
  return sum;
}

/** Whether `a` and `b` (same length) hold the same numbers (`NaN` never matches). */
function sameEntries(a: Float64Array, b: Float64Array): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
