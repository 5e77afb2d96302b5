/**
 * Declarative flags on top of `node:util`'s `parseArgs` (strict mode). A command declares its
 * flags as {@link FlagSpecs}; {@link parseCommandLine} parses, converts (integers, numbers,
 * choices), applies defaults and rejects anything else with a {@link UsageError} whose message
 * names the flag and the value and points at the right `--help`. The same specs generate the
 * help text (`help.ts`).
 *
 * @packageDocumentation
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors';
import { closestMatch } from './suggest';

interface FlagSpecBase {
  /** A one-letter alias, e.g. `'h'` for `-h`. */
  readonly short?: string;
  /** One line for the help text. */
  readonly description: string;
}

/** A switch: present means `true`, absent `false`; it takes no value. */
export interface BooleanFlagSpec extends FlagSpecBase {
  readonly type: 'boolean';
}

/** A string value, optionally restricted to `choices`. */
export interface StringFlagSpec extends FlagSpecBase {
  readonly type: 'string';
  /** The placeholder in the help, e.g. `'<file>'` (default `'<value>'`). */
  readonly valueName?: string;
  readonly choices?: readonly string[];
  readonly default?: string;
  /** The flag may be given several times; its value is the list of values, in order (`[]` when absent). */
  readonly multiple?: boolean;
}

/** A safe integer in `[min, max]`. */
export interface IntegerFlagSpec extends FlagSpecBase {
  readonly type: 'integer';
  readonly valueName?: string;
  readonly min?: number;
  readonly max?: number;
  readonly default?: number;
}

/** A finite decimal number in `[min, max]` (and `> exclusiveMin` when given). */
export interface NumberFlagSpec extends FlagSpecBase {
  readonly type: 'number';
  readonly valueName?: string;
  readonly min?: number;
  readonly max?: number;
  readonly exclusiveMin?: number;
  readonly default?: number;
}

/** Any flag spec. */
export type FlagSpec = BooleanFlagSpec | StringFlagSpec | IntegerFlagSpec | NumberFlagSpec;

/** Flags by name (the name is the long flag without `--`, e.g. `'grad-out'`). */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** A positional argument a command takes. */
export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  /** The last positional only: it takes every remaining argument (at least one when required). */
  readonly variadic?: boolean;
}

type SpecValue<S> = S extends { type: 'boolean' }
  ? boolean
  : S extends { type: 'string' }
    ? S extends { choices: readonly (infer C)[] }
      ? C
      : string
    : number;

/** The parsed values of `F`: booleans are always defined, others when given or defaulted. */
export type FlagValues<F extends FlagSpecs> = {
  -readonly [K in keyof F]: F[K] extends { type: 'boolean' }
    ? boolean
    : F[K] extends { multiple: true }
      ? string[]
      : F[K] extends { default: unknown }
      ? SpecValue<F[K]>
      : SpecValue<F[K]> | undefined;
};

/** The result of {@link parseCommandLine}. */
export type ParsedCommandLine =
  | { help: true }
  | { help: false; flags: Record<string, boolean | string | number | string[] | undefined>; positionals: string[] };

/** What {@link parseCommandLine} needs to know. */
export interface CommandLineSpec {
  /** For messages, e.g. `"shallowscape linalg-info"`. */
  commandPath: string;
  flags: FlagSpecs;
  positionals?: readonly PositionalSpec[];
}

/** The `-h, --help` flag every command (and the program itself) accepts. */
export const helpFlag: BooleanFlagSpec = { type: 'boolean', short: 'h', description: 'show this help and exit' };

/** `"--name"`, the flag as typed. */
export function flagLabel(name: string): string {
  return `--${name}`;
}

/** The placeholder shown after a value-taking flag, e.g. `<n>`. */
export function valuePlaceholder(spec: FlagSpec): string {
  if (spec.type === 'boolean') return '';
  if (spec.valueName !== undefined) return spec.valueName;
  if (spec.type === 'string' && spec.choices !== undefined) return `<${spec.choices.join('|')}>`;
  return spec.type === 'integer' ? '<n>' : spec.type === 'number' ? '<x>' : '<value>';
}

