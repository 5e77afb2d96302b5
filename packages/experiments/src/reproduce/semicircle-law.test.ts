import { describe, expect, it } from 'vitest';
import { QUICK_SEMICIRCLE_LAW, runSemicircleLaw, semicircleLawGap, type SemicircleLawSettings } from './semicircle-law';
import { testConfig } from '../testing/experiment-config';

const tiny: SemicircleLawSettings = { ...QUICK_SEMICIRCLE_LAW, d: 40, ratios: [1, 16, 256], samplesPerRatio: 5, finalBound: 0.08 };

describe('semicircle-law', () => {
  it('finds the KS distance to the semicircle falling with m/d, and passes', async () => {
    const result = await runSemicircleLaw(tiny, testConfig(4));
    expect(result.name).toBe('semicircle-law');
    expect(result.passed).toBe(true);
    expect(result.results.rows.map((r) => [r.d, r.ratio, r.m, r.samples])).toEqual([
      [40, 1, 40, 5],
      [40, 16, 640, 5],
      [40, 256, 10240, 5],
    ]);
    const ks = result.results.rows.map((r) => r.medianKs as number);
    expect(ks[0]).toBeGreaterThan(0.15);
    expect(ks[2]).toBeLessThan(ks[1]!);
    for (const row of result.results.rows) {
      expect(row.minKs as number).toBeLessThanOrEqual(row.medianKs as number);
      expect(row.medianKs as number).toBeLessThanOrEqual(row.maxKs as number);
      // The empirical distance cannot be far below the limit law's own distance to the semicircle.
      expect(row.medianKs as number).toBeGreaterThan(0.5 * (row.lawKs as number));
    }
  });

  it('fails when the sweep runs in the wrong order (KS rising with the listed m/d)', async () => {
    const result = await runSemicircleLaw({ ...tiny, ratios: [256, 16, 1] }, testConfig(4));
    expect(result.passed).toBe(false);
    expect(result.details.join('\n')).toMatch(/the median KS distance rises from 0\.\d{4} at m\/d=16 to 0\.\d{4} at m\/d=1 /);
    expect(result.details.join('\n')).toMatch(/at m\/d=1 \(0\.\d{4}\) is not below that at m\/d=256/);
  });

  it('fails when the bound at the largest m/d is below the finite-d fluctuation', async () => {
    const result = await runSemicircleLaw({ ...tiny, finalBound: 0.001 }, testConfig(4));
    expect(result.passed).toBe(false);
    expect(result.details.join('\n')).toMatch(/the median KS distance at m\/d=256 is 0\.\d{4} > 0\.001/);
  });

  it('is deterministic for a seed', async () => {
    const [a, b] = [await runSemicircleLaw(tiny, testConfig(8)), await runSemicircleLaw(tiny, testConfig(8))];
    expect(a).toEqual(b);
    expect((await runSemicircleLaw(tiny, testConfig(9))).results).not.toEqual(a.results);
  });

  it('gives the limit-law gap at γ = 1 and shrinking like √γ', () => {
    // γ = 1: centred MP is F_1(1 + x) against F_sc(x); the distance is dominated by the hard edge at x = −1.
    expect(semicircleLawGap(1)).toBeGreaterThan(0.19);
    expect(semicircleLawGap(1)).toBeLessThan(0.2);
    // D(γ) = O(√γ): quartering γ roughly halves it.
    for (const gamma of [1 / 16, 1 / 64]) {
      const ratio = semicircleLawGap(gamma / 4) / semicircleLawGap(gamma);
      expect(ratio).toBeGreaterThan(0.4);
      expect(ratio).toBeLessThan(0.6);
    }
    expect(semicircleLawGap(1 / 256) < semicircleLawGap(1 / 4)).toBe(true);
  });
});
