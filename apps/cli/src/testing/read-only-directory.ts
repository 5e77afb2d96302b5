/**
 * Test support: directories where writing genuinely fails.
 *
 * Root ignores permission bits, so a `chmod 555` directory does not stop a test running as
 * root. {@link makeReadOnlyDirectory} therefore prefers a real read-only file system (a `tmpfs`
 * mounted `ro`, which needs root or CAP_SYS_ADMIN); without one it falls back to permission bits,
 * which stop a process that is not root: the test itself when it is not root, or a child process
 * it starts as `nobody` ({@link ReadOnlyDirectory.childUid}).
 *
 * @packageDocumentation
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOBODY_UID, isRoot } from './child-process';

/** A directory in which creating a file fails. */
export interface ReadOnlyDirectory {
  /** The directory (it exists and is empty). */
  path: string;
  /**
   * How writing is made to fail: `mount` (a read-only tmpfs: `EROFS` for everyone) or `chmod`
   * (mode 555: `EACCES` for users other than root).
   */
  how: 'mount' | 'chmod';
  /**
   * `undefined` when writing fails for this process; else the uid a child process must run as
   * to see the failure (this process is root and only permission bits stop writes).
   */
  childUid: number | undefined;
  /** Unmounts and removes everything. */
  cleanup(): void;
}

/**
 * Tries to mount a `tmpfs` at `path` with `options`; returns whether it worked.
 *
 * @param path - an existing empty directory.
 * @param options - mount options, e.g. `ro,size=1m`.
 * @example
 * ```ts
 * tryMountTmpfs('/tmp/x', 'ro,size=1m'); // => true (as root with CAP_SYS_ADMIN)
 * ```
 */
export function tryMountTmpfs(path: string, options: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', path], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Unmounts `path` (lazily, so a busy mount is still detached); ignores failures.
 *
 * @param path - a mount point.
 */
export function unmount(path: string): void {
  try {
    execFileSync('umount', ['-l', path], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    // not mounted
  }
}

/** True when a file can be created in `dir` by this process. */
function writable(dir: string): boolean {
  const probe = join(dir, '.probe');
  try {
    writeFileSync(probe, 'x');
    rmSync(probe);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes an empty directory in which creating a file genuinely fails (see the module comment).
 *
 * @returns the directory, how it was made read-only, and the uid a child needs, if any.
 * @example
 * ```ts
 * const ro = makeReadOnlyDirectory();
 * ro.how; // => "mount" (as root)
 * ro.cleanup();
 * ```
 */
export function makeReadOnlyDirectory(): ReadOnlyDirectory {
  const base = mkdtempSync(join(tmpdir(), 'shallowscape-ro-'));
  chmodSync(base, 0o755);
  const path = join(base, 'ro');
  mkdirSync(path);
  if (tryMountTmpfs(path, 'ro,size=1m,mode=755') && !writable(path)) {
    return {
      path,
      how: 'mount',
      childUid: undefined,
      cleanup: () => {
        unmount(path);
        rmSync(base, { recursive: true, force: true });
      },
    };
  }
  unmount(path);
  chmodSync(path, 0o555);
  const root = isRoot();
  if (!root && writable(path)) throw new Error(`cannot make a read-only directory: mode 555 does not stop writes to ${path}`);
  return {
    path,
    how: 'chmod',
    childUid: root ? NOBODY_UID : undefined,
    cleanup: () => {
      chmodSync(path, 0o755);
      rmSync(base, { recursive: true, force: true });
    },
  };
}
