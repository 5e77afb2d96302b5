import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main, runCli } from '../main';
import { captureIo } from '../testing/captured-io';
import { QUICK_SIGNED_ARBITRARY_LABELS, runSignedArbitraryLabels, signedArbitraryLabels, type Experiment } from '@shallowscape/experiments';
import { createReproduceCommand, selectExperiments, type ReproduceReport } from './reproduce';

const directories: string[] = [];
function temporaryDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shallowscape-reproduce-'));
  directories.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The signed experiment with twice N* samples: a claim that fails (random labels cannot be fitted). */
const brokenSigned: Experiment = {
  name: 'broken-signed',
  claim: 'signed networks fit 2N* random labels',
  run: (config) => runSignedArbitraryLabels({ ...QUICK_SIGNED_ARBITRARY_LABELS, dimensions: [4], runsPerDimension: 2, samplesOffset: 10 }, config),
};

describe('shallowscape reproduce', () => {
  it('runs the quick configuration of all experiments and every claim passes', async () => {
    const io = captureIo();
    const code = await main(['reproduce', '--json'], io);
    expect(io.err()).toBe('');
    const report = JSON.parse(io.out()) as ReproduceReport;
    expect(report.experiments.map((e) => [e.name, e.passed])).toEqual([
      ['sample-threshold', true],
      ['identity-init', true],
      ['identity-recovery', true],
      ['signed-arbitrary-labels', true],
      ['semicircle-law', true],
      ['marchenko-pastur-edges', true],
      ['bad-global-minimum', true],
      ['certified-optimum', true],
      ['two-layer-random-labels', true],
      ['ntk-rate', true],
      ['population-gradient-flow', true],
    ]);
    expect(code).toBe(0);
    expect(report).toMatchObject({ passed: true, seed: 20240, mode: 'quick', interrupted: false, unfinished: [] });
    expect(typeof report.version).toBe('string');
    for (const e of report.experiments) {
      expect(Object.keys(e).sort()).toEqual(['claim', 'columns', 'config', 'criterion', 'details', 'name', 'passed', 'results']);
      expect(e.results.length).toBeGreaterThan(0);
      for (const row of e.results) expect(Object.keys(row).sort()).toEqual([...e.columns].sort());
    }
  }, 60_000);

  it('prints claim, criterion, table and PASS as text, and is deterministic under --seed', async () => {
    const run = async (seed: string) => {
      const io = captureIo();
      const code = await main(['reproduce', '--only', 'signed-arbitrary-labels', '--seed', seed], io);
      return { code, out: io.out(), err: io.err() };
    };
    const first = await run('5');
    expect(first.code).toBe(0);
    expect(first.err).toBe('');
    expect(first.out).toMatch(/^shallowscape reproduce: 1 experiment\(s\), quick mode, seed 5$/m);
    expect(first.out).toContain(`  Claim: ${signedArbitraryLabels.claim}`);
    expect(first.out).toMatch(/^ {2}PASS criterion: every run reaches training risk ≤ 1\.0e-10·mean\(y²\)$/m);
    expect(first.out).toMatch(/^ {2}d {3}k {3}N {2}N\* {2}runs {2}fitted {2}median risk {2}max risk {2}max steps$/m);
    expect(first.out).toMatch(/^ {2}4 {3}8 {3}9 {2}10 {4}10 {6}10 /m);
    expect(first.out).toMatch(/^ {2}PASS {2}signed-arbitrary-labels \(\d+\.\d s\)$/m);
    expect(first.out.trimEnd().split('\n').at(-1)).toBe('All 1 experiment(s) passed.');
    const strip = (text: string) => text.replace(/\(\d+\.\d s\)/g, '');
    expect(strip((await run('5')).out)).toBe(strip(first.out));
    expect(strip((await run('6')).out)).not.toBe(strip(first.out));
  });

  it('gives the same numbers for an experiment under --only as in a run of several', async () => {
    const json = async (argv: string[]) => {
      const io = captureIo();
      await main(['reproduce', '--json', ...argv], io);
      return JSON.parse(io.out()) as ReproduceReport;
    };
    const both = await json(['--only', 'identity-recovery,signed-arbitrary-labels']);
    const one = await json(['--only', 'signed-arbitrary-labels']);
    expect(both.experiments.map((e) => e.name)).toEqual(['identity-recovery', 'signed-arbitrary-labels']);
    expect(one.experiments[0]).toEqual(both.experiments[1]);
  });

  it('exits 1 when an experiment fails, printing FAIL and the reason', async () => {
    const io = captureIo();
    const code = await runCli(['reproduce'], io, [createReproduceCommand([brokenSigned])]);
    expect(code).toBe(1);
    expect(io.err()).toBe('');
    expect(io.out()).toMatch(/^ {2}FAIL {2}broken-signed/m);
    expect(io.out()).toMatch(/^ {2}- d=4, start 1: training risk .*·mean\(y²\)/m);
    expect(io.out().trimEnd().split('\n').at(-1)).toBe('1 of 1 experiment(s) FAILED: broken-signed.');
    const json = captureIo();
    expect(await runCli(['reproduce', '--json'], json, [createReproduceCommand([brokenSigned, signedArbitraryLabels])])).toBe(1);
    const report = JSON.parse(json.out()) as ReproduceReport;
    expect(report.passed).toBe(false);
    expect(report.experiments.map((e) => e.passed)).toEqual([false, true]);
  });

  it('rejects an unknown --only name with exit 2, naming it', async () => {
    const io = captureIo();
    expect(await main(['reproduce', '--only', 'sample-treshold'], io)).toBe(2);
    expect(io.out()).toBe('');
    expect(io.err()).toBe(
      "shallowscape: error: unknown experiment \"sample-treshold\" for --only (did you mean 'sample-threshold'?); " +
        'expected one of: sample-threshold, identity-init, identity-recovery, signed-arbitrary-labels, ' +
        'semicircle-law, marchenko-pastur-edges, bad-global-minimum, certified-optimum, two-layer-random-labels, ntk-rate, population-gradient-flow\n',
    );
    const other = captureIo();
    expect(await main(['reproduce', '--only', 'identity-init,nonsense'], other)).toBe(2);
    expect(other.err()).toMatch(/^shallowscape: error: unknown experiment "nonsense" for --only/);
  });

  it('rejects --quick with --full, and an empty --only, with exit 2', async () => {
    const io = captureIo();
    expect(await main(['reproduce', '--quick', '--full'], io)).toBe(2);
    expect(io.err()).toMatch(/--quick and --full exclude each other/);
    expect(() => selectExperiments(',', ['a'])).toThrow(/invalid value for --only: ","/);
    expect(selectExperiments('b, a', ['a', 'b', 'c'])).toEqual(['a', 'b']);
  });

  it('writes results.json with configuration, seed, versions and results under --out', async () => {
    const dir = join(temporaryDirectory(), 'nested', 'out');
    const io = captureIo();
    expect(await main(['reproduce', '--only', 'signed-arbitrary-labels', '--out', dir, '--seed', '8', '--json'], io)).toBe(0);
    expect(readdirSync(dir)).toEqual(['results.json']);
    const file = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ReproduceReport & {
      configuration: Record<string, unknown>;
      versions: { cli: string; packages: unknown[] };
      elapsedSeconds: Record<string, number>;
    };
    const printed = JSON.parse(io.out()) as ReproduceReport;
    expect(file.configuration).toEqual({ experiments: ['signed-arbitrary-labels'], mode: 'quick', only: 'signed-arbitrary-labels', seed: 8 });
    expect(file.seed).toBe(8);
    expect(file.versions.cli).toBe(printed.version);
    expect(file.experiments).toEqual(printed.experiments);
    expect(file.elapsedSeconds['signed-arbitrary-labels']).toBeGreaterThan(0);
  });

  it('reports an --out path that is a file with exit 2 before running anything', async () => {
    const file = join(temporaryDirectory(), 'occupied');
    writeFileSync(file, 'x');
    const io = captureIo();
    expect(await main(['reproduce', '--out', file], io)).toBe(2);
    expect(io.out()).toBe('');
    expect(io.err()).toBe(`shallowscape: error: --out ${JSON.stringify(file)}: it is a file, not a directory\n`);
  });

  it('on Ctrl-C stops, still writes what finished and exits 130', async () => {
    const dir = temporaryDirectory();
    const controller = new AbortController();
    const io = captureIo({}, controller.signal);
    const stdout = io.stdout;
    // Press Ctrl-C as soon as the first experiment's result is printed.
    const pressing = { ...io, stdout: { write: (chunk: string) => (chunk.includes('PASS  identity-recovery') && controller.abort(), stdout.write(chunk)) } };
    const code = await main(['reproduce', '--only', 'identity-recovery,signed-arbitrary-labels', '--out', dir], pressing);
    expect(code).toBe(130);
    expect(io.err()).toBe('shallowscape: interrupted\n');
    expect(io.out()).toMatch(/^Interrupted: 1 of 2 experiment\(s\) finished; not finished: signed-arbitrary-labels\.$/m);
    const file = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ReproduceReport;
    expect(file.experiments.map((e) => e.name)).toEqual(['identity-recovery']);
    expect(file).toMatchObject({ interrupted: true, passed: false, unfinished: ['signed-arbitrary-labels'] });
    expect(readdirSync(dir)).toEqual(['results.json']);
  });

  it('shows progress on stderr only for a terminal and never with --json', async () => {
    const tty = captureIo();
    const stderr = Object.assign(tty.stderr, { isTTY: true });
    await main(['reproduce', '--only', 'signed-arbitrary-labels'], { ...tty, stderr });
    expect(tty.err()).toMatch(/signed-arbitrary-labels: d=4 k=8 N=9 start 1\/10/);
    expect(tty.err().endsWith('\r\x1b[K')).toBe(true);
    const json = captureIo();
    await main(['reproduce', '--only', 'signed-arbitrary-labels', '--json'], { ...json, stderr: Object.assign(json.stderr, { isTTY: true }) });
    expect(json.err()).toBe('');
  });
});
