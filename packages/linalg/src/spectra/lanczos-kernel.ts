/**
 * The Lanczos engine on a symmetric operator: the three-term recurrence with optional full
 * reorthogonalisation, early stops on an invariant subspace or on the residuals of the target
 * Ritz values, and restarts from a random direction orthogonal to the basis. The checked
 * estimators ({@link lanczos}, {@link hessianExtremeEigenvalues}, {@link @shallowscape/linalg!lanczosMinEigenvalue | lanczosMinEigenvalue},
 * {@link stochasticLanczosQuadrature}) all run it.
 *
 * @packageDocumentation
 */
import { eighKernel } from '../decompositions/eigh-kernel';
import { throwIfAborted } from '../errors';
import { dotKernel } from '../kernels/blas1-kernels';
import { Matrix } from '../matrix';
import type { Rng } from '../rng';
import { applyOperator, type SymmetricOperator } from './symmetric-operator';

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
   * When the block started from a user vector ends (a breakdown, or its target residuals meet
   * `tolerance`), continue with a new block from a random unit direction orthogonal to the basis,
   * drawn from this generator, and stop only when that random block ends: a start vector that
   * misses an eigenvector (so that its whole Krylov space does) cannot hide it. The new block runs
   * Lanczos on the compression $P_\perp HP_\perp$ of $H$ to the complement of the basis; its Ritz
   * values are still Rayleigh quotients of $H$ (upper bounds on $\lambda_{\min}$), and an eigenvector
   * of $H$ orthogonal to the first block is one of the compression. Needs `reorthogonalize`.
   * Default: no restart.
   */
  restart?: Rng;
  /** Polled before every step: once aborted, the run throws {@link @shallowscape/linalg!AbortedError | AbortedError}. */
  signal?: AbortSignal;
}

/** A unit Gaussian vector orthogonal to the basis, or null when the basis (numerically) spans the space. */
function freshDirection(n: number, basis: Float64Array[], rng: Rng): Float64Array | null {
  for (let attempt = 0; attempt < 3; attempt++) {
    const w = rng.fillNormal(new Float64Array(n));
    for (let pass = 0; pass < 2; pass++) {
      for (const v of basis) {
        const c = dotKernel(n, v, w);
        for (let i = 0; i < n; i++) w[i]! -= c * v[i]!;
      }
    }
    const norm = Math.sqrt(dotKernel(n, w, w));
    if (norm > 1e-8 * Math.sqrt(n)) {
      for (let i = 0; i < n; i++) w[i]! /= norm;
      return w;
    }
  }
  return null;
}

