/**
 * Test problems with known minimisers for the optimiser tests: convex quadratics with a chosen
 * spectrum, Rosenbrock's function, and small vector helpers. Not exported from the package.
 */
import { createRng, gaussianMatrix, Matrix } from '@shallowscape/linalg';
import type { Objective, ParameterBlock } from '../objective';

/** A seeded orthogonal matrix: modified Gram–Schmidt on the columns of a Gaussian matrix. */
export function orthogonal(n: number, seed: number): Matrix {
  const g = gaussianMatrix(n, n, createRng(seed));
  const cols: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const v = g.column(j);
    for (const q of cols) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q[i]! * v[i]!;
      for (let i = 0; i < n; i++) v[i]! -= dot * q[i]!;
    }
    const len = Math.hypot(...v);
    for (let i = 0; i < n; i++) v[i]! /= len;
    cols.push(v);
  }
  return Matrix.fromColumns(cols);
}

/** `A v` for a dense matrix. */
export function matVec(a: Matrix, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let j = 0; j < a.cols; j++) s += a.data[i * a.cols + j]! * v[j]!;
    out[i] = s;
  }
  return out;
}

/** `‖v‖₂`. */
export function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k]! ** 2;
  return Math.sqrt(s);
}

/** `‖a − b‖₂`. */
export function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k]! - b[k]!) ** 2;
  return Math.sqrt(s);
}

/** `aᵀb`. */
export function dotProduct(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

/**
 * `f(x) = ½ xᵀAx − bᵀx` with `A = Q diag(λ) Qᵀ` (Q seeded orthogonal, b seeded Gaussian),
 * minimiser `x* = Q diag(1/λ) Qᵀ b`, minimum `f* = −½ bᵀx*`; `centered`, the same function less
 * f* (minimum exactly 0, with a gradient that vanishes at x* up to rounding in x*); and the exact gradient-descent
 * iterate `x_t = x* + Q diag((1 − ηλ)^t) Qᵀ (x₀ − x*)`.
 */
export function quadratic(lambda: number[], seed: number, blocks: ParameterBlock[] = [{ name: 'x', size: lambda.length }]) {
  const n = lambda.length;
  const q = orthogonal(n, seed);
  const a = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q.get(i, k) * lambda[k]! * q.get(j, k);
      a.set(i, j, s);
    }
  }
  const b = createRng(seed + 1).fillNormal(new Float64Array(n));
  const qtb = matVec(q.transpose(), b);
  const xStar = matVec(q, qtb.map((v, k) => v / lambda[k]!));
  const fStar = -0.5 * dotProduct(b, xStar);
  const objective: Objective = {
    blocks,
    value(x) {
      const ax = matVec(a, x);
      let f = 0;
      for (let i = 0; i < n; i++) f += 0.5 * x[i]! * ax[i]! - b[i]! * x[i]!;
      return f;
    },
    gradient(x, out = new Float64Array(n)) {
      const ax = matVec(a, x);
      for (let i = 0; i < n; i++) out[i] = ax[i]! - b[i]!;
      return out;
    },
  };
  /** The same function less f*, computed as ½(x − x*)ᵀA(x − x*) so that values near the minimum keep full relative accuracy. */
  const centered: Objective = {
    blocks,
    value(x) {
      const e = x.map((v, i) => v - xStar[i]!);
      return 0.5 * dotProduct(e, matVec(a, e));
    },
    gradient(x, out = new Float64Array(n)) {
      out.set(matVec(a, x.map((v, i) => v - xStar[i]!)));
      return out;
    },
  };
  const exactIterate = (x0: Float64Array, eta: number, t: number): Float64Array => {
    const e0 = x0.map((v, i) => v - xStar[i]!);
    const c = matVec(q.transpose(), e0).map((v, k) => v * (1 - eta * lambda[k]!) ** t);
    return matVec(q, c).map((v, i) => v + xStar[i]!);
  };
  return { objective, centered, xStar, fStar, a, b, q, exactIterate };
}

/**
 * The extended Rosenbrock function `Σ_{i even} 100 (x_{i+1} − x_i²)² + (1 − x_i)²` on an even
 * dimension n, minimised at (1, …, 1) with value 0.
 */
export function rosenbrock(n = 2): Objective {
  return {
    blocks: [{ name: 'x', size: n }],
    value(x) {
      let f = 0;
      for (let i = 0; i < n; i += 2) f += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
      return f;
    },
    gradient(x, out = new Float64Array(n)) {
      for (let i = 0; i < n; i += 2) {
        const r = x[i + 1]! - x[i]! ** 2;
        out[i] = -400 * x[i]! * r - 2 * (1 - x[i]!);
        out[i + 1] = 200 * r;
      }
      return out;
    },
  };
}

/** Copies every `onStep` iterate: `x_t`, `f(x_t)` and `∇f(x_t)` for t = 0, 1, …. */
export function iterateRecorder() {
  const xs: Float64Array[] = [];
  const values: number[] = [];
  const gradients: Float64Array[] = [];
  return {
    xs,
    values,
    gradients,
    onStep: (info: { x: Readonly<Float64Array>; value: number; gradient: Readonly<Float64Array> }) => {
      xs.push(info.x.slice());
      values.push(info.value);
      gradients.push(info.gradient.slice());
    },
  };
}
