import { describe, expect, it } from 'vitest';
import { AbortedError, createRng, eigh, eigvalsh, gaussianMatrix, gemm, InvalidArgumentError, Matrix, NotSymmetricError, projectPsd, qr, ShapeError, singularValues, weightedGram } from '@shallowscape/linalg';
import { balancedSigns, QuadraticEmpiricalRisk, sampleTeacher, teacherLabels } from '@shallowscape/model';
import { expectClose, loadFixture } from '@shallowscape/test-utils';
import { globalOptimalityCertificate, liftedGradient, solveLiftedProblem } from './convex-lift';
import { liftedDesign, liftSymmetric, nStar } from './lifted-design';
import { countdownSignal } from '@shallowscape/test-utils';

interface PsdCase {
  seed: number;
  x: number[][];
  y: number[];
  value: number;
  a: number[][];
  kkt: { minEigA: number; minEigG: number; innerGA: number };
}
const fixture = loadFixture<{ cases: PsdCase[] }>(import.meta.url, 'fixtures/lifted-psd.json');

function orthogonal(m: number, seed: number): Matrix {
  return qr(gaussianMatrix(m, m, createRng(seed))).q;
}

function frobeniusInner(a: Matrix, b: Matrix): number {
  let s = 0;
  for (let k = 0; k < a.data.length; k++) s += a.data[k]! * b.data[k]!;
  return s;
}

/** The lifted risk ℓ(A) by its definition, sample by sample. */
function liftedRisk(x: Matrix, y: Float64Array, a: Matrix): number {
  let s = 0;
  for (let i = 0; i < x.rows; i++) {
    const xi = x.row(i);
    let f = 0;
    for (let k = 0; k < x.cols; k++) for (let l = 0; l < x.cols; l++) f += xi[k]! * a.get(k, l) * xi[l]!;
    s += (f - y[i]!) ** 2;
  }
  return s / x.rows;
}

describe('liftedGradient', () => {
  it('is (2/N) Σ e_i x_i x_iᵀ and ∇L̂(W) = 2WG (seeded, d = 5, m = 7, N = 40)', () => {
    const rng = createRng(1);
    const x = gaussianMatrix(40, 5, rng);
    const y = rng.fillNormal(new Float64Array(40));
    const w = gaussianMatrix(7, 5, rng);
    const a = gemm(w, w, { transA: true });
    const g = liftedGradient(x, y, a);
    const expected = new Matrix(5, 5);
    for (let i = 0; i < 40; i++) {
      const xi = x.row(i);
      let f = 0;
      for (let k = 0; k < 5; k++) for (let l = 0; l < 5; l++) f += xi[k]! * a.get(k, l) * xi[l]!;
      for (let k = 0; k < 5; k++) for (let l = 0; l < 5; l++) expected.set(k, l, expected.get(k, l) + (2 / 40) * (f - y[i]!) * xi[k]! * xi[l]!);
    }
    expectClose(g.data, expected.data, { rel: 1e-12, abs: 1e-12 });
    const netGrad = new QuadraticEmpiricalRisk(x, y, 7).riskGradient(w);
    expectClose(gemm(w, g).data.map((v) => 2 * v), netGrad.data, { rel: 1e-11, abs: 1e-11 });
  });
  it('validates its arguments', () => {
    const x = Matrix.identity(2);
    expect(() => liftedGradient(x, Float64Array.of(1), Matrix.zeros(2, 2))).toThrow(ShapeError);
    expect(() => liftedGradient(x, [1, 2] as unknown as Float64Array, Matrix.zeros(2, 2))).toThrow(/invalid y/);
    expect(() => liftedGradient(x, Float64Array.of(1, 2), Matrix.zeros(3, 3))).toThrow(/a is 3×3/);
    expect(() => liftedGradient(x, Float64Array.of(1, 2), Matrix.from([[0, 1], [0, 0]]))).toThrow(NotSymmetricError);
    expect(() => liftedGradient(x, Float64Array.of(1, Number.NaN), Matrix.zeros(2, 2))).toThrow(/y has a non-finite/);
  });
});

