import { describe, expect, it } from 'vitest';
import { createRng, eigh, eigvalsh, gaussianMatrix, gemm, InvalidArgumentError, Matrix, NonFiniteError, qr, ShapeError } from '@shallowscape/linalg';
import { identityInit, quadraticPopulationRisk, sampleTeacher } from '@shallowscape/model';
import { expectClose } from '@shallowscape/test-utils';
import { energyBarrier, energyBarrierCertificate, identityInitializationCheck } from './energy-barrier';

/** σ_min(W*)² as λ_min(W*ᵀW*), an independent route (eigh of the Gram, not the SVD of W*). */
function sigmaMin2(t: Matrix): number {
  return eigvalsh(gemm(t, t, { transA: true }))[0]!;
}

/** A random orthogonal m×m matrix (Q of a Gaussian matrix). */
function orthogonal(m: number, seed: number): Matrix {
  return qr(gaussianMatrix(m, m, createRng(seed))).q;
}

describe('energyBarrier', () => {
  it('is 2σ_min(W*)⁴ for seeded Gaussian teachers (σ_min² from eigvalsh of W*ᵀW*, rel 1e-10)', () => {
    for (const [m, d] of [[6, 3], [10, 10], [40, 7]] as const) {
      const t = sampleTeacher(m, d, createRng(m * 100 + d));
      expectClose(energyBarrier(t), 2 * sigmaMin2(t) ** 2, { rel: 1e-10 }, `m=${m} d=${d}`);
    }
  });
  it('scales with the moments: c = min(μ4 − μ2², 2μ2²)', () => {
    const t = Matrix.from([[2, 0], [0, 3]]);
    expect(energyBarrier(t)).toBe(32);
    expectClose(energyBarrier(t, { mu2: 2, mu4: 12 }), 8 * 16, { rel: 1e-15 });
    expectClose(energyBarrier(t, { mu2: 1, mu4: 2 }), 16, { rel: 1e-15 });
    expect(energyBarrier(t, { mu2: 1, mu4: 1 })).toBe(0);
  });
  it('is 0 for teachers narrower than d or rank deficient', () => {
    expect(energyBarrier(Matrix.from([[1, 2, 3]]))).toBe(0);
    expect(energyBarrier(Matrix.from([[1, 2], [2, 4], [3, 6]]))).toBe(0);
  });
  it('throws typed errors naming the argument', () => {
    expect(() => energyBarrier([[1]] as unknown as Matrix)).toThrow(/invalid teacher/);
    expect(() => energyBarrier(Matrix.from([[Number.NaN]]))).toThrow(NonFiniteError);
    expect(() => energyBarrier(Matrix.identity(2), { mu2: 1, mu4: 0.5 })).toThrow(/options\.mu4/);
    expect(() => energyBarrier(Matrix.identity(2), { mu2: -1 })).toThrow(InvalidArgumentError);
  });
});

describe('energyBarrierCertificate', () => {
  const d = 5;
  const teacher = sampleTeacher(12, d, createRng(11));
  const barrier = 2 * sigmaMin2(teacher) ** 2;

  it('a rotated teacher W = R W* has zero risk and is below the barrier', () => {
    const w = gemm(orthogonal(12, 3), teacher);
    const c = energyBarrierCertificate(w, teacher);
    expectClose(c.barrier, barrier, { rel: 1e-10 });
    expect(c.populationRisk).toBeLessThan(1e-20 * barrier + 1e-18);
    expect(c.belowBarrier).toBe(true);
  });

  it('rank-deficient students are above the barrier (seeded, Gaussian and two non-Gaussian moment pairs)', () => {
    const rng = createRng(12);
    for (let trial = 0; trial < 20; trial++) {
      const r = 1 + (trial % (d - 1)); // rank 1 … d−1
      const w = gemm(gaussianMatrix(12, r, rng, trial < 10 ? 1 : 3), gaussianMatrix(r, d, rng));
      for (const moments of [{}, { mu2: 1, mu4: 2 }, { mu2: 0.5, mu4: 4 }]) {
        const c = energyBarrierCertificate(w, teacher, moments);
        expect(c.populationRisk).toBeGreaterThanOrEqual(c.barrier);
        expect(c.belowBarrier).toBe(false);
        expectClose(c.populationRisk, quadraticPopulationRisk(w, teacher, moments), { rel: 1e-14 });
      }
    }
  });

  it('the bound is nearly tight: removing the weakest direction of W* costs 3σ_min⁴ (≥ 2σ_min⁴)', () => {
    // W = W*(I − uuᵀ), u the right singular vector of σ_min: Δ = −σ² uuᵀ, L = 2σ⁴ + σ⁴.
    const g = gemm(teacher, teacher, { transA: true });
    const u = eigh(g).vectors.column(0);
    const p = Matrix.identity(d);
    for (let k = 0; k < d; k++) for (let l = 0; l < d; l++) p.set(k, l, p.get(k, l) - u[k]! * u[l]!);
    const w = gemm(teacher, p);
    const c = energyBarrierCertificate(w, teacher);
    expectClose(c.populationRisk, 1.5 * c.barrier, { rel: 1e-6 });
    expect(c.belowBarrier).toBe(false);
  });

  it('checks shapes', () => {
    expect(() => energyBarrierCertificate(Matrix.zeros(2, 3), Matrix.identity(2))).toThrow(ShapeError);
    expect(() => energyBarrierCertificate(Matrix.zeros(2, 2), Matrix.identity(2), { signs: Float64Array.of(1) })).toThrow(ShapeError);
  });
});

describe('identityInitializationCheck', () => {
  it('uses W₀ = √m [I; 0] and the Gaussian population risk', () => {
    const teacher = sampleTeacher(9, 3, createRng(4));
    for (const m of [3, 9, 20]) {
      const c = identityInitializationCheck(teacher, m);
      expectClose(c.initialRisk, quadraticPopulationRisk(identityInit(m, 3), teacher), { rel: 1e-14 });
      expectClose(c.barrier, 2 * sigmaMin2(teacher) ** 2, { rel: 1e-10 });
      expect(c.belowBarrier).toBe(c.initialRisk < c.barrier);
      expect([c.m, c.d]).toEqual([m, 3]);
    }
    expect(identityInitializationCheck(teacher).m).toBe(9);
  });
  it('Gaussian teacher with d = 5: above the barrier at m = d², below at m = 4d² (the mathematics guide, §1.2, seeded)', () => {
    const d = 5;
    expect(identityInitializationCheck(sampleTeacher(d * d, d, createRng(21))).belowBarrier).toBe(false);
    expect(identityInitializationCheck(sampleTeacher(4 * d * d, d, createRng(21))).belowBarrier).toBe(true);
  });
  it('rejects m < d', () => {
    expect(() => identityInitializationCheck(Matrix.identity(3), 2)).toThrow(/invalid m: 2/);
    expect(() => identityInitializationCheck(Matrix.identity(3), 3.5)).toThrow(InvalidArgumentError);
  });
});
