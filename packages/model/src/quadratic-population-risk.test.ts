import { describe, expect, it } from 'vitest';
import {
  createRng,
  gaussianMatrix,
  InvalidArgumentError,
  Matrix,
  NonFiniteError,
  ShapeError,
  type Rng,
} from '@shallowscape/linalg';
import { expectClose, expectMatrixClose, loadFixture } from '@shallowscape/test-utils';
import { QuadraticPopulationRisk, quadraticPopulationRisk, quadraticPopulationRiskGradient } from './quadratic-population-risk';
import { balancedSigns } from './signed-quadratic-net';

/** `f_W(x) = ‖Wx‖²`, computed directly from the weights (not through WᵀW). */
function quadraticNet(w: Matrix, x: Float64Array): number {
  let f = 0;
  for (let j = 0; j < w.rows; j++) {
    let z = 0;
    for (let k = 0; k < w.cols; k++) z += w.data[j * w.cols + k]! * x[k]!;
    f += z * z;
  }
  return f;
}

interface MonteCarlo {
  mean: number;
  standardError: number;
}

/** Sample mean and standard error of `(f_W(x) − f_{W*}(x) − ε)²` over `n` seeded draws. */
function monteCarloRisk(w: Matrix, wStar: Matrix, n: number, drawCoordinate: () => number, rng: Rng, noiseStd = 0): MonteCarlo {
  const d = w.cols;
  const x = new Float64Array(d);
  let mean = 0;
  let m2 = 0; // Welford's running sum of squared deviations
  for (let i = 1; i <= n; i++) {
    for (let k = 0; k < d; k++) x[k] = drawCoordinate();
    const y = quadraticNet(wStar, x) + (noiseStd > 0 ? noiseStd * rng.normal() : 0);
    const loss = (quadraticNet(w, x) - y) ** 2;
    const delta = loss - mean;
    mean += delta / i;
    m2 += delta * (loss - mean);
  }
  return { mean, standardError: Math.sqrt(m2 / (n - 1) / n) };
}

describe('quadraticPopulationRisk: Monte Carlo against sampled inputs (tolerance: 5 standard errors)', () => {
  const n = 200_000;
  const rng = createRng(2024);
  const w = gaussianMatrix(4, 3, rng, 0.7);
  const wStar = gaussianMatrix(3, 3, rng);
  const gaussianClosedForm = quadraticPopulationRisk(w, wStar);

  it('Gaussian inputs N(0, I): L = 2‖Δ‖_F² + (tr Δ)²', () => {
    const draws = createRng(1);
    const mc = monteCarloRisk(w, wStar, n, () => draws.normal(), draws);
    expect(Math.abs(mc.mean - gaussianClosedForm)).toBeLessThanOrEqual(5 * mc.standardError);
  });

  it('Rademacher inputs (μ₂ = 1, μ₄ = 1), and the Gaussian formula is rejected for them', () => {
    const draws = createRng(2);
    const mc = monteCarloRisk(w, wStar, n, () => draws.rademacher(), draws);
    const risk = quadraticPopulationRisk(w, wStar, { mu2: 1, mu4: 1 });
    expect(Math.abs(mc.mean - risk)).toBeLessThanOrEqual(5 * mc.standardError);
    // The test has power: the moment correction is far outside the Monte Carlo error.
    expect(Math.abs(mc.mean - gaussianClosedForm)).toBeGreaterThan(20 * mc.standardError);
  });

  it('uniform inputs on [−1, 1] (μ₂ = 1/3, μ₄ = 1/5)', () => {
    const draws = createRng(3);
    const mc = monteCarloRisk(w, wStar, n, () => draws.uniformRange(-1, 1), draws);
    const risk = quadraticPopulationRisk(w, wStar, { mu2: 1 / 3, mu4: 1 / 5 });
    expect(Math.abs(mc.mean - risk)).toBeLessThanOrEqual(5 * mc.standardError);
    const wrong = quadraticPopulationRisk(w, wStar, { mu2: 1 / 3, mu4: 3 / 9 }); // Gaussian μ₄ = 3μ₂²
    expect(Math.abs(mc.mean - wrong)).toBeGreaterThan(10 * mc.standardError);
  });

  it('Gaussian inputs with label noise of variance s² = 0.5 add s²', () => {
    const draws = createRng(4);
    const mc = monteCarloRisk(w, wStar, n, () => draws.normal(), draws, Math.sqrt(0.5));
    const risk = quadraticPopulationRisk(w, wStar, { noiseVariance: 0.5 });
    expectClose(risk, gaussianClosedForm + 0.5, { rel: 1e-15 });
    expect(Math.abs(mc.mean - risk)).toBeLessThanOrEqual(5 * mc.standardError);
  });
});

