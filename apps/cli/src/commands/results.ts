/**
 * `shallowscape results STORE`: the runs of a sweep from its SQLite store as a table, CSV, JSON or
 * Parquet, one row per run or (`--aggregate`) one row per grid point, and phase diagrams (`--plot`).
 *
 * @packageDocumentation
 */
import { evaluateExpression, expressionVariables, parseExpression, type Expression, type ExpressionValue } from '@shallowscape/experiments';
import { reportHtml } from '@shallowscape/figures';
import { dirname } from 'node:path';
import { defineCommand } from '../command';
import { UsageError } from '../errors';
import { writeFileAtomic } from '../io/write-file-atomic';
import { commandLine } from '../output/shell-words';
import { reportFlag, reportPathIn, writeReport } from '../report/report-file';
import { resultsReport } from '../report/results-report';
import { collectVersions } from '../versions';
import { resultsMergeCommand } from './results-merge';
import { phaseDiagramSvg } from '../plot/phase-diagram-svg';
import { aggregateRuns } from '../results/aggregate-runs';
import { formatCsv, formatJsonRows, formatTable } from '../results/format-result-table';
import { tableToParquet } from '../results/parquet';
import { buildPlot, parsePlotSpec } from '../results/plot-spec';
import type { CellValue, ResultTable } from '../results/result-table';
import { coordinateColumns, numericMetricColumns, runTable } from '../results/run-table';
import { closestMatch } from '../suggest';
import { ResultsStore, StoreError, type SweepRow } from '../sweep/results-store';

const FORMATS = ['table', 'csv', 'json', 'parquet'] as const;
type Format = (typeof FORMATS)[number];

const resultsFlags = {
  sweep: { type: 'string', valueName: '<name|id>', description: 'the sweep (default: the latest in the store)' },
  format: { type: 'string', choices: FORMATS, description: 'output format (default: from the --out extension, else table)' },
  out: { type: 'string', valueName: '<file>', description: 'write to this file (atomically) instead of stdout' },
  aggregate: { type: 'boolean', description: 'one row per grid point: count, mean, std, min, max of each metric (finished runs)' },
  success: { type: 'string', valueName: '<expr>', description: 'with --aggregate: which runs succeed, e.g. "relativeError < 1e-6"; adds fraction' },
  status: { type: 'string', choices: ['all', 'done', 'failed', 'interrupted'], default: 'all', description: 'only the runs with this status' },
  plot: { type: 'string', valueName: '<x=…,y=…,color=…>', description: 'an SVG phase diagram of the aggregated results (heatmap, or line plot)' },
  theory: { type: 'string', valueName: '<expr>', description: 'with --plot: a theory curve y = EXPR(x), or a vertical line x = EXPR' },
  'theory-label': { type: 'string', valueName: '<text>', description: 'with --theory: its legend entry (default: the expression)' },
  report: { ...reportFlag, description: 'also write report.html (the sweep, the table, the --plot figure, the sweep file) beside --out, or here' },
} as const;

function pickSweep(store: ResultsStore, selector: string | undefined, storeText: string): SweepRow {
  const sweeps = store.sweeps();
  if (sweeps.length === 0) throw new StoreError(`${storeText} holds no sweep yet`, 'STORE');
  if (selector === undefined) return sweeps[sweeps.length - 1]!;
  const byName = sweeps.filter((s) => s.name === selector);
  if (byName.length > 0) return byName[byName.length - 1]!;
  if (/^\d+$/.test(selector)) {
    const byId = sweeps.find((s) => s.id === Number(selector));
    if (byId !== undefined) return byId;
  }
  const names = [...new Set(sweeps.map((s) => s.name))];
  const near = closestMatch(selector, names);
  throw new UsageError(`--sweep ${JSON.stringify(selector)}: no such sweep in ${storeText}${near !== undefined ? ` (did you mean '${near}'?)` : ''}; it holds ${names.join(', ')}`, '--sweep');
}

