/**
 * The look shared by every figure: sizes, fonts, a white background, and the helpers that make
 * data safe to draw (a log axis cannot show zero, a negative value or a non-finite one).
 *
 * @packageDocumentation
 */
import type { Config } from 'vega-lite';

/** Width of one panel, in pixels. */
export const PANEL_WIDTH = 460;
/** Height of one panel, in pixels. */
export const PANEL_HEIGHT = 260;

/** The Vega-Lite configuration of every figure. */
export const FIGURE_CONFIG: Config = {
  background: 'white',
  font: 'Helvetica, Arial, sans-serif',
  padding: 8,
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', grid: true, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', orient: 'right', labelLimit: 280 },
  title: { fontSize: 14, fontWeight: 'normal', anchor: 'start', subtitleFontSize: 11, subtitleColor: '#444' },
  view: { stroke: '#bbb' },
  line: { strokeWidth: 1.6 },
};

/**
 * Whether a value can be drawn on an axis: finite, and positive on a log axis.
 *
 * @param value - the value.
 * @param log - whether the axis is logarithmic.
 * @returns `true` when the value can be drawn.
 *
 * @example
 * ```ts
 * [drawable(0, true), drawable(0, false), drawable(Number.NaN, false), drawable(1e-300, true)]; // => [false, true, false, true]
 * ```
 */
export function drawable(value: unknown, log: boolean): value is number {
  return typeof value === 'number' && Number.isFinite(value) && (!log || value > 0);
}
