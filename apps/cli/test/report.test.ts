/**
 * `--report` on train, certify, spectrum, reproduce and results, on the built CLI as child
 * processes: where report.html goes (into --out and recorded in its files, else the current
 * directory, for results beside --out), what it holds (the numbers the command prints, the
 * figures, KaTeX, nothing external), that the same run writes the same bytes, and that a report
 * that cannot be written is refused before anything runs.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requireBuiltCli, runBuiltCli } from '../src/testing/built-cli';

let dir: string;
beforeAll(() => {
  requireBuiltCli();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shallowscape-report-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Checks what every report must be: one page, no script, nothing external, math rendered, figures inline. */
function expectSelfContained(html: string, figures: number): void {
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(html).not.toMatch(/<script|<link|<img|<iframe/);
  expect(html).not.toMatch(/url\((?!data:)/);
  expect(html.replace(/xmlns(:\w+)?="[^"]*"/g, '')).not.toMatch(/(src|href)=/);
  expect(html.match(/<figure><svg /g) ?? []).toHaveLength(figures);
  const visible = html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<pre[\s\S]*?<\/pre>/g, '')
    .replace(/<annotation[^>]*>[\s\S]*?<\/annotation>/g, '')
    .replace(/<[^>]*>/g, '');
  expect(visible).not.toMatch(/\$[^$\s][^$]*\$|\\\(|\\\[/);
}

describe('train --report', () => {
  it('writes report.html into --out, recorded in run.json, with the printed numbers, the curves and the certificate', async () => {
    const out = join(dir, 'run');
    const argv = ['train', '--d', '4', '--m', '5', '--n', '30', '--certify', '--out', out, '--report'];
    const run = await runBuiltCli(argv);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`wrote: `);
    expect(run.stdout).toContain(join(out, 'report.html'));
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { files: Record<string, string>; final: { empiricalRisk: number } };
    expect(record.files.report).toBe('report.html');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expectSelfContained(html, 2);
    const printedRisk = /empirical risk\s+(\S+)/.exec(run.stdout)![1]!;
    expect(html).toContain(`<td>empirical risk</td><td>${printedRisk}</td>`);
    expect(html).toContain('Risk and gradient norm');
    expect(html).toContain('Relative error');
    expect(html).toContain('Certificate of the final weights');
    expect(html).toContain('certified globally optimal');
    expect(html).toContain(`<pre class="command">shallowscape ${argv.slice(0, -3).join(' ')} --out ${out} --report</pre>`);
    expect(html).toContain('class="katex"');

    // The same run writes the same bytes.
    const again = await runBuiltCli(argv);
    expect(again.code).toBe(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe(html);
  });

  it('without --out writes report.html into the current directory; a two-layer run shows the movement of each layer', async () => {
    const run = await runBuiltCli(['train', '--model', 'two-layer', '--d', '3', '--m', '20', '--n', '10', '--steps', '50', '--report'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual(['report.html']);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expectSelfContained(html, 1);
    expect(html).toContain('Relative movement of each layer');
    expect(html).toContain('<td>hidden movement</td>');
  });

  it('refuses, before training, a report that cannot be written: one line, exit 2, nothing written', async () => {
    mkdirSync(join(dir, 'report.html'));
    const run = await runBuiltCli(['train', '--d', '4', '--m', '5', '--n', '30', '--report'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('shallowscape: error: cannot write "report.html": is a directory (EISDIR)\n');
    expect(run.stdout).toBe('');
    expect(readdirSync(dir)).toEqual(['report.html']);
  });
});

describe('certify, spectrum, reproduce and results --report', () => {
  it('certify: the certificates, their figure and the input files', async () => {
    const out = join(dir, 'run');
    expect((await runBuiltCli(['train', '--d', '4', '--m', '5', '--n', '30', '--out', out])).code).toBe(0);
    const run = await runBuiltCli(['certify', '--weights', 'run/W.npy', '--data', 'run/X.npy', '--labels', 'run/y.npy', '--teacher', 'run/teacher.npy', '--report'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.endsWith('wrote: report.html\n')).toBe(true);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expectSelfContained(html, 1);
    expect(html).toContain('certified globally optimal; the sample condition holds; below the energy barrier.');
    expect(html).toContain('<td>--teacher</td><td>run/teacher.npy</td>');
    expect(html).toContain('Energy barrier');
  });

  it('spectrum: the distances and the histogram against the law, into --out', async () => {
    const out = join(dir, 'spectrum');
    const run = await runBuiltCli(['spectrum', '--m', '400', '--d', '100', '--out', out, '--report', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { ksSemicircle: number };
    expect(readdirSync(out).sort()).toEqual(['report.html', 'spectrum.json', 'spectrum.svg']);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expectSelfContained(html, 1);
    expect(html).toContain(`KS distance to the semicircle ${Number(result.ksSemicircle.toPrecision(4))}`);
    expect(html).toContain('Marchenko–Pastur law (γ = 0.25)');
    // The figure in the report is the spectrum.svg written beside it.
    expect(html).toContain(readFileSync(join(out, 'spectrum.svg'), 'utf8').replace(/^<\?xml[^>]*>\s*/, ''));
  });

  it('reproduce: each claim with PASS/FAIL, its criterion, numbers and figure; results.json lists the report', async () => {
    const out = join(dir, 'claims');
    const run = await runBuiltCli(['reproduce', '--only', 'semicircle-law,marchenko-pastur-edges', '--out', out, '--report']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Report written to ${join(out, 'report.html')}.`);
    const record = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { files: Record<string, string> };
    expect(record.files).toEqual({ report: 'report.html' });
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expectSelfContained(html, 2);
    expect(html).toContain('2 of 2 claims PASS; quick mode, seed');
    expect(html.match(/<span class="verdict PASS">PASS<\/span>/g)).toHaveLength(2);
    expect(html).toContain('PASS criterion: median KS over the spectra');
    expect(html).toContain('bound at the largest m/d: 0.05');
    // No timing in the page: the same run writes the same bytes.
    const again = await runBuiltCli(['reproduce', '--only', 'semicircle-law,marchenko-pastur-edges', '--out', out, '--report']);
    expect(again.code).toBe(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe(html);
  });

  it('results: the sweep, the phase diagram and the table, beside --out', async () => {
    writeFileSync(join(dir, 'tiny.yaml'), 'name: tiny\nrun: train\nfixed: { d: 3, m: 4 }\ngrid:\n  n: [3, 8]\nseeds: 2\n');
    expect((await runBuiltCli(['sweep', 'tiny.yaml', '--workers', '1'], { cwd: dir })).code).toBe(0);
    mkdirSync(join(dir, 'figs'));
    const run = await runBuiltCli(['results', 'tiny.sqlite', '--plot', 'x=n,y=relativeError', '--out', 'figs/phase.svg', '--report'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('wrote: figs/report.html\n');
    const html = readFileSync(join(dir, 'figs', 'report.html'), 'utf8');
    expectSelfContained(html, 1);
    expect(html).toContain(readFileSync(join(dir, 'figs', 'phase.svg'), 'utf8').replace(/^<\?xml[^>]*>\s*/, ''));
    expect(html).toContain('Sweep tiny: 2 grid points, complete.');
    expect(html).toContain('<td>name</td><td>tiny</td>');
    // The sweep file, in the canonical form whose hash the store keeps.
    expect(html).toMatch(/<pre>\{[^<]*&quot;name&quot;: ?&quot;tiny&quot;/);
  });
});
