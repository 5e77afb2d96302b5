import { describe, expect, it } from 'vitest';
import { expectClose } from '@shallowscape/test-utils';
import { AbortedError } from '../errors';
import { createRng, randomSymmetric } from '../rng';
import { abortingOperator } from '../testing/aborting-operator';
import { denseOperator } from '../testing/dense-operator';
import { hutchinsonTrace } from './hutchinson-trace';

describe('hutchinsonTrace', () => {
  it('is exact on diagonal matrices with Rademacher probes (standard error 0)', () => {
    const d = Float64Array.from({ length: 17 }, (_, i) => Math.sin(i + 1) * 3);
    const r = hutchinsonTrace((v, out) => out.map((_, i) => d[i]! * v[i]!), 17, { probes: 7, rng: createRng(1) });
    expectClose(r.estimate, d.reduce((s, x) => s + x, 0), { abs: 1e-12 });
    expect(r.standardError).toBeLessThan(1e-13);
  });

  it('is unbiased with the predicted variance 2Σ_{i≠j}H_ij²/m (Monte Carlo, n = 30, m = 4000, seeded)', () => {
    const a = randomSymmetric(30, createRng(2));
    let trace = 0;
    let offDiagonal = 0;
    for (let i = 0; i < 30; i++) {
      trace += a.data[i * 30 + i]!;
      for (let j = 0; j < 30; j++) if (i !== j) offDiagonal += a.data[i * 30 + j]! ** 2;
    }
    const m = 4000;
    const r = hutchinsonTrace(denseOperator(a), 30, { probes: m, rng: createRng(3) });
    const predicted = Math.sqrt((2 * offDiagonal) / m);
    // The standard error estimates the true one within 10% at m = 4000 (its own relative s.d. is about 1/√(2m)·√κ ≈ 2%).
    expectClose(r.standardError, predicted, { rel: 0.1 });
    // |estimate − tr H| within 4 standard errors (a 6e-5 two-sided chance for a Gaussian).
    expect(Math.abs(r.estimate - trace)).toBeLessThan(4 * predicted);
    // Unbiasedness over independent repetitions: the mean of 200 estimates with m = 20 is within 4 s.e.
    const rng = createRng(4);
    let sum = 0;
    for (let rep = 0; rep < 200; rep++) sum += hutchinsonTrace(denseOperator(a), 30, { probes: 20, rng }).estimate;
    expect(Math.abs(sum / 200 - trace)).toBeLessThan(4 * Math.sqrt((2 * offDiagonal) / (20 * 200)));
  });

  it('validates probes ≥ 2 and the generator', () => {
    const hvp = (v: Float64Array, out: Float64Array): Float64Array => out.set(v) ?? out;
    expect(() => hutchinsonTrace(hvp, 3, { probes: 1, rng: createRng(1) })).toThrow(/options\.probes/);
    expect(() => hutchinsonTrace(hvp, 3, { probes: 4, rng: null as never })).toThrow(/options\.rng/);
  });
});

describe('hutchinsonTrace with a signal', () => {
  it('throws AbortedError at the probe after the abort', () => {
    const controller = new AbortController();
    const op = abortingOperator([1, 2, 3], controller, 5);
    expect(() => hutchinsonTrace(op.hvp, 3, { probes: 100, rng: createRng(1), signal: controller.signal })).toThrow(AbortedError);
    expect(op.products()).toBe(5);
  });
});
