/**
 * Test support: run `main()` in-process with captured output streams.
 *
 * @packageDocumentation
 */
import type { CliIo, Environment } from '../context';

/** A {@link CliIo} whose streams collect what is written, for assertions. */
export interface CapturedIo extends CliIo {
  /** Everything written to stdout so far. */
  readonly out: () => string;
  /** Everything written to stderr so far. */
  readonly err: () => string;
}

/** Captured streams, the given environment (empty by default) and an optional signal. */
export function captureIo(env: Environment = {}, signal: AbortSignal = new AbortController().signal): CapturedIo {
  const outChunks: string[] = [];
  const errChunks: string[] = [];
  return {
    stdout: { write: (chunk: string) => outChunks.push(chunk) },
    stderr: { write: (chunk: string) => errChunks.push(chunk) },
    env,
    signal,
    out: () => outChunks.join(''),
    err: () => errChunks.join(''),
  };
}
