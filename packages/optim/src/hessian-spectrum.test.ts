import { InvalidArgumentError, Matrix, NonFiniteError, createRng, eigh, randomSymmetric, type Rng } from '@shallowscape/linalg';
import { expectClose } from '@shallowscape/test-utils';
import { describe, expect, it } from 'vitest';
import { hessianExtremeEigenvalues, hutchinsonTrace, lanczos, lanczosKernel, spectralDensity, stochasticLanczosQuadrature } from './hessian-spectrum';

/** v ↦ Av for a dense symmetric matrix. */
function operator(a: Matrix): (v: Float64Array, out: Float64Array) => Float64Array {
  const n = a.rows;
  return (v, out) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a.data[i * n + j]! * v[j]!;
      out[i] = s;
    }
    return out;
  };
}

const norm = (v: ArrayLike<number>): number => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
const spectralNorm = (a: Matrix): number => {
  const { values } = eigh(a, { vectors: false });
  return Math.max(Math.abs(values[0]!), Math.abs(values[values.length - 1]!));
};

describe('lanczos', () => {
  it('Ritz residuals β_k|s_kj| equal ‖Hy − θy‖ computed explicitly; the basis spans T = QᵀHQ (n = 60, k = 25; seeded)', () => {
    const a = randomSymmetric(60, createRng(5));
    const hvp = operator(a);
    const r = lanczos(hvp, 60, { steps: 25, rng: createRng(6), vectors: true });
    expect(r.steps).toBe(25);
    expect(r.invariant).toBe(false);
    const y = r.ritzVectors!;
    const scale = spectralNorm(a);
    for (let j = 0; j < 25; j++) {
      const v = y.column(j);
      expectClose(norm(v), 1, { abs: 1e-12 }, `‖y_${j}‖`);
      const hv = hvp(v, new Float64Array(60));
      const res = norm(hv.map((x, i) => x - r.ritzValues[j]! * v[i]!));
      // Equal to working precision (both are O(‖H‖) quantities): |Δ| ≤ 1e-12 ‖H‖.
      expectClose(r.residuals[j]!, res, { abs: 1e-12 * scale }, `residual ${j}`);
    }
    // Ritz vectors are orthonormal.
    for (let i = 0; i < 25; i++) {
      for (let j = 0; j < i; j++) {
        const c = y.column(i).reduce((s, x, l) => s + x * y.column(j)[l]!, 0);
        expect(Math.abs(c)).toBeLessThan(1e-12);
      }
    }
    // Kahan–Parlett: an eigenvalue of H within each residual of each Ritz value.
    const exact = eigh(a, { vectors: false }).values;
    for (let j = 0; j < 25; j++) {
      const gap = Math.min(...Array.from(exact, (l) => Math.abs(l - r.ritzValues[j]!)));
      expect(gap).toBeLessThanOrEqual(r.residuals[j]! + 1e-12 * scale);
    }
  });

  it('matches eigh exactly when run to k = n, and the extreme Ritz values converge first', () => {
    const a = randomSymmetric(40, createRng(7));
    const full = lanczos(operator(a), 40, { steps: 40, rng: createRng(8) });
    const exact = eigh(a, { vectors: false }).values;
    const scale = spectralNorm(a);
    // Full reorthogonalisation: all 40 eigenvalues to 1e-12 ‖H‖.
    full.ritzValues.forEach((t, j) => expectClose(t, exact[j]!, { abs: 1e-12 * scale }, `θ_${j}`));
    const partial = lanczos(operator(a), 40, { steps: 20, rng: createRng(8) });
    // Interlacing (Cauchy): θ_min ≥ λ_min and θ_max ≤ λ_max.
    expect(partial.ritzValues[0]!).toBeGreaterThanOrEqual(exact[0]! - 1e-12 * scale);
    expect(partial.ritzValues[19]!).toBeLessThanOrEqual(exact[39]! + 1e-12 * scale);
  });

  it('stops early on an invariant Krylov space (3 distinct eigenvalues ⇒ 3 steps, zero residuals)', () => {
    const d = [2, 2, 5, 5, 5, -1, -1, 2];
    const r = lanczos((v, out) => out.map((_, i) => d[i]! * v[i]!), 8, { steps: 8, rng: createRng(9) });
    expect([r.steps, r.invariant]).toEqual([3, true]);
    r.ritzValues.forEach((t, j) => expectClose(t, [-1, 2, 5][j]!, { abs: 1e-13 }));
    r.residuals.forEach((res) => expect(res).toBeLessThan(1e-13));
  });

  it('without reorthogonalisation it follows the same recurrence for the first steps; a returned array is accepted', () => {
    const a = randomSymmetric(30, createRng(10));
    const mul = operator(a);
    const with_ = lanczos(mul, 30, { steps: 5, rng: createRng(11) });
    const plain = lanczos((v) => mul(v, new Float64Array(30)), 30, { steps: 5, rng: createRng(11), reorthogonalize: false });
    for (let j = 0; j < 5; j++) {
      expectClose(plain.alpha[j]!, with_.alpha[j]!, { abs: 1e-12 });
      expectClose(plain.beta[j]!, with_.beta[j]!, { abs: 1e-12 });
    }
  });

  it('validates its inputs, naming the argument', () => {
    const hvp = (v: Float64Array, out: Float64Array): Float64Array => out.set(v) ?? out;
    expect(() => lanczos(null as never, 3, { steps: 2, rng: createRng(1) })).toThrow(/hvp/);
    expect(() => lanczos(hvp, 0, { steps: 2, rng: createRng(1) })).toThrow(/\bn\b/);
    expect(() => lanczos(hvp, 3, { steps: 0, rng: createRng(1) })).toThrow(/options\.steps/);
    expect(() => lanczos(hvp, 3, { steps: 2 })).toThrow(/options\.rng/);
    expect(() => lanczos(hvp, 3, { steps: 2, rng: {} as Rng })).toThrow(/options\.rng/);
    expect(() => lanczos(hvp, 3, { steps: 2, start: new Float64Array(2) })).toThrow(/options\.start/);
    expect(() => lanczos(hvp, 3, { steps: 2, start: new Float64Array(3) })).toThrow(/options\.start/);
    expect(() => lanczos(hvp, 3, { steps: 2, rng: createRng(1), reorthogonalize: 1 as never })).toThrow(InvalidArgumentError);
    expect(() => lanczos((v, out) => out.fill(Number.NaN), 3, { steps: 2, rng: createRng(1) })).toThrow(NonFiniteError);
  });
});

