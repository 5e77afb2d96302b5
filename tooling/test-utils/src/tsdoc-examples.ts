/**
 * Machinery behind `examples.test.ts`: finds the ```ts blocks inside `@example` tags of TSDoc
 * comments, turns their `// => value` and `// throws Name` comments into assertions, and
 * compares values to the precision they are printed with. The rules for example authors are at
 * the top of `examples.test.ts`.
 */
import ts from 'typescript';

/** One ```ts block inside an `@example` tag. */
export interface ExtractedExample {
  /** The documented symbol, e.g. `quadraticPopulationRisk` or `Matrix.from`. */
  symbol: string;
  /** 1-based line of the opening fence in the source file. */
  line: number;
  /** The code lines, with their 1-based source line numbers. */
  lines: Array<{ text: string; line: number }>;
}

interface NamedDeclaration {
  start: number;
  name: string;
}

function declarationName(node: ts.Node): string | undefined {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (ts.isVariableStatement(node)) {
    const first = node.declarationList.declarations[0];
    return first !== undefined && ts.isIdentifier(first.name) ? first.name.text : undefined;
  }
  if (
    ts.isFunctionDeclaration(node) ||
    ts.isClassDeclaration(node) ||
    ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node) ||
    ts.isEnumDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isPropertyDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isPropertySignature(node) ||
    ts.isMethodSignature(node)
  ) {
    const name = node.name;
    if (name === undefined) return 'default';
    return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name) ? name.text : name.getText();
  }
  return undefined;
}

/** Every named declaration with the offset of its first token (after its doc comment). */
function collectDeclarations(source: ts.SourceFile): NamedDeclaration[] {
  const out: NamedDeclaration[] = [];
  const visit = (node: ts.Node, owner: string | undefined): void => {
    const name = declarationName(node);
    let nextOwner = owner;
    if (name !== undefined) {
      const qualified = owner === undefined ? name : `${owner}.${name}`;
      out.push({ start: node.getStart(source), name: qualified });
      if (ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node)) nextOwner = qualified;
    }
    ts.forEachChild(node, (child) => visit(child, nextOwner));
  };
  visit(source, undefined);
  return out.sort((a, b) => a.start - b.start);
}

/** The `/** … *\/` comments of a file (from the parser's trivia, so never inside strings). */
function docComments(source: ts.SourceFile): Array<{ start: number; end: number }> {
  const text = source.getFullText();
  const seen = new Map<number, number>();
  const visit = (node: ts.Node): void => {
    for (const range of ts.getLeadingCommentRanges(text, node.pos) ?? []) {
      if (range.kind === ts.SyntaxKind.MultiLineCommentTrivia && text.startsWith('/**', range.pos) && !text.startsWith('/**/', range.pos)) {
        seen.set(range.pos, range.end);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const range of ts.getLeadingCommentRanges(text, source.endOfFileToken.pos) ?? []) {
    if (range.kind === ts.SyntaxKind.MultiLineCommentTrivia && text.startsWith('/**', range.pos)) seen.set(range.pos, range.end);
  }
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([start, end]) => ({ start, end }));
}

const FENCE_OPEN = /^```(ts|typescript)\s*$/;
const ANY_FENCE = /^(```|~~~)/;

/**
 * Extracts the ```ts / ```typescript blocks found inside `@example` tags of the `/** … *\/`
 * comments of a TypeScript source, with the symbol each comment documents.
 */
