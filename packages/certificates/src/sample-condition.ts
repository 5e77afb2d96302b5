/**
 * The sample condition of the mathematics guide, §1.4 (the lifted design $\Phi$ has full column rank
 * $N^* = d(d+1)/2$) and, when it fails, an explicit interpolating "bad global minimum".
 *
 * All linear algebra is float64: the singular values of $\Phi$ on the default backend when it is
 * float64 (LAPACK's `dgesdd` on the native one), else on the reference one; `svd(…, { full: true })`
 * and `eighKernel` run the reference kernels whatever the default backend is.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, ShapeError, assertFiniteNumber, checkMatrix, eighKernel, singularValues, svd } from '@shallowscape/linalg';
import { QuadraticEmpiricalRisk, quadraticPopulationRisk, teacherLabels } from '@shallowscape/model';
import { energyBarrier } from './energy-barrier';
import { certificateBackend } from './float64-backend';
import { liftedDesign, nStar, unliftSymmetric } from './lifted-design';

/** Options of {@link sampleCondition} and {@link badGlobalMinimum}. */
export interface SampleConditionOptions {
  /**
   * Absolute threshold $\tau$ on the singular values of $\Phi$: $\operatorname{rank}\Phi = \#\{s_i > \tau\}$.
   * Default $\tau = \max(N, N^*)\,\varepsilon\,\sigma_{\max}(\Phi)$ (numpy `matrix_rank`).
   */
  tolerance?: number;
}

/** Result of {@link sampleCondition}. */
export interface SampleCondition {
  /** Number of samples $N$. */
  n: number;
  /** $N^* = d(d+1)/2$. */
  nStar: number;
  /** Numerical rank of $\Phi$ ($\le \min(N, N^*)$). */
  liftRank: number;
  /** $\sigma_{\max}(\Phi)/\sigma_{\min}(\Phi)$ over the $N^*$ columns; `Infinity` when $\operatorname{rank}\Phi < N^*$. */
  liftConditionNumber: number;
  /** $\sigma_{\min}(\Phi)/\sigma_{\max}(\Phi)$ ($0$ when $N < N^*$ or $\Phi = 0$). */
  sigmaMinRatio: number;
  /** $\operatorname{rank}\Phi = N^*$: noiseless interpolation then forces $W^\top W = W^{*\top}W^*$. */
  holds: boolean;
  /** The threshold $\tau$ used for the rank. */
  tolerance: number;
}

/** Options of {@link badGlobalMinimum}. */
export interface BadGlobalMinimumOptions extends SampleConditionOptions {
  /** Width $m \ge d$ of the returned student (default: the teacher's width $m^*$). */
  width?: number;
}

/** Result of {@link badGlobalMinimum}. */
export interface BadGlobalMinimum {
  /** The student $W$ ($m \times d$), with $W^\top W$ = `gram`; rows beyond the rank are zero. */
  w: Matrix;
  /** $W^\top W = M + tB$ (rank deficient, PSD). */
  gram: Matrix;
  /** The largest $t$ with $M + tB \succeq 0$. */
  t: number;
  /** The symmetric direction $B$, $\|B\|_F = 1$, with $x_i^\top B x_i = 0$ for every sample. */
  direction: Matrix;
  /** Training risk of $W$ on the noiseless labels $y_i = \|W^* x_i\|^2$ (zero up to round-off). */
  trainingRisk: number;
  /** Population risk $L(W)$ (Gaussian inputs), at least the barrier. */
  populationRisk: number;
  /** The energy barrier $2\sigma_{\min}(W^*)^4$. */
  barrier: number;
  /** Numerical rank of `gram` ($< d$). */
  rank: number;
}

function checkOptions(options: SampleConditionOptions | undefined): number | undefined {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new InvalidArgumentError('options', options, 'an options object or undefined');
  }
  const tol = options?.tolerance;
  if (tol !== undefined) {
    assertFiniteNumber('options.tolerance', tol);
    if (tol < 0) throw new InvalidArgumentError('options.tolerance', tol, 'a finite number ≥ 0');
  }
  return tol;
}

