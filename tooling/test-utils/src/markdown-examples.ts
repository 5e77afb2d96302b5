/**
 * Machinery behind `readme-examples.test.ts`: finds the runnable fenced blocks of a Markdown file
 * (```ts / ```js modules and ```sh scripts), honours the `<!-- not-run: reason -->` marker, and
 * turns a module's `// => value` and `// throws Name` comments into recorded checks. The rules for
 * authors are at the top of `readme-examples.test.ts`.
 */
import { parseAssertionLine } from './tsdoc-examples';

/** The kinds of runnable block: ES modules (TypeScript or JavaScript) and shell scripts. */
export type ExampleLanguage = 'ts' | 'js' | 'sh';

const LANGUAGES: Readonly<Record<string, ExampleLanguage>> = {
  ts: 'ts',
  typescript: 'ts',
  mts: 'ts',
  js: 'js',
  javascript: 'js',
  mjs: 'js',
  sh: 'sh',
  bash: 'sh',
  shell: 'sh',
};

/** One fenced block of a Markdown file that the test runs (or skips by its marker). */
export interface MarkdownExample {
  /** The file, relative to the repository root. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: ExampleLanguage;
  /** The code lines with their 1-based line numbers in the file. */
  lines: Array<{ text: string; line: number }>;
  /** The reason given by a `<!-- not-run: reason -->` marker before the block, if any. */
  notRun?: string;
}

/** The runnable blocks of a Markdown file, and the misuses of the not-run marker. */
export interface ExtractedMarkdown {
  examples: MarkdownExample[];
  problems: string[];
}

const MARKER = /^<!--\s*not-run:(.*?)-->$/;
const MARKER_START = /^<!--\s*not-run\b/;
const FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;

/**
 * Extracts the fenced ```ts, ```js and ```sh blocks (and their aliases: `typescript`, `mts`,
 * `javascript`, `mjs`, `bash`, `shell`) of `markdown`. A line `<!-- not-run: reason -->`, followed
 * by the block with at most blank lines between, marks that block as not run. A marker with no
 * reason, one not followed by a block, or one before a block that is never run anyway (```json,
 * ```text, …) is reported in `problems`.
 */
export function extractMarkdownExamples(markdown: string, file: string): ExtractedMarkdown {
  const examples: MarkdownExample[] = [];
  const problems: string[] = [];
  const lines = markdown.split(/\r?\n/);
  let pending: { reason: string; line: number } | undefined;
  let open: { marker: string; indent: number; example?: MarkdownExample } | undefined;

  lines.forEach((text, index) => {
    const line = index + 1;
    if (open !== undefined) {
      const close = /^( {0,3})(`{3,}|~{3,})\s*$/.exec(text);
      if (close !== null && close[2]![0] === open.marker[0] && close[2]!.length >= open.marker.length) {
        if (open.example !== undefined) examples.push(open.example);
        open = undefined;
        return;
      }
      open.example?.lines.push({ text: text.slice(Math.min(open.indent, text.length - text.trimStart().length)), line });
      return;
    }
    const trimmed = text.trim();
    const fence = FENCE.exec(text);
    if (fence !== null) {
      const language = LANGUAGES[fence[3]!.toLowerCase()];
      const example: MarkdownExample | undefined =
        language === undefined ? undefined : { file, line, language, lines: [], ...(pending ? { notRun: pending.reason } : {}) };
      if (pending !== undefined && language === undefined) {
        problems.push(`${file}:${pending.line}: a not-run marker before a \`\`\`${fence[3] || '(no language)'} block, which is never run anyway`);
      }
      pending = undefined;
      open = { marker: fence[2]!, indent: fence[1]!.length, ...(example ? { example } : {}) };
      return;
    }
    if (MARKER_START.test(trimmed)) {
      if (pending !== undefined) problems.push(`${file}:${pending.line}: a not-run marker not followed by a code block`);
      const m = MARKER.exec(trimmed);
      const reason = m?.[1]?.trim() ?? '';
      if (m === null) problems.push(`${file}:${line}: a malformed not-run marker (write <!-- not-run: reason --> on one line)`);
      else if (reason === '') problems.push(`${file}:${line}: a not-run marker without a reason`);
      pending = { reason: reason === '' ? '(no reason)' : reason, line };
      return;
    }
    if (trimmed !== '' && pending !== undefined) {
      problems.push(`${file}:${pending.line}: a not-run marker not followed by a code block`);
      pending = undefined;
    }
  });
  if (open !== undefined) problems.push(`${file}: a code block is not closed`);
  if (pending !== undefined) problems.push(`${file}:${pending.line}: a not-run marker not followed by a code block`);
  return { examples, problems };
}

/** Names used by the instrumented module; chosen not to clash with an example's own names. */
const EXPECT = '__readmeExampleExpect';
const EXPECT_THROWS = '__readmeExampleExpectThrows';