export function extractExamples(sourceText: string, fileName = 'source.ts'): ExtractedExample[] {
  const source = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const declarations = collectDeclarations(source);
  const lineStarts = source.getLineStarts();
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };

  const examples: ExtractedExample[] = [];
  for (const { start, end } of docComments(source)) {
    const next = declarations.find((d) => d.start >= end);
    const between = next === undefined ? '' : sourceText.slice(end, next.start);
    const symbol = next !== undefined && /^\s*$/.test(between) ? next.name : '(module)';
    const firstLine = lineOf(start);
    const rawLines = sourceText.slice(start, end).split('\n');
    let inExample = false;
    let fence: 'ts' | 'other' | undefined;
    let current: ExtractedExample | undefined;
    rawLines.forEach((raw, index) => {
      const lineNo = firstLine + index;
      let text = raw;
      if (index === 0) text = text.replace(/^\/\*\*/, '');
      if (index === rawLines.length - 1) text = text.replace(/\*\/\s*$/, '');
      text = text.replace(/^\s*\* ?/, '');
      const trimmed = text.trim();
      if (fence === undefined) {
        if (/^@\w+/.test(trimmed)) inExample = /^@example\b/.test(trimmed);
        if (ANY_FENCE.test(trimmed)) {
          if (inExample && FENCE_OPEN.test(trimmed)) {
            fence = 'ts';
            current = { symbol, line: lineNo, lines: [] };
          } else {
            fence = 'other';
          }
        }
        return;
      }
      if (ANY_FENCE.test(trimmed) && /^(```|~~~)\s*$/.test(trimmed)) {
        if (fence === 'ts' && current !== undefined) examples.push(current);
        fence = undefined;
        current = undefined;
        return;
      }
      if (fence === 'ts') current!.lines.push({ text, line: lineNo });
    });
  }
  return examples;
}

/** A value stated in an example comment, parsed with the printed precision of its numbers. */
export type StatedValue =
  | { kind: 'number'; value: number; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'array'; items: StatedValue[] }
  | { kind: 'object'; entries: Array<[string, StatedValue]> };

/**
 * Parses the text after `// =>`: JSON (numbers, "strings", booleans, null, arrays, objects),
 * plus `NaN`, `Infinity`, `-Infinity`, single-quoted strings and unquoted object keys. Numbers
 * keep their source text so they can be compared to the precision they are printed with.
 * @throws Error for text that is not such a value.
 */
export function parseStatedValue(text: string): StatedValue {
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`cannot parse the stated value ${JSON.stringify(text)}: ${what} at column ${pos + 1}`);
  };
  const skip = (): void => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const parseString = (): string => {
    const quote = text[pos]!;
    let end = pos + 1;
    while (end < text.length && text[end] !== quote) end += text[end] === '\\' ? 2 : 1;
    if (end >= text.length) fail('unterminated string');
    const body = text.slice(pos + 1, end);
    pos = end + 1;
    const json = quote === '"' ? body : body.replace(/\\'/g, "'").replace(/"/g, '\\"');
    try {
      return JSON.parse(`"${json}"`) as string;
    } catch {
      return fail('invalid string escape');
    }
  };
  const parseValue = (): StatedValue => {
    skip();
    const c = text[pos];
    if (c === undefined) return fail('unexpected end');
    if (c === '"' || c === "'") return { kind: 'string', value: parseString() };
    if (c === '[') {
      pos++;
      const items: StatedValue[] = [];
      skip();
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(parseValue());
        skip();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') {
          pos++;
          return { kind: 'array', items };
        } else fail('expected , or ]');
      }
    }
    if (c === '{') {
      pos++;
      const entries: Array<[string, StatedValue]> = [];
      skip();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', entries };
      }
      for (;;) {
        skip();
        let key: string;
        if (text[pos] === '"' || text[pos] === "'") key = parseString();
        else {
          const m = /^[A-Za-z_$][\w$]*/.exec(text.slice(pos));
          if (m === null) return fail('expected a key');
          key = m[0];
          pos += key.length;
        }
        skip();
        if (text[pos] !== ':') fail('expected :');
        pos++;
        entries.push([key, parseValue()]);
        skip();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') {
          pos++;
          return { kind: 'object', entries };
        } else fail('expected , or }');
      }
    }
    const word = /^(true|false|null|NaN|-?Infinity)\b/.exec(text.slice(pos));
    if (word !== null) {
      pos += word[0].length;
      if (word[0] === 'true' || word[0] === 'false') return { kind: 'boolean', value: word[0] === 'true' };
      if (word[0] === 'null') return { kind: 'null' };
      return { kind: 'number', value: Number(word[0]), text: word[0] };
    }
    const num = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(pos));
    if (num !== null) {
      pos += num[0].length;
      return { kind: 'number', value: Number(num[0]), text: num[0] };
    }
    return fail('unexpected character');
  };
  const value = parseValue();
  skip();
  if (pos !== text.length) fail('trailing text');
  return value;
}

/**
 * The tolerance a stated number implies. An integer literal (no `.` or exponent) must match to
 * 1e-12 relative (float round-off only); a literal with `k` digits after the point (adjusted by
 * its exponent) means "rounds to this", i.e. `|actual − stated| ≤ ½·10⁻ᵏ`.
 */
export function statedTolerance(text: string, value: number): number {
  const m = /^-?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null || !Number.isFinite(value)) return 0;
  if (m[2] === undefined && m[3] === undefined) return 1e-12 * Math.max(1, Math.abs(value));
  const decimals = (m[2]?.length ?? 0) - Number(m[3] ?? 0);
  return 0.5 * 10 ** -decimals * (1 + 1e-9);
}

function normalise(actual: unknown): unknown {
  if (ArrayBuffer.isView(actual) && !(actual instanceof DataView)) return Array.from(actual as unknown as ArrayLike<number>);
  if (actual !== null && typeof actual === 'object' && typeof (actual as { toJSON?: unknown }).toJSON === 'function') {
    return (actual as { toJSON: () => unknown }).toJSON();
  }
  return actual;
}

/** Renders an actual value for a failure message (typed arrays as arrays, short). */
export function describeActual(actual: unknown): string {
  try {
    const s = JSON.stringify(actual, (_k, v: unknown) => {
      const n = normalise(v);
      if (typeof n === 'number' && !Number.isFinite(n)) return String(n);
      if (typeof n === 'bigint') return `${n}n`;
      return n;
    });
    if (s === undefined) return String(actual);
    return s.length > 300 ? `${s.slice(0, 297)}...` : s;
  } catch {
    return String(actual);
  }
}

