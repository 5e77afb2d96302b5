/**
 * Experiment `ntk-rate` (the mathematics guide, §4, Du, Zhai, Póczos & Singh 2019): at large width, gradient
 * descent on the first layer of a ReLU network in the NTK parameterisation contracts the training
 * residual at the linear rate set by `λ₀ = λ_min(H^∞)` of the NTK Gram matrix.
 *
 * Normalisation. Our risk is `L = (1/N)‖r‖²` (no ½), `r_i = f(x_i) − y_i`,
 * `f(x) = m^{−1/2} Σ_r a_r relu(w_r·x)` with `a_r = ±1` frozen. One GD step `W ← W − η∇_W L`
 * changes the residual, to first order, by `−(2η/N) J Jᵀ r`, where `(JJᵀ)_ij = x_i·x_j·(1/m)
 * Σ_r 1[w_r·x_i > 0] 1[w_r·x_j > 0] → H^∞_ij = x_i·x_j (π − arccos x_i·x_j)/(2π)` (`ntkGram`) as
 * `m → ∞`. So `r_{t+1} ≈ (I − (2η/N) H^∞) r_t`: with `2ηλ_max/N ≤ 1` every mode contracts and the
 * slowest (`λ₀`) mode by `1 − 2ηλ₀/N` per step, so `‖r_t‖² ≤ (1 − 2ηλ₀/N)^{2t} ‖r_0‖²`. (Du et
 * al.'s `(1 − ηλ₀/2)^t` is the same statement for the loss `½‖r‖²`, with their `η` our `2η/N`,
 * and a factor-4 looser rate that also absorbs finite-width effects.)
 *
 * @packageDocumentation
 */
import { Matrix, eigvalsh, type Rng } from '@shallowscape/linalg';
import { TwoLayerEmpiricalRisk, ntkGram, randomLabels, relativeMovement, sampleInputs } from '@shallowscape/model';
import { minimize } from '@shallowscape/optim';
import { median, sci, yieldToInterrupt, type Experiment, type ExperimentConfig, type ExperimentResult, type TableColumn } from './experiment';
import { linearFit } from './linear-fit';

/** Everything that fixes a run of the NTK-rate experiment. */
export interface NtkRateSettings {
  /** Input dimension d (inputs Gaussian, normalised to unit norm). */
  dimension: number;
  /** Number of samples N. */
  samples: number;
  /** Widths m (the criterion is judged at the largest). */
  widths: number[];
  /** Independent data sets (inputs, labels, start) per width. */
  runsPerWidth: number;
  /** The step is η = stepFraction · N / (2λ_max(H^∞)), so the fastest mode contracts by 1 − stepFraction. */
  stepFraction: number;
  /** The bound check: per-step contraction of ‖r‖² measured over the first `boundSteps` steps. */
  boundSteps: number;
  /** The slowest-mode check: fit log ‖r_t‖² against t over the steps with ‖r_t‖²/‖r_0‖² in [low, high]. */
  tailWindow: [number, number];
  /** At most this many GD steps. */
  maxSteps: number;
  /**
   * Slowest-mode check against the finite-width Gram at the last iterate: |κ_tail/κ_T − 1| at most this at the largest
   * width (κ = −log of the per-step contraction of ‖r‖²; κ_T from λ_min(H(W_T))).
   */
  finalGramTolerance: number;
  /** Slowest-mode check against the infinite-width λ₀: |κ_tail/κ₀ − 1| at most this at the largest width. */
  rateTolerance: number;
}

/** The quick configuration: d = 10, N = 20, m = 500 and 8000, two data sets each. */
export const QUICK_NTK_RATE: NtkRateSettings = {
  dimension: 10,
  samples: 20,
  widths: [500, 8000],
  runsPerWidth: 2,
  stepFraction: 0.5,
  boundSteps: 20,
  tailWindow: [1e-18, 1e-12],
  maxSteps: 5000,
  finalGramTolerance: 0.075,
  rateTolerance: 0.2,
};

/** The full configuration: N = 40, m = 500, 2000, 8000, 32000; three data sets each. */
export const FULL_NTK_RATE: NtkRateSettings = {
  ...QUICK_NTK_RATE,
  samples: 40,
  widths: [500, 2000, 8000, 32000],
  runsPerWidth: 3,
  maxSteps: 10000,
};

