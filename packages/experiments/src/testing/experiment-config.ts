/**
 * Test support for the experiments: an {@link ExperimentConfig} on a fixed seed.
 *
 * @packageDocumentation
 */
import { createRng } from '@shallowscape/linalg';
import type { ExperimentConfig } from '../reproduce/experiment';

/** A quick-mode config with its own stream from `seed` and a signal that never aborts (unless given). */
export function testConfig(seed = 1, signal: AbortSignal = new AbortController().signal): ExperimentConfig {
  return { quick: true, seed, rng: createRng(seed), signal };
}
