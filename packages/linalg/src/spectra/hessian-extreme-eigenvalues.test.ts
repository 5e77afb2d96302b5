import { describe, expect, it } from 'vitest';
import { expectClose } from '@shallowscape/test-utils';
import { eigh } from '../decompositions/eigh';
import type { Matrix } from '../matrix';
import { AbortedError } from '../errors';
import { createRng, randomSymmetric } from '../rng';
import { abortingOperator } from '../testing/aborting-operator';
import { denseOperator, euclideanNorm } from '../testing/dense-operator';
import { hessianExtremeEigenvalues } from './hessian-extreme-eigenvalues';

/** max |λ| of a symmetric matrix, by dense eigh: the scale of the tolerances. */
const spectralNorm = (a: Matrix): number => {
  const { values } = eigh(a, { vectors: false });
  return Math.max(Math.abs(values[0]!), Math.abs(values[values.length - 1]!));
};

describe('hessianExtremeEigenvalues', () => {
  it('finds λ_min and λ_max of dense random symmetric matrices (n = 50, 120, 200; seeded) to 1e-8‖H‖, residuals explicit', () => {
    for (const [n, seed] of [
      [50, 1],
      [120, 2],
      [200, 3],
    ] as const) {
      const a = randomSymmetric(n, createRng(seed));
      const hvp = denseOperator(a);
      const exact = eigh(a, { vectors: false }).values;
      const scale = spectralNorm(a);
      const r = hessianExtremeEigenvalues(hvp, n, { rng: createRng(seed + 100) });
      expect(r.converged).toBe(true);
      // Tolerance: the run stops at residual ≤ 1e-8 max|θ|; the eigenvalue error is at most the residual.
      expectClose(r.min, exact[0]!, { abs: 1e-8 * scale }, `λ_min n=${n}`);
      expectClose(r.max, exact[n - 1]!, { abs: 1e-8 * scale }, `λ_max n=${n}`);
      for (const [theta, v, res] of [
        [r.min, r.vectorMin, r.residualMin],
        [r.max, r.vectorMax, r.residualMax],
      ] as const) {
        const hv = hvp(v, new Float64Array(n));
        expectClose(res, euclideanNorm(hv.map((x, i) => x - theta * v[i]!)), { abs: 1e-12 * scale });
        expect(res).toBeLessThanOrEqual(1e-8 * scale);
      }
    }
  });

  it('reports non-convergence at maxSteps, and validates options', () => {
    const a = randomSymmetric(200, createRng(4));
    const r = hessianExtremeEigenvalues(denseOperator(a), 200, { rng: createRng(5), maxSteps: 4, tolerance: 1e-14 });
    expect([r.converged, r.steps]).toEqual([false, 4]);
    expect(() => hessianExtremeEigenvalues(denseOperator(a), 200, { rng: createRng(5), tolerance: -1 })).toThrow(/options\.tolerance/);
    expect(() => hessianExtremeEigenvalues(denseOperator(a), 200, { rng: createRng(5), maxSteps: 0 })).toThrow(/options\.maxSteps/);
  });
});

describe('hessianExtremeEigenvalues with a signal', () => {
  it('throws AbortedError at the step after the abort', () => {
    const controller = new AbortController();
    const op = abortingOperator(Float64Array.from({ length: 80 }, (_, i) => Math.sin(i)), controller, 6);
    expect(() => hessianExtremeEigenvalues(op.hvp, 80, { rng: createRng(1), signal: controller.signal })).toThrow(AbortedError);
    expect(op.products()).toBe(6);
  });
});
