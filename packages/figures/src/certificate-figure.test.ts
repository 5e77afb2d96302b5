import { describe, expect, it } from 'vitest';
import { globalOptimalityCertificate } from '@shallowscape/certificates';
import { certify } from '@shallowscape/experiments';
import { Matrix, createRng, eigvalsh, gaussianMatrix } from '@shallowscape/linalg';
import { certificateFigure, certificateFigureData } from './certificate-figure';
import { renderSvg } from './render-svg';

const rng = createRng(11);
const x = gaussianMatrix(30, 3, rng);
const teacher = gaussianMatrix(3, 3, rng);
const labels = (w: Matrix): Float64Array => {
  const y = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < w.rows; j++) {
      let s = 0;
      for (let k = 0; k < x.cols; k++) s += w.get(j, k) * x.get(i, k);
      y[i]! += s * s;
    }
  }
  return y;
};
const y = labels(teacher);

describe('certificateFigureData', () => {
  it('at W = 0 gives the spectrum of G = −(2/N) Σ y_i x_i x_iᵀ and the certificate’s tolerance', () => {
    const w = new Matrix(3, 3);
    const data = certificateFigureData({ w, x, y });
    const g = new Matrix(3, 3);
    for (let i = 0; i < x.rows; i++) {
      for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) g.set(k, l, g.get(k, l) - (2 / x.rows) * y[i]! * x.get(i, k) * x.get(i, l));
    }
    const expected = eigvalsh(g);
    for (let k = 0; k < 3; k++) expect(data.liftedGradientEigenvalues[k]).toBeCloseTo(expected[k]!, 10);
    expect(data.tolerance).toBe(globalOptimalityCertificate(w, x, y, { solve: false }).tolerance);
  });
});

describe('certificateFigure', () => {
  it('shows the eigenvalues against −τs and the barrier against the risk, with the verdicts', async () => {
    const problem = { w: teacher, x, y, teacher };
    const certificate = certify(problem);
    const data = certificateFigureData(problem);
    const svg = await renderSvg(certificateFigure(certificate, data, 'the teacher itself'));
    expect(certificate.globalOptimality.certified).toBe(true);
    expect(svg).toContain('certified globally optimal');
    expect(svg).toContain(`tolerance −τs = −${data.tolerance.toExponential(2)}`);
    expect(svg).toContain('below the barrier: W is full rank');
    expect(svg).toContain('Energy barrier');
    const zero = { w: new Matrix(3, 3), x, y };
    const refused = await renderSvg(certificateFigure(certify(zero), certificateFigureData(zero), 'W = 0'));
    expect(refused).toContain('(not certified)');
    expect(refused).not.toContain('Energy barrier');
  });
});
