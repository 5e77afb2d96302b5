/**
 * The strong Wolfe line search of L-BFGS: bracketing followed by zoom with safeguarded cubic
 * interpolation (Nocedal & Wright, Algorithms 3.5 and 3.6). Internal: not exported from the
 * package index; `minimize` validates its inputs.
 *
 * @packageDocumentation
 */

/** The restriction $\varphi(\alpha) = f(x + \alpha p)$ at one step length: value and slope $\varphi'(\alpha) = \nabla f(x + \alpha p)^\top p$. */
export interface LinePoint {
  readonly value: number;
  readonly slope: number;
}

/** Parameters of {@link strongWolfeLineSearch}. */
export interface StrongWolfeOptions {
  /** Sufficient-decrease constant $c_1$. Default `1e-4`. */
  readonly c1?: number;
  /** Curvature constant $c_2 \in (c_1, 1)$. Default `0.9` (the quasi-Newton choice). */
  readonly c2?: number;
  /** Most trial steps while bracketing (the step doubles each time). Default `40`. */
  readonly maxBracketSteps?: number;
  /** Most trial steps while zooming. Default `40`. */
  readonly maxZoomSteps?: number;
}

/**
 * The outcome of a line search. `status`:
 * - `"strong-wolfe"`: `alpha` satisfies both strong Wolfe conditions and was the last point evaluated;
 * - `"sufficient-decrease"`: no strong Wolfe point was found within the trial budget, and
 *   `alpha` is the trial with the lowest value among those satisfying sufficient decrease
 *   (not necessarily the last one evaluated);
 * - `"failed"`: no trial decreased $\varphi$ sufficiently; `alpha` is 0.
 */
export interface LineSearchResult {
  readonly alpha: number;
  readonly value: number;
  readonly slope: number;
  readonly status: 'strong-wolfe' | 'sufficient-decrease' | 'failed';
  /** Number of evaluations of $\varphi$. */
  readonly evaluations: number;
}

/** Values closer than this relative amount count as tied, and the slopes decide. */
const TIE = 1e-12;

interface Trial {
  alpha: number;
  value: number;
  slope: number;
}

/**
 * The minimiser of the cubic interpolating $\varphi$ and $\varphi'$ at $a$ and $b$
 * (Nocedal & Wright, eq. 3.59):
 *
 * $$d_1 = \varphi'_a + \varphi'_b - 3\frac{\varphi_a - \varphi_b}{a - b},\quad
 *   d_2 = \operatorname{sign}(b - a)\sqrt{d_1^2 - \varphi'_a\varphi'_b},\quad
 *   \alpha = b - (b - a)\frac{\varphi'_b + d_2 - d_1}{\varphi'_b - \varphi'_a + 2 d_2},$$
 *
 * or NaN when the cubic has no minimiser or the formula is not finite.
 */
export function cubicMinimizer(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const discriminant = d1 * d1 - da * db;
  if (!(discriminant >= 0)) return Number.NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(discriminant);
  const denominator = db - da + 2 * d2;
  if (denominator === 0) return Number.NaN;
  const alpha = b - ((b - a) * (db + d2 - d1)) / denominator;
  return Number.isFinite(alpha) ? alpha : Number.NaN;
}

/**
 * Finds a step $\alpha > 0$ along a descent direction $p$ satisfying the strong Wolfe conditions
 *
 * $$\varphi(\alpha) \le \varphi(0) + c_1 \alpha \varphi'(0), \qquad |\varphi'(\alpha)| \le c_2 |\varphi'(0)|,$$
 *
 * by bracketing (doubling the trial from `alpha0` until a bracket is found, Algorithm 3.5) and
 * zooming into the bracket with the minimiser of the cubic interpolant of the two end points,
 * clamped into the inner 80% of the bracket and replaced by bisection when the cubic has no
 * minimiser (Algorithm 3.6). Any trial
 * satisfying both conditions is accepted at once, also when its value ties with the best one
 * so far, and values within $10^{-12}$ (relative) of the best one count as ties decided by the
 * slopes (near a flat minimum the values agree to rounding while the slopes still differ). A trial
 * whose value or slope is NaN or infinite counts as a step too long. The search never divides
 * by zero: an exact minimum on the line ($\varphi' = 0$ with decrease) is accepted, and an
 * interval that shrinks to adjacent floating-point numbers ends the search.
 *
 * Assumes (unchecked) $\varphi'(0) < 0$, $\varphi(0)$ finite, `alpha0` positive and finite.
 *
 * @param phi - evaluates $\varphi(\alpha)$ and $\varphi'(\alpha)$.
 * @param value0 - $\varphi(0)$.
 * @param slope0 - $\varphi'(0) < 0$.
 * @param alpha0 - the first trial step.
 * @param options - $c_1$, $c_2$ and trial budgets.
 * @returns the accepted step, its value and slope, and the status (see {@link LineSearchResult}).
 * @see Nocedal and Wright, *Numerical Optimization*, 2nd ed. (2006), §3.5, Algorithms 3.5 and 3.6.
 */
