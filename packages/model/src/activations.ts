/**
 * Activation functions of two-layer networks with their first and second derivatives, and the
 * unchecked array kernel the two-layer risks evaluate them with.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from '@shallowscape/linalg';

/** The activations of a {@link TwoLayerNet}: $\sigma(z)$ applied to each hidden pre-activation $z = w_r \cdot x$. */
export type Activation = 'relu' | 'quadratic' | 'tanh' | 'erf' | 'softplus' | 'sigmoid';

/** Every {@link Activation}, in a fixed order. */
export const ACTIVATIONS: readonly Activation[] = Object.freeze(['relu', 'quadratic', 'tanh', 'erf', 'softplus', 'sigmoid']);

/** A scalar activation with its first and second derivatives. */
export interface ActivationFunctions {
  /** $\sigma(z)$. */
  value(z: number): number;
  /** $\sigma'(z)$. */
  derivative(z: number): number;
  /** $\sigma''(z)$. */
  secondDerivative(z: number): number;
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * The error function $\operatorname{erf}(x) = \frac{2}{\sqrt\pi}\int_0^x e^{-t^2}\,dt$ to about
 * 1e-15 relative accuracy.
 *
 * For $|x| < 2.5$ the everywhere-positive series
 * $\operatorname{erf}(x) = \frac{2}{\sqrt\pi} e^{-x^2} \sum_{n \ge 0} \frac{2^n x^{2n+1}}{1 \cdot 3 \cdots (2n+1)}$
 * (no cancellation); for $|x| \ge 2.5$, $1 - \operatorname{erfc}(|x|)$ with $\operatorname{erfc}$ from
 * its continued fraction (modified Lentz); $\pm 1$ beyond $|x| = 6$.
 * @param x - the argument (NaN gives NaN).
 * @returns $\operatorname{erf}(x)$.
 * @see Abramowitz and Stegun, 7.1.6 and 7.1.14.
 * @example
 * ```ts
 * erf(0); // => 0
 * erf(1); // => 0.842700792949715
 * erf(-3); // => -0.99997790950300
 * ```
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return x > 0 ? 1 : -1;
  let result: number;
  if (ax < 2.5) {
    const x2 = ax * ax;
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    result = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  } else {
    result = 1 - erfcLarge(ax);
  }
  return x < 0 ? -result : result;
}

/**
 * $\operatorname{erfc}(x)$ for $x \ge 2.5$ from the continued fraction
 * $\operatorname{erfc}(x) = \frac{e^{-x^2}}{\sqrt\pi}\cfrac{1}{x + \cfrac{1/2}{x + \cfrac{1}{x + \cfrac{3/2}{x + \cdots}}}}$
 * evaluated by the modified Lentz method.
 */
