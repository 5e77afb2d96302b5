/**
 * The report of `shallowscape train --report`: the run in one line, the final metrics, the
 * training curves (risk and gradient norm on a log scale, the relative error with a teacher, the
 * movement of each layer of a two-layer network), the certificate with its figure under
 * `--certify`, and the configuration.
 *
 * @packageDocumentation
 */
import type { QuadraticTrainingOutput, QuadraticTrainingResult, TwoLayerTrainingOutput, TwoLayerTrainingResult } from '@shallowscape/experiments';
import { certificateFigure, certificateFigureData, escapeMath, renderSvg, trainingFigure, type ReportDocument, type ReportSection } from '@shallowscape/figures';
import { certificateSections } from '../output/format-certificate';
import { quadraticTrainingSummary, twoLayerTrainingSummary } from '../output/format-training';
import type { Versions } from '../versions';
import { reportVersions } from './report-file';
import { rowsTable } from './rows-table';

/**
 * The report of a training run.
 *
 * @param result - the finished run (quadratic or two-layer).
 * @param command - the command line as typed.
 * @param versions - the package versions.
 * @returns the report.
 */
export async function trainingReport(result: QuadraticTrainingResult | TwoLayerTrainingResult, command: string, versions: Versions): Promise<ReportDocument> {
  const output = result.output;
  const twoLayer = output.config.model === 'two-layer';
  const { lines, rows } = twoLayer ? twoLayerTrainingSummary(output as TwoLayerTrainingOutput) : quadraticTrainingSummary(output as QuadraticTrainingOutput);
  const relativeError = 'relativeErrorHistory' in result ? result.relativeErrorHistory : null;
  const figure = await renderSvg(trainingFigure({ history: output.history, relativeError, title: lines[0]! }));
  const sections: ReportSection[] = [
    { heading: 'Result', paragraphs: lines.slice(1).map(escapeMath), table: rowsTable(rows) },
    {
      heading: 'Training curves',
      figures: [
        {
          svg: figure,
          caption:
            'The risk being minimised and $\\|\\nabla L\\|_F$ at the recorded steps (log scale)' +
            (relativeError !== null ? '; the relative error $\\|Q_t - W^{*\\top}W^*\\|_F / \\|W^{*\\top}W^*\\|_F$' : '') +
            (twoLayer ? '; the relative movement $\\|W_t - W_0\\|_F/\\|W_0\\|_F$ and $\\|a_t - a_0\\|/\\|a_0\\|$ of each layer' : '') +
            '.',
        },
      ],
    },
  ];
  const quadratic = output as QuadraticTrainingOutput;
  if (!twoLayer && quadratic.certificate !== undefined) {
    const q = result as QuadraticTrainingResult;
    const c = quadratic.config;
    const problem = { w: q.weights, x: q.problem.x, y: q.problem.y, ...(q.problem.signs !== null ? { signs: q.problem.signs } : {}) };
    const svg = await renderSvg(certificateFigure(quadratic.certificate, certificateFigureData(problem), 'Certificate of the final weights'));
    const info = { model: c.model, m: c.m, d: c.d, ...(c.teacher !== null ? { teacher: c.teacher } : {}) };
    sections.push({
      heading: 'Certificate of the final weights',
      table: rowsTable(certificateSections(quadratic.certificate, info).flatMap(([title, r]) => [[title, '', ''] as const, ...r])),
      figures: [{ svg, caption: 'Left: the spectrum of the lifted gradient $G = \\nabla\\ell(W^\\top W)$ and $\\lambda_{\\min}(\\nabla^2 \\hat L(W))$ against the tolerance $-\\tau s$. Right: the population risk against the energy barrier $2\\sigma_{\\min}(W^*)^4$.' }],
    });
  }
  sections.push({ heading: 'Configuration', code: JSON.stringify(output.config, null, 2) });
  const f = output.final;
  const summary = `${output.converged ? 'Converged' : 'Stopped without converging'} after ${f.step} steps (${output.stopReason}); empirical risk ${f.empiricalRisk.toExponential(3)}.`;
  return { title: 'shallowscape train', summary, command, versions: reportVersions(versions), sections };
}
