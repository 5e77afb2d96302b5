/**
 * The five methods of `minimize`, each against theory: exact iterates or closed forms where they
 * exist, linear rates on convex quadratics with a known spectrum, the line-search conditions on
 * every accepted step, and Rosenbrock's function for L-BFGS.
 */
import { describe, expect, it } from 'vitest';
import { expectClose } from '@shallowscape/test-utils';
import { minimize } from './minimize';
import type { Objective } from './objective';
import { ARMIJO_C1, WOLFE_C2 } from './update-rules';
import { distance, dotProduct, iterateRecorder, norm, quadratic, rosenbrock } from './testing/test-problems';

/** Spectrum 1 … 100 (κ = 100), 20 eigenvalues, evenly spaced. */
const wideSpectrum = Array.from({ length: 20 }, (_, i) => 1 + (99 * i) / 19);

/** Observed linear rate (e_{t2}/e_{t1})^{1/(t2 − t1)}. */
function observedRate(errors: number[], t1: number, t2: number): number {
  return (errors[t2]! / errors[t1]!) ** (1 / (t2 - t1));
}

/** Largest root modulus of r² − b r + c = 0 (the spectral radius of a two-step linear recurrence). */
function rootModulus(b: number, c: number): number {
  const disc = b * b - 4 * c;
  if (disc < 0) return Math.sqrt(c);
  return Math.max(Math.abs((b + Math.sqrt(disc)) / 2), Math.abs((b - Math.sqrt(disc)) / 2));
}

describe('gd with a fixed step', () => {
  const lambda = [1, 2, 5, 10];
  const { objective, xStar } = quadratic(lambda, 7);
  const x0 = Float64Array.of(3, -1, 2, 0.5);

  it('contracts at 1 − ηλ_min per step for η = 1/L (never slower, and exactly so asymptotically)', () => {
    const eta = 1 / 10;
    const rho = 1 - eta * 1; // 0.9; the other directions contract by 0.8, 0.5 and 0
    const rec = iterateRecorder();
    minimize(objective, x0, { method: 'gd', learningRate: eta, maxSteps: 150, onStep: rec.onStep });
    const errors = rec.xs.map((x) => distance(x, xStar));
    for (let t = 1; t < errors.length; t++) expect(errors[t]!).toBeLessThanOrEqual(rho * errors[t - 1]! + 1e-15);
    // At t = 150 the 0.8-direction's share is (8/9)^150 ≈ 2e-8 of the slowest one.
    expectClose(errors[150]! / errors[149]!, rho, { rel: 1e-6 }, 'observed rate');
  });
});