function erfcLarge(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const ak = k / 2;
    d = x + ak * d;
    if (d === 0) d = tiny;
    c = x + ak / c;
    if (c === 0) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** Logistic sigmoid $1/(1 + e^{-z})$ without overflow. */
function logistic(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Softplus $\log(1 + e^{z})$ without overflow or loss of precision. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

const FUNCTIONS: Readonly<Record<Activation, ActivationFunctions>> = Object.freeze({
  relu: Object.freeze({
    value: (z: number) => (z > 0 ? z : 0),
    derivative: (z: number) => (z > 0 ? 1 : 0),
    secondDerivative: (_z: number) => 0,
  }),
  quadratic: Object.freeze({
    value: (z: number) => z * z,
    derivative: (z: number) => 2 * z,
    secondDerivative: (_z: number) => 2,
  }),
  tanh: Object.freeze({
    value: (z: number) => Math.tanh(z),
    derivative: (z: number) => {
      const t = Math.tanh(z);
      return 1 - t * t;
    },
    secondDerivative: (z: number) => {
      const t = Math.tanh(z);
      return -2 * t * (1 - t * t);
    },
  }),
  erf: Object.freeze({
    value: erf,
    derivative: (z: number) => TWO_OVER_SQRT_PI * Math.exp(-z * z),
    secondDerivative: (z: number) => -2 * z * (TWO_OVER_SQRT_PI * Math.exp(-z * z)),
  }),
  softplus: Object.freeze({
    value: softplus,
    derivative: logistic,
    secondDerivative: (z: number) => {
      const p = logistic(z);
      return p * (1 - p);
    },
  }),
  sigmoid: Object.freeze({
    value: logistic,
    derivative: (z: number) => {
      const p = logistic(z);
      return p * (1 - p);
    },
    secondDerivative: (z: number) => {
      const p = logistic(z);
      return p * (1 - p) * (1 - 2 * p);
    },
  }),
});

/**
 * The activation `name` as scalar functions $\sigma$, $\sigma'$, $\sigma''$:
 *
 * | name | $\sigma(z)$ | $\sigma'(z)$ | $\sigma''(z)$ |
 * |---|---|---|---|
 * | `relu` | $\max(z, 0)$ | $\mathbb 1[z > 0]$ | $0$ |
 * | `quadratic` | $z^2$ | $2z$ | $2$ |
 * | `tanh` | $\tanh z$ | $1 - \tanh^2 z$ | $-2\tanh z\,(1 - \tanh^2 z)$ |
 * | `erf` | $\operatorname{erf} z$ | $\frac{2}{\sqrt\pi}e^{-z^2}$ | $-\frac{4z}{\sqrt\pi}e^{-z^2}$ |
 * | `softplus` | $\log(1 + e^z)$ | $p(z) = 1/(1 + e^{-z})$ | $p(1 - p)$ |
 * | `sigmoid` | $p(z)$ | $p(1 - p)$ | $p(1 - p)(1 - 2p)$ |
 *
 * ReLU is not differentiable at 0: the convention is $\operatorname{relu}'(0) = 0$ (a subgradient,
 * and what PyTorch uses), and $\operatorname{relu}'' = 0$ everywhere (true almost everywhere; the
 * Hessians of ReLU networks are those of the piecewise-linear pieces).
 * @param name - one of {@link ACTIVATIONS}.
 * @returns the three functions (a frozen object, shared between calls).
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `activation` for an unknown name.
 * @example
 * ```ts
 * activationFunctions('relu').derivative(0); // => 0
 * activationFunctions('softplus').value(0); // => 0.6931471805599453
 * activationFunctions('tanh').secondDerivative(0); // => 0
 * activationFunctions('gelu'); // throws InvalidArgumentError
 * ```
 */
export function activationFunctions(name: Activation): ActivationFunctions {
  return FUNCTIONS[checkActivation('activation', name)];
}

/** Throws `InvalidArgumentError` naming `argument` unless `value` is an {@link Activation}. */
export function checkActivation(argument: string, value: unknown): Activation {
  if (typeof value !== 'string' || !(ACTIVATIONS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(argument, value, `one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}`);
  }
  return value as Activation;
}

/**
 * Evaluates $\sigma$, $\sigma'$ (and $\sigma''$ when `second` is not null) at `z[0..count)`
 * (unchecked kernel: arrays hold at least `count` entries; outputs may not alias `z`, except
 * `value`, which may).
 */
export function activationKernel(
  activation: Activation,
  count: number,
  z: Float64Array,
  value: Float64Array,
  derivative: Float64Array,
  second: Float64Array | null,
): void {
  switch (activation) {
    case 'relu':
      // Branch-free (random signs would mispredict): relu(t) = (t + |t|)/2 exactly, 1[t > 0] as a number.
      for (let k = 0; k < count; k++) {
        const t = z[k]!;
        derivative[k] = +(t > 0);
        value[k] = 0.5 * (t + Math.abs(t));
      }
      if (second !== null) second.fill(0, 0, count);
      return;
    case 'quadratic':
      for (let k = 0; k < count; k++) {
        const t = z[k]!;
        derivative[k] = 2 * t;
        value[k] = t * t;
      }
      if (second !== null) second.fill(2, 0, count);
      return;
    case 'tanh':
      for (let k = 0; k < count; k++) {
        const t = Math.tanh(z[k]!);
        const dt = 1 - t * t;
        derivative[k] = dt;
        if (second !== null) second[k] = -2 * t * dt;
        value[k] = t;
      }
      return;
    case 'erf':
      for (let k = 0; k < count; k++) {
        const t = z[k]!;
        const g = TWO_OVER_SQRT_PI * Math.exp(-t * t);
        derivative[k] = g;
        if (second !== null) second[k] = -2 * t * g;
        value[k] = erf(t);
      }
      return;
    case 'softplus':
      for (let k = 0; k < count; k++) {
        const t = z[k]!;
        const p = logistic(t);
        derivative[k] = p;
        if (second !== null) second[k] = p * (1 - p);
        value[k] = softplus(t);
      }
      return;
    case 'sigmoid':
      for (let k = 0; k < count; k++) {
        const p = logistic(z[k]!);
        const dp = p * (1 - p);
        derivative[k] = dp;
        if (second !== null) second[k] = dp * (1 - 2 * p);
        value[k] = p;
      }
      return;
  }
}
