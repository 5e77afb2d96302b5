/**
 * Phase diagrams of sweeps as self-contained SVG: a heatmap of a value over two swept coordinates
 * (the fraction of runs that recover the teacher over (κ, α), say) with theory curves on top, or a
 * line plot of a value against one coordinate, one line per value of another, with error bars,
 * theory curves and vertical lines (the threshold N/N* = 1). Hand-written SVG 1.1, no dependency,
 * deterministic (the same input gives the same bytes).
 *
 * A heatmap lays its cells on the grid of the **distinct** x and y values, one equal-width column
 * (row) per value, labelled with the value: sweep grids are often irregular (n = 10, 15, 20, 21, 25)
 * and a cell per grid point reads best. A theory curve is mapped into that layout by piecewise-linear
 * interpolation between neighbouring grid values (and linear extrapolation past the ends, clipped).
 *
 * @packageDocumentation
 */
import { escapeHtml as escapeXml } from '@shallowscape/figures';
import { formatTick, niceTicks } from './nice-ticks';

/** An SVG coordinate with two decimals (and no `-0`). */
function px(v: number): string {
  const s = v.toFixed(2);
  return s === '-0.00' ? '0.00' : s;
}

/** A theory curve in data coordinates; a non-finite `y` breaks the line. */
export interface PhaseDiagramCurve {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** A heatmap of one value over two coordinates. */
export interface HeatmapPlot {
  kind: 'heatmap';
  title: string;
  xLabel: string;
  yLabel: string;
  colorLabel: string;
  /** One cell per grid point; `value` null or NaN: no data (drawn grey). */
  cells: Array<{ x: number; y: number; value: number | null }>;
  /** The values at the two ends of the colour scale (default: the finite values' min and max). */
  colorRange?: [number, number];
  curves?: PhaseDiagramCurve[];
  width?: number;
  height?: number;
}

/** Lines of one value against one coordinate. */
export interface LinePlot {
  kind: 'lines';
  title: string;
  xLabel: string;
  yLabel: string;
  series: Array<{ label: string; x: ArrayLike<number>; y: ArrayLike<number>; yErr?: ArrayLike<number> }>;
  /** Theory curves (dashed). */
  curves?: PhaseDiagramCurve[];
  /** Vertical lines, e.g. `{ x: 1, label: 'N = N*' }`. */
  verticalLines?: Array<{ x: number; label: string }>;
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
}

/** Viridis, at nine evenly spaced points of [0, 1]. */
const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];
const MISSING = '#d9d9d9';
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
const CURVE_COLORS = ['#000000', '#d62728', '#ff7f0e'];

/**
 * The viridis colour at `t` in [0, 1] (clamped), by linear interpolation in RGB between nine anchors.
 *
 * @example
 * ```ts
 * viridis(0); // => "#440154"
 * viridis(1); // => "#fde725"
 * ```
 */
export function viridis(t: number): string {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const f = u - i;
  const a = VIRIDIS[i]!;
  const b = VIRIDIS[i + 1]!;
  const channel = (k: number): string => {
    const va = parseInt(a.slice(1 + 2 * k, 3 + 2 * k), 16);
    const vb = parseInt(b.slice(1 + 2 * k, 3 + 2 * k), 16);
    return Math.round(va + (vb - va) * f)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}

function formatValue(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(4)));
  return v.toExponential(2).replace('e+', 'e');
}

/** The fractional index of `x` among the sorted distinct `values` (piecewise linear, extrapolated). */
function categoricalPosition(values: readonly number[], x: number): number {
  if (values.length === 1) return x === values[0] ? 0 : NaN;
  let k = 0;
  while (k < values.length - 2 && x > values[k + 1]!) k++;
  return k + (x - values[k]!) / (values[k + 1]! - values[k]!);
}

function header(out: string[], width: number, height: number, title: string): void {
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
}

function labels(out: string[], plot: { title: string; xLabel: string; yLabel: string }, area: { left: number; right: number; top: number; bottom: number }, height: number): void {
  out.push(`<text class="x-label" x="${px((area.left + area.right) / 2)}" y="${px(height - 14)}" text-anchor="middle" font-size="14">${escapeXml(plot.xLabel)}</text>`);
  const yx = 18;
  const yy = (area.top + area.bottom) / 2;
  out.push(`<text class="y-label" x="${px(yx)}" y="${px(yy)}" text-anchor="middle" font-size="14" transform="rotate(-90 ${px(yx)} ${px(yy)})">${escapeXml(plot.yLabel)}</text>`);
  out.push(`<text class="title" x="${px((area.left + area.right) / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(plot.title)}</text>`);
}

