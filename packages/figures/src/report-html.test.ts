import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { katexDistDirectory, katexStyles } from './katex-styles';
import { escapeHtml, reportHtml, textWithMath, type ReportDocument } from './report-html';

const doc: ReportDocument = {
  title: 'shallowscape train <test>',
  summary: 'converged: $\\hat L(W) = 3\\cdot 10^{-20}$',
  command: "shallowscape train --d 6 --out 'runs/a b'",
  versions: { '@shallowscape/cli': '0.1.0' },
  sections: [
    {
      heading: 'Headline numbers',
      verdict: 'PASS',
      paragraphs: ['The relative error $\\|Q - W^{*\\top}W^*\\|_F / \\|W^{*\\top}W^*\\|_F$ costs \\$5.', '$$N^* = \\frac{d(d+1)}{2}$$'],
      values: [['risk $\\hat L$', '1e-20']],
      table: { columns: ['d', '$N^*$'], rows: [['6', '21']] },
      figures: [{ svg: '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>', caption: 'a figure' }],
      code: '{"d": 6}',
    },
  ],
};

describe('textWithMath', () => {
  it('renders inline and display math with KaTeX and escapes the rest', () => {
    const html = textWithMath('a < b, $x^2$ and $$\\sum_i y_i$$ & \\$3');
    expect(html.startsWith('a &lt; b, <span class="katex">')).toBe(true);
    expect(html).toContain('class="katex-display"');
    expect(html.endsWith(' &amp; $3')).toBe(true);
    // The TeX source stays only in MathML's annotation (for screen readers and copying).
    expect(html.replace(/<annotation[^>]*>.*?<\/annotation>/g, '').replace(/<[^>]*>/g, '')).not.toMatch(/\$x|\\sum/);
  });

  it('leaves a lone dollar as text and refuses a formula KaTeX cannot read', () => {
    expect(textWithMath('costs $5')).toBe('costs $5');
    expect(() => textWithMath('$\\frac{1$')).toThrow(/KaTeX parse error/);
  });
});

describe('reportHtml', () => {
  const html = reportHtml(doc);

  it('is one self-contained page: no script, no link, no external URL, fonts inline', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img/);
    expect(html).not.toMatch(/url\((?!data:)/);
    expect(html.replace(/xmlns(:\w+)?="[^"]*"/g, '')).not.toMatch(/https?:\/\//);
    const woff2 = readdirSync(join(katexDistDirectory(), 'fonts')).filter((f) => f.endsWith('.woff2'));
    expect(katexStyles().match(/data:font\/woff2;base64,/g)).toHaveLength(woff2.length);
  });

  it('holds the title, command, verdict, values, table, figure (without its XML declaration) and versions', () => {
    expect(html).toContain('<title>shallowscape train &lt;test&gt;</title>');
    expect(html).toContain(`<pre class="command">${escapeHtml(doc.command)}</pre>`);
    expect(html).toContain('<span class="verdict PASS">PASS</span>');
    expect(html).toContain('<td>6</td><td>21</td>');
    expect(html).toContain('<figure><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg><figcaption>a figure</figcaption></figure>');
    expect(html).toContain('costs $5.');
    expect(html).toContain('Versions: @shallowscape/cli 0.1.0');
    expect(html.match(/class="katex"/g)!.length).toBeGreaterThanOrEqual(5);
  });

  it('gives the same bytes for the same document', () => {
    expect(reportHtml(structuredClone(doc))).toBe(html);
  });
});
