import { describe, expect, it } from 'vitest';
import { ExpressionError, MAX_EXPRESSION_DEPTH, evaluateExpression, expressionVariables, formatExpression, parseExpression, type ExpressionValue } from './expression';

const run = (source: string, vars: Record<string, ExpressionValue> = {}): ExpressionValue => evaluateExpression(parseExpression(source), vars);
const parseError = (source: string): ExpressionError => {
  try {
    parseExpression(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    return error as ExpressionError;
  }
  throw new Error(`${source} parsed`);
};
const evalError = (source: string, vars: Record<string, ExpressionValue> = {}): string => {
  const expr = parseExpression(source);
  try {
    evaluateExpression(expr, vars);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).position).toBe(-1);
    return (error as Error).message;
  }
  throw new Error(`${source} evaluated`);
};

describe('expressions: arithmetic', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['1 - 2 - 3', -4],
    ['12 / 3 / 2', 2],
    ['7 % 3', 1],
    ['-7 % 3', -1],
    ['2^3^2', 512],
    ['2**3', 8],
    ['-2^2', -4],
    ['(-2)^2', 4],
    ['2^-1', 0.5],
    ['--3', 3],
    ['+4', 4],
    ['.5 + 1e-1 + 2.5E1', 25.6],
    ['sqrt(16) + abs(-2) + floor(2.7) + ceil(2.1)', 11],
    ['round(2.5) + round(-2.5) + round(0.49)', 0],
    ['round(3.5)', 4],
    ['min(3, 1, 2) + max(1, 5)', 6],
    ['pow(2, 10)', 1024],
    ['log(e) + log2(8) + log10(1000)', 7],
    ['exp(0)', 1],
    ['1 / 0', Infinity],
  ])('%s = %s', (source, value) => {
    expect(run(source)).toBeCloseTo(value as number, 14);
  });

  it('evaluates the sweep example ratio * d*(d+1)/2', () => {
    expect(run('ratio * d*(d+1)/2', { ratio: 1.5, d: 6 })).toBe(31.5);
    expect(run('round(ratio * d*(d+1)/2)', { ratio: 1.5, d: 6 })).toBe(32);
    expect(run('kappa - kappa^2/2', { kappa: 0.5 })).toBe(0.375);
  });

  it('knows pi, and variables shadow constants', () => {
    expect(run('pi')).toBe(Math.PI);
    expect(run('e * 2', { e: 3 })).toBe(6);
  });
});

describe('expressions: comparisons, logic, text', () => {
  it.each([
    ['relativeError < 1e-6 && converged', { relativeError: 1e-9, converged: true }, true],
    ['relativeError < 1e-6 and converged', { relativeError: 1e-3, converged: true }, false],
    ['a <= 2 || b', { a: 3, b: true }, true],
    ['not (a > 2)', { a: 3 }, false],
    ['!false', {}, true],
    ['stopReason == "converged"', { stopReason: 'converged' }, true],
    ["stopReason != 'converged'", { stopReason: 'max-steps' }, true],
    ['"abc" < "abd"', {}, true],
    ['certificate.energyBarrier.belowBarrier', { 'certificate.energyBarrier.belowBarrier': true }, true],
    ['x > 0 ? 1 : 2', { x: -1 }, 2],
    ['x > 0 ? 1 : x < -5 ? 2 : 3', { x: -1 }, 3],
    ['1 + 2 == 3', {}, true],
    ['"a\\"b" == \'a"b\'', {}, true],
  ])('%s', (source, vars, value) => {
    expect(run(source, vars as Record<string, ExpressionValue>)).toBe(value);
  });

  it('short-circuits: the right side of a decided and/or is not evaluated', () => {
    expect(run('false && missing')).toBe(false);
    expect(run('true || missing')).toBe(true);
  });
});