describe('gd with Armijo backtracking', () => {
  const lambda = [1, 10, 100, 1000];
  const { objective, centered, xStar, fStar } = quadratic(lambda, 21);
  const x0 = Float64Array.of(1, -2, 0.5, 3);

  it('satisfies sufficient decrease f(x⁺) ≤ f(x) + c₁∇fᵀ(x⁺ − x) on every step, with α a power of 2 that grows back', () => {
    // With η = 1 a fixed step diverges (ηλ_max = 1000 > 2); backtracking must shrink it.
    const rec = iterateRecorder();
    const result = minimize(centered, x0, {
      method: 'gd',
      lineSearch: 'armijo',
      learningRate: 1,
      maxSteps: 20_000,
      gradientTolerance: 1e-9,
      onStep: rec.onStep,
    });
    expect(result.reason).toBe('gradient-tolerance');
    expect(distance(result.x, xStar)).toBeLessThan(1e-9);
    const alphas: number[] = [];
    for (let t = 0; t + 1 < rec.xs.length; t++) {
      const s = rec.xs[t + 1]!.map((v, k) => v - rec.xs[t]![k]!);
      const decrease = dotProduct(rec.gradients[t]!, s);
      expect(decrease).toBeLessThan(0);
      // Rounding in x⁺ and f: 1e-15 relative to f.
      expect(rec.values[t + 1]!).toBeLessThanOrEqual(rec.values[t]! + ARMIJO_C1 * decrease + 1e-15 * Math.abs(rec.values[t]!));
      // s = −α∇f: recover α from the largest gradient coordinate.
      const g = rec.gradients[t]!;
      const k = g.reduce((best, v, i) => (Math.abs(v) > Math.abs(g[best]!) ? i : best), 0);
      const alpha = -s[k]! / g[k]!;
      const log2 = Math.log2(alpha);
      // Rounding in the tiny late steps: s is exact to ~ε|x|/|s| ≤ 1e-5 relative.
      expect(Math.abs(log2 - Math.round(log2))).toBeLessThan(1e-3);
      alphas.push(2 ** Math.round(log2));
    }
    // On a quadratic every α ≤ 2(1 − c₁)/λ_max ≈ 0.0019998 decreases f sufficiently, so halving
    // powers of 2 never goes below 2⁻⁹ = 0.00195; the cap is 1.
    expect(Math.min(...alphas)).toBeGreaterThanOrEqual(2 ** -9);
    expect(Math.max(...alphas)).toBeLessThanOrEqual(1);
    // After shrinking, the trial step grows back at least once.
    expect(alphas.some((a, t) => t > 0 && a > alphas[t - 1]!)).toBe(true);
    expect(result.evaluations).toBeLessThan(2 * result.steps + 20);
  });

  it('decreases the Rosenbrock function monotonically and reaches its minimum', () => {
    const rec = iterateRecorder();
    const result = minimize(rosenbrock(2), Float64Array.of(-1.2, 1), {
      method: 'gd',
      lineSearch: 'armijo',
      maxSteps: 100_000,
      gradientTolerance: 1e-8,
      historyEvery: 1000,
      onStep: (info) => {
        if (rec.values.length > 0) expect(info.value).toBeLessThan(rec.values[rec.values.length - 1]!);
        rec.values.push(info.value);
      },
    });
    expect(result.reason).toBe('gradient-tolerance');
    expect(distance(result.x, [1, 1])).toBeLessThan(1e-7);
  });

  it('stops as converged with reason "relative-change" when no step can decrease f (f* ≠ 0, rounding floor)', () => {
    const result = minimize(objective, x0, { method: 'gd', lineSearch: 'armijo', maxSteps: 1_000_000 });
    expect(result.reason).toBe('relative-change');
    expect(result.converged).toBe(true);
    expect(result.steps).toBeLessThan(1_000_000);
    // Sufficient decrease c₁α‖∇f‖² (α ≤ 2⁻⁹) falls below the rounding of f* long before ∇f = 0.
    expect(result.value - fStar).toBeLessThan(1e-10 * Math.abs(fStar));
    expect(distance(result.x, xStar)).toBeLessThan(1e-4);
  });
});

