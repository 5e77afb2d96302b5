/**
 * The results store of sweeps: an embedded SQLite database (better-sqlite3) in WAL mode, so that
 * `shallowscape results` can read it while a sweep writes it.
 *
 * Schema (version 2; `PRAGMA application_id` marks the file as Shallowscape's):
 *
 * ```sql
 * CREATE TABLE sweeps (id INTEGER PRIMARY KEY, name TEXT, file TEXT, content TEXT, hash TEXT UNIQUE,
 *   run TEXT, base_seed INTEGER, seeds INTEGER, cells INTEGER, versions TEXT, started_at TEXT,
 *   ended_at TEXT, status TEXT);             -- status: running, complete, interrupted
 * CREATE TABLE runs (id INTEGER PRIMARY KEY, sweep_id INTEGER REFERENCES sweeps(id), cell_key TEXT,
 *   grid INTEGER, point INTEGER, repetition INTEGER, coordinates TEXT, seed INTEGER, argv TEXT,
 *   status TEXT, metrics TEXT, history TEXT, output TEXT, error TEXT, started_at TEXT,
 *   elapsed_ms REAL, attempts INTEGER, UNIQUE (sweep_id, cell_key));  -- status: done, failed, interrupted
 * CREATE TABLE shards (sweep_id INTEGER REFERENCES sweeps(id), shard INTEGER, shards INTEGER,
 *   cells INTEGER, started_at TEXT, ended_at TEXT, status TEXT,
 *   PRIMARY KEY (sweep_id, shard, shards));  -- the shards K/N run into this store (version 2)
 * ```
 *
 * A version-1 store (no `shards` table) is upgraded in place when opened for writing.
 *
 * `content` is the sweep file as canonical JSON and `hash` its SHA-256; `coordinates`, `metrics`,
 * `history`, `output`, `argv` and `versions` are JSON. A run's row is written in one transaction
 * when the run ends (a rerun replaces it and counts `attempts`), so a killed sweep loses only the
 * runs in flight.
 *
 * @packageDocumentation
 */
import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ShallowscapeError } from '@shallowscape/linalg';
import Database from 'better-sqlite3';
import { describeSystemError } from '../errors';
import type { CellOutcome, RunStatus } from './sweep-protocol';

/** `PRAGMA application_id` of a Shallowscape store: the bytes "SHLW". */
export const STORE_APPLICATION_ID = 0x53484c57;
/** `PRAGMA user_version` of the schema this version writes. */
export const STORE_SCHEMA_VERSION = 2;

/** A store file cannot be used: not SQLite, another tool's, a newer schema, unwritable. */
export class StoreError extends ShallowscapeError {
  constructor(message: string, argument?: string) {
    super(message, 'E_STORE', argument);
  }
}

/** A row of the `sweeps` table. */
export interface SweepRow {
  id: number;
  name: string;
  file: string;
  content: string;
  hash: string;
  run: string;
  baseSeed: number;
  seeds: number;
  cells: number;
  versions: unknown;
  startedAt: string;
  endedAt: string | null;
  status: 'running' | 'complete' | 'interrupted';
}

/** A row of the `runs` table, JSON columns parsed. */
export interface RunRow {
  id: number;
  sweepId: number;
  cellKey: string;
  grid: number;
  point: number;
  repetition: number;
  coordinates: Record<string, number | string | boolean>;
  seed: number | null;
  argv: string[];
  status: RunStatus;
  metrics: Record<string, number | string | boolean | null> | null;
  history: unknown;
  output: unknown;
  error: string | null;
  startedAt: string;
  elapsedMs: number;
  attempts: number;
}

/** A row of the `shards` table: shard `shard` of `shards` of a sweep, run into this store. */
export interface ShardRow {
  sweepId: number;
  /** K of `--shard K/N`, from 0. */
  shard: number;
  /** N of `--shard K/N`. */
  shards: number;
  /** The cells of the shard. */
  cells: number;
  startedAt: string;
  endedAt: string | null;
  status: 'running' | 'complete' | 'interrupted';
}

/**
 * A row of `runs` as stored: JSON columns as text, so that a merge copies them byte for byte.
 * `id` and `sweep_id` are the source store's.
 */
export interface StoredRun {
  id: number;
  sweep_id: number;
  cell_key: string;
  grid: number;
  point: number;
  repetition: number;
  coordinates: string;
  seed: number | null;
  argv: string;
  status: RunStatus;
  metrics: string | null;
  history: string | null;
  output: string | null;
  error: string | null;
  started_at: string;
  elapsed_ms: number;
  attempts: number;
}