function legend(out: string[], entries: Array<{ label: string; draw: (x: number, y: number) => string }>, right: number, top: number): void {
  if (entries.length === 0) return;
  const w = 46 + Math.max(...entries.map((e) => e.label.length)) * 6.6;
  const x = right - w - 8;
  const y = top + 8;
  out.push(`<g class="legend">`);
  out.push(`<rect x="${px(x)}" y="${px(y)}" width="${px(w)}" height="${px(8 + 18 * entries.length)}" fill="#ffffff" fill-opacity="0.9" stroke="#999999"/>`);
  entries.forEach((e, i) => {
    const cy = y + 13 + 18 * i;
    out.push(e.draw(x + 10, cy));
    out.push(`<text x="${px(x + 38)}" y="${px(cy + 4)}">${escapeXml(e.label)}</text>`);
  });
  out.push(`</g>`);
}

/** The legend entries of theory curves: dashed lines in the curve colours. */
function curveEntries(curves: readonly PhaseDiagramCurve[], strokeWidth: number): Array<{ label: string; draw: (x: number, y: number) => string }> {
  return curves.map((c, k) => ({
    label: c.label,
    draw: (x: number, y: number) =>
      `<line x1="${px(x)}" y1="${px(y)}" x2="${px(x + 22)}" y2="${px(y)}" stroke="${CURVE_COLORS[k % CURVE_COLORS.length]}" stroke-width="${strokeWidth}" stroke-dasharray="8 4"/>`,
  }));
}