describe('momentum (heavy ball)', () => {
  it('matches the closed form x_t = c₁r₁ᵗ + c₂r₂ᵗ of the recurrence x_{t+1} = (1 + β − ηλ)x_t − βx_{t−1} (1e-14)', () => {
    // f(x) = ½ diag(1, 0.5) x·x; per coordinate the characteristic roots of r² − (1 + β − ηλ)r + β (real here).
    const lambda = [1, 0.5];
    const eta = 0.1;
    const beta = 0.3;
    const objective: Objective = {
      blocks: [{ name: 'x', size: 2 }],
      value: (x) => 0.5 * (lambda[0]! * x[0]! ** 2 + lambda[1]! * x[1]! ** 2),
      gradient: (x, out = new Float64Array(2)) => out.map((_, i) => lambda[i]! * x[i]!),
    };
    const x0 = Float64Array.of(1, -2);
    const rec = iterateRecorder();
    minimize(objective, x0, { method: 'momentum', learningRate: eta, momentum: beta, maxSteps: 60, onStep: rec.onStep });
    for (let i = 0; i < 2; i++) {
      const b = 1 + beta - eta * lambda[i]!;
      const disc = b * b - 4 * beta;
      expect(disc).toBeGreaterThan(0);
      const r1 = (b + Math.sqrt(disc)) / 2;
      const r2 = (b - Math.sqrt(disc)) / 2;
      // x₀ = c₁ + c₂, x₁ = (1 − ηλ)x₀ = c₁r₁ + c₂r₂ (v₀ = 0).
      const x1 = (1 - eta * lambda[i]!) * x0[i]!;
      const c1 = (x1 - r2 * x0[i]!) / (r1 - r2);
      const c2 = x0[i]! - c1;
      for (let t = 0; t <= 60; t++) {
        expectClose(rec.xs[t]![i]!, c1 * r1 ** t + c2 * r2 ** t, { abs: 1e-14 * Math.abs(x0[i]!) }, `x_${t}[${i}]`);
      }
    }
  });

  it('with the optimal η = 4/(√L + √μ)², β = ((√κ − 1)/(√κ + 1))² contracts at (√κ − 1)/(√κ + 1) (κ = 100)', () => {
    const { objective, xStar } = quadratic(wideSpectrum, 5);
    const kappa = 100;
    const eta = 4 / (Math.sqrt(100) + 1) ** 2;
    const rho = (Math.sqrt(kappa) - 1) / (Math.sqrt(kappa) + 1); // 9/11
    const beta = rho ** 2;
    // Theory: every eigen-direction's recurrence has root modulus exactly √β = ρ.
    for (const l of wideSpectrum) expectClose(rootModulus(1 + beta - eta * l, beta), rho, { rel: 1e-6 });
    const rec = iterateRecorder();
    minimize(objective, new Float64Array(20).fill(1), { method: 'momentum', learningRate: eta, momentum: beta, maxSteps: 150, onStep: rec.onStep });
    const errors = rec.xs.map((x) => distance(x, xStar));
    // The extreme eigenvalues give double roots (error ∝ t ρᵗ): over [50, 150] that factor is 3^{1/100} ≈ 1.011.
    const rate = observedRate(errors, 50, 150);
    expect(rate).toBeGreaterThan(0.98 * rho);
    expect(rate).toBeLessThan(1.02 * rho);
    // Gradient descent's best rate on the same problem is (κ − 1)/(κ + 1) = 0.980.
    expect(rate).toBeLessThan(0.85);
  });
});

describe('nesterov', () => {
  const { objective, xStar } = quadratic(wideSpectrum, 5);
  const x0 = new Float64Array(20).fill(1);

  it('reports y_t = x_t + βv_t of the classical two-sequence method v ← βv − η∇f(x + βv), x ← x + v (1e-12)', () => {
    const eta = 0.008;
    const beta = 0.85;
    const rec = iterateRecorder();
    minimize(objective, x0, { method: 'nesterov', learningRate: eta, momentum: beta, maxSteps: 40, onStep: rec.onStep });
    // The reference, written independently with the look-ahead gradient.
    const x = x0.slice();
    const v = new Float64Array(20);
    for (let t = 0; t <= 40; t++) {
      const y = x.map((xi, i) => xi + beta * v[i]!);
      expectClose(rec.xs[t]!, y, { abs: 1e-12 }, `y_${t}`);
      const g = objective.gradient(y);
      for (let i = 0; i < 20; i++) {
        v[i] = beta * v[i]! - eta * g[i]!;
        x[i]! += v[i]!;
      }
    }
  });

  it('with η = 1/L, β = (√κ − 1)/(√κ + 1) contracts at the spectral radius ≈ 1 − 1/√κ predicted per eigenvalue', () => {
    const eta = 1 / 100;
    const beta = 9 / 11;
    // Per eigenvalue: r² − (1 + β)(1 − ηλ) r + β(1 − ηλ) = 0.
    const rho = Math.max(...wideSpectrum.map((l) => rootModulus((1 + beta) * (1 - eta * l), beta * (1 - eta * l))));
    expectClose(rho, 1 - 1 / Math.sqrt(100), { abs: 2e-3 });
    const rec = iterateRecorder();
    minimize(objective, x0, { method: 'nesterov', learningRate: eta, momentum: beta, maxSteps: 150, onStep: rec.onStep });
    const rate = observedRate(
      rec.xs.map((x) => distance(x, xStar)),
      50,
      150,
    );
    expect(rate).toBeGreaterThan(0.98 * rho);
    expect(rate).toBeLessThan(1.02 * rho);
  });

  it('converges to x* to 1e-9 with a gradient tolerance', () => {
    const result = minimize(objective, x0, { method: 'nesterov', learningRate: 0.01, momentum: 0.9, maxSteps: 10_000, gradientTolerance: 1e-10 });
    expect(result.reason).toBe('gradient-tolerance');
    expect(distance(result.x, xStar)).toBeLessThan(1e-9);
  });
});