describe('globalOptimalityCertificate', () => {
  for (const [d, mStar, n] of [[4, 6, 30], [6, 6, 12], [5, 9, 200]] as const) {
    it(`rotated teacher W = R W* (d = ${d}, m* = ${mStar}, N = ${n}${n < nStar(d) ? ' < N*' : ''}) is certified with gap ≈ 0 and ℓ* ≈ 0`, () => {
      const rng = createRng(1000 + d * n);
      const teacher = sampleTeacher(mStar, d, rng);
      const x = gaussianMatrix(n, d, rng);
      const y = teacherLabels(x, teacher);
      const w = gemm(orthogonal(mStar, d + n), teacher);
      const c = globalOptimalityCertificate(w, x, y);
      expect(c.certified).toBe(true);
      expect(c.escapeDirection).toBeNull();
      expect(Math.abs(c.liftedGradientMinEigenvalue)).toBeLessThan(1e-11 * c.tolerance / 1e-8);
      expect(Math.abs(c.gapBound!)).toBeLessThan(1e-10 * (c.tolerance / 1e-8));
      expect(c.risk).toBeLessThan(1e-24 * (c.tolerance / 1e-8) ** 2);
      const meanY2 = Array.from(y).reduce((s, v) => s + v * v, 0) / n;
      expect(c.liftedOptimum!).toBeLessThan(1e-16 * meanY2);
      expect(c.liftedOptimum!).toBeGreaterThanOrEqual(0);
    });
  }

  it('the gap bound is clamped at 0 when round-off makes ⟨G, Q⟩ slightly negative (labels of scale 1e4)', () => {
    // A rotated teacher W = O W* interpolates up to round-off, so G is round-off and ⟨G, Q⟩ has
    // either sign; this seed gives ⟨G, Q⟩ ≈ −4.3e-10.
    const rng = createRng(1);
    const [d, m, n] = [4, 4, 30];
    const x = gaussianMatrix(n, d, rng);
    const teacher = gaussianMatrix(m, d, rng, 12);
    const y = teacherLabels(x, teacher);
    const w = gemm(qr(gaussianMatrix(m, m, rng)).q, teacher);
    // ⟨G, Q⟩ as the certificate computes it: Q = WᵀW accumulated unit by unit, G = ∇ℓ(Q).
    const q = new Matrix(d, d);
    for (let j = 0; j < m; j++) for (let k = 0; k < d; k++) for (let l = 0; l < d; l++) q.data[k * d + l]! += w.get(j, k) * w.get(j, l);
    const g = liftedGradient(x, y, q);
    let inner = 0;
    for (let k = 0; k < d * d; k++) inner += g.data[k]! * q.data[k]!;
    expect(inner).toBeLessThan(0);
    expect(Math.abs(inner)).toBeLessThan(1e-12 * Math.max(...Array.from(y, Math.abs)) ** 2); // round-off
    const c = globalOptimalityCertificate(w, x, y, { solve: false });
    expect(c.certified).toBe(true);
    expect(c.gapBound).toBe(0);
  });

  it('W = 0 with positive labels: stationary, not certified; the escape direction is the top eigenvector of Σ y_i x_i x_iᵀ and lowers the risk', () => {
    const d = 5;
    const n = 60;
    const rng = createRng(2000);
    const x = gaussianMatrix(n, d, rng);
    const y = teacherLabels(x, sampleTeacher(3, d, rng)); // y_i > 0
    const w = Matrix.zeros(3, d);
    const objective = new QuadraticEmpiricalRisk(x, y, 3);
    expect(Math.max(...Array.from(objective.gradient(w.data), Math.abs))).toBe(0);
    const c = globalOptimalityCertificate(w, x, y, { solve: false });
    expect(c.certified).toBe(false);
    expect(c.gapBound).toBeNull();
    expect(c.liftedOptimum).toBeNull();
    // G = −(2/N) Σ y_i x_i x_iᵀ: λ_min(G) = −(2/N) λ_max(Σ y x xᵀ), u its eigenvector.
    const sy = eigh(weightedGram(x, y));
    expectClose(c.liftedGradientMinEigenvalue, -(2 / n) * sy.values[d - 1]!, { rel: 1e-12 });
    const top = sy.vectors.column(d - 1);
    const u = c.escapeDirection!;
    expectClose(Math.abs(u.reduce((s, v, k) => s + v * top[k]!, 0)), 1, { abs: 1e-12 });
    // Adding the unit εu: ΔL̂ = ε²λ_min(G) + O(ε⁴) < 0.
    const eps = 1e-3;
    const grown = Matrix.from([...w.toArray(), Array.from(u, (v) => eps * v)]);
    const before = objective.risk(w);
    const after = new QuadraticEmpiricalRisk(x, y, 4).risk(grown);
    expect(after).toBeLessThan(before);
    expectClose((after - before) / (eps * eps), c.liftedGradientMinEigenvalue, { rel: 1e-4 });
    // Moving the existing (zero) first unit along u does the same.
    const moved = w.clone();
    for (let k = 0; k < d; k++) moved.set(0, k, eps * u[k]!);
    expect(objective.risk(moved)).toBeLessThan(before);
  });

  it('the gap bound is max(0, ⟨G, A⟩), ⟨G, A⟩ = ½⟨∇L̂(W), W⟩, and bounds the true gap at a certified non-interpolating optimum', () => {
    // ℓ* > 0 (noisy labels, N > N*): solve the lift, factor A* = WᵀW, certify W.
    const rng = createRng(2100);
    const x = gaussianMatrix(40, 3, rng);
    const y = teacherLabels(x, sampleTeacher(3, 3, rng));
    for (let i = 0; i < 40; i++) y[i]! += 0.3 * rng.normal();
    const sol = solveLiftedProblem(x, y, { tolerance: 1e-13 });
    const e = eigh(sol.a);
    const w = new Matrix(3, 3);
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) w.set(j, k, Math.sqrt(Math.max(0, e.values[j]!)) * e.vectors.get(k, j));
    const c = globalOptimalityCertificate(w, x, y);
    expect(c.certified).toBe(true);
    const grad = new QuadraticEmpiricalRisk(x, y, 3).riskGradient(w);
    // Here ⟨G, A⟩ ≈ −5e-8, negative within the tolerance τ s tr(A) of the inexact lifted optimum.
    const inner = 0.5 * frobeniusInner(grad, w);
    expect(inner).toBeGreaterThanOrEqual(-c.tolerance * (e.values[0]! + e.values[1]! + e.values[2]!));
    expectClose(c.gapBound!, Math.max(0, inner), { rel: 1e-6, abs: 1e-12 });
    expect(c.risk - c.liftedOptimum!).toBeLessThanOrEqual(Math.abs(c.gapBound!) + 1e-10 * c.risk);
    expect(c.liftedOptimum!).toBeGreaterThan(0.01);
    // A point that is not optimal (W scaled) is either uncertified or its gap is bounded.
    const off = gemm(w, Matrix.identity(3)).clone();
    for (let k = 0; k < 9; k++) off.data[k]! *= 1.1;
    const c2 = globalOptimalityCertificate(off, x, y);
    if (c2.certified) expect(c2.risk - c.liftedOptimum!).toBeLessThanOrEqual(c2.gapBound! + 1e-9);
    else expect(c2.escapeDirection).not.toBeNull();
  });

  it('signed networks: certified at a signed teacher; a random point is not and its escape direction lowers the risk', () => {
    const d = 3;
    const k = 2 * d;
    const rng = createRng(2200);
    const signs = balancedSigns(k);
    const teacher = gaussianMatrix(k, d, rng);
    const x = gaussianMatrix(20, d, rng);
    const y = teacherLabels(x, teacher, { signs });
    const c = globalOptimalityCertificate(teacher, x, y, { signs });
    expect(c.certified).toBe(true);
    expect(c.liftedOptimum!).toBeLessThan(1e-20);
    const w = gaussianMatrix(k, d, rng);
    const c2 = globalOptimalityCertificate(w, x, y, { signs, solve: false });
    expect(c2.certified).toBe(false);
    const u = c2.escapeDirection!;
    // The violated side decides the sign of the new unit.
    const sign = c2.liftedGradientMinEigenvalue < -c2.tolerance ? 1 : -1;
    const eps = 1e-3;
    const grown = Matrix.from([...w.toArray(), Array.from(u, (v) => eps * v)]);
    const before = new QuadraticEmpiricalRisk(x, y, k, { signs }).risk(w);
    const after = new QuadraticEmpiricalRisk(x, y, k + 1, { signs: Float64Array.from([...signs, sign]) }).risk(grown);
    expect(after).toBeLessThan(before);
  });

  it('validates its arguments', () => {
    const x = Matrix.identity(2);
    const y = Float64Array.of(1, 1);
    expect(() => globalOptimalityCertificate(Matrix.zeros(1, 3), x, y)).toThrow(ShapeError);
    expect(() => globalOptimalityCertificate(Matrix.zeros(2, 2), x, y, { signs: Float64Array.of(1) })).toThrow(/options\.signs has length 1/);
    expect(() => globalOptimalityCertificate(Matrix.zeros(2, 2), x, y, { signs: Float64Array.of(1, 2) })).toThrow(/options\.signs\[1\]/);
    expect(() => globalOptimalityCertificate(Matrix.zeros(2, 2), x, y, { tolerance: -1 })).toThrow(InvalidArgumentError);
    expect(() => globalOptimalityCertificate(Matrix.zeros(2, 2), x, y, { solve: 1 as never })).toThrow(/options\.solve/);
  });
});

