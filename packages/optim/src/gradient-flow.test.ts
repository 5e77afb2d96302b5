import { ConvergenceError, InvalidArgumentError, Matrix, NonFiniteError, ShapeError, createRng, eigh, gaussianMatrix } from '@shallowscape/linalg';
import { expectClose } from '@shallowscape/test-utils';
import { describe, expect, it } from 'vitest';
import { DivergenceError } from './divergence-error';
import { gradientFlow, gradientFlowAsync } from './gradient-flow';
import type { Objective } from './objective';

/** f(x) = ½ xᵀAx for a symmetric A, one block 'x'. */
function quadratic(a: Matrix): Objective {
  const n = a.rows;
  const mul = (x: Float64Array, out: Float64Array): Float64Array => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a.data[i * n + j]! * x[j]!;
      out[i] = s;
    }
    return out;
  };
  return {
    blocks: [{ name: 'x', size: n }],
    value: (x) => {
      const ax = mul(x, new Float64Array(n));
      let s = 0;
      for (let i = 0; i < n; i++) s += x[i]! * ax[i]!;
      return 0.5 * s;
    },
    gradient: (x, out = new Float64Array(n)) => mul(x, out),
  };
}

/** A symmetric positive definite matrix with eigenvalues `lambdas` and a seeded random basis. */
function spd(lambdas: number[], seed: number): Matrix {
  const n = lambdas.length;
  const g = gaussianMatrix(n, n, createRng(seed));
  const q = eigh(Matrix.fromRowMajor(n, n, g.data.map((_, k) => g.data[k]! + g.data[(k % n) * n + Math.floor(k / n)]!))).vectors;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q.data[i * n + k]! * lambdas[k]! * q.data[j * n + k]!;
      out[i * n + j] = s;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[i * n + j] = out[j * n + i]!;
  return Matrix.fromRowMajor(n, n, out);
}

/** exp(−tA) x0 through the eigendecomposition A = V Λ Vᵀ. */
function expFlow(a: Matrix, x0: Float64Array, t: number): Float64Array {
  const n = a.rows;
  const { values, vectors } = eigh(a);
  const c = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += vectors.data[i * n + k]! * x0[i]!;
    c[k] = Math.exp(-t * values[k]!) * s;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) out[i]! += vectors.data[i * n + k]! * c[k]!;
  return out;
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('gradientFlow on a quadratic (linear ODE ẋ = −Ax)', () => {
  const a = spd([0.1, 0.3, 0.7, 1.2, 2.5, 5], 11);
  const x0 = createRng(12).fillNormal(new Float64Array(6));

  it('matches exp(−tA)x₀ (via eigh) within the tolerance, ends at endTime exactly', () => {
    for (const rtol of [1e-6, 1e-9]) {
      const r = gradientFlow(quadratic(a), x0, { endTime: 3, rtol, atol: rtol * 1e-2 });
      expect(r.reason).toBe('end-time');
      expect(r.time).toBe(3);
      const exact = expFlow(a, x0, 3);
      // Global error of DOPRI5 is about proportional to the tolerance: allow 20·rtol·max|x₀|.
      expect(maxAbs(r.x, exact)).toBeLessThan(20 * rtol * 2);
      expectClose(r.value, quadratic(a).value(exact), { rel: 100 * rtol });
    }
  });

  it('shows fifth order: error ∝ (steps)^−5 across rtol 1e-4 … 1e-10', () => {
    const logErr: number[] = [];
    const logSteps: number[] = [];
    for (const rtol of [1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10]) {
      const r = gradientFlow(quadratic(a), x0, { endTime: 3, rtol, atol: rtol * 1e-3 });
      logErr.push(Math.log(maxAbs(r.x, expFlow(a, x0, 3))));
      logSteps.push(Math.log(r.steps));
    }
    const k = logErr.length;
    const mx = logSteps.reduce((s, v) => s + v, 0) / k;
    const my = logErr.reduce((s, v) => s + v, 0) / k;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < k; i++) {
      sxy += (logSteps[i]! - mx) * (logErr[i]! - my);
      sxx += (logSteps[i]! - mx) ** 2;
    }
    const slope = sxy / sxx;
    // A fifth-order method: slope −5; a fourth-order one would give −4.
    expect(slope).toBeLessThan(-4.4);
    expect(slope).toBeGreaterThan(-6.5);
    // Error decreasing with the tolerance (monotone within a factor 2 noise).
    for (let i = 1; i < k; i++) expect(logErr[i]!).toBeLessThan(logErr[i - 1]! + Math.log(2));
  });

  it('reuses the last stage (FSAL): evaluations = 2 + 6 (accepted + rejected)', () => {
    const r = gradientFlow(quadratic(a), x0, { endTime: 3 });
    expect(r.evaluations).toBe(2 + 6 * (r.steps + r.rejectedSteps));
    // With an initial step given, Hairer's algorithm is skipped (one evaluation fewer).
    const s = gradientFlow(quadratic(a), x0, { endTime: 3, initialStep: 0.01 });
    expect(s.evaluations).toBe(1 + 6 * (s.steps + s.rejectedSteps));
  });

  it('stays accurate on a stiffer spectrum (λ up to 200): an explicit method takes many steps, with rejections', () => {
    const stiff = spd([0.5, 1, 20, 200], 3);
    const y0 = Float64Array.of(1, -1, 0.5, 2);
    const r = gradientFlow(quadratic(stiff), y0, { endTime: 1, rtol: 1e-8, atol: 1e-10 });
    expect(maxAbs(r.x, expFlow(stiff, y0, 1))).toBeLessThan(1e-6);
    expect(r.steps).toBeGreaterThan(50);
  });
});

