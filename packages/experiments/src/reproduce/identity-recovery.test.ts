import { describe, expect, it } from 'vitest';
import { QUICK_IDENTITY_RECOVERY, runIdentityRecovery, type IdentityRecoverySettings } from './identity-recovery';
import { testConfig } from '../testing/experiment-config';

const tiny: IdentityRecoverySettings = { ...QUICK_IDENTITY_RECOVERY, dimensions: [4], widthRatios: [8], teachersPerCell: 2 };

describe('identity-recovery', () => {
  it('recovers W*ᵀW* from the identity start on the population and empirical risk, staying full rank', async () => {
    const result = await runIdentityRecovery(tiny, testConfig(7));
    expect(result.passed).toBe(true);
    expect(result.results.rows).toHaveLength(4);
    expect(result.results.rows.map((r) => r.objective)).toEqual(['population', 'empirical', 'population', 'empirical']);
    for (const row of result.results.rows) {
      expect(row.m).toBe(128);
      expect(row.initialRiskOverBarrier as number).toBeLessThan(1);
      expect(row.relativeError as number).toBeLessThan(1e-6);
      expect(row.monotone).toBe(true);
      expect(row.maxRiskOverBarrier as number).toBeLessThan(1);
      expect(row.minSigmaMin as number).toBeGreaterThan(0);
      expect(row.n).toBe(row.objective === 'empirical' ? 200 : null);
    }
  });

  it('fails when gradient descent is stopped after three steps', async () => {
    const result = await runIdentityRecovery({ ...tiny, objectives: ['population'], maxSteps: 3 }, testConfig(7));
    expect(result.passed).toBe(false);
    expect(result.details.join('\n')).toMatch(/relative error .* after 3 steps \(max-steps\)/);
  });

  it('skips teachers above the barrier and fails when none is below it', async () => {
    const result = await runIdentityRecovery({ ...tiny, widthRatios: [1] }, testConfig(7));
    expect(result.passed).toBe(false);
    expect(result.results.rows).toHaveLength(0);
    expect(result.details.join('\n')).toMatch(/above the barrier; not run/);
    expect(result.details.join('\n')).toMatch(/d=4: no teacher had its identity start below the barrier/);
  });
});
