/**
 * Hessian spectra from Hessian-vector products alone: Lanczos with full reorthogonalisation
 * (Ritz values, vectors and residuals), the extreme eigenvalues, stochastic Lanczos quadrature
 * (SLQ) for the spectral density, and Hutchinson's trace estimator.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, Rng, assertFiniteVector, eighKernel } from '@shallowscape/linalg';

/**
 * A symmetric linear operator $v \mapsto Hv$ on $\mathbb{R}^n$ (e.g. a Hessian-vector product
 * at fixed parameters): writes $Hv$ into `out` (length $n$), or returns a new array holding it.
 * It must not modify `v`.
 */
export type SymmetricOperator = (v: Float64Array, out: Float64Array) => Float64Array | void;

/** Options of {@link lanczos}. */
export interface LanczosSpectrumOptions {
  /** Number of Lanczos steps $k$, $1 \le k$ (capped at $n$; fewer when the Krylov space is invariant). */
  steps: number;
  /** Generator of the random start vector (Gaussian, normalised). Required unless `start` is given. */
  rng?: Rng;
  /** Start vector $q_1$ (length $n$, finite, nonzero; normalised). Default: a Gaussian vector from `rng`. */
  start?: Float64Array;
  /**
   * Full reorthogonalisation (default `true`): each new vector is orthogonalised twice against all
   * previous ones (classical Gram–Schmidt, repeated), which keeps the basis orthonormal to working
   * precision and prevents spurious copies of converged Ritz values. `false` runs the plain
   * three-term recurrence ($O(n)$ memory beyond the basis).
   */
  reorthogonalize?: boolean;
  /** Return the Ritz vectors $Y = Q_k S$ ($n \times k$, columns) as well (default `false`; needs the basis). */
  vectors?: boolean;
}

/** The result of {@link lanczos}. */
export interface LanczosSpectrum {
  /** The diagonal $\alpha_1, \dots, \alpha_k$ of the tridiagonal $T_k = Q_k^\top H Q_k$. */
  alpha: Float64Array;
  /**
   * The couplings $\beta_1, \dots, \beta_k$: $\beta_j$ joins $q_j$ and $q_{j+1}$ (entries $j < k$ are
   * the off-diagonal of $T_k$); the last, $\beta_k = \|r_k\|$, is the norm of the remainder in
   * $HQ_k = Q_kT_k + r_k e_k^\top$ (0 when the Krylov space is invariant).
   */
  beta: Float64Array;
  /** Ritz values $\theta_1 \le \dots \le \theta_k$: the eigenvalues of $T_k$. */
  ritzValues: Float64Array;
  /** The first components $s_{1j}$ of the unit eigenvectors of $T_k$ (the SLQ weights are their squares). */
  firstComponents: Float64Array;
  /** The residual norms $\|Hy_j - \theta_j y_j\|_2 = \beta_k |s_{kj}|$ of the Ritz pairs, in the order of `ritzValues`. */
  residuals: Float64Array;
  /** The Ritz vectors $y_j$ as the columns of an $n \times k$ matrix (only with `vectors: true`). */
  ritzVectors?: Matrix;
  /** The number of steps taken, $k$. */
  steps: number;
  /**
   * Whether the Krylov space became invariant ($\beta_k \le 10^{-12}\|T\|$, or $k = n$): the Ritz values are
   * then eigenvalues of $H$ up to the (tiny) residuals.
   */
  invariant: boolean;
  /** Whether the run stopped on the kernel's `tolerance` or on an invariant subspace. */
  converged: boolean;
}

function checkOperator(hvp: unknown, n: unknown): asserts hvp is SymmetricOperator {
  if (typeof hvp !== 'function') throw new InvalidArgumentError('hvp', hvp, 'a function (v, out) => Hv');
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('n', n, 'an integer ≥ 1');
}

function checkOptionsObject(options: unknown, expected: string): void {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', options, expected);
}

function checkInteger(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw new InvalidArgumentError(name, value, `an integer ≥ ${min}`);
  return value;
}

function checkRng(name: string, rng: unknown): Rng {
  if (!(rng instanceof Rng)) throw new InvalidArgumentError(name, rng, 'an Rng (createRng(seed))');
  return rng;
}

