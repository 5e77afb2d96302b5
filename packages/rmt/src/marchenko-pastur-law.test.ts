import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@shallowscape/linalg';
import { expectClose, loadFixture } from '@shallowscape/test-utils';
import { marchenkoPasturDensity, marchenkoPasturEdges } from './marchenko-pastur-law';
import { tanhSinh } from './test-support/tanh-sinh';

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

  it('approaches the semicircle after centring and scaling as γ → 0: √γ ρ_γ(1 + √γ t) → √(4 − t²)/(2π)', () => {
    const gamma = 1e-8;
    for (const t of [-1.5, 0, 0.5, 1.9]) {
      const scaled = Math.sqrt(gamma) * marchenkoPasturDensity(1 + Math.sqrt(gamma) * t, gamma);
      expectClose(scaled, Math.sqrt(4 - t * t) / (2 * Math.PI), { abs: 1e-3 }, `t = ${t}`);
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
  }
});
