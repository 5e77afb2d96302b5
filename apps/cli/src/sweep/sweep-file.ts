/**
 * Reading a sweep file: YAML or JSON (a JSON document is YAML too, so one parser reads both and
 * reports syntax errors with their line and column), checked for its structure, and reduced to a
 * canonical form whose hash identifies the sweep in a results store.
 *
 * The document:
 *
 * ```yaml
 * name: sample-threshold-d6    # letters, digits, '.', '_', '-'; names the store <name>.sqlite
 * description: free text       # optional
 * run: train                   # the command each cell runs
 * seed: 0                      # the base seed (default 0)
 * seeds: 8                     # repetitions per grid point (default 1)
 * fixed: { d: 6, m: 8 }        # flags of every cell, spelled as on the command line
 * grid:                        # the Cartesian product of its axes ...
 *   n: [10, 15, 20, 21, 25, 30]
 * # grids: [ {...}, {...} ]    # ... or several grids, one after the other
 * ```
 *
 * What the values of a grid mean (lists, ranges, expressions) is decided against the command's
 * flags by `sweep-plan.ts`; this module only checks the shape of the document.
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { ShallowscapeError } from '@shallowscape/linalg';
import { LineCounter, isMap, isSeq, parseDocument, type Document } from 'yaml';
import { describeSystemError } from '../errors';
import { closestMatch } from '../suggest';

/** A scalar value of a sweep file. */
export type SweepScalar = number | string | boolean;

/** A value of a grid key as written: a list, a range form, or one scalar (an expression when a string). */
export type RawAxis =
  | { kind: 'list'; values: SweepScalar[] }
  | { kind: 'range'; from: number; to: number; step: number }
  | { kind: 'linspace'; from: number; to: number; count: number }
  | { kind: 'logrange'; from: number; to: number; count: number }
  | { kind: 'scalar'; value: SweepScalar };

/** One grid: its keys in the order written, and the key path of the grid (`grid`, `grids[1]`). */
export interface RawGrid {
  path: string;
  axes: Array<{ key: string; axis: RawAxis }>;
}

/** A sweep file, checked for its structure. */
export interface SweepFile {
  /** The file as the user named it. */
  path: string;
  name: string;
  description: string | null;
  run: string;
  seed: number;
  seeds: number;
  fixed: Array<{ key: string; value: SweepScalar }>;
  grids: RawGrid[];
  /** The document as canonical JSON (keys sorted, no whitespace): what the hash is taken of. */
  canonical: string;
  /** SHA-256 of {@link canonical}, hexadecimal. */
  hash: string;
  /** The line and column of a key path (`grid.n[2]`) in the file, for messages. */
  locate(path: string): { line: number; column: number } | null;
}

/** The largest sweep file read (a sweep file is a page of text, not data). */
export const MAX_SWEEP_FILE_BYTES = 1 << 20;

const TOP_KEYS = ['name', 'description', 'run', 'seed', 'seeds', 'fixed', 'grid', 'grids'] as const;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * A sweep file is wrong: its syntax, its structure, or a value its command would reject. The
 * message is one line: `FILE:LINE:COLUMN: KEY.PATH: what is wrong`.
 */
export class SweepFileError extends ShallowscapeError {
  /**
   * @param file - the file as named on the command line.
   * @param where - `LINE:COLUMN` or `null`.
   * @param keyPath - the key path (`grid.n[2]`), or `null` for the document.
   * @param problem - what is wrong.
   */
  constructor(file: string, where: { line: number; column: number } | null, keyPath: string | null, problem: string) {
    const location = where === null ? '' : `:${where.line}:${where.column}`;
    super(`${file}${location}: ${keyPath === null ? '' : `${keyPath}: `}${problem}`, 'E_SWEEP_FILE', file);
  }
}

/**
 * JSON with object keys sorted at every level and no whitespace: equal documents give equal text.
 *
 * @param value - a JSON value.
 * @example
 * ```ts
 * canonicalJson({ b: [2, { d: 1, c: 0 }], a: 'x' }); // => "{\"a\":\"x\",\"b\":[2,{\"c\":0,\"d\":1}]}"
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Reads a sweep file from disk ({@link parseSweepFile} after the size and read checks). */
export function readSweepFile(path: string): SweepFile {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_SWEEP_FILE_BYTES) throw new SweepFileError(path, null, null, `${size} bytes is too large for a sweep file (at most ${MAX_SWEEP_FILE_BYTES})`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof SweepFileError) throw error;
    throw new SweepFileError(path, null, null, `cannot read the sweep file: ${describeSystemError(error)}`);
  }
  return parseSweepFile(path, text);
}

