#!/usr/bin/env node
// Regenerates the screenshot of the `pnpm start` report shown in the README:
// apps/docs/guides/figures/reproduce-report.png.
//
//   pnpm build && node tooling/screenshots/readme-report.mjs
//
// Runs the built CLI (`reproduce --quick --report`, seed 0, into a temporary directory), opens the
// report in Debian's headless chromium (playwright-core, /usr/bin/chromium) and captures the top of
// the page at 1200 px wide.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../../', import.meta.url));
const target = join(root, 'apps', 'docs', 'guides', 'figures', 'reproduce-report.png');
const dir = mkdtempSync(join(tmpdir(), 'shallowscape-readme-'));
try {
  execFileSync(process.execPath, [join(root, 'apps', 'cli', 'dist', 'index.js'), 'reproduce', '--quick', '--out', 'reproduce', '--report'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const browser = await chromium.launch({
    executablePath: process.env.SHALLOWSCAPE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1200, height: 1500 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(join(dir, 'reproduce', 'report.html')).href, { waitUntil: 'load' });
  await page.screenshot({ path: target, clip: { x: 0, y: 0, width: 1200, height: 1500 } });
  await browser.close();
  process.stdout.write(`wrote ${target}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
