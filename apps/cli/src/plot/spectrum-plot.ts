/**
 * The SVG figure of a spectrum: a density histogram of the reported eigenvalues with the density
 * of the law they are compared to drawn over it, in the same scale.
 *
 * @packageDocumentation
 */
import { histogram, marchenkoPasturDensity, marchenkoPasturEdges, semicircleDensity } from '@shallowscape/rmt';
import { lawScales, type LawName, type LawScale, type SpectrumConfig } from '@shallowscape/experiments';
import { formatNumber } from '../output/format-number';
import { histogramSvg } from './histogram-svg';

/** Points at which the law's density is drawn. */
const CURVE_POINTS = 600;

/** The support of a law in its own scale. */
function lawSupport(s: LawScale): [number, number] {
  if (s.law === 'semicircle') return [-2, 2];
  const { lower, upper } = marchenkoPasturEdges(s.gamma);
  return [lower, upper];
}

function lawDensity(s: LawScale, x: number): number {
  return s.law === 'semicircle' ? semicircleDensity(x) : marchenkoPasturDensity(x, s.gamma);
}

/** The name of each law in titles and legends. */
export const LAW_TITLES: Record<LawName, string> = { semicircle: 'semicircle law', 'marchenko-pastur': 'Marchenko–Pastur law' };

/**
 * The SVG plot: a density histogram of the reported eigenvalues with the density of `law` drawn
 * over it, mapped to the scale of the eigenvalues ($\rho_\lambda(t) = \rho((t - \text{shift})/\text{scale})/\text{scale}$
 * when they are not normalised).
 */
export function spectrumPlot(config: SpectrumConfig, eigenvalues: Float64Array): string {
  const scales = lawScales(config);
  const law = config.wasserstein1Law === null ? null : config.wasserstein1Law === 'semicircle' ? scales.semicircle : scales.marchenkoPastur;
  // The map from the law's scale to the plotted one: the identity when the eigenvalues are normalised.
  const shift = law === null || config.normalize !== null ? 0 : law.shift;
  const scale = law === null || config.normalize !== null ? 1 : law.scale;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of eigenvalues) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (law !== null) {
    const [a, b] = lawSupport(law);
    lo = Math.min(lo, shift + scale * a);
    hi = Math.max(hi, shift + scale * b);
  }
  if (!(hi > lo)) {
    const pad = Math.max(0.5, Math.abs(lo) * 0.1);
    lo -= pad;
    hi += pad;
  }
  const { edges, density } = histogram(eigenvalues, { bins: config.bins, range: [lo, hi] });
  const what =
    config.source === 'goe' ? 'GOE matrix H' : config.source === 'weights' ? `WᵀW of ${config.weights ?? 'W'}` : 'Wishart matrix WᵀW';
  const sizes = config.source === 'goe' ? `n = ${config.d}` : `m = ${config.m}, d = ${config.d}`;
  const variable =
    config.normalize === null
      ? config.source === 'goe'
        ? 'eigenvalue of H'
        : 'eigenvalue of WᵀW'
      : config.normalize === 'marchenko-pastur'
        ? 'eigenvalue of WᵀW / m'
        : config.source === 'goe'
          ? 'eigenvalue of H / √n'
          : 'eigenvalue of (WᵀW − mI) / √(md)';
  let curve: { x: Float64Array; y: Float64Array; label: string } | undefined;
  if (law !== null) {
    const x = new Float64Array(CURVE_POINTS + 1);
    const y = new Float64Array(CURVE_POINTS + 1);
    for (let k = 0; k <= CURVE_POINTS; k++) {
      x[k] = lo + ((hi - lo) * k) / CURVE_POINTS;
      y[k] = lawDensity(law, (x[k]! - shift) / scale) / scale;
    }
    const gamma = law.law === 'marchenko-pastur' ? ` (γ = ${formatNumber(law.gamma)})` : '';
    curve = { x, y, label: `${LAW_TITLES[law.law]}${gamma}` };
  }
  return histogramSvg({
    edges,
    heights: density,
    ...(curve !== undefined ? { curve } : {}),
    barLabel: `eigenvalues (${eigenvalues.length}, ${config.bins} bins)`,
    title: `Spectrum of the ${what}, ${sizes}`,
    xLabel: variable,
    yLabel: 'density',
  });
}

