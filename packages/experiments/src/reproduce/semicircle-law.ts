/**
 * Experiment `semicircle-law` (the mathematics guide, §1.3): for a Gaussian `W*` (m×d), the spectrum of
 * `(W*ᵀW* − mI)/√(md)` approaches the semicircle law on [−2, 2] as `m/d` grows, so its
 * Kolmogorov–Smirnov distance to the semicircle falls with `m/d` at fixed `d`.
 *
 * @packageDocumentation
 */
import { marchenkoPasturCdf, normalizeSpectrum, semicircleCdf, ksToSemicircle, wasserstein1ToSemicircle, wishartSpectrum } from '@shallowscape/rmt';
import { maximum, median, minimum, sci, yieldToInterrupt, type Experiment, type ExperimentConfig, type ExperimentResult, type TableColumn } from './experiment';

/** Everything that fixes a run of the semicircle-law experiment. */
export interface SemicircleLawSettings {
  /** The input dimension d (the order of W*ᵀW*, the number of eigenvalues per sample). */
  d: number;
  /** The ratios m/d, increasing (m = ratio·d). */
  ratios: number[];
  /** Independent spectra per ratio. */
  samplesPerRatio: number;
  /** The median KS distance may rise by at most this (absolute) from one ratio to the next. */
  monotoneSlack: number;
  /** The median KS distance at the largest ratio must be at most this. */
  finalBound: number;
}

/** The quick configuration: d = 100, m/d = 1 … 256, 20 spectra per ratio. */
export const QUICK_SEMICIRCLE_LAW: SemicircleLawSettings = {
  d: 100,
  ratios: [1, 4, 16, 64, 256],
  samplesPerRatio: 20,
  monotoneSlack: 0.005,
  finalBound: 0.05,
};

/** The full configuration: d = 200, m/d = 1 … 1024, 50 spectra per ratio. */
export const FULL_SEMICIRCLE_LAW: SemicircleLawSettings = {
  d: 200,
  ratios: [1, 4, 16, 64, 256, 1024],
  samplesPerRatio: 50,
  monotoneSlack: 0.005,
  finalBound: 0.03,
};

const CLAIM =
  'For a Gaussian W* (m×d), the spectrum of (W*ᵀW* − mI)/√(md) tends to the semicircle on [−2, 2] as m/d grows (the mathematics guide, §1.3): ' +
  'at fixed d its Kolmogorov–Smirnov distance to the semicircle falls with m/d.';

const COLUMNS: TableColumn[] = [
  { key: 'd', label: 'd' },
  { key: 'ratio', label: 'm/d' },
  { key: 'm', label: 'm' },
  { key: 'samples', label: 'samples' },
  { key: 'medianKs', label: 'median KS', format: 'fixed', digits: 4 },
  { key: 'minKs', label: 'min KS', format: 'fixed', digits: 4 },
  { key: 'maxKs', label: 'max KS', format: 'fixed', digits: 4 },
  { key: 'lawKs', label: 'KS(MP law, sc)', format: 'fixed', digits: 4 },
  { key: 'medianW1', label: 'median W1', format: 'fixed', digits: 4 },
];

/**
 * The Kolmogorov–Smirnov distance between the semicircle and the limit law of the centred spectrum
 * at finite `m/d = 1/γ`: when `λ/m` follows Marchenko–Pastur of ratio γ, `x = (λ − m)/√(md) = (λ/m − 1)/√γ`
 * has CDF `F_γ(1 + √γ x)`, so
 * $$D(\gamma) = \sup_x \big|F_\gamma(1 + \sqrt\gamma\,x) - F_{\mathrm{sc}}(x)\big|,$$
 * evaluated on a grid of spacing 1e-4 over [−2, 2 + √γ] (both laws are continuous; the grid
 * misses the supremum by at most 1e-4 times the larger density, about 1e-4).
 *
 * @param gamma - γ = d/m ∈ (0, 1].
 * @example
 * ```ts
 * semicircleLawGap(1 / 256) < semicircleLawGap(1 / 4); // => true
 * ```
 */
export function semicircleLawGap(gamma: number): number {
  const root = Math.sqrt(gamma);
  const lo = -2;
  const hi = 2 + root;
  const steps = Math.ceil((hi - lo) / 1e-4);
  let sup = 0;
  for (let k = 0; k <= steps; k++) {
    const x = lo + ((hi - lo) * k) / steps;
    const gap = Math.abs(marchenkoPasturCdf(1 + root * x, gamma) - semicircleCdf(x));
    if (gap > sup) sup = gap;
  }
  return sup;
}

