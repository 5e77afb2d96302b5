import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { InvalidArgumentError, Matrix, throwIfAborted } from '@shallowscape/linalg';
import { defineCommand, type Command } from './command';
import { InterruptedError } from './errors';
import { installInterruptHandler, type SignalSource } from './interrupt';
import { StreamWriteError, guardOutputStream, outputFailure, streamFailureError } from './io/standard-streams';
import { main, runCli } from './main';
import { captureIo } from './testing/captured-io';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};

/** Asserts the one-line error format and returns the line. */
function expectOneErrorLine(stderr: string): string {
  expect(stderr.endsWith('\n')).toBe(true);
  const lines = stderr.slice(0, -1).split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^shallowscape: error: /);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

describe('help', () => {
  it.each([['--help'], ['-h'], ['help']])('%s prints the global help on stdout and exits 0', async (flag) => {
    const io = captureIo();
    expect(await main([flag], io)).toBe(0);
    expect(io.err()).toBe('');
    const out = io.out();
    expect(out).toContain('Usage:');
    expect(out).toMatch(/^\s+linalg-info\s+show the linear-algebra backends/m);
    expect(out).toMatch(/-V, --version\s+print the versions/);
    expect(out).toMatch(/-h, --help\s+show this help/);
    expect(out).toContain('SHALLOWSCAPE_DEBUG=1');
  });

  it.each([
    [['linalg-info', '--help']],
    [['linalg-info', '-h']],
    [['linalg-info', '--json', '--help']],
    [['linalg-info', '--bogus', '--help']],
    [['help', 'linalg-info']],
    [['--help', 'linalg-info']],
  ])('%j prints the command help (flags with descriptions) and exits 0', async (argv) => {
    const io = captureIo();
    expect(await main(argv, io)).toBe(0);
    expect(io.err()).toBe('');
    const out = io.out();
    expect(out).toMatch(/^shallowscape linalg-info: /);
    expect(out).toContain('Usage:\n  shallowscape linalg-info [flags]');
    expect(out).toMatch(/--json\s+print the result as JSON/);
    expect(out).toMatch(/--seed <n>\s+seed of the self-check matrices .*\(a non-negative integer; default: 0\)/);
    expect(out).toMatch(/-h, --help\s+show this help/);
  });

  it('with no command prints the help on stderr and exits 2', async () => {
    const io = captureIo();
    expect(await main([], io)).toBe(2);
    expect(io.out()).toBe('');
    expect(io.err()).toContain('Usage:');
  });

  it('help for an unknown command is a usage error', async () => {
    const io = captureIo();
    expect(await main(['help', 'nope'], io)).toBe(2);
    expect(expectOneErrorLine(io.err())).toContain('"nope"');
  });
});

describe('version', () => {
  it.each([['--version'], ['-V']])('%s prints the CLI version then each @shallowscape package version', async (flag) => {
    const io = captureIo();
    expect(await main([flag], io)).toBe(0);
    expect(io.err()).toBe('');
    const lines = io.out().trimEnd().split('\n');
    expect(lines[0]).toBe(`shallowscape ${manifest.version}`);
    const names = Object.keys(manifest.dependencies).filter((n) => n.startsWith('@shallowscape/'));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const dir = name.replace('@shallowscape/', '');
      const version = (JSON.parse(readFileSync(new URL(`../../../packages/${dir}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  ${name}\\s+${version.replace(/\./g, '\\.')}$`)));
    }
    expect(lines.at(-2)).toMatch(new RegExp(`^  node\\s+${process.version.replace(/\./g, '\\.')} \\(`));
    expect(lines.at(-1)).toMatch(/^ {2}backend\s+\S+ \(float64\)$/);
  });
});

