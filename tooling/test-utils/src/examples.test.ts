/**
 * Executes the TSDoc examples of every package (`packages/*\/src/**\/*.ts`, tests excluded).
 *
 * Rules for example authors:
 * - Put the example in an `@example` tag, inside a ```ts (or ```typescript) fence. Other fences
 *   and code outside `@example` are not run.
 * - Every export of the package's `src/index.ts` is in scope, and so is every export of
 *   `@shallowscape/linalg` and of the package's other `@shallowscape/*` dependencies; import
 *   lines (`import { x } from '...'`, one line each) are allowed and skipped. Nothing else is in
 *   scope: no test helpers. Examples run in one process, so keep them free of global effects
 *   (restore a default backend you change).
 * - State results on the line they come from: `expr; // => value`. The line must hold one
 *   complete expression (or `const name = expr;`, which asserts `name`). The value is JSON
 *   (numbers, "strings", true/false, null, arrays, objects; also NaN, ±Infinity,
 *   'single quotes' and unquoted keys). Typed arrays compare as arrays; objects with `toJSON`
 *   (a `Matrix`) compare as their JSON form (nested arrays). Promises are awaited.
 * - Numbers are compared to the precision they are printed with: `0.3183` means
 *   `|actual − 0.3183| ≤ 0.00005`; `1.5e-3` means `± 0.00005`; an integer such as `27` must
 *   match to 1e-12 relative. So print as many digits as you mean, rounded correctly.
 * - `expr; // throws ShapeError` asserts that the line throws an error of that name (the error's
 *   `name`, e.g. a class from `@shallowscape/linalg`).
 * - Every example must state at least one result. The test is named by file and symbol, and a
 *   failure names the file and line of the `// =>` comment.
 * - A star followed by a slash ends a comment, even inside LaTeX: write `W^{*}/m` or
 *   `\frac{1}{m}W^*`, never a star right before a slash.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  compareStated,
  describeActual,
  extractExamples,
  instrumentExample,
  parseStatedValue,
  statedTolerance,
  type ExtractedExample,
} from './tsdoc-examples';

const root = fileURLToPath(new URL('../../../', import.meta.url));

interface FoundExample extends ExtractedExample {
  pkg: string;
  file: string;
}

function sourceFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: false }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f))
    .sort();
}

function findExamples(): FoundExample[] {
  const found: FoundExample[] = [];
  const packagesDir = join(root, 'packages');
  for (const pkg of readdirSync(packagesDir).sort()) {
    let files: string[];
    try {
      files = sourceFiles(join(packagesDir, pkg, 'src'));
    } catch {
      continue; // no src folder
    }
    for (const path of files) {
      const file = relative(root, path).split('\\').join('/');
      for (const example of extractExamples(readFileSync(path, 'utf8'), file)) found.push({ ...example, pkg, file });
    }
  }
  return found;
}

/**
 * The names in scope for an example of `packages/<pkg>`: the exports of `@shallowscape/linalg`,
 * of the package's other `@shallowscape/*` dependencies, and of the package itself (later ones
 * win on a clash). Modules resolve to their sources through the root vitest config.
 */
async function packageScope(pkg: string): Promise<Record<string, unknown>> {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const names = ['@shallowscape/linalg', ...Object.keys(manifest.dependencies ?? {}), `@shallowscape/${pkg}`].filter(
    (name, index, all) => name.startsWith('@shallowscape/') && all.indexOf(name) === index,
  );
  const scope: Record<string, unknown> = {};
  for (const name of names) {
    const exports = (await import(/* @vite-ignore */ name)) as Record<string, unknown>;
    for (const [key, value] of Object.entries(exports)) {
      if (/^[A-Za-z_$][\w$]*$/.test(key) && key !== 'default') scope[key] = value;
    }
  }
  return scope;
}

class ExampleFailure extends Error {
  override name = 'ExampleFailure';
}

/** `ReferenceError: x is not defined` usually means `x` is missing from the package index. */
function describeError(error: unknown, pkg: string): string {
  const e = error as Error;
  const hint =
    e instanceof ReferenceError
      ? ` (in scope: the exports of packages/${pkg}/src/index.ts and of its @shallowscape dependencies, linalg included)`
      : '';
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}${hint}`;
}

async function runExample(example: FoundExample): Promise<number> {
  const { code, assertions } = instrumentExample(example);
  if (assertions === 0) {
    throw new ExampleFailure(`${example.file}:${example.line}: the example of ${example.symbol} states no result (add \`// => value\`)`);
  }
  const wrapped = `async function __example() {\n${code}\n}`;
  let js: string;
  try {
    js = (await transform(wrapped, { loader: 'ts', target: 'es2022', sourcefile: example.file })).code;
  } catch (error) {
    throw new ExampleFailure(`${example.file}:${example.line}: the example of ${example.symbol} does not compile: ${(error as Error).message}`);
  }
  const scope = await packageScope(example.pkg);
  const where = (line: number): string => `${example.file}:${line}`;

  const expectValue = async (thunk: () => Promise<unknown>, statedText: string, line: number, source: string): Promise<void> => {
    const stated = parseStatedValue(statedText);
    let actual: unknown;
    try {
      actual = await thunk();
    } catch (error) {
      throw new ExampleFailure(`${where(line)}: \`${source}\` threw ${describeError(error, example.pkg)}`);
    }
    const diff = compareStated(actual, stated);
    if (diff !== undefined) {
      throw new ExampleFailure(`${where(line)}: \`${source}\` is ${describeActual(actual)}, but the example states ${statedText}: ${diff}`);
    }
  };
  const expectThrows = async (thunk: () => Promise<void>, errorName: string, line: number, source: string): Promise<void> => {
    try {
      await thunk();
    } catch (error) {
      const name = (error as Error)?.name ?? String(error);
      if (name === errorName) return;
      throw new ExampleFailure(`${where(line)}: \`${source}\` threw ${name}, but the example states it throws ${errorName}`);
    }
    throw new ExampleFailure(`${where(line)}: \`${source}\` did not throw, but the example states it throws ${errorName}`);
  };

  const names = Object.keys(scope);
  const run = new Function(...names, '__expect', '__expectThrows', `${js}\nreturn __example();`) as (...args: unknown[]) => Promise<void>;
  try {
    await run(...names.map((n) => scope[n]), expectValue, expectThrows);
  } catch (error) {
    if (error instanceof ExampleFailure) throw error;
    throw new ExampleFailure(`${example.file}:${example.line}: the example of ${example.symbol} threw ${describeError(error, example.pkg)}`);
  }
  return assertions;
}

