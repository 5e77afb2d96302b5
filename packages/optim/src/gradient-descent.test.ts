import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError, ShapeError } from '@shallowscape/linalg';
import { expectClose } from '@shallowscape/test-utils';
import { DivergenceError } from './divergence-error';
import { gradientDescent } from './gradient-descent';
import { objectiveLayout, type Objective } from './objective';
import { norm, quadratic } from './testing/test-problems';

describe('gradientDescent on a convex quadratic ½xᵀAx − bᵀx with known spectrum', () => {
  const lambda = [1, 2, 5, 10];
  const { objective, xStar, exactIterate } = quadratic(lambda, 7);
  const x0 = Float64Array.of(3, -1, 2, 0.5);

  it('reproduces the exact iterates x* + (I − ηA)^t (x₀ − x*) (tolerance 1e-12 relative to ‖x₀ − x*‖)', () => {
    const eta = 0.15;
    const e0 = norm(x0.map((v, i) => v - xStar[i]!));
    for (const t of [1, 2, 5, 40]) {
      const result = gradientDescent(objective, x0, { learningRate: eta, maxSteps: t });
      expect(result.steps).toBe(t);
      expect(result.reason).toBe('max-steps');
      expectClose(result.x, exactIterate(x0, eta, t), { abs: 1e-12 * e0 }, `x_${t}`);
    }
  });

  it('contracts the error at the linear rate ρ = max|1 − ηλ_i| (optimal η = 2/(λ_min + λ_max))', () => {
    const eta = 2 / (1 + 10);
    const rho = Math.max(...lambda.map((l) => Math.abs(1 - eta * l))); // (κ − 1)/(κ + 1) = 9/11
    expectClose(rho, 9 / 11, { rel: 1e-15 });
    const errors: number[] = [];
    gradientDescent(objective, x0, {
      learningRate: eta,
      maxSteps: 60,
      onStep: ({ x }) => {
        errors.push(norm(x.map((v, i) => v - xStar[i]!)));
      },
    });
    expect(errors).toHaveLength(61);
    for (let t = 1; t < errors.length; t++) {
      // Never slower than ρ per step (up to rounding in x_t: 1e-14 absolute, ‖x*‖ ≈ 1).
      expect(errors[t]!).toBeLessThanOrEqual(rho * errors[t - 1]! + 1e-14);
    }
    // Asymptotically exactly ρ: both extreme eigen-directions contract by 9/11 in absolute value,
    // the others by 7/11 and 1/11 (their share at t = 60 is below 1e-13; rounding ≈ 1e-10).
    expectClose(errors[60]! / errors[59]!, rho, { rel: 1e-8 }, 'observed rate');
  });

  it('stops on the gradient tolerance at the first step the closed form predicts, near x*', () => {
    const eta = 0.1;
    const tol = 1e-8;
    const result = gradientDescent(objective, x0, { learningRate: eta, maxSteps: 10_000, gradientTolerance: tol });
    expect(result.reason).toBe('gradient-tolerance');
    expect(result.gradientNorm).toBeLessThanOrEqual(tol);
    // Predicted from the exact iterates: first t with ‖A(x_t − x*)‖ ≤ tol.
    const grad = new Float64Array(4);
    let predicted = 0;
    while (norm(objective.gradient(exactIterate(x0, eta, predicted), grad)) > tol) predicted++;
    expect(result.steps).toBe(predicted);
    expectClose(result.x, xStar, { abs: 1e-7 }, 'x_T');
  });

  it('records the history every k steps plus the last step, with the values of those iterates', () => {
    const eta = 0.1;
    const result = gradientDescent(objective, x0, { learningRate: eta, maxSteps: 10, historyEvery: 3 });
    expect(result.history.step).toEqual([0, 3, 6, 9, 10]);
    const expected = result.history.step.map((t) => objective.value(exactIterate(x0, eta, t)));
    expectClose(result.history.value, expected, { rel: 1e-12 }, 'history.value');
    expect(result.history.gradientNorm[0]).toBeCloseTo(norm(objective.gradient(x0)), 12);
    expect(result.value).toBe(result.history.value[4]);
  });

  it('does not modify x₀, and maxSteps 0 evaluates without moving', () => {
    const copy = x0.slice();
    const result = gradientDescent(objective, x0, { learningRate: 0.1, maxSteps: 0 });
    expect(x0).toEqual(copy);
    expect(result.x).toEqual(copy);
    expect(result.x).not.toBe(x0);
    expect(result.steps).toBe(0);
    expect(result.reason).toBe('max-steps');
  });

  it('stops at once at an exact stationary point even with tolerance 0', () => {
    const at = gradientDescent(
      { blocks: [{ name: 'x', size: 1 }], value: (x) => x[0]! ** 2, gradient: (x, out = new Float64Array(1)) => out.fill(2 * x[0]!) },
      Float64Array.of(0),
      { learningRate: 0.1, maxSteps: 5 },
    );
    expect(at.reason).toBe('gradient-tolerance');
    expect(at.steps).toBe(0);
  });

  it('stops when onStep returns false', () => {
    const seen: number[] = [];
    const result = gradientDescent(objective, x0, {
      learningRate: 0.1,
      maxSteps: 100,
      onStep: ({ step }) => {
        seen.push(step);
        return step < 4;
      },
    });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(result.reason).toBe('callback');
    expect(result.steps).toBe(4);
  });

  it('uses valueAndGradient when the objective provides it', () => {
    let fused = 0;
    const withFused: Objective = {
      ...objective,
      value: () => {
        throw new Error('value() should not be called');
      },
      valueAndGradient(x, out) {
        fused++;
        objective.gradient(x, out);
        return objective.value(x);
      },
    };
    const result = gradientDescent(withFused, x0, { learningRate: 0.1, maxSteps: 7 });
    expect(fused).toBe(8);
    expectClose(result.x, exactIterate(x0, 0.1, 7), { abs: 1e-12 });
  });
});