/** The key path `a.b[2]` as the parts `['a', 'b', 2]` of the yaml package. */
function pathParts(path: string): Array<string | number> {
  const parts: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return parts;
}

/**
 * Parses and checks a sweep file's text.
 *
 * @param path - the file name, for messages.
 * @param text - its contents (YAML or JSON).
 * @throws {@link SweepFileError} naming the line, column and key path of the first problem.
 * @example
 * ```ts
 * parseSweepFile('s.yaml', 'name: s\nrun: train\ngrid: { n: [10, 20] }\n').grids[0].axes[0].key; // => "n"
 * ```
 */
export function parseSweepFile(path: string, text: string): SweepFile {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    const pos = lineCounter.linePos(syntax.pos[0]);
    const message = syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new SweepFileError(path, { line: pos.line, column: pos.col }, null, `not valid YAML or JSON: ${message}`);
  }
  // A key path points at its key in a mapping (`grid.n` → `n:`), at the item in a list (`[2]`).
  const locate = (keyPath: string): { line: number; column: number } | null => {
    const parts = pathParts(keyPath);
    let node: unknown = doc.contents;
    if (parts.length > 0) {
      const parent = parts.length === 1 ? doc.contents : doc.getIn(parts.slice(0, -1), true);
      const last = parts[parts.length - 1]!;
      if (isMap(parent)) node = parent.items.find((pair) => (pair.key as { value?: unknown } | null)?.value === last)?.key;
      else if (isSeq(parent) && typeof last === 'number') node = parent.items[last];
      else node = undefined;
    }
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range === undefined) return null;
    const pos = lineCounter.linePos(range[0]);
    return { line: pos.line, column: pos.col };
  };
  const fail = (keyPath: string | null, problem: string): never => {
    throw new SweepFileError(path, keyPath === null ? locate('') : locate(keyPath), keyPath, problem);
  };
  if (!isMap(doc.contents)) fail(null, 'a sweep file is a mapping with the keys name, run, grid (and fixed, seeds, seed, description)');
  const data = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;

  for (const key of Object.keys(data)) {
    if (!(TOP_KEYS as readonly string[]).includes(key)) {
      const near = closestMatch(key, TOP_KEYS);
      fail(key, `unknown key${near !== undefined ? ` (did you mean '${near}'?)` : ''}; a sweep file has ${TOP_KEYS.join(', ')}`);
    }
  }
  const name = data.name;
  if (typeof name !== 'string' || !NAME.test(name)) {
    fail(name === undefined ? null : 'name', `${name === undefined ? 'missing key "name"' : `invalid name ${JSON.stringify(name)}`}: a name of letters, digits, '.', '_' and '-' (it names the store, <name>.sqlite)`);
  }
  const description = data.description;
  if (description !== undefined && typeof description !== 'string') fail('description', 'must be text');
  const run = data.run;
  if (typeof run !== 'string') fail(run === undefined ? null : 'run', `${run === undefined ? 'missing key "run"' : `invalid run ${JSON.stringify(run)}`}: the command each cell runs, e.g. run: train`);
  const seed = data.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) fail('seed', `invalid base seed ${JSON.stringify(seed)} (expected a non-negative integer)`);
  const seeds = data.seeds ?? 1;
  if (typeof seeds !== 'number' || !Number.isSafeInteger(seeds) || seeds < 1 || seeds > 1_000_000) {
    fail('seeds', `invalid number of repetitions ${JSON.stringify(seeds)} (expected an integer in [1, 1000000])`);
  }

  const fixedValue = data.fixed ?? {};
  if (fixedValue === null || typeof fixedValue !== 'object' || Array.isArray(fixedValue)) fail('fixed', 'must be a mapping of flags to values, e.g. fixed: { d: 6, m: 8 }');
  const fixed = Object.entries(fixedValue as Record<string, unknown>).map(([key, value]) => {
    if (!isScalar(value)) fail(`fixed.${key}`, `must be one value (a number, text or true/false), got ${describe(value)}; put lists under grid`);
    return { key, value: value as SweepScalar };
  });

  if (data.grid !== undefined && data.grids !== undefined) fail('grids', 'give either grid (one grid) or grids (a list of grids), not both');
  let grids: RawGrid[];
  if (data.grids !== undefined) {
    if (!Array.isArray(data.grids) || data.grids.length === 0) fail('grids', 'must be a non-empty list of grids, e.g. grids: [{ d: [5], n: [10, 20] }, { d: [8], n: [30] }]');
    grids = (data.grids as unknown[]).map((g, i) => readGrid(`grids[${i}]`, g, fail));
  } else if (data.grid !== undefined) {
    grids = [readGrid('grid', data.grid, fail)];
  } else {
    grids = [{ path: 'grid', axes: [] }];
  }
  const canonical = canonicalJson(data);
  return {
    path,
    name: name as string,
    description: (description as string | undefined) ?? null,
    run: run as string,
    seed: seed as number,
    seeds: seeds as number,
    fixed,
    grids,
    canonical,
    hash: createHash('sha256').update(canonical).digest('hex'),
    locate,
  };
}

