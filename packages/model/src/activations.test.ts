import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@shallowscape/linalg';
import { expectClose } from '@shallowscape/test-utils';
import { ACTIVATIONS, activationFunctions, activationKernel, erf } from './activations';

const POINTS = [-7, -3.2, -2.5, -1.1, -0.3, 0.2, 0.7, 1.9, 2.6, 4.5, 8];

describe('activationFunctions', () => {
  // Central differences with h = 1e-5: truncation error O(h²·|σ'''|) ≈ 1e-10, rounding ≈ 1e-11;
  // bound 1e-8 absolute + 1e-8 relative.
  for (const name of ACTIVATIONS) {
    it(`${name}: σ' and σ'' match central differences of σ and σ'`, () => {
      const f = activationFunctions(name);
      const h = 1e-5;
      for (const z of POINTS) {
        const d1 = (f.value(z + h) - f.value(z - h)) / (2 * h);
        const d2 = (f.derivative(z + h) - f.derivative(z - h)) / (2 * h);
        expectClose(f.derivative(z), d1, { abs: 1e-8, rel: 1e-8 }, `${name}'(${z})`);
        expectClose(f.secondDerivative(z), d2, { abs: 1e-8, rel: 1e-8 }, `${name}''(${z})`);
      }
    });

    it(`${name}: the array kernel agrees with the scalar functions`, () => {
      const f = activationFunctions(name);
      const z = Float64Array.from(POINTS);
      const v = new Float64Array(z.length);
      const d1 = new Float64Array(z.length);
      const d2 = new Float64Array(z.length);
      activationKernel(name, z.length, z, v, d1, d2);
      POINTS.forEach((p, k) => {
        expect(v[k]).toBe(f.value(p));
        expect(d1[k]).toBe(f.derivative(p));
        expect(d2[k]).toBe(f.secondDerivative(p));
      });
    });
  }

  it('uses relu′(0) = 0 and relu″ = 0', () => {
    const f = activationFunctions('relu');
    expect(f.derivative(0)).toBe(0);
    expect(f.derivative(1e-300)).toBe(1);
    expect(f.secondDerivative(3)).toBe(0);
  });

  it('softplus and sigmoid do not overflow', () => {
    expect(activationFunctions('softplus').value(800)).toBe(800);
    expect(activationFunctions('softplus').value(-800)).toBe(0);
    expect(activationFunctions('sigmoid').value(-800)).toBe(0);
    expect(activationFunctions('sigmoid').value(800)).toBe(1);
  });

  it('rejects an unknown name, naming the activation', () => {
    expect(() => activationFunctions('gelu' as never)).toThrow(InvalidArgumentError);
    expect(() => activationFunctions('gelu' as never)).toThrow(/activation/);
  });
});

describe('erf', () => {
  // Reference values from scipy.special.erf (double precision); bound 2e-15 relative.
  const table: [number, number][] = [
    [0.1, 0.1124629160182849],
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497148],
    [2, 0.9953222650189527],
    [2.4, 0.999311486103355],
    [2.6, 0.9997639655834707],
    [3.5, 0.9999992569016276],
    [5, 0.9999999999984626],
  ];
  it('matches scipy to 2e-15 relative and is odd', () => {
    for (const [x, v] of table) {
      expectClose(erf(x), v, { rel: 2e-15 }, `erf(${x})`);
      expect(erf(-x)).toBe(-erf(x));
    }
    expect(erf(0)).toBe(0);
    expect(erf(7)).toBe(1);
    expect(Number.isNaN(erf(Number.NaN))).toBe(true);
  });
  it('satisfies erfc(x) = 1 − erf(x) ≈ e^{−x²}/(x√π)(1 − 1/(2x²)) for large x', () => {
    for (const x of [4, 4.5, 5]) {
      const asymptotic = (Math.exp(-x * x) / (x * Math.sqrt(Math.PI))) * (1 - 1 / (2 * x * x) + 3 / (4 * x ** 4));
      expectClose(1 - erf(x), asymptotic, { rel: 0.02 }, `erfc(${x})`);
    }
  });
});
