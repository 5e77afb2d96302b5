/**
 * What a run will cost before it starts: the memory its arrays need, its largest single array,
 * and the floating-point operations of its main loop, from its sizes alone. Callers refuse a
 * run that cannot fit and warn about one that will take long, before allocating anything.
 *
 * @packageDocumentation
 */

/** The cost of a run, estimated from its sizes. */
export interface RunCost {
  /** Bytes of the float64 arrays alive at the peak (an estimate within a small factor, rounded up). */
  bytes: number;
  /** Entries of the largest single array (typed arrays have a maximum length). */
  largestArray: number;
  /** Floating-point operations of the whole run (for training: at most `steps` iterations). */
  flops: number;
}

const F64 = 8;

/**
 * The cost of a quadratic training run with $N$ samples of dimension $d$, width $m$ and teacher
 * width $m^*$: the inputs $X$ ($Nd$) and one scratch copy, labels and residuals ($3N$), L-BFGS
 * state (about $30\,md$), the $d \times d$ work matrices ($4d^2$); each evaluation costs about
 * $4Nd^2 + 4md^2$ flops and a step at most a few evaluations ($3$ counted).
 *
 * @param sizes - $d$, $m$, $N$, $m^*$ (0 without a teacher) and the step budget.
 * @returns the estimate.
 * @example
 * ```ts
 * quadraticTrainingCost({ d: 10, m: 10, n: 110, teacherWidth: 10, steps: 100 }).largestArray; // => 1100
 * ```
 */
export function quadraticTrainingCost(sizes: { d: number; m: number; n: number; teacherWidth: number; steps: number }): RunCost {
  const { d, m, n, teacherWidth, steps } = sizes;
  const bytes = F64 * (2 * n * d + 3 * n + 30 * m * d + 4 * d * d + teacherWidth * d);
  const perEvaluation = 4 * n * d * d + 4 * m * d * d;
  return { bytes, largestArray: Math.max(n * d, m * d, d * d, teacherWidth * d), flops: 3 * perEvaluation * Math.max(1, steps) };
}

/**
 * The cost of a two-layer training run: inputs ($Nd$), labels ($2N$), the weights and L-BFGS state
 * (about $30(md + m)$), the teacher; an evaluation costs about $6Nmd$ flops.
 *
 * @param sizes - $d$, $m$, $N$, $m^*$ (0 without a teacher) and the step budget.
 * @returns the estimate.
 * @example
 * ```ts
 * twoLayerTrainingCost({ d: 10, m: 100, n: 100, teacherWidth: 10, steps: 10 }).largestArray; // => 1000
 * ```
 */
export function twoLayerTrainingCost(sizes: { d: number; m: number; n: number; teacherWidth: number; steps: number }): RunCost {
  const { d, m, n, teacherWidth, steps } = sizes;
  const bytes = F64 * (n * d + 2 * n + 30 * (m * d + m) + teacherWidth * (d + 1));
  return { bytes, largestArray: Math.max(n * d, m * d), flops: 3 * 6 * n * m * d * Math.max(1, steps) };
}

/**
 * The cost of a spectrum run: the sampled $W$ ($md$, none for GOE), the $d \times d$ matrix and
 * the eigensolver's work ($3d^2$); about $md^2 + 4d^3/3$ flops.
 *
 * @param sizes - $m$ (`null` for GOE) and $d$.
 * @returns the estimate.
 * @example
 * ```ts
 * spectrumCost({ m: null, d: 100 }).largestArray; // => 10000
 * ```
 */
export function spectrumCost(sizes: { m: number | null; d: number }): RunCost {
  const m = sizes.m ?? 0;
  const { d } = sizes;
  return { bytes: F64 * (m * d + 4 * d * d), largestArray: Math.max(m * d, d * d), flops: m * d * d + (4 * d * d * d) / 3 };
}

/**
 * The cost of certifying an $m \times d$ network on $N$ samples: the lifted design
 * $\Phi$ ($N \times N^*$, $N^* = d(d+1)/2$) with the SVD's copy and work ($3NN^*$), the dense Hessian
 * ($(md)^2$, only up to 400 parameters, Lanczos beyond) and the inputs; the SVD costs about
 * $4N{N^*}^2$ flops and the lifted solve about as much.
 *
 * @param sizes - $d$, $m$, $N$.
 * @returns the estimate.
 * @example
 * ```ts
 * certificationCost({ d: 4, m: 4, n: 100 }).largestArray; // => 1000
 * ```
 */
export function certificationCost(sizes: { d: number; m: number; n: number }): RunCost {
  const { d, m, n } = sizes;
  const lifted = (d * (d + 1)) / 2;
  const p = m * d;
  const hessian = p <= 400 ? p * p : 30 * p;
  return { bytes: F64 * (3 * n * lifted + hessian + 2 * n * d + 6 * lifted * lifted), largestArray: Math.max(n * lifted, hessian, n * d), flops: 8 * n * lifted * lifted };
}