/**
 * Runs the sweep with explicit `settings` and judges the claim: the median KS distance over the
 * spectra of a ratio rises by at most `monotoneSlack` from one ratio to the next, is at the
 * largest ratio smaller than at the smallest, and is at most `finalBound` at the largest ratio.
 *
 * Spectra come from `wishartSpectrum(m, d, rng)` (the Dumitriu–Edelman tridiagonal model, which has
 * exactly the eigenvalue distribution of W*ᵀW*), normalised by `normalizeSpectrum(…, { law: 'semicircle' })`.
 */
export async function runSemicircleLaw(settings: SemicircleLawSettings, config: ExperimentConfig): Promise<ExperimentResult> {
  const { d } = settings;
  const rows: Array<Record<string, number | string | boolean | null>> = [];
  const medians: number[] = [];
  const failures: string[] = [];
  for (const ratio of settings.ratios) {
    const m = Math.round(ratio * d);
    const rng = config.rng.split();
    const ks: number[] = [];
    const w1: number[] = [];
    for (let s = 0; s < settings.samplesPerRatio; s++) {
      await yieldToInterrupt(config.signal);
      config.progress?.(`d=${d} m/d=${ratio} spectrum ${s + 1}/${settings.samplesPerRatio}`);
      const spectrum = normalizeSpectrum(wishartSpectrum(m, d, rng, { method: 'tridiagonal' }), { law: 'semicircle', m, d });
      ks.push(ksToSemicircle(spectrum));
      w1.push(wasserstein1ToSemicircle(spectrum));
    }
    const medianKs = median(ks);
    medians.push(medianKs);
    rows.push({
      d,
      ratio,
      m,
      samples: settings.samplesPerRatio,
      medianKs,
      minKs: minimum(ks),
      maxKs: maximum(ks),
      lawKs: semicircleLawGap(d / m),
      medianW1: median(w1),
    });
  }
  for (let i = 1; i < medians.length; i++) {
    if (medians[i]! > medians[i - 1]! + settings.monotoneSlack) {
      failures.push(
        `the median KS distance rises from ${medians[i - 1]!.toFixed(4)} at m/d=${settings.ratios[i - 1]} to ${medians[i]!.toFixed(4)} at m/d=${settings.ratios[i]} ` +
          `(more than the slack ${settings.monotoneSlack})`,
      );
    }
  }
  const first = medians[0]!;
  const last = medians[medians.length - 1]!;
  const largest = settings.ratios[settings.ratios.length - 1]!;
  if (!(last < first)) failures.push(`the median KS distance at m/d=${largest} (${last.toFixed(4)}) is not below that at m/d=${settings.ratios[0]} (${first.toFixed(4)})`);
  if (!(last <= settings.finalBound)) failures.push(`the median KS distance at m/d=${largest} is ${last.toFixed(4)} > ${settings.finalBound}`);
  const details = [
    `The median KS distance falls from ${first.toFixed(4)} at m/d=${settings.ratios[0]} to ${last.toFixed(4)} at m/d=${largest}; ` +
      `"KS(MP law, sc)" is the distance of the exact finite-m/d limit law (Marchenko–Pastur, centred and scaled) to the semicircle, ` +
      `the part of the gap that d → ∞ alone does not remove; the rest (about ${sci(Math.abs(last - (rows[rows.length - 1]!.lawKs as number)), 1)} at m/d=${largest}) is finite-d fluctuation.`,
    `Spectra: wishartSpectrum (the Dumitriu–Edelman tridiagonal β = 1 model, distributed exactly as the eigenvalues of W*ᵀW*), ` +
      `normalised (λ − m)/√(md); KS is the exact supremum over the jumps of the empirical CDF.`,
    ...failures,
  ];
  return {
    name: semicircleLaw.name,
    claim: CLAIM,
    criterion:
      `median KS over the spectra of each m/d rises by at most ${settings.monotoneSlack} from one m/d to the next, ` +
      `is lower at the largest m/d than at the smallest, and is ≤ ${settings.finalBound} at m/d = ${largest} (d = ${d})`,
    passed: failures.length === 0,
    results: { columns: COLUMNS, rows },
    details,
    config: {
      d,
      ratios: settings.ratios,
      samplesPerRatio: settings.samplesPerRatio,
      spectrum: 'wishartSpectrum (Dumitriu–Edelman tridiagonal β = 1 model), normalised (λ − m)/√(md)',
      distance: 'Kolmogorov–Smirnov (exact sup over the jumps) and Wasserstein-1 to the semicircle on [−2, 2]',
      monotoneSlack: settings.monotoneSlack,
      finalBound: settings.finalBound,
    },
  };
}

/** The `semicircle-law` experiment. */
export const semicircleLaw: Experiment = {
  name: 'semicircle-law',
  claim: CLAIM,
  run: (config) => runSemicircleLaw(config.quick ? QUICK_SEMICIRCLE_LAW : FULL_SEMICIRCLE_LAW, config),
};