describe('quadraticPopulationRisk against numpy (fixtures/gen_quadratic_population_risk.py, full 4th-moment tensor)', () => {
  interface Case {
    w: number[][];
    wStar: number[][];
    mu2: number;
    mu4: number;
    noiseVariance: number;
    signs?: number[] | null;
    teacherSigns?: number[] | null;
    risk: number;
    gradient: number[][];
  }
  const fixture = loadFixture<{ cases: Case[] }>(import.meta.url, 'fixtures/quadratic-population-risk.json');
  for (const [index, c] of fixture.cases.entries()) {
    const signed = `${c.signs ? ', signed student' : ''}${c.teacherSigns ? ', signed teacher' : ''}`;
    it(`case ${index}: W ${c.w.length}×${c.w[0]!.length}, W* ${c.wStar.length}×${c.wStar[0]!.length}, μ₂ = ${c.mu2}, μ₄ = ${c.mu4}, s² = ${c.noiseVariance}${signed}`, () => {
      const w = Matrix.from(c.w);
      const wStar = Matrix.from(c.wStar);
      const options = {
        mu2: c.mu2,
        mu4: c.mu4,
        noiseVariance: c.noiseVariance,
        signs: c.signs ? Float64Array.from(c.signs) : undefined,
        teacherSigns: c.teacherSigns ? Float64Array.from(c.teacherSigns) : undefined,
      };
      // Different summation orders: agreement to 1e-12 relative.
      expectClose(quadraticPopulationRisk(w, wStar, options), c.risk, { rel: 1e-12 }, 'risk');
      const scale = Math.max(...c.gradient.flat().map(Math.abs));
      expectMatrixClose(quadraticPopulationRiskGradient(w, wStar, options), Matrix.from(c.gradient), { abs: 1e-12 * scale }, 'gradient');
      // The objective class computes the same quantities.
      const objective = new QuadraticPopulationRisk(wStar, w.rows, options);
      expectClose(objective.risk(w), c.risk, { rel: 1e-12 }, 'QuadraticPopulationRisk.risk');
      expectMatrixClose(objective.riskGradient(w), Matrix.from(c.gradient), { abs: 1e-12 * scale }, 'QuadraticPopulationRisk.riskGradient');
    });
  }
});

describe('quadraticPopulationRiskGradient: central finite differences (h = 1e-5, tolerance 1e-7 relative)', () => {
  const settings = [
    { name: 'Gaussian', options: {} },
    { name: 'Rademacher', options: { mu2: 1, mu4: 1 } },
    { name: 'heavy-tailed, noisy', options: { mu2: 2, mu4: 20, noiseVariance: 1 } },
  ];
  for (const { name, options } of settings) {
    it(`${name}: every entry of ∇L matches (L(W + hE) − L(W − hE)) / 2h`, () => {
      const rng = createRng(11);
      const w = gaussianMatrix(3, 4, rng);
      const wStar = gaussianMatrix(5, 4, rng);
      const grad = quadraticPopulationRiskGradient(w, wStar, options);
      const h = 1e-5;
      let scale = 0;
      for (const v of grad.data) scale = Math.max(scale, Math.abs(v));
      for (let k = 0; k < w.data.length; k++) {
        const plus = w.clone();
        const minus = w.clone();
        plus.data[k]! += h;
        minus.data[k]! -= h;
        const fd = (quadraticPopulationRisk(plus, wStar, options) - quadraticPopulationRisk(minus, wStar, options)) / (2 * h);
        expectClose(grad.data[k]!, fd, { abs: 1e-7 * scale }, `∂L/∂W[${k}]`);
      }
    });
  }
});

describe('quadraticPopulationRisk: invariants', () => {
  it('is zero, with zero gradient, at any W = Q W* with Q orthogonal (only WᵀW matters)', () => {
    const wStar = gaussianMatrix(3, 3, createRng(5));
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const q = Matrix.from([
      [c, -s, 0],
      [s, c, 0],
      [0, 0, 1],
    ]);
    const w = new Matrix(3, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let v = 0;
        for (let k = 0; k < 3; k++) v += q.get(i, k) * wStar.get(k, j);
        w.set(i, j, v);
      }
    }
    expect(quadraticPopulationRisk(w, wStar)).toBeLessThan(1e-24);
    expect(Math.max(...Array.from(quadraticPopulationRiskGradient(w, wStar).data, Math.abs))).toBeLessThan(1e-12);
  });

  it('at W = 0 equals 2‖W*ᵀW*‖_F² + (tr W*ᵀW*)², above the barrier 2σ_min(W*)⁴', () => {
    // W* = diag(1, 2): L(0) = 2(1 + 16) + 25 = 59 ≥ 2 σ_min⁴ = 2.
    expect(quadraticPopulationRisk(Matrix.zeros(1, 2), Matrix.diagonal([1, 2]))).toBe(59);
  });

  it('accepts students and teachers of different widths, including width 0', () => {
    const wStar = Matrix.from([[1, 2, 3]]);
    // Δ = −w*ᵀw*: ‖Δ‖_F² = (‖w*‖²)² = 196, tr Δ = −14 → 2·196 + 196 = 588.
    expect(quadraticPopulationRisk(Matrix.zeros(0, 3), wStar)).toBe(588);
    expect(quadraticPopulationRiskGradient(Matrix.zeros(0, 3), wStar).shape).toEqual([0, 3]);
  });
});