function checkInputs(x: Matrix): Matrix {
  const m = checkMatrix('x', x);
  if (m.rows < 1) throw new InvalidArgumentError('x', m, 'at least one sample (row)');
  if (m.cols < 1) throw new InvalidArgumentError('x', m, 'at least one column (input dimension d ≥ 1)');
  return m;
}

/** The condition from the singular values of Φ (descending, length min(N, N*)). */
function conditionFromSingularValues(n: number, ns: number, s: Float64Array, tolerance: number | undefined): SampleCondition {
  const smax = s.length > 0 ? s[0]! : 0;
  const tau = tolerance ?? Math.max(n, ns) * Number.EPSILON * smax;
  let liftRank = 0;
  for (let i = 0; i < s.length; i++) if (s[i]! > tau) liftRank++;
  const holds = liftRank === ns;
  const smin = n >= ns ? s[ns - 1]! : 0;
  return {
    n,
    nStar: ns,
    liftRank,
    liftConditionNumber: holds ? smax / smin : Infinity,
    sigmaMinRatio: smax > 0 ? smin / smax : 0,
    holds,
    tolerance: tau,
  };
}

/**
 * The sample condition: whether the lifted design $\Phi$ ($N \times N^*$, rows $\varphi(x_i)$, see
 * {@link liftedDesign}) has full column rank $N^* = d(d+1)/2$, i.e. the $x_i x_i^\top$ span the symmetric
 * matrices. Under it, with noiseless labels, every interpolating $W$ has $W^\top W = W^{*\top}W^*$.
 *
 * The rank is the number of singular values $s_i$ of $\Phi$ above $\tau$; by default
 * $\tau = \max(N, N^*)\,\varepsilon\,\sigma_{\max}(\Phi)$, numpy's `matrix_rank` rule: a singular value below it
 * cannot be told from round-off in $\Phi$. A larger, user-chosen $\tau$ asks for a condition that is robust
 * to noise of that size. Also reported: $\kappa(\Phi) = \sigma_{\max}/\sigma_{\min}$ and its inverse.
 * Cost: one SVD without vectors, $O(N N^{*2})$.
 *
 * @param x - the inputs $X$, $N \times d$ ($N, d \ge 1$).
 * @param options - `tolerance` $\tau \ge 0$ (absolute).
 * @returns `{ n, nStar, liftRank, liftConditionNumber, sigmaMinRatio, holds, tolerance }`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `x` is not a Matrix, is empty, or `options.tolerance` is negative.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `x`.
 * @see Gamarnik, Kızıldağ and Zadik (the condition and $N^* = d(d+1)/2$); the mathematics guide, §1.4.
 * @example
 * ```ts
 * const x = Matrix.from([[1, 0], [0, 1], [1, 1]]); // N = N* = 3
 * sampleCondition(x).holds; // => true
 * sampleCondition(x).liftConditionNumber; // => 3.2255049
 * sampleCondition(Matrix.from([[1, 0], [0, 1]])); // => { n: 2, nStar: 3, liftRank: 2, liftConditionNumber: Infinity, sigmaMinRatio: 0, holds: false, tolerance: 6.661338e-16 }
 * ```
 */
export function sampleCondition(x: Matrix, options?: SampleConditionOptions): SampleCondition {
  return sampleConditionOf(x, options).condition;
}

/**
 * {@link sampleCondition} with the singular values of $\Phi$ it was read from (descending), for callers
 * that use them further (`certifyQuadraticNetwork`: $\sigma_{\min}$ for the lifted solve's bracket).
 * Internal: not exported from the package.
 */
export function sampleConditionOf(x: Matrix, options?: SampleConditionOptions): { condition: SampleCondition; singularValues: Float64Array } {
  const xs = checkInputs(x);
  const tolerance = checkOptions(options);
  const phi = liftedDesign(xs);
  const s = singularValues(phi, { backend: certificateBackend() });
  return { condition: conditionFromSingularValues(xs.rows, phi.cols, s, tolerance), singularValues: s };
}

