/**
 * Experiment `marchenko-pastur-edges` (the mathematics guide, §1.3): for a Gaussian `W` (m×d) with
 * `d/m = γ ≤ 1`, the extreme eigenvalues of `WᵀW/m` approach the Marchenko–Pastur edges
 * `λ± = (1 ± √γ)²` as the size grows, and the whole spectrum is close to the law.
 *
 * @packageDocumentation
 */
import { ksToMarchenkoPastur, marchenkoPasturEdges, normalizeSpectrum, wishartSpectrum } from '@shallowscape/rmt';
import { maximum, median, yieldToInterrupt, type Experiment, type ExperimentConfig, type ExperimentResult, type TableColumn } from './experiment';

/** Everything that fixes a run of the Marchenko–Pastur edge experiment. */
export interface MarchenkoPasturEdgesSettings {
  /** The ratios γ = d/m ∈ (0, 1]. */
  gammas: number[];
  /** The sizes m, increasing (d = γ·m). */
  sizes: number[];
  /** Independent spectra per (γ, m). */
  samplesPerCell: number;
  /** The median edge errors at the largest m must be at most this fraction of those at the smallest m. */
  shrinkFactor: number;
  /** The median KS distance to Marchenko–Pastur at the largest m must be at most this. */
  ksBound: number;
}

/** The quick configuration: γ = 0.25, 0.5, 1; m = 200, 800, 3200; 10 spectra per cell. */
export const QUICK_MARCHENKO_PASTUR_EDGES: MarchenkoPasturEdgesSettings = {
  gammas: [0.25, 0.5, 1],
  sizes: [200, 800, 3200],
  samplesPerCell: 10,
  shrinkFactor: 0.5,
  ksBound: 0.01,
};

/** The full configuration: m = 100, 400, 1600, 6400; 20 spectra per cell. */
export const FULL_MARCHENKO_PASTUR_EDGES: MarchenkoPasturEdgesSettings = {
  gammas: [0.25, 0.5, 1],
  sizes: [100, 400, 1600, 6400],
  samplesPerCell: 20,
  shrinkFactor: 0.5,
  ksBound: 0.01,
};

const CLAIM =
  'For a Gaussian W (m×d) with d/m = γ, the extreme eigenvalues of WᵀW/m approach the Marchenko–Pastur edges λ± = (1 ± √γ)² ' +
  'as m grows (the mathematics guide, §1.3), and the spectrum approaches the Marchenko–Pastur law.';

const COLUMNS: TableColumn[] = [
  { key: 'gamma', label: 'γ', format: 'fixed', digits: 2 },
  { key: 'm', label: 'm' },
  { key: 'd', label: 'd' },
  { key: 'samples', label: 'samples' },
  { key: 'lowerEdge', label: 'λ−', format: 'fixed', digits: 4 },
  { key: 'upperEdge', label: 'λ+', format: 'fixed', digits: 4 },
  { key: 'medianMin', label: 'median λ_min', format: 'fixed', digits: 4 },
  { key: 'medianMax', label: 'median λ_max', format: 'fixed', digits: 4 },
  { key: 'medianLowerError', label: 'median |λ_min−λ−|', format: 'exponential', digits: 2 },
  { key: 'medianUpperError', label: 'median |λ_max−λ+|', format: 'exponential', digits: 2 },
  { key: 'scaledUpperError', label: 'm^(2/3)·|λ_max−λ+|', format: 'fixed', digits: 2 },
  { key: 'medianKs', label: 'median KS', format: 'fixed', digits: 4 },
];

/**
 * Runs the sweep with explicit `settings` and judges the claim, for every γ: the median errors
 * `|λ_min − λ−|` and `|λ_max − λ+|` over the spectra of a cell are, at the largest m, at most
 * `shrinkFactor` times their values at the smallest m, and the median KS distance to
 * Marchenko–Pastur at the largest m is at most `ksBound`. (Between neighbouring sizes the soft-edge
 * errors shrink only like (m/m')^(2/3), within the Tracy–Widom noise of a few spectra, so they are
 * reported, not judged.)
 *
 * Spectra come from `wishartSpectrum(m, d, rng)` (the Dumitriu–Edelman tridiagonal model),
 * normalised by `1/m`.
 */
