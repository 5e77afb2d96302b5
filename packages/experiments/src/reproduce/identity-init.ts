/**
 * Experiment `identity-init` (the mathematics guide, §1.1–§1.2): the identity start `W₀ = √m [I_d; 0]` lies
 * below the energy barrier `2σ_min(W*)⁴` of the Gaussian population risk for a fraction of
 * Gaussian teachers `W*` (m×d, m* = m) that grows from 0 to 1 as `m/d²` grows.
 *
 * @packageDocumentation
 */
import { singularValues } from '@shallowscape/linalg';
import { identityInit, quadraticPopulationRisk, sampleTeacher } from '@shallowscape/model';
import { sci, yieldToInterrupt, type Experiment, type ExperimentConfig, type ExperimentResult, type TableColumn } from './experiment';

/** Everything that fixes a run of the identity-initialisation experiment. */
export interface IdentityInitSettings {
  /** Input dimensions d. */
  dimensions: number[];
  /** Over-parameterisation ratios `m/d²`, increasing (m = max(d, round(ratio·d²))). */
  ratios: number[];
  /** Independent Gaussian teachers per (d, ratio). */
  teachersPerCell: number;
  /** The fraction must be 0 at every ratio up to this. */
  zeroUpTo: number;
  /** Ratios at which the fraction must reach at least the given value. */
  required: Array<{ ratio: number; atLeast: number }>;
  /** Allowed decrease from one ratio to the next, in standard errors of the difference. */
  monotoneSlack: number;
}

/** The quick configuration: d = 5, 10, 20; 40 teachers per cell. */
export const QUICK_IDENTITY_INIT: IdentityInitSettings = {
  dimensions: [5, 10, 20],
  ratios: [0.25, 0.5, 1, 2, 4, 8, 16],
  teachersPerCell: 40,
  zeroUpTo: 0.5,
  required: [
    { ratio: 8, atLeast: 0.9 },
    { ratio: 16, atLeast: 1 },
  ],
  monotoneSlack: 2,
};

/** The full configuration: d = 5, 10, 20; 200 teachers per cell. */
export const FULL_IDENTITY_INIT: IdentityInitSettings = { ...QUICK_IDENTITY_INIT, teachersPerCell: 200 };

const CLAIM =
  'The identity start W₀ = √m[I;0] is below the energy barrier, L(W₀) < 2σ_min(W*)⁴, for no Gaussian teacher at small m/d² ' +
  'and for a fraction that grows with m/d² towards all of them (the mathematics guide, §1.2: 0 at m = d²; 0.785, 0.985 and 1 at m = 4d² for d = 5, 10, 20).';

const COLUMNS: TableColumn[] = [
  { key: 'd', label: 'd' },
  { key: 'ratio', label: 'm/d²', format: 'fixed', digits: 2 },
  { key: 'm', label: 'm' },
  { key: 'teachers', label: 'teachers' },
  { key: 'below', label: 'below' },
  { key: 'fraction', label: 'fraction', format: 'fixed', digits: 2 },
  { key: 'medianRiskOverBarrier', label: 'median L(W₀)/barrier', format: 'exponential', digits: 2 },
  { key: 'meanFieldRiskOverBarrier', label: 'mean-field ratio', format: 'exponential', digits: 2 },
];

/**
 * The mean-field estimate of `L(W₀) / (2σ_min(W*)⁴)` from `L(W₀) ≈ 2md(d+2)` and
 * `σ_min(W*) ≈ √m − √d` (the mathematics guide, §1.2):
 * $$\frac{m\,d\,(d+2)}{(\sqrt m - \sqrt d)^4}.$$
 *
 * @param m - width m (> d).
 * @param d - input dimension d.
 * @example
 * ```ts
 * meanFieldRiskOverBarrier(100, 5); // => 0.9632547235732926
 * ```
 */
export function meanFieldRiskOverBarrier(m: number, d: number): number {
  return (m * d * (d + 2)) / (Math.sqrt(m) - Math.sqrt(d)) ** 4;
}

/**
 * The ratio `m/d²` at which {@link meanFieldRiskOverBarrier} crosses 1, i.e. the root in `m > d` of
 * $m\,d\,(d+2) = (\sqrt m - \sqrt d)^4$ (geometric bisection to full precision).
 *
 * @param d - input dimension d.
 * @example
 * ```ts
 * meanFieldCrossing(5).toFixed(2); // => "3.91"
 * ```
 */
export function meanFieldCrossing(d: number): number {
  let lo = d * (1 + 1e-9);
  let hi = 1e4 * d * d;
  for (let k = 0; k < 200; k++) {
    const mid = Math.sqrt(lo * hi);
    if (meanFieldRiskOverBarrier(mid, d) > 1) lo = mid;
    else hi = mid;
  }
  return hi / (d * d);
}

/**
 * Runs the sweep with explicit `settings` and judges the claim: for every d, fraction 0 at each
 * ratio ≤ `zeroUpTo`, the `required` fractions reached, and no decrease from one ratio to the
 * next by more than `monotoneSlack` standard errors of the difference of two binomial
 * proportions (pooled).
 */