function curvePath(curve: PhaseDiagramCurve, sx: (x: number) => number, sy: (y: number) => number): string {
  const parts: string[] = [];
  let pen = false;
  for (let k = 0; k < curve.x.length; k++) {
    const X = sx(curve.x[k]!);
    const Y = sy(curve.y[k]!);
    if (!Number.isFinite(X) || !Number.isFinite(Y)) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? 'L' : 'M'}${px(Math.max(-1e4, Math.min(1e4, X)))} ${px(Math.max(-1e4, Math.min(1e4, Y)))}`);
    pen = true;
  }
  return parts.join(' ');
}

function heatmap(plot: HeatmapPlot): string {
  if (plot.cells.length === 0) throw new RangeError('phaseDiagramSvg: a heatmap needs at least one cell');
  for (const c of plot.cells) {
    if (!Number.isFinite(c.x) || !Number.isFinite(c.y)) throw new RangeError(`phaseDiagramSvg: cell coordinates must be finite, got (${c.x}, ${c.y})`);
  }
  const width = plot.width ?? 760;
  const height = plot.height ?? 500;
  const area = { left: 78, right: width - 110, top: 44, bottom: height - 58 };
  const xs = [...new Set(plot.cells.map((c) => c.x))].sort((a, b) => a - b);
  const ys = [...new Set(plot.cells.map((c) => c.y))].sort((a, b) => a - b);
  const finite = plot.cells.map((c) => c.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const [lo, hi] = plot.colorRange ?? (finite.length > 0 ? [Math.min(...finite), Math.max(...finite)] : [0, 1]);
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) throw new RangeError(`phaseDiagramSvg: colour range [${lo}, ${hi}] is not a finite interval`);
  const cw = (area.right - area.left) / xs.length;
  const ch = (area.bottom - area.top) / ys.length;
  const sx = (x: number): number => area.left + (categoricalPosition(xs, x) + 0.5) * cw;
  const sy = (y: number): number => area.bottom - (categoricalPosition(ys, y) + 0.5) * ch;
  const colorOf = (v: number): string => viridis(hi > lo ? (v - lo) / (hi - lo) : 0.5);

  const out: string[] = [];
  header(out, width, height, plot.title);
  out.push(`<defs><clipPath id="plot-area"><rect x="${px(area.left)}" y="${px(area.top)}" width="${px(area.right - area.left)}" height="${px(area.bottom - area.top)}"/></clipPath></defs>`);
  out.push(`<g class="cells">`);
  for (const c of plot.cells) {
    const i = xs.indexOf(c.x);
    const j = ys.indexOf(c.y);
    const has = c.value !== null && Number.isFinite(c.value);
    const fill = has ? colorOf(c.value!) : MISSING;
    const tip = `${plot.xLabel} = ${formatValue(c.x)}, ${plot.yLabel} = ${formatValue(c.y)}: ${plot.colorLabel} = ${has ? formatValue(c.value!) : 'no data'}`;
    out.push(
      `<rect class="cell" x="${px(area.left + i * cw)}" y="${px(area.bottom - (j + 1) * ch)}" width="${px(cw)}" height="${px(ch)}" fill="${fill}" stroke="#ffffff" stroke-width="0.5"><title>${escapeXml(tip)}</title></rect>`,
    );
  }
  out.push(`</g>`);
  const curves = plot.curves ?? [];
  curves.forEach((curve, k) => {
    out.push(`<path class="theory" d="${curvePath(curve, sx, sy)}" fill="none" stroke="${CURVE_COLORS[k % CURVE_COLORS.length]}" stroke-width="2.5" stroke-dasharray="8 4" clip-path="url(#plot-area)"/>`);
  });
  // Axes: one tick per distinct value (every k-th when there are many).
  out.push(`<g class="axes" stroke="#000000" stroke-width="1">`);
  out.push(`<line x1="${px(area.left)}" y1="${px(area.bottom)}" x2="${px(area.right)}" y2="${px(area.bottom)}"/>`);
  out.push(`<line x1="${px(area.left)}" y1="${px(area.top)}" x2="${px(area.left)}" y2="${px(area.bottom)}"/>`);
  out.push(`</g>`);
  out.push(`<g class="tick-labels" fill="#000000">`);
  const xEvery = Math.max(1, Math.ceil(xs.length / 12));
  xs.forEach((x, i) => {
    if (i % xEvery === 0) out.push(`<text x="${px(sx(x))}" y="${px(area.bottom + 18)}" text-anchor="middle">${escapeXml(formatValue(x))}</text>`);
  });
  const yEvery = Math.max(1, Math.ceil(ys.length / 16));
  ys.forEach((y, j) => {
    if (j % yEvery === 0) out.push(`<text x="${px(area.left - 8)}" y="${px(sy(y) + 4)}" text-anchor="end">${escapeXml(formatValue(y))}</text>`);
  });
  out.push(`</g>`);
  // Colour bar.
  const barX = area.right + 22;
  const barW = 16;
  const steps = 64;
  out.push(`<g class="colorbar">`);
  for (let s = 0; s < steps; s++) {
    const y0 = area.bottom - ((s + 1) / steps) * (area.bottom - area.top);
    out.push(`<rect x="${px(barX)}" y="${px(y0)}" width="${barW}" height="${px((area.bottom - area.top) / steps + 0.5)}" fill="${viridis((s + 0.5) / steps)}"/>`);
  }
  out.push(`<rect x="${px(barX)}" y="${px(area.top)}" width="${barW}" height="${px(area.bottom - area.top)}" fill="none" stroke="#000000"/>`);
  const ticks = hi > lo ? niceTicks(lo, hi, 5) : { values: [lo], decimals: 2 };
  for (const v of ticks.values) {
    const y = area.bottom - (hi > lo ? (v - lo) / (hi - lo) : 0.5) * (area.bottom - area.top);
    out.push(`<line x1="${px(barX + barW)}" y1="${px(y)}" x2="${px(barX + barW + 4)}" y2="${px(y)}" stroke="#000000"/>`);
    out.push(`<text x="${px(barX + barW + 7)}" y="${px(y + 4)}">${escapeXml(formatTick(v, ticks.decimals))}</text>`);
  }
  const cx = width - 12;
  const cy = (area.top + area.bottom) / 2;
  out.push(`<text class="color-label" x="${px(cx)}" y="${px(cy)}" text-anchor="middle" font-size="13" transform="rotate(-90 ${px(cx)} ${px(cy)})">${escapeXml(plot.colorLabel)}</text>`);
  out.push(`</g>`);
  labels(out, plot, area, height);
  legend(
    out,
    curveEntries(curves, 2.5),
    area.right,
    area.top,
  );
  out.push(`</svg>`);
  return `${out.join('\n')}\n`;
}

/** Ticks of a log axis: the powers of ten in [lo, hi] (and the ends' decades). */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) ticks.push(10 ** k);
  return ticks;
}

function lines(plot: LinePlot): string {
  if (plot.series.length === 0) throw new RangeError('phaseDiagramSvg: a line plot needs at least one series');
  const xsAll: number[] = [];
  const ysAll: number[] = [];
  for (const s of plot.series) {
    if (s.x.length !== s.y.length || (s.yErr !== undefined && s.yErr.length !== s.y.length)) {
      throw new RangeError(`phaseDiagramSvg: series ${JSON.stringify(s.label)} has ${s.x.length} x, ${s.y.length} y${s.yErr !== undefined ? ` and ${s.yErr.length} error` : ''} values`);
    }
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i]!;
      const y = s.y[i]!;
      if (!Number.isFinite(x)) throw new RangeError(`phaseDiagramSvg: series ${JSON.stringify(s.label)} has the x value ${x}`);
      xsAll.push(x);
      if (Number.isFinite(y)) {
        const e = s.yErr?.[i] ?? 0;
        ysAll.push(y - (Number.isFinite(e) ? e : 0), y + (Number.isFinite(e) ? e : 0));
      }
    }
  }
  if (xsAll.length === 0) throw new RangeError('phaseDiagramSvg: the series have no points');
  for (const v of plot.verticalLines ?? []) if (Number.isFinite(v.x)) xsAll.push(v.x);
  if (plot.logX === true && xsAll.some((x) => x <= 0)) throw new RangeError('phaseDiagramSvg: a log x axis needs positive x values');
  const yPositive = ysAll.filter((y) => y > 0);
  if (plot.logY === true && yPositive.length === 0) throw new RangeError('phaseDiagramSvg: a log y axis needs positive y values');
  const width = plot.width ?? 760;
  const height = plot.height ?? 480;
  const area = { left: 78, right: width - 24, top: 44, bottom: height - 58 };
  let xMin = Math.min(...xsAll);
  let xMax = Math.max(...xsAll);
  if (xMin === xMax) [xMin, xMax] = plot.logX === true ? [xMin / 2, xMax * 2] : [xMin - 1, xMax + 1];
  let yMin = ysAll.length > 0 ? Math.min(...(plot.logY === true ? yPositive : ysAll)) : 0;
  let yMax = ysAll.length > 0 ? Math.max(...(plot.logY === true ? yPositive : ysAll)) : 1;
  if (plot.logY !== true) {
    yMin = Math.min(0, yMin);
    if (yMax === yMin) yMax = yMin + 1;
    yMax += 0.2 * (yMax - yMin); // room for the legend
  } else {
    if (yMin === yMax) [yMin, yMax] = [yMin / 10, yMax * 10];
    yMax *= 10 ** (0.2 * Math.log10(yMax / yMin));
  }
  const tx = (x: number): number => (plot.logX === true ? Math.log10(x) : x);
  const ty = (y: number): number => (plot.logY === true ? Math.log10(y) : y);
  const sx = (x: number): number => area.left + ((tx(x) - tx(xMin)) / (tx(xMax) - tx(xMin))) * (area.right - area.left);
  const sy = (y: number): number => area.bottom - ((ty(y) - ty(yMin)) / (ty(yMax) - ty(yMin))) * (area.bottom - area.top);
  const xTicks = plot.logX === true ? { values: logTicks(xMin, xMax).filter((v) => v >= xMin && v <= xMax), decimals: -1 } : niceTicks(xMin, xMax, 6);
  const yTicks = plot.logY === true ? { values: logTicks(yMin, yMax).filter((v) => v >= yMin && v <= yMax), decimals: -1 } : niceTicks(yMin, yMax, 5);
  const tickText = (v: number, decimals: number): string => (decimals < 0 ? formatValue(v) : formatTick(v, decimals));

  const out: string[] = [];
  header(out, width, height, plot.title);
  out.push(`<defs><clipPath id="plot-area"><rect x="${px(area.left)}" y="${px(area.top)}" width="${px(area.right - area.left)}" height="${px(area.bottom - area.top)}"/></clipPath></defs>`);
  out.push(`<g class="grid" stroke="#e5e5e5" stroke-width="1">`);
  for (const v of yTicks.values) out.push(`<line x1="${px(area.left)}" y1="${px(sy(v))}" x2="${px(area.right)}" y2="${px(sy(v))}"/>`);
  out.push(`</g>`);
  for (const v of plot.verticalLines ?? []) {
    out.push(`<line class="vertical" x1="${px(sx(v.x))}" y1="${px(area.top)}" x2="${px(sx(v.x))}" y2="${px(area.bottom)}" stroke="#555555" stroke-width="1.5" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${px(sx(v.x) + 4)}" y="${px(area.top + 14)}" fill="#555555">${escapeXml(v.label)}</text>`);
  }
  const curves = plot.curves ?? [];
  curves.forEach((curve, k) => {
    out.push(`<path class="theory" d="${curvePath(curve, sx, (y) => (plot.logY === true && y <= 0 ? NaN : sy(y)))}" fill="none" stroke="${CURVE_COLORS[k % CURVE_COLORS.length]}" stroke-width="2" stroke-dasharray="8 4" clip-path="url(#plot-area)"/>`);
  });
  plot.series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    const points: Array<[number, number, number]> = [];
    for (let i = 0; i < s.x.length; i++) {
      const y = s.y[i]!;
      if (Number.isFinite(y) && !(plot.logY === true && y <= 0)) points.push([s.x[i]!, y, s.yErr?.[i] ?? 0]);
    }
    out.push(`<g class="series" stroke="${color}" fill="${color}">`);
    out.push(`<path d="${points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(sx(x))} ${px(sy(y))}`).join(' ')}" fill="none" stroke-width="2"/>`);
    for (const [x, y, e] of points) {
      if (e > 0 && Number.isFinite(e)) {
        const lo = plot.logY === true ? Math.max(y - e, yMin) : y - e;
        out.push(`<line class="error-bar" x1="${px(sx(x))}" y1="${px(sy(lo))}" x2="${px(sx(x))}" y2="${px(sy(y + e))}" stroke-width="1.2"/>`);
      }
      out.push(`<circle class="point" cx="${px(sx(x))}" cy="${px(sy(y))}" r="3.5"><title>${escapeXml(`${s.label}: ${plot.xLabel} = ${formatValue(x)}, ${plot.yLabel} = ${formatValue(y)}${e > 0 ? ` ± ${formatValue(e)}` : ''}`)}</title></circle>`);
    }
    out.push(`</g>`);
  });
  out.push(`<g class="axes" stroke="#000000" stroke-width="1">`);
  out.push(`<line x1="${px(area.left)}" y1="${px(area.bottom)}" x2="${px(area.right)}" y2="${px(area.bottom)}"/>`);
  out.push(`<line x1="${px(area.left)}" y1="${px(area.top)}" x2="${px(area.left)}" y2="${px(area.bottom)}"/>`);
  for (const v of xTicks.values) out.push(`<line x1="${px(sx(v))}" y1="${px(area.bottom)}" x2="${px(sx(v))}" y2="${px(area.bottom + 5)}"/>`);
  for (const v of yTicks.values) out.push(`<line x1="${px(area.left - 5)}" y1="${px(sy(v))}" x2="${px(area.left)}" y2="${px(sy(v))}"/>`);
  out.push(`</g>`);
  out.push(`<g class="tick-labels" fill="#000000">`);
  for (const v of xTicks.values) out.push(`<text x="${px(sx(v))}" y="${px(area.bottom + 19)}" text-anchor="middle">${escapeXml(tickText(v, xTicks.decimals))}</text>`);
  for (const v of yTicks.values) out.push(`<text x="${px(area.left - 8)}" y="${px(sy(v) + 4)}" text-anchor="end">${escapeXml(tickText(v, yTicks.decimals))}</text>`);
  out.push(`</g>`);
  labels(out, plot, area, height);
  legend(
    out,
    [
      ...plot.series.map((s, k) => ({
        label: s.label,
        draw: (x: number, y: number) =>
          `<line x1="${px(x)}" y1="${px(y)}" x2="${px(x + 22)}" y2="${px(y)}" stroke="${PALETTE[k % PALETTE.length]}" stroke-width="2"/><circle cx="${px(x + 11)}" cy="${px(y)}" r="3.5" fill="${PALETTE[k % PALETTE.length]}"/>`,
      })),
      ...curveEntries(curves, 2),
    ],
    area.right,
    area.top,
  );
  out.push(`</svg>`);
  return `${out.join('\n')}\n`;
}

/**
 * Draws a phase diagram as an SVG document.
 *
 * @param plot - a {@link HeatmapPlot} or a {@link LinePlot}.
 * @returns the SVG text, ending in a newline.
 * @throws `RangeError` for no data, non-finite coordinates, an empty or reversed colour range,
 *   series of mismatched lengths, or a log axis with non-positive values.
 * @example
 * ```ts
 * const svg = phaseDiagramSvg({ kind: 'heatmap', title: 't', xLabel: 'kappa', yLabel: 'alpha', colorLabel: 'fraction', cells: [{ x: 0.5, y: 0.2, value: 0 }, { x: 0.5, y: 0.4, value: 1 }], colorRange: [0, 1] });
 * svg.match(/<rect class="cell"/g)?.length; // => 2
 * ```
 */
export function phaseDiagramSvg(plot: HeatmapPlot | LinePlot): string {
  return plot.kind === 'heatmap' ? heatmap(plot) : lines(plot);
}
