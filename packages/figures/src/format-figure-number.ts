/**
 * Numbers in figure captions and report tables: four significant digits, exponential notation
 * below $10^{-3}$ and from $10^{6}$ on, `—` for a missing value.
 *
 * @packageDocumentation
 */

/**
 * Formats a number for a caption.
 *
 * @param x - the number, or `null` for a value that does not apply.
 * @returns the text.
 *
 * @example
 * ```ts
 * [formatFigureNumber(0.123456), formatFigureNumber(1.5e-7), formatFigureNumber(null), formatFigureNumber(3)]; // => ["0.1235", "1.500e-7", "—", "3"]
 * ```
 */
export function formatFigureNumber(x: number | null): string {
  if (x === null) return '—';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a < 1e-3 || a >= 1e6 ? x.toExponential(3) : String(Number(x.toPrecision(4)));
}
