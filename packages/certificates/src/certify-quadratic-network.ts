/**
 * One call for every certificate of a (signed) quadratic network on its data: the JSON object of
 * `shallowscape certify`.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, ShapeError, checkMatrix, checkSignal, throwIfAborted, type Matrix, type Rng } from '@shallowscape/linalg';
import { QuadraticEmpiricalRisk } from '@shallowscape/model';
import { globalOptimalityCertificate } from './convex-lift';
import { energyBarrierCertificate } from './energy-barrier';
import { certificateBackend } from './float64-backend';
import { sampleConditionOf } from './sample-condition';
import { stationarityCertificate } from './stationarity';

/** The network and data of {@link certifyQuadraticNetwork}. */
export interface CertifyQuadraticNetworkInput {
  /** Hidden weights $W$, $m \times d$. */
  w: Matrix;
  /** Inputs $X$, $N \times d$. */
  x: Matrix;
  /** Labels $y$, length $N$. */
  y: Float64Array;
  /** Optional teacher $W^*$ ($m^* \times d$): enables the energy-barrier certificate. */
  teacher?: Matrix;
  /** Output signs $v$ of a signed network (length $m$); default all $+1$. */
  signs?: Float64Array;
}

/** Options of {@link certifyQuadraticNetwork}. */
export interface CertifyQuadraticNetworkOptions {
  /** Solve the lifted problem for `liftedOptimum` and `liftedOptimumLowerBound` (default `true`; `false` reports `null` for both). */
  solve?: boolean;
  /** Relative tolerance $\tau$ of the global-optimality certificate (default $10^{-8}$). */
  tolerance?: number;
  /** Hessian method (default `'auto'`: dense up to 400 parameters, Lanczos beyond). */
  method?: 'dense' | 'lanczos' | 'auto';
  /** Generator of the Lanczos start vector (default `createRng(0)`). */
  rng?: Rng;
  /**
   * Polled between the certificates, between Lanczos steps and between the iterations of the
   * lifted solve: once aborted, the call throws `AbortedError` (code `E_ABORTED`) promptly. The
   * SVD of the lifted design and a dense eigensolve each run to their end first.
   */
  signal?: AbortSignal;
}

/** Result of {@link certifyQuadraticNetwork}: exactly the JSON object of `shallowscape certify`. */
export interface QuadraticNetworkCertificate {
  stationarity: { gradientNorm: number; hessianMinEigenvalue: number };
  energyBarrier: { barrier: number; populationRisk: number; belowBarrier: boolean } | null;
  sampleCondition: { n: number; nStar: number; liftRank: number; liftConditionNumber: number; holds: boolean };
  globalOptimality: {
    liftedGradientMinEigenvalue: number;
    gapBound: number | null;
    certified: boolean;
    liftedOptimum: number | null;
    /** The lower end of the bracket $[\,$`liftedOptimumLowerBound`$,\ $`liftedOptimum`$\,] \ni \ell^*$ (`lowerBound` of the lifted solve, see {@link globalOptimalityCertificate}). */
    liftedOptimumLowerBound: number | null;
  };
}

