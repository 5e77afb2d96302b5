// @ts-check
/**
 * A local TypeDoc plugin that renders LaTeX math at build time with KaTeX, so the site needs no
 * network and no client-side JavaScript for formulas.
 *
 * - `$...$` is inline math and `$$...$$` display math, in doc comments and in Markdown documents.
 *   `\$` is a literal dollar sign. Math inside code spans and fenced code blocks is left alone.
 *   An inline `$` opens math only when it is followed by a non-space, and closes only when it is
 *   preceded by a non-space and not followed by a digit (so "costs $5 and $6" stays text).
 * - Before markdown-it runs, each formula is replaced by a private-use placeholder (so
 *   underscores, asterisks and backslashes in TeX are not read as Markdown); after markdown-it,
 *   the placeholders are replaced by `katex.renderToString` output.
 * - KaTeX's CSS and fonts are copied from the installed `katex` package into
 *   `assets/katex/` of the site, and linked from every page's `<head>`.
 * - A formula KaTeX cannot parse is reported as a TypeDoc warning naming the page, and shown
 *   as code.
 *
 * Note for authors: in doc comments TypeDoc removes the backslash of `\{` and `\}`; write
 * `\lbrace`/`\rbrace` for literal braces. A star directly followed by a slash closes the comment.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import katex from 'katex';
import { JSX, MarkdownEvent, RendererEvent } from 'typedoc';

const require = createRequire(import.meta.url);
const KATEX_DIST = dirname(require.resolve('katex'));

const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

/**
 * Replaces the math in a Markdown string by placeholders.
 * @param {string} markdown
 * @returns {{ text: string, formulas: Array<{ tex: string, display: boolean }> }}
 */
export function protectMath(markdown) {
  /** @type {Array<{ tex: string, display: boolean }>} */
  const formulas = [];
  let out = '';
  let i = 0;
  const n = markdown.length;
  let atLineStart = true;
  let inFence = false;
  let fenceMarker = '';

  const placeholder = (tex, display) => {
    formulas.push({ tex, display });
    return `${OPEN}${formulas.length - 1}${CLOSE}`;
  };

  while (i < n) {
    // Fenced code blocks: copied verbatim up to the closing fence.
    if (atLineStart) {
      const lineEnd = markdown.indexOf('\n', i) === -1 ? n : markdown.indexOf('\n', i);
      const line = markdown.slice(i, lineEnd);
      const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (inFence) {
        if (fence && fence[1][0] === fenceMarker[0] && fence[1].length >= fenceMarker.length && /^\s*$/.test(line.slice(fence[0].length))) {
          inFence = false;
        }
        out += markdown.slice(i, Math.min(lineEnd + 1, n));
        i = lineEnd + 1;
        continue;
      }
      if (fence) {
        inFence = true;
        fenceMarker = fence[1];
        out += markdown.slice(i, Math.min(lineEnd + 1, n));
        i = lineEnd + 1;
        continue;
      }
    }
    const c = markdown[i];
    atLineStart = false;
    if (c === '\n') {
      out += c;
      i++;
      atLineStart = true;
      continue;
    }
    if (c === '\\' && i + 1 < n) {
      // An escaped character (including `\$`) is copied with its backslash for markdown-it.
      out += markdown.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === '`') {
      // Code span: a run of k backticks up to the next run of exactly k backticks.
      let k = 0;
      while (markdown[i + k] === '`') k++;
      const run = '`'.repeat(k);
      let search = i + k;
      let close = -1;
      while ((close = markdown.indexOf(run, search)) !== -1) {
        let m = 0;
        while (markdown[close + m] === '`') m++;
        if (m === k) break;
        search = close + m;
      }
      if (close === -1) {
        out += run;
        i += k;
      } else {
        out += markdown.slice(i, close + k);
        i = close + k;
      }
      continue;
    }
    if (c === '$') {
      if (markdown[i + 1] === '$') {
        const close = findClosing(markdown, i + 2, '$$');
        if (close !== -1) {
          out += placeholder(markdown.slice(i + 2, close).trim(), true);
          i = close + 2;
          continue;
        }
      } else {
        const next = markdown[i + 1];
        if (next !== undefined && !/\s/.test(next)) {
          const close = findInlineClosing(markdown, i + 1);
          if (close !== -1) {
            out += placeholder(markdown.slice(i + 1, close), false);
            i = close + 1;
            continue;
          }
        }
      }
    }
    out += c;
    i++;
  }
  return { text: out, formulas };
}

