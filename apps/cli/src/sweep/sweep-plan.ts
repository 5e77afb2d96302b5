/**
 * From a sweep file to the list of cells it runs: each grid's axes are expanded (lists, ranges),
 * derived values are computed by the sweep expression language (never `eval`), every grid point is
 * checked as its command would check it, and each point is repeated `seeds` times with a seed
 * derived from the base seed and the point's coordinates ({@link deriveCellSeed}).
 *
 * What a grid value means:
 * - a list `[a, b, c]` or a range form (`{ range: [from, to, step] }`, `{ linspace: [from, to,
 *   count] }`, `{ logrange: [from, to, count] }`) is an axis; the grid is the Cartesian product of
 *   its axes, the first axis varying slowest. Range values are rounded to 12 significant digits (so
 *   `0.1` steps give `0.3`, not `0.30000000000000004`); for an integer flag, `logrange` values are
 *   rounded to the nearest integer and repeats dropped.
 * - a text value for a numeric flag, or for a key that is not a flag, is an expression over the
 *   other keys (`n: "round(ratio * d*(d+1)/2)"`); a hyphenated flag is written with `_`
 *   (`teacher_width`). A key that is not a flag of the command is a parameter: it must be used by
 *   an expression, and it is a coordinate of the cell (a column of the results) but not a flag.
 *   A derived value for an integer flag must be an integer (within $10^{-9}$ relative).
 * - one value is an axis of one value. In `fixed`, values are flags of every cell; a text value for
 *   a numeric flag there is an expression too (`m: "2*d"`), evaluated at each point.
 *
 * @packageDocumentation
 */
import { evaluateExpression, expressionVariables, parseExpression, type Expression, type ExpressionValue } from '@shallowscape/experiments';
import type { Command } from '../command';
import { parseCommandLine, type FlagSpec } from '../parse-flags';
import { closestMatch } from '../suggest';
import { deriveCellSeed } from './cell-seed';
import { SweepFileError, canonicalJson, type RawAxis, type SweepFile, type SweepScalar } from './sweep-file';

/** One run of a sweep. */
export interface SweepCell {
  /** The index of its grid in the file. */
  grid: number;
  /** The index of its grid point, counting through the grids in order. */
  point: number;
  /** Its values on the grid's keys (axes, derived values and parameters), in the grid's key order. */
  coordinates: Record<string, SweepScalar>;
  /** The repetition index, from 0. */
  repetition: number;
  /** The seed passed as `--seed` (null when the command takes no seed). */
  seed: number | null;
  /** Identifies the cell in a store: canonical coordinates and repetition. */
  key: string;
  /** The command line of the run, without the program name: `['train', '--d=6', …, '--json']`. */
  argv: string[];
}

/** A grid point: its coordinates and the flags of its runs (before the seed). */
export interface SweepPoint {
  grid: number;
  point: number;
  coordinates: Record<string, SweepScalar>;
  /** Flag name → value, fixed flags first, as passed to the command. */
  flags: Record<string, SweepScalar>;
  /** The flags as parsed by the command (converted, defaults filled in), for validation. */
  parsed: Record<string, boolean | string | number | undefined>;
}

/** The expanded sweep. */
export interface SweepPlan {
  file: SweepFile;
  command: Command;
  points: SweepPoint[];
  cells: SweepCell[];
  /** The coordinate names over all grids, in order of first appearance (the results' columns). */
  coordinateNames: string[];
}

/** Flags a sweep sets itself or that write files (a cell's output goes to the store). */
function reservedFlag(name: string): string | null {
  if (name === 'json') return 'the sweep always runs its cells with --json';
  if (name === 'seed') return "seeds are derived from the sweep's base seed and each cell's coordinates: set the top-level key seed";
  if (name === 'out' || name.endsWith('-out') || name === 'plot' || name === 'report') return `--${name} writes files; a sweep keeps every run's results in its store`;
  return null;
}

/** The variable name of a key in expressions (`teacher-width` → `teacher_width`). */
function variableName(key: string): string {
  return key.replace(/-/g, '_');
}

function roundSignificant(x: number): number {
  return Number(x.toPrecision(12));
}

/** The values of a list or range axis. */
function axisValues(axis: RawAxis, spec: FlagSpec | undefined): SweepScalar[] {
  switch (axis.kind) {
    case 'list':
      return axis.values;
    case 'scalar':
      return [axis.value];
    case 'range': {
      const count = Math.floor((axis.to - axis.from) / axis.step + 1e-9) + 1;
      return Array.from({ length: count }, (_, i) => roundSignificant(axis.from + i * axis.step));
    }
    case 'linspace':
      return Array.from({ length: axis.count }, (_, i) => (axis.count === 1 ? axis.from : i === axis.count - 1 ? axis.to : roundSignificant(axis.from + ((axis.to - axis.from) * i) / (axis.count - 1))));
    case 'logrange': {
      const ratio = Math.log(axis.to / axis.from);
      const values = Array.from({ length: axis.count }, (_, i) =>
        axis.count === 1 ? axis.from : i === axis.count - 1 ? axis.to : roundSignificant(axis.from * Math.exp((ratio * i) / (axis.count - 1))),
      );
      return spec?.type === 'integer' ? [...new Set(values.map((v) => Math.round(v)))] : values;
    }
  }
}

