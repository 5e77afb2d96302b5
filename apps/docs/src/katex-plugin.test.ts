import { describe, expect, it } from 'vitest';
// The TypeDoc plugin is plain ESM JavaScript (TypeDoc loads it without a build step).
import { protectMath, renderFormula, restoreMath } from '../plugins/katex-plugin.mjs';

const noWarnings = (message: string): never => {
  throw new Error(`unexpected warning: ${message}`);
};

describe('katex-plugin: finding math in Markdown', () => {
  it('replaces inline and display math by placeholders and keeps the TeX verbatim', () => {
    const { text, formulas } = protectMath('Risk $\\|W_j\\|_F^2 * 2$ and\n\n$$L = 2\\|\\Delta\\|_F^2 + (\\operatorname{tr}\\Delta)^2$$\n');
    expect(formulas).toEqual([
      { tex: '\\|W_j\\|_F^2 * 2', display: false },
      { tex: 'L = 2\\|\\Delta\\|_F^2 + (\\operatorname{tr}\\Delta)^2', display: true },
    ]);
    expect(text).not.toContain('_');
    expect(text).not.toContain('\\');
  });

  it('leaves code spans, fenced code, escaped dollars and prices alone', () => {
    const source = [
      'Use `a $x$ b` and ``c ` $y$``, pay \\$5, or costs $5 and $6.',
      '```ts',
      'const s = "$z$";',
      '```',
      'but $w$ is math.',
    ].join('\n');
    const { text, formulas } = protectMath(source);
    expect(formulas).toEqual([{ tex: 'w', display: false }]);
    expect(text.replace(/\uE0000\uE001/, '$w$')).toBe(source);
  });

  it('does not open inline math before a space or close it before a digit', () => {
    expect(protectMath('a $ b$ c').formulas).toEqual([]);
    expect(protectMath('$x$2 and $y$').formulas).toEqual([{ tex: 'x$2 and $y', display: false }]);
    expect(protectMath('unclosed $x').formulas).toEqual([]);
    expect(protectMath('$a\n\nb$').formulas).toEqual([]);
  });
});

describe('katex-plugin: rendering', () => {
  it('renders KaTeX HTML with MathML, display math in display mode', () => {
    const { text, formulas } = protectMath('<p>$x^2$</p><p>$$\\frac{1}{2}$$</p>');
    const html = restoreMath(text, formulas, noWarnings);
    expect(html).toContain('<span class="katex">');
    expect(html).toContain('<span class="katex-display">');
    expect(html).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML">');
    expect(html).not.toMatch(/\uE000|\uE001/);
  });

  it('reports TeX that KaTeX cannot parse and shows it as escaped code', () => {
    const warnings: string[] = [];
    const html = renderFormula('\\frac{1}{<2}', false, (m: string) => warnings.push(m));
    expect(warnings).toHaveLength(0);
    expect(html).toContain('katex');
    const bad = renderFormula('\\Big{x', false, (m: string) => warnings.push(m));
    expect(warnings[0]).toMatch(/^KaTeX cannot render \$\\Big\{x\$: KaTeX parse error/);
    expect(bad).toBe('<code class="katex-error">\\Big{x</code>');
  });
});