describe('gradientDescent with per-block learning rates', () => {
  // Diagonal A = diag(1, 4, 2, 8) split into blocks u = (x₀, x₁) and v = (x₂, x₃).
  const lambda = [1, 4, 2, 8];
  const blocks = [
    { name: 'u', size: 2 },
    { name: 'v', size: 2 },
  ];
  const objective: Objective = {
    blocks,
    value: (x) => lambda.reduce((s, l, i) => s + 0.5 * l * x[i]! ** 2, 0),
    gradient: (x, out = new Float64Array(4)) => {
      for (let i = 0; i < 4; i++) out[i] = lambda[i]! * x[i]!;
      return out;
    },
  };
  const x0 = Float64Array.of(1, -2, 3, 0.5);

  it('applies η_b to block b: coordinate i contracts by exactly (1 − η_b λ_i) per step', () => {
    const rates = { u: 0.2, v: 0.05 };
    const t = 9;
    const result = gradientDescent(objective, x0, { learningRate: rates, maxSteps: t });
    const eta = [rates.u, rates.u, rates.v, rates.v];
    const expected = Array.from(x0, (v, i) => v * (1 - eta[i]! * lambda[i]!) ** t);
    expectClose(result.x, expected, { rel: 1e-14, abs: 1e-300 }, 'x_t');
  });

  it('freezes a block whose rate is 0', () => {
    const result = gradientDescent(objective, x0, { learningRate: { u: 0, v: 0.1 }, maxSteps: 20 });
    expect(Array.from(result.x.subarray(0, 2))).toEqual([1, -2]);
    expect(Math.abs(result.x[2]!)).toBeLessThan(3);
  });

  it('rejects a rate record that misses a block or names an unknown one', () => {
    expect(() => gradientDescent(objective, x0, { learningRate: { u: 0.1 }, maxSteps: 1 })).toThrow(/learningRate\.v: undefined/);
    expect(() => gradientDescent(objective, x0, { learningRate: { u: 0.1, v: 0.1, w: 1 }, maxSteps: 1 })).toThrow(
      /learningRate\.w: 1 \(expected a key among the block names u, v\)/,
    );
    expect(() => gradientDescent(objective, x0, { learningRate: { u: -0.1, v: 0.1 }, maxSteps: 1 })).toThrow(InvalidArgumentError);
  });
});

