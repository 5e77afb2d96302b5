import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError, ShapeError, createRng } from '@shallowscape/linalg';
import { expectClose, loadFixture } from '@shallowscape/test-utils';
import { goeSpectrum, normalizeGoeSpectrum, normalizeSpectrum, wishartSpectrum } from './ensembles';
import { marchenkoPasturCdf, marchenkoPasturEdges, marchenkoPasturQuantile } from './marchenko-pastur-law';
import { semicircleCdf, semicircleQuantile } from './semicircle-law';
import {
  empiricalCdf,
  histogram,
  kolmogorovSmirnovDistance,
  ksToMarchenkoPastur,
  ksToSemicircle,
  wasserstein1Distance,
  wasserstein1ToMarchenkoPastur,
  wasserstein1ToSemicircle,
} from './spectral-distance';

interface Fixture {
  goe: {
    n: number;
    values: number[];
    ksSemicircle: number;
    w1SemicircleQuad: number;
    w1SemicircleQuantileSample: number;
    histogram: {
      default20: { edges: number[]; counts: number[] };
      range16: { edges: number[]; counts: number[]; density: number[] };
    };
  };
  wishart: { m: number; d: number; gamma: number; values: number[]; ksMarchenkoPastur: number; w1MarchenkoPasturQuad: number };
  ties: { values: number[]; ksSemicircle: number; w1SemicircleQuad: number; w1SemicircleQuantileSample: number };
}

const fixture = loadFixture<Fixture>(import.meta.url, 'fixtures/spectral-distances.json');

/**
 * An independent W1 for the tests: ∫_0^1 |Q_n(p) − Q(p)| dp by the midpoint rule on K cells per
 * sample interval (the quantile form, not the CDF form used by the library).
 */
function w1ByQuantiles(values: number[] | Float64Array, quantile: (p: number) => number, cells = 400): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < cells; k++) {
      const p = (i + (k + 0.5) / cells) / n;
      total += Math.abs(sorted[i]! - quantile(p));
    }
  }
  return total / (n * cells);
}

