/**
 * The Marchenko–Pastur law of ratio `γ ∈ (0, 1]`: support edges, density, cumulative distribution
 * function, quantile, moments and the partial first moment used by the Wasserstein-1 distance.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from '@shallowscape/linalg';

function checkRatio(gamma: unknown): number {
  if (typeof gamma !== 'number' || !(gamma > 0 && gamma <= 1)) {
    throw new InvalidArgumentError('gamma', gamma, 'a ratio d/m in (0, 1]');
  }
  return gamma;
}

/** The support $[\lambda_-, \lambda_+]$ of a Marchenko–Pastur law. */
export interface MarchenkoPasturEdges {
  /** $\lambda_- = (1 - \sqrt\gamma)^2$. */
  lower: number;
  /** $\lambda_+ = (1 + \sqrt\gamma)^2$. */
  upper: number;
}

/**
 * The edges of the Marchenko–Pastur support, $\lambda_\pm = (1 \pm \sqrt{\gamma})^2$.
 *
 * @param gamma - the ratio $\gamma = d/m \in (0, 1]$.
 * @returns `{ lower: λ₋, upper: λ₊ }`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `gamma` is not in $(0, 1]$.
 * @example
 * ```ts
 * marchenkoPasturEdges(0.25); // => { "lower": 0.25, "upper": 2.25 }
 * marchenkoPasturEdges(1); // => { "lower": 0, "upper": 4 }
 * ```
 */
export function marchenkoPasturEdges(gamma: number): MarchenkoPasturEdges {
  const g = checkRatio(gamma);
  const r = Math.sqrt(g);
  return { lower: (1 - r) * (1 - r), upper: (1 + r) * (1 + r) };
}

/**
 * Density of the Marchenko–Pastur law with ratio $\gamma \in (0, 1]$ and unit variance:
 *
 * $$\rho_\gamma(x) = \frac{\sqrt{(\lambda_+ - x)(x - \lambda_-)}}{2\pi\gamma x} \quad (\lambda_- \le x \le \lambda_+), \qquad 0 \text{ otherwise},$$
 *
 * with $\lambda_\pm = (1 \pm \sqrt\gamma)^2$. It is the limit of the spectrum of
 * $\frac{1}{m} W^{*\top}W^*$ for an $m \times d$ Gaussian $W^*$ with $d/m \to \gamma$. Its moments are the
 * Narayana polynomials, $\int x^k \rho_\gamma = \sum_{r=0}^{k-1} \frac{\gamma^r}{r+1}\binom{k}{r}\binom{k-1}{r}$.
 * For $\gamma = 1$ the density behaves like $1/(\pi\sqrt{x})$ at $0$; `x = 0` then returns
 * `Infinity`.
 *
 * @param x - the point $x$ (any number; $\pm\infty$ give 0).
 * @param gamma - the ratio $\gamma = d/m \in (0, 1]$.
 * @returns $\rho_\gamma(x) \ge 0$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `x` is NaN or `gamma` is not in $(0, 1]$.
 * @see Marchenko and Pastur, "Distribution of eigenvalues for some sets of random matrices",
 *   Math. USSR-Sbornik 1 (1967).
 * @example
 * ```ts
 * marchenkoPasturDensity(1, 0.25); // => 0.6164044441
 * marchenkoPasturDensity(3, 0.25); // => 0
 * ```
 */
export function marchenkoPasturDensity(x: number, gamma: number): number {
  if (typeof x !== 'number' || Number.isNaN(x)) throw new InvalidArgumentError('x', x, 'a number (±Infinity allowed, not NaN)');
  const g = checkRatio(gamma);
  const r = Math.sqrt(g);
  const lower = (1 - r) * (1 - r);
  const upper = (1 + r) * (1 + r);
  if (!(x >= lower && x <= upper)) return 0;
  if (x === 0) return Number.POSITIVE_INFINITY; // γ = 1 only: λ₋ = 0
  return Math.sqrt((upper - x) * (x - lower)) / (2 * Math.PI * g * x);
}

/**
 * The angle $\theta \in [0, \pi]$ of $x = 1 + \gamma - 2\sqrt\gamma\cos\theta$, computed as
 * $2\arcsin\sqrt{(x - \lambda_-)/(\lambda_+ - \lambda_-)}$ (accurate at both edges). `x` must lie in the support.
 */
