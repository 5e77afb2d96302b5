#include "lapack-error.h"

#include <lapacke.h>

#include <climits>
#include <cmath>

namespace linalg_native {

void CheckLapackInfo(Napi::Env env, const char* routine, int info, const std::string& meaning) {
  if (info == 0) return;
  std::string why;
  if (info == LAPACK_WORK_MEMORY_ERROR || info == LAPACK_TRANSPOSE_MEMORY_ERROR) {
    why = "LAPACKE could not allocate its workspace (out of memory)";
  } else if (info < 0) {
    why = "argument " + std::to_string(-info) + " had an illegal value (a bug in @shallowscape/linalg-native)";
  } else {
    why = meaning;
  }
  Napi::Error error = Napi::Error::New(env, std::string("LAPACK ") + routine + " failed (info = " + std::to_string(info) + "): " + why);
  error.Set("routine", Napi::String::New(env, routine));
  error.Set("info", Napi::Number::New(env, info));
  throw error;
}

int WorkspaceSize(Napi::Env env, const char* routine, double query) {
  const double size = std::ceil(query);
  if (!(size <= static_cast<double>(INT_MAX))) {
    throw Napi::RangeError::New(env, std::string("LAPACK ") + routine + " needs a workspace of " + std::to_string(query) +
                                         " doubles, more than a 32-bit LAPACK can index");
  }
  return size < 1 ? 1 : static_cast<int>(size);
}

}  // namespace linalg_native
