/**
 * The quadratic forms $f_i = x_i^\top A x_i$ of the rows of a matrix: the reference kernel of the
 * `quadraticForms` backend slot, and the column-blocked scheme behind it, which runs its products
 * on any `gemm` kernel (so a backend without its own `quadraticForms` can still run them on its
 * own `gemm`).
 *
 * @packageDocumentation
 */
import type { LinalgBackend } from '../linalg-backend';
import { gemmKernel } from './gemm-kernel';

/** Rows of `X` per block in {@link blockedQuadraticFormsKernel} (a transposed block is `QUADRATIC_FORMS_ROW_BLOCK · d` doubles). */
export const QUADRATIC_FORMS_ROW_BLOCK = 256;

/** Target width of a column block of {@link blockedQuadraticFormsKernel} (rounded up to a multiple of 4; tuned on d = 20, 50, 100). */
const COLUMN_BLOCK_TARGET = 18;

/**
 * Buffers and column blocking of {@link blockedQuadraticFormsKernel} for inputs of dimension `d`
 * (and up to `rows` rows per block), allocated once by {@link quadraticFormsWorkspace} and reused
 * across calls: the kernel writes its panels $V_p$, a transposed row block of $X$ and a product
 * block into it.
 */
export interface QuadraticFormsWorkspace {
  /** Input dimension $d$ the workspace was made for. */
  readonly d: number;
  /** Rows per block the buffers hold: `min(n, QUADRATIC_FORMS_ROW_BLOCK)` for the `n` it was made for. */
  readonly rows: number;
  /** Column block `p` is `[starts[p], starts[p] + widths[p])`, in order. */
  readonly starts: Int32Array;
  /** Widths of the column blocks. */
  readonly widths: Int32Array;
  /** Offset of block `p`'s coefficient panel in `panels`. */
  readonly offsets: Int32Array;
  /** Coefficient panels $V_p$ (`e_p × width_p` each, row-major, $e_p$ = end of block `p`). */
  readonly panels: Float64Array;
  /** A transposed row block of $X$ (`d × rows`). */
  readonly xt: Float64Array;
  /** A product block (`rows × max width`). */
  readonly product: Float64Array;
}

/**
 * Allocates the workspace of {@link blockedQuadraticFormsKernel} for `n` rows of dimension `d`:
 * the column blocks (about 18 columns each, a multiple of 4), their coefficient panels
 * ($\approx d^2 (P + 1)/(2P)$ doubles for $P$ blocks) and the row-block buffers
 * (`min(n, 256) · d` and `min(n, 256) · width` doubles). A workspace made for `n` rows serves any
 * call with at most `n` rows (and any `n` once `n ≥ 256`) and the same `d`.
 *
 * @param n - the number of rows the kernel will be called with (at most).
 * @param d - the input dimension.
 * @returns a fresh workspace.
 * @example
 * ```ts
 * const ws = quadraticFormsWorkspace(1000, 100);
 * [ws.d, ws.rows, ws.starts.length]; // => [100, 256, 5]
 * ```
 */
export function quadraticFormsWorkspace(n: number, d: number): QuadraticFormsWorkspace {
  const count = Math.max(1, Math.round(d / COLUMN_BLOCK_TARGET));
  const width = Math.max(1, 4 * Math.ceil(d / (4 * count)));
  const starts: number[] = [];
  for (let s = 0; s < d; s += width) starts.push(s);
  const widths = starts.map((s) => Math.min(d, s + width) - s);
  const offsets: number[] = [];
  let length = 0;
  for (const [p, s] of starts.entries()) {
    offsets.push(length);
    length += (s + widths[p]!) * widths[p]!;
  }
  const rb = Math.min(n, QUADRATIC_FORMS_ROW_BLOCK);
  return {
    d,
    rows: rb,
    starts: Int32Array.from(starts),
    widths: Int32Array.from(widths),
    offsets: Int32Array.from(offsets),
    panels: new Float64Array(length),
    xt: new Float64Array(rb * d),
    product: new Float64Array(rb * width),
  };
}

/**
 * Writes the coefficient panels of {@link blockedQuadraticFormsKernel} for a symmetric $A$ into
 * `ws.panels`: $V_p[r, j] = c_r A[r, s_p + j]$ for rows $r < e_p$ of column block $p$, $c_r = 2$
 * for $r < s_p$ and 1 inside the block, read from the upper triangle of $A$ only. The blocks are
 * `ws.widths[0]` columns wide, the last one narrower, and the panels follow one another
 * (`ws.offsets`), the layout the `wasm-simd` backend's forms read too. Internal (unchecked).
 */
export function fillQuadraticFormPanels(d: number, a: Float64Array, ws: QuadraticFormsWorkspace): void {
  const { starts, widths, offsets, panels } = ws;
  const blocks = starts.length;
  for (let p = 0; p < blocks; p++) {
    const s = starts[p]!;
    const bw = widths[p]!;
    const e = s + bw;
    const off = offsets[p]!;
    // Rows before the block: A[r, s + j] with r < s + j (upper triangle), doubled.
    for (let r = 0; r < s; r++) {
      const src = r * d + s;
      const dst = off + r * bw;
      for (let j = 0; j < bw; j++) panels[dst + j] = 2 * a[src + j]!;
    }
    // The diagonal block: A[r, s + j] from the upper triangle, A[s + j, r] below the diagonal.
    for (let r = s; r < e; r++) {
      const dst = off + r * bw;
      for (let j = 0; j < bw; j++) {
        const col = s + j;
        panels[dst + j] = r <= col ? a[r * d + col]! : a[col * d + r]!;
      }
    }
  }
}

