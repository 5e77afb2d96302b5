// How the process keeps the memory of freed arrays: glibc's malloc thresholds, set once when the
// addon loads (heap-policy.cc).
#pragma once

#include <napi.h>

namespace linalg_native {

// Sets glibc's mmap and trim thresholds (kKeptBlock, kKeptFree in heap-policy.cc) unless the
// environment sets a malloc tunable; elsewhere than glibc it does nothing. Runs once.
void ApplyHeapPolicy();

// heapPolicy() -> { source, mmapThreshold, trimThreshold }: source 'addon' (the thresholds in
// bytes are the addon's), 'environment' (a MALLOC_* variable or a glibc.malloc tunable was set:
// glibc's own policy, thresholds null) or 'unsupported' (not glibc, or mallopt refused: null).
Napi::Value HeapPolicy(const Napi::CallbackInfo& info);

}  // namespace linalg_native
