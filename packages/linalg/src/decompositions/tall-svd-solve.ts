/**
 * The unchecked SVD core of minimum-norm least squares: the singular values, $V^\top$ and
 * $U^\top C$ of a tall system, without forming $U$ (as LAPACK `dgelss`).
 *
 * @packageDocumentation
 */
import { tallSvd } from './tall-svd';

/**
 * Unchecked minimum-norm least-squares core for a tall `A` (`m ≥ n`, row-major, not modified)
 * and `C` given transposed (`cT`, `nrhs × m`, overwritten): returns the singular values,
 * `Vᵀ` (`n × n`), `Uᵀ C` (`n × nrhs`, rows in the order of `s`) and `tail`, the squared norms
 * of the components of each column of `C` outside the range of the thin `U` (the squared
 * least-squares residuals when `A` has full column rank), without forming `U`.
 */
export function tallSvdSolveKernel(
  m: number,
  n: number,
  a: Float64Array,
  cT: Float64Array,
  nrhs: number,
): { s: Float64Array; vt: Float64Array; c: Float64Array; tail: Float64Array } {
  const r = tallSvd(m, n, a, 3, cT, nrhs);
  return { s: r.s, vt: r.vt!, c: r.c!, tail: r.tail! };
}
