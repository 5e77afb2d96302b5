/** The structural shape of a `Matrix` (test-utils depends on no workspace package). */
export interface MatrixLike {
  readonly rows: number;
  readonly cols: number;
  readonly data: ArrayLike<number>;
}

function isMatrixLike(x: unknown): x is MatrixLike {
  return typeof x === 'object' && x !== null && 'data' in x && 'rows' in x && 'cols' in x;
}

/**
 * A tolerance: an element passes when `|a − e| ≤ abs + rel·|e|`, or when the two are within
 * `ulps` units in the last place. Give at least one of `abs`, `rel`, `ulps`.
 */
export interface Tolerance {
  abs?: number;
  rel?: number;
  ulps?: number;
}

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

function ordered(x: number): bigint {
  f64[0] = x;
  const b = i64[0]!;
  return b < 0n ? -(b & 0x7fffffffffffffffn) : b;
}

function ulpDistance(a: number, b: number): number {
  const d = ordered(a) - ordered(b);
  return Number(d < 0n ? -d : d);
}

function within(a: number, e: number, tol: Tolerance): boolean {
  if (Number.isNaN(a) || Number.isNaN(e)) return false;
  if (a === e) return true;
  const bound = (tol.abs ?? 0) + (tol.rel ?? 0) * Math.abs(e);
  if (Math.abs(a - e) <= bound) return true;
  return tol.ulps !== undefined && ulpDistance(a, e) <= tol.ulps;
}

/** Asserts every element of `actual` is within `tol` of `expected`; the message names the worst. */
export function expectClose(
  actual: number | ArrayLike<number>,
  expected: number | ArrayLike<number>,
  tol: Tolerance,
  what = 'value',
): void {
  if (tol.abs === undefined && tol.rel === undefined && tol.ulps === undefined) {
    throw new Error('expectClose needs a tolerance (abs, rel or ulps)');
  }
  const a = typeof actual === 'number' ? [actual] : actual;
  const e = typeof expected === 'number' ? [expected] : expected;
  if (a.length !== e.length) throw new Error(`${what}: length ${a.length} ≠ expected ${e.length}`);
  let worst = -1;
  let worstErr = -1;
  for (let k = 0; k < a.length; k++) {
    if (!within(a[k]!, e[k]!, tol)) {
      const err = Math.abs(a[k]! - e[k]!);
      if (!(err <= worstErr)) {
        worst = k;
        worstErr = err;
      }
    }
  }
  if (worst >= 0) {
    throw new Error(
      `${what}[${worst}] = ${a[worst]} differs from expected ${e[worst]} by ${worstErr} (tolerance ${JSON.stringify(tol)})`,
    );
  }
}

/** Asserts two matrices have the same shape and entries within `tol`. */
export function expectMatrixClose(actual: MatrixLike, expected: MatrixLike, tol: Tolerance, what = 'matrix'): void {
  if (actual.rows !== expected.rows || actual.cols !== expected.cols) {
    throw new Error(`${what}: shape ${actual.rows}×${actual.cols} ≠ expected ${expected.rows}×${expected.cols}`);
  }
  expectClose(actual.data, expected.data, tol, what);
}

/** `max |a_k − b_k|`. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

/** `‖A − B‖_F / ‖B‖_F` (or `‖A − B‖_F` when `B = 0`). */
export function relativeFrobeniusError(a: MatrixLike | ArrayLike<number>, b: MatrixLike | ArrayLike<number>): number {
  const x = isMatrixLike(a) ? a.data : a;
  const y = isMatrixLike(b) ? b.data : b;
  let num = 0;
  let den = 0;
  for (let k = 0; k < x.length; k++) {
    num += (x[k]! - y[k]!) ** 2;
    den += y[k]! ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}
