/**
 * `results --plot x=…,y=…,color=…`: which aggregated columns a phase diagram draws, and the
 * theory curve laid over it.
 *
 * - `x=AXIS,y=AXIS,color=VALUE`: a heatmap of VALUE over two coordinates;
 * - `x=AXIS,y=VALUE[,series=AXIS]`: a line plot of VALUE against one coordinate, one line per value
 *   of the series coordinate, with error bars (standard error of a fraction, standard deviation of
 *   a metric).
 *
 * VALUE is `fraction` (with `--success`), `count`, a metric (its mean) or `metric.mean`,
 * `metric.std`, `metric.min`, `metric.max`. The theory curve is `--theory EXPR`, an expression in
 * the x coordinate (a constant draws a vertical line on a line plot); without it, the known
 * curves of the shipped sweeps are drawn when their coordinates are plotted: the recovery line
 * α = κ − κ²/2 (κ ≤ 1) of Maillard et al. 2024 over (kappa, alpha), the sample threshold
 * N* = d(d+1)/2 over (n, d), and N/N* = 1 against `ratio`.
 *
 * @packageDocumentation
 */
import { evaluateExpression, expressionVariables, parseExpression } from '@shallowscape/experiments';
import { UsageError } from '../errors';
import type { HeatmapPlot, LinePlot, PhaseDiagramCurve } from '../plot/phase-diagram-svg';
import { closestMatch } from '../suggest';
import type { CellValue, ResultTable } from './result-table';

/** A parsed `--plot` value. */
export interface PlotSpec {
  x: string;
  y: string;
  color: string | null;
  series: string | null;
}

const PLOT_KEYS = ['x', 'y', 'color', 'series'] as const;

/**
 * Parses `x=n,y=d,color=fraction`.
 *
 * @example
 * ```ts
 * parsePlotSpec('x=kappa, y=alpha, color=fraction'); // => {"x":"kappa","y":"alpha","color":"fraction","series":null}
 * ```
 */
export function parsePlotSpec(text: string): PlotSpec {
  const values: Record<string, string> = {};
  for (const part of text.split(',')) {
    const m = /^\s*([a-z]+)\s*=\s*([^=\s]+)\s*$/.exec(part);
    if (m === null) throw new UsageError(`invalid value for --plot: ${JSON.stringify(text)} (expected x=AXIS,y=AXIS,color=VALUE or x=AXIS,y=VALUE[,series=AXIS])`, '--plot');
    if (!(PLOT_KEYS as readonly string[]).includes(m[1]!)) {
      const near = closestMatch(m[1]!, PLOT_KEYS);
      throw new UsageError(`--plot: unknown key ${JSON.stringify(m[1])}${near !== undefined ? ` (did you mean '${near}'?)` : ''}; the keys are x, y, color, series`, '--plot');
    }
    values[m[1]!] = m[2]!;
  }
  if (values.x === undefined || values.y === undefined) throw new UsageError(`--plot ${JSON.stringify(text)}: x and y are required`, '--plot');
  if (values.color !== undefined && values.series !== undefined) throw new UsageError(`--plot ${JSON.stringify(text)}: series applies to line plots, not to a heatmap (color)`, '--plot');
  return { x: values.x, y: values.y, color: values.color ?? null, series: values.series ?? null };
}

/** The aggregated column a plot value names (`relativeError` → `relativeError.mean`). */
function valueColumn(table: ResultTable, name: string, flag: string): string {
  const names = table.columns.map((c) => c.name);
  if (names.includes(name)) return name;
  if (names.includes(`${name}.mean`)) return `${name}.mean`;
  if (name === 'fraction') throw new UsageError(`${flag}: fraction needs --success EXPR (which runs count as a success)`, flag);
  const near = closestMatch(name, names);
  throw new UsageError(`${flag}: no column ${JSON.stringify(name)}${near !== undefined ? ` (did you mean '${near}'?)` : ''}; columns: ${names.join(', ')}`, flag);
}

function columnOf(table: ResultTable, name: string): CellValue[] {
  const j = table.columns.findIndex((c) => c.name === name);
  return table.rows.map((r) => r[j] ?? null);
}

function numeric(values: CellValue[], name: string): number[] {
  return values.map((v) => {
    if (typeof v !== 'number') throw new UsageError(`--plot: ${name} has the non-numeric value ${JSON.stringify(v)}; plot axes must be numbers`, '--plot');
    return v;
  });
}

/** The error-bar column of a value column, if there is one. */
function errorColumn(table: ResultTable, column: string): string | null {
  const names = table.columns.map((c) => c.name);
  if (column === 'fraction' && names.includes('fraction.stderr')) return 'fraction.stderr';
  if (column.endsWith('.mean') && names.includes(column.replace(/\.mean$/, '.std'))) return column.replace(/\.mean$/, '.std');
  return null;
}

