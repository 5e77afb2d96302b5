/**
 * `shallowscape sweep` and `shallowscape results` on the built CLI, as real child processes with a
 * real SQLite store: a cell is the single command bit for bit, the worker count does not change
 * the results, a sweep killed with SIGKILL resumes to the table of an uninterrupted one, SIGTERM
 * records the runs in flight as interrupted, a failed run is recorded and the sweep goes on.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requireBuiltCli, runBuiltCli, startBuiltCli } from '../src/testing/built-cli';

let dir: string;
beforeAll(() => {
  requireBuiltCli();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shallowscape-sweep-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

interface StoredRun {
  cell_key: string;
  coordinates: string;
  seed: number;
  status: string;
  metrics: string | null;
  error: string | null;
  attempts: number;
}

function storedRuns(store: string): StoredRun[] {
  const db = new Database(store, { readonly: true });
  try {
    return db.prepare('SELECT cell_key, coordinates, seed, status, metrics, error, attempts FROM runs ORDER BY point, repetition').all() as StoredRun[];
  } finally {
    db.close();
  }
}

const SMALL = `name: small
run: train
fixed: { d: 4, m: 5 }
grid:
  n: [6, 12]
seeds: 2
`;

describe('sweep', () => {
  it('runs each cell exactly as the single command: metrics bit for bit', async () => {
    const file = write('small.yaml', SMALL);
    const store = join(dir, 'small.sqlite');
    const run = await runBuiltCli(['sweep', file, '--store', store, '--workers', '2', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { cells: number; finished: number; failed: number };
    expect(summary).toMatchObject({ cells: 4, finished: 4, failed: 0 });
    const runs = storedRuns(store);
    expect(runs).toHaveLength(4);
    for (const r of runs) {
      expect(r.status).toBe('done');
      const n = (JSON.parse(r.coordinates) as { n: number }).n;
      const single = await runBuiltCli(['train', '--d', '4', '--m', '5', '--n', String(n), '--seed', String(r.seed), '--json']);
      expect(single.code).toBe(0);
      const output = JSON.parse(single.stdout) as { final: Record<string, number>; converged: boolean; stopReason: string };
      const metrics = JSON.parse(r.metrics!) as Record<string, unknown>;
      expect(metrics).toEqual({ ...output.final, converged: output.converged, stopReason: output.stopReason });
    }
    // Different seeds for the repetitions and the points.
    expect(new Set(runs.map((r) => r.seed)).size).toBe(4);
  });

  it('gives the same table with 1 and 2 workers', async () => {
    const file = write('small.yaml', SMALL);
    const a = await runBuiltCli(['sweep', file, '--store', join(dir, 'a.sqlite'), '--workers', '1']);
    const b = await runBuiltCli(['sweep', file, '--store', join(dir, 'b.sqlite'), '--workers', '2']);
    expect([a.code, b.code]).toEqual([0, 0]);
    const strip = (rs: StoredRun[]): unknown => rs.map(({ cell_key, seed, status, metrics }) => ({ cell_key, seed, status, metrics }));
    expect(strip(storedRuns(join(dir, 'a.sqlite')))).toEqual(strip(storedRuns(join(dir, 'b.sqlite'))));
  });

  it('resumes after SIGKILL to the table of an uninterrupted sweep, without duplicate rows', async () => {
    // 16 runs of about 0.3 s each, on one worker.
    const text = `name: kill
run: train
fixed: { d: 30, optimizer: gd, steps: 500, lr: 1e-5 }
grid:
  n: { range: [600, 670, 10] }
seeds: 2
`;
    const file = write('kill.yaml', text);
    const killed = join(dir, 'killed.sqlite');
    const run = startBuiltCli(['sweep', file, '--store', killed, '--workers', '1'], { timeoutMs: 120_000 });
    // Wait until a few runs are committed, then kill -9.
    const deadline = Date.now() + 60_000;
    let doneBefore = 0;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      try {
        doneBefore = storedRuns(killed).length;
      } catch {
        doneBefore = 0;
      }
      if (doneBefore >= 3) break;
    }
    expect(doneBefore).toBeGreaterThanOrEqual(3);
    run.child.kill('SIGKILL');
    const result = await run.finished;
    expect(result.signal).toBe('SIGKILL');
    const partial = storedRuns(killed);
    expect(partial.length).toBeLessThan(16);
    expect(partial.every((r) => r.status === 'done')).toBe(true);

    const resumed = await runBuiltCli(['sweep', file, '--store', killed, '--workers', '2', '--json']);
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout) as { skipped: number; finished: number };
    expect(summary.skipped).toBe(partial.length);
    expect(summary.finished).toBe(16 - partial.length);

    const whole = join(dir, 'whole.sqlite');
    expect((await runBuiltCli(['sweep', file, '--store', whole, '--workers', '2'])).code).toBe(0);
    const strip = (rs: StoredRun[]): unknown => rs.map(({ cell_key, seed, status, metrics }) => ({ cell_key, seed, status, metrics }));
    const after = storedRuns(killed);
    expect(after).toHaveLength(16);
    expect(new Set(after.map((r) => r.cell_key)).size).toBe(16);
    expect(strip(after)).toEqual(strip(storedRuns(whole)));
    // The same file against the same store again: nothing to do.
    const again = await runBuiltCli(['sweep', file, '--store', killed, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ skipped: 16, finished: 0 });
  }, 240_000);

  it('SIGTERM stops handing out cells, records the runs in flight as interrupted, exits 143; a changed file cannot --resume', async () => {
    const text = `name: term
run: train
fixed: { d: 30, n: 1000, optimizer: gd, lr: 1e-7, steps: 1000000 }
grid:
  m: [30, 31, 32, 33]
`;
    const file = write('term.yaml', text);
    const store = join(dir, 'term.sqlite');
    const run = startBuiltCli(['sweep', file, '--store', store, '--workers', '2'], { timeoutMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    run.child.kill('SIGTERM');
    const result = await run.finished;
    expect(result.code).toBe(143);
    expect(result.stderr).toMatch(/stopped after 2 runs \(2 interrupted, 2 not started\)/);
    expect(result.stderr.trim().split('\n').at(-1)).toBe('shallowscape: terminated');
    const runs = storedRuns(store);
    expect(runs.map((r) => r.status)).toEqual(['interrupted', 'interrupted']);
    const db = new Database(store, { readonly: true });
    expect(db.prepare('SELECT status FROM sweeps').pluck().all()).toEqual(['interrupted']);
    db.close();
    // A changed file is not this sweep: --resume refuses.
    const changed = write('term2.yaml', text.replace('m: [30, 31, 32, 33]', 'm: [30, 31]'));
    const refused = await runBuiltCli(['sweep', changed, '--store', store, '--resume']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^shallowscape: error: --resume: .*other content/);
  }, 90_000);

  it('records a failed run with its error, goes on, and exits 1', async () => {
    const text = `name: failing
run: train
fixed: { d: 4, n: 20, optimizer: gd, steps: 50 }
grid:
  lr: [1e-3, 1e6]
`;
    const file = write('failing.yaml', text);
    const store = join(dir, 'failing.sqlite');
    const run = await runBuiltCli(['sweep', file, '--store', store]);
    expect(run.code).toBe(1);
    const runs = storedRuns(store);
    expect(runs.map((r) => r.status)).toEqual(['done', 'failed']);
    expect(runs[1]!.error).toMatch(/diverge|NaN|Inf|overflow/i);
    const table = await runBuiltCli(['results', store, '--format', 'csv']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]!.split(',').slice(0, 4)).toEqual(['lr', 'repetition', 'seed', 'status']);
  }, 60_000);
});

describe('results', () => {
  it('reads a store as csv, json, parquet, an aggregate and an SVG plot', async () => {
    const file = write('small.yaml', SMALL);
    const store = join(dir, 'small.sqlite');
    expect((await runBuiltCli(['sweep', file, '--store', store])).code).toBe(0);
    const json = await runBuiltCli(['results', store, '--format', 'json']);
    const rows = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(4);
    expect(Object.keys(rows[0]!).slice(0, 4)).toEqual(['n', 'repetition', 'seed', 'status']);
    expect(rows[0]).toHaveProperty('relativeError');

    const agg = await runBuiltCli(['results', store, '--aggregate', '--success', 'relativeError < 1e-6', '--format', 'json']);
    expect(agg.code).toBe(0);
    const points = JSON.parse(agg.stdout) as Array<Record<string, unknown>>;
    expect(points.map((p) => p.n)).toEqual([6, 12]);
    expect(points.map((p) => p.count)).toEqual([2, 2]);
    for (const p of points) {
      const mine = rows.filter((r) => r.n === p.n);
      const wins = mine.filter((r) => (r.relativeError as number) < 1e-6).length;
      expect(p.fraction).toBe(wins / 2);
      expect(p['relativeError.mean']).toBeCloseTo(((mine[0]!.relativeError as number) + (mine[1]!.relativeError as number)) / 2, 14);
    }
    // N = 12 ≥ N* = 10 recovers the teacher; N = 6 cannot.
    expect(points[1]!.fraction).toBe(1);
    expect(points[0]!.fraction).toBe(0);

    const parquet = join(dir, 'runs.parquet');
    expect((await runBuiltCli(['results', store, '--out', parquet])).code).toBe(0);
    const { parquetToTable } = await import('../src/results/parquet');
    const back = parquetToTable(new Uint8Array(readFileSync(parquet)));
    expect(back.rows).toHaveLength(4);
    const j = back.columns.findIndex((c) => c.name === 'relativeError');
    expect(back.rows.map((r) => r[j])).toEqual(rows.map((r) => r.relativeError));

    const svg = join(dir, 'plot.svg');
    const plot = await runBuiltCli(['results', store, '--success', 'relativeError < 1e-6', '--plot', 'x=n,y=fraction', '--theory', '10', '--theory-label', 'N*', '--out', svg]);
    expect(plot.code).toBe(0);
    const text = readFileSync(svg, 'utf8');
    expect(text).toMatch(/^<\?xml[^\n]*\n<svg /);
    expect(text).toContain('N*');
  }, 60_000);
});

describe('sweep: bad input (exit 2, one line, the store untouched)', () => {
  const BASE = 'name: bad\nrun: train\n';
  it.each([
    ['malformed YAML', `${BASE}grid: { n: [1, 2\n`, /^bad\.yaml:4:1: not valid YAML or JSON/],
    ['unknown key', `${BASE}gird: { n: [1] }\n`, /^bad\.yaml:3:1: gird: unknown key \(did you mean 'grid'\?\)/],
    ['unknown run', 'name: bad\nrun: trian\ngrid: { n: [1] }\n', /^bad\.yaml:2:1: run: "trian" is not a command a sweep can run \(did you mean 'train'\?\)/],
    ['a flag the run does not take', `${BASE}grid:\n  foo: [1, 2]\n`, /^bad\.yaml:4:3: grid\.foo: train has no flag --foo/],
    ['a value the command rejects', `${BASE}grid:\n  n: [10, 0, 20]\n`, /^bad\.yaml:4:11: grid\.n\[1\]: invalid value for --n: "0" \(expected a positive integer\)/],
    ['a meaningless combination', `${BASE}fixed: { d: 5, init: identity }\ngrid:\n  m: [6, 3]\n`, /^bad\.yaml:3:16: fixed\.init at \(m=3\): --init identity needs m ≥ d/],
    ['an empty grid', `${BASE}grid: {}\n`, /^bad\.yaml:3:1: grid: the grid is empty/],
    ['an empty list', `${BASE}grid:\n  n: []\n`, /^bad\.yaml:4:3: grid\.n: the list is empty/],
    ['an expression that does not parse', `${BASE}fixed: { d: 5 }\ngrid:\n  ratio: [1]\n  n: "ratio * d*(d+1/2"\n`, /^bad\.yaml:6:3: grid\.n: cannot read the expression .*expected '\)', found the end at column 17/],
    ['a non-integer size', `${BASE}fixed: { d: 5 }\ngrid:\n  ratio: [0.5, 1]\n  n: "ratio * d*(d+1)/2"\n`, /^bad\.yaml:6:3: grid\.n: "ratio \* d\*\(d\+1\)\/2" = 7\.5 at ratio=0\.5 is not an integer/],
    ['an unknown name in an expression', `${BASE}fixed: { d: 5 }\ngrid:\n  ratio: [1]\n  n: "ratio * dd"\n`, /grid\.n: "ratio \* dd" at ratio=1: unknown name 'dd' \(did you mean 'd'\?\)/],
    ['an unused parameter', `${BASE}grid:\n  ratio: [1]\n  n: "ratoi * 10"\n`, /^bad\.yaml:4:3: grid\.ratio: train has no flag --ratio, and no expression uses ratio as a parameter/],
    ['a cycle of expressions', `${BASE}grid:\n  n: "m*2"\n  m: "n+1"\n`, /grid\.n: the expressions refer to each other in a cycle: n → m → n/],
    ['a flag that writes files', `${BASE}fixed: { out: runs }\n`, /^bad\.yaml:3:10: fixed\.out: cannot be set in a sweep/],
    ['a swept seed', `${BASE}grid:\n  seed: [1, 2]\n`, /grid\.seed: cannot be swept: seeds are derived/],
    ['a run too large for memory', `${BASE}grid:\n  d: [100000]\n`, /grid point \(d=100000\): --d 100000 .*the run needs about .* of memory/],
  ])('%s', async (_, text, pattern) => {
    write('bad.yaml', text);
    const run = await runBuiltCli(['sweep', 'bad.yaml', '--store', 'bad.sqlite'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.replace(/^shallowscape: error: /, '')).toMatch(pattern);
    expect(readdirSync(dir).sort()).toEqual(['bad.yaml']);
  });

  it.each([
    ['a file that is not SQLite', (p: string) => writeFileSync(p, 'hello, world\n'), /is not an SQLite database \(a sweep store is one\); name a new file or an existing store/],
    [
      "another tool's SQLite database",
      (p: string) => {
        const db = new Database(p);
        db.exec('CREATE TABLE t (x)');
        db.close();
      },
      /is an SQLite database of another tool \(tables t\), not a sweep store/,
    ],
  ])('%s as the store: refused, the file unchanged', async (_, make, pattern) => {
    const file = write('small.yaml', SMALL);
    const store = join(dir, 'other.sqlite');
    make(store);
    const before = readFileSync(store);
    const run = await runBuiltCli(['sweep', file, '--store', store]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^shallowscape: error: --store ".*other\\.sqlite" ${pattern.source}\\n$`));
    expect(readFileSync(store).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['other.sqlite', 'small.yaml']);
  });

  it.each([
    ['a directory that does not exist', 'missing/x.sqlite', /cannot create the store in ".*missing": no such file or directory/],
    ['a path under a file', 'small.yaml/x.sqlite', /".*small\.yaml" is not a directory/],
    ['a directory', '.', /is a directory; name the store's file/],
  ])('an unwritable store path: %s', async (_, store, pattern) => {
    write('small.yaml', SMALL);
    const run = await runBuiltCli(['sweep', 'small.yaml', '--store', store], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(run.stderr).toMatch(pattern);
    expect(readdirSync(dir).sort()).toEqual(['small.yaml']);
  });

  it('a second sweep on a store in use refuses; the first goes on undisturbed', async () => {
    const text = `name: busy\nrun: train\nfixed: { d: 30, n: 600, optimizer: gd, lr: 1e-5, steps: 5000 }\ngrid:\n  m: { range: [30, 37, 1] }\n`;
    const file = write('busy.yaml', text);
    const store = join(dir, 'busy.sqlite');
    const first = startBuiltCli(['sweep', file, '--store', store, '--workers', '1'], { timeoutMs: 60_000 });
    // Wait for the first sweep's lock (not for a fixed time: a loaded machine starts it later).
    const deadline = Date.now() + 30_000;
    while (!existsSync(`${store}.lock`) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(existsSync(`${store}.lock`)).toBe(true);
    const second = await runBuiltCli(['sweep', file, '--store', store]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/^shallowscape: error: --store ".*busy\.sqlite" is being written by another sweep \(process \d+, since .*\); wait for it to finish, or use another --store\n$/);
    const done = await first.finished;
    expect(done.code).toBe(0);
    expect(storedRuns(store)).toHaveLength(8);
    expect(readdirSync(dir).filter((f) => f.endsWith('.lock'))).toEqual([]);
  }, 60_000);
});