/**
 * Two blocks: u (2 coordinates) under f_u = ¼Σu⁴ (u̇ = −u³, u(t) = u₀/√(1 + 2u₀²t)) and v (1
 * coordinate) under f_v = −v²/2 + v³/3 (v̇ = v(1 − v), the logistic v(t) = 1/(1 + (1/v₀ − 1)e^{−t})).
 */
const separable: Objective = {
  blocks: [
    { name: 'u', size: 2 },
    { name: 'v', size: 1 },
  ],
  value: (p) => 0.25 * (p[0]! ** 4 + p[1]! ** 4) - p[2]! ** 2 / 2 + p[2]! ** 3 / 3,
  gradient: (p, out = new Float64Array(3)) => {
    out[0] = p[0]! ** 3;
    out[1] = p[1]! ** 3;
    out[2] = -p[2]! + p[2]! ** 2;
    return out;
  },
};
const quartic = (u0: number, t: number): number => u0 / Math.sqrt(1 + 2 * u0 * u0 * t);
const logistic = (v0: number, t: number): number => 1 / (1 + (1 / v0 - 1) * Math.exp(-t));

/** Rosenbrock f = (1 − x)² + 100(y − x²)². */
const rosenbrock: Objective = {
  blocks: [{ name: 'xy', size: 2 }],
  value: (p) => (1 - p[0]!) ** 2 + 100 * (p[1]! - p[0]! ** 2) ** 2,
  gradient: (p, out = new Float64Array(2)) => {
    out[0] = -2 * (1 - p[0]!) - 400 * p[0]! * (p[1]! - p[0]! ** 2);
    out[1] = 200 * (p[1]! - p[0]! ** 2);
    return out;
  },
};

/** Classical fixed-step RK4 for ẋ = −∇f(x): an independent reference integrator. */
function rk4(objective: Objective, x0: Float64Array, endTime: number, steps: number): Float64Array {
  const n = x0.length;
  const h = endTime / steps;
  const x = x0.slice();
  const f = (z: Float64Array): Float64Array => objective.gradient(z, new Float64Array(n)).map((g) => -g);
  for (let s = 0; s < steps; s++) {
    const k1 = f(x);
    const k2 = f(x.map((v, i) => v + (h / 2) * k1[i]!));
    const k3 = f(x.map((v, i) => v + (h / 2) * k2[i]!));
    const k4 = f(x.map((v, i) => v + h * k3[i]!));
    for (let i = 0; i < n; i++) x[i]! += (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!);
  }
  return x;
}