describe('solveLiftedProblem', () => {
  for (const [index, c] of fixture.cases.entries()) {
    it(`PSD lift matches the numpy FISTA reference (case ${index}, seed ${c.seed}: ℓ* rel 1e-8, A abs 1e-5·‖A‖) and satisfies KKT`, () => {
      const x = Matrix.from(c.x);
      const y = Float64Array.from(c.y);
      const sol = solveLiftedProblem(x, y, { tolerance: 1e-12 });
      expect(sol.converged).toBe(true);
      expectClose(sol.value, c.value, { rel: 1e-8 }, 'ℓ*');
      const ref = Matrix.from(c.a);
      const scale = Math.sqrt(frobeniusInner(ref, ref));
      expectClose(sol.a.data, ref.data, { abs: 1e-5 * scale }, 'A*');
      expectClose(liftedRisk(x, y, sol.a), sol.value, { rel: 1e-12 });
      // KKT: A ⪰ 0, G ⪰ 0 (to tolerance), ⟨G, A⟩ ≈ 0.
      const g = liftedGradient(x, y, sol.a);
      const gScale = Math.max(...Array.from(eigvalsh(g), Math.abs), 1);
      expect(eigvalsh(sol.a)[0]!).toBeGreaterThanOrEqual(-1e-12 * scale);
      expect(eigvalsh(g)[0]!).toBeGreaterThanOrEqual(-1e-6 * gScale);
      expect(Math.abs(frobeniusInner(g, sol.a))).toBeLessThan(1e-6 * gScale * scale);
    });
  }

  it('the bracket [lowerBound, value] holds the numpy optimum at every stopping point, and closes at convergence', () => {
    for (const c of fixture.cases) {
      const x = Matrix.from(c.x);
      const y = Float64Array.from(c.y);
      const widths: number[] = [];
      for (const maxIterations of [1, 3, 10, 30, 100, 20000]) {
        const sol = solveLiftedProblem(x, y, { maxIterations, tolerance: 1e-12 });
        // ℓ* ≤ c.value (numpy's own iterate); both ends are checked against it with the reference's 1e-8.
        expect(sol.lowerBound).toBeLessThanOrEqual(c.value * (1 + 1e-8));
        expect(sol.value).toBeGreaterThanOrEqual(c.value * (1 - 1e-8));
        expect(sol.lowerBound).toBeGreaterThanOrEqual(0);
        expect(sol.lowerBound).toBeLessThanOrEqual(sol.value);
        widths.push((sol.value - sol.lowerBound) / c.value);
      }
      // Converged: measured widths 2.8e-6, 1.9e-8 and 3.6e-9 of ℓ*. The bracket is first order in the error of
      // A (λ_min(G) ≈ −1e-8·λ_max(G) at FISTA's round-off floor) while ℓ itself agrees with numpy to 1e-15.
      expect(widths.at(-1)!).toBeLessThan(1e-5);
      expect(widths[0]!).toBeGreaterThan(widths.at(-1)!);
    }
  });

  it('the lower end is the convexity bound ℓ(A) − ⟨G, A⟩ + min(0, λ_min(G))·(Σy + N√ℓ(A))/λ_min(XᵀX), recomputed here', () => {
    const c = fixture.cases[0]!;
    const x = Matrix.from(c.x);
    const y = Float64Array.from(c.y);
    // Stopped early (tolerance 0) and stopped by the gradient-mapping test (tolerance 1e-3), whose last trial
    // point is not always the returned A.
    for (const [maxIterations, tolerance] of [[2, 0], [8, 0], [40, 0], [20000, 1e-3]] as const) {
      const sol = solveLiftedProblem(x, y, { maxIterations, tolerance });
      const value = liftedRisk(x, y, sol.a);
      const g = liftedGradient(x, y, sol.a);
      const gMin = eigvalsh(g)[0]!;
      const gramMin = eigvalsh(weightedGram(x, new Float64Array(x.rows).fill(1)))[0]!;
      const sumY = y.reduce((s, v) => s + v, 0);
      const expected = value - frobeniusInner(g, sol.a) + Math.min(0, gMin) * (sumY + x.rows * Math.sqrt(value)) / gramMin;
      expectClose(sol.lowerBound, Math.min(value, Math.max(0, expected)), { rel: 1e-9, abs: 1e-12 * value }, `lowerBound after ${maxIterations} iterations`);
    }
  });

  /** σ_min(Φ) less max(N, N*)·ε·σ_max (the margin certifyQuadraticNetwork takes), by the library's SVD. */
  function designMinSingularValue(x: Matrix): number {
    const s = singularValues(liftedDesign(x));
    return s.at(-1)! - Math.max(x.rows, s.length) * Number.EPSILON * s[0]!;
  }

  it('given σ ≤ σ_min(Φ), the bracket holds the numpy optimum at every stopping point and closes to round-off', () => {
    for (const c of fixture.cases) {
      const x = Matrix.from(c.x);
      const y = Float64Array.from(c.y);
      const sigma = designMinSingularValue(x);
      expect(sigma).toBeGreaterThan(0);
      let converged = 1;
      for (const maxIterations of [1, 3, 10, 30, 100, 20000]) {
        const plain = solveLiftedProblem(x, y, { maxIterations, tolerance: 1e-12 });
        const sol = solveLiftedProblem(x, y, { maxIterations, tolerance: 1e-12, liftedDesignMinSingularValue: sigma });
        expect(sol.value).toBe(plain.value);
        expect(sol.lowerBound).toBeLessThanOrEqual(c.value * (1 + 1e-8));
        expect(sol.lowerBound).toBeGreaterThanOrEqual(plain.lowerBound);
        expect(sol.lowerBound).toBeLessThanOrEqual(sol.value);
        converged = (sol.value - sol.lowerBound) / c.value;
      }
      // Second order in the error of A: the first-order bracket's 1e-6..1e-9 becomes round-off.
      expect(converged).toBeLessThan(1e-10);
    }
  });

  it('the strong-convexity end is ℓ(A) + ⟨G, B − A⟩ + μ‖B − A‖², B = P(A − G/(2μ)), μ = σ²/N, recomputed here; σ is checked', () => {
    const c = fixture.cases[1]!;
    const x = Matrix.from(c.x);
    const y = Float64Array.from(c.y);
    const sigma = designMinSingularValue(x);
    const mu = (sigma * sigma) / x.rows;
    for (const maxIterations of [5, 20, 60]) {
      const first = solveLiftedProblem(x, y, { maxIterations, tolerance: 0 });
      const sol = solveLiftedProblem(x, y, { maxIterations, tolerance: 0, liftedDesignMinSingularValue: sigma });
      const value = liftedRisk(x, y, sol.a);
      const g = liftedGradient(x, y, sol.a);
      const target = new Matrix(x.cols, x.cols, sol.a.data.map((v, k) => v - g.data[k]! / (2 * mu)));
      const b = projectPsd(target);
      const diff = new Matrix(x.cols, x.cols, b.data.map((v, k) => v - sol.a.data[k]!));
      const expected = value + frobeniusInner(g, diff) + mu * frobeniusInner(diff, diff);
      expectClose(sol.lowerBound, Math.min(value, Math.max(0, expected, first.lowerBound)), { rel: 1e-9, abs: 1e-12 * value }, `after ${maxIterations} iterations`);
    }
    for (const bad of [-1, Number.NaN, Infinity]) {
      expect(() => solveLiftedProblem(x, y, { liftedDesignMinSingularValue: bad })).toThrow(/options\.liftedDesignMinSingularValue/);
      expect(() => globalOptimalityCertificate(Matrix.zeros(2, x.cols), x, y, { liftedDesignMinSingularValue: bad })).toThrow(/options\.liftedDesignMinSingularValue/);
    }
  });

  it('noiseless labels with N > N*: ℓ* = 0 at A = W*ᵀW*', () => {
    const rng = createRng(3000);
    const teacher = sampleTeacher(4, 4, rng);
    const x = gaussianMatrix(30, 4, rng);
    const sol = solveLiftedProblem(x, teacherLabels(x, teacher));
    const m = gemm(teacher, teacher, { transA: true });
    expectClose(sol.a.data, m.data, { abs: 1e-6 * Math.max(...Array.from(m.data, Math.abs)) });
    expect(sol.value).toBeLessThan(1e-12);
  });

  it('psd: false is least squares over symmetric Q: normal equations hold, and ℓ* = 0 below N*', () => {
    const rng = createRng(3100);
    const x = gaussianMatrix(25, 4, rng);
    const y = rng.fillNormal(new Float64Array(25));
    const sol = solveLiftedProblem(x, y, { psd: false });
    const phi = liftedDesign(x);
    const q = liftSymmetric(sol.a);
    const r = new Float64Array(25);
    for (let i = 0; i < 25; i++) r[i] = phi.row(i).reduce((s, v, p) => s + v * q[p]!, 0) - y[i]!;
    for (let p = 0; p < phi.cols; p++) {
      let s = 0;
      for (let i = 0; i < 25; i++) s += phi.get(i, p) * r[i]!;
      expect(Math.abs(s)).toBeLessThan(1e-10);
    }
    expect(sol.value).toBeGreaterThan(0.1); // N = 25 > N* = 10 with random labels
    const few = solveLiftedProblem(gaussianMatrix(8, 4, rng), rng.fillNormal(new Float64Array(8)), { psd: false });
    expect(few.value).toBeLessThan(1e-20); // N = 8 < N* = 10: interpolation
    // The PSD optimum is never below the unconstrained one.
    expect(solveLiftedProblem(x, y).value).toBeGreaterThanOrEqual(sol.value - 1e-12);
    // Least squares is solved exactly: the bracket ℓ(Q) − (N/4)‖G‖²/σ_r² is tight (‖G‖ is round-off).
    expect(sol.lowerBound).toBeLessThanOrEqual(sol.value);
    expect(sol.lowerBound).toBeGreaterThanOrEqual(sol.value * (1 - 1e-12));
    expect(few.lowerBound).toBe(0);
  });

  it('labels all zero give A = 0 at once; validates options', () => {
    const x = Matrix.identity(2);
    expect(solveLiftedProblem(x, new Float64Array(2))).toMatchObject({ value: 0, iterations: 0, converged: true });
    expect(() => solveLiftedProblem(x, Float64Array.of(1, 1), { psd: 'yes' as never })).toThrow(/options\.psd/);
    expect(() => solveLiftedProblem(x, Float64Array.of(1, 1), { maxIterations: 0 })).toThrow(/options\.maxIterations/);
    expect(() => solveLiftedProblem(x, Float64Array.of(1, 1), { tolerance: Number.NaN })).toThrow(/options\.tolerance/);
    const capped = solveLiftedProblem(gaussianMatrix(30, 4, createRng(1)), createRng(2).fillNormal(new Float64Array(30)), { maxIterations: 2, tolerance: 0 });
    expect(capped).toMatchObject({ iterations: 2, converged: false });
  });
});