interface Derived {
  key: string;
  /** Where it is written: `grid.n` or `fixed.m`. */
  path: string;
  source: string;
  expression: Expression;
  /** A coordinate (grid key) or only a flag (fixed key). */
  coordinate: boolean;
}

/** An integer flag's derived value: integral within 1e-9 relative, then rounded. */
function integral(value: number): number | null {
  const r = Math.round(value);
  return Math.abs(value - r) <= 1e-9 * Math.max(1, Math.abs(value)) ? r : null;
}

function formatCoordinates(c: Readonly<Record<string, SweepScalar>>): string {
  const parts = Object.entries(c).map(([k, v]) => `${k}=${typeof v === 'string' ? v : String(v)}`);
  return parts.length === 0 ? '(the only point)' : parts.join(', ');
}

/** The command-line form of one flag value (`--key=value`, so that negative numbers are values). */
function flagArgs(key: string, value: SweepScalar, spec: FlagSpec): string[] {
  if (spec.type === 'boolean') return value === true ? [`--${key}`] : [];
  return [`--${key}=${typeof value === 'number' ? String(value) : String(value)}`];
}

/**
 * Expands a sweep file for `command`: every grid point's flags are computed and parsed as the
 * command parses them, and `validatePoint` (the command's own checks of flag combinations, files
 * and sizes) runs once per point, all before anything is computed.
 *
 * @param file - the sweep file.
 * @param command - the command its `run` names.
 * @param validatePoint - throws the command's error for a point it would reject.
 * @throws {@link SweepFileError} naming the key path (and the point) of the first problem.
 */
