import { describe, expect, it } from 'vitest';
import { countdownSignal } from '@shallowscape/test-utils';
import { AbortedError, Matrix, createRng, eigvalsh, gaussianMatrix, syrk } from '@shallowscape/linalg';
import { goeMatrix, wishartMatrix } from '@shallowscape/rmt';
import { certify } from './certification';
import { FloatOverflowError } from './float-overflow-error';
import { evaluateQuadratic } from './quadratic-evaluation';
import { quadraticProblem } from './quadratic-problem';
import { DEFAULT_QUADRATIC_TRAINING } from './quadratic-training-config';
import { certificationCost, quadraticTrainingCost, spectrumCost, twoLayerTrainingCost } from './run-cost';
import { computeSpectrum, type SpectrumConfig } from './spectrum';

describe('evaluateQuadratic', () => {
  it('matches the closed forms: risk by loops, population risk 2‖Δ‖² + (tr Δ)²', () => {
    const rng = createRng(5);
    const w = gaussianMatrix(3, 2, rng);
    const teacher = gaussianMatrix(2, 2, rng);
    const x = gaussianMatrix(6, 2, rng);
    const y = rng.fillNormal(new Float64Array(6));
    const r = evaluateQuadratic(w, x, y, { teacher });
    let risk = 0;
    for (let i = 0; i < 6; i++) {
      let f = 0;
      for (let j = 0; j < 3; j++) f += (w.get(j, 0) * x.get(i, 0) + w.get(j, 1) * x.get(i, 1)) ** 2;
      risk += (f - y[i]!) ** 2 / 6;
    }
    expect(r.empiricalRisk).toBeCloseTo(risk, 12);
    const gram = (a: Matrix, k: number, l: number): number => Array.from({ length: a.rows }, (_, j) => a.get(j, k) * a.get(j, l)).reduce((s, v) => s + v, 0);
    const delta = [0, 1].map((k) => [0, 1].map((l) => gram(w, k, l) - gram(teacher, k, l)));
    const frob = delta.flat().reduce((s, v) => s + v * v, 0);
    expect(r.populationRisk!).toBeCloseTo(2 * frob + (delta[0]![0]! + delta[1]![1]!) ** 2, 10);
  });

  it('names the inputs when finite values overflow float64 (weights of 1e200, labels of 1e300)', () => {
    const x = Matrix.from([[1, 0], [0, 1]]);
    const huge = () => evaluateQuadratic(Matrix.from([[1e200, 0]]), x, Float64Array.of(1, 1));
    expect(huge).toThrow(FloatOverflowError);
    expect(huge).toThrow(/the values of weights, inputs, labels overflow float64 arithmetic/);
    expect(() => evaluateQuadratic(Matrix.identity(2), x, Float64Array.of(1e300, 1))).toThrow(FloatOverflowError);
    expect(() => certify({ w: Matrix.from([[1e200, 0]]), x, y: Float64Array.of(1, 1) })).toThrow(FloatOverflowError);
  });
});

describe('computeSpectrum', () => {
  const base: SpectrumConfig = { source: 'wishart', weights: null, m: 60, d: 20, seed: 4, normalize: null, wasserstein1Law: 'marchenko-pastur', bins: 20 };

  it('takes the eigenvalues of the seeded Wishart or GOE matrix, or of WᵀW for given weights', () => {
    expect(computeSpectrum(base).eigenvalues).toEqual(eigvalsh(wishartMatrix(60, 20, createRng(4))));
    expect(computeSpectrum({ ...base, source: 'goe', m: null, wasserstein1Law: 'semicircle' }).eigenvalues).toEqual(eigvalsh(goeMatrix(20, createRng(4))));
    const w = gaussianMatrix(60, 20, createRng(9));
    const given = computeSpectrum({ ...base, source: 'weights', weights: 'W.npy', seed: null, normalize: 'marchenko-pastur' }, w);
    expect(given.eigenvalues).toEqual(eigvalsh(syrk(w, { transpose: true })).map((v) => v / 60));
  });

  it('stops with AbortedError when its signal is aborted, and refuses inconsistent configurations', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => computeSpectrum(base, undefined, { signal: controller.signal })).toThrow(AbortedError);
    // Aborted after the sampling: the eigensolver sees it at its next column, not at its end.
    const late = countdownSignal(1);
    expect(() => computeSpectrum(base, undefined, { signal: late.signal })).toThrow(AbortedError);
    expect(late.polls()).toBe(2);
    expect(() => computeSpectrum({ ...base, normalize: 'marchenko-pastur', m: 10 })).toThrow(/invalid normalize/);
    expect(() => computeSpectrum({ ...base, source: 'weights' })).toThrow(/invalid weights/);
  });
});

describe('run costs', () => {
  it('count the arrays a run actually allocates (its largest array and at least their bytes)', () => {
    const config = { ...DEFAULT_QUADRATIC_TRAINING, d: 7, m: 9, n: 50, teacherWidth: 8 };
    const problem = quadraticProblem(config);
    const arrays = [problem.x.data, problem.y, problem.teacher!.data, problem.w0.data];
    const cost = quadraticTrainingCost({ ...config, teacherWidth: 8 });
    expect(cost.largestArray).toBe(Math.max(...arrays.map((a) => a.length)));
    expect(cost.bytes).toBeGreaterThanOrEqual(arrays.reduce((s, a) => s + a.byteLength, 0));
    expect(twoLayerTrainingCost({ d: 10, m: 100, n: 1e6, teacherWidth: 0, steps: 1 }).largestArray).toBe(1e7);
    expect(spectrumCost({ m: 4000, d: 200 }).largestArray).toBe(800000);
    // The lifted design Φ is N × d(d+1)/2.
    expect(certificationCost({ d: 50, m: 100, n: 10000 }).largestArray).toBe(10000 * 1275);
  });
});
