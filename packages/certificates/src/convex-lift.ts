/**
 * The convex lift of quadratic networks (the mathematics guide, §2): the lifted gradient
 * $G = \nabla\ell(A)$, the global-optimality certificate built from its spectrum, and an independent
 * solve of the lifted problem giving $\ell^*$.
 *
 * All arithmetic is float64: the products and eigendecompositions run on the default backend when it
 * computes in float64 (wasm-simd, native), else on the reference one, never on a float32 backend;
 * `lstsq` always runs the reference SVD.
 *
 * @packageDocumentation
 */
import {
  InvalidArgumentError,
  Matrix,
  ShapeError,
  assertFiniteNumber,
  assertFiniteVector,
  assertSymmetric,
  checkMatrix,
  checkPositiveInteger,
  checkSignal,
  lstsq,
  projectPsd,
  throwIfAborted,
  resolveKernel,
} from '@shallowscape/linalg';
import { certificateBackend } from './float64-backend';
import { liftedDesign, unliftSymmetric } from './lifted-design';

/** Options of {@link globalOptimalityCertificate}. */
export interface GlobalOptimalityOptions {
  /** Output signs $v$ of a signed network (length $m$, entries ±1). Default: all $+1$. */
  signs?: Float64Array;
  /**
   * Relative tolerance $\tau$ (default $10^{-8}$): the certificate accepts eigenvalues of $G$ down to
   * $-\tau s$ with the scale $s = \frac2N\sum_i (|f(x_i)| + |y_i|)\,\|x_i\|^2 \ge \|G\|_2$.
   */
  tolerance?: number;
  /** Also solve the lifted problem for $\ell^*$ ({@link solveLiftedProblem}); default `true`. */
  solve?: boolean;
  /** Polled before the eigensolve of $G$ and between the iterations of the lifted solve: once aborted, throws `AbortedError`. */
  signal?: AbortSignal;
  /** A lower bound on $\sigma_{\min}(\Phi)$ for the lifted solve's bracket (see {@link SolveLiftedOptions}). */
  liftedDesignMinSingularValue?: number;
}

/** Result of {@link globalOptimalityCertificate}. */
export interface GlobalOptimalityCertificate {
  /** $\lambda_{\min}(G)$. */
  liftedGradientMinEigenvalue: number;
  /** $\lambda_{\max}(G)$. */
  liftedGradientMaxEigenvalue: number;
  /**
   * The bound $\max(0, \langle G, Q\rangle)$ on $\hat L(W) - \min \hat L$ when certified, `null`
   * otherwise. Clamped at 0: the gap is never negative, so clamping only loosens the bound; at a
   * certified optimum $\langle G, Q\rangle$ is round-off of either sign (e.g. $-4 \cdot 10^{-10}$ on
   * labels of scale $10^4$), or negative within the tolerance, $\ge -\tau s \operatorname{tr}(A_+)$.
   */
  gapBound: number | null;
  /** Whether the spectrum of $G$ certifies global optimality (see {@link globalOptimalityCertificate}). */
  certified: boolean;
  /** A unit eigenvector $u$ of $G$ along which adding a hidden unit lowers the risk, or `null` when certified. */
  escapeDirection: Float64Array | null;
  /**
   * $\ell^*$ from {@link solveLiftedProblem}, or `null` with `solve: false`: over $A \succeq 0$ for an all-positive
   * network (exactly $\min_W \hat L$ when $m \ge d$, a lower bound otherwise), over all symmetric $Q$ when some sign
   * is $-1$ (exact with at least $d$ units of each sign, a lower bound otherwise).
   */
  liftedOptimum: number | null;
  /** The lower end of the bracket $[\,$`liftedOptimumLowerBound`$,\ $`liftedOptimum`$\,] \ni \ell^*$ (`lowerBound` of {@link solveLiftedProblem}), or `null` with `solve: false`. */
  liftedOptimumLowerBound: number | null;
  /** The training risk $\hat L(W) = \ell(Q)$. */
  risk: number;
  /** The absolute tolerance $\tau s$ used. */
  tolerance: number;
}