export function planSweep(file: SweepFile, command: Command, validatePoint: (point: SweepPoint) => void): SweepPlan {
  const fail = (keyPath: string | null, problem: string): never => {
    throw new SweepFileError(file.path, keyPath === null ? null : file.locate(keyPath), keyPath, problem);
  };
  const flagSpecs = command.flags;
  const flagNames = Object.keys(flagSpecs);
  const takesSeed = flagSpecs.seed !== undefined;
  if (!takesSeed && file.seeds > 1) fail('seeds', `${command.name} takes no --seed, so its repetitions would be identical; use seeds: 1`);
  const unknownFlag = (path: string, key: string): never => {
    const near = closestMatch(key, flagNames);
    return fail(path, `${command.name} has no flag --${key}${near !== undefined ? ` (did you mean '${near}'?)` : ''}, and no expression uses ${variableName(key)} as a parameter`);
  };

  // Fixed values: literal flags, or expressions for numeric flags.
  const fixedLiteral = new Map<string, SweepScalar>();
  const fixedDerived: Derived[] = [];
  for (const { key, value } of file.fixed) {
    const path = `fixed.${key}`;
    const spec = flagSpecs[key];
    const reserved = reservedFlag(key);
    if (reserved !== null) fail(path, `cannot be set in a sweep: ${reserved}`);
    if (spec === undefined) {
      // A parameter: only as a constant for expressions.
      fixedLiteral.set(key, value);
      continue;
    }
    if (typeof value === 'string' && (spec.type === 'integer' || spec.type === 'number')) {
      fixedDerived.push({ key, path, source: value, expression: parseAt(path, value, fail), coordinate: false });
    } else fixedLiteral.set(key, value);
  }

  const points: SweepPoint[] = [];
  const cells: SweepCell[] = [];
  const coordinateNames: string[] = [];
  const seenKeys = new Set<string>();
  const usedAnywhere = new Set(fixedDerived.flatMap((d) => expressionVariables(d.expression)));
  let pointIndex = 0;

  file.grids.forEach((grid, gridIndex) => {
    const axes: Array<{ key: string; path: string; values: SweepScalar[] }> = [];
    const derived: Derived[] = [...fixedDerived];
    for (const { key, axis } of grid.axes) {
      const path = `${grid.path}.${key}`;
      const spec = flagSpecs[key];
      const reserved = reservedFlag(key);
      if (reserved !== null) fail(path, `cannot be swept: ${reserved}`);
      if (fixedLiteral.has(key) || file.fixed.some((f) => f.key === key)) fail(path, `${key} is also in fixed; give it in one place`);
      if (axis.kind === 'scalar' && typeof axis.value === 'string' && (spec === undefined || spec.type === 'integer' || spec.type === 'number')) {
        derived.push({ key, path, source: axis.value, expression: parseAt(path, axis.value, fail), coordinate: true });
        continue;
      }
      if (spec !== undefined && spec.type !== 'integer' && spec.type !== 'number' && axis.kind !== 'list' && axis.kind !== 'scalar') {
        fail(path, `a range form gives numbers, but --${key} takes ${spec.type === 'boolean' ? 'true or false' : 'text'}`);
      }
      axes.push({ key, path, values: axisValues(axis, spec) });
    }
    // Which keys expressions use; a parameter (not a flag) must be used by one.
    const used = new Set(derived.flatMap((d) => expressionVariables(d.expression)));
    for (const { key, path } of [...axes, ...derived.filter((d) => d.coordinate)]) {
      if (flagSpecs[key] === undefined && !used.has(variableName(key))) unknownFlag(path, key);
    }
    for (const name of used) usedAnywhere.add(name);
    const order = orderDerived(derived, fail);

    // The Cartesian product, the first axis slowest.
    const total = axes.reduce((p, a) => p * a.values.length, 1);
    if (total * file.seeds > 10_000_000) fail(grid.path, `${total} points × ${file.seeds} seeds is too many runs for one sweep (at most 10000000)`);
    for (let flat = 0; flat < total; flat++) {
      const env: Record<string, ExpressionValue> = {};
      for (const [key, value] of fixedLiteral) env[variableName(key)] = value;
      const coordinates: Record<string, SweepScalar> = {};
      let rest = flat;
      const indices: number[] = [];
      for (let a = axes.length - 1; a >= 0; a--) {
        indices[a] = rest % axes[a]!.values.length;
        rest = Math.floor(rest / axes[a]!.values.length);
      }
      axes.forEach((axis, a) => {
        const value = axis.values[indices[a]!]!;
        env[variableName(axis.key)] = value;
      });
      const derivedValues = new Map<string, SweepScalar>();
      for (const d of order) {
        const value = evaluateAt(d, env, fail, axes, indices);
        const spec = flagSpecs[d.key];
        let v: SweepScalar = value;
        if (typeof value === 'number') {
          if (!Number.isFinite(value)) fail(d.path, `${JSON.stringify(d.source)} is ${value} at ${formatCoordinates(pointOf(axes, indices))}`);
          if (spec?.type === 'integer') {
            const n = integral(value);
            if (n === null) fail(d.path, `${JSON.stringify(d.source)} = ${value} at ${formatCoordinates(pointOf(axes, indices))} is not an integer, but --${d.key} takes an integer; round it with round(…), floor(…) or ceil(…)`);
            v = n as number;
          }
        } else if (spec !== undefined && (spec.type === 'integer' || spec.type === 'number')) {
          fail(d.path, `${JSON.stringify(d.source)} gives ${JSON.stringify(value)} at ${formatCoordinates(pointOf(axes, indices))}, but --${d.key} takes a number`);
        }
        derivedValues.set(d.key, v);
        env[variableName(d.key)] = v;
      }
      // Coordinates in the grid's key order.
      for (const { key } of grid.axes) {
        const axis = axes.find((x) => x.key === key);
        coordinates[key] = axis !== undefined ? axis.values[indices[axes.indexOf(axis)]!]! : derivedValues.get(key)!;
        if (!coordinateNames.includes(key)) coordinateNames.push(key);
      }
      const flags: Record<string, SweepScalar> = {};
      for (const [key, value] of fixedLiteral) if (flagSpecs[key] !== undefined) flags[key] = value;
      for (const d of fixedDerived) flags[d.key] = derivedValues.get(d.key)!;
      for (const [key, value] of Object.entries(coordinates)) if (flagSpecs[key] !== undefined) flags[key] = value;

      const argv = Object.entries(flags).flatMap(([key, value]) => flagArgs(key, value, flagSpecs[key]!));
      const pointPath = `${grid.path} point (${formatCoordinates(coordinates)})`;
      let parsed: Record<string, boolean | string | number | undefined>;
      try {
        const result = parseCommandLine({ commandPath: `shallowscape ${command.name}`, flags: flagSpecs }, argv);
        if (result.help) throw new Error('unreachable: --help is reserved');
        // The commands a sweep runs take no repeatable flag, so no value is a list.
        parsed = result.flags as Record<string, boolean | string | number | undefined>;
      } catch (error) {
        throw pointError(file, error, flags, coordinates, grid.path, fixedLiteral, pointPath);
      }
      const point: SweepPoint = { grid: gridIndex, point: pointIndex, coordinates, flags, parsed };
      try {
        validatePoint(point);
      } catch (error) {
        throw pointError(file, error, flags, coordinates, grid.path, fixedLiteral, pointPath);
      }
      const pointKey = canonicalJson(coordinates);
      if (seenKeys.has(pointKey)) continue; // the same point in two grids runs once
      seenKeys.add(pointKey);
      points.push(point);
      for (let r = 0; r < file.seeds; r++) {
        const seed = takesSeed ? deriveCellSeed(file.seed, coordinates, r) : null;
        cells.push({
          grid: gridIndex,
          point: pointIndex,
          coordinates,
          repetition: r,
          seed,
          key: `${pointKey}#${r}`,
          argv: [command.name, ...argv, ...(seed !== null ? [`--seed=${seed}`] : []), '--json'],
        });
      }
      pointIndex++;
    }
  });
  for (const [key] of fixedLiteral) {
    if (flagSpecs[key] === undefined && !usedAnywhere.has(variableName(key))) unknownFlag(`fixed.${key}`, key);
  }
  return { file, command, points, cells, coordinateNames };
}

