/**
 * The registry of reproducible experiments, in the order `shallowscape reproduce` runs them.
 * An experiment's position here also fixes its random stream (see {@link runExperiments}), so
 * append new experiments at the end.
 *
 * @packageDocumentation
 */
import type { Experiment } from './experiment';
import { identityInitExperiment } from './identity-init';
import { identityRecovery } from './identity-recovery';
import { sampleThreshold } from './sample-threshold';
import { signedArbitraryLabels } from './signed-arbitrary-labels';

/** All experiments, in run order. */
export const experiments: readonly Experiment[] = [sampleThreshold, identityInitExperiment, identityRecovery, signedArbitraryLabels];
