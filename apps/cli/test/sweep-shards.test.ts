/**
 * `sweep --shard K/N` and `results merge` on the built CLI with real SQLite stores: the shards
 * partition the cells (K modulo N, balanced), their union merged is the unsharded sweep run for
 * run and bit for bit, a merge is idempotent, a done run wins over a failed one whatever the input
 * order, missing shards are reported, and stores of another sweep are refused before anything is
 * written.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requireBuiltCli, runBuiltCli } from '../src/testing/built-cli';

let dir: string;
beforeAll(() => {
  requireBuiltCli();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shallowscape-shards-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** 3 points × 2 seeds = 6 cells of a small training run. */
const SWEEP = `name: shards
run: train
fixed: { d: 4, m: 5 }
grid:
  n: [6, 9, 12]
seeds: 2
`;

interface Row {
  cell_key: string;
  point: number;
  repetition: number;
  coordinates: string;
  seed: number;
  argv: string;
  status: string;
  metrics: string | null;
  history: string | null;
  output: string | null;
  error: string | null;
  started_at: string;
  elapsed_ms: number;
  attempts: number;
}

function rows(store: string): Row[] {
  const db = new Database(store, { readonly: true });
  try {
    return db.prepare('SELECT cell_key, point, repetition, coordinates, seed, argv, status, metrics, history, output, error, started_at, elapsed_ms, attempts FROM runs ORDER BY point, repetition').all() as Row[];
  } finally {
    db.close();
  }
}

/** What a run computed: everything but its timing (the history's `elapsedMs` included). */
function results(store: string): unknown[] {
  return rows(store).map(({ cell_key, coordinates, seed, argv, status, metrics, history, output, error }) => {
    const { elapsedMs: _elapsed, ...computed } = JSON.parse(history ?? '{}') as Record<string, unknown>;
    return { cell_key, coordinates, seed, argv, status, metrics, history: computed, output, error };
  });
}

