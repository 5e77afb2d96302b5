/**
 * Experiment `sample-threshold` (the mathematics guide, §1.4): with a Gaussian full-rank teacher and noiseless
 * labels, a student with `m ≥ d` hidden units that interpolates `N` Gaussian samples recovers
 * `W*ᵀW*` exactly when `N ≥ N* = d(d+1)/2`, and (almost surely) does not when `N < N*`.
 *
 * @packageDocumentation
 */
import type { Rng } from '@shallowscape/linalg';
import { Matrix } from '@shallowscape/linalg';
import {
  QuadraticEmpiricalRisk,
  generalizationError,
  sampleInputs,
  sampleTeacher,
  teacherLabels,
} from '@shallowscape/model';
import {
  maximum,
  minimum,
  sci,
  yieldToInterrupt,
  type Experiment,
  type ExperimentConfig,
  type ExperimentResult,
  type TableColumn,
} from './experiment';
import { fitFromGaussianStart, meanSquare } from './fit-from-gaussian-start';

/** The size of one problem family in the sweep. */
export interface SampleThresholdDimension {
  /** Input dimension d. */
  d: number;
  /** Student width m (≥ d). */
  width: number;
  /** Teacher width m* (≥ d, so that the teacher is full rank almost surely). */
  teacherWidth: number;
}

/** Everything that fixes a run of the sample-threshold experiment. */
export interface SampleThresholdSettings {
  /** The problem sizes swept (at least two values of d for the claim). */
  dimensions: SampleThresholdDimension[];
  /** Offsets `N − N*` swept for every d (values giving N < 1 are skipped). */
  offsets: number[];
  /** Independent runs (teacher, inputs, starting point) per (d, N). */
  runsPerCell: number;
  /** A student generalises when `‖WᵀW − W*ᵀW*‖_F / ‖W*ᵀW*‖_F` is below this. */
  relativeErrorTolerance: number;
  /** A run counts as interpolating when its training risk / mean(y²) is at most this. */
  trainingRiskTolerance: number;
  /** L-BFGS step budget per run. */
  maxSteps: number;
  /**
   * The sample size from which the claim says students generalise; `d(d+1)/2` unless a test
   * checks that a wrong threshold is caught.
   */
  claimedThreshold?: (d: number) => number;
}

/** The quick configuration: d = 3 … 6 (m* = d, m = 2d; also m* = 2d for d = 4); N*−4 … N*+4; 10 runs per cell. */
export const QUICK_SAMPLE_THRESHOLD: SampleThresholdSettings = {
  dimensions: [
    { d: 3, width: 6, teacherWidth: 3 },
    { d: 4, width: 8, teacherWidth: 4 },
    { d: 4, width: 8, teacherWidth: 8 },
    { d: 5, width: 10, teacherWidth: 5 },
    { d: 6, width: 12, teacherWidth: 6 },
  ],
  offsets: [-4, -3, -2, -1, 0, 1, 2, 3, 4],
  runsPerCell: 10,
  relativeErrorTolerance: 1e-6,
  trainingRiskTolerance: 1e-20,
  maxSteps: 10000,
};

/** The full configuration: d = 3 … 10 (m* = d; also m* = 2d for d = 4; m = 2d); 20 runs per cell. */
export const FULL_SAMPLE_THRESHOLD: SampleThresholdSettings = {
  dimensions: [
    { d: 3, width: 6, teacherWidth: 3 },
    { d: 4, width: 8, teacherWidth: 4 },
    { d: 4, width: 8, teacherWidth: 8 },
    { d: 5, width: 10, teacherWidth: 5 },
    { d: 6, width: 12, teacherWidth: 6 },
    { d: 8, width: 16, teacherWidth: 8 },
    { d: 10, width: 20, teacherWidth: 10 },
  ],
  offsets: [-4, -3, -2, -1, 0, 1, 2, 3, 4],
  runsPerCell: 20,
  relativeErrorTolerance: 1e-6,
  trainingRiskTolerance: 1e-20,
  maxSteps: 20000,
};

/** One trained student. */
export interface SampleThresholdRun {
  /** Training risk divided by the mean squared label. */
  relativeTrainingRisk: number;
  /** `‖WᵀW − W*ᵀW*‖_F / ‖W*ᵀW*‖_F`. */
  relativeError: number;
  /** Whether the training risk reached the interpolation tolerance. */
  interpolated: boolean;
  /** L-BFGS iterations. */
  steps: number;
  /** The optimiser's stop reason (or `"diverged"`). */
  reason: string;
}

