/**
 * The metrics of a run: the scalars of its `--json` output under the names `--json` uses, so that
 * a results table has the columns `relativeError`, `empiricalRisk`, `converged`, … The rules:
 * - the fields of `final` are promoted to the top (`final.relativeError` → `relativeError`);
 * - other nested objects are flattened with dots (`certificate.energyBarrier.belowBarrier`);
 * - `config` (the flags, which are the cell's coordinates) and `history` (kept apart) are left out,
 *   and so are arrays (they stay in the stored output).
 *
 * @packageDocumentation
 */

/** A metric value. */
export type MetricValue = number | string | boolean | null;

/**
 * The metrics and the history of a command's JSON output.
 *
 * @param output - the parsed `--json` output of a command.
 * @returns `metrics` (flat, ordered as in the output) and `history` (the output's `history`, or null).
 * @example
 * ```ts
 * runMetrics({ config: { d: 2 }, converged: true, final: { relativeError: 1e-9 }, history: { step: [0] } }).metrics; // => {"converged":true,"relativeError":1e-9}
 * ```
 */
export function runMetrics(output: unknown): { metrics: Record<string, MetricValue>; history: unknown } {
  const metrics: Record<string, MetricValue> = {};
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return { metrics, history: null };
  const record = output as Record<string, unknown>;
  const visit = (value: unknown, prefix: string): void => {
    if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
      metrics[prefix] = value;
      return;
    }
    if (typeof value !== 'object' || Array.isArray(value)) return;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) visit(v, `${prefix}.${k}`);
  };
  for (const [key, value] of Object.entries(record)) {
    if (key === 'config' || key === 'history') continue;
    if (key === 'final' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) visit(v, k);
    } else visit(value, key);
  }
  return { metrics, history: record.history ?? null };
}
