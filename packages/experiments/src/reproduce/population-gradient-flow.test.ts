import { describe, expect, it } from 'vitest';
import { linearFit } from './linear-fit';
import {
  QUICK_POPULATION_GRADIENT_FLOW,
  powerLawPrefactor,
  runPopulationGradientFlow,
  slowestLinearRate,
  type PopulationGradientFlowSettings,
} from './population-gradient-flow';
import { testConfig } from '../testing/experiment-config';

const tiny: PopulationGradientFlowSettings = { ...QUICK_POPULATION_GRADIENT_FLOW, dimensions: [4], deficientEndTime: 1000 };

describe('population-gradient-flow', () => {
  it('decays exponentially (at the linearised rate) for a full-rank teacher and like t⁻² for a rank-deficient one', async () => {
    const result = await runPopulationGradientFlow(tiny, testConfig(4));
    expect(result.passed).toBe(true);
    expect(result.results.rows.map((r) => [r.d, r.m, r.rank, r.law])).toEqual([
      [4, 8, 4, 'exponential'],
      [4, 8, 2, 'power'],
    ]);
    const [full, deficient] = result.results.rows;
    expect(full!.rSquared as number).toBeGreaterThan(0.999);
    expect(Math.abs((full!.rate as number) / (full!.predictedRate as number) - 1)).toBeLessThan(0.05);
    expect(deficient!.slope as number).toBeGreaterThan(-2.3);
    expect(deficient!.slope as number).toBeLessThan(-1.7);
    // L·t² approaches k(r+2)/(128(d+2)) = 2·4/(128·6).
    expect(deficient!.predictedPrefactor).toBeCloseTo(8 / 768, 15);
    expect(Math.abs((deficient!.prefactor as number) / (deficient!.predictedPrefactor as number) - 1)).toBeLessThan(0.15);
  });

  it('fails when the tail is claimed to decay like t⁻¹, or the flow stops before the exponential window', async () => {
    const wrongExponent = await runPopulationGradientFlow({ ...tiny, slopeRange: [-1.2, -0.8] }, testConfig(4));
    expect(wrongExponent.passed).toBe(false);
    expect(wrongExponent.details.join('\n')).toMatch(/d=4, teacher 1 \(rank 2\): power-law fit slope -[12]\.\d+/);
    const tooShort = await runPopulationGradientFlow({ ...tiny, fullRankEndTime: 1 }, testConfig(4));
    expect(tooShort.passed).toBe(false);
    expect(tooShort.details.join('\n')).toMatch(/rank 4\): only \d+ accepted step\(s\) with L\(t\)\/L\(0\)/);
  });

  it('is deterministic for a fixed seed', async () => {
    const settings = { ...tiny, deficientEndTime: 200 };
    const [first, second] = [await runPopulationGradientFlow(settings, testConfig(5)), await runPopulationGradientFlow(settings, testConfig(5))];
    expect(first).toEqual(second);
  });

  it('computes the linearised rate and the power-law prefactor in closed form', () => {
    // q = (1, 1): off-diagonal 8(1 + 1) = 16; diagonal block 16 I + 8·11ᵀ has λ_min = 16.
    expect(slowestLinearRate(Float64Array.of(1, 1))).toBeCloseTo(16, 12);
    // q = (1, 4): off-diagonal 40; diagonal block [[24, 16], [16, 96]] has λ_min = 60 − √(36² + 16²).
    expect(slowestLinearRate(Float64Array.of(1, 4))).toBeCloseTo(60 - Math.hypot(36, 16), 12);
    expect(powerLawPrefactor(6, 4)).toBeCloseTo((2 * 6) / (128 * 8), 15);
    expect(linearFit([0, 1, 2], [1, 3, 5])).toEqual({ slope: 2, intercept: 1, rSquared: 1, points: 3 });
  });
});
