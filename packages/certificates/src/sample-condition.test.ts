import { describe, expect, it } from 'vitest';
import { createRng, eigvalsh, gaussianMatrix, gemm, InvalidArgumentError, Matrix, NonFiniteError, ShapeError, syrk } from '@shallowscape/linalg';
import { quadraticPopulationRisk, sampleTeacher, teacherLabels } from '@shallowscape/model';
import { expectClose } from '@shallowscape/test-utils';
import { liftedDesign, nStar } from './lifted-design';
import { energyBarrier } from './energy-barrier';
import { badGlobalMinimum, sampleCondition } from './sample-condition';

/** σ(Φ)² from eigvalsh(ΦᵀΦ): an independent route to the extreme singular values (N ≥ N*). */
function gramSingularValues(x: Matrix): { smin: number; smax: number } {
  const e = eigvalsh(syrk(liftedDesign(x), { transpose: true }));
  return { smin: Math.sqrt(Math.max(0, e[0]!)), smax: Math.sqrt(e[e.length - 1]!) };
}

describe('sampleCondition', () => {
  for (const d of [3, 4, 6]) {
    const ns = nStar(d);
    it(`d = ${d}: fails at N = N* − 1 = ${ns - 1}, holds at N* and N* + 1 (seeded Gaussian inputs)`, () => {
      const rng = createRng(300 + d);
      const below = sampleCondition(gaussianMatrix(ns - 1, d, rng));
      expect(below).toMatchObject({ n: ns - 1, nStar: ns, liftRank: ns - 1, liftConditionNumber: Infinity, sigmaMinRatio: 0, holds: false });
      for (const n of [ns, ns + 1, 3 * ns]) {
        const x = gaussianMatrix(n, d, rng);
        const c = sampleCondition(x);
        expect(c).toMatchObject({ n, nStar: ns, liftRank: ns, holds: true });
        // κ from the Gram eigenvalues (accurate while κ² ≪ 1/ε; these κ are < 1e4).
        const { smin, smax } = gramSingularValues(x);
        expectClose(c.liftConditionNumber, smax / smin, { rel: 1e-6 }, `κ(Φ), N = ${n}`);
        expectClose(c.sigmaMinRatio, smin / smax, { rel: 1e-6 });
        expectClose(c.tolerance, Math.max(n, ns) * Number.EPSILON * smax, { rel: 1e-10 });
      }
    });
  }

  it('fails with N ≥ N* samples that do not span the symmetric matrices (repeated rows, a zero coordinate)', () => {
    const rng = createRng(9);
    const x = gaussianMatrix(5, 3, rng);
    const repeated = Matrix.from([...x.toArray(), ...x.toArray()]); // N = 10 ≥ N* = 6, rank Φ = 5
    expect(sampleCondition(repeated)).toMatchObject({ liftRank: 5, holds: false, liftConditionNumber: Infinity });
    const flat = gaussianMatrix(20, 3, rng);
    for (let i = 0; i < 20; i++) flat.set(i, 2, 0); // x₃ = 0: the (3,3), (1,3), (2,3) entries are invisible
    expect(sampleCondition(flat)).toMatchObject({ liftRank: 3, holds: false });
  });

  it('a user tolerance above σ_min turns the condition off', () => {
    const x = gaussianMatrix(12, 3, createRng(2));
    const { smin } = gramSingularValues(x);
    expect(sampleCondition(x, { tolerance: smin * 0.99 }).holds).toBe(true);
    expect(sampleCondition(x, { tolerance: smin * 1.01 })).toMatchObject({ holds: false, liftRank: 5, liftConditionNumber: Infinity });
  });

  it('throws typed errors naming the argument', () => {
    expect(() => sampleCondition(Matrix.zeros(0, 3))).toThrow(/invalid x/);
    expect(() => sampleCondition(Matrix.zeros(3, 0))).toThrow(InvalidArgumentError);
    expect(() => sampleCondition(Matrix.from([[Number.NaN, 1]]))).toThrow(NonFiniteError);
    expect(() => sampleCondition(Matrix.identity(2), { tolerance: -1 })).toThrow(/options\.tolerance/);
  });
});

