export {
  ShallowscapeError,
  InvalidArgumentError,
  ShapeError,
  NonFiniteError,
  NotSymmetricError,
  NotPositiveDefiniteError,
  SingularMatrixError,
  ConvergenceError,
  AbortedError,
  throwIfAborted,
  describeValue,
} from './errors';
export { Matrix } from './matrix';
export { Rng, checkRng, createRng, gaussianMatrix, uniformMatrix, randomSymmetric, type RngState, type Seed } from './rng';
export { naturalLog } from './natural-log';
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
  checkPositiveInteger,
  checkSignal,
  defaultSymmetryTolerance,
} from './validate';

// --- kernels and backends (owned by the kernels work) ---
export { ASYNC_KERNEL_NAMES, KERNEL_NAMES } from './linalg-backend';
export {
  allocateOperand,
  getBackend,
  listBackends,
  offerDefaultBackend,
  referenceBackend,
  registerBackend,
  registerWasmSimdBackend,
  resolveAsyncKernel,
  resolveKernel,
  setBackend,
  type AsyncKernelName,
  type KernelName,
  type LinalgBackend,
  type Precision,
} from './backend';
export { gemm, matmul, type GemmOptions } from './kernels/gemm';
export { gemmKernel, gemmStridedKernel } from './kernels/gemm-kernel';
export { syrk, type SyrkOptions } from './kernels/syrk';
export { syrkKernel } from './kernels/syrk-kernel';
export { weightedGram, type WeightedGramOptions } from './kernels/weighted-gram';
export { weightedGramKernel } from './kernels/weighted-gram-kernel';
export {
  QUADRATIC_FORMS_ROW_BLOCK,
  blockedQuadraticFormsKernel,
  quadraticFormsKernel,
  quadraticFormsWorkspace,
  type QuadraticFormsWorkspace,
} from './kernels/quadratic-forms-kernel';
export { gemv, type GemvOptions } from './kernels/gemv';
export { gemvKernel } from './kernels/gemv-kernel';
export { asum, axpy, dot, iamax, nrm2, scal } from './kernels/blas1';
export { asumKernel, axpyKernel, dotKernel, iamaxKernel, nrm2Kernel, scalKernel } from './kernels/blas1-kernels';
export { add, frobeniusInner, frobeniusNorm, matrixNorm, scale, subtract, trace, vectorNorm } from './kernels/norms';
export {
  createWasmSimdBackend,
  getWasmSimdBackend,
  isWasmSimdSupported,
  wasmSimdModuleBytes,
  type WasmSimdBackendOptions,
  type WasmSimdExports,
  type WasmSimdMemory,
} from './backends/wasm-simd';
export { defaultThreadCount } from './backends/wasm-simd-threads';
export { unavailableBackend } from './backends/unavailable-backend';
// --- end kernels ---

// --- symmetric eigendecomposition (owned by the eigh work) ---
export { eigh, eigvalsh, type EighOptions, type EighResult } from './decompositions/eigh';
export { eighKernel, type EighKernelResult } from './decompositions/eigh-kernel';
export { projectPsd, type ProjectPsdOptions } from './decompositions/psd-projection';
export { tridiagonalEigenvalues } from './decompositions/tridiagonal-eigenvalues';
// --- end eigh ---

// --- other decompositions (owned by the decompositions work) ---
export { svd, singularValues, rank, conditionNumber, type SvdOptions, type SvdResult } from './decompositions/svd';
export { svdKernel } from './decompositions/svd-kernel';
export { qr, type QrOptions, type QrResult } from './decompositions/qr';
export { cholesky, choleskySolve, type CholeskyResult } from './decompositions/cholesky';
export { lstsq, pinv, solve, type LstsqResult, type RcondOptions } from './decompositions/lstsq';
// --- end decompositions ---

// --- spectra of symmetric operators given by their products ---
export type { SymmetricOperator } from './spectra/symmetric-operator';
export { lanczosKernel, type LanczosKernelOptions, type LanczosSpectrum } from './spectra/lanczos-kernel';
export { lanczos, type LanczosSpectrumOptions } from './spectra/lanczos';
export { lanczosMinEigenvalue, type LanczosOptions, type LanczosResult } from './spectra/lanczos-min-eigenvalue';
export { hessianExtremeEigenvalues, type ExtremeEigenvalues, type ExtremeEigenvaluesOptions } from './spectra/hessian-extreme-eigenvalues';
export { powerIteration, type PowerIterationOptions, type PowerIterationResult } from './spectra/power-iteration';
export {
  stochasticLanczosQuadrature,
  type SpectralQuadrature,
  type StochasticLanczosQuadratureOptions,
} from './spectra/stochastic-lanczos-quadrature';
export { spectralDensity } from './spectra/spectral-density';
export { hutchinsonTrace, type HutchinsonOptions, type TraceEstimate } from './spectra/hutchinson-trace';
// --- end spectra ---
