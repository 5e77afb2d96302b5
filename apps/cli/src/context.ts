/**
 * What a command receives: its output streams, the environment and the interrupt signal.
 * Commands never touch `process.stdout`, `process.env` or `process.exit` directly, so that
 * `main()` can run them in-process with captured streams.
 *
 * @packageDocumentation
 */

/** A writable text stream: `process.stdout`, `process.stderr`, or a capture in tests. */
export interface OutputStream {
  write(chunk: string): unknown;
}

/** Environment variables, as in `process.env`. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The streams and environment `main()` runs with; every field defaults to the process's own. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Environment;
  /** Aborted on Ctrl-C (see `interrupt.ts`); a signal that never aborts by default. */
  signal: AbortSignal;
}

/** The context passed to {@link Command.run}. */
export interface CommandContext extends Readonly<CliIo> {
  /** The command's full name for messages, e.g. `"shallowscape linalg-info"`. */
  readonly commandPath: string;
  /** The arguments as given, after the program's name (global flags, the command, its flags). */
  readonly argv: readonly string[];
  /** Throws `InterruptedError` if Ctrl-C was pressed. */
  throwIfInterrupted(): void;
  /** Yields to the event loop (so a pending Ctrl-C is seen), then {@link throwIfInterrupted}. */
  checkpoint(): Promise<void>;
}
