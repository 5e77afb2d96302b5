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
import { ntkRate } from './ntk-rate';
import { populationGradientFlow } from './population-gradient-flow';
import { sampleThreshold } from './sample-threshold';
import { semicircleLaw } from './semicircle-law';
import { signedArbitraryLabels } from './signed-arbitrary-labels';
import { twoLayerRandomLabels } from './two-layer-random-labels';

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
  twoLayerRandomLabels,
  ntkRate,
  populationGradientFlow,
];
