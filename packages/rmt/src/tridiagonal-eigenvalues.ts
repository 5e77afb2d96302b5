/**
 * Eigenvalues of a symmetric tridiagonal matrix by the implicit QL method with Wilkinson shifts,
 * the kernel behind the fast tridiagonal (Dumitriu–Edelman) spectra. Internal, unchecked: not
 * exported from the package index.
 *
 * @packageDocumentation
 */
import { ConvergenceError } from '@shallowscape/linalg';

const EPS = Number.EPSILON;
const SAFE_MIN = 2 ** -1022;
/** Iteration budget per eigenvalue, as LAPACK's `dsteqr` (MAXIT = 30). */
const MAX_ITERATIONS_PER_VALUE = 30;

/** $\sqrt{a^2 + b^2}$ without overflow or underflow of the squares. */
function hypot2(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  const big = x > y ? x : y;
  if (big === 0) return 0;
  const small = x > y ? y : x;
  const t = small / big;
  return big * Math.sqrt(1 + t * t);
}

/**
 * Eigenvalues, ascending, of $T = \operatorname{tridiag}(e, d, e)$ (EISPACK `imtql1`, Numerical
 * Recipes `tqli` without vectors), $O(n^2)$ flops. An off-diagonal is negligible when
 * $|e_i| \le \varepsilon(|d_i| + |d_{i+1}|)$, so the eigenvalues have a normwise backward error of
 * a few $\varepsilon\|T\|$.
 *
 * @param diagonal - $d$, length n (not modified).
 * @param offDiagonal - $e$, length at least n − 1: $e_i = T_{i,i+1}$ (not modified).
 * @returns the n eigenvalues, ascending.
 * @throws {@link @shallowscape/linalg!ConvergenceError | ConvergenceError} after more than 30·n QL sweeps.
 * @see Bowdler, Martin, Reinsch & Wilkinson, "The QR and QL algorithms for symmetric matrices",
 *   Numer. Math. 11 (1968).
 */
export function tridiagonalEigenvalues(diagonal: Float64Array, offDiagonal: Float64Array): Float64Array {
  const n = diagonal.length;
  const d = Float64Array.from(diagonal);
  if (n <= 1) return d;
  const e = new Float64Array(n);
  e.set(offDiagonal.subarray(0, n - 1));
  let budget = MAX_ITERATIONS_PER_VALUE * n;
  for (let l = 0; l < n; l++) {
    for (;;) {
      let end = l;
      for (; end < n - 1; end++) {
        const ae = Math.abs(e[end]!);
        if (ae <= EPS * (Math.abs(d[end]!) + Math.abs(d[end + 1]!)) || ae < SAFE_MIN) {
          e[end] = 0;
          break;
        }
      }
      if (end === l) break;
      if (budget-- <= 0) {
        throw new ConvergenceError(`implicit QL: no convergence for eigenvalue ${l} of a tridiagonal matrix of order ${n}`);
      }
      // Wilkinson shift from the leading 2 × 2 block.
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = hypot2(g, 1);
      g = d[end]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let underflow = false;
      for (let i = end - 1; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = hypot2(f, g);
        e[i + 1] = r;
        if (r === 0) {
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
      }
      if (underflow) continue;
      d[l] = d[l]! - p;
      e[l] = g;
      e[end] = 0;
    }
  }
  return d.sort();
}
