/**
 * The text of a spectrum (`shallowscape spectrum` without `--json`, and its report): what the
 * matrix is, the range of its eigenvalues and its distances to the laws.
 *
 * @packageDocumentation
 */
import type { SpectrumConfig, SpectrumResult } from '@shallowscape/experiments';
import { LAW_TITLES } from '@shallowscape/figures';
import type { ReportRow } from './aligned-rows';
import { formatNumber } from './format-number';

/**
 * What a spectrum is (its matrix and sizes, the eigenvalues' scale and range: one line each) and
 * its distances to the laws as rows of (quantity, value, meaning): the text of `spectrum` and its
 * HTML report.
 *
 * @param config - the spectrum's configuration.
 * @param result - its eigenvalues and distances.
 * @returns the description lines and the rows.
 */
export function spectrumSummary(config: SpectrumConfig, result: SpectrumResult): { lines: string[]; rows: ReportRow[] } {
  const ev = result.eigenvalues;
  const lines: string[] = [];
  const what = config.source === 'weights' ? `WᵀW of --weights ${JSON.stringify(config.weights)}` : config.source === 'goe' ? 'GOE matrix H' : 'Wishart matrix WᵀW';
  const sizes = config.source === 'goe' ? `n = ${config.d}` : `m = ${config.m}, d = ${config.d}`;
  lines.push(`${what}: ${sizes}${config.seed !== null ? `, seed ${config.seed}` : ''}`);
  lines.push(`eigenvalues (${ev.length}, ${config.normalize === null ? 'unnormalised' : `normalised for the ${LAW_TITLES[config.normalize]}`}):`);
  lines.push(`  min ${formatNumber(ev[0]!)}  median ${formatNumber(ev[Math.floor((ev.length - 1) / 2)]!)}  max ${formatNumber(ev[ev.length - 1]!)}`);
  const rows: ReportRow[] = [
    ['KS to semicircle', formatNumber(result.ksSemicircle), config.source === 'goe' ? 'spectrum of H/√n' : 'spectrum of (WᵀW − mI)/√(md)'],
    ['KS to Marchenko–Pastur', formatNumber(result.ksMarchenkoPastur), result.ksMarchenkoPastur === null ? (config.source === 'goe' ? 'not a Wishart matrix' : 'needs d ≤ m') : `spectrum of WᵀW/m, γ = d/m = ${formatNumber(config.d / config.m!)}`],
    ['Wasserstein-1', formatNumber(result.wasserstein1), config.wasserstein1Law === null ? 'no law applies (d > m)' : `to the ${LAW_TITLES[config.wasserstein1Law]}, in its scale`],
  ];
  return { lines, rows };
}
