/**
 * One row per grid point: the runs of each distinct combination of the coordinates, summarised.
 *
 * For a metric whose finite values at a point are $x_1, \dots, x_n$ (null, NaN, ±∞ and
 * non-numbers are left out):
 *
 * - mean $\bar x = \frac1n \sum_i x_i$;
 * - sample standard deviation $s = \sqrt{\frac{1}{n-1} \sum_i (x_i - \bar x)^2}$ (Bessel's
 *   $n - 1$), `null` when $n < 2$;
 * - min and max; all four `null` when $n = 0$.
 *
 * Both come in one pass from Welford's recurrence, which never subtracts two large sums (unlike
 * $\frac{1}{n-1}(\sum x_i^2 - n \bar x^2)$, which cancels catastrophically), run on the values
 * shifted by the first one, $y_i = x_i - x_1$ (exact for values within a factor 2 of $x_1$,
 * by Sterbenz's lemma), so that a large common offset (runs at $10^6 \pm 10^{-3}$) costs no
 * accuracy either: with $m_0 = M_0 = 0$ and $\delta_k = y_k - m_{k-1}$,
 * $m_k = m_{k-1} + \delta_k / k$ and $M_k = M_{k-1} + \delta_k (y_k - m_k)$; then
 * $\bar x = x_1 + m_n$ and $s^2 = M_n / (n - 1)$.
 *
 * With a success predicate over the point's $N$ runs (`count`, every run, whatever its metrics),
 * $k$ of which succeed: `successes` $k$, `fraction` $\hat p = k / N$ and its binomial standard
 * error `fraction.stderr` $\sqrt{\hat p (1 - \hat p) / N}$.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from '@shallowscape/linalg';
import { rowObject, type CellValue, type ResultColumn, type ResultTable } from './result-table';

/** What to group by and summarise. */
export interface AggregateOptions {
  /** The coordinate columns: one output row per distinct combination of their values. */
  groupBy: string[];
  /** The numeric columns to summarise (mean, std, min, max). */
  metrics: string[];
  /** Which runs count as a success; adds `successes`, `fraction` and `fraction.stderr`. */
  success?: (row: Readonly<Record<string, CellValue>>) => boolean;
}

/**
 * Running count, shift (the first value), mean of the shifted values, sum of squared deviations,
 * min and max of the finite values of a metric.
 */
interface Moments {
  n: number;
  shift: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

/** Kind order of group keys: numbers (NaN last among them), then strings, booleans, null. */
function rank(v: CellValue): number {
  if (typeof v === 'number') return Number.isNaN(v) ? 1 : 0;
  if (typeof v === 'string') return 2;
  if (typeof v === 'boolean') return 3;
  return 4;
}

/** Orders group key cells: numerically, strings by code units, `false` before `true`. */
function compareCells(a: CellValue, b: CellValue): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return (a as number) - (b as number);
  if (ra === 2) return a! < b! ? -1 : a! > b! ? 1 : 0;
  if (ra === 3) return Number(a) - Number(b);
  return 0;
}

/** A key that tells groups apart: 0 and −0 are one group, and so are all NaNs. */
function keyText(v: CellValue): string {
  return v === null ? 'null' : `${typeof v}:${String(v)}`;
}

function columnIndex(table: ResultTable, name: string, option: string): number {
  const j = table.columns.findIndex((c) => c.name === name);
  if (j < 0) throw new InvalidArgumentError(option, name, `a column of the table (${table.columns.map((c) => c.name).join(', ')})`);
  return j;
}

