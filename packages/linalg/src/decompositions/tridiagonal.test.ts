import { describe, expect, it } from 'vitest';
import { applyHouseholderQ, householderTridiagonalize, safeHypot } from './tridiagonal';
import { createRng, randomSymmetric } from '../rng';

const EPS = Number.EPSILON;

function frobenius(a: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! ** 2;
  return Math.sqrt(s);
}

/** Naive row-major product (m×k)(k×n). */
function product(m: number, n: number, k: number, a: Float64Array, b: Float64Array): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) c[i * n + j] = c[i * n + j]! + a[i * k + p]! * b[p * n + j]!;
  return c;
}

function transpose(n: number, a: Float64Array): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j]!;
  return t;
}

describe('householderTridiagonalize + applyHouseholderQ', () => {
  // Sizes cover n < 3 (no reflector), one partial and several full blocks of 32 reflectors, and
  // both the 4-row blocked and the remainder paths of the fused pass.
  for (const n of [1, 2, 3, 4, 5, 9, 33, 34, 35, 70, 101]) {
    it(`n = ${n}: Q is orthogonal and QᵀAQ = tridiag(e, d, e) to 8·n·ε·‖A‖_F`, () => {
      const a = randomSymmetric(n, createRng(n + 100)).data;
      const w = a.slice();
      const { d, e, tau } = householderTridiagonalize(n, w);
      expect(d.length).toBe(n);
      expect(e.length).toBe(Math.max(n - 1, 0));
      for (const t of tau) {
        expect(t === 0 || (t >= 1 && t <= 2)).toBe(true); // LAPACK dlarfg: 1 ≤ τ ≤ 2 or τ = 0
      }
      const q = new Float64Array(n * n);
      for (let i = 0; i < n; i++) q[i * n + i] = 1;
      applyHouseholderQ(n, w, tau, q);
      const qtq = product(n, n, n, transpose(n, q), q);
      for (let i = 0; i < n; i++) qtq[i * n + i] = qtq[i * n + i]! - 1;
      expect(Math.max(...Array.from(qtq, Math.abs), 0)).toBeLessThanOrEqual(8 * n * EPS);
      const t = product(n, n, n, product(n, n, n, transpose(n, q), a), q);
      const expected = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        expected[i * n + i] = d[i]!;
        if (i + 1 < n) {
          expected[i * n + i + 1] = e[i]!;
          expected[(i + 1) * n + i] = e[i]!;
        }
      }
      const diff = t.map((x, k) => x - expected[k]!);
      expect(frobenius(diff)).toBeLessThanOrEqual(8 * n * EPS * frobenius(a));
    });
  }

  it('leaves an already tridiagonal matrix tridiagonal (τ = 0 reflectors)', () => {
    const n = 6;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = i + 1;
      if (i + 1 < n) {
        a[i * n + i + 1] = 0.5;
        a[(i + 1) * n + i] = 0.5;
      }
    }
    const { d, e, tau } = householderTridiagonalize(n, a.slice());
    expect(Array.from(d)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(e, Math.abs)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(tau).slice(0, n - 2).every((t) => t === 0 || t === 2)).toBe(true);
  });

  it('applyHouseholderQ applies Q to a non-identity Z: Q(Z) = (QI)Z', () => {
    const n = 40;
    const w = randomSymmetric(n, createRng(5)).data.slice();
    const { tau } = householderTridiagonalize(n, w);
    const z = randomSymmetric(n, createRng(6)).data;
    const q = new Float64Array(n * n);
    for (let i = 0; i < n; i++) q[i * n + i] = 1;
    applyHouseholderQ(n, w, tau, q);
    const qz = z.slice();
    applyHouseholderQ(n, w, tau, qz);
    const ref = product(n, n, n, q, z);
    expect(frobenius(qz.map((x, k) => x - ref[k]!))).toBeLessThanOrEqual(8 * n * EPS * frobenius(z));
  });
});

describe('safeHypot', () => {
  it('neither overflows nor underflows', () => {
    expect(safeHypot(3, 4)).toBe(5);
    expect(safeHypot(3e200, 4e200)).toBeCloseTo(5e200, -190);
    expect(safeHypot(3e-200, 4e-200) / 5e-200).toBeCloseTo(1, 14);
    expect(safeHypot(0, 0)).toBe(0);
    expect(safeHypot(-2, 0)).toBe(2);
  });
});
