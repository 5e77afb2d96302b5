/**
 * Wigner's semicircle law on `[−2, 2]`: density, cumulative distribution function, quantile,
 * moments and the partial first moment used by the Wasserstein-1 distance.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from '@shallowscape/linalg';

function checkPoint(argument: string, x: unknown): number {
  if (typeof x !== 'number' || Number.isNaN(x)) throw new InvalidArgumentError(argument, x, 'a number (±Infinity allowed, not NaN)');
  return x;
}

/**
 * Density of the semicircle law with variance 1, supported on $[-2, 2]$:
 *
 * $$\rho_{\mathrm{sc}}(x) = \frac{\sqrt{4 - x^2}}{2\pi} \quad (|x| \le 2), \qquad 0 \text{ otherwise}.$$
 *
 * It is the limit of the spectrum of $(W^{*\top} W^* - mI)/\sqrt{md}$ for an $m \times d$ Gaussian
 * $W^*$ as $d \to \infty$ and $m/d \to \infty$. Its even moments are the Catalan numbers,
 * $\int x^{2k} \rho_{\mathrm{sc}} = \frac{1}{k+1}\binom{2k}{k}$.
 *
 * @param x - the point $x$ (any number; $\pm\infty$ give 0).
 * @returns $\rho_{\mathrm{sc}}(x) \ge 0$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `x` is NaN or not a number.
 * @see Wigner, "On the distribution of the roots of certain symmetric matrices", Ann. Math. 67 (1958).
 * @example
 * ```ts
 * semicircleDensity(0); // => 0.3183098862
 * semicircleDensity(2); // => 0
 * semicircleDensity(-3); // => 0
 * ```
 */
export function semicircleDensity(x: number): number {
  checkPoint('x', x);
  if (!(Math.abs(x) < 2)) return 0;
  return Math.sqrt((2 - x) * (2 + x)) / (2 * Math.PI);
}

/**
 * Cumulative distribution function of the semicircle law, in closed form:
 *
 * $$F_{\mathrm{sc}}(x) = \int_{-2}^{x} \rho_{\mathrm{sc}}(t)\,dt = \frac12 + \frac{x\sqrt{4 - x^2}}{4\pi} + \frac{\arcsin(x/2)}{\pi} \quad (|x| \le 2),$$
 *
 * with $F_{\mathrm{sc}} = 0$ below $-2$ and $1$ above $2$.
 *
 * @param x - the point $x$ (any number; $-\infty \mapsto 0$, $+\infty \mapsto 1$).
 * @returns $F_{\mathrm{sc}}(x) \in [0, 1]$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `x` is NaN or not a number.
 * @example
 * ```ts
 * semicircleCdf(0); // => 0.5
 * semicircleCdf(1); // => 0.8044988905
 * semicircleCdf(2); // => 1
 * ```
 */
export function semicircleCdf(x: number): number {
  checkPoint('x', x);
  if (x <= -2) return 0;
  if (x >= 2) return 1;
  const f = 0.5 + (x * Math.sqrt((2 - x) * (2 + x))) / (4 * Math.PI) + Math.asin(x / 2) / Math.PI;
  return Math.min(1, Math.max(0, f));
}

/** Validates a probability argument in [0, 1]. */
function checkProbability(p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new InvalidArgumentError('p', p, 'a probability in [0, 1]');
  return p;
}

/** $t - \sin t$ without cancellation for small $t$ (Taylor series below 1, direct above). */
function tMinusSin(t: number): number {
  if (t >= 1) return t - Math.sin(t);
  const t2 = t * t;
  let term = (t * t2) / 6;
  let sum = 0;
  for (let k = 2; k < 40; k++) {
    sum += term;
    if (Math.abs(term) <= 1e-17 * sum) break;
    term *= -t2 / (2 * k * (2 * k + 1));
  }
  return sum;
}

