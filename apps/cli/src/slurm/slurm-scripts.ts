/**
 * The two batch scripts of a sweep on Slurm: a job array whose task K runs shard K of N of the
 * sweep into its own store (`sweep FILE --shard K/N`), and a merge job (`results merge`) that runs
 * after the array (`--dependency=afterany:ARRAY`) and merges whatever shards finished.
 *
 * Every value written into a script is data: shell words are single-quoted (`shellQuote`), and
 * `#SBATCH` lines (which sbatch reads itself, not the shell) take only values without whitespace,
 * quotes, backslashes or control characters ({@link checkDirectiveValue} refuses the others).
 *
 * @packageDocumentation
 */
import { join } from 'node:path';
import { UsageError } from '../errors';
import { commandLine, shellQuote } from '../output/shell-words';

/** Where a submission keeps its files, and how its tasks run. */
export interface SlurmSweepLayout {
  /** The sweep's name (the job name). */
  name: string;
  /** The submission directory (absolute): scripts, the sweep file's copy, `shards/`, `logs/`. */
  dir: string;
  /** The directory the tasks run in (absolute): relative paths in the sweep file resolve there. */
  workdir: string;
  /** The Node.js executable and the CLI's entry script (absolute paths). */
  node: string;
  cli: string;
  /** Global flags before the command, e.g. `['--backend=native']`. */
  globalArgs: readonly string[];
  /** The copy of the sweep file the tasks run (absolute). */
  sweepFile: string;
  /** N: the number of shards, one array task each. */
  tasks: number;
  /** The merged store (absolute). */
  store: string;
}

/** Site options: the `#SBATCH` lines of both scripts. */
export interface SlurmSiteOptions {
  partition?: string;
  time?: string;
  cpusPerTask?: number;
  mem?: string;
  /** Further sbatch options, one `#SBATCH` line each, e.g. `--account=abc123`, `--qos=short`. */
  sbatchArgs: readonly string[];
}

/** The array script's file in the submission directory. */
export const ARRAY_SCRIPT = 'array.sbatch';
/** The merge script's file in the submission directory. */
export const MERGE_SCRIPT = 'merge.sbatch';

/**
 * Slurm's `--array` list of the indices (ascending), as ranges.
 *
 * @example
 * ```ts
 * arrayRanges([0, 1, 2, 5, 7, 8, 9]); // => '0-2,5,7-9'
 * ```
 */