/** Options of {@link solveLiftedProblem}. */
export interface SolveLiftedOptions {
  /** `true` (default): minimise over $A \succeq 0$ (quadratic nets); `false`: over all symmetric $Q$ (signed nets). */
  psd?: boolean;
  /** Iteration cap of the accelerated projected gradient (default 20000). */
  maxIterations?: number;
  /**
   * Relative tolerance (default $10^{-10}$): stop when the gradient mapping
   * $L\|Y - P(Y - \nabla\ell(Y)/L)\|_F \le$ `tolerance` $\cdot \|\nabla\ell(0)\|_F$, or when a plain
   * projected-gradient step from the current iterate no longer lowers $\ell$ (its round-off floor).
   */
  tolerance?: number;
  /** Polled between iterations (and before the least-squares solve): once aborted, throws `AbortedError`. */
  signal?: AbortSignal;
  /**
   * A lower bound $\sigma \le \sigma_{\min}(\Phi)$ on the smallest singular value of the lifted design
   * ({@link liftedDesign}), when the caller has one (`certifyQuadraticNetwork` takes it from the sample
   * condition's SVD). With `psd: true` and $\sigma > 0$ the bracket's lower end also uses the strong
   * convexity of $\ell$, second order in the distance to the optimum (see {@link solveLiftedProblem});
   * a value above the true $\sigma_{\min}$ would make that end invalid. Default: none (0).
   */
  liftedDesignMinSingularValue?: number;
}

/** Result of {@link solveLiftedProblem}. */
export interface LiftedSolution {
  /** $\ell^* = \ell(A)$ at the returned $A$. */
  value: number;
  /** The minimiser $A$ ($d \times d$, PSD with `psd: true`). */
  a: Matrix;
  /** Iterations (0 for the least-squares solve). */
  iterations: number;
  /** Whether the stopping test was met. */
  converged: boolean;
  /**
   * A lower bound on $\ell^*$ from convexity at the returned $A$ (see {@link solveLiftedProblem}): the optimum lies in the
   * bracket $[\,$`lowerBound`$,\ $`value`$\,]$, up to the round-off in $G$. Never negative, never above `value`.
   */
  lowerBound: number;
}

/** Validated data (x, y). */
function checkData(x: unknown, y: unknown): { x: Matrix; y: Float64Array; n: number; d: number } {
  const xs = checkMatrix('x', x);
  if (xs.rows < 1) throw new InvalidArgumentError('x', xs, 'at least one sample (row)');
  if (xs.cols < 1) throw new InvalidArgumentError('x', xs, 'at least one column (input dimension d ≥ 1)');
  if (!(y instanceof Float64Array)) throw new InvalidArgumentError('y', y, 'a Float64Array of labels');
  if (y.length !== xs.rows) throw new ShapeError(`y has length ${y.length} but x has ${xs.rows} rows`, 'y');
  assertFiniteVector('y', y);
  return { x: xs, y, n: xs.rows, d: xs.cols };
}

/**
 * e_i = x_iᵀ A x_i − y_i for a symmetric A (its upper triangle is read), the forms by the backend's
 * quadraticForms kernel (the column-blocked scheme: about 0.6 N d² multiply–adds at d = 50, against
 * N d² for X·A and a row-by-row dot product).
 */
function residualsKernel(n: number, d: number, x: Float64Array, a: Float64Array, y: Float64Array, e: Float64Array): void {
  resolveKernel('quadraticForms', certificateBackend())(n, d, x, a, e);
  for (let i = 0; i < n; i++) e[i] = e[i]! - y[i]!;
}

/** G = (2/N) Xᵀ diag(e) X into g. */
function liftedGradientKernel(n: number, d: number, x: Float64Array, e: Float64Array, g: Float64Array): void {
  resolveKernel('weightedGram', certificateBackend())(n, d, x, e, g);
  const c = 2 / n;
  for (let k = 0; k < d * d; k++) g[k]! *= c;
}

function meanSquare(e: Float64Array): number {
  let s = 0;
  for (let i = 0; i < e.length; i++) s += e[i]! * e[i]!;
  return s / e.length;
}

/**
 * The gradient of the lifted risk $\ell(A) = \frac1N\sum_i (x_i^\top A x_i - y_i)^2$ at a symmetric $A$:
 *
 * $$G = \nabla\ell(A) = \frac2N \sum_i e_i\, x_i x_i^\top = \frac2N X^\top\operatorname{diag}(e)X, \qquad e_i = x_i^\top A x_i - y_i.$$
 *
 * At $A = W^\top W$ the network gradient is $\nabla\hat L(W) = 2WG$. Cost $O(Nd^2)$.
 *
 * @param x - inputs $X$, $N \times d$ ($N, d \ge 1$).
 * @param y - labels $y$, length $N$.
 * @param a - symmetric $A$, $d \times d$.
 * @returns $G$, a new symmetric $d \times d$ matrix.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for a non-Matrix `x` or `a`, an empty `x`, or `y` not a Float64Array.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `y.length ≠ N` or `a` is not $d \times d$.
 * @throws {@link @shallowscape/linalg!NotSymmetricError | NotSymmetricError} when `a` is not symmetric.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry.
 * @see Bartan and Pilanci, "Neural spectrahedra and semidefinite lifts" (the lift of degree-two networks); the mathematics guide, §2.
 * @example
 * ```ts
 * // x = (1, 0), (0, 1), y = (2, 0), A = 0: e = (−2, 0), G = (2/2)·(−2) e₁e₁ᵀ.
 * liftedGradient(Matrix.identity(2), Float64Array.of(2, 0), Matrix.zeros(2, 2)).toArray(); // => [[-2, 0], [0, 0]]
 * ```
 */