function formatFor(flag: Format | undefined, out: string | undefined): Format {
  if (flag !== undefined) return flag;
  const ext = out?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === 'csv' || ext === 'json' || ext === 'parquet') return ext;
  return 'table';
}

/** The success predicate of `--success`, checked against the table's columns. */
function successPredicate(source: string, table: ResultTable): (row: Readonly<Record<string, CellValue>>) => boolean {
  let expr: Expression;
  try {
    expr = parseExpression(source);
  } catch (error) {
    throw new UsageError(`--success ${JSON.stringify(source)}: ${(error as Error).message}`, '--success');
  }
  const names = table.columns.map((c) => c.name);
  const known = new Map(names.map((n) => [n.replace(/-/g, '_'), n]));
  for (const v of expressionVariables(expr)) {
    if (!known.has(v) && v !== 'pi' && v !== 'e') {
      const near = closestMatch(v, [...known.keys()]);
      throw new UsageError(`--success ${JSON.stringify(source)}: no column ${JSON.stringify(v)}${near !== undefined ? ` (did you mean '${near}'?)` : ''}; columns: ${names.join(', ')}`, '--success');
    }
  }
  return (row) => {
    const env: Record<string, ExpressionValue> = {};
    for (const [v, name] of known) {
      const value = row[name];
      if (value !== null && value !== undefined) env[v] = value;
    }
    try {
      const result = evaluateExpression(expr, env);
      if (typeof result !== 'boolean') throw new UsageError(`--success ${JSON.stringify(source)} gives ${JSON.stringify(result)}, not true or false; write a comparison such as "relativeError < 1e-6"`, '--success');
      return result;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      return false; // a missing metric (null) is not a success
    }
  };
}