export function arrayRanges(indices: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indices.length; ) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j]! + 1) j++;
    parts.push(j === i ? String(indices[i]) : `${indices[i]}-${indices[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The store of shard `k` in a submission directory: `DIR/shards/shard-K.sqlite`. */
export function shardStorePath(dir: string, k: number): string {
  return join(dir, 'shards', `shard-${k}.sqlite`);
}

/**
 * Checks a value for an `#SBATCH` line: sbatch splits those lines itself, so a value must be one
 * word without quotes, backslashes or control characters.
 *
 * @param value - the value (or whole option, for `--sbatch-arg`).
 * @param flag - the flag it came from, for the message.
 * @throws {@link UsageError} naming the flag and the value.
 */
export function checkDirectiveValue(value: string, flag: string): void {
  // eslint-disable-next-line no-control-regex
  if (value === '' || /[\s"'\\#\u0000-\u001f\u007f]/.test(value)) {
    throw new UsageError(`${flag} ${JSON.stringify(value)}: an #SBATCH line takes one word without whitespace, quotes, backslashes, # or control characters`, flag);
  }
}

/**
 * Checks the site options (before anything is written).
 *
 * @throws {@link UsageError} naming the flag: a `--time` sbatch would refuse, a `--mem` that is not a
 *   size, an `--sbatch-arg` that is not an option or sets what the scripts set themselves.
 */
export function checkSiteOptions(site: SlurmSiteOptions): void {
  if (site.partition !== undefined) {
    checkDirectiveValue(site.partition, '--partition');
    if (!/^[A-Za-z0-9_.,-]+$/.test(site.partition)) throw new UsageError(`--partition ${JSON.stringify(site.partition)}: not a partition name (letters, digits, _ . , -)`, '--partition');
  }
  if (site.time !== undefined && !/^(?:\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2}|infinite|unlimited|UNLIMITED)$/.test(site.time)) {
    throw new UsageError(`--time ${JSON.stringify(site.time)}: not a Slurm time limit (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)`, '--time');
  }
  if (site.mem !== undefined && !/^\d+[KMGT]?$/.test(site.mem)) throw new UsageError(`--mem ${JSON.stringify(site.mem)}: not a memory size (an integer, with K, M, G or T; megabytes by default)`, '--mem');
  for (const arg of site.sbatchArgs) {
    checkDirectiveValue(arg, '--sbatch-arg');
    const option = /^(--[a-z][a-z-]*|-[A-Za-z])(?:=.*)?$/.exec(arg)?.[1];
    if (option === undefined) throw new UsageError(`--sbatch-arg ${JSON.stringify(arg)}: not an sbatch option (write it as --option=value, e.g. --sbatch-arg=--account=abc123)`, '--sbatch-arg');
    const reserved = ['--array', '-a', '--output', '-o', '--error', '-e', '--dependency', '-d', '--job-name', '-J', '--chdir', '-D', '--parsable', '--wrap'];
    if (reserved.includes(option)) throw new UsageError(`--sbatch-arg ${JSON.stringify(arg)}: ${option} is set by the scripts themselves`, '--sbatch-arg');
  }
}

function directives(layout: SlurmSweepLayout, site: SlurmSiteOptions, job: 'array' | 'merge'): string[] {
  const lines = [`#SBATCH --job-name=${layout.name}${job === 'merge' ? '-merge' : ''}`];
  if (job === 'array') lines.push(`#SBATCH --array=0-${layout.tasks - 1}`);
  lines.push(`#SBATCH --output=${join(layout.dir, 'logs', job === 'array' ? 'shard-%a.out' : 'merge-%j.out')}`);
  if (site.partition !== undefined) lines.push(`#SBATCH --partition=${site.partition}`);
  if (site.time !== undefined) lines.push(`#SBATCH --time=${site.time}`);
  if (job === 'array') {
    if (site.cpusPerTask !== undefined) lines.push(`#SBATCH --cpus-per-task=${site.cpusPerTask}`);
    if (site.mem !== undefined) lines.push(`#SBATCH --mem=${site.mem}`);
  }
  for (const arg of site.sbatchArgs) lines.push(`#SBATCH ${arg}`);
  return lines;
}

/** The lines every script starts with after its directives: strict shell, the paths as variables. */
function prologue(layout: SlurmSweepLayout): string[] {
  return [
    'set -euo pipefail',
    '',
    '# The programs and files of this submission (absolute paths; edit NODE and CLI if the compute',
    '# nodes see Node.js or shallowscape elsewhere).',
    `NODE=${shellQuote(layout.node)}`,
    `CLI=${shellQuote(layout.cli)}`,
    `DIR=${shellQuote(layout.dir)}`,
    `cd ${shellQuote(layout.workdir)}`,
  ];
}

/**
 * The job array's script: task K runs `shallowscape sweep FILE --shard K/N --store
 * DIR/shards/shard-K.sqlite --workers C`, C from `SLURM_CPUS_PER_TASK` (1 when unset). Resumable:
 * a shard run again skips its cells already done.
 *
 * @example
 * ```ts
 * arraySbatchScript(layout, { sbatchArgs: [] }).includes('--shard "${SLURM_ARRAY_TASK_ID}/3"'); // => true (for 3 tasks)
 * ```
 */
export function arraySbatchScript(layout: SlurmSweepLayout, site: SlurmSiteOptions): string {
  checkDirectiveValue(layout.dir, '--dir');
  checkDirectiveValue(layout.name, 'the sweep name');
  return [
    '#!/bin/bash',
    `# Shallowscape sweep ${layout.name}: shard $SLURM_ARRAY_TASK_ID of ${layout.tasks}, one task of a job array.`,
    '# Written by `shallowscape sweep --slurm`; its merge job is merge.sbatch beside it.',
    ...directives(layout, site, 'array'),
    '',
    ...prologue(layout),
    `exec "$NODE" "$CLI"${layout.globalArgs.length > 0 ? ` ${commandLine(layout.globalArgs)}` : ''} sweep ${shellQuote(layout.sweepFile)} \\`,
    `  --shard "\${SLURM_ARRAY_TASK_ID}/${layout.tasks}" \\`,
    '  --store "$DIR/shards/shard-${SLURM_ARRAY_TASK_ID}.sqlite" \\',
    '  --workers "${SLURM_CPUS_PER_TASK:-1}"',
    '',
  ].join('\n');
}

/**
 * The merge job's script: `shallowscape results merge STORE` with the shard stores that exist,
 * which reports the shards missing or incomplete.
 */
export function mergeSbatchScript(layout: SlurmSweepLayout, site: SlurmSiteOptions): string {
  checkDirectiveValue(layout.dir, '--dir');
  checkDirectiveValue(layout.name, 'the sweep name');
  return [
    '#!/bin/bash',
    `# Shallowscape sweep ${layout.name}: merges the stores of its ${layout.tasks} shards into one.`,
    '# Written by `shallowscape sweep --slurm`; runs after the array job (afterany), so it merges',
    '# the shards that finished and names the others.',
    ...directives(layout, site, 'merge'),
    '',
    ...prologue(layout),
    'shards=()',
    `for k in $(seq 0 ${layout.tasks - 1}); do`,
    '  if [ -f "$DIR/shards/shard-$k.sqlite" ]; then shards+=("$DIR/shards/shard-$k.sqlite"); fi',
    'done',
    'if [ "${#shards[@]}" -eq 0 ]; then',
    `  echo ${shellQuote(`shallowscape: no shard of sweep ${layout.name} wrote a store in`)} "$DIR/shards" >&2`,
    '  exit 1',
    'fi',
    `exec "$NODE" "$CLI" results merge ${shellQuote(layout.store)} "\${shards[@]}"`,
    '',
  ].join('\n');
}
