/**
 * The product of a divide-and-conquer merge (LAPACK `dlaed3` / `dlasd3`), shared by the
 * tridiagonal eigensolver and the bidiagonal SVD: the merged vectors are combinations of the
 * basis vectors of the two halves, each of which is non-zero on the top block of coordinates, the
 * bottom one, or both (after a deflating rotation mixed two halves). Internal, unchecked.
 *
 * @packageDocumentation
 */
import type { StridedGemm } from '../kernels/gemm-kernel';

/** Where a basis vector of a merge is non-zero: the top block of coordinates, the bottom one, or both. */
export const TOP = 1;
export const BOTH = 2;
export const BOTTOM = 3;

/**
 * The merged vectors as rows: row `j` of the result (`k × dim`) is
 * $\sum_i \mathrm{sec}_{ij}\, b_{\mathrm{kept}_i}$, where $b_c$ is row `c` of `basis` (`dim`
 * coordinates) and `sec` is `k × k` (row `i` for the basis vector `kept[i]`). Computed as two
 * products written in place: coordinates `[0, split)` over the basis vectors that are non-zero
 * there (`TOP` and `BOTH` in `type`, indexed by basis row) and `[split, dim)` over the `BOTH` and
 * `BOTTOM` ones, each a product $\mathrm{sec}_G^\top B_G$ on `gemm` with the rows of `sec` and
 * of `basis` gathered in the order `TOP`, `BOTH`, `BOTTOM`.
 */
export function mergeBlockProduct(
  dim: number,
  split: number,
  k: number,
  kept: readonly number[],
  type: Uint8Array,
  basis: Float64Array,
  sec: Float64Array,
  gemm: StridedGemm,
): Float64Array {
  const group: number[] = [];
  for (const wanted of [TOP, BOTH, BOTTOM]) for (let i = 0; i < k; i++) if (type[kept[i]!] === wanted) group.push(i);
  let c1 = 0, c3 = 0;
  for (let i = 0; i < k; i++) {
    const t = type[kept[i]!];
    if (t === TOP) c1++;
    else if (t === BOTTOM) c3++;
  }
  const topRows = k - c3; // TOP and BOTH
  const bottomRows = k - c1; // BOTH and BOTTOM
  const sg = new Float64Array(k * k);
  for (let t = 0; t < k; t++) sg.set(sec.subarray(group[t]! * k, group[t]! * k + k), t * k);
  const out = new Float64Array(k * dim);
  const widthBottom = dim - split;
  if (topRows > 0 && split > 0) {
    const b = new Float64Array(topRows * split);
    for (let t = 0; t < topRows; t++) {
      const src = kept[group[t]!]! * dim;
      b.set(basis.subarray(src, src + split), t * split);
    }
    gemm(true, false, k, split, topRows, 1, sg, 0, k, b, 0, split, 0, out, 0, dim);
  }
  if (bottomRows > 0 && widthBottom > 0) {
    const b = new Float64Array(bottomRows * widthBottom);
    for (let t = 0; t < bottomRows; t++) {
      const src = kept[group[c1 + t]!]! * dim + split;
      b.set(basis.subarray(src, src + widthBottom), t * widthBottom);
    }
    gemm(true, false, k, widthBottom, bottomRows, 1, sg, c1 * k, k, b, 0, widthBottom, 0, out, split, dim);
  }
  return out;
}