function dotRaw(n: number, a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

/** Applies the operator, copying a returned array into `out`, and checks the result is finite. */
function apply(hvp: SymmetricOperator, v: Float64Array, out: Float64Array): void {
  const r = hvp(v, out);
  if (r instanceof Float64Array && r !== out) {
    if (r.length !== out.length) throw new InvalidArgumentError('hvp', r, `an operator returning vectors of length ${out.length}`);
    out.set(r);
  }
  assertFiniteVector('hvp(v)', out);
}

/** Options of {@link lanczosKernel} (unchecked). */
export interface LanczosKernelOptions {
  /** Largest number of steps $k_{\max}$ ($1 \le k_{\max} \le n$). */
  maxSteps: number;
  /** Full reorthogonalisation (twice-repeated classical Gram–Schmidt against the whole basis). */
  reorthogonalize: boolean;
  /** Ritz vectors: `"none"`, `"all"` ($n \times k$), or `"extremes"` ($n \times 2$: the columns of $\theta_{\min}$ and $\theta_{\max}$). */
  vectors: 'none' | 'all' | 'extremes';
  /**
   * Early stop: once the residual $\beta_k|s_{kj}|$ of the `target` Ritz value(s) is at most
   * $\tau\max_j|\theta_j|$, tested at $k \le 10$, every 5 steps, at a breakdown and at $k_{\max}$.
   * Default: no test (run $k_{\max}$ steps unless the space becomes invariant).
   */
  tolerance?: number;
  /** Which residuals the tolerance applies to. Default `"extremes"`. */
  target?: 'min' | 'max' | 'extremes';
  /** Whether `q` was drawn at random (a breakdown then ends the run). */
  randomStart: boolean;
  /**
   * On a breakdown reached from a user start, continue from a random unit direction orthogonal to
   * the basis drawn from this generator (so a start vector missing an eigenspace does not hide it).
   * Needs `reorthogonalize`. Default: no restart.
   */
  restart?: Rng;
}

/** A unit Gaussian vector orthogonal to the basis, or null when the basis (numerically) spans the space. */
function freshDirection(n: number, basis: Float64Array[], rng: Rng): Float64Array | null {
  for (let attempt = 0; attempt < 3; attempt++) {
    const w = rng.fillNormal(new Float64Array(n));
    for (let pass = 0; pass < 2; pass++) {
      for (const v of basis) {
        const c = dotRaw(n, v, w);
        for (let i = 0; i < n; i++) w[i]! -= c * v[i]!;
      }
    }
    const norm = Math.sqrt(dotRaw(n, w, w));
    if (norm > 1e-8 * Math.sqrt(n)) {
      for (let i = 0; i < n; i++) w[i]! /= norm;
      return w;
    }
  }
  return null;
}

/**
 * The Lanczos engine behind {@link lanczos}, {@link hessianExtremeEigenvalues} and
 * {@link stochasticLanczosQuadrature} (and `@shallowscape/certificates`' `lanczosMinEigenvalue`),
 * without input validation: $q$ must be a unit vector of length $n$ (it is adopted), and
 * `options` valid. Runs $\beta_jq_{j+1} = Hq_j - \alpha_jq_j - \beta_{j-1}q_{j-1}$ up to
 * $k_{\max}$ steps, stopping early on an invariant subspace ($\beta_j \le 10^{-12}\|T_j\|_{\max}$, whose
 * true $\beta_j$ is kept so that the residuals $\beta_k|s_{kj}|$ stay honest bounds) or when the
 * target residuals meet `tolerance`. After a restart $T$ is block diagonal ($\beta = 0$ between
 * blocks); the Ritz values of earlier (invariant) blocks are eigenvalues of $H$ up to their
 * breakdown $\beta$ ($\le 10^{-12}\|T\|$), which their reported residuals omit.
 *
 * @param hvp - the operator $v \mapsto Hv$ ($H$ symmetric).
 * @param n - the dimension.
 * @param q - the unit start vector $q_1$ (adopted).
 * @param options - see {@link LanczosKernelOptions}.
 * @returns the {@link LanczosSpectrum}.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when the operator returns a NaN or infinite entry.
 * @see C. Lanczos (1950); C. C. Paige (1971).
 * @example
 * ```ts
 * const d = [4, -1, 2];
 * const hvp = (v: Float64Array, out: Float64Array) => out.map((_, i) => d[i]! * v[i]!);
 * const q = Float64Array.of(1, 1, 1).map((x) => x / Math.sqrt(3));
 * const r = lanczosKernel(hvp, 3, q, { maxSteps: 3, reorthogonalize: true, vectors: 'none', randomStart: false });
 * r.ritzValues; // => [-1.0000000000, 2.0000000000, 4.0000000000]
 * ```
 */
export function lanczosKernel(hvp: SymmetricOperator, n: number, q: Float64Array, options: LanczosKernelOptions): LanczosSpectrum {
  const { maxSteps, reorthogonalize, vectors, tolerance, restart } = options;
  const target = options.target ?? 'extremes';
  const keepBasis = reorthogonalize || vectors !== 'none' || restart !== undefined;
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let prev: Float64Array | null = null;
  let current = q;
  let w = new Float64Array(n);
  let randomBlock = options.randomStart;
  let invariant = false;
  let converged = false;
  let scale = 0; // max |α_j|, |β_j| so far: the scale of T for the breakdown test
  let eig: { values: Float64Array; vectors: Float64Array; k: number } | null = null;
  let blockStart = 0; // first step of the current Krylov block (after a restart)
  /** Eigen-decomposition of the tridiagonal block of steps [from, k). */
  const tridiagonalEigen = (from: number, k: number): { values: Float64Array; vectors: Float64Array } => {
    const m = k - from;
    const t = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      t[i * m + i] = alpha[from + i]!;
      if (i + 1 < m) {
        t[i * m + i + 1] = beta[from + i]!;
        t[(i + 1) * m + i] = beta[from + i]!;
      }
    }
    const e = eighKernel(m, t, true);
    return { values: e.values, vectors: e.vectors! };
  };
  const solve = (k: number): { values: Float64Array; vectors: Float64Array; k: number } => {
    if (eig !== null && eig.k === k) return eig;
    eig = { ...tridiagonalEigen(0, k), k };
    return eig;
  };
  for (;;) {
    if (keepBasis) basis.push(current);
    apply(hvp, current, w);
    const a = dotRaw(n, current, w);
    for (let i = 0; i < n; i++) w[i]! -= a * current[i]!;
    if (prev !== null) {
      const bPrev = beta[beta.length - 1]!;
      for (let i = 0; i < n; i++) w[i]! -= bPrev * prev[i]!;
    }
    if (reorthogonalize) {
      for (let pass = 0; pass < 2; pass++) {
        for (const v of basis) {
          const c = dotRaw(n, v, w);
          for (let i = 0; i < n; i++) w[i]! -= c * v[i]!;
        }
      }
    }
    const b = Math.sqrt(dotRaw(n, w, w));
    alpha.push(a);
    scale = Math.max(scale, Math.abs(a));
    const k = alpha.length;
    const breakdown = b <= 1e-12 * scale || k === n;
    beta.push(b);
    scale = Math.max(scale, b);
    const last = k >= maxSteps;
    // An invariant subspace reached from a user start proves nothing about the rest of the space.
    const canRestart = breakdown && restart !== undefined && !randomBlock && !last;
    if (tolerance !== undefined && !canRestart && (k <= 10 || k % 5 === 0 || breakdown || last)) {
      const e = solve(k);
      const thetaScale = Math.max(Math.abs(e.values[0]!), Math.abs(e.values[k - 1]!));
      // After a restart the earlier blocks are invariant (exact eigenvalues): the test applies to
      // the extreme Ritz values of the current block, whose residuals are β_k times their last components.
      const block = blockStart === 0 ? e : tridiagonalEigen(blockStart, k);
      const m = k - blockStart;
      const resMin = Math.abs(b * block.vectors[(m - 1) * m]!);
      const resMax = Math.abs(b * block.vectors[(m - 1) * m + m - 1]!);
      const res = target === 'min' ? resMin : target === 'max' ? resMax : Math.max(resMin, resMax);
      if (res <= tolerance * thetaScale) converged = true;
    }
    if (breakdown && !converged) {
      if (canRestart) {
        const fresh = freshDirection(n, basis, restart);
        if (fresh !== null) {
          // β = 0 decouples T: the new block starts from a random direction.
          beta[k - 1] = 0;
          prev = null;
          current = fresh;
          w = new Float64Array(n);
          randomBlock = true;
          blockStart = k;
          continue;
        }
      }
      invariant = true;
      converged = true;
    } else if (breakdown) invariant = true;
    if (converged || last) break;
    const next = prev !== null && !keepBasis ? prev : new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = w[i]! / b;
    prev = current;
    current = next;
    if (keepBasis) w = new Float64Array(n);
  }
  const k = alpha.length;
  const e = solve(k);
  const s = e.vectors;
  const betaK = beta[k - 1]!;
  const firstComponents = new Float64Array(k);
  const residuals = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    firstComponents[j] = s[j]!;
    residuals[j] = Math.abs(betaK * s[(k - 1) * k + j]!);
  }
  const result: LanczosSpectrum = {
    alpha: Float64Array.from(alpha),
    beta: Float64Array.from(beta),
    ritzValues: e.values,
    firstComponents,
    residuals,
    steps: k,
    invariant,
    converged,
  };
  if (vectors !== 'none') {
    const columns = vectors === 'all' ? Array.from({ length: k }, (_, j) => j) : [0, k - 1];
    const c = columns.length;
    const y = new Float64Array(n * c);
    for (let m = 0; m < k; m++) {
      const v = basis[m]!;
      for (let i = 0; i < n; i++) {
        const vi = v[i]!;
        const row = i * c;
        for (let j = 0; j < c; j++) y[row + j]! += vi * s[m * k + columns[j]!]!;
      }
    }
    result.ritzVectors = new Matrix(n, c, y);
  }
  return result;
}