/** What identifies a run in its sweep. */
export interface RunCell {
  key: string;
  grid: number;
  point: number;
  repetition: number;
  coordinates: Readonly<Record<string, number | string | boolean>>;
  seed: number | null;
  argv: readonly string[];
}

const SHARDS_SCHEMA = `
CREATE TABLE shards (
  sweep_id INTEGER NOT NULL REFERENCES sweeps (id),
  shard INTEGER NOT NULL,
  shards INTEGER NOT NULL,
  cells INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted')),
  PRIMARY KEY (sweep_id, shard, shards)
);
`;

const SCHEMA = `
CREATE TABLE sweeps (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  file TEXT NOT NULL,
  content TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  run TEXT NOT NULL,
  base_seed INTEGER NOT NULL,
  seeds INTEGER NOT NULL,
  cells INTEGER NOT NULL,
  versions TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted'))
);
CREATE INDEX sweeps_by_name ON sweeps (name);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  sweep_id INTEGER NOT NULL REFERENCES sweeps (id),
  cell_key TEXT NOT NULL,
  grid INTEGER NOT NULL,
  point INTEGER NOT NULL,
  repetition INTEGER NOT NULL,
  coordinates TEXT NOT NULL,
  seed INTEGER,
  argv TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('done', 'failed', 'interrupted')),
  metrics TEXT,
  history TEXT,
  output TEXT,
  error TEXT,
  started_at TEXT NOT NULL,
  elapsed_ms REAL NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 1,
  UNIQUE (sweep_id, cell_key)
);
${SHARDS_SCHEMA}`;

const SQLITE_MAGIC = 'SQLite format 3\0';

/** Checks that an existing file is an SQLite database, by its 16-byte header. */
function checkSqliteHeader(path: string, flag: string): void {
  const size = statSync(path).size;
  if (size === 0) return; // an empty file is an empty database
  const header = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (size < 100 || header.toString('latin1') !== SQLITE_MAGIC) {
    throw new StoreError(`${flag} ${JSON.stringify(path)} is not an SQLite database (a sweep store is one); name a new file or an existing store`, flag);
  }
}

/** The columns of `sweeps` under the names of {@link SweepRow} (`versions` still JSON text). */
const SWEEP_COLUMNS =
  'id, name, file, content, hash, run, base_seed AS baseSeed, seeds, cells, versions, started_at AS startedAt, ended_at AS endedAt, status';

function sweepRow(r: Omit<SweepRow, 'versions'> & { versions: string }): SweepRow {
  return { ...r, versions: JSON.parse(r.versions) as unknown };
}

type RawRun = StoredRun;

function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/** Non-finite numbers survive the trip through a JSON column as the strings "NaN", "Infinity", "-Infinity". */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

/** An open results store. */
export class ResultsStore {
  private constructor(
    private readonly db: Database.Database,
    /** The file, as named. */
    readonly path: string,
  ) {}

