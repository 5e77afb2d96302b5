/**
 * Roots of the secular equation of a rank-one modification of a diagonal matrix, the core of the
 * divide-and-conquer symmetric eigensolver. Internal, unchecked.
 *
 * @packageDocumentation
 */
import { ConvergenceError } from '../errors';

const EPS = Number.EPSILON;
const MAX_ITERATIONS = 200;

/**
 * Eigenvalues of $D + \rho z z^\top$, $D = \operatorname{diag}(d)$, as the roots of the secular
 * equation
 * $$ g(\lambda) = \frac{1}{\rho} + \sum_{i} \frac{z_i^2}{d_i - \lambda} = 0 $$
 * (unchecked kernel, the role of LAPACK `dlaed4`).
 *
 * Requires $d_0 < d_1 < \dots < d_{k-1}$, every $z_i \ne 0$ and $\rho > 0$ (what deflation
 * guarantees). Root $j$ lies in $(d_j, d_{j+1})$, the last one in
 * $(d_{k-1}, d_{k-1} + \rho\, z^\top z]$. Each root is found relative to the nearer pole
 * $d_o$, $\lambda_j = d_o + \tau$, so that the differences
 * $\delta_{ij} = d_i - \lambda_j = (d_i - d_o) - \tau$ are accurate to a few ulps; the
 * eigenvectors are built from them (Gu–Eisenstat). The iteration fits each side of the pole pair
 * by a one-pole rational model matching value and slope (Li's "middle way"), safeguarded by a
 * bracket and bisection, and stops when $|g| \le \varepsilon$ times a bound on the rounding
 * error of evaluating $g$.
 *
 * @param k - number of poles, ≥ 2.
 * @param d - poles $d$ (length k), strictly increasing.
 * @param z - weights $z$ (length k), non-zero.
 * @param rho - $\rho > 0$.
 * @param lambda - output: the k roots, ascending.
 * @param delta - output, k × k row-major: `delta[i·k + j]` $= d_i - \lambda_j$.
 * @throws {@link ConvergenceError} if a root is not found in 200 iterations (not expected).
 * @see Li, "Solving secular equations stably and efficiently", LAPACK Working Note 89 (1993);
 *   Gu & Eisenstat, SIAM J. Matrix Anal. Appl. 16 (1995).
 */
export function solveSecularEquation(
  k: number,
  d: Float64Array,
  z: Float64Array,
  rho: number,
  lambda: Float64Array,
  delta: Float64Array,
): void {
  secularRoots(
    k,
    z,
    rho,
    (origin, shifted) => {
      const dOrigin = d[origin]!;
      for (let i = 0; i < k; i++) shifted[i] = d[i]! - dOrigin;
    },
    (j, origin, tau, shifted) => {
      lambda[j] = d[origin]! + tau;
      for (let i = 0; i < k; i++) delta[i * k + j] = shifted[i]! - tau;
    },
  );
}

/**
 * Singular values of the $k \times k$ matrix $M$ whose first row is $z^\top$ and whose other
 * rows are $d_i e_i^\top$ ($i \ge 1$), with $d_0 = 0$: the roots $\sigma_j$ of
 * $$ f(\sigma) = 1 + \sum_i \frac{z_i^2}{d_i^2 - \sigma^2} = 0 $$
 * (unchecked kernel, the role of LAPACK `dlasd4`), that is the square roots of the eigenvalues of
 * $D^2 + z z^\top$. The iteration of {@link solveSecularEquation} runs on $\tau = \sigma^2 - d_o^2$
 * relative to the nearer pole $d_o$, with the pole gaps formed as
 * $d_i^2 - d_o^2 = (d_i - d_o)(d_i + d_o)$ and the root returned as
 * $\sigma = d_o + \tau / (d_o + \sqrt{d_o^2 + \tau})$, so that small singular values keep
 * their relative accuracy and the differences $d_i^2 - \sigma_j^2$ are accurate to a few ulps.
 *
 * Requires $0 = d_0 < d_1 < \dots < d_{k-1}$ and every $z_i \ne 0$, with poles and weights
 * scaled so that the largest is about 1 and none below about $10^{-60}$ (squares of the roots must
 * not underflow): what the scaling and deflation of the bidiagonal divide and conquer guarantee.
 * Root $j$ lies in $(d_j, d_{j+1})$, the last one in $(d_{k-1}, \sqrt{d_{k-1}^2 + z^\top z}]$.
 *
 * @param k - number of poles, ≥ 2.
 * @param d - poles (length k), $d_0 = 0$, strictly increasing.
 * @param z - weights (length k), non-zero.
 * @param sigma - output: the k singular values, ascending.
 * @param delta2 - output, k × k row-major: `delta2[i·k + j]` $= d_i^2 - \sigma_j^2$.
 * @throws {@link ConvergenceError} if a root is not found in 200 iterations (not expected).
 * @see Gu & Eisenstat, "A divide-and-conquer algorithm for the bidiagonal SVD", SIAM J. Matrix
 *   Anal. Appl. 16 (1995); Li, LAPACK Working Note 89 (1993).
 */
