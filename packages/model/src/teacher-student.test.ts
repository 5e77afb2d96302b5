import { describe, expect, it } from 'vitest';
import { createRng, gaussianMatrix, InvalidArgumentError, Matrix, NonFiniteError, rank, ShapeError } from '@shallowscape/linalg';
import { expectClose } from '@shallowscape/test-utils';
import { QuadraticNet } from './quadratic-net';
import { SignedQuadraticNet } from './signed-quadratic-net';
import { inputMoments, randomLabels, sampleInputs, sampleTeacher, teacherLabels, type InputDistribution } from './teacher-student';

/** Sample mean of g(x) over all entries, with its standard error. */
function entryMean(x: Matrix, g: (v: number) => number): { mean: number; se: number } {
  const n = x.data.length;
  let s = 0;
  let s2 = 0;
  for (const v of x.data) {
    const t = g(v);
    s += t;
    s2 += t * t;
  }
  const mean = s / n;
  return { mean, se: Math.sqrt((s2 / n - mean * mean) / n) };
}

describe('sampleInputs', () => {
  const dists: InputDistribution[] = ['gaussian', 'rademacher', 'uniform'];
  for (const dist of dists) {
    it(`${dist}: mean 0, E[x²] = μ₂, E[x⁴] = μ₄ of inputMoments (200 000 draws, within 5 standard errors)`, () => {
      const x = sampleInputs(20_000, 10, dist, createRng(51));
      const { mu2, mu4 } = inputMoments(dist);
      const first = entryMean(x, (v) => v);
      const second = entryMean(x, (v) => v * v);
      const fourth = entryMean(x, (v) => v ** 4);
      expect(Math.abs(first.mean)).toBeLessThanOrEqual(5 * first.se);
      // Rademacher has x² = 1 exactly (standard error 0): allow rounding only.
      expect(Math.abs(second.mean - mu2)).toBeLessThanOrEqual(5 * second.se + 1e-12);
      expect(Math.abs(fourth.mean - mu4)).toBeLessThanOrEqual(5 * fourth.se + 1e-12);
    });
  }

  it('supports: ±1 for rademacher, [−√3, √3) for uniform', () => {
    const r = sampleInputs(100, 5, 'rademacher', createRng(1));
    expect(r.data.every((v) => v === 1 || v === -1)).toBe(true);
    const u = sampleInputs(1000, 5, 'uniform', createRng(1));
    expect(u.data.every((v) => v >= -Math.sqrt(3) && v < Math.sqrt(3))).toBe(true);
  });

  it('equal seeds give bit-identical data (inputs, teachers, labels, noise); different seeds differ', () => {
    const draw = (seed: number): Float64Array[] => {
      const rng = createRng(seed);
      const x = sampleInputs(30, 4, 'uniform', rng);
      const t = sampleTeacher(5, 4, rng, { rank: 2 });
      const y = teacherLabels(x, t, { noise: 0.3, rng });
      return [x.data, t.data, y, randomLabels(10, rng)];
    };
    const a = draw(77);
    const b = draw(77);
    for (let k = 0; k < a.length; k++) expect(Array.from(a[k]!)).toEqual(Array.from(b[k]!));
    expect(Array.from(draw(78)[0]!)).not.toEqual(Array.from(a[0]!));
  });

  it('N = 0 gives an empty matrix; bad arguments throw typed errors', () => {
    expect(sampleInputs(0, 3, 'gaussian', createRng(1)).shape).toEqual([0, 3]);
    expect(() => sampleInputs(-1, 3, 'gaussian', createRng(1))).toThrow(/invalid n/);
    expect(() => sampleInputs(2, 0, 'gaussian', createRng(1))).toThrow(/invalid d/);
    expect(() => sampleInputs(2, 2, 'cauchy' as InputDistribution, createRng(1))).toThrow(/invalid dist: "cauchy"/);
    expect(() => sampleInputs(2, 2, 'gaussian', null as unknown as ReturnType<typeof createRng>)).toThrow(/invalid rng/);
    expect(() => inputMoments('toString' as InputDistribution)).toThrow(InvalidArgumentError);
  });
});

