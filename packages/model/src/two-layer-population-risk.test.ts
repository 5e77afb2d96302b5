import { describe, expect, it } from 'vitest';
import { createRng, gaussianMatrix, InvalidArgumentError, Matrix, ShapeError, type Rng } from '@shallowscape/linalg';
import { expectClose, loadFixture } from '@shallowscape/test-utils';
import { ACTIVATIONS } from './activations';
import { TwoLayerNet, type Parameterization } from './two-layer-net';
import { TwoLayerEmpiricalRisk } from './two-layer-risk';
import {
  TwoLayerPopulationRisk,
  twoLayerPopulationRisk,
  twoLayerPopulationRiskGradient,
  twoLayerPopulationRiskMonteCarlo,
  type GaussianKernelActivation,
  type TwoLayerWeights,
} from './two-layer-population-risk';

function network(rng: Rng, m: number, d: number): TwoLayerWeights {
  return { w: gaussianMatrix(m, d, rng, 0.8), a: rng.fillNormal(new Float64Array(m)) };
}

const CASES: [GaussianKernelActivation, Parameterization, Parameterization][] = [
  ['relu', 'ntk', 'ntk'],
  ['relu', 'standard', 'mean-field'],
  ['erf', 'ntk', 'ntk'],
  ['erf', 'mean-field', 'standard'],
];

