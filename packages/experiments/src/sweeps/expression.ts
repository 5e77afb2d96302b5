/**
 * A small expression language for sweep files and result filters: arithmetic, comparisons and
 * logic over named values, parsed by a recursive-descent parser into a tree and evaluated by
 * walking it. It never calls `eval` or `new Function`: a sweep file is data.
 *
 * Grammar, lowest precedence first:
 *
 * | level | forms | associativity |
 * | --- | --- | --- |
 * | conditional | `c ? a : b` | right |
 * | or | `a \|\| b`, `a or b` | left |
 * | and | `a && b`, `a and b` | left |
 * | comparison | `== != < <= > >=` | none (`a < b < c` is an error) |
 * | sum | `+ -` | left |
 * | product | `* / %` | left |
 * | unary | `-a`, `+a`, `!a`, `not a` | prefix |
 * | power | `a ^ b` | right (`2^3^2 = 512`, `-2^2 = -4`) |
 * | primary | numbers, `"text"`, names, `f(…)`, `( … )` | |
 *
 * - Numbers: `1`, `1.5`, `.5`, `1e-6`, `2.5E3`. Text: `"…"` or `'…'` (escapes `\"`, `\'`, `\\`).
 * - Names: `[A-Za-z_][A-Za-z0-9_]*`, with dots for nested values (`certificate.energyBarrier.belowBarrier`).
 *   A flag with hyphens is written with underscores (`teacher_width` for `teacher-width`): `-`
 *   is subtraction. `true`, `false`, `pi` and `e` are constants unless a variable has the name.
 * - Functions: `sqrt exp log log2 log10 abs floor ceil round` (one argument; `round` rounds half
 *   away from zero), `min max` (one or more), `pow(a, b)`.
 * - Types: arithmetic takes numbers, `and`/`or`/`not` booleans (no truthiness), `==`/`!=` any two
 *   values of one type, `<`… numbers or texts. Division by zero follows IEEE 754 (`1/0 = Infinity`).
 * - Limits: at most 1000 characters and 64 levels of nesting.
 *
 * @packageDocumentation
 */
import { ShallowscapeError } from '@shallowscape/linalg';

/** A value of the language. */
export type ExpressionValue = number | boolean | string;

/** A parsed expression. */
export type Expression =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'variable'; name: string; position: number }
  | { kind: 'unary'; op: '-' | '+' | '!'; operand: Expression }
  | { kind: 'binary'; op: BinaryOperator; left: Expression; right: Expression }
  | { kind: 'call'; name: string; args: Expression[]; position: number }
  | { kind: 'conditional'; test: Expression; then: Expression; otherwise: Expression };

/** The binary operators of an {@link Expression}, after aliases (`and` → `&&`, `**` → `^`). */
export type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

/** An expression that does not parse or cannot be evaluated; `position` is the 0-based offset (−1 when evaluating). */
export class ExpressionError extends ShallowscapeError {
  /** The 0-based character offset of the problem in the source, or −1 for an evaluation error. */
  readonly position: number;
  constructor(message: string, position: number) {
    super(message, 'E_EXPRESSION');
    this.position = position;
  }
}

/** The most characters an expression may have. */
export const MAX_EXPRESSION_LENGTH = 1000;
/** The deepest nesting an expression may have. */
export const MAX_EXPRESSION_DEPTH = 64;

const FUNCTIONS: Readonly<Record<string, { arity: [number, number]; apply: (args: number[]) => number }>> = {
  sqrt: { arity: [1, 1], apply: ([x]) => Math.sqrt(x!) },
  exp: { arity: [1, 1], apply: ([x]) => Math.exp(x!) },
  log: { arity: [1, 1], apply: ([x]) => Math.log(x!) },
  log2: { arity: [1, 1], apply: ([x]) => Math.log2(x!) },
  log10: { arity: [1, 1], apply: ([x]) => Math.log10(x!) },
  abs: { arity: [1, 1], apply: ([x]) => Math.abs(x!) },
  floor: { arity: [1, 1], apply: ([x]) => Math.floor(x!) },
  ceil: { arity: [1, 1], apply: ([x]) => Math.ceil(x!) },
  round: { arity: [1, 1], apply: ([x]) => Math.sign(x!) * Math.round(Math.abs(x!)) },
  min: { arity: [1, Infinity], apply: (xs) => Math.min(...xs) },
  max: { arity: [1, Infinity], apply: (xs) => Math.max(...xs) },
  pow: { arity: [2, 2], apply: ([a, b]) => Math.pow(a!, b!) },
};

