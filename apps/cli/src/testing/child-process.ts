/**
 * Test support: run CLI code in a real child process (to kill it, to run it as another user).
 *
 * @packageDocumentation
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** A bundled script and a way to remove it. */
export interface BundledScript {
  /** The `.mjs` file to run with `node`. */
  path: string;
  /** Removes the bundle and its folder. */
  cleanup(): Promise<void>;
}

/**
 * Bundles the TypeScript file `entry` (and everything it imports, workspace packages included,
 * from their sources)
 * into one ES module in a fresh folder under the system's temporary directory, readable by every
 * user, so that a child process (also one running as another user) can run it with `node`.
 *
 * @param entry - the absolute path of the TypeScript entry point.
 * @returns the bundle.
 * @throws the bundler's error when `entry` does not compile.
 * @example
 * ```ts
 * const script = await bundleForChild(fileURLToPath(new URL('./child.ts', import.meta.url)));
 * script.path.endsWith('.mjs'); // => true
 * ```
 */
export async function bundleForChild(entry: string): Promise<BundledScript> {
  const dir = await mkdtemp(join(tmpdir(), 'shallowscape-child-'));
  await chmod(dir, 0o755);
  const path = join(dir, 'child.mjs');
  await build({
    entryPoints: [entry],
    outfile: path,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    // Workspace packages from their sources, as the tests see them (the root vitest config does the same).
    plugins: [
      {
        name: 'workspace-sources',
        setup(bundler) {
          bundler.onResolve({ filter: /^@shallowscape\/[a-z-]+$/ }, (args) => ({
            path: fileURLToPath(new URL(`../../../../packages/${args.path.slice('@shallowscape/'.length)}/src/index.ts`, import.meta.url)),
          }));
        },
      },
    ],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  return { path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The user id of `nobody`, which a process running as root can switch a child to. */
export const NOBODY_UID = 65534;

/** True when this process runs as root (permission bits do not stop it). */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}