/** A theory curve y = f(x) sampled on [lo, hi]. */
function sampleCurve(label: string, f: (x: number) => number, lo: number, hi: number): PhaseDiagramCurve {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i <= 200; i++) {
    const xi = lo + ((hi - lo) * i) / 200;
    x.push(xi);
    y.push(f(xi));
  }
  return { label, x, y };
}

/**
 * The plot of an aggregated table.
 *
 * @param table - the aggregated results (one row per grid point).
 * @param spec - what to draw.
 * @param options - the title, and the theory expression (`--theory`) with its label.
 */
export function buildPlot(table: ResultTable, spec: PlotSpec, options: { title: string; theory?: string; theoryLabel?: string }): HeatmapPlot | LinePlot {
  const coords = table.columns.map((c) => c.name);
  for (const axis of [spec.x, ...(spec.color !== null ? [spec.y] : []), ...(spec.series !== null ? [spec.series] : [])]) {
    if (!coords.includes(axis)) {
      const near = closestMatch(axis, coords);
      throw new UsageError(`--plot: no coordinate ${JSON.stringify(axis)}${near !== undefined ? ` (did you mean '${near}'?)` : ''}; columns: ${coords.join(', ')}`, '--plot');
    }
  }
  const xs = numeric(columnOf(table, spec.x), spec.x);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const curves: PhaseDiagramCurve[] = [];
  const vertical: Array<{ x: number; label: string }> = [];
  if (options.theory !== undefined) {
    let expr;
    try {
      expr = parseExpression(options.theory);
    } catch (error) {
      throw new UsageError(`--theory ${JSON.stringify(options.theory)}: ${(error as Error).message}`, '--theory');
    }
    const vars = expressionVariables(expr);
    const xName = spec.x.replace(/-/g, '_');
    const other = vars.find((v) => v !== xName);
    if (other !== undefined) throw new UsageError(`--theory ${JSON.stringify(options.theory)}: uses ${other}; a theory curve is an expression in the x coordinate ${xName} only`, '--theory');
    const label = options.theoryLabel ?? options.theory;
    const at = (x: number): number => {
      const v = evaluateExpression(expr, { [xName]: x });
      return typeof v === 'number' ? v : NaN;
    };
    if (vars.length === 0 && spec.color === null) vertical.push({ x: at(0), label });
    else curves.push(sampleCurve(label, at, lo, hi));
  } else if (spec.color !== null && spec.x === 'kappa' && spec.y === 'alpha') {
    curves.push(sampleCurve('α = κ − κ²/2 (Maillard et al. 2024)', (k) => (k <= 1 ? k - (k * k) / 2 : NaN), lo, Math.min(hi, 1)));
  } else if (spec.color !== null && spec.x === 'n' && spec.y === 'd') {
    const ds = numeric(columnOf(table, 'd'), 'd');
    curves.push(sampleCurve('N* = d(d+1)/2', (n) => (Math.sqrt(8 * n + 1) - 1) / 2, Math.max(lo, (Math.min(...ds) * (Math.min(...ds) + 1)) / 2), hi));
  } else if (spec.color === null && spec.x === 'ratio') {
    if (lo <= 1 && hi >= 1) vertical.push({ x: 1, label: 'N = N*' });
  }

  if (spec.color !== null) {
    const value = valueColumn(table, spec.color, '--plot color');
    const ys = numeric(columnOf(table, spec.y), spec.y);
    const vs = columnOf(table, value);
    const isFraction = value === 'fraction';
    return {
      kind: 'heatmap',
      title: options.title,
      xLabel: spec.x,
      yLabel: spec.y,
      colorLabel: value,
      cells: xs.map((x, i) => ({ x, y: ys[i]!, value: typeof vs[i] === 'number' ? (vs[i] as number) : null })),
      ...(isFraction ? { colorRange: [0, 1] as [number, number] } : {}),
      curves,
    };
  }
  const value = valueColumn(table, spec.y, '--plot y');
  const err = errorColumn(table, value);
  const vs = columnOf(table, value);
  const es = err !== null ? columnOf(table, err) : null;
  const groups = new Map<string, number[]>();
  const seriesValues = spec.series !== null ? columnOf(table, spec.series) : null;
  table.rows.forEach((_, i) => {
    const key = seriesValues === null ? '' : `${spec.series} = ${String(seriesValues[i])}`;
    const list = groups.get(key) ?? [];
    list.push(i);
    groups.set(key, list);
  });
  const series = [...groups.entries()].map(([label, rows]) => {
    const ordered = [...rows].sort((a, b) => xs[a]! - xs[b]!);
    return {
      label: label === '' ? value : label,
      x: ordered.map((i) => xs[i]!),
      y: ordered.map((i) => (typeof vs[i] === 'number' ? (vs[i] as number) : NaN)),
      ...(es !== null ? { yErr: ordered.map((i) => (typeof es[i] === 'number' ? (es[i] as number) : 0)) } : {}),
    };
  });
  return { kind: 'lines', title: options.title, xLabel: spec.x, yLabel: value, series, curves, verticalLines: vertical };
}
