import { describe, expect, it } from 'vitest';
import { expectClose } from '@shallowscape/test-utils';
import { solveSecularEquation } from './secular-equation';
import { ConvergenceError } from '../errors';
import { createRng } from '../rng';

const EPS = Number.EPSILON;

/**
 * Reference eigenvalues of D + ρ z zᵀ by an independent route: cyclic Jacobi rotations on the
 * dense matrix, run to convergence.
 */
function jacobiEigenvalues(d: Float64Array, z: Float64Array, rho: number): number[] {
  const k = d.length;
  const a = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => rho * z[i]! * z[j]! + (i === j ? d[i]! : 0)));
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += a[p]![q]! ** 2;
    if (off < 1e-300) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r]![p]!, arq = a[r]![q]!;
          a[r]![p] = c * arp - s * arq;
          a[r]![q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p]![r]!, aqr = a[q]![r]!;
          a[p]![r] = c * apr - s * aqr;
          a[q]![r] = s * apr + c * aqr;
        }
      }
    }
  }
  return a.map((row, i) => row[i]!).sort((x, y) => x - y);
}

describe('solveSecularEquation', () => {
  for (const k of [2, 3, 8, 40]) {
    it(`k = ${k}: roots interlace the poles and match the dense eigenvalues; δ are consistent`, () => {
      const rng = createRng(k);
      const d = new Float64Array(k);
      let acc = -1;
      for (let i = 0; i < k; i++) d[i] = acc += 0.05 + rng.uniform();
      const z = new Float64Array(k);
      let norm = 0;
      for (let i = 0; i < k; i++) norm += (z[i] = rng.normal()) ** 2;
      for (let i = 0; i < k; i++) z[i] = z[i]! / Math.sqrt(norm);
      const rho = 0.7;
      const lambda = new Float64Array(k);
      const delta = new Float64Array(k * k);
      solveSecularEquation(k, d, z, rho, lambda, delta);
      const scale = Math.abs(d[0]!) + Math.abs(d[k - 1]!) + rho;
      expectClose(lambda, jacobiEigenvalues(d, z, rho), { abs: 16 * k * EPS * scale }, 'roots');
      for (let j = 0; j < k; j++) {
        expect(lambda[j]!).toBeGreaterThan(d[j]!);
        if (j + 1 < k) expect(lambda[j]!).toBeLessThan(d[j + 1]!);
        else expect(lambda[j]!).toBeLessThanOrEqual(d[j]! + rho);
        for (let i = 0; i < k; i++) {
          expectClose(delta[i * k + j]!, d[i]! - lambda[j]!, { abs: 4 * EPS * scale }, `δ[${i}][${j}]`);
        }
        expect(delta[j * k + j]!).toBeLessThan(0);
      }
    });
  }

  it('resolves roots next to poles 1e-12 apart with relatively accurate differences', () => {
    const d = new Float64Array([0, 1e-12, 1]);
    const z = new Float64Array([0.6, 0.6, Math.sqrt(1 - 0.72)]);
    const lambda = new Float64Array(3);
    const delta = new Float64Array(9);
    solveSecularEquation(3, d, z, 1, lambda, delta);
    expect(lambda[0]!).toBeGreaterThan(0);
    expect(lambda[0]!).toBeLessThan(1e-12);
    // The characteristic polynomial vanishes at each root: check via the secular function.
    for (let j = 0; j < 3; j++) {
      let g = 1;
      let bound = 1;
      for (let i = 0; i < 3; i++) {
        const t = (z[i]! * z[i]!) / delta[i * 3 + j]!;
        g += t;
        bound += Math.abs(t);
      }
      expect(Math.abs(g)).toBeLessThanOrEqual(16 * EPS * bound);
    }
  });

  it('throws ConvergenceError on NaN input from an unchecked caller', () => {
    expect(() =>
      solveSecularEquation(2, new Float64Array([0, 1]), new Float64Array([NaN, 0.5]), 1, new Float64Array(2), new Float64Array(4)),
    ).toThrow(ConvergenceError);
  });
});
