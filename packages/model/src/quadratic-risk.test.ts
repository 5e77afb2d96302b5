import { describe, expect, it } from 'vitest';
import {
  createRng,
  gaussianMatrix,
  InvalidArgumentError,
  Matrix,
  NonFiniteError,
  ShapeError,
  createWasmSimdBackend,
  type Rng,
} from '@shallowscape/linalg';
import { expectClose, expectMatrixClose, loadFixture } from '@shallowscape/test-utils';
import { MAX_DENSE_HESSIAN_PARAMETERS, QuadraticEmpiricalRisk } from './quadratic-risk';
import { QuadraticPopulationRisk } from './quadratic-population-risk';
import { balancedSigns } from './signed-quadratic-net';
import { inputMoments, sampleInputs, teacherLabels, type InputDistribution } from './teacher-student';

/** `f(x_i) = Σ_j v_j (w_j·x_i)²` sample by sample, straight from the weights (no Q, no S). */
function directOutputs(w: Matrix, x: Matrix, signs?: Float64Array): Float64Array {
  const f = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < w.rows; j++) {
      let z = 0;
      for (let a = 0; a < w.cols; a++) z += w.data[j * w.cols + a]! * x.data[i * x.cols + a]!;
      f[i]! += (signs?.[j] ?? 1) * z * z;
    }
  }
  return f;
}

function directRisk(w: Matrix, x: Matrix, y: Float64Array, signs?: Float64Array): number {
  const f = directOutputs(w, x, signs);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (f[i]! - y[i]!) ** 2;
  return s / y.length;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]!));
  return m;
}

interface Problem {
  x: Matrix;
  y: Float64Array;
  w: Matrix;
  u: Matrix;
  signs: Float64Array | undefined;
}

function problem(seed: number, n: number, d: number, m: number, signed: boolean): Problem {
  const rng = createRng(seed);
  const x = gaussianMatrix(n, d, rng);
  const y = rng.fillNormal(new Float64Array(n), 0, 2);
  return { x, y, w: gaussianMatrix(m, d, rng), u: gaussianMatrix(m, d, rng), signs: signed ? balancedSigns(m) : undefined };
}

const settings = [
  { name: 'unsigned, m > d', seed: 1, n: 40, d: 3, m: 5, signed: false },
  { name: 'unsigned, m < d', seed: 2, n: 30, d: 5, m: 2, signed: false },
  { name: 'signed k = 2d', seed: 3, n: 35, d: 4, m: 8, signed: true },
  { name: 'signed, d = 40 (several column blocks)', seed: 4, n: 50, d: 40, m: 3, signed: true },
];

describe('QuadraticEmpiricalRisk: value against direct per-sample evaluation (tolerance 1e-12 relative)', () => {
  for (const s of settings) {
    it(s.name, () => {
      const p = problem(s.seed, s.n, s.d, s.m, s.signed);
      const objective = new QuadraticEmpiricalRisk(p.x, p.y, s.m, { signs: p.signs });
      expectClose(objective.risk(p.w), directRisk(p.w, p.x, p.y, p.signs), { rel: 1e-12 }, 'risk');
      const f = directOutputs(p.w, p.x, p.signs);
      const expected = f.map((v, i) => v - p.y[i]!);
      expectClose(objective.residuals(p.w), expected, { abs: 1e-12 * maxAbs(expected) }, 'residuals');
    });
  }
});

