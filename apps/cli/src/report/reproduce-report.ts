/**
 * The report of `shallowscape reproduce --report`: each claim with its verdict, its precise PASS
 * criterion, the measured numbers, the further facts and its figure (the measured curve and the
 * claim's threshold); experiments that did not finish after Ctrl-C are listed as such. No timing
 * goes into the page (they are in `results.json`), so the same run writes the same bytes.
 *
 * @packageDocumentation
 */
import type { ExperimentsOutcome } from '@shallowscape/experiments';
import { claimFigure, escapeMath, renderSvg, type ReportDocument, type ReportSection } from '@shallowscape/figures';
import { formatCell } from '../output/format-result';
import type { Versions } from '../versions';
import { reportVersions } from './report-file';

/**
 * The report of a `reproduce` run.
 *
 * @param outcome - the finished experiments (and those that did not finish).
 * @param run - the mode, the master seed and the command line.
 * @param versions - the package versions.
 * @returns the report.
 */
export async function reproduceReport(outcome: ExperimentsOutcome, run: { mode: string; seed: number; command: string }, versions: Versions): Promise<ReportDocument> {
  const sections: ReportSection[] = [
    {
      heading: 'Claims',
      table: {
        columns: ['experiment', 'verdict', 'claim'],
        rows: [...outcome.results.map((r) => [r.name, r.passed ? 'PASS' : 'FAIL', r.claim]), ...outcome.unfinished.map((name) => [name, 'not finished', ''])],
      },
    },
  ];
  for (let k = 0; k < outcome.results.length; k++) {
    const result = outcome.results[k]!;
    const spec = claimFigure(result);
    const { columns, rows } = result.results;
    sections.push({
      heading: result.name,
      verdict: result.passed ? 'PASS' : 'FAIL',
      paragraphs: [`Claim: ${escapeMath(result.claim)}`, `PASS criterion: ${escapeMath(result.criterion)}`, ...result.details.map(escapeMath)],
      table: { columns: columns.map((c) => escapeMath(c.label)), rows: rows.map((row) => columns.map((c) => formatCell(c, row[c.key]))) },
      ...(spec === null ? {} : { figures: [{ svg: await renderSvg(spec), caption: `The measured numbers of ${result.name} with the thresholds of its criterion (dashed).` }] }),
    });
  }
  if (outcome.unfinished.length > 0) {
    sections.push({ heading: 'Not finished', paragraphs: [`Interrupted: ${outcome.unfinished.join(', ')} did not finish.`] });
  }
  const passed = outcome.results.filter((r) => r.passed).length;
  const failed = outcome.results.length - passed;
  const summary =
    `${passed} of ${outcome.results.length} claims PASS${failed > 0 ? `, ${failed} FAIL` : ''}` +
    `${outcome.interrupted ? ` (interrupted: ${outcome.unfinished.length} not finished)` : ''}; ${run.mode} mode, seed ${run.seed}.`;
  return { title: 'shallowscape reproduce', summary, command: run.command, versions: reportVersions(versions), sections };
}
