/**
 * JSON output for `--json`: deterministic (object keys sorted recursively, so the same result
 * always prints the same bytes), pretty (2-space indent) or compact, one trailing newline.
 *
 * Values are normalised first ({@link toJsonValue}): typed arrays become arrays, `bigint`s
 * decimal strings, non-finite numbers the strings `"NaN"`, `"Infinity"`, `"-Infinity"` (JSON
 * has no literal for them, and `JSON.stringify` would silently write `null`), `-0` becomes `0`,
 * `undefined` properties are dropped; objects with `toJSON` are honoured.
 *
 * @packageDocumentation
 */
import type { OutputStream } from '../context';
import type { BooleanFlagSpec } from '../parse-flags';

/** A JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The `--json` flag, shared by every command that can print JSON. */
export const jsonFlag: BooleanFlagSpec = {
  type: 'boolean',
  description: 'print the result as JSON (keys sorted, 2-space indent) instead of text',
};

/** Options of {@link formatJson}. */
export interface JsonFormatOptions {
  /** One line without spaces instead of 2-space indentation (default `false`). */
  compact?: boolean;
}

/**
 * Normalises `value` into plain JSON with recursively sorted keys (see the module comment).
 * @throws `TypeError` for functions, symbols and cyclic structures (a programming error).
 * @example
 * ```ts
 * toJsonValue({ b: new Float64Array([1, NaN]), a: 2n }); // => { a: "2", b: [1, "NaN"] }
 * ```
 */
export function toJsonValue(value: unknown): JsonValue {
  return normalise(value, new Set(), '$');
}

function normalise(value: unknown, ancestors: Set<object>, path: string): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return Object.is(value, -0) ? 0 : value;
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') throw new TypeError(`cannot write ${typeof value} as JSON at ${path}`);
  if (ancestors.has(value)) throw new TypeError(`cannot write a cyclic structure as JSON at ${path}`);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return normalise(toJSON.call(value), ancestors, path);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((v, i) => normalise(v === undefined ? null : v, ancestors, `${path}[${i}]`));
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      return Array.from(value as unknown as ArrayLike<number | bigint>, (v, i) => normalise(v, ancestors, `${path}[${i}]`));
    }
    const out: { [key: string]: JsonValue } = {};
    const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const key of keys) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      out[key] = normalise(v, ancestors, `${path}.${key}`);
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}

/**
 * Formats `value` as deterministic JSON text ending in a newline.
 * @example
 * ```ts
 * formatJson({ b: 1, a: [1, 2] }, { compact: true }); // => '{"a":[1,2],"b":1}\n'
 * ```
 */
export function formatJson(value: unknown, options: JsonFormatOptions = {}): string {
  return `${JSON.stringify(toJsonValue(value), null, options.compact === true ? undefined : 2)}\n`;
}

/** Writes {@link formatJson}`(value, options)` to `stream`. */
export function writeJson(stream: OutputStream, value: unknown, options: JsonFormatOptions = {}): void {
  stream.write(formatJson(value, options));
}
