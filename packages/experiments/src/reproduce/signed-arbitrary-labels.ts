/**
 * Experiment `signed-arbitrary-labels` (the mathematics guide, §2, seed B): a signed quadratic network with
 * `k = 2d` hidden units and balanced output signs fits arbitrary labels on `N < d(d+1)/2`
 * generic inputs to zero training risk from random starts (all local minima are global and the
 * global minimum is 0).
 *
 * @packageDocumentation
 */
import type { Rng } from '@shallowscape/linalg';
import { QuadraticEmpiricalRisk, balancedSigns, gaussianInit, randomLabels, sampleInputs } from '@shallowscape/model';
import { DivergenceError, minimize } from '@shallowscape/optim';
import { maximum, median, sci, yieldToInterrupt, type Experiment, type ExperimentConfig, type ExperimentResult, type TableColumn } from './experiment';

/** Everything that fixes a run of the signed-network experiment. */
export interface SignedArbitraryLabelsSettings {
  /** Input dimensions d (k = `widthOverD`·d hidden units). */
  dimensions: number[];
  /** k / d (2 in the claim: at least d units of each sign). */
  widthOverD: number;
  /** N − N* (negative in the claim; N* = d(d+1)/2). */
  samplesOffset: number;
  /** Random starts (each with its own inputs and labels) per d. */
  runsPerDimension: number;
  /** Success: training risk / mean(y²) at most this. */
  riskTolerance: number;
  /** L-BFGS step budget. */
  maxSteps: number;
}

/** The quick configuration: d = 4, 6, 8; k = 2d; N = N* − 1; 10 random starts per d. */
export const QUICK_SIGNED_ARBITRARY_LABELS: SignedArbitraryLabelsSettings = {
  dimensions: [4, 6, 8],
  widthOverD: 2,
  samplesOffset: -1,
  runsPerDimension: 10,
  riskTolerance: 1e-10,
  maxSteps: 5000,
};

/** The full configuration: d = 4, 6, 8, 10, 12; 20 random starts per d. */
export const FULL_SIGNED_ARBITRARY_LABELS: SignedArbitraryLabelsSettings = {
  ...QUICK_SIGNED_ARBITRARY_LABELS,
  dimensions: [4, 6, 8, 10, 12],
  runsPerDimension: 20,
  maxSteps: 20000,
};

const CLAIM =
  'A signed quadratic network with k = 2d hidden units (balanced output signs) fits arbitrary Gaussian labels on N < d(d+1)/2 ' +
  'Gaussian inputs to zero training risk from every random start.';

const COLUMNS: TableColumn[] = [
  { key: 'd', label: 'd' },
  { key: 'k', label: 'k' },
  { key: 'n', label: 'N' },
  { key: 'nStar', label: 'N*' },
  { key: 'runs', label: 'runs' },
  { key: 'fitted', label: 'fitted' },
  { key: 'medianRisk', label: 'median risk', format: 'exponential', digits: 1 },
  { key: 'maxRisk', label: 'max risk', format: 'exponential', digits: 1 },
  { key: 'maxSteps', label: 'max steps' },
];

/** One run: the final training risk relative to mean(y²), steps and stop reason. */
export interface SignedFitRun {
  relativeRisk: number;
  steps: number;
  reason: string;
}

