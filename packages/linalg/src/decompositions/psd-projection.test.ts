import { describe, expect, it } from 'vitest';
import { expectClose, loadFixture } from '@shallowscape/test-utils';
import { projectPsd } from './psd-projection';
import { eigvalsh } from './eigh';
import { Matrix } from '../matrix';
import { createRng, gaussianMatrix, randomSymmetric } from '../rng';
import { InvalidArgumentError, NonFiniteError, NotSymmetricError, ShapeError } from '../errors';
import { referenceBackend } from '../backend';
import { createWasmSimdBackend } from '../backends/wasm-simd';
import type { LinalgBackend } from '../linalg-backend';

const EPS = Number.EPSILON;

interface PsdCase {
  name: string;
  a: number[][];
  minEigenvalue: number;
  projection: number[][];
}
const fixture = loadFixture<{ cases: PsdCase[] }>(import.meta.url, 'fixtures/psd-projection.json');

function frobenius(a: Matrix): number {
  let s = 0;
  for (const x of a.data) s += x * x;
  return Math.sqrt(s);
}

function isExactlySymmetric(a: Matrix): boolean {
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < i; j++) if (a.get(i, j) !== a.get(j, i)) return false;
  return true;
}

describe('projectPsd against numpy (fixtures/gen_eigh.py: V max(Λ, μ) Vᵀ)', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const a = Matrix.from(c.a);
      const n = a.rows;
      const p = projectPsd(a, { minEigenvalue: c.minEigenvalue });
      // Both sides are V max(Λ, μ) Vᵀ from backward-stable decompositions; the projection is
      // 1-Lipschitz, so entries agree to 8·n·ε·‖A‖_F.
      expectClose(p.data, Matrix.from(c.projection).data, { abs: 8 * n * EPS * frobenius(a) }, c.name);
      expect(isExactlySymmetric(p)).toBe(true);
      const lambda = eigvalsh(p);
      expect(lambda[0]!).toBeGreaterThanOrEqual(c.minEigenvalue - 8 * n * EPS * frobenius(a));
    });
  }
});

describe('projectPsd on a chosen backend', () => {
  it('runs the backend’s eigh and gemm, and agrees with numpy there too (reference and wasm-simd)', () => {
    const calls: string[] = [];
    const counting: LinalgBackend = {
      name: 'counting-psd',
      precision: 'float64',
      description: 'records its kernel calls',
      eigh: (...args) => (calls.push('eigh'), referenceBackend.eigh!(...args)),
      gemm: (...args) => (calls.push('gemm'), referenceBackend.gemm!(...args)),
    };
    const wasm = createWasmSimdBackend({ minWork: 0 })!;
    for (const c of fixture.cases) {
      const a = Matrix.from(c.a);
      const want = Matrix.from(c.projection).data;
      for (const backend of [referenceBackend, wasm, counting]) {
        const p = projectPsd(a, { minEigenvalue: c.minEigenvalue, backend });
        expectClose(p.data, want, { abs: 8 * a.rows * EPS * frobenius(a) }, `${c.name} on ${backend.name}`);
        expect(isExactlySymmetric(p)).toBe(true);
      }
    }
    expect(calls).toContain('eigh');
    expect(calls).toContain('gemm');
    expect(() => projectPsd(Matrix.identity(2), { backend: { name: '' } as never })).toThrow(InvalidArgumentError);
  });
});

