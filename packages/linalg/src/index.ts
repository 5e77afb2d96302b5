export {
  ShallowscapeError,
  InvalidArgumentError,
  ShapeError,
  NonFiniteError,
  NotSymmetricError,
  NotPositiveDefiniteError,
  ConvergenceError,
  describeValue,
} from './errors';
export { Matrix } from './matrix';
export { Rng, createRng, gaussianMatrix, uniformMatrix, randomSymmetric, type RngState, type Seed } from './rng';
export {
  assertDimension,
  assertFiniteMatrix,
  assertFiniteNumber,
  assertFiniteVector,
  assertMatrix,
  assertSquare,
  assertSymmetric,
  assertVector,
  checkMatrix,
  defaultSymmetryTolerance,
} from './validate';

// --- kernels and backends (owned by the kernels work) ---
// --- end kernels ---

// --- symmetric eigendecomposition (owned by the eigh work) ---
// --- end eigh ---

// --- other decompositions (owned by the decompositions work) ---
// --- end decompositions ---