describe('abort signals', () => {
  const rng = createRng(2500);
  const x = gaussianMatrix(40, 4, rng);
  const y = rng.fillNormal(new Float64Array(40)); // noisy labels: FISTA needs many iterations

  it('solveLiftedProblem polls between iterations and throws AbortedError at the first aborted poll', () => {
    const full = solveLiftedProblem(x, y, { tolerance: 1e-14 });
    expect(full.iterations).toBeGreaterThan(50);
    for (const live of [0, 5, 40]) {
      const countdown = countdownSignal(live);
      expect(() => solveLiftedProblem(x, y, { tolerance: 1e-14, signal: countdown.signal })).toThrow(AbortedError);
      expect(countdown.polls()).toBe(live + 1);
    }
    // A signal that never aborts changes nothing, bit for bit.
    const live = solveLiftedProblem(x, y, { tolerance: 1e-14, signal: new AbortController().signal });
    expect([live.value, live.iterations]).toEqual([full.value, full.iterations]);
    expect(() => solveLiftedProblem(x, y, { signal: 1 as never })).toThrow(/options\.signal/);
  });

  it('globalOptimalityCertificate stops before the eigensolve and inside the lifted solve', () => {
    for (const live of [0, 1, 30]) {
      const countdown = countdownSignal(live);
      let error: unknown = null;
      try {
        globalOptimalityCertificate(Matrix.zeros(2, 4), x, y, { signal: countdown.signal });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AbortedError);
      expect((error as AbortedError).code).toBe('E_ABORTED');
      expect(countdown.polls()).toBe(live + 1);
    }
  });
});
