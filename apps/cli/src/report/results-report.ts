/**
 * The report of `shallowscape results STORE --report`: the sweep (its name, run, seeds, status and
 * the hash of its file), the table as `results` shows it (runs, or grid points with
 * `--aggregate`), the phase diagram of `--plot`, and the sweep file itself.
 *
 * @packageDocumentation
 */
import { escapeMath, type ReportDocument, type ReportSection } from '@shallowscape/figures';
import { textCell } from '../results/format-result-table';
import type { ResultTable } from '../results/result-table';
import type { SweepRow } from '../sweep/results-store';
import type { Versions } from '../versions';
import { reportVersions } from './report-file';

/** Rows of a results table shown in a report; the rest are counted, not shown (use `--format`). */
export const REPORT_TABLE_ROWS = 500;

/** What a results report describes. */
export interface ResultsReportInput {
  sweep: SweepRow;
  /** The table as `results` prints it (after `--status` and `--aggregate`). */
  table: ResultTable;
  /** What the table is: runs or grid points. */
  aggregated: boolean;
  /** The phase diagram (SVG) and its caption, with `--plot`. */
  plot: { svg: string; caption: string } | null;
  command: string;
  versions: Versions;
}

/**
 * The report of a sweep's results.
 *
 * @param input - the sweep, its table, the plot and the command.
 * @returns the report.
 */
export function resultsReport(input: ResultsReportInput): ReportDocument {
  const { sweep, table } = input;
  const shown = table.rows.slice(0, REPORT_TABLE_ROWS);
  const what = input.aggregated ? 'grid points' : 'runs';
  const sections: ReportSection[] = [
    {
      heading: 'Sweep',
      table: {
        columns: ['', ''],
        rows: [
          ['name', sweep.name],
          ['file', sweep.file],
          ['command of each cell', sweep.run],
          ['cells', String(sweep.cells)],
          ['seeds per point', String(sweep.seeds)],
          ['base seed', String(sweep.baseSeed)],
          ['status', sweep.status],
          ['started', sweep.startedAt],
          ['ended', sweep.endedAt ?? '—'],
          ['file hash (SHA-256)', sweep.hash],
        ],
      },
    },
  ];
  if (input.plot !== null) sections.push({ heading: 'Phase diagram', figures: [{ svg: input.plot.svg, caption: escapeMath(input.plot.caption) }] });
  sections.push({
    heading: input.aggregated ? 'Grid points' : 'Runs',
    paragraphs: [shown.length < table.rows.length ? `The first ${shown.length} of ${table.rows.length} ${what}; shallowscape results --format csv gives them all.` : `${table.rows.length} ${what}.`],
    table: { columns: table.columns.map((c) => escapeMath(c.name)), rows: shown.map((row) => row.map((v, j) => textCell(table.columns[j]!, v))) },
  });
  sections.push({ heading: 'Sweep file', code: sweep.content });
  return {
    title: 'shallowscape results',
    summary: escapeMath(`Sweep ${sweep.name}: ${table.rows.length} ${what}, ${sweep.status}.`),
    command: input.command,
    versions: reportVersions(input.versions),
    sections,
  };
}
