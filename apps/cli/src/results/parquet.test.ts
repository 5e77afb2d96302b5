import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { Table as WasmTable, readParquet, writeParquet } from 'parquet-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { parquetToTable, tableToParquet } from './parquet';
import type { CellValue, ResultTable } from './result-table';

const table: ResultTable = {
  columns: [
    { name: 'n', type: 'integer' },
    { name: 'relativeError', type: 'number' },
    { name: 'converged', type: 'boolean' },
    { name: 'status', type: 'string' },
    { name: 'certificate', type: 'json' },
    { name: 'seed', type: 'integer' },
  ],
  rows: [
    [6, 0.1 + 0.2, true, 'done', '{"barrier":1.5}', 2 ** 53 - 1],
    [null, NaN, null, null, null, -(2 ** 53 - 1)],
    [12, 5e-324, false, 'failed, "quoted"\n', '[1,2]', 0],
    [-7, -0, true, '', 'null', 3141592653],
    [0, Infinity, false, 'é😀', '"s"', null],
    [1, -Infinity, null, 'x', '{}', 1],
    [2, 1e-300, true, 'y', '1', 2],
    [3, Number.MAX_VALUE, false, 'z', 'true', 3],
    [4, null, true, 'w', 'false', 4],
  ],
};

/** Cells equal bit for bit (−0 ≠ 0, NaN = NaN). */
function sameCells(a: CellValue[][], b: CellValue[][]): void {
  expect(a.length).toBe(b.length);
  a.forEach((row, i) => row.forEach((v, j) => expect(Object.is(v, b[i]![j]), `row ${i} column ${j}: ${String(v)} vs ${String(b[i]![j])}`).toBe(true)));
}

