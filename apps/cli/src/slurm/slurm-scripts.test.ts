import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../errors';
import { arrayRanges, arraySbatchScript, checkSiteOptions, mergeSbatchScript, shardStorePath, type SlurmSweepLayout } from './slurm-scripts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shallowscape-sbatch-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const layout = (over: Partial<SlurmSweepLayout> = {}): SlurmSweepLayout => ({
  name: 'big',
  dir: join(dir, 'big.slurm'),
  workdir: join(dir, "my work dir with 'quotes' and $HOME"),
  node: join(dir, 'bin', 'node; rm -rf /'),
  cli: join(dir, 'cli $(whoami).js'),
  globalArgs: ['--backend=native'],
  sweepFile: join(dir, 'big.slurm', 'sweep.yaml'),
  tasks: 3,
  store: join(dir, 'out `x`.sqlite'),
  ...over,
});

/** The words bash would pass to the program the script execs, with `echo` standing in for it. */
function execWords(script: string, env: Record<string, string>): string[] {
  // Replace `exec "$NODE"` by a printer of its arguments, one per line, and skip the `cd`.
  const printer = script.replace(/^cd .*$/m, ':').replace('exec "$NODE" "$CLI"', 'printf "%s\\n" "$NODE" "$CLI"');
  const path = join(dir, 'script.sh');
  writeFileSync(path, printer);
  return execFileSync('bash', [path], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' }).trimEnd().split('\n');
}

describe('the sbatch scripts', () => {
  it('write #SBATCH directives for the site options and run shard $SLURM_ARRAY_TASK_ID with every value passed as one word', () => {
    const site = { partition: 'short', time: '1-02:00:00', cpusPerTask: 4, mem: '8G', sbatchArgs: ['--account=abc123', '--qos=long'] };
    const script = arraySbatchScript(layout(), site);
    execFileSync('bash', ['-n'], { input: script });
    const directives = script.split('\n').filter((l) => l.startsWith('#SBATCH'));
    expect(directives).toEqual([
      '#SBATCH --job-name=big',
      '#SBATCH --array=0-2',
      `#SBATCH --output=${join(dir, 'big.slurm', 'logs', 'shard-%a.out')}`,
      '#SBATCH --partition=short',
      '#SBATCH --time=1-02:00:00',
      '#SBATCH --cpus-per-task=4',
      '#SBATCH --mem=8G',
      '#SBATCH --account=abc123',
      '#SBATCH --qos=long',
    ]);
    const l = layout();
    expect(execWords(script, { SLURM_ARRAY_TASK_ID: '2', SLURM_CPUS_PER_TASK: '4' })).toEqual([
      l.node,
      l.cli,
      '--backend=native',
      'sweep',
      l.sweepFile,
      '--shard',
      '2/3',
      '--store',
      shardStorePath(l.dir, 2),
      '--workers',
      '4',
    ]);
    // Without --cpus-per-task, Slurm sets no SLURM_CPUS_PER_TASK: one worker.
    expect(execWords(script, { SLURM_ARRAY_TASK_ID: '0' }).slice(-2)).toEqual(['--workers', '1']);
  });

  it('the merge script merges the shard stores that exist into the store', () => {
    const l = layout();
    const script = mergeSbatchScript(l, { time: '10', sbatchArgs: [] });
    execFileSync('bash', ['-n'], { input: script });
    expect(script).not.toMatch(/#SBATCH --array/);
    expect(script).toMatch(/#SBATCH --time=10\n/);
    execFileSync('mkdir', ['-p', join(l.dir, 'shards')]);
    writeFileSync(shardStorePath(l.dir, 0), '');
    writeFileSync(shardStorePath(l.dir, 2), '');
    expect(execWords(script, {})).toEqual([l.node, l.cli, 'results', 'merge', l.store, shardStorePath(l.dir, 0), shardStorePath(l.dir, 2)]);
  });

  it('refuses site options sbatch would misread, and options the scripts set themselves', () => {
    const bad: Array<[Parameters<typeof checkSiteOptions>[0], RegExp]> = [
      [{ partition: 'a b', sbatchArgs: [] }, /--partition "a b": an #SBATCH line takes one word/],
      [{ time: '2 hours', sbatchArgs: [] }, /--time "2 hours": not a Slurm time limit/],
      [{ mem: '8GB', sbatchArgs: [] }, /--mem "8GB": not a memory size/],
      [{ sbatchArgs: ['--comment=two words'] }, /--sbatch-arg "--comment=two words": an #SBATCH line takes one word/],
      [{ sbatchArgs: ['account=abc'] }, /not an sbatch option/],
      [{ sbatchArgs: ['--array=0-9'] }, /--array is set by the scripts themselves/],
      [{ sbatchArgs: ['--x=1\n#SBATCH --y'] }, /an #SBATCH line takes one word/],
    ];
    for (const [site, pattern] of bad) {
      expect(() => checkSiteOptions(site)).toThrow(UsageError);
      expect(() => checkSiteOptions(site)).toThrow(pattern);
    }
    expect(() => checkSiteOptions({ partition: 'gpu,cpu', time: '90', mem: '512', sbatchArgs: ['--exclusive', '-A', '--gres=gpu:1'] })).not.toThrow();
    expect(() => arraySbatchScript(layout({ dir: join(dir, 'a b') }), { sbatchArgs: [] })).toThrow(/--dir ".*a b": an #SBATCH line takes one word/);
  });

  it('writes Slurm array lists as ranges', () => {
    expect(arrayRanges([0, 1, 2])).toBe('0-2');
    expect(arrayRanges([3, 17, 18, 19, 25])).toBe('3,17-19,25');
    expect(arrayRanges([4])).toBe('4');
    expect(arrayRanges([])).toBe('');
  });
});
