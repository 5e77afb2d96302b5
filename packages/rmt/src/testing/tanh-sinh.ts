/**
 * Tanh–sinh (double-exponential) quadrature for the tests: accurate for integrands with
 * algebraic endpoint singularities such as `√(b − x)` or `1/√(x − a)`. Not exported.
 */

/**
 * `∫_a^b f(x) dx` by the tanh–sinh rule with step `h` on `t ∈ [−tMax, tMax]`: nodes
 * `x = (a + b)/2 + r tanh(π/2 sinh t)` with `r = (b − a)/2`, weights
 * `r (π/2) cosh t / cosh²(π/2 sinh t)`. Nodes that round onto an endpoint are skipped (their
 * weights are below 1e-300 · (b − a)).
 */
export function tanhSinh(f: (x: number) => number, a: number, b: number, h = 1 / 64, tMax = 6.5): number {
  const r = 0.5 * (b - a);
  let sum = 0;
  const n = Math.ceil(tMax / h);
  for (let k = -n; k <= n; k++) {
    const t = k * h;
    const u = (Math.PI / 2) * Math.sinh(t);
    const weight = (r * (Math.PI / 2) * Math.cosh(t)) / Math.cosh(u) ** 2;
    // Distance to the nearer endpoint computed without cancellation: r (1 − tanh|u|) = 2r / (e^{2|u|} + 1).
    const gap = (2 * r) / (Math.exp(2 * Math.abs(u)) + 1);
    const x = u < 0 ? a + gap : b - gap;
    if (x <= a || x >= b || weight === 0) continue;
    sum += weight * f(x);
  }
  return sum * h;
}
