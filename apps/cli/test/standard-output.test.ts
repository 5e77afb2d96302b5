/**
 * Standard output that cannot be written, on the built CLI as a real child process: a full
 * device (`> /dev/full`) ends with one line naming standard output and the reason, exit 2; a
 * reader that goes away (`| head`) ends quietly with 141.
 */
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inspectOutDirectory, requireBuiltCli, runBuiltCli, startBuiltCli } from '../src/testing/built-cli';

let dir: string;
let full: number;
beforeAll(() => {
  requireBuiltCli();
  full = openSync('/dev/full', 'w');
});
afterAll(() => {
  closeSync(full);
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shallowscape-stdout-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const ENOSPC_LINE = 'shallowscape: error: cannot write to standard output: no space left on device (ENOSPC)';

describe('standard output on a full device', () => {
  it.each([[['linalg-info']], [['linalg-info', '--json']], [['--version']], [['--help']], [['train', '--help']]])(
    '%j > /dev/full: one line naming standard output, exit 2',
    async (argv) => {
      const result = await runBuiltCli(argv, { stdoutFd: full, timeoutMs: 60_000 });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`${ENOSPC_LINE}\n`);
    },
  );

  it('train --out DIR > /dev/full still completes DIR, then reports the failed output', async () => {
    const out = join(dir, 'run');
    const result = await runBuiltCli(['train', '--d', '4', '--n', '20', '--out', out], { stdoutFd: full, timeoutMs: 60_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${ENOSPC_LINE}\n`);
    expect(inspectOutDirectory(out)).toMatchObject({ state: 'complete', record: 'run.json' });
  });
});

describe('standard output closed by its reader (EPIPE)', () => {
  it('a long output into a closed pipe ends with 141 and no message', async () => {
    // linalg-info --json is short; reproduce prints for a while: close the pipe after the first line.
    const run = startBuiltCli(['reproduce', '--only', 'identity-init,semicircle-law'], { timeoutMs: 120_000 });
    await run.waitForOutput(/\n/);
    run.child.stdout!.destroy();
    const result = await run.finished;
    expect(result.code).toBe(141);
    expect(result.stderr).toBe('');
  });
});
