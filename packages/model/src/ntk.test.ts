import { describe, expect, it } from 'vitest';
import { createRng, gaussianMatrix, InvalidArgumentError, Matrix, NonFiniteError } from '@shallowscape/linalg';
import { expectClose, loadFixture } from '@shallowscape/test-utils';
import { ntkGram, ntkMinEigenvalue } from './ntk';

function unitRows(x: Matrix): Matrix {
  const out = x.clone();
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let k = 0; k < x.cols; k++) s += x.data[i * x.cols + k]! ** 2;
    for (let k = 0; k < x.cols; k++) out.data[i * x.cols + k]! /= Math.sqrt(s);
  }
  return out;
}

describe('ntkGram / ntkMinEigenvalue', () => {
  it('match a direct numpy computation (abs 1e-14 Gram, rel 1e-10 λ₀)', () => {
    const fixture = loadFixture<{ ntk: { x: number[][]; gram: number[][]; lambda0: number }[] }>(import.meta.url, 'fixtures/two-layer.json');
    expect(fixture.ntk.length).toBe(2);
    for (const c of fixture.ntk) {
      const h = ntkGram(Matrix.from(c.x));
      c.gram.flat().forEach((v, k) => expect(Math.abs(h.data[k]! - v)).toBeLessThanOrEqual(1e-14));
      expectClose(ntkMinEigenvalue(Matrix.from(c.x)), c.lambda0, { rel: 1e-10 });
    }
  });

  it('is the expectation E_w[x_i·x_j 1{w·x_i ≥ 0, w·x_j ≥ 0}] (Monte Carlo, 200 000 draws, 5 standard errors)', () => {
    const rng = createRng(31);
    const x = unitRows(gaussianMatrix(4, 3, rng));
    const h = ntkGram(x);
    const draws = 200_000;
    const w = gaussianMatrix(draws, 3, rng);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j <= i; j++) {
        let c = 0;
        for (let k = 0; k < 3; k++) c += x.data[i * 3 + k]! * x.data[j * 3 + k]!;
        let hits = 0;
        for (let t = 0; t < draws; t++) {
          let zi = 0;
          let zj = 0;
          for (let k = 0; k < 3; k++) {
            zi += w.data[t * 3 + k]! * x.data[i * 3 + k]!;
            zj += w.data[t * 3 + k]! * x.data[j * 3 + k]!;
          }
          if (zi >= 0 && zj >= 0) hits++;
        }
        const p = hits / draws;
        const se = Math.abs(c) * Math.sqrt((p * (1 - p)) / draws);
        expect(Math.abs(h.data[i * 4 + j]! - c * p)).toBeLessThanOrEqual(5 * se + 1e-15);
      }
    }
  });

  it('has λ₀ > 0 for distinct unit inputs, a ½ diagonal, and λ₀ = 0 for a repeated input', () => {
    const rng = createRng(8);
    const x = unitRows(gaussianMatrix(30, 10, rng));
    const h = ntkGram(x);
    for (let i = 0; i < 30; i++) expect(h.data[i * 30 + i]).toBe(0.5);
    const l0 = ntkMinEigenvalue(x);
    expect(l0).toBeGreaterThan(1e-3);
    expect(l0).toBeLessThanOrEqual(0.5);
    const repeated = Matrix.from([x.row(0) as unknown as number[], x.row(0) as unknown as number[], x.row(1) as unknown as number[]].map((r) => Array.from(r)));
    expect(Math.abs(ntkMinEigenvalue(repeated))).toBeLessThan(1e-14);
  });

  it('clamps the cosine of antiparallel inputs and rejects non-unit rows', () => {
    const h = ntkGram(Matrix.from([[1, 0], [-1, 0]]));
    expect(Math.abs(h.data[1]!)).toBe(0); // −1·(π − π)/(2π)
    expect(() => ntkGram(Matrix.from([[1, 1]]))).toThrow(InvalidArgumentError);
    expect(() => ntkGram(Matrix.from([[1, 1]]))).toThrow(/row 0/);
    expect(() => ntkGram(Matrix.from([[Number.NaN, 1]]))).toThrow(NonFiniteError);
  });
});