function angleOf(x: number, lower: number, upper: number): number {
  const u = Math.min(1, Math.max(0, (x - lower) / (upper - lower)));
  return 2 * Math.asin(Math.sqrt(u));
}

/** $F_\gamma$ as a function of the angle $\theta$ (see {@link marchenkoPasturCdf}). */
function cdfOfAngle(theta: number, gamma: number): number {
  const r = Math.sqrt(gamma);
  const sin = Math.sin(theta);
  const cos = Math.cos(theta);
  const f = (theta + (r * sin - (1 - gamma) * Math.atan2(r * sin, 1 - r * cos)) / gamma) / Math.PI;
  return Math.min(1, Math.max(0, f));
}

/**
 * Cumulative distribution function of the Marchenko–Pastur law of ratio $\gamma \in (0, 1]$, in
 * closed form. With $x = 1 + \gamma - 2\sqrt\gamma\cos\theta$, $\theta \in [0, \pi]$,
 *
 * $$F_\gamma(x) = \frac{1}{\pi}\left[\theta + \frac{\sqrt\gamma\sin\theta - (1 - \gamma)\arctan\dfrac{\sqrt\gamma\sin\theta}{1 - \sqrt\gamma\cos\theta}}{\gamma}\right],$$
 *
 * ($F_1(x) = (\theta + \sin\theta)/\pi$), $0$ below $\lambda_-$ and $1$ above $\lambda_+$. The angle is
 * computed as $\theta = 2\arcsin\sqrt{(x - \lambda_-)/(\lambda_+ - \lambda_-)}$. Accuracy: absolute error
 * of a few $\varepsilon/\sqrt\gamma$ (the bracket cancels to $O(\gamma)$ from terms of size $O(\sqrt\gamma)$),
 * about $10^{-15}$ for $\gamma \ge 0.01$.
 *
 * @param x - the point $x$ (any number; $-\infty \mapsto 0$, $+\infty \mapsto 1$).
 * @param gamma - the ratio $\gamma = d/m \in (0, 1]$.
 * @returns $F_\gamma(x) \in [0, 1]$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `x` is NaN or `gamma` is not in $(0, 1]$.
 * @see Marchenko and Pastur, "Distribution of eigenvalues for some sets of random matrices",
 *   Math. USSR-Sbornik 1 (1967).
 * @example
 * ```ts
 * marchenkoPasturCdf(1, 1); // => 0.6089977810
 * marchenkoPasturCdf(2.25, 0.25); // => 1
 * marchenkoPasturCdf(0.1, 0.25); // => 0
 * ```
 */
export function marchenkoPasturCdf(x: number, gamma: number): number {
  if (typeof x !== 'number' || Number.isNaN(x)) throw new InvalidArgumentError('x', x, 'a number (±Infinity allowed, not NaN)');
  const g = checkRatio(gamma);
  const { lower, upper } = marchenkoPasturEdges(g);
  if (x <= lower) return 0;
  if (x >= upper) return 1;
  return cdfOfAngle(angleOf(x, lower, upper), g);
}

/**
 * Quantile (inverse CDF) of the Marchenko–Pastur law: the $x \in [\lambda_-, \lambda_+]$ with
 * $F_\gamma(x) = p$.
 *
 * Solves $F_\gamma(\theta) = p$ for the angle $\theta \in [0, \pi]$ of {@link marchenkoPasturCdf} by
 * Newton's method ($dF_\gamma/d\theta = 2\sin^2\theta/(\pi x)$) safeguarded by bisection, then returns
 * $x = \lambda_- + (\lambda_+ - \lambda_-)\sin^2(\theta/2)$. Accuracy: $|F_\gamma(Q(p)) - p|$ within the
 * accuracy of $F_\gamma$.
 *
 * @param p - the probability $p \in [0, 1]$.
 * @param gamma - the ratio $\gamma = d/m \in (0, 1]$.
 * @returns $Q_\gamma(p) \in [\lambda_-, \lambda_+]$; $Q_\gamma(0) = \lambda_-$, $Q_\gamma(1) = \lambda_+$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `p` is not in $[0, 1]$ or `gamma` not in $(0, 1]$.
 * @example
 * ```ts
 * marchenkoPasturQuantile(0, 0.25); // => 0.25
 * marchenkoPasturQuantile(1, 0.25); // => 2.25
 * marchenkoPasturQuantile(marchenkoPasturCdf(1, 1), 1); // => 1
 * ```
 */