describe('lanczosKernel', () => {
  const n = 40;
  const d = Float64Array.from({ length: n }, (_, i) => (i === 17 ? -3 : 1 + (i % 3)));
  const diag = (v: Float64Array, out: Float64Array): Float64Array => out.map((_, i) => d[i]! * v[i]!);
  const unit = (i: number): Float64Array => {
    const e = new Float64Array(n);
    e[i] = 1;
    return e;
  };

  it('restarts after an invariant subspace reached from a user start (e₀ hides λ = −3), not from a random one', () => {
    const noRestart = lanczosKernel(diag, n, unit(0), { maxSteps: n, reorthogonalize: true, vectors: 'none', randomStart: false });
    expect([noRestart.steps, noRestart.invariant, noRestart.ritzValues[0]]).toEqual([1, true, 1]);
    const restarted = lanczosKernel(diag, n, unit(0), {
      maxSteps: n,
      reorthogonalize: true,
      vectors: 'extremes',
      tolerance: 1e-10,
      target: 'min',
      randomStart: false,
      restart: createRng(3),
    });
    expectClose(restarted.ritzValues[0]!, -3, { abs: 1e-12 });
    expect(restarted.beta[0]).toBe(0); // the restart decouples T
    expect(restarted.converged).toBe(true);
    expectClose(Math.abs(restarted.ritzVectors!.column(0)[17]!), 1, { abs: 1e-10 });
  });

  it("stops on the target's residual: 'min' needs fewer steps than 'extremes' when the bottom is well separated", () => {
    const a = randomSymmetric(150, createRng(31));
    // Shift one eigenvalue far below the rest: H = A − 40 u uᵀ for a random unit u.
    const u = createRng(32).fillNormal(new Float64Array(150));
    const un = norm(u);
    u.forEach((x, i) => (u[i] = x / un));
    const base = operator(a);
    const hvp = (v: Float64Array, out: Float64Array): Float64Array => {
      base(v, out);
      const c = 40 * u.reduce((s, x, i) => s + x * v[i]!, 0);
      for (let i = 0; i < 150; i++) out[i]! -= c * u[i]!;
      return out;
    };
    const q = createRng(33).fillNormal(new Float64Array(150));
    const qn = norm(q);
    const start = (): Float64Array => q.map((x) => x / qn);
    const common = { maxSteps: 150, reorthogonalize: true, vectors: 'extremes' as const, tolerance: 1e-8, randomStart: true };
    const min = lanczosKernel(hvp, 150, start(), { ...common, target: 'min' });
    const both = lanczosKernel(hvp, 150, start(), { ...common, target: 'extremes' });
    expect(min.converged && both.converged).toBe(true);
    expect(min.steps).toBeLessThan(both.steps);
    const scale = Math.max(Math.abs(min.ritzValues[0]!), Math.abs(min.ritzValues[min.steps - 1]!));
    expect(min.residuals[0]!).toBeLessThanOrEqual(1e-8 * scale);
    // The 'extremes' Ritz vectors are the columns (θ_min, θ_max).
    const y = both.ritzVectors!;
    expect([y.rows, y.cols]).toEqual([150, 2]);
    const top = y.column(1);
    const hv = hvp(top, new Float64Array(150));
    expectClose(norm(hv.map((x, i) => x - both.ritzValues[both.steps - 1]! * top[i]!)), both.residuals[both.steps - 1]!, { abs: 1e-12 * 60 });
  });
});

