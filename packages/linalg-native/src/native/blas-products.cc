// The BLAS products of the backend contract on row-major arrays, through OpenBLAS's CBLAS
// (CblasRowMajor). Two rules of the contract that BLAS does not give by itself are enforced here:
// - beta = 0 ignores C (or y) entirely, NaN included: the output is zeroed before BLAS runs;
// - an empty inner dimension (k = 0) or alpha = 0 still scales C by beta (BLAS returns early on
//   some empty shapes without touching the output).
//
// Determinism. OpenBLAS runs at one thread (openblas-threads.h). A product is cut into pieces by a
// Plan that depends on its shape alone, each piece one single-threaded OpenBLAS call, and the
// pieces run on the addon's pool (thread-pool.h) in whatever order and on whatever thread: each
// writes its own part of the output, so the result has the same bits for every thread count.
// - Bands: the output is cut into bands of about kGemmBand rows of C (gemm: columns instead when
//   C is wider than tall), kGemvBand entries of y, or kFormBand rows of X (quadraticForms, one
//   task per band, see QuadraticForms): bands of one product have equal heights (rounded up to a
//   multiple of kBandAlign), the last one shorter. The lower triangle of syrk and weightedGram
//   (band rows r0..r1 need columns 0..r1) is cut into bands of equal work instead (TriangleBands:
//   ceil(n / kTriangleBand) of them, two from kTriangleSplit rows on), the first ones the tallest
//   (Cut::Start).
// - Groups: when the bands are few (below kTargetTasks) and the reduction is long (k > 2 max(m, n)
//   and k >= 2 kMinGroup), the reduction dimension k is cut too, into at most kTargetTasks /
//   bands groups of at least kMinGroup; group g > 0 is summed into a scratch copy of the output
//   and the copies are added to C in the order of g (one fixed order per entry).
// - A product below kParallelWork multiply-adds (or with one band and one group) is one call on
//   the calling thread, as before.
// The constants were measured on OpenBLAS 0.3.21 (Cooperlake kernels, see the package README): at
// one thread, bands of 512 rows of a 2048 x 2048 product cost 3-5 % over one dgemm call, bands of
// 256 rows about 7 %; waking the pool costs a few microseconds.
#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <vector>

#include "huge-pages.h"
#include "napi-arguments.h"
#include "native-functions.h"
#include "thread-pool.h"