describe('quadraticPopulationRisk: argument errors', () => {
  const w = Matrix.identity(2);
  it('rejects mismatched input dimensions with a ShapeError naming both shapes', () => {
    expect(() => quadraticPopulationRisk(w, Matrix.zeros(2, 3))).toThrow(ShapeError);
    expect(() => quadraticPopulationRiskGradient(w, Matrix.zeros(2, 3))).toThrow(/2×2 and wStar is 2×3/);
  });
  it('rejects non-finite entries with a NonFiniteError naming the argument and position', () => {
    const bad = Matrix.from([
      [1, 0],
      [0, Number.NaN],
    ]);
    expect(() => quadraticPopulationRisk(bad, w)).toThrow(NonFiniteError);
    expect(() => quadraticPopulationRisk(w, bad)).toThrow(/wStar has a non-finite entry NaN at \[1\]\[1\]/);
  });
  it('rejects non-matrices and out-of-range moments with InvalidArgumentError', () => {
    expect(() => quadraticPopulationRisk([[1]] as unknown as Matrix, w)).toThrow(InvalidArgumentError);
    expect(() => quadraticPopulationRisk(w, w, { mu2: 0 })).toThrow(/options\.mu2/);
    expect(() => quadraticPopulationRisk(w, w, { mu2: 2, mu4: 3 })).toThrow(/options\.mu4: 3/);
    expect(() => quadraticPopulationRisk(w, w, { noiseVariance: -1 })).toThrow(/options\.noiseVariance/);
    expect(() => quadraticPopulationRiskGradient(w, w, { mu4: Number.POSITIVE_INFINITY })).toThrow(InvalidArgumentError);
  });
});

describe('QuadraticPopulationRisk: finite differences (gradient h = 1e-6, tolerance 1e-6 · max|∇L|; H[U] h = 1e-5, tolerance 1e-7 · max|H[U]|)', () => {
  const settings = [
    { name: 'Gaussian, unsigned', options: {}, m: 4, signed: false },
    { name: 'Rademacher, signed student and teacher', options: { mu2: 1, mu4: 1 }, m: 6, signed: true },
    { name: 'uniform on [−√3, √3], signed student, noisy', options: { mu2: 1, mu4: 9 / 5, noiseVariance: 0.3 }, m: 6, signed: true },
  ];
  for (const s of settings) {
    it(s.name, () => {
      const rng = createRng(21);
      const d = 3;
      const teacher = gaussianMatrix(5, d, rng);
      const w = gaussianMatrix(s.m, d, rng);
      const u = gaussianMatrix(s.m, d, rng);
      const options = { ...s.options, ...(s.signed ? { signs: balancedSigns(s.m), teacherSigns: balancedSigns(5) } : {}) };
      const objective = new QuadraticPopulationRisk(teacher, s.m, options);
      expect(objective.value(w.data)).toBe(quadraticPopulationRisk(w, teacher, options));
      const grad = objective.gradient(w.data);
      const gScale = Math.max(...Array.from(grad, Math.abs));
      for (let k = 0; k < grad.length; k++) {
        const plus = w.data.slice();
        const minus = w.data.slice();
        plus[k]! += 1e-6;
        minus[k]! -= 1e-6;
        expectClose(grad[k]!, (objective.value(plus) - objective.value(minus)) / 2e-6, { abs: 1e-6 * gScale }, `∂L/∂W[${k}]`);
      }
      const hu = objective.hessianVectorProduct(w.data, u.data);
      const h = 1e-5;
      const gp = objective.gradient(w.data.map((v, k) => v + h * u.data[k]!));
      const gm = objective.gradient(w.data.map((v, k) => v - h * u.data[k]!));
      const hScale = Math.max(...Array.from(hu, Math.abs));
      expectClose(hu, gp.map((v, k) => (v - gm[k]!) / (2 * h)), { abs: 1e-7 * hScale }, 'H[U]');
      // Dense Hessian: symmetric, columns equal H[e_c] to rounding, H vec(U) = H[U].
      const hess = objective.hessian(w);
      const n = s.m * d;
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(hess.get(i, j)).toBe(hess.get(j, i));
      const scale = Math.max(...Array.from(hess.data, Math.abs));
      const unit = new Float64Array(n);
      for (let c = 0; c < n; c++) {
        unit.fill(0);
        unit[c] = 1;
        expectClose(hess.column(c), objective.hessianVectorProduct(w.data, unit), { abs: 1e-13 * scale }, `column ${c}`);
      }
      const hv = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) hv[i]! += hess.get(i, j) * u.data[j]!;
      expectClose(hv, hu, { abs: 1e-12 * scale * n }, 'H vec(U)');
    });
  }

  it('at the teacher, H[U] = 0 along rotations U = AW* with A antisymmetric (only WᵀW matters)', () => {
    // W = W* (3×3): directions U = A W with A antisymmetric leave WᵀW unchanged, so H[U] = 0.
    const wStar = gaussianMatrix(3, 3, createRng(22));
    const objective = new QuadraticPopulationRisk(wStar, 3);
    const a = Matrix.from([
      [0, 1, -2],
      [-1, 0, 0.5],
      [2, -0.5, 0],
    ]);
    const u = new Matrix(3, 3);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) u.data[i * 3 + j]! += a.get(i, k) * wStar.get(k, j);
    const hu = objective.hessianVectorProduct(wStar.data, u.data);
    expect(Math.max(...Array.from(hu, Math.abs))).toBeLessThan(1e-12 * Math.max(...Array.from(objective.hessian(wStar).data, Math.abs)));
  });
});

