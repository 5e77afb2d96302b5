/**
 * Experiment `two-layer-random-labels` (the mathematics guide, §4, seed C as this project designs it): a ReLU
 * two-layer network with both layers trained by gradient descent at different rates fits random
 * labels on Gaussian inputs to (near) zero training risk across widths `m` and rate ratios
 * `η_a/η_W`, and its weights move far from the start at small width (outside the lazy/NTK regime)
 * and less as `m` grows.
 *
 * Step sizes. With the Jacobians `J_W`, `J_a` of the outputs at the start, one GD step with rates
 * `(η_W, η_a)` changes the residual by `−(2/N)(η_W J_W J_Wᵀ + η_a J_a J_aᵀ) r` to first order. The
 * experiment sets `η_a = ratio·η_W` and `η_W = stepFraction · N / (2 λ_max(J_W J_Wᵀ + ratio·J_a J_aᵀ))`,
 * so the fastest linearised mode contracts by `1 − stepFraction` per step at the start; the same
 * rule at every width and ratio.
 *
 * @packageDocumentation
 */
import { Matrix, eigvalsh, type Rng } from '@shallowscape/linalg';
import { TwoLayerEmpiricalRisk, randomLabels, relativeMovement, sampleInputs } from '@shallowscape/model';
import { DivergenceError, minimize } from '@shallowscape/optim';
import { maximum, median, sci, yieldToInterrupt, type Experiment, type ExperimentConfig, type ExperimentResult, type TableColumn } from './experiment';

/** Everything that fixes a run of the two-layer random-labels experiment. */
export interface TwoLayerRandomLabelsSettings {
  /** Input dimension d (inputs N(0, I_d)). */
  dimension: number;
  /** Number of samples N (labels i.i.d. N(0, 1)). */
  samples: number;
  /** Widths m, increasing. */
  widths: number[];
  /** Rate ratios η_a/η_W. */
  rateRatios: number[];
  /** Independent runs (data, labels, start) per (m, ratio); the movement criterion uses their medians. */
  runsPerCell: number;
  /** The fastest linearised mode contracts by 1 − stepFraction per step at the start (see the module comment). */
  stepFraction: number;
  /** Converged: training risk ≤ riskTolerance · mean(y²). */
  riskTolerance: number;
  /** GD step budget per run. */
  maxSteps: number;
  /** Movement may grow by at most this factor from one width to the next (noise allowance). */
  movementNoise: number;
  /** At least one converged run must move a layer by at least this (relative to its start). */
  nonLazyMovement: number;
}

/** The quick configuration: d = 10, N = 40, m = 50, 200, 800; η_a/η_W = 0.1, 1, 10; two runs per cell. */
export const QUICK_TWO_LAYER_RANDOM_LABELS: TwoLayerRandomLabelsSettings = {
  dimension: 10,
  samples: 40,
  widths: [50, 200, 800],
  rateRatios: [0.1, 1, 10],
  runsPerCell: 2,
  stepFraction: 1,
  riskTolerance: 1e-6,
  maxSteps: 20000,
  movementNoise: 1.1,
  nonLazyMovement: 0.1,
};

/** The full configuration: m = 50, 200, 800, 3200; η_a/η_W = 0.01, 0.1, 1, 10, 100; three runs per cell. */
export const FULL_TWO_LAYER_RANDOM_LABELS: TwoLayerRandomLabelsSettings = {
  ...QUICK_TWO_LAYER_RANDOM_LABELS,
  widths: [50, 200, 800, 3200],
  rateRatios: [0.01, 0.1, 1, 10, 100],
  runsPerCell: 3,
  maxSteps: 50000,
};

const CLAIM =
  'A ReLU two-layer network (NTK scaling) with both layers trained by GD at rates η_W, η_a fits random labels on Gaussian inputs ' +
  'to near-zero training risk across widths and rate ratios; the weights move far from the start at small width (outside the ' +
  'lazy regime) and less as the width grows.';

const COLUMNS: TableColumn[] = [
  { key: 'm', label: 'm' },
  { key: 'ratio', label: 'η_a/η_W', format: 'fixed', digits: 2 },
  { key: 'medianEtaW', label: 'median η_W', format: 'exponential', digits: 2 },
  { key: 'runs', label: 'runs' },
  { key: 'converged', label: 'converged' },
  { key: 'maxRisk', label: 'max L/mean(y²)', format: 'exponential', digits: 1 },
  { key: 'maxSteps', label: 'max steps' },
  { key: 'movementHidden', label: 'median ‖W−W₀‖/‖W₀‖', format: 'fixed', digits: 4 },
  { key: 'movementOutput', label: 'median ‖a−a₀‖/‖a₀‖', format: 'fixed', digits: 4 },
];