describe('twoLayerPopulationRisk (closed forms)', () => {
  it('matches the numpy fixture (rel 1e-11)', () => {
    interface Case {
      activation: GaussianKernelActivation; parameterization: Parameterization; teacherParameterization: Parameterization;
      w: number[][]; a: number[]; wt: number[][]; at: number[]; risk: number; gradW: number[][]; gradA: number[];
    }
    const fixture = loadFixture<{ population: Case[] }>(import.meta.url, 'fixtures/two-layer.json');
    expect(fixture.population.length).toBe(4);
    for (const c of fixture.population) {
      const student = { w: Matrix.from(c.w), a: Float64Array.from(c.a) };
      const teacher = { w: Matrix.from(c.wt), a: Float64Array.from(c.at) };
      const opts = { activation: c.activation, parameterization: c.parameterization, teacherParameterization: c.teacherParameterization };
      expectClose(twoLayerPopulationRisk(student, teacher, opts), c.risk, { rel: 1e-11 }, `${c.activation} risk`);
      const g = twoLayerPopulationRiskGradient(student, teacher, opts);
      const expected = [...c.gradW.flat(), ...c.gradA];
      const actual = [...g.w.data, ...g.a];
      const scale = Math.max(...expected.map(Math.abs));
      actual.forEach((v, k) => expect(Math.abs(v - expected[k]!)).toBeLessThanOrEqual(1e-11 * scale));
    }
  });

  // Monte Carlo: 200 000 seeded Gaussian inputs; |closed form − estimate| ≤ 5 standard errors.
  for (const [activation, parameterization, teacherParameterization] of CASES) {
    it(`${activation} (${parameterization} student, ${teacherParameterization} teacher): risk agrees with Monte Carlo within 5 standard errors`, () => {
      const rng = createRng(4000 + CASES.findIndex((c) => c[0] === activation && c[1] === parameterization));
      const student = network(rng, 5, 4);
      const teacher = network(rng, 3, 4);
      const opts = { activation, parameterization, teacherParameterization };
      const exact = twoLayerPopulationRisk(student, teacher, opts);
      const mc = twoLayerPopulationRiskMonteCarlo(student, teacher, { ...opts, samples: 200_000, rng });
      expect(mc.standardError).toBeGreaterThan(0);
      expect(mc.standardError).toBeLessThan(0.01 * exact);
      expect(Math.abs(exact - mc.value)).toBeLessThanOrEqual(5 * mc.standardError);
    });

    // 40 batches of 5000 inputs (200 000 in all): the batch gradients of the empirical risk with teacher
    // labels are unbiased for the population gradient; per coordinate |exact − mean| ≤ 5 · (batch SD/√40).
    it(`${activation} (${parameterization}): gradient agrees with Monte Carlo within 5 standard errors per coordinate`, () => {
      const rng = createRng(5000 + CASES.findIndex((c) => c[0] === activation && c[1] === parameterization));
      const m = 4;
      const d = 3;
      const student = network(rng, m, d);
      const teacher = network(rng, 2, d);
      const opts = { activation, parameterization, teacherParameterization };
      const exact = twoLayerPopulationRiskGradient(student, teacher, opts);
      const exactFlat = [...exact.w.data, ...exact.a];
      const teacherNet = new TwoLayerNet(teacher.w, teacher.a, { activation, parameterization: teacherParameterization });
      const batches = 40;
      const p = m * d + m;
      const sum = new Float64Array(p);
      const sumSq = new Float64Array(p);
      for (let b = 0; b < batches; b++) {
        const x = gaussianMatrix(5000, d, rng);
        const objective = new TwoLayerEmpiricalRisk(x, teacherNet.predict(x), { width: m, activation, parameterization });
        const g = objective.gradient(objective.pack(student.w, student.a));
        for (let k = 0; k < p; k++) {
          sum[k]! += g[k]!;
          sumSq[k]! += g[k]! * g[k]!;
        }
      }
      for (let k = 0; k < p; k++) {
        const mean = sum[k]! / batches;
        const variance = (sumSq[k]! - batches * mean * mean) / (batches - 1);
        const se = Math.sqrt(variance / batches);
        expect(Math.abs(exactFlat[k]! - mean), `coordinate ${k}`).toBeLessThanOrEqual(5 * se + 1e-12);
      }
    });

    it(`${activation}: gradient matches central differences of the closed form (1e-7 relative)`, () => {
      const rng = createRng(6000);
      const student = network(rng, 4, 3);
      const teacher = network(rng, 3, 3);
      const opts = { activation, parameterization, teacherParameterization };
      const g = twoLayerPopulationRiskGradient(student, teacher, opts);
      const flat = [...g.w.data, ...g.a];
      const scale = Math.max(...flat.map(Math.abs));
      const h = 1e-6;
      for (let k = 0; k < 16; k++) {
        const shifted = (delta: number) => {
          const w = student.w.clone();
          const a = student.a.slice();
          if (k < 12) w.data[k]! += delta;
          else a[k - 12]! += delta;
          return twoLayerPopulationRisk({ w, a }, teacher, opts);
        };
        const fd = (shifted(h) - shifted(-h)) / (2 * h);
        expect(Math.abs(fd - flat[k]!)).toBeLessThanOrEqual(1e-7 * scale);
      }
    });
  }

  it('is zero at the teacher and uses the exact ReLU moments', () => {
    const rng = createRng(1);
    const teacher = network(rng, 3, 5);
    for (const activation of ['relu', 'erf'] as const) {
      expect(twoLayerPopulationRisk(teacher, teacher, { activation, parameterization: 'ntk' })).toBeLessThan(1e-14);
      const g = twoLayerPopulationRiskGradient(teacher, teacher, { activation, parameterization: 'ntk' });
      for (const v of [...g.w.data, ...g.a]) expect(Math.abs(v)).toBeLessThan(1e-13);
    }
    // One unit against zero: E relu(w·x)² = ‖w‖²/2.
    const zero = { w: Matrix.from([[1, 0, 0]]), a: Float64Array.of(0) };
    const one = { w: Matrix.from([[1, 2, 2]]), a: Float64Array.of(1) };
    expectClose(twoLayerPopulationRisk(one, zero, { activation: 'relu', parameterization: 'standard' }), 4.5, { rel: 1e-15 });
    // erf: E erf(w·x)² = (2/π) arcsin(2‖w‖²/(1 + 2‖w‖²)).
    expectClose(twoLayerPopulationRisk(one, zero, { activation: 'erf', parameterization: 'standard' }), (2 / Math.PI) * Math.asin(18 / 19), { rel: 1e-15 });
  });

  it('validates its arguments, naming them', () => {
    const net = { w: Matrix.from([[1, 0]]), a: Float64Array.of(1) };
    expect(() => twoLayerPopulationRisk(net, net, { activation: 'tanh' as never, parameterization: 'ntk' })).toThrow(/options\.activation/);
    expect(() => twoLayerPopulationRisk(net, net, { activation: 'relu', parameterization: 'x' as never })).toThrow(/options\.parameterization/);
    expect(() => twoLayerPopulationRisk(net, { w: Matrix.from([[1]]), a: Float64Array.of(1) }, { activation: 'relu', parameterization: 'ntk' })).toThrow(ShapeError);
    expect(() => twoLayerPopulationRisk({ w: net.w, a: Float64Array.of(1, 2) }, net, { activation: 'relu', parameterization: 'ntk' })).toThrow(/student\.a/);
    expect(() => twoLayerPopulationRisk(null as never, net, { activation: 'relu', parameterization: 'ntk' })).toThrow(InvalidArgumentError);
    const mc = { activation: 'relu', parameterization: 'ntk', rng: createRng(1) } as const;
    expect(() => twoLayerPopulationRiskMonteCarlo(net, net, { ...mc, samples: 1 })).toThrow(/options\.samples/);
    expect(() => twoLayerPopulationRiskMonteCarlo(net, net, { ...mc, samples: 10, rng: {} as never })).toThrow(/options\.rng/);
  });
});

