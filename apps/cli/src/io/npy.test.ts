import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRng } from '@shallowscape/linalg';
import { loadFixture } from '@shallowscape/test-utils';
import { FileError } from '../errors';
import { FileFormatError } from './file-format-error';
import { encodeNpy, formatShape, parseNpy, readNpy, writeNpy } from './npy';

const fixture = (name: string): string => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const expected = loadFixture<Record<string, { shape: number[]; data: number[] }>>(import.meta.url, 'fixtures/expected.json');

/** Bitwise equality of float64 values (distinguishes -0 from 0, compares NaN payload-free). */
function expectBitwiseEqual(actual: ArrayLike<number>, wanted: ArrayLike<number>): void {
  expect(actual.length).toBe(wanted.length);
  for (let k = 0; k < wanted.length; k++) {
    if (!Object.is(actual[k], wanted[k])) expect.fail(`entry ${k}: ${actual[k]} !== ${wanted[k]}`);
  }
}

function formatError(name: string): FileFormatError {
  try {
    readNpy(fixture(name), '--data');
  } catch (error) {
    expect(error).toBeInstanceOf(FileFormatError);
    return error as FileFormatError;
  }
  return expect.fail(`${name} was accepted`);
}

describe('readNpy on files written by numpy', () => {
  const npyNames = Object.keys(expected).filter((n) => n.endsWith('.npy'));

  it('covers float64 and float32, C and Fortran order, 1-D and 2-D, versions 1.0, 2.0, 3.0', () => {
    expect(npyNames.sort()).toEqual(
      ['f4-1d.npy', 'f4-c-2d.npy', 'f4-f-2d.npy', 'f8-1d.npy', 'f8-c-2d.npy', 'f8-col.npy', 'f8-empty-rows.npy', 'f8-f-2d.npy', 'f8-v2.npy', 'f8-v3.npy'].sort(),
    );
  });

  for (const name of npyNames) {
    it(`reads ${name} exactly (row-major, bit for bit)`, () => {
      const { data, shape } = readNpy(fixture(name));
      expect(shape).toEqual(expected[name]!.shape);
      expectBitwiseEqual(data, expected[name]!.data);
    });
  }

  it('keeps -0, subnormals and the largest double exactly', () => {
    const { data } = readNpy(fixture('f8-c-2d.npy'));
    expect(Object.is(data[1], -0)).toBe(true);
    expect(data[2]).toBe(5e-324);
    expect(data[3]).toBe(Number.MAX_VALUE);
  });

  it('writes the same bytes as numpy.save for float64 C-order arrays', async () => {
    for (const name of ['f8-c-2d.npy', 'f8-1d.npy', 'f8-col.npy', 'f8-empty-rows.npy']) {
      const { data, shape } = readNpy(fixture(name));
      const ours = encodeNpy(data, shape);
      const numpys = new Uint8Array(await readFile(fixture(name)));
      expect(Buffer.from(ours).equals(Buffer.from(numpys)), name).toBe(true);
    }
  });
});

