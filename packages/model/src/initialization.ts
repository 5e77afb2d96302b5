/**
 * Starting points for training quadratic networks: the identity start of the mathematics guide, §1.2, and
 * Gaussian starts of any scale.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, checkPositiveInteger, checkRng, type Rng } from '@shallowscape/linalg';
import { checkNonNegative } from './model-arguments';

/**
 * The identity initialisation $W_0 = c\sqrt m \begin{bmatrix} I_d \\ 0 \end{bmatrix}$ ($m \times d$),
 * so that $W_0^\top W_0 = c^2 m I_d$; with the default $c = 1$ it matches
 * $\mathbb{E}[W^{*\top}W^*] = m I$ for an i.i.d. $N(0,1)$ teacher of width $m$ (the mathematics guide, §1.2).
 *
 * @param m - width $m \ge d$.
 * @param d - input dimension $d \ge 1$.
 * @param scale - the factor $c \ge 0$ (default 1).
 * @returns $W_0$, a new $m \times d$ matrix.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `m` when $m < d$ (the identity start
 *   needs at least $d$ hidden units), or for `m`, `d` not integers ≥ 1 or a negative or non-finite `scale`.
 * @example
 * ```ts
 * identityInit(3, 2).toArray(); // => [[1.7320508075688772, 0], [0, 1.7320508075688772], [0, 0]]
 * identityInit(1, 2); // throws InvalidArgumentError
 * ```
 */
export function identityInit(m: number, d: number, scale = 1): Matrix {
  checkPositiveInteger('m', m);
  checkPositiveInteger('d', d);
  checkNonNegative('scale', scale);
  if (m < d) throw new InvalidArgumentError('m', m, `at least d = ${d} for the identity initialisation`);
  const w = new Matrix(m, d);
  const s = scale * Math.sqrt(m);
  for (let k = 0; k < d; k++) w.data[k * d + k] = s;
  return w;
}

/**
 * A Gaussian initialisation: $W_0$ with i.i.d. $N(0, c^2)$ entries, drawn row by row.
 *
 * @param m - width $m \ge 1$.
 * @param d - input dimension $d \ge 1$.
 * @param rng - the generator (advanced by $md$ normal draws).
 * @param scale - the standard deviation $c \ge 0$ (default 1).
 * @returns $W_0$, a new $m \times d$ matrix.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for `m`, `d` not integers ≥ 1, an `rng` that
 *   is not an Rng, or a negative or non-finite `scale`.
 * @example
 * ```ts
 * gaussianInit(4, 3, createRng(1)).shape; // => [4, 3]
 * gaussianInit(2, 2, createRng(1), 0).toArray(); // => [[0, 0], [0, 0]]
 * ```
 */
export function gaussianInit(m: number, d: number, rng: Rng, scale = 1): Matrix {
  checkPositiveInteger('m', m);
  checkPositiveInteger('d', d);
  checkRng('rng', rng);
  checkNonNegative('scale', scale);
  const w = new Matrix(m, d);
  rng.fillNormal(w.data, 0, scale);
  return w;
}

/**
 * A small random initialisation: i.i.d. $N(0, c^2)$ entries with a small default $c = 10^{-3}$
 * (near the saddle at $W = 0$; the regime of small-initialisation analyses).
 *
 * @param m - width $m \ge 1$.
 * @param d - input dimension $d \ge 1$.
 * @param rng - the generator (advanced by $md$ normal draws).
 * @param scale - the standard deviation $c \ge 0$ (default $10^{-3}$).
 * @returns $W_0$, a new $m \times d$ matrix.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} as {@link gaussianInit}.
 * @example
 * ```ts
 * Math.max(...smallInit(10, 10, createRng(2)).data.map(Math.abs)) < 0.01; // => true
 * ```
 */
export function smallInit(m: number, d: number, rng: Rng, scale = 1e-3): Matrix {
  return gaussianInit(m, d, rng, scale);
}
