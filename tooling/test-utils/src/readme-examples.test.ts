/**
 * Runs the examples of the READMEs (`README.md`, `apps/cli/README.md`, `packages/*\/README.md`,
 * found on disk) and of the documentation guides (`apps/docs/guides/*.md`), as written, against
 * the built packages and CLI. It needs `pnpm build` first (`pnpm test` builds before vitest) and
 * fails, saying so, when a build output is missing.
 *
 * Rules for README authors:
 * - A fenced ```ts or ```js block (also `typescript`, `mts`, `javascript`, `mjs`) is an ES module.
 *   It runs with `node` after esbuild strips its types, with its imports as written:
 *   - from the repository root for the root README and the guides (the packages are root
 *     devDependencies), in a fresh directory under `reports/.readme-examples/`;
 *   - for `packages/<name>/README.md`, in a fresh directory outside the repository whose
 *     `node_modules` holds `@shallowscape/<name>` and its `@shallowscape/*` dependencies, as in a
 *     project that installed the package.
 *   It must not throw. `expr; // => value` states a result, checked as in the TSDoc examples
 *   (JSON value, numbers to their printed precision; see `examples.test.ts`), and
 *   `expr; // throws ErrorName` states an error.
 * - A fenced ```sh block (also `bash`, `shell`) runs with `bash` under `set -euo pipefail` in a
 *   fresh empty directory under `reports/.readme-examples/`, so `pnpm shallowscape …` resolves the
 *   root script and relative paths land in that directory. Every command must exit with 0.
 * - Other blocks (```json, ```text, no language) are never run.
 * - A block that cannot run here (it installs software, is interactive, needs the user's files or
 *   runs the whole suite) is marked by a line `<!-- not-run: reason -->` just before its fence.
 *   That marker is the only way to skip a block; a marker without a reason, or not followed by a
 *   runnable block, fails the test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  decodeRecordValue,
  extractMarkdownExamples,
  importedWorkspacePackages,
  instrumentModule,
  type ExampleRecord,
  type MarkdownExample,
} from './markdown-examples';
import { compareStated, describeActual, parseStatedValue } from './tsdoc-examples';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const scratch = join(root, 'reports', '.readme-examples');
const cliDist = join(root, 'apps/cli/dist/index.js');

/** The Markdown files whose examples run: found on disk, so a new package's README is included. */
function markdownFiles(): string[] {
  const files = [join(root, 'README.md'), join(root, 'apps/cli/README.md')];
  for (const pkg of readdirSync(join(root, 'packages')).sort()) {
    const readme = join(root, 'packages', pkg, 'README.md');
    if (existsSync(readme)) files.push(readme);
  }
  const guides = join(root, 'apps/docs/guides');
  for (const f of readdirSync(guides).sort()) if (f.endsWith('.md')) files.push(join(guides, f));
  return files;
}

const rel = (path: string): string => relative(root, path).split('\\').join('/');

/** `packages/<name>` for a package README, `undefined` for files read from the repository root. */
function packageOf(file: string): string | undefined {
  return /^packages\/([^/]+)\/README\.md$/.exec(file)?.[1];
}

class ExampleFailure extends Error {
  override name = 'ExampleFailure';
}

function tail(text: string, lines = 25): string {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? ['…', ...all.slice(-lines)] : all).join('\n');
}

function freshDirectory(insideRepository: boolean): string {
  if (insideRepository) {
    mkdirSync(scratch, { recursive: true });
    return mkdtempSync(join(scratch, 'example-'));
  }
  return mkdtempSync(join(tmpdir(), 'shallowscape-readme-'));
}

function requireBuilt(pkgs: string[], where: string): void {
  for (const name of pkgs) {
    const dir = name.replace('@shallowscape/', '');
    const manifest = join(root, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) throw new ExampleFailure(`${where}: imports ${name}, which is not a package of this repository`);
    if (!existsSync(join(root, 'packages', dir, 'dist', 'index.js'))) {
      throw new ExampleFailure(`${where}: packages/${dir}/dist/index.js is missing: run \`pnpm build\` first (\`pnpm test\` builds before running the tests)`);
    }
  }
}

