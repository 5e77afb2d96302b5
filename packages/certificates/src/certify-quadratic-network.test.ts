import { describe, expect, it } from 'vitest';
import { AbortedError, createRng, gaussianMatrix, gemm, Matrix, qr, setBackend, ShapeError, singularValues, type LinalgBackend } from '@shallowscape/linalg';
import { balancedSigns, QuadraticEmpiricalRisk, sampleTeacher, teacherLabels } from '@shallowscape/model';
import { expectClose } from '@shallowscape/test-utils';
import { certifyQuadraticNetwork } from './certify-quadratic-network';
import { globalOptimalityCertificate, solveLiftedProblem } from './convex-lift';
import { energyBarrierCertificate, identityInitializationCheck } from './energy-barrier';
import { badGlobalMinimum, sampleCondition } from './sample-condition';
import { liftedDesign } from './lifted-design';
import { stationarityCertificate } from './stationarity';
import { countdownSignal } from '@shallowscape/test-utils';

describe('certifyQuadraticNetwork', () => {
  const rng = createRng(4000);
  const d = 4;
  const teacher = sampleTeacher(6, d, rng);
  const x = gaussianMatrix(40, d, rng);
  const y = teacherLabels(x, teacher);

  it('has exactly the keys of `shallowscape certify` and agrees with the separate certificates', () => {
    const w = gaussianMatrix(6, d, rng);
    const c = certifyQuadraticNetwork({ w, x, y, teacher });
    expect(Object.keys(c)).toEqual(['stationarity', 'energyBarrier', 'sampleCondition', 'globalOptimality']);
    expect(Object.keys(c.stationarity)).toEqual(['gradientNorm', 'hessianMinEigenvalue']);
    expect(Object.keys(c.energyBarrier!)).toEqual(['barrier', 'populationRisk', 'belowBarrier']);
    expect(Object.keys(c.sampleCondition)).toEqual(['n', 'nStar', 'liftRank', 'liftConditionNumber', 'holds']);
    expect(Object.keys(c.globalOptimality)).toEqual(['liftedGradientMinEigenvalue', 'gapBound', 'certified', 'liftedOptimum', 'liftedOptimumLowerBound']);
    const st = stationarityCertificate(new QuadraticEmpiricalRisk(x, y, 6), w);
    expect(c.stationarity).toEqual({ gradientNorm: st.gradientNorm, hessianMinEigenvalue: st.hessianMinEigenvalue });
    expect(c.energyBarrier).toEqual(energyBarrierCertificate(w, teacher));
    const sc = sampleCondition(x);
    expect(c.sampleCondition).toEqual({ n: 40, nStar: 10, liftRank: 10, liftConditionNumber: sc.liftConditionNumber, holds: true });
    // The lifted solve's bracket uses σ_min(Φ) less the rank threshold, from the sample condition's SVD.
    const sigma = singularValues(liftedDesign(x)).at(-1)! - sc.tolerance;
    const go = globalOptimalityCertificate(w, x, y, { liftedDesignMinSingularValue: sigma });
    expect(c.globalOptimality).toEqual({
      liftedGradientMinEigenvalue: go.liftedGradientMinEigenvalue,
      gapBound: go.gapBound,
      certified: go.certified,
      liftedOptimum: go.liftedOptimum,
      liftedOptimumLowerBound: go.liftedOptimumLowerBound,
    });
    // The bracket holds the optimum of an independent, tighter solve.
    const tight = solveLiftedProblem(x, y, { tolerance: 1e-14 });
    expect(c.globalOptimality.liftedOptimumLowerBound!).toBeLessThanOrEqual(tight.value);
    expect(c.globalOptimality.liftedOptimum!).toBeGreaterThanOrEqual(tight.lowerBound);
  });

  it('noisy labels (ℓ* > 0): the lifted bracket closes to round-off with σ_min(Φ), where the first-order one stays open', () => {
    const noisy = y.map((v, i) => v + 0.3 * Math.sin(7 * i));
    const c = certifyQuadraticNetwork({ w: gaussianMatrix(6, d, rng), x, y: noisy });
    const { liftedOptimum, liftedOptimumLowerBound } = c.globalOptimality;
    const firstOrder = solveLiftedProblem(x, noisy);
    expect(liftedOptimum!).toBe(firstOrder.value);
    expect(liftedOptimum!).toBeGreaterThan(0.01);
    expect((liftedOptimum! - liftedOptimumLowerBound!) / liftedOptimum!).toBeLessThan(1e-10);
    expect((firstOrder.value - firstOrder.lowerBound) / firstOrder.value).toBeGreaterThan(1e-8);
    const tight = solveLiftedProblem(x, noisy, { tolerance: 1e-14 });
    expect(liftedOptimumLowerBound!).toBeLessThanOrEqual(tight.value);
  });

  it('rotated teacher: stationary, PSD Hessian, below the barrier, certified with gap ≈ 0 and ℓ* ≈ 0', () => {
    const w = gemm(qr(gaussianMatrix(6, 6, rng)).q, teacher);
    const c = certifyQuadraticNetwork({ w, x, y, teacher });
    const scale = Math.max(...Array.from(y));
    expect(c.stationarity.gradientNorm).toBeLessThan(1e-10 * scale);
    expect(c.stationarity.hessianMinEigenvalue).toBeGreaterThan(-1e-10 * scale);
    expect(c.energyBarrier!.belowBarrier).toBe(true);
    expect(c.globalOptimality.certified).toBe(true);
    expect(Math.abs(c.globalOptimality.gapBound!)).toBeLessThan(1e-10 * scale);
    expect(c.globalOptimality.liftedOptimum!).toBeLessThan(1e-14 * scale * scale);
    // JSON: the object serialises as the CLI prints it.
    expect(JSON.parse(JSON.stringify(c)).sampleCondition.holds).toBe(true);
  });

  it('W = 0: stationary, not certified, above the barrier; N < N* fails the condition (liftConditionNumber Infinity)', () => {
    const c = certifyQuadraticNetwork({ w: Matrix.zeros(6, d), x, y, teacher }, { solve: false });
    expect(c.stationarity.gradientNorm).toBe(0);
    expect(c.stationarity.hessianMinEigenvalue).toBeLessThan(0);
    expect(c.energyBarrier!.belowBarrier).toBe(false);
    expect(c.globalOptimality).toMatchObject({ certified: false, gapBound: null, liftedOptimum: null, liftedOptimumLowerBound: null });
    const few = gaussianMatrix(9, d, rng);
    const c2 = certifyQuadraticNetwork({ w: teacher, x: few, y: teacherLabels(few, teacher) });
    expect(c2.energyBarrier).toBeNull();
    expect(c2.sampleCondition).toEqual({ n: 9, nStar: 10, liftRank: 9, liftConditionNumber: Infinity, holds: false });
    expect(c2.globalOptimality.certified).toBe(true);
  });

  it('uses Lanczos beyond 400 parameters with the same answer as dense (d = 10, m = 45: 450 parameters)', () => {
    const r = createRng(4100);
    const t = sampleTeacher(45, 10, r);
    const xx = gaussianMatrix(120, 10, r);
    const yy = teacherLabels(xx, t);
    const w = gaussianMatrix(45, 10, r);
    const lanczos = certifyQuadraticNetwork({ w, x: xx, y: yy }, { solve: false });
    const dense = certifyQuadraticNetwork({ w, x: xx, y: yy }, { solve: false, method: 'dense' });
    expectClose(lanczos.stationarity.hessianMinEigenvalue, dense.stationarity.hessianMinEigenvalue, {
      abs: 1e-8 * Math.abs(dense.stationarity.hessianMinEigenvalue),
    });
  });

  it('signed networks: passes the signs to every certificate', () => {
    const r = createRng(4200);
    const signs = balancedSigns(6);
    const wt = gaussianMatrix(6, 3, r);
    const xx = gaussianMatrix(30, 3, r);
    const yy = teacherLabels(xx, wt, { signs });
    const c = certifyQuadraticNetwork({ w: wt, x: xx, y: yy, signs });
    expect(c.stationarity.gradientNorm).toBeLessThan(1e-10 * Math.max(...Array.from(yy, Math.abs)));
    expect(c.globalOptimality.certified).toBe(true);
    expect(c.globalOptimality.liftedOptimum!).toBeLessThan(1e-18);
  });

  it('validates its input', () => {
    expect(() => certifyQuadraticNetwork(null as never)).toThrow(/invalid input/);
    expect(() => certifyQuadraticNetwork({ w: Matrix.zeros(2, 3), x, y })).toThrow(ShapeError);
    expect(() => certifyQuadraticNetwork({ w: 1 as never, x, y })).toThrow(/invalid w/);
    expect(() => certifyQuadraticNetwork({ w: teacher, x, y: Float64Array.of(1) })).toThrow(ShapeError);
  });
});

