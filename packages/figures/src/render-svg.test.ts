import { describe, expect, it, vi } from 'vitest';
import { parseXmlElements } from '@shallowscape/test-utils';
import { compileFigure, renderSvg, type FigureSpec } from './render-svg';

const line: FigureSpec = {
  data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }, { x: 3, y: 5 }] },
  mark: 'line',
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
};

describe('renderSvg', () => {
  it('draws well-formed SVG, the same bytes every time', async () => {
    const a = await renderSvg(line);
    const b = await renderSvg(structuredClone(line));
    expect(a).toBe(b);
    const elements = parseXmlElements(a);
    expect(elements[0]!.name).toBe('svg');
    expect(elements.some((e) => e.name === 'path' && (e.attributes.d ?? '').startsWith('M'))).toBe(true);
  });

  it('puts the title and axis titles in the text', async () => {
    const svg = await renderSvg({ ...line, title: 'risk ⟨G, Q⟩ & more' } as FigureSpec);
    expect(svg).toContain('risk ⟨G, Q⟩ &amp; more');
    expect(svg).toMatch(/>x<\/text>/);
  });

  it('compiles no expression to code: filters and calculations are interpreted, Function is never called', async () => {
    const spy = vi.spyOn(globalThis, 'Function');
    try {
      const svg = await renderSvg({
        data: { values: [{ x: 1 }, { x: 2 }, { x: 3 }] },
        transform: [{ filter: 'datum.x > 1' }, { calculate: 'pow(datum.x, 2) + 1', as: 'y' }],
        mark: 'point',
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      } as FigureSpec);
      // The points' accessible labels carry the data: x = 1 filtered out, y = x² + 1 calculated.
      expect(svg.match(/aria-label="x: [^"]*"/g)).toEqual(['aria-label="x: 2; y: 5"', 'aria-label="x: 3; y: 10"']);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses data named by URL (figures are self-contained)', async () => {
    await expect(renderSvg({ data: { url: 'https://example.org/data.json' }, mark: 'point' } as FigureSpec)).rejects.toThrow(/names a URL/);
  });

  it('compiles to a Vega specification with its data inline', async () => {
    const vg = await compileFigure(line);
    expect(JSON.stringify(vg.data)).toContain('"values"');
  });
});