export function marchenkoPasturQuantile(p: number, gamma: number): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new InvalidArgumentError('p', p, 'a probability in [0, 1]');
  const g = checkRatio(gamma);
  const { lower, upper } = marchenkoPasturEdges(g);
  if (p === 0) return lower;
  if (p === 1) return upper;
  const r = Math.sqrt(g);
  let lo = 0;
  let hi = Math.PI;
  let theta = Math.PI * p;
  for (let iteration = 0; iteration < 200; iteration++) {
    const f = cdfOfAngle(theta, g) - p;
    if (f === 0) break;
    if (f < 0) lo = theta;
    else hi = theta;
    const half = Math.sin(theta / 2);
    const x = (1 - r) * (1 - r) + 4 * r * half * half;
    const slope = (2 * Math.sin(theta) ** 2) / (Math.PI * x);
    let next = theta - f / slope;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - theta) <= 4e-16 * theta || hi - lo <= 4e-16 * hi) {
      theta = next;
      break;
    }
    theta = next;
  }
  const half = Math.sin(theta / 2);
  return Math.min(upper, Math.max(lower, lower + (upper - lower) * half * half));
}

/**
 * The $k$-th moment of the Marchenko–Pastur law, the Narayana polynomial
 *
 * $$\int x^k \rho_\gamma(x)\,dx = \sum_{j=1}^{k} N(k, j)\,\gamma^{j-1}, \qquad N(k, j) = \frac{1}{k}\binom{k}{j}\binom{k}{j-1},$$
 *
 * ($1$ for $k = 0$; $1, 1 + \gamma, 1 + 3\gamma + \gamma^2, \dots$). The Narayana numbers come from
 * $N(k, j+1) = N(k, j)\,(k - j)(k - j + 1)/(j(j + 1))$ (exact integers while below $2^{53}$) and the
 * polynomial is evaluated by Horner's rule. At $\gamma = 1$ these are the Catalan numbers.
 *
 * @param k - the order $k$, a non-negative integer.
 * @param gamma - the ratio $\gamma = d/m \in (0, 1]$.
 * @returns $\int x^k \rho_\gamma$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `k` is not a non-negative integer or `gamma` not in $(0, 1]$.
 * @see Marchenko and Pastur (1967); Narayana numbers, OEIS A001263.
 * @example
 * ```ts
 * marchenkoPasturMoment(2, 0.5); // => 1.5
 * marchenkoPasturMoment(3, 0.5); // => 2.75
 * marchenkoPasturMoment(5, 1); // => 42
 * ```
 */
export function marchenkoPasturMoment(k: number, gamma: number): number {
  if (typeof k !== 'number' || !Number.isSafeInteger(k) || k < 0) throw new InvalidArgumentError('k', k, 'a non-negative integer');
  const g = checkRatio(gamma);
  if (k === 0) return 1;
  const coefficients = new Float64Array(k); // N(k, 1), …, N(k, k)
  coefficients[0] = 1;
  for (let j = 1; j < k; j++) coefficients[j] = (coefficients[j - 1]! * (k - j) * (k - j + 1)) / (j * (j + 1));
  let sum = 0;
  for (let j = k - 1; j >= 0; j--) sum = sum * g + coefficients[j]!;
  return sum;
}

/**
 * Partial first moment of the Marchenko–Pastur law, in closed form (used by the Wasserstein-1
 * distance): with the angle $\theta$ of {@link marchenkoPasturCdf},
 *
 * $$M_\gamma(x) = \int_{\lambda_-}^{x} t\,\rho_\gamma(t)\,dt = \frac{\theta - \sin\theta\cos\theta}{\pi},$$
 *
 * $0$ below $\lambda_-$ and $1$ (the mean) above $\lambda_+$. Not exported from the package index;
 * `x` must not be NaN and `gamma` must be valid.
 */
export function marchenkoPasturPartialMean(x: number, gamma: number): number {
  const r = Math.sqrt(gamma);
  const lower = (1 - r) * (1 - r);
  const upper = (1 + r) * (1 + r);
  if (x <= lower) return 0;
  if (x >= upper) return 1;
  const theta = angleOf(x, lower, upper);
  return (theta - Math.sin(theta) * Math.cos(theta)) / Math.PI;
}
