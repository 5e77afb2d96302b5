// The addon's own threads: a small persistent pool (std::thread) that runs the tasks of one
// product at a time, the calling thread included. OpenBLAS itself always runs at one thread
// (openblas-info.cc forces it when the addon loads): every parallel product is cut into a fixed
// set of tasks that depends only on its shape (blas-products.cc), and this pool only decides which
// thread runs which task, so the result has the same bits for every thread count.
#pragma once

#include <cstddef>
#include <functional>

namespace linalg_native {

// The most threads the pool takes (setThreads caps larger requests).
constexpr int kMaxPoolThreads = 256;

// The number of threads a parallel product uses, the calling thread included (>= 1).
int PoolThreads();

// Sets the pool's thread count (clamped to [1, kMaxPoolThreads]) and returns it. Workers are
// started lazily by the next parallel product. When the count falls, workers up to the machine's
// cores minus one stay, asleep, for a later rise (switching between one thread and every core
// starts no thread); more than that are stopped (joined) here. Waits for a product running on
// another thread (a worker_thread) to end first.
int SetPoolThreads(int threads);

// Runs task(0), ..., task(count - 1), each exactly once, on up to PoolThreads() threads (the
// calling thread takes tasks too, in index order of what is left), and returns when all have
// ended. Tasks must not call N-API. When the pool is busy with a product of another JavaScript
// thread, or has one thread, the tasks run one after another on the calling thread: the tasks
// are the same, so the result is too. The first exception a task throws is rethrown here once
// every task has ended.
void ParallelFor(size_t count, const std::function<void(size_t)>& task);

}  // namespace linalg_native
