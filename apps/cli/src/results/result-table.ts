/**
 * The table `shallowscape results` prints: named, typed columns and rows of plain cells. It is
 * the one shape the formatters (text, CSV, JSON, Parquet) and the aggregation read and write.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, ShapeError } from '@shallowscape/linalg';

/** One cell: a number (NaN and ±Infinity allowed), a string, a boolean, or `null` (no value). */
export type CellValue = number | string | boolean | null;

/**
 * A column: its name and the type of its non-null cells.
 *
 * - `integer`: safe integers (`Number.isSafeInteger`), Int64 in Parquet;
 * - `number`: any numbers, NaN and ±Infinity included, Float64 in Parquet;
 * - `string`: text (a cell of another type is written as its text);
 * - `boolean`: `true`/`false`;
 * - `json`: strings holding JSON text (nested values); JSON output embeds them parsed.
 */
export interface ResultColumn {
  name: string;
  type: 'integer' | 'number' | 'string' | 'boolean' | 'json';
}

/** Columns and rows; `rows[i][j]` is the cell of row `i` in column `j`. */
export interface ResultTable {
  columns: ResultColumn[];
  rows: CellValue[][];
}

/**
 * The type of a column from its cells: `integer` if every non-null cell is a safe integer,
 * `number` if every one is a number, `boolean` if every one is a boolean, `string` otherwise
 * (a column of nulls only, or of mixed types, included). `json` is never inferred: set it.
 *
 * @param names - the column names.
 * @param rows - the rows; `rows[i][j]` is the cell of column `j` (a missing cell counts as null).
 * @returns one column per name, in order.
 * @example
 * ```ts
 * inferColumns(['n', 'err', 'ok', 'tag'], [[6, 0.5, true, 'a'], [12, NaN, null, 3]]).map((c) => c.type); // => ["integer", "number", "boolean", "string"]
 * inferColumns(['x'], [[null]]); // => [{"name": "x", "type": "string"}]
 * ```
 */
export function inferColumns(names: string[], rows: CellValue[][]): ResultColumn[] {
  return names.map((name, j) => {
    let integer = true;
    let number = true;
    let boolean = true;
    let any = false;
    for (const row of rows) {
      const v = row[j] ?? null;
      if (v === null) continue;
      any = true;
      if (typeof v !== 'number') integer = number = false;
      else if (!Number.isSafeInteger(v)) integer = false;
      if (typeof v !== 'boolean') boolean = false;
    }
    const type: ResultColumn['type'] = !any ? 'string' : integer ? 'integer' : number ? 'number' : boolean ? 'boolean' : 'string';
    return { name, type };
  });
}

/**
 * Checks the shape of a table: every row has one cell per column, every cell is a
 * {@link CellValue}, and the cells of `integer`, `number` and `boolean` columns have their type.
 * Cells of `string` and `json` columns may be of any cell type (they are written as text).
 *
 * @param table - the table.
 * @param argument - the name errors use for it.
 * @returns the table.
 * @throws ShapeError if a row has the wrong length; InvalidArgumentError if a cell does not fit its column.
 * @example
 * ```ts
 * checkResultTable({ columns: [{ name: 'n', type: 'integer' }], rows: [[1], [null]] }).rows.length; // => 2
 * checkResultTable({ columns: [{ name: 'n', type: 'integer' }], rows: [[1.5]] }); // throws InvalidArgumentError
 * ```
 */
export function checkResultTable(table: ResultTable, argument = 'table'): ResultTable {
  const { columns, rows } = table;
  rows.forEach((row, i) => {
    if (row.length !== columns.length) throw new ShapeError(`${argument}: row ${i} has ${row.length} cells, but there are ${columns.length} columns`, argument);
    columns.forEach((column, j) => {
      const v = row[j];
      const where = `${argument} row ${i}, column ${JSON.stringify(column.name)}`;
      if (v === null) return;
      if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') throw new InvalidArgumentError(where, v, 'a number, string, boolean or null');
      if (column.type === 'integer' && !Number.isSafeInteger(v)) throw new InvalidArgumentError(where, v, 'a safe integer or null (an integer column)');
      if (column.type === 'number' && typeof v !== 'number') throw new InvalidArgumentError(where, v, 'a number or null (a number column)');
      if (column.type === 'boolean' && typeof v !== 'boolean') throw new InvalidArgumentError(where, v, 'true, false or null (a boolean column)');
    });
  });
  return table;
}

/**
 * One row as an object: the column names as keys (as own properties, even `__proto__`), the
 * cells as values. For predicates over a row, such as `results --success EXPR`.
 *
 * @param table - the table.
 * @param i - the row's index.
 * @returns the row's cells by column name (a later column wins over an earlier one of the same name).
 * @example
 * ```ts
 * rowObject({ columns: [{ name: 'n', type: 'integer' }, { name: 'ok', type: 'boolean' }], rows: [[6, true]] }, 0); // => {"n": 6, "ok": true}
 * ```
 */
export function rowObject(table: ResultTable, i: number): Record<string, CellValue> {
  const row = table.rows[i];
  if (row === undefined) throw new InvalidArgumentError('row index', i, `an integer in [0, ${table.rows.length})`);
  return Object.fromEntries(table.columns.map((c, j) => [c.name, row[j] ?? null]));
}