describe('float64 only', () => {
  it('never dispatches to the default backend, even a float32 one (every kernel of this backend throws)', () => {
    const trap = (): never => {
      throw new Error('float32 backend used by a certificate');
    };
    const float32: LinalgBackend = {
      name: 'certificates-test-float32-trap',
      precision: 'float32',
      description: 'test backend whose kernels throw',
      gemm: trap,
      syrk: trap,
      weightedGram: trap,
      gemv: trap,
      dot: trap,
      eigh: trap,
      svd: trap,
    };
    const rng = createRng(4300);
    const teacher = sampleTeacher(4, 3, rng);
    const x = gaussianMatrix(12, 3, rng);
    const y = teacherLabels(x, teacher);
    const w = gaussianMatrix(4, 3, rng);
    const reference = certifyQuadraticNetwork({ w, x, y, teacher });
    const previous = setBackend(float32);
    try {
      expect(certifyQuadraticNetwork({ w, x, y, teacher })).toEqual(reference);
      expect(certifyQuadraticNetwork({ w, x, y, teacher }, { method: 'lanczos' }).globalOptimality).toEqual(reference.globalOptimality);
      expect(badGlobalMinimum(gaussianMatrix(5, 3, rng), teacher).rank).toBe(2);
      expect(identityInitializationCheck(teacher).m).toBe(4);
    } finally {
      setBackend(previous);
    }
  });
});

describe('certifyQuadraticNetwork with a signal', () => {
  const rng = createRng(3100);
  const x = gaussianMatrix(40, 4, rng);
  const y = rng.fillNormal(new Float64Array(40));
  const w = gaussianMatrix(6, 4, rng);

  it('an abort at any poll (between certificates, Lanczos steps, lifted-solve iterations) throws AbortedError there', () => {
    for (const live of [0, 1, 2, 3, 4, 10, 60]) {
      const countdown = countdownSignal(live);
      expect(() => certifyQuadraticNetwork({ w, x, y }, { method: 'lanczos', signal: countdown.signal })).toThrow(AbortedError);
      expect(countdown.polls()).toBe(live + 1);
    }
  });

  it('a signal that is never aborted changes nothing', () => {
    const plain = certifyQuadraticNetwork({ w, x, y });
    expect(certifyQuadraticNetwork({ w, x, y }, { signal: new AbortController().signal })).toEqual(plain);
    expect(() => certifyQuadraticNetwork({ w, x, y }, { signal: 'later' as never })).toThrow(/options\.signal/);
  });
});
