import { describe, expect, it } from 'vitest';
import { createRng, gaussianMatrix, InvalidArgumentError, Matrix, ShapeError } from '@shallowscape/linalg';
import { expectClose } from '@shallowscape/test-utils';
import { generalizationError } from './generalization-error';
import { quadraticPopulationRisk } from './quadratic-population-risk';
import { balancedSigns } from './signed-quadratic-net';

function frobenius(a: number[][]): number {
  return Math.sqrt(a.flat().reduce((s, v) => s + v * v, 0));
}

function gram(w: Matrix, v?: Float64Array): number[][] {
  const d = w.cols;
  const out = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let j = 0; j < w.rows; j++) for (let k = 0; k < d; k++) for (let l = 0; l < d; l++) out[k]![l]! += (v?.[j] ?? 1) * w.get(j, k) * w.get(j, l);
  return out;
}

describe('generalizationError', () => {
  it('relativeError = ‖WᵀW − W*ᵀW*‖_F / ‖W*ᵀW*‖_F and populationRisk = quadraticPopulationRisk (1e-13 relative)', () => {
    const rng = createRng(41);
    const w = gaussianMatrix(5, 3, rng);
    const t = gaussianMatrix(4, 3, rng);
    const a = gram(w);
    const b = gram(t);
    const diff = a.map((row, k) => row.map((v, l) => v - b[k]![l]!));
    const e = generalizationError(w, t, { mu2: 1, mu4: 1, noiseVariance: 0.1 });
    expectClose(e.relativeError, frobenius(diff) / frobenius(b), { rel: 1e-13 }, 'relativeError');
    expectClose(e.populationRisk, quadraticPopulationRisk(w, t, { mu2: 1, mu4: 1, noiseVariance: 0.1 }), { rel: 1e-13 }, 'populationRisk');
  });

  it('signed: uses Q = Wᵀ diag(v) W and Q* = W*ᵀ diag(v*) W*', () => {
    const rng = createRng(42);
    const w = gaussianMatrix(6, 3, rng);
    const t = gaussianMatrix(6, 3, rng);
    const v = balancedSigns(6);
    const a = gram(w, v);
    const b = gram(t, v);
    const diff = a.map((row, k) => row.map((x, l) => x - b[k]![l]!));
    const e = generalizationError(w, t, { signs: v, teacherSigns: v });
    expectClose(e.relativeError, frobenius(diff) / frobenius(b), { rel: 1e-13 }, 'relativeError');
    expect(generalizationError(t, t, { signs: v, teacherSigns: v })).toEqual({ populationRisk: 0, relativeError: 0 });
  });

  it('is zero at any student with the teacher Gram matrix, e.g. a rotated or zero-padded teacher', () => {
    const t = Matrix.from([
      [1, 2],
      [3, -1],
    ]);
    const padded = Matrix.from([
      [1, 2],
      [3, -1],
      [0, 0],
    ]);
    const e = generalizationError(padded, t);
    expect(e.relativeError).toBe(0);
    expect(e.populationRisk).toBe(0);
  });

  it('rejects a teacher with Q* = 0 (relative error undefined) and mismatched shapes', () => {
    const w = Matrix.identity(2);
    expect(() => generalizationError(w, Matrix.zeros(1, 2))).toThrow(InvalidArgumentError);
    expect(() => generalizationError(w, Matrix.zeros(1, 2))).toThrow(/invalid teacher/);
    // Two equal rows with opposite signs cancel: Q* = 0 as well.
    expect(() => generalizationError(w, Matrix.from([[1, 1], [1, 1]]), { teacherSigns: Float64Array.of(1, -1) })).toThrow(/invalid teacher/);
    expect(() => generalizationError(w, Matrix.zeros(2, 3))).toThrow(ShapeError);
    expect(() => generalizationError(w, Matrix.zeros(2, 3))).toThrow(/w is 2×2 and teacher is 2×3/);
    expect(() => generalizationError(Matrix.zeros(0, 2), w)).toThrow(/invalid w: 0×2/);
  });
});
