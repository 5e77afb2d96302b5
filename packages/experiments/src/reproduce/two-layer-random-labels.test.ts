import { describe, expect, it } from 'vitest';
import { QUICK_TWO_LAYER_RANDOM_LABELS, runTwoLayerRandomLabels, type TwoLayerRandomLabelsSettings } from './two-layer-random-labels';
import { testConfig } from '../testing/experiment-config';

const tiny: TwoLayerRandomLabelsSettings = { ...QUICK_TWO_LAYER_RANDOM_LABELS, samples: 20, widths: [40, 640], rateRatios: [0.1, 10], runsPerCell: 1 };

describe('two-layer-random-labels', () => {
  it('fits random labels at every width and ratio, moving less at the larger width', async () => {
    const result = await runTwoLayerRandomLabels(tiny, testConfig(6));
    expect(result.passed).toBe(true);
    expect(result.results.rows.map((r) => [r.m, r.ratio, r.runs, r.converged])).toEqual([
      [40, 0.1, 1, 1],
      [40, 10, 1, 1],
      [640, 0.1, 1, 1],
      [640, 10, 1, 1],
    ]);
    for (const row of result.results.rows) expect(row.maxRisk as number).toBeLessThanOrEqual(1e-6);
    const [narrowSlowOutput, narrowFastOutput, wideSlowOutput, wideFastOutput] = result.results.rows;
    expect(wideSlowOutput!.movementHidden as number).toBeLessThan(narrowSlowOutput!.movementHidden as number);
    expect(wideFastOutput!.movementOutput as number).toBeLessThan(narrowFastOutput!.movementOutput as number);
    // The faster output rate moves the output layer more.
    expect(narrowFastOutput!.movementOutput as number).toBeGreaterThan(narrowSlowOutput!.movementOutput as number);
    expect(Math.max(narrowSlowOutput!.movementHidden as number, narrowFastOutput!.movementOutput as number)).toBeGreaterThanOrEqual(0.1);
  });

  it('fails when gradient descent stops after five steps, and when a movement of 10 is required', async () => {
    const short = await runTwoLayerRandomLabels({ ...tiny, maxSteps: 5 }, testConfig(6));
    expect(short.passed).toBe(false);
    expect(short.details.join('\n')).toMatch(/m=640, η_a\/η_W=0\.1, run 1: training risk .*·mean\(y²\) after 5 steps \(max-steps\)/);
    const lazyOnly = await runTwoLayerRandomLabels({ ...tiny, rateRatios: [1], nonLazyMovement: 10 }, testConfig(6));
    expect(lazyOnly.passed).toBe(false);
    expect(lazyOnly.details.join('\n')).toMatch(/no converged run moved a layer by 10 or more/);
  });

  it('fails when the movement does not decrease with the width', async () => {
    const reversed = await runTwoLayerRandomLabels({ ...tiny, widths: [640, 40], rateRatios: [1] }, testConfig(6));
    expect(reversed.passed).toBe(false);
    expect(reversed.details.join('\n')).toMatch(/η_a\/η_W=1: the median W movement grew from .* at m=640 to .* at m=40/);
  });

  it('is deterministic for a fixed seed', async () => {
    const settings = { ...tiny, widths: [40], rateRatios: [1] };
    expect(await runTwoLayerRandomLabels(settings, testConfig(2))).toEqual(await runTwoLayerRandomLabels(settings, testConfig(2)));
  });
});
