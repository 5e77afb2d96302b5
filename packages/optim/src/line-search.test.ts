import { describe, expect, it } from 'vitest';
import { expectClose } from '@shallowscape/test-utils';
import { cubicMinimizer, strongWolfeLineSearch, type LinePoint } from './line-search';

/** Counts evaluations of φ so that the reported count can be checked. */
function counted(phi: (alpha: number) => LinePoint) {
  const calls: number[] = [];
  return { calls, phi: (alpha: number) => (calls.push(alpha), phi(alpha)) };
}

function expectStrongWolfe(phi: (a: number) => LinePoint, alpha: number, c1: number, c2: number): void {
  const p0 = phi(0);
  const p = phi(alpha);
  expect(alpha).toBeGreaterThan(0);
  expect(p.value).toBeLessThanOrEqual(p0.value + c1 * alpha * p0.slope);
  expect(Math.abs(p.slope)).toBeLessThanOrEqual(c2 * Math.abs(p0.slope));
}

// The test functions of Moré & Thuente, "Line search algorithms with guaranteed sufficient
// decrease", ACM TOMS 20 (1994), §5, with their (c1, c2).
const moreThuente: { name: string; c1: number; c2: number; phi: (a: number) => LinePoint }[] = [
  {
    name: 'φ(α) = −α/(α² + 2)',
    c1: 1e-3,
    c2: 0.1,
    phi: (a) => ({ value: -a / (a * a + 2), slope: (a * a - 2) / (a * a + 2) ** 2 }),
  },
  {
    name: 'φ(α) = (α + 0.004)⁵ − 2(α + 0.004)⁴',
    c1: 0.1,
    c2: 0.1,
    phi: (a) => {
      const u = a + 0.004;
      return { value: u ** 5 - 2 * u ** 4, slope: 5 * u ** 4 - 8 * u ** 3 };
    },
  },
  {
    name: 'φ(α) = φ₀(α) + 2(1 − β)/(lπ) sin(lπα/2), β = 0.01, l = 39',
    c1: 0.1,
    c2: 0.1,
    phi: (a) => {
      const beta = 0.01;
      const l = 39;
      let value: number;
      let slope: number;
      if (a <= 1 - beta) {
        value = 1 - a;
        slope = -1;
      } else if (a >= 1 + beta) {
        value = a - 1;
        slope = 1;
      } else {
        value = (a - 1) ** 2 / (2 * beta) + beta / 2;
        slope = (a - 1) / beta;
      }
      value += ((2 * (1 - beta)) / (l * Math.PI)) * Math.sin((l * Math.PI * a) / 2);
      slope += (1 - beta) * Math.cos((l * Math.PI * a) / 2);
      return { value, slope };
    },
  },
];