describe('twoLayerPopulationRiskMonteCarlo', () => {
  // Quadratic activation: E[(w·x)²(u·x)²] = ‖w‖²‖u‖² + 2(w·u)² gives an exact reference for the estimator.
  it('agrees with the quadratic-activation closed form within 5 standard errors', () => {
    const rng = createRng(77);
    const student = network(rng, 3, 4);
    const teacher = network(rng, 2, 4);
    const s = 1 / Math.sqrt(3);
    const st = 1 / Math.sqrt(2);
    const units = [
      ...Array.from({ length: 3 }, (_, r) => ({ w: student.w.row(r), c: s * student.a[r]! })),
      ...Array.from({ length: 2 }, (_, r) => ({ w: teacher.w.row(r), c: -st * teacher.a[r]! })),
    ];
    const dot = (p: Float64Array, q: Float64Array) => p.reduce((acc, v, k) => acc + v * q[k]!, 0);
    let exact = 0;
    for (const p of units) for (const q of units) exact += p.c * q.c * (dot(p.w, p.w) * dot(q.w, q.w) + 2 * dot(p.w, q.w) ** 2);
    const mc = twoLayerPopulationRiskMonteCarlo(student, teacher, { activation: 'quadratic', parameterization: 'ntk', samples: 200_000, rng });
    expect(Math.abs(mc.value - exact)).toBeLessThanOrEqual(5 * mc.standardError);
  });

  it('runs for every activation, reproducibly from the seed', () => {
    const rng = createRng(3);
    const student = network(rng, 3, 2);
    const teacher = network(rng, 2, 2);
    for (const activation of ACTIVATIONS) {
      const opts = { activation, parameterization: 'mean-field', samples: 5000 } as const;
      const r1 = twoLayerPopulationRiskMonteCarlo(student, teacher, { ...opts, rng: createRng(9) });
      const r2 = twoLayerPopulationRiskMonteCarlo(student, teacher, { ...opts, rng: createRng(9) });
      expect(r1).toEqual(r2);
      expect(r1.value).toBeGreaterThan(0);
      expect(r1.standardError).toBeGreaterThan(0);
    }
  });
});

describe('TwoLayerPopulationRisk', () => {
  it('agrees with the functions, freezes blocks and handles aliasing', () => {
    const rng = createRng(12);
    const teacher = network(rng, 3, 4);
    const student = network(rng, 5, 4);
    const opts = { activation: 'relu', parameterization: 'ntk' } as const;
    const objective = new TwoLayerPopulationRisk(teacher, { ...opts, width: 5 });
    const params = Float64Array.from([...student.w.data, ...student.a]);
    expect(objective.value(params)).toBe(twoLayerPopulationRisk(student, teacher, opts));
    const g = twoLayerPopulationRiskGradient(student, teacher, opts);
    expect(Array.from(objective.gradient(params))).toEqual([...g.w.data, ...g.a]);
    const frozen = new TwoLayerPopulationRisk(teacher, { ...opts, width: 5, freeze: 'output' });
    const alias = params.slice();
    expect(frozen.valueAndGradient(alias, alias)).toBe(objective.value(params));
    expect(Array.from(alias)).toEqual([...g.w.data, 0, 0, 0, 0, 0]);
    expect(objective.blocks).toEqual([{ name: 'W', size: 20 }, { name: 'a', size: 5 }]);
    expect(() => new TwoLayerPopulationRisk(teacher, { ...opts, width: 5, freeze: 'x' as never })).toThrow(/options\.freeze/);
    expect(() => objective.value(new Float64Array(3))).toThrow(ShapeError);
  });
});