const dir = mkdtempSync(join(tmpdir(), 'shallowscape-parquet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tableToParquet and parquetToTable', () => {
  it('round-trip every column type, nulls and exact doubles', () => {
    const bytes = tableToParquet(table);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('PAR1');
    expect(new TextDecoder().decode(bytes.subarray(bytes.length - 4))).toBe('PAR1');
    const back = parquetToTable(bytes);
    expect(back.columns).toEqual(table.columns);
    sameCells(back.rows, table.rows);
  });

  it('round-trips an empty table and a large one (one chunk per column)', () => {
    const empty = parquetToTable(tableToParquet({ columns: table.columns, rows: [] }));
    expect(empty).toEqual({ columns: table.columns, rows: [] });
    const rows: CellValue[][] = Array.from({ length: 5000 }, (_, i) => [i, i / 7, i % 3 === 0 ? null : i % 2 === 0, `run ${i}`, null, i * 1000003]);
    const big = { columns: table.columns, rows };
    sameCells(parquetToTable(tableToParquet(big)).rows, rows);
  });

  it('writes numbers in string columns as text and rejects cells that do not fit or repeated names', () => {
    const back = parquetToTable(tableToParquet({ columns: [{ name: 's', type: 'string' }], rows: [[1.5], [true], ['a']] }));
    expect(back.rows).toEqual([['1.5'], ['true'], ['a']]);
    expect(() => tableToParquet({ columns: [{ name: 'n', type: 'integer' }], rows: [[0.5]] })).toThrow(/integer column/);
    expect(() => tableToParquet({ columns: [{ name: 'n', type: 'number' }], rows: [['1']] })).toThrow(/number column/);
    expect(() =>
      tableToParquet({
        columns: [
          { name: 'a', type: 'integer' },
          { name: 'a', type: 'integer' },
        ],
        rows: [],
      }),
    ).toThrow(/distinct column names/);
  });

  it('reads Parquet written elsewhere: int32, float32, dictionary strings; rejects what a results table cannot hold', () => {
    const foreign = tableFromArrays({ i: Int32Array.of(1, -2), f: Float32Array.of(0.5, 1.25), s: ['a', 'b'] });
    const bytes = writeParquet(WasmTable.fromIPCStream(tableToIPC(foreign, 'stream')));
    const back = parquetToTable(bytes);
    expect(back.columns.map((c) => c.type)).toEqual(['integer', 'number', 'string']);
    expect(back.rows).toEqual([
      [1, 0.5, 'a'],
      [-2, 1.25, 'b'],
    ]);
    const big = tableFromArrays({ x: BigInt64Array.of(2n ** 60n) });
    expect(() => parquetToTable(writeParquet(WasmTable.fromIPCStream(tableToIPC(big, 'stream'))))).toThrow(/2\^53/);
    const dates = tableFromArrays({ d: [new Date(0)] });
    expect(() => parquetToTable(writeParquet(WasmTable.fromIPCStream(tableToIPC(dates, 'stream'))))).toThrow(/Parquet column "d"/);
  });

  it('writes a file that Python (pyarrow or pandas) reads back, or else parquet-wasm', () => {
    const file = join(dir, 'runs.parquet');
    writeFileSync(file, tableToParquet(table));
    const script = [
      'import json, math, sys',
      'try:',
      '    import pyarrow.parquet as pq',
      '    t = pq.read_table(sys.argv[1])',
      "    reader = 'pyarrow'",
      '    names = t.column_names',
      '    types = [str(f.type) for f in t.schema]',
      '    cols = [t.column(n).to_pylist() for n in names]',
      'except ImportError:',
      '    import pandas as pd',
      "    df = pd.read_parquet(sys.argv[1])",
      "    reader = 'pandas'",
      '    names = list(df.columns)',
      '    types = [str(t) for t in df.dtypes]',
      '    cols = [[None if v is None or (not isinstance(v, float) and pd.isna(v)) else v for v in df[n].astype(object).tolist()] for n in names]',
      'def cell(v):',
      "    if isinstance(v, float): return {'float': repr(v)}",
      "    if isinstance(v, bool) or v is None or isinstance(v, str): return v",
      "    return {'int': str(v)}",
      "print(json.dumps({'reader': reader, 'names': names, 'types': types, 'columns': [[cell(v) for v in c] for c in cols]}))",
    ].join('\n');
    let reader: string;
    let back: ResultTable;
    let pythonTypes: string[] | undefined;
    let hasPythonReader = false;
    try {
      execFileSync('python3', ['-c', 'import importlib.util as u, sys; sys.exit(0 if u.find_spec("pyarrow") or u.find_spec("pandas") else 1)'], { stdio: 'ignore' });
      hasPythonReader = true;
    } catch {
      hasPythonReader = false;
    }
    if (hasPythonReader) {
      const out = JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as {
        reader: string;
        names: string[];
        types: string[];
        columns: unknown[][];
      };
      reader = out.reader;
      pythonTypes = out.types;
      const value = (v: unknown): CellValue => {
        if (v !== null && typeof v === 'object' && 'float' in v) {
          const r = (v as { float: string }).float;
          return r === 'nan' ? NaN : r === 'inf' ? Infinity : r === '-inf' ? -Infinity : Number(r);
        }
        if (v !== null && typeof v === 'object' && 'int' in v) return Number((v as { int: string }).int);
        return v as CellValue;
      };
      expect(out.names).toEqual(table.columns.map((c) => c.name));
      back = { columns: table.columns, rows: table.rows.map((_, i) => out.columns.map((c) => value(c[i]))) };
    } else {
      reader = 'parquet-wasm';
      back = parquetToTable(new Uint8Array(readFileSync(file)));
    }
    // One of the two readers ran; say which in the test log.
    expect(['pyarrow', 'pandas', 'parquet-wasm']).toContain(reader);
    console.info(`parquet interop: read back with ${reader}`);
    if (reader === 'pyarrow') expect(pythonTypes).toEqual(['int64', 'double', 'bool', 'string', 'string', 'int64']);
    if (reader === 'pandas') {
      // pandas has one missing value for numbers: nullable int64 and boolean columns become float64
      // (1.0/0.0 for true/false) and null becomes NaN. Doubles must still be exact.
      expect(pythonTypes![1]).toBe('float64');
      const type = table.columns.map((c) => c.type);
      back = {
        columns: back.columns,
        rows: back.rows.map((r, i) =>
          r.map((v, j) => {
            if (type[j] !== 'string' && type[j] !== 'json' && table.rows[i]![j] === null && (v === null || Number.isNaN(v))) return null;
            if (type[j] === 'boolean' && typeof v === 'number') return v === 1;
            return v;
          }),
        ),
      };
    }
    sameCells(back.rows, table.rows);
  });
});

describe('parquet-wasm', () => {
  it('loads its WebAssembly from the installed package (the Node build, no fetch)', () => {
    expect(typeof readParquet).toBe('function');
    const before = globalThis.fetch;
    globalThis.fetch = (() => {
      throw new Error('no network');
    }) as typeof fetch;
    try {
      expect(parquetToTable(tableToParquet({ columns: [{ name: 'x', type: 'number' }], rows: [[1]] })).rows).toEqual([[1]]);
    } finally {
      globalThis.fetch = before;
    }
  });
});
