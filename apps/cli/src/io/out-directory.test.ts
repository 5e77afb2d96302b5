import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutDirectoryError } from '../errors';
import { bundleForChild, isRoot, type BundledScript } from '../testing/child-process';
import { makeReadOnlyDirectory, tryMountTmpfs, unmount, type ReadOnlyDirectory } from '../testing/read-only-directory';
import {
  findVirtualFileSystem,
  isWriterAlive,
  parseMountInfo,
  prepareOutDirectory,
  removeStaleTemporaries,
  temporaryFileWriter,
} from './out-directory';
import { temporaryPathFor } from './write-file-atomic';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shallowscape-out-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The error `prepareOutDirectory` rejects with, checked to be an {@link OutDirectoryError}. */
async function refusal(path: string, flag = '--out'): Promise<OutDirectoryError> {
  const error = await prepareOutDirectory(path, flag).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `prepareOutDirectory(${JSON.stringify(path)}) should fail`).toBeInstanceOf(OutDirectoryError);
  const e = error as OutDirectoryError;
  expect(e.code).toBe('E_OUT_DIRECTORY');
  expect(e.message).not.toMatch(/\n/);
  expect(e.message.startsWith(`${flag} ${JSON.stringify(path)}: `)).toBe(true);
  return e;
}

/** A pid that is certainly not running: that of a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(child.stdout);
  expect(Number.isSafeInteger(pid) && pid > 0).toBe(true);
  return pid;
}

/** The child script of `testing/io-child.ts`, bundled once. */
let child: BundledScript;
beforeAll(async () => {
  child = await bundleForChild(fileURLToPath(new URL('../testing/io-child.ts', import.meta.url)));
}, 60_000);
afterAll(async () => {
  await child.cleanup();
});

/** Runs `prepareOutDirectory(path, flag)` in a child process, as `uid` when given. */
function prepareInChild(path: string, uid?: number): { ok: boolean; message?: string; created?: string[] } {
  const result = spawnSync(process.execPath, [child.path, 'prepare', path, '--out'], {
    encoding: 'utf8',
    timeout: 30_000,
    ...(uid !== undefined ? { uid, gid: uid } : {}),
  });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { ok: boolean; message?: string; created?: string[] };
}

