import { describe, expect, it } from 'vitest';
import { QUICK_SIGNED_ARBITRARY_LABELS, runSignedArbitraryLabels, type SignedArbitraryLabelsSettings } from './signed-arbitrary-labels';
import { testConfig } from '../testing/experiment-config';

const tiny: SignedArbitraryLabelsSettings = { ...QUICK_SIGNED_ARBITRARY_LABELS, dimensions: [4, 5], runsPerDimension: 3 };

describe('signed-arbitrary-labels', () => {
  it('fits random labels on N = N* − 1 inputs to zero risk from every start', async () => {
    const result = await runSignedArbitraryLabels(tiny, testConfig(9));
    expect(result.passed).toBe(true);
    expect(result.results.rows.map((r) => [r.d, r.k, r.n, r.nStar, r.fitted])).toEqual([
      [4, 8, 9, 10, 3],
      [5, 10, 14, 15, 3],
    ]);
    for (const row of result.results.rows) expect(row.maxRisk as number).toBeLessThanOrEqual(1e-10);
  });

  it('fails with twice N* random labels, which no quadratic form interpolates', async () => {
    const result = await runSignedArbitraryLabels({ ...tiny, dimensions: [4], samplesOffset: 10 }, testConfig(9));
    expect(result.passed).toBe(false);
    expect(result.results.rows[0]).toMatchObject({ n: 20, fitted: 0 });
    expect(result.results.rows[0]!.medianRisk as number).toBeGreaterThan(1e-3);
  });
});
