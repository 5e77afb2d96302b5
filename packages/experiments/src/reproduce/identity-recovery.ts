/**
 * Experiment `identity-recovery` (the mathematics guide, §1.1–§1.2): gradient descent started at the identity
 * `W₀ = √m [I_d; 0]`, when that start is below the energy barrier `2σ_min(W*)⁴`, never meets a
 * rank-deficient point and recovers `W*ᵀW*`.
 *
 * @packageDocumentation
 */
import { Matrix, eigvalsh, singularValues, syrk } from '@shallowscape/linalg';
import {
  QuadraticEmpiricalRisk,
  QuadraticPopulationRisk,
  generalizationError,
  identityInit,
  quadraticPopulationRisk,
  sampleInputs,
  sampleTeacher,
  teacherLabels,
} from '@shallowscape/model';
import { DivergenceError, minimize, type Objective } from '@shallowscape/optim';
import { sci, yieldToInterrupt, type Experiment, type ExperimentConfig, type ExperimentResult, type TableColumn } from './experiment';
import { gradientNormAt } from './fit-from-gaussian-start';

/** Everything that fixes a run of the identity-recovery experiment. */
export interface IdentityRecoverySettings {
  /** Input dimensions d. */
  dimensions: number[];
  /** Widths m = ratio·d² (student and teacher width; the identity start is below the barrier for most teachers from 4 on). */
  widthRatios: number[];
  /** Gaussian teachers per (d, m) (those above the barrier are drawn but skipped and reported). */
  teachersPerCell: number;
  /** Objectives to run on: the Gaussian population risk, and the empirical risk with `N = samplesOverNStar · N*`. */
  objectives: Array<'population' | 'empirical'>;
  /** `N / N*` for the empirical objective. */
  samplesOverNStar: number;
  /** Recovery means `‖WᵀW − W*ᵀW*‖_F / ‖W*ᵀW*‖_F` below this. */
  relativeErrorTolerance: number;
  /** Gradient descent stops once `‖∇L(W_t)‖ ≤ gradientReduction · ‖∇L(W₀)‖`. */
  gradientReduction: number;
  /** Step budget of gradient descent. */
  maxSteps: number;
}

/** The quick configuration: d = 4, 5, 6; m = 4d², 8d²; four teachers each; population and empirical risk (N = 20 N*). */
export const QUICK_IDENTITY_RECOVERY: IdentityRecoverySettings = {
  dimensions: [4, 5, 6],
  widthRatios: [4, 8],
  teachersPerCell: 4,
  objectives: ['population', 'empirical'],
  samplesOverNStar: 20,
  relativeErrorTolerance: 1e-6,
  gradientReduction: 1e-10,
  maxSteps: 20000,
};

/** The full configuration: d = 4, 5, 6, 8, 10; ten teachers per (d, m). */
export const FULL_IDENTITY_RECOVERY: IdentityRecoverySettings = {
  ...QUICK_IDENTITY_RECOVERY,
  dimensions: [4, 5, 6, 8, 10],
  teachersPerCell: 10,
};

const CLAIM =
  'Gradient descent from the identity start W₀ = √m[I;0], when L(W₀) < 2σ_min(W*)⁴, keeps W_t full rank and recovers W*ᵀW* ' +
  '(relative error < 1e-6).';

const COLUMNS: TableColumn[] = [
  { key: 'd', label: 'd' },
  { key: 'm', label: 'm' },
  { key: 'teacher', label: 'teacher' },
  { key: 'objective', label: 'objective' },
  { key: 'n', label: 'N' },
  { key: 'initialRiskOverBarrier', label: 'L(W₀)/barrier', format: 'fixed', digits: 3 },
  { key: 'steps', label: 'steps' },
  { key: 'monotone', label: 'monotone' },
  { key: 'maxRiskOverBarrier', label: 'max L(W_t)/barrier', format: 'fixed', digits: 3 },
  { key: 'minSigmaMin', label: 'min σ_min(W_t)', format: 'fixed', digits: 3 },
  { key: 'relativeError', label: 'rel. error', format: 'exponential', digits: 1 },
  { key: 'recovered', label: 'recovered' },
];

