/**
 * The quadratic lift `φ`: inputs and symmetric matrices as vectors of length `d(d+1)/2`, so
 * that `⟨φ(x), φ(A)⟩ = xᵀAx`, and the lifted design matrix `Φ`.
 *
 * Coordinate order (used by every function here): first the `d` diagonal entries
 * `(k, k)` for `k = 0, …, d−1`, then the off-diagonal pairs `(k, l)`, `k < l`, row by row:
 * `(0,1), (0,2), …, (0,d−1), (1,2), …, (d−2,d−1)`.
 *
 * @packageDocumentation
 */
import {
  InvalidArgumentError,
  Matrix,
  ShapeError,
  assertDimension,
  assertFiniteVector,
  assertSymmetric,
  checkMatrix,
} from '@shallowscape/linalg';

/**
 * The lifted dimension $N^* = d(d+1)/2$: the dimension of the space of symmetric $d \times d$
 * matrices, and the number of samples needed for the lifted design to have full column rank.
 *
 * @param d - the input dimension $d$ (a non-negative integer).
 * @returns $d(d+1)/2$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `d` is not a non-negative safe integer,
 *   or when $d(d+1)/2$ exceeds `Number.MAX_SAFE_INTEGER`.
 * @example
 * ```ts
 * nStar(3); // => 6
 * nStar(100); // => 5050
 * ```
 */
export function nStar(d: number): number {
  assertDimension('d', d);
  const n = (d * (d + 1)) / 2;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('d', d, 'a dimension with d(d+1)/2 ≤ 2⁵³ − 1');
  return n;
}

/**
 * The pairs $(k, l)$, $k \le l$, that the lifted coordinates stand for, in order: the diagonal
 * $(0,0), \dots, (d-1,d-1)$, then $(k, l)$ with $k < l$ row by row.
 *
 * @param d - the input dimension $d$.
 * @returns an array of $d(d+1)/2$ pairs `[k, l]`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `d` is not a non-negative integer.
 * @example
 * ```ts
 * liftedCoordinates(3); // => [[0, 0], [1, 1], [2, 2], [0, 1], [0, 2], [1, 2]]
 * ```
 */
export function liftedCoordinates(d: number): Array<[number, number]> {
  nStar(d);
  const pairs: Array<[number, number]> = [];
  for (let k = 0; k < d; k++) pairs.push([k, k]);
  for (let k = 0; k < d; k++) for (let l = k + 1; l < d; l++) pairs.push([k, l]);
  return pairs;
}

/** Writes φ(x) into `out` at `offset`. Assumes valid input. */
function liftInputKernel(x: ArrayLike<number>, xOffset: number, d: number, out: Float64Array, offset: number): void {
  let p = offset;
  for (let k = 0; k < d; k++) {
    const v = x[xOffset + k]!;
    out[p++] = v * v;
  }
  for (let k = 0; k < d; k++) {
    const s = Math.SQRT2 * x[xOffset + k]!;
    for (let l = k + 1; l < d; l++) out[p++] = s * x[xOffset + l]!;
  }
}

/**
 * The lift of an input $x \in \mathbb{R}^d$ to $\varphi(x) \in \mathbb{R}^{d(d+1)/2}$:
 *
 * $$\varphi(x) = \big(x_0^2, \dots, x_{d-1}^2,\ \sqrt2\,x_0x_1,\ \sqrt2\,x_0x_2,\ \dots,\ \sqrt2\,x_{d-2}x_{d-1}\big),$$
 *
 * so that $\langle \varphi(x), \varphi(A) \rangle = x^\top A x$ for every symmetric $A$ (see
 * {@link liftSymmetric}) and $\varphi(x) = \varphi(xx^\top)$.
 *
 * @param x - the input $x$, a vector of length $d$ (a Float64Array or an array of numbers).
 * @returns $\varphi(x)$, a new Float64Array of length $d(d+1)/2$ in the order of {@link liftedCoordinates}.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `x` is not an array of numbers.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `x` has a NaN or infinite entry.
 * @example
 * ```ts
 * liftInput([1, 2]); // => [1, 4, 2.8284271247]
 * ```
 */
export function liftInput(x: ArrayLike<number>): Float64Array {
  if (!(x instanceof Float64Array) && !Array.isArray(x)) throw new InvalidArgumentError('x', x, 'a Float64Array or an array of numbers');
  for (let k = 0; k < x.length; k++) {
    if (typeof x[k] !== 'number') throw new InvalidArgumentError(`x[${k}]`, x[k], 'a number');
  }
  assertFiniteVector('x', x);
  const d = x.length;
  const out = new Float64Array(nStar(d));
  liftInputKernel(x, 0, d, out, 0);
  return out;
}

