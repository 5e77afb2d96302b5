// The addon's thread count (its own pool, thread-pool.h), OpenBLAS's build, and which shared
// libraries the BLAS and LAPACK symbols were bound to at load time. OpenBLAS itself always runs
// at one thread (see EnsureSingleThreadedOpenblas). The OpenBLAS extensions are declared here
// rather than taken from cblas.h, which only some distributions' headers extend with them.
#include <dlfcn.h>

#include <mutex>
#include <string>

#include "napi-arguments.h"
#include "native-functions.h"
#include "openblas-threads.h"
#include "thread-pool.h"

extern "C" {
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
char* openblas_get_corename(void);
int openblas_get_parallel(void);
// Only their addresses are taken (to ask the dynamic linker where they come from).
void dgemm_(void);
void dsyevd_(void);
}

namespace linalg_native {
namespace {

// The file of the shared library that holds `symbol`, or "" when the linker cannot say.
std::string LibraryOf(void* symbol) {
  Dl_info where;
  if (dladdr(symbol, &where) == 0 || where.dli_fname == nullptr) return "";
  return where.dli_fname;
}

}  // namespace

void InitThreads() {
  static std::once_flag once;
  std::call_once(once, [] {
    // The count OpenBLAS chose when it loaded (OPENBLAS_NUM_THREADS, GOTO_NUM_THREADS or
    // OMP_NUM_THREADS, else one per core it may run on) becomes the pool's default.
    SetPoolThreads(openblas_get_num_threads());
    openblas_set_num_threads(1);
  });
}

void EnsureSingleThreadedOpenblas() {
  if (openblas_get_num_threads() != 1) openblas_set_num_threads(1);
}

// setThreads(n): the pool's thread count (capped at kMaxPoolThreads); returns the count now in
// effect. OpenBLAS stays at one thread.
Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  const int n = Dimension(info, 0, "threads");
  if (n < 1) throw Napi::RangeError::New(info.Env(), "threads must be at least 1");
  return Napi::Number::New(info.Env(), SetPoolThreads(n));
}

// getThreads(): the pool's thread count.
Napi::Value GetThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), PoolThreads());
}

// openblasConfig() -> { config, coreName, threads, openblasThreads, parallel, blasLibrary,
// lapackLibrary }: threads is the pool's count, openblasThreads OpenBLAS's own (1).
Napi::Value OpenblasConfig(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  const char* config = openblas_get_config();
  const char* core = openblas_get_corename();
  out.Set("config", Napi::String::New(env, config == nullptr ? "" : config));
  out.Set("coreName", Napi::String::New(env, core == nullptr ? "" : core));
  out.Set("threads", Napi::Number::New(env, PoolThreads()));
  out.Set("openblasThreads", Napi::Number::New(env, openblas_get_num_threads()));
  // 0: sequential build, 1: pthreads, 2: OpenMP.
  out.Set("parallel", Napi::Number::New(env, openblas_get_parallel()));
  out.Set("blasLibrary", Napi::String::New(env, LibraryOf(reinterpret_cast<void*>(&dgemm_))));
  out.Set("lapackLibrary", Napi::String::New(env, LibraryOf(reinterpret_cast<void*>(&dsyevd_))));
  return out;
}

}  // namespace linalg_native
