import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutDirectoryError } from '../errors';
import { parseNpy } from './npy';
import { setAsideName } from './out-directory';
import { RUN_RECORD_NAMES, isPlainFileName, prepareRunDirectory } from './run-directory';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shallowscape-run-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const versions = { cli: '0.1.0', packages: [], node: process.version, backend: { name: 'reference', precision: 'float64' } };

/** Writes a previous run the way the commands do: its files, then its record listing them. */
function previousRun(at: string, record: string, files: Record<string, string>, extra: object = {}): void {
  mkdirSync(at, { recursive: true });
  for (const name of Object.values(files)) if (!name.includes('/') && !existsSync(join(at, name))) writeFileSync(join(at, name), `old ${name}`);
  writeFileSync(join(at, record), JSON.stringify({ versions, files, ...extra }));
}

async function refusal(promise: Promise<unknown>): Promise<OutDirectoryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutDirectoryError);
  expect((error as Error).message).not.toMatch(/\n/);
  return error as OutDirectoryError;
}

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('RunDirectory: writing a run', () => {
  it('writes the files atomically, remembers them and writes the record last', async () => {
    const out = await prepareRunDirectory(join(dir, 'run'), '--out');
    expect(out.completed).toBe(false);
    const w = await out.writeNpy('weights', 'W.npy', new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    await out.writeFile('plot', 'spectrum.svg', '<svg/>');
    await out.writeJson('history', 'history.json', { step: [0, 1] });
    expect(readdirSync(join(dir, 'run')).sort()).toEqual(['W.npy', 'history.json', 'spectrum.svg']);
    expect(out.files).toEqual({ weights: 'W.npy', plot: 'spectrum.svg', history: 'history.json' });
    expect(parseNpy(readFileSync(w), 'W.npy').shape).toEqual([2, 3]);
    const record = await out.complete('run.json', { final: 1, versions, files: out.files });
    expect(record).toBe(join(dir, 'run', 'run.json'));
    expect(out.completed).toBe(true);
    expect(out.written).toEqual([join(dir, 'run', 'W.npy'), join(dir, 'run', 'spectrum.svg'), join(dir, 'run', 'history.json'), record]);
    expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual({ final: 1, versions, files: out.files });
    await expect(out.writeFile('late', 'late.txt', 'x')).rejects.toThrow(/written after the record run\.json/);
  });

  it('refuses a record that does not list every file written, or lacks versions, or has another name', async () => {
    const out = await prepareRunDirectory(dir);
    await out.writeNpy('weights', 'W.npy', [1, 2], [2]);
    await expect(out.complete('run.json', { versions, files: {} })).rejects.toThrow('the record run.json does not list W.npy in files');
    await expect(out.complete('run.json', { files: out.files })).rejects.toThrow(/lacks versions\.cli/);
    await expect(out.complete('summary.json', { versions, files: out.files })).rejects.toThrow(/not one of the run record names/);
    expect(existsSync(join(dir, 'run.json'))).toBe(false);
    // results.json (reproduce) has no files map: fine when nothing else was written.
    const other = await prepareRunDirectory(join(dir, 'r'));
    await other.complete('results.json', { versions, passed: true });
    expect(readdirSync(join(dir, 'r'))).toEqual(['results.json']);
  });

  it('rejects names that are not plain file names', async () => {
    const out = await prepareRunDirectory(dir);
    for (const name of ['../x.npy', 'a/b.npy', '.hidden', '', '..']) {
      await expect(out.writeFile('k', name, 'x')).rejects.toThrow(/not a plain file name/);
    }
    await expect(out.writeFile('k', 'run.json', 'x')).rejects.toThrow(/record name/);
    expect(isPlainFileName('W.npy')).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('abandon() removes what the run wrote and the directories it created', async () => {
    const out = await prepareRunDirectory(join(dir, 'a', 'b'));
    await out.writeNpy('weights', 'W.npy', [1], [1]);
    await out.abandon();
    expect(readdirSync(dir)).toEqual([]);
    // In a directory that existed, only the run's own files go.
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const again = await prepareRunDirectory(dir);
    await again.writeNpy('weights', 'W.npy', [1], [1]);
    await again.abandon();
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });
});

describe('RunDirectory: a record rewritten as the run goes (reproduce)', () => {
  it('writeRecord may be called again; complete() ends the run', async () => {
    const out = await prepareRunDirectory(dir);
    await out.writeRecord('results.json', { versions, experiments: ['a'] });
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))).toEqual({ versions, experiments: ['a'] });
    expect(out.completed).toBe(false);
    await out.writeRecord('results.json', { versions, experiments: ['a', 'b'] });
    await expect(out.writeRecord('run.json', { versions })).rejects.toThrow(/already has the record results\.json/);
    await out.complete('results.json', { versions, experiments: ['a', 'b', 'c'] });
    expect(out.completed).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))).toEqual({ versions, experiments: ['a', 'b', 'c'] });
    expect(out.written).toEqual([join(dir, 'results.json')]);
    await expect(out.writeRecord('results.json', { versions })).rejects.toThrow(/already complete/);
  });

  it('abandon() after a record keeps the record and the files it lists, removes later files', async () => {
    const out = await prepareRunDirectory(join(dir, 'r'));
    await out.writeFile('first', 'first.txt', '1');
    await out.writeRecord('run.json', { versions, files: out.files });
    await out.writeFile('second', 'second.txt', '2');
    await out.abandon();
    expect(readdirSync(join(dir, 'r')).sort()).toEqual(['first.txt', 'run.json']);
    expect(out.files).toEqual({ first: 'first.txt' });
  });
});