describe('hessianExtremeEigenvalues', () => {
  it('finds λ_min and λ_max of dense random symmetric matrices (n = 50, 120, 200; seeded) to 1e-8‖H‖, residuals explicit', () => {
    for (const [n, seed] of [
      [50, 1],
      [120, 2],
      [200, 3],
    ] as const) {
      const a = randomSymmetric(n, createRng(seed));
      const hvp = operator(a);
      const exact = eigh(a, { vectors: false }).values;
      const scale = spectralNorm(a);
      const r = hessianExtremeEigenvalues(hvp, n, { rng: createRng(seed + 100) });
      expect(r.converged).toBe(true);
      // Tolerance: the run stops at residual ≤ 1e-8 max|θ|; the eigenvalue error is at most the residual.
      expectClose(r.min, exact[0]!, { abs: 1e-8 * scale }, `λ_min n=${n}`);
      expectClose(r.max, exact[n - 1]!, { abs: 1e-8 * scale }, `λ_max n=${n}`);
      for (const [theta, v, res] of [
        [r.min, r.vectorMin, r.residualMin],
        [r.max, r.vectorMax, r.residualMax],
      ] as const) {
        const hv = hvp(v, new Float64Array(n));
        expectClose(res, norm(hv.map((x, i) => x - theta * v[i]!)), { abs: 1e-12 * scale });
        expect(res).toBeLessThanOrEqual(1e-8 * scale);
      }
    }
  });

  it('reports non-convergence at maxSteps, and validates options', () => {
    const a = randomSymmetric(200, createRng(4));
    const r = hessianExtremeEigenvalues(operator(a), 200, { rng: createRng(5), maxSteps: 4, tolerance: 1e-14 });
    expect([r.converged, r.steps]).toEqual([false, 4]);
    expect(() => hessianExtremeEigenvalues(operator(a), 200, { rng: createRng(5), tolerance: -1 })).toThrow(/options\.tolerance/);
    expect(() => hessianExtremeEigenvalues(operator(a), 200, { rng: createRng(5), maxSteps: 0 })).toThrow(/options\.maxSteps/);
  });
});

