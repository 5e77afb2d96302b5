/**
 * The empirical risk of a (signed) quadratic network as an optimisation objective: value,
 * gradient, Hessian-vector product and dense Hessian, all evaluated through the d×d matrices
 * `Q = Wᵀ diag(v) W` and `S = Xᵀ diag(e) X` (the mathematics guide, §1 cost note).
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, checkMatrix, checkPositiveInteger, type LinalgBackend } from '@shallowscape/linalg';
import { checkFlat, checkLabels, checkOptionsObject, checkSigns, sharesMemory } from './model-arguments';
import { effectiveMatrixKernel, productKernelsOf, scaleRowsKernel, symmetrizeKernel, type ProductKernels } from './quadratic-form-kernels';

/**
 * Largest number of parameters $md$ for which {@link QuadraticEmpiricalRisk.hessian} and
 * {@link QuadraticPopulationRisk.hessian} build a dense Hessian ($md \times md$ doubles: 128 MiB at
 * the limit). Larger models should use Hessian-vector products.
 */
export const MAX_DENSE_HESSIAN_PARAMETERS = 4096;

/** Options of {@link QuadraticEmpiricalRisk}. */
export interface QuadraticEmpiricalRiskOptions {
  /**
   * Output signs $v \in \{-1, +1\}^m$ of a signed network ({@link SignedQuadraticNet}). Default: all
   * $+1$ (the plain {@link QuadraticNet}).
   */
  signs?: Float64Array;
  /**
   * The linalg backend whose `gemm`, `syrk`, `weightedGram` and `quadraticForms` kernels evaluate
   * the risk, its gradient and Hessian (e.g. the `wasm-simd` backend of `@shallowscape/linalg`, or
   * the native one of `@shallowscape/linalg-native`); slots it lacks fall back to the reference
   * backend, except `quadraticForms`, whose reference scheme then runs on the backend's `gemm`. Default: the default backend (`getBackend()`) at
   * construction (`wasm-simd` where the engine supports it, else the reference backend, unless an
   * application set another).
   */
  backend?: LinalgBackend;
}

/** A named block of the flat parameter vector (the `ParameterBlock` of `@shallowscape/optim`). */
export interface QuadraticParameterBlock {
  /** Always `"W"`. */
  readonly name: string;
  /** $md$. */
  readonly size: number;
}

// Residual-cache states.
const STALE = 0;
const RESIDUALS = 1;
const GRAM = 2;

/** Rows of `X` per chunk of the dense-Hessian accumulation (chunk of `P` holds ≈ 2¹⁷ doubles). */
const HESSIAN_CHUNK_ENTRIES = 1 << 17;

/**
 * The empirical risk of a quadratic network (signs $v = \mathbf 1$) or a signed quadratic network
 * (fixed signs $v$) on data $(X, y)$, as a function of the hidden weights $W$ ($m \times d$):
 *
 * $$\hat L(W) = \frac1N \sum_{i=1}^{N} \big(f_W(x_i) - y_i\big)^2, \qquad f_W(x) = x^\top Q x, \quad Q = W^\top \operatorname{diag}(v)\, W.$$
 *
 * With residuals $e_i = f_W(x_i) - y_i$ and $S = X^\top \operatorname{diag}(e) X$ (symmetric
 * $d \times d$), the gradient is $\nabla \hat L(W) = \frac4N \operatorname{diag}(v)\, W S$ and the
 * Hessian applied to a direction $U$ ($m \times d$) is
 *
 * $$\nabla^2 \hat L(W)[U] = \frac4N \operatorname{diag}(v)\big(U S + 2 W X^\top \operatorname{diag}(g) X\big), \qquad g_i = (W x_i)^\top \operatorname{diag}(v)\,(U x_i) = x_i^\top B x_i,$$
 *
 * with $B = \operatorname{sym}(W^\top \operatorname{diag}(v)\, U)$. Every evaluation goes through
 * $d \times d$ matrices: $Q$ by `syrk` (or the weighted Gram kernel with signs), $f_W(x_i) = x_i^\top Q x_i$
 * by the backend's `quadraticForms` kernel (the reference scheme: row dots of $XQ$ by `gemm` on
 * column blocks that use the symmetry of $Q$, $0.6\,Nd^2$ multiply–adds at $d = 100$ instead of
 * $Nd^2$), $S$ by the
 * weighted Gram kernel, so value + gradient costs
 * $O(md^2 + Nd^2)$ instead of $O(Nmd)$, and so does a Hessian-vector product.
 *
 * It implements the `Objective` interface of `@shallowscape/optim` structurally: the parameters are
 * $W$ flattened row-major into one block `"W"` of size $md$. All working buffers are allocated once
 * by the constructor, and the residuals (and $S$) of the last point are kept, so an optimiser that
 * calls `value(w)` and then `gradient(w)` at the same `w`, or a Lanczos run of Hessian-vector
 * products at one `w`, does not recompute them. The data are copied: later changes to `x` or `y`
 * do not affect the objective.
 *
 * The flat methods check the types and lengths of their arguments but not the finiteness of the
 * parameters: a NaN or infinite `w` gives a non-finite value, which optimisers report as divergence.
 * The Matrix methods ({@link QuadraticEmpiricalRisk.risk} …) also reject non-finite weights.
 *
 * @see the mathematics guide, §1 (gradient, Hessian-vector product, cost note) and §2 (signed networks).
 * @example
 * ```ts
 * const x = Matrix.from([[1, 0], [0, 1], [1, 1]]);
 * const y = Float64Array.of(1, 1, 2); // labels of the teacher W* = I
 * const objective = new QuadraticEmpiricalRisk(x, y, 2);
 * objective.risk(Matrix.identity(2)); // => 0
 * objective.risk(Matrix.from([[1, 0], [0, 0]])); // => 0.6666666666666666
 * objective.riskGradient(Matrix.from([[1, 0], [0, 0]])).toArray(); // => [[-1.3333333333333333, -1.3333333333333333], [0, 0]]
 * objective.value(Float64Array.of(2, 0, 0, 1)); // => 6
 * ```
 */