const CLAIM =
  'At large width, gradient descent on the first layer of a ReLU network (NTK parameterisation, output signs frozen) contracts ' +
  '‖r_t‖² at least like (1 − 2ηλ₀/N)^{2t} per step, and its slowest mode at that rate (λ₀ = λ_min of the NTK Gram H^∞; ' +
  'our risk is (1/N)‖r‖²).';

const COLUMNS: TableColumn[] = [
  { key: 'm', label: 'm' },
  { key: 'run', label: 'run' },
  { key: 'lambda0', label: 'λ₀', format: 'fixed', digits: 4 },
  { key: 'lambdaInit', label: 'λ_min(H(W₀))', format: 'fixed', digits: 4 },
  { key: 'lambdaEnd', label: 'λ_min(H(W_T))', format: 'fixed', digits: 4 },
  { key: 'eta', label: 'η', format: 'fixed', digits: 3 },
  { key: 'predictedContraction', label: '(1−2ηλ₀/N)²', format: 'fixed', digits: 4 },
  { key: 'earlyContraction', label: 'first steps', format: 'fixed', digits: 4 },
  { key: 'tailContraction', label: 'tail', format: 'fixed', digits: 4 },
  { key: 'tailRateOverFinalGram', label: 'κ_tail/κ_T', format: 'fixed', digits: 3 },
  { key: 'tailRateOverPredicted', label: 'κ_tail/κ₀', format: 'fixed', digits: 3 },
  { key: 'tailRSquared', label: 'R²', format: 'fixed', digits: 5 },
  { key: 'steps', label: 'steps' },
  { key: 'movement', label: '‖W−W₀‖/‖W₀‖', format: 'exponential', digits: 1 },
  { key: 'finalRisk', label: 'final L/L₀', format: 'exponential', digits: 1 },
];

/** What one GD run measured. */
export interface NtkRateRun {
  lambda0: number;
  lambdaInit: number;
  eta: number;
  predictedContraction: number;
  earlyContraction: number;
  tailContraction: number;
  tailRSquared: number;
  tailPoints: number;
  steps: number;
  movement: number;
  finalRelativeRisk: number;
  /** `λ_min` of the finite-width Gram at the last iterate. */
  lambdaEnd: number;
}

/** Unit-norm Gaussian inputs (N×d). */
function unitNormInputs(n: number, d: number, rng: Rng): Matrix {
  const x = sampleInputs(n, d, 'gaussian', rng);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = i * d; k < (i + 1) * d; k++) s += x.data[k]! * x.data[k]!;
    const inv = 1 / Math.sqrt(s);
    for (let k = i * d; k < (i + 1) * d; k++) x.data[k] = x.data[k]! * inv;
  }
  return x;
}

/** `λ_min` of the finite-width Gram `H(W)_ij = x_i·x_j (1/m) Σ_r 1[w_r·x_i > 0] 1[w_r·x_j > 0]`. */
export function finiteWidthGramMinEigenvalue(x: Matrix, w: Matrix): number {
  const { rows: n, cols: d } = x;
  const m = w.rows;
  const active = new Uint8Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      let z = 0;
      for (let k = 0; k < d; k++) z += x.data[i * d + k]! * w.data[r * d + k]!;
      active[i * m + r] = z > 0 ? 1 : 0;
    }
  }
  const h = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let both = 0;
      for (let r = 0; r < m; r++) both += active[i * m + r]! & active[j * m + r]!;
      let c = 0;
      for (let k = 0; k < d; k++) c += x.data[i * d + k]! * x.data[j * d + k]!;
      const v = (c * both) / m;
      h.data[i * n + j] = v;
      h.data[j * n + i] = v;
    }
  }
  return eigvalsh(h)[0]!;
}