describe('expressions: errors', () => {
  it.each([
    ['1 +', 4, /unexpected end of the expression at column 4/],
    ['(1', 3, /expected '\)', found the end/],
    ['1 2', 3, /unexpected '2' at column 3/],
    ['a < b < c', 7, /comparisons do not chain/],
    ['foo(1)', 1, /unknown function 'foo'/],
    ['sqr(1)', 1, /did you mean 'sqrt'/],
    ['@', 1, /unexpected character '@' at column 1/],
    ['"abc', 1, /unterminated text/],
    ['', 1, /empty expression/],
    ['sqrt(1, 2)', 1, /sqrt\(\) takes 1 argument, got 2/],
    ['pow(1)', 1, /pow\(\) takes 2 arguments, got 1/],
    ['1 ? 2', 6, /expected ':' of a conditional/],
    ['2x', 2, /unexpected 'x' after the number 2/],
    ['a-', 3, /unexpected end/],
  ])('%j: column %d', (source, column, pattern) => {
    const error = parseError(source);
    expect(error.message).toMatch(pattern);
    expect(error.position).toBe(column - 1);
    expect(error.code).toBe('E_EXPRESSION');
  });

  it('unknown names list the known ones and suggest a close one', () => {
    expect(evalError('ratoi * 2', { ratio: 1, d: 2 })).toBe("unknown name 'ratoi' (did you mean 'ratio'?); known: ratio, d");
    expect(evalError('q', {})).toBe("unknown name 'q'; known: none");
  });

  it.each([
    ['1 + true', /'\+' needs a number, got true\/false/],
    ['!1', /'not' needs true or false, got a number/],
    ['1 && true', /'and' needs true or false/],
    ['1 == "1"', /compares values of one type/],
    ['true < false', /compares two numbers or two texts/],
    ['sqrt("a")', /sqrt\(\) needs a number, got text/],
    ['1 ? 2 : 3', /the condition of '\?' needs true or false/],
  ])('%s is a type error', (source, pattern) => {
    expect(evalError(source)).toMatch(pattern);
  });

  it('limits length and depth', () => {
    expect(() => parseExpression('1+'.repeat(600) + '1')).toThrow(/more than 1000/);
    expect(parseError('('.repeat(MAX_EXPRESSION_DEPTH + 1) + '1' + ')'.repeat(MAX_EXPRESSION_DEPTH + 1)).message).toMatch(/nested more than 64 levels/);
    expect(parseError('-'.repeat(200) + '1').message).toMatch(/nested more than 64 levels/);
    expect(run('('.repeat(30) + '1' + ')'.repeat(30))).toBe(1);
  });
});

describe('expressions: names and canonical text', () => {
  it('lists the names in order of first appearance', () => {
    expect(expressionVariables(parseExpression('round(ratio * d*(d+1)/2) + ratio'))).toEqual(['ratio', 'd']);
    expect(expressionVariables(parseExpression('1 + 2'))).toEqual([]);
  });

  it.each(['1 + 2 * 3', '-2^2', '2^3^2', 'a < b && !c || d', 'x > 0 ? min(x, 1) : -x', 's == "a\\"b"', '(1 - 2) - (3 - 4)', 'round(ratio * d*(d+1)/2)'])(
    'format then parse gives the same tree and value: %s',
    (source) => {
      const expr = parseExpression(source);
      expect(parseExpression(formatExpression(expr))).toEqual(expect.objectContaining({ kind: expr.kind }));
      expect(formatExpression(parseExpression(formatExpression(expr)))).toBe(formatExpression(expr));
      const vars = { a: 1, b: 2, c: false, d: true, x: 0.5, s: 'a"b', ratio: 1.5 };
      expect(evaluateExpression(parseExpression(formatExpression(expr)), { ...vars, d: source.includes('ratio') ? 6 : true })).toEqual(
        evaluateExpression(expr, { ...vars, d: source.includes('ratio') ? 6 : true }),
      );
    },
  );
});
