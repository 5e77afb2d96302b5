/**
 * The Pal–Walker–Kahan root-free variant of the implicit QL/QR iteration: eigenvalues alone of a
 * symmetric tridiagonal matrix, without a square root in the inner loop. Internal, unchecked.
 *
 * @packageDocumentation
 */
import { ConvergenceError } from '../errors';
import { symmetricTwoByTwo } from './tridiagonal-ql';

const EPS = Number.EPSILON;
const EPS2 = EPS * EPS;
/** Iteration budget per eigenvalue, as LAPACK's `dsterf` (MAXIT = 30). */
const MAX_ITERATIONS_PER_VALUE = 30;
/** Blocks whose largest entry lies outside [2^-480, 2^480] are scaled by a power of two (exact) so that the squares neither overflow nor underflow. */
const SCALE_HIGH = 2 ** 480;
const SCALE_LOW = 2 ** -480;

/**
 * Eigenvalues of the symmetric tridiagonal $T = \operatorname{tridiag}(e, d, e)$ by the
 * Pal–Walker–Kahan implicit QL or QR iteration with Wilkinson-type shifts (LAPACK `dsterf`):
 * the iteration works on $e_i^2$, so each step of a sweep costs two divisions and no square root
 * (against a square root and two divisions for {@link implicitQl}). Unchecked kernel.
 *
 * $T$ is split where $e_i^2 \le \varepsilon^2 |d_i d_{i+1}|$ (and at
 * $|e_i| \le \varepsilon\sqrt{|d_i|}\sqrt{|d_{i+1}|}$ between blocks); each unreduced block is
 * scaled by a power of two when its largest entry is huge or tiny, and iterated as QL when its
 * last diagonal entry is the larger in magnitude, as QR otherwise (so that the small eigenvalues
 * converge first at the end where they sit). $2 \times 2$ blocks are solved directly
 * (`dlae2`). The eigenvalues have a normwise backward error of a few $\varepsilon\|T\|$.
 *
 * @param m - order of T.
 * @param d - diagonal (length m), overwritten with the eigenvalues, ascending.
 * @param e - off-diagonal (length ≥ m − 1), destroyed.
 * @throws {@link ConvergenceError} if more than 30·m iterations are needed in total.
 * @see LAPACK `dsterf`; Parlett, The Symmetric Eigenvalue Problem (1998), §8.15.
 */
export function rootFreeQl(m: number, d: Float64Array, e: Float64Array): void {
  if (m <= 1) return;
  const maxIterations = MAX_ITERATIONS_PER_VALUE * m;
  let iterations = 0;
  let l1 = 0;
  while (l1 < m) {
    if (l1 > 0) e[l1 - 1] = 0;
    // The unreduced block [l1, end].
    let end = l1;
    for (; end < m - 1; end++) {
      const ae = Math.abs(e[end]!);
      if (ae === 0 || ae <= Math.sqrt(Math.abs(d[end]!)) * Math.sqrt(Math.abs(d[end + 1]!)) * EPS) {
        e[end] = 0;
        break;
      }
    }
    const lsv = l1;
    const lendsv = end;
    l1 = end + 1;
    if (end === lsv) continue;
    let norm = 0;
    for (let i = lsv; i <= lendsv; i++) norm = Math.max(norm, Math.abs(d[i]!));
    for (let i = lsv; i < lendsv; i++) norm = Math.max(norm, Math.abs(e[i]!));
    if (norm === 0) continue;
    let scale = 1;
    if (norm > SCALE_HIGH || norm < SCALE_LOW) scale = 2 ** -Math.round(Math.log2(norm));
    if (scale !== 1) {
      for (let i = lsv; i <= lendsv; i++) d[i] = d[i]! * scale;
      for (let i = lsv; i < lendsv; i++) e[i] = e[i]! * scale;
    }
    for (let i = lsv; i < lendsv; i++) e[i] = e[i]! * e[i]!;
    let l = lsv;
    let lend = lendsv;
    if (Math.abs(d[lend]!) < Math.abs(d[l]!)) {
      l = lendsv;
      lend = lsv;
    }
    if (lend >= l) {
      iterations = qlSweeps(d, e, l, lend, iterations, maxIterations);
    } else {
      iterations = qrSweeps(d, e, l, lend, iterations, maxIterations);
    }
    if (scale !== 1) for (let i = lsv; i <= lendsv; i++) d[i] = d[i]! / scale;
  }
  d.subarray(0, m).sort();
}