describe('usage errors: one line, exit 2, naming the flag and the value', () => {
  it('an unknown global flag', async () => {
    const io = captureIo();
    expect(await main(['--frobnicate'], io)).toBe(2);
    expect(io.out()).toBe('');
    const line = expectOneErrorLine(io.err());
    expect(line).toContain('unknown flag --frobnicate');
    expect(line).toContain("see 'shallowscape --help'");
  });

  it('an unknown command flag, with a suggestion', async () => {
    const io = captureIo();
    expect(await main(['linalg-info', '--jsn'], io)).toBe(2);
    const line = expectOneErrorLine(io.err());
    expect(line).toBe(
      "shallowscape: error: unknown flag --jsn for 'shallowscape linalg-info' (did you mean --json?); see 'shallowscape linalg-info --help'",
    );
  });

  it('an unknown flag with an inline value shows the value', async () => {
    const io = captureIo();
    expect(await main(['linalg-info', '--colour=red'], io)).toBe(2);
    expect(expectOneErrorLine(io.err())).toContain('unknown flag --colour=red');
  });

  it('a malformed flag value', async () => {
    const io = captureIo();
    expect(await main(['linalg-info', '--seed', 'abc'], io)).toBe(2);
    expect(expectOneErrorLine(io.err())).toBe(
      "shallowscape: error: invalid value for --seed: \"abc\" (expected a non-negative integer); see 'shallowscape linalg-info --help'",
    );
  });

  it('an out-of-range flag value given inline', async () => {
    const io = captureIo();
    expect(await main(['linalg-info', '--seed=-1'], io)).toBe(2);
    expect(expectOneErrorLine(io.err())).toContain('invalid value for --seed: "-1" (expected a non-negative integer)');
  });

  it('a value that looks like a flag', async () => {
    const io = captureIo();
    expect(await main(['linalg-info', '--seed', '-1'], io)).toBe(2);
    expect(expectOneErrorLine(io.err())).toContain('write --seed=-1');
  });

  it('a missing value, a value for a switch, a repeated flag, a stray argument', async () => {
    const cases: Array<[string[], string]> = [
      [['linalg-info', '--seed'], 'flag --seed needs a value (--seed <n>)'],
      [['linalg-info', '--json=yes'], 'flag --json takes no value, got "yes"'],
      [['linalg-info', '--seed', '1', '--seed=2'], "flag --seed is given twice ('--seed 1' and '--seed 2')"],
      [['linalg-info', 'extra'], 'unexpected argument "extra" for \'shallowscape linalg-info\' (it takes no positional arguments)'],
    ];
    for (const [argv, message] of cases) {
      const io = captureIo();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(expectOneErrorLine(io.err())).toContain(message);
    }
  });

  it('an unknown command, with and without a suggestion', async () => {
    let io = captureIo();
    expect(await main(['linalg-inf'], io)).toBe(2);
    expect(expectOneErrorLine(io.err())).toBe(
      "shallowscape: error: unknown command \"linalg-inf\" (did you mean 'linalg-info'?); see 'shallowscape --help' for the list of commands",
    );
    io = captureIo();
    expect(await main(['frobnicate', '--json'], io)).toBe(2);
    const line = expectOneErrorLine(io.err());
    expect(line).toContain('unknown command "frobnicate"; see');
    expect(line).not.toContain('did you mean');
  });
});

