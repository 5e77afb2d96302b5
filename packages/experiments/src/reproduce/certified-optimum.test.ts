import { describe, expect, it } from 'vitest';
import { createRng } from '@shallowscape/linalg';
import { QUICK_CERTIFIED_OPTIMUM, certifiedOptimumRun, escapeStepSize, runCertifiedOptimum, type CertifiedOptimumSettings } from './certified-optimum';
import { testConfig } from '../testing/experiment-config';

const tiny: CertifiedOptimumSettings = { ...QUICK_CERTIFIED_OPTIMUM, problems: [{ d: 3, width: 6, teacherWidth: 3, n: 12 }], runsPerCell: 2 };

describe('certified-optimum', () => {
  it('certifies the L-BFGS end and refuses W = 0, whose escape direction lowers the risk', async () => {
    const result = await runCertifiedOptimum(tiny, testConfig(5));
    expect(result.name).toBe('certified-optimum');
    expect(result.passed).toBe(true);
    expect(result.results.rows.map((r) => [r.d, r.m, r.n, r.noise, r.point, r.runs, r.certified])).toEqual([
      [3, 6, 12, 0, 'L-BFGS end', 2, 2],
      [3, 6, 12, 0, 'W = 0', 2, 0],
      [3, 6, 12, 0.1, 'L-BFGS end', 2, 2],
      [3, 6, 12, 0.1, 'W = 0', 2, 0],
    ]);
    for (const row of result.results.rows) {
      if (row.point === 'W = 0') {
        expect(row.medianLambdaMin as number).toBeLessThan(0);
        expect(row.maxGradientNorm).toBe(0);
        expect(row.maxRisk).toBe(1); // L̂(0) = mean(y²)
        expect(row.hessianOverTwoG as number).toBeCloseTo(1, 10);
        expect(Math.abs((row.escapeDecrease as number) - 1)).toBeLessThan(1e-3);
      } else {
        expect(row.maxGapBound as number).toBeLessThan(1e-8);
        expect(row.maxRiskMinusOptimum as number).toBeLessThan(1e-8);
        if (row.noise === 0) expect(row.maxRisk as number).toBeLessThan(1e-20);
        else expect(row.maxRisk as number).toBeGreaterThan(1e-4); // noisy labels: ℓ* > 0
      }
    }
  });

  it('fails when L-BFGS is stopped after two steps (the point is not a global minimum)', async () => {
    const result = await runCertifiedOptimum({ ...tiny, labelNoise: [0], maxSteps: 2 }, testConfig(5));
    expect(result.passed).toBe(false);
    expect(result.details.join('\n')).toMatch(/d=3, N=12, noise 0, run 1: (the L-BFGS end is not certified|gap bound|risk .* and ℓ\*).* after 2 L-BFGS steps \(max-steps\)/);
  });

  it('fails when the escape step is too long for the second-order prediction', async () => {
    const result = await runCertifiedOptimum({ ...tiny, labelNoise: [0], escapeStep: 1 }, testConfig(5));
    expect(result.passed).toBe(false);
    expect(result.details.join('\n')).toMatch(/run 1: the escape step ε = .* × the predicted decrease ε²\|λ_min\(G\)\|/);
  });

  it('is deterministic for a seed, and the escaped risk is below L̂(0)', () => {
    const problem = tiny.problems[0]!;
    const a = certifiedOptimumRun(problem, 0.1, tiny, createRng(3));
    expect(certifiedOptimumRun(problem, 0.1, tiny, createRng(3))).toEqual(a);
    expect(a.zero.escapedRisk).toBeLessThan(a.zero.risk);
    expect(escapeStepSize(0.01, 16, 4)).toBe(0.01);
  });
});