const CONSTANTS: Readonly<Record<string, ExpressionValue>> = { pi: Math.PI, e: Math.E, true: true, false: false };

type Token =
  | { type: 'number'; value: number; pos: number }
  | { type: 'string'; value: string; pos: number }
  | { type: 'name'; value: string; pos: number }
  | { type: 'op'; value: string; pos: number }
  | { type: 'end'; pos: number };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '**', '+', '-', '*', '/', '%', '^', '<', '>', '!', '(', ')', ',', '?', ':'];
const WORD_OPERATORS: Readonly<Record<string, string>> = { and: '&&', or: '||', not: '!' };

function describeToken(t: Token): string {
  if (t.type === 'end') return 'the end';
  if (t.type === 'string') return JSON.stringify(t.value);
  return `'${String(t.value)}'`;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const fail = (message: string, pos: number): never => {
    throw new ExpressionError(`${message} at column ${pos + 1} of ${JSON.stringify(source)}`, pos);
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i));
    if (number !== null) {
      tokens.push({ type: 'number', value: Number(number[0]), pos: i });
      i += number[0].length;
      if (i < source.length && /[A-Za-z_]/.test(source[i]!)) fail(`unexpected '${source[i]}' after the number ${number[0]}`, i);
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(source.slice(i));
    if (name !== null) {
      const word = WORD_OPERATORS[name[0]];
      tokens.push(word !== undefined ? { type: 'op', value: word, pos: i } : { type: 'name', value: name[0], pos: i });
      i += name[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= source.length) fail('unterminated text', i);
        const ch = source[j]!;
        if (ch === c) break;
        if (ch === '\\') {
          const next = source[j + 1];
          if (next !== '"' && next !== "'" && next !== '\\') fail(`unknown escape '\\${next ?? ''}' in text`, j);
          value += next;
          j += 2;
          continue;
        }
        value += ch;
        j++;
      }
      tokens.push({ type: 'string', value, pos: i });
      i = j + 1;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op === undefined) fail(`unexpected character '${c}'`, i);
    tokens.push({ type: 'op', value: op === '**' ? '^' : op!, pos: i });
    i += op!.length;
  }
  tokens.push({ type: 'end', pos: source.length });
  return tokens;
}

/**
 * Parses an expression.
 *
 * @param source - the text, e.g. `"round(ratio * d*(d+1)/2)"`.
 * @returns its tree.
 * @throws {@link ExpressionError} naming the column of the first problem.
 * @example
 * ```ts
 * parseExpression('2^3^2').kind; // => "binary"
 * ```
 */
