import { describe, expect, it } from 'vitest';
import { countdownSignal, loadFixture } from '@shallowscape/test-utils';
import { AbortedError } from '../errors';
import { eigh } from '../decompositions/eigh';
import { eighKernel } from '../decompositions/eigh-kernel';
import { applyHouseholderQ, householderTridiagonalize } from '../decompositions/tridiagonal';
import { gemmKernel } from '../kernels/gemm-kernel';
import { Matrix } from '../matrix';
import { createRng, randomSymmetric } from '../rng';
import { referenceBackend } from './reference';
import { createWasmSimdBackend, createWasmSimdWorkspace, type WasmSimdWorkspace } from './wasm-simd';
import { TRIDIAGONAL_PANEL_WIDTH, wasmBlockedTridiagonalize } from './wasm-simd-blocked-tridiagonal';
import { createWasmSimdEigh } from './wasm-simd-eigh';
import { HOUSEHOLDER_BLOCK, wasmApplyHouseholderQ } from './wasm-simd-householder-q';

const EPS = Number.EPSILON;
const workspace = createWasmSimdWorkspace();
const wasm = createWasmSimdBackend({ threads: 1 })!;

/** ‖x‖_F of a flat array. */
function frobenius(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}

/** C = op(A) op(B) for n × n row-major matrices (reference kernel). */
function product(n: number, a: Float64Array, b: Float64Array, transA = false, transB = false): Float64Array {
  const c = new Float64Array(n * n);
  gemmKernel(transA, transB, n, n, n, 1, a, b, 0, c);
  return c;
}

/** The n × n identity, row-major. */
function identity(n: number): Float64Array {
  const z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) z[i * n + i] = 1;
  return z;
}

/** ‖AV − VΛ‖_F / ‖A‖_F and ‖VᵀV − I‖_F for eigenvectors as columns of the row-major v. */
function invariants(n: number, a: Float64Array, values: Float64Array, v: Float64Array): { residual: number; orthogonality: number } {
  const av = product(n, a, v);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) av[i * n + j] = av[i * n + j]! - v[i * n + j]! * values[j]!;
  const vtv = product(n, v, v, true);
  for (let i = 0; i < n; i++) vtv[i * n + i] = vtv[i * n + i]! - 1;
  const normA = frobenius(a);
  return { residual: normA === 0 ? frobenius(av) : frobenius(av) / normA, orthogonality: frobenius(vtv) };
}

/** A = Q diag(λ) Qᵀ, exactly symmetric, with Q the eigenvectors of a random symmetric matrix. */
function withSpectrum(values: number[], seed: number): Float64Array {
  const n = values.length;
  const q = eighKernel(n, randomSymmetric(n, createRng(seed)).data, true).vectors!;
  const ql = q.slice();
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ql[i * n + j] = ql[i * n + j]! * values[j]!;
  const a = product(n, ql, q, false, true);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const s = 0.5 * (a[i * n + j]! + a[j * n + i]!);
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  }
  return a;
}

describe('symmetricLowerProduct (wasm, dsymv lower)', () => {
  for (const m of [0, 1, 2, 3, 4, 5, 7, 8, 9, 33, 130]) {
    it(`m = ${m}, row stride m + 3: reads only the lower triangle`, () => {
      const ex = workspace.exports;
      const lda = m + 3;
      const rng = createRng(600 + m);
      const { start, f64 } = workspace.reserve(m * lda + 2 * m + 2)!;
      const ap = start;
      const xp = ap + m * lda + (m * lda) % 2;
      const yp = xp + m + (m % 2);
      const a = new Float64Array(m * lda).fill(Number.NaN); // NaN above the diagonal and in the padding
      for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) a[i * lda + j] = rng.normal();
      const x = rng.fillNormal(new Float64Array(m));
      f64.set(a, ap);
      f64.set(x, xp);
      ex.symmetricLowerProduct(m, ap * 8, lda, xp * 8, yp * 8);
      for (let i = 0; i < m; i++) {
        let want = 0;
        let scale = 0;
        for (let j = 0; j < m; j++) {
          const aij = j <= i ? a[i * lda + j]! : a[j * lda + i]!;
          want += aij * x[j]!;
          scale += Math.abs(aij * x[j]!);
        }
        expect(Math.abs(f64[yp + i]! - want), `y[${i}]`).toBeLessThanOrEqual(4 * (m + 2) * EPS * scale);
      }
    });
  }
});