namespace linalg_native {
namespace {

// Band of a general product (rows, or columns of C when n > m).
constexpr int kGemmBand = 512;
// Band of the lower triangle of a symmetric product: the number of bands is ceil(n / kTriangleBand),
// and at least two from kTriangleSplit rows on (TriangleBands), their boundaries splitting the
// triangle's work evenly (Cut::Start). Each band is a dsyrk and a dgemm that packs the rows above it
// again, so fewer bands cost less. Measured at one thread on syrk n = k = 1000 (C, median of 41):
// Cooperlake kernels (2-core AMD EPYC VM): one dsyrk 22.0-22.4 ms, two bands of equal work
// 21.6-21.9, three 23.7-24.8, four 24.0-24.3, eight 26.5-32.6; SkylakeX kernels: one dsyrk
// 18.7 ms, four bands of equal work 17.8 ms, four bands of 256 rows 20.3 ms (the long last bands
// repack most of A).
constexpr int kTriangleBand = 512;
constexpr int kTriangleSplit = 256;
// Band of y in gemv.
constexpr int kGemvBand = 2048;
// Band heights are multiples of this (a multiple of OpenBLAS's register blocks).
constexpr int kBandAlign = 32;
// Multiply-adds below which a product is one OpenBLAS call (a few tenths of a millisecond).
constexpr double kParallelWork = 8388608.0;  // 2^23
// Entries of A below which gemv is one call.
constexpr double kGemvParallelWork = 1048576.0;  // 2^20
// Pieces worth having when cutting the reduction: more than the threads of most machines.
constexpr int kTargetTasks = 8;
// Shortest group of the reduction dimension (group lengths are rounded up to 64).
constexpr int kMinGroup = 1024;
// The most doubles of scratch copies of the output that the groups may take (32 MiB).
constexpr size_t kMaxPartials = size_t{1} << 22;
// weightedGram scales X by sqrt|w| in chunks of at most kScaleRows rows (all groups' chunks
// together at most kScaleBuffer doubles).
constexpr int kScaleRows = 2048;
constexpr size_t kScaleBuffer = size_t{1} << 20;
// Rows of X per task when a chunk is scaled on the pool.
constexpr int kScalePiece = 256;
// quadraticForms: rows of X per task (a band), and columns per block of the column-blocked scheme
// (one dgemm per block and band). 16 columns are one register tile of OpenBLAS's AVX-512 dgemm
// kernels; measured at one thread on N = 20000, d = 100 (Cooperlake kernels): blocks of 16 take
// 2.3 ms, of 20-32 2.4-2.6 ms, one dgemm X A per band (full d^2) 5.0 ms, dtrmm 3.3 ms; bands of
// 128-256 rows are equally fast, 512 slower.
constexpr int kFormBand = 256;
constexpr int kFormBlock = 16;

long long CeilDiv(long long a, long long b) { return (a + b - 1) / b; }

struct Range {
  int begin;
  int end;
  int size() const { return end - begin; }
};

// A dimension of `length` cut into `count` consecutive pieces: of `size` each (the last one
// shorter), or with `triangle`, of equal work in a lower triangle (see Start).
struct Cut {
  int length = 0;
  int size = 0;
  int count = 1;
  bool triangle = false;
  // Where piece i starts (i <= count; piece `count` starts at `length`). Triangle pieces: rows r of
  // a lower triangle cost r + 1 each, so the first i of `count` pieces hold a fraction i / count
  // of the work when they end at length sqrt(i / count), rounded up to kBandAlign. The last pieces
  // are the shortest: with count = TriangleBands(length).count the smallest is still longer than
  // kBandAlign, so no piece is empty (an empty one would be harmless).
  int Start(int i) const {
    if (i >= count) return length;
    if (!triangle) return i * size;
    const double start = std::ceil(length * std::sqrt(static_cast<double>(i) / count) / kBandAlign) * kBandAlign;
    return static_cast<int>(std::min<double>(length, start));
  }
  Range operator[](int i) const { return {Start(i), Start(i + 1)}; }
};

Cut Whole(int length) {
  Cut cut;
  cut.length = length;
  cut.size = length;
  cut.count = 1;
  return cut;
}

// `length` cut into ceil(length / target) pieces of equal size rounded up to `align`.
Cut Even(int length, int target, int align) {
  const long long count = CeilDiv(length, target);
  if (count <= 1) return Whole(length);
  Cut cut;
  cut.length = length;
  cut.size = static_cast<int>(std::min<long long>(length, CeilDiv(CeilDiv(length, count), align) * align));
  cut.count = static_cast<int>(CeilDiv(length, cut.size));
  return cut;
}

// The bands of the lower triangle of an `n x n` symmetric product (see kTriangleBand), of equal work.
Cut TriangleBands(int n) {
  const long long count = std::max<long long>(CeilDiv(n, kTriangleBand), n > kTriangleSplit ? 2 : 1);
  if (count <= 1) return Whole(n);
  Cut cut;
  cut.length = n;
  cut.count = static_cast<int>(count);
  cut.size = static_cast<int>(CeilDiv(n, count));
  cut.triangle = true;
  return cut;
}

// The reduction groups of a product with `bands` bands, inner dimension k, longest output side
// `longest` and `output` entries (see the top of the file).
Cut Groups(int k, int bands, int longest, size_t output) {
  if (bands >= kTargetTasks || k < 2 * kMinGroup || static_cast<long long>(k) <= 2LL * longest) return Whole(k);
  size_t groups = std::min<size_t>(CeilDiv(kTargetTasks, bands), static_cast<size_t>(k / kMinGroup));
  groups = std::min(groups, 1 + kMaxPartials / std::max<size_t>(output, 1));
  if (groups <= 1) return Whole(k);
  return Even(k, static_cast<int>(CeilDiv(k, static_cast<long long>(groups))), 64);
}

// `length` cut into pieces of exactly `size` (the last one shorter).
Cut Fixed(int length, int size) {
  if (length <= size) return Whole(length);
  Cut cut;
  cut.length = length;
  cut.size = size;
  cut.count = static_cast<int>(CeilDiv(length, size));
  return cut;
}

// The fixed partition of one product: bands of the output times groups of the reduction.
struct Plan {
  Cut bands;
  Cut groups;
};

// The plan of a product with banded dimension `length` (bands of about `band`, or with `triangle`
// the TriangleBands of a lower triangle), inner dimension k, `work` multiply-adds, longest output
// side `longest` and `output` entries.
Plan MakePlan(int length, int band, int k, double work, int longest, size_t output, bool triangle) {
  if (work < kParallelWork) return {Whole(length), Whole(k)};
  Plan plan;
  plan.bands = triangle ? TriangleBands(length) : Even(length, band, kBandAlign);
  plan.groups = Groups(k, plan.bands.count, longest, output);
  return plan;
}

// Runs task(band, group) for every pair of the plan on the pool. With `triangle`, the bands are
// handed out last first: the lower rows of a triangle are the longest, and starting with them
// balances the threads.
void RunTasks(const Plan& plan, bool triangle, const std::function<void(int, int)>& task) {
  const int groups = plan.groups.count;
  const int bands = plan.bands.count;
  ParallelFor(static_cast<size_t>(bands) * groups, [&](size_t t) {
    const int b = static_cast<int>(t / groups);
    task(triangle ? bands - 1 - b : b, static_cast<int>(t % groups));
  });
}

// The scratch copy of the output (rows x cols, row-major) that group g > 0 is summed into.
double* Partial(std::vector<double>& partials, int g, size_t output) { return partials.data() + (static_cast<size_t>(g) - 1) * output; }

// C[i][j] += partial_g[i][j] for g = 1, 2, ... in this order, over rows x cols of the row-major
// C with leading dimension ld, or only j <= i when `lower`.
void AddPartials(double* c, const std::vector<double>& partials, int groups, size_t output, int ld, Range rows, Range cols, bool lower) {
  for (int i = rows.begin; i < rows.end; i++) {
    double* ci = c + Count(i, ld);
    const int jEnd = lower ? std::min(cols.end, i + 1) : cols.end;
    for (int g = 1; g < groups; g++) {
      const double* pi = partials.data() + (static_cast<size_t>(g) - 1) * output + Count(i, ld);
      for (int j = cols.begin; j < jEnd; j++) ci[j] += pi[j];
    }
  }
}

// out[0..len) *= beta, with beta = 0 writing zeros whatever out held.
void ScaleOutput(double* out, size_t len, double beta) {
  if (beta == 0) {
    std::fill(out, out + len, 0.0);
  } else if (beta != 1) {
    for (size_t i = 0; i < len; i++) out[i] *= beta;
  }
}

// Copies the strict lower triangle of rows r0..r1 of the row-major n x n matrix c onto the upper
// triangle (columns r0..r1 of rows 0..r1), in 64 x 64 tiles. Bands of rows write disjoint
// columns, so the bands of one matrix can be mirrored in parallel.
void MirrorBand(int n, double* c, int r0, int r1) {
  const int tile = 64;
  const size_t ld = static_cast<size_t>(n);
  for (int i0 = r0; i0 < r1; i0 += tile) {
    const int i1 = std::min(i0 + tile, r1);
    for (int j0 = 0; j0 < i1; j0 += tile) {
      const int j1 = std::min(j0 + tile, i1);
      for (int i = i0; i < i1; i++) {
        const int jEnd = std::min(j1, i);
        for (int j = j0; j < jEnd; j++) c[j * ld + i] = c[i * ld + j];
      }
    }
  }
}

// Ends a symmetric product: adds the groups' partial lower triangles to C and mirrors the lower
// triangle, band by band on the pool, so that C is exactly symmetric.
void FinishSymmetric(const Plan& plan, int n, double* c, const std::vector<double>& partials) {
  const size_t output = Count(n, n);
  ParallelFor(static_cast<size_t>(plan.bands.count), [&](size_t t) {
    const Range band = plan.bands[plan.bands.count - 1 - static_cast<int>(t)];
    if (plan.groups.count > 1) AddPartials(c, partials, plan.groups.count, output, n, band, Range{0, band.end}, true);
    MirrorBand(n, c, band.begin, band.end);
  });
}

// Band `rows` of the lower triangle of C <- alpha op(A) op(A)^T + beta C (C row-major, leading
// dimension ldc): one dsyrk on the band's diagonal block and one dgemm left of it, reading and
// writing only C[rows, 0:rows.end] on and below the diagonal. op(A) has k columns; `a` points at
// op(A)[0][0], which is A (n x k, lda) or, with transpose, A^T of A (k x n, lda).
void LowerBand(bool transpose, Range rows, int k, double alpha, const double* a, int lda, double beta, double* c, int ldc) {
  const double* band = transpose ? a + rows.begin : a + Count(rows.begin, lda);
  cblas_dsyrk(CblasRowMajor, CblasLower, transpose ? CblasTrans : CblasNoTrans, rows.size(), k, alpha, band, lda, beta, c + Count(rows.begin, ldc) + rows.begin,
              Leading(ldc));
  if (rows.begin > 0) {
    // C[rows, 0:r0] = alpha op(A)[rows, :] op(A)[0:r0, :]^T + beta C[rows, 0:r0].
    cblas_dgemm(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, transpose ? CblasNoTrans : CblasTrans, rows.size(), rows.begin, k, alpha, band, lda, a,
                lda, beta, c + Count(rows.begin, ldc), Leading(ldc));
  }
}

// C[rows, cols] <- alpha op(A)[rows, ks] op(B)[ks, cols] + beta C[rows, cols] as one dgemm, for
// the row-major m x n C (leading dimension n), A m x k (k x m with transA), B k x n (n x k with
// transB).
void GemmBlock(bool transA, bool transB, int m, int n, int k, double alpha, const double* a, const double* b, double beta, double* c, Range rows,
               Range cols, Range ks) {
  const double* pa = transA ? a + Count(ks.begin, m) + rows.begin : a + Count(rows.begin, k) + ks.begin;
  const double* pb = transB ? b + Count(cols.begin, k) + ks.begin : b + Count(ks.begin, n) + cols.begin;
  cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, rows.size(), cols.size(), ks.size(), alpha,
              pa, Leading(transA ? m : k), pb, Leading(transB ? k : n), beta, c + Count(rows.begin, n) + cols.begin, Leading(n));
}

}  // namespace