describe('QuadraticEmpiricalRisk: gradient by central finite differences (h = 1e-6, tolerance 1e-6 · max|∇L|)', () => {
  // Truncation error h²/6 · |∂³L| and rounding ε·|L|/h are both far below 1e-6 of the gradient's scale here.
  for (const s of settings) {
    it(s.name, () => {
      const p = problem(s.seed, s.n, s.d, s.m, s.signed);
      const objective = new QuadraticEmpiricalRisk(p.x, p.y, s.m, { signs: p.signs });
      const grad = objective.gradient(p.w.data);
      const h = 1e-6;
      const scale = maxAbs(grad);
      for (let k = 0; k < grad.length; k++) {
        const plus = p.w.data.slice();
        const minus = p.w.data.slice();
        plus[k]! += h;
        minus[k]! -= h;
        const fd = (directRisk(new Matrix(s.m, s.d, plus), p.x, p.y, p.signs) - directRisk(new Matrix(s.m, s.d, minus), p.x, p.y, p.signs)) / (2 * h);
        expectClose(grad[k]!, fd, { abs: 1e-6 * scale }, `∂L/∂W[${k}]`);
      }
    });
  }
});

describe('QuadraticEmpiricalRisk: Hessian-vector products by central differences of the gradient (h = 1e-5, tolerance 1e-7 · max|H[U]|)', () => {
  // The gradient is a cubic polynomial in W, so the central difference has truncation error
  // h²/6 · |∂³∇L[U,U,U]| only; with h = 1e-5 that is ~1e-10 relative.
  for (const s of settings) {
    it(s.name, () => {
      const p = problem(s.seed, s.n, s.d, s.m, s.signed);
      const objective = new QuadraticEmpiricalRisk(p.x, p.y, s.m, { signs: p.signs });
      const hu = objective.hessianVectorProduct(p.w.data, p.u.data);
      const h = 1e-5;
      const plus = p.w.data.map((v, k) => v + h * p.u.data[k]!);
      const minus = p.w.data.map((v, k) => v - h * p.u.data[k]!);
      const gp = objective.gradient(plus);
      const gm = objective.gradient(minus);
      const fd = gp.map((v, k) => (v - gm[k]!) / (2 * h));
      expectClose(hu, fd, { abs: 1e-7 * maxAbs(hu) }, 'H[U]');
    });
  }

  it('the quadratic form ⟨U, H[U]⟩ equals (4/N)(tr(U S Uᵀ) + 2 Σ g_i²) (the mathematics guide, §1), unsigned', () => {
    const p = problem(5, 25, 3, 4, false);
    const objective = new QuadraticEmpiricalRisk(p.x, p.y, 4);
    const hu = objective.hessianVectorProduct(p.w.data, p.u.data);
    let quad = 0;
    for (let k = 0; k < hu.length; k++) quad += hu[k]! * p.u.data[k]!;
    // Direct: tr(U S Uᵀ) = Σ_i e_i ‖U x_i‖², g_i = (W x_i)·(U x_i).
    const e = objective.residuals(p.w);
    let expected = 0;
    for (let i = 0; i < p.x.rows; i++) {
      let uu = 0;
      let g = 0;
      for (let j = 0; j < 4; j++) {
        let zu = 0;
        let zw = 0;
        for (let a = 0; a < 3; a++) {
          zu += p.u.get(j, a) * p.x.get(i, a);
          zw += p.w.get(j, a) * p.x.get(i, a);
        }
        uu += zu * zu;
        g += zw * zu;
      }
      expected += e[i]! * uu + 2 * g * g;
    }
    expectClose(quad, (4 / p.x.rows) * expected, { rel: 1e-12 }, '⟨U, H[U]⟩');
  });
});

