/**
 * Reports: one self-contained HTML file per run (`report.html`): the command and its
 * configuration, seed and package versions, the headline numbers, the figures as inline SVG, and
 * for `reproduce` each claim with its verdict, numbers and figure. Formulas written `$…$` (inline)
 * or `$$…$$` (display) in the text are rendered by KaTeX when the report is written, and KaTeX's
 * stylesheet travels inside the page with its fonts, so the file needs no network and no other
 * file. The same document gives the same bytes.
 *
 * @packageDocumentation
 */
import katex from 'katex';
import { katexStyles } from './katex-styles';

/** A table of a report: headings (text with `$…$` math) and rows of formatted cells (plain text). */
export interface ReportTable {
  columns: string[];
  rows: string[][];
}

/** A section of a report. */
export interface ReportSection {
  /** The heading (text, math allowed). */
  heading: string;
  /** A verdict shown beside the heading. */
  verdict?: 'PASS' | 'FAIL';
  /** Paragraphs of text; `$…$` and `$$…$$` are math (pass text from data through {@link escapeMath}). */
  paragraphs?: string[];
  /** Labelled values (the headline numbers): labels with `$…$` math, values plain text. */
  values?: Array<[string, string]>;
  /** A table of measured numbers. */
  table?: ReportTable;
  /** Figures: SVG text (from `renderSvg`) with a caption. */
  figures?: Array<{ svg: string; caption: string }>;
  /** Preformatted text (a configuration as JSON, the command line). */
  code?: string;
}

/** What a report holds. */
export interface ReportDocument {
  /** The page's title, e.g. `"shallowscape train"`. */
  title: string;
  /** One line under the title (what was run, the verdict). */
  summary: string;
  /** The command line that made the report. */
  command: string;
  /** Package versions, by name. */
  versions: Readonly<Record<string, string>>;
  sections: ReportSection[];
}

/**
 * Escapes text for HTML element content and double-quoted attribute values.
 *
 * @param text - plain text.
 * @returns the text with `&`, `<`, `>`, `"` and `'` escaped.
 *
 * @example
 * ```ts
 * escapeHtml('a < b & "c"'); // => "a &lt; b &amp; &quot;c&quot;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Protects text that comes from data (a file name, a flag's value) for {@link textWithMath}:
 * every `$` becomes `\$`, a literal dollar sign.
 *
 * @param text - plain text.
 * @returns the text with its dollar signs escaped.
 *
 * @example
 * ```ts
 * textWithMath(escapeMath('runs/$HOME/W.npy')); // => "runs/$HOME/W.npy"
 * ```
 */
export function escapeMath(text: string): string {
  return text.replace(/\$/g, '\\$');
}

/**
 * Text with math: plain text is escaped, `$$…$$` becomes display math and `$…$` inline math,
 * rendered by KaTeX (`\$` is a literal dollar sign).
 *
 * @param text - the text.
 * @returns HTML.
 * @throws Error (KaTeX's `ParseError`) for a formula KaTeX cannot read: reports are made from
 *   the project's own text, so a bad formula is a bug to see, not to hide.
 *
 * @example
 * ```ts
 * const html = textWithMath('risk $\\hat L(W)$ < 1');
 * [html.includes('class="katex"'), html.includes('$'), html.endsWith(' &lt; 1')]; // => [true, false, true]
 * ```
 */
export function textWithMath(text: string): string {
  let html = '';
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && text[i + 1] === '$') {
      plain += '$';
      i += 2;
      continue;
    }
    if (c === '$') {
      const delimiter = text[i + 1] === '$' ? '$$' : '$';
      const start = i + delimiter.length;
      const close = text.indexOf(delimiter, start);
      if (close > start) {
        html += escapeHtml(plain) + katex.renderToString(text.slice(start, close), { displayMode: delimiter === '$$', throwOnError: true, output: 'htmlAndMathml', strict: 'ignore' });
        plain = '';
        i = close + delimiter.length;
        continue;
      }
    }
    plain += c;
    i++;
  }
  return html + escapeHtml(plain);
}

