import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
// The bundle imports @shallowscape/linalg at run time, from that package's own dist/.
const linalgDist = fileURLToPath(new URL('../../../packages/linalg/dist/index.js', import.meta.url));
const built = existsSync(dist) && existsSync(linalgDist);
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

function run(args: string[]) {
  return spawnSync(process.execPath, [dist, ...args], { encoding: 'utf8', env: { ...process.env, SHALLOWSCAPE_DEBUG: '' }, timeout: 30_000 });
}

// `pnpm test` builds first, so the bundles exist there; a bare `vitest run` on a fresh clone
// has no dist/ and these checks of the built executable are skipped rather than failed.
const skipReason = ' (skipped: apps/cli/dist/index.js or packages/linalg/dist/index.js is missing; run `pnpm build` first)';
describe.skipIf(!built)(`the built executable${built ? '' : skipReason}`, () => {
  it('starts with a node shebang', () => {
    expect(readFileSync(dist, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('prints its version and exits 0', () => {
    const result = run(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`shallowscape ${manifest.version}`);
    expect(result.stderr).toBe('');
  });

  it('reports an unknown flag as one line on stderr with exit code 2', () => {
    const result = run(['linalg-info', '--frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      "shallowscape: error: unknown flag --frobnicate for 'shallowscape linalg-info'; see 'shallowscape linalg-info --help'\n",
    );
  });

  it('runs linalg-info --json with a passing self-check', () => {
    const result = run(['linalg-info', '--json']);
    expect(result.status).toBe(0);
    const info = JSON.parse(result.stdout) as { selfCheck: { passed: boolean } };
    expect(info.selfCheck.passed).toBe(true);
  });
});
