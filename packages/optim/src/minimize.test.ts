/**
 * The driver of `minimize`: option validation, every stop reason, history sampling, callbacks,
 * interruption, divergence detection, frozen blocks and exact minima, for every method.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, NonFiniteError, ShapeError } from '@shallowscape/linalg';
import { expectClose } from '@shallowscape/test-utils';
import { DivergenceError } from './divergence-error';
import { minimize, minimizeAsync, type MinimizeOptions } from './minimize';
import type { Objective } from './objective';
import { distance, iterateRecorder, norm, quadratic } from './testing/test-problems';

const ALL_METHODS = [
  { method: 'gd' },
  { method: 'gd', lineSearch: 'armijo' },
  { method: 'momentum' },
  { method: 'nesterov' },
  { method: 'adam' },
  { method: 'lbfgs' },
] as const satisfies readonly Partial<MinimizeOptions>[];
const label = (m: (typeof ALL_METHODS)[number]): string => ('lineSearch' in m ? `${m.method} (Armijo)` : m.method);

/** f(x) = ½ Σ λ_i x_i² + offset, separable, minimised at 0. */
function diagonalQuadratic(lambda: number[], offset = 0, blocks = [{ name: 'x', size: lambda.length }]): Objective {
  return {
    blocks,
    value: (x) => lambda.reduce((s, l, i) => s + 0.5 * l * x[i]! ** 2, offset),
    gradient: (x, out = new Float64Array(lambda.length)) => {
      for (let i = 0; i < lambda.length; i++) out[i] = lambda[i]! * x[i]!;
      return out;
    },
  };
}

/** Wraps an objective so that evaluation number `k` (1-based, counting value() calls) returns `bad`. */
function failingAt(objective: Objective, k: number, bad: number): Objective {
  let calls = 0;
  return {
    blocks: objective.blocks,
    value: (x) => (++calls === k ? bad : objective.value(x)),
    gradient: (x, out) => objective.gradient(x, out),
  };
}