/** The unit start vector of a run: `start` normalised, or a Gaussian draw from `rng`. */
function startVector(n: number, options: { rng?: Rng; start?: Float64Array }): Float64Array {
  const start = options.start;
  let q: Float64Array;
  if (start !== undefined) {
    if (!(start instanceof Float64Array) || start.length !== n) throw new InvalidArgumentError('options.start', start, `a Float64Array of length n = ${n}`);
    assertFiniteVector('options.start', start);
    q = start.slice();
  } else {
    if (options.rng === undefined) throw new InvalidArgumentError('options.rng', undefined, 'an Rng (createRng(seed)) when no start vector is given');
    q = checkRng('options.rng', options.rng).fillNormal(new Float64Array(n));
  }
  const norm = Math.sqrt(dotRaw(n, q, q));
  if (!(norm > 0) || !Number.isFinite(norm)) throw new InvalidArgumentError('options.start', start, 'a nonzero vector');
  for (let i = 0; i < n; i++) q[i]! /= norm;
  return q;
}

/**
 * Runs $k$ steps of the Lanczos process on a symmetric operator $H$ from a unit vector $q_1$:
 * $$\beta_j q_{j+1} = Hq_j - \alpha_j q_j - \beta_{j-1} q_{j-1}, \quad \alpha_j = q_j^\top H q_j,$$
 * giving $HQ_k = Q_kT_k + \beta_k q_{k+1}e_k^\top$ with $T_k$ tridiagonal. The Ritz values
 * $\theta_j$ are the eigenvalues of $T_k = S\Theta S^\top$, the Ritz vectors $y_j = Q_k s_j$, and
 * their residuals are $\|Hy_j - \theta_j y_j\|_2 = \beta_k |s_{kj}|$ (exact in exact arithmetic,
 * and accurate to working precision with full reorthogonalisation). By Kahan–Parlett, every
 * interval $[\theta_j - \rho_j, \theta_j + \rho_j]$ holds an eigenvalue of $H$.
 *
 * The process stops early when the Krylov space is invariant ($\beta_j \le 10^{-12}\max(|\alpha|, \beta)$;
 * the computed $\beta_j$ is kept, so the residuals remain bounds).
 * Costs $k$ products with $H$, $O(nk^2)$ for the reorthogonalisation and $O(k^3)$ for $T_k$.
 *
 * @param hvp - the operator $v \mapsto Hv$ ($H$ symmetric $n \times n$).
 * @param n - the dimension $n \ge 1$.
 * @param options - `steps` $k$, `rng` or `start`, `reorthogonalize` (default `true`), `vectors`.
 * @returns $\alpha$, $\beta$, the Ritz values (ascending), first components, residuals, optionally the Ritz vectors.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `hvp`, `n`,
 *   `options.steps`, `options.rng`, `options.start` (wrong length, zero) or `options.reorthogonalize`.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when the operator returns a NaN or infinite entry.
 * @see C. Lanczos, "An iteration method for the solution of the eigenvalue problem of linear differential and integral operators", J. Res. Nat. Bur. Standards 45 (1950).
 * @see C. C. Paige, "The computation of eigenvalues and eigenvectors of very large sparse matrices", PhD thesis, London (1971); B. N. Parlett, *The Symmetric Eigenvalue Problem* (1998), §13.
 * @example
 * ```ts
 * // H = diag(1, 2, 3, 4): four steps from a generic start recover the whole spectrum.
 * const d = [1, 2, 3, 4];
 * const hvp = (v: Float64Array, out: Float64Array) => out.map((_, i) => d[i]! * v[i]!);
 * const result = lanczos(hvp, 4, { steps: 4, start: Float64Array.of(1, 1, 1, 1) });
 * result.ritzValues; // => [1.0000000000, 2.0000000000, 3.0000000000, 4.0000000000]
 * result.alpha[0]; // => 2.5
 * Math.max(...result.residuals) < 1e-12; // => true
 * lanczos(hvp, 4, { steps: 0, start: Float64Array.of(1, 1, 1, 1) }); // throws InvalidArgumentError
 * ```
 */