export function liftedGradient(x: Matrix, y: Float64Array, a: Matrix): Matrix {
  const data = checkData(x, y);
  const am = checkMatrix('a', a);
  if (am.rows !== data.d || am.cols !== data.d) throw new ShapeError(`a is ${am.rows}×${am.cols}, expected ${data.d}×${data.d} (d = columns of x)`, 'a');
  assertSymmetric('a', am);
  const e = new Float64Array(data.n);
  residualsKernel(data.n, data.d, data.x.data, am.data, data.y, e);
  const g = new Matrix(data.d, data.d);
  liftedGradientKernel(data.n, data.d, data.x.data, e, g.data);
  return g;
}

/**
 * A global-optimality certificate for a (signed) quadratic network $W$ through the convex lift.
 *
 * With $Q = W^\top\operatorname{diag}(v)W$, $\hat L(W) = \ell(Q)$ and $G = \nabla\ell(Q)$ ({@link liftedGradient}).
 * Split $Q = A_+ - A_-$ over the units of each sign; $\ell(A_+ - A_-)$ is convex in $(A_+, A_-) \succeq 0$, so
 * for every network of any width with the same kinds of signs
 *
 * $$\hat L(W') \ge \hat L(W) - \langle G, Q\rangle + \inf_{A'_+ \succeq 0}\langle G, A'_+\rangle - \sup_{A'_- \succeq 0}\langle G, A'_-\rangle .$$
 *
 * For an all-positive network the infimum is $0$ exactly when $\lambda_{\min}(G) \ge 0$: then $W$ is within
 * $\langle G, A\rangle = \tfrac12\langle\nabla\hat L(W), W\rangle$ of the global minimum (the mathematics guide, §2). With
 * negative units as well the supremum also needs $\lambda_{\max}(G) \le 0$. Numerically the certificate is
 *
 * $$\text{certified} \iff \lambda_{\min}(G) \ge -\tau s\ \ (\text{if some } v_j = +1) \ \text{ and } \ \lambda_{\max}(G) \le \tau s\ \ (\text{if some } v_j = -1),$$
 *
 * with $s = \frac2N\sum_i(|f(x_i)| + |y_i|)\|x_i\|^2$, which bounds $\|G\|_2$ and the round-off in $G$'s
 * entries; the default $\tau = 10^{-8}$ certifies an exact optimum ($|\lambda| \approx 10^{-13}s$) and rejects
 * $W = 0$ with positive labels ($\lambda_{\min}(G) \le -s/d$). The gap bound then holds up to
 * $\tau s \operatorname{tr}(A'_\pm)$; it is reported as $\max(0, \langle G, Q\rangle)$, since a computed
 * $\langle G, Q\rangle < 0$ at a certified point is round-off or within that tolerance (the gap
 * itself is $\ge 0$). When not certified, the eigenvector $u$ of the violated extreme eigenvalue
 * is an escape direction: adding a unit $\varepsilon u$ with sign $+1$ (for $\lambda_{\min} < 0$; sign $-1$ for
 * $\lambda_{\max} > 0$) changes the risk by $\varepsilon^2\lambda_{\min} + O(\varepsilon^4) < 0$ (resp.
 * $-\varepsilon^2\lambda_{\max} + O(\varepsilon^4)$), since $Q$ moves by $\pm\varepsilon^2 uu^\top$.
 *
 * @param w - the network's hidden weights $W$, $m \times d$.
 * @param x - inputs $X$, $N \times d$.
 * @param y - labels $y$, length $N$.
 * @param options - `signs` $v$, `tolerance` $\tau$ (relative, default $10^{-8}$), `solve` (default `true`), `signal`.
 * @returns `{ liftedGradientMinEigenvalue, liftedGradientMaxEigenvalue, gapBound, certified, escapeDirection, liftedOptimum, liftedOptimumLowerBound, risk, tolerance }`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for non-Matrix arguments, an empty `x`, a non-±1 sign or an invalid option.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `w` and `x` differ in $d$, `y.length ≠ N` or `signs.length ≠ m`.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry.
 * @throws {@link @shallowscape/linalg!AbortedError | AbortedError} when `options.signal` is aborted.
 * @see Bartan and Pilanci, "Neural spectrahedra and semidefinite lifts"; Soltanolkotabi, Javanmard and Lee (signed networks); the mathematics guide, §2.
 * @example
 * ```ts
 * const x = Matrix.from([[1, 0], [0, 1], [1, 1]]);
 * const y = Float64Array.of(1, 1, 2); // labels of W* = I
 * const c = globalOptimalityCertificate(Matrix.from([[0, 1], [1, 0]]), x, y, { solve: false });
 * [c.certified, c.gapBound, c.escapeDirection]; // => [true, 0, null]
 * globalOptimalityCertificate(Matrix.zeros(1, 2), x, y).certified; // => false
 * ```
 */
