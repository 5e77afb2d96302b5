import { describe, expect, it } from 'vitest';
import { buildPlot, parsePlotSpec } from './plot-spec';
import type { ResultTable } from './result-table';
import { runTable } from './run-table';

const aggregated: ResultTable = {
  columns: [
    { name: 'kappa', type: 'number' },
    { name: 'alpha', type: 'number' },
    { name: 'count', type: 'integer' },
    { name: 'relativeError.mean', type: 'number' },
    { name: 'relativeError.std', type: 'number' },
    { name: 'fraction', type: 'number' },
    { name: 'fraction.stderr', type: 'number' },
  ],
  rows: [
    [0.5, 0.2, 4, 0.7, 0.1, 0, 0],
    [0.5, 0.6, 4, 1e-9, 1e-10, 1, 0],
    [1, 0.2, 4, 0.9, 0.05, 0, 0],
    [1, 0.6, 4, 0.01, 0.001, 0.5, 0.25],
  ],
};

describe('parsePlotSpec', () => {
  it('reads the keys', () => {
    expect(parsePlotSpec('x=ratio,y=fraction,series=d')).toEqual({ x: 'ratio', y: 'fraction', color: null, series: 'd' });
  });
  it.each([
    ['x=n', /x and y are required/],
    ['x=n,y=d,colour=fraction', /unknown key "colour" \(did you mean 'color'\?\)/],
    ['x=n;y=d', /invalid value for --plot/],
    ['x=n,y=d,color=fraction,series=m', /series applies to line plots/],
  ])('refuses %s', (text, pattern) => {
    expect(() => parsePlotSpec(text)).toThrow(pattern);
  });
});

describe('buildPlot', () => {
  it('makes a heatmap of the fraction on [0, 1] with the recovery line over (kappa, alpha)', () => {
    const plot = buildPlot(aggregated, parsePlotSpec('x=kappa,y=alpha,color=fraction'), { title: 't' });
    expect(plot.kind).toBe('heatmap');
    if (plot.kind !== 'heatmap') return;
    expect(plot.colorRange).toEqual([0, 1]);
    expect(plot.cells).toEqual([
      { x: 0.5, y: 0.2, value: 0 },
      { x: 0.5, y: 0.6, value: 1 },
      { x: 1, y: 0.2, value: 0 },
      { x: 1, y: 0.6, value: 0.5 },
    ]);
    const curve = plot.curves![0]!;
    expect(curve.label).toMatch(/α = κ − κ²\/2/);
    expect(curve.x[0]).toBe(0.5);
    expect(curve.y[0]).toBe(0.375);
    expect(curve.y[curve.y.length - 1]).toBe(0.5);
  });

  it('makes lines of a metric mean with its standard deviation as error bars, one per series', () => {
    const plot = buildPlot(aggregated, parsePlotSpec('x=alpha,y=relativeError,series=kappa'), { title: 't', theory: '0.375', theoryLabel: 'threshold' });
    expect(plot.kind).toBe('lines');
    if (plot.kind !== 'lines') return;
    expect(plot.yLabel).toBe('relativeError.mean');
    expect(plot.series.map((s) => [s.label, Array.from(s.x), Array.from(s.y), Array.from(s.yErr!)])).toEqual([
      ['kappa = 0.5', [0.2, 0.6], [0.7, 1e-9], [0.1, 1e-10]],
      ['kappa = 1', [0.2, 0.6], [0.9, 0.01], [0.05, 0.001]],
    ]);
    expect(plot.verticalLines).toEqual([{ x: 0.375, label: 'threshold' }]);
  });

  it('draws y = EXPR(x) for a theory in x', () => {
    const plot = buildPlot(aggregated, parsePlotSpec('x=kappa,y=alpha,color=relativeError'), { title: 't', theory: 'kappa^2' });
    if (plot.kind !== 'heatmap') throw new Error('heatmap expected');
    expect(plot.colorRange).toBeUndefined();
    expect(plot.curves![0]!.y[plot.curves![0]!.y.length - 1]).toBe(1);
  });

  it.each([
    ['x=kappa,y=alpha,color=fraktion', {}, /no column "fraktion" \(did you mean 'fraction'\?\)/],
    ['x=kapa,y=alpha,color=fraction', {}, /no coordinate "kapa" \(did you mean 'kappa'\?\)/],
    ['x=kappa,y=alpha,color=fraction', { theory: 'alpha + 1' }, /a theory curve is an expression in the x coordinate kappa only/],
    ['x=kappa,y=alpha,color=fraction', { theory: '1 +' }, /--theory "1 \+": unexpected end/],
  ])('refuses %s %j', (spec, options, pattern) => {
    expect(() => buildPlot(aggregated, parsePlotSpec(spec), { title: 't', ...options })).toThrow(pattern);
  });
});

describe('runTable', () => {
  it('puts coordinates first, then repetition, seed, status, the metrics, elapsedMs and error', () => {
    const table = runTable([
      {
        id: 1, sweepId: 1, cellKey: 'k', grid: 0, point: 0, repetition: 0, coordinates: { n: 10, ratio: 0.5 }, seed: 7, argv: [], status: 'done',
        metrics: { relativeError: 'NaN', converged: true }, history: null, output: null, error: null, startedAt: '', elapsedMs: 2, attempts: 1,
      },
      {
        id: 2, sweepId: 1, cellKey: 'k2', grid: 0, point: 1, repetition: 0, coordinates: { n: 20, ratio: 1 }, seed: 8, argv: [], status: 'failed',
        metrics: null, history: null, output: null, error: 'diverged', startedAt: '', elapsedMs: 3, attempts: 2,
      },
    ]);
    expect(table.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'n:integer', 'ratio:number', 'repetition:integer', 'seed:integer', 'status:string', 'relativeError:number', 'converged:boolean', 'elapsedMs:integer', 'error:string',
    ]);
    expect(table.rows[0]![5]).toBeNaN();
    expect(table.rows[1]).toEqual([20, 1, 0, 8, 'failed', null, null, 3, 'diverged']);
  });
});