// gemm(transA, transB, m, n, k, alpha, a, b, beta, c): C <- alpha op(A) op(B) + beta C. Bands of
// rows of C (of columns when n > m), see the top of the file.
Napi::Value Gemm(const Napi::CallbackInfo& info) {
  const bool transA = Flag(info, 0);
  const bool transB = Flag(info, 1);
  const int m = Dimension(info, 2, "m");
  const int n = Dimension(info, 3, "n");
  const int k = Dimension(info, 4, "k");
  const double alpha = Scalar(info, 5, "alpha");
  const double* a = Array(info, 6, "a", Count(m, k));
  const double* b = Array(info, 7, "b", Count(k, n));
  const double beta = Scalar(info, 8, "beta");
  double* c = Array(info, 9, "c", Count(m, n));
  if (m == 0 || n == 0) return info.Env().Undefined();
  if (k == 0 || alpha == 0) {
    ScaleOutput(c, Count(m, n), beta);
    return info.Env().Undefined();
  }
  // With beta = 0 the bands of group 0 write every entry of C without reading it (BLAS semantics):
  // no clearing pass is needed (it cost 3% at n = 1024).
  AdviseHugePages(c, Count(m, n));
  const bool byRows = m >= n;
  const size_t output = Count(m, n);
  const Plan plan = MakePlan(byRows ? m : n, kGemmBand, k, static_cast<double>(m) * n * k, std::max(m, n), output, false);
  std::vector<double> partials(static_cast<size_t>(plan.groups.count - 1) * output);
  RunTasks(plan, false, [&](int band, int group) {
    const Range part = plan.bands[band];
    GemmBlock(transA, transB, m, n, k, alpha, a, b, group == 0 ? beta : 0.0, group == 0 ? c : Partial(partials, group, output),
              byRows ? part : Range{0, m}, byRows ? Range{0, n} : part, plan.groups[group]);
  });
  if (plan.groups.count > 1) {
    ParallelFor(static_cast<size_t>(plan.bands.count), [&](size_t t) {
      const Range part = plan.bands[static_cast<int>(t)];
      AddPartials(c, partials, plan.groups.count, output, n, byRows ? part : Range{0, m}, byRows ? Range{0, n} : part, false);
    });
  }
  return info.Env().Undefined();
}

