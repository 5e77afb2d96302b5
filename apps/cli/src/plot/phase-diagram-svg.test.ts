import { describe, expect, it } from 'vitest';
import { phaseDiagramSvg, viridis, type HeatmapPlot, type LinePlot } from './phase-diagram-svg';
import { parseXmlElements } from '@shallowscape/test-utils';

const heat = (over: Partial<HeatmapPlot> = {}): HeatmapPlot => ({
  kind: 'heatmap',
  title: 'recovery',
  xLabel: 'kappa',
  yLabel: 'alpha',
  colorLabel: 'fraction',
  colorRange: [0, 1],
  cells: [
    { x: 0.25, y: 0.1, value: 0 },
    { x: 0.25, y: 0.5, value: 1 },
    { x: 1, y: 0.1, value: 0.5 },
    { x: 1, y: 0.5, value: null },
  ],
  ...over,
});

const cellsOf = (svg: string) => parseXmlElements(svg).filter((e) => e.name === 'rect' && e.attributes.class === 'cell');

describe('viridis', () => {
  it('interpolates between its anchors in RGB', () => {
    expect(viridis(0)).toBe('#440154');
    expect(viridis(1)).toBe('#fde725');
    expect(viridis(0.5)).toBe('#21918c');
    // Halfway between the anchors #440154 and #472d7b.
    expect(viridis(1 / 16)).toBe('#461768');
    expect(viridis(-1)).toBe('#440154');
    expect(viridis(2)).toBe('#fde725');
  });
});

describe('phaseDiagramSvg: heatmap', () => {
  it('draws one cell per grid point, coloured by value, grey without data, with tooltips', () => {
    const svg = phaseDiagramSvg(heat());
    const cells = cellsOf(svg);
    expect(cells.map((c) => c.attributes.fill)).toEqual(['#440154', '#fde725', '#21918c', '#d9d9d9']);
    expect(svg).toContain('<title>kappa = 0.25, alpha = 0.5: fraction = 1</title>');
    expect(svg).toContain('fraction = no data');
    expect(svg.match(/class="colorbar"/g)).toHaveLength(1);
  });

  it('lays cells on the distinct values, equal widths however irregular the grid', () => {
    const svg = phaseDiagramSvg({
      ...heat(),
      cells: [10, 15, 20, 21, 25].map((n) => ({ x: n, y: 6, value: n / 25 })),
      colorRange: undefined,
      width: 760,
    });
    const xs = cellsOf(svg).map((c) => Number(c.attributes.x));
    const widths = cellsOf(svg).map((c) => Number(c.attributes.width));
    // Plot area 78 … 650 px: 5 columns of 114.4 px.
    expect(widths.every((w) => Math.abs(w - 114.4) < 0.01)).toBe(true);
    expect(xs).toEqual([78, 192.4, 306.8, 421.2, 535.6]);
    // Default colour range: the values' min and max.
    expect(cellsOf(svg)[0]!.attributes.fill).toBe('#440154');
    expect(cellsOf(svg)[4]!.attributes.fill).toBe('#fde725');
  });

  it('maps a theory curve through the categorical layout by linear interpolation', () => {
    const svg = phaseDiagramSvg(heat({ curves: [{ label: 'α = κ − κ²/2', x: [0.625], y: [0.3] }] }));
    // x: 0.625 is halfway between the columns of 0.25 and 1 (centres 221 and 507 px);
    // y: 0.3 halfway between the rows of 0.1 and 0.5 (centres 342.5 and 143.5 px: rows of 199 px from 442 up).
    const path = parseXmlElements(svg).find((e) => e.name === 'path' && e.attributes.class === 'theory')!;
    expect(path.attributes.d).toBe('M364.00 243.00');
    expect(svg).toContain('α = κ − κ²/2');
  });

  it('escapes text and is deterministic', () => {
    const a = phaseDiagramSvg(heat({ title: 'a < b & "c"' }));
    expect(a).toContain('a &lt; b &amp; &quot;c&quot;');
    expect(phaseDiagramSvg(heat({ title: 'a < b & "c"' }))).toBe(a);
    expect(() => parseXmlElements(a)).not.toThrow();
  });

  it.each([
    ['no cells', { cells: [] }, /at least one cell/],
    ['a non-finite coordinate', { cells: [{ x: NaN, y: 1, value: 1 }] }, /must be finite/],
    ['a reversed colour range', { colorRange: [1, 0] as [number, number] }, /colour range \[1, 0\]/],
  ])('refuses %s', (_, over, pattern) => {
    expect(() => phaseDiagramSvg(heat(over as Partial<HeatmapPlot>))).toThrow(pattern);
  });
});

const lines = (over: Partial<LinePlot> = {}): LinePlot => ({
  kind: 'lines',
  title: 'threshold',
  xLabel: 'ratio',
  yLabel: 'fraction',
  series: [
    { label: 'd = 5', x: [0.5, 1, 2], y: [0, 0.75, 1], yErr: [0, 0.15, 0] },
    { label: 'd = 8', x: [0.5, 1, 2], y: [0, 0.375, 1] },
  ],
  verticalLines: [{ x: 1, label: 'N = N*' }],
  ...over,
});

describe('phaseDiagramSvg: lines', () => {
  it('draws a line with markers per series, error bars, vertical lines and a legend', () => {
    const svg = phaseDiagramSvg(lines());
    const elements = parseXmlElements(svg);
    expect(elements.filter((e) => e.name === 'circle' && e.attributes.class === 'point')).toHaveLength(6);
    expect(elements.filter((e) => e.name === 'line' && e.attributes.class === 'error-bar')).toHaveLength(1);
    expect(elements.filter((e) => e.name === 'line' && e.attributes.class === 'vertical')).toHaveLength(1);
    expect(svg).toContain('N = N*');
    expect(svg).toContain('>d = 8</text>');
    expect(svg).toContain('d = 5: ratio = 1, fraction = 0.75 ± 0.15');
  });

  it('puts log ticks at powers of ten', () => {
    const svg = phaseDiagramSvg(lines({ logX: true, logY: true, series: [{ label: 's', x: [1, 10, 1000], y: [1e-6, 1e-3, 1] }], verticalLines: [] }));
    for (const tick of ['>1<', '>10<', '>100<', '>1000<', '>1.00e-6<', '>0.001<']) expect(svg).toContain(tick);
  });

  it.each([
    ['no series', { series: [] }, /at least one series/],
    ['mismatched lengths', { series: [{ label: 's', x: [1, 2], y: [1] }] }, /series "s" has 2 x, 1 y/],
    ['a log axis with a non-positive value', { logX: true, series: [{ label: 's', x: [0, 1], y: [1, 2] }], verticalLines: [] }, /log x axis needs positive/],
  ])('refuses %s', (_, over, pattern) => {
    expect(() => phaseDiagramSvg(lines(over as Partial<LinePlot>))).toThrow(pattern);
  });
});
