/**
 * Where the CLI's entry script is, for the batch scripts that run it on a cluster's nodes: the
 * bundled `dist/index.js` this code runs from, or, when the CLI runs from its sources (tests), the
 * built one in `apps/cli/dist/`.
 *
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The absolute path of the CLI's entry script.
 *
 * @throws Error when no built CLI exists (the CLI was not built).
 */
export function cliEntryFile(): string {
  const candidates = [new URL('./index.js', import.meta.url), new URL('../../dist/index.js', import.meta.url)].map((url) => fileURLToPath(url));
  const found = candidates.find((path) => path.endsWith('/dist/index.js') && existsSync(path));
  if (found === undefined) throw new Error(`the built CLI is missing (looked for ${candidates.join(', ')}); build the CLI`);
  return found;
}
