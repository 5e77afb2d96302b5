/**
 * The text report of the certificates (`shallowscape certify`, `train --certify` without `--json`).
 *
 * @packageDocumentation
 */
import type { CertificateOutput } from '@shallowscape/experiments';
import { alignedRows, type ReportRow } from './aligned-rows';
import { formatNumber } from './format-number';

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

/**
 * The four sections of a certificate as aligned rows under their titles.
 *
 * @param c - the certificate.
 * @param info - the model, $m$, $d$ and the teacher file (when any), for the notes.
 * @returns the report, ending with a newline.
 */
export function formatCertificate(c: CertificateOutput, info: { model: string; m: number; d: number; teacher?: string }): string {
  const sections = certificateSections(c, info);
  // One alignment for all sections.
  const laid = alignedRows(sections.flatMap(([, rows]) => rows));
  const lines = [`${info.model} network: m = ${info.m}, d = ${info.d}`];
  let k = 0;
  for (const [title, rows] of sections) {
    lines.push(title);
    for (let r = 0; r < rows.length; r++) lines.push(laid[k++]!);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The sections of a certificate's report, each a title and rows of (quantity, value, meaning):
 * the text of `certify` and the tables of its HTML report.
 *
 * @param c - the certificate.
 * @param info - the model, $m$, $d$ and the teacher file (when any), for the notes.
 * @returns the four sections.
 */
export function certificateSections(c: CertificateOutput, info: { model: string; m: number; d: number; teacher?: string }): Array<[string, ReportRow[]]> {
  const p = info.m * info.d;
  const gap = c.globalOptimality.gapBound;
  const sections: Array<[string, ReportRow[]]> = [
    [
      'stationarity and curvature',
      [
        ['gradient norm', formatNumber(c.stationarity.gradientNorm), '‖∇_W L̂(W)‖_F'],
        ['Hessian λ_min', formatNumber(c.stationarity.hessianMinEigenvalue), `smallest eigenvalue of ∇²L̂(W) (${p}×${p})`],
      ],
    ],
    [
      'energy barrier',
      c.energyBarrier === null
        ? [['—', '', 'needs --teacher']]
        : [
            ['barrier', formatNumber(c.energyBarrier.barrier), `2σ_min(W*)⁴, teacher ${JSON.stringify(info.teacher)}`],
            ['population risk', formatNumber(c.energyBarrier.populationRisk), 'L(W) for Gaussian inputs'],
            ['below barrier', yesNo(c.energyBarrier.belowBarrier), c.energyBarrier.belowBarrier ? 'L(W) < barrier: W is full rank' : 'L(W) ≥ barrier'],
          ],
    ],
    [
      'sample condition',
      [
        ['samples', String(c.sampleCondition.n), `N* = d(d+1)/2 = ${c.sampleCondition.nStar}`],
        ['lift rank', String(c.sampleCondition.liftRank), 'numerical rank of Φ (N × N*)'],
        ['lift condition number', formatNumber(c.sampleCondition.liftConditionNumber), 'σ_max(Φ)/σ_min(Φ)'],
        ['holds', yesNo(c.sampleCondition.holds), c.sampleCondition.holds ? 'the data pin WᵀW down' : 'rank Φ < N*: interpolating bad minima exist'],
      ],
    ],
    [
      'global optimality (convex lift)',
      [
        ['λ_min(G)', formatNumber(c.globalOptimality.liftedGradientMinEigenvalue), 'G = ∇ℓ(WᵀW) = (2/N) Σ e_i x_i x_iᵀ'],
        ['gap bound', formatNumber(gap), gap === null ? 'not certified' : gap === 0 ? 'L̂(W) = min L̂ up to round-off' : 'L̂(W) − min L̂ ≤ ⟨G, WᵀW⟩'],
        ['certified', yesNo(c.globalOptimality.certified), c.globalOptimality.certified ? 'global minimum up to the gap bound' : 'λ_min(G) < 0: an escape direction exists'],
        ['lifted optimum', formatNumber(c.globalOptimality.liftedOptimum), 'ℓ* from an independent solve of the lifted problem'],
        ['lifted optimum lower bound', formatNumber(c.globalOptimality.liftedOptimumLowerBound), 'ℓ* ≥ this, by convexity at the solve\'s A'],
      ],
    ],
  ];
  return sections;
}