const PAGE_STYLE = `
:root { color-scheme: light; }
body { font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1d1d1f; margin: 0; background: #fafafa; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 64px; background: white; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid #e3e3e3; padding-bottom: 4px; }
p.summary { color: #444; margin: 0 0 16px; }
.verdict { display: inline-block; font-size: 13px; font-weight: 600; padding: 1px 8px; border-radius: 4px; margin-left: 10px; vertical-align: 2px; }
.verdict.PASS { background: #e3f4e6; color: #17692a; }
.verdict.FAIL { background: #fbe3e1; color: #a3231a; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0 12px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: right; white-space: nowrap; }
th { background: #f5f5f7; font-weight: 600; }
td:first-child, th:first-child { text-align: left; }
td.wrap { white-space: normal; text-align: left; min-width: 20em; }
dl { display: grid; grid-template-columns: max-content auto; gap: 2px 18px; margin: 8px 0 12px; }
dt { color: #555; }
dd { margin: 0; font-variant-numeric: tabular-nums; }
figure { margin: 12px 0 20px; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: #555; margin-top: 4px; }
pre { background: #f5f5f7; padding: 10px 12px; font-size: 12.5px; overflow-x: auto; border-radius: 4px; }
.table-wrap { overflow-x: auto; }
footer { margin-top: 40px; font-size: 12px; color: #777; }
`;

function sectionHtml(section: ReportSection): string {
  const parts: string[] = [];
  const verdict = section.verdict === undefined ? '' : `<span class="verdict ${section.verdict}">${section.verdict}</span>`;
  parts.push(`<section>\n<h2>${textWithMath(section.heading)}${verdict}</h2>`);
  for (const p of section.paragraphs ?? []) parts.push(`<p>${textWithMath(p)}</p>`);
  if (section.values !== undefined && section.values.length > 0) {
    parts.push(`<dl>${section.values.map(([k, v]) => `<dt>${textWithMath(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`);
  }
  for (const f of section.figures ?? []) {
    parts.push(`<figure>${f.svg.replace(/^<\?xml[^>]*>\s*/, '')}<figcaption>${textWithMath(f.caption)}</figcaption></figure>`);
  }
  if (section.table !== undefined) {
    const head = section.table.columns.map((c) => `<th>${textWithMath(c)}</th>`).join('');
    const body = section.table.rows.map((r) => `<tr>${r.map((c) => (c.length > 40 ? `<td class="wrap">${escapeHtml(c)}</td>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`).join('\n');
    parts.push(`<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`);
  }
  if (section.code !== undefined) parts.push(`<pre>${escapeHtml(section.code)}</pre>`);
  parts.push('</section>');
  return parts.join('\n');
}

/**
 * The HTML page of a report.
 *
 * @param doc - the report.
 * @returns a complete HTML5 document: no script, no external resource; KaTeX's stylesheet and
 *   fonts inline.
 *
 * @example
 * ```ts
 * const html = reportHtml({ title: 'shallowscape train', summary: 'converged', command: 'shallowscape train', versions: { '@shallowscape/cli': '0.1.0' }, sections: [{ heading: 'Risk $\\hat L$', values: [['risk', '1e-20']] }] });
 * [html.startsWith('<!DOCTYPE html>'), html.includes('<script'), /(src|href)="https?:/.test(html)]; // => [true, false, false]
 * ```
 */
export function reportHtml(doc: ReportDocument): string {
  const versions = Object.entries(doc.versions)
    .map(([name, version]) => `${escapeHtml(name)} ${escapeHtml(version)}`)
    .join(' · ');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${katexStyles()}</style>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(doc.title)}</h1>`,
    `<p class="summary">${textWithMath(doc.summary)}</p>`,
    `<pre class="command">${escapeHtml(doc.command)}</pre>`,
    ...doc.sections.map(sectionHtml),
    `<footer>Versions: ${versions}</footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
