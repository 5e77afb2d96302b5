import { describe, expect, it } from 'vitest';
import { Matrix } from './matrix';
import { NonFiniteError, NotSymmetricError, ShapeError } from './errors';
import { assertSymmetric, checkMatrix, defaultSymmetryTolerance } from './validate';

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
});
