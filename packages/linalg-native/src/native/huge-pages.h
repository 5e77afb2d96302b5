// Transparent huge pages for a large output array that BLAS is about to write.
//
// A Float64Array that JavaScript has just allocated is fresh memory from the operating system: on
// Linux the first write to each 4 KiB page faults, and for an 8 MiB product (n = 1024) those 2048
// faults cost about 5 ms on the machines of the package README, an eighth of the dgemm itself.
// Where transparent huge pages are enabled in `madvise` mode (the common default), asking for them
// on the 2 MiB-aligned interior of the array makes the kernel back it with 2 MiB pages at the
// first write instead (measured: the faults of an 8 MiB output fall from 5.3 to 2.4 ms). It is a
// hint: pages already present are unchanged, the contents are unchanged, a kernel without the
// feature ignores it, and other systems compile it away.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace linalg_native {

// Outputs below this size (bytes) are left alone: they hold fewer than two whole huge pages.
constexpr size_t kHugePageOutput = size_t{4} << 20;

// Advises huge pages for the whole 2 MiB pages inside data[0..count).
inline void AdviseHugePages(double* data, size_t count) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (count * sizeof(double) < kHugePageOutput) return;
  const uintptr_t huge = uintptr_t{1} << 21;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + huge - 1) & ~(huge - 1);
  const uintptr_t end = reinterpret_cast<uintptr_t>(data + count) & ~(huge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);  // a hint: its result does not matter
#else
  (void)data;
  (void)count;
#endif
}

}  // namespace linalg_native
