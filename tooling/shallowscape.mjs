#!/usr/bin/env node
// `pnpm shallowscape …`: runs the built CLI (apps/cli/dist/index.js) from a clone of the repository.
//
// - Before `pnpm build` there is no dist: say so in one line and exit with 1, instead of Node's
//   ERR_MODULE_NOT_FOUND stack trace.
// - pnpm runs a root script from the repository root; the CLI runs in the directory `pnpm` was
//   called from (INIT_CWD), so relative paths in flags mean what they say.
// - The CLI keeps its own argv handling, exit codes and signal handling: it is imported into this
//   process, not spawned.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../apps/cli/dist/index.js', import.meta.url));

if (!existsSync(cli)) {
  process.stderr.write('shallowscape: error: the CLI is not built (apps/cli/dist/index.js is missing); run `pnpm build` first\n');
  process.exit(1);
}

const from = process.env.INIT_CWD;
if (process.env.npm_lifecycle_event === 'shallowscape' && from !== undefined && from !== '') {
  try {
    process.chdir(from);
  } catch (error) {
    process.stderr.write(`shallowscape: error: cannot run in ${JSON.stringify(from)}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
}

process.argv[1] = cli;
await import(pathToFileURL(cli).href);