/**
 * The Lanczos engine behind {@link lanczos}, {@link hessianExtremeEigenvalues},
 * {@link @shallowscape/linalg!lanczosMinEigenvalue | lanczosMinEigenvalue} and {@link stochasticLanczosQuadrature}, without input
 * validation: $q$ must be a unit vector of length $n$ (it is adopted), and `options` valid. Runs $\beta_jq_{j+1} = Hq_j - \alpha_jq_j - \beta_{j-1}q_{j-1}$ up to
 * $k_{\max}$ steps, stopping early on an invariant subspace ($\beta_j \le 10^{-12}\|T_j\|_{\max}$, whose
 * true $\beta_j$ is kept so that the residuals $\beta_k|s_{kj}|$ stay honest bounds) or when the
 * target residuals meet `tolerance`. After a restart (option `restart`) $T$ is block diagonal
 * ($\beta = 0$ between blocks, the blocks' own Rayleigh–Ritz problems): the residual reported for
 * a Ritz pair is $\sum_b \beta^{(b)}|s_{k_b j}|$ over the blocks $b$ ending at step $k_b$ with
 * coupling $\beta^{(b)}$, which omits only the coupling of a later block to the first block's
 * remainder (recompute $\|Hy - \theta y\|$ when it matters, as {@link @shallowscape/linalg!lanczosMinEigenvalue | lanczosMinEigenvalue} does).
 *
 * @param hvp - the operator $v \mapsto Hv$ ($H$ symmetric).
 * @param n - the dimension.
 * @param q - the unit start vector $q_1$ (adopted).
 * @param options - see {@link LanczosKernelOptions}.
 * @returns the {@link LanczosSpectrum}.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when the operator returns a NaN or infinite entry.
 * @throws {@link @shallowscape/linalg!AbortedError | AbortedError} when `options.signal` is aborted (polled before every step).
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
  const { maxSteps, reorthogonalize, vectors, tolerance, restart, signal } = options;
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
  const blockEnds: Array<{ end: number; beta: number }> = []; // earlier blocks: last step + 1, coupling β
  let blocksInvariant = true; // every earlier block ended on a breakdown
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
    throwIfAborted(signal, 'Lanczos');
    if (keepBasis) basis.push(current);
    applyOperator(hvp, current, w);
    const a = dotKernel(n, current, w);
    for (let i = 0; i < n; i++) w[i]! -= a * current[i]!;
    if (prev !== null) {
      const bPrev = beta[beta.length - 1]!;
      for (let i = 0; i < n; i++) w[i]! -= bPrev * prev[i]!;
    }
    if (reorthogonalize) {
      for (let pass = 0; pass < 2; pass++) {
        for (const v of basis) {
          const c = dotKernel(n, v, w);
          for (let i = 0; i < n; i++) w[i]! -= c * v[i]!;
        }
      }
    }
    const b = Math.sqrt(dotKernel(n, w, w));
    alpha.push(a);
    scale = Math.max(scale, Math.abs(a));
    const k = alpha.length;
    const breakdown = b <= 1e-12 * scale || k === n;
    beta.push(b);
    scale = Math.max(scale, b);
    const last = k >= maxSteps;
    // A block from a user start proves nothing about the directions its Krylov space misses.
    const userBlock = restart !== undefined && !randomBlock;
    let blockConverged = false;
    if (tolerance !== undefined && !(breakdown && userBlock && !last) && (k <= 10 || k % 5 === 0 || breakdown || last)) {
      const e = solve(k);
      const thetaScale = Math.max(Math.abs(e.values[0]!), Math.abs(e.values[k - 1]!));
      // After a restart the test applies to the extreme Ritz values of the current block, whose
      // residuals are β_k times their last components.
      const block = blockStart === 0 ? e : tridiagonalEigen(blockStart, k);
      const m = k - blockStart;
      const resMin = Math.abs(b * block.vectors[(m - 1) * m]!);
      const resMax = Math.abs(b * block.vectors[(m - 1) * m + m - 1]!);
      const res = target === 'min' ? resMin : target === 'max' ? resMax : Math.max(resMin, resMax);
      if (res <= tolerance * thetaScale) blockConverged = true;
    }
    if (userBlock && (breakdown || blockConverged)) {
      if (!last) {
        const fresh = freshDirection(n, basis, restart);
        if (fresh !== null) {
          // β = 0 decouples T: the new block starts from a random direction.
          blockEnds.push({ end: k, beta: b });
          blocksInvariant &&= breakdown;
          beta[k - 1] = 0;
          prev = null;
          current = fresh;
          w = new Float64Array(n);
          randomBlock = true;
          blockStart = k;
          continue;
        }
        // The basis spans the space: nothing is left to hide an eigenvector.
        converged = true;
      }
      // At the last step an unchecked user block is not reported as converged (unless invariant).
      if (breakdown) converged = true;
      invariant = breakdown && blocksInvariant;
      break;
    }
    if (breakdown) {
      invariant = blocksInvariant;
      converged = true;
    } else if (blockConverged) converged = true;
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
  const ends = [...blockEnds, { end: k, beta: beta[k - 1]! }];
  const firstComponents = new Float64Array(k);
  const residuals = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    firstComponents[j] = s[j]!;
    let res = Math.abs(ends[0]!.beta * s[(ends[0]!.end - 1) * k + j]!);
    for (let b = 1; b < ends.length; b++) res += Math.abs(ends[b]!.beta * s[(ends[b]!.end - 1) * k + j]!);
    residuals[j] = res;
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
