import { describe, expect, it } from 'vitest';
import { QUICK_MARCHENKO_PASTUR_EDGES, runMarchenkoPasturEdges, type MarchenkoPasturEdgesSettings } from './marchenko-pastur-edges';
import { testConfig } from '../testing/experiment-config';

const tiny: MarchenkoPasturEdgesSettings = { ...QUICK_MARCHENKO_PASTUR_EDGES, gammas: [0.25, 1], sizes: [100, 1600], samplesPerCell: 5 };

describe('marchenko-pastur-edges', () => {
  it('finds the extreme eigenvalues approaching (1 ± √γ)² with m, and passes', async () => {
    const result = await runMarchenkoPasturEdges(tiny, testConfig(2));
    expect(result.name).toBe('marchenko-pastur-edges');
    expect(result.passed).toBe(true);
    expect(result.results.rows.map((r) => [r.gamma, r.m, r.d, r.lowerEdge, r.upperEdge])).toEqual([
      [0.25, 100, 25, 0.25, 2.25],
      [0.25, 1600, 400, 0.25, 2.25],
      [1, 100, 100, 0, 4],
      [1, 1600, 1600, 0, 4],
    ]);
    for (const row of result.results.rows) {
      // The largest eigenvalue of WᵀW/m sits near λ+ (Tracy–Widom window m^(−2/3)), never far above it.
      expect(row.medianMax as number).toBeLessThan((row.upperEdge as number) + 10 * (row.m as number) ** (-2 / 3));
      expect(row.medianMin as number).toBeGreaterThanOrEqual(0);
    }
    expect(result.results.rows[3]!.medianKs as number).toBeLessThan(0.01);
  });

  it('fails when the sizes are listed from large to small', async () => {
    const result = await runMarchenkoPasturEdges({ ...tiny, sizes: [1600, 100] }, testConfig(2));
    expect(result.passed).toBe(false);
    expect(result.details.join('\n')).toMatch(/γ=0\.25: the median error at λ\+ is .* at m=100, more than 0\.5 × .* at m=1600/);
  });

  it('fails when the KS bound is below the finite-size distance', async () => {
    const result = await runMarchenkoPasturEdges({ ...tiny, gammas: [0.5], ksBound: 1e-4 }, testConfig(2));
    expect(result.passed).toBe(false);
    expect(result.details.join('\n')).toMatch(/γ=0\.5: the median KS distance at m=1600 is 0\.\d{4} > 0\.0001/);
  });

  it('is deterministic for a seed', async () => {
    const small = { ...tiny, sizes: [50, 200] };
    expect(await runMarchenkoPasturEdges(small, testConfig(3))).toEqual(await runMarchenkoPasturEdges(small, testConfig(3)));
  });
});