export class QuadraticEmpiricalRisk {
  /** One block, `{ name: "W", size: m·d }`: the hidden weights flattened row-major. */
  readonly blocks: readonly QuadraticParameterBlock[];
  /** Hidden width $m$. */
  readonly width: number;
  /** Input dimension $d$ (columns of $X$). */
  readonly inputDimension: number;
  /** Number of samples $N \ge 1$. */
  readonly sampleCount: number;

  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly v: Float64Array | null;
  // Product kernels (options.backend, default the default backend's).
  private readonly kernels: ProductKernels;
  // d×d work matrices: Q, S, B (HVP direction form), T = Xᵀ diag(g) X.
  private readonly q: Float64Array;
  private readonly s: Float64Array;
  private readonly b: Float64Array;
  private readonly t: Float64Array;
  // Length-N work vectors: residuals e, HVP weights g.
  private readonly e: Float64Array;
  private readonly g: Float64Array;
  // m×d work arrays: diag(v) U, and an output buffer for aliased calls.
  private readonly vu: Float64Array;
  private readonly outBuffer: Float64Array;
  // Residual cache: the point w at which e (and S) were last computed, and the risk there.
  private readonly cachedW: Float64Array;
  private cacheState = STALE;
  private cachedRisk = Number.NaN;

  /**
   * @param x - inputs $X$, an $N \times d$ matrix with the samples as rows ($N \ge 1$, $d \ge 1$). Copied.
   * @param y - labels $y$, length $N$. Copied.
   * @param width - hidden width $m \ge 1$ of the network whose weights are the parameters.
   * @param options - `signs` $v$ for a signed network; `backend` for the product kernels.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `x` when it is not a Matrix, has
   *   no rows ($N = 0$: a risk over zero samples is undefined) or no columns; naming `y` when it is
   *   not a Float64Array; naming `width` when it is not an integer ≥ 1; naming `options.signs[j]`
   *   for a sign other than ±1; naming `options.backend` when it is not an object, or `backend…` for a
   *   malformed backend.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `y.length ≠ N` or `signs.length ≠ m`.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `x` or `y`.
   */
  constructor(x: Matrix, y: Float64Array, width: number, options?: QuadraticEmpiricalRiskOptions) {
    const xs = checkMatrix('x', x);
    if (xs.rows < 1) throw new InvalidArgumentError('x', xs, 'at least one sample (row): a risk over zero samples is undefined');
    if (xs.cols < 1) throw new InvalidArgumentError('x', xs, 'at least one column (input dimension d ≥ 1)');
    const n = xs.rows;
    const d = xs.cols;
    const labels = checkLabels('y', y, n);
    const m = checkPositiveInteger('width', width);
    const opts = checkOptionsObject('options', options);
    const signs = checkSigns('options.signs', opts.signs, m, 'width');
    if (opts.backend !== undefined && (typeof opts.backend !== 'object' || opts.backend === null)) {
      throw new InvalidArgumentError('options.backend', opts.backend, 'a LinalgBackend object or undefined');
    }
    this.kernels = productKernelsOf(opts.backend);
    this.width = m;
    this.inputDimension = d;
    this.sampleCount = n;
    this.blocks = Object.freeze([Object.freeze({ name: 'W', size: m * d })]);
    // X is read by every evaluation: kept where the backend's kernels read it without a copy.
    this.x = this.kernels.allocate(n * d);
    this.x.set(xs.data);
    this.y = labels.slice();
    this.v = signs === null || signs.every((s) => s === 1) ? null : signs.slice();
    this.q = new Float64Array(d * d);
    this.s = new Float64Array(d * d);
    this.b = new Float64Array(d * d);
    this.t = new Float64Array(d * d);
    this.e = new Float64Array(n);
    this.g = new Float64Array(n);
    this.vu = new Float64Array(m * d);
    this.outBuffer = new Float64Array(m * d);
    this.cachedW = new Float64Array(m * d);
  }

