import { describe, expect, it } from 'vitest';
import { expectClose } from '@shallowscape/test-utils';
import { AbortedError, InvalidArgumentError, NonFiniteError } from '../errors';
import { eigh } from '../decompositions/eigh';
import type { Matrix } from '../matrix';
import { createRng, randomSymmetric, type Rng } from '../rng';
import { abortingOperator } from '../testing/aborting-operator';
import { denseOperator, euclideanNorm } from '../testing/dense-operator';
import { lanczos } from './lanczos';
import { lanczosKernel } from './lanczos-kernel';

/** max |λ| of a symmetric matrix, by dense eigh: the scale of the tolerances. */
const spectralNorm = (a: Matrix): number => {
  const { values } = eigh(a, { vectors: false });
  return Math.max(Math.abs(values[0]!), Math.abs(values[values.length - 1]!));
};

describe('lanczos', () => {
  it('Ritz residuals β_k|s_kj| equal ‖Hy − θy‖ computed explicitly; the basis spans T = QᵀHQ (n = 60, k = 25; seeded)', () => {
    const a = randomSymmetric(60, createRng(5));
    const hvp = denseOperator(a);
    const r = lanczos(hvp, 60, { steps: 25, rng: createRng(6), vectors: true });
    expect(r.steps).toBe(25);
    expect(r.invariant).toBe(false);
    const y = r.ritzVectors!;
    const scale = spectralNorm(a);
    for (let j = 0; j < 25; j++) {
      const v = y.column(j);
      expectClose(euclideanNorm(v), 1, { abs: 1e-12 }, `‖y_${j}‖`);
      const hv = hvp(v, new Float64Array(60));
      const res = euclideanNorm(hv.map((x, i) => x - r.ritzValues[j]! * v[i]!));
      // Equal to working precision (both are O(‖H‖) quantities): |Δ| ≤ 1e-12 ‖H‖.
      expectClose(r.residuals[j]!, res, { abs: 1e-12 * scale }, `residual ${j}`);
    }
    // Ritz vectors are orthonormal.
    for (let i = 0; i < 25; i++) {
      for (let j = 0; j < i; j++) {
        const c = y.column(i).reduce((s, x, l) => s + x * y.column(j)[l]!, 0);
        expect(Math.abs(c)).toBeLessThan(1e-12);
      }
    }
    // Kahan–Parlett: an eigenvalue of H within each residual of each Ritz value.
    const exact = eigh(a, { vectors: false }).values;
    for (let j = 0; j < 25; j++) {
      const gap = Math.min(...Array.from(exact, (l) => Math.abs(l - r.ritzValues[j]!)));
      expect(gap).toBeLessThanOrEqual(r.residuals[j]! + 1e-12 * scale);
    }
  });

  it('matches eigh exactly when run to k = n, and the extreme Ritz values converge first', () => {
    const a = randomSymmetric(40, createRng(7));
    const full = lanczos(denseOperator(a), 40, { steps: 40, rng: createRng(8) });
    const exact = eigh(a, { vectors: false }).values;
    const scale = spectralNorm(a);
    // Full reorthogonalisation: all 40 eigenvalues to 1e-12 ‖H‖.
    full.ritzValues.forEach((t, j) => expectClose(t, exact[j]!, { abs: 1e-12 * scale }, `θ_${j}`));
    const partial = lanczos(denseOperator(a), 40, { steps: 20, rng: createRng(8) });
    // Interlacing (Cauchy): θ_min ≥ λ_min and θ_max ≤ λ_max.
    expect(partial.ritzValues[0]!).toBeGreaterThanOrEqual(exact[0]! - 1e-12 * scale);
    expect(partial.ritzValues[19]!).toBeLessThanOrEqual(exact[39]! + 1e-12 * scale);
  });

  it('stops early on an invariant Krylov space (3 distinct eigenvalues ⇒ 3 steps, zero residuals)', () => {
    const d = [2, 2, 5, 5, 5, -1, -1, 2];
    const r = lanczos((v, out) => out.map((_, i) => d[i]! * v[i]!), 8, { steps: 8, rng: createRng(9) });
    expect([r.steps, r.invariant]).toEqual([3, true]);
    r.ritzValues.forEach((t, j) => expectClose(t, [-1, 2, 5][j]!, { abs: 1e-13 }));
    r.residuals.forEach((res) => expect(res).toBeLessThan(1e-13));
  });

  it('without reorthogonalisation it follows the same recurrence for the first steps; a returned array is accepted', () => {
    const a = randomSymmetric(30, createRng(10));
    const mul = denseOperator(a);
    const with_ = lanczos(mul, 30, { steps: 5, rng: createRng(11) });
    const plain = lanczos((v) => mul(v, new Float64Array(30)), 30, { steps: 5, rng: createRng(11), reorthogonalize: false });
    for (let j = 0; j < 5; j++) {
      expectClose(plain.alpha[j]!, with_.alpha[j]!, { abs: 1e-12 });
      expectClose(plain.beta[j]!, with_.beta[j]!, { abs: 1e-12 });
    }
  });

  it('validates its inputs, naming the argument', () => {
    const hvp = (v: Float64Array, out: Float64Array): Float64Array => out.set(v) ?? out;
    expect(() => lanczos(null as never, 3, { steps: 2, rng: createRng(1) })).toThrow(/hvp/);
    expect(() => lanczos(hvp, 0, { steps: 2, rng: createRng(1) })).toThrow(/\bn\b/);
    expect(() => lanczos(hvp, 3, { steps: 0, rng: createRng(1) })).toThrow(/options\.steps/);
    expect(() => lanczos(hvp, 3, { steps: 2 })).toThrow(/options\.rng/);
    expect(() => lanczos(hvp, 3, { steps: 2, rng: {} as Rng })).toThrow(/options\.rng/);
    expect(() => lanczos(hvp, 3, { steps: 2, start: new Float64Array(2) })).toThrow(/options\.start/);
    expect(() => lanczos(hvp, 3, { steps: 2, start: new Float64Array(3) })).toThrow(/options\.start/);
    expect(() => lanczos(hvp, 3, { steps: 2, rng: createRng(1), reorthogonalize: 1 as never })).toThrow(InvalidArgumentError);
    expect(() => lanczos((v, out) => out.fill(Number.NaN), 3, { steps: 2, rng: createRng(1) })).toThrow(NonFiniteError);
  });
});

