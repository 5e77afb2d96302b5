import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError, ShapeError, createRng, eigvalsh, gaussianMatrix, type Rng } from '@shallowscape/linalg';
import { expectClose } from '@shallowscape/test-utils';
import {
  centeredWishartMatrix,
  chiDeviate,
  goeMatrix,
  goeSpectrum,
  normalizeGoeSpectrum,
  normalizeSpectrum,
  wishartMatrix,
  wishartSpectrum,
  type SpectrumMethod,
} from './ensembles';
import { kolmogorovSmirnovDistance, ksToMarchenkoPastur, ksToSemicircle } from './spectral-distance';

/** Sample mean and the standard error of the mean. */
function meanAndError(xs: number[]): { mean: number; se: number; variance: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(variance / n), variance };
}

/**
 * Expects two Monte Carlo estimates to agree: |a − b| ≤ 4.5 √(se_a² + se_b²) (a two-sided z-test at
 * about 7e-6; the seeds are fixed, so the outcome is deterministic).
 */
function expectSameMean(a: number[], b: number[], what: string): void {
  const x = meanAndError(a);
  const y = meanAndError(b);
  const z = Math.abs(x.mean - y.mean) / Math.hypot(x.se, y.se);
  expect(z, `${what}: means ${x.mean} and ${y.mean}, z = ${z}`).toBeLessThan(4.5);
}

function sum(xs: Float64Array): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

function sumOfSquares(xs: Float64Array): number {
  let s = 0;
  for (const x of xs) s += x * x;
  return s;
}

describe('wishartMatrix and centeredWishartMatrix', () => {
  it('form WᵀW (and (WᵀW − mI)/√(md)) from the W the same seed draws (tolerance 1e-12 relative)', () => {
    const [m, d] = [7, 4];
    const w = gaussianMatrix(m, d, createRng(11));
    const a = wishartMatrix(m, d, createRng(11));
    const c = centeredWishartMatrix(m, d, createRng(11));
    expect(a.shape).toEqual([d, d]);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < m; k++) s += w.get(k, i) * w.get(k, j);
        expectClose(a.get(i, j), s, { rel: 1e-12, abs: 1e-12 }, `A[${i}][${j}]`);
        expectClose(c.get(i, j), (s - (i === j ? m : 0)) / Math.sqrt(m * d), { rel: 1e-12, abs: 1e-12 }, `S[${i}][${j}]`);
        expect(a.get(i, j)).toBe(a.get(j, i));
      }
    }
  });

  it('have the stated moments: E A = mI, Var A_ij = m(1 + δ_ij) (400 draws of 6 × 3, within 4.5 standard errors)', () => {
    const rng = createRng(12);
    const [m, d] = [6, 3];
    const diagonal: number[] = [];
    const off: number[] = [];
    for (let r = 0; r < 400; r++) {
      const a = wishartMatrix(m, d, rng);
      diagonal.push(a.get(0, 0), a.get(1, 1), a.get(2, 2));
      off.push(a.get(0, 1), a.get(0, 2), a.get(1, 2));
    }
    const dg = meanAndError(diagonal);
    const of = meanAndError(off);
    expect(Math.abs(dg.mean - m) / dg.se).toBeLessThan(4.5);
    expect(Math.abs(of.mean) / of.se).toBeLessThan(4.5);
    // Var of a sample variance of ~N values: relative standard error √(2/N) for Gaussians; χ² tails are heavier, so allow 25%.
    expectClose(dg.variance, 2 * m, { rel: 0.25 }, 'Var A_ii');
    expectClose(of.variance, m, { rel: 0.25 }, 'Var A_ij');
  });

  it('validate sizes and the generator', () => {
    expect(() => wishartMatrix(0, 3, createRng(1))).toThrow(/invalid m: 0 \(expected an integer ≥ 1\)/);
    expect(() => wishartMatrix(3, 1.5, createRng(1))).toThrow(/invalid d: 1.5/);
    expect(() => centeredWishartMatrix(3, 2, {} as unknown as Rng)).toThrow(/invalid rng/);
    expect(() => goeMatrix(-2, createRng(1))).toThrow(InvalidArgumentError);
  });
});

