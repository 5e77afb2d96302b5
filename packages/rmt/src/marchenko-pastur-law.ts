/**
 * The Marchenko–Pastur law of ratio `γ ∈ (0, 1]`: support edges and density.
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