/**
 * An interpolating but rank-deficient student when the sample condition fails (the mathematics guide, §1.4): take a
 * symmetric $B \ne 0$ with $\varphi(B) \in \operatorname{null}(\Phi)$ (a right singular vector of $\Phi$
 * beyond its rank, so $x_i^\top B x_i = 0$ for all $i$), $M = W^{*\top}W^*$, and the largest $t$ with
 * $M + tB \succeq 0$:
 *
 * $$t = -1/\lambda_{\min}\big(M^{-1/2} B M^{-1/2}\big)$$
 *
 * (the sign of $B$ is chosen so that this eigenvalue is negative). Then any $W$ with
 * $W^\top W = M + tB$ fits the noiseless labels exactly, has rank $< d$, and so its population risk is at
 * least the barrier $2\sigma_{\min}(W^*)^4$: a global minimum of the training risk that does not generalise.
 * $W$ is built from the eigendecomposition $M + tB = V\Lambda V^\top$ as rows $\sqrt{\lambda_j}\,v_j^\top$,
 * the eigenvalue that $t$ sends to zero set to exactly $0$.
 *
 * @param x - the inputs $X$, $N \times d$, for which the condition fails (typically $N < N^*$).
 * @param teacher - a full-rank teacher $W^*$, $m^* \times d$ with $m^* \ge d$.
 * @param options - `tolerance` for the rank of $\Phi$ (as {@link sampleCondition}); `width` $m \ge d$ of $W$ (default $m^*$).
 * @returns `{ w, gram, t, direction, trainingRisk, populationRisk, barrier, rank }`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `x` when the sample condition holds (no such
 *   minimum exists), naming `teacher` when it is not of full rank $d$, naming `options.width` when it is not an integer $\ge d$.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `x` and `teacher` have different numbers of columns.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry.
 * @see Gamarnik, Kızıldağ and Zadik (the condition is necessary); the mathematics guide, §1.4.
 * @example
 * ```ts
 * // d = 2, N = 2 < N* = 3 samples on the axes: B = [[0, 1], [1, 0]]/√2 is invisible to them.
 * const bad = badGlobalMinimum(Matrix.from([[1, 0], [0, 1]]), Matrix.identity(2));
 * bad.t; // => 1.4142135624
 * bad.gram.toArray(); // => [[1, 1], [1, 1]]
 * bad.trainingRisk < 1e-20; // => true
 * bad.populationRisk; // => 4
 * bad.barrier; // => 2
 * bad.rank; // => 1
 * ```
 */
