/**
 * Interrupt handling (Ctrl-C / SIGINT).
 *
 * The entry point installs {@link installInterruptHandler}. The first SIGINT does not kill the
 * process: it aborts the `AbortSignal` every command receives as `ctx.signal`, so a long command
 * can stop at a safe point (finish the current step, write what it has atomically) instead of
 * dying mid-write. Commands poll it in one of three ways:
 *
 * - `ctx.signal.aborted`: read the flag and decide yourself;
 * - `ctx.throwIfInterrupted()`: throw {@link InterruptedError} if the flag is set;
 * - `await ctx.checkpoint()`: yield to the event loop first, then the same. Signal handlers run on
 *   the event loop, so a long synchronous computation must call `checkpoint()` now and then
 *   (every ~100 ms of work), or Ctrl-C is only seen when it ends.
 *
 * Whenever the flag is set, `main()` returns {@link INTERRUPT_EXIT_CODE} (130 = 128 + SIGINT),
 * whether the command threw {@link InterruptedError} or returned normally. A second Ctrl-C exits
 * at once with code 130.
 *
 * @packageDocumentation
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { InterruptedError } from './errors';
import type { OutputStream } from './context';

/** The exit code after an interrupt: 128 + SIGINT (2), as shells report it. */
export const INTERRUPT_EXIT_CODE = 130;

/** Throws {@link InterruptedError} when `signal` has been aborted by Ctrl-C. */
export function throwIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted) throw new InterruptedError();
}

/**
 * Yields once to the event loop (so a pending SIGINT handler runs), then
 * {@link throwIfInterrupted}.
 */
export async function checkpoint(signal: AbortSignal): Promise<void> {
  await yieldToEventLoop();
  throwIfInterrupted(signal);
}

/** The part of `process` the handler needs (an interface so that tests can pass a fake). */
export interface SignalSource {
  on(event: 'SIGINT', listener: () => void): unknown;
  off(event: 'SIGINT', listener: () => void): unknown;
  exit(code: number): never;
}

/**
 * Installs the SIGINT handler: the first SIGINT aborts `controller` and prints one notice on
 * `stderr`; the second exits immediately with code 130. Returns a function that removes it.
 */
export function installInterruptHandler(
  controller: AbortController,
  stderr: OutputStream,
  source: SignalSource = process,
): () => void {
  let count = 0;
  const onSigint = (): void => {
    count += 1;
    if (count === 1) {
      controller.abort(new InterruptedError());
      stderr.write('shallowscape: interrupt received, stopping at the next safe point (press Ctrl-C again to quit now)\n');
    } else {
      source.exit(INTERRUPT_EXIT_CODE);
    }
  };
  source.on('SIGINT', onSigint);
  return () => {
    source.off('SIGINT', onSigint);
  };
}
