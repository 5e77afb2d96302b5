/**
 * The figure of a certificate. Left: the spectrum of the lifted gradient
 * $G = \nabla\ell(Q) = \frac{2}{N}\sum_i e_i x_i x_i^\top$ at $Q = W^\top \operatorname{diag}(v) W$
 * and $\lambda_{\min}$ of the Hessian $\nabla^2\hat L(W)$, against the certificate's tolerance
 * $-\tau s$ (the point is certified globally optimal when $\lambda_{\min}(G) \ge -\tau s$, for
 * positive output signs). Right, with a teacher: the population risk $L(W)$ against the energy
 * barrier $2\sigma_{\min}(W^*)^4$ (below it, $W$ is full rank).
 *
 * The eigenvalue axis is symmetric-logarithmic with the tolerance as its linear range, so
 * round-off of order $10^{-12}$, the tolerance and eigenvalues of order one show together.
 *
 * @packageDocumentation
 */
import { globalOptimalityCertificate, liftedGradient } from '@shallowscape/certificates';
import type { CertificateOutput, CertificationProblem } from '@shallowscape/experiments';
import { eigvalsh } from '@shallowscape/linalg';
import { SignedQuadraticNet } from '@shallowscape/model';
import { FIGURE_CONFIG, PANEL_HEIGHT, drawable } from './figure-style';
import type { FigureSpec } from './render-svg';

/** What the certificate figure draws besides the certificate itself. */
export interface CertificateFigureData {
  /** The eigenvalues of $G$, ascending. */
  liftedGradientEigenvalues: Float64Array;
  /** The absolute tolerance $\tau s$ of the global-optimality certificate. */
  tolerance: number;
}

/**
 * The spectrum of the lifted gradient $G$ and the certificate's tolerance for a network and its
 * data (the quantities the certificate compares; its default relative tolerance $\tau = 10^{-8}$).
 *
 * @param problem - $W$, $X$, $y$ and the output signs $v$ (default all $+1$).
 * @returns the eigenvalues of $G$ and $\tau s$.
 *
 * @example
 * ```ts
 * const x = Matrix.from([[1, 0], [0, 1], [1, 1]]);
 * const data = certificateFigureData({ w: Matrix.identity(2), x, y: Float64Array.of(1, 1, 2) });
 * Array.from(data.liftedGradientEigenvalues); // => [0, 0]
 * ```
 */
export function certificateFigureData(problem: CertificationProblem): CertificateFigureData {
  const { w, x, y, signs } = problem;
  const v = signs ?? new Float64Array(w.rows).fill(1);
  const q = new SignedQuadraticNet(w, v).effectiveMatrix();
  const g = liftedGradient(x, y, q);
  const { tolerance } = globalOptimalityCertificate(w, x, y, { ...(signs !== undefined ? { signs } : {}), solve: false });
  return { liftedGradientEigenvalues: eigvalsh(g), tolerance };
}

/**
 * The Vega-Lite figure of a certificate.
 *
 * @param certificate - the certificate (`certify --json`).
 * @param data - the spectrum of $G$ and the tolerance ({@link certificateFigureData}).
 * @param title - the figure's title.
 * @returns the figure.
 *
 * @example
 * ```ts
 * const x = Matrix.from([[1, 0], [0, 1], [1, 1]]);
 * const problem = { w: Matrix.identity(2), x, y: Float64Array.of(1, 1, 2) };
 * const spec = certificateFigure(certify(problem), certificateFigureData(problem), 'W = I');
 * (spec as { hconcat: unknown[] }).hconcat.length; // => 1
 * ```
 */
export function certificateFigure(certificate: CertificateOutput, data: CertificateFigureData, title: string): FigureSpec {
  const eigenRows = [
    ...Array.from(data.liftedGradientEigenvalues, (value) => ({ quantity: 'eigenvalues of G = ∇ℓ(WᵀW)', value })),
    { quantity: 'λ_min of the Hessian ∇²L̂(W)', value: certificate.stationarity.hessianMinEigenvalue },
  ].filter((r) => drawable(r.value, false));
  // The axis spans the tolerance on both sides of 0 and every eigenvalue, with a margin.
  const values = eigenRows.map((r) => r.value);
  const lo = Math.min(-1.5 * data.tolerance, ...values.map((v) => (v < 0 ? 1.2 * v : v)));
  const hi = Math.max(1.5 * data.tolerance, ...values.map((v) => (v > 0 ? 1.2 * v : v)));
  const certified = certificate.globalOptimality.certified ? 'certified globally optimal' : 'not certified';
  const panels: Array<Record<string, unknown>> = [
    {
      width: 420,
      height: PANEL_HEIGHT,
      title: { text: `Extreme eigenvalues against the tolerance (${certified})`, subtitle: `tolerance −τs = −${data.tolerance.toExponential(2)}` },
      layer: [
        {
          data: { values: eigenRows },
          mark: { type: 'point', filled: true, size: 50, opacity: 0.8 },
          encoding: {
            x: {
              field: 'value',
              type: 'quantitative',
              title: 'eigenvalue (symmetric log scale)',
              scale: { type: 'symlog', constant: Math.max(data.tolerance, Number.MIN_VALUE), domain: [lo, hi], nice: false },
              axis: { format: '~e', labelOverlap: true },
            },
            y: { field: 'quantity', type: 'nominal', title: null, axis: { labelLimit: 320 } },
            color: { field: 'quantity', type: 'nominal', legend: null },
          },
        },
        {
          data: { values: [{ value: -data.tolerance, label: '−τs' }] },
          mark: { type: 'rule', color: '#c0392b', strokeDash: [5, 3], strokeWidth: 1.5 },
          encoding: { x: { field: 'value', type: 'quantitative' } },
        },
      ],
    },
  ];
  const barrier = certificate.energyBarrier;
  if (barrier !== null) {
    const rows = [
      { quantity: 'population risk L(W)', value: barrier.populationRisk },
      { quantity: 'barrier 2σ_min(W*)⁴', value: barrier.barrier },
    ].filter((r) => drawable(r.value, true));
    panels.push({
      width: 260,
      height: PANEL_HEIGHT,
      title: { text: 'Energy barrier', subtitle: barrier.belowBarrier ? 'below the barrier: W is full rank' : 'not below the barrier' },
      data: { values: rows },
      mark: { type: 'point', filled: true, size: 140 },
      encoding: {
        x: { field: 'quantity', type: 'nominal', title: null, axis: { labelAngle: 0, labelLimit: 200 }, sort: null },
        y: { field: 'value', type: 'quantitative', title: 'value (log scale)', scale: { type: 'log' }, axis: { format: '~e' } },
        color: { field: 'quantity', type: 'nominal', legend: null, scale: { range: ['#4c78a8', '#c0392b'] } },
      },
    });
  }
  return { title, config: FIGURE_CONFIG, hconcat: panels, resolve: { scale: { color: 'independent' } } } as unknown as FigureSpec;
}

