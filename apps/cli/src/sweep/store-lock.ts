/**
 * One sweep writes a store at a time. The lock is a file beside the store, `<store>.lock`, created
 * exclusively (`O_EXCL`) and holding the owner's process id and host; it is removed when the sweep
 * ends. A lock whose process no longer runs on this host (a sweep killed with `kill -9`) is stale
 * and taken over. A second sweep on a locked store refuses at once, before it touches anything;
 * readers (`shallowscape results`) need no lock (the store is in WAL mode).
 *
 * @packageDocumentation
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { describeSystemError } from '../errors';
import { StoreError } from './results-store';

/** A held lock; {@link StoreLock.release} removes it. */
export interface StoreLock {
  readonly path: string;
  release(): void;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

function lockAgeMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Infinity;
  }
}

/**
 * Takes the lock of the store at `storePath`.
 *
 * @param storePath - the store file.
 * @param flag - how the user named it, for messages.
 * @throws {@link StoreError} when another live sweep holds it, or the lock cannot be written.
 */
export function lockStore(storePath: string, flag: string): StoreLock {
  const path = `${storePath}.lock`;
  const me = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() });
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'EEXIST') throw new StoreError(`${flag} ${JSON.stringify(storePath)}: cannot create the lock ${JSON.stringify(path)}: ${describeSystemError(error)}`, flag);
      let owner: { pid?: unknown; host?: unknown; since?: unknown } = {};
      try {
        owner = JSON.parse(readFileSync(path, 'utf8')) as typeof owner;
      } catch {
        // Unreadable or half-written: treated as stale below only if it stays so.
      }
      const pid = typeof owner.pid === 'number' ? owner.pid : null;
      const sameHost = owner.host === hostname();
      if (pid === null && lockAgeMs(path) < 10_000) {
        // Being written this instant by a sweep that is starting.
        throw new StoreError(`${flag} ${JSON.stringify(storePath)} is being opened by another sweep; wait for it to finish, or use another --store`, flag);
      }
      if (pid !== null && (!sameHost || processRuns(pid))) {
        throw new StoreError(
          `${flag} ${JSON.stringify(storePath)} is being written by another sweep (process ${pid}${sameHost ? '' : ` on ${String(owner.host)}`}, since ${String(owner.since)}); wait for it to finish, or use another --store`,
          flag,
        );
      }
      try {
        unlinkSync(path); // stale: its process is gone
      } catch {
        // Another process took it over first: try again.
      }
      continue;
    }
    try {
      writeSync(fd, me);
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        try {
          unlinkSync(path);
        } catch {
          // Already gone.
        }
      },
    };
  }
  throw new StoreError(`${flag} ${JSON.stringify(storePath)}: cannot take the lock ${JSON.stringify(path)} (it keeps reappearing)`, flag);
}
