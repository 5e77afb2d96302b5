/**
 * `shallowscape reproduce`: runs the experiments that reproduce the source papers' claims
 * (`@shallowscape/experiments`), prints each claim, the measured numbers and PASS or FAIL, and exits with
 * 1 if any claim failed. `--quick` (the default) takes about 10 seconds on 2 cores.
 *
 * @packageDocumentation
 */
import { join } from 'node:path';
import { defineCommand } from '../command';
import { experiments, runExperiments, type Experiment, type ExperimentResult } from '@shallowscape/experiments';
import { reportHtml } from '@shallowscape/figures';
import { UsageError } from '../errors';
import { formatJson, jsonFlag } from '../io/json-output';
import { commandLine } from '../output/shell-words';
import { reportFlag, reportPathIn, writeReport } from '../report/report-file';
import { reproduceReport } from '../report/reproduce-report';
import { formatExperimentResult } from '../output/format-result';
import { ProgressReporter } from '../output/progress-reporter';
import { prepareRunDirectory } from '../io/run-directory';
import { closestMatch } from '../suggest';
import { cliVersion, collectVersions } from '../versions';

/** The default master seed. */
export const DEFAULT_REPRODUCE_SEED = 20240;

/** One experiment in the `--json` output and in `results.json`. */
export interface ReproducedExperiment {
  name: string;
  claim: string;
  criterion: string;
  passed: boolean;
  /** The column keys of `results`, in display order. */
  columns: string[];
  /** The measured numbers, one object per row of the table. */
  results: ExperimentResult['results']['rows'];
  details: string[];
  config: Record<string, unknown>;
}

/** The `--json` output of `shallowscape reproduce`. */
export interface ReproduceReport {
  experiments: ReproducedExperiment[];
  /** True when every selected experiment finished and passed. */
  passed: boolean;
  seed: number;
  /** The CLI version. */
  version: string;
  mode: 'quick' | 'full';
  /** True when Ctrl-C stopped the run (then `unfinished` names what did not finish). */
  interrupted: boolean;
  unfinished: string[];
}

function toReported(result: ExperimentResult): ReproducedExperiment {
  return {
    name: result.name,
    claim: result.claim,
    criterion: result.criterion,
    passed: result.passed,
    columns: result.results.columns.map((c) => c.key),
    results: result.results.rows,
    details: result.details,
    config: result.config,
  };
}

/** Parses `--only a,b` against the registry; unknown names are a usage error naming them. */
export function selectExperiments(only: string | undefined, names: readonly string[]): string[] {
  if (only === undefined) return [...names];
  const wanted = only
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (wanted.length === 0) throw new UsageError(`invalid value for --only: ${JSON.stringify(only)} (expected one of: ${names.join(', ')})`, '--only');
  for (const name of wanted) {
    if (!names.includes(name)) {
      const suggestion = closestMatch(name, names);
      const hint = suggestion !== undefined ? ` (did you mean '${suggestion}'?)` : '';
      throw new UsageError(`unknown experiment ${JSON.stringify(name)} for --only${hint}; expected one of: ${names.join(', ')}`, '--only');
    }
  }
  return names.filter((name) => wanted.includes(name));
}

/**
 * The `reproduce` command over an experiment registry (tests pass their own, e.g. with an
 * experiment that fails on purpose).
 *
 * @param registry - the experiments, in run order (positions fix their random streams).
 */