describe('hutchinsonTrace', () => {
  it('is exact on diagonal matrices with Rademacher probes (standard error 0)', () => {
    const d = Float64Array.from({ length: 17 }, (_, i) => Math.sin(i + 1) * 3);
    const r = hutchinsonTrace((v, out) => out.map((_, i) => d[i]! * v[i]!), 17, { probes: 7, rng: createRng(1) });
    expectClose(r.estimate, d.reduce((s, x) => s + x, 0), { abs: 1e-12 });
    expect(r.standardError).toBeLessThan(1e-13);
  });

  it('is unbiased with the predicted variance 2Σ_{i≠j}H_ij²/m (Monte Carlo, n = 30, m = 4000, seeded)', () => {
    const a = randomSymmetric(30, createRng(2));
    let trace = 0;
    let offDiagonal = 0;
    for (let i = 0; i < 30; i++) {
      trace += a.data[i * 30 + i]!;
      for (let j = 0; j < 30; j++) if (i !== j) offDiagonal += a.data[i * 30 + j]! ** 2;
    }
    const m = 4000;
    const r = hutchinsonTrace(operator(a), 30, { probes: m, rng: createRng(3) });
    const predicted = Math.sqrt((2 * offDiagonal) / m);
    // The standard error estimates the true one within 10% at m = 4000 (its own relative s.d. is about 1/√(2m)·√κ ≈ 2%).
    expectClose(r.standardError, predicted, { rel: 0.1 });
    // |estimate − tr H| within 4 standard errors (a 6e-5 two-sided chance for a Gaussian).
    expect(Math.abs(r.estimate - trace)).toBeLessThan(4 * predicted);
    // Unbiasedness over independent repetitions: the mean of 200 estimates with m = 20 is within 4 s.e.
    const rng = createRng(4);
    let sum = 0;
    for (let rep = 0; rep < 200; rep++) sum += hutchinsonTrace(operator(a), 30, { probes: 20, rng }).estimate;
    expect(Math.abs(sum / 200 - trace)).toBeLessThan(4 * Math.sqrt((2 * offDiagonal) / (20 * 200)));
  });

  it('validates probes ≥ 2 and the generator', () => {
    const hvp = (v: Float64Array, out: Float64Array): Float64Array => out.set(v) ?? out;
    expect(() => hutchinsonTrace(hvp, 3, { probes: 1, rng: createRng(1) })).toThrow(/options\.probes/);
    expect(() => hutchinsonTrace(hvp, 3, { probes: 4, rng: null as never })).toThrow(/options\.rng/);
  });
});

