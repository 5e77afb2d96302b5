import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@shallowscape/linalg';
import { expectClose, loadFixture } from '@shallowscape/test-utils';
import {
  marchenkoPasturCdf,
  marchenkoPasturDensity,
  marchenkoPasturEdges,
  marchenkoPasturMoment,
  marchenkoPasturPartialMean,
  marchenkoPasturQuantile,
} from './marchenko-pastur-law';
import { tanhSinh } from './testing/tanh-sinh';

function binomial(n: number, k: number): number {
  let b = 1;
  for (let j = 1; j <= k; j++) b = (b * (n - k + j)) / j;
  return b;
}

/** Narayana polynomial N_k(γ) = Σ_{r=0}^{k−1} γ^r/(r+1) C(k, r) C(k−1, r): the k-th MP moment (N_0 = 1). */
function narayana(k: number, gamma: number): number {
  if (k === 0) return 1;
  let s = 0;
  for (let r = 0; r < k; r++) s += (gamma ** r / (r + 1)) * binomial(k, r) * binomial(k - 1, r);
  return s;
}

const ratios = [0.01, 0.1, 0.25, 0.5, 0.75, 1];

describe('marchenkoPasturEdges', () => {
  it('gives λ± = (1 ± √γ)², exact for square ratios', () => {
    expect(marchenkoPasturEdges(0.25)).toEqual({ lower: 0.25, upper: 2.25 });
    expect(marchenkoPasturEdges(1)).toEqual({ lower: 0, upper: 4 });
    const e = marchenkoPasturEdges(0.5);
    expectClose([e.lower, e.upper], [1.5 - Math.SQRT2, 1.5 + Math.SQRT2], { rel: 1e-15 });
  });
  it('rejects ratios outside (0, 1]', () => {
    for (const g of [0, -0.5, 1.0001, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => marchenkoPasturEdges(g)).toThrow(InvalidArgumentError);
    }
    expect(() => marchenkoPasturEdges(2)).toThrow('invalid gamma: 2 (expected a ratio d/m in (0, 1])');
  });
});

