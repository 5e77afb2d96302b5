/**
 * Where two arrays of numbers first differ, for bit-for-bit comparisons of large results: a short
 * message instead of the diff of a whole array (which, for arrays of 10⁵ entries and more, takes a
 * test runner minutes to format).
 *
 * @packageDocumentation
 */

/**
 * The first index at which `actual` and `expected` differ (entries compared with `Object.is`: NaN
 * equals NaN, −0 differs from 0), as a one-line message such as `entry 1: 2, expected 3`, or
 * `null` when they are the same (a test helper, not exported by the package).
 */
export function firstDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): string | null {
  if (actual.length !== expected.length) return `length ${actual.length}, expected ${expected.length}`;
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) return `entry ${i}: ${actual[i]}, expected ${expected[i]}`;
  }
  return null;
}
