import { describe, expect, it } from 'vitest';
import { createRng, InvalidArgumentError, Matrix } from '@shallowscape/linalg';
import { gaussianInit, identityInit, smallInit } from './initialization';

function gram(w: Matrix): number[][] {
  const d = w.cols;
  const out = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let j = 0; j < w.rows; j++) for (let k = 0; k < d; k++) for (let l = 0; l < d; l++) out[k]![l]! += w.get(j, k) * w.get(j, l);
  return out;
}

describe('identityInit', () => {
  for (const [m, d] of [
    [3, 3],
    [7, 3],
    [25, 5],
  ] as const) {
    it(`W₀ᵀW₀ = m I for m = ${m}, d = ${d} (to 1e-14 relative: √m squared)`, () => {
      const w = identityInit(m, d);
      expect(w.shape).toEqual([m, d]);
      const a = gram(w);
      for (let k = 0; k < d; k++) for (let l = 0; l < d; l++) expect(Math.abs(a[k]![l]! - (k === l ? m : 0))).toBeLessThanOrEqual(1e-14 * m);
      // rows below d are zero
      for (let j = d; j < m; j++) for (let k = 0; k < d; k++) expect(w.get(j, k)).toBe(0);
    });
  }
  it('scale c gives W₀ᵀW₀ = c² m I', () => {
    const a = gram(identityInit(4, 2, 0.5));
    expect(Math.abs(a[0]![0]! - 1)).toBeLessThan(1e-15);
    expect(a[0]![1]).toBe(0);
  });
  it('m < d is an InvalidArgumentError naming m', () => {
    const call = (): unknown => identityInit(2, 3);
    expect(call).toThrow(InvalidArgumentError);
    expect(call).toThrow(/invalid m: 2 \(expected at least d = 3/);
    expect(() => identityInit(3, 0)).toThrow(/invalid d/);
    expect(() => identityInit(3, 2, -1)).toThrow(/invalid scale/);
  });
});

describe('gaussianInit and smallInit', () => {
  it('are seeded: equal seeds give bit-identical weights, different seeds differ', () => {
    expect(Array.from(gaussianInit(5, 4, createRng(9)).data)).toEqual(Array.from(gaussianInit(5, 4, createRng(9)).data));
    expect(Array.from(gaussianInit(5, 4, createRng(9)).data)).not.toEqual(Array.from(gaussianInit(5, 4, createRng(10)).data));
  });
  it('have entries of standard deviation `scale` (sample sd of 40 000 draws within 2%)', () => {
    for (const [init, scale] of [
      [(r: ReturnType<typeof createRng>) => gaussianInit(200, 200, r, 2), 2],
      [(r: ReturnType<typeof createRng>) => smallInit(200, 200, r), 1e-3],
    ] as const) {
      const w = init(createRng(11));
      let s2 = 0;
      for (const v of w.data) s2 += v * v;
      expect(Math.abs(Math.sqrt(s2 / w.data.length) / scale - 1)).toBeLessThan(0.02);
    }
  });
  it('smallInit is gaussianInit with scale 1e-3', () => {
    expect(Array.from(smallInit(3, 2, createRng(1)).data)).toEqual(Array.from(gaussianInit(3, 2, createRng(1), 1e-3).data));
  });
  it('reject bad sizes, generators and scales', () => {
    expect(() => gaussianInit(0, 2, createRng(1))).toThrow(/invalid m/);
    expect(() => gaussianInit(2, 2, {} as ReturnType<typeof createRng>)).toThrow(/invalid rng/);
    expect(() => smallInit(2, 2, createRng(1), Number.NaN)).toThrow(/invalid scale/);
  });
});
