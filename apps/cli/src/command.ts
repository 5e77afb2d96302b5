/**
 * The shape of a subcommand. Each command lives in its own file under `src/commands/` and is
 * listed once in `src/commands/index.ts`; `main()` finds it by name, parses its flags from the
 * declarative {@link FlagSpecs} (which also generate its `--help`) and calls {@link Command.run}.
 *
 * @packageDocumentation
 */
import type { CommandContext } from './context';
import type { FlagSpecs, FlagValues, PositionalSpec } from './parse-flags';

/** The parsed command line handed to {@link Command.run}. */
export interface ParsedArgs<F extends FlagSpecs> {
  /** Flag values, converted and validated; keys are the flag names without dashes. */
  flags: FlagValues<F>;
  /** Positional arguments, in order (at most as many as the command declares). */
  positionals: string[];
}

/** A subcommand of `shallowscape`. */
export interface Command<F extends FlagSpecs = FlagSpecs> {
  /** The name typed after `shallowscape` (kebab-case). */
  readonly name: string;
  /** One line for the command list in `shallowscape --help`. */
  readonly summary: string;
  /** Paragraphs for `shallowscape <name> --help` (plain text, lines under 100 characters). */
  readonly description?: string;
  /** Flags (without `--help`, which every command gets). */
  readonly flags: F;
  /** Positional arguments, if the command takes any. */
  readonly positionals?: readonly PositionalSpec[];
  /** Example invocations shown in the help. */
  readonly examples?: readonly string[];
  /**
   * Commands typed after this one's name (`shallowscape results merge …`): when the first argument
   * names one of them, it runs instead, with the rest of the arguments.
   */
  readonly subcommands?: readonly Command[];
  /**
   * Runs the command. Returns the exit code (0 when omitted). Throws typed errors for bad
   * input; the top-level handler turns them into one-line messages with exit code 2.
   */
  run(ctx: CommandContext, args: ParsedArgs<F>): number | void | Promise<number | void>;
}

/**
 * Declares a command, inferring the types of its flag values from the flag specs.
 *
 * @example
 * ```ts
 * const hello = defineCommand({
 *   name: 'hello',
 *   summary: 'Greets.',
 *   flags: { loud: { type: 'boolean', description: 'shout' } },
 *   run(ctx, { flags }) { ctx.stdout.write(flags.loud ? 'HELLO\n' : 'hello\n'); },
 * });
 * hello.name; // => "hello"
 * ```
 */
export function defineCommand<const F extends FlagSpecs>(command: Command<F>): Command<F> {
  return command;
}
