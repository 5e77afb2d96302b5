/**
 * The registry of reproducible experiments, in the order `shallowscape reproduce` runs them.
 * An experiment's position here also fixes its random stream (see {@link runExperiments}), so
 * append new experiments at the end.
 *
 * @packageDocumentation
 */
import { badGlobalMinimumExperiment } from './bad-global-minimum';
import { certifiedOptimum } from './certified-optimum';
import type { Experiment } from './experiment';
import { identityInitExperiment } from './identity-init';
import { identityRecovery } from './identity-recovery';
import { marchenkoPasturEdgesExperiment } from './marchenko-pastur-edges';
import { sampleThreshold } from './sample-threshold';
import { semicircleLaw } from './semicircle-law';
import { signedArbitraryLabels } from './signed-arbitrary-labels';

/** All experiments, in run order. */
export const experiments: readonly Experiment[] = [
  sampleThreshold,
  identityInitExperiment,
  identityRecovery,
  signedArbitraryLabels,
  semicircleLaw,
  marchenkoPasturEdgesExperiment,
  badGlobalMinimumExperiment,
  certifiedOptimum,
];