export function lanczos(hvp: SymmetricOperator, n: number, options: LanczosSpectrumOptions): LanczosSpectrum {
  checkOperator(hvp, n);
  checkOptionsObject(options, 'an options object { steps, rng | start, ... }');
  const steps = Math.min(checkInteger('options.steps', options.steps, 1), n);
  const reorthogonalize = options.reorthogonalize ?? true;
  if (typeof reorthogonalize !== 'boolean') throw new InvalidArgumentError('options.reorthogonalize', reorthogonalize, 'a boolean');
  const vectors = options.vectors ?? false;
  if (typeof vectors !== 'boolean') throw new InvalidArgumentError('options.vectors', vectors, 'a boolean');
  const q = startVector(n, options);
  return lanczosKernel(hvp, n, q, { maxSteps: steps, reorthogonalize, vectors: vectors ? 'all' : 'none', randomStart: options.start === undefined });
}

/** Options of {@link hessianExtremeEigenvalues}. */
export interface ExtremeEigenvaluesOptions {
  /** Largest number of Lanczos steps $k$ (default $\min(n, 200)$). */
  maxSteps?: number;
  /**
   * Stop once both extreme residuals are at most $\tau \max_j|\theta_j|$ (checked at $k \le 10$ and every 5 steps;
   * default $\tau = 10^{-8}$).
   */
  tolerance?: number;
  /** Generator of the random start vector. Required unless `start` is given. */
  rng?: Rng;
  /** Start vector (length $n$, nonzero). */
  start?: Float64Array;
}

