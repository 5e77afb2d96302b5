/// <reference lib="dom" />
/**
 * Test support: the system's chromium driven by `playwright-core` (never a downloaded browser),
 * and the checks every page of the docs site and every report must pass in it: no console error,
 * no failed request, every formula rendered by KaTeX (no raw `$…$`, `\(` or `\[` left in the
 * text), every figure drawn at a non-zero size, and the page's internal links and element ids
 * collected so the caller can check that every link resolves.
 *
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where Debian's chromium lives. */
export const CHROMIUM = process.env.SHALLOWSCAPE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Starts headless chromium, or fails with how to install it (browser tests fail, never skip).
 * `--enable-unsafe-webgpu` among `extraArgs` exposes WebGPU (on SwiftShader when there is no GPU).
 *
 * @param extraArgs - more command-line switches.
 * @returns the browser.
 * @throws Error naming the missing executable and the Debian package.
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium), or run the tests without a browser with 'pnpm test:unit'`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', ...extraArgs],
  });
}

/** What a page showed and did. */
export interface PageReport {
  url: string;
  title: string;
  /** Console errors, uncaught exceptions, failed requests and HTTP errors, one line each. */
  problems: string[];
  /** Text nodes outside code and KaTeX that still hold TeX: `$…$`, `\(`, `\[`. */
  rawMath: string[];
  /** Formulas KaTeX rendered. */
  formulas: number;
  /** Figures (`img`, `figure svg`, Vega's `svg.marks`) and their rendered sizes. */
  figures: Array<{ what: string; width: number; height: number }>;
  /** `href`s of links to this site (absolute URLs, fragment kept), and the page's element ids. */
  links: string[];
  ids: string[];
}

/**
 * Loads a page and reports what the checks need.
 *
 * @param page - a fresh page of the browser.
 * @param url - the page's URL.
 * @param site - the site's base URL: links under it are internal.
 * @returns what the page showed.
 */
export async function inspectPage(page: Page, url: string, site: string): Promise<PageReport> {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? '?'})`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const seen = await page.evaluate((siteUrl: string) => {
    const skip = (node: Node | null): boolean => {
      for (let e = node?.parentElement ?? null; e !== null; e = e.parentElement) {
        if (e.matches('pre, code, script, style, textarea, .katex, .tsd-signature, .tsd-signatures')) return true;
      }
      return false;
    };
    const rawMath: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
      const text = n.textContent ?? '';
      if ((/\$[^\s$][^$]*\$/.test(text) || /\\\(|\\\[/.test(text)) && !skip(n)) rawMath.push(text.trim().slice(0, 120));
    }
    // Top-level figures only: an svg inside another svg (a legend symbol, a KaTeX glyph) is part of it.
    const figures = [...document.querySelectorAll('img, figure svg, svg.marks')].filter((e) => e.parentElement?.closest('svg, .katex') == null).map((e) => {
      const box = e.getBoundingClientRect();
      const what = e.tagName.toLowerCase() === 'img' ? `img ${(e as HTMLImageElement).src}` : `svg ${e.getAttribute('aria-label') ?? e.closest('figure')?.textContent?.slice(0, 60) ?? ''}`;
      const natural = e.tagName.toLowerCase() === 'img' ? (e as HTMLImageElement).naturalWidth : 1;
      return { what, width: natural === 0 ? 0 : box.width, height: box.height };
    });
    const links = [...document.querySelectorAll('a[href]')]
      .map((a) => (a as HTMLAnchorElement).href)
      .filter((href) => href.startsWith(siteUrl));
    const ids = [...document.querySelectorAll('[id], a[name]')].map((e) => e.id || (e.getAttribute('name') ?? ''));
    return { title: document.title, rawMath, formulas: document.querySelectorAll('.katex').length, figures, links, ids };
  }, site);
  return { url, problems, ...seen };
}
