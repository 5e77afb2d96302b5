import { describe, expect, it } from 'vitest';
import { computeSpectrum, type SpectrumConfig } from '@shallowscape/experiments';
import { marchenkoPasturEdges, semicircleDensity } from '@shallowscape/rmt';
import { renderSvg } from './render-svg';
import { spectrumFigure, spectrumFigureData } from './spectrum-figure';

/** Trapezoid rule over the curve's points. */
function integral(points: ReadonlyArray<{ x: number; density: number }>): number {
  let sum = 0;
  for (let k = 1; k < points.length; k++) sum += ((points[k]!.x - points[k - 1]!.x) * (points[k]!.density + points[k - 1]!.density)) / 2;
  return sum;
}

const goe: SpectrumConfig = { source: 'goe', weights: null, m: null, d: 200, seed: 3, normalize: 'semicircle', wasserstein1Law: 'semicircle', bins: 30 };
const wishart: SpectrumConfig = { source: 'wishart', weights: null, m: 400, d: 100, seed: 1, normalize: null, wasserstein1Law: 'marchenko-pastur', bins: 25 };

describe('spectrumFigureData', () => {
  it('draws a density histogram (bars integrate to 1) and the semicircle density itself for normalised GOE', () => {
    const { eigenvalues } = computeSpectrum(goe);
    const { bins, curve } = spectrumFigureData(goe, eigenvalues);
    expect(bins).toHaveLength(30);
    expect(bins.reduce((s, b) => s + b.density * (b.end - b.start), 0)).toBeCloseTo(1, 12);
    expect(curve!.law).toBe('semicircle');
    for (const p of curve!.points) expect(p.density).toBe(semicircleDensity(p.x));
    // The range covers [−2, 2], so the drawn density integrates to 1 (trapezoid error O(h^{3/2}) at the edges).
    expect(integral(curve!.points)).toBeCloseTo(1, 3);
  });

  it('maps Marchenko–Pastur to the scale of unnormalised WᵀW: support m(1 ± √γ)², total mass 1', () => {
    const { eigenvalues } = computeSpectrum(wishart);
    const { curve } = spectrumFigureData(wishart, eigenvalues);
    const { lower, upper } = marchenkoPasturEdges(100 / 400);
    expect(curve!.gamma).toBe(0.25);
    for (const p of curve!.points) {
      if (p.x < 400 * lower - 1e-9 || p.x > 400 * upper + 1e-9) expect(p.density).toBe(0);
    }
    expect(integral(curve!.points)).toBeCloseTo(1, 2);
  });

  it('draws no curve where no law applies (d > m, unnormalised)', () => {
    const config: SpectrumConfig = { ...wishart, m: 50, d: 100, wasserstein1Law: null };
    const { eigenvalues } = computeSpectrum(config);
    expect(spectrumFigureData(config, eigenvalues).curve).toBeNull();
  });
});

describe('spectrumFigure', () => {
  it('renders the bars, the law and a caption with KS and W1', async () => {
    const result = computeSpectrum(goe);
    const svg = await renderSvg(spectrumFigure(goe, result));
    expect(svg).toContain('Spectrum of the GOE matrix H, n = 200');
    expect(svg).toContain(`KS to the semicircle ${Number(result.ksSemicircle.toPrecision(4))}`);
    expect(svg).toContain('KS to Marchenko–Pastur —');
    expect(svg).toContain('(to the semicircle law)');
    expect(svg.match(/aria-roledescription="rect mark"/g) ?? []).toHaveLength(30);
    expect(svg).toContain('eigenvalue of H / √n');
  });
});
