/**
 * Test support: a child process that runs one I/O operation of the CLI, bundled by
 * `bundleForChild` (see `child-process.ts`). Usage:
 *
 * - `node child.mjs prepare DIR FLAG`: runs `prepareOutDirectory(DIR, FLAG)` and prints one JSON
 *   line, `{"ok": true, "created": [...]}` or `{"ok": false, "name": ..., "message": ...}`;
 * - `node child.mjs write PATH`: leaves what `writeFileAtomic(PATH, ...)` leaves when killed
 *   mid-write (its temporary file, named by `temporaryPathFor`, with 1 MiB written), tells the
 *   parent `"writing"` over IPC and never finishes (the parent kills it).
 *
 * @packageDocumentation
 */
import { prepareOutDirectory } from '../io/out-directory';
import { openSync, writeSync } from 'node:fs';
import { temporaryPathFor } from '../io/write-file-atomic';

async function childMain(): Promise<void> {
  const [mode, path, flag] = process.argv.slice(2);
  if (mode === 'prepare') {
    try {
      const prepared = await prepareOutDirectory(path!, flag ?? '--out');
      process.stdout.write(`${JSON.stringify({ ok: true, created: prepared.created })}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ ok: false, name: (error as Error).name, message: (error as Error).message })}\n`);
    }
    return;
  }
  if (mode === 'write') {
    // The state writeFileAtomic is in when killed mid-write: its temporary file (named after this
    // pid) created and partly written, the rename not done. The parent kills us with SIGKILL.
    const fd = openSync(temporaryPathFor(path!), 'wx');
    writeSync(fd, new Uint8Array(1 << 20).fill(7));
    process.send?.('writing');
    setInterval(() => undefined, 1000); // keep the process alive until the parent kills it
    await new Promise<never>(() => undefined);
    return;
  }
  throw new Error(`unknown mode ${String(mode)}`);
}

void childMain();