// syrk(transpose, n, k, alpha, a, beta, c): C <- alpha A A^T + beta C (A is n x k), or with
// transpose C <- alpha A^T A + beta C (A is k x n). The lower triangle is computed by bands of
// rows, each one dsyrk on its diagonal block and one dgemm on the block left of it (reading only
// the lower triangle of C), then mirrored: the full C is written, exactly symmetric.
Napi::Value Syrk(const Napi::CallbackInfo& info) {
  const bool transpose = Flag(info, 0);
  const int n = Dimension(info, 1, "n");
  const int k = Dimension(info, 2, "k");
  const double alpha = Scalar(info, 3, "alpha");
  const double* a = Array(info, 4, "a", Count(n, k));
  const double beta = Scalar(info, 5, "beta");
  double* c = Array(info, 6, "c", Count(n, n));
  if (n == 0) return info.Env().Undefined();
  if (k == 0 || alpha == 0) {
    ScaleOutput(c, Count(n, n), beta);
    MirrorBand(n, c, 0, n);
    return info.Env().Undefined();
  }
  AdviseHugePages(c, Count(n, n));
  // With beta = 0, dsyrk and dgemm write the lower triangle without reading it (OpenBLAS's beta
  // pass stores zeros), and the mirror writes the rest: no clearing pass.
  const size_t output = Count(n, n);
  const Plan plan = MakePlan(n, 0, k, 0.5 * static_cast<double>(n) * n * k, n, output, true);
  std::vector<double> partials(static_cast<size_t>(plan.groups.count - 1) * output);
  const int lda = Leading(transpose ? n : k);
  RunTasks(plan, true, [&](int band, int group) {
    const Range ks = plan.groups[group];
    // op(A)[0][ks.begin]: A[0][ks.begin], or A^T[0][ks.begin] = A[ks.begin][0] with transpose.
    const double* first = transpose ? a + Count(ks.begin, n) : a + ks.begin;
    LowerBand(transpose, plan.bands[band], ks.size(), alpha, first, lda, group == 0 ? beta : 0.0, group == 0 ? c : Partial(partials, group, output), n);
  });
  FinishSymmetric(plan, n, c, partials);
  return info.Env().Undefined();
}

