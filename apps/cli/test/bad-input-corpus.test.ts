/**
 * The bad-input corpus (issue #8): every way a new user got the CLI wrong, run on the BUILT
 * executable (`apps/cli/dist/index.js`, built by `pnpm test` before vitest) as a real process.
 * For each case:
 *
 * - the exit code (2 for bad input);
 * - exactly one line on stderr, `shallowscape: error: ...`, naming the flag or file and the value;
 * - no stack trace (no `    at ` line), nothing on stdout;
 * - the `--out` directory, if any, absent, empty or complete (its record and exactly the files it
 *   lists, no temporary files): never half-written.
 *
 * Then the cases that are not errors but used to leave wrong files or exit codes: a reused `--out`
 * (stale files of the previous run), stdout on a full device, SIGTERM during `reproduce --out`.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../src/io/npy';
import { inspectOutDirectory, requireBuiltCli, runBuiltCli, startBuiltCli, type CliRun, type CliRunOptions } from '../src/testing/built-cli';
import { makeReadOnlyDirectory, type ReadOnlyDirectory } from '../src/testing/read-only-directory';

let dir: string;
let ro: ReadOnlyDirectory;
let full: number;

/** Paths of the input files made for the corpus. */
const files = {
  /** 4×3 weights. */ W: '',
  /** 12×3 inputs. */ X: '',
  /** 12×5 inputs (d = 5). */ X5: '',
  /** 12 labels. */ y: '',
  /** 7 labels (N mismatch). */ y7: '',
  /** 4×3 weights ~1e200 (finite, but their squares overflow). */ Wbig: '',
  /** 12 labels ~1e300. */ ybig: '',
  /** 3×3 initial weights ~1e200. */ W0big: '',
  /** A ragged CSV. */ ragged: '',
  /** A regular file where a directory is expected. */ file: '',
  /** The io fixtures. */ nan: '',
  neginf: '',
  truncated: '',
  int64: '',
  complex: '',
  missing: '',
};

const ioFixture = (name: string): string => fileURLToPath(new URL(`../src/io/fixtures/${name}`, import.meta.url));

function npy(name: string, shape: number[], fill: (k: number) => number): string {
  const path = join(dir, name);
  const count = shape.reduce((a, b) => a * b, 1);
  writeFileSync(path, encodeNpy(Float64Array.from({ length: count }, (_, k) => fill(k)), shape));
  return path;
}

beforeAll(() => {
  requireBuiltCli();
  dir = mkdtempSync(join(tmpdir(), 'shallowscape-corpus-'));
  chmodSync(dir, 0o755);
  files.W = npy('W.npy', [4, 3], (k) => Math.sin(k + 1));
  files.X = npy('X.npy', [12, 3], (k) => Math.cos(k + 2));
  files.X5 = npy('X5.npy', [12, 5], (k) => Math.cos(k + 2));
  files.y = npy('y.npy', [12], (k) => 1 + k / 10);
  files.y7 = npy('y7.npy', [7], (k) => 1 + k);
  files.Wbig = npy('Wbig.npy', [4, 3], (k) => 1e200 * (1 + k / 10));
  files.ybig = npy('ybig.npy', [12], (k) => 1e300 * (1 + k / 10));
  files.W0big = npy('W0big.npy', [3, 3], (k) => 1e200 * (1 + k / 10));
  files.ragged = join(dir, 'ragged.csv');
  writeFileSync(files.ragged, '1,2,3\n4,5\n');
  files.file = join(dir, 'a-file');
  writeFileSync(files.file, 'not a directory\n');
  for (const [key, name] of [
    ['nan', 'nan-at-1-2.npy'],
    ['neginf', 'neginf-at-3.npy'],
    ['truncated', 'bad-truncated.npy'],
    ['int64', 'bad-int64.npy'],
    ['complex', 'bad-complex.npy'],
  ] as const) {
    files[key] = join(dir, name);
    copyFileSync(ioFixture(name), files[key]);
  }
  files.missing = join(dir, 'missing.npy');
  ro = makeReadOnlyDirectory();
  full = openSync('/dev/full', 'w');
});

