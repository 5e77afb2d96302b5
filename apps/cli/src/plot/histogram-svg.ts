/**
 * A self-contained SVG writer for one plot: a density histogram with a curve drawn over it (an
 * empirical spectrum against its limiting law), with axes, ticks, labels, a title and a legend.
 * Hand-written SVG 1.1, no dependency, deterministic output (the same input gives the same bytes).
 *
 * @packageDocumentation
 */
import { formatTick, niceTicks } from './nice-ticks';

/** What {@link histogramSvg} draws. */
export interface HistogramPlot {
  /** Bin edges $e_0 < e_1 < \dots < e_B$, finite. */
  edges: ArrayLike<number>;
  /** Bar heights $h_b$ (e.g. densities, $\sum_b h_b (e_{b+1} - e_b) = 1$), finite and $\ge 0$; length $B$. */
  heights: ArrayLike<number>;
  /** The curve over the bars, sampled at increasing `x`; non-finite `y` values break the line. */
  curve?: { x: ArrayLike<number>; y: ArrayLike<number>; label: string };
  /** The legend entry of the bars. */
  barLabel: string;
  title: string;
  xLabel: string;
  yLabel: string;
  /** Size in pixels (default 720 × 450). */
  width?: number;
  height?: number;
}

const MARGIN = { left: 72, right: 24, top: 44, bottom: 58 };
const BAR_FILL = '#9ecae1';
const BAR_STROKE = '#3182bd';
const CURVE_STROKE = '#d62728';

/**
 * Escapes text for SVG character data and attribute values (`&`, `<`, `>`, `"`).
 *
 * @example
 * ```ts
 * escapeXml('a < b & "c"'); // => "a &lt; b &amp; &quot;c&quot;"
 * ```
 */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * An SVG coordinate with two decimals (and no `-0`).
 *
 * @example
 * ```ts
 * px(-0.001); // => "0.00"
 * ```
 */
export function px(v: number): string {
  const s = v.toFixed(2);
  return s === '-0.00' ? '0.00' : s;
}

/**
 * Writes a density histogram with an overlaid curve as an SVG document. The $y$ axis runs from 0
 * to $1.25 \max(\max_b h_b, \min(\max \text{curve}, 3 \max_b h_b))$, so a curve with an integrable
 * singularity (Marchenko–Pastur at $\gamma = 1$) is clipped to the plot area instead of flattening
 * the bars, and the top fifth stays free for the legend; the $x$ axis spans $[e_0, e_B]$ and the curve's $x$ range.
 *
 * Every bar is one `<rect class="bar">`, the curve one `<path class="density">`.
 *
 * @param plot - the bins, bar heights, curve and labels.
 * @returns the SVG text, ending in a newline.
 * @throws `RangeError` when there are no bins, the edges are not finite and increasing, or a
 *   height is negative or not finite (a programming error: callers pass computed histograms).
 * @example
 * ```ts
 * const svg = histogramSvg({ edges: [0, 1, 2], heights: [0.25, 0.75], barLabel: 'sample', title: 't', xLabel: 'x', yLabel: 'density' });
 * svg.match(/<rect class="bar"/g)?.length; // => 2
 * ```
 */
