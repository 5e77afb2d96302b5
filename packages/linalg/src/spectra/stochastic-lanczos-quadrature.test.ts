import { describe, expect, it } from 'vitest';
import { expectClose } from '@shallowscape/test-utils';
import { AbortedError, NonFiniteError } from '../errors';
import { eigh } from '../decompositions/eigh';
import type { Matrix } from '../matrix';
import { createRng, randomSymmetric } from '../rng';
import { abortingOperator } from '../testing/aborting-operator';
import { denseOperator } from '../testing/dense-operator';
import { spectralDensity } from './spectral-density';
import { stochasticLanczosQuadrature } from './stochastic-lanczos-quadrature';

/** max |λ| of a symmetric matrix, by dense eigh: the scale of the tolerances. */
const spectralNorm = (a: Matrix): number => {
  const { values } = eigh(a, { vectors: false });
  return Math.max(Math.abs(values[0]!), Math.abs(values[values.length - 1]!));
};

describe('stochasticLanczosQuadrature and spectralDensity', () => {
  const n = 50;
  const a = randomSymmetric(n, createRng(21));
  /** zᵀH^p z / n for p = 0..pMax, by repeated dense products. */
  const momentsOf = (z: Float64Array, pMax: number): number[] => {
    const out: number[] = [];
    let v: Float64Array = z.slice();
    for (let p = 0; p <= pMax; p++) {
      out.push(v.reduce((s, x, i) => s + x * z[i]!, 0) / n);
      v = denseOperator(a)(v, new Float64Array(n));
    }
    return out;
  };

  it('per probe: the weights sum to 1 and Σ τ²θ^p = zᵀH^p z/n for p < 2k (Gauss quadrature), k = 6', () => {
    const k = 6;
    const probes = 5;
    const rng = createRng(22);
    const replay = rng.clone();
    const slq = stochasticLanczosQuadrature(denseOperator(a), n, { probes, steps: k, rng });
    expect(slq.probeOffsets.length).toBe(probes + 1);
    const scale = spectralNorm(a);
    for (let l = 0; l < probes; l++) {
      const z = Float64Array.from({ length: n }, () => replay.rademacher());
      const exact = momentsOf(z, 2 * k - 1);
      const from = slq.probeOffsets[l]!;
      const to = slq.probeOffsets[l + 1]!;
      expect(to - from).toBe(k);
      for (let p = 0; p < 2 * k; p++) {
        let s = 0;
        for (let i = from; i < to; i++) s += probes * slq.weights[i]! * slq.nodes[i]! ** p;
        // Relative to the scale ‖H‖^p of the moment: 1e-11.
        expectClose(s, exact[p]!, { abs: 1e-11 * scale ** p }, `probe ${l}, moment ${p}`);
      }
      // The 2k-th moment is not matched in general (Gauss quadrature has degree 2k − 1).
      let s2k = 0;
      for (let i = from; i < to; i++) s2k += probes * slq.weights[i]! * slq.nodes[i]! ** (2 * k);
      expect(Math.abs(s2k - momentsOf(z, 2 * k)[2 * k]!)).toBeGreaterThan(1e-6 * scale ** (2 * k));
    }
  });

  it('averaged over probes, Σ wθ^p estimates tr(H^p)/n (dense eigh) within 4 standard errors (p = 1…4, 400 probes)', () => {
    const probes = 400;
    const slq = stochasticLanczosQuadrature(denseOperator(a), n, { probes, steps: 4, rng: createRng(23) });
    expectClose(slq.weights.reduce((s, w) => s + w, 0), 1, { abs: 1e-12 });
    const lambda = eigh(a, { vectors: false }).values;
    for (let p = 1; p <= 4; p++) {
      const perProbe: number[] = [];
      for (let l = 0; l < probes; l++) {
        let s = 0;
        for (let i = slq.probeOffsets[l]!; i < slq.probeOffsets[l + 1]!; i++) s += probes * slq.weights[i]! * slq.nodes[i]! ** p;
        perProbe.push(s);
      }
      const mean = perProbe.reduce((s, x) => s + x, 0) / probes;
      const sd = Math.sqrt(perProbe.reduce((s, x) => s + (x - mean) ** 2, 0) / (probes - 1));
      const exact = lambda.reduce((s, x) => s + x ** p, 0) / n;
      expect(Math.abs(mean - exact)).toBeLessThan(4 * (sd / Math.sqrt(probes)) + 1e-12);
    }
  });

  it('the smoothed density integrates to 1 and matches the same smoothing of the exact eigenvalues (n = 300, 60 probes × 40 steps: within 10% of the peak)', () => {
    const big = 300;
    const w = randomSymmetric(big, createRng(24));
    const { values } = eigh(w, { vectors: false });
    const slq = stochasticLanczosQuadrature(denseOperator(w), big, { probes: 60, steps: 40, rng: createRng(25) });
    const sigma = (values[big - 1]! - values[0]!) / 40;
    // The grid reaches 8σ beyond the spectrum, so the Gaussian tails outside hold < 1e-15.
    const lo = values[0]! - 8 * sigma;
    const hi = values[big - 1]! + 8 * sigma;
    const grid = Float64Array.from({ length: 2001 }, (_, i) => lo + ((hi - lo) * i) / 2000);
    const rho = spectralDensity(slq.nodes, slq.weights, grid, sigma);
    const h = (hi - lo) / 2000;
    let integral = 0;
    for (let i = 0; i < grid.length; i++) integral += (i === 0 || i === grid.length - 1 ? 0.5 : 1) * rho[i]!;
    expectClose(integral * h, 1, { abs: 1e-9 });
    // Against the same Gaussian smoothing of the exact eigenvalues: max difference ≤ 10% of the peak.
    const exact = spectralDensity(values, new Float64Array(big).fill(1 / big), grid, sigma);
    const peak = Math.max(...exact);
    let diff = 0;
    for (let i = 0; i < grid.length; i++) diff = Math.max(diff, Math.abs(rho[i]! - exact[i]!));
    expect(diff).toBeLessThan(0.1 * peak);
  });

  it('validates its inputs', () => {
    const hvp = (v: Float64Array, out: Float64Array): Float64Array => out.set(v) ?? out;
    expect(() => stochasticLanczosQuadrature(hvp, 3, { probes: 0, steps: 2, rng: createRng(1) })).toThrow(/options\.probes/);
    expect(() => stochasticLanczosQuadrature(hvp, 3, { probes: 2, steps: 0, rng: createRng(1) })).toThrow(/options\.steps/);
    expect(() => stochasticLanczosQuadrature(hvp, 3, { probes: 2, steps: 2, rng: 3 as never })).toThrow(/options\.rng/);
    const x = Float64Array.of(0);
    expect(() => spectralDensity(x, Float64Array.of(1, 2), x, 1)).toThrow(/weights/);
    expect(() => spectralDensity(x, Float64Array.of(-1), x, 1)).toThrow(/weights/);
    expect(() => spectralDensity(x, Float64Array.of(1), x, 0)).toThrow(/bandwidth/);
    expect(() => spectralDensity(x, Float64Array.of(1), [0] as never, 1)).toThrow(/grid/);
    expect(() => spectralDensity(Float64Array.of(Number.NaN), Float64Array.of(1), x, 1)).toThrow(NonFiniteError);
  });
});

describe('stochasticLanczosQuadrature with a signal', () => {
  it('throws AbortedError at the Lanczos step after the abort', () => {
    const controller = new AbortController();
    const op = abortingOperator(Float64Array.from({ length: 30 }, (_, i) => i), controller, 7);
    expect(() => stochasticLanczosQuadrature(op.hvp, 30, { probes: 10, steps: 5, rng: createRng(1), signal: controller.signal })).toThrow(AbortedError);
    expect(op.products()).toBe(7);
  });
});
