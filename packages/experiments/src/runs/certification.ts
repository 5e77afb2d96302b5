/**
 * The certify run: every landscape certificate of a quadratic or signed quadratic network's
 * weights on its data (`shallowscape certify`, `train --certify`).
 *
 * @packageDocumentation
 */
import { Matrix } from '@shallowscape/linalg';
import { certifyQuadraticNetwork, type QuadraticNetworkCertificate } from '@shallowscape/certificates';
import { evaluateQuadratic } from './quadratic-evaluation';

/**
 * What the certify run returns (`certify --json`, `certificate` of `train --certify`):
 * `stationarity` ($\|\nabla \hat L\|_F$, $\lambda_{\min}(\nabla^2 \hat L)$), `energyBarrier`
 * ($2\sigma_{\min}(W^*)^4$, $L(W)$, whether below; `null` without a teacher), `sampleCondition`
 * ($N$, $N^*$, the numerical rank and condition number of $\Phi$, whether $\operatorname{rank}\Phi = N^*$)
 * and `globalOptimality` ($\lambda_{\min}(G)$, the gap bound, whether certified, $\ell^*$).
 */
export type CertificateOutput = QuadraticNetworkCertificate;

/** The network, data and (optional) teacher a certificate is computed for. */
export interface CertificationProblem {
  /** Hidden weights $W$, $m \times d$. */
  w: Matrix;
  /** Inputs $X$, $N \times d$. */
  x: Matrix;
  /** Labels, length $N$. */
  y: Float64Array;
  /** Teacher $W^*$, $m^* \times d$. */
  teacher?: Matrix;
  /** Output signs $v$ (signed quadratic networks). */
  signs?: Float64Array;
}

/** Options of the runs: an abort signal. */
export interface RunSignalOptions {
  /** Aborting it stops the run at its next check (`AbortedError`). */
  signal?: AbortSignal;
}

/**
 * Computes every certificate of $W$ on $(X, y)$ (see `certifyQuadraticNetwork` in
 * `@shallowscape/certificates`), after checking that the risk, its gradient and (with a teacher)
 * the population risk are finite, so that inputs too large for float64 arithmetic are reported as
 * such rather than as a non-finite intermediate.
 *
 * @param problem - $W$, $X$, $y$ and optionally $W^*$ and $v$.
 * @param options - `signal`, polled between the certificates' iterations.
 * @returns the four sections (see {@link CertificateOutput}).
 * @throws `FloatOverflowError` when finite inputs overflow; `AbortedError` when `signal` is
 *   aborted; the certificates' typed errors for inconsistent shapes or signs.
 * @example
 * ```ts
 * const x = Matrix.from([[1, 0], [0, 1], [1, 1]]);
 * certify({ w: Matrix.identity(2), x, y: Float64Array.of(1, 1, 2) }).globalOptimality.certified; // => true
 * ```
 */
export function certify(problem: CertificationProblem, options: RunSignalOptions = {}): CertificateOutput {
  const { w, x, y, teacher, signs } = problem;
  // The certificates' own checks would name an internal intermediate; the evaluation names the inputs.
  evaluateQuadratic(w, x, y, { ...(signs !== undefined ? { signs } : {}), ...(teacher !== undefined ? { teacher } : {}) });
  return certifyQuadraticNetwork(
    { w, x, y, ...(teacher !== undefined ? { teacher } : {}), ...(signs !== undefined ? { signs } : {}) },
    options.signal !== undefined ? { signal: options.signal } : {},
  );
}
