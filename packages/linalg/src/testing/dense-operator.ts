/**
 * Test-only: dense matrices as symmetric operators, for the tests of the spectral estimators.
 * Not exported from the package.
 */
import type { Matrix } from '../matrix';
import type { SymmetricOperator } from '../spectra/symmetric-operator';

/** $v \mapsto Av$ for a dense $n \times n$ matrix, by the textbook loop (independent of the kernels under test). */
export function denseOperator(a: Matrix): (v: Float64Array, out: Float64Array) => Float64Array {
  const n = a.rows;
  return (v, out) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a.data[i * n + j]! * v[j]!;
      out[i] = s;
    }
    return out;
  };
}

/** $v \mapsto \operatorname{diag}(d)\,v$. */
export function diagonalOperator(d: ArrayLike<number>): SymmetricOperator {
  return (v, out) => {
    for (let i = 0; i < d.length; i++) out[i] = d[i]! * v[i]!;
  };
}

/** $\|v\|_2$ by the textbook sum. */
export function euclideanNorm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}