describe('prepareOutDirectory: creating and checking', () => {
  it('creates a missing directory with its parents, one level at a time, and leaves it empty', async () => {
    const target = join(dir, 'a', 'b', 'c');
    const prepared = await prepareOutDirectory(target, '--out');
    expect(prepared.created).toEqual([join(dir, 'a'), join(dir, 'a', 'b'), target]);
    expect(readdirSync(target)).toEqual([]);
    expect(prepared.path).toBe(target);
  });

  it('accepts an existing directory and leaves its files alone', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const prepared = await prepareOutDirectory(dir);
    expect(prepared.created).toEqual([]);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('refuses a regular file given as the directory, leaving it unchanged', async () => {
    const file = join(dir, 'result.txt');
    writeFileSync(file, 'keep');
    const e = await refusal(file);
    expect(e.message).toBe(`--out ${JSON.stringify(file)}: it is a file, not a directory`);
    expect(readFileSync(file, 'utf8')).toBe('keep');
  });

  it('refuses a path under a regular file, naming that file as the user wrote it', async () => {
    writeFileSync(join(dir, 'file.txt'), 'keep');
    const absolute = join(dir, 'file.txt', 'run', 'x');
    expect((await refusal(absolute)).message).toBe(`--out ${JSON.stringify(absolute)}: ${JSON.stringify(join(dir, 'file.txt'))} is a file, not a directory`);
    const relativePath = relative(process.cwd(), absolute);
    expect((await refusal(relativePath)).message).toBe(
      `--out ${JSON.stringify(relativePath)}: ${JSON.stringify(relative(process.cwd(), join(dir, 'file.txt')))} is a file, not a directory`,
    );
    expect(readdirSync(dir)).toEqual(['file.txt']);
  });

  it('refuses a character device (/dev/null), naming the flag it was given with', async () => {
    const e = await refusal('/dev/null', '--grad-dir');
    expect(e.message).toMatch(/^--grad-dir "\/dev\/null": /);
  });

  it('refuses an empty path', async () => {
    expect((await refusal('')).message).toBe('--out "": the path is empty');
  });
});

describe('prepareOutDirectory: virtual file systems', () => {
  it.each(['/proc/x', '/proc/self/x/y', '/proc', '/sys/x', '/sys/kernel/x'])('refuses %s at once (no endless mkdir)', async (path) => {
    const started = performance.now();
    const e = await refusal(path);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(e.message).toMatch(/is a virtual file system \((proc|sysfs)\), not a place for output files; choose a directory on a disk$/);
  });

  it('refuses /dev/x (devtmpfs) but not the tmpfs at /dev/shm when the mount table says so', () => {
    const mounts = parseMountInfo(
      [
        '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
        '22 27 0:21 / /proc rw,relatime - proc proc rw',
        '24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw',
        '25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw',
        '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw',
        '40 27 0:40 / /mnt/my\\040proc rw - proc proc rw',
      ].join('\n'),
    );
    expect(mounts[5]).toEqual({ mountPoint: '/mnt/my proc', type: 'proc' });
    expect(findVirtualFileSystem('/dev/x', mounts)).toEqual({ mountPoint: '/dev', type: 'devtmpfs' });
    expect(findVirtualFileSystem('/dev/shm/runs', mounts)).toBeUndefined();
    expect(findVirtualFileSystem('/mnt/my proc/1', mounts)).toEqual({ mountPoint: '/mnt/my proc', type: 'proc' });
    expect(findVirtualFileSystem('/mnt/my procs', mounts)).toBeUndefined();
    expect(findVirtualFileSystem('/sys/fs/cgroup/x', mounts)).toEqual({ mountPoint: '/sys', type: 'sysfs' });
    expect(findVirtualFileSystem('/home/me/runs', mounts)).toBeUndefined();
  });

  it('falls back to the prefixes /proc, /sys, /dev without a mount table', () => {
    expect(findVirtualFileSystem('/dev/shm/x', null)).toEqual({ mountPoint: '/dev', type: 'virtual' });
    expect(findVirtualFileSystem('/devices/x', null)).toBeUndefined();
    expect(findVirtualFileSystem('/home/proc', null)).toBeUndefined();
  });

  it('refuses a virtual file system reached through a symbolic link', async () => {
    symlinkSync('/proc/self', join(dir, 'link'));
    const e = await refusal(join(dir, 'link', 'out'));
    expect(e.message).toContain('/proc (through a symbolic link) is a virtual file system (proc)');
  });

  it('refuses a proc file system mounted somewhere else (read from /proc/self/mountinfo)', async () => {
    const mountPoint = join(dir, 'p');
    mkdirSync(mountPoint);
    let mounted = false;
    try {
      execMount(mountPoint);
      mounted = true;
    } catch {
      // Without the right to mount, check the same decision against a mount table that says so.
      expect(findVirtualFileSystem(join(mountPoint, 'x'), [{ mountPoint, type: 'proc' }])).toEqual({ mountPoint, type: 'proc' });
    }
    try {
      if (mounted) {
        const started = performance.now();
        const e = await refusal(join(mountPoint, 'run'));
        expect(performance.now() - started).toBeLessThan(2000);
        expect(e.message).toContain(`${mountPoint} is a virtual file system (proc)`);
      }
    } finally {
      if (mounted) unmount(mountPoint);
    }
  });
});

function execMount(path: string): void {
  const result = spawnSync('mount', ['-t', 'proc', 'proc', path], { stdio: 'ignore', timeout: 10_000 });
  if (result.status !== 0) throw new Error('mount failed');
}

describe('prepareOutDirectory: directories that cannot be written', () => {
  let ro: ReadOnlyDirectory;
  beforeAll(() => {
    ro = makeReadOnlyDirectory();
  });
  afterAll(() => {
    ro.cleanup();
  });

  it('refuses to create a directory on a read-only file system (or without permission), leaving nothing', async () => {
    const target = join(ro.path, 'run', 'sub');
    const expected =
      ro.how === 'mount'
        ? `--out ${JSON.stringify(target)}: cannot create the directory ${JSON.stringify(join(ro.path, 'run'))}: read-only file system (EROFS)`
        : `--out ${JSON.stringify(target)}: cannot create the directory ${JSON.stringify(join(ro.path, 'run'))}: permission denied (EACCES)`;
    if (ro.childUid === undefined) expect((await refusal(target)).message).toBe(expected);
    else expect(prepareInChild(target, ro.childUid)).toEqual({ ok: false, name: 'OutDirectoryError', message: expected });
    expect(readdirSync(ro.path)).toEqual([]);
  });

  it('refuses an existing directory that is not writable', async () => {
    const expected =
      ro.how === 'mount'
        ? `--out ${JSON.stringify(ro.path)}: the directory is not writable: read-only file system (EROFS)`
        : `--out ${JSON.stringify(ro.path)}: the directory is not writable: permission denied (EACCES)`;
    if (ro.childUid === undefined) expect((await refusal(ro.path)).message).toBe(expected);
    else expect(prepareInChild(ro.path, ro.childUid)).toEqual({ ok: false, name: 'OutDirectoryError', message: expected });
  });

  it('refuses a directory without write permission for a user other than root (EACCES)', () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    chmodSync(locked, 0o555);
    chmodSync(dir, 0o755);
    const expected = `--out ${JSON.stringify(join(locked, 'run'))}: cannot create the directory: permission denied (EACCES)`;
    if (isRoot()) expect(prepareInChild(join(locked, 'run'), 65534)).toEqual({ ok: false, name: 'OutDirectoryError', message: expected });
    else expect(prepareInChild(join(locked, 'run'))).toEqual({ ok: false, name: 'OutDirectoryError', message: expected });
    expect(readdirSync(locked)).toEqual([]);
    chmodSync(locked, 0o755);
  });

  // A tmpfs with three inodes: the root and two directories fit, the probe file does not. Only a
  // real mount makes a directory creatable but not writable, so this case needs the right to mount.
  it.skipIf(!canMount())('removes the directories it created when the write probe fails (ENOSPC)', async () => {
    const small = join(dir, 'small');
    mkdirSync(small);
    expect(tryMountTmpfs(small, 'size=1m,nr_inodes=3')).toBe(true);
    try {
      const target = join(small, 'a', 'b');
      expect((await refusal(target)).message).toBe(`--out ${JSON.stringify(target)}: the directory is not writable: no space left on device (ENOSPC)`);
      expect(readdirSync(small)).toEqual([]);
    } finally {
      unmount(small);
    }
  });
});