/** The `results` command. */
export const resultsCommand = defineCommand({
  name: 'results',
  summary: 'read a sweep store: runs or per-point aggregates as a table, CSV, JSON or Parquet, and phase diagrams',
  description: [
    'One row per run: the coordinates (grid flags and parameters, under their names), repetition,',
    'seed (the --seed that reproduces the run), status (done, failed, interrupted), the metrics under',
    'the names of the command\'s --json (relativeError, empiricalRisk, converged, …; nested ones with',
    'dots: certificate.energyBarrier.belowBarrier), elapsedMs and error.',
    '',
    '--aggregate: one row per grid point over its finished runs (status done): count, and for each',
    'numeric metric mean, std (n − 1), min and max; with --success EXPR also successes, fraction and',
    'fraction.stderr = √(p(1 − p)/count). EXPR is an expression over the columns, e.g.',
    '"relativeError < 1e-6" or "certificate.energyBarrier.belowBarrier"; a run whose metric is null',
    'does not succeed.',
    '',
    'Formats: table (aligned, for reading), csv (RFC 4180, full precision), json (an array of objects),',
    'parquet (for pandas, polars, pyarrow: pd.read_parquet). The format follows the --out extension',
    'unless --format is given.',
    '',
    '--plot x=AXIS,y=AXIS,color=VALUE draws a heatmap of the aggregated VALUE (fraction, count, a',
    'metric\'s mean, or metric.std/.min/.max) as SVG; --plot x=AXIS,y=VALUE[,series=AXIS] a line plot',
    'with error bars. --theory EXPR overlays y = EXPR(x) (a constant: a vertical line); known curves',
    'are drawn by themselves: α = κ − κ²/2 over (kappa, alpha), N* = d(d+1)/2 over (n, d), N = N* at',
    'ratio = 1.',
  ].join('\n'),
  flags: resultsFlags,
  positionals: [{ name: 'STORE', description: 'the SQLite store a sweep wrote', required: true }],
  subcommands: [resultsMergeCommand],
  examples: [
    'shallowscape results sample-threshold.sqlite',
    'shallowscape results runs.sqlite --aggregate --success "relativeError < 1e-6" --format csv',
    'shallowscape results runs.sqlite --out runs.parquet',
    'shallowscape results runs.sqlite --aggregate --success "relativeError < 1e-3" --plot x=kappa,y=alpha,color=fraction --out phase.svg',
  ],
  async run(ctx, { flags, positionals }) {
    const path = positionals[0]!;
    const format = formatFor(flags.format, flags.out);
    if (flags.success !== undefined && !flags.aggregate && flags.plot === undefined) throw new UsageError(`--success applies with --aggregate or --plot (it defines the fraction of a grid point's runs that succeed)`, '--success');
    if (flags.theory === undefined && flags['theory-label'] !== undefined) throw new UsageError('--theory-label applies only with --theory', '--theory-label');
    if (flags.theory !== undefined && flags.plot === undefined) throw new UsageError('--theory applies only with --plot', '--theory');
    if (flags.plot !== undefined && flags.format !== undefined) throw new UsageError('--format does not apply with --plot (a plot is SVG)', '--format');
    const plotSpec = flags.plot !== undefined ? parsePlotSpec(flags.plot) : null;
    if (format === 'parquet' && flags.out === undefined && (ctx.stdout as { isTTY?: boolean }).isTTY === true) {
      throw new UsageError('--format parquet is binary: write it with --out FILE.parquet (or redirect stdout)', '--format');
    }
    const reportPath = flags.report ? reportPathIn(flags.out === undefined ? '.' : dirname(flags.out)) : undefined;
    const storeText = `STORE ${JSON.stringify(path)}`;
    const store = ResultsStore.open(path, { create: false, readonly: true, flag: 'STORE' });
    let table: ResultTable;
    let sweep: SweepRow;
    try {
      sweep = pickSweep(store, flags.sweep, storeText);
      table = runTable(store.runs(sweep.id));
    } finally {
      store.close();
    }
    if (flags.status !== 'all') {
      const j = table.columns.findIndex((c) => c.name === 'status');
      table = { columns: table.columns, rows: table.rows.filter((r) => r[j] === flags.status) };
    }
    if (flags.aggregate || plotSpec !== null) {
      const j = table.columns.findIndex((c) => c.name === 'status');
      const finished: ResultTable = { columns: table.columns, rows: table.rows.filter((r) => r[j] === 'done') };
      const success = flags.success !== undefined ? successPredicate(flags.success, finished) : undefined;
      table = aggregateRuns(finished, { groupBy: coordinateColumns(table), metrics: numericMetricColumns(table), ...(success !== undefined ? { success } : {}) });
    }
    let data: string | Uint8Array;
    let plotCaption = '';
    if (plotSpec !== null) {
      if (table.rows.length === 0) throw new UsageError(`--plot: sweep ${JSON.stringify(sweep.name)} has no finished runs to plot`, '--plot');
      const plot = buildPlot(table, plotSpec, {
        title: `${sweep.name}${flags.success !== undefined ? ` (success: ${flags.success})` : ''}`,
        ...(flags.theory !== undefined ? { theory: flags.theory } : {}),
        ...(flags['theory-label'] !== undefined ? { theoryLabel: flags['theory-label'] } : {}),
      });
      data = phaseDiagramSvg(plot);
      plotCaption = `${plot.title}: ${plot.yLabel} against ${plot.xLabel}${plot.kind === 'heatmap' ? ` (colour: ${plot.colorLabel})` : ''}.`;
    } else if (format === 'csv') data = formatCsv(table);
    else if (format === 'json') data = formatJsonRows(table);
    else if (format === 'parquet') data = tableToParquet(table);
    else data = formatTable(table);
    if (reportPath !== undefined) {
      const report = resultsReport({
        sweep,
        table,
        aggregated: flags.aggregate || plotSpec !== null,
        plot: plotSpec !== null ? { svg: data as string, caption: plotCaption } : null,
        command: commandLine(['shallowscape', ...ctx.argv]),
        versions: collectVersions(),
      });
      const written = await writeReport(reportHtml(report), reportPath);
      ctx.stderr.write(`wrote: ${written}\n`);
    }
    if (flags.out !== undefined) {
      await writeFileAtomic(flags.out, data);
      return 0;
    }
    ctx.stdout.write(typeof data === 'string' ? data : (Buffer.from(data) as unknown as string));
    return 0;
  },
});
