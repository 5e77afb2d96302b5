/**
 * The report of `shallowscape certify --report`: the verdicts, every certificate's numbers, the
 * figure of the lifted gradient's spectrum against the tolerance and of the population risk
 * against the energy barrier, and the input files.
 *
 * @packageDocumentation
 */
import type { CertificateOutput, CertificationProblem } from '@shallowscape/experiments';
import { certificateFigure, certificateFigureData, renderSvg, type ReportDocument } from '@shallowscape/figures';
import { certificateSections } from '../output/format-certificate';
import type { Versions } from '../versions';
import { reportVersions } from './report-file';
import { rowsTable } from './rows-table';

/** What a certificate report describes. */
export interface CertificateReportInput {
  certificate: CertificateOutput;
  problem: CertificationProblem;
  /** The model and the files the inputs came from, by flag. */
  model: string;
  files: Readonly<Record<string, string>>;
  command: string;
  versions: Versions;
}

/**
 * The report of a certificate.
 *
 * @param input - the certificate, the problem it was computed for, the files and the command.
 * @returns the report.
 */
export async function certificateReport(input: CertificateReportInput): Promise<ReportDocument> {
  const { certificate: c, problem } = input;
  const m = problem.w.rows;
  const d = problem.w.cols;
  const teacher = input.files['--teacher'];
  const sections = certificateSections(c, { model: input.model, m, d, ...(teacher !== undefined ? { teacher } : {}) });
  const svg = await renderSvg(certificateFigure(c, certificateFigureData(problem), `${input.model} network: m = ${m}, d = ${d}, N = ${problem.x.rows}`));
  const verdicts = [
    c.globalOptimality.certified ? 'certified globally optimal' : 'not certified globally optimal',
    c.sampleCondition.holds ? 'the sample condition holds' : 'the sample condition fails',
    ...(c.energyBarrier === null ? [] : [c.energyBarrier.belowBarrier ? 'below the energy barrier' : 'not below the energy barrier']),
  ];
  return {
    title: 'shallowscape certify',
    summary: `${verdicts.join('; ')}.`,
    command: input.command,
    versions: reportVersions(input.versions),
    sections: [
      ...sections.map(([title, rows]) => ({ heading: title.charAt(0).toUpperCase() + title.slice(1), table: rowsTable(rows) })),
      {
        heading: 'Figure',
        figures: [
          {
            svg,
            caption:
              'Left: the spectrum of the lifted gradient $G = \\nabla\\ell(Q) = \\frac{2}{N}\\sum_i e_i x_i x_i^\\top$ and $\\lambda_{\\min}(\\nabla^2 \\hat L(W))$ against the tolerance $-\\tau s$ of the global-optimality certificate. Right, with a teacher: the population risk $L(W)$ against the energy barrier $2\\sigma_{\\min}(W^*)^4$.',
          },
        ],
      },
      { heading: 'Inputs', table: { columns: ['flag', 'file'], rows: Object.entries(input.files).map(([flag, path]) => [flag, path]) } },
    ],
  };
}
