import { describe, expect, it } from 'vitest';
import { expectClose } from '@shallowscape/test-utils';
import { solveSecularEquation, solveSingularSecularEquation } from './secular-equation';
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

describe('solveSingularSecularEquation', () => {
  for (const k of [2, 3, 9, 40]) {
    it(`k = ${k}: roots interlace the poles and are the singular values of M = [zᵀ; 0 diag(d₁…)] (Jacobi on MᵀM = D² + zzᵀ); d² − σ² consistent`, () => {
      const rng = createRng(100 + k);
      const d = new Float64Array(k);
      let acc = 0;
      for (let i = 1; i < k; i++) d[i] = acc += 0.05 + rng.uniform();
      const z = new Float64Array(k);
      for (let i = 0; i < k; i++) z[i] = rng.normal();
      const sigma = new Float64Array(k);
      const delta2 = new Float64Array(k * k);
      solveSingularSecularEquation(k, d, z, sigma, delta2);
      // Independent route: the eigenvalues of MᵀM = D² + z zᵀ are σ².
      const d2 = d.map((x) => x * x);
      const eig = jacobiEigenvalues(d2, z, 1);
      let zz = 0;
      for (const x of z) zz += x * x;
      const scale = d2[k - 1]! + zz;
      expectClose(
        Array.from(sigma, (x) => x * x),
        eig,
        { abs: 16 * k * EPS * scale },
        'σ²',
      );
      for (let j = 0; j < k; j++) {
        expect(sigma[j]!).toBeGreaterThan(d[j]!);
        if (j + 1 < k) expect(sigma[j]!).toBeLessThan(d[j + 1]!);
        else expect(sigma[j]! ** 2).toBeLessThanOrEqual(d2[j]! + zz);
        for (let i = 0; i < k; i++) {
          expectClose(delta2[i * k + j]!, (d[i]! - sigma[j]!) * (d[i]! + sigma[j]!), { abs: 8 * EPS * scale }, `δ²[${i}][${j}]`);
        }
      }
    });
  }

  it('keeps a tiny singular value to relative accuracy (closed form for k = 2)', () => {
    // M = [[z0, z1], [0, d1]]: σ_max σ_min = |z0 d1| and σ_max² + σ_min² = z0² + z1² + d1².
    for (const z0 of [1e-3, 1e-9, 1e-15, 1e-30]) {
      const d = new Float64Array([0, 0.75]);
      const z = new Float64Array([z0, 0.5]);
      const sigma = new Float64Array(2);
      const delta2 = new Float64Array(4);
      solveSingularSecularEquation(2, d, z, sigma, delta2);
      const sum = z0 * z0 + 0.25 + 0.5625;
      const product = z0 * 0.75;
      const big = Math.sqrt((sum + Math.sqrt((sum - 2 * product) * (sum + 2 * product))) / 2);
      const small = product / big;
      expect(Math.abs(sigma[0]! - small)).toBeLessThanOrEqual(8 * EPS * small);
      expect(Math.abs(sigma[1]! - big)).toBeLessThanOrEqual(8 * EPS * big);
      // d_0² − σ_0² = −σ_0², to relative accuracy.
      expect(Math.abs(delta2[0]! + small * small)).toBeLessThanOrEqual(16 * EPS * small * small);
    }
  });
});
