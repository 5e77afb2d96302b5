import { describe, expect, it } from 'vitest';
import { QUICK_SAMPLE_THRESHOLD, runSampleThreshold, trainStudent, type SampleThresholdSettings } from './sample-threshold';
import { testConfig } from '../testing/experiment-config';
import { createRng } from '@shallowscape/linalg';

const tiny: SampleThresholdSettings = {
  ...QUICK_SAMPLE_THRESHOLD,
  dimensions: [
    { d: 3, width: 6, teacherWidth: 3 },
    { d: 4, width: 8, teacherWidth: 4 },
  ],
  offsets: [-2, -1, 0, 1],
  runsPerCell: 3,
};

describe('sample-threshold', () => {
  it('finds fraction 0 below N* and 1 from N* on, and passes', async () => {
    const result = await runSampleThreshold(tiny, testConfig(3));
    expect(result.name).toBe('sample-threshold');
    expect(result.passed).toBe(true);
    expect(result.results.rows.map((r) => r.n)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    for (const row of result.results.rows) {
      expect(row.runs).toBe(3);
      expect(row.interpolated).toBe(3);
      expect(row.fraction).toBe((row.n as number) >= ((row.d as number) * ((row.d as number) + 1)) / 2 ? 1 : 0);
      expect(row.maxTrainingRisk as number).toBeLessThanOrEqual(tiny.trainingRiskTolerance);
    }
    expect(result.results.columns.map((c) => c.key)).toContain('fraction');
    expect(result.config).toMatchObject({ runsPerCell: 3, relativeErrorTolerance: 1e-6 });
  });

  it('fails when the claimed threshold is put far below N*', async () => {
    const result = await runSampleThreshold({ ...tiny, dimensions: [tiny.dimensions[0]!], claimedThreshold: (d) => (d * (d + 1)) / 2 - 3 }, testConfig(3));
    expect(result.passed).toBe(false);
    expect(result.details.join('\n')).toMatch(/N=4 ≥ claimed threshold 3: only 0 of 3 interpolating students generalised/);
  });

  it('fails when the claimed threshold is put above N* (students at N* do generalise)', async () => {
    const result = await runSampleThreshold({ ...tiny, dimensions: [tiny.dimensions[0]!], claimedThreshold: (d) => (d * (d + 1)) / 2 + 1 }, testConfig(3));
    expect(result.passed).toBe(false);
    expect(result.details.join('\n')).toMatch(/N=6 < claimed threshold 7: 3 of 3 interpolating students generalised/);
  });

  it('does not count students that did not interpolate, and fails a cell with too few', async () => {
    const result = await runSampleThreshold({ ...tiny, dimensions: [tiny.dimensions[0]!], offsets: [1], maxSteps: 2 }, testConfig(3));
    expect(result.results.rows[0]).toMatchObject({ runs: 3, interpolated: 0, generalised: 0 });
    expect(result.passed).toBe(false);
    expect(result.details.join('\n')).toMatch(/only 0 of 3 runs interpolated, too few to judge/);
  });

  it('trains a student at N = N* + 1 to interpolation and exact recovery', () => {
    const run = trainStudent({ d: 3, width: 6, teacherWidth: 3 }, 7, tiny, createRng(11));
    expect(run.interpolated).toBe(true);
    expect(run.relativeError).toBeLessThan(1e-8);
  });
});
