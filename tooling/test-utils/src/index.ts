export { expectClose, expectMatrixClose, maxAbsDiff, relativeFrobeniusError, type Tolerance } from './close';
export { loadFixture, matrixFromFixture } from './fixtures';