describe('blocked tridiagonalisation (wasm, dsytrd) against the unblocked reduction', () => {
  for (const n of [1, 2, 3, 5, 33, 65, 130, 257]) {
    for (const nb of [16, 32, 5, 1]) {
      if (nb !== 16 && n > 130) continue;
      it(`n = ${n}, panels of ${nb}: QᵀAQ = T, QᵀQ = I, d and e as the unblocked reduction`, () => {
        const a = randomSymmetric(n, createRng(700 + n)).data;
        const copy = a.slice();
        const blocked = wasmBlockedTridiagonalize(workspace, n, a, 1, true, undefined, nb)!;
        expect(a, 'input untouched').toEqual(copy);
        const w = a.slice();
        const plain = householderTridiagonalize(n, w);
        const normA = frobenius(a);
        for (let i = 0; i < n; i++) expect(Math.abs(blocked.d[i]! - plain.d[i]!), `d[${i}]`).toBeLessThanOrEqual(64 * n * EPS * normA);
        for (let i = 0; i < n - 1; i++) expect(Math.abs(blocked.e[i]! - plain.e[i]!), `e[${i}]`).toBeLessThanOrEqual(64 * n * EPS * normA);
        // Q from the blocked reflectors (by the reference back-transformation), then QᵀAQ − T.
        const q = identity(n);
        applyHouseholderQ(n, blocked.reflectors!, blocked.tau, q);
        const qtaq = product(n, q, product(n, a, q), true);
        for (let i = 0; i < n; i++) {
          qtaq[i * n + i] = qtaq[i * n + i]! - blocked.d[i]!;
          if (i + 1 < n) {
            qtaq[i * n + i + 1] = qtaq[i * n + i + 1]! - blocked.e[i]!;
            qtaq[(i + 1) * n + i] = qtaq[(i + 1) * n + i]! - blocked.e[i]!;
          }
        }
        expect(frobenius(qtaq), '‖QᵀAQ − T‖_F').toBeLessThanOrEqual(16 * Math.max(n, 1) * EPS * normA);
        const qtq = product(n, q, q, true);
        for (let i = 0; i < n; i++) qtq[i * n + i] = qtq[i * n + i]! - 1;
        expect(frobenius(qtq), '‖QᵀQ − I‖_F').toBeLessThanOrEqual(16 * Math.max(n, 1) * EPS);
      });
    }
  }

  it('reduces the zero matrix and a diagonal matrix exactly (τ = 0, e = 0)', () => {
    const n = 67;
    const zero = wasmBlockedTridiagonalize(workspace, n, new Float64Array(n * n), 1, false)!;
    expect(Array.from(zero.d)).toEqual(new Array(n).fill(0));
    expect(Array.from(zero.e)).toEqual(new Array(n - 1).fill(0));
    expect(Array.from(zero.tau)).toEqual(new Array(n - 1).fill(0));
    expect(zero.reflectors).toBeNull();
    const diagonal = new Float64Array(n * n);
    for (let i = 0; i < n; i++) diagonal[i * n + i] = ((i * 37) % n) - 30;
    const r = wasmBlockedTridiagonalize(workspace, n, diagonal, 1, false)!;
    expect(Array.from(r.d)).toEqual(Array.from({ length: n }, (_, i) => ((i * 37) % n) - 30));
    expect(Array.from(r.e)).toEqual(new Array(n - 1).fill(0));
  });

  it('scales by the given power of two exactly', () => {
    const n = 40;
    const a = randomSymmetric(n, createRng(41)).data;
    const plain = wasmBlockedTridiagonalize(workspace, n, a, 1, false)!;
    // Every operation of the reduction is homogeneous, so away from overflow and underflow a power
    // of two passes through exactly.
    for (const s of [2 ** -40, 2 ** 40]) {
      const scaled = wasmBlockedTridiagonalize(workspace, n, a, s, false)!;
      expect(Array.from(scaled.d)).toEqual(Array.from(plain.d, (x) => x * s));
      expect(Array.from(scaled.e)).toEqual(Array.from(plain.e, (x) => x * s));
    }
  });
});

describe('blocked back-transformation (wasm, dormtr) against the reference one', () => {
  for (const n of [1, 2, 3, 5, 33, 65, 130, 257]) {
    for (const nb of [32, 7]) {
      it(`n = ${n}, blocks of ${nb}`, () => {
        const rng = createRng(800 + n);
        const w = randomSymmetric(n, rng).data;
        const { tau } = householderTridiagonalize(n, w);
        const z = rng.fillNormal(new Float64Array(n * n));
        const want = z.slice();
        applyHouseholderQ(n, w, tau, want);
        const got = z.slice();
        expect(wasmApplyHouseholderQ(workspace, n, w, tau, got, undefined, nb)).toBe(true);
        const diff = got.map((x, i) => x - want[i]!);
        expect(frobenius(diff)).toBeLessThanOrEqual(16 * Math.max(n, 1) * EPS * frobenius(z));
      });
    }
  }
});

