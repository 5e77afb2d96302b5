/**
 * Output directories (`--out DIR`), prepared before any computation.
 *
 * {@link prepareOutDirectory} turns every way a directory can be unusable into one
 * {@link OutDirectoryError} naming the flag, the path and the reason in words, before the run
 * starts, instead of a raw `ENOENT`/`EEXIST` after it (which loses the run):
 *
 * - a path on a virtual file system (`/proc`, `/sys`, `/dev` and anything mounted as `proc`,
 *   `sysfs`, `devtmpfs`, `cgroup`, ...; see {@link findVirtualFileSystem}). On these, Node's
 *   recursive `mkdir` can loop forever (`--out /proc/x` used to spin at 100% CPU), and nothing
 *   written there is a file anyway. The check looks at the nearest existing ancestor of the path
 *   (symbolic links resolved) and the mount table `/proc/self/mountinfo`; where that cannot be
 *   read, it falls back to the prefixes `/proc`, `/sys`, `/dev`. `/dev/shm` (a `tmpfs`, real
 *   memory-backed storage) is allowed when the mount table says so;
 * - a regular file (or a device, socket, ...) where the directory should be, or as one of its
 *   parents;
 * - a directory that cannot be created (read-only file system, permission denied, disk full)
 *   or is not writable: it is created one level at a time (never with a recursive `mkdir`), then
 *   a probe file is created and removed in it. When the probe fails, the directories this call
 *   created are removed again, so nothing is left behind.
 *
 * It also removes the temporary files of atomic writes (`write-file-atomic.ts`) whose writer is
 * no longer alive: a `kill -9` during a write leaves a hidden `.<name>.shallowscape-<pid>-<n>.tmp`
 * (possibly hundreds of MB) that no later run would otherwise remove. Only names of that exact
 * form (and the form earlier versions used for `.npy`, `.json`, `.csv` and `.svg` files) are
 * touched, and only when process `<pid>` no longer exists.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Stats } from 'node:fs';
import { OutDirectoryError, describeSystemError } from '../errors';

/** Mount types that hold no ordinary files. */
export const VIRTUAL_FILE_SYSTEM_TYPES: ReadonlySet<string> = new Set([
  'proc',
  'sysfs',
  'devtmpfs',
  'devpts',
  'cgroup',
  'cgroup2',
  'debugfs',
  'tracefs',
  'securityfs',
  'configfs',
  'pstore',
  'bpf',
  'fusectl',
  'efivarfs',
  'binfmt_misc',
  'mqueue',
  'hugetlbfs',
  'rpc_pipefs',
  'nsfs',
  'selinuxfs',
]);

/** The prefixes refused when the mount table cannot be read (and `/proc`, `/sys` always). */
export const VIRTUAL_PREFIXES: readonly string[] = ['/proc', '/sys', '/dev'];

/** A mount from `/proc/self/mountinfo`. */
export interface MountEntry {
  /** Where it is mounted (octal escapes such as `\040` decoded). */
  mountPoint: string;
  /** The file-system type, e.g. `ext4`, `proc`, `tmpfs`. */
  type: string;
}

/**
 * Parses the text of `/proc/self/mountinfo` (see `proc(5)`): the fifth field is the mount point,
 * the first field after the ` - ` separator the type.
 *
 * @param text - the file's contents.
 * @returns the mounts in file order (later mounts on the same point hide earlier ones).
 * @example
 * ```ts
 * parseMountInfo('22 27 0:21 / /proc rw,relatime - proc proc rw\n');
 * // => [{ mountPoint: "/proc", type: "proc" }]
 * ```
 */
export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    const separator = fields.indexOf('-');
    if (fields.length < 5 || separator < 5 || separator + 1 >= fields.length) continue;
    const mountPoint = fields[4]!.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
    entries.push({ mountPoint, type: fields[separator + 1]! });
  }
  return entries;
}

/** True when `path` is `root` or lies under it. */
function isUnder(path: string, root: string): boolean {
  if (root === '/') return path.startsWith('/');
  return path === root || path.startsWith(`${root}/`);
}