describe('projectPsd properties on seeded random matrices', () => {
  it('result is PSD, symmetric, idempotent, and nearer than any PSD competitor', () => {
    const rng = createRng(99);
    for (const n of [1, 2, 5, 17, 40, 90]) {
      const a = randomSymmetric(n, rng);
      const p = projectPsd(a);
      const tol = 8 * n * EPS * frobenius(a);
      expect(isExactlySymmetric(p)).toBe(true);
      expect(eigvalsh(p)[0]!, `n = ${n}: λ_min(P) ≥ −8nε‖A‖_F`).toBeGreaterThanOrEqual(-tol);
      expectClose(projectPsd(p).data, p.data, { abs: tol }, `n = ${n}: idempotent`);
      // Optimality: A − P is NSD and orthogonal to P (the projection's characterisation).
      const r = Matrix.fromRowMajor(n, n, a.data.map((x, k) => x - p.data[k]!));
      const rl = eigvalsh(r);
      expect(rl[n - 1]!, `n = ${n}: A − P ⪯ 0`).toBeLessThanOrEqual(tol);
      let inner = 0;
      for (let k = 0; k < n * n; k++) inner += r.data[k]! * p.data[k]!;
      expect(Math.abs(inner), `n = ${n}: ⟨A − P, P⟩ = 0`).toBeLessThanOrEqual(tol * frobenius(a));
      // Any other PSD matrix (here, Gram matrices) is no nearer.
      const dist = frobenius(r);
      for (let t = 0; t < 3; t++) {
        const x = gaussianMatrix(n, n, rng, 0.3);
        const g = new Matrix(n, n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let q = 0; q < n; q++) s += x.data[i * n + q]! * x.data[j * n + q]!;
            g.data[i * n + j] = s;
          }
        }
        const other = frobenius(Matrix.fromRowMajor(n, n, a.data.map((v, k) => v - g.data[k]!)));
        expect(dist).toBeLessThanOrEqual(other);
      }
    }
  });

  it('returns a PSD input unchanged, and the symmetric part of a nearly symmetric one', () => {
    const rng = createRng(5);
    const x = gaussianMatrix(30, 8, rng);
    const gram = new Matrix(8, 8);
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 8; j++) {
        let s = 0;
        for (let q = 0; q < 30; q++) s += x.data[q * 8 + i]! * x.data[q * 8 + j]!;
        gram.data[i * 8 + j] = s;
      }
    }
    expect(projectPsd(gram).data).toEqual(gram.data);
    expect(projectPsd(Matrix.identity(5)).data).toEqual(Matrix.identity(5).data);
    const nearly = gram.clone();
    nearly.data[1] = nearly.data[1]! + 1e-12;
    const p = projectPsd(nearly, { symmetryTolerance: 1e-10 });
    expect(p.get(0, 1)).toBe(0.5 * (nearly.get(0, 1) + nearly.get(1, 0)));
    expect(p.get(1, 0)).toBe(p.get(0, 1));
  });

  it('minEigenvalue raises the spectrum to the floor', () => {
    const a = randomSymmetric(25, createRng(8));
    const floor = 0.75;
    const p = projectPsd(a, { minEigenvalue: floor });
    const before = eigvalsh(a);
    const after = eigvalsh(p);
    const tol = 8 * 25 * EPS * frobenius(a);
    const expected = Array.from(before, (l) => Math.max(l, floor)).sort((u, v) => u - v);
    expectClose(after, expected, { abs: tol }, 'spectrum of the floored projection');
    // A floor below the spectrum changes nothing.
    const shifted = Matrix.fromRowMajor(25, 25, a.data.map((v, k) => v + (k % 26 === 0 ? 10 : 0)));
    expect(projectPsd(shifted, { minEigenvalue: 0.5 }).data).toEqual(shifted.data);
  });

  it('a negative definite matrix projects to zero; the floor then gives μI', () => {
    const a = Matrix.diagonal([-1, -2, -3]);
    expect(projectPsd(a).data).toEqual(new Float64Array(9));
    expect(projectPsd(a, { minEigenvalue: 2 }).toArray()).toEqual(Matrix.diagonal([2, 2, 2]).toArray());
    expect(projectPsd(Matrix.zeros(0, 0)).rows).toBe(0);
  });

  it('TSDoc examples', () => {
    const a = Matrix.from([
      [2, 0],
      [0, -1],
    ]);
    expect(projectPsd(a).toArray()).toEqual([
      [2, 0],
      [0, 0],
    ]);
    expect(projectPsd(a, { minEigenvalue: 0.5 }).toArray()).toEqual([
      [2, 0],
      [0, 0.5],
    ]);
  });

  it('validates like eigh', () => {
    expect(() => projectPsd(Matrix.zeros(2, 3))).toThrow(ShapeError);
    expect(() =>
      projectPsd(
        Matrix.from([
          [1, 2],
          [3, 1],
        ]),
      ),
    ).toThrow(NotSymmetricError);
    expect(() => projectPsd(Matrix.from([[NaN]]))).toThrow(NonFiniteError);
    expect(() => projectPsd(Matrix.identity(2), { minEigenvalue: -1 })).toThrow(/options\.minEigenvalue/);
    expect(() => projectPsd(Matrix.identity(2), { minEigenvalue: Infinity })).toThrow(InvalidArgumentError);
    expect(() => projectPsd(Matrix.identity(2), { symmetryTolerance: -1 })).toThrow(InvalidArgumentError);
    expect(() => projectPsd('x' as unknown as Matrix)).toThrow(InvalidArgumentError);
  });
});