export function solveSingularSecularEquation(k: number, d: Float64Array, z: Float64Array, sigma: Float64Array, delta2: Float64Array): void {
  secularRoots(
    k,
    z,
    1,
    (origin, shifted) => {
      const dOrigin = d[origin]!;
      for (let i = 0; i < k; i++) shifted[i] = (d[i]! - dOrigin) * (d[i]! + dOrigin);
    },
    (j, origin, tau, shifted) => {
      const dOrigin = d[origin]!;
      sigma[j] = dOrigin + tau / (dOrigin + Math.sqrt(dOrigin * dOrigin + tau));
      for (let i = 0; i < k; i++) delta2[i * k + j] = shifted[i]! - tau;
    },
  );
}

/**
 * The iteration shared by both secular equations: the roots of
 * $1/\rho + \sum_i z_i^2 / (P_i - \lambda)$ for increasing poles $P$, each found as
 * $\lambda_j = P_o + \tau$ relative to the nearer pole $o$. `shiftedFrom(o, out)` writes the
 * gaps $P_i - P_o$ (formed as accurately as the caller can); `found(j, o, τ, gaps)` receives
 * each root.
 */
function secularRoots(
  k: number,
  z: Float64Array,
  rho: number,
  shiftedFrom: (origin: number, shifted: Float64Array) => void,
  found: (j: number, origin: number, tau: number, shifted: Float64Array) => void,
): void {
  const rhoInv = 1 / rho;
  const z2 = new Float64Array(k);
  let zz = 0;
  for (let i = 0; i < k; i++) {
    z2[i] = z[i]! * z[i]!;
    zz += z2[i]!;
  }
  const shifted = new Float64Array(k); // P_i − P_o for the current origin
  for (let j = 0; j < k; j++) {
    const last = j === k - 1;
    let origin: number;
    let lo: number;
    let hi: number;
    let tau: number;
    shiftedFrom(j, shifted);
    if (!last) {
      const half = 0.5 * shifted[j + 1]!;
      let g = rhoInv;
      for (let i = 0; i < k; i++) g += z2[i]! / (shifted[i]! - half);
      if (g >= 0) {
        origin = j;
        lo = 0;
        hi = half;
        tau = half;
      } else {
        origin = j + 1;
        lo = -half;
        hi = 0;
        tau = -half;
        shiftedFrom(origin, shifted);
      }
    } else {
      origin = j;
      lo = 0;
      hi = rho * zz;
      tau = hi;
    }
    // Poles modelled: a = the last pole left of the split, b = the next one.
    const a = last ? k - 2 : j;
    const b = a + 1;
    let converged = false;
    for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      let psi = 0, dpsi = 0, phi = 0, dphi = 0, absSum = 0;
      for (let i = 0; i <= a; i++) {
        const inv = 1 / (shifted[i]! - tau);
        const t = z2[i]! * inv;
        psi += t;
        dpsi += t * inv;
        absSum -= t;
      }
      for (let i = b; i < k; i++) {
        const inv = 1 / (shifted[i]! - tau);
        const t = z2[i]! * inv;
        phi += t;
        dphi += t * inv;
        absSum += Math.abs(t);
      }
      const g = rhoInv + psi + phi;
      const errorBound = 8 * absSum + 2 * rhoInv + 3 * Math.abs(tau) * (dpsi + dphi);
      if (Math.abs(g) <= EPS * errorBound) {
        converged = true;
        break;
      }
      if (g < 0) lo = tau;
      else hi = tau;
      if (hi - lo <= 4 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) {
        converged = true;
        break;
      }
      // Model g(τ + η) ≈ c + b1/(δa − η) + b2/(δb − η) and solve c η² − B η + C = 0.
      const da = shifted[a]! - tau;
      const db = shifted[b]! - tau;
      const c = rhoInv + (psi - dpsi * da) + (phi - dphi * db);
      const b1 = dpsi * da * da;
      const b2 = dphi * db * db;
      const bq = c * (da + db) + b1 + b2;
      const cq = c * da * db + b1 * db + b2 * da;
      const eta = modelRoot(c, bq, cq, lo - tau, hi - tau);
      let next = Number.isNaN(eta) ? 0.5 * (lo + hi) : tau + eta;
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      if (next === tau) {
        converged = true;
        break;
      }
      tau = next;
    }
    if (!converged) {
      throw new ConvergenceError(`secular equation: root ${j} of ${k} not found in ${MAX_ITERATIONS} iterations`);
    }
    found(j, origin, tau, shifted);
  }
}

/** The root of $c\eta^2 - B\eta + C = 0$ strictly inside $(lo, hi)$, or NaN if there is none. */
function modelRoot(c: number, bq: number, cq: number, lo: number, hi: number): number {
  if (c === 0) {
    if (bq === 0) return NaN;
    const r = cq / bq;
    return r > lo && r < hi ? r : NaN;
  }
  let disc = bq * bq - 4 * c * cq;
  if (disc < 0) disc = 0;
  const q = bq >= 0 ? 0.5 * (bq + Math.sqrt(disc)) : 0.5 * (bq - Math.sqrt(disc));
  if (q !== 0) {
    const r2 = cq / q;
    if (r2 > lo && r2 < hi) return r2;
  }
  const r1 = q / c;
  return r1 > lo && r1 < hi ? r1 : NaN;
}
