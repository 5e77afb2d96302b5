import { describe, expect, it } from 'vitest';
import { parseXmlElements } from '@shallowscape/test-utils';
import { escapeXml, histogramSvg } from './histogram-svg';

const base = { barLabel: 'eigenvalues <n = 3> & more', title: 'Spectrum "x"', xLabel: 'λ', yLabel: 'density' };

describe('histogramSvg', () => {
  it('is well-formed SVG with one rect per bin, the curve as one path, axes, labels and a legend', () => {
    const edges = [-2, -1, 0, 1, 2];
    const heights = [0.1, 0.4, 0.4, 0.1];
    const x = Array.from({ length: 41 }, (_, k) => -2 + k / 10);
    const y = x.map((t) => Math.sqrt(Math.max(0, 4 - t * t)) / (2 * Math.PI));
    const svg = histogramSvg({ ...base, edges, heights, curve: { x, y, label: 'semicircle' } });
    const elements = parseXmlElements(svg);
    expect(elements[0]!.name).toBe('svg');
    expect(elements[0]!.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
    const bars = elements.filter((e) => e.name === 'rect' && e.attributes.class === 'bar');
    expect(bars).toHaveLength(4);
    // Bars are as wide as their bins and as tall as their heights (same scale for all).
    const widths = bars.map((b) => Number(b.attributes.width));
    const tall = bars.map((b) => Number(b.attributes.height));
    for (const w of widths) expect(w).toBeCloseTo(widths[0]!, 1);
    expect(tall[1]! / tall[0]!).toBeCloseTo(4, 1);
    expect(Number(bars[0]!.attributes.y) + tall[0]!).toBeCloseTo(450 - 58, 1);
    const paths = elements.filter((e) => e.name === 'path' && e.attributes.class === 'density');
    expect(paths).toHaveLength(1);
    expect(paths[0]!.attributes.d!.match(/[ML]/g)).toHaveLength(41);
    expect(paths[0]!.attributes['clip-path']).toBe('url(#plot-area)');
    const texts = svg.match(/<text[^>]*>([^<]*)<\/text>/g)!.map((t) => t.replace(/<[^>]+>/g, ''));
    expect(texts).toContain('λ');
    expect(texts).toContain('density');
    expect(texts).toContain('semicircle');
    expect(texts).toContain(escapeXml(base.barLabel));
    expect(texts).toContain(escapeXml(base.title));
    for (const tick of ['-2', '-1', '0', '1', '2']) expect(texts).toContain(tick);
    expect(elements.some((e) => e.name === 'g' && e.attributes.class === 'legend')).toBe(true);
  });

  it('breaks the curve at non-finite values and clips a singular density to the plot', () => {
    const x = [0, 0.5, 1, 1.5, 2];
    const y = [Infinity, 2, 1, NaN, 0.5];
    const svg = histogramSvg({ ...base, edges: [0, 1, 2], heights: [0.6, 0.4], curve: { x, y, label: 'law' } });
    const d = /class="density" d="([^"]*)"/.exec(svg)![1]!;
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.match(/L/g)).toHaveLength(1);
    // The y axis stops at 1.25 · min(max curve, 3 · max bar) = 1.25 · 1.8, not at the singularity.
    const yTicks = [...svg.matchAll(/<text [^>]*text-anchor="end">([^<]*)<\/text>/g)].map((m) => Number(m[1]));
    expect(yTicks).toEqual([0, 0.5, 1, 1.5, 2]);
  });

  it('is deterministic and validates its input', () => {
    const plot = { ...base, edges: [0, 1], heights: [1] };
    expect(histogramSvg(plot)).toBe(histogramSvg(plot));
    expect(parseXmlElements(histogramSvg(plot)).filter((e) => e.attributes.class === 'density')).toEqual([]);
    expect(() => histogramSvg({ ...base, edges: [0, 1, 1], heights: [1, 1] })).toThrow(RangeError);
    expect(() => histogramSvg({ ...base, edges: [0, 1], heights: [-1] })).toThrow(RangeError);
    expect(() => histogramSvg({ ...base, edges: [0], heights: [] })).toThrow(RangeError);
  });

  it('escapeXml escapes markup characters (TSDoc example)', () => {
    expect(escapeXml('a < b & "c"')).toBe('a &lt; b &amp; &quot;c&quot;');
  });

  it('the well-formedness check itself rejects broken XML', () => {
    expect(() => parseXmlElements('<svg><g></svg>')).toThrow(/closes/);
    expect(() => parseXmlElements('<svg><text>a < b</text></svg>')).toThrow(/malformed tag at 13/);
    expect(() => parseXmlElements('<svg><text x="a<b">c</text></svg>')).toThrow(/malformed tag/);
    expect(() => parseXmlElements('<svg><text>a & b</text></svg>')).toThrow(/unescaped '&'/);
    expect(() => parseXmlElements('<svg a="1" a="2"/>')).toThrow(/duplicate/);
    expect(() => parseXmlElements('<svg>')).toThrow(/unclosed/);
  });
});
