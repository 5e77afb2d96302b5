#include "thread-pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

extern "C" void openblas_set_num_threads(int num_threads);

namespace linalg_native {
namespace {

// One parallel loop: the tasks, the next index to hand out, and the first exception.
struct Job {
  size_t count = 0;
  const std::function<void(size_t)>* task = nullptr;
  std::atomic<size_t> next{0};
  std::mutex errorMutex;
  std::exception_ptr error;

  // Takes tasks until none is left. Every task runs even after one has thrown.
  void Participate() {
    for (;;) {
      const size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= count) return;
      try {
        (*task)(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(errorMutex);
        if (!error) error = std::current_exception();
      }
    }
  }
};

class Pool {
 public:
  ~Pool() {
    std::lock_guard<std::mutex> exclusive(dispatch_);
    StopWorkers();
  }

  int Threads() const { return threads_.load(std::memory_order_relaxed); }

  int SetThreads(int threads) {
    threads = std::clamp(threads, 1, kMaxPoolThreads);
    std::lock_guard<std::mutex> exclusive(dispatch_);
    threads_.store(threads);
    // Workers beyond the new count sleep (a job takes at most threads - 1 of them), so going from
    // every core to one and back starts no thread; only workers beyond both the count and the
    // machine's cores are stopped.
    const size_t cores = std::thread::hardware_concurrency();
    const size_t keep = std::max(static_cast<size_t>(threads - 1), cores > 0 ? cores - 1 : 0);
    if (workers_.size() > keep) StopWorkers();
    return threads;
  }

  void Run(size_t count, const std::function<void(size_t)>& task) {
    const size_t wanted = std::min(count, static_cast<size_t>(Threads()));
    std::unique_lock<std::mutex> exclusive(dispatch_, std::try_to_lock);
    if (wanted <= 1 || !exclusive.owns_lock()) {
      for (size_t i = 0; i < count; i++) task(i);
      return;
    }
    StartWorkers();
    const int helpers = static_cast<int>(std::min(wanted - 1, workers_.size()));
    Job job;
    job.count = count;
    job.task = &task;
    {
      std::lock_guard<std::mutex> lock(state_);
      job_ = &job;
      seats_ = helpers;
      joined_ = 0;
      finished_ = 0;
    }
    wake_.notify_all();
    job.Participate();
    {
      std::unique_lock<std::mutex> lock(state_);
      // Every task has been handed out: close the seats no worker has taken yet, so that the
      // calling thread waits only for the workers still running a task, not for a worker the
      // system has not scheduled yet (on a busy machine that can take a whole time slice). A
      // worker woken later finds no free seat and goes back to sleep.
      seats_ = joined_;
      done_.wait(lock, [&] { return finished_ == seats_; });
      job_ = nullptr;
      seats_ = 0;
      joined_ = 0;
      finished_ = 0;
    }
    if (job.error) std::rethrow_exception(job.error);
  }

 private:
  // Starts the missing workers (threads - 1). Called with dispatch_ held. When the system refuses
  // a thread, the pool runs with the workers it has.
  void StartWorkers() {
    const size_t target = static_cast<size_t>(Threads() - 1);
    while (workers_.size() < target) {
      try {
        workers_.emplace_back([this] { WorkerLoop(); });
      } catch (const std::system_error&) {
        break;
      }
    }
  }

  // Stops and joins every worker. Called with dispatch_ held (no job in flight).
  void StopWorkers() {
    {
      std::lock_guard<std::mutex> lock(state_);
      stop_ = true;
    }
    wake_.notify_all();
    for (std::thread& worker : workers_) worker.join();
    workers_.clear();
    std::lock_guard<std::mutex> lock(state_);
    stop_ = false;
  }

  void WorkerLoop() {
    // A pthreads OpenBLAS keeps one process-wide count (already 1); an OpenMP build keeps it per
    // thread, so each worker sets its own.
    openblas_set_num_threads(1);
    std::unique_lock<std::mutex> lock(state_);
    for (;;) {
      wake_.wait(lock, [&] { return stop_ || joined_ < seats_; });
      if (stop_) return;
      joined_++;
      Job* job = job_;
      lock.unlock();
      job->Participate();
      lock.lock();
      if (++finished_ == seats_) done_.notify_one();
    }
  }

  std::atomic<int> threads_{1};
  std::mutex dispatch_;  // held by the product running on the pool (one at a time)
  std::vector<std::thread> workers_;

  std::mutex state_;  // guards the fields below
  std::condition_variable wake_;
  std::condition_variable done_;
  Job* job_ = nullptr;
  int seats_ = 0;     // workers the current job takes
  int joined_ = 0;    // workers that took a seat
  int finished_ = 0;  // workers that left it
  bool stop_ = false;
};

Pool& ThePool() {
  // Destroyed (its workers joined) at exit, or when the addon is unloaded.
  static Pool pool;
  return pool;
}

}  // namespace

int PoolThreads() { return ThePool().Threads(); }

int SetPoolThreads(int threads) { return ThePool().SetThreads(threads); }

void ParallelFor(size_t count, const std::function<void(size_t)>& task) { ThePool().Run(count, task); }

}  // namespace linalg_native