/** The result of {@link hessianExtremeEigenvalues}. */
export interface ExtremeEigenvalues {
  /** The smallest Ritz value $\theta_{\min}$ (an upper bound on $\lambda_{\min}(H)$ in exact arithmetic). */
  min: number;
  /** The largest Ritz value $\theta_{\max}$ (a lower bound on $\lambda_{\max}(H)$). */
  max: number;
  /** $\|Hy_{\min} - \theta_{\min}y_{\min}\|_2$: an eigenvalue of $H$ lies within it of `min`. */
  residualMin: number;
  /** $\|Hy_{\max} - \theta_{\max}y_{\max}\|_2$. */
  residualMax: number;
  /** The unit Ritz vector of `min`. */
  vectorMin: Float64Array;
  /** The unit Ritz vector of `max`. */
  vectorMax: Float64Array;
  /** Lanczos steps (products with $H$). */
  steps: number;
  /** Whether both residuals met the tolerance (or the Krylov space became invariant). */
  converged: boolean;
}

/**
 * The smallest and largest eigenvalues of a symmetric operator $H$ (a Hessian, through
 * Hessian-vector products) by Lanczos with full reorthogonalisation, with their residuals
 * $\rho = \|Hy - \theta y\|_2 = \beta_k|s_{kj}|$: $\lambda_{\min}(H) \in [\theta_{\min} - \rho_{\min}, \theta_{\min}]$
 * holds for the eigenvalue nearest $\theta_{\min}$ (Kahan–Parlett), and likewise at the top.
 * The run grows the Krylov space until $\max(\rho_{\min}, \rho_{\max}) \le \tau\max_j|\theta_j|$
 * (tested at $k \le 10$ and every 5 steps, in one Lanczos run) or `maxSteps`.
 *
 * @param hvp - the operator $v \mapsto Hv$ ($H$ symmetric $n \times n$).
 * @param n - the dimension $n \ge 1$.
 * @param options - `maxSteps`, `tolerance` $\tau$, `rng` or `start`.
 * @returns $\theta_{\min}$, $\theta_{\max}$, their residuals and Ritz vectors, the steps, and `converged`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `hvp`, `n`,
 *   `options.maxSteps`, `options.tolerance`, `options.rng` or `options.start`.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when the operator returns a NaN or infinite entry.
 * @see C. Lanczos (1950); C. C. Paige (1971); G. H. Golub and G. Meurant, *Matrices, Moments and Quadrature with Applications* (2010), ch. 4.
 * @example
 * ```ts
 * const d = [-2, 0.5, 1, 3, 7];
 * const hvp = (v: Float64Array, out: Float64Array) => out.map((_, i) => d[i]! * v[i]!);
 * const { min, max, converged } = hessianExtremeEigenvalues(hvp, 5, { rng: createRng(1) });
 * [min, max, converged]; // => [-2.0000000000, 7.0000000000, true]
 * ```
 */
