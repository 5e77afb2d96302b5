/**
 * Runs as plain functions, free of Node-only APIs so that the CLI, worker threads, the docs build
 * and a browser page can all call them: training and evaluating quadratic and two-layer networks,
 * certifying weights and taking spectra from a typed configuration (with an abort signal), what a
 * run will cost, and the experiments that reproduce the source papers' claims.
 *
 * @packageDocumentation
 */
// --- runs ---
export {
  DEFAULT_QUADRATIC_TRAINING,
  DEFAULT_RELATIVE_TOL,
  INIT_KINDS,
  INPUT_KINDS,
  LABEL_KINDS,
  OBJECTIVES,
  OPTIMIZERS,
  QUADRATIC_MODELS,
  type OptimizerName,
  type QuadraticModelName,
  type QuadraticTrainingConfig,
  type QuadraticTrainingData,
  type ResolvedQuadraticTrainingConfig,
} from './runs/quadratic-training-config';
export { checkQuadraticTrainingConfig, quadraticProblem, type QuadraticProblem } from './runs/quadratic-problem';
export {
  trainQuadratic,
  type QuadraticTrainingOutput,
  type QuadraticTrainingResult,
  type TrainingFinal,
  type TrainingHistory,
  type TrainingRunOptions,
} from './runs/quadratic-training';
export {
  ACTIVATION_NAMES,
  DEFAULT_TWO_LAYER_TRAINING,
  FREEZE_CHOICES,
  PARAMETERIZATION_NAMES,
  POPULATION_MONTE_CARLO_SAMPLES,
  type FreezeChoice,
  type LayerRateSource,
  type ResolvedTwoLayerTrainingConfig,
  type TwoLayerTrainingConfig,
  type TwoLayerTrainingData,
} from './runs/two-layer-training-config';
export {
  trainTwoLayer,
  twoLayerProblem,
  type TwoLayerProblem,
  type TwoLayerTrainingHistory,
  type TwoLayerTrainingOutput,
  type TwoLayerTrainingFinal,
  type TwoLayerTrainingResult,
} from './runs/two-layer-training';
export { evaluateQuadratic, type EvaluationMetrics } from './runs/quadratic-evaluation';
export {
  EVAL_MONTE_CARLO_SEED,
  evaluateTwoLayer,
  twoLayerPopulationMetrics,
  type TwoLayerEvaluation,
  type TwoLayerWeights,
} from './runs/two-layer-evaluation';
export { certify, type CertificateOutput, type CertificationProblem, type RunSignalOptions } from './runs/certification';
export {
  ENSEMBLES,
  LAWS,
  computeSpectrum,
  defaultBins,
  defaultLaw,
  lawScales,
  spectrumOf,
  type LawName,
  type LawScale,
  type SpectrumConfig,
  type SpectrumResult,
} from './runs/spectrum';
export { FloatOverflowError, finiteOrOverflow, withOverflowGuard } from './runs/float-overflow-error';
export { certificationCost, quadraticTrainingCost, spectrumCost, twoLayerTrainingCost, type RunCost } from './runs/run-cost';
// --- the experiments of `shallowscape reproduce` ---
export {
  maximum,
  median,
  minimum,
  sci,
  yieldToInterrupt,
  type Experiment,
  type ExperimentConfig,
  type ExperimentResult,
  type ResultTable,
  type TableColumn,
  type TableValue,
} from './reproduce/experiment';
export { experiments } from './reproduce/registry';
export { linearFit, type LinearFit } from './reproduce/linear-fit';
export { experimentStreams, runExperiments, type ExperimentsOutcome, type RunExperimentsOptions } from './reproduce/run-experiments';
export {
  FULL_SAMPLE_THRESHOLD,
  QUICK_SAMPLE_THRESHOLD,
  runSampleThreshold,
  sampleThreshold,
  trainStudent,
  type SampleThresholdDimension,
  type SampleThresholdRun,
  type SampleThresholdSettings,
} from './reproduce/sample-threshold';
export {
  FULL_IDENTITY_INIT,
  QUICK_IDENTITY_INIT,
  identityInitExperiment,
  meanFieldCrossing,
  meanFieldRiskOverBarrier,
  runIdentityInit,
  type IdentityInitSettings,
} from './reproduce/identity-init';
export {
  FULL_IDENTITY_RECOVERY,
  QUICK_IDENTITY_RECOVERY,
  descendFromIdentity,
  identityRecovery,
  runIdentityRecovery,
  type IdentityRecoverySettings,
  type RecoveryRun,
} from './reproduce/identity-recovery';
export {
  FULL_SIGNED_ARBITRARY_LABELS,
  QUICK_SIGNED_ARBITRARY_LABELS,
  fitRandomLabels,
  runSignedArbitraryLabels,
  signedArbitraryLabels,
  type SignedArbitraryLabelsSettings,
  type SignedFitRun,
} from './reproduce/signed-arbitrary-labels';
export {
  FULL_SEMICIRCLE_LAW,
  QUICK_SEMICIRCLE_LAW,
  runSemicircleLaw,
  semicircleLaw,
  semicircleLawGap,
  type SemicircleLawSettings,
} from './reproduce/semicircle-law';
export {
  FULL_MARCHENKO_PASTUR_EDGES,
  QUICK_MARCHENKO_PASTUR_EDGES,
  marchenkoPasturEdgesExperiment,
  runMarchenkoPasturEdges,
  type MarchenkoPasturEdgesSettings,
} from './reproduce/marchenko-pastur-edges';
export {
  FULL_BAD_GLOBAL_MINIMUM,
  QUICK_BAD_GLOBAL_MINIMUM,
  badGlobalMinimumExperiment,
  runBadGlobalMinimum,
  type BadGlobalMinimumSettings,
} from './reproduce/bad-global-minimum';
export {
  FULL_CERTIFIED_OPTIMUM,
  QUICK_CERTIFIED_OPTIMUM,
  certifiedOptimum,
  certifiedOptimumRun,
  escapeStepSize,
  runCertifiedOptimum,
  type CertifiedOptimumProblem,
  type CertifiedOptimumRun,
  type CertifiedOptimumSettings,
} from './reproduce/certified-optimum';
export {
  FULL_TWO_LAYER_RANDOM_LABELS,
  QUICK_TWO_LAYER_RANDOM_LABELS,
  fitTwoLayerRandomLabels,
  runTwoLayerRandomLabels,
  twoLayerRandomLabels,
  type TwoLayerFitRun,
  type TwoLayerRandomLabelsSettings,
} from './reproduce/two-layer-random-labels';
export {
  FULL_NTK_RATE,
  QUICK_NTK_RATE,
  finiteWidthGramMinEigenvalue,
  measureNtkRate,
  ntkRate,
  runNtkRate,
  type NtkRateRun,
  type NtkRateSettings,
} from './reproduce/ntk-rate';
export {
  FULL_POPULATION_GRADIENT_FLOW,
  QUICK_POPULATION_GRADIENT_FLOW,
  populationGradientFlow,
  powerLawPrefactor,
  runPopulationGradientFlow,
  slowestLinearRate,
  type PopulationGradientFlowSettings,
} from './reproduce/population-gradient-flow';
export {
  ExpressionError,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  evaluateExpression,
  expressionVariables,
  formatExpression,
  parseExpression,
  type BinaryOperator,
  type Expression,
  type ExpressionValue,
} from './sweeps/expression';