const examples = findExamples();

describe('TSDoc examples', () => {
  it('finds examples in the packages', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  const seen = new Map<string, number>();
  for (const example of examples) {
    const key = `${example.file} › ${example.symbol}`;
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    it(count === 1 ? key : `${key} (example ${count})`, async () => {
      await runExample(example);
    });
  }
});

describe('the example checker itself', () => {
  const source = [
    '/**',
    ' * Doubles.',
    ' * @example',
    ' * ```ts',
    " * import { double } from '@x/y';",
    ' * double(2); // => 4',
    ' * const h = double(0.1); // => 0.2',
    ' * [double(1 / 3)]; // => [0.6667]',
    ' * ```',
    ' * ```sh',
    ' * not run',
    ' * ```',
    ' */',
    'export function double(x: number): number {',
    '  return 2 * x;',
    '}',
    'export class K {',
    '  /** @example',
    '   * ```ts',
    '   * K.make(); // throws RangeError',
    '   * ```',
    '   */',
    '  static make(): never {',
    "    throw new RangeError('no');",
    '  }',
    '}',
  ].join('\n');

  it('extracts ts blocks of @example tags with symbol names and source lines', () => {
    const found = extractExamples(source);
    expect(found.map((e) => [e.symbol, e.line, e.lines.length])).toEqual([
      ['double', 4, 4],
      ['K.make', 19, 1],
    ]);
    expect(found[0]!.lines[1]).toEqual({ text: 'double(2); // => 4', line: 6 });
    const instrumented = instrumentExample(found[0]!);
    expect(instrumented.assertions).toBe(3);
    expect(instrumented.code).not.toContain('import');
    expect(instrumented.code).toContain('const h = double(0.1); await __expect(async () => h, "0.2", 7,');
  });

  it('compares numbers to their printed precision and structures exactly', () => {
    expect(statedTolerance('0.3183', 0.3183)).toBeCloseTo(5e-5, 12);
    expect(statedTolerance('1.5e-3', 1.5e-3)).toBeCloseTo(5e-5, 12);
    expect(statedTolerance('27', 27)).toBe(27e-12);
    expect(compareStated(1 / Math.PI, parseStatedValue('0.3183'))).toBeUndefined();
    expect(compareStated(0.3184, parseStatedValue('0.3183'))).toMatch(/does not match the stated 0\.3183/);
    expect(compareStated(27.000001, parseStatedValue('27'))).toBeDefined();
    expect(compareStated(Float64Array.of(1, 2), parseStatedValue('[1, 2]'))).toBeUndefined();
    expect(compareStated([[1, 2]], parseStatedValue('[[1, 3]]'))).toMatch(/at \[0\]\[1\]/);
    expect(compareStated({ lower: 0.25, upper: 2.25 }, parseStatedValue('{ "lower": 0.25, upper: 2.25 }'))).toBeUndefined();
    expect(compareStated({ lower: 0.25 }, parseStatedValue('{ "lower": 0.25, "upper": 2.25 }'))).toMatch(/keys/);
    expect(compareStated('a', parseStatedValue("'a'"))).toBeUndefined();
    expect(compareStated(Number.NaN, parseStatedValue('NaN'))).toBeUndefined();
    expect(compareStated(true, parseStatedValue('false'))).toBeDefined();
    expect(() => parseStatedValue('[1, 2')).toThrow(/cannot parse/);
  });

  it('fails a wrong example with the file and line of the statement', async () => {
    const wrong: FoundExample = {
      pkg: 'linalg',
      file: 'packages/linalg/src/fake.ts',
      symbol: 'fake',
      line: 10,
      lines: [
        { text: 'const a = Matrix.identity(2);', line: 11 },
        { text: 'a.get(0, 0); // => 2', line: 12 },
      ],
    };
    await expect(runExample(wrong)).rejects.toThrow(
      'packages/linalg/src/fake.ts:12: `a.get(0, 0)` is 1, but the example states 2: 1 does not match the stated 2',
    );
    const silent: FoundExample = { ...wrong, lines: [{ text: 'Matrix.identity(2);', line: 11 }] };
    await expect(runExample(silent)).rejects.toThrow(/fake\.ts:10: the example of fake states no result/);
    const throwing: FoundExample = { ...wrong, lines: [{ text: 'Matrix.zeros(-1, 1); // throws ShapeError', line: 11 }] };
    await expect(runExample(throwing)).rejects.toThrow(/fake\.ts:11: .* threw InvalidArgumentError, but the example states it throws ShapeError/);
  });
});