describe('strongWolfeLineSearch', () => {
  for (const { name, c1, c2, phi } of moreThuente) {
    it(`finds a strong Wolfe step on Moré–Thuente's ${name} from α₀ ∈ {1e-3, 0.1, 10, 1000}`, () => {
      const p0 = phi(0);
      expect(p0.slope).toBeLessThan(0);
      for (const alpha0 of [1e-3, 0.1, 10, 1000]) {
        const { calls, phi: f } = counted(phi);
        const result = strongWolfeLineSearch(f, p0.value, p0.slope, alpha0, { c1, c2 });
        expect(result.status).toBe('strong-wolfe');
        expect(result.evaluations).toBe(calls.length);
        expect(calls.at(-1)).toBe(result.alpha); // the accepted point is the last one evaluated
        // Doubling from 1e-3 up to the bracket takes 12 trials on the second function.
        expect(result.evaluations).toBeLessThanOrEqual(20);
        expectStrongWolfe(phi, result.alpha, c1, c2);
        expect(result.value).toBe(phi(result.alpha).value);
      }
    });
  }

  it('accepts the first trial at once when it is an exact minimum on the line (φ′ = 0)', () => {
    const phi = (a: number): LinePoint => ({ value: (a - 1) ** 2, slope: 2 * (a - 1) });
    const result = strongWolfeLineSearch(phi, 1, -2, 1);
    expect(result).toEqual({ alpha: 1, value: 0, slope: 0, status: 'strong-wolfe', evaluations: 1 });
  });

  it('lands on the exact minimiser of a quadratic by cubic interpolation after overshooting', () => {
    // φ(α) = (α − 0.3)²: the trial α = 1 fails sufficient decrease; the cubic through
    // (0, φ, φ′) and (1, φ, φ′) is the quadratic itself, minimised at 0.3.
    const { calls, phi } = counted((a) => ({ value: (a - 0.3) ** 2, slope: 2 * (a - 0.3) }));
    const result = strongWolfeLineSearch(phi, 0.09, -0.6, 1);
    expect(result.status).toBe('strong-wolfe');
    expectClose(result.alpha, 0.3, { abs: 1e-15 });
    expect(calls).toHaveLength(2);
  });

  it('treats NaN or infinite trials as too long and backs off into the finite region', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const phi = (a: number): LinePoint => (a < 0.5 ? { value: (a - 0.3) ** 2, slope: 2 * (a - 0.3) } : { value: bad, slope: bad });
      const result = strongWolfeLineSearch(phi, 0.09, -0.6, 8);
      expect(result.status).toBe('strong-wolfe');
      expect(result.alpha).toBeLessThan(0.5);
      expectStrongWolfe(phi, result.alpha, 1e-4, 0.9);
    }
  });

  it('doubles a far too short first trial until it brackets the minimum', () => {
    // φ(α) = (α − 1000)²/1000²: the minimum is 1000 units away; start at 1e-3.
    const phi = (a: number): LinePoint => ({ value: ((a - 1000) / 1000) ** 2, slope: (2 * (a - 1000)) / 1e6 });
    const p0 = phi(0);
    const result = strongWolfeLineSearch(phi, p0.value, p0.slope, 1e-3);
    expect(result.status).toBe('strong-wolfe');
    expectStrongWolfe(phi, result.alpha, 1e-4, 0.9);
    expect(result.alpha).toBeGreaterThan(100);
  });

  it('fails cleanly, with α = 0 and finite output, when no trial decreases φ (a gradient inconsistent with the values)', () => {
    // φ(0) = 0.5 with a claimed slope −1, but φ = 1 at every α > 0: no trial can decrease it.
    // The zoom shrinks towards 0 and stops after its budget, without dividing by zero.
    const { calls, phi } = counted(() => ({ value: 1, slope: 0 }));
    const result = strongWolfeLineSearch(phi, 0.5, -1, 1, { maxZoomSteps: 30 });
    expect(result).toEqual({ alpha: 0, value: 0.5, slope: -1, status: 'failed', evaluations: 31 });
    expect(calls).toHaveLength(31);
    expect(calls.every((a) => a > 0 && Number.isFinite(a))).toBe(true);
  });

  it('ends the zoom when the bracket holds no other floating-point number', () => {
    // Values that only increase and a bracket [0, 2⁻¹⁰⁷⁴]: bisection cannot split it.
    const { calls, phi } = counted(() => ({ value: 2, slope: 0 }));
    const result = strongWolfeLineSearch(phi, 1, -1, Number.MIN_VALUE);
    expect(result.status).toBe('failed');
    expect(calls).toEqual([Number.MIN_VALUE]);
  });

  it('falls back to the lowest sufficient-decrease trial when the curvature condition cannot be met in budget', () => {
    // φ(α) = −α decreases forever: every doubling satisfies sufficient decrease, none the curvature condition.
    const phi = (a: number): LinePoint => ({ value: -a, slope: -1 });
    const result = strongWolfeLineSearch(phi, 0, -1, 1, { maxBracketSteps: 5 });
    expect(result).toEqual({ alpha: 16, value: -16, slope: -1, status: 'sufficient-decrease', evaluations: 5 });
  });
});

describe('cubicMinimizer', () => {
  it('returns the minimiser of the interpolating cubic (exact for cubics and quadratics)', () => {
    // φ(α) = α³ − 3α has its local minimum at 1.
    const phi = (a: number) => [a ** 3 - 3 * a, 3 * a * a - 3] as const;
    const [f0, d0] = phi(0);
    const [f2, d2] = phi(2);
    expectClose(cubicMinimizer(0, f0, d0, 2, f2, d2), 1, { abs: 1e-15 });
    expectClose(cubicMinimizer(2, f2, d2, 0, f0, d0), 1, { abs: 1e-15 }, 'end points swapped');
    // A quadratic (α − 0.7)²: the cubic term vanishes.
    expectClose(cubicMinimizer(0, 0.49, -1.4, 3, 5.29, 4.6), 0.7, { abs: 1e-15 });
  });

  it('returns NaN when the cubic has no minimiser or the data are not finite', () => {
    // φ(α) = −α³ − α: φ′ = −3α² − 1 < 0 everywhere, no stationary point.
    expect(cubicMinimizer(0, 0, -1, 1, -2, -4)).toBeNaN();
    expect(cubicMinimizer(0, 0, -1, 1, Number.POSITIVE_INFINITY, 1)).toBeNaN();
  });
});
