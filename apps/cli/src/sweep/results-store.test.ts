import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResultsStore, STORE_APPLICATION_ID, StoreError } from './results-store';
import { lockStore } from './store-lock';
import type { CellOutcome } from './sweep-protocol';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shallowscape-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const SWEEP = { name: 's', file: 's.yaml', content: '{"name":"s"}', hash: 'h1', run: 'train', baseSeed: 0, seeds: 1, cells: 2, versions: { cli: '0' } };
const CELL = { key: '{"n":10}#0', grid: 0, point: 0, repetition: 0, coordinates: { n: 10 }, seed: 42, argv: ['train', '--n=10', '--seed=42', '--json'] };
const outcome = (status: CellOutcome['status'], metrics: CellOutcome['metrics']): CellOutcome => ({
  status,
  exitCode: status === 'done' ? 0 : 2,
  metrics,
  history: status === 'done' ? { step: [0, 1] } : null,
  output: null,
  error: status === 'done' ? null : 'boom',
  startedAt: '2026-01-01T00:00:00.000Z',
  elapsedMs: 1.5,
});

describe('ResultsStore', () => {
  it('creates a WAL store marked as Shallowscape’s, and records, replaces and reads runs', () => {
    const path = join(dir, 'r.sqlite');
    const store = ResultsStore.open(path, { create: true, flag: '--store' });
    const sweep = store.beginSweep(SWEEP);
    expect(sweep).toMatchObject({ id: 1, name: 's', status: 'running', cells: 2 });
    store.recordRun(sweep.id, CELL, outcome('failed', null));
    expect(store.doneKeys(sweep.id).size).toBe(0);
    store.recordRun(sweep.id, CELL, outcome('done', { relativeError: 1e-9, nan: NaN, converged: true }));
    expect([...store.doneKeys(sweep.id)]).toEqual([CELL.key]);
    const [run] = store.runs(sweep.id, { withHistory: true });
    expect(run).toMatchObject({ status: 'done', attempts: 2, seed: 42, coordinates: { n: 10 }, history: { step: [0, 1] }, error: null });
    expect(run!.metrics).toEqual({ relativeError: 1e-9, nan: 'NaN', converged: true });
    // The same content resumes the same sweep; other content is a new one.
    expect(store.beginSweep(SWEEP).id).toBe(1);
    expect(store.beginSweep({ ...SWEEP, hash: 'h2' }).id).toBe(2);
    store.endSweep(1, 'complete');
    expect(store.sweeps().map((s) => s.status)).toEqual(['complete', 'running']);
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(STORE_APPLICATION_ID);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(1);
    db.close();
  });

  it('refuses files that are not stores, without writing to them', () => {
    const text = join(dir, 'text.sqlite');
    writeFileSync(text, 'not a database at all, but long enough to have a header of sixteen bytes\n'.repeat(3));
    expect(() => ResultsStore.open(text, { create: true, flag: '--store' })).toThrow(/is not an SQLite database/);
    const other = join(dir, 'other.sqlite');
    const db = new Database(other);
    db.pragma('application_id = 1234');
    db.close();
    const before = readFileSync(other);
    expect(() => ResultsStore.open(other, { create: true, flag: '--store' })).toThrow(/another tool \(application_id 0x4d2\)/);
    expect(readFileSync(other).equals(before)).toBe(true);
    const newer = join(dir, 'newer.sqlite');
    ResultsStore.open(newer, { create: true, flag: '--store' }).close();
    const raw = new Database(newer);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => ResultsStore.open(newer, { create: false, flag: 'STORE' })).toThrow(/store schema 99, newer than this version reads \(2\)/);
    expect(() => ResultsStore.open(join(dir, 'missing.sqlite'), { create: false, readonly: true, flag: 'STORE' })).toThrow(StoreError);
  });
});

describe('ResultsStore: schema 2 (shards)', () => {
  it('records shards; upgrades a version-1 store in place when opened for writing, and reads one read-only', () => {
    const path = join(dir, 'v1.sqlite');
    const store = ResultsStore.open(path, { create: true, flag: '--store' });
    const sweep = store.beginSweep(SWEEP);
    store.beginShard(sweep.id, { index: 1, count: 2, cells: 1 });
    expect(store.shards(sweep.id)).toMatchObject([{ shard: 1, shards: 2, cells: 1, status: 'running', endedAt: null }]);
    store.endShard(sweep.id, { index: 1, count: 2 }, 'complete');
    expect(store.shards(sweep.id)[0]!.status).toBe('complete');
    store.recordRun(sweep.id, CELL, outcome('done', { relativeError: 0 }));
    store.close();
    // Make it a version-1 store: no shards table.
    const raw = new Database(path);
    raw.exec('DROP TABLE shards');
    raw.pragma('user_version = 1');
    raw.close();
    const reader = ResultsStore.open(path, { create: false, readonly: true, flag: 'STORE' });
    expect(reader.shards(1)).toEqual([]);
    expect(reader.runs(1)).toHaveLength(1);
    reader.close();
    const writer = ResultsStore.open(path, { create: false, flag: '--store' });
    expect(writer.shards(1)).toEqual([]);
    writer.beginShard(1, { index: 0, count: 2, cells: 1 });
    expect(writer.shards(1)).toHaveLength(1);
    writer.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(2);
    check.close();
  });
});

describe('lockStore', () => {
  it('refuses a second lock while the first is held, and takes over a stale one', () => {
    const store = join(dir, 'r.sqlite');
    const lock = lockStore(store, '--store');
    expect(() => lockStore(store, '--store')).toThrow(/is being written by another sweep \(process \d+/);
    lock.release();
    const again = lockStore(store, '--store');
    again.release();
    // A lock whose process is gone (a sweep killed with kill -9).
    writeFileSync(`${store}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), since: 'earlier' }));
    const taken = lockStore(store, '--store');
    expect(JSON.parse(readFileSync(`${store}.lock`, 'utf8')).pid).toBe(process.pid);
    taken.release();
  });
});