/** The longest L-BFGS memory used. */
const LBFGS_MEMORY = 60;

const CLAIM =
  'With a Gaussian full-rank teacher and noiseless labels, students (m ≥ d) that interpolate N Gaussian samples ' +
  'recover W*ᵀW* (relative error < 1e-6) for no N < N* = d(d+1)/2 and for every N ≥ N*.';

/**
 * Trains one student to (near) zero training risk by L-BFGS from a Gaussian start: stops at
 * training risk ≤ 1e-8·tolerance·mean(y²), at `‖∇L̂‖ ≤ 1e-15 ‖∇L̂(W₀)‖`, when no step decreases
 * the risk any more, or after `maxSteps`. The memory is `min(m·d, 60)`: near `N ≈ N*` the lifted
 * least-squares problem is ill-conditioned and a long memory saves many iterations.
 */
export function trainStudent(dimension: SampleThresholdDimension, n: number, settings: SampleThresholdSettings, rng: Rng): SampleThresholdRun {
  const { d, width, teacherWidth } = dimension;
  const teacher = sampleTeacher(teacherWidth, d, rng);
  const x = sampleInputs(n, d, 'gaussian', rng);
  const y = teacherLabels(x, teacher);
  const labelsMeanSquare = meanSquare(y);
  const risk = new QuadraticEmpiricalRisk(x, y, width);
  const { result } = fitFromGaussianStart(risk, dimension, rng, {
    maxSteps: settings.maxSteps,
    gradientReduction: 1e-15,
    valueTolerance: 1e-8 * settings.trainingRiskTolerance * labelsMeanSquare,
    maxMemory: LBFGS_MEMORY,
  });
  if (result === null) {
    return { relativeTrainingRisk: Number.POSITIVE_INFINITY, relativeError: Number.POSITIVE_INFINITY, interpolated: false, steps: 0, reason: 'diverged' };
  }
  const { x: x1, value, steps, reason } = result;
  const w = new Matrix(width, d, x1);
  const relativeTrainingRisk = value / labelsMeanSquare;
  const { relativeError } = generalizationError(w, teacher);
  return { relativeTrainingRisk, relativeError, interpolated: relativeTrainingRisk <= settings.trainingRiskTolerance, steps, reason };
}

const COLUMNS: TableColumn[] = [
  { key: 'd', label: 'd' },
  { key: 'teacherWidth', label: 'm*' },
  { key: 'width', label: 'm' },
  { key: 'n', label: 'N' },
  { key: 'offset', label: 'N−N*' },
  { key: 'runs', label: 'runs' },
  { key: 'interpolated', label: 'interp.' },
  { key: 'generalised', label: 'generalised' },
  { key: 'fraction', label: 'fraction', format: 'fixed', digits: 2 },
  { key: 'claimed', label: 'claim' },
  { key: 'minRelativeError', label: 'min rel.err', format: 'exponential', digits: 1 },
  { key: 'maxRelativeError', label: 'max rel.err', format: 'exponential', digits: 1 },
  { key: 'maxTrainingRisk', label: 'max train risk', format: 'exponential', digits: 1 },
];

/**
 * Runs the sweep with explicit `settings` and judges the claim.
 *
 * The theorem is about students that interpolate, so each cell counts only the runs whose
 * training risk reached `trainingRiskTolerance`·mean(y²); the others are reported. Criterion, per
 * (d, N): at least half of the runs interpolate (otherwise the cell cannot be judged, a FAIL),
 * and among the interpolating ones the fraction with relative error below the tolerance is 0
 * when `N` is below the claimed threshold (`N*` unless overridden) and 1 from it on.
 */