/**
 * Summarises the runs of each grid point (formulas in the module documentation).
 *
 * Groups are the distinct combinations of the `groupBy` values (0 and −0 alike, NaN alike),
 * taken in order of first appearance and then stably sorted by the `groupBy` columns in order:
 * numbers numerically (NaN after them), then strings (by code units), then booleans, then null.
 *
 * @param table - one row per run.
 * @param options - the coordinate columns, the metric columns and the success predicate.
 * @returns one row per group with the columns: the `groupBy` columns (types kept), `count`
 *   (integer), then `metric.mean`, `metric.std`, `metric.min`, `metric.max` (numbers) for each
 *   metric, then with a predicate `successes` (integer), `fraction` and `fraction.stderr`.
 * @throws InvalidArgumentError when a `groupBy` or `metrics` name is not a column.
 * @example
 * ```ts
 * const runs = { columns: [{ name: 'n', type: 'integer' as const }, { name: 'err', type: 'number' as const }], rows: [[2, 1], [2, 3], [1, 5], [2, NaN]] };
 * const points = aggregateRuns(runs, { groupBy: ['n'], metrics: ['err'], success: (r) => (r.err as number) < 2 });
 * points.columns.map((c) => c.name); // => ["n", "count", "err.mean", "err.std", "err.min", "err.max", "successes", "fraction", "fraction.stderr"]
 * points.rows; // => [[1, 1, 5, null, 5, 5, 0, 0, 0], [2, 3, 2, 1.4142135623730951, 1, 3, 1, 0.3333333333333333, 0.2721655269759087]]
 * ```
 */
export function aggregateRuns(table: ResultTable, options: AggregateOptions): ResultTable {
  const keyColumns = options.groupBy.map((name) => columnIndex(table, name, 'options.groupBy'));
  const metricColumns = options.metrics.map((name) => columnIndex(table, name, 'options.metrics'));
  const { success } = options;

  interface Group {
    key: CellValue[];
    count: number;
    successes: number;
    moments: Moments[];
  }
  const groups = new Map<string, Group>();
  table.rows.forEach((row, i) => {
    const key = keyColumns.map((j) => row[j] ?? null);
    const text = JSON.stringify(key.map(keyText));
    let group = groups.get(text);
    if (group === undefined) {
      group = { key, count: 0, successes: 0, moments: metricColumns.map(() => ({ n: 0, shift: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity })) };
      groups.set(text, group);
    }
    group.count++;
    metricColumns.forEach((j, q) => {
      const x = row[j];
      if (typeof x !== 'number' || !Number.isFinite(x)) return;
      const m = group.moments[q]!;
      if (m.n === 0) m.shift = x;
      const y = x - m.shift;
      m.n++;
      const delta = y - m.mean;
      m.mean += delta / m.n;
      m.m2 += delta * (y - m.mean);
      if (x < m.min) m.min = x;
      if (x > m.max) m.max = x;
    });
    if (success !== undefined && success(rowObject(table, i))) group.successes++;
  });

  const ordered = [...groups.values()].sort((a, b) => {
    for (let q = 0; q < a.key.length; q++) {
      const c = compareCells(a.key[q]!, b.key[q]!);
      if (c !== 0) return c;
    }
    return 0;
  });

  const columns: ResultColumn[] = [
    ...keyColumns.map((j) => ({ ...table.columns[j]! })),
    { name: 'count', type: 'integer' },
    ...options.metrics.flatMap((m): ResultColumn[] => [
      { name: `${m}.mean`, type: 'number' },
      { name: `${m}.std`, type: 'number' },
      { name: `${m}.min`, type: 'number' },
      { name: `${m}.max`, type: 'number' },
    ]),
  ];
  if (success !== undefined) {
    columns.push({ name: 'successes', type: 'integer' }, { name: 'fraction', type: 'number' }, { name: 'fraction.stderr', type: 'number' });
  }
  const rows = ordered.map((g): CellValue[] => {
    const out: CellValue[] = [...g.key, g.count];
    for (const m of g.moments) {
      if (m.n === 0) out.push(null, null, null, null);
      else out.push(m.shift + m.mean, m.n < 2 ? null : Math.sqrt(Math.max(0, m.m2) / (m.n - 1)), m.min, m.max);
    }
    if (success !== undefined) {
      const p = g.successes / g.count;
      out.push(g.successes, p, Math.sqrt((p * (1 - p)) / g.count));
    }
    return out;
  });
  return { columns, rows };
}