/** QL sweeps on the block [l, lend] (l ≤ lend) of d and the squared off-diagonals e2, until every eigenvalue of it has converged; returns the updated iteration count. */
function qlSweeps(d: Float64Array, e2: Float64Array, l: number, lend: number, iterations: number, maxIterations: number): number {
  while (l <= lend) {
    let m = l;
    for (; m < lend; m++) if (Math.abs(e2[m]!) <= EPS2 * Math.abs(d[m]! * d[m + 1]!)) break;
    if (m < lend) e2[m] = 0;
    let p = d[l]!;
    if (m === l) {
      d[l] = p;
      l++;
      continue;
    }
    if (m === l + 1) {
      const [rt1, rt2] = symmetricTwoByTwo(d[l]!, Math.sqrt(e2[l]!), d[l + 1]!);
      d[l] = rt1;
      d[l + 1] = rt2;
      e2[l] = 0;
      l += 2;
      continue;
    }
    if (iterations >= maxIterations) throw new ConvergenceError(`root-free QL: no convergence for the eigenvalues of a tridiagonal block [${l}, ${lend}]`);
    iterations++;
    const rte = Math.sqrt(e2[l]!);
    let sigma = (d[l + 1]! - p) / (2 * rte);
    const r = Math.hypot(sigma, 1);
    sigma = p - rte / (sigma + (sigma >= 0 ? r : -r));
    let c = 1;
    let s = 0;
    let gamma = d[m]! - sigma;
    p = gamma * gamma;
    for (let i = m - 1; i >= l; i--) {
      const bb = e2[i]!;
      const rr = p + bb;
      if (i !== m - 1) e2[i + 1] = s * rr;
      const oldc = c;
      c = p / rr;
      s = bb / rr;
      const oldgam = gamma;
      const alpha = d[i]!;
      gamma = c * (alpha - sigma) - s * oldgam;
      d[i + 1] = oldgam + (alpha - gamma);
      p = c !== 0 ? (gamma * gamma) / c : oldc * bb;
    }
    e2[l] = s * p;
    d[l] = sigma + gamma;
  }
  return iterations;
}

/** QR sweeps on the block [lend, l] (l ≥ lend), the mirror of {@link qlSweeps}. */
function qrSweeps(d: Float64Array, e2: Float64Array, l: number, lend: number, iterations: number, maxIterations: number): number {
  while (l >= lend) {
    let m = l;
    for (; m > lend; m--) if (Math.abs(e2[m - 1]!) <= EPS2 * Math.abs(d[m]! * d[m - 1]!)) break;
    if (m > lend) e2[m - 1] = 0;
    let p = d[l]!;
    if (m === l) {
      d[l] = p;
      l--;
      continue;
    }
    if (m === l - 1) {
      const [rt1, rt2] = symmetricTwoByTwo(d[l]!, Math.sqrt(e2[l - 1]!), d[l - 1]!);
      d[l] = rt1;
      d[l - 1] = rt2;
      e2[l - 1] = 0;
      l -= 2;
      continue;
    }
    if (iterations >= maxIterations) throw new ConvergenceError(`root-free QR: no convergence for the eigenvalues of a tridiagonal block [${lend}, ${l}]`);
    iterations++;
    const rte = Math.sqrt(e2[l - 1]!);
    let sigma = (d[l - 1]! - p) / (2 * rte);
    const r = Math.hypot(sigma, 1);
    sigma = p - rte / (sigma + (sigma >= 0 ? r : -r));
    let c = 1;
    let s = 0;
    let gamma = d[m]! - sigma;
    p = gamma * gamma;
    for (let i = m; i < l; i++) {
      const bb = e2[i]!;
      const rr = p + bb;
      if (i !== m) e2[i - 1] = s * rr;
      const oldc = c;
      c = p / rr;
      s = bb / rr;
      const oldgam = gamma;
      const alpha = d[i + 1]!;
      gamma = c * (alpha - sigma) - s * oldgam;
      d[i] = oldgam + (alpha - gamma);
      p = c !== 0 ? (gamma * gamma) / c : oldc * bb;
    }
    e2[l - 1] = s * p;
    d[l] = sigma + gamma;
  }
  return iterations;
}
