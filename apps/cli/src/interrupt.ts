/**
 * Interrupt handling: Ctrl-C (SIGINT), SIGTERM (what `timeout`, `kill` and job schedulers send)
 * and a closed standard output.
 *
 * The entry point installs {@link installInterruptHandler}. The first SIGINT or SIGTERM does not
 * kill the process: it aborts the `AbortSignal` every command receives as `ctx.signal`, with an
 * {@link InterruptedError} naming the signal as the abort reason, so a long command can stop at a
 * safe point (finish the current step, write what it has atomically) instead of dying mid-write.
 * Commands poll it in one of three ways:
 *
 * - `ctx.signal.aborted`: read the flag and decide yourself;
 * - `ctx.throwIfInterrupted()`: throw the abort reason (an {@link InterruptedError}) if the flag is set;
 * - `await ctx.checkpoint()`: yield to the event loop first, then the same. Signal handlers run on
 *   the event loop, so a long synchronous computation must call `checkpoint()` now and then
 *   (every ~100 ms of work), or the signal is only seen when it ends.
 *
 * Whenever the flag is set, `main()` ends with the stop's exit code, whether the command threw
 * {@link InterruptedError} (or the library's `AbortedError`) or returned normally: 130 after
 * SIGINT (one line `shallowscape: interrupted`), 143 after SIGTERM (`shallowscape: terminated`).
 * A second signal of either kind exits at once with that signal's code. When standard output
 * fails (see `io/standard-streams.ts`) the entry point aborts the same signal with the write
 * error as the reason, so the command stops the same way.
 *
 * @packageDocumentation
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { InterruptedError, STOP_EXIT_CODES } from './errors';
import type { OutputStream } from './context';

/** The exit code after Ctrl-C: 128 + SIGINT (2), as shells report it. */
export const INTERRUPT_EXIT_CODE = STOP_EXIT_CODES.SIGINT;

/** The exit code after SIGTERM: 128 + SIGTERM (15), as shells report it. */
export const TERMINATE_EXIT_CODE = STOP_EXIT_CODES.SIGTERM;

/** The signals {@link installInterruptHandler} handles. */
export const HANDLED_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** One of {@link HANDLED_SIGNALS}. */
export type HandledSignal = (typeof HANDLED_SIGNALS)[number];

/**
 * The error a stopped command should end with: the abort reason of `signal` when it is an error
 * the CLI reports itself (an {@link InterruptedError} naming the signal, or a typed error such as
 * a failed write to standard output), else a plain Ctrl-C {@link InterruptedError} (a signal
 * aborted without a reason, as tests do).
 *
 * @param signal - an aborted signal.
 * @example
 * ```ts
 * const c = new AbortController();
 * c.abort(new InterruptedError('SIGTERM'));
 * stopReason(c.signal).message; // => "terminated"
 * ```
 */
export function stopReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof InterruptedError) return reason;
  const code = (reason as { code?: unknown } | null)?.code;
  if (reason instanceof Error && typeof code === 'string' && code.startsWith('E_')) return reason;
  return new InterruptedError('SIGINT');
}

/**
 * Throws {@link stopReason}`(signal)` when `signal` has been aborted (Ctrl-C, SIGTERM, a closed
 * standard output).
 *
 * @param signal - the command's `ctx.signal`.
 * @throws {@link InterruptedError} (or the write error that stopped the command) when aborted.
 * @example
 * ```ts
 * throwIfInterrupted(new AbortController().signal); // => undefined
 * ```
 */
export function throwIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted) throw stopReason(signal);
}

/**
 * Yields once to the event loop (so a pending signal handler runs), then
 * {@link throwIfInterrupted}.
 *
 * @param signal - the command's `ctx.signal`.
 * @throws {@link InterruptedError} when aborted.
 * @example
 * ```ts
 * await checkpoint(new AbortController().signal); // => undefined
 * ```
 */
export async function checkpoint(signal: AbortSignal): Promise<void> {
  await yieldToEventLoop();
  throwIfInterrupted(signal);
}

/** The part of `process` the handler needs (an interface so that tests can pass a fake). */
export interface SignalSource {
  on(event: HandledSignal, listener: () => void): unknown;
  off(event: HandledSignal, listener: () => void): unknown;
  exit(code: number): never;
}

/**
 * Installs the SIGINT and SIGTERM handlers. The first signal aborts `controller` with
 * `new InterruptedError(signal)` as the reason; after SIGINT (a person at a terminal) it also
 * prints one notice on `stderr` saying that the command stops at the next safe point, after
 * SIGTERM (a program) nothing, so that the only line is the final `shallowscape: terminated`.
 * A second signal of either kind exits at once with its code (130 or 143), after calling
 * `beforeExit` (the entry point removes the temporary files of writes in progress there).
 * Returns a function that removes both handlers.
 *
 * @param controller - the controller whose signal the commands receive.
 * @param stderr - where the Ctrl-C notice goes.
 * @param source - the process (a fake in tests).
 * @param beforeExit - called synchronously just before a forced exit; must not throw.
 * @example
 * ```ts
 * const remove = installInterruptHandler(new AbortController(), process.stderr);
 * remove(); // => undefined
 * ```
 */
export function installInterruptHandler(
  controller: AbortController,
  stderr: OutputStream,
  source: SignalSource = process,
  beforeExit: () => void = () => undefined,
): () => void {
  let count = 0;
  const handlers = HANDLED_SIGNALS.map((signal) => {
    const listener = (): void => {
      count += 1;
      if (count > 1) {
        beforeExit();
        source.exit(STOP_EXIT_CODES[signal]);
        return;
      }
      if (!controller.signal.aborted) controller.abort(new InterruptedError(signal));
      if (signal === 'SIGINT') {
        stderr.write('shallowscape: interrupt received, stopping at the next safe point (press Ctrl-C again to quit now)\n');
      }
    };
    source.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of handlers) source.off(signal, listener);
  };
}
