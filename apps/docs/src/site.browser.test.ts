/**
 * The built docs site in headless chromium: every page loads without a console error or a failed
 * request, KaTeX rendered every formula, every figure has a size, and every internal link
 * resolves to a page (and to an element of it, for a `#fragment`). A screenshot of each kind of
 * page is written under reports/screenshots/ for people to look at.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPage, launchChromium, serveDirectory, type PageReport, type StaticServer } from '@shallowscape/test-utils';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const screenshots = join(root, 'reports', 'screenshots');

let site: string;
let server: StaticServer;
let browser: Browser;
const pages = new Map<string, PageReport>();

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html'))
    .map((f) => f.split('\\').join('/'))
    .sort();
}

/** The kind of a page, from its folder: documents, modules, functions, classes, interfaces, … */
const kindOf = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : file.replace(/\.html$/, ''));

/** Ids of elements and hrefs of links in a page's HTML (TypeDoc writes plain attributes). */
function scanHtml(html: string): { ids: Set<string>; hrefs: string[] } {
  const ids = new Set([...html.matchAll(/\s(?:id|name)="([^"]*)"/g)].map((m) => m[1]!));
  const hrefs = [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  return { ids, hrefs };
}

/** The pages loaded in the browser: every guide and index page, and the first few of each other kind. */
function browserSample(files: readonly string[]): string[] {
  const perKind = new Map<string, number>();
  return files.filter((file) => {
    const kind = kindOf(file);
    if (kind === 'documents' || !file.includes('/') || kind === 'modules') return true;
    const n = perKind.get(kind) ?? 0;
    perKind.set(kind, n + 1);
    return n < 6;
  });
}

let files: string[] = [];

beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), 'shallowscape-site-'));
  execFileSync(process.execPath, [join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--options', 'typedoc.json', '--out', site, '--logLevel', 'Warn'], { cwd: root, stdio: 'pipe' });
  files = htmlFiles(site);
  server = await serveDirectory(site);
  browser = await launchChromium();
  mkdirSync(screenshots, { recursive: true });
  const sample = browserSample(files);
  const shot = new Set<string>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      for (let k = next++; k < sample.length; k = next++) {
        const file = sample[k]!;
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        pages.set(file, await inspectPage(page, server.url + file, server.url));
        const kind = kindOf(file);
        if (!shot.has(kind)) {
          shot.add(kind);
          await page.screenshot({ path: join(screenshots, `docs-${kind.replace(/[^\w-]/g, '_')}.png`), fullPage: true });
        }
        await page.close();
      }
    }),
  );
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (site !== undefined) rmSync(site, { recursive: true, force: true });
});

describe('the docs site in chromium', () => {
  it('has the landing page, the guides and the API of every package', () => {
    expect(pages.has('index.html')).toBe(true);
    const documents = [...pages.keys()].filter((f) => f.startsWith('documents/'));
    expect(documents.length).toBeGreaterThanOrEqual(4);
    for (const pkg of ['linalg', 'model', 'optim', 'rmt', 'certificates', 'experiments', 'figures']) {
      expect([...pages.keys()].some((f) => f.includes(`_shallowscape_${pkg}`) || f.includes(`@shallowscape_${pkg}`) || f.includes(`shallowscape_${pkg}`)), pkg).toBe(true);
    }
  });

  it('loads every page without a console error or a failed request', () => {
    const problems = [...pages.values()].flatMap((p) => p.problems.map((x) => `${relative(server.url, p.url)}: ${x}`));
    expect(problems).toEqual([]);
  });

  it('renders every formula with KaTeX: no raw $…$, \\( or \\[ left in the text', () => {
    const raw = [...pages.entries()].flatMap(([file, p]) => p.rawMath.map((t) => `${file}: ${t}`));
    expect(raw).toEqual([]);
    expect(pages.get('documents/The_mathematics.html')!.formulas).toBeGreaterThan(50);
  });

  it('draws every figure at a non-zero size', () => {
    const figures = [...pages.entries()].flatMap(([file, p]) => p.figures.map((f) => ({ file, ...f })));
    expect(figures.length).toBeGreaterThan(0);
    expect(figures.filter((f) => !(f.width > 0 && f.height > 0))).toEqual([]);
  });

  it('resolves every internal link of every page to a file of the site, and every fragment to an element of it', () => {
    const scanned = new Map(files.map((file) => [file, scanHtml(readFileSync(join(site, file), 'utf8'))]));
    const broken: string[] = [];
    for (const [file, { hrefs }] of scanned) {
      for (const href of hrefs) {
        if (/^[a-z]+:/i.test(href)) continue;
        const url = new URL(href, `http://site/${file}`);
        const target = decodeURIComponent(url.pathname).replace(/^\//, '') || 'index.html';
        const path = join(site, target);
        if (!existsSync(path) || statSync(path).isDirectory()) {
          broken.push(`${file}: ${href} (no such file)`);
          continue;
        }
        const fragment = decodeURIComponent(url.hash.replace(/^#/, ''));
        const linked = scanned.get(target);
        if (fragment !== '' && linked !== undefined && !linked.ids.has(fragment)) broken.push(`${file}: ${href} (no element #${fragment})`);
      }
    }
    expect(broken).toEqual([]);
    // The links the browser saw agree: each resolves to a page of the site.
    for (const p of pages.values()) for (const href of p.links) expect(scanned.has(decodeURIComponent(new URL(href).pathname).replace(/^\//, '') || 'index.html'), href).toBe(true);
  });

  it('sends readers nowhere outside the site but to the papers (arXiv, DOI)', () => {
    const outside = files.flatMap((file) =>
      scanHtml(readFileSync(join(site, file), 'utf8'))
        .hrefs.filter((href) => /^[a-z]+:/i.test(href) && !/^https:\/\/(arxiv\.org\/abs\/|doi\.org\/)/.test(href))
        .map((href) => `${file}: ${href}`),
    );
    expect(outside).toEqual([]);
  });
});