describe('QuadraticEmpiricalRisk: dense Hessian', () => {
  for (const s of settings.slice(0, 3)) {
    it(`${s.name}: exactly symmetric, and column c equals H[e_c] (tolerance 1e-12 · max|H|)`, () => {
      const p = problem(s.seed, s.n, s.d, s.m, s.signed);
      const objective = new QuadraticEmpiricalRisk(p.x, p.y, s.m, { signs: p.signs });
      const hess = objective.hessian(p.w);
      const n = s.m * s.d;
      expect(hess.shape).toEqual([n, n]);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(hess.get(i, j)).toBe(hess.get(j, i));
      const scale = maxAbs(hess.data);
      const unit = new Float64Array(n);
      for (let c = 0; c < n; c++) {
        unit.fill(0);
        unit[c] = 1;
        expectClose(hess.column(c), objective.hessianVectorProduct(p.w.data, unit), { abs: 1e-12 * scale }, `column ${c}`);
      }
      // and H vec(U) = H[U] for a general direction
      const hu = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) hu[i]! += hess.get(i, j) * p.u.data[j]!;
      expectClose(hu, objective.hessianVectorProduct(p.w.data, p.u.data), { abs: 1e-12 * scale * n }, 'H vec(U)');
    });
  }

  it('accumulates over several row chunks (N·md > chunk) to the same matrix as one chunk', () => {
    // md = 400 gives chunks of 327 rows: N = 700 takes three.
    const p = problem(6, 700, 20, 20, false);
    const objective = new QuadraticEmpiricalRisk(p.x, p.y, 20);
    const hess = objective.hessian(p.w);
    const unit = new Float64Array(400);
    const scale = maxAbs(hess.data);
    for (const c of [0, 57, 399]) {
      unit.fill(0);
      unit[c] = 1;
      expectClose(hess.column(c), objective.hessianVectorProduct(p.w.data, unit), { abs: 1e-12 * scale }, `column ${c}`);
    }
  });

  it('refuses models with more than MAX_DENSE_HESSIAN_PARAMETERS parameters', () => {
    const d = 65;
    const m = Math.floor(MAX_DENSE_HESSIAN_PARAMETERS / d) + 1;
    const objective = new QuadraticEmpiricalRisk(Matrix.zeros(1, d), new Float64Array(1), m);
    expect(() => objective.hessian(Matrix.zeros(m, d))).toThrow(/at most 4096 parameters/);
  });
});

describe('QuadraticEmpiricalRisk against numpy (fixtures/gen_quadratic_risk.py, per-sample formulas)', () => {
  interface Case {
    x: number[][];
    y: number[];
    w: number[][];
    u: number[][];
    signs: number[] | null;
    risk: number;
    residuals: number[];
    gradient: number[][];
    hvp: number[][];
    hessian?: number[][];
  }
  const fixture = loadFixture<{ cases: Case[] }>(import.meta.url, 'fixtures/quadratic-risk.json');
  for (const [index, c] of fixture.cases.entries()) {
    const m = c.w.length;
    const d = c.w[0]!.length;
    it(`case ${index}: N = ${c.x.length}, d = ${d}, m = ${m}, ${c.signs ? 'signed' : 'unsigned'} (risk 1e-12 rel; gradient, H[U], H 1e-12 · max)`, () => {
      const x = Matrix.from(c.x);
      const w = Matrix.from(c.w);
      const u = Matrix.from(c.u);
      const objective = new QuadraticEmpiricalRisk(x, Float64Array.from(c.y), m, c.signs ? { signs: Float64Array.from(c.signs) } : undefined);
      expectClose(objective.risk(w), c.risk, { rel: 1e-12 }, 'risk');
      expectClose(objective.residuals(w), c.residuals, { abs: 1e-12 * maxAbs(c.residuals) }, 'residuals');
      const g = Matrix.from(c.gradient);
      expectMatrixClose(objective.riskGradient(w), g, { abs: 1e-12 * maxAbs(g.data) }, 'gradient');
      const hvp = Matrix.from(c.hvp);
      expectClose(objective.hessianVectorProduct(w.data, u.data), hvp.data, { abs: 1e-12 * maxAbs(hvp.data) }, 'H[U]');
      if (c.hessian) {
        const h = Matrix.from(c.hessian);
        expectMatrixClose(objective.hessian(w), h, { abs: 1e-12 * maxAbs(h.data) }, 'Hessian');
      }
    });
  }
});