/**
 * The lift of a symmetric matrix $A \in \mathbb{R}^{d \times d}$:
 *
 * $$\varphi(A) = \big(A_{00}, \dots, A_{d-1,d-1},\ \sqrt2\,A_{01},\ \sqrt2\,A_{02},\ \dots,\ \sqrt2\,A_{d-2,d-1}\big),$$
 *
 * an isometry from the symmetric matrices with the Frobenius inner product onto
 * $\mathbb{R}^{d(d+1)/2}$: $\langle \varphi(A), \varphi(B) \rangle = \operatorname{tr}(AB)$,
 * $\|\varphi(A)\|_2 = \|A\|_F$, and $\langle\varphi(x), \varphi(A)\rangle = x^\top A x$. The
 * off-diagonal entry used is $(A_{kl} + A_{lk})/2$, which equals $A_{kl}$ for symmetric input.
 *
 * @param a - a symmetric $d \times d$ matrix $A$ (symmetric up to the default tolerance
 *   $64\,\varepsilon \max_{ij}|a_{ij}|$).
 * @returns $\varphi(A)$, a new Float64Array of length $d(d+1)/2$ in the order of {@link liftedCoordinates}.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `a` is not a Matrix.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `a` has a NaN or infinite entry.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when `a` is not square.
 * @throws {@link @shallowscape/linalg!NotSymmetricError | NotSymmetricError} when `a` is not symmetric.
 * @example
 * ```ts
 * liftSymmetric(Matrix.from([[2, 1], [1, 3]])); // => [2, 3, 1.4142135624]
 * ```
 */
export function liftSymmetric(a: Matrix): Float64Array {
  const m = checkMatrix('a', a);
  assertSymmetric('a', m);
  const d = m.rows;
  const out = new Float64Array(nStar(d));
  const ad = m.data;
  for (let k = 0; k < d; k++) out[k] = ad[k * d + k]!;
  let p = d;
  for (let k = 0; k < d; k++) {
    for (let l = k + 1; l < d; l++) out[p++] = (Math.SQRT2 / 2) * (ad[k * d + l]! + ad[l * d + k]!);
  }
  return out;
}

/**
 * The inverse of {@link liftSymmetric}: the symmetric matrix $A$ with $\varphi(A) = v$. Useful to
 * turn a null vector of the lifted design $\Phi$ into a symmetric direction $B$.
 *
 * @param v - a vector of length $d(d+1)/2$ in the order of {@link liftedCoordinates}.
 * @returns the symmetric $d \times d$ matrix $A = \varphi^{-1}(v)$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `v` is not an array of numbers.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when its length is not a triangular number $d(d+1)/2$.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `v` has a NaN or infinite entry.
 * @example
 * ```ts
 * unliftSymmetric([2, 3, Math.SQRT2]).toArray(); // => [[2, 1], [1, 3]]
 * ```
 */
export function unliftSymmetric(v: ArrayLike<number>): Matrix {
  if (!(v instanceof Float64Array) && !Array.isArray(v)) throw new InvalidArgumentError('v', v, 'a Float64Array or an array of numbers');
  for (let k = 0; k < v.length; k++) {
    if (typeof v[k] !== 'number') throw new InvalidArgumentError(`v[${k}]`, v[k], 'a number');
  }
  assertFiniteVector('v', v);
  const d = Math.round((Math.sqrt(8 * v.length + 1) - 1) / 2);
  if ((d * (d + 1)) / 2 !== v.length) {
    throw new ShapeError(`v has length ${v.length}, which is not d(d+1)/2 for any integer d`, 'v');
  }
  const a = new Matrix(d, d);
  const ad = a.data;
  for (let k = 0; k < d; k++) ad[k * d + k] = v[k]!;
  let p = d;
  for (let k = 0; k < d; k++) {
    for (let l = k + 1; l < d; l++) {
      const value = v[p++]! / Math.SQRT2;
      ad[k * d + l] = value;
      ad[l * d + k] = value;
    }
  }
  return a;
}

/**
 * The lifted design matrix $\Phi \in \mathbb{R}^{N \times d(d+1)/2}$ whose row $i$ is
 * $\varphi(x_i)$, so that $(\Phi\,\varphi(A))_i = x_i^\top A x_i$: the predictions of the
 * quadratic network with $A = W^\top W$ are linear in $\varphi(A)$.
 *
 * When $\operatorname{rank}\Phi = d(d+1)/2$ (which needs $N \ge N^* = d(d+1)/2$, and holds
 * almost surely for Gaussian inputs once $N \ge N^*$), noiseless interpolation
 * $\hat L(W) = 0$ forces $W^\top W = W^{*\top}W^*$.
 *
 * @param x - the inputs $X$, an $N \times d$ matrix with the samples $x_i$ as rows.
 * @returns $\Phi$, a new $N \times d(d+1)/2$ matrix.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `x` is not a Matrix.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when `x` has a NaN or infinite entry.
 * @example
 * ```ts
 * liftedDesign(Matrix.from([[1, 0], [1, 1]])).toArray(); // => [[1, 0, 0], [1, 1, 1.4142135624]]
 * ```
 */
export function liftedDesign(x: Matrix): Matrix {
  const m = checkMatrix('x', x);
  const { rows: n, cols: d } = m;
  const width = nStar(d);
  const phi = new Matrix(n, width);
  for (let i = 0; i < n; i++) liftInputKernel(m.data, i * d, d, phi.data, i * width);
  return phi;
}