export function globalOptimalityCertificate(w: Matrix, x: Matrix, y: Float64Array, options?: GlobalOptimalityOptions): GlobalOptimalityCertificate {
  const data = checkData(x, y);
  const wm = checkMatrix('w', w);
  const { n, d } = data;
  if (wm.cols !== d) throw new ShapeError(`w is ${wm.rows}×${wm.cols} and x is ${n}×${d}: both need the same input dimension d (columns)`, 'w');
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new InvalidArgumentError('options', options, 'an options object or undefined');
  }
  const m = wm.rows;
  const signs = options?.signs;
  if (signs !== undefined) {
    if (!(signs instanceof Float64Array)) throw new InvalidArgumentError('options.signs', signs, 'a Float64Array of ±1');
    if (signs.length !== m) throw new ShapeError(`options.signs has length ${signs.length} but w has ${m} rows`, 'options.signs');
    signs.forEach((s, j) => {
      if (s !== 1 && s !== -1) throw new InvalidArgumentError(`options.signs[${j}]`, s, '+1 or -1');
    });
  }
  const tau = options?.tolerance ?? 1e-8;
  assertFiniteNumber('options.tolerance', tau);
  if (tau < 0) throw new InvalidArgumentError('options.tolerance', tau, 'a finite number ≥ 0');
  const solve = options?.solve ?? true;
  if (typeof solve !== 'boolean') throw new InvalidArgumentError('options.solve', solve, 'a boolean');
  const signal = checkSignal('options.signal', options?.signal);
  const sigma = checkMinSingularValue(options?.liftedDesignMinSingularValue);
  throwIfAborted(signal, 'the global-optimality certificate');

  const hasNegative = signs !== undefined && signs.some((s) => s === -1);
  const hasPositive = signs === undefined || signs.some((s) => s === 1);
  // Q = Wᵀ diag(v) W
  const q = new Float64Array(d * d);
  for (let j = 0; j < m; j++) {
    const v = signs === undefined ? 1 : signs[j]!;
    for (let k = 0; k < d; k++) {
      const a = v * wm.data[j * d + k]!;
      if (a === 0) continue;
      for (let l = 0; l < d; l++) q[k * d + l]! += a * wm.data[j * d + l]!;
    }
  }
  const e = new Float64Array(n);
  residualsKernel(n, d, data.x.data, q, data.y, e);
  const g = new Float64Array(d * d);
  liftedGradientKernel(n, d, data.x.data, e, g);
  let scale = 0;
  const xd = data.x.data;
  for (let i = 0; i < n; i++) {
    let norm2 = 0;
    for (let k = 0; k < d; k++) norm2 += xd[i * d + k]! * xd[i * d + k]!;
    scale += (Math.abs(e[i]! + data.y[i]!) + Math.abs(data.y[i]!)) * norm2;
  }
  scale *= 2 / n;
  const tol = tau * scale;
  throwIfAborted(signal, 'the global-optimality certificate');
  const eig = resolveKernel('eigh', certificateBackend())(d, g, true);
  const lmin = eig.values[0]!;
  const lmax = eig.values[d - 1]!;
  const positiveViolated = hasPositive && lmin < -tol;
  const negativeViolated = hasNegative && lmax > tol;
  const certified = !positiveViolated && !negativeViolated;
  let gapBound: number | null = null;
  let escapeDirection: Float64Array | null = null;
  if (certified) {
    let inner = 0;
    for (let k = 0; k < d * d; k++) inner += g[k]! * q[k]!;
    gapBound = Math.max(0, inner); // the gap is ≥ 0: a negative ⟨G, Q⟩ is round-off
  } else {
    const column = positiveViolated ? 0 : d - 1;
    escapeDirection = new Float64Array(d);
    for (let k = 0; k < d; k++) escapeDirection[k] = eig.vectors![k * d + column]!;
  }
  const lifted = solve ? solveLiftedKernel(data.x, data.y, !hasNegative, 20000, 1e-10, signal, sigma) : null;
  return {
    liftedGradientMinEigenvalue: lmin,
    liftedGradientMaxEigenvalue: lmax,
    gapBound,
    certified,
    escapeDirection,
    liftedOptimum: lifted === null ? null : lifted.value,
    liftedOptimumLowerBound: lifted === null ? null : lifted.lowerBound,
    risk: meanSquare(e),
    tolerance: tol,
  };
}