  /** The output signs $v$ (a copy; all $+1$ for an unsigned network). */
  get signs(): Float64Array {
    return this.v === null ? new Float64Array(this.width).fill(1) : this.v.slice();
  }

  /**
   * $\hat L(W) = \frac1N \sum_i (x_i^\top Q x_i - y_i)^2$ at the flat weights $W$.
   * @param w - $W$ flattened row-major (length $md$).
   * @returns the risk.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` is not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `w.length ≠ md`.
   * @example
   * ```ts
   * new QuadraticEmpiricalRisk(Matrix.from([[1, 2]]), Float64Array.of(1), 1).value(Float64Array.of(1, 1)); // => 64
   * ```
   */
  value(w: Float64Array): number {
    return this.evaluateResiduals(checkFlat('w', w, this.width * this.inputDimension, this.shape()));
  }

  /**
   * $\nabla \hat L(W) = \frac4N \operatorname{diag}(v)\, W S$, $S = X^\top \operatorname{diag}(e) X$, flattened row-major.
   * @param w - $W$ flattened row-major (length $md$).
   * @param out - where to write the gradient (length $md$; may be `w` itself). Default: a new array.
   * @returns `out`.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` or `out` is not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when a length is not $md$.
   * @example
   * ```ts
   * const objective = new QuadraticEmpiricalRisk(Matrix.from([[1, 0]]), Float64Array.of(0), 1);
   * objective.gradient(Float64Array.of(1, 0)); // => [4, 0]
   * ```
   */
  gradient(w: Float64Array, out?: Float64Array): Float64Array {
    const p = this.width * this.inputDimension;
    checkFlat('w', w, p, this.shape());
    const target = out === undefined ? new Float64Array(p) : checkFlat('out', out, p, this.shape());
    this.evaluateGram(w);
    this.writeGradient(w, target);
    return target;
  }

  /**
   * Writes $\nabla \hat L(W)$ into `out` and returns $\hat L(W)$: one pass over the data.
   * @param w - $W$ flattened row-major (length $md$).
   * @param out - the gradient's destination (length $md$; may be `w` itself).
   * @returns $\hat L(W)$.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` or `out` is not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when a length is not $md$.
   * @example
   * ```ts
   * const objective = new QuadraticEmpiricalRisk(Matrix.from([[1, 0]]), Float64Array.of(0), 1);
   * const g = new Float64Array(2);
   * objective.valueAndGradient(Float64Array.of(1, 0), g); // => 1
   * g; // => [4, 0]
   * ```
   */
  valueAndGradient(w: Float64Array, out: Float64Array): number {
    const p = this.width * this.inputDimension;
    checkFlat('w', w, p, this.shape());
    checkFlat('out', out, p, this.shape());
    const risk = this.evaluateGram(w);
    this.writeGradient(w, out);
    return risk;
  }