describe('goeMatrix', () => {
  it('is symmetric with off-diagonal variance 1 and diagonal variance 2 (n = 300; tolerances 0.03 and 0.45, about 4.5 standard errors)', () => {
    const n = 300;
    const h = goeMatrix(n, createRng(13));
    const diagonal: number[] = [];
    const off: number[] = [];
    for (let i = 0; i < n; i++) {
      diagonal.push(h.get(i, i));
      for (let j = i + 1; j < n; j++) {
        expect(h.get(i, j)).toBe(h.get(j, i));
        off.push(h.get(i, j));
      }
    }
    const o = meanAndError(off);
    const g = meanAndError(diagonal);
    expect(Math.abs(o.mean)).toBeLessThan(4.5 * o.se);
    expectClose(o.variance, 1, { abs: 0.03 }, 'off-diagonal variance');
    expectClose(g.variance, 2, { abs: 0.45 }, 'diagonal variance');
  });
});

describe('chiDeviate (internal)', () => {
  it('draws χ²_k with the χ² CDF for even k: KS distance of 20000 draws below 1.95/√20000 (the 0.1% critical value) for k = 2, 4, 10', () => {
    for (const k of [2, 4, 10]) {
      const rng = createRng(100 + k);
      const draws = new Float64Array(20000);
      for (let i = 0; i < draws.length; i++) draws[i] = chiDeviate(k, rng) ** 2;
      // χ²_k CDF for even k: 1 − e^{−x/2} Σ_{j < k/2} (x/2)^j / j!
      const cdf = (x: number): number => {
        if (x <= 0) return 0;
        let term = 1;
        let s = 1;
        for (let j = 1; j < k / 2; j++) {
          term *= x / 2 / j;
          s += term;
        }
        return Math.max(0, 1 - Math.exp(-x / 2) * s);
      };
      expect(kolmogorovSmirnovDistance(draws, cdf), `k = ${k}`).toBeLessThan(1.95 / Math.sqrt(draws.length));
    }
  });

  it('has E χ²_k = k and Var χ²_k = 2k for odd k = 1, 3, 7, 51 (20000 draws; mean within 4.5 standard errors, variance within 10%)', () => {
    for (const k of [1, 3, 7, 51]) {
      const rng = createRng(200 + k);
      const squares: number[] = [];
      for (let i = 0; i < 20000; i++) squares.push(chiDeviate(k, rng) ** 2);
      const s = meanAndError(squares);
      expect(Math.abs(s.mean - k) / s.se, `k = ${k}`).toBeLessThan(4.5);
      expectClose(s.variance, 2 * k, { rel: 0.1 }, `Var χ²_${k}`);
    }
  });
});

