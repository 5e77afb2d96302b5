import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResourceLimitError } from '../resources/memory-budget';
import { FileFormatError } from './file-format-error';
import { MAX_TEXT_FILE_BYTES, readArrayFile } from './matrix-file';
import { NPY_MAGIC, encodeNpy, readNpy } from './npy';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shallowscape-limits-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The bytes of a version 1.0 `.npy` header (padded to 64) for `descr`, `fortran` and `shape`. */
function npyHeader(descr: string, fortran: boolean, shape: string): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shape}, }`;
  const padded = 64 * Math.ceil((10 + dict.length + 1) / 64) - 10;
  const bytes = new Uint8Array(10 + padded);
  bytes.set(NPY_MAGIC, 0);
  bytes[6] = 1;
  new DataView(bytes.buffer).setUint16(8, padded, true);
  bytes.set(Buffer.from(`${dict}${' '.repeat(padded - dict.length - 1)}\n`, 'latin1'), 10);
  return bytes;
}

/** A file of `size` bytes starting with `head`, the rest a hole (sparse: it takes no disk space). */
function sparseFile(name: string, head: Uint8Array | string, size: number): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, typeof head === 'string' ? Buffer.from(head) : head);
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
  return path;
}

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    expect((error as Error).message).not.toMatch(/\n/);
    return error as Error;
  }
  return expect.fail('no error');
}

describe('.npy headers are checked against the file size and the memory budget before allocating', () => {
  it('a header that claims a huge shape over a small file is a truncation, found without allocating', () => {
    const header = npyHeader('<f8', false, '(100000, 100000)');
    const path = join(dir, 'huge.npy');
    writeFileSync(path, Buffer.concat([header, Buffer.alloc(64)]));
    const started = performance.now();
    const error = thrown(() => readNpy(path, '--weights'));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error.message).toBe(
      `--weights ${JSON.stringify(path)}: truncated data: shape (100000, 100000) float64 needs 80000000000 bytes after the header, the file has 64`,
    );
  });

  it('a real file above the memory budget is refused before its data is read (a 2.4 GB sparse file)', () => {
    const header = npyHeader('<f8', false, '(300000000,)');
    const path = sparseFile('big.npy', header, header.length + 2.4e9);
    const error = thrown(() => readNpy(path, '--data', { env: { SHALLOWSCAPE_MEMORY_LIMIT: '1GB' } }));
    expect(error).toBeInstanceOf(ResourceLimitError);
    expect(error.message).toBe(
      `--data ${JSON.stringify(path)}: reading its (300000000,) array needs about 2.4 GB of memory, more than the 1 GB allowed by SHALLOWSCAPE_MEMORY_LIMIT; use a smaller file`,
    );
    expect(thrown(() => readArrayFile(path, '--data', { env: { SHALLOWSCAPE_MEMORY_LIMIT: '1GB' } }))).toBeInstanceOf(ResourceLimitError);
  });

  it('an array longer than a typed array allows is refused with a message, not "Invalid typed array length"', () => {
    const header = npyHeader('<f4', false, '(5000000000,)');
    const path = sparseFile('long.npy', header, header.length + 4 * 5e9);
    const error = thrown(() => readNpy(path, '--labels', { budget: { bytes: 1e18, source: 'physical memory', free: 1e18 } }));
    expect(error).toBeInstanceOf(ResourceLimitError);
    expect(error.message).toMatch(/^--labels ".*long\.npy": reading its \(5000000000,\) array needs an array of 5e9 entries, more than the .* a JavaScript typed array can hold; use a smaller file$/);
  });

  it('a header that claims more than 1 MB is refused', () => {
    const bytes = new Uint8Array(64);
    bytes.set(NPY_MAGIC, 0);
    bytes[6] = 2;
    new DataView(bytes.buffer).setUint32(8, 2 ** 31, true);
    const path = join(dir, 'h.npy');
    writeFileSync(path, bytes);
    expect(thrown(() => readNpy(path)).message).toBe(
      `${JSON.stringify(path)}: the .npy header claims to be 2147483648 bytes long; headers over 1048576 bytes are not supported`,
    );
  });

  it('reads data larger than one read chunk exactly: float32, Fortran order, and float64 C order', () => {
    const rows = 1500;
    const cols = 1500; // 2.25e6 entries: 9 MB as float32, over the 8 MB chunk
    const fortran = new Float32Array(rows * cols);
    for (let k = 0; k < fortran.length; k++) fortran[k] = (k % 1013) - 0.5;
    const path = join(dir, 'f.npy');
    writeFileSync(path, Buffer.concat([npyHeader('<f4', true, `(${rows}, ${cols})`), Buffer.from(fortran.buffer)]));
    const { data, shape } = readNpy(path);
    expect(shape).toEqual([rows, cols]);
    for (const [i, j] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [rows - 1, cols - 1],
      [777, 1234],
    ] as const) {
      expect(data[i * cols + j]).toBe(fortran[j * rows + i]);
    }
    const c = new Float64Array(rows * 700).map((_, k) => k * 0.25 - 3);
    writeFileSync(join(dir, 'c.npy'), encodeNpy(c, [rows, 700]));
    const back = readNpy(join(dir, 'c.npy')).data;
    expect(back.length).toBe(c.length);
    expect(Buffer.compare(Buffer.from(back.buffer), Buffer.from(c.buffer))).toBe(0);
  });

  it('a directory is a read error naming the path', () => {
    expect(thrown(() => readNpy(dir, '--data')).message).toBe(`cannot read ${JSON.stringify(dir)}: is a directory (EISDIR)`);
  });
});

describe('.csv and .json files are checked before they are read', () => {
  it('a text file longer than the longest string is refused, saying to use .npy (a sparse file, never read)', () => {
    const path = sparseFile('big.csv', '1,2\n', MAX_TEXT_FILE_BYTES + 1);
    const error = thrown(() => readArrayFile(path, '--data'));
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error.message).toMatch(/^--data ".*big\.csv": the file is 537 MB; \.csv files are read whole and can be at most 537 MB: save large arrays as \.npy$/);
  });

  it('a text file whose parsing would not fit in the memory budget is refused', () => {
    const path = join(dir, 'y.json');
    writeFileSync(path, `[${Array.from({ length: 1000 }, (_, k) => k).join(', ')}]`);
    const error = thrown(() => readArrayFile(path, '--labels', { env: { SHALLOWSCAPE_MEMORY_LIMIT: '10kB' } }));
    expect(error).toBeInstanceOf(ResourceLimitError);
    expect(error.message).toBe(
      `--labels ${JSON.stringify(path)}: reading this 4.9 kB .json file needs about 49 kB of memory, more than the 10 kB allowed by SHALLOWSCAPE_MEMORY_LIMIT; save large arrays as .npy`,
    );
    expect(readArrayFile(path, '--labels').shape).toEqual([1000]);
  });
});
