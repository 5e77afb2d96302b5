/**
 * The `shallowscape` executable (bundled to `dist/index.js` with a `#!/usr/bin/env node`
 * banner). The only module that touches `process`: it wires Ctrl-C to an `AbortSignal`, runs
 * {@link main} and sets the exit code. All behaviour lives in `main.ts`.
 *
 * @packageDocumentation
 */
import { installInterruptHandler } from './interrupt';
import { main } from './main';

// `shallowscape ... | head` closes stdout early: stop quietly instead of crashing with EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`shallowscape: internal error: cannot write to stdout: ${error.message}\n`);
  process.exit(1);
});

const controller = new AbortController();
installInterruptHandler(controller, process.stderr);

void main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}).then((code) => {
  process.exitCode = code;
});
