/**
 * Where the sweep's worker module is: `sweep-worker.js` beside the bundled CLI (`dist/`), or,
 * when the CLI runs from its sources (tests), the built one in `apps/cli/dist/`.
 *
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The worker module's URL.
 *
 * @throws Error when no built worker exists (the CLI was not built).
 */
export function sweepWorkerFile(): URL {
  const candidates = [new URL('./sweep-worker.js', import.meta.url), new URL('../../dist/sweep-worker.js', import.meta.url)];
  const found = candidates.find((url) => existsSync(fileURLToPath(url)));
  if (found === undefined) throw new Error(`the sweep worker is missing (looked for ${candidates.map((u) => fileURLToPath(u)).join(', ')}); build the CLI`);
  return found;
}