export function strongWolfeLineSearch(
  phi: (alpha: number) => LinePoint,
  value0: number,
  slope0: number,
  alpha0: number,
  options: StrongWolfeOptions = {},
): LineSearchResult {
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const maxBracket = options.maxBracketSteps ?? 40;
  const maxZoom = options.maxZoomSteps ?? 40;
  const curvature = -c2 * slope0; // |φ'(α)| must not exceed this
  let evaluations = 0;
  // The trial with the lowest value among those satisfying sufficient decrease.
  let best: Trial | undefined;

  const trial = (alpha: number): Trial & { decreases: boolean } => {
    const p = phi(alpha);
    evaluations++;
    const finite = Number.isFinite(p.value) && Number.isFinite(p.slope);
    const decreases = finite && p.value <= value0 + c1 * alpha * slope0;
    if (decreases && (best === undefined || p.value < best.value)) best = { alpha, value: p.value, slope: p.slope };
    // A non-finite trial is recorded as +∞ so that it can only be the "too long" end of a bracket.
    return finite ? { alpha, value: p.value, slope: p.slope, decreases } : { alpha, value: Infinity, slope: Number.NaN, decreases };
  };
  const done = (t: Trial): LineSearchResult => ({ alpha: t.alpha, value: t.value, slope: t.slope, status: 'strong-wolfe', evaluations });
  const fallback = (): LineSearchResult =>
    best === undefined
      ? { alpha: 0, value: value0, slope: slope0, status: 'failed', evaluations }
      : { alpha: best.alpha, value: best.value, slope: best.slope, status: 'sufficient-decrease', evaluations };

  // Algorithm 3.6: lo satisfies sufficient decrease and has the lowest value so far; the
  // bracket [lo, hi] (in either order) contains strong Wolfe points.
  const zoom = (lo: Trial, hi: Trial): LineSearchResult => {
    for (let j = 0; j < maxZoom; j++) {
      const width = Math.abs(hi.alpha - lo.alpha);
      const left = Math.min(lo.alpha, hi.alpha);
      const right = Math.max(lo.alpha, hi.alpha);
      let alpha = Number.isFinite(hi.value) ? cubicMinimizer(lo.alpha, lo.value, lo.slope, hi.alpha, hi.value, hi.slope) : Number.NaN;
      // Safeguard: clamp the cubic's minimiser into the inner 80% of the bracket; bisect when it has none.
      if (Number.isNaN(alpha)) alpha = left + 0.5 * width;
      else alpha = Math.min(Math.max(alpha, left + 0.1 * width), right - 0.1 * width);
      if (alpha <= left || alpha >= right) break; // the interval holds no other floating-point number
      const t = trial(alpha);
      // A strong Wolfe point is accepted even when its value ties with lo's (flat minima at rounding level).
      if (t.decreases && Math.abs(t.slope) <= curvature) return done(t);
      // A tie with lo (within rounding) is decided by the slope: near a flat minimum the values
      // agree to rounding while the slopes still point the way.
      if (!t.decreases || t.value > lo.value + TIE * Math.abs(lo.value)) {
        hi = t;
      } else {
        if (t.slope * (hi.alpha - lo.alpha) >= 0) hi = lo;
        lo = t;
      }
    }
    return fallback();
  };

  // Algorithm 3.5: grow the trial until it brackets a strong Wolfe point or satisfies both conditions.
  let previous: Trial = { alpha: 0, value: value0, slope: slope0 };
  let alpha = alpha0;
  for (let i = 0; i < maxBracket; i++) {
    const t = trial(alpha);
    if (t.decreases && Math.abs(t.slope) <= curvature) return done(t);
    if (!t.decreases || (i > 0 && t.value > previous.value + TIE * Math.abs(previous.value))) return zoom(previous, t);
    if (t.slope >= 0) return zoom(t, previous);
    previous = t;
    alpha *= 2;
    if (!Number.isFinite(alpha)) break;
  }
  return fallback();
}