/**
 * Monte Carlo check of the closed-form population risk against the empirical risk on fresh
 * samples: the empirical risk is the mean of e_i², so its standard error is sd(e²)/√N.
 */
function monteCarlo(objective: QuadraticEmpiricalRisk, w: Matrix): { mean: number; standardError: number } {
  const e = objective.residuals(w);
  const n = e.length;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const loss = e[i]! * e[i]!;
    const delta = loss - mean;
    mean += delta / (i + 1);
    m2 += delta * (loss - mean);
  }
  return { mean, standardError: Math.sqrt(m2 / (n - 1) / n) };
}

describe('population risk against the empirical risk on fresh samples (N = 100000, tolerance 5 standard errors)', () => {
  const n = 100_000;
  const cases: { dist: InputDistribution; signed: boolean; noise: number; seed: number }[] = [
    { dist: 'gaussian', signed: false, noise: 0, seed: 31 },
    { dist: 'rademacher', signed: false, noise: 0, seed: 32 },
    { dist: 'uniform', signed: false, noise: 0.5, seed: 33 },
    { dist: 'gaussian', signed: true, noise: 0.5, seed: 34 },
    { dist: 'rademacher', signed: true, noise: 0, seed: 35 },
    { dist: 'uniform', signed: true, noise: 0, seed: 36 },
  ];
  for (const c of cases) {
    it(`${c.dist} inputs, ${c.signed ? 'signed student and teacher' : 'unsigned'}, label noise σ = ${c.noise}`, () => {
      const rng: Rng = createRng(c.seed);
      const d = 3;
      const m = c.signed ? 6 : 4;
      const teacher = gaussianMatrix(4, d, rng);
      const w = gaussianMatrix(m, d, rng, 0.8);
      const signs = c.signed ? balancedSigns(m) : undefined;
      const teacherSigns = c.signed ? balancedSigns(4) : undefined;
      const x = sampleInputs(n, d, c.dist, rng);
      const y = teacherLabels(x, teacher, { signs: teacherSigns, noise: c.noise, rng });
      const mc = monteCarlo(new QuadraticEmpiricalRisk(x, y, m, { signs }), w);
      const moments = inputMoments(c.dist);
      const population = new QuadraticPopulationRisk(teacher, m, { ...moments, noiseVariance: c.noise ** 2, signs, teacherSigns });
      expect(Math.abs(mc.mean - population.risk(w))).toBeLessThanOrEqual(5 * mc.standardError);
      if (c.dist !== 'gaussian') {
        // Power: the Gaussian formula (μ₄ = 3) is far outside the Monte Carlo error for these inputs.
        const gaussian = new QuadraticPopulationRisk(teacher, m, { noiseVariance: c.noise ** 2, signs, teacherSigns });
        expect(Math.abs(mc.mean - gaussian.risk(w))).toBeGreaterThan(10 * mc.standardError);
      }
    });
  }
});