// weightedGram(rows, cols, x, w, c): C <- X^T diag(w) X (C overwritten), w of either sign, as
// two symmetric products: C = Bp^T Bp - Bn^T Bn, where Bp holds the rows sqrt(w_i) x_i with w_i >= 0
// and Bn the rows sqrt(-w_i) x_i with w_i < 0. Each is a syrk (dsyrk on a band's diagonal block,
// dgemm left of it), half the multiply-adds of the general product X^T (diag(w) X). Measured at one
// thread (SkylakeX kernels, C prototype): 20000 x 100 in 7.8 ms against 11.0 ms for blocked dgemm
// and 12.8 ms for one dgemm (numpy's (x.T * w) @ x); 5000 x 300 in 9.7 against 15.2 and 17.4 ms.
// Each term w_i x_i x_i^T then carries the rounding of sqrt|w_i| squared, a few units in the last
// place, within the product's error bound k u sum_i |w_i| |x_i| |x_i|^T.
// X is taken chunk by chunk of its rows (at most kScaleRows): a chunk's rows are scaled into a
// buffer, the nonnegative weights first and the negative ones after, each in the order of the
// rows (slots from a counting pass), and every band of the triangle adds the chunk's two products,
// in the order of the chunks. With one band, each group's task scales its own chunks just before
// using them; with several, every chunk is scaled once (on the pool) and then used by all bands.
// The lower triangle is then mirrored so that C is exactly symmetric.
Napi::Value WeightedGram(const Napi::CallbackInfo& info) {
  const int rows = Dimension(info, 0, "rows");
  const int cols = Dimension(info, 1, "cols");
  const double* x = Array(info, 2, "x", Count(rows, cols));
  const double* w = Array(info, 3, "w", static_cast<size_t>(rows));
  double* c = Array(info, 4, "c", Count(cols, cols));
  if (cols == 0) return info.Env().Undefined();
  AdviseHugePages(c, Count(cols, cols));
  // C and the groups' partial sums start at zero; every product below adds to them (beta = 1).
  std::fill(c, c + Count(cols, cols), 0.0);
  if (rows == 0) return info.Env().Undefined();
  const size_t output = Count(cols, cols);
  const Plan plan = MakePlan(cols, 0, rows, 0.5 * static_cast<double>(cols) * cols * rows, cols, output, true);
  const int groups = plan.groups.count;
  std::vector<double> partials(static_cast<size_t>(groups - 1) * output);
  // Chunks of rows: each group's scaled chunk (chunk x cols) takes 1 / groups of kScaleBuffer.
  const int chunk = static_cast<int>(std::clamp<size_t>(kScaleBuffer / static_cast<size_t>(groups) / static_cast<size_t>(cols) / 64 * 64, 64, kScaleRows));
  const int rounds = static_cast<int>(CeilDiv(plan.groups.size, chunk));
  const int held = std::min(chunk, rows);
  std::vector<double> scaled(Count(groups, 1) * Count(held, cols));
  std::vector<int> slots(Count(groups, held));
  std::vector<int> nonnegative(static_cast<size_t>(groups));
  auto buffer = [&](int group) { return scaled.data() + Count(group, 1) * Count(held, cols); };
  // Rows s0..s1 of X of chunk `round` of `group` (empty past the group's end).
  auto chunkOf = [&](int group, int round) {
    const Range ks = plan.groups[group];
    const int s0 = std::min(ks.end, ks.begin + round * chunk);
    return Range{s0, std::min(ks.end, s0 + chunk)};
  };
  // The buffer row of each row of the chunk: the rows with w >= 0 first, then the others, each in order.
  auto arrange = [&](int group, Range chunkRows) {
    int* slot = slots.data() + Count(group, held);
    int first = 0;
    for (int r = chunkRows.begin; r < chunkRows.end; r++) first += w[r] >= 0 ? 1 : 0;
    int p = 0;
    int q = first;
    for (int r = chunkRows.begin; r < chunkRows.end; r++) slot[r - chunkRows.begin] = w[r] >= 0 ? p++ : q++;
    nonnegative[static_cast<size_t>(group)] = first;
  };
  // Buffer row slot(r) = sqrt(|w_r|) x_r for the rows r of `part` (within the chunk).
  auto scale = [&](int group, Range chunkRows, Range part) {
    const int* slot = slots.data() + Count(group, held);
    for (int r = part.begin; r < part.end; r++) {
      const double* xr = x + Count(r, cols);
      double* br = buffer(group) + Count(slot[r - chunkRows.begin], cols);
      const double sr = std::sqrt(std::fabs(w[r]));
      for (int j = 0; j < cols; j++) br[j] = sr * xr[j];
    }
  };
  // C[band, 0:band.end] += Bp^T Bp - Bn^T Bn over the chunk (lower triangle of the band).
  auto multiply = [&](int band, int group, Range chunkRows) {
    const Range part = plan.bands[band];
    double* out = group == 0 ? c : Partial(partials, group, output);
    const int p = nonnegative[static_cast<size_t>(group)];
    for (int sign = 0; sign < 2; sign++) {
      const double* b = buffer(group) + (sign == 0 ? 0 : Count(p, cols));
      const int k = sign == 0 ? p : chunkRows.size() - p;
      const double alpha = sign == 0 ? 1.0 : -1.0;
      if (k > 0) LowerBand(true, part, k, alpha, b, cols, 1.0, out, cols);
    }
  };
  if (plan.bands.count == 1) {
    RunTasks(plan, true, [&](int band, int group) {
      for (int round = 0; round < rounds; round++) {
        const Range chunkRows = chunkOf(group, round);
        if (chunkRows.size() == 0) break;
        arrange(group, chunkRows);
        scale(group, chunkRows, chunkRows);
        multiply(band, group, chunkRows);
      }
    });
  } else {
    const int pieces = static_cast<int>(CeilDiv(chunk, kScalePiece));
    for (int round = 0; round < rounds; round++) {
      for (int group = 0; group < groups; group++) arrange(group, chunkOf(group, round));
      ParallelFor(Count(groups, pieces), [&](size_t t) {
        const int group = static_cast<int>(t / pieces);
        const Range chunkRows = chunkOf(group, round);
        const int p0 = std::min(chunkRows.end, chunkRows.begin + static_cast<int>(t % pieces) * kScalePiece);
        scale(group, chunkRows, Range{p0, std::min(chunkRows.end, p0 + kScalePiece)});
      });
      RunTasks(plan, true, [&](int band, int group) {
        const Range chunkRows = chunkOf(group, round);
        if (chunkRows.size() > 0) multiply(band, group, chunkRows);
      });
    }
  }
  FinishSymmetric(plan, cols, c, partials);
  return info.Env().Undefined();
}