describe('gradientDescent divergence detection', () => {
  const lambda = [1, 2, 5, 10];
  const { objective, exactIterate } = quadratic(lambda, 3);
  const x0 = Float64Array.of(1, 1, 1, 1);

  it('throws DivergenceError at the first step whose value exceeds the threshold (η > 2/λ_max)', () => {
    const eta = 0.3; // |1 − ηλ_max| = 2: the error doubles every step
    const f0 = objective.value(x0);
    const threshold = 1e12 * Math.max(1, Math.abs(f0));
    let predicted = 0;
    while (objective.value(exactIterate(x0, eta, predicted)) <= threshold) predicted++;
    let error: unknown;
    try {
      gradientDescent(objective, x0, { learningRate: eta, maxSteps: 1000 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DivergenceError);
    const d = error as DivergenceError;
    expect(d.step).toBe(predicted);
    expect(d.quantity).toBe('value');
    expect(d.value).toBeGreaterThan(threshold);
    expect(d.threshold).toBe(threshold);
    expect(d.code).toBe('E_DIVERGENCE');
    expect(d.argument).toBe('learningRate');
    expect(d.message).toMatch(new RegExp(`^gradient descent diverged at step ${predicted}: value = [0-9.e+]+ exceeds the divergence threshold`));
  });

  it('honours an explicit divergenceThreshold', () => {
    expect(() => gradientDescent(objective, x0, { learningRate: 0.3, maxSteps: 1000, divergenceThreshold: 1e3 })).toThrow(
      /exceeds the divergence threshold 1000/,
    );
  });

  it('throws DivergenceError naming the step for a NaN value or an infinite gradient', () => {
    let calls = 0;
    const nanLater: Objective = {
      blocks: [{ name: 'x', size: 1 }],
      value: () => (++calls === 3 ? Number.NaN : 1),
      gradient: (_x, out = new Float64Array(1)) => out.fill(1),
    };
    expect(() => gradientDescent(nanLater, Float64Array.of(0), { learningRate: 0.1, maxSteps: 10 })).toThrow(
      'gradient descent diverged at step 2: value = NaN (try a smaller learningRate)',
    );
    const infiniteGradient: Objective = {
      blocks: [{ name: 'x', size: 2 }],
      value: () => 1,
      gradient: (_x, out = new Float64Array(2)) => out.fill(Number.POSITIVE_INFINITY),
    };
    expect(() => gradientDescent(infiniteGradient, new Float64Array(2), { learningRate: 0.1, maxSteps: 10 })).toThrow(
      /at step 0: gradient norm = Infinity/,
    );
  });
});

describe('gradientDescent and objectiveLayout argument checks', () => {
  const objective: Objective = {
    blocks: [
      { name: 'W', size: 3 },
      { name: 'a', size: 1 },
    ],
    value: () => 0,
    gradient: (_x, out = new Float64Array(4)) => out.fill(0),
  };

  it('lays blocks out in order with offsets', () => {
    expect(objectiveLayout(objective)).toEqual({
      blocks: [
        { name: 'W', size: 3, offset: 0 },
        { name: 'a', size: 1, offset: 3 },
      ],
      dimension: 4,
    });
  });

  it('rejects malformed objectives', () => {
    expect(() => objectiveLayout({ ...objective, blocks: [{ name: 'W', size: 1 }, { name: 'W', size: 2 }] })).toThrow(
      /objective\.blocks\[1\]\.name: "W"/,
    );
    expect(() => objectiveLayout({ ...objective, blocks: [{ name: '', size: 1 }] })).toThrow(InvalidArgumentError);
    expect(() => objectiveLayout({ ...objective, blocks: [{ name: 'W', size: -1 }] })).toThrow(/objective\.blocks\[0\]\.size: -1/);
    expect(() => objectiveLayout({ blocks: [] } as unknown as Objective)).toThrow(/objective\.value/);
  });

  it('rejects a wrong-length or non-finite x₀', () => {
    expect(() => gradientDescent(objective, new Float64Array(3), { learningRate: 0.1, maxSteps: 1 })).toThrow(ShapeError);
    expect(() => gradientDescent(objective, Float64Array.of(0, 0, Number.NaN, 0), { learningRate: 0.1, maxSteps: 1 })).toThrow(
      NonFiniteError,
    );
    expect(() => gradientDescent(objective, [0, 0, 0, 0] as unknown as Float64Array, { learningRate: 0.1, maxSteps: 1 })).toThrow(
      /x0/,
    );
  });

  it('rejects invalid options, naming them', () => {
    const x = new Float64Array(4);
    expect(() => gradientDescent(objective, x, { maxSteps: 1 } as never)).toThrow(/invalid learningRate: undefined/);
    expect(() => gradientDescent(objective, x, { learningRate: 0, maxSteps: 1 })).toThrow(/learningRate: 0/);
    expect(() => gradientDescent(objective, x, { learningRate: Number.NaN, maxSteps: 1 })).toThrow(/learningRate: NaN/);
    expect(() => gradientDescent(objective, x, { learningRate: 0.1, maxSteps: 1.5 })).toThrow(/maxSteps: 1\.5/);
    expect(() => gradientDescent(objective, x, { learningRate: 0.1, maxSteps: -1 })).toThrow(/maxSteps/);
    expect(() => gradientDescent(objective, x, { learningRate: 0.1, maxSteps: 1, historyEvery: 0 })).toThrow(/historyEvery: 0/);
    expect(() => gradientDescent(objective, x, { learningRate: 0.1, maxSteps: 1, gradientTolerance: -1 })).toThrow(/gradientTolerance/);
    expect(() => gradientDescent(objective, x, { learningRate: 0.1, maxSteps: 1, divergenceThreshold: Number.NaN })).toThrow(
      /divergenceThreshold/,
    );
  });
});