  /**
   * The Hessian-vector product $\nabla^2 \hat L(W)[U] = \frac4N \operatorname{diag}(v)\big(US + 2WX^\top \operatorname{diag}(g)X\big)$,
   * $g_i = x_i^\top \operatorname{sym}(W^\top \operatorname{diag}(v) U) x_i$, at cost $O(md^2 + Nd^2)$.
   * @param w - $W$ flattened row-major (length $md$).
   * @param u - the direction $U$ flattened row-major (length $md$).
   * @param out - the destination (length $md$; may alias `w` or `u`). Default: a new array.
   * @returns `out`.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when an argument is not a Float64Array.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when a length is not $md$.
   * @example
   * ```ts
   * // N = 1, x = (1), y = 0, m = d = 1: L(w) = w⁴, L''(w) = 12w².
   * const objective = new QuadraticEmpiricalRisk(Matrix.from([[1]]), Float64Array.of(0), 1);
   * objective.hessianVectorProduct(Float64Array.of(2), Float64Array.of(1)); // => [48]
   * ```
   */
  hessianVectorProduct(w: Float64Array, u: Float64Array, out?: Float64Array): Float64Array {
    const m = this.width;
    const d = this.inputDimension;
    const p = m * d;
    const n = this.sampleCount;
    checkFlat('w', w, p, this.shape());
    checkFlat('u', u, p, this.shape());
    const target = out === undefined ? new Float64Array(p) : checkFlat('out', out, p, this.shape());
    this.evaluateGram(w);
    // B = sym(Wᵀ diag(v) U), g_i = x_iᵀ B x_i, T = Xᵀ diag(g) X.
    const vu = this.vu;
    vu.set(u);
    scaleRowsKernel(m, d, this.v, vu);
    const { gemm, weightedGram } = this.kernels;
    gemm(true, false, d, d, m, 1, w, vu, 0, this.b);
    symmetrizeKernel(d, this.b);
    this.kernels.quadraticForms(n, d, this.x, this.b, this.g);
    weightedGram(n, d, this.x, this.g, this.t);
    // out = (4/N) diag(v) (U S + 2 W T)
    const dest = sharesMemory(target, w) || sharesMemory(target, u) ? this.outBuffer : target;
    gemm(false, false, m, d, d, 4 / n, u, this.s, 0, dest);
    gemm(false, false, m, d, d, 8 / n, w, this.t, 1, dest);
    scaleRowsKernel(m, d, this.v, dest);
    if (dest !== target) target.set(dest);
    return target;
  }

  /**
   * $\hat L(W)$ for a weight matrix.
   * @param w - $W$, $m \times d$.
   * @returns the risk.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` is not a Matrix.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `w` is not $m \times d$.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `w`.
   * @example
   * ```ts
   * new QuadraticEmpiricalRisk(Matrix.from([[1, 1]]), Float64Array.of(3), 1).risk(Matrix.from([[1, 1]])); // => 1
   * ```
   */
  risk(w: Matrix): number {
    return this.evaluateResiduals(this.checkWeightMatrix(w).data);
  }

  /**
   * $\nabla \hat L(W) = \frac4N \operatorname{diag}(v)\, W S$ as an $m \times d$ matrix.
   * @param w - $W$, $m \times d$.
   * @returns a new $m \times d$ matrix.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` is not a Matrix.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `w` is not $m \times d$.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `w`.
   * @example
   * ```ts
   * new QuadraticEmpiricalRisk(Matrix.from([[1, 1]]), Float64Array.of(3), 1).riskGradient(Matrix.from([[1, 1]])).toArray(); // => [[8, 8]]
   * ```
   */
  riskGradient(w: Matrix): Matrix {
    const wm = this.checkWeightMatrix(w);
    const out = new Matrix(this.width, this.inputDimension);
    this.evaluateGram(wm.data);
    this.writeGradient(wm.data, out.data);
    return out;
  }

  /**
   * The residuals $e_i = f_W(x_i) - y_i$.
   * @param w - $W$, $m \times d$.
   * @returns a new array of length $N$.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` is not a Matrix.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `w` is not $m \times d$.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `w`.
   * @example
   * ```ts
   * new QuadraticEmpiricalRisk(Matrix.from([[1, 0], [0, 1]]), Float64Array.of(0, 0), 1).residuals(Matrix.from([[1, 2]])); // => [1, 4]
   * ```
   */
  residuals(w: Matrix): Float64Array {
    this.evaluateResiduals(this.checkWeightMatrix(w).data);
    return this.e.slice();
  }