/**
 * Quantile (inverse CDF) of the semicircle law: the $x \in [-2, 2]$ with $F_{\mathrm{sc}}(x) = p$.
 *
 * With $x = -2\cos(t/2)$, $t \in [0, 2\pi]$, the CDF becomes Kepler's equation
 * $F_{\mathrm{sc}} = (t - \sin t)/(2\pi)$; for $p \le \tfrac12$ the root of $t - \sin t = 2\pi p$ is found
 * by Newton's method safeguarded by bisection on $[0, \pi]$ (the left side computed by its Taylor
 * series for small $t$, so tails keep full absolute accuracy), and $Q(p) = -Q(1 - p)$ above
 * $\tfrac12$. Accuracy: $|F_{\mathrm{sc}}(Q(p)) - p| \lesssim 10^{-15}$.
 *
 * @param p - the probability $p \in [0, 1]$.
 * @returns $Q(p) = F_{\mathrm{sc}}^{-1}(p) \in [-2, 2]$; $Q(0) = -2$, $Q(1) = 2$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `p` is not in $[0, 1]$.
 * @example
 * ```ts
 * semicircleQuantile(0.5); // => 0
 * semicircleQuantile(semicircleCdf(1)); // => 1
 * semicircleQuantile(0); // => -2
 * ```
 */
export function semicircleQuantile(p: number): number {
  checkProbability(p);
  if (p > 0.5) return -semicircleQuantileLower(1 - p);
  return semicircleQuantileLower(p);
}

/** $Q(p)$ for $p \in [0, \tfrac12]$: solves $t - \sin t = 2\pi p$ on $[0, \pi]$, returns $-2\cos(t/2) = 4\sin^2(t/4) - 2$. */
function semicircleQuantileLower(p: number): number {
  if (p === 0) return -2;
  if (p === 0.5) return 0;
  const target = 2 * Math.PI * p;
  let lo = 0;
  let hi = Math.PI;
  let t = Math.min(Math.PI, Math.cbrt(6 * target)); // t − sin t ≤ t³/6, so the root is at or right of this
  for (let iteration = 0; iteration < 100; iteration++) {
    const g = tMinusSin(t) - target;
    if (g === 0) break;
    if (g < 0) lo = t;
    else hi = t;
    const slope = 2 * Math.sin(t / 2) ** 2; // 1 − cos t
    let next = t - g / slope;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 1e-16 * t) {
      t = next;
      break;
    }
    t = next;
  }
  const s = Math.sin(t / 4);
  return 4 * s * s - 2; // −2cos(t/2), accurate relative to the edge −2
}

/**
 * The $k$-th moment of the semicircle law: zero for odd $k$, the Catalan number for even $k$,
 *
 * $$\int x^{k}\,\rho_{\mathrm{sc}}(x)\,dx = C_{k/2} = \frac{1}{k/2 + 1}\binom{k}{k/2} \quad (k \text{ even}).$$
 *
 * Computed exactly by $C_{j+1} = C_j \cdot 2(2j+1)/(j+2)$ (exact integers up to $k = 66$, where
 * $C_{33} < 2^{53}$; rounded beyond).
 *
 * @param k - the order $k$, a non-negative integer.
 * @returns $\int x^k \rho_{\mathrm{sc}}$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `k` is not a non-negative integer.
 * @see Wigner, "Characteristic vectors of bordered matrices with infinite dimensions", Ann. Math. 62 (1955).
 * @example
 * ```ts
 * semicircleMoment(4); // => 2
 * semicircleMoment(10); // => 42
 * semicircleMoment(3); // => 0
 * ```
 */
export function semicircleMoment(k: number): number {
  assertOrder(k);
  if (k % 2 === 1) return 0;
  let c = 1;
  for (let j = 0; j < k / 2; j++) c = (c * 2 * (2 * j + 1)) / (j + 2);
  return c;
}

/** Throws unless `k` is a non-negative safe integer. */
function assertOrder(k: unknown): asserts k is number {
  if (typeof k !== 'number' || !Number.isSafeInteger(k) || k < 0) throw new InvalidArgumentError('k', k, 'a non-negative integer');
}

/**
 * Partial first moment of the semicircle law, in closed form (used by the Wasserstein-1 distance):
 *
 * $$M_{\mathrm{sc}}(x) = \int_{-2}^{x} t\,\rho_{\mathrm{sc}}(t)\,dt = -\frac{(4 - x^2)^{3/2}}{6\pi} \quad (|x| \le 2), \qquad 0 \text{ otherwise}.$$
 *
 * Not exported from the package index. `x` must not be NaN.
 */
export function semicirclePartialMean(x: number): number {
  if (!(Math.abs(x) < 2)) return 0;
  const s = (2 - x) * (2 + x);
  return -(s * Math.sqrt(s)) / (6 * Math.PI);
}