// gemv(trans, m, n, alpha, a, x, beta, y): y <- alpha op(A) x + beta y, A is m x n. Bands of y
// (rows of A, or columns with trans) of about kGemvBand entries when A has kGemvParallelWork
// entries or more; each band is one dgemv.
Napi::Value Gemv(const Napi::CallbackInfo& info) {
  const bool trans = Flag(info, 0);
  const int m = Dimension(info, 1, "m");
  const int n = Dimension(info, 2, "n");
  const double alpha = Scalar(info, 3, "alpha");
  const double* a = Array(info, 4, "a", Count(m, n));
  const int lenx = trans ? m : n;
  const int leny = trans ? n : m;
  const double* x = Array(info, 5, "x", static_cast<size_t>(lenx));
  const double beta = Scalar(info, 6, "beta");
  double* y = Array(info, 7, "y", static_cast<size_t>(leny));
  if (leny == 0) return info.Env().Undefined();
  if (lenx == 0 || alpha == 0) {
    ScaleOutput(y, static_cast<size_t>(leny), beta);
    return info.Env().Undefined();
  }
  if (beta == 0) std::fill(y, y + leny, 0.0);
  const Cut bands = static_cast<double>(m) * n < kGemvParallelWork ? Whole(leny) : Even(leny, kGemvBand, kBandAlign);
  ParallelFor(static_cast<size_t>(bands.count), [&](size_t t) {
    const Range part = bands[static_cast<int>(t)];
    if (trans) {
      // y[part] = alpha A[:, part]^T x + beta y[part]: A's columns part are m x |part| with lda n.
      cblas_dgemv(CblasRowMajor, CblasTrans, m, part.size(), alpha, a + part.begin, Leading(n), x, 1, beta, y + part.begin, 1);
    } else {
      cblas_dgemv(CblasRowMajor, CblasNoTrans, part.size(), n, alpha, a + Count(part.begin, n), Leading(n), x, 1, beta, y + part.begin, 1);
    }
  });
  return info.Env().Undefined();
}

