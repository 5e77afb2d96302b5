/**
 * Reports in headless chromium: each kind of report.html (train, certify, spectrum, reproduce,
 * results), made by the built CLI, loads from disk with no console error and no failed request,
 * KaTeX rendered every formula, and every figure has a size. A screenshot of each is written under
 * reports/screenshots/ for people to look at.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPage, launchChromium, type PageReport } from '@shallowscape/test-utils';
import { requireBuiltCli, runBuiltCli } from '../src/testing/built-cli';

const screenshots = fileURLToPath(new URL('../../../reports/screenshots/', import.meta.url));

let dir: string;
let browser: Browser;
const reports = new Map<string, PageReport>();

/** Each report: the command that writes it and where. */
const KINDS: ReadonlyArray<{ kind: string; argv: string[]; file: string }> = [
  { kind: 'train', argv: ['train', '--d', '5', '--m', '6', '--n', '40', '--certify', '--out', 'run', '--report'], file: 'run/report.html' },
  { kind: 'two-layer', argv: ['train', '--model', 'two-layer', '--d', '4', '--m', '30', '--n', '12', '--steps', '200', '--out', 'relu', '--report'], file: 'relu/report.html' },
  { kind: 'certify', argv: ['certify', '--weights', 'run/W.npy', '--data', 'run/X.npy', '--labels', 'run/y.npy', '--teacher', 'run/teacher.npy', '--report'], file: 'report.html' },
  { kind: 'spectrum', argv: ['spectrum', '--m', '800', '--d', '200', '--normalize', 'marchenko-pastur', '--out', 'spectrum', '--report'], file: 'spectrum/report.html' },
  { kind: 'reproduce', argv: ['reproduce', '--only', 'sample-threshold,semicircle-law,population-gradient-flow', '--out', 'claims', '--report'], file: 'claims/report.html' },
  { kind: 'results', argv: ['results', 'tiny.sqlite', '--plot', 'x=n,y=fraction', '--success', 'relativeError < 1e-6', '--out', 'figs/phase.svg', '--report'], file: 'figs/report.html' },
];

beforeAll(async () => {
  requireBuiltCli();
  dir = mkdtempSync(join(tmpdir(), 'shallowscape-report-browser-'));
  writeFileSync(join(dir, 'tiny.yaml'), 'name: tiny\nrun: train\nfixed: { d: 3, m: 4 }\ngrid:\n  n: [3, 5, 6, 8]\nseeds: 2\n');
  mkdirSync(join(dir, 'figs'));
  expect((await runBuiltCli(['sweep', 'tiny.yaml'], { cwd: dir })).code).toBe(0);
  for (const { argv } of KINDS) {
    const run = await runBuiltCli(argv, { cwd: dir });
    expect(run.code, `${argv.join(' ')}: ${run.stderr}`).toBe(0);
  }
  browser = await launchChromium();
  mkdirSync(screenshots, { recursive: true });
  for (const { kind, file } of KINDS) {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const url = pathToFileURL(join(dir, file)).href;
    reports.set(kind, await inspectPage(page, url, url));
    await page.screenshot({ path: join(screenshots, `report-${kind}.png`), fullPage: true });
    await page.close();
  }
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('reports in chromium', () => {
  it.each(KINDS.map((k) => k.kind))('%s: no console error or failed request, formulas rendered, figures drawn', (kind) => {
    const report = reports.get(kind)!;
    expect(report.problems).toEqual([]);
    expect(report.rawMath).toEqual([]);
    expect(report.figures.length).toBeGreaterThan(0);
    expect(report.figures.filter((f) => !(f.width > 100 && f.height > 100))).toEqual([]);
    expect(report.title).toBe(`shallowscape ${kind === 'two-layer' ? 'train' : kind}`);
    if (kind !== 'results' && kind !== 'reproduce') expect(report.formulas).toBeGreaterThan(0);
  });

  it('shows each claim of reproduce with its verdict and figure', () => {
    expect(reports.get('reproduce')!.figures).toHaveLength(3);
    expect(reports.get('train')!.figures).toHaveLength(2);
  });
});