describe('gradientFlow on nonlinear flows', () => {
  it('matches the closed forms of u̇ = −u³ and the logistic v̇ = v(1 − v) (rtol 1e-10: error < 1e-8)', () => {
    const x0 = Float64Array.of(2, -0.5, 0.1);
    const r = gradientFlow(separable, x0, { endTime: 5, rtol: 1e-10, atol: 1e-12 });
    expectClose(r.x[0]!, quartic(2, 5), { abs: 1e-8 });
    expectClose(r.x[1]!, quartic(-0.5, 5), { abs: 1e-8 });
    expectClose(r.x[2]!, logistic(0.1, 5), { abs: 1e-8 });
  });

  it('follows the Rosenbrock flow of a fixed-step RK4 reference (h = 2.5e-5) to 1e-7', () => {
    const x0 = Float64Array.of(-1.2, 1);
    const reference = rk4(rosenbrock, x0, 2, 80_000);
    const r = gradientFlow(rosenbrock, x0, { endTime: 2, rtol: 1e-10, atol: 1e-12 });
    expect(maxAbs(r.x, reference)).toBeLessThan(1e-7);
    // The value decreases along the flow.
    for (let i = 1; i < r.history.value.length; i++) expect(r.history.value[i]!).toBeLessThanOrEqual(r.history.value[i - 1]! + 1e-12);
  });

  it('per-block rates scale time; a frozen block stays bit for bit', () => {
    const x0 = Float64Array.of(2, -0.5, 0.1);
    const scaled = gradientFlow(separable, x0, { endTime: 4, learningRate: { u: 1, v: 0.5 }, rtol: 1e-10, atol: 1e-12 });
    expectClose(scaled.x[0]!, quartic(2, 4), { abs: 1e-8 });
    expectClose(scaled.x[2]!, logistic(0.1, 2), { abs: 1e-8 });
    const frozen = gradientFlow(separable, x0, { endTime: 4, learningRate: { u: 0, v: 1 }, rtol: 1e-10, atol: 1e-12 });
    expect(Object.is(frozen.x[0], 2) && Object.is(frozen.x[1], -0.5)).toBe(true);
    expectClose(frozen.x[2]!, logistic(0.1, 4), { abs: 1e-8 });
    // The gradient norm counts only the trainable block.
    expectClose(frozen.gradientNorm, Math.abs(-frozen.x[2]! + frozen.x[2]! ** 2), { rel: 1e-14 });
    const frozenV = gradientFlow(separable, x0, { endTime: 4, learningRate: { u: 1, v: 0 } });
    expect(frozenV.x[2]).toBe(0.1);
  });
});

describe('gradientFlow stopping, history, callbacks', () => {
  const half: Objective = {
    blocks: [{ name: 'x', size: 1 }],
    value: (p) => 0.5 * p[0]! ** 2,
    gradient: (p, out = new Float64Array(1)) => out.fill(p[0]!),
  };

  it('stops by gradient tolerance at the first accepted step with ‖∇f‖ ≤ tol', () => {
    const r = gradientFlow(half, Float64Array.of(1), { endTime: Infinity, gradientTolerance: 1e-3 });
    expect(r.reason).toBe('gradient-tolerance');
    expect(r.gradientNorm).toBeLessThanOrEqual(1e-3);
    expect(r.history.gradientNorm[r.history.gradientNorm.length - 2]!).toBeGreaterThan(1e-3);
    expectClose(r.x[0]!, Math.exp(-r.time), { rel: 1e-4 });
  });

  it('stops after maxSteps accepted steps', () => {
    const r = gradientFlow(half, Float64Array.of(1), { endTime: 100, maxSteps: 3 });
    expect([r.reason, r.steps]).toEqual(['max-steps', 3]);
    expect(r.time).toBeLessThan(100);
  });

  it('records every accepted step by default, and at exact multiples of recordEvery otherwise', () => {
    const every = gradientFlow(half, Float64Array.of(1), { endTime: 3 });
    expect(every.history.time.length).toBe(every.steps + 1);
    expect(every.history.time[0]).toBe(0);
    expect(every.history.time[every.history.time.length - 1]).toBe(3);
    const sampled = gradientFlow(half, Float64Array.of(1), { endTime: 1.05, recordEvery: 0.1, rtol: 1e-9, atol: 1e-12 });
    expect(sampled.history.time).toEqual([0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9, 1, 1.05]);
    sampled.history.time.forEach((t, i) => expectClose(sampled.history.value[i]!, 0.5 * Math.exp(-2 * t), { rel: 1e-7 }, `f(x(${t}))`));
  });

  it('stops on a callback returning false, and on an abort (keeping the state)', () => {
    const seen: number[] = [];
    const r = gradientFlow(half, Float64Array.of(1), {
      endTime: 10,
      onStep: (info) => {
        seen.push(info.time);
        return info.step < 4;
      },
    });
    expect([r.reason, r.steps]).toEqual(['callback', 4]);
    expect(seen[0]).toBe(0);
    const controller = new AbortController();
    let stateAtAbort = Number.NaN;
    const s = gradientFlow(half, Float64Array.of(1), {
      endTime: 10,
      signal: controller.signal,
      onStep: (info) => {
        if (info.step === 2) {
          controller.abort();
          stateAtAbort = info.x[0]!;
        }
      },
    });
    expect([s.reason, s.steps, s.x[0]]).toEqual(['interrupted', 2, stateAtAbort]);
  });

  it('gradientFlowAsync gives the same states bit for bit and can be aborted by a timer', async () => {
    const x0 = Float64Array.of(-1.2, 1);
    const sync = gradientFlow(rosenbrock, x0, { endTime: 1 });
    const async = await gradientFlowAsync(rosenbrock, x0, { endTime: 1, yieldIntervalMs: 0 });
    expect(Array.from(async.x)).toEqual(Array.from(sync.x));
    expect(async.steps).toBe(sync.steps);
    const slow: Objective = {
      ...half,
      gradient: (p, out = new Float64Array(1)) => {
        const until = performance.now() + 0.2;
        while (performance.now() < until);
        return out.fill(p[0]!);
      },
    };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const r = await gradientFlowAsync(slow, Float64Array.of(1), { endTime: Infinity, maxSteps: 1e9, signal: controller.signal, yieldIntervalMs: 1 });
    expect(r.reason).toBe('interrupted');
    expect(Number.isFinite(r.x[0]!)).toBe(true);
  });
});

