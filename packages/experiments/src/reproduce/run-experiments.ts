/**
 * The shared runner of `shallowscape reproduce`: seeds every experiment from one master seed,
 * runs the selected ones in order, and stops cleanly on Ctrl-C keeping what finished.
 *
 * @packageDocumentation
 */
import { AbortedError, createRng, type Rng } from '@shallowscape/linalg';
import type { Experiment, ExperimentResult } from './experiment';

/**
 * One independent random stream per registry position: `createRng(seed)` split `count` times
 * (xoshiro256** jumps of 2¹²⁸ draws), so experiment `i` always gets stream `i`, whichever
 * experiments `--only` selects.
 *
 * @example
 * ```ts
 * experimentStreams(1, 3).length; // => 3
 * ```
 */
export function experimentStreams(seed: number, count: number): Rng[] {
  const root = createRng(seed);
  return Array.from({ length: count }, () => root.split());
}

/** Options of {@link runExperiments}. */
export interface RunExperimentsOptions {
  /** Quick (default configuration) or full. */
  quick: boolean;
  /** The master seed. */
  seed: number;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** Progress lines (`"<experiment>: <message>"`). */
  progress?: (line: string) => void;
  /** Called when an experiment starts (index among the selected, their count). */
  onStart?: (experiment: Experiment, index: number, count: number) => void;
  /** Called as soon as an experiment finishes, with its wall time in seconds. */
  onResult?: (result: ExperimentResult, seconds: number) => void;
}

/** What {@link runExperiments} returns. */
export interface ExperimentsOutcome {
  /** The results of the experiments that finished, in run order. */
  results: ExperimentResult[];
  /** Wall time of each finished experiment, in seconds (same order). */
  seconds: number[];
  /** Whether Ctrl-C stopped the run. */
  interrupted: boolean;
  /** The selected experiments that did not finish (interrupted or never started). */
  unfinished: string[];
}

/**
 * Runs `selected` (a subset of `registry`, in registry order) and collects their results. On
 * interrupt the current experiment is abandoned and the outcome says which did not finish.
 *
 * @param registry - all experiments (positions fix the random streams).
 * @param selected - the names to run.
 */
export async function runExperiments(
  registry: readonly Experiment[],
  selected: readonly string[],
  options: RunExperimentsOptions,
): Promise<ExperimentsOutcome> {
  const streams = experimentStreams(options.seed, registry.length);
  const chosen = registry.map((experiment, index) => ({ experiment, rng: streams[index]! })).filter(({ experiment }) => selected.includes(experiment.name));
  const results: ExperimentResult[] = [];
  const seconds: number[] = [];
  for (const [index, { experiment, rng }] of chosen.entries()) {
    if (options.signal.aborted) break;
    options.onStart?.(experiment, index, chosen.length);
    const started = performance.now();
    let result: ExperimentResult;
    try {
      result = await experiment.run({
        quick: options.quick,
        seed: options.seed,
        rng,
        signal: options.signal,
        ...(options.progress !== undefined ? { progress: (message: string) => options.progress!(`${experiment.name}: ${message}`) } : {}),
      });
    } catch (error) {
      if (error instanceof AbortedError || options.signal.aborted) break;
      throw error;
    }
    const elapsed = (performance.now() - started) / 1000;
    // The registry's name is the one `--only` selects by; results always carry it.
    result = { ...result, name: experiment.name };
    results.push(result);
    seconds.push(elapsed);
    options.onResult?.(result, elapsed);
  }
  const done = new Set(results.map((r) => r.name));
  return {
    results,
    seconds,
    interrupted: options.signal.aborted,
    unfinished: chosen.map(({ experiment }) => experiment.name).filter((name) => !done.has(name)),
  };
}
