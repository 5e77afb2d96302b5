import { describe, expect, it } from 'vitest';
import { Matrix } from '../matrix';
import { createRng } from '../rng';
import { eigvalsh } from './eigh';
import { expectClose } from '@shallowscape/test-utils';
import { tridiagonalEigenvalues } from './tridiagonal-eigenvalues';

function dense(d: Float64Array, e: Float64Array): Matrix {
  const n = d.length;
  const t = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) {
    t.data[i * n + i] = d[i]!;
    if (i < n - 1) {
      t.data[i * n + i + 1] = e[i]!;
      t.data[(i + 1) * n + i] = e[i]!;
    }
  }
  return t;
}

function maxNorm(values: Float64Array): number {
  return values.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
}

describe('tridiagonalEigenvalues (internal)', () => {
  it('matches eigvalsh of the dense matrix on random tridiagonals, n = 1…80 (tolerance 50 ε ‖T‖)', () => {
    const rng = createRng(31);
    for (const n of [1, 2, 3, 5, 17, 80]) {
      const d = rng.fillNormal(new Float64Array(n));
      const e = rng.fillNormal(new Float64Array(Math.max(0, n - 1)));
      const expected = eigvalsh(dense(d, e));
      const actual = tridiagonalEigenvalues(d, e);
      const scale = Math.max(maxNorm(d), maxNorm(e), 1);
      expectClose(actual, expected, { abs: 50 * Number.EPSILON * scale * 3 }, `n = ${n}`);
    }
  });

  it('handles split matrices, repeated eigenvalues and graded entries, leaves its inputs unchanged', () => {
    const d = Float64Array.of(2, 2, 2, -1, 5);
    const e = Float64Array.of(0, 1, 0, 0);
    const copy = [Float64Array.from(d), Float64Array.from(e)];
    expectClose(tridiagonalEigenvalues(d, e), [-1, 1, 2, 3, 5], { abs: 1e-15 });
    expect([d, e]).toEqual(copy);
    const graded = Float64Array.of(1e-8, 1e-4, 1, 1e4, 1e8);
    const ge = Float64Array.of(1e-6, 1e-2, 1e2, 1e6);
    expectClose(tridiagonalEigenvalues(graded, ge), eigvalsh(dense(graded, ge)), { abs: 100 * Number.EPSILON * 1e8 });
  });

  it('gives the closed-form spectrum of the second-difference matrix tridiag(−1, 2, −1): 2 − 2cos(kπ/(n + 1)) (tolerance 1e-13)', () => {
    const n = 50;
    const values = tridiagonalEigenvalues(new Float64Array(n).fill(2), new Float64Array(n - 1).fill(-1));
    const exact = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
    expectClose(values, exact, { abs: 1e-13 });
  });
});

describe('tridiagonalEigenvalues input checks', () => {
  it('names the argument for wrong types, short off-diagonals and non-finite entries', () => {
    expect(() => tridiagonalEigenvalues([1, 2] as unknown as Float64Array, new Float64Array(1))).toThrow(/diagonal/);
    expect(() => tridiagonalEigenvalues(new Float64Array(3), new Float64Array(1))).toThrow(/offDiagonal has length 1, expected at least n − 1 = 2/);
    expect(() => tridiagonalEigenvalues(Float64Array.of(1, Number.NaN), Float64Array.of(0))).toThrow(/diagonal has a non-finite entry NaN at \[1\]/);
    expect(() => tridiagonalEigenvalues(Float64Array.of(1, 2), Float64Array.of(Infinity))).toThrow(/offDiagonal/);
    expect(Array.from(tridiagonalEigenvalues(new Float64Array(0), new Float64Array(0)))).toEqual([]);
  });
});