describe('QuadraticEmpiricalRisk: Objective behaviour', () => {
  const p = problem(7, 30, 4, 5, true);
  const fresh = (): QuadraticEmpiricalRisk => new QuadraticEmpiricalRisk(p.x, p.y, 5, { signs: p.signs });

  it('exposes one block "W" of size m·d and its dimensions', () => {
    const objective = fresh();
    expect(objective.blocks).toEqual([{ name: 'W', size: 20 }]);
    expect([objective.width, objective.inputDimension, objective.sampleCount]).toEqual([5, 4, 30]);
    expect(Array.from(objective.signs)).toEqual([1, 1, 1, -1, -1]);
    expect(Array.from(new QuadraticEmpiricalRisk(p.x, p.y, 2).signs)).toEqual([1, 1]);
  });

  it('valueAndGradient agrees bit for bit with value and gradient, whatever the call order (residual cache)', () => {
    const a = fresh();
    const w2 = p.w.data.map((v) => 0.5 * v);
    const g1 = new Float64Array(20);
    const v1 = a.valueAndGradient(p.w.data, g1);
    // Interleave points so the cache is both hit and invalidated.
    const v2 = a.value(w2);
    const hv = a.hessianVectorProduct(w2, p.u.data);
    const g2 = a.gradient(w2);
    expect(a.value(p.w.data)).toBe(v1);
    expect(Array.from(a.gradient(p.w.data))).toEqual(Array.from(g1));
    const b = fresh();
    expect(b.value(w2)).toBe(v2);
    expect(Array.from(b.gradient(w2))).toEqual(Array.from(g2));
    expect(Array.from(fresh().hessianVectorProduct(w2, p.u.data))).toEqual(Array.from(hv));
  });

  it('a point changed in place after an evaluation is re-evaluated, not served from the cache', () => {
    const a = fresh();
    const w = p.w.data.slice();
    const before = a.value(w);
    w[3]! += 0.25;
    expect(a.value(w)).toBe(fresh().value(w));
    expect(a.value(w)).not.toBe(before);
  });

  it('out may alias w (gradient) or w and u (Hessian-vector product)', () => {
    const expectedG = fresh().gradient(p.w.data);
    const w = p.w.data.slice();
    fresh().gradient(w, w);
    expect(Array.from(w)).toEqual(Array.from(expectedG));
    const expectedH = fresh().hessianVectorProduct(p.w.data, p.u.data);
    const u = p.u.data.slice();
    fresh().hessianVectorProduct(p.w.data, u, u);
    expect(Array.from(u)).toEqual(Array.from(expectedH));
    const w2 = p.w.data.slice();
    const expectedVg = new Float64Array(20);
    const value = fresh().valueAndGradient(p.w.data, expectedVg);
    expect(fresh().valueAndGradient(w2, w2)).toBe(value);
    expect(Array.from(w2)).toEqual(Array.from(expectedVg));
  });

  it('copies its data: changing x or y afterwards changes nothing', () => {
    const x = p.x.clone();
    const y = p.y.slice();
    const objective = new QuadraticEmpiricalRisk(x, y, 5, { signs: p.signs });
    const before = objective.risk(p.w);
    x.data.fill(0);
    y.fill(0);
    objective.value(p.w.data.map((v) => 2 * v)); // invalidate the cache
    expect(objective.risk(p.w)).toBe(before);
  });

  it('all-positive signs give the unsigned objective', () => {
    const unsigned = new QuadraticEmpiricalRisk(p.x, p.y, 5);
    const ones = new QuadraticEmpiricalRisk(p.x, p.y, 5, { signs: new Float64Array(5).fill(1) });
    expect(ones.value(p.w.data)).toBe(unsigned.value(p.w.data));
  });

  it('a non-finite point gives a non-finite value (left to the optimiser to report as divergence)', () => {
    const w = p.w.data.slice();
    w[0] = Number.NaN;
    expect(Number.isNaN(fresh().value(w))).toBe(true);
    w[0] = Number.POSITIVE_INFINITY;
    expect(Number.isFinite(fresh().value(w))).toBe(false);
  });

  it('zero risk and zero gradient at the teacher (noiseless labels, W = W*)', () => {
    const rng = createRng(8);
    const teacher = gaussianMatrix(3, 3, rng);
    const x = sampleInputs(20, 3, 'gaussian', rng);
    const objective = new QuadraticEmpiricalRisk(x, teacherLabels(x, teacher), 3);
    expect(objective.risk(teacher)).toBeLessThan(1e-25);
    expect(maxAbs(objective.riskGradient(teacher).data)).toBeLessThan(1e-12);
  });
});