/** The smallest singular value of the m×d matrix stored row-major in `w`, via `λ_min(WᵀW)`. */
function sigmaMinOf(m: number, d: number, w: Readonly<Float64Array>): number {
  const gram = syrk(new Matrix(m, d, Float64Array.from(w)), { transpose: true });
  const lambda = eigvalsh(gram)[0]!;
  return Math.sqrt(Math.max(lambda, 0));
}

/** What one gradient-descent run measured. */
export interface RecoveryRun {
  steps: number;
  reason: string;
  /** Whether every step decreased (or kept) the objective being minimised. */
  monotone: boolean;
  /** Whether every step decreased (or kept) the population risk (the same as `monotone` on the population objective). */
  populationMonotone: boolean;
  /** The largest population risk along the path, over the barrier. */
  maxRiskOverBarrier: number;
  /** The smallest `σ_min(W_t)` along the path. */
  minSigmaMin: number;
  relativeError: number;
}

/**
 * Runs Armijo gradient descent on `objective` from `w0`, tracking the population risk (against
 * `teacher`) and `σ_min(W_t)` at every iterate.
 */
export function descendFromIdentity(
  objective: Objective,
  teacher: Matrix,
  w0: Matrix,
  settings: IdentityRecoverySettings,
  barrier: number,
): RecoveryRun {
  const { rows: m, cols: d } = w0;
  const g0Norm = gradientNormAt(objective, w0.data);
  let previousValue = Number.POSITIVE_INFINITY;
  let previousRisk = Number.POSITIVE_INFINITY;
  let monotone = true;
  let populationMonotone = true;
  let maxRisk = 0;
  let minSigma = Number.POSITIVE_INFINITY;
  const onStep = (info: { value: number; x: Readonly<Float64Array> }): void => {
    if (info.value > previousValue) monotone = false;
    previousValue = info.value;
    const w = new Matrix(m, d, Float64Array.from(info.x));
    const risk = quadraticPopulationRisk(w, teacher);
    if (risk > previousRisk) populationMonotone = false;
    previousRisk = risk;
    if (risk > maxRisk) maxRisk = risk;
    const sigma = sigmaMinOf(m, d, info.x);
    if (sigma < minSigma) minSigma = sigma;
  };
  try {
    const result = minimize(objective, w0.data, {
      method: 'gd',
      lineSearch: 'armijo',
      maxSteps: settings.maxSteps,
      gradientTolerance: settings.gradientReduction * g0Norm,
      historyEvery: settings.maxSteps,
      onStep,
    });
    const { relativeError } = generalizationError(new Matrix(m, d, result.x), teacher);
    return { steps: result.steps, reason: result.reason, monotone, populationMonotone, maxRiskOverBarrier: maxRisk / barrier, minSigmaMin: minSigma, relativeError };
  } catch (error) {
    if (!(error instanceof DivergenceError)) throw error;
    return { steps: 0, reason: 'diverged', monotone: false, populationMonotone: false, maxRiskOverBarrier: Number.POSITIVE_INFINITY, minSigmaMin: minSigma, relativeError: Number.POSITIVE_INFINITY };
  }
}

/**
 * Runs the experiment with explicit `settings` and judges the claim: for every teacher whose
 * identity start is below the barrier, on every objective, the objective is non-increasing along
 * the path, the population risk stays below the barrier, `min_t σ_min(W_t) > 0`, and the final
 * relative error is below the tolerance; and at least one teacher per d is below the barrier.
 */
