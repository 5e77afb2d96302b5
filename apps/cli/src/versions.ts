/**
 * Versions of the CLI and of the `@shallowscape/*` packages it uses, read from their
 * `package.json` files at run time (so `--version` reports what is actually installed).
 *
 * @packageDocumentation
 */
import { getBackend } from '@shallowscape/linalg';
import { createRequire } from 'node:module';

// This file sits one level below the package root both as source (src/versions.ts) and when
// bundled (dist/index.js), so '../package.json' is the CLI's manifest in both cases.
const require = createRequire(import.meta.url);

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}

/** The versions `shallowscape --version` prints. */
export interface Versions {
  /** The version of `@shallowscape/cli`. */
  cli: string;
  /** Each `@shallowscape/*` dependency of the CLI with its installed version (`null`: not found). */
  packages: Array<{ name: string; version: string | null }>;
  /** `process.version`, e.g. `"v20.19.0"`. */
  node: string;
  /** The linear-algebra backend in use (name and precision), chosen by `--backend`. */
  backend: { name: string; precision: string };
}

/** Reads the CLI's manifest. */
function cliManifest(): Manifest {
  return require('../package.json') as Manifest;
}

/** The CLI's own version, e.g. `"0.1.0"`. */
export function cliVersion(): string {
  return cliManifest().version;
}

/** The installed version of `name`, or `null` when it cannot be resolved from here. */
export function installedVersion(name: string): string | null {
  try {
    return (require(`${name}/package.json`) as Manifest).version;
  } catch {
    return null;
  }
}

/** The CLI version, its `@shallowscape/*` dependencies' versions (sorted by name) and Node's. */
export function collectVersions(): Versions {
  const manifest = cliManifest();
  const names = Object.keys(manifest.dependencies ?? {})
    .filter((name) => name.startsWith('@shallowscape/'))
    .sort();
  return {
    cli: manifest.version,
    packages: names.map((name) => ({ name, version: installedVersion(name) })),
    node: process.version,
    backend: { name: getBackend().name, precision: getBackend().precision },
  };
}

/** The text of `shallowscape --version`: the CLI version first, then one line per package. */
export function formatVersions(versions: Versions): string {
  const rows: Array<[string, string]> = [
    ...versions.packages.map((p): [string, string] => [p.name, p.version ?? '(not installed)']),
    ['node', `${versions.node} (${process.platform} ${process.arch})`],
    ['backend', `${versions.backend.name} (${versions.backend.precision})`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return [`shallowscape ${versions.cli}`, ...rows.map(([name, v]) => `  ${name.padEnd(width)}  ${v}`), ''].join('\n');
}