/** Fits random labels with a signed network of width k from a Gaussian start (L-BFGS). */
export function fitRandomLabels(d: number, k: number, n: number, settings: SignedArbitraryLabelsSettings, rng: Rng): SignedFitRun {
  const x = sampleInputs(n, d, 'gaussian', rng);
  const y = randomLabels(n, rng);
  let meanSquare = 0;
  for (let i = 0; i < n; i++) meanSquare += y[i]! * y[i]!;
  meanSquare /= n;
  const risk = new QuadraticEmpiricalRisk(x, y, k, { signs: balancedSigns(k) });
  // Entries N(0, d^{-3/2}): then f(x) = xᵀ Wᵀdiag(v)W x has variance of order 1, like the labels.
  const w0 = gaussianInit(k, d, rng, d ** -0.75);
  const g0 = risk.gradient(w0.data);
  let g0Norm = 0;
  for (let j = 0; j < g0.length; j++) g0Norm += g0[j]! * g0[j]!;
  g0Norm = Math.sqrt(g0Norm);
  try {
    const result = minimize(risk, w0.data, {
      method: 'lbfgs',
      maxSteps: settings.maxSteps,
      gradientTolerance: 1e-14 * g0Norm,
      valueTolerance: 1e-3 * settings.riskTolerance * meanSquare,
      lbfgs: { memory: Math.min(k * d, 60) },
      historyEvery: settings.maxSteps,
    });
    return { relativeRisk: result.value / meanSquare, steps: result.steps, reason: result.reason };
  } catch (error) {
    if (!(error instanceof DivergenceError)) throw error;
    return { relativeRisk: Number.POSITIVE_INFINITY, steps: 0, reason: 'diverged' };
  }
}

/**
 * Runs the experiment with explicit `settings` and judges the claim: every run reaches training
 * risk ≤ `riskTolerance`·mean(y²).
 */
export async function runSignedArbitraryLabels(settings: SignedArbitraryLabelsSettings, config: ExperimentConfig): Promise<ExperimentResult> {
  const rows: Array<Record<string, number | string | boolean | null>> = [];
  const failures: string[] = [];
  for (const d of settings.dimensions) {
    const k = settings.widthOverD * d;
    const nStar = (d * (d + 1)) / 2;
    const n = nStar + settings.samplesOffset;
    const runs: SignedFitRun[] = [];
    for (let r = 0; r < settings.runsPerDimension; r++) {
      await yieldToInterrupt(config.signal);
      config.progress?.(`d=${d} k=${k} N=${n} start ${r + 1}/${settings.runsPerDimension}`);
      runs.push(fitRandomLabels(d, k, n, settings, config.rng.split()));
    }
    const fitted = runs.filter((run) => run.relativeRisk <= settings.riskTolerance).length;
    rows.push({
      d,
      k,
      n,
      nStar,
      runs: runs.length,
      fitted,
      medianRisk: median(runs.map((run) => run.relativeRisk)),
      maxRisk: maximum(runs.map((run) => run.relativeRisk)),
      maxSteps: maximum(runs.map((run) => run.steps)),
    });
    for (const [r, run] of runs.entries()) {
      if (!(run.relativeRisk <= settings.riskTolerance)) {
        failures.push(`d=${d}, start ${r + 1}: training risk ${sci(run.relativeRisk, 2)}·mean(y²) after ${run.steps} steps (${run.reason})`);
      }
    }
  }
  return {
    name: signedArbitraryLabels.name,
    claim: CLAIM,
    criterion: `every run reaches training risk ≤ ${sci(settings.riskTolerance)}·mean(y²)`,
    passed: failures.length === 0,
    results: { columns: COLUMNS, rows },
    details: failures,
    config: {
      dimensions: settings.dimensions,
      width: `k = ${settings.widthOverD}·d, balancedSigns(k)`,
      samples: `N = d(d+1)/2 ${settings.samplesOffset < 0 ? '−' : '+'} ${Math.abs(settings.samplesOffset)}`,
      runsPerDimension: settings.runsPerDimension,
      inputs: 'gaussian',
      labels: 'random N(0, 1)',
      init: 'gaussian, scale d^(−3/4)',
      optimizer: 'lbfgs (memory min(k·d, 60))',
      maxSteps: settings.maxSteps,
      riskTolerance: settings.riskTolerance,
    },
  };
}

/** The `signed-arbitrary-labels` experiment. */
export const signedArbitraryLabels: Experiment = {
  name: 'signed-arbitrary-labels',
  claim: CLAIM,
  run: (config) => runSignedArbitraryLabels(config.quick ? QUICK_SIGNED_ARBITRARY_LABELS : FULL_SIGNED_ARBITRARY_LABELS, config),
};
