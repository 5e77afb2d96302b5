/**
 * Test support: a child process that runs one I/O operation of the CLI, bundled by
 * `bundleForChild` (see `child-process.ts`). Usage:
 *
 * - `node child.mjs prepare DIR FLAG`: runs `prepareOutDirectory(DIR, FLAG)` and prints one JSON
 *   line, `{"ok": true, "created": [...]}` or `{"ok": false, "name": ..., "message": ...}`;
 * - `node child.mjs write PATH`: starts `writeFileAtomic(PATH, ...)`, writes 1 MiB of the data,
 *   tells the parent `"writing"` over IPC and never finishes (the parent kills it).
 *
 * @packageDocumentation
 */
import { prepareOutDirectory } from '../io/out-directory';
import { writeFileAtomic } from '../io/write-file-atomic';

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
    async function* data(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(1 << 20).fill(7);
      process.send?.('writing');
      setInterval(() => undefined, 1000); // keep the process alive while the write hangs
      await new Promise<never>(() => undefined);
    }
    // FileHandle.writeFile accepts an async iterable at run time: the write stays open until the parent kills us.
    await writeFileAtomic(path!, data() as unknown as Uint8Array);
    return;
  }
  throw new Error(`unknown mode ${String(mode)}`);
}

void childMain();
