import { describe, expect, it } from 'vitest';
import { experiments, type ExperimentResult } from '@shallowscape/experiments';
import { claimFigure, claimPanels } from './claim-figure';
import { renderSvg } from './render-svg';

const result = (name: string, rows: ExperimentResult['results']['rows'], config: Record<string, unknown> = {}): ExperimentResult => ({
  name,
  claim: 'the claim',
  criterion: 'the criterion',
  passed: true,
  details: [],
  config,
  results: { columns: [], rows },
});

describe('claimPanels', () => {
  it('has a figure for every experiment of the registry', () => {
    for (const experiment of experiments) expect(claimPanels(result(experiment.name, []))).not.toBeNull();
    expect(claimPanels(result('no-such-experiment', []))).toBeNull();
  });

  it('draws the sample threshold against N − N*, one line per (d, m*), with the line N = N*', () => {
    const [panel] = claimPanels(
      result('sample-threshold', [
        { d: 3, teacherWidth: 3, offset: -1, fraction: 0 },
        { d: 3, teacherWidth: 3, offset: 0, fraction: 1 },
        { d: 4, teacherWidth: 8, offset: 0, fraction: 0.9 },
      ]),
    )!;
    expect(panel!.points).toEqual([
      { x: -1, y: 0, series: 'd = 3, m* = 3' },
      { x: 0, y: 1, series: 'd = 3, m* = 3' },
      { x: 0, y: 0.9, series: 'd = 4, m* = 8' },
    ]);
    expect(panel!.thresholds).toEqual([{ axis: 'x', value: 0, label: 'N = N*' }]);
  });

  it('reads thresholds from the recorded configuration, and leaves out points a log axis cannot show', () => {
    const [panel] = claimPanels(
      result(
        'identity-init',
        [
          { d: 5, ratio: 0.25, fraction: 0 },
          { d: 5, ratio: 8, fraction: 1 },
          { d: 5, ratio: 0, fraction: 1 },
        ],
        { zeroUpTo: 0.5, required: [{ ratio: 8, atLeast: 0.9 }] },
      ),
    )!;
    expect(panel!.points.map((p) => p.x)).toEqual([0.25, 8]);
    expect(panel!.thresholds.map((t) => [t.axis, t.value])).toEqual([
      ['x', 0.5],
      ['x', 8],
    ]);
    const [recovery] = claimPanels(result('identity-recovery', [{ maxRiskOverBarrier: 0.5, relativeError: 1e-11, objective: 'population' }], { relativeErrorTolerance: 1e-6 }))!;
    expect(recovery!.thresholds).toEqual([
      { axis: 'x', value: 1, label: 'energy barrier' },
      { axis: 'y', value: 1e-6, label: 'recovery tolerance' },
    ]);
    expect(recovery!.scatter).toBe(true);
  });
});

describe('claimFigure', () => {
  it('renders the verdict, the claim, the points and the labelled thresholds', async () => {
    const r = { ...result('semicircle-law', [
      { ratio: 1, medianKs: 0.2, lawKs: 0.19 },
      { ratio: 16, medianKs: 0.04, lawKs: 0.03 },
    ], { finalBound: 0.05 }), passed: false };
    const svg = await renderSvg(claimFigure(r)!);
    expect(svg).toContain('semicircle-law: FAIL');
    expect(svg).toContain('the claim');
    expect(svg).toContain('bound at the largest m/d: 0.05');
    expect(svg).toContain('aria-label="m / d: 16; KS distance: 0.04; series: median over samples; x: 16"');
  });
});
