/**
 * Experiment `certified-optimum` (the mathematics guide, §2–§3): the convex-lift certificate recognises the end
 * of an L-BFGS run on the empirical risk of a quadratic network (m ≥ d, N > N*) as a global
 * minimum (`λ_min(G) ≥ −tol`, gap bound ≈ 0, risk = ℓ* of the independently solved lifted
 * problem), and refuses the stationary point W = 0, whose escape direction lowers the risk.
 *
 * @packageDocumentation
 */
import { Matrix, type Rng } from '@shallowscape/linalg';
import { QuadraticEmpiricalRisk, sampleInputs, sampleTeacher, teacherLabels } from '@shallowscape/model';
import { globalOptimalityCertificate, nStar, stationarityCertificate } from '@shallowscape/certificates';
import { maximum, median, minimum, sci, yieldToInterrupt, type Experiment, type ExperimentConfig, type ExperimentResult, type TableColumn } from './experiment';
import { fitFromGaussianStart, gradientNormAt, meanSquare } from './fit-from-gaussian-start';

/** The size of one problem in the sweep. */
export interface CertifiedOptimumProblem {
  /** Input dimension d. */
  d: number;
  /** Student width m (≥ d, so that min_W L̂ = min_{A ⪰ 0} ℓ). */
  width: number;
  /** Teacher width m* (Gaussian N(0, 1) entries). */
  teacherWidth: number;
  /** Number of samples N (> N* = d(d+1)/2). */
  n: number;
}

/** Everything that fixes a run of the certified-optimum experiment. */
export interface CertifiedOptimumSettings {
  /** The problems. */
  problems: CertifiedOptimumProblem[];
  /** Label noise levels: labels y_i = ‖W*x_i‖² + noise·rms(‖W*x‖²)·ξ_i, ξ_i ~ N(0, 1). */
  labelNoise: number[];
  /** Independent runs (teacher, inputs, noise, start) per (problem, noise). */
  runsPerCell: number;
  /** L-BFGS step budget per run. */
  maxSteps: number;
  /** The gap bound and |L̂(W) − ℓ*| must be at most this times mean(y²). */
  gapTolerance: number;
  /**
   * Noiseless labels: ℓ* must be at most this times mean(y²). ℓ* is the value at FISTA's last iterate (an
   * upper bound on the true minimum 0, within its stopping tolerance): about 1e-18·mean(y²) at N = 2N*,
   * up to about 1e-10·mean(y²) at N = N* + 1, where the lifted problem is ill-conditioned.
   */
  zeroTolerance: number;
  /** The escape step: row 1 of W = 0 is set to ε·uᵀ with ε from {@link escapeStepSize}(`escapeStep`, mean(y²), d). */
  escapeStep: number;
  /** The observed decrease must be within this relative distance of the second-order prediction ε²|λ_min(G)|. */
  escapeAgreement: number;
}

/** The quick configuration: (d, m, m*, N) = (4, 8, 4, 2N*), (6, 12, 6, 2N*), (10, 20, 10, 2N*); noise 0 and 0.1; 3 runs per cell. */
export const QUICK_CERTIFIED_OPTIMUM: CertifiedOptimumSettings = {
  problems: [
    { d: 4, width: 8, teacherWidth: 4, n: 20 },
    { d: 6, width: 12, teacherWidth: 6, n: 42 },
    { d: 10, width: 20, teacherWidth: 10, n: 110 },
  ],
  labelNoise: [0, 0.1],
  runsPerCell: 3,
  maxSteps: 5000,
  gapTolerance: 1e-8,
  zeroTolerance: 1e-8,
  escapeStep: 1e-2,
  escapeAgreement: 1e-2,
};

/** The full configuration: d = 4, 6, 10, 15 (N = 2N*, also N = N* + 1 for d = 4); 10 runs per cell. */
export const FULL_CERTIFIED_OPTIMUM: CertifiedOptimumSettings = {
  ...QUICK_CERTIFIED_OPTIMUM,
  problems: [
    { d: 4, width: 8, teacherWidth: 4, n: 11 },
    { d: 4, width: 8, teacherWidth: 4, n: 20 },
    { d: 6, width: 12, teacherWidth: 6, n: 42 },
    { d: 10, width: 20, teacherWidth: 10, n: 110 },
    { d: 15, width: 30, teacherWidth: 15, n: 240 },
  ],
  runsPerCell: 10,
  maxSteps: 20000,
};

const CLAIM =
  'At the end of an L-BFGS run on the empirical risk of a quadratic network (m ≥ d, N > N*, from a Gaussian start) the convex-lift ' +
  'certificate holds (λ_min(G) ≥ −tol) with gap bound ≈ 0 and the risk equals ℓ* of the lifted problem (0 for noiseless labels); ' +
  'the stationary point W = 0 is not certified: λ_min(G) < 0, and adding a unit along its eigenvector lowers the risk (the mathematics guide, §2–§3).';

