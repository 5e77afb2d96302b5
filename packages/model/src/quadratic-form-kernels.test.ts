/**
 * The kernels of `quadratic-form-kernels.ts` against exact values computed by numpy
 * (`fixtures/gen_quadratic_forms.py` → `fixtures/quadratic-forms.json`):
 *
 * - the quadratic forms `f_i = x_iᵀ A x_i` of `productKernelsOf(backend).quadraticForms` on the
 *   reference and wasm-simd backends, and of `quadraticFormsOf`, for d = 1, 3, 17, 37, 100, 130
 *   and n across the 256-row block (257, 300, 513, 1000), including matrices whose strict lower
 *   triangle is random or NaN (the slot reads only the upper triangle);
 * - `effectiveMatrixKernel` (`Q = Wᵀ diag(v) W`) and the risk, gradient and Hessian-vector product
 *   of `QuadraticEmpiricalRisk` computed through these kernels on both backends, signed and
 *   unsigned;
 * - `scaleRowsKernel` and `symmetrizeKernel` on closed forms;
 * - determinism: on each backend the same inputs give the same bits on repeated calls (the forms
 *   kernel after its workspace was re-made for another shape; the objective after an evaluation at
 *   another point);
 * - the resolution of the slot: a backend's own `quadraticForms` is used (with the backend as
 *   `this`), and a backend with only `gemm` gets the reference scheme on that `gemm`.
 *
 * The inputs are not stored in the fixture (10^5 numbers): each case replays the generator's
 * xorshift32 stream (`Stream` below, the same arithmetic as `Stream` in the script) and first
 * checks the first and last values drawn and the final state against the fixture. Since every
 * input is an integer times 2^-50, the script computes every expected value exactly (Python
 * integers) and rounds it once, so the tolerances below bound the error of the TypeScript path
 * alone.
 */
import { describe, expect, it } from 'vitest';
import { createWasmSimdBackend, Matrix, referenceBackend, type LinalgBackend } from '@shallowscape/linalg';
import { expectClose, loadFixture } from '@shallowscape/test-utils';
import { effectiveMatrixKernel, productKernelsOf, quadraticFormsOf, scaleRowsKernel, symmetrizeKernel } from './quadratic-form-kernels';
import { QuadraticEmpiricalRisk } from './quadratic-risk';

/** Unit roundoff of float64. */
const U = Number.EPSILON / 2;

interface StreamCheck {
  first: number;
  last: number;
  state: number;
}

interface FormCase {
  n: number;
  d: number;
  lower: 'mirror' | 'random' | 'nan';
  seed: number;
  check: StreamCheck;
  f: number[];
}

interface RiskCase {
  n: number;
  d: number;
  m: number;
  seed: number;
  check: StreamCheck;
  signs: number[] | null;
  q: number[] | null;
  risk: number;
  gradient: number[];
  hvp: number[];
  qScale: number;
  riskScale: number;
  gradientScale: number;
  hvpScale: number;
}

const fixture = loadFixture<{ forms: FormCase[]; risks: RiskCase[] }>(import.meta.url, 'fixtures/quadratic-forms.json');

/**
 * The inputs of gen_quadratic_forms.py: xorshift32 (13, 17, 5) from `seed`; each value takes two
 * draws hi, lo and is ((hi >>> 6)·2^26 + (lo >>> 6) − 2^51)·2^-50, exact in a double.
 */
class Stream {
  private state: number;
  private first: number | undefined;
  private last: number | undefined;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  private draw(): number {
    let s = this.state;
    s = (s ^ (s << 13)) >>> 0;
    s = (s ^ (s >>> 17)) >>> 0;
    s = (s ^ (s << 5)) >>> 0;
    this.state = s;
    return s;
  }

  take(count: number): Float64Array {
    const out = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const hi = this.draw();
      const lo = this.draw();
      out[k] = ((hi >>> 6) * 2 ** 26 + (lo >>> 6) - 2 ** 51) / 2 ** 50;
    }
    if (count > 0) {
      this.first ??= out[0]!;
      this.last = out[count - 1]!;
    }
    return out;
  }

  /** Throws unless the stream drew what the script drew. */
  expectSameAs(check: StreamCheck): void {
    expect({ first: this.first, last: this.last, state: this.state }, 'inputs replayed from the generator stream').toEqual(check);
  }
}

