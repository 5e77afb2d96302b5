/**
 * Results tables as Parquet files, which pandas (`pd.read_parquet`), polars, pyarrow and DuckDB
 * read directly. The table becomes an Apache Arrow table (apache-arrow), written by the Rust
 * Parquet writer compiled to WebAssembly (parquet-wasm; its Node build reads its `.wasm` from the
 * installed package, so nothing is fetched).
 *
 * Column types: `integer` → int64, `number` → double (NaN, ±∞ and −0 kept bit for bit),
 * `boolean` → boolean, `string` → UTF-8 string, `json` → UTF-8 string whose Arrow field carries
 * the metadata `shallowscape.type = json` (so that {@link parquetToTable} gives back a `json`
 * column). Every column is nullable. Compression: Zstandard.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from '@shallowscape/linalg';
import { Bool, DataType, Field, Float64, Int64, RecordBatch, Schema, Struct, Table, Utf8, makeBuilder, makeData, tableFromIPC, tableToIPC, type Data } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, readParquet, writeParquet } from 'parquet-wasm';
import { checkResultTable, type CellValue, type ResultColumn, type ResultTable } from './result-table';

/** The Arrow field metadata key that marks a `json` column. */
const TYPE_KEY = 'shallowscape.type';

function arrowType(column: ResultColumn): DataType {
  switch (column.type) {
    case 'integer':
      return new Int64();
    case 'number':
      return new Float64();
    case 'boolean':
      return new Bool();
    default:
      return new Utf8();
  }
}

/** A column's cells as one Arrow data chunk (one builder, flushed once). */
function columnData(type: DataType, column: ResultColumn, values: CellValue[]): Data {
  const builder = makeBuilder({ type, nullValues: [null] });
  for (const v of values) {
    if (v === null) builder.append(null);
    else if (column.type === 'integer') builder.append(BigInt(v as number));
    else if (column.type === 'string' || column.type === 'json') builder.append(String(v));
    else builder.append(v);
  }
  return builder.finish().flush() as Data;
}

/**
 * Writes a table as a Parquet file (one row group per 1M rows, Zstandard compression).
 *
 * @param table - the table; its cells must fit their columns ({@link checkResultTable}) and its
 *   column names must be distinct.
 * @returns the bytes of the Parquet file.
 * @throws InvalidArgumentError for a cell that does not fit its column or a repeated column name.
 * @example
 * ```ts
 * const bytes = tableToParquet({ columns: [{ name: 'n', type: 'integer' }], rows: [[1], [2]] });
 * new TextDecoder().decode(bytes.subarray(0, 4)); // => "PAR1"
 * ```
 */
export function tableToParquet(table: ResultTable): Uint8Array {
  checkResultTable(table);
  const names = new Set<string>();
  for (const c of table.columns) {
    if (names.has(c.name)) throw new InvalidArgumentError('table columns', c.name, 'distinct column names (a Parquet file cannot repeat one)');
    names.add(c.name);
  }
  const fields = table.columns.map((c) => new Field(c.name, arrowType(c), true, c.type === 'json' ? new Map([[TYPE_KEY, 'json']]) : null));
  const children = table.columns.map((c, j) =>
    columnData(
      fields[j]!.type,
      c,
      table.rows.map((r) => r[j] ?? null),
    ),
  );
  const schema = new Schema(fields);
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: table.rows.length, nullCount: 0, children }));
  const wasmTable = WasmTable.fromIPCStream(tableToIPC(new Table(schema, [batch]), 'stream'));
  const properties = new WriterPropertiesBuilder().setCompression(Compression.ZSTD).setMaxRowGroupSize(1 << 20).build();
  return writeParquet(wasmTable, properties);
}

/** The {@link ResultColumn} type of an Arrow field, or `undefined` for types a results table cannot hold. */
function columnType(field: Field): ResultColumn['type'] | undefined {
  const t = field.type;
  if (DataType.isInt(t)) return 'integer';
  if (DataType.isFloat(t)) return 'number';
  if (DataType.isBool(t)) return 'boolean';
  if (DataType.isUtf8(t) || DataType.isLargeUtf8(t) || (DataType.isDictionary(t) && (DataType.isUtf8(t.dictionary) || DataType.isLargeUtf8(t.dictionary)))) {
    return field.metadata.get(TYPE_KEY) === 'json' ? 'json' : 'string';
  }
  if (DataType.isNull(t)) return 'string';
  return undefined;
}

/** An Arrow value as a cell: int64 (a bigint) as a number, which must be a safe integer. */
function cellOf(v: unknown, name: string, i: number): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') {
    const x = Number(v);
    if (!Number.isSafeInteger(x)) throw new InvalidArgumentError(`Parquet column ${JSON.stringify(name)} row ${i}`, String(v), 'an integer of at most 2^53 in magnitude');
    return x;
  }
  return v as CellValue;
}

/**
 * Reads a Parquet file back into a table: the files {@link tableToParquet} writes (column types
 * and nulls restored exactly), and flat files from elsewhere whose columns are integers, floats,
 * booleans or strings (dictionary-encoded included).
 *
 * @param bytes - the file's bytes.
 * @returns the table.
 * @throws InvalidArgumentError for a column of another type (a date, a list, a struct) or an int64 beyond ±2^53.
 * @example
 * ```ts
 * const back = parquetToTable(tableToParquet({ columns: [{ name: 'x', type: 'number' }, { name: 'ok', type: 'boolean' }], rows: [[0.1, true], [null, false]] }));
 * back.columns; // => [{"name": "x", "type": "number"}, {"name": "ok", "type": "boolean"}]
 * back.rows; // => [[0.1, true], [null, false]]
 * ```
 */
export function parquetToTable(bytes: Uint8Array): ResultTable {
  const arrow = tableFromIPC(readParquet(bytes).intoIPCStream());
  const columns: ResultColumn[] = arrow.schema.fields.map((f) => {
    const type = columnType(f);
    if (type === undefined) throw new InvalidArgumentError(`Parquet column ${JSON.stringify(f.name)}`, String(f.type), 'integers, floats, booleans or strings');
    return { name: f.name, type };
  });
  const rows: CellValue[][] = Array.from({ length: arrow.numRows }, () => new Array<CellValue>(columns.length));
  columns.forEach((c, j) => {
    let i = 0;
    for (const v of arrow.getChildAt(j)!) {
      rows[i]![j] = cellOf(v, c.name, i);
      i++;
    }
  });
  return { columns, rows };
}
