import { describe, expect, it } from 'vitest';
import { expectClose } from '@shallowscape/test-utils';
import { eigvalsh } from '../decompositions/eigh';
import { AbortedError, InvalidArgumentError } from '../errors';
import { gemv } from '../kernels/gemv';
import type { Matrix } from '../matrix';
import { createRng, randomSymmetric } from '../rng';
import { abortingOperator } from '../testing/aborting-operator';
import { euclideanNorm as norm } from '../testing/dense-operator';
import { lanczosMinEigenvalue } from './lanczos-min-eigenvalue';

function matrixOperator(a: Matrix): (v: Float64Array, out: Float64Array) => void {
  return (v, out) => {
    out.set(gemv(a, v));
  };
}

describe('lanczosMinEigenvalue', () => {
  it('matches eigvalsh on seeded symmetric matrices (n = 5, 40, 120; rel 1e-9) with a small residual', () => {
    for (const n of [5, 40, 120]) {
      const a = randomSymmetric(n, createRng(n));
      const exact = eigvalsh(a);
      const r = lanczosMinEigenvalue(matrixOperator(a), n);
      const scale = Math.max(Math.abs(exact[0]!), Math.abs(exact[n - 1]!));
      expectClose(r.value, exact[0]!, { abs: 1e-9 * scale }, `λ_min, n = ${n}`);
      expect(r.residual).toBeLessThan(1e-7 * scale);
      expect(r.converged).toBe(true);
      expectClose(norm(r.vector), 1, { rel: 1e-12 });
      // residual is what it says: ‖Av − θv‖
      const av = gemv(a, r.vector);
      let res = 0;
      for (let i = 0; i < n; i++) res += (av[i]! - r.value * r.vector[i]!) ** 2;
      expectClose(r.residual, Math.sqrt(res), { rel: 1e-6, abs: 1e-14 * scale });
    }
  });

  it('restarts after an invariant subspace: diag(1, …, 1, −3) has a 2-dimensional Krylov space', () => {
    const n = 50;
    const diag = new Float64Array(n).fill(1);
    diag[17] = -3;
    const r = lanczosMinEigenvalue((v, out) => {
      for (let i = 0; i < n; i++) out[i] = diag[i]! * v[i]!;
    }, n);
    expectClose(r.value, -3, { abs: 1e-12 });
    expectClose(Math.abs(r.vector[17]!), 1, { abs: 1e-10 });
    // A start orthogonal to e₁₇ spans an invariant subspace at once; the restart still finds −3.
    const start = new Float64Array(n);
    start[0] = 1;
    const hidden = lanczosMinEigenvalue((v, out) => {
      for (let i = 0; i < n; i++) out[i] = diag[i]! * v[i]!;
    }, n, { start });
    expectClose(hidden.value, -3, { abs: 1e-12 });
    expect(hidden.iterations).toBeGreaterThan(1);
  });

  it('a start orthogonal to the bottom eigenvector does not hide it: H = diag(−1, 1, 2, …, 50), start = (0, 1, …, 1)', () => {
    // The Krylov space of the start lies in e₀^⊥ and its smallest Ritz value converges to 1 (the
    // run from the start alone stops there with a residual of 3e-10); the random block that
    // follows finds λ_min = −1, whose eigenvector e₀ is orthogonal to the first block.
    const d = [-1, ...Array.from({ length: 50 }, (_, i) => i + 1)];
    const n = d.length;
    const hvp = (v: Float64Array, out: Float64Array): void => {
      for (let i = 0; i < n; i++) out[i] = d[i]! * v[i]!;
    };
    const start = new Float64Array(n).fill(1);
    start[0] = 0;
    const r = lanczosMinEigenvalue(hvp, n, { start });
    expectClose(r.value, -1, { abs: 1e-12 });
    expect(r.converged).toBe(true);
    expect(r.residual).toBeLessThan(1e-10 * 50);
    expectClose(Math.abs(r.vector[0]!), 1, { abs: 1e-10 });
    expectClose(r.largestRitzValue, 50, { abs: 1e-8 });
    // Any generator finds it, and a seeded run is reproducible bit for bit.
    for (const seed of [1, 2, 3]) {
      const first = lanczosMinEigenvalue(hvp, n, { start, rng: createRng(seed) });
      const again = lanczosMinEigenvalue(hvp, n, { start, rng: createRng(seed) });
      expectClose(first.value, -1, { abs: 1e-12 }, `seed ${seed}`);
      expect([again.value, again.residual, again.iterations]).toEqual([first.value, first.residual, first.iterations]);
      expect(Array.from(again.vector)).toEqual(Array.from(first.vector));
    }
  });

  it('a start that holds the bottom eigenvector keeps its answer after the random block', () => {
    const a = randomSymmetric(30, createRng(12));
    const exact = eigvalsh(a);
    const guess = lanczosMinEigenvalue(matrixOperator(a), 30, { rng: createRng(13) });
    const warm = lanczosMinEigenvalue(matrixOperator(a), 30, { start: guess.vector });
    const scale = Math.max(Math.abs(exact[0]!), Math.abs(exact[29]!));
    expectClose(warm.value, exact[0]!, { abs: 1e-9 * scale });
    expect(warm.converged).toBe(true);
  });

  it('stops at maxIterations without claiming convergence', () => {
    const a = randomSymmetric(200, createRng(8));
    const r = lanczosMinEigenvalue(matrixOperator(a), 200, { maxIterations: 4, tolerance: 1e-14 });
    expect(r.iterations).toBe(4);
    expect(r.converged).toBe(false);
    expect(r.value).toBeGreaterThanOrEqual(eigvalsh(a)[0]! - 1e-12); // a Ritz value is never below λ_min
  });

  it('validates its arguments', () => {
    expect(() => lanczosMinEigenvalue(null as unknown as () => void, 3)).toThrow(/invalid hvp/);
    expect(() => lanczosMinEigenvalue(() => undefined, 0)).toThrow(/invalid n: 0/);
    expect(() => lanczosMinEigenvalue(() => undefined, 3, { tolerance: -1 })).toThrow(InvalidArgumentError);
    expect(() => lanczosMinEigenvalue(() => undefined, 3, { maxIterations: 0 })).toThrow(/options\.maxIterations/);
    expect(() => lanczosMinEigenvalue(() => undefined, 3, { rng: {} as never })).toThrow(/options\.rng/);
    expect(() => lanczosMinEigenvalue(() => undefined, 3, { start: new Float64Array(3) })).toThrow(/options\.start/);
    expect(() => lanczosMinEigenvalue(() => undefined, 3, { start: new Float64Array(2) })).toThrow(/options\.start/);
  });
});

describe('lanczosMinEigenvalue with a signal', () => {
  it('throws AbortedError at the step after the abort, also in the block that follows a user start', () => {
    const d = [-1, ...Array.from({ length: 50 }, (_, i) => i + 1)];
    const start = new Float64Array(51).fill(1);
    start[0] = 0;
    for (const k of [2, 48]) {
      const controller = new AbortController();
      const op = abortingOperator(d, controller, k);
      expect(() => lanczosMinEigenvalue(op.hvp, 51, { start, signal: controller.signal })).toThrow(AbortedError);
      expect(op.products()).toBe(k);
    }
  });
});
