import { describe, expect, it } from 'vitest';
import { loadFixture } from '@shallowscape/test-utils';
import { checkRng, createRng, gaussianMatrix, Rng } from './rng';
import { InvalidArgumentError } from './errors';

interface RngCase {
  seed: string;
  state: string[];
  outputs: string[];
  afterJump: string[];
  uniforms: number[];
}
const fixture = loadFixture<{ cases: RngCase[] }>(import.meta.url, 'fixtures/rng.json');

describe('xoshiro256** (against the reference algorithm, fixtures/gen_rng.py)', () => {
  for (const c of fixture.cases) {
    it(`seed ${c.seed}: SplitMix64 seeding, outputs, jump and uniforms`, () => {
      const rng = createRng(BigInt(c.seed));
      expect(rng.getState().s).toEqual(c.state);
      expect(c.outputs.map(() => rng.nextUint64().toString(16).padStart(16, '0'))).toEqual(c.outputs);
      const jumped = createRng(BigInt(c.seed)).jump();
      expect(c.afterJump.map(() => jumped.nextUint64().toString(16).padStart(16, '0'))).toEqual(c.afterJump);
      const u = createRng(BigInt(c.seed));
      expect(c.uniforms.map(() => u.uniform())).toEqual(c.uniforms);
    });
  }

  it('restores a saved state exactly, including the cached normal', () => {
    const rng = createRng(3);
    rng.normal();
    const saved = JSON.parse(JSON.stringify(rng.getState()));
    const a = [rng.normal(), rng.normal(), rng.uniform()];
    const restored = Rng.fromState(saved);
    expect([restored.normal(), restored.normal(), restored.uniform()]).toEqual(a);
  });

  it('split gives a stream distinct from the parent, reproducibly', () => {
    const p1 = createRng(9);
    const c1 = p1.split();
    const p2 = createRng(9);
    const c2 = p2.split();
    const draws = (r: Rng) => Array.from({ length: 5 }, () => r.uniform());
    const a = draws(c1);
    expect(draws(c2)).toEqual(a);
    expect(draws(p1)).not.toEqual(a);
    // the child continues the parent's original stream
    expect(a).toEqual(draws(createRng(9)));
  });

  it('normal deviates have mean 0 and variance 1 (Monte Carlo, 5 standard errors)', () => {
    const rng = createRng(2024);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let s4 = 0;
    for (let k = 0; k < n; k++) {
      const z = rng.normal();
      s += z;
      s2 += z * z;
      s4 += z ** 4;
    }
    expect(Math.abs(s / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(s4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
  });

  it('integer(n) is unbiased over a small range (chi-square, 6 bins)', () => {
    const rng = createRng(5);
    const counts = new Array(6).fill(0);
    const n = 60_000;
    for (let k = 0; k < n; k++) counts[rng.integer(6)]++;
    const chi2 = counts.reduce((acc, c) => acc + (c - n / 6) ** 2 / (n / 6), 0);
    expect(chi2).toBeLessThan(20.5); // p ≈ 0.001 for 5 degrees of freedom
  });

  it('gaussianMatrix is bit-identical for equal seeds', () => {
    expect(gaussianMatrix(3, 4, createRng(11)).data).toEqual(gaussianMatrix(3, 4, createRng(11)).data);
  });

  it('rejects bad seeds with a typed error naming the argument', () => {
    expect(() => createRng(-1)).toThrow(InvalidArgumentError);
    expect(() => createRng(1.5)).toThrow(/seed: 1.5/);
    expect(() => createRng(Number.NaN)).toThrow(/seed/);
  });
});

describe('checkRng', () => {
  it('returns a generator and names the argument for anything else', () => {
    const rng = createRng(3);
    expect(checkRng('rng', rng)).toBe(rng);
    for (const bad of [undefined, null, 3, {}, { normal: () => 0 }]) {
      expect(() => checkRng('options.rng', bad)).toThrow(InvalidArgumentError);
    }
    expect(() => checkRng('options.rng', 3)).toThrow('invalid options.rng: 3 (expected an Rng from createRng(seed))');
  });
});
