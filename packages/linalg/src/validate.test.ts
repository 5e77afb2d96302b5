import { describe, expect, it } from 'vitest';
import { Matrix } from './matrix';
import { InvalidArgumentError, NonFiniteError, NotSymmetricError, ShapeError } from './errors';
import { assertFiniteVector, assertSymmetric, checkMatrix, checkPositiveInteger, checkSignal, defaultSymmetryTolerance } from './validate';

describe('validation', () => {
  it('names the first non-finite entry by position', () => {
    const a = Matrix.from([
      [1, 2],
      [3, Number.NaN],
    ]);
    expect(() => checkMatrix('x', a)).toThrow(NonFiniteError);
    expect(() => checkMatrix('x', a)).toThrow('x has a non-finite entry NaN at [1][1]');
    expect(() => checkMatrix('w', Matrix.from([[Infinity]]))).toThrow('w has a non-finite entry Infinity at [0][0]');
    expect(() => checkMatrix('m', [[1]])).toThrow(/invalid m/);
  });

  it('finds every NaN and ±Infinity whatever its place (each of the four sums, the tail) and passes finite extremes', () => {
    // Lengths 1..19 cover every residue mod 8 (the filter's stride) and the tail loop; every position of each length.
    for (let n = 1; n <= 19; n++) {
      for (let at = 0; at < n; at++) {
        for (const bad of [Number.NaN, Infinity, -Infinity]) {
          const v = Float64Array.from({ length: n }, (_, k) => (k % 2 === 0 ? 1e308 : -5e-324));
          v[at] = bad;
          expect(() => assertFiniteVector('v', v)).toThrow(`v has a non-finite entry ${bad} at [${at}]`);
          expect(() => checkMatrix('m', new Matrix(1, n, v))).toThrow(`m has a non-finite entry ${bad} at [0][${at}]`);
        }
      }
    }
    // The first bad entry is named when there are several; -0, ±MAX_VALUE and subnormals pass.
    expect(() => assertFiniteVector('v', [1, 2, Infinity, 4, Number.NaN])).toThrow('v has a non-finite entry Infinity at [2]');
    const extremes = Float64Array.from([-0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -0, 0, 1, -1, 3]);
    expect(() => assertFiniteVector('v', extremes)).not.toThrow();
    expect(() => checkMatrix('m', new Matrix(3, 3, extremes))).not.toThrow();
    expect(() => assertFiniteVector('v', new Float64Array(0))).not.toThrow();
    // Finite pairs whose difference overflows (the filter says no; the entry-by-entry test decides), in each sum.
    for (let at = 0; at < 16; at += 2) {
      const huge = new Float64Array(16).fill(2);
      huge[at] = Number.MAX_VALUE;
      huge[at + 1] = -Number.MAX_VALUE;
      expect(() => assertFiniteVector('v', huge)).not.toThrow();
      expect(() => checkMatrix('m', new Matrix(4, 4, huge))).not.toThrow();
      huge[15 - at] = Number.NaN;
      expect(() => assertFiniteVector('v', huge)).toThrow(`v has a non-finite entry NaN at [${15 - at}]`);
    }
  });

  it('accepts round-off asymmetry and rejects real asymmetry', () => {
    const a = Matrix.from([
      [2, 1],
      [1 + 1e-15, 2],
    ]);
    expect(() => assertSymmetric('a', a)).not.toThrow();
    expect(defaultSymmetryTolerance(a)).toBeCloseTo(64 * Number.EPSILON * 2, 30);
    const b = Matrix.from([
      [2, 1],
      [1.001, 2],
    ]);
    expect(() => assertSymmetric('a', b)).toThrow(NotSymmetricError);
    expect(() => assertSymmetric('a', b)).toThrow(/a\[0\]\[1\]/);
    expect(() => assertSymmetric('a', Matrix.zeros(2, 3))).toThrow(ShapeError);
  });

  it('checkPositiveInteger accepts safe integers ≥ 1 and names the argument otherwise', () => {
    expect(checkPositiveInteger('n', 1)).toBe(1);
    expect(checkPositiveInteger('n', 2 ** 53 - 1)).toBe(2 ** 53 - 1);
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity, 2 ** 53, '3', null, undefined]) {
      expect(() => checkPositiveInteger('options.steps', bad)).toThrow(InvalidArgumentError);
    }
    expect(() => checkPositiveInteger('options.steps', 0)).toThrow('invalid options.steps: 0 (expected an integer ≥ 1)');
  });

  it('checkSignal accepts undefined and AbortSignal-like objects, and names the argument otherwise', () => {
    const controller = new AbortController();
    expect(checkSignal('options.signal', undefined)).toBeUndefined();
    expect(checkSignal('options.signal', controller.signal)).toBe(controller.signal);
    const polled = { aborted: false };
    expect(checkSignal('options.signal', polled)).toBe(polled);
    for (const bad of [null, true, 'abort', {}, { aborted: 1 }]) {
      expect(() => checkSignal('options.signal', bad)).toThrow(/invalid options\.signal/);
    }
  });
});
