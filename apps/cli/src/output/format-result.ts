/**
 * Text output of `shallowscape reproduce`: each experiment's claim, criterion, measured numbers as
 * an aligned table, notes, and PASS or FAIL.
 *
 * @packageDocumentation
 */
import type { ExperimentResult, ResultTable, TableColumn, TableValue } from '@shallowscape/experiments';

/** One cell as text: `—` for null or NaN, `yes`/`no` for booleans, numbers per the column format. */
export function formatCell(column: TableColumn, value: TableValue | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  if (Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const digits = column.digits ?? 2;
  switch (column.format) {
    case 'fixed':
      return value.toFixed(digits);
    case 'exponential':
      return value.toExponential(digits);
    default:
      return String(value);
  }
}

/**
 * The table as aligned text, indented by `indent` spaces: headings, then one line per row;
 * numbers right-aligned, text left-aligned.
 *
 * @example
 * ```ts
 * formatTable({ columns: [{ key: 'n', label: 'N' }, { key: 'f', label: 'fraction', format: 'fixed' }], rows: [{ n: 10, f: 1 }] }, 0);
 * // => " N  fraction\n10      1.00"
 * ```
 */
export function formatTable(table: ResultTable, indent = 2): string {
  const cells = table.rows.map((row) => table.columns.map((column) => formatCell(column, row[column.key])));
  const widths = table.columns.map((column, j) => Math.max(column.label.length, ...cells.map((line) => line[j]!.length)));
  const numeric = table.columns.map((column) => table.rows.every((row) => typeof row[column.key] !== 'string'));
  const pad = ' '.repeat(indent);
  const line = (parts: string[]): string =>
    pad +
    parts
      .map((text, j) => (numeric[j]! ? text.padStart(widths[j]!) : text.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd();
  return [line(table.columns.map((c) => c.label)), ...cells.map(line)].join('\n');
}

/** The text block of one experiment (ends with a newline). */
export function formatExperimentResult(result: ExperimentResult, position: string, seconds?: number): string {
  const lines = [`[${position}] ${result.name}`, `  Claim: ${result.claim}`, `  PASS criterion: ${result.criterion}`, '', formatTable(result.results, 2), ''];
  if (result.details.length > 0) {
    for (const detail of result.details) lines.push(`  - ${detail}`);
    lines.push('');
  }
  const time = seconds !== undefined ? ` (${seconds.toFixed(1)} s)` : '';
  lines.push(`  ${result.passed ? 'PASS' : 'FAIL'}  ${result.name}${time}`, '');
  return `${lines.join('\n')}\n`;
}
