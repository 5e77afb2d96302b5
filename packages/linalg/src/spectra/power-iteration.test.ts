import { describe, expect, it } from 'vitest';
import { expectClose } from '@shallowscape/test-utils';
import { eigh } from '../decompositions/eigh';
import { AbortedError, InvalidArgumentError, NonFiniteError } from '../errors';
import { Matrix } from '../matrix';
import { createRng, randomSymmetric } from '../rng';
import { abortingOperator } from '../testing/aborting-operator';
import { denseOperator, diagonalOperator, euclideanNorm } from '../testing/dense-operator';
import { powerIteration } from './power-iteration';

describe('powerIteration', () => {
  it('on a diagonal H the estimate is ν_k = ‖H^k s‖/‖H^{k−1} s‖ in closed form (k = 1…8)', () => {
    const d = [0.5, -2, 1.5, 3, -2.5];
    const s = Float64Array.of(1, 0.3, -2, 0.1, 1);
    for (let k = 1; k <= 8; k++) {
      const power = (p: number): number => Math.sqrt(d.reduce((acc, x, i) => acc + x ** (2 * p) * s[i]! ** 2, 0));
      const r = powerIteration(diagonalOperator(d), 5, { start: s, iterations: k });
      expect([r.iterations, r.converged]).toEqual([k, false]);
      // Relative round-off of k normalisations and products: 1e-14.
      expectClose(r.value, power(k) / power(k - 1), { rel: 1e-14 }, `ν_${k}`);
    }
  });

  it('converges to |λ|_max of seeded random symmetric matrices (eigh), the Rayleigh quotient carrying the sign', () => {
    for (const seed of [1, 2, 3]) {
      const a = randomSymmetric(30, createRng(seed));
      const { values } = eigh(a, { vectors: false });
      const top = Math.abs(values[0]!) > Math.abs(values[29]!) ? values[0]! : values[29]!;
      const r = powerIteration(denseOperator(a), 30, { rng: createRng(seed + 10), iterations: 5000, tolerance: 1e-15 });
      // The error of ν after convergence is O(ε‖H‖); the gap |λ₂/λ₁| < 1 makes 5000 steps ample.
      expectClose(r.value, Math.abs(top), { rel: 1e-9 }, `seed ${seed}`);
      expectClose(r.rayleighQuotient, top, { rel: 1e-9 });
      expectClose(euclideanNorm(r.vector), 1, { abs: 1e-14 });
      const av = denseOperator(a)(r.vector, new Float64Array(30));
      expect(euclideanNorm(av.map((x, i) => x - top * r.vector[i]!))).toBeLessThan(1e-4 * Math.abs(top));
    }
  });

  it('with keep, iterates on PHP: |λ|_max of the kept principal submatrix, the others held at zero', () => {
    const n = 12;
    const a = randomSymmetric(n, createRng(4));
    const kept = [0, 2, 3, 7, 8, 11];
    const sub = Matrix.zeros(kept.length, kept.length);
    kept.forEach((i, p) => kept.forEach((j, q) => sub.set(p, q, a.get(i, j))));
    const { values } = eigh(sub, { vectors: false });
    const expected = Math.max(Math.abs(values[0]!), Math.abs(values[kept.length - 1]!));
    // A start with nonzero entries on the dropped coordinates: they are projected out first.
    const start = Float64Array.from({ length: n }, (_, i) => 1 + 0.5 * Math.sin(i + 1));
    const r = powerIteration(denseOperator(a), n, { start, keep: (i) => kept.includes(i), iterations: 5000, tolerance: 1e-15 });
    expectClose(r.value, expected, { rel: 1e-9 });
    for (let i = 0; i < n; i++) if (!kept.includes(i)) expect(r.vector[i]).toBe(0);
    expect(Array.from(start)).toEqual(Array.from({ length: n }, (_, i) => 1 + 0.5 * Math.sin(i + 1))); // not modified
  });

  it('runs exactly `iterations` products by default, fewer with a tolerance; a zero product stops with ν = 0', () => {
    let products = 0;
    const d = [1, 0.99, 0.5];
    const counted = (v: Float64Array, out: Float64Array): Float64Array => {
      products++;
      return out.map((_, i) => d[i]! * v[i]!);
    };
    const fixed = powerIteration(counted, 3, { start: Float64Array.of(1, 1, 1), iterations: 20 });
    expect([products, fixed.iterations, fixed.converged]).toEqual([20, 20, false]);
    products = 0;
    const early = powerIteration(counted, 3, { start: Float64Array.of(1, 1, 1), iterations: 1000, tolerance: 1e-6 });
    expect(early.converged).toBe(true);
    expect(products).toBe(early.iterations);
    expect(early.iterations).toBeLessThan(1000);
    const zero = powerIteration(diagonalOperator([0, 0, 5]), 3, { start: Float64Array.of(1, 1, 0), iterations: 50 });
    expect([zero.value, zero.iterations, zero.converged]).toEqual([0, 1, true]);
  });

  it('is reproducible from a seeded generator', () => {
    const a = randomSymmetric(20, createRng(5));
    const first = powerIteration(denseOperator(a), 20, { rng: createRng(6), iterations: 30 });
    const second = powerIteration(denseOperator(a), 20, { rng: createRng(6), iterations: 30 });
    expect(second.value).toBe(first.value);
    expect(Array.from(second.vector)).toEqual(Array.from(first.vector));
  });

  it('validates its inputs, naming the argument', () => {
    const hvp = diagonalOperator([1, 2, 3]);
    const start = Float64Array.of(1, 1, 1);
    expect(() => powerIteration(null as never, 3, { start })).toThrow(/invalid hvp/);
    expect(() => powerIteration(hvp, 0, { start })).toThrow(/invalid n: 0/);
    expect(() => powerIteration(hvp, 3, null as never)).toThrow(/invalid options/);
    expect(() => powerIteration(hvp, 3, { start, iterations: 0 })).toThrow(/options\.iterations/);
    expect(() => powerIteration(hvp, 3, { start, tolerance: -1 })).toThrow(/options\.tolerance/);
    expect(() => powerIteration(hvp, 3, { start, keep: [true] as never })).toThrow(/options\.keep/);
    expect(() => powerIteration(hvp, 3, {})).toThrow(/options\.rng/);
    expect(() => powerIteration(hvp, 3, { start: new Float64Array(2) })).toThrow(/options\.start/);
    expect(() => powerIteration(hvp, 3, { start: Float64Array.of(0, 1, 0), keep: (i) => i !== 1 })).toThrow(InvalidArgumentError);
    expect(() => powerIteration(hvp, 3, { start: Float64Array.of(1, Number.NaN, 0) })).toThrow(NonFiniteError);
    expect(() => powerIteration((_v, out) => out.fill(Number.POSITIVE_INFINITY), 3, { start })).toThrow(NonFiniteError);
  });
});

describe('powerIteration with a signal', () => {
  it('throws AbortedError at the iteration after the abort; a live signal changes nothing', () => {
    const controller = new AbortController();
    const op = abortingOperator([1, 2, 3], controller, 4);
    expect(() => powerIteration(op.hvp, 3, { start: Float64Array.of(1, 1, 1), iterations: 100, signal: controller.signal })).toThrow(AbortedError);
    expect(op.products()).toBe(4);
    const live = powerIteration(diagonalOperator([1, 2, 3]), 3, { start: Float64Array.of(1, 1, 1), iterations: 10, signal: new AbortController().signal });
    expect(live.value).toBe(powerIteration(diagonalOperator([1, 2, 3]), 3, { start: Float64Array.of(1, 1, 1), iterations: 10 }).value);
    expect(() => powerIteration(diagonalOperator([1]), 1, { start: Float64Array.of(1), signal: {} as never })).toThrow(/options\.signal/);
  });
});
