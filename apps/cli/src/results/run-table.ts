/**
 * The runs of a sweep as a table: one row per run, with the cell's coordinates under their flag
 * names (`n`, `d`, parameters such as `ratio`), `repetition`, `seed` (the seed the run used, so
 * that `shallowscape train … --seed SEED` reproduces it), `status`, the metrics under the names
 * the command's `--json` uses, `elapsedMs` and `error`.
 *
 * @packageDocumentation
 */
import type { RunRow } from '../sweep/results-store';
import { inferColumns, type CellValue, type ResultTable } from './result-table';

/** A metric stored as "NaN", "Infinity" or "-Infinity" (JSON has no such numbers) is that number again. */
function metricValue(value: unknown): CellValue {
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/**
 * The table of runs.
 *
 * @param runs - the runs of one sweep (in point and repetition order).
 * @returns the table; its columns are typed from the values ({@link inferColumns}).
 * @example
 * ```ts
 * runTable([]).columns.map((c) => c.name); // => ["repetition","seed","status","elapsedMs","error"]
 * ```
 */
export function runTable(runs: readonly RunRow[]): ResultTable {
  const coordinateNames: string[] = [];
  const metricNames: string[] = [];
  for (const run of runs) {
    for (const key of Object.keys(run.coordinates)) if (!coordinateNames.includes(key)) coordinateNames.push(key);
    for (const key of Object.keys(run.metrics ?? {})) if (!metricNames.includes(key)) metricNames.push(key);
  }
  const names = [...coordinateNames, 'repetition', 'seed', 'status', ...metricNames.filter((m) => !coordinateNames.includes(m)), 'elapsedMs', 'error'];
  const metricColumns = metricNames.filter((m) => !coordinateNames.includes(m));
  const rows: CellValue[][] = runs.map((run) => [
    ...coordinateNames.map((k) => run.coordinates[k] ?? null),
    run.repetition,
    run.seed,
    run.status,
    ...metricColumns.map((k) => (run.metrics === null ? null : metricValue(run.metrics[k] ?? null))),
    run.elapsedMs,
    run.error,
  ]);
  return { columns: inferColumns(names, rows), rows };
}

/** The names of the coordinate columns of a run table (those before `repetition`). */
export function coordinateColumns(table: ResultTable): string[] {
  const i = table.columns.findIndex((c) => c.name === 'repetition');
  return table.columns.slice(0, Math.max(0, i)).map((c) => c.name);
}

/** The names of the numeric metric columns of a run table (between `status` and `elapsedMs`). */
export function numericMetricColumns(table: ResultTable): string[] {
  const from = table.columns.findIndex((c) => c.name === 'status') + 1;
  const to = table.columns.findIndex((c) => c.name === 'elapsedMs');
  return table.columns.slice(from, to).filter((c) => c.type === 'number' || c.type === 'integer').map((c) => c.name);
}