export function createReproduceCommand(registry: readonly Experiment[]) {
  return defineCommand({
    name: 'reproduce',
    summary: "reproduce the source papers' claims: run the experiments and report PASS or FAIL",
    description: [
      'Runs the experiments below on seeded data. Each prints its claim, the precise PASS criterion,',
      'the measured numbers as a table and PASS or FAIL. The exit code is 1 if any experiment fails',
      '(a FAIL is a scientific result, not a usage error), 130 when interrupted.',
      '',
      ...registry.map((e) => `  ${e.name}`),
      '',
      'sample-threshold: students trained to zero risk generalise exactly from N* = d(d+1)/2 samples on.',
      'identity-init: the identity start is below the energy barrier for a fraction of teachers that grows with m/d².',
      'identity-recovery: gradient descent from the identity start, below the barrier, recovers W*ᵀW*.',
      'signed-arbitrary-labels: signed networks with k = 2d fit arbitrary labels when N < d(d+1)/2.',
      'semicircle-law: the spectrum of (W*ᵀW* − mI)/√(md) approaches the semicircle as m/d grows (KS distance).',
      'marchenko-pastur-edges: the extreme eigenvalues of WᵀW/m approach (1 ± √γ)² as m grows, γ = d/m.',
      'bad-global-minimum: below N* an interpolating rank-deficient W exists, above the energy barrier.',
      'certified-optimum: the convex lift certifies an L-BFGS end as globally optimal and refuses W = 0.',
      'two-layer-random-labels: a ReLU net with both layers trained fits random labels; it moves less as m grows.',
      'ntk-rate: at large width, GD on a ReLU layer contracts the residual at the rate set by λ₀ of the NTK Gram.',
      'population-gradient-flow: population gradient flow decays exponentially (full-rank teacher) or like t⁻² (rank-deficient).',
      '',
      'The same --seed gives the same numbers. Every experiment takes its own random stream split off',
      'the master seed at its fixed position, so --only does not change them. --json prints',
      '{"experiments": [{"name", "claim", "criterion", "passed", "columns", "results", "details",',
      '"config"}], "passed", "seed", "version", "mode", "interrupted", "unfinished"} (keys sorted).',
      '--out DIR writes DIR/results.json (configuration, seed, versions, results and timings)',
      'atomically; on Ctrl-C it still writes the experiments that finished. --report writes',
      'report.html (each claim with PASS/FAIL, its criterion, numbers and figure; one self-contained',
      'page) into --out, or into this directory; on Ctrl-C, for the experiments that finished.',
    ].join('\n'),
    flags: {
      quick: { type: 'boolean', description: 'the small configuration, about 10 seconds on 2 cores (the default)' },
      full: { type: 'boolean', description: 'the full configuration: more sizes and seeds (several minutes)' },
      only: {
        type: 'string',
        valueName: '<name[,name]>',
        description: `run only these experiments (${registry.map((e) => e.name).join(', ')})`,
      },
      out: { type: 'string', valueName: '<dir>', description: 'write results.json into this directory (created if missing)' },
      report: reportFlag,
      seed: { type: 'integer', min: 0, default: DEFAULT_REPRODUCE_SEED, valueName: '<n>', description: 'the master seed' },
      json: jsonFlag,
    },
    examples: [
      'shallowscape reproduce',
      'shallowscape reproduce --only sample-threshold --seed 7',
      'shallowscape reproduce --full --out results/ --json',
    ],
    async run(ctx, { flags }) {
      if (flags.quick && flags.full) {
        throw new UsageError("flags --quick and --full exclude each other; see 'shallowscape reproduce --help'", '--full');
      }
      const mode = flags.full ? 'full' : 'quick';
      const names = registry.map((e) => e.name);
      const selected = selectExperiments(flags.only, names);
      const reportPath = flags.report && flags.out === undefined ? reportPathIn() : undefined;
      const runDirectory = flags.out === undefined ? undefined : await prepareRunDirectory(flags.out, '--out');

      const progress = new ProgressReporter(ctx.stderr, { enabled: !flags.json });
      if (!flags.json) {
        ctx.stdout.write(`shallowscape reproduce: ${selected.length} experiment(s), ${mode} mode, seed ${flags.seed}\n\n`);
      }
      // results.json is rewritten after every finished experiment (atomically), so a run stopped
      // by a signal or killed keeps what finished; `unfinished` names the rest until the end.
      const finished: ExperimentResult[] = [];
      const seconds: number[] = [];
      const reportOf = (interrupted: boolean): ReproduceReport => {
        const done = new Set(finished.map((r) => r.name));
        const unfinished = selected.filter((name) => !done.has(name));
        return {
          experiments: finished.map(toReported),
          passed: unfinished.length === 0 && finished.every((r) => r.passed),
          seed: flags.seed,
          version: cliVersion(),
          mode,
          interrupted,
          unfinished,
        };
      };
      const out = flags.out;
      let writing: Promise<void> = Promise.resolve();
      const saveResults = (interrupted: boolean): void => {
        if (out === undefined) return;
        const file = {
          configuration: { mode, seed: flags.seed, only: flags.only ?? null, experiments: selected },
          versions: collectVersions(),
          ...reportOf(interrupted),
          elapsedSeconds: Object.fromEntries(finished.map((r, k) => [r.name, seconds[k]!])),
          // report.html, when --report wrote it beside the record.
          ...(Object.keys(runDirectory!.files).length > 0 ? { files: runDirectory!.files } : {}),
        };
        writing = writing.then(() => runDirectory!.writeRecord('results.json', file)).then(() => undefined);
      };
      let printed = 0;
      const outcome = await runExperiments(registry, selected, {
        quick: mode === 'quick',
        seed: flags.seed,
        signal: ctx.signal,
        progress: (line) => progress.update(line),
        onResult: (result, elapsed) => {
          progress.clear();
          finished.push(result);
          seconds.push(elapsed);
          saveResults(false);
          if (flags.json) return;
          printed += 1;
          ctx.stdout.write(formatExperimentResult(result, `${printed}/${selected.length}`, elapsed));
        },
      });
      progress.clear();
      let reportWritten: string | undefined;
      if (flags.report) {
        await writing;
        const report = await reproduceReport(outcome, { mode, seed: flags.seed, command: commandLine(['shallowscape', ...ctx.argv]) }, collectVersions());
        reportWritten = await writeReport(reportHtml(report), runDirectory ?? reportPath!);
      }
      saveResults(outcome.interrupted);
      await writing;
      const report = reportOf(outcome.interrupted);
      if (flags.json) {
        ctx.stdout.write(formatJson(report));
      } else {
        const failed = outcome.results.filter((r) => !r.passed).map((r) => r.name);
        const lines: string[] = [];
        if (outcome.interrupted) {
          lines.push(`Interrupted: ${outcome.results.length} of ${selected.length} experiment(s) finished; not finished: ${outcome.unfinished.join(', ')}.`);
        }
        if (failed.length > 0) lines.push(`${failed.length} of ${outcome.results.length} experiment(s) FAILED: ${failed.join(', ')}.`);
        else if (!outcome.interrupted) lines.push(`All ${outcome.results.length} experiment(s) passed.`);
        if (flags.out !== undefined) lines.push(`Results written to ${join(flags.out, 'results.json')}.`);
        if (reportWritten !== undefined) lines.push(`Report written to ${reportWritten}.`);
        ctx.stdout.write(`${lines.join('\n')}\n`);
      }
      return outcome.results.every((r) => r.passed) ? 0 : 1;
    },
  });
}

/** The `reproduce` command over the experiments of `@shallowscape/experiments`. */
export const reproduceCommand = createReproduceCommand(experiments);
