import { describe, expect, it } from 'vitest';
import { expectClose } from '@shallowscape/test-utils';
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../errors';
import { createRng } from '../rng';
import { loadKernelFixtures } from '../testing/backend-conformance';
import { asum, axpy, dot, iamax, nrm2, scal } from './blas1';
import { nrm2Kernel } from './blas1-kernels';

const fixtures = loadKernelFixtures();

describe('dot', () => {
  it('matches numpy (fixtures/gen_kernels.py) within 8(n+2)·2⁻⁵³·Σ|x_i y_i|', () => {
    for (const f of fixtures.dot) {
      const x = Float64Array.from(f.x);
      const y = Float64Array.from(f.y);
      const scale = f.x.reduce((s, v, i) => s + Math.abs(v * f.y[i]!), 0);
      expectClose(dot(x, y), f.expected, { abs: 8 * (x.length + 2) * 2 ** -53 * scale + Number.MIN_VALUE }, `dot n=${x.length}`);
    }
  });
  it('is exact on integers and symmetric', () => {
    const x = Float64Array.from({ length: 101 }, (_, i) => i - 50);
    const y = Float64Array.from({ length: 101 }, (_, i) => 2 * i + 1);
    const exact = Array.from(x).reduce((s, v, i) => s + v * y[i]!, 0);
    expect(dot(x, y)).toBe(exact);
    expect(dot(y, x)).toBe(exact);
    expect(dot(new Float64Array(0), new Float64Array(0))).toBe(0);
  });
  it('rejects mismatched lengths, NaN and non-vectors', () => {
    expect(() => dot(new Float64Array(2), new Float64Array(3))).toThrow(ShapeError);
    expect(() => dot(new Float64Array(2), new Float64Array(3))).toThrow('y has length 3, expected x.length = 2');
    expect(() => dot(Float64Array.of(Number.NaN), Float64Array.of(1))).toThrow('x has a non-finite entry NaN at [0]');
    expect(() => dot([1] as unknown as Float64Array, Float64Array.of(1))).toThrow(InvalidArgumentError);
  });
});

describe('axpy and scal', () => {
  it('update in place and return the updated vector', () => {
    const y = Float64Array.of(1, 2, 3);
    expect(axpy(-2, Float64Array.of(1, 1, 1), y)).toBe(y);
    expect(Array.from(y)).toEqual([-1, 0, 1]);
    const x = Float64Array.of(1, -2);
    expect(scal(0.5, x)).toBe(x);
    expect(Array.from(x)).toEqual([0.5, -1]);
  });
  it('axpy with x = y doubles; α = 0 leaves y untouched', () => {
    const v = Float64Array.of(1, 2);
    axpy(1, v, v);
    expect(Array.from(v)).toEqual([2, 4]);
    expect(Array.from(axpy(0, Float64Array.of(5, 5), Float64Array.of(1, 2)))).toEqual([1, 2]);
  });
  it('validate α, lengths and entries', () => {
    expect(() => axpy(Number.NaN, new Float64Array(1), new Float64Array(1))).toThrow('invalid alpha: NaN (expected a finite number)');
    expect(() => axpy(1, new Float64Array(1), new Float64Array(2))).toThrow(ShapeError);
    expect(() => scal(Infinity, new Float64Array(1))).toThrow(InvalidArgumentError);
    expect(() => scal(1, Float64Array.of(-Infinity))).toThrow(NonFiniteError);
  });
});

describe('nrm2', () => {
  it('matches math.hypot on extreme scales (fixtures/gen_kernels.py) within 4 ulps', () => {
    for (const f of fixtures.nrm2) expectClose(nrm2(Float64Array.from(f.x)), f.expected, { ulps: 4 }, `nrm2 [${f.x.slice(0, 3).join(', ')}]`);
  });
  it('neither overflows nor underflows where the naive formula does', () => {
    const big = Float64Array.of(1e200, 1e200);
    expect(Math.sqrt(big[0]! ** 2 + big[1]! ** 2)).toBe(Infinity);
    expectClose(nrm2(big), Math.SQRT2 * 1e200, { ulps: 2 });
    const tiny = Float64Array.of(1e-200, 1e-200);
    expect(Math.sqrt(tiny[0]! ** 2 + tiny[1]! ** 2)).toBe(0);
    expectClose(nrm2(tiny), Math.SQRT2 * 1e-200, { ulps: 2 });
    expectClose(nrm2(Float64Array.of(Number.MAX_VALUE, Number.MAX_VALUE / 2)), Number.MAX_VALUE * Math.sqrt(1.25), { ulps: 2 });
  });
  it('agrees with the naive formula in the mid range and scales exactly by powers of two', () => {
    const x = createRng(2).fillNormal(new Float64Array(1000));
    const naive = Math.sqrt(Array.from(x).reduce((s, v) => s + v * v, 0));
    expectClose(nrm2(x), naive, { rel: 1e-14 });
    expect(nrm2(x.map((v) => v * 2 ** 600))).toBe(nrm2(x) * 2 ** 600);
    expect(nrm2(new Float64Array(0))).toBe(0);
    expect(nrm2(new Float64Array(3))).toBe(0);
  });
  it('the strided kernel avoids overflow and underflow (closed form 5·10^k for entries 3·10^k, 4·10^k) within 4ε', () => {
    const EPS = Number.EPSILON;
    for (const k of [-300, -200, -160, 0, 160, 200, 300]) {
      const x = new Float64Array([7, 3 * 10 ** k, 0, 4 * 10 ** k]);
      expect(Math.abs(nrm2Kernel(3, x, 1) / (5 * 10 ** k) - 1), `contiguous, k = ${k}`).toBeLessThanOrEqual(4 * EPS);
      expect(Math.abs(nrm2Kernel(2, x, 1, 2) / (5 * 10 ** k) - 1), `stride 2, k = ${k}`).toBeLessThanOrEqual(4 * EPS);
    }
    // Only the addressed entries count: offset and stride skip the others.
    expect(nrm2Kernel(2, Float64Array.of(1e300, 0, 1e300, 0), 1, 2)).toBe(0);
    expect(nrm2Kernel(3, new Float64Array(3))).toBe(0);
    expect(nrm2Kernel(0, new Float64Array(0), 0, 1)).toBe(0);
  });
});

describe('asum and iamax', () => {
  it('compute Σ|x_i| and the first index of max |x_i|', () => {
    expect(asum(Float64Array.of(-1.5, 2, -0.5))).toBe(4);
    expect(iamax(Float64Array.of(0, -3, 3, 1))).toBe(1);
    expect(iamax(Float64Array.of(0, 0))).toBe(0);
    expect(iamax(new Float64Array(0))).toBe(-1);
    expect(asum(new Float64Array(0))).toBe(0);
  });
  it('reject NaN', () => {
    expect(() => iamax(Float64Array.of(1, Number.NaN))).toThrow(NonFiniteError);
    expect(() => asum(Float64Array.of(Number.NaN))).toThrow(NonFiniteError);
  });
});