describe('empiricalCdf', () => {
  it('counts the values at or below x, ties included', () => {
    const f = empiricalCdf(Float64Array.of(0.5, -1, 0.5, 2, 3));
    expect([-2, -1, 0, 0.5, 1, 2, 2.5, 3, Number.POSITIVE_INFINITY].map(f)).toEqual([0, 0.2, 0.2, 0.6, 0.6, 0.8, 0.8, 1, 1]);
    expect(f(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(() => f(Number.NaN)).toThrow(InvalidArgumentError);
  });
  it('validates the sample', () => {
    expect(() => empiricalCdf([])).toThrow(ShapeError);
    expect(() => empiricalCdf([1, Number.POSITIVE_INFINITY])).toThrow(NonFiniteError);
    expect(() => empiricalCdf('1, 2' as unknown as number[])).toThrow(/invalid values: "1, 2"/);
    expect(() => empiricalCdf([1, '2'] as unknown as number[])).toThrow(/invalid values\[1\]: "2"/);
  });
});

describe('histogram', () => {
  const { values, histogram: reference } = fixture.goe;
  it('matches numpy.histogram(values, bins=20): edges (1e-15 relative) and counts (exact)', () => {
    const h = histogram(values, { bins: 20 });
    expectClose(h.edges, reference.default20.edges, { rel: 1e-15, abs: 1e-15 }, 'edges');
    expect(Array.from(h.counts)).toEqual(reference.default20.counts);
  });
  it('matches numpy.histogram(values, bins=16, range=(−2, 2)) with and without density=True (1e-14 relative)', () => {
    const h = histogram(values, { bins: 16, range: [-2, 2] });
    expectClose(h.edges, reference.range16.edges, { abs: 1e-15 }, 'edges');
    expect(Array.from(h.counts)).toEqual(reference.range16.counts);
    expectClose(h.density, reference.range16.density, { rel: 1e-14 }, 'density');
  });
  it('has a density integrating to 1, counts values on the last edge, drops values outside the range', () => {
    const h = histogram([0, 1, 1, 2, 3, 4, 9], { bins: 4, range: [0, 4] });
    expect(Array.from(h.counts)).toEqual([1, 2, 1, 2]);
    let integral = 0;
    for (let k = 0; k < 4; k++) integral += h.density[k]! * (h.edges[k + 1]! - h.edges[k]!);
    expectClose(integral, 1, { abs: 1e-15 });
    expect(Array.from(histogram([2, 2], { bins: 2 }).edges)).toEqual([1.5, 2, 2.5]);
    expect(Array.from(histogram([1, 2, 3]).counts).reduce((a, b) => a + b, 0)).toBe(3);
    expect(histogram([1, 2, 3]).counts.length).toBe(50);
  });
  it('validates bins and range', () => {
    expect(() => histogram([1], { bins: 0 })).toThrow(/invalid options.bins: 0/);
    expect(() => histogram([1], { range: [1, 1] })).toThrow(/invalid options.range/);
    expect(() => histogram([1], { range: [0, Number.NaN] })).toThrow(InvalidArgumentError);
    expect(() => histogram([1], { range: [0] as unknown as [number, number] })).toThrow(/a pair/);
  });
});

describe('kolmogorovSmirnovDistance', () => {
  it('equals scipy.stats.kstest on the fixed GOE, Wishart and tied samples (tolerance 1e-14)', () => {
    expectClose(kolmogorovSmirnovDistance(fixture.goe.values, semicircleCdf), fixture.goe.ksSemicircle, { abs: 1e-14 }, 'goe');
    expectClose(ksToSemicircle(fixture.goe.values), fixture.goe.ksSemicircle, { abs: 1e-14 }, 'goe');
    expectClose(ksToSemicircle(fixture.ties.values), fixture.ties.ksSemicircle, { abs: 1e-14 }, 'ties');
    const { values, gamma, ksMarchenkoPastur } = fixture.wishart;
    expectClose(ksToMarchenkoPastur(values, gamma), ksMarchenkoPastur, { abs: 1e-13 }, 'wishart');
  });

  it('is the supremum of |F_n − F|: no grid point (with left limits) exceeds it, and a point attains it (tolerance 1e-12)', () => {
    const values = normalizeGoeSpectrum(goeSpectrum(30, createRng(41)), 30);
    const d = ksToSemicircle(values);
    const sorted = Float64Array.from(values).sort();
    let best = 0;
    for (let i = 0; i < sorted.length; i++) {
      const f = semicircleCdf(sorted[i]!);
      best = Math.max(best, Math.abs((i + 1) / sorted.length - f), Math.abs(i / sorted.length - f));
    }
    const fn = empiricalCdf(values);
    for (let k = 0; k <= 4000; k++) {
      const x = -2.5 + (5 * k) / 4000;
      expect(Math.abs(fn(x) - semicircleCdf(x))).toBeLessThanOrEqual(d + 1e-15);
    }
    expectClose(d, best, { abs: 1e-15 });
  });

  it('falls with the sample size for GOE spectra (tridiagonal, n = 100, 400, 1600)', () => {
    const ks = [100, 400, 1600].map((n) => ksToSemicircle(normalizeGoeSpectrum(goeSpectrum(n, createRng(n)), n)));
    expect(ks[1]).toBeLessThan(ks[0]!);
    expect(ks[2]).toBeLessThan(ks[1]!);
  });

  it('validates the law', () => {
    expect(() => kolmogorovSmirnovDistance([0], 3 as unknown as (x: number) => number)).toThrow(/invalid cdf: 3/);
    expect(() => kolmogorovSmirnovDistance([0], () => 1.5)).toThrow(/invalid cdf: 1.5 \(expected a probability in \[0, 1\] \(returned at x = 0\)\)/);
    expect(() => kolmogorovSmirnovDistance([0], () => Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => ksToMarchenkoPastur([1], 0)).toThrow(/invalid gamma: 0/);
  });
});

describe('Wasserstein-1 distances', () => {
  it('closed forms equal the QUADPACK integral of |F_n − F| on the fixtures (tolerance 1e-12) and scipy.stats.wasserstein_distance to a 10⁶-point quantile sample (tolerance 2e-6)', () => {
    expectClose(wasserstein1ToSemicircle(fixture.goe.values), fixture.goe.w1SemicircleQuad, { abs: 1e-12 }, 'goe');
    expectClose(wasserstein1ToSemicircle(fixture.goe.values), fixture.goe.w1SemicircleQuantileSample, { abs: 2e-6 }, 'goe vs quantile sample');
    expectClose(wasserstein1ToSemicircle(fixture.ties.values), fixture.ties.w1SemicircleQuad, { abs: 1e-12 }, 'ties');
    expectClose(wasserstein1ToSemicircle(fixture.ties.values), fixture.ties.w1SemicircleQuantileSample, { abs: 2e-6 }, 'ties vs quantile sample');
    const { values, gamma, w1MarchenkoPasturQuad } = fixture.wishart;
    expectClose(wasserstein1ToMarchenkoPastur(values, gamma), w1MarchenkoPasturQuad, { abs: 1e-12 }, 'wishart');
  });

  it('the generic wasserstein1Distance agrees with the closed forms (tolerance 1e-10) on fixtures and seeded spectra', () => {
    const sc = (x: number): number => semicircleCdf(x);
    expectClose(wasserstein1Distance(fixture.goe.values, sc, [-2, 2]), fixture.goe.w1SemicircleQuad, { abs: 1e-10 }, 'goe');
    expectClose(wasserstein1Distance(fixture.ties.values, sc, [-2, 2]), fixture.ties.w1SemicircleQuad, { abs: 1e-10 }, 'ties');
    const { values, gamma, w1MarchenkoPasturQuad } = fixture.wishart;
    const { lower, upper } = marchenkoPasturEdges(gamma);
    expectClose(wasserstein1Distance(values, (x) => marchenkoPasturCdf(x, gamma), [lower, upper]), w1MarchenkoPasturQuad, { abs: 1e-10 }, 'wishart');
    for (const [m, d] of [
      [300, 300],
      [4000, 200],
    ] as const) {
      const g = d / m;
      const s = normalizeSpectrum(wishartSpectrum(m, d, createRng(m + d)), { law: 'marchenko-pastur', m, d });
      const e = marchenkoPasturEdges(g);
      expectClose(wasserstein1Distance(s, (x) => marchenkoPasturCdf(x, g), [e.lower, e.upper]), wasserstein1ToMarchenkoPastur(s, g), { abs: 1e-10 }, `(${m}, ${d})`);
    }
  });

  it('agree with the quantile form ∫|Q_n − Q| dp (midpoint rule, 400 cells per sample interval; tolerance 1e-5)', () => {
    const goe = normalizeGoeSpectrum(goeSpectrum(60, createRng(42)), 60);
    expectClose(wasserstein1ToSemicircle(goe), w1ByQuantiles(goe, semicircleQuantile), { abs: 1e-5 }, 'semicircle');
    const w = normalizeSpectrum(wishartSpectrum(120, 60, createRng(43)), { law: 'marchenko-pastur', m: 120, d: 60 });
    expectClose(wasserstein1ToMarchenkoPastur(w, 0.5), w1ByQuantiles(w, (p) => marchenkoPasturQuantile(p, 0.5)), { abs: 1e-5 }, 'MP');
  });

  it('give E|X − c| for a one-point sample: 8/(3π) at 0 for the semicircle, c − mean outside the support', () => {
    expectClose(wasserstein1ToSemicircle([0]), 8 / (3 * Math.PI), { abs: 1e-15 });
    expectClose(wasserstein1ToSemicircle([-7]), 7, { abs: 1e-14 });
    expectClose(wasserstein1ToMarchenkoPastur([6], 0.3), 5, { abs: 1e-14 });
    expectClose(wasserstein1ToMarchenkoPastur([0], 0.3), 1, { abs: 1e-14 });
    expectClose(wasserstein1Distance([3], (x) => Math.min(1, Math.max(0, x)), [0, 1]), 2.5, { abs: 1e-15 });
  });

  it('falls with the size for GOE spectra (n = 100, 400, 1600) and is below 0.002 at n = 1600', () => {
    const w1 = [100, 400, 1600].map((n) => wasserstein1ToSemicircle(normalizeGoeSpectrum(goeSpectrum(n, createRng(n + 1)), n)));
    expect(w1[1]).toBeLessThan(w1[0]!);
    expect(w1[2]).toBeLessThan(w1[1]!);
    expect(w1[2]).toBeLessThan(0.002);
  });

  it('validates the support and the sample', () => {
    const u = (x: number): number => Math.min(1, Math.max(0, x));
    expect(() => wasserstein1Distance([0.5], u, [1, 0])).toThrow(/invalid support/);
    expect(() => wasserstein1Distance([0.5], u, [0, Number.POSITIVE_INFINITY])).toThrow(/invalid support/);
    expect(() => wasserstein1Distance([0.5], u, 1 as unknown as [number, number])).toThrow(/invalid support: 1/);
    expect(() => wasserstein1ToSemicircle([])).toThrow(ShapeError);
    expect(() => wasserstein1ToMarchenkoPastur([1], 1.5)).toThrow(/invalid gamma: 1.5/);
  });
});