  /**
   * Opens a store. A missing file is created (with `create`), an existing one must be a
   * Shallowscape store (or an empty file); nothing is written to a file that fails a check.
   *
   * @param path - the database file.
   * @param options - `create`: make a new store when `path` does not exist; `readonly`: open for
   *   reading; `flag`: how the user named the file, for messages (`--store`, `STORE`).
   * @throws {@link StoreError} for a file that is not a store, or that cannot be opened.
   */
  static open(path: string, options: { create: boolean; readonly?: boolean; flag: string }): ResultsStore {
    const { flag } = options;
    const exists = ResultsStore.checkPath(path, options);
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: options.readonly === true, fileMustExist: exists || options.readonly === true });
    } catch (error) {
      throw new StoreError(`${flag} ${JSON.stringify(path)}: cannot open the store: ${describeSystemError(error)}`, flag);
    }
    try {
      db.pragma('busy_timeout = 10000');
      const store = new ResultsStore(db, path);
      store.checkOwnership(flag, options.readonly === true);
      return store;
    } catch (error) {
      db.close();
      if (error instanceof StoreError) throw error;
      throw new StoreError(`${flag} ${JSON.stringify(path)}: ${describeSystemError(error)}`, flag);
    }
  }

  /**
   * Checks, without writing anything, that `path` can be a store: an existing file must be an
   * SQLite database (or empty), a new one needs an existing, writable directory.
   *
   * @returns whether the file exists.
   * @throws {@link StoreError} naming the flag and the path.
   */
  static checkPath(path: string, options: { create: boolean; flag: string }): boolean {
    const { flag } = options;
    const where = `${flag} ${JSON.stringify(path)}`;
    const exists = existsSync(path);
    if (!exists) {
      if (!options.create) throw new StoreError(`${where}: no such store (${describeSystemError({ code: 'ENOENT' })})`, flag);
      const directory = dirname(path);
      try {
        if (!statSync(directory).isDirectory()) throw new StoreError(`${where}: ${JSON.stringify(directory)} is not a directory`, flag);
        accessSync(directory, constants.W_OK);
      } catch (error) {
        if (error instanceof StoreError) throw error;
        throw new StoreError(`${where}: cannot create the store in ${JSON.stringify(directory)}: ${describeSystemError(error)}`, flag);
      }
      return false;
    }
    try {
      if (statSync(path).isDirectory()) throw new StoreError(`${where} is a directory; name the store's file, e.g. ${JSON.stringify(`${path.replace(/\/$/, '')}/results.sqlite`)}`, flag);
      checkSqliteHeader(path, flag);
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StoreError(`${where}: cannot read the store: ${describeSystemError(error)}`, flag);
    }
    return true;
  }

  /** Checks the application id and schema version; initialises an empty database. */
  private checkOwnership(flag: string, readonly: boolean): void {
    const applicationId = this.db.pragma('application_id', { simple: true }) as number;
    const version = this.db.pragma('user_version', { simple: true }) as number;
    const tables = (this.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
    const where = `${flag} ${JSON.stringify(this.path)}`;
    if (applicationId !== STORE_APPLICATION_ID) {
      if (applicationId !== 0) throw new StoreError(`${where} is an SQLite database of another tool (application_id 0x${(applicationId >>> 0).toString(16)}), not a sweep store`, flag);
      if (tables.length > 0) throw new StoreError(`${where} is an SQLite database of another tool (tables ${tables.slice(0, 5).join(', ')}), not a sweep store`, flag);
      if (readonly) throw new StoreError(`${where} is an empty database, not a sweep store`, flag);
      this.db.exec('BEGIN IMMEDIATE');
      try {
        this.db.exec(SCHEMA);
        this.db.pragma(`application_id = ${STORE_APPLICATION_ID}`);
        this.db.pragma(`user_version = ${STORE_SCHEMA_VERSION}`);
        this.db.exec('COMMIT');
      } catch (error) {
        this.db.exec('ROLLBACK');
        throw error;
      }
    } else if (version > STORE_SCHEMA_VERSION) {
      throw new StoreError(`${where} has store schema ${version}, newer than this version reads (${STORE_SCHEMA_VERSION}); upgrade shallowscape`, flag);
    } else if (version < STORE_SCHEMA_VERSION && !readonly) {
      // Version 1 → 2: the shards table.
      this.db.exec('BEGIN IMMEDIATE');
      try {
        if (!tables.includes('shards')) this.db.exec(SHARDS_SCHEMA);
        this.db.pragma(`user_version = ${STORE_SCHEMA_VERSION}`);
        this.db.exec('COMMIT');
      } catch (error) {
        this.db.exec('ROLLBACK');
        throw error;
      }
    }
    this.hasShardsTable = readonly ? tables.includes('shards') : true;
    if (!readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    }
  }

  /** Whether the file has the `shards` table (a version-1 store opened read-only has not). */
  private hasShardsTable = true;

  /** Closes the database (checkpointing the WAL). */
  close(): void {
    if (this.db.open) this.db.close();
  }

  /** All sweeps, oldest first. */
  sweeps(): SweepRow[] {
    return (this.db.prepare(`SELECT ${SWEEP_COLUMNS} FROM sweeps ORDER BY id`).all() as Array<Parameters<typeof sweepRow>[0]>).map(sweepRow);
  }

  /** The sweep with this file content hash, if any. */
  sweepByHash(hash: string): SweepRow | undefined {
    const r = this.db.prepare(`SELECT ${SWEEP_COLUMNS} FROM sweeps WHERE hash = ?`).get(hash) as Parameters<typeof sweepRow>[0] | undefined;
    return r === undefined ? undefined : sweepRow(r);
  }

  /**
   * Starts a sweep: a new row, or (same content) the existing one, marked running again.
   *
   * @returns the sweep's row.
   */
  beginSweep(sweep: { name: string; file: string; content: string; hash: string; run: string; baseSeed: number; seeds: number; cells: number; versions: unknown }): SweepRow {
    const now = new Date().toISOString();
    const existing = this.sweepByHash(sweep.hash);
    if (existing !== undefined) {
      this.db.prepare("UPDATE sweeps SET status = 'running', ended_at = NULL, file = ?, versions = ? WHERE id = ?").run(sweep.file, toJson(sweep.versions), existing.id);
      return this.sweepByHash(sweep.hash)!;
    }
    this.db
      .prepare(
        "INSERT INTO sweeps (name, file, content, hash, run, base_seed, seeds, cells, versions, started_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running')",
      )
      .run(sweep.name, sweep.file, sweep.content, sweep.hash, sweep.run, sweep.baseSeed, sweep.seeds, sweep.cells, toJson(sweep.versions), now);
    return this.sweepByHash(sweep.hash)!;
  }

  /** Marks a sweep finished (`complete`) or stopped (`interrupted`). */
  endSweep(id: number, status: 'complete' | 'interrupted'): void {
    this.db.prepare('UPDATE sweeps SET status = ?, ended_at = ? WHERE id = ?').run(status, new Date().toISOString(), id);
  }

  /** The keys of the runs of a sweep that finished (status `done`): a resumed sweep skips them. */
  doneKeys(sweepId: number): Set<string> {
    const rows = this.db.prepare("SELECT cell_key FROM runs WHERE sweep_id = ? AND status = 'done'").pluck().all(sweepId) as string[];
    return new Set(rows);
  }

  /** Records the end of a run in one transaction (replacing an earlier attempt). */
  recordRun(sweepId: number, cell: RunCell, outcome: CellOutcome): void {
    this.insertRun.run({
      sweep_id: sweepId,
      cell_key: cell.key,
      grid: cell.grid,
      point: cell.point,
      repetition: cell.repetition,
      coordinates: toJson(cell.coordinates),
      seed: cell.seed,
      argv: toJson(cell.argv),
      status: outcome.status,
      metrics: outcome.metrics === null ? null : toJson(outcome.metrics),
      history: outcome.history === null || outcome.history === undefined ? null : toJson(outcome.history),
      output: outcome.output === null || outcome.output === undefined ? null : toJson(outcome.output),
      error: outcome.error,
      started_at: outcome.startedAt,
      elapsed_ms: outcome.elapsedMs,
    });
  }

  private get insertRun(): Database.Statement {
    this.insertStatement ??= this.db.prepare(`
      INSERT INTO runs (sweep_id, cell_key, grid, point, repetition, coordinates, seed, argv, status, metrics, history, output, error, started_at, elapsed_ms)
      VALUES (@sweep_id, @cell_key, @grid, @point, @repetition, @coordinates, @seed, @argv, @status, @metrics, @history, @output, @error, @started_at, @elapsed_ms)
      ON CONFLICT (sweep_id, cell_key) DO UPDATE SET
        status = excluded.status, metrics = excluded.metrics, history = excluded.history, output = excluded.output,
        error = excluded.error, started_at = excluded.started_at, elapsed_ms = excluded.elapsed_ms,
        seed = excluded.seed, argv = excluded.argv, attempts = runs.attempts + 1`);
    return this.insertStatement;
  }

  private insertStatement: Database.Statement | undefined;

  /** Records that shard `shard`/`shards` of a sweep starts in this store (again, on a rerun). */
  beginShard(sweepId: number, shard: { index: number; count: number; cells: number }): void {
    this.db
      .prepare(
        `INSERT INTO shards (sweep_id, shard, shards, cells, started_at, status) VALUES (?, ?, ?, ?, ?, 'running')
         ON CONFLICT (sweep_id, shard, shards) DO UPDATE SET status = 'running', ended_at = NULL, started_at = excluded.started_at`,
      )
      .run(sweepId, shard.index, shard.count, shard.cells, new Date().toISOString());
  }

  /** Marks a shard's session ended, like {@link ResultsStore.endSweep}. */
  endShard(sweepId: number, shard: { index: number; count: number }, status: 'complete' | 'interrupted'): void {
    this.db.prepare('UPDATE shards SET status = ?, ended_at = ? WHERE sweep_id = ? AND shard = ? AND shards = ?').run(status, new Date().toISOString(), sweepId, shard.index, shard.count);
  }

  /** The shards run into this store for a sweep, by shard count then index. */
  shards(sweepId: number): ShardRow[] {
    if (!this.hasShardsTable) return [];
    return this.db
      .prepare('SELECT sweep_id AS sweepId, shard, shards, cells, started_at AS startedAt, ended_at AS endedAt, status FROM shards WHERE sweep_id = ? ORDER BY shards, shard')
      .all(sweepId) as ShardRow[];
  }

  /** The grid point, repetition and status of every run of a sweep (no JSON parsed). */
  runStatuses(sweepId: number): Array<{ point: number; repetition: number; status: RunStatus }> {
    return this.db.prepare('SELECT point, repetition, status FROM runs WHERE sweep_id = ?').all(sweepId) as Array<{ point: number; repetition: number; status: RunStatus }>;
  }

  /** The runs of a sweep exactly as stored (JSON columns as text), in grid and repetition order. */
  storedRuns(sweepId: number): StoredRun[] {
    return this.db.prepare('SELECT * FROM runs WHERE sweep_id = ? ORDER BY point, repetition').all(sweepId) as StoredRun[];
  }

  /**
   * Runs `body` in one write transaction (`BEGIN IMMEDIATE`): all of its writes land, or none.
   *
   * @returns what `body` returns.
   */
  transaction<T>(body: () => T): T {
    return this.db.transaction(body).immediate();
  }

  /**
   * Adds a sweep row copied from another store (same content hash), or returns the existing one.
   *
   * @returns the sweep's row in this store.
   */
  importSweep(sweep: SweepRow): SweepRow {
    const existing = this.sweepByHash(sweep.hash);
    if (existing !== undefined) return existing;
    this.db
      .prepare('INSERT INTO sweeps (name, file, content, hash, run, base_seed, seeds, cells, versions, started_at, ended_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(sweep.name, sweep.file, sweep.content, sweep.hash, sweep.run, sweep.baseSeed, sweep.seeds, sweep.cells, toJson(sweep.versions), sweep.startedAt, sweep.endedAt, sweep.status);
    return this.sweepByHash(sweep.hash)!;
  }

  /** Sets a sweep's start, end and status (a merge: the span of its inputs). */
  setSweepState(id: number, state: { startedAt: string; endedAt: string | null; status: SweepRow['status'] }): void {
    this.db.prepare('UPDATE sweeps SET started_at = ?, ended_at = ?, status = ? WHERE id = ?').run(state.startedAt, state.endedAt, state.status, id);
  }

  /** Adds a shard row copied from another store, keeping a `complete` one already here. */
  importShard(sweepId: number, shard: ShardRow): void {
    this.db
      .prepare(
        `INSERT INTO shards (sweep_id, shard, shards, cells, started_at, ended_at, status) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (sweep_id, shard, shards) DO UPDATE SET started_at = excluded.started_at, ended_at = excluded.ended_at, status = excluded.status
         WHERE shards.status <> 'complete'`,
      )
      .run(sweepId, shard.shard, shard.shards, shard.cells, shard.startedAt, shard.endedAt, shard.status);
  }

  /**
   * Writes a run copied from another store in place of this store's row for the same cell (or as
   * a new row), byte for byte; the caller decides which row wins.
   */
  putStoredRun(sweepId: number, run: StoredRun): void {
    this.putStatement ??= this.db.prepare(`
      INSERT INTO runs (sweep_id, cell_key, grid, point, repetition, coordinates, seed, argv, status, metrics, history, output, error, started_at, elapsed_ms, attempts)
      VALUES (@sweep_id, @cell_key, @grid, @point, @repetition, @coordinates, @seed, @argv, @status, @metrics, @history, @output, @error, @started_at, @elapsed_ms, @attempts)
      ON CONFLICT (sweep_id, cell_key) DO UPDATE SET
        grid = excluded.grid, point = excluded.point, repetition = excluded.repetition, coordinates = excluded.coordinates,
        seed = excluded.seed, argv = excluded.argv, status = excluded.status, metrics = excluded.metrics, history = excluded.history,
        output = excluded.output, error = excluded.error, started_at = excluded.started_at, elapsed_ms = excluded.elapsed_ms,
        attempts = excluded.attempts`);
    const { id: _id, ...row } = run;
    this.putStatement.run({ ...row, sweep_id: sweepId });
  }

  private putStatement: Database.Statement | undefined;

  /** The runs of a sweep, in grid and repetition order; `withHistory` also parses the histories. */
  runs(sweepId: number, options: { withHistory?: boolean; withOutput?: boolean } = {}): RunRow[] {
    const rows = this.db.prepare('SELECT * FROM runs WHERE sweep_id = ? ORDER BY point, repetition').all(sweepId) as RawRun[];
    return rows.map((r) => ({
      id: r.id,
      sweepId: r.sweep_id,
      cellKey: r.cell_key,
      grid: r.grid,
      point: r.point,
      repetition: r.repetition,
      coordinates: JSON.parse(r.coordinates) as RunRow['coordinates'],
      seed: r.seed,
      argv: JSON.parse(r.argv) as string[],
      status: r.status,
      metrics: parseJson(r.metrics),
      history: options.withHistory === true ? parseJson(r.history) : null,
      output: options.withOutput === true ? parseJson(r.output) : null,
      error: r.error,
      startedAt: r.started_at,
      elapsedMs: r.elapsed_ms,
      attempts: r.attempts,
    }));
  }
}
