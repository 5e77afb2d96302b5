/**
 * Experiment `bad-global-minimum` (the mathematics guide, §1.4): with `N = N* − 1` Gaussian samples the sample
 * condition fails and an interpolating, rank-deficient student exists (zero training risk,
 * population risk at least the energy barrier `2σ_min(W*)⁴`); with `N = N* + 1` the condition
 * holds and no such student exists.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, rank, singularValues, type Rng } from '@shallowscape/linalg';
import { QuadraticEmpiricalRisk, quadraticPopulationRisk, sampleInputs, sampleTeacher, teacherLabels } from '@shallowscape/model';
import { badGlobalMinimum, nStar, sampleCondition } from '@shallowscape/certificates';
import { maximum, median, minimum, sci, yieldToInterrupt, type Experiment, type ExperimentConfig, type ExperimentResult, type TableColumn } from './experiment';
import { meanSquare } from './fit-from-gaussian-start';

/** Everything that fixes a run of the bad-global-minimum experiment. */
export interface BadGlobalMinimumSettings {
  /** Input dimensions d (teacher width m* = d, Gaussian N(0, 1) entries). */
  dimensions: number[];
  /** Independent (teacher, inputs) pairs per d. */
  runsPerDimension: number;
  /** The constructed student counts as interpolating when its training risk / mean(y²) is at most this. */
  trainingRiskTolerance: number;
  /** Samples below N*: N = N* − `samplesBelow` (1 for the claim). */
  samplesBelow: number;
  /** Samples above N*: N = N* + `samplesAbove` (1 for the claim). */
  samplesAbove: number;
}

/** The quick configuration: d = 3 … 8, 10 runs per d. */
export const QUICK_BAD_GLOBAL_MINIMUM: BadGlobalMinimumSettings = {
  dimensions: [3, 4, 5, 6, 8],
  runsPerDimension: 10,
  trainingRiskTolerance: 1e-20,
  samplesBelow: 1,
  samplesAbove: 1,
};

/** The full configuration: d = 3 … 16, 20 runs per d. */
export const FULL_BAD_GLOBAL_MINIMUM: BadGlobalMinimumSettings = {
  ...QUICK_BAD_GLOBAL_MINIMUM,
  dimensions: [3, 4, 5, 6, 8, 10, 12, 16],
  runsPerDimension: 20,
};

const CLAIM =
  'Below N* = d(d+1)/2 samples (N = N* − 1) the sample condition fails and a bad global minimum exists: a rank-deficient W ' +
  'with zero training risk and population risk at least the barrier 2σ_min(W*)⁴ (the mathematics guide, §1.4); at N = N* + 1 the condition holds ' +
  'and the construction is refused.';

const COLUMNS: TableColumn[] = [
  { key: 'd', label: 'd' },
  { key: 'nStar', label: 'N*' },
  { key: 'runs', label: 'runs' },
  { key: 'interpolating', label: 'interp.' },
  { key: 'maxTrainingRisk', label: 'max train risk/mean y²', format: 'exponential', digits: 1 },
  { key: 'maxRank', label: 'max rank W' },
  { key: 'minRiskOverBarrier', label: 'min L(W)/barrier', format: 'fixed', digits: 3 },
  { key: 'medianRiskOverBarrier', label: 'median L(W)/barrier', format: 'fixed', digits: 3 },
  { key: 'conditionHoldsAbove', label: 'holds at N*+1' },
  { key: 'refusedAbove', label: 'refused at N*+1' },
  { key: 'minSigmaRatioAbove', label: 'min σ_min/σ_max(Φ) at N*+1', format: 'exponential', digits: 1 },
];

/** What one (teacher, inputs) pair gave. */
interface BadMinimumRun {
  relativeTrainingRisk: number;
  rank: number;
  populationRisk: number;
  barrier: number;
  holdsBelow: boolean;
  holdsAbove: boolean;
  refusedAbove: boolean;
  sigmaRatioAbove: number;
}

/**
 * One run: a Gaussian teacher (d×d), N* − `samplesBelow` and N* + `samplesAbove` Gaussian inputs.
 * The training risk, rank, population risk and barrier of the constructed W are recomputed here
 * (`QuadraticEmpiricalRisk`, `rank`, `quadraticPopulationRisk`, `singularValues`), independently of
 * the numbers `badGlobalMinimum` reports.
 */
function badMinimumRun(d: number, settings: BadGlobalMinimumSettings, rng: Rng): BadMinimumRun {
  const teacher = sampleTeacher(d, d, rng);
  const ns = nStar(d);
  const below = sampleInputs(ns - settings.samplesBelow, d, 'gaussian', rng);
  const above = sampleInputs(ns + settings.samplesAbove, d, 'gaussian', rng);
  const y = teacherLabels(below, teacher);
  const labelsMeanSquare = meanSquare(y);
  const holdsBelow = sampleCondition(below).holds;
  let relativeTrainingRisk = Number.POSITIVE_INFINITY;
  let wRank = d;
  let populationRisk = Number.NaN;
  if (!holdsBelow) {
    const bad = badGlobalMinimum(below, teacher);
    relativeTrainingRisk = new QuadraticEmpiricalRisk(below, y, bad.w.rows).risk(bad.w) / labelsMeanSquare;
    wRank = rank(bad.w);
    populationRisk = quadraticPopulationRisk(bad.w, teacher);
  }
  const s = singularValues(teacher);
  const barrier = 2 * s[s.length - 1]! ** 4;
  const conditionAbove = sampleCondition(above);
  let refusedAbove = false;
  try {
    badGlobalMinimum(above, teacher);
  } catch (error) {
    if (!(error instanceof InvalidArgumentError) || error.argument !== 'x') throw error;
    refusedAbove = true;
  }
  return {
    relativeTrainingRisk,
    rank: wRank,
    populationRisk,
    barrier,
    holdsBelow,
    holdsAbove: conditionAbove.holds,
    refusedAbove,
    sigmaRatioAbove: conditionAbove.sigmaMinRatio,
  };
}