describe('prepareRunDirectory: a reused --out', () => {
  it("removes a previous run's record and files, keeping files it did not write", async () => {
    previousRun(dir, 'run.json', { weights: 'W.npy', outputWeights: 'a.npy', inputs: 'X.npy' });
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    writeFileSync(join(dir, 'W0.npy'), 'not listed: not ours to delete');
    const out = await prepareRunDirectory(dir);
    expect(readdirSync(dir).sort()).toEqual(['W0.npy', 'notes.txt']);
    expect(out.removedRuns).toEqual([{ record: 'run.json', files: ['W.npy', 'a.npy', 'X.npy'] }]);
  });

  it('removes every kind of record (run.json, spectrum.json, results.json) and their files', async () => {
    previousRun(dir, 'spectrum.json', { plot: 'spectrum.svg' });
    writeFileSync(join(dir, 'results.json'), JSON.stringify({ versions, passed: true }));
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ versions, files: { weights: 'W.npy' } }));
    const out = await prepareRunDirectory(dir);
    expect(readdirSync(dir)).toEqual([]);
    expect(out.removedRuns.map((r) => r.record).sort()).toEqual([...RUN_RECORD_NAMES].sort());
  });

  it('never follows a listed name out of the directory, and never removes directories or links', async () => {
    const outside = join(dir, 'outside.txt');
    writeFileSync(outside, 'keep');
    const run = join(dir, 'run');
    mkdirSync(run);
    mkdirSync(join(run, 'sub.npy'));
    symlinkSync(outside, join(run, 'link.npy'));
    previousRun(run, 'run.json', { a: '../outside.txt', b: '/etc/passwd', c: 'sub.npy', d: 'link.npy', e: '.hidden', f: 'W.npy' });
    writeFileSync(join(run, '.hidden'), 'keep');
    await prepareRunDirectory(run);
    expect(readdirSync(run).sort()).toEqual(['.hidden', 'link.npy', 'sub.npy']);
    expect(readFileSync(outside, 'utf8')).toBe('keep');
  });

  it.each([
    ['a run.json that is not JSON', 'run.json', 'my notes'],
    ['a results.json without versions.cli', 'results.json', JSON.stringify({ files: { x: 'data.csv' } })],
  ])('refuses %s (not written by shallowscape) and removes nothing', async (_what, name, contents) => {
    writeFileSync(join(dir, name), contents);
    writeFileSync(join(dir, 'data.csv'), '1,2');
    const e = await refusal(prepareRunDirectory(dir, '--out'));
    expect(e.message).toBe(`--out ${JSON.stringify(dir)}: holds a ${name} that shallowscape did not write (it is not a run record); remove it or choose another directory`);
    expect(readdirSync(dir).sort()).toEqual(['data.csv', name].sort());
  });

  it("refuses to delete the new run's own input, and removes nothing", async () => {
    previousRun(dir, 'run.json', { weights: 'W.npy', inputs: 'X.npy' });
    const input = join(dir, 'W.npy');
    const e = await refusal(prepareRunDirectory(dir, '--out', { inputs: [{ flag: '--weights', path: input }] }));
    expect(e.message).toBe(
      `--out ${JSON.stringify(dir)}: holds a previous run whose W.npy is this run's --weights ${JSON.stringify(input)}; replacing that run would delete it: choose another directory`,
    );
    expect(readdirSync(dir).sort()).toEqual(['W.npy', 'X.npy', 'run.json']);
    // The same file reached by a link counts too.
    symlinkSync(input, join(dir, '..', `${dir.split('/').pop()}-link.npy`));
    await refusal(prepareRunDirectory(dir, '--out', { inputs: [{ flag: '--init', path: `${dir}-link.npy` }] }));
    rmSync(`${dir}-link.npy`);
  });

  it('finishes the removal a killed run left half done (its record set aside), but not that of a live one', async () => {
    const dead = deadPid();
    writeFileSync(join(dir, setAsideName('run.json', dead)), JSON.stringify({ versions, files: { weights: 'W.npy', outputWeights: 'a.npy' } }));
    writeFileSync(join(dir, 'a.npy'), 'stale');
    const live = setAsideName('spectrum.json', process.pid);
    writeFileSync(join(dir, live), JSON.stringify({ versions, files: { plot: 'spectrum.svg' } }));
    writeFileSync(join(dir, 'spectrum.svg'), 'in use');
    const out = await prepareRunDirectory(dir);
    expect(readdirSync(dir).sort()).toEqual([live, 'spectrum.svg'].sort());
    expect(out.removedRuns).toEqual([{ record: 'run.json', files: ['a.npy'] }]);
  });

  it('keeps a directory recognisably incomplete from the preparation until complete()', async () => {
    previousRun(dir, 'run.json', { weights: 'W.npy' });
    const out = await prepareRunDirectory(dir);
    const hasRecord = (): boolean => RUN_RECORD_NAMES.some((name) => existsSync(join(dir, name)));
    expect(hasRecord()).toBe(false);
    await out.writeNpy('weights', 'W.npy', [1, 2], [2]);
    expect(hasRecord()).toBe(false);
    await out.complete('run.json', { versions, files: out.files });
    expect(hasRecord()).toBe(true);
    // A second run in the same directory replaces this one cleanly.
    const next = await prepareRunDirectory(dir);
    expect(readdirSync(dir)).toEqual([]);
    await next.writeNpy('outputWeights', 'a.npy', [3], [1]);
    await next.complete('run.json', { versions, files: next.files });
    expect(readdirSync(dir).sort()).toEqual(['a.npy', 'run.json']);
  });

  it('reports the --out problems of prepareOutDirectory first', async () => {
    writeFileSync(join(dir, 'f'), 'x');
    expect((await refusal(prepareRunDirectory(join(dir, 'f')))).message).toBe(`--out ${JSON.stringify(join(dir, 'f'))}: it is a file, not a directory`);
    expect((await refusal(prepareRunDirectory('/proc/x'))).message).toMatch(/^--out "\/proc\/x": \/proc is a virtual file system \(proc\)/);
  });
});