/** What one run measured. */
export interface TwoLayerFitRun {
  etaW: number;
  etaA: number;
  steps: number;
  relativeRisk: number;
  reason: string;
  movementHidden: number;
  movementOutput: number;
}

/** `λ_max(J_W J_Wᵀ + ratio·J_a J_aᵀ)` at the start, for ReLU and output scale s. */
function startKernelMaxEigenvalue(x: Matrix, w: Matrix, a: Float64Array, s: number, ratio: number): number {
  const { rows: n, cols: d } = x;
  const m = w.rows;
  const z = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      let v = 0;
      for (let k = 0; k < d; k++) v += x.data[i * d + k]! * w.data[r * d + k]!;
      z[i * m + r] = v;
    }
  }
  const k = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let c = 0;
      for (let t = 0; t < d; t++) c += x.data[i * d + t]! * x.data[j * d + t]!;
      let hidden = 0;
      let output = 0;
      for (let r = 0; r < m; r++) {
        const zi = z[i * m + r]!;
        const zj = z[j * m + r]!;
        if (zi > 0 && zj > 0) {
          hidden += a[r]! * a[r]!;
          output += zi * zj;
        }
      }
      const v = s * s * (c * hidden + ratio * output);
      k.data[i * n + j] = v;
      k.data[j * n + i] = v;
    }
  }
  return eigvalsh(k)[n - 1]!;
}

/** One run: data, start (W₀ rows N(0, I/d), a₀ ~ N(0, 1)), fixed-step GD on both layers. */
export function fitTwoLayerRandomLabels(m: number, ratio: number, settings: TwoLayerRandomLabelsSettings, rng: Rng): TwoLayerFitRun {
  const n = settings.samples;
  const d = settings.dimension;
  const x = sampleInputs(n, d, 'gaussian', rng);
  const y = randomLabels(n, rng);
  let meanSquare = 0;
  for (let i = 0; i < n; i++) meanSquare += y[i]! * y[i]!;
  meanSquare /= n;
  const w0 = new Matrix(m, d);
  rng.fillNormal(w0.data, 0, 1 / Math.sqrt(d));
  const a0 = new Float64Array(m);
  rng.fillNormal(a0, 0, 1);
  const risk = new TwoLayerEmpiricalRisk(x, y, { width: m, activation: 'relu', parameterization: 'ntk' });
  const lambdaMax = startKernelMaxEigenvalue(x, w0, a0, risk.scale, ratio);
  const etaW = (settings.stepFraction * n) / (2 * lambdaMax);
  const etaA = ratio * etaW;
  const start = risk.pack(w0, a0);
  try {
    const result = minimize(risk, start, {
      method: 'gd',
      learningRate: { W: etaW, a: etaA },
      maxSteps: settings.maxSteps,
      valueTolerance: settings.riskTolerance * meanSquare,
      historyEvery: settings.maxSteps,
    });
    const end = risk.unpack(result.x);
    return {
      etaW,
      etaA,
      steps: result.steps,
      relativeRisk: result.value / meanSquare,
      reason: result.reason,
      movementHidden: relativeMovement(end.w.data, w0.data),
      movementOutput: relativeMovement(end.a, a0),
    };
  } catch (error) {
    if (!(error instanceof DivergenceError)) throw error;
    return { etaW, etaA, steps: 0, relativeRisk: Number.POSITIVE_INFINITY, reason: 'diverged', movementHidden: Number.NaN, movementOutput: Number.NaN };
  }
}

/**
 * Runs the experiment with explicit `settings` and judges the claim: every run at the largest
 * width converges; for every ratio and layer the median movement at each width is at most
 * `movementNoise` times that at the previous width; and at least one converged run moves a layer
 * by ≥ `nonLazyMovement`.
 */