describe('sampleTeacher', () => {
  it('full rank by default (rank min(m*, d)), i.i.d. N(0, 1): same draws as gaussianMatrix', () => {
    const t = sampleTeacher(7, 4, createRng(5));
    expect(rank(t)).toBe(4);
    expect(Array.from(t.data)).toEqual(Array.from(gaussianMatrix(7, 4, createRng(5)).data));
    expect(rank(sampleTeacher(3, 6, createRng(5)))).toBe(3);
  });

  for (const r of [1, 2, 4]) {
    it(`rank option r = ${r}: rank(W*) = r for a 8×5 teacher`, () => {
      const t = sampleTeacher(8, 5, createRng(60 + r), { rank: r });
      expect(t.shape).toEqual([8, 5]);
      expect(rank(t)).toBe(r);
    });
  }

  it('low-rank entries have mean 0 and variance 1 (400×50 teacher of rank 5; the 20 000 entries are dependent, so within 0.1)', () => {
    const t = sampleTeacher(400, 50, createRng(66), { rank: 5 });
    const second = entryMean(t, (v) => v * v);
    const first = entryMean(t, (v) => v);
    expect(Math.abs(second.mean - 1)).toBeLessThan(0.1);
    expect(Math.abs(first.mean)).toBeLessThan(0.05);
  });

  it('rejects a rank outside [1, min(m*, d)]', () => {
    expect(() => sampleTeacher(3, 5, createRng(1), { rank: 4 })).toThrow(/invalid options.rank: 4 \(expected an integer in \[1, min\(width, d\)\] = \[1, 3\]\)/);
    expect(() => sampleTeacher(6, 5, createRng(1), { rank: 0 })).toThrow(/options.rank/);
    expect(() => sampleTeacher(6, 5, createRng(1), { rank: 2.5 })).toThrow(/options.rank/);
    expect(() => sampleTeacher(0, 5, createRng(1))).toThrow(/invalid width/);
  });
});

describe('teacherLabels', () => {
  const rng = createRng(70);
  const x = sampleInputs(40, 3, 'gaussian', rng);
  const teacher = gaussianMatrix(4, 3, rng);

  it('noiseless labels equal the teacher network outputs (unsigned and signed)', () => {
    expect(Array.from(teacherLabels(x, teacher))).toEqual(Array.from(new QuadraticNet(teacher).predict(x)));
    const v = Float64Array.of(1, -1, 1, -1);
    expect(Array.from(teacherLabels(x, teacher, { signs: v }))).toEqual(Array.from(new SignedQuadraticNet(teacher, v).predict(x)));
  });

  it('noise σ adds N(0, σ²) draws from rng, in sample order', () => {
    const clean = teacherLabels(x, teacher);
    const noisy = teacherLabels(x, teacher, { noise: 0.5, rng: createRng(3) });
    const draws = createRng(3);
    expectClose(noisy, clean.map((c) => c + 0.5 * draws.normal()), { rel: 1e-15, abs: 1e-15 }, 'y');
    // The sample sd of the noise over many labels is σ (20 000 labels, within 3%).
    const big = sampleInputs(20_000, 2, 'gaussian', createRng(4));
    const t = Matrix.from([[1, 0]]);
    const diff = teacherLabels(big, t, { noise: 2, rng: createRng(5) }).map((v, i) => v - big.data[2 * i]! ** 2);
    const sd = Math.sqrt(diff.reduce((s, v) => s + v * v, 0) / diff.length);
    expect(Math.abs(sd / 2 - 1)).toBeLessThan(0.03);
  });

  it('rejects mismatched shapes, bad signs, bad noise and a missing generator', () => {
    expect(() => teacherLabels(x, Matrix.zeros(2, 4))).toThrow(ShapeError);
    expect(() => teacherLabels(x, Matrix.zeros(2, 4))).toThrow(/x is 40×3 and teacher is 2×4/);
    expect(() => teacherLabels(x, teacher, { signs: Float64Array.of(1, 1) })).toThrow(/options.signs has length 2/);
    expect(() => teacherLabels(x, teacher, { noise: -1 })).toThrow(/invalid options.noise: -1/);
    expect(() => teacherLabels(x, teacher, { noise: 0.1 })).toThrow(/invalid options.rng: undefined/);
    expect(() => teacherLabels(Matrix.from([[Number.NaN, 0, 0]]), teacher)).toThrow(NonFiniteError);
    expect(() => teacherLabels(x, Matrix.zeros(0, 3))).toThrow(/invalid teacher/);
  });
});

describe('randomLabels', () => {
  it('are i.i.d. N(0, s²): the same draws as rng.fillNormal with sd s', () => {
    const y = randomLabels(50, createRng(8), { scale: 3 });
    expect(Array.from(y)).toEqual(Array.from(createRng(8).fillNormal(new Float64Array(50), 0, 3)));
  });
  it('reject bad arguments', () => {
    expect(() => randomLabels(-1, createRng(1))).toThrow(/invalid n/);
    expect(() => randomLabels(3, createRng(1), { scale: -2 })).toThrow(/invalid options.scale/);
    expect(() => randomLabels(3, 'seed' as unknown as ReturnType<typeof createRng>)).toThrow(InvalidArgumentError);
  });
});
