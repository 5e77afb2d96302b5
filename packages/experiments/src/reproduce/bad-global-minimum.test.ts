import { describe, expect, it } from 'vitest';
import { QUICK_BAD_GLOBAL_MINIMUM, runBadGlobalMinimum, type BadGlobalMinimumSettings } from './bad-global-minimum';
import { testConfig } from '../testing/experiment-config';

const tiny: BadGlobalMinimumSettings = { ...QUICK_BAD_GLOBAL_MINIMUM, dimensions: [3, 5], runsPerDimension: 3 };

describe('bad-global-minimum', () => {
  it('builds interpolating rank-deficient students above the barrier below N*, and none above N*', async () => {
    const result = await runBadGlobalMinimum(tiny, testConfig(6));
    expect(result.name).toBe('bad-global-minimum');
    expect(result.passed).toBe(true);
    expect(result.results.rows.map((r) => [r.d, r.nStar, r.runs, r.interpolating, r.conditionHoldsAbove, r.refusedAbove])).toEqual([
      [3, 6, 3, 3, 3, 3],
      [5, 15, 3, 3, 3, 3],
    ]);
    for (const row of result.results.rows) {
      expect(row.maxRank as number).toBeLessThan(row.d as number);
      expect(row.maxTrainingRisk as number).toBeLessThanOrEqual(1e-20);
      expect(row.minRiskOverBarrier as number).toBeGreaterThanOrEqual(1);
      expect(row.minSigmaRatioAbove as number).toBeGreaterThan(0);
    }
  });

  it('fails when the sample sizes are swapped (N* + 1 "below", N* − 1 "above")', async () => {
    const result = await runBadGlobalMinimum({ ...tiny, dimensions: [3], samplesBelow: -1, samplesAbove: -1 }, testConfig(6));
    expect(result.passed).toBe(false);
    const details = result.details.join('\n');
    expect(details).toMatch(/d=3, run 1: the sample condition holds at N=7 \(claim: it fails below N\*=6\)/);
    expect(details).toMatch(/d=3, run 1: the sample condition fails at N=5/);
    expect(details).toMatch(/d=3, run 1: badGlobalMinimum did not refuse at N=5/);
  });

  it('is deterministic for a seed', async () => {
    expect(await runBadGlobalMinimum(tiny, testConfig(2))).toEqual(await runBadGlobalMinimum(tiny, testConfig(2)));
  });
});