export async function runTwoLayerRandomLabels(settings: TwoLayerRandomLabelsSettings, config: ExperimentConfig): Promise<ExperimentResult> {
  const rows: Array<Record<string, number | string | boolean | null>> = [];
  const failures: string[] = [];
  const largest = Math.max(...settings.widths);
  const cells = new Map<string, { hidden: number; output: number }>();
  const all: TwoLayerFitRun[] = [];
  for (const m of settings.widths) {
    for (const ratio of settings.rateRatios) {
      const runs: TwoLayerFitRun[] = [];
      for (let k = 0; k < settings.runsPerCell; k++) {
        await yieldToInterrupt(config.signal);
        config.progress?.(`m=${m} η_a/η_W=${ratio} run ${k + 1}/${settings.runsPerCell}`);
        const run = fitTwoLayerRandomLabels(m, ratio, settings, config.rng.split());
        runs.push(run);
        if (m === largest && !(run.relativeRisk <= settings.riskTolerance)) {
          failures.push(`m=${m}, η_a/η_W=${ratio}, run ${k + 1}: training risk ${sci(run.relativeRisk, 2)}·mean(y²) after ${run.steps} steps (${run.reason})`);
        }
      }
      all.push(...runs);
      const cell = { hidden: median(runs.map((run) => run.movementHidden)), output: median(runs.map((run) => run.movementOutput)) };
      cells.set(`${m}:${ratio}`, cell);
      rows.push({
        m,
        ratio,
        medianEtaW: median(runs.map((run) => run.etaW)),
        runs: runs.length,
        converged: runs.filter((run) => run.relativeRisk <= settings.riskTolerance).length,
        maxRisk: maximum(runs.map((run) => run.relativeRisk)),
        maxSteps: maximum(runs.map((run) => run.steps)),
        movementHidden: cell.hidden,
        movementOutput: cell.output,
      });
    }
  }
  for (const ratio of settings.rateRatios) {
    for (let k = 1; k < settings.widths.length; k++) {
      const before = cells.get(`${settings.widths[k - 1]}:${ratio}`)!;
      const after = cells.get(`${settings.widths[k]}:${ratio}`)!;
      for (const [layer, key] of [
        ['W', 'hidden'],
        ['a', 'output'],
      ] as const) {
        if (!(after[key] <= settings.movementNoise * before[key])) {
          failures.push(
            `η_a/η_W=${ratio}: the median ${layer} movement grew from ${before[key].toFixed(4)} at m=${settings.widths[k - 1]} to ${after[key].toFixed(4)} at m=${settings.widths[k]}`,
          );
        }
      }
    }
  }
  const convergedRuns = all.filter((run) => run.relativeRisk <= settings.riskTolerance);
  const largestMovement = Math.max(0, ...convergedRuns.map((run) => Math.max(run.movementHidden, run.movementOutput)));
  if (!(largestMovement >= settings.nonLazyMovement)) {
    failures.push(`no converged run moved a layer by ${settings.nonLazyMovement} or more (largest: ${largestMovement.toFixed(4)}): all converged runs are lazy`);
  }
  const details = [
    `${convergedRuns.length} of ${all.length} run(s) converged; the largest relative movement of a layer in a converged run is ${largestMovement.toFixed(4)}.`,
    ...failures,
  ];
  return {
    name: twoLayerRandomLabels.name,
    claim: CLAIM,
    criterion:
      `every run at the largest width m = ${largest} reaches training risk ≤ ${sci(settings.riskTolerance)}·mean(y²); for every ratio and layer, ` +
      `the median relative movement at each width is ≤ ${settings.movementNoise} × that at the previous width; and at least one converged run ` +
      `moves a layer by ≥ ${settings.nonLazyMovement} (relative to its start)`,
    passed: failures.length === 0,
    results: { columns: COLUMNS, rows },
    details,
    config: {
      dimension: settings.dimension,
      samples: settings.samples,
      widths: settings.widths,
      rateRatios: settings.rateRatios,
      runsPerCell: settings.runsPerCell,
      inputs: 'gaussian',
      labels: 'random N(0, 1)',
      network: 'ReLU, NTK parameterisation f = m^(−1/2) Σ a_r relu(w_r·x); W₀ entries N(0, 1/d), a₀ entries N(0, 1)',
      optimizer: `gd, fixed steps η_W = ${settings.stepFraction}·N/(2λ_max(J_WJ_Wᵀ + ratio·J_aJ_aᵀ)) at the start, η_a = ratio·η_W`,
      maxSteps: settings.maxSteps,
      riskTolerance: settings.riskTolerance,
      movementNoise: settings.movementNoise,
      nonLazyMovement: settings.nonLazyMovement,
    },
  };
}

/** The `two-layer-random-labels` experiment. */
export const twoLayerRandomLabels: Experiment = {
  name: 'two-layer-random-labels',
  claim: CLAIM,
  run: (config) => runTwoLayerRandomLabels(config.quick ? QUICK_TWO_LAYER_RANDOM_LABELS : FULL_TWO_LAYER_RANDOM_LABELS, config),
};