describe('stochasticLanczosQuadrature and spectralDensity', () => {
  const n = 50;
  const a = randomSymmetric(n, createRng(21));
  /** zᵀH^p z / n for p = 0..pMax, by repeated dense products. */
  const momentsOf = (z: Float64Array, pMax: number): number[] => {
    const out: number[] = [];
    let v: Float64Array = z.slice();
    for (let p = 0; p <= pMax; p++) {
      out.push(v.reduce((s, x, i) => s + x * z[i]!, 0) / n);
      v = operator(a)(v, new Float64Array(n));
    }
    return out;
  };

  it('per probe: the weights sum to 1 and Σ τ²θ^p = zᵀH^p z/n for p < 2k (Gauss quadrature), k = 6', () => {
    const k = 6;
    const probes = 5;
    const rng = createRng(22);
    const replay = rng.clone();
    const slq = stochasticLanczosQuadrature(operator(a), n, { probes, steps: k, rng });
    expect(slq.probeOffsets.length).toBe(probes + 1);
    const scale = spectralNorm(a);
    for (let l = 0; l < probes; l++) {
      const z = Float64Array.from({ length: n }, () => replay.rademacher());
      const exact = momentsOf(z, 2 * k - 1);
      const from = slq.probeOffsets[l]!;
      const to = slq.probeOffsets[l + 1]!;
      expect(to - from).toBe(k);
      for (let p = 0; p < 2 * k; p++) {
        let s = 0;
        for (let i = from; i < to; i++) s += probes * slq.weights[i]! * slq.nodes[i]! ** p;
        // Relative to the scale ‖H‖^p of the moment: 1e-11.
        expectClose(s, exact[p]!, { abs: 1e-11 * scale ** p }, `probe ${l}, moment ${p}`);
      }
      // The 2k-th moment is not matched in general (Gauss quadrature has degree 2k − 1).
      let s2k = 0;
      for (let i = from; i < to; i++) s2k += probes * slq.weights[i]! * slq.nodes[i]! ** (2 * k);
      expect(Math.abs(s2k - momentsOf(z, 2 * k)[2 * k]!)).toBeGreaterThan(1e-6 * scale ** (2 * k));
    }
  });

  it('averaged over probes, Σ wθ^p estimates tr(H^p)/n (dense eigh) within 4 standard errors (p = 1…4, 400 probes)', () => {
    const probes = 400;
    const slq = stochasticLanczosQuadrature(operator(a), n, { probes, steps: 4, rng: createRng(23) });
    expectClose(slq.weights.reduce((s, w) => s + w, 0), 1, { abs: 1e-12 });
    const lambda = eigh(a, { vectors: false }).values;
    for (let p = 1; p <= 4; p++) {
      const perProbe: number[] = [];
      for (let l = 0; l < probes; l++) {
        let s = 0;
        for (let i = slq.probeOffsets[l]!; i < slq.probeOffsets[l + 1]!; i++) s += probes * slq.weights[i]! * slq.nodes[i]! ** p;
        perProbe.push(s);
      }
      const mean = perProbe.reduce((s, x) => s + x, 0) / probes;
      const sd = Math.sqrt(perProbe.reduce((s, x) => s + (x - mean) ** 2, 0) / (probes - 1));
      const exact = lambda.reduce((s, x) => s + x ** p, 0) / n;
      expect(Math.abs(mean - exact)).toBeLessThan(4 * (sd / Math.sqrt(probes)) + 1e-12);
    }
  });

  it('the smoothed density integrates to 1 and matches the same smoothing of the exact eigenvalues (n = 300, 60 probes × 40 steps: within 10% of the peak)', () => {
    const big = 300;
    const w = randomSymmetric(big, createRng(24));
    const { values } = eigh(w, { vectors: false });
    const slq = stochasticLanczosQuadrature(operator(w), big, { probes: 60, steps: 40, rng: createRng(25) });
    const sigma = (values[big - 1]! - values[0]!) / 40;
    // The grid reaches 8σ beyond the spectrum, so the Gaussian tails outside hold < 1e-15.
    const lo = values[0]! - 8 * sigma;
    const hi = values[big - 1]! + 8 * sigma;
    const grid = Float64Array.from({ length: 2001 }, (_, i) => lo + ((hi - lo) * i) / 2000);
    const rho = spectralDensity(slq.nodes, slq.weights, grid, sigma);
    const h = (hi - lo) / 2000;
    let integral = 0;
    for (let i = 0; i < grid.length; i++) integral += (i === 0 || i === grid.length - 1 ? 0.5 : 1) * rho[i]!;
    expectClose(integral * h, 1, { abs: 1e-9 });
    // Against the same Gaussian smoothing of the exact eigenvalues: max difference ≤ 10% of the peak.
    const exact = spectralDensity(values, new Float64Array(big).fill(1 / big), grid, sigma);
    const peak = Math.max(...exact);
    let diff = 0;
    for (let i = 0; i < grid.length; i++) diff = Math.max(diff, Math.abs(rho[i]! - exact[i]!));
    expect(diff).toBeLessThan(0.1 * peak);
  });

  it('validates its inputs', () => {
    const hvp = (v: Float64Array, out: Float64Array): Float64Array => out.set(v) ?? out;
    expect(() => stochasticLanczosQuadrature(hvp, 3, { probes: 0, steps: 2, rng: createRng(1) })).toThrow(/options\.probes/);
    expect(() => stochasticLanczosQuadrature(hvp, 3, { probes: 2, steps: 0, rng: createRng(1) })).toThrow(/options\.steps/);
    expect(() => stochasticLanczosQuadrature(hvp, 3, { probes: 2, steps: 2, rng: 3 as never })).toThrow(/options\.rng/);
    const x = Float64Array.of(0);
    expect(() => spectralDensity(x, Float64Array.of(1, 2), x, 1)).toThrow(/weights/);
    expect(() => spectralDensity(x, Float64Array.of(-1), x, 1)).toThrow(/weights/);
    expect(() => spectralDensity(x, Float64Array.of(1), x, 0)).toThrow(/bandwidth/);
    expect(() => spectralDensity(x, Float64Array.of(1), [0] as never, 1)).toThrow(/grid/);
    expect(() => spectralDensity(Float64Array.of(Number.NaN), Float64Array.of(1), x, 1)).toThrow(NonFiniteError);
  });
});
