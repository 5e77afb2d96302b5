/**
 * The text report of a training run (`shallowscape train` without `--json`).
 *
 * @packageDocumentation
 */
import type { QuadraticTrainingOutput, TwoLayerTrainingOutput } from '@shallowscape/experiments';
import { alignedRows, type ReportRow } from './aligned-rows';
import { formatNumber } from './format-number';

/**
 * Ends a text report: the result rows, then the stop reason with the total time and, when any,
 * the files written.
 */
function finishSummary(lines: string[], rows: readonly ReportRow[], output: { stopReason: string; converged: boolean }, totalMs: number, files: readonly string[]): string {
  lines.push(...alignedRows(rows), '');
  lines.push(`stopped: ${output.stopReason} (${output.converged ? 'converged' : 'not converged'}) after ${(totalMs / 1000).toFixed(2)} s`);
  if (files.length > 0) lines.push(`wrote: ${files.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The text report of a quadratic training run: the problem, the optimiser and the final metrics.
 *
 * @param output - the run's report.
 * @param totalMs - the command's wall time.
 * @param files - the files written (`--out`).
 * @returns the report, ending with a newline.
 */
export function formatQuadraticTraining(output: QuadraticTrainingOutput, totalMs: number, files: readonly string[]): string {
  const { lines, rows } = quadraticTrainingSummary(output);
  return finishSummary([...lines, ''], rows, output, totalMs, files);
}

/**
 * What a quadratic training run was (problem, data, optimiser: one line each) and its final
 * metrics as rows of (quantity, value, meaning): the text of `train` and its HTML report.
 *
 * @param output - the run's report.
 * @returns the description lines and the rows.
 */
export function quadraticTrainingSummary(output: QuadraticTrainingOutput): { lines: string[]; rows: ReportRow[] } {
  const c = output.config;
  const f = output.final;
  const nStar = (c.d * (c.d + 1)) / 2;
  const lines: string[] = [];
  lines.push(`${c.model} network: d = ${c.d}, m = ${c.m}, N = ${c.n} (N* = d(d+1)/2 = ${nStar}), seed ${c.seed}`);
  const teacher =
    c.teacher === null ? 'no teacher' : `teacher ${c.teacher} (width ${c.teacherWidth}${c.teacherRank !== null ? `, rank ${c.teacherRank}` : ''})`;
  lines.push(`${teacher}, inputs ${c.inputs}, labels ${c.labels}${c.noise > 0 ? ` (noise σ = ${c.noise})` : ''}`);
  lines.push(
    `init ${c.init}${c.initScale !== null ? ` (scale ${c.initScale})` : ''}, optimizer ${c.optimizer} ` +
      `(lr ${formatNumber(c.learningRate)}${c.lineSearch !== 'none' ? `, ${c.lineSearch} line search` : ''}), objective ${c.objective}`,
  );
  const rows: ReportRow[] = [
    ['empirical risk', formatNumber(f.empiricalRisk), '(1/N) Σ (f(x_i) − y_i)²'],
    ['population risk', formatNumber(f.populationRisk), c.teacher === null ? 'no teacher' : 'exact, for the input distribution'],
    ['relative error', formatNumber(f.relativeError), c.teacher === null ? 'no teacher' : '‖Q − W*ᵀW*‖_F / ‖W*ᵀW*‖_F'],
    ['gradient norm', formatNumber(f.gradientNorm), `tol ${formatNumber(c.tol)}`],
    ['steps', String(f.step), `of at most ${c.steps}`],
  ];
  return { lines, rows };
}

/**
 * The text report of a two-layer training run: the network, the rates, the final metrics and the
 * movement of each layer.
 *
 * @param output - the run's report.
 * @param totalMs - the command's wall time.
 * @param files - the files written (`--out`).
 * @returns the report, ending with a newline.
 */
export function formatTwoLayerTraining(output: TwoLayerTrainingOutput, totalMs: number, files: readonly string[]): string {
  const { lines, rows } = twoLayerTrainingSummary(output);
  return finishSummary([...lines, ''], rows, output, totalMs, files);
}

/**
 * What a two-layer training run was and its final metrics and movements as rows of
 * (quantity, value, meaning): the text of `train` and its HTML report.
 *
 * @param output - the run's report.
 * @returns the description lines and the rows.
 */
export function twoLayerTrainingSummary(output: TwoLayerTrainingOutput): { lines: string[]; rows: ReportRow[] } {
  const c = output.config;
  const f = output.final;
  const lines: string[] = [];
  lines.push(`two-layer ${c.activation} network (${c.parameterization}): d = ${c.d}, m = ${c.m}, N = ${c.n}, seed ${c.seed}`);
  const teacher = c.teacher === null ? 'no teacher' : `teacher ${c.teacher} (width ${c.teacherWidth})`;
  lines.push(`${teacher}, inputs ${c.inputs}, labels ${c.labels}${c.noise > 0 ? ` (noise σ = ${c.noise})` : ''}`);
  lines.push(
    `optimizer ${c.optimizer} (η_W ${formatNumber(c.learningRateHidden)}, η_a ${formatNumber(c.learningRateOutput)}` +
      `${c.lineSearch !== 'none' ? `, ${c.lineSearch} line search` : ''})${c.freeze !== null ? `, ${c.freeze} layer frozen` : ''}`,
  );
  const popNote =
    c.populationRiskMethod === null
      ? 'no teacher'
      : c.populationRiskMethod === 'exact'
        ? 'exact, Gaussian inputs'
        : `Monte Carlo, ${c.populationRiskSamples} samples, ± ${formatNumber(output.populationRiskStandardError)}`;
  const h = output.history;
  const rows: ReportRow[] = [
    ['empirical risk', formatNumber(f.empiricalRisk), '(1/N) Σ (f(x_i) − y_i)²'],
    ['population risk', formatNumber(f.populationRisk), popNote],
    ['gradient norm', formatNumber(f.gradientNorm), `tol ${formatNumber(c.tol)}${c.freeze !== null ? ` (${c.freeze === 'hidden' ? 'a' : 'W'} only)` : ''}`],
    ['hidden movement', formatNumber(h.movementHidden.at(-1) ?? 0), '‖W − W₀‖_F / ‖W₀‖_F'],
    ['output movement', formatNumber(h.movementOutput.at(-1) ?? 0), '‖a − a₀‖ / ‖a₀‖'],
    ['steps', String(f.step), `of at most ${c.steps}`],
  ];
  return { lines, rows };
}
