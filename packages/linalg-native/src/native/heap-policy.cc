// The heap policy of a process that loads the addon (glibc only).
//
// V8 frees the memory of dead Float64Arrays in batches, when it collects garbage, not when the
// last reference goes. By default glibc serves a block of 8 MiB (an n = 1024 product) with a
// fresh mmap, or, once such a block has been freed, from the heap, and it returns the top of the
// heap to the system as soon as more than twice the largest freed block lies free there. A batch
// of freed outputs is that, so the next outputs are fresh pages again, and the first write to
// each 4 KiB page faults. On the virtual machines of the package README a fault costs 2-10 us,
// so first touching an 8 MiB output can take 5-20 ms: as long as the 1024 x 1024 product itself
// (numpy frees an array at once and reuses the same warm block on the next call).
//
// So, when it loads, the addon fixes glibc's thresholds at the values its own heuristics would
// reach for a program that frees 32 MiB blocks, and keeps up to 128 MiB free: blocks up to
// kKeptBlock come from the heap, and the heap is trimmed only when more than kKeptFree of it is
// free. The outputs of a loop then reuse warm memory. A user's own setting wins: any MALLOC_*
// variable or glibc.malloc tunable in the environment leaves glibc's policy as it is.
#include "heap-policy.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace linalg_native {
namespace {

// Blocks up to this size come from the heap (glibc's largest allowed mmap threshold on 64 bits).
constexpr int kKeptBlock = 32 << 20;
// Free memory at the top of the heap kept before glibc returns it to the system.
constexpr int kKeptFree = 128 << 20;

enum class Source { kAddon, kEnvironment, kUnsupported };

Source applied = Source::kUnsupported;

// Whether the environment sets glibc's malloc policy itself (MALLOC_MMAP_THRESHOLD_,
// MALLOC_TRIM_THRESHOLD_, MALLOC_TOP_PAD_, MALLOC_MMAP_MAX_, or glibc.malloc.* in GLIBC_TUNABLES).
bool EnvironmentSetsMalloc() {
  for (const char* name : {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_MAX_"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  return tunables != nullptr && std::strstr(tunables, "glibc.malloc.") != nullptr;
}

}  // namespace

void ApplyHeapPolicy() {
  static std::once_flag once;
  std::call_once(once, [] {
#if defined(__GLIBC__)
    if (EnvironmentSetsMalloc()) {
      applied = Source::kEnvironment;
    } else if (mallopt(M_MMAP_THRESHOLD, kKeptBlock) == 1 && mallopt(M_TRIM_THRESHOLD, kKeptFree) == 1) {
      applied = Source::kAddon;
    }
#endif
  });
}

Napi::Value HeapPolicy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  const bool ours = applied == Source::kAddon;
  out.Set("source", Napi::String::New(env, ours ? "addon" : applied == Source::kEnvironment ? "environment" : "unsupported"));
  out.Set("mmapThreshold", ours ? Napi::Value(Napi::Number::New(env, kKeptBlock)) : env.Null());
  out.Set("trimThreshold", ours ? Napi::Value(Napi::Number::New(env, kKeptFree)) : env.Null());
  return out;
}

}  // namespace linalg_native