/** One run: data, start, GD on the first layer with the output layer frozen; the contraction measured. */
export function measureNtkRate(m: number, settings: NtkRateSettings, rng: Rng): NtkRateRun {
  const n = settings.samples;
  const d = settings.dimension;
  const x = unitNormInputs(n, d, rng);
  const y = randomLabels(n, rng);
  const spectrum = eigvalsh(ntkGram(x));
  const lambda0 = spectrum[0]!;
  const lambdaMax = spectrum[n - 1]!;
  const eta = (settings.stepFraction * n) / (2 * lambdaMax);
  const w0 = new Matrix(m, d);
  rng.fillNormal(w0.data, 0, 1);
  const a = new Float64Array(m);
  for (let r = 0; r < m; r++) a[r] = rng.uniform() < 0.5 ? -1 : 1;
  const risk = new TwoLayerEmpiricalRisk(x, y, { width: m, activation: 'relu', parameterization: 'ntk', freeze: 'output' });
  const x0 = risk.pack(w0, a);
  const values: number[] = [];
  const [low, high] = settings.tailWindow;
  let l0 = Number.NaN;
  const result = minimize(risk, x0, {
    method: 'gd',
    learningRate: { W: eta, a: 0 },
    maxSteps: settings.maxSteps,
    historyEvery: settings.maxSteps,
    onStep: (info) => {
      if (info.step === 0) l0 = info.value;
      values.push(info.value);
      return info.value > 0.1 * low * l0;
    },
  });
  const k = Math.min(settings.boundSteps, values.length - 1);
  const earlyContraction = (values[k]! / values[0]!) ** (1 / k);
  const steps: number[] = [];
  const logs: number[] = [];
  for (let t = 0; t < values.length; t++) {
    const ratio = values[t]! / values[0]!;
    if (ratio >= low && ratio <= high) {
      steps.push(t);
      logs.push(Math.log(values[t]!));
    }
  }
  const fit = linearFit(steps, logs);
  const moved = risk.unpack(result.x).w;
  return {
    lambda0,
    lambdaInit: finiteWidthGramMinEigenvalue(x, w0),
    eta,
    predictedContraction: (1 - (2 * eta * lambda0) / n) ** 2,
    earlyContraction,
    tailContraction: Math.exp(fit.slope),
    tailRSquared: fit.rSquared,
    tailPoints: fit.points,
    steps: result.steps,
    movement: relativeMovement(moved.data, w0.data),
    finalRelativeRisk: values.at(-1)! / values[0]!,
    lambdaEnd: finiteWidthGramMinEigenvalue(x, moved),
  };
}

/**
 * Runs the experiment with explicit `settings` and judges the claim at the largest width: in
 * every run the per-step contraction of ‖r‖² over the first `boundSteps` steps is at most the
 * predicted worst case (1 − 2ηλ₀/N)², and the tail rate κ_tail = −log(tail contraction), fitted
 * with R² ≥ 0.99 on ≥ 10 steps, is within `finalGramTolerance` of κ_T (from λ_min of the finite-width
 * Gram at the last iterate) and within `rateTolerance` of κ₀ = −2 log(1 − 2ηλ₀/N).
 */