namespace {

// sum_j p[j] x[j] for j < len, in four interleaved partial sums added in a fixed order (the same
// bits on every thread and every call).
double RowDot(const double* p, const double* x, int len) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int j = 0;
  for (; j + 4 <= len; j += 4) {
    s0 += p[j] * x[j];
    s1 += p[j + 1] * x[j + 1];
    s2 += p[j + 2] * x[j + 2];
    s3 += p[j + 3] * x[j + 3];
  }
  for (; j < len; j++) s0 += p[j] * x[j];
  return (s0 + s1) + (s2 + s3);
}

}  // namespace

// quadraticForms(n, d, x, a, f): f_i = x_i^T A x_i for the rows x_i of the row-major n x d X and
// the symmetric d x d A, of which only the upper triangle is read; f overwritten. The scheme of
// the reference kernel (blockedQuadraticFormsKernel in @shallowscape/linalg) with blocks of
// kFormBlock columns [s_p, e_p): with the panels V_p[r][j] = c_r A[r][s_p + j] (r < e_p; c_r = 2
// for r < s_p, 1 inside the block, entries below the diagonal taken from above it),
//   f_i = sum_p sum_j x[i][s_p + j] (X[i, 0:e_p] V_p)[j],
// about n d (d + kFormBlock) / 2 multiply-adds instead of the n d^2 of X A. The rows are cut into
// bands of kFormBand rows (by n alone); each band is one task: per block, one dgemm of the band's
// column prefix X[band, 0:e_p] (read in place, leading dimension d) by V_p into the task's own
// scratch, then the row dots added to f in the order of the blocks. Each f_i is written by one
// task in a fixed order, so the bits do not depend on the thread count. Below kParallelWork
// multiply-adds the same tasks run on the calling thread.
Napi::Value QuadraticForms(const Napi::CallbackInfo& info) {
  const int n = Dimension(info, 0, "n");
  const int d = Dimension(info, 1, "d");
  const double* x = Array(info, 2, "x", Count(n, d));
  const double* a = Array(info, 3, "a", Count(d, d));
  double* f = Array(info, 4, "f", static_cast<size_t>(n));
  if (n == 0) return info.Env().Undefined();
  if (d == 0) {
    std::fill(f, f + n, 0.0);
    return info.Env().Undefined();
  }
  const Cut blocks = Fixed(d, kFormBlock);
  std::vector<size_t> offsets(static_cast<size_t>(blocks.count));
  size_t length = 0;
  for (int p = 0; p < blocks.count; p++) {
    offsets[static_cast<size_t>(p)] = length;
    length += Count(blocks[p].end, blocks[p].size());
  }
  std::vector<double> panels(length);
  for (int p = 0; p < blocks.count; p++) {
    const Range cols = blocks[p];
    const int bw = cols.size();
    double* v = panels.data() + offsets[static_cast<size_t>(p)];
    for (int r = 0; r < cols.begin; r++) {
      for (int j = 0; j < bw; j++) v[Count(r, bw) + j] = 2 * a[Count(r, d) + cols.begin + j];
    }
    for (int r = cols.begin; r < cols.end; r++) {
      for (int j = 0; j < bw; j++) {
        const int col = cols.begin + j;
        v[Count(r, bw) + j] = r <= col ? a[Count(r, d) + col] : a[Count(col, d) + r];
      }
    }
  }
  const Cut bands = Even(n, kFormBand, kBandAlign);
  auto task = [&](size_t t) {
    const Range rows = bands[static_cast<int>(t)];
    std::vector<double> product(Count(rows.size(), blocks.size));
    std::fill(f + rows.begin, f + rows.end, 0.0);
    for (int p = 0; p < blocks.count; p++) {
      const Range cols = blocks[p];
      const int bw = cols.size();
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows.size(), bw, cols.end, 1.0, x + Count(rows.begin, d), d,
                  panels.data() + offsets[static_cast<size_t>(p)], bw, 0.0, product.data(), bw);
      for (int i = 0; i < rows.size(); i++) {
        f[rows.begin + i] += RowDot(product.data() + Count(i, bw), x + Count(rows.begin + i, d) + cols.begin, bw);
      }
    }
  };
  const double work = static_cast<double>(n) * static_cast<double>(length);
  if (work < kParallelWork) {
    for (size_t t = 0; t < static_cast<size_t>(bands.count); t++) task(t);
  } else {
    ParallelFor(static_cast<size_t>(bands.count), task);
  }
  return info.Env().Undefined();
}

// dot(n, x, y): x^T y over the first n entries.
Napi::Value Dot(const Napi::CallbackInfo& info) {
  const int n = Dimension(info, 0, "n");
  const double* x = Array(info, 1, "x", static_cast<size_t>(n));
  const double* y = Array(info, 2, "y", static_cast<size_t>(n));
  return Napi::Number::New(info.Env(), n == 0 ? 0.0 : cblas_ddot(n, x, 1, y, 1));
}

}  // namespace linalg_native
