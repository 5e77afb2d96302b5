/**
 * Implicit QL iteration with Wilkinson shifts for a symmetric tridiagonal matrix: eigenvalues
 * alone in $O(n^2)$, or eigenvalues and eigenvectors for the small blocks of the
 * divide-and-conquer solver. Internal, unchecked.
 *
 * @packageDocumentation
 */
import { ConvergenceError } from '../errors';
import { safeHypot } from './tridiagonal';

const EPS = Number.EPSILON;
const SAFE_MIN = 2 ** -1022;
/** Iteration budget per eigenvalue, as LAPACK's `dsteqr` (MAXIT = 30). */
const MAX_ITERATIONS_PER_VALUE = 30;

/**
 * Eigenvalues (and optionally eigenvectors) of the symmetric tridiagonal matrix
 * $T = \operatorname{tridiag}(e, d, e)$ by the implicit QL method with Wilkinson shifts
 * (EISPACK `imtql2`). Unchecked kernel.
 *
 * `d` (length m) is overwritten with the eigenvalues, unsorted; `e` (length ≥ m: $e_i$ couples
 * $i$ and $i+1$ for $i < m-1$, entry $m-1$ is scratch) is destroyed. When `zt` is given, each Givens rotation is applied to
 * two contiguous rows of `zt` (m × ldz row-major, rows = vectors), so on entry `zt` holds a basis
 * $X^\top$ and on exit $(X S)^\top$ where $T = S \Lambda S^\top$: row $i$ is the eigenvector of
 * `d[i]` (transposed storage keeps every rotation on contiguous memory).
 *
 * An off-diagonal $e_i$ is negligible when $|e_i| \le \varepsilon (|d_i| + |d_{i+1}|)$, which
 * gives eigenvalues with a normwise backward error of a few $\varepsilon \|T\|$.
 *
 * @param m - order of T.
 * @param d - diagonal (length m), overwritten with the eigenvalues.
 * @param e - off-diagonal (length ≥ m, last entry scratch), destroyed.
 * @param zt - optional m × ldz row-major rows to rotate.
 * @param ldz - row stride and row length of `zt`.
 * @throws {@link ConvergenceError} if more than 30·m iterations are needed in total.
 * @see Bowdler, Martin, Reinsch & Wilkinson, "The QR and QL algorithms for symmetric matrices",
 *   Numer. Math. 11 (1968); Numerical Recipes `tqli`.
 */
export function implicitQl(m: number, d: Float64Array, e: Float64Array, zt: Float64Array | null, ldz = m): void {
  if (m <= 1) return;
  e[m - 1] = 0;
  let budget = MAX_ITERATIONS_PER_VALUE * m;
  for (let l = 0; l < m; l++) {
    for (;;) {
      let end = l;
      for (; end < m - 1; end++) {
        const dd = Math.abs(d[end]!) + Math.abs(d[end + 1]!);
        const ae = Math.abs(e[end]!);
        if (ae <= EPS * dd || ae < SAFE_MIN) {
          e[end] = 0;
          break;
        }
      }
      if (end === l) break;
      if (end === l + 1) {
        // A 2 × 2 block is diagonalised directly (LAPACK dlaev2), exactly where possible.
        const [rt1, rt2, c, s] = symmetricTwoByTwo(d[l]!, e[l]!, d[l + 1]!);
        if (zt !== null) {
          const ri = l * ldz;
          const rj = ri + ldz;
          for (let k = 0; k < ldz; k++) {
            const zi = zt[ri + k]!;
            const zj = zt[rj + k]!;
            zt[ri + k] = c * zi + s * zj;
            zt[rj + k] = c * zj - s * zi;
          }
        }
        d[l] = rt1;
        d[l + 1] = rt2;
        e[l] = 0;
        break;
      }
      if (budget-- <= 0) {
        throw new ConvergenceError(`implicit QL: no convergence for eigenvalue ${l} of a tridiagonal matrix of order ${m}`);
      }
      // Wilkinson shift from the leading 2 × 2 block.
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = safeHypot(g, 1);
      g = d[end]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = end - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = safeHypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Recover from underflow: deflate and restart.
          d[i + 1] = d[i + 1]! - p;
          e[end] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (zt !== null) {
          const ri = i * ldz;
          const rj = ri + ldz;
          for (let k = 0; k < ldz; k++) {
            const zi = zt[ri + k]!;
            const zj = zt[rj + k]!;
            zt[rj + k] = s * zi + c * zj;
            zt[ri + k] = c * zi - s * zj;
          }
        }
      }
      if (underflow) continue;
      d[l] = d[l]! - p;
      e[l] = g;
      e[end] = 0;
    }
  }
}

/**
 * Eigen-decomposition of $\begin{pmatrix} a & b \\ b & c \end{pmatrix}$ (LAPACK `dlaev2`):
 * returns $[\lambda_1, \lambda_2, \cos\theta, \sin\theta]$ with $|\lambda_1| \ge |\lambda_2|$ and
 * $(\cos\theta, \sin\theta)$ the unit eigenvector of $\lambda_1$. $\lambda_1$ is accurate to
 * a few ulps and $\lambda_2$ to a few ulps of $|\lambda_1|$.
 */
export function symmetricTwoByTwo(a: number, b: number, c: number): [number, number, number, number] {
  const sm = a + c;
  const df = a - c;
  const adf = Math.abs(df);
  const tb = b + b;
  const ab = Math.abs(tb);
  const [acmx, acmn] = Math.abs(a) > Math.abs(c) ? [a, c] : [c, a];
  let rt: number;
  if (adf > ab) rt = adf * Math.sqrt(1 + (ab / adf) ** 2);
  else if (adf < ab) rt = ab * Math.sqrt(1 + (adf / ab) ** 2);
  else rt = ab * Math.SQRT2;
  let rt1: number;
  let rt2: number;
  let sgn1: number;
  if (sm < 0) {
    rt1 = 0.5 * (sm - rt);
    sgn1 = -1;
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else if (sm > 0) {
    rt1 = 0.5 * (sm + rt);
    sgn1 = 1;
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else {
    rt1 = 0.5 * rt;
    rt2 = -0.5 * rt;
    sgn1 = 1;
  }
  let sgn2: number;
  let cs: number;
  if (df >= 0) {
    cs = df + rt;
    sgn2 = 1;
  } else {
    cs = df - rt;
    sgn2 = -1;
  }
  let cs1: number;
  let sn1: number;
  if (Math.abs(cs) > ab) {
    const ct = -tb / cs;
    sn1 = 1 / Math.sqrt(1 + ct * ct);
    cs1 = ct * sn1;
  } else if (ab === 0) {
    cs1 = 1;
    sn1 = 0;
  } else {
    const tn = -cs / tb;
    cs1 = 1 / Math.sqrt(1 + tn * tn);
    sn1 = tn * cs1;
  }
  if (sgn1 === sgn2) {
    const tn = cs1;
    cs1 = -sn1;
    sn1 = tn;
  }
  return [rt1, rt2, cs1, sn1];
}
