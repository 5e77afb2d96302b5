// OpenBLAS always runs at one thread inside the addon: its own threading changes the bits of a
// product with the thread count, and LAPACK (dsyevd, dgesdd, dpotrf, ...) calls the threaded BLAS
// too. The addon's parallelism is its own pool (thread-pool.h) over a fixed partition of each
// product (blas-products.cc).
#pragma once

namespace linalg_native {

// Once per process: takes OpenBLAS's thread count at load (OPENBLAS_NUM_THREADS, else one per
// core) as the pool's default, then sets OpenBLAS to one thread. Called when the addon loads.
void InitThreads();

// Sets OpenBLAS back to one thread should anything have changed it (one load when it has not).
// Called at the start of every product and LAPACK driver.
void EnsureSingleThreadedOpenblas();

}  // namespace linalg_native