describe('badGlobalMinimum', () => {
  for (const [d, mStar] of [[3, 3], [4, 7], [6, 10]] as const) {
    it(`d = ${d}, m* = ${mStar}, N = N* − 1: interpolates, is rank deficient, and sits above the barrier`, () => {
      const rng = createRng(400 + d);
      const teacher = sampleTeacher(mStar, d, rng);
      const x = gaussianMatrix(nStar(d) - 1, d, rng);
      const bad = badGlobalMinimum(x, teacher);
      const m = gemm(teacher, teacher, { transA: true });
      const scale = Math.max(...Array.from(m.data, Math.abs));
      // B is a unit symmetric null direction of Φ: x_iᵀ B x_i = 0.
      let normB = 0;
      for (let k = 0; k < d * d; k++) normB += bad.direction.data[k]! ** 2;
      expectClose(Math.sqrt(normB), 1, { rel: 1e-12 });
      for (let i = 0; i < x.rows; i++) {
        const xi = x.row(i);
        let q = 0;
        for (let k = 0; k < d; k++) for (let l = 0; l < d; l++) q += xi[k]! * bad.direction.get(k, l) * xi[l]!;
        expect(Math.abs(q)).toBeLessThan(1e-12 * d * d);
      }
      // gram = M + tB = WᵀW, PSD and singular.
      for (let k = 0; k < d * d; k++) expect(Math.abs(bad.gram.data[k]! - (m.data[k]! + bad.t * bad.direction.data[k]!))).toBeLessThan(1e-10 * scale);
      const wtw = gemm(bad.w, bad.w, { transA: true });
      for (let k = 0; k < d * d; k++) expect(Math.abs(wtw.data[k]! - bad.gram.data[k]!)).toBeLessThan(1e-12 * scale);
      const ev = eigvalsh(bad.gram);
      expect(Math.abs(ev[0]!)).toBeLessThan(1e-10 * ev[d - 1]!);
      expect(bad.rank).toBe(d - 1);
      expect(bad.t).toBeGreaterThan(0);
      // M + t'B is indefinite for t' slightly beyond t: t is the largest.
      const beyond = Matrix.from(m.toArray().map((row, k) => row.map((v, l) => v + bad.t * 1.001 * bad.direction.get(k, l))));
      expect(eigvalsh(beyond)[0]!).toBeLessThan(0);
      // Zero training risk, population risk above the barrier.
      const y = teacherLabels(x, teacher);
      const meanY2 = Array.from(y).reduce((s, v) => s + v * v, 0) / y.length;
      expect(bad.trainingRisk).toBeLessThan(1e-20 * meanY2);
      expectClose(bad.barrier, energyBarrier(teacher), { rel: 1e-15 });
      expectClose(bad.populationRisk, quadraticPopulationRisk(bad.w, teacher), { rel: 1e-14 });
      expect(bad.populationRisk).toBeGreaterThanOrEqual(bad.barrier);
      expect(bad.w.shape).toEqual([mStar, d]);
    });
  }

  it('refuses N = N* + 1 samples (the condition holds), naming x', () => {
    const d = 4;
    const rng = createRng(500);
    const teacher = sampleTeacher(5, d, rng);
    expect(() => badGlobalMinimum(gaussianMatrix(nStar(d) + 1, d, rng), teacher)).toThrow(InvalidArgumentError);
    expect(() => badGlobalMinimum(gaussianMatrix(nStar(d) + 1, d, rng), teacher)).toThrow(/invalid x: .*sample condition fails/);
  });

  it('works above N* when the samples are degenerate, and honours width', () => {
    const rng = createRng(501);
    const teacher = sampleTeacher(3, 3, rng);
    const x = gaussianMatrix(4, 3, rng);
    const repeated = Matrix.from([...x.toArray(), ...x.toArray()]); // N = 8 > N* = 6 but rank Φ = 4
    const bad = badGlobalMinimum(repeated, teacher, { width: 5 });
    expect(bad.w.shape).toEqual([5, 3]);
    expect(bad.populationRisk).toBeGreaterThanOrEqual(bad.barrier);
    expect(bad.trainingRisk).toBeLessThan(1e-20);
  });

  it('throws typed errors naming teacher, options.width and shapes', () => {
    const x = gaussianMatrix(3, 3, createRng(1));
    expect(() => badGlobalMinimum(x, Matrix.from([[1, 0, 0], [0, 1, 0]]))).toThrow(/invalid teacher/);
    expect(() => badGlobalMinimum(x, Matrix.identity(2))).toThrow(ShapeError);
    expect(() => badGlobalMinimum(x, Matrix.identity(3), { width: 2 })).toThrow(/options\.width/);
  });
});
