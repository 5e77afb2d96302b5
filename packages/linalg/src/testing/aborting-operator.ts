/**
 * Test-only: an operator that aborts a signal in the middle of a run, for the tests of the
 * `signal` options. Not exported from the package.
 */

/** A diagonal operator that aborts `controller` at its `k`-th product (a Ctrl-C mid-run), counting products. */
export function abortingOperator(d: ArrayLike<number>, controller: AbortController, k: number): { hvp: (v: Float64Array, out: Float64Array) => void; products: () => number } {
  let count = 0;
  return {
    hvp: (v, out) => {
      count++;
      if (count === k) controller.abort();
      for (let i = 0; i < d.length; i++) out[i] = d[i]! * v[i]!;
    },
    products: () => count,
  };
}
