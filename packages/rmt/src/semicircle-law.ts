/**
 * Wigner's semicircle law on `[−2, 2]`: density and cumulative distribution function.
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