export async function runIdentityRecovery(settings: IdentityRecoverySettings, config: ExperimentConfig): Promise<ExperimentResult> {
  const rows: Array<Record<string, number | string | boolean | null>> = [];
  const failures: string[] = [];
  const details: string[] = [];
  let skipped = 0;
  let populationIncreases = 0;
  for (const d of settings.dimensions) {
    let belowCount = 0;
    for (const ratio of settings.widthRatios) {
      const m = Math.round(ratio * d * d);
      const nStar = (d * (d + 1)) / 2;
      const w0 = identityInit(m, d);
      for (let t = 0; t < settings.teachersPerCell; t++) {
        const rng = config.rng.split();
        const teacher = sampleTeacher(m, d, rng);
        const s = singularValues(teacher);
        const barrier = 2 * s[s.length - 1]! ** 4;
        const initialRisk = quadraticPopulationRisk(w0, teacher);
        if (!(initialRisk < barrier)) {
          details.push(`d=${d}, m=${m}, teacher ${t + 1}: L(W₀)/barrier = ${(initialRisk / barrier).toFixed(3)} ≥ 1, above the barrier; not run.`);
          skipped += 1;
          continue;
        }
        belowCount += 1;
        for (const objectiveName of settings.objectives) {
          await yieldToInterrupt(config.signal);
          config.progress?.(`d=${d} m=${m} teacher ${t + 1}/${settings.teachersPerCell} (${objectiveName} risk)`);
          let objective: Objective;
          let n: number | null = null;
          if (objectiveName === 'population') {
            objective = new QuadraticPopulationRisk(teacher, m);
          } else {
            n = settings.samplesOverNStar * nStar;
            const x = sampleInputs(n, d, 'gaussian', rng);
            objective = new QuadraticEmpiricalRisk(x, teacherLabels(x, teacher), m);
          }
          const run = descendFromIdentity(objective, teacher, w0, settings, barrier);
          const recovered = run.relativeError < settings.relativeErrorTolerance;
          rows.push({
            d,
            m,
            teacher: t + 1,
            objective: objectiveName,
            n,
            initialRiskOverBarrier: initialRisk / barrier,
            steps: run.steps,
            monotone: run.monotone,
            maxRiskOverBarrier: run.maxRiskOverBarrier,
            minSigmaMin: run.minSigmaMin,
            relativeError: run.relativeError,
            recovered,
          });
          const label = `d=${d}, m=${m}, teacher ${t + 1}, ${objectiveName} risk`;
          if (!recovered) failures.push(`${label}: relative error ${sci(run.relativeError, 2)} after ${run.steps} steps (${run.reason})`);
          if (!run.monotone) failures.push(`${label}: the ${objectiveName} risk increased along the path`);
          if (objectiveName === 'empirical' && !run.populationMonotone) populationIncreases += 1;
          if (!(run.maxRiskOverBarrier < 1)) failures.push(`${label}: the population risk reached ${run.maxRiskOverBarrier.toFixed(3)} × the barrier`);
          if (!(run.minSigmaMin > 0)) failures.push(`${label}: W_t became rank deficient (σ_min = ${run.minSigmaMin})`);
        }
      }
    }
    if (belowCount === 0) failures.push(`d=${d}: no teacher had its identity start below the barrier, nothing to test`);
  }
  details.unshift(`${rows.length} gradient-descent run(s); ${skipped} teacher(s) with the identity start above the barrier were not run (the claim is about starts below it).`);
  if (settings.objectives.includes('empirical')) {
    details.push(
      `On the empirical risk the population risk is not monotone in ${populationIncreases} run(s) (GD decreases the training risk); ` +
        'the criterion there asks that it stays below the barrier.',
    );
  }
  details.push(...failures);
  return {
    name: identityRecovery.name,
    claim: CLAIM,
    criterion:
      `for every below-barrier teacher and objective: the objective non-increasing along the path, max_t L(W_t) < barrier (L the population risk), ` +
      `min_t σ_min(W_t) > 0, final relative error < ${sci(settings.relativeErrorTolerance)}; at least one such teacher per d`,
    passed: failures.length === 0,
    results: { columns: COLUMNS, rows },
    details,
    config: {
      dimensions: settings.dimensions,
      widthRatios: settings.widthRatios,
      width: 'm = ratio·d² (student and teacher)',
      teachersPerCell: settings.teachersPerCell,
      objectives: settings.objectives,
      samplesOverNStar: settings.objectives.includes('empirical') ? settings.samplesOverNStar : undefined,
      optimizer: 'gd with Armijo backtracking',
      gradientReduction: settings.gradientReduction,
      maxSteps: settings.maxSteps,
      relativeErrorTolerance: settings.relativeErrorTolerance,
    },
  };
}

/** The `identity-recovery` experiment. */
export const identityRecovery: Experiment = {
  name: 'identity-recovery',
  claim: CLAIM,
  run: (config) => runIdentityRecovery(config.quick ? QUICK_IDENTITY_RECOVERY : FULL_IDENTITY_RECOVERY, config),
};