describe('wasm-simd eigh', () => {
  interface EighCase {
    name: string;
    a: number[][];
    values: number[];
  }
  const fixture = loadFixture<{ cases: EighCase[] }>(import.meta.url, '../decompositions/fixtures/eigh.json');

  it('matches numpy.linalg.eigh on the fixtures (values, AV = VΛ, VᵀV = I)', () => {
    for (const c of fixture.cases) {
      const n = c.a.length;
      const a = Float64Array.from(c.a.flat());
      const { values, vectors } = wasm.eigh!(n, a, true);
      const norm2 = Math.max(0, ...c.values.map(Math.abs));
      const s = norm2 === 0 ? 1 : 2 ** -Math.round(Math.log2(norm2)); // residuals of 2^−s·A: no overflow
      for (let i = 0; i < n; i++) {
        expect(Math.abs(values[i]! - c.values[i]!), `${c.name}: λ${i}`).toBeLessThanOrEqual(4 * Math.max(n, 1) * EPS * norm2);
      }
      const valuesOnly = wasm.eigh!(n, a, false).values;
      for (let i = 0; i < n; i++) {
        expect(Math.abs(valuesOnly[i]! - c.values[i]!), `${c.name}: λ${i} (values only)`).toBeLessThanOrEqual(4 * Math.max(n, 1) * EPS * norm2);
      }
      const { residual, orthogonality } = invariants(n, a.map((x) => x * s), values.map((x) => x * s), vectors!);
      expect(residual, `${c.name}: ‖AV − VΛ‖/‖A‖`).toBeLessThanOrEqual(16 * Math.max(n, 1) * EPS);
      expect(orthogonality, `${c.name}: ‖VᵀV − I‖`).toBeLessThanOrEqual(16 * Math.max(n, 1) * EPS);
    }
  });

  for (const n of [2, 3, 5, 33, 65, 130, 257]) {
    it(`n = ${n}: invariants, and the values of the reference backend`, () => {
      const a = randomSymmetric(n, createRng(900 + n)).data;
      const { values, vectors } = wasm.eigh!(n, a, true);
      const { residual, orthogonality } = invariants(n, a, values, vectors!);
      expect(residual).toBeLessThanOrEqual(16 * n * EPS);
      expect(orthogonality).toBeLessThanOrEqual(16 * n * EPS);
      const reference = eighKernel(n, a, false).values;
      const valuesOnly = wasm.eigh!(n, a, false).values;
      const tol = 4 * n * EPS * frobenius(a);
      for (let i = 0; i < n; i++) {
        expect(Math.abs(values[i]! - reference[i]!)).toBeLessThanOrEqual(tol);
        expect(Math.abs(valuesOnly[i]! - reference[i]!)).toBeLessThanOrEqual(tol);
      }
    });
  }

  it('n = 500: ‖AV − VΛ‖_F/‖A‖_F ≤ 100·n·ε and ‖VᵀV − I‖_F ≤ 100·n·ε', () => {
    const n = 500;
    const a = randomSymmetric(n, createRng(500)).data;
    const { values, vectors } = wasm.eigh!(n, a, true);
    const { residual, orthogonality } = invariants(n, a, values, vectors!);
    expect(residual).toBeLessThanOrEqual(100 * n * EPS);
    expect(orthogonality).toBeLessThanOrEqual(100 * n * EPS);
    for (let i = 1; i < n; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
  });

  it('clustered and repeated eigenvalues (n = 130)', () => {
    const spectrum = [
      ...new Array(40).fill(-2),
      ...Array.from({ length: 30 }, (_, i) => 1 + i * 1e-12),
      ...new Array(20).fill(0),
      ...Array.from({ length: 40 }, (_, i) => 3 + i / 40),
    ];
    const n = spectrum.length;
    const a = withSpectrum(spectrum, 131);
    const { values, vectors } = wasm.eigh!(n, a, true);
    const sorted = spectrum.slice().sort((x, y) => x - y);
    for (let i = 0; i < n; i++) expect(Math.abs(values[i]! - sorted[i]!), `λ${i}`).toBeLessThanOrEqual(16 * n * EPS * 4);
    const { residual, orthogonality } = invariants(n, a, values, vectors!);
    expect(residual).toBeLessThanOrEqual(16 * n * EPS);
    expect(orthogonality).toBeLessThanOrEqual(16 * n * EPS);
  });

  it('zero and diagonal matrices: exact values, V a permutation', () => {
    const n = 70;
    const zero = wasm.eigh!(n, new Float64Array(n * n), true);
    expect(Array.from(zero.values)).toEqual(new Array(n).fill(0));
    expect(Array.from(zero.vectors!)).toEqual(Array.from(identity(n)));
    const entries = Array.from({ length: n }, (_, i) => ((i * 37) % n) - 35);
    const diagonal = new Float64Array(n * n);
    entries.forEach((x, i) => (diagonal[i * n + i] = x));
    const r = wasm.eigh!(n, diagonal, true);
    expect(Array.from(r.values)).toEqual(entries.slice().sort((x, y) => x - y));
    expect(Array.from(wasm.eigh!(n, diagonal, false).values)).toEqual(entries.slice().sort((x, y) => x - y));
    for (let j = 0; j < n; j++) {
      const column = Array.from({ length: n }, (_, i) => Math.abs(r.vectors![i * n + j]!));
      expect(column.filter((x) => x === 1).length, `column ${j}`).toBe(1);
      expect(column.filter((x) => x === 0).length, `column ${j}`).toBe(n - 1);
    }
  });

  it('huge and tiny matrices (×2^±900) are scaled into range', () => {
    const n = 50;
    const a = randomSymmetric(n, createRng(3)).data;
    const base = wasm.eigh!(n, a, false).values;
    const tol = 4 * n * EPS * frobenius(a);
    for (const s of [2 ** 900, 2 ** -900]) {
      const scaled = a.map((x) => x * s);
      const r = wasm.eigh!(n, scaled, true);
      for (let i = 0; i < n; i++) expect(Math.abs(r.values[i]! / s - base[i]!)).toBeLessThanOrEqual(tol);
      const { residual, orthogonality } = invariants(n, a, r.values.map((x) => x / s), r.vectors!);
      expect(residual).toBeLessThanOrEqual(16 * n * EPS);
      expect(orthogonality).toBeLessThanOrEqual(16 * n * EPS);
    }
  });

  it('is deterministic: the same bits on every call, with one thread or two', async () => {
    const n = 300;
    const a = randomSymmetric(n, createRng(301)).data;
    const first = wasm.eigh!(n, a, true);
    const second = wasm.eigh!(n, a, true);
    expect(second.values).toEqual(first.values);
    expect(second.vectors).toEqual(first.vectors);
    expect(wasm.eigh!(n, a, false).values).toEqual(wasm.eigh!(n, a, false).values);
    const fresh = createWasmSimdBackend({ threads: 1 })!.eigh!(n, a, true);
    expect(fresh.vectors).toEqual(first.vectors);
    const threaded = createWasmSimdBackend({ threads: 2, threadMinWork: 0 })!;
    const t = threaded.eigh!(n, a, true);
    expect(t.values).toEqual(first.values);
    expect(t.vectors).toEqual(first.vectors);
  });

  it('does not modify its input and reads only the lower triangle', () => {
    const n = 45;
    const a = randomSymmetric(n, createRng(45)).data;
    const copy = a.slice();
    const want = wasm.eigh!(n, a, true);
    expect(a).toEqual(copy);
    const upperGarbage = a.slice();
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) upperGarbage[i * n + j] = 1e300;
    const got = wasm.eigh!(n, upperGarbage, true);
    expect(got.values).toEqual(want.values);
    expect(got.vectors).toEqual(want.vectors);
  });

  it('polls the signal once per panel of the reduction and once per block of the back-transformation', () => {
    const n = 100; // 99 columns in panels of 16: 7 panels; 98 reflectors in blocks of 32: 4 blocks
    const panels = Math.ceil((n - 1) / TRIDIAGONAL_PANEL_WIDTH);
    const blocks = Math.ceil((n - 2) / HOUSEHOLDER_BLOCK);
    const a = Matrix.fromRowMajor(n, n, randomSymmetric(n, createRng(100)).data);
    const values = countdownSignal(2);
    expect(() => eigh(a, { vectors: false, signal: values.signal, backend: wasm })).toThrow(AbortedError);
    expect(values.polls()).toBe(3);
    const whole = countdownSignal(1000);
    eigh(a, { signal: whole.signal, backend: wasm });
    expect(whole.polls()).toBe(panels + blocks);
    const vectors = countdownSignal(panels + 1);
    expect(() => eigh(a, { signal: vectors.signal, backend: wasm })).toThrow(AbortedError);
    expect(vectors.polls()).toBe(panels + 2);
  });

  it('falls back to the reference stages where the working set does not fit the memory cap', () => {
    const full: WasmSimdWorkspace = { exports: workspace.exports, reserve: () => null };
    const n = 60;
    const a = randomSymmetric(n, createRng(60)).data;
    expect(wasmBlockedTridiagonalize(full, n, a, 1, true)).toBeNull();
    expect(wasmApplyHouseholderQ(full, n, a, new Float64Array(n), identity(n))).toBe(false);
    const kernel = createWasmSimdEigh(full, referenceBackend.gemm!);
    const got = kernel(n, a, true);
    const want = eighKernel(n, a, true);
    expect(got.values).toEqual(want.values);
    expect(got.vectors).toEqual(want.vectors);
  });
});
