import { describe, expect, it } from 'vitest';
import { bidiagonalSvdDivideConquer, BIDIAGONAL_DIVIDE_CONQUER_LEAF } from './bidiagonal-divide-conquer';
import { bidiagonalQr } from './bidiagonal-qr';
import { createRng } from '../rng';

const EPS = Number.EPSILON;

/** max |B − U diag(s) Vᵀ|, max |UᵀU − I|, max |VᵀV − I| for the n × n upper bidiagonal B. */
function residuals(n: number, d: Float64Array, e: Float64Array, s: Float64Array, ub: Float64Array, vb: Float64Array) {
  let rec = 0, ou = 0, ov = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let c = 0; c < n; c++) sum += ub[i * n + c]! * s[c]! * vb[j * n + c]!;
      const b = i === j ? d[i]! : j === i + 1 ? e[i]! : 0;
      rec = Math.max(rec, Math.abs(sum - b));
      let gu = 0, gv = 0;
      for (let r = 0; r < n; r++) {
        gu += ub[r * n + i]! * ub[r * n + j]!;
        gv += vb[r * n + i]! * vb[r * n + j]!;
      }
      ou = Math.max(ou, Math.abs(gu - (i === j ? 1 : 0)));
      ov = Math.max(ov, Math.abs(gv - (i === j ? 1 : 0)));
    }
  }
  return { rec, ou, ov };
}

/** Singular values by the QR iteration (an independent algorithm) on B scaled to unit norm (exactly), descending. */
function qrValues(n: number, d: Float64Array, e: Float64Array, norm: number): number[] {
  const scale = norm > 0 ? 2 ** -Math.round(Math.log2(norm)) : 1;
  const dd = d.map((x) => x * scale);
  const ee = new Float64Array(Math.max(n - 1, 1));
  for (let i = 0; i < n - 1; i++) ee[i] = e[i]! * scale;
  bidiagonalQr(n, dd, ee, null);
  return Array.from(dd, (x) => Math.abs(x) / scale).sort((x, y) => y - x);
}

function check(n: number, d: Float64Array, e: Float64Array, label: string): void {
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]!), i < n - 1 ? Math.abs(e[i]!) : 0);
  const s = d.slice();
  const { ut, vt } = bidiagonalSvdDivideConquer(n, s, e);
  // Columns j of U_B and V_B: the rows j of ut and vt.
  const ub = new Float64Array(n * n);
  const vb = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      ub[i * n + j] = ut[j * n + i]!;
      vb[i * n + j] = vt[j * n + i]!;
    }
  }
  const { rec, ou, ov } = residuals(n, d, e, s, ub, vb);
  const ref = qrValues(n, d, e, norm);
  let sv = 0;
  for (let i = 0; i < n; i++) sv = Math.max(sv, Math.abs(s[i]! - ref[i]!));
  for (let i = 1; i < n; i++) expect(s[i]!, `${label}: descending`).toBeLessThanOrEqual(s[i - 1]!);
  const tolerance = 64 * Math.max(n, 1) * EPS;
  expect(rec, `${label}: reconstruction`).toBeLessThanOrEqual(tolerance * Math.max(norm, Number.MIN_VALUE));
  expect(ou, `${label}: UᵀU = I`).toBeLessThanOrEqual(tolerance);
  expect(ov, `${label}: VᵀV = I`).toBeLessThanOrEqual(tolerance);
  expect(sv, `${label}: values`).toBeLessThanOrEqual(tolerance * Math.max(norm, Number.MIN_VALUE));
}

describe('bidiagonalSvdDivideConquer', () => {
  const rng = createRng(2024);
  for (const n of [1, 2, 5, BIDIAGONAL_DIVIDE_CONQUER_LEAF, BIDIAGONAL_DIVIDE_CONQUER_LEAF + 1, 27, 51, 52, 53, 100, 203]) {
    it(`random n = ${n}`, () => {
      const d = new Float64Array(n);
      const e = new Float64Array(Math.max(n - 1, 1));
      for (let i = 0; i < n; i++) d[i] = rng.normal();
      for (let i = 0; i < n - 1; i++) e[i] = rng.normal();
      check(n, d, e, `n=${n}`);
    });
  }
  it('graded, clustered, repeated, split and zero entries', () => {
    const n = 120;
    const cases: Array<[string, (i: number) => number, (i: number) => number]> = [
      ['graded', (i) => 10 ** (-i / 8), (i) => 10 ** (-i / 8) * 0.5],
      ['identity', () => 1, () => 0],
      ['ones', () => 1, () => 1],
      ['zeros in d', (i) => (i % 7 === 3 ? 0 : 1 + (i % 5)), () => 1],
      ['splits', (i) => 1 + (i % 3), (i) => (i % 10 === 9 ? 0 : 0.3)],
      ['two values', (i) => (i % 2 === 0 ? 1 : 2), () => 1e-20],
      ['all zero', () => 0, () => 0],
      ['tiny', (i) => 1e-300 * (1 + (i % 4)), () => 3e-301],
      ['huge', (i) => 1e300 * (1 + (i % 4)), () => 3e299],
      ['Wilkinson-like', (i) => Math.abs(i - n / 2), () => 1],
      ['rank one column', (i) => (i === 0 ? 1 : 0), (i) => (i === 0 ? 1 : 0)],
    ];
    for (const [label, fd, fe] of cases) {
      const d = Float64Array.from({ length: n }, (_, i) => fd(i));
      const e = Float64Array.from({ length: n - 1 }, (_, i) => fe(i));
      check(n, d, e, label);
    }
  });
});
