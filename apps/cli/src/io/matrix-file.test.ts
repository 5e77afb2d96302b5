import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Matrix, createRng, gaussianMatrix } from '@shallowscape/linalg';
import { loadFixture } from '@shallowscape/test-utils';
import { FileError } from '../errors';
import { FileFormatError } from './file-format-error';
import { matrixFileFormat, readArrayFile, readMatrixFile, readVectorFile, writeMatrixFile, writeVectorFile } from './matrix-file';

const fixture = (name: string): string => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const expected = loadFixture<Record<string, { shape: number[]; data: number[] }>>(import.meta.url, 'fixtures/expected.json');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shallowscape-matrix-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

function rejection(path: string, argument = '--inputs'): string {
  try {
    readMatrixFile(path, argument);
  } catch (error) {
    expect(error).toBeInstanceOf(FileFormatError);
    const message = (error as Error).message;
    expect(message.startsWith(`${argument} ${JSON.stringify(path)}: `)).toBe(true);
    expect(message).not.toContain('\n');
    return message.slice(`${argument} ${JSON.stringify(path)}: `.length);
  }
  return expect.fail(`${path} was accepted`);
}

describe('matrixFileFormat', () => {
  it('recognises .npy, .csv, .json in any case and rejects anything else', () => {
    expect(matrixFileFormat('a/b.NPY')).toBe('npy');
    expect(matrixFileFormat('x.csv')).toBe('csv');
    expect(matrixFileFormat('x.Json')).toBe('json');
    expect(() => matrixFileFormat('x.txt', '--data')).toThrow('--data "x.txt": unknown matrix file extension ".txt" (expected .npy, .csv or .json)');
    expect(() => matrixFileFormat('x')).toThrow('unknown matrix file extension "(none)"');
  });
});

describe('readMatrixFile and readVectorFile', () => {
  it('read numpy files as matrices; a 1-D array becomes a column', () => {
    const m = readMatrixFile(fixture('f8-f-2d.npy'));
    expect(m.shape).toEqual(expected['f8-f-2d.npy']!.shape);
    expect(Array.from(m.data)).toEqual(expected['f8-f-2d.npy']!.data);
    const column = readMatrixFile(fixture('f8-1d.npy'));
    expect(column.shape).toEqual([5, 1]);
    expect(Array.from(column.data)).toEqual(expected['f8-1d.npy']!.data);
    expect(readMatrixFile(fixture('f8-empty-rows.npy')).shape).toEqual([0, 3]);
  });

  it('read vectors of shape (N,) and (N, 1), and reject other shapes', () => {
    expect(Array.from(readVectorFile(fixture('f4-1d.npy')))).toEqual(expected['f4-1d.npy']!.data);
    expect(Array.from(readVectorFile(fixture('f8-col.npy')))).toEqual(expected['f8-col.npy']!.data);
    expect(() => readVectorFile(fixture('f8-c-2d.npy'), '--labels')).toThrow(
      `--labels ${JSON.stringify(fixture('f8-c-2d.npy'))}: expected a vector of shape (N,) or (N, 1), found shape (3, 4)`,
    );
  });

  it('read numpy.savetxt CSV output exactly, skipping its "# a,b" header comment', () => {
    const m = readMatrixFile(fixture('savetxt.csv'));
    expect(m.shape).toEqual([3, 2]);
    expect(Array.from(m.data)).toEqual(expected['savetxt.csv']!.data);
  });

  it('reject NaN and ±Infinity with their position in every format', async () => {
    expect(rejection(fixture('nan-at-1-2.npy'))).toBe('non-finite entry NaN at [1, 2]');
    expect(rejection(fixture('neginf-at-3.npy'))).toBe('non-finite entry -Infinity at [3]');
    expect(rejection(await fileWith('a.csv', '1,2,3\n# comment\n\n4,nan,6\n'))).toBe('non-finite entry NaN at line 4, field 2');
    expect(rejection(await fileWith('b.csv', '1,-inf\n'))).toBe('non-finite entry -Infinity at line 1, field 2');
    expect(rejection(await fileWith('c.csv', '1,2\n3, Infinity\n'))).toBe('non-finite entry Infinity at line 2, field 2');
    expect(rejection(await fileWith('a.json', '[[1, 2], [3, "NaN"]]'))).toBe('non-finite entry NaN at [1][1]');
    expect(rejection(await fileWith('b.json', '[1, 2, "-Infinity"]'))).toBe('non-finite entry -Infinity at [2]');
    expect(rejection(await fileWith('c.json', '[1e999]'))).toBe('non-finite entry Infinity at [0]');
  });

  it('report unreadable files as FileError', () => {
    expect(() => readMatrixFile(join(dir, 'missing.csv'), '--data')).toThrow(FileError);
    expect(() => readMatrixFile(join(dir, 'missing.csv'), '--data')).toThrow(`cannot read ${JSON.stringify(join(dir, 'missing.csv'))}`);
  });
});

