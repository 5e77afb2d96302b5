import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError, NotSymmetricError, ShapeError } from '../errors';
import { Matrix } from '../matrix';
import { createRng, gaussianMatrix, randomSymmetric } from '../rng';
import { expectWithinScaled, loadKernelFixtures, productTolerance, referenceGemm } from '../testing/backend-conformance';
import { gemm } from './gemm';
import { syrk } from './syrk';

const fixtures = loadKernelFixtures();
const fromFixture = (f: { rows: number; cols: number; data: number[] }): Matrix => Matrix.fromRowMajor(f.rows, f.cols, f.data);

function expectExactlySymmetric(c: Matrix): void {
  for (let i = 0; i < c.rows; i++) for (let j = 0; j < i; j++) expect(c.get(j, i)).toBe(c.get(i, j));
}

describe('syrk against numpy (fixtures/gen_kernels.py; γ = 8(k+2)·2⁻⁵³ componentwise)', () => {
  it.each(fixtures.syrk.map((f, i) => [i, f] as const))('case %i', (_i, f) => {
    const c = fromFixture(f.c);
    const out = syrk(fromFixture(f.a), { transpose: f.transpose, alpha: f.alpha, beta: f.beta, c });
    expect(out).toBe(c);
    const a = Float64Array.from(f.a.data);
    const ref = referenceGemm(f.transpose, !f.transpose, f.n, f.n, f.k, f.alpha, a, a, f.beta, Float64Array.from(f.c.data));
    expectWithinScaled(out.data, f.expected.data, ref.scale, productTolerance('float64', f.k), 'syrk');
    expectExactlySymmetric(out);
  });
});

describe('syrk invariants', () => {
  const rng = createRng(11);
  // Sizes crossing the 4×4 tile, the 128-row block and the 256-deep panel.
  for (const [n, k] of [[1, 3], [6, 2], [133, 70], [45, 300], [258, 5]] as Array<[number, number]>) {
    it(`equals gemm(A, Aᵀ) and gemm(Aᵀ, A) to round-off and is exactly symmetric: n=${n}, k=${k}`, () => {
      const a = gaussianMatrix(n, k, rng);
      const c0 = randomSymmetric(n, rng);
      const out = syrk(a, { alpha: 0.5, beta: -1, c: c0.clone() });
      const ref = referenceGemm(false, true, n, n, k, 0.5, a.data, a.data, -1, c0.data);
      expectWithinScaled(out.data, ref.value, ref.scale, productTolerance('float64', k), 'syrk AAᵀ');
      expectExactlySymmetric(out);
      const at = a.transpose();
      const outT = syrk(at, { transpose: true });
      const viaGemm = gemm(at, at, { transA: true });
      const refT = referenceGemm(true, false, n, n, k, 1, at.data, at.data, 0, outT.data);
      expectWithinScaled(outT.data, viaGemm.data, refT.scale, 2 * productTolerance('float64', k), 'syrk AᵀA vs gemm');
      expectExactlySymmetric(outT);
    });
  }

  it('β = 0 ignores NaN in c; k = 0 gives βC; n = 0 is empty', () => {
    const a = gaussianMatrix(5, 3, rng);
    const c = new Matrix(5, 5, new Float64Array(25).fill(Number.NaN));
    expect(syrk(a, { c }).data).toEqual(syrk(a).data);
    const s = randomSymmetric(4, rng);
    expect(syrk(new Matrix(4, 0), { beta: 2, c: s.clone() }).data).toEqual(s.data.map((v) => 2 * v));
    expect(syrk(new Matrix(0, 3)).shape).toEqual([0, 0]);
    expect(syrk(new Matrix(3, 0)).data).toEqual(new Float64Array(9));
  });

  it('is positive semidefinite on the diagonal: (AAᵀ)_ii = ‖a_i‖²', () => {
    const a = gaussianMatrix(7, 9, rng);
    const c = syrk(a);
    for (let i = 0; i < 7; i++) {
      let s = 0;
      for (let j = 0; j < 9; j++) s += a.get(i, j) ** 2;
      expect(Math.abs(c.get(i, i) - s)).toBeLessThanOrEqual(16 * Number.EPSILON * s);
    }
  });
});

describe('syrk validation', () => {
  it('checks c: shape, finiteness and symmetry when β ≠ 0', () => {
    const a = new Matrix(3, 2);
    expect(() => syrk(a, { c: new Matrix(2, 2) })).toThrow(ShapeError);
    expect(() => syrk(a, { c: new Matrix(2, 2) })).toThrow('c is 2×2, expected 3×3 (a.rows = 3; a is 3×2)');
    expect(() => syrk(a, { transpose: true, c: new Matrix(3, 3) })).toThrow('c is 3×3, expected 2×2 (a.cols = 2; a is 3×2)');
    const asym = Matrix.from([[1, 2, 0], [0, 1, 0], [0, 0, 1]]);
    expect(() => syrk(a, { c: asym, beta: 1 })).toThrow(NotSymmetricError);
    expect(() => syrk(a, { c: asym, beta: 0 })).not.toThrow();
    expect(() => syrk(a, { c: new Matrix(3, 3, new Float64Array(9).fill(Infinity)), beta: 1 })).toThrow(NonFiniteError);
  });
  it('rejects NaN in a, non-finite α, a non-boolean transpose', () => {
    expect(() => syrk(Matrix.from([[Number.NaN]]))).toThrow('a has a non-finite entry NaN at [0][0]');
    expect(() => syrk(new Matrix(2, 2), { alpha: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => syrk(new Matrix(2, 2), { transpose: 'yes' as unknown as boolean })).toThrow('invalid transpose: "yes" (expected a boolean)');
  });
});