function isScalar(value: unknown): value is SweepScalar {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

const RANGE_FORMS = ['range', 'linspace', 'logrange'] as const;

/** Reads one grid mapping. */
function readGrid(path: string, value: unknown, fail: (keyPath: string | null, problem: string) => never): RawGrid {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, 'a grid is a mapping of flags to lists of values, e.g. { n: [10, 20, 30] }');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) fail(path, 'the grid is empty: give at least one flag with its list of values');
  const axes = entries.map(([key, raw]) => {
    const at = `${path}.${key}`;
    if (Array.isArray(raw)) {
      if (raw.length === 0) fail(at, 'the list is empty: the grid would have no points');
      raw.forEach((v, i) => {
        if (!isScalar(v)) fail(`${at}[${i}]`, `must be one value (a number, text or true/false), got ${describe(v)}`);
      });
      return { key, axis: { kind: 'list', values: raw as SweepScalar[] } as RawAxis };
    }
    if (isScalar(raw)) return { key, axis: { kind: 'scalar', value: raw } as RawAxis };
    if (raw !== null && typeof raw === 'object') return { key, axis: readRangeForm(at, raw as Record<string, unknown>, fail) };
    return fail(at, `must be a list, a range form ({ range: [from, to, step] }, { linspace: [from, to, count] }, { logrange: [from, to, count] }) or an expression, got ${describe(raw)}`);
  });
  return { path, axes };
}

/** Reads `{ range: [from, to, step] }` (or `{ range: { from, to, step } }`) and its two siblings. */
function readRangeForm(at: string, raw: Record<string, unknown>, fail: (keyPath: string | null, problem: string) => never): RawAxis {
  const keys = Object.keys(raw);
  const form = keys[0] as (typeof RANGE_FORMS)[number];
  if (keys.length !== 1 || !(RANGE_FORMS as readonly string[]).includes(form)) {
    fail(at, `a mapping here must be one of { range: [from, to, step] }, { linspace: [from, to, count] }, { logrange: [from, to, count] }, got keys ${keys.join(', ') || '(none)'}`);
  }
  const third = form === 'range' ? 'step' : 'count';
  const spec = raw[form];
  const formPath = `${at}.${form}`;
  let values: unknown[];
  if (Array.isArray(spec)) values = spec;
  else if (spec !== null && typeof spec === 'object') {
    const o = spec as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!['from', 'to', third].includes(k)) fail(`${formPath}.${k}`, `unknown key; ${form} takes from, to and ${third}`);
    values = [o.from, o.to, o[third]];
  } else values = [];
  if (values.length !== 3 || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    fail(formPath, `expected three finite numbers [from, to, ${third}], got ${JSON.stringify(spec)}`);
  }
  const [from, to, last] = values as [number, number, number];
  if (form === 'range') {
    if (last === 0 || Math.sign(last) !== Math.sign(to - from || last)) fail(formPath, `step ${last} does not lead from ${from} to ${to}`);
    const count = Math.floor((to - from) / last + 1e-9) + 1;
    if (count > 1_000_000) fail(formPath, `${count} values is too many for one axis (at most 1000000)`);
    return { kind: 'range', from, to, step: last };
  }
  if (!Number.isSafeInteger(last) || last < 1 || last > 1_000_000) fail(formPath, `count ${last} must be an integer in [1, 1000000]`);
  if (form === 'logrange' && (from <= 0 || to <= 0)) fail(formPath, `logrange needs positive ends, got from ${from}, to ${to}`);
  return { kind: form, from, to, count: last };
}
