import { describe, expect, it } from 'vitest';
import { trainQuadratic, trainTwoLayer, DEFAULT_QUADRATIC_TRAINING, DEFAULT_TWO_LAYER_TRAINING } from '@shallowscape/experiments';
import { renderSvg } from './render-svg';
import { trainingFigure } from './training-figure';

type Panel = { title: string; data: { values: Array<{ step: number; quantity: string; value: number }> } };
const panels = (spec: unknown): Panel[] => (spec as { vconcat: Panel[] }).vconcat;

describe('trainingFigure', () => {
  it('draws risk and gradient norm, and the relative error of a run with a teacher, from the history itself', async () => {
    const { output, relativeErrorHistory } = await trainQuadratic({ ...DEFAULT_QUADRATIC_TRAINING, d: 4, m: 4, n: 20, teacherWidth: 4, historyEvery: 5 });
    const spec = trainingFigure({ history: output.history, relativeError: relativeErrorHistory, title: 'quadratic, d = 4' });
    const [risk, error] = panels(spec);
    expect(panels(spec)).toHaveLength(2);
    expect(risk!.data.values.filter((v) => v.quantity === 'risk').map((v) => v.value)).toEqual(output.history.risk.filter((r) => r > 0));
    expect(risk!.data.values.filter((v) => v.quantity === 'gradient norm').map((v) => v.step)).toEqual(output.history.step);
    expect(error!.data.values.map((v) => v.value)).toEqual(relativeErrorHistory);
    const svg = await renderSvg(spec);
    expect(svg).toContain('Risk and gradient norm');
    expect(svg).toContain('Relative error');
  });

  it('leaves out of a log panel the values it cannot show (zero risk, NaN)', () => {
    const spec = trainingFigure({ title: 't', history: { step: [0, 1, 2], risk: [1, 0, Number.NaN], gradientNorm: [1, 0.5, 0.25], elapsedMs: [0, 0, 0] } });
    const values = panels(spec)[0]!.data.values;
    expect(values.filter((v) => v.quantity === 'risk')).toEqual([{ step: 0, quantity: 'risk', value: 1 }]);
    expect(values.filter((v) => v.quantity === 'gradient norm')).toHaveLength(3);
  });

  it('draws the movement of each layer of a two-layer run on a linear axis that starts at 0', async () => {
    const { output } = await trainTwoLayer({ ...DEFAULT_TWO_LAYER_TRAINING, d: 3, m: 10, n: 8, steps: 40, historyEvery: 10 });
    const spec = trainingFigure({ history: output.history, title: 'two-layer' });
    expect(panels(spec).map((p) => p.title)).toEqual(['Risk and gradient norm', 'Relative movement of each layer']);
    const movement = panels(spec)[1]!;
    expect(movement.data.values.filter((v) => v.quantity.startsWith('hidden')).map((v) => v.value)).toEqual(output.history.movementHidden);
    expect(movement.data.values[0]!.value).toBe(0);
    expect(JSON.stringify(movement)).toContain('"zero":true');
  });
});
