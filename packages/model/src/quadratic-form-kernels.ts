/**
 * Unchecked kernels shared by the quadratic networks and their risks (internal: not exported
 * from the package index). They assume valid input: sizes agree, arrays have the stated lengths
 * and outputs share no memory with inputs. The checked callers validate once.
 *
 * @packageDocumentation
 */
import { gemmKernel, resolveKernel, syrkKernel, weightedGramKernel, type LinalgBackend } from '@shallowscape/linalg';

/** The product kernels the quadratic models run on (unchecked, as the backend slots). */
export interface ProductKernels {
  readonly gemm: NonNullable<LinalgBackend['gemm']>;
  readonly syrk: NonNullable<LinalgBackend['syrk']>;
  readonly weightedGram: NonNullable<LinalgBackend['weightedGram']>;
}

/** The reference (pure-TypeScript) kernels: the default of every model. */
export const REFERENCE_PRODUCT_KERNELS: ProductKernels = {
  gemm: gemmKernel,
  syrk: syrkKernel,
  weightedGram: weightedGramKernel,
};

/**
 * The product kernels of `backend`, or of the default backend (`getBackend()`, the reference one
 * unless an application chose another) when none is given; each slot the backend lacks falls back
 * to the reference backend's. Validates the backend (throws `InvalidArgumentError` naming
 * `backend` for a malformed one).
 */
export function productKernelsOf(backend: LinalgBackend | undefined): ProductKernels {
  return {
    gemm: resolveKernel('gemm', backend),
    syrk: resolveKernel('syrk', backend),
    weightedGram: resolveKernel('weightedGram', backend),
  };
}

/**
 * `Q = Wᵀ diag(v) W` (d×d, exactly symmetric) for `W` m×d row-major: `syrk` (`WᵀW`) without
 * signs, the weighted Gram kernel with them (from `kernels`, default the reference ones).
 */
export function effectiveMatrixKernel(
  m: number,
  d: number,
  w: Float64Array,
  signs: Float64Array | null,
  out: Float64Array,
  kernels: ProductKernels = REFERENCE_PRODUCT_KERNELS,
): void {
  if (signs === null) kernels.syrk(true, d, m, 1, w, 0, out);
  else kernels.weightedGram(m, d, w, signs, out);
}

/** Rows of `X` per block in {@link quadraticFormsKernel} (a transposed block is `ROW_BLOCK · d` doubles). */
export const ROW_BLOCK = 256;

/** Target width of a column block of {@link quadraticFormsKernel} (rounded up to a multiple of 4; tuned on d = 20, 50, 100). */
const COLUMN_BLOCK_TARGET = 18;

/**
 * Buffers and column blocking of {@link quadraticFormsKernel} for `n × d` inputs, allocated once
 * (an objective evaluates the kernel many times).
 */
export interface QuadraticFormsWorkspace {
  /** Input dimension the workspace was made for. */
  readonly d: number;
  /** Column blocks `[start, start + width)`, in order. */
  readonly starts: Int32Array;
  readonly widths: Int32Array;
  /** Offset of block `p`'s coefficient panel in `panels`. */
  readonly offsets: Int32Array;
  /** Coefficient panels `V_p` (`end_p × width_p` each, row-major). */
  readonly panels: Float64Array;
  /** A transposed row block of `X` (`d × rb`). */
  readonly xt: Float64Array;
  /** A product block (`rb × width_p`). */
  readonly product: Float64Array;
}

/** Allocates the workspace of {@link quadraticFormsKernel} for `n` rows of dimension `d`. */
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
  const rb = Math.min(n, ROW_BLOCK);
  return {
    d,
    starts: Int32Array.from(starts),
    widths: Int32Array.from(widths),
    offsets: Int32Array.from(offsets),
    panels: new Float64Array(length),
    xt: new Float64Array(rb * d),
    product: new Float64Array(rb * width),
  };
}

/**
 * The quadratic forms `f_i = x_iᵀ A x_i` of the rows of `X` (n×d) for a symmetric d×d `A`, with
 * half the multiply–adds of `X A` taken whole. The columns are cut into blocks `p` of about 18;
 * with `V_p[r, j] = c_r A[r, s_p + j]` for rows `r < e_p` (`c_r = 2` before the block, 1 inside it),
 *
 *   f_i = Σ_p Σ_{j ∈ p} x_{i, s_p + j} (X[:, 0:e_p] V_p)_{ij},
 *
 * which counts each off-diagonal block pair once, doubled. Each product is a `gemm` on a row block
 * of `X` stored transposed, whose leading rows are exactly the column prefix `X[:, 0:e_p]`.
 * Cost ≈ `n d² (P + 1)/(2P)` multiply–adds for `P` blocks, instead of `n d²`. The products run
 * on `kernels.gemm` (default: the reference kernel).
 */
export function quadraticFormsKernel(
  n: number,
  d: number,
  x: Float64Array,
  a: Float64Array,
  f: Float64Array,
  ws: QuadraticFormsWorkspace,
  kernels: ProductKernels = REFERENCE_PRODUCT_KERNELS,
): void {
  const gemm = kernels.gemm;
  const { starts, widths, offsets, panels, xt, product } = ws;
  const blocks = starts.length;
  for (let p = 0; p < blocks; p++) {
    const s = starts[p]!;
    const bw = widths[p]!;
    const e = s + bw;
    const off = offsets[p]!;
    for (let r = 0; r < e; r++) {
      const c = r < s ? 2 : 1;
      const src = r * d + s;
      const dst = off + r * bw;
      for (let j = 0; j < bw; j++) panels[dst + j] = c * a[src + j]!;
    }
  }
  for (let r0 = 0; r0 < n; r0 += ROW_BLOCK) {
    const rb = Math.min(ROW_BLOCK, n - r0);
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

/** Multiplies row `j` of the m×d row-major `a` by `signs[j]` in place (no-op for `null`). */
export function scaleRowsKernel(m: number, d: number, signs: Float64Array | null, a: Float64Array): void {
  if (signs === null) return;
  for (let j = 0; j < m; j++) {
    if (signs[j] === 1) continue;
    const s = signs[j]!;
    for (let k = j * d; k < (j + 1) * d; k++) a[k] = s * a[k]!;
  }
}

/** `B ← (B + Bᵀ)/2` for a d×d row-major `B`. */
export function symmetrizeKernel(d: number, b: Float64Array): void {
  for (let k = 0; k < d; k++) {
    for (let l = k + 1; l < d; l++) {
      const v = 0.5 * (b[k * d + l]! + b[l * d + k]!);
      b[k * d + l] = v;
      b[l * d + k] = v;
    }
  }
}

/** `out = Wᵀ diag(v) W` as a fresh d×d array. */
export function effectiveMatrixOf(m: number, d: number, w: Float64Array, signs: Float64Array | null): Float64Array {
  const out = new Float64Array(d * d);
  effectiveMatrixKernel(m, d, w, signs, out);
  return out;
}

/** `f_i = x_iᵀ A x_i` as a fresh array (allocating its own scratch). */
export function quadraticFormsOf(n: number, d: number, x: Float64Array, a: Float64Array): Float64Array {
  const f = new Float64Array(n);
  quadraticFormsKernel(n, d, x, a, f, quadraticFormsWorkspace(n, d));
  return f;
}