describe('goeSpectrum', () => {
  it('dense: equals eigvalsh(goeMatrix) for the same seed', () => {
    expect(goeSpectrum(12, createRng(14), { method: 'dense' })).toEqual(eigvalsh(goeMatrix(12, createRng(14))));
  });

  it('is ascending, reproducible from the seed, and defaults to the tridiagonal model', () => {
    const a = goeSpectrum(40, createRng(15));
    expect(a).toEqual(goeSpectrum(40, createRng(15), { method: 'tridiagonal' }));
    for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThanOrEqual(a[i - 1]!);
    expect(goeSpectrum(1, createRng(1)).length).toBe(1);
  });

  for (const method of ['tridiagonal', 'dense'] as SpectrumMethod[]) {
    it(`${method}: the KS distance of H/√n to the semicircle falls with n = 50, 200, 800 and stays below 0.08, 0.025, 0.008`, () => {
      const ks = [50, 200, 800].map((n) => ksToSemicircle(normalizeGoeSpectrum(goeSpectrum(n, createRng(100 + n), { method }), n)));
      expect(ks[0]).toBeLessThan(0.08);
      expect(ks[1]).toBeLessThan(0.025);
      expect(ks[2]).toBeLessThan(0.008);
      expect(ks[1]).toBeLessThan(ks[0]!);
      expect(ks[2]).toBeLessThan(ks[1]!);
    });
  }

  it('tridiagonal and dense models agree in distribution (n = 20, 400 draws each): E tr(H²)/n = n + 1 and Var = 4(n + 1)/n, equal means of λ_max and λ_min', () => {
    const n = 20;
    const draws = 400;
    const stats: Record<SpectrumMethod, { trace: number[]; max: number[]; min: number[] }> = {
      tridiagonal: { trace: [], max: [], min: [] },
      dense: { trace: [], max: [], min: [] },
    };
    for (const method of ['tridiagonal', 'dense'] as SpectrumMethod[]) {
      const rng = createRng(method === 'dense' ? 16 : 17);
      for (let r = 0; r < draws; r++) {
        const s = goeSpectrum(n, rng, { method });
        stats[method].trace.push(sumOfSquares(s) / n);
        stats[method].max.push(s[n - 1]!);
        stats[method].min.push(s[0]!);
      }
      const t = meanAndError(stats[method].trace);
      expect(Math.abs(t.mean - (n + 1)) / Math.sqrt((4 * (n + 1)) / n / draws), `${method} E tr(H²)/n`).toBeLessThan(4.5);
      expectClose(t.variance, (4 * (n + 1)) / n, { rel: 0.3 }, `${method} Var tr(H²)/n`);
    }
    expectSameMean(stats.tridiagonal.max, stats.dense.max, 'λ_max');
    expectSameMean(stats.tridiagonal.min, stats.dense.min, 'λ_min');
    const vMax = [meanAndError(stats.tridiagonal.max).variance, meanAndError(stats.dense.max).variance];
    expectClose(vMax[0]!, vMax[1]!, { rel: 0.35 }, 'Var λ_max (tridiagonal vs dense)');
  });

  it('validates its arguments', () => {
    expect(() => goeSpectrum(0, createRng(1))).toThrow(/invalid n: 0/);
    expect(() => goeSpectrum(3, createRng(1), { method: 'qr' as SpectrumMethod })).toThrow(/invalid options.method: "qr"/);
    expect(() => goeSpectrum(3, null as unknown as Rng)).toThrow(/invalid rng: null/);
  });
});

