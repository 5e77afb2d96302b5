import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { rootFreeQl } from './tridiagonal-root-free-ql';
import { implicitQl } from './tridiagonal-ql';

const EPS = Number.EPSILON;

/** Eigenvalues by implicit QL (the reference), ascending. */
function qlValues(d: Float64Array, e: Float64Array): Float64Array {
  const n = d.length;
  const values = d.slice();
  const scratch = new Float64Array(n);
  scratch.set(e.subarray(0, Math.max(n - 1, 0)));
  implicitQl(n, values, scratch, null);
  return values.sort();
}

/** max(|d|, |e|). */
function maxEntry(d: Float64Array, e: Float64Array): number {
  let m = 0;
  for (const x of d) m = Math.max(m, Math.abs(x));
  for (const x of e) m = Math.max(m, Math.abs(x));
  return m;
}

/** Runs rootFreeQl on copies and checks it against implicit QL within 4·n·ε·max|T|. */
function expectAsQl(name: string, d: Float64Array, e: Float64Array): Float64Array {
  const n = d.length;
  const values = d.slice();
  rootFreeQl(n, values, e.slice());
  const want = qlValues(d, e);
  const tol = 4 * Math.max(n, 1) * EPS * maxEntry(d, e);
  for (let i = 0; i < n; i++) expect(Math.abs(values[i]! - want[i]!), `${name}: λ${i}`).toBeLessThanOrEqual(tol);
  for (let i = 1; i < n; i++) expect(values[i]!, `${name}: ascending`).toBeGreaterThanOrEqual(values[i - 1]!);
  return values;
}

describe('rootFreeQl (Pal–Walker–Kahan, dsterf)', () => {
  it('orders 0, 1 and 2', () => {
    const empty = new Float64Array(0);
    rootFreeQl(0, empty, new Float64Array(0));
    expect(empty.length).toBe(0);
    const one = Float64Array.of(-2.5);
    rootFreeQl(1, one, new Float64Array(0));
    expect(Array.from(one)).toEqual([-2.5]);
    const two = Float64Array.of(2, 2);
    rootFreeQl(2, two, Float64Array.of(1));
    expect(Array.from(two)).toEqual([1, 3]);
  });

  for (const n of [3, 5, 33, 130, 257]) {
    it(`random tridiagonal n = ${n}: the values of implicit QL`, () => {
      const rng = createRng(1100 + n);
      expectAsQl(`random ${n}`, rng.fillNormal(new Float64Array(n)), rng.fillNormal(new Float64Array(n - 1)));
    });
  }

  it('1-2-1 matrix: eigenvalues 2 − 2cos(kπ/(n+1))', () => {
    const n = 100;
    const values = expectAsQl('Laplacian', new Float64Array(n).fill(2), new Float64Array(n - 1).fill(-1));
    for (let k = 0; k < n; k++) {
      expect(Math.abs(values[k]! - (2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1))))).toBeLessThanOrEqual(4 * n * EPS * 4);
    }
  });

  it('Wilkinson W⁺ 21 (pairs closer than 1e-13), split and zero blocks, graded, repeated values', () => {
    const n = 21;
    const w = Float64Array.from({ length: n }, (_, i) => Math.abs(10 - i));
    expectAsQl('Wilkinson', w, new Float64Array(n - 1).fill(1));
    const split = Float64Array.of(1, 2, 3, 4, 5, 6);
    expectAsQl('split', split, Float64Array.of(0.5, 0, 0.25, 0, 1e-300));
    expectAsQl('zero block', new Float64Array(8), Float64Array.of(0, 0, 1, 0, 0, 0, 0));
    expectAsQl('zero', new Float64Array(9), new Float64Array(8));
    const g = Float64Array.from({ length: 60 }, (_, i) => 10 ** (-8 + (16 * i) / 59));
    expectAsQl('graded', g, Float64Array.from({ length: 59 }, (_, i) => 0.3 * Math.sqrt(g[i]! * g[i + 1]!)));
    expectAsQl('repeated', new Float64Array(40).fill(3), new Float64Array(39));
    expectAsQl('glued', Float64Array.from({ length: 50 }, (_, i) => i % 3), Float64Array.from({ length: 49 }, (_, i) => (i % 5 === 0 ? 1e-9 : 0.5)));
  });

  it('huge and tiny blocks are scaled (no overflow of e², no underflow)', () => {
    for (const s of [2 ** 600, 2 ** -600, 1e300, 1e-300]) {
      const rng = createRng(5);
      const d = rng.fillNormal(new Float64Array(30)).map((x) => x * s);
      const e = rng.fillNormal(new Float64Array(29)).map((x) => x * s);
      const values = expectAsQl(`scale ${s}`, d, e);
      for (const x of values) expect(Number.isFinite(x)).toBe(true);
    }
  });
});