/** Reads the mount table of this process, or `undefined` where there is none (not Linux). */
function readMountTable(): MountEntry[] | undefined {
  try {
    return parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Finds the virtual file system `path` lies on, if any: the mount with the longest mount point
 * containing `path` (the last one listed for that point) when its type is in
 * {@link VIRTUAL_FILE_SYSTEM_TYPES}; paths under `/proc` and `/sys` always; and, when there is no
 * mount table, paths under any of {@link VIRTUAL_PREFIXES}.
 *
 * @param path - an absolute path with symbolic links resolved.
 * @param mounts - the mount table (default: `/proc/self/mountinfo`; `null` for none).
 * @returns the mount point and type, or `undefined` for an ordinary file system.
 * @example
 * ```ts
 * findVirtualFileSystem('/proc/self/x', []); // => { mountPoint: "/proc", type: "proc" }
 * findVirtualFileSystem('/home/me/runs', [{ mountPoint: '/', type: 'ext4' }]); // => undefined
 * ```
 */
export function findVirtualFileSystem(path: string, mounts: readonly MountEntry[] | null = readMountTable() ?? null): MountEntry | undefined {
  for (const [root, type] of [
    ['/proc', 'proc'],
    ['/sys', 'sysfs'],
  ] as const) {
    if (isUnder(path, root)) return { mountPoint: root, type };
  }
  if (mounts === null) {
    const root = VIRTUAL_PREFIXES.find((prefix) => isUnder(path, prefix));
    return root === undefined ? undefined : { mountPoint: root, type: 'virtual' };
  }
  let best: MountEntry | undefined;
  for (const entry of mounts) {
    if (!isUnder(path, entry.mountPoint)) continue;
    if (best === undefined || entry.mountPoint.length >= best.mountPoint.length) best = entry;
  }
  return best !== undefined && VIRTUAL_FILE_SYSTEM_TYPES.has(best.type) ? best : undefined;
}

/** What the temporary-file names of this and earlier versions look like, and their writer's pid. */
const TEMPORARY_NAME = /^\..+\.shallowscape-(\d+)-\d+\.tmp$/;
const LEGACY_TEMPORARY_NAME = /^\..+\.(?:npy|json|csv|svg)\.(\d+)\.\d+\.tmp$/;
const PROBE_NAME = /^\.shallowscape-probe-(\d+)-[0-9a-z]+$/;
/** The name of the file that set aside a previous run's record while its files are removed. */
const SET_ASIDE_NAME = /^\.(.+)\.shallowscape-(\d+)\.previous$/;

/**
 * The pid of the process that wrote a temporary file of the CLI, from its name, or `undefined`
 * when `name` is not such a file (then it is never removed).
 *
 * @param name - a file name (no directory).
 * @example
 * ```ts
 * temporaryFileWriter('.W.npy.shallowscape-4242-3.tmp'); // => 4242
 * temporaryFileWriter('notes.txt'); // => undefined
 * ```
 */
export function temporaryFileWriter(name: string): number | undefined {
  const match = TEMPORARY_NAME.exec(name) ?? LEGACY_TEMPORARY_NAME.exec(name) ?? PROBE_NAME.exec(name);
  return match === null ? undefined : Number(match[1]);
}

/**
 * The record name and the pid in the name of a set-aside record (`.run.json.shallowscape-<pid>.previous`),
 * or `undefined`.
 *
 * @param name - a file name (no directory).
 * @example
 * ```ts
 * setAsideRecord('.run.json.shallowscape-17.previous'); // => { record: "run.json", pid: 17 }
 * ```
 */
export function setAsideRecord(name: string): { record: string; pid: number } | undefined {
  const match = SET_ASIDE_NAME.exec(name);
  return match === null ? undefined : { record: match[1]!, pid: Number(match[2]) };
}

/**
 * The name under which {@link prepareRunDirectory} sets a previous record aside while it removes
 * that run's files.
 *
 * @param record - the record's name, e.g. `run.json`.
 * @param pid - the process doing it (default: this one).
 * @example
 * ```ts
 * setAsideName('run.json', 17); // => ".run.json.shallowscape-17.previous"
 * ```
 */
export function setAsideName(record: string, pid: number = process.pid): string {
  return `.${record}.shallowscape-${pid}.previous`;
}

/**
 * Whether process `pid` may still be writing: it exists and (where `/proc` tells) runs Node.js or
 * `shallowscape`. A pid that exists but runs another program was reused, so its writer is gone.
 *
 * @param pid - a process id.
 * @example
 * ```ts
 * isWriterAlive(process.pid); // => true
 * ```
 */
export function isWriterAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EPERM') return false;
  }
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
    if (command.length > 0 && !/node|shallowscape/i.test(command)) return false;
  } catch {
    // no /proc (not Linux) or not readable: trust kill(pid, 0).
  }
  return true;
}

/**
 * Removes, from `dir`, the temporary files of atomic writes and write probes whose writer is no
 * longer alive ({@link temporaryFileWriter}, {@link isWriterAlive}). Never touches other files.
 *
 * @param dir - a directory.
 * @returns the names removed.
 * @example
 * ```ts
 * await removeStaleTemporaries('runs/d8'); // => []
 * ```
 */
export async function removeStaleTemporaries(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    const pid = temporaryFileWriter(name);
    if (pid === undefined || isWriterAlive(pid)) continue;
    const path = join(dir, name);
    const info = await lstat(path).catch(() => undefined);
    if (info === undefined || !info.isFile()) continue;
    await unlink(path).catch(() => undefined);
    removed.push(name);
  }
  return removed;
}

/** What {@link prepareOutDirectory} found and did. */
export interface PreparedOutDirectory {
  /** The directory as the user gave it. */
  readonly path: string;
  /** The flag that named it. */
  readonly flag: string;
  /** The directories this call created, outermost first (empty when it existed). */
  readonly created: readonly string[];
  /** The stale temporary files removed ({@link removeStaleTemporaries}). */
  readonly removedTemporaries: readonly string[];
}

/** Numbers the probe files of this process. */
let probeSequence = 0;

