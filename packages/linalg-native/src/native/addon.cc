// The linalg_native addon: OpenBLAS's BLAS and LAPACK(E) on row-major Float64Arrays, for the
// `native` backend of @shallowscape/linalg. Every call is synchronous: the calling thread returns
// when the result is written. OpenBLAS runs at one thread; the products gemm, syrk, weightedGram,
// quadraticForms and gemv are cut into a fixed set of pieces (by shape only) that the addon's own
// thread pool runs (thread-pool.h), so their bits do not depend on the thread count. LAPACK runs
// on the calling thread alone. Loading it sets glibc's malloc thresholds (heap-policy.cc).
#include <napi.h>

#include <new>

#include "heap-policy.h"
#include "native-functions.h"
#include "openblas-threads.h"

namespace linalg_native {
namespace {

using Function = Napi::Value (*)(const Napi::CallbackInfo&);

// Keeps OpenBLAS at one thread, and turns an allocation failure inside F (or inside a task of
// the pool, rethrown by ParallelFor) into a JavaScript Error instead of terminating Node
// (node-addon-api converts only Napi::Error).
template <Function F>
Napi::Value Guarded(const Napi::CallbackInfo& info) {
  try {
    EnsureSingleThreadedOpenblas();
    return F(info);
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(info.Env(), "linalg-native: out of memory");
  }
}

template <Function F>
void Export(Napi::Env env, Napi::Object exports, const char* name) {
  exports.Set(name, Napi::Function::New(env, Guarded<F>, name));
}

Napi::Object ExportAll(Napi::Env env, Napi::Object exports) {
  InitThreads();
  ApplyHeapPolicy();
  Export<Gemm>(env, exports, "gemm");
  Export<Syrk>(env, exports, "syrk");
  Export<WeightedGram>(env, exports, "weightedGram");
  Export<QuadraticForms>(env, exports, "quadraticForms");
  Export<Gemv>(env, exports, "gemv");
  Export<Dot>(env, exports, "dot");
  Export<Eigh>(env, exports, "eigh");
  Export<Svd>(env, exports, "svd");
  Export<SingularValues>(env, exports, "singularValues");
  Export<Cholesky>(env, exports, "cholesky");
  Export<QrPivoted>(env, exports, "qrPivoted");
  Export<LeastSquares>(env, exports, "leastSquares");
  Export<SetThreads>(env, exports, "setThreads");
  Export<GetThreads>(env, exports, "getThreads");
  Export<OpenblasConfig>(env, exports, "openblasConfig");
  Export<HeapPolicy>(env, exports, "heapPolicy");
  return exports;
}

}  // namespace
}  // namespace linalg_native

// NODE_API_MODULE pastes the function's name into an identifier: it must be unqualified.
static Napi::Object InitLinalgNative(Napi::Env env, Napi::Object exports) { return linalg_native::ExportAll(env, exports); }

NODE_API_MODULE(linalg_native, InitLinalgNative)