/** X (n × d) and A (d × d) of a quadratic-form case, A's strict lower triangle as the case says. */
function formInputs(c: FormCase): { x: Float64Array; a: Float64Array } {
  const { n, d } = c;
  const stream = new Stream(c.seed);
  const x = stream.take(n * d);
  const upper = stream.take((d * (d + 1)) / 2);
  const a = new Float64Array(d * d);
  let pos = 0;
  for (let j = 0; j < d; j++) for (let k = j; k < d; k++) a[j * d + k] = upper[pos++]!;
  if (c.lower === 'random') {
    const lower = stream.take((d * (d - 1)) / 2);
    pos = 0;
    for (let j = 0; j < d; j++) for (let k = j + 1; k < d; k++) a[k * d + j] = lower[pos++]!;
  } else {
    for (let j = 0; j < d; j++) for (let k = j + 1; k < d; k++) a[k * d + j] = c.lower === 'nan' ? Number.NaN : a[j * d + k]!;
  }
  stream.expectSameAs(c.check);
  return { x, a };
}

/**
 * Asserts |f_i − exact_i| ≤ 8 (2d + 2) u |x_i|ᵀ|A||x_i| for every row, with A the symmetric matrix of
 * the upper triangle of `a`. This is the accuracy the `quadraticForms` slot documents
 * (linalg-backend.ts: within c d u Σ_jk |x_ij||A_jk||x_ik|, the conformance suite's c d = 8 (2d + 2)):
 * each f_i is a sum of d² products of three factors, summed in at most 2d + 2 rounded steps along any
 * path of the blocked scheme, so the backward-error bound is γ_{2d+2} ≈ (2d + 2) u relative to the
 * absolute-value sum, and 8 leaves room for the gemm's own summation order. That is ≈ 1e-13 relative
 * to the row sum at d ≈ 55 (3.5e-15 at d = 1, 2.3e-13 at d = 130); the expected values are exact
 * (rounded once), and a wrong term (a missed or double-counted pair, a lower-triangle read) moves
 * f_i by a fraction ~1/d² of the row sum or more, far outside it. The row sums are formed here in
 * float64 (their own relative error, ~d u, does not matter for a tolerance).
 */
function expectFormsClose(f: Float64Array, c: FormCase, x: Float64Array, a: Float64Array): void {
  const { n, d } = c;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const xj = Math.abs(x[i * d + j]!);
      for (let k = 0; k < d; k++) s += xj * Math.abs(j <= k ? a[j * d + k]! : a[k * d + j]!) * Math.abs(x[i * d + k]!);
    }
    expectClose(f[i]!, c.f[i]!, { abs: 8 * (2 * d + 2) * U * s }, `f[${i}]`);
  }
}

/** The bit patterns of `a` (signs of zero and NaN payloads included), for bit-identity checks. */
function bits(a: Float64Array): bigint[] {
  return Array.from(new BigUint64Array(a.buffer, a.byteOffset, a.length));
}

// minWork 0: every product through WebAssembly, including the small ones.
const wasm = createWasmSimdBackend({ minWork: 0 });
const backends: Array<[string, LinalgBackend | null]> = [
  ['reference', referenceBackend],
  ['wasm-simd', wasm],
];