describe('minimize: argument validation (before any evaluation)', () => {
  let evaluations = 0;
  const objective: Objective = {
    blocks: [
      { name: 'u', size: 2 },
      { name: 'v', size: 2 },
    ],
    value: () => (evaluations++, 0),
    gradient: (_x, out = new Float64Array(4)) => (evaluations++, out.fill(0)),
  };
  const x = new Float64Array(4);
  const base: MinimizeOptions = { method: 'gd', maxSteps: 10 };
  const cases: [string, () => unknown, RegExp, (abstract new (...args: never[]) => Error)?][] = [
    ['an unknown method', () => minimize(objective, x, { ...base, method: 'sgd' as 'gd' }), /^invalid method: "sgd" \(expected one of "gd", "momentum", "nesterov", "adam", "lbfgs"\)$/],
    ['x0 not a Float64Array', () => minimize(objective, [0, 0, 0, 0] as unknown as Float64Array, base), /invalid x0: array of length 4/],
    ['x0 of the wrong length', () => minimize(objective, new Float64Array(3), base), /x0 has length 3, but the objective's blocks have 4 parameters/, ShapeError],
    ['x0 with NaN', () => minimize(objective, Float64Array.of(0, Number.NaN, 0, 0), base), /x0/, NonFiniteError],
    ['a zero learning rate', () => minimize(objective, x, { ...base, learningRate: 0 }), /invalid learningRate: 0 \(expected a positive finite number\)/],
    ['an infinite learning rate', () => minimize(objective, x, { ...base, learningRate: Infinity }), /invalid learningRate: Infinity/],
    ['an unknown block name', () => minimize(objective, x, { ...base, learningRate: { u: 1, v: 1, w: 2 } }), /invalid learningRate\.w: 2 \(expected a key among the block names u, v\)/],
    ['a missing block', () => minimize(objective, x, { ...base, learningRate: { u: 1 } }), /invalid learningRate\.v: undefined/],
    ['a negative block rate', () => minimize(objective, x, { ...base, learningRate: { u: -0.1, v: 1 } }), /invalid learningRate\.u: -0\.1/],
    ['every block frozen', () => minimize(objective, x, { ...base, learningRate: { u: 0, v: 0 } }), /invalid learningRate: object \(expected at least one block with a positive rate/],
    ['a negative maxSteps', () => minimize(objective, x, { ...base, maxSteps: -1 }), /invalid maxSteps: -1 \(expected a non-negative integer\)/],
    ['a fractional maxSteps', () => minimize(objective, x, { ...base, maxSteps: 2.5 }), /invalid maxSteps: 2\.5/],
    ['a missing maxSteps', () => minimize(objective, x, { method: 'gd' } as MinimizeOptions), /invalid maxSteps: undefined/],
    ['Armijo with adam', () => minimize(objective, x, { ...base, method: 'adam', lineSearch: 'armijo' }), /invalid lineSearch: "armijo" \(expected "none" with method "adam"/],
    ['an unknown line search', () => minimize(objective, x, { ...base, lineSearch: 'wolfe' as 'none' }), /invalid lineSearch: "wolfe"/],
    ['momentum 1', () => minimize(objective, x, { ...base, method: 'momentum', momentum: 1 }), /invalid momentum: 1 \(expected a number in \[0, 1\)\)/],
    ['adam.beta2 = −0.1', () => minimize(objective, x, { ...base, method: 'adam', adam: { beta2: -0.1 } }), /invalid adam\.beta2: -0\.1/],
    ['adam.epsilon = 0', () => minimize(objective, x, { ...base, method: 'adam', adam: { epsilon: 0 } }), /invalid adam\.epsilon: 0/],
    ['lbfgs.memory = 0', () => minimize(objective, x, { ...base, method: 'lbfgs', lbfgs: { memory: 0 } }), /invalid lbfgs\.memory: 0 \(expected an integer ≥ 1\)/],
    ['a negative gradientTolerance', () => minimize(objective, x, { ...base, gradientTolerance: -1 }), /invalid gradientTolerance: -1/],
    ['a NaN valueTolerance', () => minimize(objective, x, { ...base, valueTolerance: Number.NaN }), /invalid valueTolerance: NaN/],
    ['a negative relativeChangeTolerance', () => minimize(objective, x, { ...base, relativeChangeTolerance: -1e-9 }), /invalid relativeChangeTolerance/],
    ['a negative timeBudgetMs', () => minimize(objective, x, { ...base, timeBudgetMs: -5 }), /invalid timeBudgetMs: -5/],
    ['historyEvery = 0', () => minimize(objective, x, { ...base, historyEvery: 0 }), /invalid historyEvery: 0 \(expected an integer ≥ 1\)/],
    ['a signal that is not an AbortSignal', () => minimize(objective, x, { ...base, signal: {} as AbortSignal }), /invalid signal: object/],
    ['an onStep that is not a function', () => minimize(objective, x, { ...base, onStep: 1 as never }), /invalid onStep: 1/],
    ['a NaN divergenceThreshold', () => minimize(objective, x, { ...base, divergenceThreshold: Number.NaN }), /invalid divergenceThreshold: NaN/],
    ['options that are not an object', () => minimize(objective, x, null as unknown as MinimizeOptions), /invalid options: null/],
  ];
  for (const [what, call, message, type] of cases) {
    it(`rejects ${what}`, () => {
      evaluations = 0;
      expect(call).toThrow(type ?? InvalidArgumentError);
      expect(call).toThrow(message);
      expect(evaluations).toBe(0);
    });
  }

  it('rejects a negative yieldIntervalMs in minimizeAsync', async () => {
    await expect(minimizeAsync(objective, x, { ...base, yieldIntervalMs: -1 })).rejects.toThrow(/invalid yieldIntervalMs: -1/);
  });
});

describe('minimize: stop reasons', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('"value-tolerance" at the first step with f ≤ valueTolerance (closed form f_t = ½λ(1 − ηλ)^{2t} x₀²)', () => {
    const objective = diagonalQuadratic([2]);
    const x0 = Float64Array.of(3);
    const eta = 0.1;
    const tol = 1e-6;
    let predicted = 0;
    while (0.5 * 2 * ((1 - eta * 2) ** predicted * 3) ** 2 > tol) predicted++;
    const result = minimize(objective, x0, { method: 'gd', learningRate: eta, maxSteps: 1000, valueTolerance: tol });
    expect(result).toMatchObject({ reason: 'value-tolerance', converged: true, steps: predicted });
    expect(result.value).toBeLessThanOrEqual(tol);
  });

  it('"relative-change" at the first step with |f_t − f_{t−1}| ≤ tol · max(|f_t|, |f_{t−1}|)', () => {
    // f = ½x² + 1: f_t = ½(1 − η)^{2t}x₀² + 1.
    const objective = diagonalQuadratic([1], 1);
    const eta = 0.2;
    const tol = 1e-8;
    const f = (t: number): number => 0.5 * ((1 - eta) ** t * 4) ** 2 + 1;
    let predicted = 1;
    while (Math.abs(f(predicted) - f(predicted - 1)) > tol * Math.max(f(predicted), f(predicted - 1))) predicted++;
    const result = minimize(objective, Float64Array.of(4), { method: 'gd', learningRate: eta, maxSteps: 1000, relativeChangeTolerance: tol });
    expect(result).toMatchObject({ reason: 'relative-change', converged: true, steps: predicted });
  });

  it('"max-steps" after exactly maxSteps updates, not converged; maxSteps 0 evaluates x₀ only', () => {
    const { objective } = quadratic([1, 2, 5, 10], 7);
    const x0 = Float64Array.of(3, -1, 2, 0.5);
    for (const m of ALL_METHODS) {
      const result = minimize(objective, x0, { ...m, maxSteps: 3 });
      expect(result, label(m)).toMatchObject({ reason: 'max-steps', converged: false, steps: 3 });
      const none = minimize(objective, x0, { ...m, maxSteps: 0 });
      expect(none).toMatchObject({ reason: 'max-steps', steps: 0, evaluations: 1, value: objective.value(x0) });
    }
  });

  it('"time-budget" at the first iterate evaluated timeBudgetMs after the start (performance.now mocked)', () => {
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (clock += 10));
    // The start reads 10; iterate t is evaluated at 10(t + 2), i.e. 10(t + 1) ms after the start.
    const result = minimize(diagonalQuadratic([1]), Float64Array.of(1), { method: 'gd', learningRate: 0.1, maxSteps: 1000, timeBudgetMs: 45 });
    expect(result).toMatchObject({ reason: 'time-budget', converged: false, steps: 4, elapsedMs: 50 });
    expect(result.history.time).toEqual([10, 20, 30, 40, 50]);
  });

  it('"callback" when onStep returns false; a convergence reason at the same step takes precedence', () => {
    const { objective } = quadratic([1, 2, 5, 10], 7);
    for (const m of ALL_METHODS) {
      const steps: number[] = [];
      const result = minimize(objective, Float64Array.of(3, -1, 2, 0.5), {
        ...m,
        maxSteps: 100,
        onStep: ({ step }) => (steps.push(step), step < 3),
      });
      expect(result, label(m)).toMatchObject({ reason: 'callback', converged: false, steps: 3 });
      expect(steps).toEqual([0, 1, 2, 3]);
    }
    const atMinimum = minimize(diagonalQuadratic([1, 2]), new Float64Array(2), { method: 'gd', maxSteps: 10, onStep: () => false });
    expect(atMinimum.reason).toBe('gradient-tolerance');
  });

  it('passes onStep the step, value, gradient norm, a view of x and ∇f, and the elapsed time', () => {
    const objective = diagonalQuadratic([1, 4], 0, [
      { name: 'a', size: 1 },
      { name: 'b', size: 1 },
    ]);
    let last = -1;
    minimize(objective, Float64Array.of(2, 1), {
      method: 'adam',
      learningRate: { a: 0.1, b: 0 },
      maxSteps: 5,
      onStep: (info) => {
        expect(info.value).toBe(objective.value(info.x));
        expect(Array.from(info.gradient)).toEqual(Array.from(objective.gradient(info.x)));
        // The gradient norm leaves out the frozen block b.
        expect(info.gradientNorm).toBe(Math.abs(info.gradient[0]!));
        expect(info.elapsedMs).toBeGreaterThanOrEqual(Math.max(last, 0));
        last = info.elapsedMs;
        expect(info.step).toBeGreaterThanOrEqual(0);
      },
    });
  });

  it('"interrupted" when the signal is aborted, returning the iterate at which it was seen', () => {
    const { objective } = quadratic([1, 2, 5, 10], 7);
    for (const m of ALL_METHODS) {
      const controller = new AbortController();
      const rec = iterateRecorder();
      const result = minimize(objective, Float64Array.of(3, -1, 2, 0.5), {
        ...m,
        maxSteps: 1000,
        signal: controller.signal,
        onStep: (info) => {
          rec.onStep(info);
          if (info.step === 4) controller.abort();
        },
      });
      expect(result, label(m)).toMatchObject({ reason: 'interrupted', converged: false, steps: 4 });
      expect(Array.from(result.x)).toEqual(Array.from(rec.xs[4]!));
      expect(result.value).toBe(rec.values[4]);
      expect(result.history.step.at(-1)).toBe(4);
    }
    const aborted = AbortSignal.abort();
    const before = minimize(objective, Float64Array.of(3, -1, 2, 0.5), { method: 'lbfgs', maxSteps: 10, signal: aborted });
    expect(before).toMatchObject({ reason: 'interrupted', steps: 0, evaluations: 1 });
  });

  it('minimizeAsync lets a timer abort the run ("interrupted"), keeping the last good iterate', async () => {
    let evaluations = 0;
    const base = diagonalQuadratic([1e-9]); // converges far too slowly to stop on its own
    const objective: Objective = { ...base, value: (x) => (evaluations++, base.value(x)) };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const result = await minimizeAsync(objective, Float64Array.of(1), {
      method: 'gd',
      learningRate: 0.5,
      maxSteps: Number.MAX_SAFE_INTEGER,
      signal: controller.signal,
      historyEvery: 1_000_000,
      yieldIntervalMs: 5,
    });
    expect(result.reason).toBe('interrupted');
    expect(result.steps).toBeGreaterThan(0);
    expect(result.evaluations).toBe(evaluations);
    expect(result.value).toBe(base.value(result.x));
    expectClose(result.x[0]!, (1 - 0.5e-9) ** result.steps, { rel: 1e-9 }, 'x_t = (1 − ηλ)^t');
  });

  it('minimizeAsync returns the iterates of minimize bit for bit', async () => {
    const { objective } = quadratic([1, 3, 10], 4);
    for (const m of ALL_METHODS) {
      const x0 = Float64Array.of(1, 2, 3);
      const sync = minimize(objective, x0, { ...m, maxSteps: 25 });
      const async_ = await minimizeAsync(objective, x0, { ...m, maxSteps: 25, yieldIntervalMs: 0 });
      expect(Array.from(async_.x), label(m)).toEqual(Array.from(sync.x));
      expect(async_.history.value).toEqual(sync.history.value);
    }
  });
});

describe('minimize: history', () => {
  const objective = diagonalQuadratic([1, 3]);

  it('records every k-th step and the last step once, with the values and gradient norms of those iterates', () => {
    for (const [maxSteps, every, steps] of [
      [10, 3, [0, 3, 6, 9, 10]],
      [9, 3, [0, 3, 6, 9]],
      [4, 10, [0, 4]],
      [0, 2, [0]],
    ] as const) {
      const rec = iterateRecorder();
      const result = minimize(objective, Float64Array.of(1, -1), { method: 'momentum', learningRate: 0.1, maxSteps, historyEvery: every, onStep: rec.onStep });
      expect(result.history.step).toEqual(steps);
      expect(result.history.value).toEqual(steps.map((t) => rec.values[t]));
      expectClose(result.history.gradientNorm, steps.map((t) => norm(rec.gradients[t]!)), { rel: 1e-15 });
      expect(result.history.time).toHaveLength(steps.length);
      for (let i = 1; i < steps.length; i++) expect(result.history.time[i]!).toBeGreaterThanOrEqual(result.history.time[i - 1]!);
      expect(result.value).toBe(result.history.value.at(-1));
    }
  });

  it('counts evaluations: one per step for fixed-step methods, line-search trials included for L-BFGS', () => {
    const fixed = minimize(objective, Float64Array.of(1, -1), { method: 'nesterov', learningRate: 0.1, maxSteps: 17 });
    expect(fixed.evaluations).toBe(18);
    const lbfgs = minimize(objective, Float64Array.of(1, -1), { method: 'lbfgs', maxSteps: 17, gradientTolerance: 1e-12 });
    expect(lbfgs.evaluations).toBeGreaterThanOrEqual(lbfgs.steps + 1);
  });

  it('never modifies x₀ and returns a new array', () => {
    for (const m of ALL_METHODS) {
      const x0 = Float64Array.of(1, -1);
      const result = minimize(objective, x0, { ...m, maxSteps: 5 });
      expect(Array.from(x0)).toEqual([1, -1]);
      expect(result.x).not.toBe(x0);
    }
  });
});

describe('minimize: divergence detection', () => {
  it('throws DivergenceError naming the exact step of a NaN or infinite value, and the method', () => {
    const objective = diagonalQuadratic([1, 2]);
    const names = {
      gd: 'gradient descent',
      momentum: 'heavy-ball momentum',
      nesterov: 'Nesterov momentum',
      adam: 'Adam',
    } as const;
    for (const method of ['gd', 'momentum', 'nesterov', 'adam'] as const) {
      for (const [k, bad] of [
        [1, Number.NaN],
        [6, Number.POSITIVE_INFINITY],
        [4, Number.NEGATIVE_INFINITY],
      ] as const) {
        let error: unknown;
        try {
          minimize(failingAt(objective, k, bad), Float64Array.of(1, 1), { method, maxSteps: 100 });
        } catch (e) {
          error = e;
        }
        expect(error, `${method}, evaluation ${k}`).toBeInstanceOf(DivergenceError);
        const d = error as DivergenceError;
        expect(d.step).toBe(k - 1);
        expect(d.method).toBe(names[method]);
        expect(d.quantity).toBe('value');
        expect(d.value).toBe(bad);
        expect(d.message).toMatch(new RegExp(`^${names[method]} diverged at step ${k - 1}: value = -?(NaN|Infinity)`));
      }
    }
  });

  it('throws at the exact step where heavy ball with η > 2(1 + β)/λ blows past the threshold', () => {
    // Per the recurrence x_{t+1} = (1 + β − ηλ)x_t − βx_{t−1}, |root| > 1 when ηλ > 2(1 + β).
    const lambda = 2;
    const eta = 2;
    const beta = 0.5;
    const objective = diagonalQuadratic([lambda]);
    const f0 = 0.5 * lambda;
    const threshold = 1e12 * Math.max(1, f0);
    let [previous, x] = [1, 1 - eta * lambda];
    let predicted = 1;
    while (0.5 * lambda * x * x <= threshold) {
      [previous, x] = [x, (1 + beta - eta * lambda) * x - beta * previous];
      predicted++;
    }
    let error: unknown;
    try {
      minimize(objective, Float64Array.of(1), { method: 'momentum', learningRate: eta, momentum: beta, maxSteps: 1000 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as DivergenceError).step).toBe(predicted);
    expect((error as DivergenceError).threshold).toBe(threshold);
    expect((error as DivergenceError).message).toMatch(/^heavy-ball momentum diverged at step \d+: value = [0-9.e+]+ exceeds the divergence threshold 1000000000000 /);
  });

  it('checks the gradient too, frozen blocks included, and the starting point', () => {
    const blocks = [
      { name: 'u', size: 1 },
      { name: 'v', size: 1 },
    ];
    const nanInFrozen: Objective = {
      blocks,
      value: () => 1,
      gradient: (_x, out = new Float64Array(2)) => out.fill(1).fill(Number.NaN, 1),
    };
    expect(() => minimize(nanInFrozen, new Float64Array(2), { method: 'gd', learningRate: { u: 0.1, v: 0 }, maxSteps: 3 })).toThrow(
      'gradient descent diverged at step 0: gradient norm = NaN',
    );
    const infiniteStart: Objective = { blocks, value: () => Infinity, gradient: (_x, out = new Float64Array(2)) => out.fill(0) };
    for (const m of ALL_METHODS) {
      expect(() => minimize(infiniteStart, new Float64Array(2), { ...m, maxSteps: 3 })).toThrow(/diverged at step 0: value = Infinity/);
    }
  });

  it('honours an explicit divergenceThreshold for every method that can overshoot', () => {
    const objective = diagonalQuadratic([1]);
    for (const method of ['gd', 'momentum', 'nesterov'] as const) {
      expect(() => minimize(objective, Float64Array.of(1), { method, learningRate: 5, maxSteps: 100, divergenceThreshold: 100 })).toThrow(
        /exceeds the divergence threshold 100 /,
      );
    }
  });
});

describe('minimize: frozen blocks and exact minima, every method', () => {
  // Two blocks u (2) and v (2) of a coupled convex quadratic.
  const { objective, a, b } = quadratic([1, 2, 4, 8], 31, [
    { name: 'u', size: 2 },
    { name: 'v', size: 2 },
  ]);
  // v holds −0, a subnormal and 1/3, which must survive bit for bit.
  const x0 = Float64Array.of(0.5, -0.25, -0, 1 / 3);
  x0[2] = -0;
  const frozenV = Float64Array.of(-0, 1 / 3);
  // The conditional minimiser over u with v fixed: A_uu u = b_u − A_uv v.
  const auu = [a.get(0, 0), a.get(0, 1), a.get(1, 0), a.get(1, 1)];
  const rhs = [0, 1].map((i) => b[i]! - a.get(i, 2) * frozenV[0]! - a.get(i, 3) * frozenV[1]!);
  const det = auu[0]! * auu[3]! - auu[1]! * auu[2]!;
  const uStar = [(auu[3]! * rhs[0]! - auu[1]! * rhs[1]!) / det, (auu[0]! * rhs[1]! - auu[2]! * rhs[0]!) / det];

  for (const m of ALL_METHODS) {
    it(`${label(m)}: a block with rate 0 stays bit for bit, the other converges to the conditional minimiser`, () => {
      const rate = m.method === 'adam' ? 0.02 : m.method === 'lbfgs' || 'lineSearch' in m ? 1 : 0.1;
      const result = minimize(objective, x0, { ...m, learningRate: { u: rate, v: 0 }, maxSteps: 20_000, gradientTolerance: 1e-10 });
      const bits = (v: Float64Array): number[] => Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length * 2));
      expect(bits(result.x.slice(2))).toEqual(bits(Float64Array.of(-0, 1 / 3)));
      expect(Object.is(result.x[2], -0)).toBe(true);
      expect(['gradient-tolerance', 'relative-change']).toContain(result.reason);
      expect(distance(result.x.subarray(0, 2), uStar)).toBeLessThan(1e-9);
      // The reported gradient norm is over the trainable block only.
      const g = objective.gradient(result.x);
      expectClose(result.gradientNorm, Math.hypot(g[0]!, g[1]!), { rel: 1e-12, abs: 1e-300 });
      expect(Math.hypot(g[2]!, g[3]!)).toBeGreaterThan(1e-3);
    });
  }

  for (const m of ALL_METHODS) {
    it(`${label(m)}: started at an exact minimum (zero risk, ∇f = 0) it stops at once as converged`, () => {
      const zeroRisk: Objective = {
        blocks: [{ name: 'x', size: 3 }],
        value: (x) => x.reduce((s, v) => s + v * v, 0),
        gradient: (x, out = new Float64Array(3)) => out.map((_, i) => 2 * x[i]!),
      };
      const result = minimize(zeroRisk, new Float64Array(3), { ...m, maxSteps: 100, valueTolerance: 0 });
      expect(result).toMatchObject({ steps: 0, value: 0, gradientNorm: 0, reason: 'gradient-tolerance', converged: true, evaluations: 1 });
    });
  }

  it('every method reaching zero risk on a consistent least-squares problem stops as converged, without error', () => {
    // f(x) = (1/N)‖Mx − y‖² with y = M x*: zero risk at x*.
    const m = [
      [1, 2, 0],
      [0, 1, -1],
      [2, 0, 1],
      [1, 1, 1],
    ];
    const xStar = [0.5, -1, 2];
    const y = m.map((row) => row.reduce((s, v, j) => s + v * xStar[j]!, 0));
    const residual = (x: ArrayLike<number>): number[] => m.map((row, i) => row.reduce((s, v, j) => s + v * x[j]!, 0) - y[i]!);
    const leastSquares: Objective = {
      blocks: [{ name: 'x', size: 3 }],
      value: (x) => residual(x).reduce((s, r) => s + r * r, 0) / 4,
      gradient: (x, out = new Float64Array(3)) => {
        const r = residual(x);
        return out.map((_, j) => r.reduce((s, ri, i) => s + (2 / 4) * ri * m[i]![j]!, 0));
      },
    };
    for (const method of ALL_METHODS) {
      const result = minimize(leastSquares, Float64Array.of(1, 1, 1), {
        ...method,
        learningRate: method.method === 'adam' ? 0.01 : method.method === 'lbfgs' || 'lineSearch' in method ? 1 : 0.05,
        maxSteps: 100_000,
        gradientTolerance: 1e-12,
        valueTolerance: 1e-26,
      });
      expect(result.converged, label(method)).toBe(true);
      expect(distance(result.x, xStar), label(method)).toBeLessThan(1e-10);
    }
  });
});