/**
 * Solves the lifted problem $\ell^* = \min \ell(A)$, $\ell(A) = \frac1N\sum_i (x_i^\top A x_i - y_i)^2$,
 * independently of any network run.
 *
 * - `psd: true` (quadratic networks, $m \ge d$): over $A \succeq 0$, by FISTA (accelerated projected gradient)
 *   $A_{k+1} = P_{\succeq 0}\big(Y_k - \nabla\ell(Y_k)/L\big)$, $Y_{k+1} = A_{k+1} + \frac{t_k - 1}{t_{k+1}}(A_{k+1} - A_k)$,
 *   with the projection by eigendecomposition (`projectPsd`), step $1/L$, $L = \frac2N\|\Phi\|_2^2$ estimated by
 *   power iteration and doubled whenever the sufficient-decrease test fails (backtracking), and a restart
 *   ($t = 1$) whenever $\ell$ increases (O'Donoghue–Candès). Residuals at $Y$ are combined linearly from those
 *   at $A_{k+1}$ and $A_k$, so an iteration costs one $XA$ product, one weighted Gram and one $d \times d$
 *   eigendecomposition, $O(Nd^2 + d^3)$.
 * - `psd: false` (signed networks with at least $d$ units of each sign): over all symmetric $Q$, the
 *   minimum-norm least-squares solution of $\Phi\varphi(Q) = y$ by `lstsq` on the lifted design.
 *
 * The result brackets the optimum, $\ell^* \in [\,$`lowerBound`$,\ $`value`$\,]$, whether or not the stopping test was
 * met. With `psd: true` the lower end is convexity at the returned $A$ with $G = \nabla\ell(A)$:
 * $\ell^* \ge \ell(A) - \langle G, A\rangle + \min(0, \lambda_{\min}(G))\, \frac{\sum_i y_i + N\sqrt{\ell(A)}}{\lambda_{\min}(X^\top X)}$
 * (the fraction bounds the trace of a minimiser; the term is dropped when $G \succeq 0$, and the bound is 0 when
 * $\lambda_{\min}(G) < 0$ with $X^\top X$ singular). Given $\sigma \le \sigma_{\min}(\Phi)$
 * (`liftedDesignMinSingularValue`), $\ell$ is $\mu$-strongly convex with $\mu = \sigma^2/N$
 * ($\ell(A') = \ell(A) + \langle G, A' - A\rangle + \frac1N\|\Phi\varphi(A' - A)\|^2$ and $\|\varphi(\Delta)\| = \|\Delta\|_F$), so
 * $\ell^* \ge \ell(A) + \langle G, B - A\rangle + \mu\|B - A\|_F^2$ with $B = P_{\succeq 0}(A - G/(2\mu))$, the
 * minimiser of that quadratic over the PSD cone; the larger of the two bounds is reported. With `psd: false`:
 * $\ell^* \ge \ell(Q) - \frac N4\|G\|_F^2/\sigma_r^2$, $\sigma_r$ the smallest singular value of $\Phi$ within its numerical rank.
 *
 * @param x - inputs $X$, $N \times d$.
 * @param y - labels $y$, length $N$.
 * @param options - `psd` (default `true`), `maxIterations` (default 20000), `tolerance` (default $10^{-10}$, relative), `signal`,
 *   `liftedDesignMinSingularValue` (a lower bound on $\sigma_{\min}(\Phi)$; default none).
 * @returns `{ value, a, iterations, converged, lowerBound }`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for a non-Matrix or empty `x`, a non-Float64Array `y` or invalid options.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `y.length ≠ N`.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry.
 * @throws {@link @shallowscape/linalg!AbortedError | AbortedError} when `options.signal` is aborted (polled between iterations).
 * @see Beck and Teboulle, "A fast iterative shrinkage-thresholding algorithm" (2009); O'Donoghue and Candès,
 *   "Adaptive restart for accelerated gradient schemes" (2015); Bartan and Pilanci (exactness of the lift).
 * @example
 * ```ts
 * const x = Matrix.from([[1, 0], [0, 1], [1, 1]]);
 * solveLiftedProblem(x, Float64Array.of(1, 1, 2)).value < 1e-18; // => true
 * // y = −1 everywhere: the PSD constraint binds, A = 0 and ℓ* = 1; unconstrained, A = −I fits: ℓ* = 0.
 * const bound = solveLiftedProblem(x, Float64Array.of(-1, -1, -1));
 * [bound.value, bound.lowerBound]; // => [1, 1]
 * solveLiftedProblem(x, Float64Array.of(-1, -1, -1), { psd: false }).a.toArray(); // => [[-1, 0.5], [0.5, -1]]
 * ```
 */