/**
 * Compares an actual value with a stated one; returns `undefined` when they match, otherwise
 * a description of the first difference (with its path, e.g. `[1][0]`).
 */
export function compareStated(actual: unknown, stated: StatedValue, path = ''): string | undefined {
  const a = normalise(actual);
  const at = path === '' ? '' : ` at ${path}`;
  switch (stated.kind) {
    case 'number': {
      if (typeof a !== 'number') return `expected a number${at}, got ${describeActual(a)}`;
      if (Number.isNaN(stated.value)) return Number.isNaN(a) ? undefined : `expected NaN${at}, got ${a}`;
      if (a === stated.value) return undefined;
      const tol = statedTolerance(stated.text, stated.value);
      if (Number.isFinite(a) && Math.abs(a - stated.value) <= tol) return undefined;
      return `${a}${at} does not match the stated ${stated.text} (tolerance ±${tol.toPrecision(3)} from its printed precision)`;
    }
    case 'string':
      return a === stated.value ? undefined : `expected ${JSON.stringify(stated.value)}${at}, got ${describeActual(a)}`;
    case 'boolean':
      return a === stated.value ? undefined : `expected ${stated.value}${at}, got ${describeActual(a)}`;
    case 'null':
      return a === null ? undefined : `expected null${at}, got ${describeActual(a)}`;
    case 'array': {
      if (!Array.isArray(a)) return `expected an array${at}, got ${describeActual(a)}`;
      if (a.length !== stated.items.length) return `expected length ${stated.items.length}${at}, got length ${a.length}: ${describeActual(a)}`;
      for (let i = 0; i < a.length; i++) {
        const diff = compareStated(a[i], stated.items[i]!, `${path}[${i}]`);
        if (diff !== undefined) return diff;
      }
      return undefined;
    }
    case 'object': {
      if (a === null || typeof a !== 'object' || Array.isArray(a)) return `expected an object${at}, got ${describeActual(a)}`;
      const record = a as Record<string, unknown>;
      const actualKeys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
      const statedKeys = stated.entries.map(([k]) => k).sort();
      if (actualKeys.join('\u0000') !== statedKeys.join('\u0000')) {
        return `expected the keys {${statedKeys.join(', ')}}${at}, got {${actualKeys.join(', ')}}`;
      }
      for (const [key, value] of stated.entries) {
        const diff = compareStated(record[key], value, `${path}.${key}`);
        if (diff !== undefined) return diff;
      }
      return undefined;
    }
  }
}

/** What an example line asserts. */
export type LineAssertion = { kind: 'value'; code: string; stated: string } | { kind: 'throws'; code: string; errorName: string };

/**
 * Reads a `code; // => value` or `code; // throws ErrorName` line; `undefined` for other lines.
 * A declaration `const x = expr; // => v` asserts the value of `x`.
 */
export function parseAssertionLine(text: string): LineAssertion | undefined {
  const throws = /^(.*?)\/\/\s*throws\s+([A-Za-z_$][\w$]*)\s*$/.exec(text);
  if (throws !== null) return { kind: 'throws', code: stripSemicolon(throws[1]!), errorName: throws[2]! };
  const arrow = text.indexOf('// =>');
  if (arrow < 0) return undefined;
  return { kind: 'value', code: stripSemicolon(text.slice(0, arrow)), stated: text.slice(arrow + 5).trim() };
}

function stripSemicolon(code: string): string {
  return code.trim().replace(/;\s*$/, '');
}

/**
 * Rewrites an example into the body of an async function: import lines are dropped (the
 * package exports are in scope), and assertion lines become `await __expect(...)` /
 * `await __expectThrows(...)` calls carrying their source line.
 */
export function instrumentExample(example: ExtractedExample): { code: string; assertions: number } {
  let assertions = 0;
  const out: string[] = [];
  for (const { text, line } of example.lines) {
    if (/^\s*import\s.*from\s+['"][^'"]+['"];?\s*$/.test(text) || /^\s*import\s+['"][^'"]+['"];?\s*$/.test(text)) {
      out.push('');
      continue;
    }
    const assertion = parseAssertionLine(text);
    if (assertion === undefined) {
      out.push(text);
      continue;
    }
    assertions++;
    const codeLiteral = JSON.stringify(assertion.code);
    if (assertion.kind === 'throws') {
      out.push(`await __expectThrows(async () => { ${assertion.code}; }, ${JSON.stringify(assertion.errorName)}, ${line}, ${codeLiteral});`);
      continue;
    }
    const declaration = /^(const|let|var)\s+([A-Za-z_$][\w$]*)\b/.exec(assertion.code);
    if (declaration !== null) {
      out.push(`${assertion.code}; await __expect(async () => ${declaration[2]}, ${JSON.stringify(assertion.stated)}, ${line}, ${codeLiteral});`);
    } else {
      out.push(`await __expect(async () => (${assertion.code}), ${JSON.stringify(assertion.stated)}, ${line}, ${codeLiteral});`);
    }
  }
  return { code: out.join('\n'), assertions };
}