export function histogramSvg(plot: HistogramPlot): string {
  const { edges, heights } = plot;
  const bins = heights.length;
  if (bins < 1 || edges.length !== bins + 1) throw new RangeError(`histogramSvg: need B ≥ 1 heights and B + 1 edges, got ${bins} and ${edges.length}`);
  for (let b = 0; b <= bins; b++) {
    if (!Number.isFinite(edges[b]!) || (b > 0 && !(edges[b]! > edges[b - 1]!))) throw new RangeError(`histogramSvg: edges must be finite and increasing (edge ${b} is ${edges[b]})`);
  }
  for (let b = 0; b < bins; b++) {
    if (!Number.isFinite(heights[b]!) || heights[b]! < 0) throw new RangeError(`histogramSvg: height ${b} is ${heights[b]}`);
  }
  const width = plot.width ?? 720;
  const height = plot.height ?? 450;
  const plotLeft = MARGIN.left;
  const plotRight = width - MARGIN.right;
  const plotTop = MARGIN.top;
  const plotBottom = height - MARGIN.bottom;

  let xMin = edges[0]!;
  let xMax = edges[bins]!;
  let barMax = 0;
  for (let b = 0; b < bins; b++) barMax = Math.max(barMax, heights[b]!);
  let curveMax = 0;
  const curve = plot.curve;
  if (curve !== undefined) {
    for (let k = 0; k < curve.x.length; k++) {
      const x = curve.x[k]!;
      const y = curve.y[k]!;
      if (!Number.isFinite(x)) continue;
      xMin = Math.min(xMin, x);
      xMax = Math.max(xMax, x);
      if (Number.isFinite(y)) curveMax = Math.max(curveMax, y);
    }
  }
  const top = barMax > 0 ? Math.max(barMax, Math.min(curveMax, 3 * barMax)) : curveMax;
  const yMax = top > 0 ? 1.25 * top : 1;
  const sx = (x: number): number => plotLeft + ((x - xMin) / (xMax - xMin)) * (plotRight - plotLeft);
  const sy = (y: number): number => plotBottom - (y / yMax) * (plotBottom - plotTop);

  const out: string[] = [];
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<title>${escapeXml(plot.title)}</title>`);
  out.push(`<defs><clipPath id="plot-area"><rect x="${px(plotLeft)}" y="${px(plotTop)}" width="${px(plotRight - plotLeft)}" height="${px(plotBottom - plotTop)}"/></clipPath></defs>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);

  // Grid lines and ticks.
  const xTicks = niceTicks(xMin, xMax, 6);
  const yTicks = niceTicks(0, yMax, 5);
  out.push(`<g class="grid" stroke="#e5e5e5" stroke-width="1">`);
  for (const v of yTicks.values) out.push(`<line x1="${px(plotLeft)}" y1="${px(sy(v))}" x2="${px(plotRight)}" y2="${px(sy(v))}"/>`);
  out.push(`</g>`);

  // Bars.
  out.push(`<g class="bars" fill="${BAR_FILL}" stroke="${BAR_STROKE}" stroke-width="0.5">`);
  for (let b = 0; b < bins; b++) {
    const x0 = sx(edges[b]!);
    const x1 = sx(edges[b + 1]!);
    const y = sy(Math.min(heights[b]!, yMax));
    out.push(`<rect class="bar" x="${px(x0)}" y="${px(y)}" width="${px(x1 - x0)}" height="${px(plotBottom - y)}"/>`);
  }
  out.push(`</g>`);

  // The curve, broken where it is not finite, clipped to the plot area.
  if (curve !== undefined) {
    const parts: string[] = [];
    let pen = false;
    for (let k = 0; k < curve.x.length; k++) {
      const x = curve.x[k]!;
      const y = curve.y[k]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        pen = false;
        continue;
      }
      // Far outside the plot the clip path hides it anyway; keep the numbers bounded.
      const yy = Math.min(y, 4 * yMax);
      parts.push(`${pen ? 'L' : 'M'}${px(sx(x))} ${px(sy(yy))}`);
      pen = true;
    }
    out.push(`<path class="density" d="${parts.join(' ')}" fill="none" stroke="${CURVE_STROKE}" stroke-width="2" clip-path="url(#plot-area)"/>`);
  }

  // Axes, ticks and tick labels.
  out.push(`<g class="axes" stroke="#000000" stroke-width="1">`);
  out.push(`<line x1="${px(plotLeft)}" y1="${px(plotBottom)}" x2="${px(plotRight)}" y2="${px(plotBottom)}"/>`);
  out.push(`<line x1="${px(plotLeft)}" y1="${px(plotTop)}" x2="${px(plotLeft)}" y2="${px(plotBottom)}"/>`);
  for (const v of xTicks.values) out.push(`<line x1="${px(sx(v))}" y1="${px(plotBottom)}" x2="${px(sx(v))}" y2="${px(plotBottom + 5)}"/>`);
  for (const v of yTicks.values) out.push(`<line x1="${px(plotLeft - 5)}" y1="${px(sy(v))}" x2="${px(plotLeft)}" y2="${px(sy(v))}"/>`);
  out.push(`</g>`);
  out.push(`<g class="tick-labels" fill="#000000">`);
  for (const v of xTicks.values) {
    out.push(`<text x="${px(sx(v))}" y="${px(plotBottom + 19)}" text-anchor="middle">${escapeXml(formatTick(v, xTicks.decimals))}</text>`);
  }
  for (const v of yTicks.values) {
    out.push(`<text x="${px(plotLeft - 8)}" y="${px(sy(v) + 4)}" text-anchor="end">${escapeXml(formatTick(v, yTicks.decimals))}</text>`);
  }
  out.push(`</g>`);

  // Axis labels and title.
  out.push(`<text class="x-label" x="${px((plotLeft + plotRight) / 2)}" y="${px(height - 16)}" text-anchor="middle" font-size="14">${escapeXml(plot.xLabel)}</text>`);
  const yLabelX = 20;
  const yLabelY = (plotTop + plotBottom) / 2;
  out.push(
    `<text class="y-label" x="${px(yLabelX)}" y="${px(yLabelY)}" text-anchor="middle" font-size="14" transform="rotate(-90 ${px(yLabelX)} ${px(yLabelY)})">${escapeXml(plot.yLabel)}</text>`,
  );
  out.push(`<text class="title" x="${px((plotLeft + plotRight) / 2)}" y="26" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(plot.title)}</text>`);

  // Legend, top right inside the plot area.
  const entries = curve !== undefined ? 2 : 1;
  const labelWidth = Math.max(plot.barLabel.length, curve?.label.length ?? 0) * 6.6;
  const legendWidth = 44 + labelWidth;
  const legendX = plotRight - legendWidth - 8;
  const legendY = plotTop + 8;
  out.push(`<g class="legend">`);
  out.push(`<rect x="${px(legendX)}" y="${px(legendY)}" width="${px(legendWidth)}" height="${px(8 + 20 * entries)}" fill="#ffffff" fill-opacity="0.9" stroke="#999999"/>`);
  out.push(`<rect x="${px(legendX + 10)}" y="${px(legendY + 9)}" width="20" height="10" fill="${BAR_FILL}" stroke="${BAR_STROKE}"/>`);
  out.push(`<text x="${px(legendX + 36)}" y="${px(legendY + 18)}">${escapeXml(plot.barLabel)}</text>`);
  if (curve !== undefined) {
    out.push(`<line x1="${px(legendX + 10)}" y1="${px(legendY + 34)}" x2="${px(legendX + 30)}" y2="${px(legendY + 34)}" stroke="${CURVE_STROKE}" stroke-width="2"/>`);
    out.push(`<text x="${px(legendX + 36)}" y="${px(legendY + 38)}">${escapeXml(curve.label)}</text>`);
  }
  out.push(`</g>`);
  out.push(`</svg>`);
  return `${out.join('\n')}\n`;
}
