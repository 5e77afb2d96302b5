import { describe, expect, it } from 'vitest';
import { Matrix } from './matrix';
import { InvalidArgumentError, ShapeError } from './errors';

describe('Matrix', () => {
  it('stores entries row-major and round-trips through nested arrays', () => {
    const a = Matrix.from([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a.get(1, 2)).toBe(6);
    expect(a.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('copies on every factory and method: no hidden aliasing', () => {
    const rows = [
      [1, 2],
      [3, 4],
    ];
    const a = Matrix.from(rows);
    rows[0]![0] = 99;
    expect(a.get(0, 0)).toBe(1);
    const b = a.clone();
    b.set(0, 0, 7);
    expect(a.get(0, 0)).toBe(1);
    const r = a.row(1);
    r[0] = -1;
    expect(a.get(1, 0)).toBe(3);
    const arr = a.toArray();
    arr[1]![1] = 0;
    expect(a.get(1, 1)).toBe(4);
    const values = [1, 2, 3, 4];
    const c = Matrix.fromRowMajor(2, 2, values);
    values[0] = 5;
    expect(c.get(0, 0)).toBe(1);
  });

  it('adopts the Float64Array given to the constructor (documented ownership transfer)', () => {
    const data = new Float64Array([1, 2, 3, 4]);
    const a = new Matrix(2, 2, data);
    expect(a.data).toBe(data);
  });

  it('builds zeros, identity, diagonal and column-stacked matrices', () => {
    expect(Matrix.zeros(2, 3).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(Matrix.identity(3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(Matrix.diagonal([2, 3]).toArray()).toEqual([
      [2, 0],
      [0, 3],
    ]);
    expect(Matrix.fromColumns([[1, 2], [3, 4], [5, 6]]).toArray()).toEqual([
      [1, 3, 5],
      [2, 4, 6],
    ]);
    expect(Matrix.zeros(0, 4).shape).toEqual([0, 4]);
    expect(Matrix.from([]).shape).toEqual([0, 0]);
  });

  it('transposes (including across the 32-wide blocking boundary)', () => {
    const n = 37;
    const m = 45;
    const a = new Matrix(n, m);
    for (let k = 0; k < n * m; k++) a.data[k] = k;
    const t = a.transpose();
    expect(t.shape).toEqual([m, n]);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) expect(t.get(j, i)).toBe(a.get(i, j));
  });

  it('extracts rows, columns, diagonals and blocks', () => {
    const a = Matrix.from([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(Array.from(a.column(1))).toEqual([2, 5, 8]);
    expect(Array.from(a.diagonal())).toEqual([1, 5, 9]);
    expect(a.slice(1, 3, 0, 2).toArray()).toEqual([
      [4, 5],
      [7, 8],
    ]);
  });

  it('rejects bad sizes, ragged rows and out-of-range indices with typed errors', () => {
    expect(() => new Matrix(-1, 2)).toThrow(InvalidArgumentError);
    expect(() => new Matrix(-1, 2)).toThrow(/rows: -1/);
    expect(() => new Matrix(2, 1.5)).toThrow(/cols: 1.5/);
    expect(() => new Matrix(2, 2, new Float64Array(3))).toThrow(ShapeError);
    expect(() => Matrix.from([[1, 2], [3]])).toThrow(/rows\[1\] has length 1, expected 2/);
    expect(() => Matrix.from([[1, 'x' as unknown as number]])).toThrow(/rows\[0\]\[1\]/);
    expect(() => Matrix.identity(2).get(2, 0)).toThrow(/row index: 2/);
    expect(() => Matrix.identity(2).slice(0, 3)).toThrow(InvalidArgumentError);
  });
});