async function runShards(file: string, count: number, names = (k: number) => join(dir, `shard-${k}.sqlite`)): Promise<string[]> {
  const stores: string[] = [];
  for (let k = 0; k < count; k++) {
    const run = await runBuiltCli(['sweep', file, '--shard', `${k}/${count}`, '--store', names(k), '--workers', '1', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    stores.push(names(k));
  }
  return stores;
}

describe('sweep --shard K/N', () => {
  it('runs the cells with index ≡ K (mod N): balanced, disjoint, covering; merged, they are the unsharded sweep bit for bit', async () => {
    const file = join(dir, 'shards.yaml');
    writeFileSync(file, SWEEP);
    const whole = join(dir, 'whole.sqlite');
    expect((await runBuiltCli(['sweep', file, '--store', whole, '--workers', '2'])).code).toBe(0);

    const stores = await runShards(file, 4);
    // Cell i = point·seeds + repetition goes to shard i mod 4: sizes 2, 2, 1, 1.
    const indices = stores.map((s) => rows(s).map((r) => r.point * 2 + r.repetition));
    expect(indices).toEqual([[0, 4], [1, 5], [2], [3]]);

    const merged = join(dir, 'merged.sqlite');
    const merge = await runBuiltCli(['results', 'merge', merged, ...stores, '--json']);
    expect(merge.stderr).toBe('');
    expect(merge.code).toBe(0);
    const summary = JSON.parse(merge.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ cells: 6, done: 6, failed: 0, interrupted: 0, notRun: 0, added: 6, replaced: 0, kept: 0, status: 'complete' });
    expect(summary.shards).toEqual([{ count: 4, complete: [0, 1, 2, 3], incomplete: [], missing: [] }]);
    expect(results(merged)).toEqual(results(whole));

    // The merged store reads like the unsharded one.
    const table = await runBuiltCli(['results', merged, '--format', 'csv']);
    const wholeTable = await runBuiltCli(['results', whole, '--format', 'csv']);
    const drop = (csv: string): string => csv.replace(/,[^,\n]*,[^,\n]*$/gm, ''); // startedAt, elapsedMs
    expect(table.code).toBe(0);
    expect(drop(table.stdout).split('\n')[0]).toBe(drop(wholeTable.stdout).split('\n')[0]);

    // The sweep row: the same file hash and cell count as the unsharded sweep.
    const sweepOf = (store: string): unknown => {
      const db = new Database(store, { readonly: true });
      try {
        return db.prepare('SELECT name, hash, cells, seeds, base_seed, status FROM sweeps').get();
      } finally {
        db.close();
      }
    };
    expect(sweepOf(merged)).toEqual(sweepOf(whole));
  });

  it('--dry-run lists only the shard\'s cells; a bad K/N is exit 2, one line, nothing written', async () => {
    const file = join(dir, 'shards.yaml');
    writeFileSync(file, SWEEP);
    const dry = await runBuiltCli(['sweep', file, '--shard', '1/4', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.stdout) as { cells: number; shard: string; argv: string[][] };
    expect(plan.cells).toBe(2);
    expect(plan.shard).toBe('1/4');
    for (const bad of ['4/4', '1/0', '-1/3', '1of3', '1/', '1/100001']) {
      const run = await runBuiltCli(['sweep', file, `--shard=${bad}`, '--store', join(dir, 'bad.sqlite')]);
      expect(run.code, bad).toBe(2);
      expect(run.stderr.trim().split('\n'), bad).toHaveLength(1);
      expect(run.stderr, bad).toContain(`--shard: "${bad}"`);
      expect(existsSync(join(dir, 'bad.sqlite'))).toBe(false);
    }
  });
});

describe('results merge', () => {
  it('is idempotent; reports missing shards; a done run wins over a failed one in either order', async () => {
    const file = join(dir, 'shards.yaml');
    writeFileSync(file, SWEEP);
    const stores = await runShards(file, 3);
    const merged = join(dir, 'merged.sqlite');

    // Shard 2 missing.
    const partial = await runBuiltCli(['results', 'merge', merged, stores[0]!, stores[1]!, '--json']);
    expect(partial.code).toBe(0);
    const first = JSON.parse(partial.stdout) as Record<string, unknown>;
    expect(first).toMatchObject({ done: 4, notRun: 2, status: 'interrupted' });
    expect(first.shards).toEqual([{ count: 3, complete: [0, 1], incomplete: [], missing: [2] }]);
    const text = await runBuiltCli(['results', 'merge', merged, stores[0]!, stores[1]!]);
    expect(text.stdout).toMatch(/missing {3}shard 2 of 3 \(no run in any input\)/);
    const before = rows(merged);
    // Again: nothing changes, byte for byte.
    const again = await runBuiltCli(['results', 'merge', merged, stores[0]!, stores[1]!, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, replaced: 0, kept: 4 });
    expect(rows(merged)).toEqual(before);
    // Then the last shard.
    const rest = await runBuiltCli(['results', 'merge', merged, ...stores, '--json']);
    expect(JSON.parse(rest.stdout)).toMatchObject({ added: 2, replaced: 0, kept: 4, status: 'complete', done: 6 });

    // A failed copy of shard 0's first cell: the done run wins whichever input comes first.
    const failedCopy = join(dir, 'failed.sqlite');
    await runShards(file, 3, (k) => (k === 0 ? failedCopy : join(dir, `other-${k}.sqlite`)));
    const db = new Database(failedCopy);
    db.prepare("UPDATE runs SET status = 'failed', metrics = NULL, error = 'diverged' WHERE point = 0 AND repetition = 0").run();
    db.close();
    for (const order of [[failedCopy, stores[0]!], [stores[0]!, failedCopy]]) {
      const out = join(dir, `order-${order[0] === failedCopy ? 'f' : 'd'}.sqlite`);
      const run = await runBuiltCli(['results', 'merge', out, ...order, '--json']);
      expect(run.code).toBe(0);
      const cell = rows(out).find((r) => r.point === 0 && r.repetition === 0)!;
      expect(cell.status).toBe('done');
      expect(cell.metrics).toBe(rows(stores[0]!).find((r) => r.point === 0 && r.repetition === 0)!.metrics);
    }
    // Only the failed copy: the failed run is merged, the exit code says so.
    const onlyFailed = await runBuiltCli(['results', 'merge', join(dir, 'only-failed.sqlite'), failedCopy, '--json']);
    expect(onlyFailed.code).toBe(1);
    expect(JSON.parse(onlyFailed.stdout)).toMatchObject({ failed: 1, done: 1 });
  });

  it('refuses stores of another sweep, a file that is not a store and a missing one: exit 2, one line, OUT not written', async () => {
    const file = join(dir, 'shards.yaml');
    writeFileSync(file, SWEEP);
    const [a] = await runShards(file, 2);
    const otherFile = join(dir, 'other.yaml');
    writeFileSync(otherFile, SWEEP.replace('n: [6, 9, 12]', 'n: [6, 9, 13]'));
    const other = join(dir, 'other.sqlite');
    expect((await runBuiltCli(['sweep', otherFile, '--shard', '0/2', '--store', other, '--workers', '1'])).code).toBe(0);
    const notStore = join(dir, 'notes.txt');
    writeFileSync(notStore, 'not a database, but longer than one hundred bytes: '.repeat(4));
    const out = join(dir, 'out.sqlite');
    const cases: Array<[string[], RegExp]> = [
      [[a!, other], /IN ".*other\.sqlite" holds sweep "shards" \(hash [0-9a-f]{12}\), but IN ".*shard-0\.sqlite" holds "shards" \(hash [0-9a-f]{12}\): only stores of the same sweep file/],
      [[a!, notStore], /IN ".*notes\.txt" is not an SQLite database/],
      [[a!, join(dir, 'missing.sqlite')], /IN ".*missing\.sqlite": no such store/],
    ];
    for (const [inputs, pattern] of cases) {
      const run = await runBuiltCli(['results', 'merge', out, ...inputs]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(pattern);
      expect(existsSync(out)).toBe(false);
    }
    const none = await runBuiltCli(['results', 'merge', out]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/missing argument <IN>/);
  });
});

describe('sweep --slurm: bad input (exit 2, one line, nothing written)', () => {
  it.each([
    [['--slurm', '--time', '2 hours'], /--time "2 hours": not a Slurm time limit/],
    [['--slurm', '--sbatch-arg=--output=x.log'], /--sbatch-arg "--output=x.log": --output is set by the scripts themselves/],
    [['--slurm', '--sbatch-arg=--comment=a b'], /--sbatch-arg "--comment=a b": an #SBATCH line takes one word/],
    [['--slurm', '--mem', 'lots'], /--mem "lots": not a memory size/],
    [['--slurm', '--shard', '0/2'], /--shard does not go with --slurm/],
    [['--slurm', '--workers', '2'], /--workers does not go with --slurm \(each task runs --cpus-per-task workers\)/],
    [['--tasks', '3'], /--tasks needs --slurm/],
    [['--slurm', '--wait'], /--wait needs --submit/],
    [['--slurm', '--dir', 'a b'], /--dir ".*a b": an #SBATCH line takes one word/],
  ])('%j', async (flags, pattern) => {
    writeFileSync(join(dir, 'shards.yaml'), SWEEP);
    const run = await runBuiltCli(['sweep', 'shards.yaml', ...flags], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(existsSync(join(dir, 'shards.slurm'))).toBe(false);
    expect(existsSync(join(dir, 'a b'))).toBe(false);
  });

  it('refuses a --dir of another sweep, and --submit where Slurm is not installed (no sbatch on PATH)', async () => {
    writeFileSync(join(dir, 'shards.yaml'), SWEEP);
    expect((await runBuiltCli(['sweep', 'shards.yaml', '--slurm', '--tasks', '2'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'changed.yaml'), SWEEP.replace('seeds: 2', 'seeds: 3'));
    const changed = await runBuiltCli(['sweep', 'changed.yaml', '--slurm', '--dir', 'shards.slurm'], { cwd: dir });
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/^shallowscape: error: --dir ".*shards\.slurm" holds a submission of another sweep \(shards, hash [0-9a-f]{12}; this file's is [0-9a-f]{12}\): the sweep file changed since; name a new --dir\n$/);
    const noSlurm = await runBuiltCli(['sweep', 'shards.yaml', '--slurm', '--submit'], { cwd: dir, env: { PATH: dirname(process.execPath) } });
    expect(noSlurm.code).toBe(2);
    expect(noSlurm.stderr.trim().split('\n')).toHaveLength(1);
    expect(noSlurm.stderr).toMatch(/sbatch/);
  });
});
