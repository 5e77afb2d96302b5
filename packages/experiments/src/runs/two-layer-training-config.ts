/**
 * The configuration of a two-layer training run, its resolved record, and the names of its
 * choices. Plain data; matrices read from files travel beside it in {@link TwoLayerTrainingData}.
 *
 * @packageDocumentation
 */
import type { Matrix } from '@shallowscape/linalg';
import type { Activation, Parameterization } from '@shallowscape/model';
import type { OptimizerName } from './quadratic-training-config';

/** The activations of a two-layer network (those of `@shallowscape/model`). */
export const ACTIVATION_NAMES = ['relu', 'quadratic', 'tanh', 'erf', 'softplus', 'sigmoid'] as const satisfies readonly Activation[];
/** The parameterisations: output scale $s = 1/\sqrt m$, $1/m$, $1$. */
export const PARAMETERIZATION_NAMES = ['ntk', 'mean-field', 'standard'] as const satisfies readonly Parameterization[];
/** The layers that can be held at their initialisation. */
export const FREEZE_CHOICES = ['hidden', 'output'] as const;
/** A layer that can be frozen. */
export type FreezeChoice = (typeof FREEZE_CHOICES)[number];

/** Gaussian samples of the Monte Carlo population risk (activations other than relu and erf). */
export const POPULATION_MONTE_CARLO_SAMPLES = 100000;

/**
 * A two-layer training run $f(x) = s \sum_r a_r \sigma(w_r \cdot x)$, fully resolved. `inputs`
 * and `labels` name a generator or a file whose contents are in {@link TwoLayerTrainingData}.
 */
export interface TwoLayerTrainingConfig {
  activation: Activation;
  parameterization: Parameterization;
  /** Input dimension $d \ge 1$. */
  d: number;
  /** Student width $m \ge 1$. */
  m: number;
  /** Number of samples $N \ge 1$. */
  n: number;
  /** Teacher width $m^*$ with `labels: "teacher"`, else `null`. */
  teacherWidth: number | null;
  /** `"gaussian"` or a file name (`data.inputs`, $N \times d$). */
  inputs: string;
  /** `"teacher"`, `"random"`, or a file name (`data.labels`, length $N$). */
  labels: string;
  /** Standard deviation $\sigma \ge 0$ of Gaussian noise added to teacher labels. */
  noise: number;
  /** The layer held at its initialisation, or `null`. */
  freeze: FreezeChoice | null;
  optimizer: OptimizerName;
  /** $\eta_W$, or `null` for the optimiser's default. */
  learningRateHidden: number | null;
  /** $\eta_a$, or `null` for the optimiser's default. */
  learningRateOutput: number | null;
  steps: number;
  /** Gradient-norm tolerance, or `null` for the default relative one. */
  tol: number | null;
  historyEvery: number;
  seed: number;
}

/** The matrices a configuration takes from files. */
export interface TwoLayerTrainingData {
  /** Inputs $X$, $N \times d$. */
  inputs?: Matrix;
  /** Labels $y$, length $N$. */
  labels?: Float64Array;
}

/** Where a layer's learning rate came from. */
export type LayerRateSource = 'flag' | 'default' | 'curvature-estimate' | 'weight-scale' | 'frozen';

/** The configuration as recorded with the result (`config` of `train --model two-layer --json`). */
export interface ResolvedTwoLayerTrainingConfig {
  model: 'two-layer';
  activation: Activation;
  parameterization: Parameterization;
  d: number;
  m: number;
  n: number;
  /** `"gaussian"` with teacher labels, `null` otherwise. */
  teacher: 'gaussian' | null;
  teacherWidth: number | null;
  inputs: string;
  labels: string;
  noise: number;
  /** Always `"gaussian"`: $W_0$ entries $N(0, 1/d)$, $a_0$ entries $N(0, 1)$. */
  init: 'gaussian';
  freeze: FreezeChoice | null;
  optimizer: OptimizerName;
  /** $\eta_W$ (0 when the hidden layer is frozen). */
  learningRateHidden: number;
  /** $\eta_a$ (0 when the output layer is frozen). */
  learningRateOutput: number;
  learningRateSource: { hidden: LayerRateSource; output: LayerRateSource };
  /** `"armijo"` (gd without rates), `"strong-wolfe"` (lbfgs) or `"none"`. */
  lineSearch: 'armijo' | 'strong-wolfe' | 'none';
  steps: number;
  /** Always `"empirical"`. */
  objective: 'empirical';
  tol: number;
  tolSource: 'flag' | 'relative-default';
  historyEvery: number;
  seed: number;
  /** `"exact"` (relu, erf), `"monte-carlo"` (other activations) or `null` (no teacher). */
  populationRiskMethod: 'exact' | 'monte-carlo' | null;
  /** Gaussian samples of the Monte Carlo estimate, or `null`. */
  populationRiskSamples: number | null;
}

/**
 * The run `shallowscape train --model two-layer` performs without other flags: a ReLU network
 * (NTK scale) with $d = 10$, $m = 100$, $N = 100$ Gaussian inputs labelled by a ReLU teacher of
 * width $d$, L-BFGS for at most 10000 steps, seed 0.
 */
export const DEFAULT_TWO_LAYER_TRAINING: Readonly<TwoLayerTrainingConfig> = Object.freeze({
  activation: 'relu',
  parameterization: 'ntk',
  d: 10,
  m: 100,
  n: 100,
  teacherWidth: 10,
  inputs: 'gaussian',
  labels: 'teacher',
  noise: 0,
  freeze: null,
  optimizer: 'lbfgs',
  learningRateHidden: null,
  learningRateOutput: null,
  steps: 10000,
  tol: null,
  historyEvery: 10,
  seed: 0,
});