  /**
   * The dense Hessian $\nabla^2 \hat L(W)$ ($md \times md$, parameters in row-major order of $W$),
   * built directly: with $z_{ij} = w_j \cdot x_i$,
   *
   * $$\frac{\partial^2 \hat L}{\partial W_{ja}\,\partial W_{kb}} = \frac4N\Big(\delta_{jk} v_j S_{ab} + 2 v_j v_k \sum_i z_{ij} z_{ik}\, x_{ia} x_{ib}\Big),$$
   *
   * the second term as $\frac8N P^\top P$ by `syrk` over row chunks of $P_{i,(j,a)} = v_j z_{ij} x_{ia}$.
   * Exactly symmetric; cost $O(N m^2 d^2)$. For models with at most
   * {@link MAX_DENSE_HESSIAN_PARAMETERS} parameters.
   * @param w - $W$, $m \times d$.
   * @returns a new symmetric $md \times md$ matrix.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` is not a Matrix, or $md$ exceeds
   *   {@link MAX_DENSE_HESSIAN_PARAMETERS}.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `w` is not $m \times d$.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `w`.
   * @example
   * ```ts
   * // L(w) = w⁴ for N = 1, x = (1), y = 0: L''(w) = 12w².
   * new QuadraticEmpiricalRisk(Matrix.from([[1]]), Float64Array.of(0), 1).hessian(Matrix.from([[2]])).toArray(); // => [[48]]
   * ```
   */
  hessian(w: Matrix): Matrix {
    const wm = this.checkWeightMatrix(w);
    const m = this.width;
    const d = this.inputDimension;
    const n = this.sampleCount;
    const p = m * d;
    if (p > MAX_DENSE_HESSIAN_PARAMETERS) {
      throw new InvalidArgumentError('w', wm, `at most ${MAX_DENSE_HESSIAN_PARAMETERS} parameters m·d for a dense Hessian (use hessianVectorProduct)`);
    }
    this.evaluateGram(wm.data);
    const h = new Matrix(p, p);
    const hd = h.data;
    const chunk = Math.max(1, Math.min(n, Math.floor(HESSIAN_CHUNK_ENTRIES / p)));
    const z = new Float64Array(chunk * m);
    const pc = new Float64Array(chunk * p);
    const x = this.x;
    const v = this.v;
    const { gemm, syrk } = this.kernels;
    for (let r0 = 0; r0 < n; r0 += chunk) {
      const rb = Math.min(chunk, n - r0);
      // z = X_block Wᵀ (rb × m)
      gemm(false, true, rb, m, d, 1, x.subarray(r0 * d, (r0 + rb) * d), wm.data, 0, z);
      for (let i = 0; i < rb; i++) {
        const xo = (r0 + i) * d;
        for (let j = 0; j < m; j++) {
          const c = (v === null ? 1 : v[j]!) * z[i * m + j]!;
          const o = i * p + j * d;
          for (let a = 0; a < d; a++) pc[o + a] = c * x[xo + a]!;
        }
      }
      syrk(true, p, rb, 8 / n, pc.subarray(0, rb * p), r0 === 0 ? 0 : 1, hd);
    }
    // + (4/N) δ_jk v_j S_ab (S symmetric, so H stays exactly symmetric)
    const s = this.s;
    for (let j = 0; j < m; j++) {
      const c = (4 / n) * (v === null ? 1 : v[j]!);
      for (let a = 0; a < d; a++) {
        const row = (j * d + a) * p + j * d;
        for (let b = 0; b < d; b++) hd[row + b] = hd[row + b]! + c * s[a * d + b]!;
      }
    }
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

  /** Residuals `e` at `w` (cached) and the risk. */
  private evaluateResiduals(w: Float64Array): number {
    if (this.cacheState !== STALE && sameEntries(this.cachedW, w)) return this.cachedRisk;
    const m = this.width;
    const d = this.inputDimension;
    const n = this.sampleCount;
    effectiveMatrixKernel(m, d, w, this.v, this.q, this.kernels);
    const e = this.e;
    this.kernels.quadraticForms(n, d, this.x, this.q, e);
    const y = this.y;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const r = e[i]! - y[i]!;
      e[i] = r;
      sum += r * r;
    }
    this.cachedW.set(w);
    this.cachedRisk = sum / n;
    this.cacheState = RESIDUALS;
    return this.cachedRisk;
  }

  /** Residuals and `S = Xᵀ diag(e) X` at `w` (cached); returns the risk. */
  private evaluateGram(w: Float64Array): number {
    const risk = this.evaluateResiduals(w);
    if (this.cacheState !== GRAM) {
      this.kernels.weightedGram(this.sampleCount, this.inputDimension, this.x, this.e, this.s);
      this.cacheState = GRAM;
    }
    return risk;
  }

  /** `out = (4/N) diag(v) W S` (S current for `w`); `out` may alias `w`. */
  private writeGradient(w: Float64Array, out: Float64Array): void {
    const m = this.width;
    const d = this.inputDimension;
    const dest = sharesMemory(out, w) ? this.outBuffer : out;
    this.kernels.gemm(false, false, m, d, d, 4 / this.sampleCount, w, this.s, 0, dest);
    scaleRowsKernel(m, d, this.v, dest);
    if (dest !== out) out.set(dest);
  }
}

/** Whether `a` and `b` (same length) hold the same numbers (`NaN` never matches). */
function sameEntries(a: Float64Array, b: Float64Array): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
