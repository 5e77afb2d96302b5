import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@shallowscape/linalg';
import { expectClose, loadFixture } from '@shallowscape/test-utils';
import { semicircleCdf, semicircleDensity } from './semicircle-law';
import { tanhSinh } from './test-support/tanh-sinh';

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
});
