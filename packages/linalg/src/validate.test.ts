import { describe, expect, it } from 'vitest';
import { Matrix } from './matrix';
import { InvalidArgumentError, NonFiniteError, NotSymmetricError, ShapeError } from './errors';
import { assertSymmetric, checkMatrix, checkPositiveInteger, checkSignal, defaultSymmetryTolerance } from './validate';

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