function pointOf(axes: ReadonlyArray<{ key: string; values: SweepScalar[] }>, indices: readonly number[]): Record<string, SweepScalar> {
  return Object.fromEntries(axes.map((a, i) => [a.key, a.values[indices[i]!]!]));
}

function parseAt(path: string, source: string, fail: (keyPath: string | null, problem: string) => never): Expression {
  try {
    return parseExpression(source);
  } catch (error) {
    return fail(path, `cannot read the expression ${JSON.stringify(source)}: ${(error as Error).message}`);
  }
}

function evaluateAt(
  d: Derived,
  env: Readonly<Record<string, ExpressionValue>>,
  fail: (keyPath: string | null, problem: string) => never,
  axes: ReadonlyArray<{ key: string; values: SweepScalar[] }>,
  indices: readonly number[],
): ExpressionValue {
  try {
    return evaluateExpression(d.expression, env);
  } catch (error) {
    return fail(d.path, `${JSON.stringify(d.source)} at ${formatCoordinates(pointOf(axes, indices))}: ${(error as Error).message}`);
  }
}

/** Derived values in an order where each comes after those it uses; a cycle is an error. */
function orderDerived(derived: readonly Derived[], fail: (keyPath: string | null, problem: string) => never): Derived[] {
  const byName = new Map(derived.map((d) => [variableName(d.key), d]));
  const done = new Set<string>();
  const order: Derived[] = [];
  const visit = (d: Derived, stack: string[]): void => {
    const name = variableName(d.key);
    if (done.has(name)) return;
    if (stack.includes(name)) fail(d.path, `the expressions refer to each other in a cycle: ${[...stack.slice(stack.indexOf(name)), name].join(' → ')}`);
    for (const v of expressionVariables(d.expression)) {
      const dep = byName.get(v);
      if (dep !== undefined) visit(dep, [...stack, name]);
    }
    done.add(name);
    order.push(d);
  };
  for (const d of derived) visit(d, []);
  return order;
}

/** A command's error for one point, as a sweep-file error naming where the flag comes from. */
function pointError(
  file: SweepFile,
  error: unknown,
  flags: Readonly<Record<string, SweepScalar>>,
  coordinates: Readonly<Record<string, SweepScalar>>,
  gridPath: string,
  fixed: ReadonlyMap<string, SweepScalar>,
  pointPath: string,
): unknown {
  if (!(error instanceof Error) || typeof (error as { code?: unknown }).code !== 'string') return error;
  const argument = (error as { argument?: unknown }).argument;
  const flag = typeof argument === 'string' && /^--[a-z][a-z0-9-]*$/.test(argument) ? argument.slice(2) : null;
  const message = error.message.replace(/; see '[^']*--help'$/, '').replace(/^shallowscape [a-z-]+: /, '');
  let keyPath = pointPath;
  let located = file.locate(gridPath);
  if (flag !== null && flags[flag] !== undefined) {
    if (fixed.has(flag)) {
      keyPath = `fixed.${flag}`;
      located = file.locate(keyPath);
      if (Object.keys(coordinates).length > 0) keyPath += ` at (${formatCoordinates(coordinates)})`;
    } else if (coordinates[flag] !== undefined) {
      // A list value: point at the item; a derived value: at its key, with the point.
      const axis = file.grids.find((g) => g.path === gridPath)?.axes.find((a) => a.key === flag)?.axis;
      const index = axis?.kind === 'list' ? axis.values.indexOf(coordinates[flag]) : -1;
      keyPath = index >= 0 ? `${gridPath}.${flag}[${index}]` : `${gridPath}.${flag}`;
      located = file.locate(keyPath) ?? file.locate(`${gridPath}.${flag}`);
      if (index < 0 && Object.keys(coordinates).length > 1) keyPath += ` at (${formatCoordinates(coordinates)})`;
    }
  } else if (flag !== null) {
    keyPath = `${pointPath}: --${flag}`;
  }
  return new SweepFileError(file.path, located, keyPath, message);
}