describe('the top-level error handler', () => {
  const throwing = (error: unknown): Command =>
    defineCommand({
      name: 'boom',
      summary: 'throws',
      flags: {},
      run() {
        throw error;
      },
    });

  it('prints a typed library error as one line with exit 2 and no stack, even with SHALLOWSCAPE_DEBUG=1', async () => {
    const io = captureIo({ SHALLOWSCAPE_DEBUG: '1' });
    const error = new InvalidArgumentError('seed', -3, 'a non-negative integer');
    expect(await runCli(['boom'], io, [throwing(error)])).toBe(2);
    expect(expectOneErrorLine(io.err())).toBe('shallowscape: error: invalid seed: -3 (expected a non-negative integer)');
  });

  it('prints a ShapeError raised by a real library call', async () => {
    const io = captureIo();
    const command = defineCommand({
      name: 'shape',
      summary: 'fails in the library',
      flags: {},
      run() {
        Matrix.fromRowMajor(2, 3, new Float64Array(5));
      },
    });
    expect(await runCli(['shape'], io, [command])).toBe(2);
    expect(expectOneErrorLine(io.err())).toBe('shallowscape: error: values has length 5, expected 2·3 = 6');
  });

  it('duck-types errors whose code starts with E_ and folds multi-line messages', async () => {
    const io = captureIo();
    const foreign = Object.assign(new Error('first line\n   second line'), { code: 'E_FOREIGN' });
    expect(await runCli(['boom'], io, [throwing(foreign)])).toBe(2);
    expect(expectOneErrorLine(io.err())).toBe('shallowscape: error: first line second line');
  });

  it('reports a missing input file as a usage error naming the path', async () => {
    const io = captureIo();
    const command = defineCommand({
      name: 'read',
      summary: 'reads a file',
      flags: {},
      async run() {
        await readFile('/nonexistent/shallowscape-input.npy');
      },
    });
    expect(await runCli(['read'], io, [command])).toBe(2);
    expect(expectOneErrorLine(io.err())).toBe(
      'shallowscape: error: cannot read "/nonexistent/shallowscape-input.npy": no such file or directory (ENOENT)',
    );
  });

  it('prints an unexpected error as one internal-error line with exit 1', async () => {
    const io = captureIo();
    expect(await runCli(['boom'], io, [throwing(new TypeError('x.y is not a function'))])).toBe(1);
    expect(io.err()).toBe('shallowscape: internal error: x.y is not a function\n');
    const io2 = captureIo();
    expect(await runCli(['boom'], io2, [throwing('a bare string')])).toBe(1);
    expect(io2.err()).toBe('shallowscape: internal error: a bare string\n');
    const io3 = captureIo();
    expect(await runCli(['boom'], io3, [throwing({ code: 'ENOPE' })])).toBe(1);
    expect(io3.err().split('\n')).toHaveLength(2);
  });

  it.each(['Invalid typed array length: 10000000000', 'Array buffer allocation failed'])(
    'reports a failed allocation (%s) as one out-of-memory line with exit 2, not an internal error',
    async (message) => {
      const io = captureIo();
      expect(await runCli(['boom'], io, [throwing(new RangeError(message))])).toBe(2);
      expect(expectOneErrorLine(io.err())).toBe(
        `shallowscape: error: out of memory: an array of the requested size cannot be allocated (${message}); use smaller sizes`,
      );
    },
  );

  it('adds the stack of an internal error only with SHALLOWSCAPE_DEBUG=1', async () => {
    const io = captureIo({ SHALLOWSCAPE_DEBUG: '1' });
    expect(await runCli(['boom'], io, [throwing(new RangeError('bad index'))])).toBe(1);
    const [first, ...rest] = io.err().split('\n');
    expect(first).toBe('shallowscape: internal error: bad index');
    expect(rest.join('\n')).toMatch(/RangeError: bad index\n\s+at /);
  });

  it('passes a command exit code through', async () => {
    const io = captureIo();
    const failing = defineCommand({ name: 'fail', summary: 'returns 1', flags: {}, run: () => 1 });
    expect(await runCli(['fail'], io, [failing])).toBe(1);
    expect(io.err()).toBe('');
  });
});