/** What a value-taking flag expects, in words: `"a non-negative integer"`. */
export function describeExpected(spec: FlagSpec): string {
  switch (spec.type) {
    case 'boolean':
      return 'no value';
    case 'string':
      return spec.choices !== undefined ? `one of: ${spec.choices.join(', ')}` : 'a value';
    case 'integer': {
      const { min, max } = spec;
      if (min !== undefined && max !== undefined) return `an integer in [${min}, ${max}]`;
      if (min === 0) return 'a non-negative integer';
      if (min === 1) return 'a positive integer';
      if (min !== undefined) return `an integer ≥ ${min}`;
      if (max !== undefined) return `an integer ≤ ${max}`;
      return 'an integer';
    }
    case 'number': {
      const parts: string[] = [];
      if (spec.exclusiveMin !== undefined) parts.push(`> ${spec.exclusiveMin}`);
      if (spec.min !== undefined) parts.push(`≥ ${spec.min}`);
      if (spec.max !== undefined) parts.push(`≤ ${spec.max}`);
      return parts.length === 0 ? 'a finite number' : `a finite number ${parts.join(' and ')}`;
    }
  }
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Converts one raw flag value, or explains (as the `expected` text) why it cannot. */
function convertValue(spec: FlagSpec, raw: string): { ok: true; value: string | number } | { ok: false } {
  switch (spec.type) {
    case 'boolean':
      return { ok: false };
    case 'string':
      if (spec.choices !== undefined && !spec.choices.includes(raw)) return { ok: false };
      return { ok: true, value: raw };
    case 'integer': {
      if (!INTEGER.test(raw)) return { ok: false };
      const value = Number(raw);
      if (!Number.isSafeInteger(value)) return { ok: false };
      if (spec.min !== undefined && value < spec.min) return { ok: false };
      if (spec.max !== undefined && value > spec.max) return { ok: false };
      return { ok: true, value };
    }
    case 'number': {
      if (!DECIMAL.test(raw)) return { ok: false };
      const value = Number(raw);
      if (!Number.isFinite(value)) return { ok: false };
      if (spec.exclusiveMin !== undefined && !(value > spec.exclusiveMin)) return { ok: false };
      if (spec.min !== undefined && value < spec.min) return { ok: false };
      if (spec.max !== undefined && value > spec.max) return { ok: false };
      return { ok: true, value: Object.is(value, -0) ? 0 : value };
    }
  }
}

type ParseArgsOptions = Record<string, { type: 'boolean' | 'string'; short?: string; multiple?: boolean }>;

function checkSpecs(flags: FlagSpecs): void {
  const shorts = new Set<string>(['h']);
  for (const [name, spec] of Object.entries(flags)) {
    if (name === 'help') throw new Error(`flag spec error: '--help' is reserved`);
    if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(name)) throw new Error(`flag spec error: '${name}' is not kebab-case`);
    if (spec.short !== undefined) {
      if (spec.short.length !== 1 || shorts.has(spec.short)) throw new Error(`flag spec error: bad or duplicate short '-${spec.short}'`);
      shorts.add(spec.short);
    }
  }
}

/**
 * Parses `args` against `spec` with `parseArgs` in strict mode. `-h`/`--help` anywhere before
 * `--` wins over everything else and yields `{ help: true }`.
 *
 * @throws {@link UsageError} for an unknown flag, a flag given twice, a missing value, a value
 * given to a switch, a value that does not convert (naming the flag and the value), or a
 * missing or unexpected positional argument.
 * @example
 * ```ts
 * const spec = { commandPath: 'shallowscape x', flags: { seed: { type: 'integer', min: 0, description: 'seed' } } } as const;
 * parseCommandLine(spec, ['--seed', '7']); // => { help: false, flags: { seed: 7 }, positionals: [] }
 * ```
 */
