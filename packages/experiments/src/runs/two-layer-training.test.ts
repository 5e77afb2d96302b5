import { describe, expect, it } from 'vitest';
import { createRng, gaussianMatrix } from '@shallowscape/linalg';
import { TwoLayerEmpiricalRisk, twoLayerPopulationRisk } from '@shallowscape/model';
import { evaluateTwoLayer } from './two-layer-evaluation';
import { trainTwoLayer, twoLayerProblem } from './two-layer-training';
import { DEFAULT_TWO_LAYER_TRAINING, type TwoLayerTrainingConfig } from './two-layer-training-config';

const small: TwoLayerTrainingConfig = { ...DEFAULT_TWO_LAYER_TRAINING, d: 5, m: 30, n: 15, teacherWidth: 5, steps: 200 };

describe('trainTwoLayer', () => {
  it('reduces the risk; its metrics match an independent evaluation and the exact ReLU population risk', async () => {
    const { output, weights, problem } = await trainTwoLayer(small);
    const risk = new TwoLayerEmpiricalRisk(problem.x, problem.y, { width: 30, activation: 'relu', parameterization: 'ntk' });
    expect(output.final.empiricalRisk).toBe(risk.risk(weights.w, weights.a));
    expect(output.history.risk.at(-1)!).toBeLessThan(output.history.risk[0]! * 1e-3);
    expect(output.final.populationRisk).toBe(twoLayerPopulationRisk(weights, problem.teacher!, { activation: 'relu', parameterization: 'ntk' }));
    expect(output.config.populationRiskMethod).toBe('exact');
    const evaluated = evaluateTwoLayer(weights, problem.x, problem.y, { activation: 'relu', parameterization: 'ntk', teacher: problem.teacher! });
    expect(evaluated.empiricalRisk).toBe(output.final.empiricalRisk);
    expect(evaluated.populationRisk).toBe(output.final.populationRisk);
  });

  it('records the relative movement of each layer; a frozen layer stays bit-identical', async () => {
    const { output, weights, problem } = await trainTwoLayer({ ...small, freeze: 'output', optimizer: 'gd', learningRateHidden: 0.5, steps: 20, historyEvery: 5 });
    expect(weights.a).toEqual(problem.a0);
    expect(output.history.movementOutput.every((v) => v === 0)).toBe(true);
    expect(output.history.movementHidden[0]).toBe(0);
    const diff = weights.w.data.map((v, k) => v - problem.w0.data[k]!);
    const expected = Math.hypot(...diff) / Math.hypot(...problem.w0.data);
    expect(output.history.movementHidden.at(-1)!).toBeCloseTo(expected, 14);
    expect(output.config.learningRateSource).toEqual({ hidden: 'flag', output: 'frozen' });
  });

  it('builds its data from split streams: the teacher and the start do not depend on N', () => {
    const a = twoLayerProblem(small);
    const b = twoLayerProblem({ ...small, n: 40 });
    expect(b.teacher!.w.data).toEqual(a.teacher!.w.data);
    expect(b.w0.data).toEqual(a.w0.data);
    expect(b.a0).toEqual(a.a0);
    expect(() => twoLayerProblem({ ...small, labels: 'random', noise: 1 })).toThrow(/invalid teacherWidth|invalid noise/);
  });

  it('reports inputs that overflow float64 as such', async () => {
    const x = gaussianMatrix(15, 5, createRng(1), 1e300);
    await expect(trainTwoLayer({ ...small, inputs: 'X.npy' }, { inputs: x })).rejects.toThrow(/inputs overflow float64 arithmetic/);
  });
});