describe('interrupts', () => {
  it('a command that polls the signal stops with exit 130', async () => {
    const controller = new AbortController();
    const io = captureIo({}, controller.signal);
    let stepsDone = 0;
    const long = defineCommand({
      name: 'long',
      summary: 'polls',
      flags: {},
      async run(ctx) {
        for (let step = 0; step < 100; step++) {
          if (step === 3) controller.abort();
          await ctx.checkpoint();
          stepsDone += 1;
        }
      },
    });
    expect(await runCli(['long'], io, [long])).toBe(130);
    expect(stepsDone).toBe(3);
    expect(io.err()).toBe('shallowscape: interrupted\n');
  });

  it('a command that finishes after an interrupt still exits 130', async () => {
    const controller = new AbortController();
    const io = captureIo({}, controller.signal);
    const quick = defineCommand({ name: 'quick', summary: 'ignores the signal', flags: {}, run: () => controller.abort() });
    expect(await runCli(['quick'], io, [quick])).toBe(130);
  });

  it('linalg-info with an aborted signal exits 130', async () => {
    const controller = new AbortController();
    controller.abort();
    const io = captureIo({}, controller.signal);
    expect(await main(['linalg-info'], io)).toBe(130);
    expect(io.out()).toBe('');
  });

  /** A fake process whose signals the test raises by hand. */
  function fakeProcess(): { source: SignalSource; raise: (signal: 'SIGINT' | 'SIGTERM') => void; exits: number[]; count: () => number } {
    const listeners: Array<[string, () => void]> = [];
    const exits: number[] = [];
    const source: SignalSource = {
      on: (event, listener) => listeners.push([event, listener]),
      off: (event, listener) => listeners.splice(listeners.findIndex(([e, l]) => e === event && l === listener), 1),
      exit: ((code: number) => {
        exits.push(code);
      }) as SignalSource['exit'],
    };
    const raise = (signal: 'SIGINT' | 'SIGTERM'): void => {
      for (const [event, listener] of [...listeners]) if (event === signal) listener();
    };
    return { source, raise, exits, count: () => listeners.length };
  }

  it('the SIGINT handler aborts on the first signal and exits 130 on the second', () => {
    const fake = fakeProcess();
    const controller = new AbortController();
    const io = captureIo();
    const remove = installInterruptHandler(controller, io.stderr, fake.source);
    expect(fake.count()).toBe(2);
    fake.raise('SIGINT');
    expect(controller.signal.aborted).toBe(true);
    expect(controller.signal.reason).toBeInstanceOf(InterruptedError);
    expect((controller.signal.reason as InterruptedError).signal).toBe('SIGINT');
    expect(io.err()).toContain('press Ctrl-C again to quit now');
    expect(fake.exits).toEqual([]);
    fake.raise('SIGINT');
    expect(fake.exits).toEqual([130]);
    remove();
    expect(fake.count()).toBe(0);
  });

  it('SIGTERM aborts like the first Ctrl-C but prints nothing; a second signal exits at once with its code', () => {
    const fake = fakeProcess();
    const controller = new AbortController();
    const io = captureIo();
    installInterruptHandler(controller, io.stderr, fake.source);
    fake.raise('SIGTERM');
    expect(controller.signal.aborted).toBe(true);
    expect((controller.signal.reason as InterruptedError).signal).toBe('SIGTERM');
    expect(io.err()).toBe('');
    expect(fake.exits).toEqual([]);
    fake.raise('SIGTERM');
    expect(fake.exits).toEqual([143]);
    fake.raise('SIGINT');
    expect(fake.exits).toEqual([143, 130]);
  });

  it('calls beforeExit just before a forced exit, and not on the first signal', () => {
    const fake = fakeProcess();
    const calls: string[] = [];
    const source: SignalSource = { ...fake.source, exit: ((code: number) => calls.push(`exit ${code}`)) as SignalSource['exit'] };
    installInterruptHandler(new AbortController(), captureIo().stderr, source, () => calls.push('beforeExit'));
    fake.raise('SIGINT');
    expect(calls).toEqual([]);
    fake.raise('SIGTERM');
    expect(calls).toEqual(['beforeExit', 'exit 143']);
  });

  it.each([
    ['SIGTERM', 143, 'shallowscape: terminated\n'],
    ['SIGINT', 130, 'shallowscape: interrupted\n'],
  ] as const)('after %s a command that returns normally exits %d with one line', async (signal, code, line) => {
    const controller = new AbortController();
    const io = captureIo({}, controller.signal);
    const finishes = defineCommand({
      name: 'finishes',
      summary: 'stops at a safe point and returns',
      flags: {},
      async run(ctx) {
        controller.abort(new InterruptedError(signal));
        await new Promise((resolve) => setTimeout(resolve, 1));
        ctx.stdout.write('partial result\n');
        return 0;
      },
    });
    expect(await runCli(['finishes'], io, [finishes])).toBe(code);
    expect(io.out()).toBe('partial result\n');
    expect(io.err()).toBe(line);
  });

  it.each([
    ['InterruptedError from ctx.checkpoint()', 'checkpoint'],
    ["the library's AbortedError", 'aborted'],
    ['a DOM AbortError', 'dom'],
  ] as const)('after SIGTERM a command that throws %s exits 143 with one line', async (_what, how) => {
    const controller = new AbortController();
    const io = captureIo({}, controller.signal);
    const throws = defineCommand({
      name: 'throws',
      summary: 'stops by throwing',
      flags: {},
      async run(ctx) {
        controller.abort(new InterruptedError('SIGTERM'));
        if (how === 'checkpoint') await ctx.checkpoint();
        if (how === 'aborted') throwIfAborted(ctx.signal, 'the optimiser');
        if (how === 'dom') throw new DOMException('This operation was aborted', 'AbortError');
      },
    });
    expect(await runCli(['throws'], io, [throws])).toBe(143);
    expect(io.err()).toBe('shallowscape: terminated\n');
  });

  it('an input error thrown after a stop is still reported as that error', async () => {
    const controller = new AbortController();
    const io = captureIo({}, controller.signal);
    const bad = defineCommand({
      name: 'bad',
      summary: 'fails on input',
      flags: {},
      run() {
        controller.abort(new InterruptedError('SIGTERM'));
        throw new InvalidArgumentError('seed', -1, 'a non-negative integer');
      },
    });
    expect(await runCli(['bad'], io, [bad])).toBe(2);
    expect(io.err()).toBe('shallowscape: error: invalid seed: -1 (expected a non-negative integer)\n');
  });
});

