import { describe, expect, it } from 'vitest';
import { QUICK_NTK_RATE, runNtkRate, type NtkRateSettings } from './ntk-rate';
import { testConfig } from '../testing/experiment-config';

const tiny: NtkRateSettings = { ...QUICK_NTK_RATE, widths: [200, 2000], runsPerWidth: 1 };

describe('ntk-rate', () => {
  it('contracts the residual at least at the λ₀ rate, and the tail at the slowest Gram rate, at width 2000', async () => {
    const result = await runNtkRate(tiny, testConfig(11));
    expect(result.passed).toBe(true);
    expect(result.results.rows.map((r) => r.m)).toEqual([200, 2000]);
    const wide = result.results.rows[1]!;
    expect(wide.earlyContraction as number).toBeLessThanOrEqual(wide.predictedContraction as number);
    expect(Math.abs((wide.tailRateOverPredicted as number) - 1)).toBeLessThanOrEqual(0.2);
    expect(Math.abs((wide.tailRateOverFinalGram as number) - 1)).toBeLessThanOrEqual(0.075);
    expect(wide.tailRSquared as number).toBeGreaterThan(0.999);
    expect(wide.finalRisk as number).toBeLessThan(1e-10);
    // Lazy regime: the hidden layer moves less at the larger width.
    expect(wide.movement as number).toBeLessThan(result.results.rows[0]!.movement as number);
  });

  it('fails when the tail window is never reached or the rates must match to 0.01%', async () => {
    const unreachable = await runNtkRate({ ...tiny, widths: [2000], tailWindow: [1e-40, 1e-38], maxSteps: 300 }, testConfig(11));
    expect(unreachable.passed).toBe(false);
    expect(unreachable.details.join('\n')).toMatch(/m=2000, run 1: the tail fit has 0 step\(s\)/);
    const strict = await runNtkRate({ ...tiny, widths: [2000], rateTolerance: 1e-4, finalGramTolerance: 1e-4 }, testConfig(11));
    expect(strict.passed).toBe(false);
    expect(strict.details.join('\n')).toMatch(/tail rate κ_tail\/κ₀ = \d\.\d{3}, outside 1 ± 0\.0001/);
    expect(strict.details.join('\n')).toMatch(/tail rate κ_tail\/κ_T = \d\.\d{3}, outside 1 ± 0\.0001/);
  });

  it('is deterministic for a fixed seed', async () => {
    const settings = { ...tiny, widths: [300] };
    expect(await runNtkRate(settings, testConfig(2))).toEqual(await runNtkRate(settings, testConfig(2)));
  });
});
