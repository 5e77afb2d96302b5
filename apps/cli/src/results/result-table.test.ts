import { describe, expect, it } from 'vitest';
import { checkResultTable, inferColumns, rowObject, type ResultTable } from './result-table';

describe('inferColumns', () => {
  it('types columns from their non-null cells', () => {
    const rows = [
      [1, 0.5, true, 'a', null, 1, 2 ** 53, -0],
      [null, 2, false, 'b', null, 'x', 1, 3],
      [3, NaN, null, null, null, true, 0, 4],
    ];
    const columns = inferColumns(['i', 'x', 'b', 's', 'none', 'mixed', 'big', 'negzero'], rows);
    expect(columns.map((c) => c.type)).toEqual(['integer', 'number', 'boolean', 'string', 'string', 'string', 'number', 'integer']);
    expect(columns.map((c) => c.name)).toEqual(['i', 'x', 'b', 's', 'none', 'mixed', 'big', 'negzero']);
  });

  it('treats Infinity as a number, not an integer, and a short row as null', () => {
    expect(inferColumns(['a', 'b'], [[Infinity], [1, 2]]).map((c) => c.type)).toEqual(['number', 'integer']);
    expect(inferColumns([], [])).toEqual([]);
  });
});

describe('checkResultTable', () => {
  const table: ResultTable = {
    columns: [
      { name: 'i', type: 'integer' },
      { name: 'x', type: 'number' },
      { name: 'b', type: 'boolean' },
      { name: 's', type: 'string' },
    ],
    rows: [
      [1, NaN, true, 3],
      [null, null, null, null],
    ],
  };
  it('accepts cells that fit their columns (any cell in a string column)', () => {
    expect(checkResultTable(table)).toBe(table);
  });
  it('rejects rows of the wrong length and cells of the wrong type, naming row and column', () => {
    expect(() => checkResultTable({ ...table, rows: [[1, 2]] })).toThrow(/row 0 has 2 cells, but there are 4 columns/);
    expect(() => checkResultTable({ ...table, rows: [[2 ** 53, 1, true, '']] })).toThrow(/row 0, column "i"/);
    expect(() => checkResultTable({ ...table, rows: [[1, '1', true, '']] })).toThrow(/column "x".*number column/);
    expect(() => checkResultTable({ ...table, rows: [[1, 1, 0, '']] })).toThrow(/column "b".*boolean column/);
    expect(() => checkResultTable({ ...table, rows: [[1, 1, true, {} as unknown as string]] })).toThrow(/column "s"/);
  });
});

describe('rowObject', () => {
  it('maps column names to cells, __proto__ included as an own key', () => {
    const t: ResultTable = { columns: [{ name: '__proto__', type: 'integer' }, { name: 'a.b', type: 'string' }], rows: [[1, 'x']] };
    const o = rowObject(t, 0);
    expect(Object.keys(o)).toEqual(['__proto__', 'a.b']);
    expect(o['a.b']).toBe('x');
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(() => rowObject(t, 1)).toThrow(/row index/);
  });
});