describe('adam', () => {
  it('on a linear function (constant gradient c) moves by exactly η c/(|c| + ε) per step: the bias corrections hold at every t', () => {
    // Without the corrections the first step would be (1 − β₁)/√(1 − β₂) ≈ 3.16 times larger.
    const c = [3, -0.5, 1e-3];
    const objective: Objective = {
      blocks: [{ name: 'x', size: 3 }],
      value: (x) => dotProduct(c, x),
      gradient: (_x, out = new Float64Array(3)) => out.map((_, i) => c[i]!),
    };
    const eta = 0.01;
    const epsilon = 1e-5;
    const rec = iterateRecorder();
    minimize(objective, new Float64Array(3), { method: 'adam', learningRate: eta, adam: { epsilon }, maxSteps: 200, onStep: rec.onStep });
    for (const t of [1, 2, 3, 10, 200]) {
      const expected = c.map((ci) => (-t * eta * ci) / (Math.abs(ci) + epsilon));
      expectClose(rec.xs[t]!, expected, { rel: 1e-12, abs: 1e-15 }, `x_${t}`);
    }
  });

  it('follows the update of Kingma & Ba for general β₁, β₂ (reference recurrence, 1e-13)', () => {
    const { objective } = quadratic([1, 4, 9], 2);
    const x0 = Float64Array.of(1, -1, 2);
    const options = { beta1: 0.8, beta2: 0.99, epsilon: 1e-6 };
    const eta = 0.05;
    const rec = iterateRecorder();
    minimize(objective, x0, { method: 'adam', learningRate: eta, adam: options, maxSteps: 30, onStep: rec.onStep });
    const x = x0.slice();
    const m = new Float64Array(3);
    const v = new Float64Array(3);
    for (let t = 1; t <= 30; t++) {
      const g = objective.gradient(x);
      for (let i = 0; i < 3; i++) {
        m[i] = options.beta1 * m[i]! + (1 - options.beta1) * g[i]!;
        v[i] = options.beta2 * v[i]! + (1 - options.beta2) * g[i]! ** 2;
        const mHat = m[i]! / (1 - options.beta1 ** t);
        const vHat = v[i]! / (1 - options.beta2 ** t);
        x[i]! -= (eta * mHat) / (Math.sqrt(vHat) + options.epsilon);
      }
      expectClose(rec.xs[t]!, x, { abs: 1e-13 }, `x_${t}`);
    }
  });

  it('converges on a convex quadratic (κ = 100) to x* within 1e-8', () => {
    const { objective, xStar } = quadratic(wideSpectrum, 5);
    const result = minimize(objective, new Float64Array(20).fill(1), { method: 'adam', learningRate: 0.05, maxSteps: 20_000, gradientTolerance: 1e-9 });
    expect(result.reason).toBe('gradient-tolerance');
    expect(distance(result.x, xStar)).toBeLessThan(1e-8);
  });
});

