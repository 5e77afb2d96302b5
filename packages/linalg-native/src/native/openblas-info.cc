// OpenBLAS's thread count and build, and which shared libraries the BLAS and LAPACK symbols were
// bound to at load time. The OpenBLAS extensions are declared here rather than taken from
// cblas.h, which only some distributions' headers extend with them.
#include <dlfcn.h>

#include <string>

#include "napi-arguments.h"
#include "native-functions.h"

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

// setThreads(n): openblas_set_num_threads(n); returns the count now in effect.
Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  const int n = Dimension(info, 0, "threads");
  if (n < 1) throw Napi::RangeError::New(info.Env(), "threads must be at least 1");
  openblas_set_num_threads(n);
  return Napi::Number::New(info.Env(), openblas_get_num_threads());
}

// getThreads(): openblas_get_num_threads().
Napi::Value GetThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), openblas_get_num_threads());
}

// openblasConfig() -> { config, coreName, threads, parallel, blasLibrary, lapackLibrary }.
Napi::Value OpenblasConfig(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  const char* config = openblas_get_config();
  const char* core = openblas_get_corename();
  out.Set("config", Napi::String::New(env, config == nullptr ? "" : config));
  out.Set("coreName", Napi::String::New(env, core == nullptr ? "" : core));
  out.Set("threads", Napi::Number::New(env, openblas_get_num_threads()));
  // 0: sequential build, 1: pthreads, 2: OpenMP.
  out.Set("parallel", Napi::Number::New(env, openblas_get_parallel()));
  out.Set("blasLibrary", Napi::String::New(env, LibraryOf(reinterpret_cast<void*>(&dgemm_))));
  out.Set("lapackLibrary", Napi::String::New(env, LibraryOf(reinterpret_cast<void*>(&dsyevd_))));
  return out;
}

}  // namespace linalg_native