/**
 * Every certificate of a quadratic network $f(x) = x^\top W^\top\operatorname{diag}(v)W x$ on $(X, y)$:
 * stationarity ($\|\nabla\hat L\|_F$, $\lambda_{\min}(\nabla^2\hat L)$, {@link stationarityCertificate}), the
 * energy barrier ($2\sigma_{\min}(W^*)^4$ against $L(W)$, {@link energyBarrierCertificate}; `null` without a
 * teacher), the sample condition ($\operatorname{rank}\Phi = N^*$, {@link sampleCondition}) and the convex-lift
 * certificate ($\lambda_{\min}(G)$, the gap bound, $\ell^*$, {@link globalOptimalityCertificate}).
 *
 * Float64 only: the risk objective gets the default backend when it is a float64 one and the reference
 * backend otherwise; everything else runs the reference kernels.
 *
 * The most expensive part for large problems is the SVD of the $N \times d(d+1)/2$ lifted design,
 * $O(N d^4)$. `liftConditionNumber` is `Infinity` when the condition fails (the CLI's JSON writes it as the string `"Infinity"`).
 *
 * @param input - `{ w, x, y, teacher?, signs? }`.
 * @param options - `solve`, `tolerance`, `method`, `rng`, `signal`.
 * @returns `{ stationarity, energyBarrier, sampleCondition, globalOptimality }`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for a missing or non-Matrix `w`/`x`/`teacher`, a non-Float64Array `y`, bad signs or options.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} when the dimensions disagree.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry.
 * @throws {@link @shallowscape/linalg!AbortedError | AbortedError} (code `E_ABORTED`) when `options.signal` is aborted.
 * @see Gamarnik, Kızıldağ and Zadik; Soltanolkotabi, Javanmard and Lee; Bartan and Pilanci; the mathematics guide, §1–§3.
 * @example
 * ```ts
 * const x = Matrix.from([[1, 0], [0, 1], [1, 1]]);
 * const y = Float64Array.of(1, 1, 2); // labels of W* = I
 * const c = certifyQuadraticNetwork({ w: Matrix.identity(2), x, y, teacher: Matrix.identity(2) }, { solve: false });
 * c.stationarity.gradientNorm; // => 0
 * Math.abs(c.stationarity.hessianMinEigenvalue) < 1e-12; // => true
 * c.energyBarrier; // => { barrier: 2, populationRisk: 0, belowBarrier: true }
 * c.sampleCondition; // => { n: 3, nStar: 3, liftRank: 3, liftConditionNumber: 3.2255049, holds: true }
 * c.globalOptimality; // => { liftedGradientMinEigenvalue: 0, gapBound: 0, certified: true, liftedOptimum: null, liftedOptimumLowerBound: null }
 * ```
 */
export function certifyQuadraticNetwork(input: CertifyQuadraticNetworkInput, options?: CertifyQuadraticNetworkOptions): QuadraticNetworkCertificate {
  if (input === null || typeof input !== 'object') throw new InvalidArgumentError('input', input, 'an object { w, x, y, teacher?, signs? }');
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new InvalidArgumentError('options', options, 'an options object or undefined');
  }
  const w = checkMatrix('w', input.w);
  const x = checkMatrix('x', input.x);
  if (w.cols !== x.cols) throw new ShapeError(`w is ${w.rows}×${w.cols} and x is ${x.rows}×${x.cols}: both need the same input dimension d (columns)`, 'w');
  const signal = checkSignal('options.signal', options?.signal);
  const what = 'certifyQuadraticNetwork';
  throwIfAborted(signal, what);
  const signs = input.signs;
  const objective = new QuadraticEmpiricalRisk(x, input.y, w.rows, { backend: certificateBackend(), ...(signs === undefined ? {} : { signs }) });
  const st = stationarityCertificate(objective, w, {
    method: options?.method ?? 'auto',
    ...(options?.rng === undefined ? {} : { rng: options.rng }),
    signal,
  });
  throwIfAborted(signal, what);
  let energy: QuadraticNetworkCertificate['energyBarrier'] = null;
  if (input.teacher !== undefined) {
    const e = energyBarrierCertificate(w, input.teacher, signs === undefined ? {} : { signs });
    energy = { barrier: e.barrier, populationRisk: e.populationRisk, belowBarrier: e.belowBarrier };
  }
  throwIfAborted(signal, what);
  const { condition: sc, singularValues: phiSingularValues } = sampleConditionOf(x);
  // σ_min(Φ) less the rank threshold (the round-off scale of the computed singular values): a lower
  // bound on the true one, for the strong-convexity end of the lifted solve's bracket.
  const sigmaMin = sc.holds ? Math.max(0, phiSingularValues[sc.nStar - 1]! - sc.tolerance) : 0;
  throwIfAborted(signal, what);
  const go = globalOptimalityCertificate(w, x, input.y, {
    solve: options?.solve ?? true,
    signal,
    liftedDesignMinSingularValue: sigmaMin,
    ...(signs === undefined ? {} : { signs }),
    ...(options?.tolerance === undefined ? {} : { tolerance: options.tolerance }),
  });
  return {
    stationarity: { gradientNorm: st.gradientNorm, hessianMinEigenvalue: st.hessianMinEigenvalue },
    energyBarrier: energy,
    sampleCondition: { n: sc.n, nStar: sc.nStar, liftRank: sc.liftRank, liftConditionNumber: sc.liftConditionNumber, holds: sc.holds },
    globalOptimality: {
      liftedGradientMinEigenvalue: go.liftedGradientMinEigenvalue,
      gapBound: go.gapBound,
      certified: go.certified,
      liftedOptimum: go.liftedOptimum,
      liftedOptimumLowerBound: go.liftedOptimumLowerBound,
    },
  };
}
