// The BLAS products of the backend contract on row-major arrays, through OpenBLAS's CBLAS
// (CblasRowMajor). Two rules of the contract that BLAS does not give by itself are enforced here:
// - beta = 0 ignores C (or y) entirely, NaN included: the output is zeroed before BLAS runs;
// - an empty inner dimension (k = 0) or alpha = 0 still scales C by beta (BLAS returns early on
//   some empty shapes without touching the output).
#include <cblas.h>

#include <algorithm>
#include <vector>

#include "napi-arguments.h"
#include "native-functions.h"

namespace linalg_native {
namespace {

// out[0..len) *= beta, with beta = 0 writing zeros whatever out held.
void ScaleOutput(double* out, size_t len, double beta) {
  if (beta == 0) {
    std::fill(out, out + len, 0.0);
  } else if (beta != 1) {
    for (size_t i = 0; i < len; i++) out[i] *= beta;
  }
}

// Copies the strict lower triangle of the row-major n x n matrix c onto its upper triangle, in
// 64 x 64 tiles, so that c is exactly symmetric.
void MirrorLowerToUpper(int n, double* c) {
  const int tile = 64;
  const size_t ld = static_cast<size_t>(n);
  for (int i0 = 0; i0 < n; i0 += tile) {
    const int i1 = std::min(i0 + tile, n);
    for (int j0 = 0; j0 <= i0; j0 += tile) {
      const int j1 = std::min(j0 + tile, n);
      for (int i = i0; i < i1; i++) {
        const int jEnd = std::min(j1, i);
        for (int j = j0; j < jEnd; j++) c[j * ld + i] = c[i * ld + j];
      }
    }
  }
}

}  // namespace

// gemm(transA, transB, m, n, k, alpha, a, b, beta, c): C <- alpha op(A) op(B) + beta C.
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
  if (beta == 0) std::fill(c, c + Count(m, n), 0.0);
  // Row-major: A is m x k (lda = k), or k x m with transA (lda = m); B likewise.
  cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k, alpha, a,
              Leading(transA ? m : k), b, Leading(transB ? k : n), beta, c, Leading(n));
  return info.Env().Undefined();
}

// syrk(transpose, n, k, alpha, a, beta, c): C <- alpha A A^T + beta C (A is n x k), or with
// transpose C <- alpha A^T A + beta C (A is k x n). dsyrk computes the lower triangle (reading
// only the lower triangle of C), which is then mirrored: the full C is written, exactly symmetric.
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
  } else {
    if (beta == 0) std::fill(c, c + Count(n, n), 0.0);
    cblas_dsyrk(CblasRowMajor, CblasLower, transpose ? CblasTrans : CblasNoTrans, n, k, alpha, a,
                Leading(transpose ? n : k), beta, c, Leading(n));
  }
  MirrorLowerToUpper(n, c);
  return info.Env().Undefined();
}

// weightedGram(rows, cols, x, w, c): C <- X^T diag(w) X (C overwritten), w of either sign.
// B = diag(w) X is formed once; then each block row I of C's lower triangle (columns 0..I1) is
// one dgemm X[:, I]^T B[:, 0:I1], about half the flops of the full product, and the lower
// triangle is mirrored so that C is exactly symmetric.
Napi::Value WeightedGram(const Napi::CallbackInfo& info) {
  const int rows = Dimension(info, 0, "rows");
  const int cols = Dimension(info, 1, "cols");
  const double* x = Array(info, 2, "x", Count(rows, cols));
  const double* w = Array(info, 3, "w", static_cast<size_t>(rows));
  double* c = Array(info, 4, "c", Count(cols, cols));
  if (cols == 0) return info.Env().Undefined();
  std::fill(c, c + Count(cols, cols), 0.0);
  if (rows == 0) return info.Env().Undefined();
  std::vector<double> scaled(Count(rows, cols));
  for (int r = 0; r < rows; r++) {
    const double* xr = x + Count(r, cols);
    double* br = scaled.data() + Count(r, cols);
    for (int j = 0; j < cols; j++) br[j] = w[r] * xr[j];
  }
  const int block = 128;
  for (int i0 = 0; i0 < cols; i0 += block) {
    const int i1 = std::min(i0 + block, cols);
    // C[i0:i1, 0:i1] = X[:, i0:i1]^T B[:, 0:i1]: X's column block is rows x (i1 - i0) with ld cols.
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, i1 - i0, i1, rows, 1.0, x + i0, cols, scaled.data(), cols, 0.0,
                c + Count(i0, cols), cols);
  }
  MirrorLowerToUpper(cols, c);
  return info.Env().Undefined();
}

// gemv(trans, m, n, alpha, a, x, beta, y): y <- alpha op(A) x + beta y, A is m x n.
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
  cblas_dgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, m, n, alpha, a, Leading(n), x, 1, beta, y, 1);
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
