import { describe, expect, it } from 'vitest';
import { UsageError } from './errors';
import { parseCommandLine, type FlagSpecs } from './parse-flags';

const flags = {
  json: { type: 'boolean', description: 'json' },
  seed: { type: 'integer', min: 0, default: 0, description: 'seed' },
  width: { type: 'integer', min: 1, max: 10, description: 'width' },
  lr: { type: 'number', exclusiveMin: 0, description: 'learning rate' },
  shift: { type: 'number', description: 'shift' },
  init: { type: 'string', choices: ['identity', 'gaussian'], default: 'gaussian', description: 'init' },
  out: { type: 'string', short: 'o', valueName: '<file>', description: 'output' },
} as const satisfies FlagSpecs;
const spec = { commandPath: 'shallowscape test', flags };

function parse(args: string[]) {
  const result = parseCommandLine(spec, args);
  if (result.help) throw new Error('unexpected help');
  return result;
}

function usageMessage(args: string[], s = spec): string {
  try {
    parseCommandLine(s, args);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error(`expected a UsageError for ${args.join(' ')}`);
}

describe('parseCommandLine', () => {
  it('applies defaults and leaves unset flags undefined', () => {
    expect(parse([]).flags).toEqual({ json: false, seed: 0, width: undefined, lr: undefined, shift: undefined, init: 'gaussian', out: undefined });
  });

  it('converts integers, numbers and choices, with inline and separate values and short aliases', () => {
    const r = parse(['--json', '--seed', '12', '--width=10', '--lr', '1e-3', '--shift=-2.5', '--init', 'identity', '-o', 'w.npy']);
    expect(r.flags).toEqual({ json: true, seed: 12, width: 10, lr: 0.001, shift: -2.5, init: 'identity', out: 'w.npy' });
    expect(r.positionals).toEqual([]);
  });

  it('rejects values outside the declared type or range, naming flag, value and expectation', () => {
    const cases: Array<[string[], string]> = [
      [['--seed', '1.5'], 'invalid value for --seed: "1.5" (expected a non-negative integer)'],
      [['--seed', '9007199254740993'], 'invalid value for --seed: "9007199254740993" (expected a non-negative integer)'],
      [['--width', '0'], 'invalid value for --width: "0" (expected an integer in [1, 10])'],
      [['--width', '11'], 'invalid value for --width: "11" (expected an integer in [1, 10])'],
      [['--lr', '0'], 'invalid value for --lr: "0" (expected a finite number > 0)'],
      [['--lr', '0x10'], 'invalid value for --lr: "0x10" (expected a finite number > 0)'],
      [['--lr', ''], 'invalid value for --lr: "" (expected a finite number > 0)'],
      [['--shift=1e999'], 'invalid value for --shift: "1e999" (expected a finite number)'],
      [['--shift', 'NaN'], 'invalid value for --shift: "NaN" (expected a finite number)'],
      [['--init', 'zeros'], 'invalid value for --init: "zeros" (expected one of: identity, gaussian)'],
    ];
    for (const [args, message] of cases) {
      expect(usageMessage(args)).toBe(`${message}; see 'shallowscape test --help'`);
    }
  });

  it('reports a short unknown flag and a missing short value', () => {
    expect(usageMessage(['-x'])).toBe("unknown flag -x for 'shallowscape test'; see 'shallowscape test --help'");
    expect(usageMessage(['-o'])).toContain('flag --out needs a value (--out <file>)');
  });

  it('treats everything after -- as positionals', () => {
    const withPositionals = { ...spec, positionals: [{ name: 'file', description: 'a file', required: true }] };
    const r = parseCommandLine(withPositionals, ['--', '--json']);
    expect(r).toEqual({ help: false, flags: expect.objectContaining({ json: false }), positionals: ['--json'] });
    expect(usageMessage([], withPositionals)).toBe("missing argument <file> for 'shallowscape test'; see 'shallowscape test --help'");
    expect(usageMessage(['a', 'b'], withPositionals)).toContain('unexpected argument "b"');
  });

  it('returns help when -h or --help appears before --, whatever else is there', () => {
    expect(parseCommandLine(spec, ['--seed', 'x', '-h'])).toEqual({ help: true });
    expect(parseCommandLine(spec, ['--nope', '--help'])).toEqual({ help: true });
    expect(usageMessage(['--', '--help'])).toContain('unexpected argument "--help"');
  });

  it('rejects a reserved or malformed flag spec as a programming error', () => {
    expect(() => parseCommandLine({ commandPath: 'x', flags: { help: { type: 'boolean', description: '' } } }, [])).toThrow(/reserved/);
    expect(() => parseCommandLine({ commandPath: 'x', flags: { gradOut: { type: 'string', description: '' } } }, [])).toThrow(/kebab-case/);
  });

  it('collects a repeatable flag into a list, in order, and takes every remaining argument into a variadic positional', () => {
    const spec = {
      commandPath: 'x',
      flags: { arg: { type: 'string', multiple: true, description: '' }, mode: { type: 'string', choices: ['a', 'b'], multiple: true, description: '' } },
      positionals: [
        { name: 'OUT', description: '', required: true },
        { name: 'IN', description: '', required: true, variadic: true },
      ],
    } as const;
    expect(parseCommandLine(spec, ['o', 'i1', '--arg=--x=1', 'i2', '--arg', 'y z', 'i3'])).toEqual({ help: false, flags: { arg: ['--x=1', 'y z'], mode: [] }, positionals: ['o', 'i1', 'i2', 'i3'] });
    expect(() => parseCommandLine(spec, ['o', 'i', '--mode', 'a', '--mode', 'c'])).toThrow(/invalid value for --mode: "c" \(expected one of: a, b\)/);
    expect(() => parseCommandLine(spec, ['o'])).toThrow(/missing argument <IN>/);
  });
});