export function solveLiftedProblem(x: Matrix, y: Float64Array, options?: SolveLiftedOptions): LiftedSolution {
  const data = checkData(x, y);
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new InvalidArgumentError('options', options, 'an options object or undefined');
  }
  const psd = options?.psd ?? true;
  if (typeof psd !== 'boolean') throw new InvalidArgumentError('options.psd', psd, 'a boolean');
  const maxIterations = checkPositiveInteger('options.maxIterations', options?.maxIterations ?? 20000);
  const tolerance = options?.tolerance ?? 1e-10;
  assertFiniteNumber('options.tolerance', tolerance);
  if (tolerance < 0) throw new InvalidArgumentError('options.tolerance', tolerance, 'a finite number ≥ 0');
  const signal = checkSignal('options.signal', options?.signal);
  const sigma = checkMinSingularValue(options?.liftedDesignMinSingularValue);
  return solveLiftedKernel(data.x, data.y, psd, maxIterations, tolerance, signal, sigma);
}

/** `options.liftedDesignMinSingularValue`: a finite number ≥ 0 (default 0: unused). */
function checkMinSingularValue(value: unknown): number {
  if (value === undefined) return 0;
  assertFiniteNumber('options.liftedDesignMinSingularValue', value);
  if (value < 0) throw new InvalidArgumentError('options.liftedDesignMinSingularValue', value, 'a finite number ≥ 0');
  return value;
}