describe.each(backends)('the %s backend against numpy (fixtures/gen_quadratic_forms.py, exact values)', (_name, backend) => {
  for (const c of fixture.forms) {
    const { n, d } = c;
    it.skipIf(backend === null)(`productKernelsOf(backend).quadraticForms: n=${n}, d=${d}, lower triangle ${c.lower}; same bits when called again`, () => {
      const { x, a } = formInputs(c);
      const kernels = productKernelsOf(backend!);
      const f = new Float64Array(n).fill(Number.NaN);
      kernels.quadraticForms(n, d, x, a, f);
      expectFormsClose(f, c, x, a);
      const first = bits(f);
      // Called with fewer rows and another d (the workspace is re-made): a closed form
      // (rows (1, 2), (3, 4), (5, 6) and A = [[1, 2], [2, −1]]: x₁² + 4x₁x₂ − x₂²), then the first shape again.
      const f2 = new Float64Array(3);
      kernels.quadraticForms(3, 2, Float64Array.of(1, 2, 3, 4, 5, 6), Float64Array.of(1, 2, 2, -1), f2);
      expect(Array.from(f2)).toEqual([1 + 8 - 4, 9 + 48 - 16, 25 + 120 - 36]);
      f.fill(Number.NaN);
      kernels.quadraticForms(n, d, x, a, f);
      expect(bits(f)).toEqual(first);
    });
  }

  for (const c of fixture.risks) {
    const { n, d, m } = c;
    // Error budget k u relative to the absolute-value scales of the fixture: Q sums m products, f_i
    // sums 2d + 2 steps on Q, e_i = f_i − y_i one more, S = Xᵀ diag(e) X sums N terms, and the gradient
    // W S (the HVP U S + 2 W T, T formed like S from g_i = x_iᵀ B x_i) sums d more: at most
    // m + 3d + N + 5 roundings along any path, so γ_k with k = N + m + 3d + 8 bounds the error relative
    // to the scales (which replace every term by its absolute value, see the script), and 2 k u covers
    // γ_k. That is 2.5e-13 of the scale at N = 1000, d = 37; a wrong coefficient or term changes
    // the result by O(1) of the scale. The script checks its own float64 per-sample evaluation
    // against the same bound.
    const k = n + m + 3 * d + 8;
    const tol = (scale: number): { abs: number } => ({ abs: 2 * k * U * scale });
    it.skipIf(backend === null)(
      `effectiveMatrixKernel and QuadraticEmpiricalRisk (risk, gradient, HVP): d=${d}, m=${m}, N=${n}, ${c.signs ? 'signed' : 'unsigned'}; same bits when called again`,
      () => {
        const stream = new Stream(c.seed);
        const x = stream.take(n * d);
        const y = stream.take(n);
        const w = stream.take(m * d);
        const u = stream.take(m * d);
        stream.expectSameAs(c.check);
        const signs = c.signs === null ? null : Float64Array.from(c.signs);
        const kernels = productKernelsOf(backend!);
        if (c.q !== null) {
          const q = new Float64Array(d * d).fill(Number.NaN);
          effectiveMatrixKernel(m, d, w, signs, q, kernels);
          expectClose(q, c.q, tol(c.qScale), 'Q = Wᵀ diag(v) W');
        }
        const objective = new QuadraticEmpiricalRisk(Matrix.fromRowMajor(n, d, x), y, m, { backend: backend!, ...(signs === null ? {} : { signs }) });
        const gradient = new Float64Array(m * d).fill(Number.NaN);
        const risk = objective.valueAndGradient(w, gradient);
        const hvp = objective.hessianVectorProduct(w, u);
        expectClose(risk, c.risk, tol(c.riskScale), 'risk');
        expectClose(gradient, c.gradient, tol(c.gradientScale), 'gradient');
        expectClose(hvp, c.hvp, tol(c.hvpScale), 'H[U]');
        // Again after an evaluation at another point (U), which replaces the kept residuals.
        objective.valueAndGradient(u, new Float64Array(m * d));
        const gradient2 = new Float64Array(m * d);
        const risk2 = objective.valueAndGradient(w, gradient2);
        expect(Object.is(risk2, risk), `risk ${risk2} vs ${risk}`).toBe(true);
        expect(bits(gradient2)).toEqual(bits(gradient));
        expect(bits(objective.hessianVectorProduct(w, u))).toEqual(bits(hvp));
      },
    );
  }
});

describe('quadraticFormsOf (the reference kernel, the networks’ outputs) against numpy (fixtures/gen_quadratic_forms.py)', () => {
  for (const c of fixture.forms) {
    it(`n=${c.n}, d=${c.d}, lower triangle ${c.lower}`, () => {
      const { x, a } = formInputs(c);
      expectFormsClose(quadraticFormsOf(c.n, c.d, x, a), c, x, a);
    });
  }

  it('reads only the upper triangle, as the slot', () => {
    const f = quadraticFormsOf(2, 2, Float64Array.of(1, 0, 1, 1), Float64Array.of(2, 1, Number.NaN, 3));
    expect(Array.from(f)).toEqual([2, 7]);
  });
});

describe('scaleRowsKernel and symmetrizeKernel (closed forms)', () => {
  it('scaleRowsKernel multiplies row j by signs[j], and is a no-op for null signs', () => {
    const a = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9);
    scaleRowsKernel(3, 3, Float64Array.of(1, -1, 0.5), a);
    expect(Array.from(a)).toEqual([1, 2, 3, -4, -5, -6, 3.5, 4, 4.5]);
    scaleRowsKernel(3, 3, null, a);
    expect(Array.from(a)).toEqual([1, 2, 3, -4, -5, -6, 3.5, 4, 4.5]);
  });

  it('symmetrizeKernel gives (B + Bᵀ)/2 and keeps the diagonal', () => {
    const b = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9);
    symmetrizeKernel(3, b);
    expect(Array.from(b)).toEqual([1, 3, 5, 3, 5, 7, 5, 7, 9]);
    const one = Float64Array.of(-2.5);
    symmetrizeKernel(1, one);
    expect(Array.from(one)).toEqual([-2.5]);
  });
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
});