/** Whether this process may mount file systems (root with CAP_SYS_ADMIN). */
function canMount(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'shallowscape-mount-'));
  try {
    const ok = tryMountTmpfs(probe, 'size=64k');
    if (ok) unmount(probe);
    return ok;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

describe('stale temporary files', () => {
  it('recognises the names of atomic writes and probes, and nothing else', () => {
    expect(temporaryFileWriter('.W.npy.shallowscape-4242-3.tmp')).toBe(4242);
    expect(temporaryFileWriter('.W.npy.4242.3.tmp')).toBe(4242);
    expect(temporaryFileWriter('.shallowscape-probe-77-k2j3')).toBe(77);
    expect(temporaryFileWriter('.notes.txt.4242.3.tmp')).toBeUndefined();
    expect(temporaryFileWriter('W.npy.shallowscape-4242-3.tmp')).toBeUndefined();
    expect(temporaryFileWriter('.W.npy.shallowscape-x-3.tmp')).toBeUndefined();
    const name = temporaryPathFor(join(dir, 'spectrum.svg')).slice(dir.length + 1);
    expect(temporaryFileWriter(name)).toBe(process.pid);
  });

  it('tells live writers from dead ones', () => {
    expect(isWriterAlive(process.pid)).toBe(true);
    expect(isWriterAlive(deadPid())).toBe(false);
    expect(isWriterAlive(0)).toBe(false);
  });

  it('removes the temporaries of dead writers only, and no other file', async () => {
    const dead = deadPid();
    const names = {
      deadNew: `.W.npy.shallowscape-${dead}-1.tmp`,
      deadLegacy: `.X.npy.${dead}.2.tmp`,
      deadProbe: `.shallowscape-probe-${dead}-abc123`,
      live: `.y.npy.shallowscape-${process.pid}-9.tmp`,
      userHidden: `.notes.${dead}.1.tmp`,
      user: 'W.npy',
    };
    for (const name of Object.values(names)) writeFileSync(join(dir, name), 'x');
    const prepared = await prepareOutDirectory(dir);
    expect([...prepared.removedTemporaries].sort()).toEqual([names.deadNew, names.deadLegacy, names.deadProbe].sort());
    expect(readdirSync(dir).sort()).toEqual([names.live, names.userHidden, names.user].sort());
    expect(await removeStaleTemporaries(dir)).toEqual([]);
  });

  it('removes the temporary file of a writer killed with SIGKILL in the middle of a write', async () => {
    const target = join(dir, 'W.npy');
    const writer = spawn(process.execPath, [child.path, 'write', target], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    writer.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      writer.once('message', () => resolve());
      writer.once('exit', (code) => reject(new Error(`the writer exited (${code}) before writing: ${stderr}`)));
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => writer.once('exit', (_code, signal) => resolve(signal)));
    writer.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const left = readdirSync(dir);
    expect(left).toEqual([`.W.npy.shallowscape-${writer.pid}-1.tmp`]);
    expect(readFileSync(join(dir, left[0]!)).length).toBeGreaterThanOrEqual(1 << 20);
    const prepared = await prepareOutDirectory(dir);
    expect(prepared.removedTemporaries).toEqual(left);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(target)).toBe(false);
  });
});