describe('readNpy rejects what it does not support, naming the file and the defect', () => {
  const cases: Array<[string, RegExp]> = [
    ['bad-big-endian.npy', /unsupported big-endian 64-bit float dtype '>f8'; only little-endian float64 \('<f8'\) and float32 \('<f4'\)/],
    ['bad-big-endian-f4.npy', /unsupported big-endian 32-bit float dtype '>f4'/],
    ['bad-int64.npy', /unsupported 64-bit signed integer dtype '<i8'/],
    ['bad-uint8.npy', /unsupported 8-bit unsigned integer dtype '\|u1'/],
    ['bad-bool.npy', /unsupported boolean dtype '\|b1'/],
    ['bad-complex.npy', /unsupported 128-bit complex dtype '<c16'/],
    ['bad-float16.npy', /unsupported 16-bit float dtype '<f2'/],
    ['bad-unicode.npy', /unsupported unicode string dtype '<U2'/],
    ['bad-structured.npy', /unsupported structured \(record\) dtype/],
    ['bad-object.npy', /unsupported Python object dtype '\|O'/],
    ['bad-3d.npy', /the array has 3 dimensions, shape \(2, 2, 2\); only 1-D and 2-D arrays are supported/],
    ['bad-scalar.npy', /0-dimensional \(a scalar\)/],
    ['bad-truncated.npy', /truncated data: shape \(3, 3\) float64 needs 72 bytes after the header, the file has 64$/],
    ['bad-truncated-header.npy', /truncated \.npy header/],
    ['bad-trailing.npy', /8 unexpected bytes after the data of shape \(3, 3\) float64$/],
    ['bad-magic.npy', /not a \.npy file: it does not start with the magic string/],
    ['bad-version.npy', /unsupported \.npy format version 4\.0 \(supported: 1\.0, 2\.0, 3\.0\)/],
    ['bad-extra-key.npy', /unexpected key 'extra'/],
    ['bad-missing-key.npy', /lacks the key 'fortran_order'/],
    ['bad-syntax.npy', /malformed \.npy header: expected ',' or '}' at character/],
    ['bad-negative-shape.npy', /'shape' holds something other than non-negative integers/],
  ];
  for (const [name, pattern] of cases) {
    it(name, () => {
      const error = formatError(name);
      expect(error.message).toMatch(pattern);
      expect(error.message.startsWith(`--data ${JSON.stringify(fixture(name))}: `)).toBe(true);
      expect(error.message).not.toContain('\n');
      expect(error.code).toBe('E_FILE_FORMAT');
    });
  }

  it('an empty file', () => {
    expect(() => parseNpy(new Uint8Array(0), 'e.npy')).toThrow('"e.npy": not a .npy file: the file is empty');
  });

  it('a missing file is a FileError naming it', () => {
    expect(() => readNpy('/nonexistent/x.npy')).toThrow(FileError);
    expect(() => readNpy('/nonexistent/x.npy')).toThrow('cannot read "/nonexistent/x.npy": no such file or directory (ENOENT)');
  });

  it('every truncation of a valid file is rejected, never misread', () => {
    const bytes = encodeNpy(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    for (let length = 0; length < bytes.length; length++) {
      expect(() => parseNpy(bytes.subarray(0, length), 't.npy'), `length ${length}`).toThrow(FileFormatError);
    }
    expect(parseNpy(bytes, 't.npy').shape).toEqual([2, 3]);
  });
});

describe('the header parser accepts the Python literal variations numpy and others write', () => {
  function withHeader(header: string, data: Float64Array): Uint8Array {
    const text = `${header}${' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64)}\n`;
    const bytes = new Uint8Array(10 + text.length + data.length * 8);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
    new DataView(bytes.buffer).setUint16(8, text.length, true);
    bytes.set(Buffer.from(text, 'latin1'), 10);
    bytes.set(new Uint8Array(data.buffer), 10 + text.length);
    return bytes;
  }
  const data = new Float64Array([1, 2, 3, 4, 5, 6]);

  it('keys in another order, double quotes, no trailing comma, Python 2 long integers', () => {
    for (const header of [
      "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f8'}",
      '{"descr": "<f8", "fortran_order": False, "shape": (2, 3)}',
      "{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L), }",
    ]) {
      const parsed = parseNpy(withHeader(header, data), 'h.npy');
      expect(parsed.shape).toEqual([2, 3]);
      expectBitwiseEqual(parsed.data, data);
    }
  });

  it('Fortran order transposes the storage into row-major', () => {
    const parsed = parseNpy(withHeader("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", data), 'h.npy');
    // Column-major storage 1..6 of a 2×3 array is [[1, 3, 5], [2, 4, 6]].
    expectBitwiseEqual(parsed.data, [1, 3, 5, 2, 4, 6]);
  });

  it('rejects a duplicate key, a non-boolean fortran_order, a list shape and a float in the shape', () => {
    const bad: Array<[string, string]> = [
      ["{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (6,)}", "key 'descr' appears twice"],
      ["{'descr': '<f8', 'fortran_order': 0, 'shape': (6,)}", "'fortran_order' is not True or False"],
      ["{'descr': '<f8', 'fortran_order': False, 'shape': [6]}", "'shape' is not a tuple"],
      ["{'descr': '<f8', 'fortran_order': False, 'shape': (6.0,)}", 'expected an integer, found a float'],
      ["{'descr': '<f8', 'fortran_order': False, 'shape': (6,)} x", 'after the dict'],
      ["('descr', '<f8')", 'it is not a dict'],
    ];
    for (const [header, message] of bad) expect(() => parseNpy(withHeader(header, data), 'h.npy'), header).toThrow(message);
  });
});

describe('writeNpy', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shallowscape-npy-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips seeded random matrices and vectors bit for bit, including -0 and extremes', async () => {
    const rng = createRng(11);
    for (const shape of [[1], [7], [0], [1, 1], [3, 5], [5, 3], [0, 4], [4, 0]]) {
      const count = shape.reduce((a, b) => a * b, 1);
      const data = new Float64Array(count);
      for (let k = 0; k < count; k++) data[k] = rng.normal() * 10 ** Math.round(rng.normal() * 100);
      if (count > 2) {
        data[0] = -0;
        data[1] = Number.MIN_VALUE;
        data[2] = -Number.MAX_VALUE;
      }
      const path = join(dir, `a-${shape.join('x')}.npy`);
      await writeNpy(path, data, shape);
      const back = readNpy(path);
      expect(back.shape).toEqual(shape);
      expectBitwiseEqual(back.data, data);
    }
  });

  it('writes headers padded to a multiple of 64 bytes, version 1.0', () => {
    for (const shape of [[3], [12, 34], [123456, 7]]) {
      const count = shape.reduce((a, b) => a * b, 1);
      const bytes = encodeNpy(new Float64Array(count), shape);
      expect(bytes[6]).toBe(1);
      const headerLength = new DataView(bytes.buffer).getUint16(8, true);
      expect((10 + headerLength) % 64).toBe(0);
      expect(bytes[10 + headerLength - 1]).toBe(0x0a);
      expect(bytes.length).toBe(10 + headerLength + 8 * count);
    }
  });

  it('rejects a shape that does not match the data and leaves no file', async () => {
    const path = join(dir, 'bad.npy');
    await expect(writeNpy(path, new Float64Array(5), [2, 3])).rejects.toThrow('invalid shape');
    await expect(writeNpy(path, new Float64Array(8), [2, 2, 2])).rejects.toThrow('one or two non-negative integers');
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports an unwritable destination as a FileError and leaves nothing behind', async () => {
    await expect(writeNpy(join(dir, 'missing', 'W.npy'), new Float64Array(1), [1])).rejects.toThrow(FileError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('formatShape prints tuples as Python does', () => {
    expect(formatShape([3])).toBe('(3,)');
    expect(formatShape([3, 4])).toBe('(3, 4)');
    expect(formatShape([])).toBe('()');
  });
});
