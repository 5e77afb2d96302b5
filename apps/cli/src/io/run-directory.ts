/**
 * Run directories that are either complete or recognisably incomplete.
 *
 * A run directory (`train --out`, `spectrum --out`, `reproduce --out`) holds the files of one run
 * and its **record**, a JSON file written last that lists them: `run.json` (train),
 * `spectrum.json` (spectrum), `results.json` (reproduce); see {@link RUN_RECORD_NAMES}. A
 * directory with a record is complete; one without is not (yet).
 *
 * {@link prepareRunDirectory} is called before any computation. On top of
 * {@link prepareOutDirectory} (virtual file systems, files in the way, creation, a write probe,
 * stale temporary files), it removes a previous run found in the directory, so that a reused
 * `--out` never mixes two runs (say, the `a.npy` of a two-layer run beside a quadratic run):
 *
 * 1. each record is renamed to a hidden set-aside name (`.run.json.shallowscape-<pid>.previous`),
 *    so that from this moment the directory is recognisably incomplete;
 * 2. the files it lists in its `files` map (`key → file name`) are removed;
 * 3. the set-aside record is removed.
 *
 * A set-aside record whose process died (killed between 1 and 3) is finished off by the next
 * preparation. Only files a record lists are removed, and only plain names inside the directory
 * (no `/`, no `..`), only regular files; a record the CLI did not write (not JSON, or without the
 * `versions.cli` every record of the CLI carries) is an error, not something to delete. A file
 * that is also an input of the new run (`--weights runs/x/W.npy --out runs/x`) is an error too:
 * the new run would delete its own input.
 *
 * The {@link RunDirectory} it returns writes files atomically and remembers them
 * ({@link RunDirectory.files}); {@link RunDirectory.complete} writes the record last.
 *
 * @packageDocumentation
 */
