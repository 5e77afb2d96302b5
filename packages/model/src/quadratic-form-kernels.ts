/**
 * Unchecked kernels shared by the quadratic networks and their risks (internal: not exported
 * from the package index). They assume valid input: sizes agree, arrays have the stated lengths
 * and outputs share no memory with inputs. The checked callers validate once.
 *
 * @packageDocumentation
 */
import {
  QUADRATIC_FORMS_ROW_BLOCK,
  allocateOperand,
  blockedQuadraticFormsKernel,
  gemmKernel,
  quadraticFormsKernel,
  quadraticFormsWorkspace,
  resolveKernel,
  syrkKernel,
  weightedGramKernel,
  type LinalgBackend,
  type QuadraticFormsWorkspace,
} from '@shallowscape/linalg';

/** The product kernels the quadratic models run on (unchecked, as the backend slots). */
export interface ProductKernels {
  readonly gemm: NonNullable<LinalgBackend['gemm']>;
  readonly syrk: NonNullable<LinalgBackend['syrk']>;
  readonly weightedGram: NonNullable<LinalgBackend['weightedGram']>;
  /** $f_i = x_i^\top A x_i$ for the rows of `X` (`n × d`) and a symmetric `A`: the `quadraticForms` slot's contract. */
  readonly quadraticForms: NonNullable<LinalgBackend['quadraticForms']>;
  /** A zero-filled array for an operand these kernels will read many times (`allocateOperand` on their backend: in place on the threaded `wasm-simd` backend). */
  readonly allocate: (length: number) => Float64Array;
}

/** The reference (pure-TypeScript) kernels: the default of every model. */
export const REFERENCE_PRODUCT_KERNELS: ProductKernels = {
  gemm: gemmKernel,
  syrk: syrkKernel,
  weightedGram: weightedGramKernel,
  quadraticForms: quadraticFormsKernel,
  allocate: (length) => new Float64Array(length),
};

/**
 * The reference quadratic-form scheme (`blockedQuadraticFormsKernel`) with its products on
 * `gemm`, keeping one workspace for the calls (re-made when `d` changes or more rows come).
 */
function blockedQuadraticFormsOn(gemm: NonNullable<LinalgBackend['gemm']>): NonNullable<LinalgBackend['quadraticForms']> {
  let ws: QuadraticFormsWorkspace | undefined;
  return (n, d, x, a, f) => {
    if (ws === undefined || ws.d !== d || ws.rows < Math.min(n, QUADRATIC_FORMS_ROW_BLOCK)) ws = quadraticFormsWorkspace(n, d);
    blockedQuadraticFormsKernel(n, d, x, a, f, gemm, ws);
  };
}

/**
 * The product kernels of `backend`, or of the default backend (`getBackend()`) when none is given;
 * each slot the backend lacks falls back to the reference backend's. `quadraticForms` is the
 * backend's own kernel when it has one (the native and `wasm-simd` backends'); otherwise the
 * reference scheme runs its products on the backend's `gemm` (so a backend with a `gemm` but no
 * `quadraticForms` keeps its own products and its bits) with a workspace kept by the returned
 * object. `allocate` is `allocateOperand` on the backend. Validates the backend (throws
 * `InvalidArgumentError` naming `backend` for a malformed one).
 */
export function productKernelsOf(backend: LinalgBackend | undefined): ProductKernels {
  const gemm = resolveKernel('gemm', backend);
  const forms = resolveKernel('quadraticForms', backend);
  return {
    gemm,
    syrk: resolveKernel('syrk', backend),
    weightedGram: resolveKernel('weightedGram', backend),
    quadraticForms: forms === quadraticFormsKernel ? blockedQuadraticFormsOn(gemm) : forms,
    allocate: (length) => allocateOperand(length, backend),
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

/** `f_i = x_iᵀ A x_i` (symmetric `A`) as a fresh array, on the reference kernel (allocating its own scratch). */
export function quadraticFormsOf(n: number, d: number, x: Float64Array, a: Float64Array): Float64Array {
  const f = new Float64Array(n);
  quadraticFormsKernel(n, d, x, a, f);
  return f;
}