/** Index of the closing delimiter after `from`, skipping backslash escapes; -1 if none. */
function findClosing(text, from, delimiter) {
  for (let j = from; j < text.length; j++) {
    if (text[j] === '\\') {
      j++;
      continue;
    }
    if (text.startsWith(delimiter, j)) return j;
  }
  return -1;
}

/**
 * The closing `$` of inline math: not after a space, not before a digit, and no blank line or
 * code fence in between.
 */
function findInlineClosing(text, from) {
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '\n' && /^(\s*\n| {0,3}(```|~~~))/.test(text.slice(j + 1, j + 8))) return -1; // blank line or fence
    if (c === '$') {
      if (j === from) return -1;
      if (/\s/.test(text[j - 1])) continue;
      if (/\d/.test(text[j + 1] ?? '')) continue;
      return j;
    }
  }
  return -1;
}

/**
 * Replaces the placeholders in rendered HTML by KaTeX markup.
 * @param {string} html
 * @param {Array<{ tex: string, display: boolean }>} formulas
 * @param {(message: string) => void} warn
 */
export function restoreMath(html, formulas, warn) {
  return html.replace(PLACEHOLDER, (_all, index) => {
    const formula = formulas[Number(index)];
    if (formula === undefined) return _all;
    return renderFormula(formula.tex, formula.display, warn);
  });
}

/**
 * @param {string} tex
 * @param {boolean} display
 * @param {(message: string) => void} warn
 */
export function renderFormula(tex, display, warn) {
  try {
    return katex.renderToString(tex, {
      displayMode: display,
      throwOnError: true,
      output: 'htmlAndMathml',
      strict: (code) => (code === 'unicodeTextInMathMode' ? 'ignore' : 'warn'),
    });
  } catch (error) {
    warn(`KaTeX cannot render ${display ? '$$' : '$'}${tex}${display ? '$$' : '$'}: ${error instanceof Error ? error.message : String(error)}`);
    const escaped = tex.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return `<code class="katex-error">${escaped}</code>`;
  }
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  /** @type {WeakMap<object, Array<{ tex: string, display: boolean }>>} */
  const pending = new WeakMap();

  // Before TypeDoc's markdown-it pass (priority 0): hide the math.
  app.renderer.on(
    MarkdownEvent.PARSE,
    (event) => {
      const { text, formulas } = protectMath(event.parsedText);
      if (formulas.length === 0) return;
      event.parsedText = text;
      pending.set(event, formulas);
    },
    100,
  );
  // After it: put the rendered math back.
  app.renderer.on(
    MarkdownEvent.PARSE,
    (event) => {
      const formulas = pending.get(event);
      if (formulas === undefined) return;
      const where = event.page?.model?.getFriendlyFullName?.() ?? event.page?.url ?? 'a page';
      event.parsedText = restoreMath(event.parsedText, formulas, (message) => app.logger.warn(`${message} (in ${where})`));
    },
    -100,
  );

  app.renderer.hooks.on('head.end', (context) =>
    JSX.createElement('link', { rel: 'stylesheet', href: context.relativeURL('assets/katex/katex.min.css', true) }),
  );

  app.renderer.on(RendererEvent.END, (event) => {
    const target = join(event.outputDirectory, 'assets', 'katex');
    mkdirSync(target, { recursive: true });
    cpSync(join(KATEX_DIST, 'katex.min.css'), join(target, 'katex.min.css'));
    cpSync(join(KATEX_DIST, 'fonts'), join(target, 'fonts'), { recursive: true });
  });
}