export function hessianExtremeEigenvalues(hvp: SymmetricOperator, n: number, options: ExtremeEigenvaluesOptions): ExtremeEigenvalues {
  checkOperator(hvp, n);
  checkOptionsObject(options, 'an options object { rng | start, maxSteps?, tolerance? }');
  const maxSteps = Math.min(checkInteger('options.maxSteps', options.maxSteps ?? Math.min(n, 200), 1), n);
  const tolerance = options.tolerance ?? 1e-8;
  if (typeof tolerance !== 'number' || !(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new InvalidArgumentError('options.tolerance', tolerance, 'a finite number ≥ 0');
  }
  const q = startVector(n, options);
  const r = lanczosKernel(hvp, n, q, { maxSteps, reorthogonalize: true, vectors: 'extremes', tolerance, target: 'extremes', randomStart: true });
  const last = r.steps - 1;
  const y = r.ritzVectors!;
  return {
    min: r.ritzValues[0]!,
    max: r.ritzValues[last]!,
    residualMin: r.residuals[0]!,
    residualMax: r.residuals[last]!,
    vectorMin: y.column(0),
    vectorMax: y.column(1),
    steps: r.steps,
    converged: r.converged,
  };
}

/** Options of {@link stochasticLanczosQuadrature}. */
export interface StochasticLanczosQuadratureOptions {
  /** Number of random probes $n_v \ge 1$. */
  probes: number;
  /** Lanczos steps per probe $k \ge 1$ (capped at $n$). */
  steps: number;
  /** Generator of the Rademacher probes: probe $\ell$ takes the next $n$ draws `rng.rademacher()`. */
  rng: Rng;
  /** Full reorthogonalisation in each Lanczos run (default `true`). */
  reorthogonalize?: boolean;
}

/** The result of {@link stochasticLanczosQuadrature}: a spectral measure $\sum_i w_i \delta_{\theta_i}$. */
export interface SpectralQuadrature {
  /** The nodes $\theta$ (Ritz values), probe after probe. */
  nodes: Float64Array;
  /** The weights $w = \tau^2/n_v$ (each probe's weights sum to $1/n_v$; all sum to 1). */
  weights: Float64Array;
  /** Probe $\ell$'s nodes and weights are at indices `[probeOffsets[ℓ], probeOffsets[ℓ+1])`. */
  probeOffsets: Int32Array;
}

/**
 * Stochastic Lanczos quadrature: the spectral density $\phi(t) = \frac1n\sum_i \delta(t - \lambda_i)$
 * of a symmetric $H$ estimated as the measure
 * $$\hat\phi = \frac{1}{n_v}\sum_{\ell=1}^{n_v}\sum_{j=1}^{k} \tau_{\ell j}^2\,\delta_{\theta_{\ell j}},$$
 * where, for each Rademacher probe $z_\ell$, $\theta_{\ell j}$ and $\tau_{\ell j} = s_{1j}$ are the
 * Ritz values and first eigenvector components of the Lanczos tridiagonal started at
 * $z_\ell/\sqrt n$: the $k$-point Gauss quadrature of the measure $\mu_\ell = \sum_i (u_i^\top z_\ell)^2/n\ \delta_{\lambda_i}$,
 * so $\sum_j \tau_{\ell j}^2 \theta_{\ell j}^p = z_\ell^\top H^p z_\ell / n$ exactly for $p < 2k$, and
 * $\mathbb{E}\,\sum_i w_i\theta_i^p = \operatorname{tr}(H^p)/n$. Smooth it with {@link spectralDensity}.
 *
 * @param hvp - the operator $v \mapsto Hv$ ($H$ symmetric $n \times n$).
 * @param n - the dimension $n \ge 1$.
 * @param options - `probes` $n_v$, `steps` $k$, `rng`, `reorthogonalize`.
 * @returns the nodes and weights (summing to 1), with each probe's offsets.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `hvp`, `n`,
 *   `options.probes`, `options.steps`, `options.rng` or `options.reorthogonalize`.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when the operator returns a NaN or infinite entry.
 * @see S. Ubaru, J. Chen and Y. Saad, "Fast estimation of tr(f(A)) via stochastic Lanczos quadrature", SIAM J. Matrix Anal. Appl. 38 (2017) 1075–1099.
 * @see G. H. Golub and G. Meurant, *Matrices, Moments and Quadrature with Applications* (2010).
 * @example
 * ```ts
 * // H = diag(1, 1, 3, 3): every Rademacher probe gives the measure ½δ₁ + ½δ₃.
 * const d = [1, 1, 3, 3];
 * const hvp = (v: Float64Array, out: Float64Array) => out.map((_, i) => d[i]! * v[i]!);
 * const slq = stochasticLanczosQuadrature(hvp, 4, { probes: 3, steps: 4, rng: createRng(2) });
 * slq.weights.reduce((s, w) => s + w, 0); // => 1.0000000000
 * slq.nodes.reduce((s, t, i) => s + slq.weights[i]! * t, 0); // => 2.0000000000
 * ```
 */
export function stochasticLanczosQuadrature(hvp: SymmetricOperator, n: number, options: StochasticLanczosQuadratureOptions): SpectralQuadrature {
  checkOperator(hvp, n);
  checkOptionsObject(options, 'an options object { probes, steps, rng }');
  const probes = checkInteger('options.probes', options.probes, 1);
  const steps = Math.min(checkInteger('options.steps', options.steps, 1), n);
  const rng = checkRng('options.rng', options.rng);
  const reorthogonalize = options.reorthogonalize ?? true;
  if (typeof reorthogonalize !== 'boolean') throw new InvalidArgumentError('options.reorthogonalize', reorthogonalize, 'a boolean');
  const nodes: number[] = [];
  const weights: number[] = [];
  const offsets = new Int32Array(probes + 1);
  const scale = 1 / Math.sqrt(n);
  for (let l = 0; l < probes; l++) {
    const q = new Float64Array(n);
    for (let i = 0; i < n; i++) q[i] = rng.rademacher() * scale;
    const r = lanczosKernel(hvp, n, q, { maxSteps: steps, reorthogonalize, vectors: 'none', randomStart: true });
    for (let j = 0; j < r.steps; j++) {
      nodes.push(r.ritzValues[j]!);
      weights.push(r.firstComponents[j]! ** 2 / probes);
    }
    offsets[l + 1] = nodes.length;
  }
  return { nodes: Float64Array.from(nodes), weights: Float64Array.from(weights), probeOffsets: offsets };
}

/**
 * Smooths a spectral measure $\sum_i w_i\delta_{\theta_i}$ with a Gaussian kernel of bandwidth
 * $\sigma$, evaluated on a grid:
 * $$\rho(t) = \sum_i \frac{w_i}{\sigma\sqrt{2\pi}} \exp\Big(-\frac{(t - \theta_i)^2}{2\sigma^2}\Big),$$
 * a density that integrates to $\sum_i w_i$ (1 for {@link stochasticLanczosQuadrature}'s output).
 *
 * @param nodes - the nodes $\theta_i$ (finite).
 * @param weights - the weights $w_i \ge 0$ (same length as `nodes`).
 * @param grid - the points $t$ at which to evaluate $\rho$ (finite).
 * @param bandwidth - $\sigma > 0$.
 * @returns $\rho(t)$ at each grid point.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `nodes`, `weights`, `grid` or `bandwidth`.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `nodes`, `weights` or `grid` has a NaN or infinite entry.
 * @see L. Lin, Y. Saad and C. Yang, "Approximating spectral densities of large matrices", SIAM Review 58 (2016) 34–65.
 * @example
 * ```ts
 * // One unit atom at 0, σ = 1: the standard normal density.
 * spectralDensity(Float64Array.of(0), Float64Array.of(1), Float64Array.of(0, 1), 1); // => [0.3989422804, 0.2419707245]
 * ```
 */
export function spectralDensity(nodes: Float64Array, weights: Float64Array, grid: Float64Array, bandwidth: number): Float64Array {
  if (!(nodes instanceof Float64Array)) throw new InvalidArgumentError('nodes', nodes, 'a Float64Array');
  if (!(weights instanceof Float64Array) || weights.length !== nodes.length) {
    throw new InvalidArgumentError('weights', weights, `a Float64Array of length ${nodes.length} (as nodes)`);
  }
  if (!(grid instanceof Float64Array)) throw new InvalidArgumentError('grid', grid, 'a Float64Array');
  assertFiniteVector('nodes', nodes);
  assertFiniteVector('weights', weights);
  assertFiniteVector('grid', grid);
  if (weights.some((w) => w < 0)) throw new InvalidArgumentError('weights', weights, 'non-negative weights');
  if (typeof bandwidth !== 'number' || !(bandwidth > 0) || !Number.isFinite(bandwidth)) {
    throw new InvalidArgumentError('bandwidth', bandwidth, 'a positive finite number');
  }
  const out = new Float64Array(grid.length);
  const c = 1 / (bandwidth * Math.sqrt(2 * Math.PI));
  const inv = 1 / (2 * bandwidth * bandwidth);
  for (let g = 0; g < grid.length; g++) {
    const t = grid[g]!;
    let s = 0;
    for (let i = 0; i < nodes.length; i++) {
      const d = t - nodes[i]!;
      s += weights[i]! * Math.exp(-d * d * inv);
    }
    out[g] = c * s;
  }
  return out;
}

/** Options of {@link hutchinsonTrace}. */
export interface HutchinsonOptions {
  /** Number of probes $m \ge 2$. */
  probes: number;
  /** Generator of the Rademacher probes (probe $\ell$ takes the next $n$ draws `rng.rademacher()`). */
  rng: Rng;
}

/** The result of {@link hutchinsonTrace}. */
export interface TraceEstimate {
  /** $\hat t = \frac1m\sum_\ell z_\ell^\top H z_\ell$. */
  estimate: number;
  /** The standard error $s/\sqrt m$, $s^2$ the sample variance of $z_\ell^\top Hz_\ell$. */
  standardError: number;
  /** Number of probes $m$. */
  probes: number;
}

/**
 * Hutchinson's estimator of $\operatorname{tr}(H)$ from $m$ Rademacher probes $z_\ell \in \{\pm1\}^n$:
 * $$\hat t = \frac1m\sum_{\ell=1}^m z_\ell^\top H z_\ell, \qquad \mathbb{E}\,\hat t = \operatorname{tr}H,\quad
 * \operatorname{Var}\,\hat t = \frac{2}{m}\sum_{i \ne j} H_{ij}^2,$$
 * exact for diagonal $H$ (each $z^\top Hz = \sum_i H_{ii}$). The standard error is the sample
 * standard deviation over $\sqrt m$.
 *
 * @param hvp - the operator $v \mapsto Hv$ ($H$ symmetric $n \times n$).
 * @param n - the dimension $n \ge 1$.
 * @param options - `probes` $m \ge 2$ and `rng`.
 * @returns the estimate, its standard error and $m$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `hvp`, `n`, `options.probes` or `options.rng`.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when the operator returns a NaN or infinite entry.
 * @see M. F. Hutchinson, "A stochastic estimator of the trace of the influence matrix for Laplacian smoothing splines", Comm. Statist. Simulation Comput. 18 (1989) 1059–1076.
 * @example
 * ```ts
 * const d = [1, 2, 3, 4];
 * const hvp = (v: Float64Array, out: Float64Array) => out.map((_, i) => d[i]! * v[i]!);
 * const { estimate, standardError } = hutchinsonTrace(hvp, 4, { probes: 10, rng: createRng(3) });
 * [estimate, standardError]; // => [10, 0]
 * ```
 */
export function hutchinsonTrace(hvp: SymmetricOperator, n: number, options: HutchinsonOptions): TraceEstimate {
  checkOperator(hvp, n);
  checkOptionsObject(options, 'an options object { probes, rng }');
  const probes = checkInteger('options.probes', options.probes, 2);
  const rng = checkRng('options.rng', options.rng);
  const z = new Float64Array(n);
  const hz = new Float64Array(n);
  // Welford's running mean and variance.
  let mean = 0;
  let m2 = 0;
  for (let l = 0; l < probes; l++) {
    for (let i = 0; i < n; i++) z[i] = rng.rademacher();
    apply(hvp, z, hz);
    const q = dotRaw(n, z, hz);
    const delta = q - mean;
    mean += delta / (l + 1);
    m2 += delta * (q - mean);
  }
  return { estimate: mean, standardError: Math.sqrt(Math.max(0, m2) / (probes - 1) / probes), probes };
}
