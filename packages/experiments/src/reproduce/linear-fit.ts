/**
 * Ordinary least-squares line fits used by the experiments to measure rates (`log L` against `t`
 * or `log t`).
 *
 * @packageDocumentation
 */

/** A fitted line $y \approx \text{intercept} + \text{slope}\cdot x$ and its coefficient of determination. */
export interface LinearFit {
  slope: number;
  intercept: number;
  /** $R^2 = 1 - \sum (y - \hat y)^2 / \sum (y - \bar y)^2$ (NaN for fewer than 3 points or constant `y`). */
  rSquared: number;
  /** Number of points fitted. */
  points: number;
}

/**
 * The least-squares line through the points `(x[k], y[k])`.
 *
 * $$\text{slope} = \frac{\sum (x - \bar x)(y - \bar y)}{\sum (x - \bar x)^2}, \qquad R^2 = 1 - \frac{\sum (y - \hat y)^2}{\sum (y - \bar y)^2}.$$
 *
 * @param x - abscissae (at least two distinct values for a finite slope).
 * @param y - ordinates, same length.
 * @returns slope, intercept, R² and the number of points (NaN slope for fewer than two points).
 * @example
 * ```ts
 * linearFit([0, 1, 2], [1, 3, 5]); // => { slope: 2, intercept: 1, rSquared: 1, points: 3 }
 * ```
 */
export function linearFit(x: readonly number[], y: readonly number[]): LinearFit {
  const n = Math.min(x.length, y.length);
  if (n < 2) return { slope: Number.NaN, intercept: Number.NaN, rSquared: Number.NaN, points: n };
  let mx = 0;
  let my = 0;
  for (let k = 0; k < n; k++) {
    mx += x[k]!;
    my += y[k]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    const dx = x[k]! - mx;
    const dy = y[k]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let k = 0; k < n; k++) {
    const e = y[k]! - intercept - slope * x[k]!;
    sse += e * e;
  }
  const rSquared = n >= 3 && syy > 0 ? 1 - sse / syy : Number.NaN;
  return { slope, intercept, rSquared, points: n };
}