describe('wishartSpectrum', () => {
  it('dense: equals eigvalsh(wishartMatrix) for the same seed', () => {
    expect(wishartSpectrum(30, 8, createRng(18), { method: 'dense' })).toEqual(eigvalsh(wishartMatrix(30, 8, createRng(18))));
  });

  it('tridiagonal and dense models agree in distribution ((m, d) = (30, 10) and (5, 12), 400 draws each): E tr = md, Var tr = 2md, equal means of λ_max, λ_min and tr(A²)', () => {
    for (const [m, d] of [
      [30, 10],
      [5, 12],
    ] as const) {
      const stats: Record<SpectrumMethod, { trace: number[]; square: number[]; max: number[]; min: number[] }> = {
        tridiagonal: { trace: [], square: [], max: [], min: [] },
        dense: { trace: [], square: [], max: [], min: [] },
      };
      for (const method of ['tridiagonal', 'dense'] as SpectrumMethod[]) {
        const rng = createRng(method === 'dense' ? 19 : 20);
        for (let r = 0; r < 400; r++) {
          const s = wishartSpectrum(m, d, rng, { method });
          expect(s.length).toBe(d);
          stats[method].trace.push(sum(s));
          stats[method].square.push(sumOfSquares(s));
          stats[method].max.push(s[d - 1]!);
          // the smallest non-zero eigenvalue (m < d: the first d − m are zero)
          stats[method].min.push(s[Math.max(0, d - m)]!);
          if (m < d) {
            for (let i = 0; i < d - m; i++) expect(Math.abs(s[i]!)).toBeLessThan(1e-10 * s[d - 1]!);
          }
        }
        const t = meanAndError(stats[method].trace);
        expect(Math.abs(t.mean - m * d) / Math.sqrt((2 * m * d) / 400), `${method} E tr, (m, d) = (${m}, ${d})`).toBeLessThan(4.5);
        expectClose(t.variance, 2 * m * d, { rel: 0.3 }, `${method} Var tr`);
        // E tr(A²) = md(m + d + 1) for a real Wishart matrix.
        const q = meanAndError(stats[method].square);
        expect(Math.abs(q.mean - m * d * (m + d + 1)) / q.se, `${method} E tr(A²)`).toBeLessThan(4.5);
      }
      expectSameMean(stats.tridiagonal.max, stats.dense.max, `λ_max (${m}, ${d})`);
      expectSameMean(stats.tridiagonal.min, stats.dense.min, `λ_min (${m}, ${d})`);
    }
  });

  it('tridiagonal for m < d: exactly d − m zeros first', () => {
    const s = wishartSpectrum(3, 7, createRng(21));
    expect(Array.from(s.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(s[4]).toBeGreaterThan(0);
  });

  it('W/m has the Marchenko–Pastur spectrum: KS at (m, d) = (4000, 200) below 0.03 for both methods, and at (2000, 1000) below 0.015', () => {
    for (const method of ['tridiagonal', 'dense'] as SpectrumMethod[]) {
      const s = normalizeSpectrum(wishartSpectrum(4000, 200, createRng(22), { method }), { law: 'marchenko-pastur', m: 4000, d: 200 });
      expect(ksToMarchenkoPastur(s, 0.05), method).toBeLessThan(0.03);
    }
    const big = normalizeSpectrum(wishartSpectrum(2000, 1000, createRng(23)), { law: 'marchenko-pastur', m: 2000, d: 1000 });
    expect(ksToMarchenkoPastur(big, 0.5)).toBeLessThan(0.015);
  });

  it('the centred Wishart spectrum approaches the semicircle as m/d grows (d = 200, m/d = 1, 10, 200): KS falls and ends below 0.04', () => {
    const d = 200;
    const ks = [200, 2000, 40000].map((m) =>
      ksToSemicircle(normalizeSpectrum(wishartSpectrum(m, d, createRng(24)), { law: 'semicircle', m, d })),
    );
    expect(ks[1]).toBeLessThan(ks[0]!);
    expect(ks[2]).toBeLessThan(ks[1]!);
    expect(ks[2]).toBeLessThan(0.04);
    // the dense ensemble too, at m/d = 50 (d = 100)
    const dense = eigvalsh(centeredWishartMatrix(5000, 100, createRng(25)));
    expect(ksToSemicircle(dense)).toBeLessThan(0.06);
  });

  it('validates its arguments', () => {
    expect(() => wishartSpectrum(0, 2, createRng(1))).toThrow(/invalid m: 0/);
    expect(() => wishartSpectrum(2, Number.NaN, createRng(1))).toThrow(/invalid d: NaN/);
    expect(() => wishartSpectrum(2, 2, createRng(1), 'dense' as unknown as { method: SpectrumMethod })).toThrow(/invalid options/);
  });
});

describe('normalizeSpectrum and normalizeGoeSpectrum', () => {
  it('map λ to (λ − m)/√(md), λ/m and λ/√n', () => {
    expectClose(normalizeSpectrum(Float64Array.of(96, 100, 108), { law: 'semicircle', m: 100, d: 4 }), [-0.2, 0, 0.4], { abs: 1e-15 });
    expectClose(normalizeSpectrum([3, 6], { law: 'marchenko-pastur', m: 3, d: 2 }), [1, 2], { abs: 1e-15 });
    expectClose(normalizeGoeSpectrum([-3, 0, 6], 9), [-1, 0, 2], { abs: 1e-15 });
  });
  it('validate the law, the sizes and the values', () => {
    expect(() => normalizeSpectrum([1], { law: 'wigner' as 'semicircle', m: 1, d: 1 })).toThrow(/invalid options.law: "wigner"/);
    expect(() => normalizeSpectrum([1], { law: 'semicircle', m: 0, d: 1 })).toThrow(/invalid options.m: 0/);
    expect(() => normalizeSpectrum([1, Number.NaN], { law: 'semicircle', m: 1, d: 1 })).toThrow(NonFiniteError);
    expect(() => normalizeGoeSpectrum([], 3)).toThrow(ShapeError);
    expect(() => normalizeGoeSpectrum([1], 0)).toThrow(/invalid n: 0/);
  });
});
