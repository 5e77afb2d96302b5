/**
 * Help texts, generated from the command registry and the flag specs so that they cannot drift
 * from what the parser accepts.
 *
 * @packageDocumentation
 */
import { BACKEND_CHOICES } from './backend-selection';
import type { Command } from './command';
import { describeExpected, flagLabel, helpFlag, valuePlaceholder, type FlagSpec, type FlagSpecs } from './parse-flags';

/** The program's name, as typed. */
export const PROGRAM = 'shallowscape';

/** Flags accepted before the command name. */
export const globalFlags = {
  version: { type: 'boolean', short: 'V', description: 'print the versions of shallowscape and its packages and exit' },
  backend: {
    type: 'string',
    choices: [...BACKEND_CHOICES],
    description: 'linear-algebra backend (default: $SHALLOWSCAPE_BACKEND, else auto = native (OpenBLAS + LAPACK) where its addon loads, else wasm-simd where supported, else reference); the float64 ones agree to a few units of roundoff (wasm-simd and reference bit for bit); webgpu and gpujs (float32, GPU, opt-in) run train, eval and sweep on a WebGPU device',
  },
} as const satisfies FlagSpecs;

function flagRow(name: string, spec: FlagSpec): [string, string] {
  const short = spec.short !== undefined ? `-${spec.short}, ` : '    ';
  const placeholder = valuePlaceholder(spec);
  const left = `${short}${flagLabel(name)}${placeholder === '' ? '' : ` ${placeholder}`}`;
  let right = spec.description;
  if (spec.type !== 'boolean') {
    const notes: string[] = [];
    if (spec.type === 'string' && spec.choices !== undefined) notes.push(describeExpected(spec));
    else if (spec.type === 'integer' || spec.type === 'number') notes.push(describeExpected(spec));
    if (spec.default !== undefined) notes.push(`default: ${spec.default}`);
    if (notes.length > 0) right += ` (${notes.join('; ')})`;
  }
  return [left, right];
}

/** Two aligned columns, indented by two spaces. */
function table(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`.trimEnd()).join('\n');
}

/** The text of `shallowscape --help`. */
export function formatGlobalHelp(commands: readonly Command[], cliVersion: string): string {
  const flagRows = [flagRow('help', helpFlag), ...Object.entries(globalFlags).map(([n, s]) => flagRow(n, s))];
  return [
    `${PROGRAM} ${cliVersion}: the optimisation landscape of shallow neural networks, computed.`,
    '',
    'Usage:',
    `  ${PROGRAM} <command> [flags]`,
    `  ${PROGRAM} <command> --help`,
    `  ${PROGRAM} --help | --version`,
    '',
    'Commands:',
    table(commands.map((c) => [c.name, c.summary] as const)),
    '',
    'Flags:',
    table(flagRows),
    '',
    'Environment:',
    table([['SHALLOWSCAPE_DEBUG=1', 'print the stack trace of an internal error']]),
    '',
    'Exit codes: 0 success, 1 internal error or failed check, 2 usage or input error, 130 interrupted.',
    `Run '${PROGRAM} <command> --help' for the flags of a command.`,
    '',
  ].join('\n');
}

/**
 * The text of `shallowscape <command> --help`.
 *
 * @param command - the command.
 * @param path - how it is typed (default `shallowscape <name>`; a subcommand's includes its parent's).
 */
export function formatCommandHelp(command: Command, path = `${PROGRAM} ${command.name}`): string {
  const specs: FlagSpecs = command.flags;
  const positionals = command.positionals ?? [];
  const usageParts = [path];
  if (Object.keys(specs).length > 0) usageParts.push('[flags]');
  for (const p of positionals) {
    const name = p.variadic === true ? `${p.name}…` : p.name;
    usageParts.push(p.required === true ? `<${name}>` : `[${name}]`);
  }
  const subcommands = command.subcommands ?? [];
  const lines = [`${path}: ${command.summary}`, '', 'Usage:', `  ${usageParts.join(' ')}`, ...subcommands.map((c) => `  ${path} ${c.name} …`), ''];
  if (command.description !== undefined) lines.push(command.description.trim(), '');
  if (subcommands.length > 0) {
    lines.push('Commands:', table(subcommands.map((c) => [c.name, `${c.summary} (see '${path} ${c.name} --help')`] as const)), '');
  }
  if (positionals.length > 0) {
    lines.push('Arguments:', table(positionals.map((p) => [`<${p.name}>`, p.description] as const)), '');
  }
  lines.push('Flags:', table([...Object.entries(specs).map(([n, s]) => flagRow(n, s)), flagRow('help', helpFlag)]), '');
  if (command.examples !== undefined && command.examples.length > 0) {
    lines.push('Examples:', ...command.examples.map((e) => `  ${e}`), '');
  }
  return lines.join('\n');
}