export async function runIdentityInit(settings: IdentityInitSettings, config: ExperimentConfig): Promise<ExperimentResult> {
  const rows: Array<Record<string, number | string | boolean | null>> = [];
  const failures: string[] = [];
  const details: string[] = [];
  for (const d of settings.dimensions) {
    const fractions: number[] = [];
    for (const ratio of settings.ratios) {
      const m = Math.max(d, Math.round(ratio * d * d));
      const w0 = identityInit(m, d);
      let below = 0;
      const riskOverBarrier: number[] = [];
      const rng = config.rng.split();
      for (let t = 0; t < settings.teachersPerCell; t++) {
        await yieldToInterrupt(config.signal);
        config.progress?.(`d=${d} m/d²=${ratio} teacher ${t + 1}/${settings.teachersPerCell}`);
        const teacher = sampleTeacher(m, d, rng);
        const risk = quadraticPopulationRisk(w0, teacher);
        const s = singularValues(teacher);
        const sigmaMin = s[s.length - 1]!;
        const barrier = 2 * sigmaMin ** 4;
        if (risk < barrier) below += 1;
        riskOverBarrier.push(risk / barrier);
      }
      riskOverBarrier.sort((a, b) => a - b);
      const mid = riskOverBarrier.length >> 1;
      const medianRatio = riskOverBarrier.length % 2 === 1 ? riskOverBarrier[mid]! : (riskOverBarrier[mid - 1]! + riskOverBarrier[mid]!) / 2;
      const fraction = below / settings.teachersPerCell;
      fractions.push(fraction);
      rows.push({
        d,
        ratio,
        m,
        teachers: settings.teachersPerCell,
        below,
        fraction,
        medianRiskOverBarrier: medianRatio,
        meanFieldRiskOverBarrier: meanFieldRiskOverBarrier(m, d),
      });
      if (ratio <= settings.zeroUpTo && below > 0) {
        failures.push(`d=${d}, m/d²=${ratio}: ${below} of ${settings.teachersPerCell} identity starts were below the barrier (claim: none)`);
      }
      for (const req of settings.required) {
        if (req.ratio === ratio && fraction < req.atLeast) {
          failures.push(`d=${d}, m/d²=${ratio}: fraction ${fraction.toFixed(2)} < required ${req.atLeast}`);
        }
      }
    }
    for (const req of settings.required) {
      if (!settings.ratios.includes(req.ratio)) failures.push(`d=${d}: required ratio m/d²=${req.ratio} was not measured`);
    }
    const n = settings.teachersPerCell;
    for (let i = 1; i < fractions.length; i++) {
      const p0 = fractions[i - 1]!;
      const p1 = fractions[i]!;
      const pooled = (p0 + p1) / 2;
      const se = Math.sqrt((2 * pooled * (1 - pooled)) / n);
      if (p1 < p0 - settings.monotoneSlack * se) {
        failures.push(
          `d=${d}: the fraction drops from ${p0.toFixed(2)} at m/d²=${settings.ratios[i - 1]} to ${p1.toFixed(2)} at m/d²=${settings.ratios[i]} ` +
            `(more than ${settings.monotoneSlack} standard errors, ${sci(se, 2)})`,
        );
      }
    }
    const at = (ratio: number): string => {
      const k = settings.ratios.indexOf(ratio);
      return k === -1 ? 'not measured' : fractions[k]!.toFixed(2);
    };
    details.push(
      `d=${d}: fraction ${at(1)} at m = d² and ${at(4)} at m = 4d² (the mathematics guide, §1.2 reports 0 and, with 200 teachers per cell, 0.785, 0.985 and 1 for d = 5, 10, 20); ` +
        `the mean-field estimate L(W₀) ≈ 2md(d+2), σ_min ≈ √m − √d puts the crossing at m/d² ≈ ${meanFieldCrossing(d).toFixed(2)}.`,
    );
  }
  details.push(...failures);
  const required = settings.required.map((r) => `${r.atLeast === 1 ? '=' : '≥'} ${r.atLeast} at m/d² = ${r.ratio}`).join(', ');
  return {
    name: identityInitExperiment.name,
    claim: CLAIM,
    criterion:
      `for every d: fraction = 0 at every m/d² ≤ ${settings.zeroUpTo}, fraction ${required}, and no decrease between ` +
      `consecutive m/d² larger than ${settings.monotoneSlack} standard errors (binomial, pooled)`,
    passed: failures.length === 0,
    results: { columns: COLUMNS, rows },
    details,
    config: {
      dimensions: settings.dimensions,
      ratios: settings.ratios,
      teachersPerCell: settings.teachersPerCell,
      teacher: 'Gaussian N(0,1) entries, m* = m',
      risk: 'Gaussian population risk L = 2‖Δ‖_F² + (tr Δ)²',
      zeroUpTo: settings.zeroUpTo,
      required: settings.required,
      monotoneSlack: settings.monotoneSlack,
    },
  };
}

/** The `identity-init` experiment. */
export const identityInitExperiment: Experiment = {
  name: 'identity-init',
  claim: CLAIM,
  run: (config) => runIdentityInit(config.quick ? QUICK_IDENTITY_INIT : FULL_IDENTITY_INIT, config),
};