const COLUMNS: TableColumn[] = [
  { key: 'd', label: 'd' },
  { key: 'm', label: 'm' },
  { key: 'n', label: 'N' },
  { key: 'noise', label: 'noise', format: 'fixed', digits: 2 },
  { key: 'point', label: 'point' },
  { key: 'runs', label: 'runs' },
  { key: 'certified', label: 'certified' },
  { key: 'medianLambdaMin', label: 'median λ_min(G)', format: 'exponential', digits: 2 },
  { key: 'maxGradientNorm', label: 'max ‖∇L̂‖', format: 'exponential', digits: 1 },
  { key: 'maxGapBound', label: 'max gap/mean y²', format: 'exponential', digits: 1 },
  { key: 'maxRisk', label: 'max L̂/mean y²', format: 'exponential', digits: 1 },
  { key: 'maxRiskMinusOptimum', label: 'max |L̂−ℓ*|/mean y²', format: 'exponential', digits: 1 },
  { key: 'hessianOverTwoG', label: 'λ_min(∇²L̂)/2λ_min(G)', format: 'fixed', digits: 6 },
  { key: 'escapeDecrease', label: 'min escape decrease/ε²|λ_min|', format: 'fixed', digits: 6 },
];

/**
 * The escape step ε for a problem with labels of mean square `meanSquare`: ε = `step`·(mean y²)^(1/4)/√d,
 * a fraction `step` of the scale of the teacher's rows (`‖W*x‖² ≈ ‖W*‖_F²·‖x‖²/d`).
 *
 * @example
 * ```ts
 * escapeStepSize(0.01, 16, 4); // => 0.01
 * ```
 */
export function escapeStepSize(step: number, meanSquare: number, d: number): number {
  return (step * meanSquare ** 0.25) / Math.sqrt(d);
}

/** What one run measured at the two points. */
export interface CertifiedOptimumRun {
  meanSquare: number;
  /** L-BFGS end. */
  end: {
    certified: boolean;
    lambdaMin: number;
    gradientNorm: number;
    gapBound: number | null;
    risk: number;
    liftedOptimum: number;
    steps: number;
    reason: string;
  };
  /** W = 0. */
  zero: {
    certified: boolean;
    lambdaMin: number;
    gradientNorm: number;
    hessianMinEigenvalue: number;
    risk: number;
    escapedRisk: number;
    epsilon: number;
  };
}

/**
 * One run: a Gaussian teacher and inputs, labels with the given noise, L-BFGS from a Gaussian start to a
 * gradient norm ≤ 1e-13·‖∇L̂(W₀)‖ (or no further progress), then the certificate at the end and at W = 0,
 * the dense Hessian at W = 0 (`stationarityCertificate`), and the risk after the escape step.
 */
export function certifiedOptimumRun(problem: CertifiedOptimumProblem, noise: number, settings: CertifiedOptimumSettings, rng: Rng): CertifiedOptimumRun {
  const { d, width, teacherWidth, n } = problem;
  const teacher = sampleTeacher(teacherWidth, d, rng);
  const x = sampleInputs(n, d, 'gaussian', rng);
  const y = teacherLabels(x, teacher);
  const rms = Math.sqrt(meanSquare(y));
  if (noise > 0) for (let i = 0; i < n; i++) y[i] = y[i]! + noise * rms * rng.normal();
  const labelsMeanSquare = meanSquare(y);
  const risk = new QuadraticEmpiricalRisk(x, y, width);
  const { w0, result } = fitFromGaussianStart(risk, problem, rng, { maxSteps: settings.maxSteps, gradientReduction: 1e-13, maxMemory: 30 });
  const wEnd = result !== null ? new Matrix(width, d, result.x) : w0;
  const steps = result?.steps ?? 0;
  const reason = result?.reason ?? 'diverged';
  const end = globalOptimalityCertificate(wEnd, x, y);
  const endGradientNorm = gradientNormAt(risk, wEnd.data);
  const zeroW = Matrix.zeros(width, d);
  const zero = globalOptimalityCertificate(zeroW, x, y, { solve: false });
  const zeroStationarity = stationarityCertificate(risk, zeroW, { method: 'dense' });
  const u = zero.escapeDirection ?? new Float64Array(d);
  const epsilon = escapeStepSize(settings.escapeStep, labelsMeanSquare, d);
  const escaped = Matrix.zeros(width, d);
  for (let k = 0; k < d; k++) escaped.data[k] = epsilon * u[k]!;
  return {
    meanSquare: labelsMeanSquare,
    end: {
      certified: end.certified,
      lambdaMin: end.liftedGradientMinEigenvalue,
      gradientNorm: endGradientNorm,
      gapBound: end.gapBound,
      risk: end.risk,
      liftedOptimum: end.liftedOptimum!,
      steps,
      reason,
    },
    zero: {
      certified: zero.certified,
      lambdaMin: zero.liftedGradientMinEigenvalue,
      gradientNorm: zeroStationarity.gradientNorm,
      hessianMinEigenvalue: zeroStationarity.hessianMinEigenvalue,
      risk: risk.risk(zeroW),
      escapedRisk: risk.risk(escaped),
      epsilon,
    },
  };
}

