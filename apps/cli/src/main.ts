/**
 * `main(argv, io)`: the whole CLI as a function that returns an exit code, so tests run it
 * in-process with captured streams. `index.ts` is the only place that touches `process`.
 *
 * @packageDocumentation
 */
import { getBackend } from '@shallowscape/linalg';
import { checkBackendForCommand, selectBackend } from './backend-selection';
import type { Command } from './command';
import { commands } from './commands';
import type { CliIo, CommandContext } from './context';
import { InterruptedError, UsageError } from './errors';
import { PROGRAM, formatCommandHelp, formatGlobalHelp, globalFlags } from './help';
import { checkpoint, stopReason, throwIfInterrupted } from './interrupt';
import { StreamWriteError, flushOutput, outputFailure } from './io/standard-streams';
import { parseCommandLine, type FlagSpecs, type FlagValues } from './parse-flags';
import { USAGE_EXIT_CODE, reportError } from './report-error';
import { closestMatch } from './suggest';
import { cliVersion, collectVersions, formatVersions } from './versions';

/** Fills in the process's own streams, environment and a never-aborted signal. */
function resolveIo(io: Partial<CliIo> = {}): CliIo {
  return {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
    signal: io.signal ?? new AbortController().signal,
  };
}

/**
 * Runs the `shallowscape` command line `argv` (without `node` and the script) and returns the
 * exit code: 0 success, 1 internal error or failed check, 2 usage or input error (also a failed
 * write to standard output), 130 interrupted by Ctrl-C, 143 terminated by SIGTERM, 141 standard
 * output closed by its reader. Never throws and never calls `process.exit`.
 *
 * @param argv - the arguments, e.g. `['linalg-info', '--json']`.
 * @param io - streams, environment and interrupt signal; each defaults to the process's own.
 * @example
 * ```ts
 * await main(['--version'], { stdout, stderr, env: {} }); // => 0
 * ```
 */
export async function main(argv: readonly string[], io?: Partial<CliIo>): Promise<number> {
  return runCli(argv, io, commands);
}

/**
 * {@link main} with an explicit command registry (tests use it to run commands that fail on
 * purpose).
 *
 * After the command, it waits for standard output to be flushed ({@link flushOutput}), so that a
 * write that fails late (a full disk behind `> file`) is still reported. The exit code is, in
 * order of precedence: that of an input or internal error the command threw ({@link reportError});
 * that of a stop (Ctrl-C 130, SIGTERM 143, a closed pipe on standard output 141, another failed
 * write to standard output 2), whether the command threw {@link InterruptedError} (or the
 * library's `AbortedError`) or returned; the command's own code.
 *
 * @param argv - the arguments after the program name.
 * @param io - streams, environment and signal; each defaults to the process's own.
 * @param registry - the commands.
 * @returns the exit code.
 * @example
 * ```ts
 * await runCli(['--version'], captureIo(), commands); // => 0
 * ```
 */
export async function runCli(argv: readonly string[], io: Partial<CliIo> | undefined, registry: readonly Command[]): Promise<number> {
  const resolved = resolveIo(io);
  let code: number | undefined;
  let failure: unknown;
  try {
    code = await dispatch(argv, resolved, registry);
    if (resolved.signal.aborted) throwIfInterrupted(resolved.signal);
  } catch (error) {
    failure = error;
  }
  await flushOutput(resolved.stdout);
  const streamFailure = outputFailure(resolved.stdout);
  if (failure !== undefined && isStop(failure)) {
    // A command stopped by a signal or by the abort of a failed write ends with that stop.
    failure = resolved.signal.aborted ? stopReason(resolved.signal) : failure;
  } else if (failure === undefined && streamFailure !== undefined) {
    failure = streamFailure;
  }
  if (failure !== undefined) return reportError(failure, resolved);
  return code ?? 0;
}

/** True for the errors a stop produces: InterruptedError, the library's AbortedError, a DOM AbortError, a failed write to a standard stream. */
function isStop(error: unknown): boolean {
  if (error instanceof InterruptedError || error instanceof StreamWriteError) return true;
  if (error === null || typeof error !== 'object') return false;
  const { code, name } = error as { code?: unknown; name?: unknown };
  return code === 'E_INTERRUPTED' || code === 'E_ABORTED' || code === 'E_STREAM_WRITE' || name === 'AbortError';
}

async function dispatch(argv: readonly string[], io: CliIo, registry: readonly Command[]): Promise<number> {
  // Global flags come before the command name; everything after it belongs to the command.
  // A global string flag written `--backend NAME` takes the next argument as its value.
  const valued = new Set(
    Object.entries(globalFlags)
      .filter(([, spec]) => spec.type === 'string')
      .map(([flag]) => `--${flag}`),
  );
  let commandIndex = argv.length;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) {
      commandIndex = i;
      break;
    }
    if (valued.has(arg)) i++;
  }
  const global = parseCommandLine({ commandPath: PROGRAM, flags: globalFlags }, argv.slice(0, commandIndex));
  const names = registry.map((c) => c.name);
  let name = argv[commandIndex];
  let rest = argv.slice(commandIndex + 1);

  const backendFlag = global.help ? undefined : global.flags.backend;
  await selectBackend(typeof backendFlag === 'string' ? backendFlag : undefined, io.env);
  if (!global.help && global.flags.version === true) {
    io.stdout.write(formatVersions(collectVersions()));
    return 0;
  }
  if (name === 'help') {
    // `shallowscape help [command]` is `shallowscape [command] --help`.
    if (rest.length > 1) throw new UsageError(`'${PROGRAM} help' takes at most one command name, got ${rest.length}; see '${PROGRAM} --help'`);
    name = rest[0];
    rest = ['--help'];
    if (name === undefined) {
      io.stdout.write(formatGlobalHelp(registry, cliVersion()));
      return 0;
    }
  }
  if (name === undefined) {
    if (global.help) {
      io.stdout.write(formatGlobalHelp(registry, cliVersion()));
      return 0;
    }
    io.stderr.write(formatGlobalHelp(registry, cliVersion()));
    return USAGE_EXIT_CODE;
  }

  let command = registry.find((c) => c.name === name);
  if (command === undefined) {
    const suggestion = closestMatch(name, names);
    const hint = suggestion !== undefined ? ` (did you mean '${suggestion}'?)` : '';
    throw new UsageError(`unknown command ${JSON.stringify(name)}${hint}; see '${PROGRAM} --help' for the list of commands`, name);
  }
  let commandPath = `${PROGRAM} ${command.name}`;
  const subcommand = command.subcommands?.find((c) => c.name === rest[0]);
  if (subcommand !== undefined) {
    command = subcommand;
    commandPath = `${commandPath} ${subcommand.name}`;
    rest = rest.slice(1);
  }
  if (global.help) {
    io.stdout.write(formatCommandHelp(command, commandPath));
    return 0;
  }
  const parsed = parseCommandLine({ commandPath, flags: command.flags, positionals: command.positionals ?? [] }, rest);
  if (parsed.help) {
    io.stdout.write(formatCommandHelp(command, commandPath));
    return 0;
  }
  checkBackendForCommand(command.name, getBackend());
  const ctx: CommandContext = {
    ...io,
    commandPath,
    argv: [...argv],
    throwIfInterrupted: () => throwIfInterrupted(io.signal),
    checkpoint: () => checkpoint(io.signal),
  };
  // The parser built the values from this command's specs, so they have the command's types.
  const code = await command.run(ctx, { flags: parsed.flags as FlagValues<FlagSpecs>, positionals: parsed.positionals });
  return code ?? 0;
}
