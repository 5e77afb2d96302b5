/**
 * The rows of a text report, (quantity, value, meaning), as a table of an HTML report: the
 * numbers a command prints and the numbers its report shows are the same strings.
 *
 * @packageDocumentation
 */
import type { ReportTable } from '@shallowscape/figures';
import type { ReportRow } from '../output/aligned-rows';

/**
 * A report table of (quantity, value, meaning) rows.
 *
 * @param rows - the rows of the text report.
 * @returns the table.
 */
export function rowsTable(rows: readonly ReportRow[]): ReportTable {
  return { columns: ['quantity', 'value', 'meaning'], rows: rows.map((r) => [...r]) };
}