/** Unchecked solver behind {@link solveLiftedProblem}; polls `signal` between iterations. */
function solveLiftedKernel(
  x: Matrix,
  y: Float64Array,
  psd: boolean,
  maxIterations: number,
  tolerance: number,
  signal: AbortSignal | undefined,
  sigma: number,
): LiftedSolution {
  const what = 'the lifted solve';
  throwIfAborted(signal, what);
  const n = x.rows;
  const d = x.cols;
  const xd = x.data;
  if (!psd) {
    const { x: phiQ, rank, singularValues } = lstsq(liftedDesign(x), y);
    const a = unliftSymmetric(phiQ);
    const e = new Float64Array(n);
    residualsKernel(n, d, xd, a.data, y, e);
    const value = meanSquare(e);
    return { value, a, iterations: 0, converged: true, lowerBound: leastSquaresLowerBound(n, d, xd, e, value, rank === 0 ? 0 : singularValues[rank - 1]!) };
  }
  const dd = d * d;
  // Scale of the stopping test: ‖∇ℓ(0)‖_F = (2/N)‖Xᵀ diag(y) X‖_F.
  const g = new Float64Array(dd);
  const negY = new Float64Array(n);
  for (let i = 0; i < n; i++) negY[i] = -y[i]!;
  liftedGradientKernel(n, d, xd, negY, g);
  const zeroY = new Float64Array(n);
  let gradScale = Math.sqrt(g.reduce((s, v) => s + v * v, 0));
  if (gradScale === 0) {
    return { value: 0, a: new Matrix(d, d), iterations: 0, converged: true, lowerBound: 0 };
  }
  // L = (2/N)‖Φ‖² by power iteration on A ↦ Xᵀ diag(x_iᵀ A x_i) X (= ΦᵀΦ in lifted coordinates).
  let b: Float64Array = new Float64Array(dd);
  for (let k = 0; k < d; k++) b[k * d + k] = 1 / Math.sqrt(d);
  const fb = new Float64Array(n);
  let lambda = 0;
  for (let it = 0; it < 30; it++) {
    throwIfAborted(signal, what);
    residualsKernel(n, d, xd, b, zeroY, fb);
    const next = new Float64Array(dd);
    resolveKernel('weightedGram', certificateBackend())(n, d, xd, fb, next);
    const norm = Math.sqrt(next.reduce((s, v) => s + v * v, 0));
    if (norm === 0) break;
    const prev = lambda;
    lambda = norm;
    for (let k = 0; k < dd; k++) next[k]! /= norm;
    b = next;
    if (it > 3 && Math.abs(lambda - prev) <= 1e-4 * lambda) break;
  }
  let lip = (2 / n) * lambda * 1.02;
  if (!(lip > 0)) lip = 1;
  // FISTA state: A_k (with residuals eA), Y (with residuals eY).
  let a: Float64Array = new Float64Array(dd);
  let eA = new Float64Array(n);
  for (let i = 0; i < n; i++) eA[i] = -y[i]!;
  let valueA = meanSquare(eA);
  let yk: Float64Array = a.slice();
  let eY = eA.slice();
  let t = 1;
  const eNext = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  gradScale = Math.max(gradScale, Number.MIN_VALUE);
  while (iterations < maxIterations) {
    throwIfAborted(signal, what);
    iterations++;
    liftedGradientKernel(n, d, xd, eY, g);
    const valueY = meanSquare(eY);
    let next: Float64Array;
    let valueNext: number;
    for (;;) {
      const { to, inner, dist2 } = projectedStep(d, yk, g, lip);
      next = to;
      residualsKernel(n, d, xd, next, y, eNext);
      valueNext = meanSquare(eNext);
      const bound = valueY + inner + (lip / 2) * dist2;
      if (valueNext <= bound + 1e-12 * Math.max(Math.abs(valueY), Number.MIN_VALUE) || lip > 1e300) {
        // Gradient mapping at Y.
        if (lip * Math.sqrt(dist2) <= tolerance * gradScale) converged = true;
        break;
      }
      lip *= 2;
    }
    if (converged) {
      if (valueNext > valueA) {
        next = a;
        valueNext = valueA;
      }
      a = next;
      valueA = valueNext;
      break;
    }
    if (valueNext > valueA) {
      // A plain projected-gradient step (t = 1, Y = A) decreases ℓ by the descent lemma: failing that, ℓ
      // is at its round-off floor, and A is kept as the solution.
      if (t === 1) {
        converged = true;
        break;
      }
      // Adaptive restart: drop the momentum and restart from the last iterate.
      t = 1;
      yk = a.slice();
      eY = eA.slice();
      continue;
    }
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const beta = (t - 1) / tNext;
    const yNext = new Float64Array(dd);
    for (let k = 0; k < dd; k++) yNext[k] = next[k]! + beta * (next[k]! - a[k]!);
    for (let i = 0; i < n; i++) eY[i] = eNext[i]! + beta * (eNext[i]! - eA[i]!);
    yk = yNext;
    a = next;
    eA = eNext.slice();
    valueA = valueNext;
    t = tNext;
  }
  return { value: valueA, a: new Matrix(d, d, a), iterations, converged, lowerBound: psdLowerBound(n, d, xd, y, a, valueA, sigma) };
}

/**
 * The convexity bound on $\ell^* = \min_{A' \succeq 0}\ell(A')$ at a PSD $A$ with $\ell(A)$ = `value` (its residuals are
 * recomputed from $A$: the solver's carried residuals belong to the last trial point, not always to $A$), the larger of
 * the first-order bound below and, when `sigma` $> 0$, the strong-convexity bound of {@link solveLiftedProblem}.
 * First order:
 * $\ell(A') \ge \ell(A) - \langle G, A\rangle + \langle G, A'\rangle$ with $G = \nabla\ell(A)$, and
 * $\langle G, A'\rangle \ge \min(0, \lambda_{\min}(G))\operatorname{tr}A'$. A minimiser has $\ell(A^*) \le \ell(A)$, so
 * $\operatorname{tr}(A^* X^\top X) = \sum_i x_i^\top A^* x_i \le \sum_i y_i + N\sqrt{\ell(A)}$ and
 * $\operatorname{tr}A^* \le$ that $/\lambda_{\min}(X^\top X)$; with $\lambda_{\min}(G) < 0$ and a singular $X^\top X$ only
 * the trivial bound 0 remains. Clamped to $[0, \ell(A)]$.
 */
