import { describe, expect, it } from 'vitest';
import { AbortedError, createRng, eigh, eigvalsh, gaussianMatrix, gemv, InvalidArgumentError, Matrix, randomSymmetric, weightedGram } from '@shallowscape/linalg';
import { balancedSigns, QuadraticEmpiricalRisk, sampleTeacher, teacherLabels } from '@shallowscape/model';
import { expectClose } from '@shallowscape/test-utils';
import { stationarityCertificate, strictSaddleCheck } from './stationarity';

function norm(v: Float64Array): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

describe('stationarityCertificate on quadratic networks', () => {
  it('Lanczos on Hessian-vector products matches the dense Hessian’s eigvalsh (d = 4, m = 5 and d = 6, m = 8; seeded)', () => {
    for (const [d, m, n] of [[4, 5, 30], [6, 8, 60]] as const) {
      const rng = createRng(d * 10 + m);
      const x = gaussianMatrix(n, d, rng);
      const y = teacherLabels(x, sampleTeacher(d, d, rng));
      const objective = new QuadraticEmpiricalRisk(x, y, m);
      const w = gaussianMatrix(m, d, rng, 0.5);
      const exact = eigvalsh(objective.hessian(w));
      const dense = stationarityCertificate(objective, w, { method: 'dense' });
      const lanczos = stationarityCertificate(objective, w, { method: 'lanczos' });
      const scale = Math.max(Math.abs(exact[0]!), Math.abs(exact[exact.length - 1]!));
      expectClose(dense.hessianMinEigenvalue, exact[0]!, { abs: 1e-12 * scale });
      expectClose(lanczos.hessianMinEigenvalue, exact[0]!, { abs: 1e-9 * scale }, `λ_min d=${d} m=${m}`);
      expect(lanczos.residual).toBeLessThan(1e-7 * scale);
      expect(lanczos.method).toBe('lanczos');
      expect([lanczos.converged, dense.converged]).toEqual([true, true]);
      expect(dense.method).toBe('dense');
      expectClose(dense.gradientNorm, norm(objective.gradient(w.data)), { rel: 1e-15 });
      expect(lanczos.gradientNorm).toBe(dense.gradientNorm);
      expect(stationarityCertificate(objective, w).method).toBe('dense'); // auto, md ≤ 400
    }
  });

  it('auto uses Lanczos for objectives without a dense Hessian; dense is refused for them', () => {
    const a = randomSymmetric(6, createRng(3));
    const objective = {
      gradient: (w: Float64Array) => gemv(a, w),
      hessianVectorProduct: (_w: Float64Array, u: Float64Array, out?: Float64Array) => {
        const r = gemv(a, u);
        if (out !== undefined) out.set(r);
        return r;
      },
    };
    const c = stationarityCertificate(objective, Matrix.zeros(2, 3));
    expect(c.method).toBe('lanczos');
    expect(c.gradientNorm).toBe(0);
    expectClose(c.hessianMinEigenvalue, eigvalsh(a)[0]!, { abs: 1e-10 });
    expect(() => stationarityCertificate(objective, Matrix.zeros(2, 3), { method: 'dense' })).toThrow(/options\.method/);
    expect(() => stationarityCertificate({} as never, Matrix.zeros(2, 3))).toThrow(/objective\.gradient/);
    expect(() => stationarityCertificate(objective, Matrix.zeros(2, 3), { method: 'qr' as never })).toThrow(InvalidArgumentError);
  });
});

