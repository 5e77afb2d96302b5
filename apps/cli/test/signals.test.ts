/**
 * SIGTERM and SIGINT on the built CLI, as real child processes: a long `train --out DIR` stops
 * at its next step, writes what it computed (run.json last) and exits 143 (130) with one line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inspectOutDirectory, requireBuiltCli, startBuiltCli } from '../src/testing/built-cli';

let dir: string;
beforeAll(() => {
  requireBuiltCli();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shallowscape-signals-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A training run that takes far longer than the test: plain gradient descent with a tiny rate. */
const LONG_TRAIN = ['train', '--d', '40', '--n', '2000', '--steps', '1000000', '--optimizer', 'gd', '--lr', '1e-6'];

describe('signals', () => {
  it.each([
    ['SIGTERM', 143, 'shallowscape: terminated'],
    ['SIGINT', 130, 'shallowscape: interrupted'],
  ] as const)('%s during train --out: exit %d, the run directory complete, one final line', async (signal, code, line) => {
    const out = join(dir, 'run');
    const run = startBuiltCli([...LONG_TRAIN, '--out', out], { timeoutMs: 60_000 });
    // The run has started once the process has been up for a moment; it would go on for hours.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(run.child.exitCode).toBeNull();
    run.child.kill(signal);
    const result = await run.finished;
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(code);
    // A big run may start with one `shallowscape: note:` line saying what it costs; the rest is the stop.
    const lines = result.stderr
      .trimEnd()
      .split('\n')
      .filter((l) => !l.startsWith('shallowscape: note: '));
    expect(lines.at(-1)).toBe(line);
    // SIGTERM comes from a program: the final line is the only one. Ctrl-C also gets a notice when it arrives.
    expect(lines).toHaveLength(signal === 'SIGTERM' ? 1 : 2);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    const state = inspectOutDirectory(out);
    expect(state).toMatchObject({ state: 'complete', record: 'run.json' });
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { stopReason: string; final: { step: number } };
    expect(record.stopReason).toBe('interrupted');
    expect(record.final.step).toBeGreaterThan(0);
  });

  it('a second signal quits at once: exit 143, no final line, no record and no temporary file left', async () => {
    // A long synchronous computation (the eigenvalues of a 3000×3000 GOE matrix, seconds): both
    // signals wait in the event loop's queue and are handled one after the other when it yields.
    const out = join(dir, 'goe');
    const run = startBuiltCli(['spectrum', '--ensemble', 'goe', '--d', '3000', '--out', out], { timeoutMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(run.child.exitCode).toBeNull();
    run.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    run.child.kill('SIGTERM');
    const result = await run.finished;
    expect(result.code).toBe(143);
    expect(result.timedOut).toBe(false);
    expect(result.stderr).not.toContain('terminated');
    expect(result.stderr).not.toContain('error');
    // The computation ends while both signals wait; the first write may have begun, or even ended,
    // when the second one exits: its temporary file is removed on the way out, and without a record
    // the directory is recognisably incomplete (at most the finished plot, never a temporary).
    const state = inspectOutDirectory(out);
    if (state.state === 'incomplete') {
      expect(state.why).toMatch(/^no record/);
      expect(state.entries, JSON.stringify(state)).toEqual(['spectrum.svg']);
    } else {
      expect(['absent', 'empty']).toContain(state.state);
    }
  });
});