export function badGlobalMinimum(x: Matrix, teacher: Matrix, options?: BadGlobalMinimumOptions): BadGlobalMinimum {
  const xs = checkInputs(x);
  const tolerance = checkOptions(options);
  const ts = checkMatrix('teacher', teacher);
  const d = xs.cols;
  if (ts.cols !== d) {
    throw new ShapeError(`x is ${xs.rows}×${d} and teacher is ${ts.rows}×${ts.cols}: both need the same input dimension d (columns)`, 'teacher');
  }
  const width = options?.width ?? Math.max(ts.rows, d);
  if (typeof width !== 'number' || !Number.isSafeInteger(width) || width < d) {
    throw new InvalidArgumentError('options.width', width, `an integer ≥ d = ${d}`);
  }
  const barrier = energyBarrier(ts);
  if (barrier === 0) throw new InvalidArgumentError('teacher', ts, `a teacher of full rank d = ${d}`);
  const phi = liftedDesign(xs);
  const ns = nStar(d);
  const { s, v } = svd(phi, { full: true });
  const condition = conditionFromSingularValues(xs.rows, ns, s, tolerance);
  if (condition.holds) {
    throw new InvalidArgumentError(
      'x',
      xs,
      `inputs for which the sample condition fails (N = ${xs.rows}, N* = ${ns}, rank Φ = ${condition.liftRank}): with rank Φ = N* every interpolating W is a true minimum`,
    );
  }
  // Null vector of Φ: the right singular vector of the smallest singular value (last column of V).
  const nullVector = new Float64Array(ns);
  for (let p = 0; p < ns; p++) nullVector[p] = v.data[p * ns + (ns - 1)]!;
  // Canonical sign: the entry of largest magnitude is positive.
  let big = 0;
  for (let p = 1; p < ns; p++) if (Math.abs(nullVector[p]!) > Math.abs(nullVector[big]!)) big = p;
  if (nullVector[big]! < 0) for (let p = 0; p < ns; p++) nullVector[p] = -nullVector[p]!;
  const b = unliftSymmetric(nullVector); // ‖B‖_F = ‖φ(B)‖ = 1
  // M = W*ᵀW*, M^{-1/2} by eigh.
  const m = new Float64Array(d * d);
  for (let r = 0; r < ts.rows; r++) {
    for (let k = 0; k < d; k++) {
      const a = ts.data[r * d + k]!;
      for (let l = 0; l < d; l++) m[k * d + l]! += a * ts.data[r * d + l]!;
    }
  }
  const em = eighKernel(d, m, true);
  const vm = em.vectors!;
  const invSqrt = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    for (let l = 0; l < d; l++) {
      let acc = 0;
      for (let j = 0; j < d; j++) acc += (vm[k * d + j]! * vm[l * d + j]!) / Math.sqrt(em.values[j]!);
      invSqrt[k * d + l] = acc;
    }
  }
  const c = symmetricProduct(d, invSqrt, b.data);
  const ec = eighKernel(d, c, false).values;
  let lambdaMin = ec[0]!;
  if (-ec[d - 1]! < lambdaMin) {
    // −B has the more negative eigenvalue (always the case when λ_min(C) ≥ 0).
    lambdaMin = -ec[d - 1]!;
    for (let k = 0; k < d * d; k++) b.data[k] = -b.data[k]!;
  }
  const t = -1 / lambdaMin;
  const target = new Float64Array(d * d);
  for (let k = 0; k < d * d; k++) target[k] = m[k]! + t * b.data[k]!;
  for (let k = 0; k < d; k++) {
    for (let l = 0; l < k; l++) {
      const avg = 0.5 * (target[k * d + l]! + target[l * d + k]!);
      target[k * d + l] = avg;
      target[l * d + k] = avg;
    }
  }
  const eg = eighKernel(d, target, true);
  const lam = eg.values;
  const vg = eg.vectors!;
  lam[0] = 0; // the eigenvalue t drives to zero (round-off aside)
  const w = new Matrix(width, d);
  for (let j = 0; j < d; j++) {
    const root = Math.sqrt(Math.max(0, lam[d - 1 - j]!));
    for (let k = 0; k < d; k++) w.data[j * d + k] = root * vg[k * d + (d - 1 - j)]!;
  }
  const gram = new Matrix(d, d);
  for (let j = 0; j < width; j++) {
    for (let k = 0; k < d; k++) {
      const a = w.data[j * d + k]!;
      if (a === 0) continue;
      for (let l = 0; l < d; l++) gram.data[k * d + l]! += a * w.data[j * d + l]!;
    }
  }
  const lamMax = Math.max(0, lam[d - 1]!);
  let rank = 0;
  for (let j = 0; j < d; j++) if (lam[j]! > d * Number.EPSILON * lamMax) rank++;
  const y = teacherLabels(xs, ts);
  const trainingRisk = new QuadraticEmpiricalRisk(xs, y, width, { backend: certificateBackend() }).risk(w);
  const populationRisk = quadraticPopulationRisk(w, ts);
  return { w, gram, t, direction: b, trainingRisk, populationRisk, barrier, rank };
}

/** P B P for symmetric P (d×d), exactly symmetrised. */
function symmetricProduct(d: number, p: Float64Array, b: Float64Array): Float64Array {
  const pb = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const a = p[i * d + k]!;
      for (let j = 0; j < d; j++) pb[i * d + j]! += a * b[k * d + j]!;
    }
  }
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let acc = 0;
      for (let k = 0; k < d; k++) acc += pb[i * d + k]! * p[k * d + j]!;
      out[i * d + j] = acc;
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      const avg = 0.5 * (out[i * d + j]! + out[j * d + i]!);
      out[i * d + j] = avg;
      out[j * d + i] = avg;
    }
  }
  return out;
}
