import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileError } from '../errors';
import { removeInFlightTemporariesSync, temporaryPathFor, writeFileAtomic } from './write-file-atomic';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shallowscape-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes text and leaves no temporary file behind', async () => {
    const path = join(dir, 'result.json');
    await writeFileAtomic(path, '{"a":1}\n');
    expect(await readFile(path, 'utf8')).toBe('{"a":1}\n');
    expect(await readdir(dir)).toEqual(['result.json']);
  });

  it('replaces an existing file and writes bytes exactly', async () => {
    const path = join(dir, 'w.bin');
    await writeFile(path, 'old contents that are longer than the new ones');
    const bytes = new Uint8Array([0, 255, 10, 13, 128]);
    await writeFileAtomic(path, bytes);
    expect(new Uint8Array(await readFile(path))).toEqual(bytes);
    expect(await readdir(dir)).toEqual(['w.bin']);
  });

  it('removes the temporary file when the final rename fails (the target is a directory)', async () => {
    const path = join(dir, 'taken');
    await mkdir(path);
    await writeFile(join(path, 'inside.txt'), 'keep');
    const error = await writeFileAtomic(path, 'data').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).message).toMatch(new RegExp(`^cannot write "${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}": `));
    expect((error as FileError).code).toBe('E_FILE');
    expect(await readdir(dir)).toEqual(['taken']);
    expect(await readdir(path)).toEqual(['inside.txt']);
  });

  it('creates nothing when the directory does not exist', async () => {
    const path = join(dir, 'missing', 'out.json');
    const error = await writeFileAtomic(path, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).message).toBe(`cannot write "${path}": no such file or directory (ENOENT)`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('uses a distinct hidden temporary name in the same directory for every call', () => {
    const path = join(dir, 'out.json');
    const a = temporaryPathFor(path);
    const b = temporaryPathFor(path);
    expect(a).not.toBe(b);
    for (const t of [a, b]) {
      expect(t.startsWith(join(dir, `.out.json.shallowscape-${process.pid}-`))).toBe(true);
      expect(t.endsWith('.tmp')).toBe(true);
    }
  });

  it('removeInFlightTemporariesSync removes the temporary file of a write still in progress, and nothing else', async () => {
    const path = join(dir, 'big.npy');
    await writeFile(join(dir, 'keep.txt'), 'mine');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* data(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(1024);
      await gate;
    }
    // FileHandle.writeFile takes an async iterable at run time: the write waits on the gate.
    const writing = writeFileAtomic(path, data() as unknown as Uint8Array).catch((e: unknown) => e);
    for (let i = 0; i < 100 && (await readdir(dir)).length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    const temporaries = (await readdir(dir)).filter((n) => n.endsWith('.tmp'));
    expect(temporaries).toHaveLength(1);
    expect(removeInFlightTemporariesSync()).toEqual([join(dir, temporaries[0]!)]);
    expect((await readdir(dir)).sort()).toEqual(['keep.txt']);
    release();
    await writing;
    expect(removeInFlightTemporariesSync()).toEqual([]);
  });
});