/**
 * Runs the sweep with explicit `settings` and judges the claim, for every run. At the L-BFGS end:
 * certified, gap bound ≤ `gapTolerance`·mean(y²), |L̂(W) − ℓ*| ≤ `gapTolerance`·mean(y²), and for
 * noiseless labels ℓ* ≤ `zeroTolerance`·mean(y²). At W = 0: gradient exactly 0, not certified,
 * λ_min(G) < 0, and the escape step lowers the risk by ε²|λ_min(G)| within `escapeAgreement`
 * (relative; the exact change is ε²λ_min + ε⁴·mean((x·u)⁴)).
 */
export async function runCertifiedOptimum(settings: CertifiedOptimumSettings, config: ExperimentConfig): Promise<ExperimentResult> {
  const rows: Array<Record<string, number | string | boolean | null>> = [];
  const failures: string[] = [];
  const escapeNotes: number[] = [];
  for (const problem of settings.problems) {
    const { d, width, n } = problem;
    const ns = nStar(d);
    if (!(n > ns)) failures.push(`d=${d}, N=${n}: not above N*=${ns} (the claim is about N > N*)`);
    for (const noise of settings.labelNoise) {
      const runs: CertifiedOptimumRun[] = [];
      for (let r = 0; r < settings.runsPerCell; r++) {
        await yieldToInterrupt(config.signal);
        config.progress?.(`d=${d} N=${n} noise=${noise} run ${r + 1}/${settings.runsPerCell}`);
        runs.push(certifiedOptimumRun(problem, noise, settings, config.rng.split()));
      }
      const decreases = runs.map((run) => (run.zero.risk - run.zero.escapedRisk) / (run.zero.epsilon ** 2 * Math.abs(run.zero.lambdaMin)));
      escapeNotes.push(...runs.map((run) => (run.zero.risk - run.zero.escapedRisk) / run.zero.risk));
      rows.push({
        d,
        m: width,
        n,
        noise,
        point: 'L-BFGS end',
        runs: runs.length,
        certified: runs.filter((run) => run.end.certified).length,
        medianLambdaMin: median(runs.map((run) => run.end.lambdaMin)),
        maxGradientNorm: maximum(runs.map((run) => run.end.gradientNorm)),
        maxGapBound: maximum(runs.map((run) => (run.end.gapBound === null ? Number.POSITIVE_INFINITY : Math.abs(run.end.gapBound) / run.meanSquare))),
        maxRisk: maximum(runs.map((run) => run.end.risk / run.meanSquare)),
        maxRiskMinusOptimum: maximum(runs.map((run) => Math.abs(run.end.risk - run.end.liftedOptimum) / run.meanSquare)),
        hessianOverTwoG: null,
        escapeDecrease: null,
      });
      rows.push({
        d,
        m: width,
        n,
        noise,
        point: 'W = 0',
        runs: runs.length,
        certified: runs.filter((run) => run.zero.certified).length,
        medianLambdaMin: median(runs.map((run) => run.zero.lambdaMin)),
        maxGradientNorm: maximum(runs.map((run) => run.zero.gradientNorm)),
        maxGapBound: null,
        maxRisk: maximum(runs.map((run) => run.zero.risk / run.meanSquare)),
        maxRiskMinusOptimum: null,
        hessianOverTwoG: median(runs.map((run) => run.zero.hessianMinEigenvalue / (2 * run.zero.lambdaMin))),
        escapeDecrease: minimum(decreases),
      });
      runs.forEach((run, k) => {
        const label = `d=${d}, N=${n}, noise ${noise}, run ${k + 1}`;
        const { end, zero } = run;
        const endNote = `after ${end.steps} L-BFGS steps (${end.reason})`;
        if (!end.certified) failures.push(`${label}: the L-BFGS end is not certified (λ_min(G) = ${sci(end.lambdaMin, 2)}, ${endNote})`);
        else if (!(Math.abs(end.gapBound!) <= settings.gapTolerance * run.meanSquare)) {
          failures.push(`${label}: gap bound ${sci(end.gapBound!, 2)} > ${sci(settings.gapTolerance)}·mean(y²) ${endNote}`);
        }
        if (!(Math.abs(end.risk - end.liftedOptimum) <= settings.gapTolerance * run.meanSquare)) {
          failures.push(`${label}: risk ${sci(end.risk, 3)} and ℓ* ${sci(end.liftedOptimum, 3)} differ by more than ${sci(settings.gapTolerance)}·mean(y²) ${endNote}`);
        }
        if (noise === 0 && !(end.liftedOptimum <= settings.zeroTolerance * run.meanSquare)) {
          failures.push(`${label}: ℓ* = ${sci(end.liftedOptimum, 2)} > ${sci(settings.zeroTolerance)}·mean(y²) for noiseless labels`);
        }
        if (zero.gradientNorm !== 0) failures.push(`${label}: the gradient at W = 0 is ${sci(zero.gradientNorm, 2)}, not 0`);
        if (zero.certified) failures.push(`${label}: W = 0 is certified (λ_min(G) = ${sci(zero.lambdaMin, 2)})`);
        if (!(zero.lambdaMin < 0)) failures.push(`${label}: λ_min(G) at W = 0 is ${sci(zero.lambdaMin, 2)}, not negative`);
        const decrease = (zero.risk - zero.escapedRisk) / (zero.epsilon ** 2 * Math.abs(zero.lambdaMin));
        if (!(zero.escapedRisk < zero.risk) || !(Math.abs(decrease - 1) <= settings.escapeAgreement)) {
          failures.push(
            `${label}: the escape step ε = ${sci(zero.epsilon, 2)} changes the risk from ${sci(zero.risk, 4)} to ${sci(zero.escapedRisk, 4)}, ` +
              `${decrease.toFixed(6)} × the predicted decrease ε²|λ_min(G)|`,
          );
        }
      });
    }
  }
  const details = [
    `At W = 0 the Hessian's smallest eigenvalue (dense) equals 2λ_min(G) (column λ_min(∇²L̂)/2λ_min(G)): W = 0 is a strict saddle. ` +
      `The escape step (row 1 of W set to ε·uᵀ, u the unit eigenvector of λ_min(G)) lowers the risk by between ${sci(minimum(escapeNotes), 2)} and ` +
      `${sci(maximum(escapeNotes), 2)} of L̂(0), matching ε²|λ_min(G)| to second order.`,
    `G = (2/N) Σ e_i x_i x_iᵀ is the lifted gradient; the certificate's tolerance is 1e-8·s with s = (2/N) Σ (|f(x_i)| + |y_i|)‖x_i‖² ` +
      `(globalOptimalityCertificate's default); ℓ* comes from the independent FISTA solve over A ⪰ 0 (solveLiftedProblem).`,
    ...failures,
  ];
  return {
    name: certifiedOptimum.name,
    claim: CLAIM,
    criterion:
      `for every run: at the L-BFGS end certified, gap bound ≤ ${sci(settings.gapTolerance)}·mean(y²) and |L̂ − ℓ*| ≤ ${sci(settings.gapTolerance)}·mean(y²), ` +
      `ℓ* ≤ ${sci(settings.zeroTolerance)}·mean(y²) for noiseless labels; at W = 0 gradient exactly 0, not certified, λ_min(G) < 0, and the escape step ` +
      `lowers the risk by ε²|λ_min(G)| within a relative ${sci(settings.escapeAgreement)}`,
    passed: failures.length === 0,
    results: { columns: COLUMNS, rows },
    details,
    config: {
      problems: settings.problems,
      labelNoise: settings.labelNoise,
      runsPerCell: settings.runsPerCell,
      inputs: 'gaussian',
      teacher: 'Gaussian N(0,1) entries',
      init: 'gaussian, scale √(m*/m)',
      optimizer: 'lbfgs (memory min(m·d, 30)), gradient tolerance 1e-13·‖∇L̂(W₀)‖',
      maxSteps: settings.maxSteps,
      certificateTolerance: '1e-8 (relative, globalOptimalityCertificate default)',
      gapTolerance: settings.gapTolerance,
      zeroTolerance: settings.zeroTolerance,
      escapeStep: settings.escapeStep,
      escapeAgreement: settings.escapeAgreement,
    },
  };
}

/** The `certified-optimum` experiment. */
export const certifiedOptimum: Experiment = {
  name: 'certified-optimum',
  claim: CLAIM,
  run: (config) => runCertifiedOptimum(config.quick ? QUICK_CERTIFIED_OPTIMUM : FULL_CERTIFIED_OPTIMUM, config),
};