describe('marchenkoPasturDensity', () => {
  for (const gamma of ratios) {
    it(`γ = ${gamma}: integrates to 1 and its moments are the Narayana polynomials (tanh–sinh, tolerance 1e-11 relative)`, () => {
      const { lower, upper } = marchenkoPasturEdges(gamma);
      for (let k = 0; k <= 5; k++) {
        const moment = tanhSinh((x) => x ** k * marchenkoPasturDensity(x, gamma), lower, upper);
        expectClose(moment, narayana(k, gamma), { rel: 1e-11 }, `moment ${k}`);
      }
    });
  }

  it('reduces to Catalan moments 1, 1, 2, 5, 14, 42 at γ = 1', () => {
    expect([0, 1, 2, 3, 4, 5].map((k) => narayana(k, 1))).toEqual([1, 1, 2, 5, 14, 42]);
  });

  it('is zero outside the support, infinite at 0 only for γ = 1, and validates its arguments', () => {
    const { lower, upper } = marchenkoPasturEdges(0.3);
    for (const x of [lower - 1e-9, upper + 1e-9, 0, -1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(marchenkoPasturDensity(x, 0.3)).toBe(0);
    }
    expect(marchenkoPasturDensity(lower, 0.3)).toBe(0);
    expect(marchenkoPasturDensity(upper, 0.3)).toBe(0);
    expect(marchenkoPasturDensity(0, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => marchenkoPasturDensity(Number.NaN, 0.5)).toThrow(/invalid x: NaN/);
    expect(() => marchenkoPasturDensity(1, 0)).toThrow(/invalid gamma: 0/);
  });

  it('approaches the semicircle after centring and scaling as γ → 0: √γ ρ_γ(1 + √γ t) → √(4 − t²)/(2π) (error O(√γ) = 1e-4)', () => {
    const gamma = 1e-8;
    for (const t of [-1.5, 0, 0.5, 1.9]) {
      const scaled = Math.sqrt(gamma) * marchenkoPasturDensity(1 + Math.sqrt(gamma) * t, gamma);
      expectClose(scaled, Math.sqrt(4 - t * t) / (2 * Math.PI), { abs: 2e-4 }, `t = ${t}`);
    }
  });
});

describe('Marchenko–Pastur law against scipy quadrature (fixtures/gen_spectral_laws.py)', () => {
  interface Case {
    gamma: number;
    lower: number;
    upper: number;
    points: number[];
    cdf: number[];
    moments: number[];
    p: number[];
    quantile: number[];
  }
  const fixture = loadFixture<{ marchenkoPastur: Case[] }>(import.meta.url, 'fixtures/spectral-laws.json');
  for (const c of fixture.marchenkoPastur) {
    it(`γ = ${c.gamma}: edges (1e-15), CDF at 6 points and moments 0–4 (1e-11) from QUADPACK`, () => {
      const e = marchenkoPasturEdges(c.gamma);
      expectClose([e.lower, e.upper], [c.lower, c.upper], { abs: 1e-15 }, 'edges');
      for (const [i, p] of c.points.entries()) {
        expectClose(tanhSinh((x) => marchenkoPasturDensity(x, c.gamma), e.lower, p), c.cdf[i]!, { abs: 1e-11 }, `F(${p})`);
      }
      for (const [k, m] of c.moments.entries()) {
        expectClose(narayana(k, c.gamma), m, { rel: 1e-11 }, `Narayana N_${k}`);
      }
    });
    it(`γ = ${c.gamma}: marchenkoPasturCdf at 6 points (1e-13), marchenkoPasturMoment 0–4 (1e-12 relative), marchenkoPasturQuantile at 5 probabilities (1e-12)`, () => {
      expectClose(c.points.map((x) => marchenkoPasturCdf(x, c.gamma)), c.cdf, { abs: 1e-13 }, 'cdf');
      expectClose(c.moments.map((_, k) => marchenkoPasturMoment(k, c.gamma)), c.moments, { rel: 1e-12 }, 'moments');
      expectClose(c.p.map((p) => marchenkoPasturQuantile(p, c.gamma)), c.quantile, { abs: 1e-12 }, 'quantile');
    });
  }
});

describe('marchenkoPasturCdf', () => {
  for (const gamma of ratios) {
    it(`γ = ${gamma}: equals the integral of the density at 30 points (tanh–sinh, tolerance 1e-13), is monotone and saturates`, () => {
      const { lower, upper } = marchenkoPasturEdges(gamma);
      let previous = 0;
      for (let i = 0; i <= 30; i++) {
        const x = lower + ((upper - lower) * i) / 30;
        const f = marchenkoPasturCdf(x, gamma);
        expect(f).toBeGreaterThanOrEqual(previous);
        previous = f;
        const integral = x <= lower ? 0 : tanhSinh((t) => marchenkoPasturDensity(t, gamma), lower, x);
        expectClose(f, integral, { abs: 1e-13 }, `F(${x})`);
      }
      expect(marchenkoPasturCdf(lower - 1, gamma)).toBe(0);
      expect(marchenkoPasturCdf(upper + 1e-12, gamma)).toBe(1);
      expect(marchenkoPasturCdf(Number.NEGATIVE_INFINITY, gamma)).toBe(0);
      expect(marchenkoPasturCdf(Number.POSITIVE_INFINITY, gamma)).toBe(1);
    });
  }
  it('has the density as its derivative (central differences, h = 1e-6, tolerance 1e-7)', () => {
    for (const gamma of [0.1, 0.5, 1]) {
      const { lower, upper } = marchenkoPasturEdges(gamma);
      for (const f of [0.1, 0.4, 0.8, 0.97]) {
        const x = lower + f * (upper - lower);
        const h = 1e-6;
        const slope = (marchenkoPasturCdf(x + h, gamma) - marchenkoPasturCdf(x - h, gamma)) / (2 * h);
        expectClose(slope, marchenkoPasturDensity(x, gamma), { abs: 1e-7 }, `γ = ${gamma}, x = ${x}`);
      }
    }
  });
  it('reduces to (θ + sin θ)/π at γ = 1: F(1) = 1/3 + √3/(2π)', () => {
    expectClose(marchenkoPasturCdf(1, 1), 1 / 3 + Math.sqrt(3) / (2 * Math.PI), { abs: 1e-15 });
  });
  it('validates x and gamma', () => {
    expect(() => marchenkoPasturCdf(Number.NaN, 0.5)).toThrow(/invalid x: NaN/);
    expect(() => marchenkoPasturCdf(1, 1.5)).toThrow(/invalid gamma: 1.5/);
  });
});

describe('marchenkoPasturQuantile', () => {
  for (const gamma of [0.001, ...ratios]) {
    it(`γ = ${gamma}: F(Q(p)) = p (tolerance 2e-16/√γ + 1e-15 absolute) and Q(F(x)) = x inside the support (tolerance 1e-11)`, () => {
      const { lower, upper } = marchenkoPasturEdges(gamma);
      expect(marchenkoPasturQuantile(0, gamma)).toBe(lower);
      expect(marchenkoPasturQuantile(1, gamma)).toBe(upper);
      for (let i = 0; i <= 500; i++) {
        const p = i / 500;
        const q = marchenkoPasturQuantile(p, gamma);
        expect(q).toBeGreaterThanOrEqual(lower);
        expect(q).toBeLessThanOrEqual(upper);
        expectClose(marchenkoPasturCdf(q, gamma), p, { abs: 2e-16 / Math.sqrt(gamma) + 1e-15 }, `F(Q(${p}))`);
      }
      for (let i = 1; i < 100; i++) {
        const x = lower + ((upper - lower) * i) / 100;
        expectClose(marchenkoPasturQuantile(marchenkoPasturCdf(x, gamma), gamma), x, { abs: 1e-11 }, `Q(F(${x}))`);
      }
    });
  }
  it('rejects probabilities outside [0, 1] and bad ratios', () => {
    for (const p of [-0.1, 1.1, Number.NaN]) expect(() => marchenkoPasturQuantile(p, 0.5)).toThrow(InvalidArgumentError);
    expect(() => marchenkoPasturQuantile(0.5, 0)).toThrow(/invalid gamma: 0/);
  });
});

describe('marchenkoPasturMoment', () => {
  it('is the Narayana polynomial (independent formula Σ γ^r/(r+1) C(k,r) C(k−1,r), tolerance 1e-14 relative, k ≤ 20)', () => {
    for (const gamma of ratios) {
      for (let k = 0; k <= 20; k++) expectClose(marchenkoPasturMoment(k, gamma), narayana(k, gamma), { rel: 1e-14 }, `γ = ${gamma}, k = ${k}`);
    }
  });
  it('gives the Catalan numbers at γ = 1 and 1, 1 + γ, 1 + 3γ + γ² for k = 0, 1, 2, 3', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((k) => marchenkoPasturMoment(k, 1))).toEqual([1, 1, 2, 5, 14, 42, 132]);
    expect(marchenkoPasturMoment(2, 0.3)).toBe(1.3);
    expectClose(marchenkoPasturMoment(3, 0.3), 1 + 0.9 + 0.09, { rel: 1e-15 });
  });
  it('agrees with the quadrature of x^k ρ_γ up to k = 10 (tanh–sinh, tolerance 1e-11 relative)', () => {
    for (const gamma of [0.05, 0.5, 1]) {
      const { lower, upper } = marchenkoPasturEdges(gamma);
      for (let k = 6; k <= 10; k++) {
        const integral = tanhSinh((x) => x ** k * marchenkoPasturDensity(x, gamma), lower, upper);
        expectClose(marchenkoPasturMoment(k, gamma), integral, { rel: 1e-11 }, `γ = ${gamma}, k = ${k}`);
      }
    }
  });
  it('validates k and gamma', () => {
    expect(() => marchenkoPasturMoment(-1, 0.5)).toThrow(/invalid k: -1/);
    expect(() => marchenkoPasturMoment(2, 2)).toThrow(/invalid gamma: 2/);
  });
});

describe('marchenkoPasturPartialMean (internal)', () => {
  it('is the integral of t ρ_γ(t) from λ₋ to x (tanh–sinh, tolerance 1e-13), 1 above the support', () => {
    for (const gamma of [0.05, 0.25, 1]) {
      const { lower, upper } = marchenkoPasturEdges(gamma);
      for (let i = 0; i <= 20; i++) {
        const x = lower + ((upper - lower) * i) / 20;
        const integral = x <= lower ? 0 : tanhSinh((t) => t * marchenkoPasturDensity(t, gamma), lower, x);
        expectClose(marchenkoPasturPartialMean(x, gamma), integral, { abs: 1e-13 }, `γ = ${gamma}, M(${x})`);
      }
      expect(marchenkoPasturPartialMean(upper + 1, gamma)).toBe(1);
      expect(marchenkoPasturPartialMean(-1, gamma)).toBe(0);
    }
  });
});
