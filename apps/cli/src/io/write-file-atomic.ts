/**
 * Atomic file output: nothing half-written ever appears under the final name.
 *
 * @packageDocumentation
 */
import { close, fsync, openSync, rmSync, writeFile } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { basename, dirname, join } from 'node:path';
import { FileError } from '../errors';

let sequence = 0;

/** The temporary files of the writes in progress in this process. */
const inFlight = new Set<string>();

/**
 * Removes, synchronously, the temporary files of the atomic writes still in progress: for a
 * process that must exit at once (a second Ctrl-C or SIGTERM), so that it leaves no hidden
 * temporary file behind. The final files are untouched (they are only ever renamed into place).
 * Never throws.
 *
 * @returns the temporary paths removed.
 * @example
 * ```ts
 * removeInFlightTemporariesSync(); // => []
 * ```
 */
export function removeInFlightTemporariesSync(): string[] {
  const removed: string[] = [];
  for (const path of inFlight) {
    try {
      rmSync(path, { force: true });
      removed.push(path);
    } catch {
      // best effort: the next preparation of the directory removes it (its writer is dead)
    }
  }
  inFlight.clear();
  return removed;
}

/**
 * The temporary name used for `path`: a hidden file in the same directory (so the final
 * `rename` stays on one file system and is atomic), unique per process and call, and
 * recognisable: `.<name>.shallowscape-<pid>-<n>.tmp`. The writer's pid in the name lets a later
 * run remove the temporary file of a writer that was killed mid-write (`kill -9`): see
 * `removeStaleTemporaries` in `out-directory.ts`.
 *
 * @param path - the destination.
 * @returns the temporary path.
 * @example
 * ```ts
 * temporaryPathFor('runs/W.npy'); // => "runs/.W.npy.shallowscape-4242-1.tmp" (with this process's pid)
 * ```
 */
export function temporaryPathFor(path: string): string {
  sequence += 1;
  return join(dirname(path), `.${basename(path)}.shallowscape-${process.pid}-${sequence}.tmp`);
}

/**
 * Writes `data` to `path` atomically: writes a temporary file in the same directory, flushes it
 * to disk (`fsync`), then renames it over `path`. Readers see either the old file or the whole
 * new one. On any failure the temporary file is removed and nothing at `path` changes.
 *
 * @param path - the destination (relative paths resolve against the working directory).
 * @param data - text (written as UTF-8) or bytes.
 * @throws {@link FileError} naming `path` when the directory is missing or unwritable, `path` is
 * a directory, the disk is full, etc.
 * @example
 * ```ts
 * await writeFileAtomic('result.json', formatJson(result)); // => undefined
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = temporaryPathFor(path);
  let fd: number | undefined;
  let created = false;
  inFlight.add(temporary);
  try {
    // Created synchronously, on the main thread: a forced exit (second signal) that runs between
    // two steps of this write finds the file it must remove. An asynchronous open still pending in
    // the thread pool could create it after that removal and leave it behind.
    fd = openSync(temporary, 'wx');
    created = true;
    await promisify(writeFile)(fd, data);
    await promisify(fsync)(fd);
    const closing = fd;
    fd = undefined;
    await promisify(close)(closing);
    await rename(temporary, path);
  } catch (error) {
    if (fd !== undefined) await promisify(close)(fd).catch(() => undefined);
    if (created) await rm(temporary, { force: true }).catch(() => undefined);
    throw new FileError(path, 'write', error);
  } finally {
    inFlight.delete(temporary);
  }
}