describe('CSV', () => {
  it('reads rows of comma-separated numbers with spaces, CRLF line ends, blank and # lines', async () => {
    const path = await fileWith('m.csv', '# W\r\n 1, -2.5e-3 ,+3\r\n\r\n.5,6.,-7E2\r\n');
    const { data, shape } = readArrayFile(path);
    expect(shape).toEqual([2, 3]);
    expect(Array.from(data)).toEqual([1, -0.0025, 3, 0.5, 6, -700]);
  });

  it('rejects a ragged row naming its line and the first line', async () => {
    expect(rejection(await fileWith('r.csv', '1,2,3\n4,5,6\n\n7,8\n'))).toBe('line 4 has 2 fields, but line 1 has 3 (every row needs the same number)');
  });

  it('rejects a header line, explaining how to keep it', async () => {
    expect(rejection(await fileWith('h.csv', 'x1,x2\n1,2\n'))).toBe(
      `line 1 looks like a header ("x1,x2"); header lines are not supported: delete it or start it with '#'`,
    );
  });

  it('rejects non-numbers and empty fields, naming line and field', async () => {
    expect(rejection(await fileWith('n.csv', '1,2\n3,abc\n'))).toBe('line 2, field 2: "abc" is not a number');
    expect(rejection(await fileWith('e.csv', '1,,2\n'))).toBe('line 1, field 2: empty field');
    expect(rejection(await fileWith('q.csv', '"1",2\n'))).toBe('line 1, field 1: "\\"1\\"" is not a number');
    expect(rejection(await fileWith('x.csv', '0x10,2\n'))).toBe('line 1, field 1: "0x10" is not a number');
    expect(rejection(await fileWith('s.csv', '1;2\n'))).toBe('line 1, field 1: "1;2" is not a number (fields are separated by commas)');
  });

  it('rejects a file without numbers', async () => {
    expect(rejection(await fileWith('z.csv', '\n# nothing\n'))).toBe('no data: the file has no rows of numbers');
  });
});

describe('JSON', () => {
  it('reads a flat array as 1-D and nested rows as 2-D', async () => {
    expect(readArrayFile(await fileWith('v.json', '[1, 2.5, -3]'))).toMatchObject({ shape: [3] });
    const m = readMatrixFile(await fileWith('m.json', '[[1, 2], [3, 4], [5, 6]]'));
    expect(m.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(readArrayFile(await fileWith('e.json', '[]')).shape).toEqual([0]);
  });

  it('rejects ragged rows, deeper nesting, mixed entries, strings, objects and invalid JSON', async () => {
    expect(rejection(await fileWith('r.json', '[[1, 2], [3]]'))).toBe('row [1] has 1 entries, but row [0] has 2 (every row needs the same number)');
    expect(rejection(await fileWith('d.json', '[[[1]]]'))).toBe('entry [0][0] is an array: only flat arrays and arrays of rows (2-D) are supported');
    expect(rejection(await fileWith('x.json', '[[1], 2]'))).toBe('entry [1] is 2, but entry [0] is a row (an array)');
    expect(rejection(await fileWith('y.json', '[1, [2]]'))).toBe('entry [1] is an array, not a number');
    expect(rejection(await fileWith('s.json', '[[1, "2"]]'))).toBe('entry [0][1] is the string "2", not a number');
    expect(rejection(await fileWith('n.json', '[1, null]'))).toBe('entry [1] is null, not a number');
    expect(rejection(await fileWith('o.json', '{"a": 1}'))).toBe('expected a JSON array of numbers or of rows, found an object');
    expect(rejection(await fileWith('i.json', '[1, 2'))).toMatch(/^invalid JSON: /);
  });
});

describe('writeMatrixFile and writeVectorFile', () => {
  it('round-trip seeded random matrices exactly through .npy, .csv and .json', async () => {
    const rng = createRng(5);
    const m = gaussianMatrix(4, 3, rng);
    m.data[0] = 1e-310;
    m.data[1] = -123456789 - 1 / 7;
    for (const ext of ['npy', 'csv', 'json']) {
      const path = join(dir, `m.${ext}`);
      await writeMatrixFile(path, m);
      const back = readMatrixFile(path);
      expect(back.shape).toEqual([4, 3]);
      expect(Array.from(back.data), ext).toEqual(Array.from(m.data));
    }
    const v = gaussianMatrix(1, 6, rng).data;
    for (const ext of ['npy', 'csv', 'json']) {
      const path = join(dir, `v.${ext}`);
      await writeVectorFile(path, v);
      expect(Array.from(readVectorFile(path)), ext).toEqual(Array.from(v));
    }
    expect(readArrayFile(join(dir, 'v.npy')).shape).toEqual([6]);
    expect(readArrayFile(join(dir, 'v.csv')).shape).toEqual([6, 1]);
  });

  it('write readable text', async () => {
    const m = Matrix.from([
      [1, 0.5],
      [-2, 3],
    ]);
    await writeMatrixFile(join(dir, 'a.csv'), m);
    await writeMatrixFile(join(dir, 'a.json'), m);
    expect(await readFile(join(dir, 'a.csv'), 'utf8')).toBe('1,0.5\n-2,3\n');
    expect(await readFile(join(dir, 'a.json'), 'utf8')).toBe('[\n  [1, 0.5],\n  [-2, 3]\n]\n');
  });

  it('reject an unknown extension before creating anything', async () => {
    await expect(writeMatrixFile(join(dir, 'a.txt'), Matrix.zeros(1, 1), '--grad-out')).rejects.toThrow('--grad-out');
    expect(await readdir(dir)).toEqual([]);
  });
});