function psdLowerBound(n: number, d: number, xd: Float64Array, y: Float64Array, a: Float64Array, value: number, sigma: number): number {
  const e = new Float64Array(n);
  residualsKernel(n, d, xd, a, y, e);
  const g = new Float64Array(d * d);
  liftedGradientKernel(n, d, xd, e, g);
  let inner = 0;
  for (let k = 0; k < d * d; k++) inner += g[k]! * a[k]!;
  const eigenvalues = resolveKernel('eigh', certificateBackend());
  const gMin = eigenvalues(d, g, false).values[0]!;
  let bound = value - inner;
  if (gMin < 0) {
    const ones = new Float64Array(n).fill(1);
    const gram = new Float64Array(d * d);
    resolveKernel('weightedGram', certificateBackend())(n, d, xd, ones, gram);
    const gramMin = eigenvalues(d, gram, false).values[0]!;
    let sumY = 0;
    for (let i = 0; i < n; i++) sumY += y[i]!;
    const traceBound = Math.max(0, sumY + n * Math.sqrt(value)) / gramMin;
    bound = gramMin > 0 ? bound + gMin * traceBound : 0;
  }
  if (sigma > 0) bound = Math.max(bound, strongConvexityBound(d, a, g, value, (sigma * sigma) / n));
  return Math.min(value, Math.max(0, bound));
}

/**
 * $\ell(A) + \langle G, B - A\rangle + \mu\|B - A\|_F^2$ with $B = P_{\succeq 0}(A - G/(2\mu))$: the minimum over the PSD
 * cone of the quadratic lower model of a $\mu$-strongly convex $\ell$ at $A$ (see {@link solveLiftedProblem}).
 */
function strongConvexityBound(d: number, a: Float64Array, g: Float64Array, value: number, mu: number): number {
  const { inner, dist2 } = projectedStep(d, a, g, 2 * mu);
  return value + inner + mu * dist2;
}

/**
 * The projected gradient step $B = P_{\succeq 0}(Y - G/L)$ from a symmetric $Y$ (`from`), with the terms
 * $\langle G, B - Y\rangle$ and $\|B - Y\|_F^2$ of the quadratic model $\langle G, B - Y\rangle + \frac L2\|B - Y\|_F^2$,
 * which $B$ minimises over the PSD cone; the projection runs on the certificate backend.
 */
function projectedStep(d: number, from: Float64Array, g: Float64Array, lip: number): { to: Float64Array; inner: number; dist2: number } {
  const target = new Float64Array(d * d);
  for (let k = 0; k < d * d; k++) target[k] = from[k]! - g[k]! / lip;
  const to = projectPsd(new Matrix(d, d, symmetrized(d, target)), { backend: certificateBackend() }).data;
  let inner = 0;
  let dist2 = 0;
  for (let k = 0; k < d * d; k++) {
    const diff = to[k]! - from[k]!;
    inner += g[k]! * diff;
    dist2 += diff * diff;
  }
  return { to, inner, dist2 };
}

/**
 * The bound on $\ell^* = \min_Q \ell(Q)$ over all symmetric $Q$ at $Q$ with residuals `e`: $\ell(Q) - \ell^* = \frac1N\|P e\|^2$
 * with $P$ the projector onto the range of $\Phi$, and $\|Pe\| \le \|\Phi^\top e\|/\sigma_r$ with $\sigma_r$ the smallest
 * nonzero singular value of $\Phi$ (`sigma`; 0 when $\Phi = 0$), where $\|\Phi^\top e\| = \frac N2\|G\|_F$. Clamped to $[0, \ell(Q)]$.
 */
function leastSquaresLowerBound(n: number, d: number, xd: Float64Array, e: Float64Array, value: number, sigma: number): number {
  if (sigma === 0) return value;
  const g = new Float64Array(d * d);
  liftedGradientKernel(n, d, xd, e, g);
  let norm2 = 0;
  for (let k = 0; k < d * d; k++) norm2 += g[k]! * g[k]!;
  return Math.min(value, Math.max(0, value - ((n / 4) * norm2) / (sigma * sigma)));
}

function symmetrized(d: number, z: Float64Array): Float64Array {
  const s = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    s[k * d + k] = z[k * d + k]!;
    for (let l = 0; l < k; l++) {
      const v = 0.5 * (z[k * d + l]! + z[l * d + k]!);
      s[k * d + l] = v;
      s[l * d + k] = v;
    }
  }
  return s;
}