export async function runMarchenkoPasturEdges(settings: MarchenkoPasturEdgesSettings, config: ExperimentConfig): Promise<ExperimentResult> {
  const rows: Array<Record<string, number | string | boolean | null>> = [];
  const failures: string[] = [];
  const details: string[] = [];
  for (const gamma of settings.gammas) {
    const { lower, upper } = marchenkoPasturEdges(gamma);
    const lowerErrors: number[] = [];
    const upperErrors: number[] = [];
    const lastKs: number[] = [];
    for (const m of settings.sizes) {
      const d = Math.max(1, Math.round(gamma * m));
      const rng = config.rng.split();
      const mins: number[] = [];
      const maxs: number[] = [];
      const ks: number[] = [];
      for (let s = 0; s < settings.samplesPerCell; s++) {
        await yieldToInterrupt(config.signal);
        config.progress?.(`γ=${gamma} m=${m} spectrum ${s + 1}/${settings.samplesPerCell}`);
        const spectrum = normalizeSpectrum(wishartSpectrum(m, d, rng, { method: 'tridiagonal' }), { law: 'marchenko-pastur', m, d });
        mins.push(spectrum[0]!);
        maxs.push(spectrum[spectrum.length - 1]!);
        ks.push(ksToMarchenkoPastur(spectrum, d / m));
      }
      const lowerError = median(mins.map((v) => Math.abs(v - lower)));
      const upperError = median(maxs.map((v) => Math.abs(v - upper)));
      lowerErrors.push(lowerError);
      upperErrors.push(upperError);
      lastKs.splice(0, lastKs.length, ...ks);
      rows.push({
        gamma,
        m,
        d,
        samples: settings.samplesPerCell,
        lowerEdge: lower,
        upperEdge: upper,
        medianMin: median(mins),
        medianMax: median(maxs),
        medianLowerError: lowerError,
        medianUpperError: upperError,
        scaledUpperError: m ** (2 / 3) * upperError,
        medianKs: median(ks),
      });
    }
    const sizes = settings.sizes;
    for (const [edge, errors] of [
      ['λ−', lowerErrors],
      ['λ+', upperErrors],
    ] as const) {
      const first = errors[0]!;
      const last = errors[errors.length - 1]!;
      if (!(last <= settings.shrinkFactor * first)) {
        failures.push(`γ=${gamma}: the median error at ${edge} is ${last.toExponential(2)} at m=${sizes[sizes.length - 1]}, more than ${settings.shrinkFactor} × ${first.toExponential(2)} at m=${sizes[0]}`);
      }
    }
    const ksLast = median(lastKs);
    if (!(ksLast <= settings.ksBound)) failures.push(`γ=${gamma}: the median KS distance at m=${sizes[sizes.length - 1]} is ${ksLast.toFixed(4)} > ${settings.ksBound}`);
    const ratio = upperErrors[upperErrors.length - 1]! / upperErrors[0]!;
    const predicted = (sizes[sizes.length - 1]! / sizes[0]!) ** (-2 / 3);
    details.push(
      `γ=${gamma}: the error at λ+ shrinks by ${ratio.toFixed(3)} from m=${sizes[0]} to m=${sizes[sizes.length - 1]} (Tracy–Widom scaling m^(−2/3) predicts ${predicted.toFixed(3)}); ` +
        `largest KS distance at m=${sizes[sizes.length - 1]}: ${maximum(lastKs).toFixed(4)}.`,
    );
  }
  details.push(
    'Spectra: wishartSpectrum (the Dumitriu–Edelman tridiagonal β = 1 model, distributed exactly as the eigenvalues of WᵀW), normalised λ/m.',
    ...failures,
  );
  return {
    name: marchenkoPasturEdgesExperiment.name,
    claim: CLAIM,
    criterion:
      `for every γ: the median errors |λ_min − λ−| and |λ_max − λ+| at m = ${settings.sizes[settings.sizes.length - 1]} are each ` +
      `≤ ${settings.shrinkFactor} × their values at m = ${settings.sizes[0]}, and the median KS distance to Marchenko–Pastur there is ≤ ${settings.ksBound}`,
    passed: failures.length === 0,
    results: { columns: COLUMNS, rows },
    details,
    config: {
      gammas: settings.gammas,
      sizes: settings.sizes,
      samplesPerCell: settings.samplesPerCell,
      spectrum: 'wishartSpectrum (Dumitriu–Edelman tridiagonal β = 1 model), normalised λ/m',
      shrinkFactor: settings.shrinkFactor,
      ksBound: settings.ksBound,
    },
  };
}

/** The `marchenko-pastur-edges` experiment. */
export const marchenkoPasturEdgesExperiment: Experiment = {
  name: 'marchenko-pastur-edges',
  claim: CLAIM,
  run: (config) => runMarchenkoPasturEdges(config.quick ? QUICK_MARCHENKO_PASTUR_EDGES : FULL_MARCHENKO_PASTUR_EDGES, config),
};
