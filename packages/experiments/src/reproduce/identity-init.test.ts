import { describe, expect, it } from 'vitest';
import { QUICK_IDENTITY_INIT, meanFieldCrossing, meanFieldRiskOverBarrier, runIdentityInit, type IdentityInitSettings } from './identity-init';
import { testConfig } from '../testing/experiment-config';

const tiny: IdentityInitSettings = { ...QUICK_IDENTITY_INIT, dimensions: [5, 10], ratios: [0.5, 1, 16], teachersPerCell: 8, required: [{ ratio: 16, atLeast: 1 }] };

describe('identity-init', () => {
  it('finds no identity start below the barrier at small m/d² and all at m/d² = 16', async () => {
    const result = await runIdentityInit(tiny, testConfig(5));
    expect(result.passed).toBe(true);
    expect(result.results.rows.map((r) => [r.d, r.m, r.fraction])).toEqual([
      [5, 13, 0],
      [5, 25, 0],
      [5, 400, 1],
      [10, 50, 0],
      [10, 100, 0],
      [10, 1600, 1],
    ]);
    for (const row of result.results.rows) {
      expect(row.below).toBe(Math.round((row.fraction as number) * 8));
      expect((row.medianRiskOverBarrier as number) < 1).toBe(row.fraction === 1);
    }
  });

  it('fails when the sweep stops before the transition', async () => {
    const result = await runIdentityInit({ ...tiny, ratios: [0.5, 1], required: [{ ratio: 1, atLeast: 1 }] }, testConfig(5));
    expect(result.passed).toBe(false);
    expect(result.details.join('\n')).toMatch(/d=5, m\/d²=1: fraction 0\.00 < required 1/);
  });

  it('fails when the starts are claimed to be all above the barrier up to m/d² = 16', async () => {
    const result = await runIdentityInit({ ...tiny, zeroUpTo: 16, required: [] }, testConfig(5));
    expect(result.passed).toBe(false);
    expect(result.details.join('\n')).toMatch(/m\/d²=16: 8 of 8 identity starts were below the barrier \(claim: none\)/);
  });

  it('fails when the fraction drops with m/d² (a sweep in the wrong order)', async () => {
    const result = await runIdentityInit({ ...tiny, dimensions: [10], ratios: [16, 0.5], required: [] }, testConfig(5));
    expect(result.passed).toBe(false);
    expect(result.details.join('\n')).toMatch(/the fraction drops from 1\.00 at m\/d²=16 to 0\.00 at m\/d²=0\.5/);
  });

  it('puts the mean-field crossing where L(W₀) = 2σ_min⁴ in that approximation', () => {
    for (const d of [5, 10, 20]) {
      const c = meanFieldCrossing(d);
      expect(meanFieldRiskOverBarrier(c * d * d, d)).toBeCloseTo(1, 10);
      expect(meanFieldRiskOverBarrier(1.01 * c * d * d, d)).toBeLessThan(1);
    }
    expect(meanFieldCrossing(5)).toBeGreaterThan(meanFieldCrossing(20));
    // The documented examples.
    expect(meanFieldRiskOverBarrier(100, 5)).toBe(0.9632547235732926);
    expect(meanFieldCrossing(5).toFixed(2)).toBe('3.91');
  });
});