describe('QuadraticPopulationRisk: signed networks', () => {
  it('a signed student can match a signed teacher with the same Q (zero risk), which no unsigned student can', () => {
    const teacher = Matrix.from([
      [1, 0],
      [0, 2],
    ]);
    const teacherSigns = Float64Array.of(1, -1); // Q* = diag(1, −4), indefinite
    const objective = new QuadraticPopulationRisk(teacher, 2, { signs: teacherSigns, teacherSigns });
    expect(objective.risk(teacher)).toBe(0);
    expect(Array.from(objective.teacherMatrix().data)).toEqual([1, 0, 0, -4]);
    // Unsigned student at the best PSD part diag(1, 0): Δ = diag(0, 4): 2·16 + 16 = 48.
    expect(new QuadraticPopulationRisk(teacher, 2, { teacherSigns }).risk(Matrix.from([[1, 0], [0, 0]]))).toBe(48);
  });

  it('rejects bad signs and widths with typed errors', () => {
    const t = Matrix.identity(2);
    expect(() => new QuadraticPopulationRisk(t, 2, { signs: Float64Array.of(1, 2) })).toThrow(/invalid options.signs\[1\]: 2/);
    expect(() => new QuadraticPopulationRisk(t, 2, { teacherSigns: Float64Array.of(1) })).toThrow(ShapeError);
    expect(() => new QuadraticPopulationRisk(t, 0)).toThrow(/invalid width: 0/);
    expect(() => new QuadraticPopulationRisk(Matrix.zeros(0, 2), 1)).toThrow(/invalid teacher: 0×2 matrix/);
    expect(() => new QuadraticPopulationRisk(Matrix.from([[Number.NaN]]), 1)).toThrow(NonFiniteError);
    expect(() => new QuadraticPopulationRisk(t, 2, { mu2: -1 })).toThrow(/options\.mu2/);
    expect(() => quadraticPopulationRisk(t, t, { signs: Float64Array.of(1) })).toThrow(/options.signs has length 1/);
    const objective = new QuadraticPopulationRisk(t, 2);
    expect(() => objective.value(new Float64Array(3))).toThrow(/w has length 3, expected 4/);
    expect(() => objective.risk(Matrix.zeros(3, 2))).toThrow(InvalidArgumentError);
    expect(() => objective.riskGradient(Matrix.from([[Number.POSITIVE_INFINITY, 0], [0, 0]]))).toThrow(NonFiniteError);
  });

  it('out may alias w and u', () => {
    const rng = createRng(23);
    const objective = new QuadraticPopulationRisk(gaussianMatrix(3, 2, rng), 2, { signs: Float64Array.of(1, -1) });
    const w = gaussianMatrix(2, 2, rng).data;
    const u = gaussianMatrix(2, 2, rng).data;
    const g = objective.gradient(w);
    const hu = objective.hessianVectorProduct(w, u);
    const w2 = w.slice();
    objective.gradient(w2, w2);
    expect(Array.from(w2)).toEqual(Array.from(g));
    const u2 = u.slice();
    objective.hessianVectorProduct(w, u2, u2);
    expect(Array.from(u2)).toEqual(Array.from(hu));
    expect(objective.blocks).toEqual([{ name: 'W', size: 4 }]);
  });
});
