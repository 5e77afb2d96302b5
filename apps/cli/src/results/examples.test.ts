/**
 * Runs the TSDoc examples of this folder's table layer. The workspace's examples test
 * (`tooling/test-utils/src/examples.test.ts`) covers `packages/*` only, so the CLI's examples run
 * here, by the same rules and with the same machinery: `expr; // => value` compares to the
 * printed precision, `// throws Name` expects an error of that name. In scope: the exports of
 * these modules and of `@shallowscape/linalg`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as linalg from '@shallowscape/linalg';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { compareStated, describeActual, extractExamples, instrumentExample, parseStatedValue } from '../../../../tooling/test-utils/src/tsdoc-examples';
import * as aggregate from './aggregate-runs';
import * as format from './format-result-table';
import * as parquet from './parquet';
import * as resultTable from './result-table';

const FILES = ['result-table.ts', 'format-result-table.ts', 'parquet.ts', 'aggregate-runs.ts'];
const scope: Record<string, unknown> = { ...linalg, ...resultTable, ...format, ...parquet, ...aggregate };

async function run(file: string, example: ReturnType<typeof extractExamples>[number]): Promise<number> {
  const { code, assertions } = instrumentExample(example);
  const js = (await transform(`async function __example() {\n${code}\n}`, { loader: 'ts', target: 'es2022', sourcefile: file })).code;
  const failures: string[] = [];
  const expectValue = async (thunk: () => Promise<unknown>, stated: string, line: number, source: string): Promise<void> => {
    let actual: unknown;
    try {
      actual = await thunk();
    } catch (error) {
      failures.push(`${file}:${line}: \`${source}\` threw ${(error as Error).name}: ${(error as Error).message}`);
      return;
    }
    const diff = compareStated(actual, parseStatedValue(stated));
    if (diff !== undefined) failures.push(`${file}:${line}: \`${source}\` is ${describeActual(actual)}, but the example states ${stated}: ${diff}`);
  };
  const expectThrows = async (thunk: () => Promise<void>, name: string, line: number, source: string): Promise<void> => {
    try {
      await thunk();
    } catch (error) {
      if ((error as Error).name !== name) failures.push(`${file}:${line}: \`${source}\` threw ${(error as Error).name}, not ${name}`);
      return;
    }
    failures.push(`${file}:${line}: \`${source}\` did not throw ${name}`);
  };
  const names = Object.keys(scope).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
  const fn = new Function(...names, '__expect', '__expectThrows', `${js}\nreturn __example();`) as (...args: unknown[]) => Promise<void>;
  await fn(...names.map((n) => scope[n]), expectValue, expectThrows);
  expect(failures).toEqual([]);
  return assertions;
}

describe('TSDoc examples of apps/cli/src/results', () => {
  for (const file of FILES) {
    const source = readFileSync(fileURLToPath(new URL(file, import.meta.url)), 'utf8');
    const examples = extractExamples(source, file);
    it(`${file} has examples for its exported functions`, () => {
      const exported = [...source.matchAll(/^export function (\w+)/gm)].map((m) => m[1]);
      expect(exported.length).toBeGreaterThan(0);
      expect(examples.map((e) => e.symbol)).toEqual(expect.arrayContaining(exported));
    });
    for (const example of examples) {
      it(`${file} › ${example.symbol}`, async () => {
        expect(await run(file, example)).toBeGreaterThan(0);
      });
    }
  }
});