describe('lbfgs', () => {
  it('minimises Rosenbrock from (−1.2, 1) to (1, 1) within 1e-8 in under 100 iterations, every step strong Wolfe', () => {
    const rec = iterateRecorder();
    const result = minimize(rosenbrock(2), Float64Array.of(-1.2, 1), { method: 'lbfgs', maxSteps: 100, gradientTolerance: 1e-10, onStep: rec.onStep });
    expect(result.reason).toBe('gradient-tolerance');
    expect(result.converged).toBe(true);
    expect(result.steps).toBeLessThan(100);
    expect(distance(result.x, [1, 1])).toBeLessThan(1e-8);
    for (let t = 0; t + 1 < rec.xs.length; t++) {
      // The conditions are invariant under scaling p, so they can be checked with s = x_{t+1} − x_t.
      const s = rec.xs[t + 1]!.map((v, k) => v - rec.xs[t]![k]!);
      const slope0 = dotProduct(rec.gradients[t]!, s);
      const slope1 = dotProduct(rec.gradients[t + 1]!, s);
      expect(slope0, `step ${t}: descent`).toBeLessThan(0);
      expect(rec.values[t + 1]!, `step ${t}: sufficient decrease`).toBeLessThanOrEqual(rec.values[t]! + ARMIJO_C1 * slope0 + 1e-15 * rec.values[t]!);
      expect(Math.abs(slope1), `step ${t}: curvature`).toBeLessThanOrEqual(WOLFE_C2 * Math.abs(slope0) * (1 + 1e-6));
    }
  });

  it('minimises the extended Rosenbrock function in 10 and 100 dimensions in under 100 iterations, for memories 1, 3 and 10', () => {
    for (const n of [10, 100]) {
      const x0 = new Float64Array(n).map((_, i) => (i % 2 === 0 ? -1.2 : 1));
      for (const memory of [1, 3, 10]) {
        const result = minimize(rosenbrock(n), x0, { method: 'lbfgs', lbfgs: { memory }, maxSteps: 100, gradientTolerance: 1e-9 });
        expect(result.reason, `n = ${n}, m = ${memory}`).toBe('gradient-tolerance');
        expect(distance(result.x, new Float64Array(n).fill(1))).toBeLessThan(1e-8);
      }
    }
  });

  it('converges on a convex quadratic with f* = 0 to the minimiser (1e-10) in few iterations', () => {
    const { centered, xStar } = quadratic(wideSpectrum, 5);
    const result = minimize(centered, new Float64Array(20).fill(1), { method: 'lbfgs', maxSteps: 200, gradientTolerance: 1e-11 });
    expect(['gradient-tolerance', 'relative-change']).toContain(result.reason);
    expect(distance(result.x, xStar)).toBeLessThan(1e-10);
    expect(result.steps).toBeLessThan(60);
  });

  it('stops as converged ("relative-change") at the rounding floor of f when f* ≠ 0, near x*', () => {
    // f* = −0.616…: below |f − f*| ≈ 1e-16|f*| no step can show a decrease.
    const { objective, xStar, fStar } = quadratic(wideSpectrum, 5);
    const result = minimize(objective, new Float64Array(20).fill(1), { method: 'lbfgs', maxSteps: 1000, gradientTolerance: 1e-14 });
    expect(result.reason).toBe('relative-change');
    expect(result.converged).toBe(true);
    expect(result.value - fStar).toBeLessThan(1e-14 * Math.abs(fStar));
    expect(distance(result.x, xStar)).toBeLessThan(1e-7);
  });

  it('reaches an exact minimum inside the line search without dividing by zero: f = ‖x‖² from (1, 1) stops at step 2 with f = 0', () => {
    // Step 1: p = −∇f, α₀ = 1/‖∇f‖, accepted (strong Wolfe). Step 2: H₀ = γI with γ = sᵀy/yᵀy = ½
    // exactly (y = 2s), so p = −x and α = 1 lands on 0, where φ′ = 0. Step 2's gradient is 0: stop.
    const objective: Objective = {
      blocks: [{ name: 'x', size: 2 }],
      value: (x) => x[0]! ** 2 + x[1]! ** 2,
      gradient: (x, out = new Float64Array(2)) => out.map((_, i) => 2 * x[i]!),
    };
    const result = minimize(objective, Float64Array.of(1, 1), { method: 'lbfgs', maxSteps: 50 });
    expect(result).toMatchObject({ steps: 2, value: 0, gradientNorm: 0, reason: 'gradient-tolerance', converged: true });
    expect(Array.from(result.x)).toEqual([0, 0]);
  });

  it('treats per-block rates as the preconditioner D: the iterates are those of plain L-BFGS on z ↦ f(D^(1/2) z)', () => {
    const { objective } = quadratic([1, 3, 10, 30, 100], 9, [
      { name: 'u', size: 2 },
      { name: 'v', size: 3 },
    ]);
    const rates = { u: 0.25, v: 4 };
    const scale = [0.5, 0.5, 2, 2, 2]; // √η per coordinate
    const scaled: Objective = {
      blocks: [{ name: 'z', size: 5 }],
      value: (z) => objective.value(z.map((v, k) => v * scale[k]!)),
      gradient: (z, out = new Float64Array(5)) => {
        const g = objective.gradient(z.map((v, k) => v * scale[k]!));
        return out.map((_, k) => g[k]! * scale[k]!);
      },
    };
    const x0 = Float64Array.of(1, -1, 0.5, 2, -3);
    const recX = iterateRecorder();
    const recZ = iterateRecorder();
    minimize(objective, x0, { method: 'lbfgs', learningRate: rates, maxSteps: 6, onStep: recX.onStep });
    minimize(scaled, x0.map((v, k) => v / scale[k]!), { method: 'lbfgs', maxSteps: 6, onStep: recZ.onStep });
    expect(recX.xs).toHaveLength(recZ.xs.length);
    for (let t = 0; t < recX.xs.length; t++) {
      expectClose(recX.xs[t]!, recZ.xs[t]!.map((v, k) => v * scale[k]!), { abs: 1e-12 }, `x_${t}`);
    }
  });

  it('backs off from a region where f is NaN, Infinity or overflows, instead of reporting divergence', () => {
    // f = ‖x − 1‖² inside ‖x‖ < 4; outside NaN (or +∞, or e^{‖x‖²}, which overflows). A first
    // trial step of length 1000 (learning rate 1e6) lands far outside.
    for (const outside of [() => Number.NaN, () => Infinity, (r2: number) => Math.exp(r2)]) {
      const objective: Objective = {
        blocks: [{ name: 'x', size: 2 }],
        value: (x) => {
          const r2 = x[0]! ** 2 + x[1]! ** 2;
          return r2 < 16 ? (x[0]! - 1) ** 2 + (x[1]! - 1) ** 2 : outside(r2);
        },
        gradient: (x, out = new Float64Array(2)) => {
          const r2 = x[0]! ** 2 + x[1]! ** 2;
          return r2 < 16 ? out.map((_, i) => 2 * (x[i]! - 1)) : out.fill(outside(r2));
        },
      };
      const result = minimize(objective, Float64Array.of(-1, 0), { method: 'lbfgs', learningRate: 1e6, maxSteps: 100, gradientTolerance: 1e-10 });
      expect(result.reason).toBe('gradient-tolerance');
      expect(distance(result.x, [1, 1])).toBeLessThan(1e-10);
    }
  });

  it('throws DivergenceError when f is NaN at every trial, however short the step (also gd with Armijo)', () => {
    const x0 = Float64Array.of(1, 2);
    const objective: Objective = {
      blocks: [{ name: 'x', size: 2 }],
      value: (x) => (x[0] === x0[0] && x[1] === x0[1] ? 1 : Number.NaN),
      gradient: (_x, out = new Float64Array(2)) => out.fill(1),
    };
    expect(() => minimize(objective, x0, { method: 'lbfgs', maxSteps: 10 })).toThrow('L-BFGS diverged at step 1: value = NaN');
    expect(() => minimize(objective, x0, { method: 'gd', lineSearch: 'armijo', maxSteps: 10 })).toThrow(
      'gradient descent with Armijo backtracking diverged at step 1: value = NaN',
    );
  });
});

describe('every method on one convex quadratic', () => {
  const { objective, xStar } = quadratic([1, 2, 5, 10], 7);
  const x0 = Float64Array.of(3, -1, 2, 0.5);
  const settings = [
    { method: 'gd', learningRate: 0.1 },
    { method: 'gd', lineSearch: 'armijo' },
    { method: 'momentum', learningRate: 0.05 },
    { method: 'nesterov', learningRate: 0.05 },
    { method: 'adam', learningRate: 0.02 },
    { method: 'lbfgs' },
  ] as const;
  for (const setting of settings) {
    it(`${setting.method}${'lineSearch' in setting ? ' (Armijo)' : ''} converges to the known minimiser (‖x − x*‖ ≤ 1e-8)`, () => {
      const result = minimize(objective, x0, { ...setting, maxSteps: 50_000, gradientTolerance: 1e-9 });
      expect(['gradient-tolerance', 'relative-change']).toContain(result.reason);
      expect(distance(result.x, xStar)).toBeLessThan(1e-8);
      expect(norm(objective.gradient(result.x))).toBeLessThan(1e-8);
    });
  }
});