describe('failed writes to standard output', () => {
  /** A writable stream that fails every write with `code`, asynchronously, as Node's do. */
  function failingStream(code: string): PassThrough {
    return new PassThrough({
      write(_chunk, _encoding, callback) {
        setImmediate(() => callback(Object.assign(new Error(`${code}: write failed`), { code, syscall: 'write' })));
      },
    });
  }

  it.each([
    ['ENOSPC', 'no space left on device (ENOSPC)'],
    ['EBADF', 'the file descriptor is closed or not open for writing (EBADF)'],
    ['EIO', 'input/output error (EIO)'],
  ])('%s: main waits for the output, then one line naming standard output, exit 2', async (code, reason) => {
    const controller = new AbortController();
    const stderr = captureIo();
    const stdout = guardOutputStream(failingStream(code), 'standard output', (error) => controller.abort(error));
    const result = await main(['linalg-info', '--json'], { stdout, stderr: stderr.stderr, env: {}, signal: controller.signal });
    expect(result).toBe(2);
    expect(stderr.err()).toBe(`shallowscape: error: cannot write to standard output: ${reason}\n`);
  });

  it('EPIPE (the reader went away): no message, exit 141', async () => {
    const controller = new AbortController();
    const stderr = captureIo();
    const stdout = guardOutputStream(failingStream('EPIPE'), 'standard output', (error) => controller.abort(error));
    expect(await main(['--version'], { stdout, stderr: stderr.stderr, env: {}, signal: controller.signal })).toBe(141);
    expect(stderr.err()).toBe('');
  });

  it('a long command is stopped at its next safe point by the failure, and what it computed is kept', async () => {
    const controller = new AbortController();
    const stderr = captureIo();
    const stdout = guardOutputStream(failingStream('ENOSPC'), 'standard output', (error) => controller.abort(error));
    let steps = 0;
    let savedAfterStop = false;
    const long = defineCommand({
      name: 'long',
      summary: 'prints progress and polls',
      flags: {},
      async run(ctx) {
        try {
          for (; steps < 1000; steps++) {
            ctx.stdout.write(`step ${steps}\n`);
            await ctx.checkpoint();
          }
        } finally {
          savedAfterStop = ctx.signal.aborted;
        }
      },
    });
    expect(await runCli(['long'], { stdout, stderr: stderr.stderr, env: {}, signal: controller.signal }, [long])).toBe(2);
    expect(steps).toBeLessThan(10);
    expect(savedAfterStop).toBe(true);
    expect(stderr.err()).toBe('shallowscape: error: cannot write to standard output: no space left on device (ENOSPC)\n');
  });

  it('a guarded stream drops writes after the first failure and reports it once', async () => {
    const failures: Error[] = [];
    const stream = guardOutputStream(failingStream('ENOSPC'), 'standard output', (error) => failures.push(error));
    stream.write('a');
    await stream.flush();
    expect(stream.write('b')).toBe(false);
    await stream.flush();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(StreamWriteError);
    expect(outputFailure(stream)).toBe(failures[0]);
    expect(streamFailureError('standard output', { code: 'EPIPE' })).toBeInstanceOf(InterruptedError);
  });

  it('a guarded stream that works passes everything through and flushes', async () => {
    const chunks: string[] = [];
    const sink = new PassThrough({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString());
        callback();
      },
    });
    const stream = guardOutputStream(sink, 'standard output');
    expect(await main(['--version'], { stdout: stream, stderr: captureIo().stderr, env: {} })).toBe(0);
    expect(chunks.join('')).toMatch(/^shallowscape \d/);
    expect(stream.failure).toBeUndefined();
  });
});