import { lstat, open, readFile, readdir, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { OutDirectoryError, describeSystemError } from '../errors';
import { formatJson } from './json-output';
import { encodeNpy } from './npy';
import { isWriterAlive, prepareOutDirectory, setAsideName, setAsideRecord, type OutDirectoryOptions, type PreparedOutDirectory } from './out-directory';
import { writeFileAtomic } from './write-file-atomic';

/** The names of the records the commands write last: `run.json` (train), `spectrum.json`, `results.json` (reproduce). */
export const RUN_RECORD_NAMES: readonly string[] = ['run.json', 'spectrum.json', 'results.json'];

/**
 * Whether `name` is a plain file name for a run directory: not empty, not `.` or `..`, no path
 * separator, no NUL, not hidden (hidden names are the CLI's temporary files).
 *
 * @param name - a candidate file name.
 * @example
 * ```ts
 * isPlainFileName('W.npy'); // => true
 * isPlainFileName('../W.npy'); // => false
 * ```
 */
export function isPlainFileName(name: string): boolean {
  return name.length > 0 && !name.startsWith('.') && !/[/\\\0]/.test(name);
}

/** An input file of the new run, which preparing the directory must not delete. */
export interface RunInput {
  /** The flag that named it, e.g. `--weights`. */
  flag: string;
  /** The path as given. */
  path: string;
}

/** Options of {@link prepareRunDirectory}. */
export interface RunDirectoryOptions extends OutDirectoryOptions {
  /** The input files of the new run (a previous run there may not list them). */
  inputs?: readonly RunInput[];
}

/** A previous run removed from the directory. */
export interface RemovedRun {
  /** Its record, e.g. `run.json`. */
  record: string;
  /** The files it listed that were removed. */
  files: string[];
}

/** Identity of a file, to recognise an input under another name. */
async function fileIdentity(path: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info === undefined ? undefined : `${info.dev}:${info.ino}`;
}

/** The plain file names a record lists in its `files` map. */
function listedFiles(record: unknown): string[] {
  const files = (record as { files?: unknown } | null)?.files;
  if (files === null || typeof files !== 'object' || Array.isArray(files)) return [];
  return Object.values(files as Record<string, unknown>).filter((name): name is string => typeof name === 'string' && isPlainFileName(name));
}

/** True when `record` carries the `versions.cli` every record the CLI writes has. */
function isCliRecord(record: unknown): boolean {
  const versions = (record as { versions?: unknown } | null)?.versions;
  return versions !== null && typeof versions === 'object' && typeof (versions as { cli?: unknown }).cli === 'string';
}

/**
 * The output directory of one run: atomic writes that it remembers, and the record last. Create
 * it with {@link prepareRunDirectory}.
 */
export class RunDirectory {
  /** The directory as the user gave it. */
  readonly path: string;
  /** The flag that named it (`--out`). */
  readonly flag: string;
  /** What the preparation created and removed. */
  readonly prepared: PreparedOutDirectory;
  /** The previous runs removed by the preparation. */
  readonly removedRuns: readonly RemovedRun[];
  private readonly fileMap: Record<string, string> = {};
  private readonly paths: string[] = [];
  /** The record's name once {@link writeRecord} has written it. */
  private record: string | undefined;
  /** The files the record written last lists. */
  private recorded = new Set<string>();
  private done = false;

  /** @internal Use {@link prepareRunDirectory}. */
  constructor(prepared: PreparedOutDirectory, removedRuns: readonly RemovedRun[]) {
    this.path = prepared.path;
    this.flag = prepared.flag;
    this.prepared = prepared;
    this.removedRuns = removedRuns;
  }

  /**
   * The files written so far, `key → file name`, in the order written: what the record's `files`
   * map must hold.
   *
   * @example
   * ```ts
   * await out.writeNpy('weights', 'W.npy', w.data, [w.rows, w.cols]);
   * out.files; // => { weights: "W.npy" }
   * ```
   */
  get files(): Record<string, string> {
    return { ...this.fileMap };
  }

  /** The paths written so far (the record last, once written). */
  get written(): string[] {
    return [...this.paths];
  }

  /** Whether {@link complete} has written the final record. */
  get completed(): boolean {
    return this.done;
  }

  /**
   * The path of `name` in the directory.
   *
   * @param name - a plain file name ({@link isPlainFileName}).
   * @throws `Error` for a name with a path separator, a hidden name, `..` (a programming error).
   * @example
   * ```ts
   * out.pathOf('W.npy'); // => "runs/d8/W.npy"
   * ```
   */
  pathOf(name: string): string {
    if (!isPlainFileName(name)) throw new Error(`run directory file name ${JSON.stringify(name)} is not a plain file name`);
    return join(this.path, name);
  }

  private claim(key: string, name: string): string {
    if (this.done) throw new Error(`${this.flag} ${JSON.stringify(this.path)}: ${name} written after the record ${this.record ?? ''} completed the run`);
    if (RUN_RECORD_NAMES.includes(name)) throw new Error(`${name} is a record name; write it with complete()`);
    if (this.fileMap[key] !== undefined && this.fileMap[key] !== name) throw new Error(`run directory key ${JSON.stringify(key)} is already ${this.fileMap[key]}`);
    return this.pathOf(name);
  }

  /**
   * Writes `data` to `name` atomically and records it as `key`.
   *
   * @param key - the key in the record's `files` map, e.g. `plot`.
   * @param name - the file name, e.g. `spectrum.svg`.
   * @param data - text (UTF-8) or bytes.
   * @returns the path written.
   * @throws {@link FileError} when the file cannot be written (nothing is left under `name`).
   * @example
   * ```ts
   * await out.writeFile('plot', 'spectrum.svg', svg); // => "runs/semicircle/spectrum.svg"
   * ```
   */
  async writeFile(key: string, name: string, data: string | Uint8Array): Promise<string> {
    const path = this.claim(key, name);
    await writeFileAtomic(path, data);
    this.fileMap[key] = name;
    if (!this.paths.includes(path)) this.paths.push(path);
    return path;
  }

  /**
   * Writes an array as a float64 `.npy` file atomically and records it as `key`.
   *
   * @param key - the key in the record's `files` map, e.g. `weights`.
   * @param name - the file name, e.g. `W.npy`.
   * @param data - the entries, row-major.
   * @param shape - `[n]` or `[rows, cols]`.
   * @returns the path written.
   * @throws {@link FileError} when the file cannot be written.
   * @example
   * ```ts
   * await out.writeNpy('labels', 'y.npy', y, [y.length]); // => "runs/d8/y.npy"
   * ```
   */
  async writeNpy(key: string, name: string, data: Float64Array | readonly number[], shape: readonly number[]): Promise<string> {
    return this.writeFile(key, name, encodeNpy(data, shape));
  }

  /**
   * Writes `value` as JSON (keys sorted, 2-space indent) atomically and records it as `key`.
   *
   * @param key - the key in the record's `files` map.
   * @param name - the file name (not a record name).
   * @param value - anything {@link formatJson} accepts.
   * @returns the path written.
   * @example
   * ```ts
   * await out.writeJson('history', 'history.json', { step: [0, 1] }); // => "runs/d8/history.json"
   * ```
   */
  async writeJson(key: string, name: string, value: unknown): Promise<string> {
    return this.writeFile(key, name, formatJson(value));
  }

  /**
   * Writes (or rewrites) the record atomically and flushes the directory, without ending the
   * run: for a run that records its progress as it goes (`reproduce` rewrites `results.json`
   * after every experiment, so a killed run keeps what finished). The directory then holds a
   * complete record of what is done so far. The record's `files` map must list every file
   * written (pass {@link files}); a record without a `files` key is accepted only when nothing
   * else was written (`results.json`). Call {@link complete} for the last one.
   *
   * @param name - one of {@link RUN_RECORD_NAMES}; the same name every time.
   * @param record - the record (it must carry `versions` from `collectVersions()`).
   * @returns the path of the record.
   * @throws `Error` when a written file is missing from `record.files`, the name is not a record
   *   name or differs from the previous one, `versions.cli` is missing, or the run is complete
   *   (programming errors); {@link FileError} when it cannot be written.
   * @example
   * ```ts
   * await out.writeRecord('results.json', { ...report, versions: collectVersions() }); // => "runs/r/results.json"
   * ```
   */
  async writeRecord(name: string, record: object): Promise<string> {
    if (!RUN_RECORD_NAMES.includes(name)) throw new Error(`${name} is not one of the run record names ${RUN_RECORD_NAMES.join(', ')}`);
    if (this.done) throw new Error(`the run directory ${JSON.stringify(this.path)} is already complete (${this.record ?? name})`);
    if (this.record !== undefined && this.record !== name) throw new Error(`the run directory ${JSON.stringify(this.path)} already has the record ${this.record}, not ${name}`);
    if (!isCliRecord(record)) throw new Error(`the record ${name} lacks versions.cli (add versions: collectVersions())`);
    const listed = new Set(listedFiles(record));
    const unlisted = Object.values(this.fileMap).filter((file) => !listed.has(file));
    if (unlisted.length > 0) throw new Error(`the record ${name} does not list ${unlisted.join(', ')} in files`);
    const path = join(this.path, name);
    await writeFileAtomic(path, formatJson(record));
    this.record = name;
    this.recorded = new Set(Object.values(this.fileMap));
    if (!this.paths.includes(path)) this.paths.push(path);
    await syncDirectory(this.path);
    return path;
  }

  /**
   * Writes the record last, atomically, and flushes the directory, which makes the run
   * complete: {@link writeRecord}, after which nothing more may be written.
   *
   * @param name - one of {@link RUN_RECORD_NAMES}.
   * @param record - the record (it must carry `versions` from `collectVersions()`).
   * @returns the path of the record.
   * @throws as {@link writeRecord}.
   * @example
   * ```ts
   * await out.complete('run.json', { ...output, versions: collectVersions(), files: out.files }); // => "runs/d8/run.json"
   * ```
   */
  async complete(name: string, record: object): Promise<string> {
    const path = await this.writeRecord(name, record);
    this.done = true;
    return path;
  }

  /**
   * Undoes an unfinished run after an error: removes the files written since the last record
   * (all of them when no record was written; nothing after {@link complete}), then, when no
   * record was written, the directories the preparation created, if they are empty. Call it when
   * a command fails between {@link prepareRunDirectory} and {@link complete}, so that an error
   * leaves nothing half-written. Never throws.
   *
   * @example
   * ```ts
   * await out.abandon(); // => undefined
   * ```
   */
  async abandon(): Promise<void> {
    if (this.done) return;
    const keep = new Set([...this.recorded].map((name) => join(this.path, name)));
    if (this.record !== undefined) keep.add(join(this.path, this.record));
    for (const path of this.paths.filter((p) => !keep.has(p))) await unlink(path).catch(() => undefined);
    this.paths.splice(0, this.paths.length, ...this.paths.filter((p) => keep.has(p)));
    for (const [key, name] of Object.entries(this.fileMap)) if (!this.recorded.has(name)) delete this.fileMap[key];
    if (this.record === undefined) for (const dir of [...this.prepared.created].reverse()) await rmdir(dir).catch(() => undefined);
  }

}

/** Flushes a directory's entries (the renames) to disk; best effort (not every system allows it). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Opening or syncing a directory is not supported everywhere (Windows); the files themselves are synced.
  }
}

/**
 * Prepares the `--out` directory of a run before any computation (see the module comment):
 * {@link prepareOutDirectory}, then removes a previous run's record and files.
 *
 * @param dir - the directory as given on the command line.
 * @param flag - the flag that named it (default `--out`).
 * @param options - the run's input files (not to be deleted) and, for tests, the mount table.
 * @returns the {@link RunDirectory} to write into.
 * @throws {@link OutDirectoryError} naming `flag` and `dir`: every case of
 *   {@link prepareOutDirectory}; a record the CLI did not write (`holds a run.json that
 *   shallowscape did not write ...`); a previous run that lists an input of this run; a file
 *   that cannot be removed.
 * @example
 * ```ts
 * const out = await prepareRunDirectory('runs/d8', '--out', { inputs: [{ flag: '--inputs', path: 'X.npy' }] });
 * await out.writeNpy('weights', 'W.npy', w.data, [w.rows, w.cols]);
 * await out.complete('run.json', { ...output, versions: collectVersions(), files: out.files });
 * out.completed; // => true
 * ```
 */
export async function prepareRunDirectory(dir: string, flag = '--out', options: RunDirectoryOptions = {}): Promise<RunDirectory> {
  const prepared = await prepareOutDirectory(dir, flag, options);
  const fail = (reason: string, cause?: unknown): never => {
    throw new OutDirectoryError(flag, dir, reason, cause);
  };
  const absolute = resolve(dir);
  const inputs = new Map<string, RunInput>();
  for (const input of options.inputs ?? []) {
    const id = await fileIdentity(input.path);
    if (id !== undefined) inputs.set(id, input);
  }

  // Records in place, and records set aside by a run that died while removing its predecessor.
  const records: Array<{ record: string; file: string }> = [];
  for (const name of await readdir(absolute)) {
    if (RUN_RECORD_NAMES.includes(name)) records.push({ record: name, file: name });
    const aside = setAsideRecord(name);
    if (aside !== undefined && RUN_RECORD_NAMES.includes(aside.record) && !isWriterAlive(aside.pid)) records.push({ record: aside.record, file: name });
  }

  // Read and check all of them before removing anything.
  const plans: Array<{ record: string; file: string; files: string[] }> = [];
  for (const { record, file } of records) {
    const path = join(absolute, file);
    const info = await lstat(path).catch(() => undefined);
    if (info === undefined) continue;
    if (!info.isFile()) fail(`holds a ${record} that is not a regular file; shallowscape did not write it: remove it or choose another directory`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(path, 'utf8'));
    } catch {
      parsed = undefined;
    }
    if (!isCliRecord(parsed)) {
      fail(`holds a ${record} that shallowscape did not write (it is not a run record); remove it or choose another directory`);
    }
    const files = listedFiles(parsed).filter((name) => !RUN_RECORD_NAMES.includes(name));
    for (const name of files) {
      const id = await fileIdentity(join(absolute, name));
      const input = id === undefined ? undefined : inputs.get(id);
      if (input !== undefined) {
        fail(
          `holds a previous run whose ${name} is this run's ${input.flag} ${JSON.stringify(input.path)}; replacing that run would delete it: choose another directory`,
        );
      }
    }
    plans.push({ record, file, files });
  }

  const removedRuns: RemovedRun[] = [];
  for (const plan of plans) {
    // 1. Set the record aside: from here on the directory is recognisably incomplete.
    let aside = plan.file;
    if (plan.file === plan.record) {
      aside = setAsideName(plan.record);
      try {
        await rename(join(absolute, plan.file), join(absolute, aside));
      } catch (error) {
        fail(`cannot remove the previous run's ${plan.record}: ${describeSystemError(error)}`, error);
      }
    }
    // 2. Remove the files it lists (regular files only; missing ones are fine).
    const removed: string[] = [];
    for (const name of plan.files) {
      const path = join(absolute, name);
      const info = await lstat(path).catch(() => undefined);
      if (info === undefined || !info.isFile()) continue;
      try {
        await unlink(path);
      } catch (error) {
        fail(`cannot remove the previous run's ${name}: ${describeSystemError(error)}`, error);
      }
      removed.push(name);
    }
    // 3. Remove the record.
    await unlink(join(absolute, aside)).catch((error: unknown) => {
      fail(`cannot remove the previous run's ${plan.record}: ${describeSystemError(error)}`, error);
    });
    removedRuns.push({ record: plan.record, files: removed });
  }
  return new RunDirectory(prepared, removedRuns);
}