export function parseExpression(source: string): Expression {
  if (source.length > MAX_EXPRESSION_LENGTH) throw new ExpressionError(`the expression has ${source.length} characters, more than ${MAX_EXPRESSION_LENGTH}`, MAX_EXPRESSION_LENGTH);
  const tokens = tokenize(source);
  let k = 0;
  let depth = 0;
  const peek = (): Token => tokens[k]!;
  const fail = (message: string, t: Token): never => {
    throw new ExpressionError(`${message} at column ${t.pos + 1} of ${JSON.stringify(source)}`, t.pos);
  };
  const isOp = (value: string): boolean => {
    const t = peek();
    return t.type === 'op' && t.value === value;
  };
  const expect = (value: string, what: string): void => {
    if (!isOp(value)) fail(`expected ${what}, found ${describeToken(peek())}`, peek());
    k++;
  };
  const nested = <T>(t: Token, f: () => T): T => {
    if (++depth > MAX_EXPRESSION_DEPTH) fail(`the expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep`, t);
    try {
      return f();
    } finally {
      depth--;
    }
  };

  const conditional = (): Expression =>
    nested(peek(), () => {
      const test = or();
      if (!isOp('?')) return test;
      k++;
      const then = conditional();
      expect(':', "':' of a conditional");
      const otherwise = conditional();
      return { kind: 'conditional', test, then, otherwise };
    });
  const leftAssociative = (ops: readonly string[], next: () => Expression) => (): Expression => {
    let left = next();
    while (peek().type === 'op' && ops.includes((peek() as { value: string }).value)) {
      const op = (tokens[k++] as { value: string }).value as BinaryOperator;
      left = { kind: 'binary', op, left, right: next() };
    }
    return left;
  };
  const comparison = (): Expression => {
    const left = sum();
    const t = peek();
    if (t.type === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.value)) {
      k++;
      const right = sum();
      const after = peek();
      if (after.type === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(after.value)) fail(`comparisons do not chain: write (a ${t.value} b) && (b ${after.value} c)`, after);
      return { kind: 'binary', op: t.value as BinaryOperator, left, right };
    }
    return left;
  };
  const unary = (): Expression => {
    const t = peek();
    if (t.type === 'op' && (t.value === '-' || t.value === '+' || t.value === '!')) {
      k++;
      return nested(t, () => ({ kind: 'unary', op: t.value as '-' | '+' | '!', operand: unary() }));
    }
    return power();
  };
  const power = (): Expression => {
    const base = primary();
    if (!isOp('^')) return base;
    const t = tokens[k++]!;
    // Right-associative, and the exponent may carry a sign: 2^-1.
    return nested(t, () => ({ kind: 'binary', op: '^', left: base, right: unary() }));
  };
  const primary = (): Expression => {
    const t = peek();
    if (t.type === 'number') {
      k++;
      return { kind: 'number', value: t.value };
    }
    if (t.type === 'string') {
      k++;
      return { kind: 'string', value: t.value };
    }
    if (t.type === 'name') {
      k++;
      if (!isOp('(')) return { kind: 'variable', name: t.value, position: t.pos };
      k++;
      if (FUNCTIONS[t.value] === undefined) {
        const near = closest(t.value, Object.keys(FUNCTIONS));
        fail(`unknown function '${t.value}'${near !== undefined ? ` (did you mean '${near}'?)` : ''}; functions: ${Object.keys(FUNCTIONS).join(', ')}`, t);
      }
      const args: Expression[] = [];
      if (!isOp(')')) {
        args.push(conditional());
        while (isOp(',')) {
          k++;
          args.push(conditional());
        }
      }
      expect(')', `')' closing ${t.value}(`);
      const [lo, hi] = FUNCTIONS[t.value]!.arity;
      if (args.length < lo || args.length > hi) {
        fail(`${t.value}() takes ${lo === hi ? lo : hi === Infinity ? `at least ${lo}` : `${lo} to ${hi}`} argument${hi === 1 ? '' : 's'}, got ${args.length}`, t);
      }
      return { kind: 'call', name: t.value, args, position: t.pos };
    }
    if (isOp('(')) {
      k++;
      const inner = conditional();
      expect(')', "')'");
      return inner;
    }
    return fail(t.type === 'end' ? 'unexpected end of the expression' : `unexpected ${describeToken(t)}`, t);
  };
  const product = leftAssociative(['*', '/', '%'], unary);
  const sum = leftAssociative(['+', '-'], product);
  const and = leftAssociative(['&&'], comparison);
  const or = leftAssociative(['||'], and);

  if (tokens.length === 1) fail('empty expression', tokens[0]!);
  const expression = conditional();
  if (peek().type !== 'end') fail(`unexpected ${describeToken(peek())}`, peek());
  return expression;
}

/** The closest name within edit distance 2. */
function closest(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of names) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function typeName(v: ExpressionValue): string {
  return typeof v === 'number' ? 'a number' : typeof v === 'boolean' ? 'true/false' : 'text';
}

/**
 * Evaluates an expression.
 *
 * @param expr - a parsed expression.
 * @param variables - the values of its names (variables shadow the constants `pi`, `e`).
 * @returns its value.
 * @throws {@link ExpressionError} for an unknown name or a value of the wrong type.
 * @example
 * ```ts
 * evaluateExpression(parseExpression('round(ratio * d*(d+1)/2)'), { ratio: 1.5, d: 6 }); // => 32
 * evaluateExpression(parseExpression('relativeError < 1e-6 && converged'), { relativeError: 1e-9, converged: true }); // => true
 * ```
 */
