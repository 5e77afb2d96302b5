/**
 * The configuration of a quadratic teacher–student training run, its resolved record, and the
 * names of its choices. A configuration is plain data (JSON-serialisable, so a sweep can send it
 * to a worker thread); matrices read from files travel beside it in {@link QuadraticTrainingData}.
 *
 * @packageDocumentation
 */
import type { Matrix } from '@shallowscape/linalg';

/** The optimisers a run can use (those of `minimize` in `@shallowscape/optim`). */
export const OPTIMIZERS = ['gd', 'momentum', 'nesterov', 'adam', 'lbfgs'] as const;
/** An optimiser name. */
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** The quadratic models: all output signs $+1$, or balanced signs $\pm 1$. */
export const QUADRATIC_MODELS = ['quadratic', 'signed-quadratic'] as const;
/** A quadratic model name. */
export type QuadraticModelName = (typeof QUADRATIC_MODELS)[number];

/** The input distributions a run can sample (i.i.d. coordinates). */
export const INPUT_KINDS = ['gaussian', 'rademacher', 'uniform'] as const;
/** The labels a run can generate: the teacher's outputs (plus noise) or i.i.d. $N(0, 1)$. */
export const LABEL_KINDS = ['teacher', 'random'] as const;
/** The starting weights a run can generate. */
export const INIT_KINDS = ['identity', 'gaussian', 'small'] as const;

/** The risks a run can minimise. */
export const OBJECTIVES = ['empirical', 'population'] as const;

/** Default gradient-norm tolerance, relative to $\|\nabla L(W_0)\|_F$. */
export const DEFAULT_RELATIVE_TOL = 1e-10;

/**
 * A quadratic training run, fully resolved (every size known). The string fields name a
 * generator or, for anything else, a file whose contents are in {@link QuadraticTrainingData}
 * (the name is only recorded).
 */
export interface QuadraticTrainingConfig {
  model: QuadraticModelName;
  /** Input dimension $d \ge 1$. */
  d: number;
  /** Student width $m \ge 1$. */
  m: number;
  /** Number of samples $N \ge 1$. */
  n: number;
  /** `"gaussian"` (i.i.d. $N(0,1)$ teacher), a file name (`data.teacher`), or `null` (no teacher). */
  teacher: string | null;
  /** Teacher width $m^*$; `null` exactly when there is no teacher. */
  teacherWidth: number | null;
  /** Rank of a Gaussian teacher below $\min(m^*, d)$, or `null` for full rank. */
  teacherRank: number | null;
  /** `"gaussian"`, `"rademacher"`, `"uniform"`, or a file name (`data.inputs`, $N \times d$). */
  inputs: string;
  /** `"teacher"`, `"random"`, or a file name (`data.labels`, length $N$). */
  labels: string;
  /** Standard deviation $\sigma \ge 0$ of Gaussian noise added to teacher labels. */
  noise: number;
  /** `"identity"`, `"gaussian"`, `"small"`, or a file name (`data.init`, $m \times d$). */
  init: string;
  /** Scale $c$ of a generated start (`null` for a file). */
  initScale: number | null;
  optimizer: OptimizerName;
  /** The learning rate $\eta$, or `null` for the optimiser's default (see {@link trainQuadratic}). */
  learningRate: number | null;
  /** Maximum number of optimiser steps. */
  steps: number;
  objective: (typeof OBJECTIVES)[number];
  /** Stop when $\|\nabla L\|_F \le$ `tol`; `null` for {@link DEFAULT_RELATIVE_TOL} $\cdot \|\nabla L(W_0)\|_F$. */
  tol: number | null;
  /** Record the history every this many steps (and the last). */
  historyEvery: number;
  /** Seed of the teacher, inputs, labels and initialisation streams. */
  seed: number;
  /** Certify the final weights on the training data (adds `certificate` to the output). */
  certify: boolean;
}

/** The matrices a configuration takes from files (each present exactly when its field names a file). */
export interface QuadraticTrainingData {
  /** Teacher $W^*$, $m^* \times d$. */
  teacher?: Matrix;
  /** Inputs $X$, $N \times d$. */
  inputs?: Matrix;
  /** Labels $y$, length $N$. */
  labels?: Float64Array;
  /** Starting weights $W_0$, $m \times d$. */
  init?: Matrix;
}

/** The configuration as recorded with the result (`config` in `train --json` and `run.json`). */
export interface ResolvedQuadraticTrainingConfig extends Omit<QuadraticTrainingConfig, 'learningRate' | 'tol' | 'certify'> {
  /** The learning rate $\eta$ passed to the optimiser (for `gd` with Armijo: the largest trial step). */
  learningRate: number;
  /** How it was chosen: given in the configuration (`"flag"`), the optimiser's default, or from the curvature at the start. */
  learningRateSource: 'flag' | 'default' | 'curvature-estimate';
  /** `"armijo"` (gd without a rate), `"strong-wolfe"` (lbfgs) or `"none"`. */
  lineSearch: 'armijo' | 'strong-wolfe' | 'none';
  /** The gradient-norm tolerance in force (absolute). */
  tol: number;
  /** Whether `tol` was given (`"flag"`) or is the default relative one. */
  tolSource: 'flag' | 'relative-default';
}

/**
 * The run `shallowscape train` performs without flags: a Gaussian teacher with $d = m = m^* = 10$,
 * $N = d(d+1) = 110$ Gaussian inputs and teacher labels, a Gaussian start, L-BFGS for at most
 * 10000 steps on the empirical risk, seed 0.
 */
export const DEFAULT_QUADRATIC_TRAINING: Readonly<QuadraticTrainingConfig> = Object.freeze({
  model: 'quadratic',
  d: 10,
  m: 10,
  n: 110,
  teacher: 'gaussian',
  teacherWidth: 10,
  teacherRank: null,
  inputs: 'gaussian',
  labels: 'teacher',
  noise: 0,
  init: 'gaussian',
  initScale: 1,
  optimizer: 'lbfgs',
  learningRate: null,
  steps: 10000,
  objective: 'empirical',
  tol: null,
  historyEvery: 10,
  seed: 0,
  certify: false,
});