describe('strictSaddleCheck', () => {
  it('signed net at W = 0: stationary, λ_min = −(4/N) max|λ(Xᵀ diag(y) X)| in closed form, strict saddle; the direction lowers the risk', () => {
    const d = 4;
    const k = 2 * d;
    const n = 40;
    const rng = createRng(77);
    const x = gaussianMatrix(n, d, rng);
    const y = rng.fillNormal(new Float64Array(n));
    const signs = balancedSigns(k);
    const objective = new QuadraticEmpiricalRisk(x, y, k, { signs });
    const w = Matrix.zeros(k, d);
    const c = strictSaddleCheck(objective, w);
    // H[U] = (4/N) diag(v) U S with S = −Xᵀ diag(y) X: eigenvalues v_j · (4/N) λ(S).
    const s = eigvalsh(weightedGram(x, y));
    const expected = -(4 / n) * Math.max(Math.abs(s[0]!), Math.abs(s[d - 1]!));
    expect(c.gradientNorm).toBe(0);
    expect(c.stationary).toBe(true);
    expectClose(c.hessianMinEigenvalue, expected, { rel: 1e-12 });
    expect(c.strictSaddle).toBe(true);
    expect(c.secondOrderStationary).toBe(false);
    const eps = 1e-3;
    const moved = new Float64Array(k * d);
    for (let i = 0; i < k * d; i++) moved[i] = eps * c.direction[i]!;
    const drop = objective.value(moved) - objective.value(w.data);
    expect(drop).toBeLessThan(0);
    expectClose(drop / (0.5 * eps * eps), expected, { rel: 1e-5 }); // second-order Taylor: the risk is even in W, so the next term is O(ε²)
    // Same verdict from Lanczos.
    const lanczos = strictSaddleCheck(objective, w, { method: 'lanczos' });
    expect(lanczos.strictSaddle).toBe(true);
    expectClose(lanczos.hessianMinEigenvalue, expected, { rel: 1e-9 });
  });

  it('signed net at a global minimum (W = signed teacher) is second-order stationary, not a strict saddle', () => {
    const d = 3;
    const k = 2 * d;
    const rng = createRng(78);
    const x = gaussianMatrix(30, d, rng);
    const signs = balancedSigns(k);
    const teacher = gaussianMatrix(k, d, rng);
    const y = teacherLabels(x, teacher, { signs });
    const c = strictSaddleCheck(new QuadraticEmpiricalRisk(x, y, k, { signs }), teacher);
    expect(c.stationary).toBe(true);
    expect(c.strictSaddle).toBe(false);
    expect(c.secondOrderStationary).toBe(true);
    expect(c.hessianMinEigenvalue).toBeGreaterThanOrEqual(-c.curvatureTolerance);
  });

  it('a non-stationary point is neither; explicit tolerances are used and validated', () => {
    const rng = createRng(79);
    const x = gaussianMatrix(20, 3, rng);
    const y = rng.fillNormal(new Float64Array(20));
    const objective = new QuadraticEmpiricalRisk(x, y, 6, { signs: balancedSigns(6) });
    const c = strictSaddleCheck(objective, gaussianMatrix(6, 3, rng));
    expect(c.stationary).toBe(false);
    expect(c.strictSaddle).toBe(false);
    const loose = strictSaddleCheck(objective, Matrix.zeros(6, 3), { gradientTolerance: 1, curvatureTolerance: 1e6 });
    expect([loose.gradientTolerance, loose.curvatureTolerance, loose.strictSaddle, loose.secondOrderStationary]).toEqual([1, 1e6, false, true]);
    expect(() => strictSaddleCheck(objective, Matrix.zeros(6, 3), { gradientTolerance: -1 })).toThrow(/options\.gradientTolerance/);
    expect(() => strictSaddleCheck(objective, Matrix.zeros(6, 3), { curvatureTolerance: Number.NaN })).toThrow(/options\.curvatureTolerance/);
  });

  it('the dense direction is a unit eigenvector', () => {
    const rng = createRng(80);
    const x = gaussianMatrix(15, 3, rng);
    const objective = new QuadraticEmpiricalRisk(x, rng.fillNormal(new Float64Array(15)), 2);
    const w = gaussianMatrix(2, 3, rng);
    const c = stationarityCertificate(objective, w);
    const h = objective.hessian(w);
    const hv = gemv(h, c.direction);
    for (let i = 0; i < 6; i++) expectClose(hv[i]!, c.hessianMinEigenvalue * c.direction[i]!, { abs: 1e-10 * Math.abs(eigh(h).values[5]!) });
  });
});

describe('stationarityCertificate with a signal', () => {
  const rng = createRng(81);
  const x = gaussianMatrix(30, 4, rng);
  const y = teacherLabels(x, sampleTeacher(4, 4, rng));
  const w = gaussianMatrix(5, 4, rng);

  it('Lanczos stops at the step after an abort from inside a Hessian-vector product', () => {
    const objective = new QuadraticEmpiricalRisk(x, y, 5);
    const controller = new AbortController();
    let products = 0;
    const aborting = {
      gradient: (v: Float64Array, out?: Float64Array) => objective.gradient(v, out),
      hessianVectorProduct: (v: Float64Array, u: Float64Array, out?: Float64Array) => {
        products++;
        if (products === 4) controller.abort();
        return objective.hessianVectorProduct(v, u, out);
      },
    };
    expect(() => stationarityCertificate(aborting, w, { method: 'lanczos', signal: controller.signal })).toThrow(AbortedError);
    expect(products).toBe(4);
  });

  it('an aborted signal stops the dense method before the Hessian is built; a live one changes nothing', () => {
    const objective = new QuadraticEmpiricalRisk(x, y, 5);
    let hessians = 0;
    const counted = {
      gradient: (v: Float64Array, out?: Float64Array) => objective.gradient(v, out),
      hessianVectorProduct: (v: Float64Array, u: Float64Array, out?: Float64Array) => objective.hessianVectorProduct(v, u, out),
      hessian: (m: Matrix) => {
        hessians++;
        return objective.hessian(m);
      },
    };
    const controller = new AbortController();
    controller.abort();
    expect(() => stationarityCertificate(counted, w, { method: 'dense', signal: controller.signal })).toThrow(AbortedError);
    expect(hessians).toBe(0);
    const live = stationarityCertificate(objective, w, { method: 'lanczos', signal: new AbortController().signal });
    expect(live.hessianMinEigenvalue).toBe(stationarityCertificate(objective, w, { method: 'lanczos' }).hessianMinEigenvalue);
  });
});