/**
 * The support code prepended to an instrumented module: it records every checked value, encoded
 * so that typed arrays, `toJSON` objects and non-finite numbers survive JSON, and writes the
 * records to the file named by `SHALLOWSCAPE_EXAMPLE_REPORT` when the module ends.
 */
const PRELUDE = `import { writeFileSync as __readmeExampleWrite } from 'node:fs';
function __readmeExampleEncode(v, depth = 0) {
  if (depth > 50) return { $unencodable: 'too deep' };
  if (v === undefined) return { $undefined: true };
  if (typeof v === 'number') return Number.isFinite(v) ? v : { $number: String(v) };
  if (typeof v === 'bigint') return { $bigint: String(v) };
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'function' || typeof v === 'symbol') return { $unencodable: typeof v };
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v, (x) => __readmeExampleEncode(x, depth + 1));
  if (typeof v.toJSON === 'function') return __readmeExampleEncode(v.toJSON(), depth + 1);
  if (Array.isArray(v)) return v.map((x) => __readmeExampleEncode(x, depth + 1));
  const out = {};
  for (const [k, x] of Object.entries(v)) out[k] = __readmeExampleEncode(x, depth + 1);
  return out;
}
function __readmeExampleRecords() {
  if (globalThis.__readmeExampleRecords === undefined) {
    globalThis.__readmeExampleRecords = [];
    process.on('exit', () => {
      const path = process.env.SHALLOWSCAPE_EXAMPLE_REPORT;
      if (path) __readmeExampleWrite(path, JSON.stringify(globalThis.__readmeExampleRecords));
    });
  }
  return globalThis.__readmeExampleRecords;
}
__readmeExampleRecords();
async function ${EXPECT}(line, source, thunk) {
  try {
    __readmeExampleRecords().push({ line, source, value: __readmeExampleEncode(await thunk()) });
  } catch (error) {
    __readmeExampleRecords().push({ line, source, threw: String(error && error.name) + ': ' + String(error && error.message) });
  }
}
async function ${EXPECT_THROWS}(line, source, thunk) {
  try {
    await thunk();
    __readmeExampleRecords().push({ line, source, threwName: null });
  } catch (error) {
    __readmeExampleRecords().push({ line, source, threwName: String(error && error.name) });
  }
}
`;

/** What an instrumented module checks at each line: a stated value or a thrown error's name. */
export type ExpectedAt = { kind: 'value'; stated: string; source: string } | { kind: 'throws'; errorName: string; source: string };

/**
 * Rewrites a ```ts / ```js example into a module that runs the same code and records the values
 * its `expr; // => value` lines state (and whether its `expr; // throws Name` lines throw), with
 * the line numbers of the Markdown file. Everything else, imports included, is left as written.
 */
export function instrumentModule(example: MarkdownExample): { code: string; expected: Map<number, ExpectedAt> } {
  const expected = new Map<number, ExpectedAt>();
  const out: string[] = [PRELUDE];
  for (const { text, line } of example.lines) {
    const assertion = text.trimStart().startsWith('//') ? undefined : parseAssertionLine(text);
    if (assertion === undefined) {
      out.push(text);
      continue;
    }
    const source = JSON.stringify(assertion.code);
    if (assertion.kind === 'throws') {
      expected.set(line, { kind: 'throws', errorName: assertion.errorName, source: assertion.code });
      out.push(`await ${EXPECT_THROWS}(${line}, ${source}, async () => { ${assertion.code}; });`);
      continue;
    }
    expected.set(line, { kind: 'value', stated: assertion.stated, source: assertion.code });
    const declaration = /^(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=/.exec(assertion.code);
    if (declaration !== null) out.push(`${assertion.code}; await ${EXPECT}(${line}, ${source}, () => ${declaration[1]});`);
    else out.push(`await ${EXPECT}(${line}, ${source}, async () => (${assertion.code}));`);
  }
  return { code: out.join('\n'), expected };
}

/** One record written by an instrumented module. */
export interface ExampleRecord {
  line: number;
  source: string;
  value?: unknown;
  threw?: string;
  threwName?: string | null;
}

/** Undoes the encoding of the prelude: `{ $number: "NaN" }` → NaN, `{ $undefined: true }` → undefined, … */
export function decodeRecordValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeRecordValue);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (typeof record.$number === 'string') return Number(record.$number);
  if (record.$undefined === true) return undefined;
  if (typeof record.$bigint === 'string') return BigInt(record.$bigint);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decodeRecordValue(v)]));
}

/** The `@shallowscape/*` packages a module imports (static imports and `import('…')`). */
export function importedWorkspacePackages(code: string): string[] {
  const names = new Set<string>();
  for (const m of code.matchAll(/(?:from\s*|import\s*\(?\s*)['"](@shallowscape\/[a-z0-9-]+)(?:\/[^'"]*)?['"]/g)) names.add(m[1]!);
  return [...names].sort();
}
