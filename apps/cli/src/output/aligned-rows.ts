/**
 * The aligned "label  value  note" rows of the CLI's text reports.
 *
 * @packageDocumentation
 */

/** One row of a text report: a label, a value and a note. */
export type ReportRow = readonly [label: string, value: string, note: string];

/**
 * Lays out rows as `  label  value  note`, labels padded to the longest, values right-aligned,
 * trailing spaces trimmed.
 *
 * @param rows - the rows.
 * @returns one line per row (no newlines).
 * @example
 * ```ts
 * alignedRows([['a', '1', 'one'], ['bbb', '22', '']]); // => ["  a     1  one", "  bbb  22"]
 * ```
 */
export function alignedRows(rows: readonly ReportRow[]): string[] {
  const w0 = Math.max(0, ...rows.map((r) => r[0].length));
  const w1 = Math.max(0, ...rows.map((r) => r[1].length));
  return rows.map(([a, b, note]) => `  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${note}`.trimEnd());
}
