import { describe, expect, it } from 'vitest';
import { createRng } from '@shallowscape/linalg';
import type { Experiment, ExperimentResult } from './experiment';
import { yieldToInterrupt } from './experiment';
import { experiments } from './registry';
import { experimentStreams, runExperiments } from './run-experiments';

/** An experiment that records the first draw of its stream (and can abort a controller after it). */
function probe(name: string, after?: () => void): Experiment {
  return {
    name,
    claim: `${name} claim`,
    async run(config): Promise<ExperimentResult> {
      await yieldToInterrupt(config.signal);
      const draw = config.rng.uniform();
      after?.();
      return {
        name,
        claim: `${name} claim`,
        criterion: 'none',
        passed: true,
        results: { columns: [{ key: 'draw', label: 'draw' }], rows: [{ draw }] },
        details: [],
        config: { quick: config.quick, seed: config.seed },
      };
    },
  };
}

const never = new AbortController().signal;

describe('runExperiments', () => {
  it('registers the experiments in their fixed order', () => {
    expect(experiments.map((e) => e.name)).toEqual([
      'sample-threshold',
      'identity-init',
      'identity-recovery',
      'signed-arbitrary-labels',
      'semicircle-law',
      'marchenko-pastur-edges',
      'bad-global-minimum',
      'certified-optimum',
      'two-layer-random-labels',
      'ntk-rate',
      'population-gradient-flow',
    ]);
  });

  it('gives experiment i the i-th split of the master seed, whatever is selected', async () => {
    const registry = [probe('a'), probe('b'), probe('c')];
    const all = await runExperiments(registry, ['a', 'b', 'c'], { quick: true, seed: 42, signal: never });
    const onlyC = await runExperiments(registry, ['c'], { quick: true, seed: 42, signal: never });
    const streams = experimentStreams(42, 3);
    expect(all.results.map((r) => r.results.rows[0]!.draw)).toEqual(streams.map((s) => s.uniform()));
    expect(onlyC.results[0]!.results.rows[0]!.draw).toBe(all.results[2]!.results.rows[0]!.draw);
    const draws = all.results.map((r) => r.results.rows[0]!.draw);
    expect(new Set(draws).size).toBe(3);
    const other = await runExperiments(registry, ['a'], { quick: true, seed: 43, signal: never });
    expect(other.results[0]!.results.rows[0]!.draw).not.toBe(draws[0]);
    expect(all).toMatchObject({ interrupted: false, unfinished: [] });
    expect(all.results[0]!.config).toEqual({ quick: true, seed: 42 });
  });

  it('the first stream continues the master generator, later ones are 2¹²⁸ draws apart', () => {
    const [first] = experimentStreams(5, 2);
    expect(first!.uniform()).toBe(createRng(5).uniform());
  });

  it('stops on interrupt, keeping the finished experiments and naming the unfinished', async () => {
    const controller = new AbortController();
    const registry = [probe('a', () => controller.abort()), probe('b'), probe('c')];
    const outcome = await runExperiments(registry, ['a', 'b', 'c'], { quick: true, seed: 1, signal: controller.signal });
    expect(outcome.results.map((r) => r.name)).toEqual(['a']);
    expect(outcome.interrupted).toBe(true);
    expect(outcome.unfinished).toEqual(['b', 'c']);
  });

  it('is deterministic: the same seed gives identical results for a real experiment', async () => {
    const signed = experiments.find((e) => e.name === 'signed-arbitrary-labels')!;
    const run = () => runExperiments([signed], [signed.name], { quick: true, seed: 3, signal: never });
    const [first, second] = [await run(), await run()];
    expect(first.results).toEqual(second.results);
  });
});