export async function runSampleThreshold(settings: SampleThresholdSettings, config: ExperimentConfig): Promise<ExperimentResult> {
  const rows: Array<Record<string, number | string | boolean | null>> = [];
  const notes: string[] = [];
  const failures: string[] = [];
  let notInterpolated = 0;
  let total = 0;
  for (const dimension of settings.dimensions) {
    const { d } = dimension;
    const nStar = (d * (d + 1)) / 2;
    const claimedFrom = settings.claimedThreshold?.(d) ?? nStar;
    for (const offset of settings.offsets) {
      const n = nStar + offset;
      if (n < 1) continue;
      const runs: SampleThresholdRun[] = [];
      for (let r = 0; r < settings.runsPerCell; r++) {
        await yieldToInterrupt(config.signal);
        config.progress?.(`d=${d} m*=${dimension.teacherWidth} N=${n} run ${r + 1}/${settings.runsPerCell}`);
        runs.push(trainStudent(dimension, n, settings, config.rng.split()));
      }
      total += runs.length;
      const interpolating = runs.filter((run) => run.interpolated);
      const generalised = interpolating.filter((run) => run.relativeError < settings.relativeErrorTolerance).length;
      const fraction = interpolating.length === 0 ? Number.NaN : generalised / interpolating.length;
      const expectGeneralise = n >= claimedFrom;
      const errors = interpolating.map((run) => run.relativeError);
      rows.push({
        d,
        teacherWidth: dimension.teacherWidth,
        width: dimension.width,
        n,
        offset,
        runs: runs.length,
        interpolated: interpolating.length,
        generalised,
        fraction,
        claimed: expectGeneralise ? 'all' : 'none',
        minRelativeError: minimum(errors),
        maxRelativeError: maximum(errors),
        maxTrainingRisk: maximum(runs.map((run) => run.relativeTrainingRisk)),
      });
      const label = `d=${d}, m*=${dimension.teacherWidth}, N=${n}`;
      const missed = runs.filter((run) => !run.interpolated);
      notInterpolated += missed.length;
      if (missed.length > 0) {
        notes.push(
          `${label}: ${missed.length} of ${runs.length} runs stopped above the training-risk tolerance ` +
            `(${missed.map((run) => `${sci(run.relativeTrainingRisk)} after ${run.steps} steps, ${run.reason}`).join('; ')}); not counted.`,
        );
      }
      if (2 * interpolating.length < runs.length) {
        failures.push(`${label}: only ${interpolating.length} of ${runs.length} runs interpolated, too few to judge`);
      }
      if (expectGeneralise && generalised < interpolating.length) {
        failures.push(`${label} ≥ claimed threshold ${claimedFrom}: only ${generalised} of ${interpolating.length} interpolating students generalised`);
      }
      if (!expectGeneralise && generalised > 0) {
        failures.push(`${label} < claimed threshold ${claimedFrom}: ${generalised} of ${interpolating.length} interpolating students generalised`);
      }
    }
  }
  const belowErrors = rows.filter((row) => row.claimed === 'none').map((row) => row.minRelativeError as number).filter(Number.isFinite);
  const aboveErrors = rows.filter((row) => row.claimed === 'all').map((row) => row.maxRelativeError as number).filter(Number.isFinite);
  const details = [
    `Below the claimed threshold the smallest relative error of an interpolating student was ${sci(minimum(belowErrors), 2)}; ` +
      `at or above it the largest was ${sci(maximum(aboveErrors), 2)} (tolerance ${sci(settings.relativeErrorTolerance)}).`,
    `${notInterpolated} of ${total} runs did not reach training risk ≤ ${sci(settings.trainingRiskTolerance)}·mean(y²) and were not counted.`,
    ...notes,
    ...failures,
  ];
  return {
    name: sampleThreshold.name,
    claim: CLAIM,
    criterion:
      `for every d and N, among the runs reaching training risk ≤ ${sci(settings.trainingRiskTolerance)}·mean(y²) (at least half of them): ` +
      `fraction with relative error < ${sci(settings.relativeErrorTolerance)} = 0 for N < N* and = 1 for N ≥ N*`,
    passed: failures.length === 0,
    results: { columns: COLUMNS, rows },
    details,
    config: {
      dimensions: settings.dimensions,
      offsets: settings.offsets,
      runsPerCell: settings.runsPerCell,
      inputs: 'gaussian',
      labels: 'teacher (noiseless)',
      init: 'gaussian, scale √(m*/m)',
      optimizer: `lbfgs (memory min(m·d, ${LBFGS_MEMORY}))`,
      maxSteps: settings.maxSteps,
      relativeErrorTolerance: settings.relativeErrorTolerance,
      trainingRiskTolerance: settings.trainingRiskTolerance,
      claimedThreshold: settings.claimedThreshold === undefined ? 'N* = d(d+1)/2' : 'overridden',
    },
  };
}

/** The `sample-threshold` experiment. */
export const sampleThreshold: Experiment = {
  name: 'sample-threshold',
  claim: CLAIM,
  run: (config) => runSampleThreshold(config.quick ? QUICK_SAMPLE_THRESHOLD : FULL_SAMPLE_THRESHOLD, config),
};