/** Links `@shallowscape/<pkg>` and its `@shallowscape/*` dependencies into `dir/node_modules`. */
function installPackage(dir: string, pkg: string): void {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const names = [pkg, ...Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith('@shallowscape/')).map((d) => d.slice('@shallowscape/'.length))];
  mkdirSync(join(dir, 'node_modules', '@shallowscape'), { recursive: true });
  for (const name of names) symlinkSync(join(root, 'packages', name), join(dir, 'node_modules', '@shallowscape', name), 'dir');
}

/** Runs a ```ts / ```js example; throws {@link ExampleFailure} naming the file and line. */
async function runModuleExample(example: MarkdownExample): Promise<void> {
  const where = `${example.file}:${example.line}`;
  const { code, expected } = instrumentModule(example);
  const pkg = packageOf(example.file);
  requireBuilt(importedWorkspacePackages(code), where);
  let js: string;
  try {
    js = (await transform(code, { loader: example.language === 'ts' ? 'ts' : 'js', format: 'esm', target: 'es2022', sourcefile: where })).code;
  } catch (error) {
    throw new ExampleFailure(`${where}: the example does not compile: ${(error as Error).message}`);
  }
  const dir = freshDirectory(pkg === undefined);
  try {
    if (pkg !== undefined) installPackage(dir, pkg);
    writeFileSync(join(dir, 'example.mjs'), js);
    const report = join(dir, 'report.json');
    const run = spawnSync(process.execPath, ['example.mjs'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, SHALLOWSCAPE_EXAMPLE_REPORT: report },
    });
    if (run.error !== undefined) throw new ExampleFailure(`${where}: could not run the example: ${run.error.message}`);
    if (run.status !== 0) {
      throw new ExampleFailure(`${where}: the example failed (exit code ${run.status ?? run.signal}):\n${tail(run.stderr || run.stdout)}`);
    }
    const records = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as ExampleRecord[]) : [];
    const failures: string[] = [];
    for (const [line, want] of expected) {
      const got = records.find((r) => r.line === line);
      const at = `${example.file}:${line}`;
      if (got === undefined) {
        failures.push(`${at}: \`${want.source}\` was never reached`);
      } else if (want.kind === 'throws') {
        if (got.threwName !== want.errorName) {
          failures.push(`${at}: \`${want.source}\` ${got.threwName == null ? 'did not throw' : `threw ${got.threwName}`}, but the example states it throws ${want.errorName}`);
        }
      } else if (got.threw !== undefined) {
        failures.push(`${at}: \`${want.source}\` threw ${got.threw}`);
      } else {
        const actual = decodeRecordValue(got.value);
        const diff = compareStated(actual, parseStatedValue(want.stated));
        if (diff !== undefined) failures.push(`${at}: \`${want.source}\` is ${describeActual(actual)}, but the example states ${want.stated}: ${diff}`);
      }
    }
    if (failures.length > 0) throw new ExampleFailure(failures.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a ```sh example; throws {@link ExampleFailure} naming the file and the failing line. */
function runShellExample(example: MarkdownExample): void {
  const where = `${example.file}:${example.line}`;
  const text = example.lines.map((l) => l.text).join('\n');
  if (/\bpnpm\s+(--silent\s+)?shallowscape\b/.test(text) && !existsSync(cliDist)) {
    throw new ExampleFailure(`${where}: apps/cli/dist/index.js is missing: run \`pnpm build\` first (\`pnpm test\` builds before running the tests)`);
  }
  const dir = freshDirectory(true);
  try {
    // Line 1 of the script sets the trace prompt; line k + 1 is line k of the block.
    writeFileSync(join(dir, 'example.sh'), `PS4='+ [line $((LINENO - 1))] '; set -x\n${text}\n`);
    const run = spawnSync('bash', ['-euo', 'pipefail', 'example.sh'], { cwd: dir, encoding: 'utf8', timeout: 300_000, env: process.env });
    if (run.error !== undefined) throw new ExampleFailure(`${where}: could not run bash: ${run.error.message}`);
    if (run.status !== 0) {
      const traced = [...run.stderr.matchAll(/^\+ \[line (\d+)\] /gm)].map((m) => Number(m[1]));
      const last = traced.length > 0 ? traced[traced.length - 1]! : undefined;
      const line = last !== undefined && example.lines[last - 1] !== undefined ? example.lines[last - 1]!.line : example.line;
      throw new ExampleFailure(
        `${example.file}:${line}: the example failed (exit code ${run.status ?? run.signal}) at \`${example.lines[(last ?? 1) - 1]?.text.trim() ?? ''}\`:\n${tail(run.stderr)}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runExample(example: MarkdownExample): Promise<void> {
  if (example.language === 'sh') runShellExample(example);
  else await runModuleExample(example);
}

const files = markdownFiles().map((path) => ({ path, file: rel(path) }));
const extracted = files.map(({ path, file }) => ({ file, ...extractMarkdownExamples(readFileSync(path, 'utf8'), file) }));

describe('README and guide examples', () => {
  it('finds the READMEs of the root, the CLI and every package, and runnable examples in them', () => {
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(['README.md', 'apps/cli/README.md']));
    const runnable = extracted.flatMap((e) => e.examples).filter((e) => e.notRun === undefined);
    expect(runnable.filter((e) => e.language === 'sh').length).toBeGreaterThan(0);
    expect(runnable.filter((e) => e.language !== 'sh').length).toBeGreaterThan(0);
  });

  it('uses the not-run marker only as documented', () => {
    const problems = extracted.flatMap((e) => e.problems);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  for (const { file, examples } of extracted) {
    for (const example of examples) {
      const name = `${file}:${example.line} (${example.language})`;
      if (example.notRun !== undefined) {
        it.skip(`${name}: not run (${example.notRun})`, () => undefined);
        continue;
      }
      it(name, { timeout: 300_000 }, async () => {
        await runExample(example);
      });
    }
  }
});

describe('the README example runner itself', () => {
  const fake = (language: MarkdownExample['language'], code: string[], file = 'README.md'): MarkdownExample => ({
    file,
    line: 10,
    language,
    lines: code.map((text, i) => ({ text, line: 11 + i })),
  });

  it('extracts runnable blocks with their lines and honours only the not-run marker', () => {
    const markdown = [
      '# Title', // 1
      '```ts', // 2
      "import { x } from '@shallowscape/linalg';", // 3
      '```', // 4
      '<!-- not-run: needs your own files -->', // 5
      '', // 6
      '```sh', // 7
      'pnpm shallowscape eval --weights mine.npy', // 8
      '```', // 9
      '```json', // 10
      '{ "a": 1 }', // 11
      '```', // 12
      '<!-- skip -->', // 13
      '```bash', // 14
      'echo hi', // 15
      '```', // 16
      '<!-- not-run: -->', // 17
      '```js', // 18
      '```', // 19
      '<!-- not-run: dangling -->', // 20
      'text', // 21
      '<!-- not-run: before json -->', // 22
      '```json', // 23
      '```', // 24
    ].join('\n');
    const { examples, problems } = extractMarkdownExamples(markdown, 'X.md');
    expect(examples.map((e) => [e.line, e.language, e.notRun ?? null, e.lines.map((l) => l.line)])).toEqual([
      [2, 'ts', null, [3]],
      [7, 'sh', 'needs your own files', [8]],
      [14, 'sh', null, [15]],
      [18, 'js', '(no reason)', []],
    ]);
    expect(problems).toEqual([
      'X.md:17: a not-run marker without a reason',
      'X.md:20: a not-run marker not followed by a code block',
      'X.md:22: a not-run marker before a ```json block, which is never run anyway',
    ]);
    expect(importedWorkspacePackages("import { a } from '@shallowscape/linalg';\nimport('@shallowscape/rmt');")).toEqual([
      '@shallowscape/linalg',
      '@shallowscape/rmt',
    ]);
  });

  it('passes a correct module and checks its stated values', async () => {
    await runModuleExample(
      fake('ts', [
        'const n: number = 3; // => 3',
        'Math.sqrt(2); // => 1.4142',
        'Float64Array.of(1, Infinity); // => [1, Infinity]',
        "JSON.parse('x'); // throws SyntaxError",
        'console.log("printed output is fine");',
      ]),
    );
  });

  it('fails a module whose stated value is wrong, naming the file and line', async () => {
    await expect(runModuleExample(fake('js', ['const a = 1;', 'a + 1; // => 3']))).rejects.toThrow(
      'README.md:12: `a + 1` is 2, but the example states 3: 2 does not match the stated 3',
    );
    await expect(runModuleExample(fake('js', ['Math.max(1); // throws RangeError']))).rejects.toThrow(
      'README.md:11: `Math.max(1)` did not throw, but the example states it throws RangeError',
    );
  });

  it('fails a module that throws or imports what does not resolve', async () => {
    await expect(runModuleExample(fake('ts', ['throw new RangeError("broken example");']))).rejects.toThrow(
      /README\.md:10: the example failed \(exit code 1\):[\s\S]*RangeError: broken example/,
    );
    await expect(runModuleExample(fake('js', ["import { nothing } from 'no-such-package-anywhere';"]))).rejects.toThrow(
      /README\.md:10: the example failed[\s\S]*ERR_MODULE_NOT_FOUND/,
    );
    await expect(runModuleExample(fake('js', ["import { x } from '@shallowscape/no-such-package';"]))).rejects.toThrow(
      /not a package of this repository/,
    );
  });

  it('runs a package README example as an installed package, not through the repository root', async () => {
    // packages/rmt depends on linalg, not on model: an import of model must not resolve there.
    await expect(
      runModuleExample(fake('js', ["import { nStar } from '@shallowscape/certificates';", 'nStar(3); // => 6'], 'packages/rmt/README.md')),
    ).rejects.toThrow(/ERR_MODULE_NOT_FOUND|Cannot find package/);
    await runModuleExample(fake('js', ["import { semicircleCdf } from '@shallowscape/rmt';", 'semicircleCdf(0); // => 0.5'], 'packages/rmt/README.md'));
  });

  it('fails a shell example at the failing command, with its line and stderr', () => {
    expect(() => runShellExample(fake('sh', ['echo one', 'ls does-not-exist', 'echo never']))).toThrow(
      /README\.md:12: the example failed \(exit code 2\) at `ls does-not-exist`:[\s\S]*does-not-exist/,
    );
    expect(() => runShellExample(fake('sh', ['true | false']))).toThrow(/README\.md:11: the example failed/);
    runShellExample(fake('sh', ['touch made-here', 'test -f made-here', 'test "$(ls)" = "example.sh', 'made-here"']));
  });

  it('runs `pnpm shallowscape` in the example directory, and fails on a non-zero exit', () => {
    runShellExample(fake('sh', ['pnpm shallowscape train --d 3 --json --out run > /dev/null', 'test -f run/run.json']));
    expect(() => runShellExample(fake('sh', ['pnpm shallowscape train --no-such-flag']))).toThrow(
      /README\.md:11: the example failed \(exit code 2\)[\s\S]*shallowscape: error: .*--no-such-flag/,
    );
  });
});

// The scratch directory under reports/ (gitignored) is removed when empty.
process.on('exit', () => {
  try {
    if (existsSync(scratch) && readdirSync(scratch).length === 0) rmSync(scratch, { recursive: true, force: true });
  } catch {
    // best effort
  }
});