describe('lanczosKernel', () => {
  const n = 40;
  const d = Float64Array.from({ length: n }, (_, i) => (i === 17 ? -3 : 1 + (i % 3)));
  const diag = (v: Float64Array, out: Float64Array): Float64Array => out.map((_, i) => d[i]! * v[i]!);
  const unit = (i: number): Float64Array => {
    const e = new Float64Array(n);
    e[i] = 1;
    return e;
  };

  it('restarts after an invariant subspace reached from a user start (e₀ hides λ = −3), not from a random one', () => {
    const noRestart = lanczosKernel(diag, n, unit(0), { maxSteps: n, reorthogonalize: true, vectors: 'none', randomStart: false });
    expect([noRestart.steps, noRestart.invariant, noRestart.ritzValues[0]]).toEqual([1, true, 1]);
    const restarted = lanczosKernel(diag, n, unit(0), {
      maxSteps: n,
      reorthogonalize: true,
      vectors: 'extremes',
      tolerance: 1e-10,
      target: 'min',
      randomStart: false,
      restart: createRng(3),
    });
    expectClose(restarted.ritzValues[0]!, -3, { abs: 1e-12 });
    expect(restarted.beta[0]).toBe(0); // the restart decouples T
    expect(restarted.converged).toBe(true);
    expectClose(Math.abs(restarted.ritzVectors!.column(0)[17]!), 1, { abs: 1e-10 });
  });

  it("stops on the target's residual: 'min' needs fewer steps than 'extremes' when the bottom is well separated", () => {
    const a = randomSymmetric(150, createRng(31));
    // Shift one eigenvalue far below the rest: H = A − 40 u uᵀ for a random unit u.
    const u = createRng(32).fillNormal(new Float64Array(150));
    const un = euclideanNorm(u);
    u.forEach((x, i) => (u[i] = x / un));
    const base = denseOperator(a);
    const hvp = (v: Float64Array, out: Float64Array): Float64Array => {
      base(v, out);
      const c = 40 * u.reduce((s, x, i) => s + x * v[i]!, 0);
      for (let i = 0; i < 150; i++) out[i]! -= c * u[i]!;
      return out;
    };
    const q = createRng(33).fillNormal(new Float64Array(150));
    const qn = euclideanNorm(q);
    const start = (): Float64Array => q.map((x) => x / qn);
    const common = { maxSteps: 150, reorthogonalize: true, vectors: 'extremes' as const, tolerance: 1e-8, randomStart: true };
    const min = lanczosKernel(hvp, 150, start(), { ...common, target: 'min' });
    const both = lanczosKernel(hvp, 150, start(), { ...common, target: 'extremes' });
    expect(min.converged && both.converged).toBe(true);
    expect(min.steps).toBeLessThan(both.steps);
    const scale = Math.max(Math.abs(min.ritzValues[0]!), Math.abs(min.ritzValues[min.steps - 1]!));
    expect(min.residuals[0]!).toBeLessThanOrEqual(1e-8 * scale);
    // The 'extremes' Ritz vectors are the columns (θ_min, θ_max).
    const y = both.ritzVectors!;
    expect([y.rows, y.cols]).toEqual([150, 2]);
    const top = y.column(1);
    const hv = hvp(top, new Float64Array(150));
    expectClose(euclideanNorm(hv.map((x, i) => x - both.ritzValues[both.steps - 1]! * top[i]!)), both.residuals[both.steps - 1]!, { abs: 1e-12 * 60 });
  });
});

describe('lanczos with a signal', () => {
  const d = Float64Array.from({ length: 50 }, (_, i) => i + 1);

  it('stops at the next step once the signal is aborted, with an AbortedError (E_ABORTED)', () => {
    const controller = new AbortController();
    const op = abortingOperator(d, controller, 3);
    const error = (() => {
      try {
        lanczos(op.hvp, 50, { steps: 50, rng: createRng(1), signal: controller.signal });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).code).toBe('E_ABORTED');
    expect(op.products()).toBe(3);
  });

  it('an aborted signal stops the run before the first product; a live one changes nothing', () => {
    const controller = new AbortController();
    controller.abort();
    let products = 0;
    const hvp = (v: Float64Array, out: Float64Array): void => {
      products++;
      out.set(v);
    };
    expect(() => lanczos(hvp, 5, { steps: 5, rng: createRng(1), signal: controller.signal })).toThrow(AbortedError);
    expect(products).toBe(0);
    const live = lanczos(denseOperator(randomSymmetric(20, createRng(2))), 20, { steps: 10, rng: createRng(3), signal: new AbortController().signal });
    const plain = lanczos(denseOperator(randomSymmetric(20, createRng(2))), 20, { steps: 10, rng: createRng(3) });
    expect(Array.from(live.ritzValues)).toEqual(Array.from(plain.ritzValues));
    expect(() => lanczos(hvp, 5, { steps: 5, rng: createRng(1), signal: 'stop' as never })).toThrow(/options\.signal/);
  });
});
