/**
 * The `shallowscape` executable (bundled to `dist/index.js` with a `#!/usr/bin/env node`
 * banner). The only module that touches `process`: it wires SIGINT and SIGTERM to an
 * `AbortSignal` (`interrupt.ts`), guards standard output and standard error against failed writes
 * (`io/standard-streams.ts`), runs {@link main} and sets the exit code. All behaviour lives in
 * `main.ts`.
 *
 * A failed write to standard output (a full disk, a closed pipe) aborts the same signal as
 * SIGTERM, so a long command stops at its next safe point and still writes its `--out` files;
 * `main()` then reports the failure: one line and exit 2, or nothing and exit 141 for a closed
 * pipe (`| head`).
 *
 * @packageDocumentation
 */
import { installInterruptHandler } from './interrupt';
import { guardOutputStream } from './io/standard-streams';
import { removeInFlightTemporariesSync } from './io/write-file-atomic';
import { main } from './main';
import { reportError } from './report-error';

const controller = new AbortController();
let finished = false;

const stderr = guardOutputStream(process.stderr, 'standard error');
const stdout = guardOutputStream(process.stdout, 'standard output', (error) => {
  if (!finished) {
    if (!controller.signal.aborted) controller.abort(error);
    return;
  }
  // The failure surfaced only after main() returned (a write still pending at exit): report it now.
  process.exitCode = reportError(error, { stderr, env: process.env });
});
// A second signal exits at once: remove the temporary files of writes in progress first.
installInterruptHandler(controller, stderr, process, () => void removeInFlightTemporariesSync());

void main(process.argv.slice(2), {
  stdout,
  stderr,
  env: process.env,
  signal: controller.signal,
}).then((code) => {
  finished = true;
  process.exitCode = code;
});