export function evaluateExpression(expr: Expression, variables: Readonly<Record<string, ExpressionValue>>): ExpressionValue {
  const fail = (message: string): never => {
    throw new ExpressionError(message, -1);
  };
  const number = (v: ExpressionValue, what: string): number => (typeof v === 'number' ? v : fail(`${what} needs a number, got ${typeName(v)} (${JSON.stringify(v)})`));
  const boolean = (v: ExpressionValue, what: string): boolean => (typeof v === 'boolean' ? v : fail(`${what} needs true or false, got ${typeName(v)} (${JSON.stringify(v)})`));
  const walk = (e: Expression): ExpressionValue => {
    switch (e.kind) {
      case 'number':
      case 'string':
        return e.value;
      case 'variable': {
        if (Object.prototype.hasOwnProperty.call(variables, e.name)) return variables[e.name]!;
        if (Object.prototype.hasOwnProperty.call(CONSTANTS, e.name)) return CONSTANTS[e.name]!;
        const names = Object.keys(variables);
        const near = closest(e.name, names);
        return fail(`unknown name '${e.name}'${near !== undefined ? ` (did you mean '${near}'?)` : ''}; known: ${names.length > 0 ? names.join(', ') : 'none'}`);
      }
      case 'unary': {
        const v = walk(e.operand);
        if (e.op === '!') return !boolean(v, "'not'");
        const x = number(v, `unary '${e.op}'`);
        return e.op === '-' ? -x : x;
      }
      case 'call':
        return FUNCTIONS[e.name]!.apply(e.args.map((a) => number(walk(a), `${e.name}()`)));
      case 'conditional':
        return boolean(walk(e.test), "the condition of '?'") ? walk(e.then) : walk(e.otherwise);
      case 'binary': {
        if (e.op === '&&') return boolean(walk(e.left), "'and'") ? boolean(walk(e.right), "'and'") : false;
        if (e.op === '||') return boolean(walk(e.left), "'or'") ? true : boolean(walk(e.right), "'or'");
        const a = walk(e.left);
        const b = walk(e.right);
        if (e.op === '==' || e.op === '!=') {
          if (typeof a !== typeof b) fail(`'${e.op}' compares values of one type, got ${typeName(a)} and ${typeName(b)}`);
          return e.op === '==' ? a === b : a !== b;
        }
        if (e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>=') {
          if (typeof a === 'boolean' || typeof b === 'boolean' || typeof a !== typeof b) fail(`'${e.op}' compares two numbers or two texts, got ${typeName(a)} and ${typeName(b)}`);
          const [x, y] = [a as number | string, b as number | string];
          return e.op === '<' ? x < y : e.op === '<=' ? x <= y : e.op === '>' ? x > y : x >= y;
        }
        const x = number(a, `'${e.op}'`);
        const y = number(b, `'${e.op}'`);
        switch (e.op) {
          case '+':
            return x + y;
          case '-':
            return x - y;
          case '*':
            return x * y;
          case '/':
            return x / y;
          case '%':
            return x % y;
          case '^':
            return Math.pow(x, y);
        }
      }
    }
    return fail('unreachable');
  };
  return walk(expr);
}

/**
 * The names an expression uses, in order of first appearance (constants included when used).
 *
 * @example
 * ```ts
 * expressionVariables(parseExpression('round(ratio * d*(d+1)/2)')); // => ["ratio","d"]
 * ```
 */
export function expressionVariables(expr: Expression): string[] {
  const names: string[] = [];
  const walk = (e: Expression): void => {
    if (e.kind === 'variable') {
      if (!names.includes(e.name)) names.push(e.name);
    } else if (e.kind === 'unary') walk(e.operand);
    else if (e.kind === 'binary') {
      walk(e.left);
      walk(e.right);
    } else if (e.kind === 'call') e.args.forEach(walk);
    else if (e.kind === 'conditional') {
      walk(e.test);
      walk(e.then);
      walk(e.otherwise);
    }
  };
  walk(expr);
  return names;
}

/**
 * The canonical text of an expression, fully parenthesised: `parseExpression(formatExpression(e))`
 * is the same tree.
 *
 * @example
 * ```ts
 * formatExpression(parseExpression('1 + 2*x^2')); // => "(1 + (2 * (x ^ 2)))"
 * ```
 */
export function formatExpression(expr: Expression): string {
  switch (expr.kind) {
    case 'number':
      return String(expr.value);
    case 'string':
      return JSON.stringify(expr.value);
    case 'variable':
      return expr.name;
    case 'unary':
      return `(${expr.op}${formatExpression(expr.operand)})`;
    case 'binary':
      return `(${formatExpression(expr.left)} ${expr.op} ${formatExpression(expr.right)})`;
    case 'call':
      return `${expr.name}(${expr.args.map(formatExpression).join(', ')})`;
    case 'conditional':
      return `(${formatExpression(expr.test)} ? ${formatExpression(expr.then)} : ${formatExpression(expr.otherwise)})`;
  }
}