/** Options of {@link prepareOutDirectory}, for tests. */
export interface OutDirectoryOptions {
  /** The mount table to check against (default: `/proc/self/mountinfo`; `null`: none, use the prefixes). */
  mounts?: readonly MountEntry[] | null;
}

/** A file-system type in words: "a file", "a character device", ... */
function describeKind(info: Stats): string {
  if (info.isFile()) return 'a file';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isSocket()) return 'a socket';
  return 'not a directory';
}

/**
 * Prepares the output directory `dir` named by `flag`, before any computation: refuses virtual
 * file systems and non-directories, creates it (and its parents, one level at a time) when
 * missing, checks that a file can be created in it, and removes stale temporary files. See the
 * module comment for the cases.
 *
 * @param dir - the directory as given on the command line (relative to the working directory).
 * @param flag - the flag that named it, for messages (default `--out`).
 * @param options - the mount table, for tests.
 * @returns what was created and removed.
 * @throws {@link OutDirectoryError} naming `flag`, `dir` and the reason, e.g.
 *   `--out "/proc/x": /proc is a virtual file system (proc), not a place for output files; choose a directory on a disk`,
 *   `--out "f.txt": it is a file, not a directory`,
 *   `--out "f.txt/run": "f.txt" is a file, not a directory`,
 *   `--out "/mnt/ro/run": cannot create the directory: read-only file system (EROFS)`,
 *   `--out "/srv/runs": the directory is not writable: permission denied (EACCES)`.
 * @example
 * ```ts
 * (await prepareOutDirectory('runs/new', '--out')).created.length; // => 2 (runs and runs/new)
 * ```
 */
export async function prepareOutDirectory(dir: string, flag = '--out', options: OutDirectoryOptions = {}): Promise<PreparedOutDirectory> {
  const fail = (reason: string, cause?: unknown): never => {
    throw new OutDirectoryError(flag, dir, reason, cause);
  };
  if (dir.length === 0) fail('the path is empty');
  if (dir.includes('\0')) fail('the path contains a NUL character');
  const absolute = resolve(dir);
  // The user's spelling of an ancestor, for messages.
  const shown = (path: string): string => JSON.stringify(isAbsolute(dir) ? path : relative(process.cwd(), path) || '.');

  // The nearest existing ancestor (or the directory itself) and the components still missing.
  let existing = absolute;
  const missing: string[] = [];
  let info: Stats;
  for (;;) {
    try {
      info = await stat(existing);
      break;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        const parent = dirname(existing);
        if (parent === existing) return fail('no part of the path exists', error);
        missing.unshift(existing);
        existing = parent;
        continue;
      }
      return fail(`cannot look up ${existing === absolute ? 'the directory' : shown(existing)}: ${describeSystemError(error)}`, error);
    }
  }

  let real: string;
  try {
    real = await realpath(existing);
  } catch (error) {
    return fail(`cannot resolve ${shown(existing)}: ${describeSystemError(error)}`, error);
  }
  const virtual = findVirtualFileSystem(real, options.mounts === undefined ? (readMountTable() ?? null) : options.mounts);
  if (virtual !== undefined) {
    const where = real === existing ? virtual.mountPoint : `${virtual.mountPoint} (through a symbolic link)`;
    fail(`${where} is a virtual file system (${virtual.type}), not a place for output files; choose a directory on a disk`);
  }
  if (!info.isDirectory()) {
    if (missing.length === 0) fail(`it is ${describeKind(info)}, not a directory`);
    fail(`${shown(existing)} is ${describeKind(info)}, not a directory`);
  }

  const created: string[] = [];
  const undo = async (): Promise<void> => {
    for (const path of [...created].reverse()) await rmdir(path).catch(() => undefined);
  };
  for (const path of missing) {
    try {
      await mkdir(path);
      created.push(path);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const raced = code === 'EEXIST' ? await stat(path).catch(() => undefined) : undefined;
      if (raced?.isDirectory() === true) continue;
      await undo();
      const what = path === absolute ? 'the directory' : `the directory ${shown(path)}`;
      if (raced !== undefined) fail(`cannot create ${what}: ${shown(path)} appeared as ${describeKind(raced)}`, error);
      fail(`cannot create ${what}: ${describeSystemError(error)}`, error);
    }
  }

  // Writable? Create and remove a probe file (what the atomic writes will do).
  probeSequence += 1;
  const probe = join(absolute, `.shallowscape-probe-${process.pid}-${probeSequence.toString(36)}${Date.now().toString(36)}`);
  try {
    const handle = await open(probe, 'wx');
    try {
      await handle.write('probe\n');
    } finally {
      await handle.close();
    }
    await unlink(probe);
  } catch (error) {
    await rm(probe, { force: true }).catch(() => undefined);
    await undo();
    fail(`the directory is not writable: ${describeSystemError(error)}`, error);
  }

  let removedTemporaries: string[];
  try {
    removedTemporaries = await removeStaleTemporaries(absolute);
  } catch (error) {
    await undo();
    return fail(`cannot list the directory: ${describeSystemError(error)}`, error);
  }
  return { path: dir, flag, created, removedTemporaries };
}