describe('QuadraticEmpiricalRisk: argument errors', () => {
  const x = Matrix.from([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  const y = Float64Array.of(1, 2, 3);

  it('N = 0 is an InvalidArgumentError naming x', () => {
    const call = (): unknown => new QuadraticEmpiricalRisk(Matrix.zeros(0, 2), new Float64Array(0), 2);
    expect(call).toThrow(InvalidArgumentError);
    expect(call).toThrow(/invalid x: 0×2 matrix \(expected at least one sample/);
  });

  it('rejects non-matrices, d = 0, and non-finite data', () => {
    expect(() => new QuadraticEmpiricalRisk([[1]] as unknown as Matrix, y, 1)).toThrow(/invalid x/);
    expect(() => new QuadraticEmpiricalRisk(Matrix.zeros(3, 0), y, 1)).toThrow(/at least one column/);
    const bad = x.clone();
    bad.data[3] = Number.POSITIVE_INFINITY;
    expect(() => new QuadraticEmpiricalRisk(bad, y, 1)).toThrow(NonFiniteError);
    expect(() => new QuadraticEmpiricalRisk(x, Float64Array.of(1, Number.NaN, 3), 1)).toThrow(/y has a non-finite entry NaN at \[1\]/);
  });

  it('labels: a Float64Array of length N', () => {
    expect(() => new QuadraticEmpiricalRisk(x, [1, 2, 3] as unknown as Float64Array, 1)).toThrow(InvalidArgumentError);
    expect(() => new QuadraticEmpiricalRisk(x, Float64Array.of(1, 2), 1)).toThrow(ShapeError);
    expect(() => new QuadraticEmpiricalRisk(x, Float64Array.of(1, 2), 1)).toThrow(/y has length 2, expected N = 3/);
  });

  it('width: an integer ≥ 1', () => {
    for (const width of [0, -1, 1.5, Number.NaN, '2']) {
      expect(() => new QuadraticEmpiricalRisk(x, y, width as number)).toThrow(/invalid width/);
    }
  });

  it('signs: length m, entries ±1', () => {
    expect(() => new QuadraticEmpiricalRisk(x, y, 2, { signs: Float64Array.of(1) })).toThrow(/options.signs has length 1, expected width = 2/);
    expect(() => new QuadraticEmpiricalRisk(x, y, 2, { signs: Float64Array.of(1, 0.5) })).toThrow(/invalid options.signs\[1\]: 0.5/);
    expect(() => new QuadraticEmpiricalRisk(x, y, 2, { signs: [1, -1] as unknown as Float64Array })).toThrow(InvalidArgumentError);
  });

  it('weights: flat Float64Array of length m·d, or an m×d finite Matrix', () => {
    const objective = new QuadraticEmpiricalRisk(x, y, 2);
    expect(() => objective.value(new Float64Array(3))).toThrow(/w has length 3, expected 4 \(W is 2×2, row-major\)/);
    expect(() => objective.gradient(new Float64Array(4), new Float64Array(5))).toThrow(/out has length 5/);
    expect(() => objective.hessianVectorProduct(new Float64Array(4), new Float64Array(2))).toThrow(/u has length 2/);
    expect(() => objective.value([0, 0, 0, 0] as unknown as Float64Array)).toThrow(InvalidArgumentError);
    expect(() => objective.risk(Matrix.zeros(2, 3))).toThrow(/invalid w: 2×3 matrix \(expected an 2×2 matrix/);
    expect(() => objective.riskGradient(Matrix.from([[1, Number.NaN], [0, 0]]))).toThrow(NonFiniteError);
    expect(() => objective.hessian(Matrix.zeros(1, 2))).toThrow(InvalidArgumentError);
    expect(() => objective.residuals(Matrix.zeros(2, 1))).toThrow(InvalidArgumentError);
  });
});

describe('QuadraticEmpiricalRisk on the wasm-simd backend', () => {
  function relativeDifference(a: Float64Array, b: Float64Array): number {
    let num = 0;
    let den = 0;
    for (let k = 0; k < a.length; k++) {
      num += (a[k]! - b[k]!) ** 2;
      den += b[k]! ** 2;
    }
    return Math.sqrt(num / den);
  }

  // minWork 0: every product through WebAssembly, including the small ones.
  const wasm = createWasmSimdBackend({ minWork: 0 });

  for (const [d, m, n, signed] of [[20, 40, 2000, false], [13, 9, 301, true], [50, 100, 1000, false]] as Array<[number, number, number, boolean]>) {
    it.skipIf(wasm === null)(`gives the reference risk, gradient and HVP to 1e-12 relative: d=${d}, m=${m}, N=${n}, signed=${signed}`, () => {
      const rng = createRng(900 + d + m);
      const x = gaussianMatrix(n, d, rng);
      const y = rng.fillNormal(new Float64Array(n));
      const options = signed ? { signs: balancedSigns(m) } : {};
      const reference = new QuadraticEmpiricalRisk(x, y, m, options);
      const onWasm = new QuadraticEmpiricalRisk(x, y, m, { ...options, backend: wasm! });
      const w = rng.fillNormal(new Float64Array(m * d)).map((t) => t / Math.sqrt(d * m));
      const u = rng.fillNormal(new Float64Array(m * d));
      const gRef = new Float64Array(m * d);
      const gWasm = new Float64Array(m * d);
      const riskRef = reference.valueAndGradient(w, gRef);
      const riskWasm = onWasm.valueAndGradient(w, gWasm);
      expect(Math.abs(riskWasm - riskRef) / riskRef, 'risk').toBeLessThanOrEqual(1e-12);
      expect(relativeDifference(gWasm, gRef), 'gradient').toBeLessThanOrEqual(1e-12);
      const hvpRef = reference.hessianVectorProduct(w, u);
      const hvpWasm = onWasm.hessianVectorProduct(w, u);
      expect(relativeDifference(hvpWasm, hvpRef), 'Hessian-vector product').toBeLessThanOrEqual(1e-12);
      // The independent sample-by-sample risk, through the wasm kernels.
      const wm = new Matrix(m, d, w.slice());
      expectClose(onWasm.risk(wm), directRisk(wm, x, y, options.signs), { rel: 1e-12 }, 'risk vs direct');
      if (m * d <= 400) {
        const hRef = reference.hessian(wm);
        const hWasm = onWasm.hessian(wm);
        expect(relativeDifference(hWasm.data, hRef.data), 'dense Hessian').toBeLessThanOrEqual(1e-12);
      }
    });
  }

  it.skipIf(wasm === null)('gives the same bits on 1, 2 and 3 threads (X resident in the threads’ shared memory), as a risk over a plain copy of X', () => {
    const [d, m, n] = [30, 20, 3001];
    const rng = createRng(77);
    const x = gaussianMatrix(n, d, rng);
    const y = rng.fillNormal(new Float64Array(n));
    const w = rng.fillNormal(new Float64Array(m * d)).map((t) => t / Math.sqrt(d * m));
    const u = rng.fillNormal(new Float64Array(m * d));
    const evaluate = (threads: number) => {
      const objective = new QuadraticEmpiricalRisk(x, y, m, { backend: createWasmSimdBackend({ threads, threadMinWork: 0 })! });
      const g = new Float64Array(m * d);
      const risk = objective.valueAndGradient(w, g);
      return { risk, g, hvp: objective.hessianVectorProduct(w, u) };
    };
    const want = evaluate(1);
    expect(evaluate(2)).toEqual(want);
    expect(evaluate(3)).toEqual(want);
  });

  it('rejects a backend that is not an object, naming options.backend', () => {
    const x = Matrix.from([[1, 0]]);
    expect(() => new QuadraticEmpiricalRisk(x, Float64Array.of(0), 1, { backend: 'wasm-simd' as never })).toThrow(/options\.backend/);
    expect(() => new QuadraticEmpiricalRisk(x, Float64Array.of(0), 1, { backend: { name: '' } as never })).toThrow(InvalidArgumentError);
  });
});