afterAll(() => {
  closeSync(full);
  ro.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh, not yet existing `--out` path. */
let outCount = 0;
function freshOut(): string {
  outCount += 1;
  return join(dir, `out-${outCount}`);
}

/** One bad input. */
interface BadInput {
  /** What the user did. */
  name: string;
  /** The command line (a function: the files exist only once the suite has started). */
  argv: () => string[];
  /** Strings the error line must contain: the flag and/or the file and the value. */
  mentions: () => string[];
  /** A pattern the error line must match too (a function when it depends on the machine). */
  pattern?: RegExp | (() => RegExp);
  /** The exit code (default 2). */
  exit?: number;
  /** The `--out` directory of the case, checked to be absent, empty or complete. */
  out?: () => string;
  /** Run options: environment, timeout, user. */
  options?: () => CliRunOptions;
}

/** Checks the contract and returns the error line. */
function expectOneErrorLine(run: CliRun, mentions: readonly string[], pattern?: RegExp): string {
  expect(run.timedOut, `timed out after ${Math.round(run.ms)} ms; stderr: ${run.stderr}`).toBe(false);
  expect(run.stderr, 'no stack trace').not.toMatch(/^ {4}at /m);
  const lines = run.stderr.split('\n');
  expect(lines.at(-1), 'stderr ends with a newline').toBe('');
  expect(lines.slice(0, -1), `exactly one line on stderr, got:\n${run.stderr}`).toHaveLength(1);
  const line = lines[0]!;
  expect(line).toMatch(/^shallowscape: error: \S/);
  for (const text of mentions) expect(line, `the error line names ${JSON.stringify(text)}`).toContain(text);
  if (pattern !== undefined) expect(line).toMatch(pattern);
  return line;
}

/** `--out` may be absent, empty or complete, never half-written. */
function expectOutUntouchedOrComplete(out: string): void {
  const state = inspectOutDirectory(out);
  expect(['absent', 'empty', 'complete'], `--out ${out}: ${JSON.stringify(state)}`).toContain(state.state);
}

async function runCase(c: BadInput): Promise<void> {
  const argv = c.argv();
  const run = await runBuiltCli(argv, { timeoutMs: 60_000, ...c.options?.() });
  expect(run.code, `exit code of shallowscape ${argv.join(' ')}; stderr: ${run.stderr}`).toBe(c.exit ?? 2);
  expect(run.stdout, 'nothing on stdout').toBe('');
  expectOneErrorLine(run, c.mentions(), typeof c.pattern === 'function' ? c.pattern() : c.pattern);
  if (c.out !== undefined) expectOutUntouchedOrComplete(c.out());
}

/** `--out` cases for one command: `prefix` is its command line without `--out`. */
function outCases(command: string, prefix: string[]): BadInput[] {
  const underFile = (): string => join(files.file, 'run');
  const onReadOnly = (): string => join(ro.path, `${command}-run`);
  return [
    {
      name: `${command} --out /proc/x (a virtual file system: used to spin at 100% CPU forever)`,
      argv: () => [...prefix, '--out', '/proc/x'],
      mentions: () => ['--out', '/proc/x'],
      pattern: /virtual file system/,
      options: () => ({ timeoutMs: 10_000 }),
    },
    {
      name: `${command} --out /sys/kernel/shallowscape`,
      argv: () => [...prefix, '--out', '/sys/kernel/shallowscape'],
      mentions: () => ['--out', '/sys/kernel/shallowscape'],
      pattern: /virtual file system/,
      options: () => ({ timeoutMs: 10_000 }),
    },
    {
      name: `${command} --out on a read-only file system`,
      argv: () => [...prefix, '--out', onReadOnly()],
      mentions: () => ['--out', onReadOnly()],
      pattern: () => (ro.how === 'mount' ? /read-only file system \(EROFS\)/ : /permission denied \(EACCES\)/),
      out: onReadOnly,
      options: () => (ro.childUid !== undefined ? { uid: ro.childUid } : {}),
    },
    {
      name: `${command} --out under a regular file`,
      argv: () => [...prefix, '--out', underFile()],
      mentions: () => ['--out', underFile()],
      pattern: /is a file, not a directory/,
    },
    {
      name: `${command} --out naming a regular file`,
      argv: () => [...prefix, '--out', files.file],
      mentions: () => ['--out', files.file],
      pattern: /not a directory/,
    },
  ];
}

const corpus: Record<string, BadInput[]> = {
  'usage errors': [
    { name: 'an unknown command', argv: () => ['frobnicate'], mentions: () => ['"frobnicate"'] },
    { name: 'an unknown global flag', argv: () => ['--frobnicate'], mentions: () => ['--frobnicate'] },
    { name: 'an unknown flag, with a suggestion', argv: () => ['train', '--optimiser', 'gd'], mentions: () => ['--optimiser', '--optimizer'] },
    { name: 'a value out of range', argv: () => ['train', '--n', '0'], mentions: () => ['--n', '"0"'] },
    { name: 'a malformed number', argv: () => ['train', '--steps', 'abc'], mentions: () => ['--steps', '"abc"'] },
    { name: 'an unknown choice', argv: () => ['train', '--optimizer', 'sgd'], mentions: () => ['--optimizer', 'sgd'] },
    { name: 'a flag of the other model', argv: () => ['train', '--activation', 'relu'], mentions: () => ['--activation'] },
    { name: 'spectrum --m 0', argv: () => ['spectrum', '--m', '0'], mentions: () => ['--m', '"0"'] },
    { name: 'spectrum --weights with --d', argv: () => ['spectrum', '--weights', files.W, '--d', '2'], mentions: () => ['--weights', '--d 2'] },
    { name: 'reproduce --only with an unknown name', argv: () => ['reproduce', '--only', 'nonsense'], mentions: () => ['--only', 'nonsense'] },
    { name: 'reproduce --quick --full', argv: () => ['reproduce', '--quick', '--full'], mentions: () => ['--quick', '--full'] },
    { name: 'an unknown backend', argv: () => ['--backend', 'cuda', 'linalg-info'], mentions: () => ['--backend', 'cuda'] },
    {
      name: 'an unknown backend in the environment',
      argv: () => ['linalg-info'],
      mentions: () => ['SHALLOWSCAPE_BACKEND', 'gpu'],
      options: () => ({ env: { SHALLOWSCAPE_BACKEND: 'gpu' } }),
    },
    { name: 'a missing required flag', argv: () => ['eval', '--data', files.X, '--labels', files.y], mentions: () => ['--weights'] },
    { name: 'a stray argument', argv: () => ['linalg-info', 'extra'], mentions: () => ['"extra"'] },
  ],
  'bad files': [
    { name: 'a missing file', argv: () => ['eval', '--weights', files.missing, '--data', files.X, '--labels', files.y], mentions: () => [files.missing], pattern: /ENOENT/ },
    {
      name: 'a truncated .npy',
      argv: () => ['eval', '--weights', files.truncated, '--data', files.X, '--labels', files.y],
      mentions: () => ['--weights', files.truncated],
      pattern: /truncated data/,
    },
    { name: 'an integer .npy', argv: () => ['eval', '--weights', files.W, '--data', files.int64, '--labels', files.y], mentions: () => ['--data', files.int64] },
    { name: 'a complex .npy', argv: () => ['certify', '--weights', files.W, '--data', files.complex, '--labels', files.y], mentions: () => ['--data', files.complex] },
    {
      name: 'a NaN in a file',
      argv: () => ['eval', '--weights', files.W, '--data', files.nan, '--labels', files.y],
      mentions: () => ['--data', files.nan, 'NaN'],
    },
    {
      name: 'a -Infinity in the labels of train --out',
      argv: () => ['train', '--labels', files.neginf, '--out', join(dir, 'neginf-out')],
      mentions: () => ['--labels', files.neginf, '-Infinity'],
      out: () => join(dir, 'neginf-out'),
    },
    {
      name: 'a ragged CSV for train --out',
      argv: () => ['train', '--inputs', files.ragged, '--out', join(dir, 'ragged-out')],
      mentions: () => ['--inputs', files.ragged],
      out: () => join(dir, 'ragged-out'),
    },
    {
      name: 'an unknown extension for --grad-out',
      argv: () => ['eval', '--weights', files.W, '--data', files.X, '--labels', files.y, '--grad-out', join(dir, 'G.txt')],
      mentions: () => ['--grad-out', join(dir, 'G.txt')],
    },
    {
      name: 'a NaN in spectrum --weights, with --out',
      argv: () => ['spectrum', '--weights', files.nan, '--out', join(dir, 'nan-spectrum')],
      mentions: () => ['--weights', files.nan],
      out: () => join(dir, 'nan-spectrum'),
    },
  ],
  'shape mismatches': [
    {
      name: 'weights and data of different d',
      argv: () => ['eval', '--weights', files.W, '--data', files.X5, '--labels', files.y],
      mentions: () => ['--weights', files.W, '--data', files.X5],
    },
    {
      name: 'labels and data of different N',
      argv: () => ['certify', '--weights', files.W, '--data', files.X, '--labels', files.y7],
      mentions: () => ['--labels', files.y7, '--data'],
    },
    {
      name: 'train --d against --inputs',
      argv: () => ['train', '--inputs', files.X, '--d', '5', '--out', join(dir, 'd-out')],
      mentions: () => ['--d', '--inputs', files.X],
      out: () => join(dir, 'd-out'),
    },
  ],
  'finite inputs that overflow float64 arithmetic': [
    {
      name: 'eval with weights ~1e200',
      argv: () => ['eval', '--weights', files.Wbig, '--data', files.X, '--labels', files.y],
      mentions: () => ['--weights', files.Wbig],
      pattern: /overflow float64 arithmetic/,
    },
    {
      name: 'certify with weights ~1e200',
      argv: () => ['certify', '--weights', files.Wbig, '--data', files.X, '--labels', files.y],
      mentions: () => ['--weights', files.Wbig],
      pattern: /overflow float64 arithmetic/,
    },
    {
      name: 'eval with labels ~1e300',
      argv: () => ['eval', '--weights', files.W, '--data', files.X, '--labels', files.ybig],
      mentions: () => ['--labels', files.ybig],
      pattern: /overflow float64 arithmetic/,
    },
    {
      name: 'train with labels ~1e300, with --out',
      argv: () => ['train', '--inputs', files.X, '--labels', files.ybig, '--out', join(dir, 'ybig-out')],
      mentions: () => ['--labels', files.ybig],
      pattern: /overflow float64 arithmetic/,
      out: () => join(dir, 'ybig-out'),
    },
    {
      name: 'train with --init ~1e200, with --out',
      argv: () => ['train', '--inputs', files.X, '--labels', files.y, '--init', files.W0big, '--out', join(dir, 'w0big-out')],
      mentions: () => ['--init', files.W0big],
      pattern: /overflow float64 arithmetic/,
      out: () => join(dir, 'w0big-out'),
    },
  ],
  'sizes too large for memory (used to end in "internal error: Invalid typed array length")': [
    {
      name: 'train --d 100000 --n 100000000',
      argv: () => ['train', '--d', '100000', '--n', '100000000', '--out', join(dir, 'huge-1')],
      mentions: () => ['--d 100000', '--n 100000000'],
      pattern: /memory|typed array/,
      out: () => join(dir, 'huge-1'),
    },
    { name: 'train --m 1000000000', argv: () => ['train', '--m', '1000000000'], mentions: () => ['--m 1000000000'], pattern: /memory|typed array/ },
    { name: 'train --n 10000000000', argv: () => ['train', '--n', '10000000000'], mentions: () => ['--n 10000000000'], pattern: /memory|typed array/ },
    {
      name: 'train --model two-layer --m 1000000000',
      argv: () => ['train', '--model', 'two-layer', '--m', '1000000000'],
      mentions: () => ['--m 1000000000'],
      pattern: /memory|typed array/,
    },
    {
      name: 'spectrum --d 100000',
      argv: () => ['spectrum', '--d', '100000', '--out', join(dir, 'huge-spectrum')],
      mentions: () => ['--d 100000'],
      pattern: /memory|typed array/,
      out: () => join(dir, 'huge-spectrum'),
    },
    {
      name: 'train within a SHALLOWSCAPE_MEMORY_LIMIT it exceeds',
      argv: () => ['train', '--d', '200', '--n', '20000', '--steps', '1'],
      mentions: () => ['--d 200', '--n 20000', 'SHALLOWSCAPE_MEMORY_LIMIT'],
      options: () => ({ env: { SHALLOWSCAPE_MEMORY_LIMIT: '10MB' }, timeoutMs: 30_000 }),
    },
  ],
  '--out that cannot be used (reported before computing)': [
    ...outCases('train', ['train', '--d', '4', '--n', '20']),
    ...outCases('spectrum', ['spectrum', '--d', '20']),
    ...outCases('reproduce', ['reproduce', '--only', 'identity-init']),
  ],
};

describe('the bad-input corpus, on the built CLI', () => {
  for (const [group, cases] of Object.entries(corpus)) {
    describe(group, () => {
      for (const c of cases) it(c.name, () => runCase(c));
    });
  }
});

/** A pid that is certainly not running: that of a child that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('a reused --out holds one complete run, never stale files of the previous one', () => {
  it('train two-layer, then quadratic, into the same --out: no a.npy left, exactly the files run.json lists', async () => {
    const out = freshOut();
    const first = await runBuiltCli(['train', '--model', 'two-layer', '--d', '3', '--m', '4', '--n', '8', '--out', out]);
    expect(first.code, first.stderr).toBe(0);
    expect(readdirSync(out)).toContain('a.npy');
    const second = await runBuiltCli(['train', '--d', '3', '--n', '12', '--out', out]);
    expect(second.code, second.stderr).toBe(0);
    expect(existsSync(join(out, 'a.npy')), 'a.npy of the two-layer run is gone').toBe(false);
    expect(inspectOutDirectory(out)).toMatchObject({ state: 'complete', record: 'run.json' });
  });

  it('spectrum, then train, into the same --out: the spectrum files are gone', async () => {
    const out = freshOut();
    expect((await runBuiltCli(['spectrum', '--d', '10', '--out', out])).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['spectrum.json', 'spectrum.svg']);
    expect((await runBuiltCli(['train', '--d', '3', '--n', '12', '--out', out])).code).toBe(0);
    expect(inspectOutDirectory(out)).toMatchObject({ state: 'complete', record: 'run.json' });
  });

  it('the temporary file of a writer killed with kill -9 is removed by the next run', async () => {
    const out = freshOut();
    mkdirSync(out);
    const stale = `.X.npy.shallowscape-${deadPid()}-1.tmp`;
    writeFileSync(join(out, stale), Buffer.alloc(1 << 20));
    const run = await runBuiltCli(['train', '--d', '3', '--n', '12', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(out)).not.toContain(stale);
    expect(inspectOutDirectory(out)).toMatchObject({ state: 'complete', record: 'run.json' });
  });

  it('a run.json shallowscape did not write is an error, and nothing is computed or removed', async () => {
    const out = freshOut();
    mkdirSync(out);
    writeFileSync(join(out, 'run.json'), 'my own notes\n');
    const run = await runBuiltCli(['train', '--d', '3', '--n', '12', '--out', out]);
    expect(run.code).toBe(2);
    expectOneErrorLine(run, ['--out', out, 'run.json']);
    expect(readdirSync(out)).toEqual(['run.json']);
    expect(readFileSync(join(out, 'run.json'), 'utf8')).toBe('my own notes\n');
  });
});

describe('standard output on a full device', () => {
  it('linalg-info > /dev/full: one line naming standard output, exit 2 (used to be an internal error, exit 1)', async () => {
    const run = await runBuiltCli(['linalg-info'], { stdoutFd: full });
    expect(run.code).toBe(2);
    expectOneErrorLine(run, ['standard output', 'ENOSPC']);
  });

  it('train --json --out DIR > /dev/full: DIR complete, one line, exit 2', async () => {
    const out = freshOut();
    const run = await runBuiltCli(['train', '--d', '3', '--n', '12', '--json', '--out', out], { stdoutFd: full });
    expect(run.code).toBe(2);
    expectOneErrorLine(run, ['standard output', 'ENOSPC']);
    expect(inspectOutDirectory(out)).toMatchObject({ state: 'complete', record: 'run.json' });
  });
});

describe('SIGTERM during reproduce --out', () => {
  it('after the first experiment: exit 143, one line, results.json holds that experiment', async () => {
    const out = freshOut();
    const run = startBuiltCli(['reproduce', '--out', out], { timeoutMs: 180_000 });
    await run.waitForOutput(/\b(PASS|FAIL)\b/, 120_000);
    const printed = run.stdout();
    run.child.kill('SIGTERM');
    const result = await run.finished;
    expect(result.timedOut).toBe(false);
    expect(result.code, result.stderr).toBe(143);
    expect(result.stderr).toBe('shallowscape: terminated\n');
    expect(inspectOutDirectory(out)).toMatchObject({ state: 'complete', record: 'results.json' });
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { interrupted: boolean; experiments: Array<{ name: string }>; unfinished: string[] };
    expect(results.interrupted).toBe(true);
    expect(results.experiments.length).toBeGreaterThanOrEqual(1);
    expect(results.unfinished.length).toBeGreaterThanOrEqual(1);
    expect(printed, 'the experiment printed before SIGTERM is in results.json').toContain(results.experiments[0]!.name);
  });
});