export async function runNtkRate(settings: NtkRateSettings, config: ExperimentConfig): Promise<ExperimentResult> {
  const rows: Array<Record<string, number | string | boolean | null>> = [];
  const failures: string[] = [];
  const largest = Math.max(...settings.widths);
  for (const m of settings.widths) {
    for (let run = 0; run < settings.runsPerWidth; run++) {
      await yieldToInterrupt(config.signal);
      config.progress?.(`m=${m} run ${run + 1}/${settings.runsPerWidth}`);
      const result = measureNtkRate(m, settings, config.rng.split());
      const kappa0 = -Math.log(result.predictedContraction);
      const ratio = -Math.log(result.tailContraction) / kappa0;
      const kappaT = -2 * Math.log(1 - (2 * result.eta * result.lambdaEnd) / settings.samples);
      const ratioT = -Math.log(result.tailContraction) / kappaT;
      rows.push({
        m,
        run: run + 1,
        lambda0: result.lambda0,
        lambdaInit: result.lambdaInit,
        lambdaEnd: result.lambdaEnd,
        eta: result.eta,
        predictedContraction: result.predictedContraction,
        earlyContraction: result.earlyContraction,
        tailContraction: result.tailContraction,
        tailRateOverFinalGram: ratioT,
        tailRateOverPredicted: ratio,
        tailRSquared: result.tailRSquared,
        steps: result.steps,
        movement: result.movement,
        finalRisk: result.finalRelativeRisk,
      });
      if (m !== largest) continue;
      const label = `m=${m}, run ${run + 1}`;
      if (!(result.earlyContraction <= result.predictedContraction)) {
        failures.push(`${label}: ‖r‖² contracted by ${result.earlyContraction.toFixed(4)} per step over the first ${settings.boundSteps} steps, slower than (1−2ηλ₀/N)² = ${result.predictedContraction.toFixed(4)}`);
      }
      if (result.tailPoints < 10 || !(result.tailRSquared >= 0.99)) {
        failures.push(`${label}: the tail fit has ${result.tailPoints} step(s) with ‖r‖²/‖r₀‖² in [${sci(settings.tailWindow[0])}, ${sci(settings.tailWindow[1])}] and R² ${result.tailRSquared.toFixed(5)} (need ≥ 10 and ≥ 0.99)`);
      } else {
        if (!(Math.abs(ratioT - 1) <= settings.finalGramTolerance)) {
          failures.push(`${label}: tail rate κ_tail/κ_T = ${ratioT.toFixed(3)}, outside 1 ± ${settings.finalGramTolerance}`);
        }
        if (!(Math.abs(ratio - 1) <= settings.rateTolerance)) {
          failures.push(`${label}: tail rate κ_tail/κ₀ = ${ratio.toFixed(3)}, outside 1 ± ${settings.rateTolerance}`);
        }
      }
    }
  }
  const details = [
    `η = ${settings.stepFraction}·N/(2λ_max(H^∞)), so the fastest linearised mode contracts ‖r‖ by ${1 - settings.stepFraction} per step; κ₀ = −2 log(1 − 2ηλ₀/N).`,
    'H(W) is the finite-width Gram x_i·x_j (1/m) Σ_r 1[w_r·x_i > 0] 1[w_r·x_j > 0] (→ H^∞ as m → ∞); κ_T uses its λ_min at the last iterate W_T. ' +
      'It differs from H^∞ by O(m^(−1/2)) and moves with W during training, which is why κ_tail/κ₀ has the wider tolerance.',
    `Median |κ_tail/κ₀ − 1| by width: ${settings.widths
      .map((m) => `m=${m}: ${median(rows.filter((row) => row.m === m).map((row) => Math.abs((row.tailRateOverPredicted as number) - 1))).toFixed(3)}`)
      .join(', ')} (the finite-width Gram approaches H^∞ as m grows); the smaller widths are reported, not judged.`,
    ...failures,
  ];
  return {
    name: ntkRate.name,
    claim: CLAIM,
    criterion:
      `at the largest width m = ${largest}, every run: per-step contraction (‖r_k‖²/‖r_0‖²)^{1/k}, k = ${settings.boundSteps}, at most (1 − 2ηλ₀/N)²; ` +
      `and the rate κ_tail of a least-squares fit of log ‖r_t‖² against t over the steps with ‖r_t‖²/‖r_0‖² ∈ [${sci(settings.tailWindow[0])}, ${sci(settings.tailWindow[1])}] ` +
      `(≥ 10 steps, R² ≥ 0.99) within ${settings.finalGramTolerance * 100}% of κ_T = −2 log(1 − 2ηλ_min(H(W_T))/N) (the slowest mode of the finite-width Gram at the end) ` +
      `and within ${settings.rateTolerance * 100}% of κ₀ = −2 log(1 − 2ηλ₀/N)`,
    passed: failures.length === 0,
    results: { columns: COLUMNS, rows },
    details,
    config: {
      dimension: settings.dimension,
      samples: settings.samples,
      widths: settings.widths,
      runsPerWidth: settings.runsPerWidth,
      inputs: 'Gaussian, rows normalised to unit norm',
      labels: 'random N(0, 1)',
      network: 'ReLU, NTK parameterisation f = m^(−1/2) Σ a_r relu(w_r·x); W₀ entries N(0, 1); a_r = ±1 frozen',
      optimizer: 'gd, fixed step on W only',
      stepFraction: settings.stepFraction,
      boundSteps: settings.boundSteps,
      tailWindow: settings.tailWindow,
      maxSteps: settings.maxSteps,
      finalGramTolerance: settings.finalGramTolerance,
      rateTolerance: settings.rateTolerance,
    },
  };
}

/** The `ntk-rate` experiment. */
export const ntkRate: Experiment = {
  name: 'ntk-rate',
  claim: CLAIM,
  run: (config) => runNtkRate(config.quick ? QUICK_NTK_RATE : FULL_NTK_RATE, config),
};
