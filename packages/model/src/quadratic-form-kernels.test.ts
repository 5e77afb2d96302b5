/**
 * The quadratic forms `f_i = x_iᵀ A x_i` through the resolved product kernels
 * (`productKernelsOf(backend).quadraticForms`): on the reference and wasm-simd backends they give
 * the bits of the path before the `quadraticForms` slot existed (the column-blocked kernel of this
 * package, kept below verbatim as `legacyQuadraticForms`, on the backend's `gemm`), and so do the
 * risk, gradient and Hessian-vector product of `QuadraticEmpiricalRisk`; a backend with its own
 * `quadraticForms` slot is used.
 */
import { describe, expect, it } from 'vitest';
import {
  createRng,
  createWasmSimdBackend,
  gaussianMatrix,
  Matrix,
  referenceBackend,
  resolveKernel,
  type LinalgBackend,
  type Rng,
} from '@shallowscape/linalg';
import { effectiveMatrixKernel, productKernelsOf, quadraticFormsOf, scaleRowsKernel, symmetrizeKernel, type ProductKernels } from './quadratic-form-kernels';
import { QuadraticEmpiricalRisk } from './quadratic-risk';

type Gemm = NonNullable<LinalgBackend['gemm']>;

/** The quadratic-form kernel of this package before the `quadraticForms` slot, verbatim but for its arguments (reads all of `a`). */
function legacyQuadraticForms(n: number, d: number, x: Float64Array, a: Float64Array, f: Float64Array, gemm: Gemm): void {
  const count = Math.max(1, Math.round(d / 18));
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
  const rowBlock = 256;
  const panels = new Float64Array(length);
  const xt = new Float64Array(Math.min(n, rowBlock) * d);
  const product = new Float64Array(Math.min(n, rowBlock) * width);
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
  for (let r0 = 0; r0 < n; r0 += rowBlock) {
    const rb = Math.min(rowBlock, n - r0);
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

function symmetric(rng: Rng, d: number): Float64Array {
  const a = new Float64Array(d * d);
  for (let j = 0; j < d; j++) for (let k = 0; k <= j; k++) a[j * d + k] = a[k * d + j] = rng.normal();
  return a;
}

/** Risk, gradient and HVP at (w, u) the way `QuadraticEmpiricalRisk` computed them before the slot, on `kernels`. */
function legacyObjective(
  kernels: ProductKernels,
  n: number,
  d: number,
  m: number,
  x: Float64Array,
  y: Float64Array,
  signs: Float64Array | null,
  w: Float64Array,
  u: Float64Array,
): { risk: number; gradient: Float64Array; hvp: Float64Array } {
  const q = new Float64Array(d * d);
  effectiveMatrixKernel(m, d, w, signs, q, kernels);
  const e = new Float64Array(n);
  legacyQuadraticForms(n, d, x, q, e, kernels.gemm);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const r = e[i]! - y[i]!;
    e[i] = r;
    sum += r * r;
  }
  const s = new Float64Array(d * d);
  kernels.weightedGram(n, d, x, e, s);
  const gradient = new Float64Array(m * d);
  kernels.gemm(false, false, m, d, d, 4 / n, w, s, 0, gradient);
  scaleRowsKernel(m, d, signs, gradient);
  const vu = u.slice();
  scaleRowsKernel(m, d, signs, vu);
  const b = new Float64Array(d * d);
  kernels.gemm(true, false, d, d, m, 1, w, vu, 0, b);
  symmetrizeKernel(d, b);
  const g = new Float64Array(n);
  legacyQuadraticForms(n, d, x, b, g, kernels.gemm);
  const t = new Float64Array(d * d);
  kernels.weightedGram(n, d, x, g, t);
  const hvp = new Float64Array(m * d);
  kernels.gemm(false, false, m, d, d, 4 / n, u, s, 0, hvp);
  kernels.gemm(false, false, m, d, d, 8 / n, w, t, 1, hvp);
  scaleRowsKernel(m, d, signs, hvp);
  return { risk: sum / n, gradient, hvp };
}

// minWork 0: every product through WebAssembly, including the small ones.
const wasm = createWasmSimdBackend({ minWork: 0 });
const backends: Array<[string, LinalgBackend | null]> = [
  ['reference', referenceBackend],
  ['wasm-simd', wasm],
];

describe.each(backends)('quadratic forms on the %s backend: the bits of the path before the quadraticForms slot', (_name, backend) => {
  const shapes: Array<[number, number]> = [[1, 1], [5, 1], [1, 3], [7, 3], [300, 17], [257, 100], [513, 100], [1000, 37], [40, 130]];
  for (const [n, d] of shapes) {
    it.skipIf(backend === null)(`productKernelsOf(backend).quadraticForms: n=${n}, d=${d}`, () => {
      const rng = createRng(17 + 31 * n + d);
      const x = rng.fillNormal(new Float64Array(n * d));
      const a = symmetric(rng, d);
      const kernels = productKernelsOf(backend!);
      const f = new Float64Array(n).fill(Number.NaN);
      kernels.quadraticForms(n, d, x, a, f);
      const legacy = new Float64Array(n);
      legacyQuadraticForms(n, d, x, a, legacy, resolveKernel('gemm', backend!));
      expect(f).toEqual(legacy);
      // Called again with fewer rows and another d (the workspace is re-made), then the first shape again.
      const f2 = new Float64Array(3);
      kernels.quadraticForms(3, 2, Float64Array.of(1, 2, 3, 4, 5, 6), Float64Array.of(1, 2, 2, -1), f2);
      expect(Array.from(f2)).toEqual([1 + 8 - 4, 9 + 48 - 16, 25 + 120 - 36]);
      kernels.quadraticForms(n, d, x, a, f);
      expect(f).toEqual(legacy);
    });
  }

  for (const [d, m, n, signed] of [[3, 2, 7, false], [17, 5, 300, true], [100, 20, 600, false], [37, 11, 1000, true], [1, 1, 5, false]] as Array<
    [number, number, number, boolean]
  >) {
    it.skipIf(backend === null)(`QuadraticEmpiricalRisk: risk, gradient and HVP bits, d=${d}, m=${m}, N=${n}, signed=${signed}`, () => {
      const rng = createRng(7 * d + m + n);
      const x = gaussianMatrix(n, d, rng);
      const y = rng.fillNormal(new Float64Array(n));
      const signs = signed ? Float64Array.from({ length: m }, (_, j) => (j % 2 === 1 ? -1 : 1)) : null;
      const objective = new QuadraticEmpiricalRisk(x, y, m, { backend: backend!, ...(signs === null ? {} : { signs }) });
      const w = gaussianMatrix(m, d, rng).data;
      const u = gaussianMatrix(m, d, rng).data;
      const gradient = new Float64Array(m * d);
      const risk = objective.valueAndGradient(w, gradient);
      const hvp = objective.hessianVectorProduct(w, u);
      const legacy = legacyObjective(productKernelsOf(backend!), n, d, m, x.data, y, signs, w, u);
      expect(Object.is(risk, legacy.risk), `risk ${risk} vs ${legacy.risk}`).toBe(true);
      expect(gradient).toEqual(legacy.gradient);
      expect(hvp).toEqual(legacy.hvp);
    });
  }
});

describe('the resolved quadraticForms kernel', () => {
  it("is the backend's own slot when it has one, with the backend as this", () => {
    const calls: Array<[number, number]> = [];
    const own: LinalgBackend = {
      name: 'own-quadratic-forms',
      precision: 'float64',
      description: 'the reference kernel, counted',
      quadraticForms(this: LinalgBackend, n, d, x, a, f) {
        expect(this.name).toBe('own-quadratic-forms');
        calls.push([n, d]);
        referenceBackend.quadraticForms!(n, d, x, a, f);
      },
    };
    const x = Matrix.identity(2);
    const objective = new QuadraticEmpiricalRisk(x, Float64Array.of(1, 1), 2, { backend: own });
    expect(objective.value(Float64Array.of(1, 0, 0, 1))).toBe(0);
    const g = new Float64Array(4);
    objective.valueAndGradient(Float64Array.of(1, 0, 0, 0), g);
    objective.hessianVectorProduct(Float64Array.of(1, 0, 0, 0), Float64Array.of(0, 1, 0, 0));
    expect(calls).toEqual([[2, 2], [2, 2], [2, 2]]);
  });

  it('runs the reference scheme on the gemm of a backend without quadraticForms', () => {
    let gemmCalls = 0;
    const gemmOnly: LinalgBackend = {
      name: 'gemm-only',
      precision: 'float64',
      description: 'the reference gemm, counted',
      gemm(...args) {
        gemmCalls++;
        referenceBackend.gemm!(...args);
      },
    };
    const kernels = productKernelsOf(gemmOnly);
    const f = new Float64Array(2);
    kernels.quadraticForms(2, 2, Float64Array.of(1, 0, 1, 1), Float64Array.of(2, 1, 1, 3), f);
    expect(Array.from(f)).toEqual([2, 7]);
    expect(gemmCalls).toBeGreaterThan(0);
  });

  it('quadraticFormsOf (the networks’ outputs) reads only the upper triangle, as the slot', () => {
    const f = quadraticFormsOf(2, 2, Float64Array.of(1, 0, 1, 1), Float64Array.of(2, 1, Number.NaN, 3));
    expect(Array.from(f)).toEqual([2, 7]);
  });
});
