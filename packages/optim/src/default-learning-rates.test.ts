import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Matrix, createRng, eigvalsh, gaussianMatrix, gemm } from '@shallowscape/linalg';
import { CURVATURE_ITERATIONS, curvatureLearningRate, weightScaleLearningRate } from './default-learning-rates';

/** f(x) = ½ xᵀAx + ⅙ Σ c_k x_k³: Hessian A + diag(c ∘ x), a closed form at every point. */
function cubic(a: Matrix, c: Float64Array) {
  const n = a.rows;
  return {
    hessian(x: Float64Array): Matrix {
      const h = Matrix.from(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => a.get(i, j) + (i === j ? c[i]! * x[i]! : 0))));
      return h;
    },
    hessianVectorProduct(x: Float64Array, v: Float64Array, out = new Float64Array(n)): Float64Array {
      for (let i = 0; i < n; i++) {
        let s = c[i]! * x[i]! * v[i]!;
        for (let j = 0; j < n; j++) s += a.get(i, j) * v[j]!;
        out[i] = s;
      }
      return out;
    },
  };
}

const spectralRadius = (h: Matrix): number => {
  const values = eigvalsh(h);
  return Math.max(Math.abs(values[0]!), Math.abs(values[values.length - 1]!));
};

describe('curvatureLearningRate', () => {
  const rng = createRng(11);
  const g = gaussianMatrix(12, 8, rng);
  const a = gemm(g, g, { transA: true }); // 8×8 PSD
  const c = rng.fillNormal(new Float64Array(8));
  const f = cubic(a, c);
  const x1 = rng.fillNormal(new Float64Array(8));
  const x2 = x1.map((v) => 3 * v);

  it('is 1/|λ|max of the Hessian, the largest over the points (eigvalsh reference)', () => {
    const expected = 1 / Math.max(spectralRadius(f.hessian(x1)), spectralRadius(f.hessian(x2)));
    expect(curvatureLearningRate(f, [x1, x2], { iterations: 2000 })).toBeCloseTo(expected, 10);
    // One point only: the other's curvature does not count.
    expect(curvatureLearningRate(f, [x1], { iterations: 2000 })).toBeCloseTo(1 / spectralRadius(f.hessian(x1)), 10);
  });

  it('restricted to the trainable coordinates, it is that of the principal submatrix', () => {
    const keep = [0, 2, 3, 7];
    const h = f.hessian(x1);
    const sub = Matrix.from(keep.map((i) => keep.map((j) => h.get(i, j))));
    const rate = curvatureLearningRate(f, [x1], { iterations: 2000, trainable: (k) => keep.includes(k) });
    expect(rate).toBeCloseTo(1 / spectralRadius(sub), 10);
  });

  it('with the default iteration count it is a deterministic step-size estimate, at most 1/|λ|max · (1 + 25%)', () => {
    const rate = curvatureLearningRate(f, [x1]);
    expect(rate).toBe(curvatureLearningRate(f, [x1.slice()]));
    const exact = 1 / spectralRadius(f.hessian(x1));
    expect(CURVATURE_ITERATIONS).toBe(20);
    // The power method underestimates |λ|max, so the rate is at least the exact one.
    expect(rate).toBeGreaterThanOrEqual(exact * (1 - 1e-12));
    expect(rate).toBeLessThan(exact * 1.25);
  });

  it('falls back to 1e-3 on zero curvature and rejects malformed input', () => {
    const zero = { hessianVectorProduct: (_x: Float64Array, v: Float64Array) => new Float64Array(v.length) };
    expect(curvatureLearningRate(zero, [Float64Array.of(1, 2)])).toBe(1e-3);
    expect(() => curvatureLearningRate({}, [Float64Array.of(1)])).toThrow(InvalidArgumentError);
    expect(() => curvatureLearningRate(f, [])).toThrow(/invalid points/);
    expect(() => curvatureLearningRate(f, [x1, Float64Array.of(1)])).toThrow(/one length/);
  });
});

describe('weightScaleLearningRate', () => {
  it('is 1% of the RMS weight, or of the target scale when larger', () => {
    expect(weightScaleLearningRate(Float64Array.of(3, 4, 0, 0))).toBeCloseTo(0.01 * Math.sqrt(25 / 4), 15);
    expect(weightScaleLearningRate(Float64Array.of(3, 4, 0, 0), 100)).toBeCloseTo(0.01 * Math.sqrt(100 / 4), 15);
    expect(weightScaleLearningRate(Float64Array.of(3, 4, 0, 0), 1)).toBeCloseTo(0.01 * Math.sqrt(25 / 4), 15);
    expect(weightScaleLearningRate(new Float64Array(3))).toBe(1e-3);
    expect(() => weightScaleLearningRate(new Float64Array(0))).toThrow(InvalidArgumentError);
    expect(() => weightScaleLearningRate(Float64Array.of(1), -1)).toThrow(/targetSquaredNorm/);
  });
});