/**
 * Runs the sweep with explicit `settings` and judges the claim, for every run: at N = N* −
 * `samplesBelow` the condition fails and the constructed W has training risk ≤
 * `trainingRiskTolerance`·mean(y²), rank < d and population risk ≥ 2σ_min(W*)⁴; at N = N* +
 * `samplesAbove` the condition holds and `badGlobalMinimum` refuses with an `InvalidArgumentError`
 * naming `x`.
 */
export async function runBadGlobalMinimum(settings: BadGlobalMinimumSettings, config: ExperimentConfig): Promise<ExperimentResult> {
  const rows: Array<Record<string, number | string | boolean | null>> = [];
  const failures: string[] = [];
  const ratios: number[] = [];
  for (const d of settings.dimensions) {
    const runs: BadMinimumRun[] = [];
    for (let r = 0; r < settings.runsPerDimension; r++) {
      await yieldToInterrupt(config.signal);
      config.progress?.(`d=${d} run ${r + 1}/${settings.runsPerDimension}`);
      runs.push(badMinimumRun(d, settings, config.rng.split()));
    }
    const ns = nStar(d);
    const riskOverBarrier = runs.map((run) => run.populationRisk / run.barrier);
    ratios.push(...riskOverBarrier.filter(Number.isFinite));
    const interpolating = runs.filter((run) => run.relativeTrainingRisk <= settings.trainingRiskTolerance).length;
    rows.push({
      d,
      nStar: ns,
      runs: runs.length,
      interpolating,
      maxTrainingRisk: maximum(runs.map((run) => run.relativeTrainingRisk)),
      maxRank: maximum(runs.map((run) => run.rank)),
      minRiskOverBarrier: minimum(riskOverBarrier),
      medianRiskOverBarrier: median(riskOverBarrier.filter(Number.isFinite)),
      conditionHoldsAbove: runs.filter((run) => run.holdsAbove).length,
      refusedAbove: runs.filter((run) => run.refusedAbove).length,
      minSigmaRatioAbove: minimum(runs.map((run) => run.sigmaRatioAbove)),
    });
    runs.forEach((run, k) => {
      const label = `d=${d}, run ${k + 1}`;
      if (run.holdsBelow) failures.push(`${label}: the sample condition holds at N=${ns - settings.samplesBelow} (claim: it fails below N*=${ns})`);
      else {
        if (!(run.relativeTrainingRisk <= settings.trainingRiskTolerance)) {
          failures.push(`${label}: the constructed W has training risk ${sci(run.relativeTrainingRisk)}·mean(y²) > ${sci(settings.trainingRiskTolerance)}·mean(y²)`);
        }
        if (!(run.rank < d)) failures.push(`${label}: the constructed W has rank ${run.rank} (claim: < d)`);
        if (!(run.populationRisk >= run.barrier)) {
          failures.push(`${label}: the constructed W has population risk ${sci(run.populationRisk, 3)} below the barrier ${sci(run.barrier, 3)}`);
        }
      }
      if (!run.holdsAbove) failures.push(`${label}: the sample condition fails at N=${ns + settings.samplesAbove}`);
      if (!run.refusedAbove) failures.push(`${label}: badGlobalMinimum did not refuse at N=${ns + settings.samplesAbove}`);
    });
  }
  const details = [
    `Over all runs the constructed W has population risk between ${minimum(ratios).toFixed(3)} and ${maximum(ratios).toFixed(3)} times the barrier ` +
      `(rank deficiency forces ≥ 1), while fitting the N* − ${settings.samplesBelow} training labels exactly.`,
    ...failures,
  ];
  return {
    name: badGlobalMinimumExperiment.name,
    claim: CLAIM,
    criterion:
      `for every d and run: at N = N* − ${settings.samplesBelow} the condition fails and the constructed W has training risk ≤ ` +
      `${sci(settings.trainingRiskTolerance)}·mean(y²), rank < d and population risk ≥ 2σ_min(W*)⁴; at N = N* + ${settings.samplesAbove} ` +
      `the condition holds (rank Φ = N*, numpy matrix_rank tolerance) and badGlobalMinimum refuses (InvalidArgumentError naming x)`,
    passed: failures.length === 0,
    results: { columns: COLUMNS, rows },
    details,
    config: {
      dimensions: settings.dimensions,
      runsPerDimension: settings.runsPerDimension,
      teacher: 'Gaussian N(0,1) entries, m* = d',
      inputs: 'gaussian',
      labels: 'teacher (noiseless)',
      samplesBelow: settings.samplesBelow,
      samplesAbove: settings.samplesAbove,
      trainingRiskTolerance: settings.trainingRiskTolerance,
      rank: 'linalg rank (numpy matrix_rank tolerance)',
    },
  };
}

/** The `bad-global-minimum` experiment. */
export const badGlobalMinimumExperiment: Experiment = {
  name: 'bad-global-minimum',
  claim: CLAIM,
  run: (config) => runBadGlobalMinimum(config.quick ? QUICK_BAD_GLOBAL_MINIMUM : FULL_BAD_GLOBAL_MINIMUM, config),
};
