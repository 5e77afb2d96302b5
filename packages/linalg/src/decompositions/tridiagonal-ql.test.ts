import { describe, expect, it } from 'vitest';
import { expectClose } from '@shallowscape/test-utils';
import { implicitQl, symmetricTwoByTwo } from './tridiagonal-ql';
import { ConvergenceError } from '../errors';

const EPS = Number.EPSILON;

describe('implicitQl', () => {
  it('1-2-1 matrix: eigenvalues 2 − 2cos(kπ/(n+1)) to 4·n·ε·‖T‖, vectors sin(jkπ/(n+1))', () => {
    const n = 30;
    const d = new Float64Array(n).fill(2);
    const e = new Float64Array(n).fill(-1);
    const zt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) zt[i * n + i] = 1;
    implicitQl(n, d, e, zt);
    const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => d[p]! - d[q]!);
    const exact = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
    expectClose(order.map((i) => d[i]!), exact, { abs: 4 * n * EPS * 4 }, 'eigenvalues');
    // Row i of zt is the eigenvector of d[i]: ±√(2/(n+1)) sin((j+1)(k+1)π/(n+1)).
    order.forEach((row, k) => {
      const v = Array.from(zt.subarray(row * n, row * n + n));
      const ref = Array.from({ length: n }, (_, j) => Math.sqrt(2 / (n + 1)) * Math.sin(((j + 1) * (k + 1) * Math.PI) / (n + 1)));
      const sign = Math.sign(v.reduce((s, x, j) => s + x * ref[j]!, 0));
      expectClose(
        v.map((x) => sign * x),
        ref,
        { abs: 64 * n * EPS },
        `eigenvector ${k}`,
      );
    });
  });

  it('diagonal input needs no iteration; zero off-diagonals split the matrix', () => {
    const d = new Float64Array([3, -1, 2]);
    implicitQl(3, d, new Float64Array(3), null);
    expect(Array.from(d)).toEqual([3, -1, 2]);
    const d2 = new Float64Array([1, 1, 5, 5]);
    implicitQl(4, d2, new Float64Array([1, 0, 2, 0]), null);
    expectClose(Array.from(d2).sort((p, q) => p - q), [0, 2, 3, 7], { abs: 16 * EPS * 7 }, 'two 2×2 blocks');
  });

  it('throws ConvergenceError when the iteration cannot converge (NaN from an unchecked caller)', () => {
    expect(() => implicitQl(3, new Float64Array([1, NaN, 2]), new Float64Array([1, 1, 0]), null)).toThrow(ConvergenceError);
  });
});

describe('symmetricTwoByTwo (dlaev2)', () => {
  const cases: Array<[number, number, number]> = [
    [2, 1, 2],
    [1, 0, 3],
    [3, 0, 1],
    [0, 1, 0],
    [-4, 2, 1],
    [1e-20, 1, -1e-20],
    [5, 1e-300, 5],
  ];
  for (const [a, b, c] of cases) {
    it(`[[${a}, ${b}], [${b}, ${c}]]`, () => {
      const [rt1, rt2, cs, sn] = symmetricTwoByTwo(a, b, c);
      const mean = (a + c) / 2;
      const radius = Math.hypot((a - c) / 2, b);
      const scale = Math.abs(mean) + radius;
      expectClose([Math.max(rt1, rt2), Math.min(rt1, rt2)], [mean + radius, mean - radius], { abs: 4 * EPS * scale }, 'eigenvalues');
      expect(Math.abs(rt1)).toBeGreaterThanOrEqual(Math.abs(rt2));
      expectClose(cs * cs + sn * sn, 1, { abs: 4 * EPS }, 'unit vector');
      // (cs, sn) is the eigenvector of rt1: A v = rt1 v.
      expectClose([a * cs + b * sn, b * cs + c * sn], [rt1 * cs, rt1 * sn], { abs: 8 * EPS * scale }, 'A v = λ₁ v');
    });
  }
  it('is exact on [[2, 1], [1, 2]]', () => {
    expect(symmetricTwoByTwo(2, 1, 2).slice(0, 2)).toEqual([3, 1]);
  });
});
