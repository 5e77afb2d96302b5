/**
 * The report of `shallowscape spectrum --report`: the matrix and the range of its eigenvalues,
 * their Kolmogorov–Smirnov and Wasserstein-1 distances to the semicircle and Marchenko–Pastur
 * laws, the histogram against the law's density, and the configuration.
 *
 * @packageDocumentation
 */
import type { SpectrumConfig, SpectrumResult } from '@shallowscape/experiments';
import { escapeMath, formatFigureNumber, type ReportDocument } from '@shallowscape/figures';
import { spectrumSummary } from '../output/format-spectrum';
import type { Versions } from '../versions';
import { reportVersions } from './report-file';
import { rowsTable } from './rows-table';

/**
 * The report of a spectrum.
 *
 * @param config - the spectrum's configuration.
 * @param result - its eigenvalues and distances.
 * @param figure - its figure, as SVG.
 * @param command - the command line as typed.
 * @param versions - the package versions.
 * @returns the report.
 */
export function spectrumReport(config: SpectrumConfig, result: SpectrumResult, figure: string, command: string, versions: Versions): ReportDocument {
  const { lines, rows } = spectrumSummary(config, result);
  return {
    title: 'shallowscape spectrum',
    summary: `KS distance to the semicircle ${formatFigureNumber(result.ksSemicircle)}, to Marchenko–Pastur ${formatFigureNumber(result.ksMarchenkoPastur)}; $W_1$ ${formatFigureNumber(result.wasserstein1)}.`,
    command,
    versions: reportVersions(versions),
    sections: [
      { heading: 'Result', paragraphs: lines.map(escapeMath), table: rowsTable(rows) },
      {
        heading: 'Spectrum against its law',
        figures: [
          {
            svg: figure,
            caption:
              'A density histogram of the eigenvalues with the density of the law drawn over it, in the same scale: the semicircle on $[-2, 2]$ for $(W^\\top W - mI)/\\sqrt{md}$ (or $H/\\sqrt n$), Marchenko–Pastur with $\\gamma = d/m$ for $W^\\top W/m$, mapped to the scale of the eigenvalues when they are not normalised.',
          },
        ],
      },
      { heading: 'Configuration', code: JSON.stringify(config, null, 2) },
    ],
  };
}
