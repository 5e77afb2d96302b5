/**
 * Two-layer networks $f(x) = s \sum_r a_r \sigma(w_r \cdot x)$ with a choice of activation and
 * parameterisation, and the unchecked forward kernel shared with their risks.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, ShapeError, assertFiniteVector, checkPositiveInteger, type LinalgBackend } from '@shallowscape/linalg';
import { activationKernel, checkActivation, type Activation } from './activations';
import { checkSamples, checkWeights } from './model-arguments';
import { productKernelsOf, REFERENCE_PRODUCT_KERNELS, type ProductKernels } from './quadratic-form-kernels';

/**
 * How the output of a width-$m$ network is scaled: `ntk` $s = 1/\sqrt m$ (neural-tangent-kernel
 * scaling), `mean-field` $s = 1/m$, `standard` $s = 1$.
 */
export type Parameterization = 'ntk' | 'mean-field' | 'standard';

/** Every {@link Parameterization}, in a fixed order. */
export const PARAMETERIZATIONS: readonly Parameterization[] = Object.freeze(['ntk', 'mean-field', 'standard']);

/** Throws `InvalidArgumentError` naming `argument` unless `value` is a {@link Parameterization}. */
export function checkParameterization(argument: string, value: unknown): Parameterization {
  if (typeof value !== 'string' || !(PARAMETERIZATIONS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(argument, value, `one of ${PARAMETERIZATIONS.map((a) => `'${a}'`).join(', ')}`);
  }
  return value as Parameterization;
}

/**
 * The output scale $s$ of a width-$m$ network: $1/\sqrt m$ (`ntk`), $1/m$ (`mean-field`) or $1$ (`standard`).
 * @param parameterization - the parameterisation.
 * @param width - hidden width $m \ge 1$.
 * @returns $s$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `parameterization` for an unknown
 *   name, or `width` when it is not an integer ≥ 1.
 * @example
 * ```ts
 * parameterizationScale('ntk', 4); // => 0.5
 * parameterizationScale('mean-field', 4); // => 0.25
 * parameterizationScale('standard', 4); // => 1
 * ```
 */
export function parameterizationScale(parameterization: Parameterization, width: number): number {
  const p = checkParameterization('parameterization', parameterization);
  return scaleOf(p, checkPositiveInteger('width', width));
}

/** $s$ for a valid parameterisation and width (unchecked). */
export function scaleOf(parameterization: Parameterization, width: number): number {
  return parameterization === 'ntk' ? 1 / Math.sqrt(width) : parameterization === 'mean-field' ? 1 / width : 1;
}

/** Options of {@link TwoLayerNet}. */
export interface TwoLayerNetOptions {
  /** The activation $\sigma$. */
  activation: Activation;
  /** The output scaling $s$ ({@link Parameterization}). */
  parameterization: Parameterization;
  /**
   * The linalg backend whose `gemm` forms $XW^\top$ (slots it lacks fall back to the reference
   * backend). Default: the default backend (`getBackend()`) at construction.
   */
  backend?: LinalgBackend;
}

/** Validates the options object of a two-layer model: activation and parameterisation names, backend. */
export function checkTwoLayerOptions(
  argument: string,
  options: unknown,
): { activation: Activation; parameterization: Parameterization; backend: LinalgBackend | undefined } {
  if (options === undefined || options === null || typeof options !== 'object') {
    throw new InvalidArgumentError(argument, options, 'an options object with activation and parameterization');
  }
  const o = options as Partial<TwoLayerNetOptions>;
  const activation = checkActivation(`${argument}.activation`, o.activation);
  const parameterization = checkParameterization(`${argument}.parameterization`, o.parameterization);
  if (o.backend !== undefined && (typeof o.backend !== 'object' || o.backend === null)) {
    throw new InvalidArgumentError(`${argument}.backend`, o.backend, 'a LinalgBackend object or undefined');
  }
  return { activation, parameterization, backend: o.backend };
}

/** Validates output weights: a finite Float64Array of length `m`. */
export function checkOutputWeights(argument: string, a: unknown, m: number, lengthName: string): Float64Array {
  if (!(a instanceof Float64Array)) throw new InvalidArgumentError(argument, a, 'a Float64Array');
  if (a.length !== m) throw new ShapeError(`${argument} has length ${a.length}, expected ${lengthName} = ${m}`, argument);
  assertFiniteVector(argument, a);
  return a;
}

/** Rows of `X` per chunk of the forward kernel and the risks (a chunk of `Z` holds ≈ 2¹⁶ doubles). */
export const TWO_LAYER_CHUNK_ENTRIES = 1 << 16;

/** Rows per chunk for width `m` and `n` samples. */
export function chunkRows(n: number, m: number): number {
  return Math.max(1, Math.min(n, Math.floor(TWO_LAYER_CHUNK_ENTRIES / m)));
}

/**
 * Outputs $f_i = s \sum_r a_r \sigma(w_r \cdot x_i)$ for the `n` rows of `x` (unchecked kernel):
 * $Z = XW^\top$ by `kernels.gemm` in row chunks, then the activation and a row dot with $a$.
 */
export function twoLayerOutputsKernel(
  n: number,
  d: number,
  m: number,
  x: Float64Array,
  w: Float64Array,
  a: Float64Array,
  scale: number,
  activation: Activation,
  out: Float64Array,
  kernels: ProductKernels = REFERENCE_PRODUCT_KERNELS,
): void {
  if (n === 0) return;
  const rows = chunkRows(n, m);
  const z = new Float64Array(rows * m);
  const dz = new Float64Array(rows * m);
  for (let r0 = 0; r0 < n; r0 += rows) {
    const rb = Math.min(rows, n - r0);
    kernels.gemm(false, true, rb, m, d, 1, x.subarray(r0 * d, (r0 + rb) * d), w, 0, z);
    activationKernel(activation, rb * m, z, z, dz, null);
    for (let i = 0; i < rb; i++) {
      let f = 0;
      const o = i * m;
      for (let r = 0; r < m; r++) f += a[r]! * z[o + r]!;
      out[r0 + i] = scale * f;
    }
  }
}

/**
 * A two-layer network $f(x) = s \sum_{r=1}^{m} a_r\, \sigma(w_r \cdot x)$ (the mathematics guide, §4) with hidden
 * weights $W$ ($m \times d$, rows $w_r$), output weights $a \in \mathbb R^m$, an activation $\sigma$
 * ({@link Activation}) and the output scale $s$ of its {@link Parameterization}.
 *
 * The network holds its own copies of the weights.
 *
 * @see Du, Zhai, Póczos and Singh, "Gradient descent provably optimizes over-parameterized neural
 *   networks" (NTK scaling); Mei, Montanari and Nguyen (mean-field scaling).
 * @example
 * ```ts
 * const net = new TwoLayerNet(Matrix.from([[1, 0], [0, 1]]), Float64Array.of(1, -1), { activation: 'relu', parameterization: 'standard' });
 * net.predict(Matrix.from([[2, 1], [-1, 3]])); // => [1, -3]
 * net.scale; // => 1
 * ```
 */
export class TwoLayerNet {
  /** Hidden width $m$. */
  readonly width: number;
  /** Input dimension $d$. */
  readonly inputDimension: number;
  /** The activation $\sigma$. */
  readonly activation: Activation;
  /** The parameterisation. */
  readonly parameterization: Parameterization;
  /** The output scale $s$ ($1/\sqrt m$, $1/m$ or $1$). */
  readonly scale: number;
  private readonly w: Matrix;
  private readonly a: Float64Array;
  private readonly kernels: ProductKernels;

  /**
   * @param w - hidden weights $W$, $m \times d$ ($m, d \ge 1$), rows $w_r$. Copied.
   * @param a - output weights $a$, length $m$. Copied.
   * @param options - `activation`, `parameterization`, optional `backend`.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `w` is not a Matrix or has no
   *   rows or columns, `a` is not a Float64Array, or naming `options.activation` /
   *   `options.parameterization` for an unknown name.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `a.length ≠ m`.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite weight.
   */
  constructor(w: Matrix, a: Float64Array, options: TwoLayerNetOptions) {
    const wm = checkWeights('w', w);
    const av = checkOutputWeights('a', a, wm.rows, 'width m (rows of w)');
    const opts = checkTwoLayerOptions('options', options);
    this.w = wm.clone();
    this.a = av.slice();
    this.width = wm.rows;
    this.inputDimension = wm.cols;
    this.activation = opts.activation;
    this.parameterization = opts.parameterization;
    this.scale = scaleOf(opts.parameterization, wm.rows);
    this.kernels = productKernelsOf(opts.backend);
  }

  /** A copy of the hidden weights $W$ ($m \times d$). */
  get weights(): Matrix {
    return this.w.clone();
  }

  /** A copy of the output weights $a$ (length $m$). */
  get outputWeights(): Float64Array {
    return this.a.slice();
  }

  /**
   * Outputs $f(x_i) = s \sum_r a_r \sigma(w_r \cdot x_i)$ for the rows of $X$: $Z = XW^\top$ by
   * `gemm`, cost $O(Nmd)$.
   * @param x - inputs $X$, $N \times d$, samples as rows ($N = 0$ gives an empty result).
   * @returns the $N$ outputs.
   * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `x` is not a Matrix.
   * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `x` does not have $d$ columns.
   * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `x`.
   * @example
   * ```ts
   * const net = new TwoLayerNet(Matrix.from([[1, 1]]), Float64Array.of(2), { activation: 'quadratic', parameterization: 'ntk' });
   * net.predict(Matrix.from([[1, 2]])); // => [18]
   * ```
   */
  predict(x: Matrix): Float64Array {
    const xs = checkSamples('x', x, this.inputDimension, false);
    const out = new Float64Array(xs.rows);
    twoLayerOutputsKernel(xs.rows, this.inputDimension, this.width, xs.data, this.w.data, this.a, this.scale, this.activation, out, this.kernels);
    return out;
  }
}