export function parseCommandLine(spec: CommandLineSpec, args: readonly string[]): ParsedCommandLine {
  const { commandPath, flags } = spec;
  const positionalSpecs = spec.positionals ?? [];
  checkSpecs(flags);
  const options: ParseArgsOptions = { help: { type: 'boolean', short: 'h' } };
  for (const [name, flag] of Object.entries(flags)) {
    options[name] = {
      type: flag.type === 'boolean' ? 'boolean' : 'string',
      ...(flag.short !== undefined ? { short: flag.short } : {}),
      ...(flag.type === 'string' && flag.multiple === true ? { multiple: true } : {}),
    };
  }
  const helpHint = `see '${commandPath} --help'`;

  // A lenient pass: find --help, and explain precisely what the strict pass rejects.
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { help: true };

  let strict: ReturnType<typeof parseArgs<{ options: ParseArgsOptions; allowPositionals: true; tokens: true }>>;
  try {
    strict = parseArgs({ args: [...args], options, strict: true, allowPositionals: positionalSpecs.length > 0, tokens: true });
  } catch (error) {
    throw diagnose(spec, tokens, error, helpHint);
  }

  const seen = new Map<string, string>();
  for (const token of strict.tokens) {
    if (token.kind !== 'option') continue;
    const tokenSpec = flags[token.name];
    if (tokenSpec?.type === 'string' && tokenSpec.multiple === true) continue;
    const shown = token.value === undefined ? token.rawName : `${token.rawName} ${token.value}`;
    const earlier = seen.get(token.name);
    if (earlier !== undefined) {
      throw new UsageError(`flag ${flagLabel(token.name)} is given twice ('${earlier}' and '${shown}'); ${helpHint}`, flagLabel(token.name));
    }
    seen.set(token.name, shown);
  }

  const values: Record<string, boolean | string | number | string[] | undefined> = {};
  for (const [name, flag] of Object.entries(flags)) {
    const raw = strict.values[name];
    if (flag.type === 'boolean') {
      values[name] = raw === true;
      continue;
    }
    if (flag.type === 'string' && flag.multiple === true) {
      const list = raw === undefined ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
      for (const item of list) {
        if (!convertValue(flag, item).ok) {
          throw new UsageError(`invalid value for ${flagLabel(name)}: ${JSON.stringify(item)} (expected ${describeExpected(flag)}); ${helpHint}`, flagLabel(name));
        }
      }
      values[name] = list;
      continue;
    }
    if (raw === undefined) {
      values[name] = flag.default;
      continue;
    }
    const converted = convertValue(flag, String(raw));
    if (!converted.ok) {
      throw new UsageError(
        `invalid value for ${flagLabel(name)}: ${JSON.stringify(raw)} (expected ${describeExpected(flag)}); ${helpHint}`,
        flagLabel(name),
      );
    }
    values[name] = converted.value;
  }

  const positionals = strict.positionals;
  const variadic = positionalSpecs[positionalSpecs.length - 1]?.variadic === true;
  if (!variadic && positionals.length > positionalSpecs.length) {
    throw new UsageError(
      `unexpected argument ${JSON.stringify(positionals[positionalSpecs.length])} for '${commandPath}' ` +
        `(it takes ${positionalSpecs.length === 0 ? 'no' : `at most ${positionalSpecs.length}`} positional arguments); ${helpHint}`,
    );
  }
  const missing = positionalSpecs.slice(positionals.length).find((p) => p.required === true);
  if (missing !== undefined) {
    throw new UsageError(`missing argument <${missing.name}> for '${commandPath}'; ${helpHint}`, missing.name);
  }
  return { help: false, flags: values, positionals };
}

type Token = ReturnType<typeof parseArgs<{ options: ParseArgsOptions; tokens: true; strict: false }>>['tokens'][number];

/** Turns a strict-mode `parseArgs` failure into a {@link UsageError} naming the flag and value. */
function diagnose(spec: CommandLineSpec, tokens: Token[], error: unknown, helpHint: string): Error {
  const { commandPath, flags } = spec;
  const positionalCount = spec.positionals?.length ?? 0;
  const variadic = spec.positionals?.[positionalCount - 1]?.variadic === true;
  let positionalsSeen = 0;
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionalsSeen += 1;
      if (!variadic && positionalsSeen > positionalCount) {
        return new UsageError(
          `unexpected argument ${JSON.stringify(token.value)} for '${commandPath}' ` +
            `(it takes ${positionalCount === 0 ? 'no' : `at most ${positionalCount}`} positional arguments); ${helpHint}`,
        );
      }
      continue;
    }
    if (token.kind !== 'option') continue;
    const flag = flags[token.name];
    if (flag === undefined) {
      const known = Object.keys(flags).map(flagLabel);
      const suggestion = token.rawName.startsWith('--') ? closestMatch(token.rawName, known) : undefined;
      const hint = suggestion !== undefined ? ` (did you mean ${suggestion}?)` : '';
      const shown = token.inlineValue === true ? `${token.rawName}=${token.value}` : token.rawName;
      return new UsageError(`unknown flag ${shown} for '${commandPath}'${hint}; ${helpHint}`, token.rawName);
    }
    const label = flagLabel(token.name);
    if (flag.type === 'boolean') {
      if (token.value !== undefined) {
        return new UsageError(`flag ${label} takes no value, got ${JSON.stringify(token.value)}; ${helpHint}`, label);
      }
      continue;
    }
    if (token.value === undefined) {
      return new UsageError(`flag ${label} needs a value (${label} ${valuePlaceholder(flag)}); ${helpHint}`, label);
    }
    if (token.inlineValue !== true && token.value.startsWith('-')) {
      return new UsageError(
        `flag ${label} needs a value, got ${JSON.stringify(token.value)}, which looks like a flag ` +
          `(to pass a value starting with '-', write ${label}=${token.value}); ${helpHint}`,
        label,
      );
    }
  }
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return new UsageError(`${message} for '${commandPath}'; ${helpHint}`);
}
