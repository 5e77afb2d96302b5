/**
 * Numbers in the CLI's text output.
 *
 * @packageDocumentation
 */

/**
 * Formats a number for text tables: 7 significant digits, exponent form when tiny or huge, `—`
 * for `null` (a value that does not apply).
 *
 * @param x - the number, or `null`.
 * @returns its text.
 * @example
 * ```ts
 * formatNumber(Math.PI); // => "3.141593"
 * formatNumber(1.5e-9); // => "1.500000e-9"
 * formatNumber(null); // => "—"
 * ```
 */
export function formatNumber(x: number | null): string {
  if (x === null) return '—';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a < 1e-3 || a >= 1e7 ? x.toExponential(6) : String(Number(x.toPrecision(7)));
}