describe('gradientFlow errors', () => {
  const half: Objective = {
    blocks: [{ name: 'x', size: 2 }],
    value: (p) => 0.5 * (p[0]! ** 2 + p[1]! ** 2),
    gradient: (p, out = new Float64Array(2)) => out.map((_, i) => p[i]!),
  };
  const x0 = Float64Array.of(1, 2);

  it('names the invalid option', () => {
    const bad: [object, RegExp][] = [
      [{ endTime: 0 }, /endTime/],
      [{ endTime: Number.NaN }, /endTime/],
      [{ endTime: Infinity }, /endTime/],
      [{ endTime: 1, rtol: 0 }, /rtol/],
      [{ endTime: 1, rtol: 1e-16 }, /rtol/],
      [{ endTime: 1, atol: -1 }, /atol/],
      [{ endTime: 1, maxSteps: 1.5 }, /maxSteps/],
      [{ endTime: 1, recordEvery: 0 }, /recordEvery/],
      [{ endTime: 1, initialStep: -1 }, /initialStep/],
      [{ endTime: 1, learningRate: -1 }, /learningRate/],
      [{ endTime: 1, learningRate: { y: 1 } }, /learningRate\.y/],
      [{ endTime: 1, gradientTolerance: -1 }, /gradientTolerance/],
      [{ endTime: 1, onStep: 3 }, /onStep/],
      [{ endTime: 1, signal: {} }, /signal/],
    ];
    for (const [options, pattern] of bad) {
      expect(() => gradientFlow(half, x0, options as never)).toThrow(InvalidArgumentError);
      expect(() => gradientFlow(half, x0, options as never)).toThrow(pattern);
    }
    expect(() => gradientFlow(half, Float64Array.of(1), { endTime: 1 })).toThrow(ShapeError);
    expect(() => gradientFlow(half, Float64Array.of(1, Number.NaN), { endTime: 1 })).toThrow(NonFiniteError);
    expect(() => gradientFlow(half, x0, null as never)).toThrow(/options/);
  });

  it('throws DivergenceError when f is NaN at an accepted state, ConvergenceError when the step underflows', () => {
    const poisoned: Objective = { ...half, value: (p) => (p[0]! < 0.5 ? Number.NaN : 0.5 * p[0]! ** 2) };
    expect(() => gradientFlow(poisoned, x0, { endTime: 5 })).toThrow(DivergenceError);
    expect(() => gradientFlow(poisoned, x0, { endTime: 5 })).toThrow(/gradient flow diverged at step \d+: value = NaN/);
    // A gradient that is NaN beyond x < 0.5 (a flow reaching a wall): trials are rejected until
    // the step underflows, reported as divergence.
    const wall: Objective = {
      blocks: [{ name: 'x', size: 1 }],
      value: () => 0,
      gradient: (p, out = new Float64Array(1)) => out.fill(p[0]! > 0.5 ? 1 : Number.NaN),
    };
    expect(() => gradientFlow(wall, Float64Array.of(1), { endTime: 5 })).toThrow(/gradient flow diverged at step \d+: gradient norm = NaN/);
    // Finite-time blow-up ẋ = x³ (f = −x⁴/4, x(t) = 1/√(1 − 2t), singular at t = ½): the step size underflows.
    const blowUp: Objective = {
      blocks: [{ name: 'x', size: 1 }],
      value: (p) => -(p[0]! ** 4) / 4,
      gradient: (p, out = new Float64Array(1)) => out.fill(-(p[0]! ** 3)),
    };
    expect(() => gradientFlow(blowUp, Float64Array.of(1), { endTime: 1 })).toThrow(ConvergenceError);
    expect(() => gradientFlow(blowUp, Float64Array.of(1), { endTime: 1 })).toThrow(/underflowed at time 0\.5000/);
  });
});