/**
 * The quadratic forms $f_i = x_i^\top A x_i$ of the rows $x_i$ of $X$ (`n × d`, row-major) for a
 * symmetric $A$ (`d × d`), with about half the multiply–adds of $XA$, the products on `gemm`.
 * The columns are cut into blocks $p$ of about 18, $[s_p, e_p)$; with the panels
 * $V_p[r, j] = c_r A[r, s_p + j]$ for rows $r < e_p$ ($c_r = 2$ before the block, 1 inside it),
 *
 * $$f_i = \sum_p \sum_{j < e_p - s_p} x_{i, s_p + j}\, (X[:, 0{:}e_p]\, V_p)_{ij},$$
 *
 * which counts each off-diagonal pair $A_{jk} x_{ij} x_{ik}$ once, doubled. Each product is one
 * `gemm` call on a block of 256 rows of $X$ stored transposed (whose leading rows are exactly the
 * column prefix $X[:, 0{:}e_p]$). Cost $\approx n d^2 (P + 1)/(2P)$ multiply–adds for $P$ blocks
 * ($0.6\,nd^2$ at $d = 100$) instead of $n d^2$.
 *
 * Only the upper triangle of $A$ is read (`a[j·d + k]`, `j ≤ k`); the strict lower triangle may
 * hold anything. Unchecked (sizes agree, `f` shares no memory with the inputs, `ws` was made for
 * this `d` and at least `min(n, 256)` rows). The bits of `f` depend only on the bits of the
 * inputs and of the `gemm` results: two `gemm` kernels with the same bits (e.g. the reference and
 * `wasm-simd` ones) give the same `f`.
 *
 * @param n - the number of rows of $X$ and the length of $f$.
 * @param d - the number of columns of $X$ and the order of $A$.
 * @param x - $X$ (`n × d`, row-major).
 * @param a - $A$ (`d × d`, row-major), symmetric; only its upper triangle is read.
 * @param f - the output (length `n`), overwritten.
 * @param gemm - the product kernel (the contract of the `gemm` slot).
 * @param ws - buffers from {@link quadraticFormsWorkspace}.
 * @example
 * ```ts
 * const f = new Float64Array(2);
 * const x = Float64Array.of(1, 0, 1, 1); // rows (1, 0) and (1, 1)
 * blockedQuadraticFormsKernel(2, 2, x, Float64Array.of(2, 1, 1, 3), f, gemmKernel, quadraticFormsWorkspace(2, 2));
 * Array.from(f); // => [2, 7]
 * ```
 */
export function blockedQuadraticFormsKernel(
  n: number,
  d: number,
  x: Float64Array,
  a: Float64Array,
  f: Float64Array,
  gemm: NonNullable<LinalgBackend['gemm']>,
  ws: QuadraticFormsWorkspace,
): void {
  fillQuadraticFormPanels(d, a, ws);
  const { starts, widths, offsets, xt, product, panels } = ws;
  const blocks = starts.length;
  for (let r0 = 0; r0 < n; r0 += QUADRATIC_FORMS_ROW_BLOCK) {
    const rb = Math.min(QUADRATIC_FORMS_ROW_BLOCK, n - r0);
    for (let i = 0; i < rb; i++) {
      const src = (r0 + i) * d;
      for (let k = 0; k < d; k++) xt[k * rb + i] = x[src + k]!;
      f[r0 + i] = 0;
    }
    for (let p = 0; p < blocks; p++) {
      const s = starts[p]!;
      const bw = widths[p]!;
      const e = s + bw;
      const off = offsets[p]!;
      gemm(true, false, rb, bw, e, 1, xt.subarray(0, e * rb), panels.subarray(off, off + e * bw), 0, product);
      for (let i = 0; i < rb; i++) {
        const o = i * bw;
        const q = (r0 + i) * d + s;
        let acc = 0;
        for (let j = 0; j < bw; j++) acc += product[o + j]! * x[q + j]!;
        f[r0 + i] = f[r0 + i]! + acc;
      }
    }
  }
}

/**
 * The reference `quadraticForms` kernel: $f_i = x_i^\top A x_i$ for the rows $x_i$ of $X$
 * (`n × d`, row-major) and a symmetric $A$ (`d × d`), $f$ (length `n`) overwritten. It is
 * {@link blockedQuadraticFormsKernel} on the reference `gemm` kernel with a fresh workspace
 * (callers that evaluate many times keep a workspace and call that kernel directly). Reads only
 * the upper triangle of $A$; $f_i = 0$ for $d = 0$. Unchecked.
 *
 * @param n - the number of rows of $X$ and the length of $f$.
 * @param d - the number of columns of $X$ and the order of $A$.
 * @param x - $X$ (`n × d`, row-major).
 * @param a - $A$ (`d × d`, row-major), symmetric; only its upper triangle is read.
 * @param f - the output (length `n`), overwritten; must not share storage with `x` or `a`.
 * @example
 * ```ts
 * const f = new Float64Array(2);
 * quadraticFormsKernel(2, 2, Float64Array.of(1, 0, 1, 1), Float64Array.of(2, 1, 1, 3), f);
 * Array.from(f); // => [2, 7]
 * ```
 */
export function quadraticFormsKernel(n: number, d: number, x: Float64Array, a: Float64Array, f: Float64Array): void {
  blockedQuadraticFormsKernel(n, d, x, a, f, gemmKernel, quadraticFormsWorkspace(n, d));
}
