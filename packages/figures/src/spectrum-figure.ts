/**
 * The figure of a spectrum: a density histogram of the eigenvalues with the density of the law
 * they are compared to drawn over it, in the same scale, and the Kolmogorov–Smirnov and
 * Wasserstein-1 distances in the caption.
 *
 * Where the eigenvalues are not normalised, the law's density is mapped to their scale:
 * $\rho_\lambda(t) = \rho\big((t - \text{shift})/\text{scale}\big)/\text{scale}$ with the shift and
 * scale of `lawScales` (for $W^\top W$: the semicircle with shift $m$ and scale $\sqrt{md}$,
 * Marchenko–Pastur with shift 0 and scale $m$).
 *
 * @packageDocumentation
 */
import { lawScales, type LawName, type LawScale, type SpectrumConfig, type SpectrumResult } from '@shallowscape/experiments';
import { histogram, marchenkoPasturDensity, marchenkoPasturEdges, semicircleDensity } from '@shallowscape/rmt';
import { formatFigureNumber } from './format-figure-number';
import { FIGURE_CONFIG, PANEL_HEIGHT, PANEL_WIDTH } from './figure-style';
import type { FigureSpec } from './render-svg';

/** Points at which the law's density is drawn. */
const CURVE_POINTS = 400;

/** The name of each law in titles and legends. */
export const LAW_TITLES: Readonly<Record<LawName, string>> = { semicircle: 'semicircle law', 'marchenko-pastur': 'Marchenko–Pastur law' };

/** The support of a law in its own scale. */
function lawSupport(s: LawScale): [number, number] {
  if (s.law === 'semicircle') return [-2, 2];
  const { lower, upper } = marchenkoPasturEdges(s.gamma);
  return [lower, upper];
}

function lawDensity(s: LawScale, x: number): number {
  return s.law === 'semicircle' ? semicircleDensity(x) : marchenkoPasturDensity(x, s.gamma);
}

/** The quantity on the horizontal axis. */
function variableName(config: SpectrumConfig): string {
  if (config.normalize === null) return config.source === 'goe' ? 'eigenvalue of H' : 'eigenvalue of WᵀW';
  if (config.normalize === 'marchenko-pastur') return 'eigenvalue of WᵀW / m';
  return config.source === 'goe' ? 'eigenvalue of H / √n' : 'eigenvalue of (WᵀW − mI) / √(md)';
}

/** The drawn histogram and law curve, in the scale of the reported eigenvalues. */
export interface SpectrumFigureData {
  /** One bar per bin: its edges and the density $\text{count} / (n \cdot \text{width})$. */
  bins: Array<{ start: number; end: number; density: number }>;
  /** The law's density at evenly spaced points of the plotted range, or `null` when no law applies. */
  curve: { law: LawName; gamma: number | null; points: Array<{ x: number; density: number }> } | null;
}

/**
 * The histogram and the law's curve of a spectrum, over a range that holds every eigenvalue and
 * the law's support.
 *
 * @param config - the spectrum's configuration (`config` of `spectrum.json`).
 * @param eigenvalues - the reported eigenvalues (normalised when `config.normalize` says so).
 * @returns the bins and the curve.
 *
 * @example
 * ```ts
 * const config = { source: 'goe', weights: null, m: null, d: 3, seed: 0, normalize: 'semicircle', wasserstein1Law: 'semicircle', bins: 4 } as const;
 * const data = spectrumFigureData(config, Float64Array.of(-1, 0, 1));
 * data.bins.length; // => 4
 * data.curve!.points[0]!.density; // => 0
 * ```
 */
export function spectrumFigureData(config: SpectrumConfig, eigenvalues: Float64Array): SpectrumFigureData {
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
  const bins = Array.from(density, (value, k) => ({ start: edges[k]!, end: edges[k + 1]!, density: value }));
  if (law === null) return { bins, curve: null };
  const points: Array<{ x: number; density: number }> = [];
  for (let k = 0; k <= CURVE_POINTS; k++) {
    const x = lo + ((hi - lo) * k) / CURVE_POINTS;
    points.push({ x, density: lawDensity(law, (x - shift) / scale) / scale });
  }
  return { bins, curve: { law: law.law, gamma: law.law === 'marchenko-pastur' ? law.gamma : null, points } };
}

/**
 * The Vega-Lite figure of a spectrum: bars of the histogram, the law's density as a line, and a
 * caption with $\mathrm{KS}$ to each law and $W_1$.
 *
 * @param config - the spectrum's configuration.
 * @param result - its eigenvalues and distances.
 * @returns the figure.
 *
 * @example
 * ```ts
 * const config = { source: 'goe', weights: null, m: null, d: 3, seed: 0, normalize: 'semicircle', wasserstein1Law: 'semicircle', bins: 4 } as const;
 * const spec = spectrumFigure(config, { eigenvalues: Float64Array.of(-1, 0, 1), ksSemicircle: 0.2, ksMarchenkoPastur: null, wasserstein1: 0.1 });
 * (spec as { layer: unknown[] }).layer.length; // => 2
 * ```
 */
export function spectrumFigure(config: SpectrumConfig, result: SpectrumResult): FigureSpec {
  const { bins, curve } = spectrumFigureData(config, result.eigenvalues);
  const what = config.source === 'goe' ? 'GOE matrix H' : config.source === 'weights' ? `WᵀW of ${config.weights ?? 'W'}` : 'Wishart matrix WᵀW';
  const sizes = config.source === 'goe' ? `n = ${config.d}` : `m = ${config.m}, d = ${config.d}`;
  const caption = [
    `KS to the semicircle ${formatFigureNumber(result.ksSemicircle)}`,
    `KS to Marchenko–Pastur ${formatFigureNumber(result.ksMarchenkoPastur)}`,
    `W₁ ${formatFigureNumber(result.wasserstein1)}${config.wasserstein1Law !== null ? ` (to the ${LAW_TITLES[config.wasserstein1Law]})` : ''}`,
  ].join(' · ');
  const histogramLabel = `eigenvalues (${result.eigenvalues.length}, ${config.bins} bins)`;
  const curveLabel = curve === null ? null : `${LAW_TITLES[curve.law]}${curve.gamma !== null ? ` (γ = ${formatFigureNumber(curve.gamma)})` : ''}`;
  const domain = curveLabel === null ? [histogramLabel] : [histogramLabel, curveLabel];
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain, range: ['#8fb3d9', '#c0392b'] }, legend: { orient: 'top-right' } };
  const layer: Array<Record<string, unknown>> = [
    {
      data: { values: bins.map((b) => ({ ...b, series: histogramLabel })) },
      mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
      encoding: {
        x: { field: 'start', type: 'quantitative', title: variableName(config), scale: { zero: false, nice: false } },
        x2: { field: 'end' },
        y: { field: 'density', type: 'quantitative', title: 'density' },
        color,
      },
    },
  ];
  if (curve !== null) {
    layer.push({
      data: { values: curve.points.map((p) => ({ ...p, series: curveLabel })) },
      mark: { type: 'line', strokeWidth: 2 },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'density', type: 'quantitative' }, color },
    });
  }
  return {
    title: { text: `Spectrum of the ${what}, ${sizes}`, subtitle: caption },
    config: FIGURE_CONFIG,
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    layer,
  } as unknown as FigureSpec;
}
