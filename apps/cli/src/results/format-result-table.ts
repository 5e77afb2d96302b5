/**
 * A results table as text: aligned columns for a terminal, CSV (RFC 4180) for spreadsheets and
 * data frames, and JSON.
 *
 * Numbers: the terminal table rounds `number` columns to 7 significant digits ({@link formatNumber})
 * and writes `integer` columns exactly (a seed must be copyable); CSV writes every double in
 * JavaScript's shortest round-trip form, so that reading it back (Python's `float`, pandas,
 * `Number`) gives the same double; JSON writes numbers as `JSON.stringify` does, which is the
 * same round-trip form, except that JSON has no NaN, ±Infinity or −0.
 *
 * @packageDocumentation
 */
import { formatNumber } from '../output/format-number';
import type { CellValue, ResultColumn, ResultTable } from './result-table';

/**
 * The text of a cell for a terminal or a report, on one line (line breaks and tabs shown as
 * `\n`, `\t`; a missing value as `-`).
 *
 * @param column - the cell's column (its type decides how numbers are written).
 * @param v - the value.
 * @returns the text.
 * @example
 * ```ts
 * [textCell({ name: 'err', type: 'number' }, Math.PI), textCell({ name: 'n', type: 'integer' }, 20), textCell({ name: 's', type: 'string' }, 'a\nb'), textCell({ name: 's', type: 'string' }, null)]; // => ["3.141593", "20", "a\\nb", "-"]
 * ```
 */
export function textCell(column: ResultColumn, v: CellValue): string {
  if (v === null) return '-';
  if (typeof v === 'number') return column.type === 'number' ? formatNumber(v) : String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return v.replace(/\r\n|\r|\n/g, '\\n').replace(/\t/g, '\\t');
}

/** Width on a terminal, counted in code points (not UTF-16 units). */
function width(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Aligned text columns for reading in a terminal: a header line of column names, then one line
 * per row; cells separated by two spaces, `integer` and `number` columns right-aligned, others
 * left-aligned, trailing spaces trimmed. `number` cells are rounded by {@link formatNumber}
 * (7 significant digits; `NaN`, `Infinity`), `integer` cells written in full, booleans as
 * `true`/`false`, a missing value (null) as `-`; line breaks inside text appear as `\n`.
 *
 * @param table - the table.
 * @returns the text, ending in a newline (empty for a table without columns).
 * @example
 * ```ts
 * formatTable({ columns: [{ name: 'n', type: 'integer' }, { name: 'err', type: 'number' }, { name: 'status', type: 'string' }], rows: [[10, Math.PI, 'done'], [200, null, 'failed']] }); // => "  n       err  status\n 10  3.141593  done\n200         -  failed\n"
 * ```
 */
export function formatTable(table: ResultTable): string {
  const { columns } = table;
  if (columns.length === 0) return '';
  const cells = table.rows.map((row) => columns.map((column, j) => textCell(column, row[j] ?? null)));
  const header = columns.map((c) => textCell({ name: '', type: 'string' }, c.name));
  const widths = columns.map((_, j) => Math.max(width(header[j]!), ...cells.map((r) => width(r[j]!))));
  const right = columns.map((c) => c.type === 'integer' || c.type === 'number');
  const line = (values: readonly string[]): string =>
    values
      .map((v, j) => {
        const pad = ' '.repeat(widths[j]! - width(v));
        return right[j] ? pad + v : v + pad;
      })
      .join('  ')
      .trimEnd();
  return `${[line(header), ...cells.map(line)].join('\n')}\n`;
}

/** A number as CSV writes it: shortest round-trip form, `nan`, `inf`, `-inf`, `-0` in a `number` column. */
function csvNumber(x: number, type: ResultColumn['type']): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return type !== 'integer' && Object.is(x, -0) ? '-0' : String(x);
}

/** One CSV field: quoted (quotes doubled) when it holds a comma, quote, CR or LF, and when it is the empty string. */
function csvField(text: string): string {
  return text === '' || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvCell(column: ResultColumn, v: CellValue): string {
  if (v === null) return '';
  if (typeof v === 'number') return csvNumber(v, column.type);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return csvField(v);
}

/**
 * CSV after RFC 4180: a header row of column names, then one record per row, every line ending in
 * `\n`. A field is quoted when it holds a comma, a double quote, CR or LF (quotes inside doubled),
 * and an empty string is written `""` to tell it from a missing value.
 *
 * - numbers: the shortest text that reads back as the same double (`String(x)`: `0.1`,
 *   `0.30000000000000004`, `5e-324`, `1e+21`), so `float(field)` in Python and pandas'
 *   `read_csv` give the exact value; NaN, Infinity and −Infinity are `nan`, `inf` and `-inf`
 *   (what Python's `float` and pandas read); −0 is `-0` in a `number` column (`float('-0')` is
 *   −0.0) and `0` in an `integer` column;
 * - booleans: `true`, `false`;
 * - a missing value (null): an empty field.
 *
 * @param table - the table.
 * @returns the CSV text.
 * @example
 * ```ts
 * formatCsv({ columns: [{ name: 'x', type: 'number' }, { name: 'note', type: 'string' }], rows: [[0.1 + 0.2, 'a, "b"'], [-Infinity, null]] }); // => "x,note\n0.30000000000000004,\"a, \"\"b\"\"\"\n-inf,\n"
 * ```
 */
export function formatCsv(table: ResultTable): string {
  const { columns } = table;
  const lines = [columns.map((c) => csvField(c.name)).join(','), ...table.rows.map((row) => columns.map((c, j) => csvCell(c, row[j] ?? null)).join(','))];
  return `${lines.join('\n')}\n`;
}

/** A cell as JSON text; a `json` column's valid JSON text is embedded as is. */
function jsonCell(column: ResultColumn, v: CellValue): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return 'null';
  if (column.type === 'json' && typeof v === 'string') {
    try {
      return JSON.stringify(JSON.parse(v));
    } catch {
      return JSON.stringify(v);
    }
  }
  return JSON.stringify(v);
}

/**
 * JSON: an array with one object per row, one row per line. The keys are the column names in
 * column order (even names such as `"0"` that a JavaScript object would reorder); the values are
 * the cells. Choices, since JSON has no such numbers: NaN, Infinity and −Infinity are written as
 * `null` (as `JSON.stringify` does; a missing value is `null` too), and −0 as `0`. A `json`
 * column's cells are embedded as the JSON values they hold (text that is not valid JSON stays a
 * string).
 *
 * @param table - the table.
 * @returns the JSON text, ending in a newline (`[]` for no rows).
 * @example
 * ```ts
 * formatJsonRows({ columns: [{ name: 'n', type: 'integer' }, { name: 'x', type: 'number' }, { name: 'cert', type: 'json' }], rows: [[1, NaN, '{"ok":true}'], [2, 0.5, null]] }); // => "[\n{\"n\":1,\"x\":null,\"cert\":{\"ok\":true}},\n{\"n\":2,\"x\":0.5,\"cert\":null}\n]\n"
 * ```
 */
export function formatJsonRows(table: ResultTable): string {
  const { columns } = table;
  const names = columns.map((c) => JSON.stringify(c.name));
  const lines = table.rows.map((row) => `{${columns.map((c, j) => `${names[j]}:${jsonCell(c, row[j] ?? null)}`).join(',')}}`);
  return lines.length === 0 ? '[]\n' : `[\n${lines.join(',\n')}\n]\n`;
}
