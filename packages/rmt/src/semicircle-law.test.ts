import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@shallowscape/linalg';
import { expectClose, loadFixture } from '@shallowscape/test-utils';
import { semicircleCdf, semicircleDensity, semicircleMoment, semicirclePartialMean, semicircleQuantile } from './semicircle-law';
import { tanhSinh } from './testing/tanh-sinh';

/** Catalan numbers C_k = binom(2k, k)/(k + 1), by the recurrence C_{k+1} = C_k · 2(2k+1)/(k+2). */
function catalan(k: number): number {
  let c = 1;
  for (let j = 0; j < k; j++) c = (c * 2 * (2 * j + 1)) / (j + 2);
  return c;
}

describe('semicircleDensity', () => {
  it('integrates to 1 (tanh–sinh quadrature, tolerance 1e-13)', () => {
    expectClose(tanhSinh(semicircleDensity, -2, 2), 1, { abs: 1e-13 });
  });

  it('has the Catalan numbers 1, 1, 2, 5, 14, 42 as even moments and zero odd moments (tolerance 1e-12 relative)', () => {
    expect([0, 1, 2, 3, 4, 5].map(catalan)).toEqual([1, 1, 2, 5, 14, 42]);
    for (let k = 0; k <= 5; k++) {
      expectClose(tanhSinh((x) => x ** (2 * k) * semicircleDensity(x), -2, 2), catalan(k), { rel: 1e-12 }, `moment ${2 * k}`);
      expectClose(tanhSinh((x) => x ** (2 * k + 1) * semicircleDensity(x), -2, 2), 0, { abs: 1e-12 }, `moment ${2 * k + 1}`);
    }
  });

  it('is zero outside [−2, 2], including ±Infinity, and rejects NaN', () => {
    for (const x of [-2, 2, 2.0000001, -5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) expect(semicircleDensity(x)).toBe(0);
    expect(() => semicircleDensity(Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => semicircleDensity('1' as unknown as number)).toThrow(/invalid x: "1"/);
  });
});

describe('semicircleCdf', () => {
  it('matches the numerical integral of the density at 40 points (tolerance 1e-13)', () => {
    for (let i = 0; i <= 40; i++) {
      const x = -2 + (4 * i) / 40;
      const integral = x <= -2 ? 0 : tanhSinh(semicircleDensity, -2, x);
      expectClose(semicircleCdf(x), integral, { abs: 1e-13 }, `F(${x})`);
    }
  });

  it('is symmetric, F(−x) = 1 − F(x), monotone, and saturates outside the support', () => {
    let previous = 0;
    for (let i = 0; i <= 1000; i++) {
      const x = -2.2 + (4.4 * i) / 1000;
      const f = semicircleCdf(x);
      expect(f).toBeGreaterThanOrEqual(previous);
      previous = f;
      expectClose(semicircleCdf(-x), 1 - f, { abs: 2e-16 });
    }
    expect(semicircleCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(semicircleCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(() => semicircleCdf(Number.NaN)).toThrow(InvalidArgumentError);
  });

  it('has the density as its derivative (central differences, h = 1e-6, tolerance 1e-8)', () => {
    for (const x of [-1.9, -1, -0.3, 0, 0.8, 1.7]) {
      const h = 1e-6;
      expectClose((semicircleCdf(x + h) - semicircleCdf(x - h)) / (2 * h), semicircleDensity(x), { abs: 1e-8 }, `F'(${x})`);
    }
  });
});

describe('semicircle law against scipy.stats.semicircular (fixtures/gen_spectral_laws.py)', () => {
  const fixture = loadFixture<{ semicircle: { x: number[]; density: number[]; cdf: number[] } }>(
    import.meta.url,
    'fixtures/spectral-laws.json',
  );
  const { x, density, cdf } = fixture.semicircle;
  it(`density and CDF at ${x.length} points (tolerance 1e-15 absolute + 1e-13 relative)`, () => {
    expectClose(x.map(semicircleDensity), density, { abs: 1e-15, rel: 1e-13 }, 'density');
    expectClose(x.map(semicircleCdf), cdf, { abs: 1e-15, rel: 1e-13 }, 'cdf');
  });
  it('quantile against 2·semicircular.ppf(p) at 11 probabilities, tails included (tolerance 1e-13 absolute)', () => {
    const q = loadFixture<{ semicircle: { p: number[]; quantile: number[] } }>(import.meta.url, 'fixtures/spectral-laws.json').semicircle;
    expectClose(q.p.map(semicircleQuantile), q.quantile, { abs: 1e-13 }, 'quantile');
  });
});

describe('semicircleQuantile', () => {
  it('inverts the CDF: F(Q(p)) = p (tolerance 1e-15 absolute) and Q(F(x)) = x (tolerance 1e-12 inside [−1.99, 1.99])', () => {
    for (let i = 0; i <= 2000; i++) {
      const p = i / 2000;
      expectClose(semicircleCdf(semicircleQuantile(p)), p, { abs: 1e-15 }, `F(Q(${p}))`);
    }
    for (const p of [1e-300, 1e-100, 1e-30, 1e-15, 1e-9, 1 - 1e-9, 1 - 1e-15]) {
      const q = semicircleQuantile(p);
      expect(q).toBeGreaterThanOrEqual(-2);
      expect(q).toBeLessThanOrEqual(2);
      expectClose(semicircleCdf(q), p, { abs: 1e-15 }, `F(Q(${p}))`);
    }
    for (let i = 0; i <= 398; i++) {
      const x = -1.99 + i / 100;
      expectClose(semicircleQuantile(semicircleCdf(x)), x, { abs: 1e-12 }, `Q(F(${x}))`);
    }
  });

  it('is odd about ½, maps 0 and 1 to the edges, and rejects probabilities outside [0, 1]', () => {
    expect(semicircleQuantile(0)).toBe(-2);
    expect(semicircleQuantile(1)).toBe(2);
    expect(semicircleQuantile(0.5)).toBe(0);
    for (const p of [0.0625, 0.125, 0.25, 0.375]) expect(semicircleQuantile(1 - p)).toBe(-semicircleQuantile(p));
    for (const p of [-1e-9, 1.0000001, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => semicircleQuantile(p)).toThrow(InvalidArgumentError);
    expect(() => semicircleQuantile(2)).toThrow('invalid p: 2 (expected a probability in [0, 1])');
  });

  it('matches the small-p expansion Q(p) ≈ −2 + (12πp)^{2/3}/4 (relative 1e-7 at p = 1e-12, where Q + 2 holds 8 digits)', () => {
    const p = 1e-12;
    expectClose(semicircleQuantile(p) + 2, Math.cbrt(12 * Math.PI * p) ** 2 / 4, { rel: 1e-7 });
  });
});

describe('semicircleMoment', () => {
  it('is the Catalan number C_{k/2} for even k and 0 for odd k', () => {
    for (let k = 0; k <= 30; k++) expect(semicircleMoment(k)).toBe(k % 2 === 1 ? 0 : catalan(k / 2));
    expect(semicircleMoment(60)).toBe(3814986502092304); // C_30, OEIS A000108
  });
  it('agrees with the quadrature of x^k ρ (tanh–sinh, tolerance 1e-12 relative, k ≤ 16)', () => {
    for (let k = 0; k <= 16; k++) {
      const integral = tanhSinh((x) => x ** k * semicircleDensity(x), -2, 2);
      expectClose(semicircleMoment(k), integral, { rel: 1e-12, abs: 1e-12 }, `moment ${k}`);
    }
  });
  it('rejects orders that are not non-negative integers', () => {
    for (const k of [-1, 1.5, Number.NaN, '2' as unknown as number]) expect(() => semicircleMoment(k)).toThrow(InvalidArgumentError);
  });
});

describe('semicirclePartialMean (internal)', () => {
  it('is the integral of t ρ(t) from −2 to x (tanh–sinh, tolerance 1e-14) and vanishes outside the support', () => {
    for (let i = 0; i <= 20; i++) {
      const x = -2 + (4 * i) / 20;
      const integral = x <= -2 ? 0 : tanhSinh((t) => t * semicircleDensity(t), -2, x);
      expectClose(semicirclePartialMean(x), integral, { abs: 1e-14 }, `M(${x})`);
    }
    expect(semicirclePartialMean(-3)).toBe(0);
    expect(semicirclePartialMean(3)).toBe(0);
  });
});
