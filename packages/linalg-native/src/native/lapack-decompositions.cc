// The LAPACK drivers, called through LAPACKE in column-major layout on row-major data. A row-major
// m x n array is the column-major n x m array of A^T, so each routine is arranged to need as few
// transposes as possible:
// - dsyevd, dpotrf: a symmetric A is its own transpose; uplo 'U' in column-major reads the
//   row-major lower triangle;
// - dgesdd: the SVD of A^T = V S U^T; its VT (k x rows, ldvt = k) is exactly row-major U, and
//   its U (V of A) is transposed into row-major V; for singular values alone a tall A is copied
//   into column-major order instead (see SingularValues);
// - dgeqp3, dorgqr, dgelsd: pivoting acts on the columns of A itself, so A (and B) are copied
//   into column-major order first (LAPACK overwrites its input anyway).
// Every routine works on copies: the caller's arrays are never modified. They run on the calling
// thread with OpenBLAS at one thread (addon.cc keeps it there before every call), so their results
// do not depend on the addon's thread count either.
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "lapack-error.h"
#include "napi-arguments.h"
#include "native-functions.h"

namespace linalg_native {
namespace {

// In-place transpose of the n x n array v (swaps across the diagonal, in 64 x 64 tiles).
void TransposeSquare(int n, double* v) {
  const int tile = 64;
  const size_t ld = static_cast<size_t>(n);
  for (int i0 = 0; i0 < n; i0 += tile) {
    const int i1 = std::min(i0 + tile, n);
    for (int j0 = i0; j0 < n; j0 += tile) {
      const int j1 = std::min(j0 + tile, n);
      for (int i = i0; i < i1; i++) {
        for (int j = std::max(j0, i + 1); j < j1; j++) std::swap(v[i * ld + j], v[j * ld + i]);
      }
    }
  }
}

// Column-major copy (leading dimension ld >= rows) of the row-major rows x cols array a.
std::vector<double> ColumnMajorCopy(int rows, int cols, const double* a, int ld) {
  std::vector<double> out(Count(ld, cols), 0.0);
  for (int i = 0; i < rows; i++) {
    const double* ai = a + Count(i, cols);
    for (int j = 0; j < cols; j++) out[i + Count(j, ld)] = ai[j];
  }
  return out;
}

std::string Order(int info) { return std::to_string(info); }

}  // namespace

// eigh(n, a, wantVectors) -> { values, vectors | null }: A = V diag(values) V^T by dsyevd
// (divide and conquer), values ascending, eigenvectors as the columns of the row-major n x n V.
Napi::Value Eigh(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int n = Dimension(info, 0, "n");
  const double* a = Array(info, 1, "a", Count(n, n));
  const bool wantVectors = Flag(info, 2);
  Napi::Float64Array values = Napi::Float64Array::New(env, static_cast<size_t>(n));
  Napi::Object result = Napi::Object::New(env);
  result.Set("values", values);
  if (!wantVectors) result.Set("vectors", env.Null());
  if (n == 0) {
    if (wantVectors) result.Set("vectors", Napi::Float64Array::New(env, 0));
    return result;
  }
  // With vectors, dsyevd works in the output array itself (it overwrites A with Z).
  Napi::Float64Array vectors;
  std::vector<double> scratch;
  double* z;
  if (wantVectors) {
    vectors = Napi::Float64Array::New(env, Count(n, n));
    z = vectors.Data();
    std::copy(a, a + Count(n, n), z);
  } else {
    scratch.assign(a, a + Count(n, n));
    z = scratch.data();
  }
  const char jobz = wantVectors ? 'V' : 'N';
  double workQuery = 0;
  lapack_int iworkQuery = 0;
  CheckLapackInfo(env, "dsyevd", LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, jobz, 'U', n, z, n, values.Data(), &workQuery, -1, &iworkQuery, -1), "");
  std::vector<double> work(WorkspaceSize(env, "dsyevd", workQuery));
  std::vector<lapack_int> iwork(std::max<lapack_int>(1, iworkQuery));
  const int status = LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, jobz, 'U', n, z, n, values.Data(), work.data(),
                                         static_cast<lapack_int>(work.size()), iwork.data(), static_cast<lapack_int>(iwork.size()));
  CheckLapackInfo(env, "dsyevd", status,
                  wantVectors ? "the algorithm failed to compute an eigenvalue while working on the submatrix lying in rows and columns " +
                                    Order(status / (n + 1)) + " through " + Order(status % (n + 1))
                              : Order(status) + " off-diagonal elements of an intermediate tridiagonal form did not converge to zero");
  if (wantVectors) {
    // Column-major Z(i, j) sits at i + j n; row-major V wants it at i n + j.
    TransposeSquare(n, z);
    result.Set("vectors", vectors);
  }
  return result;
}

// svd(rows, cols, a) -> { s, u, v }: thin A = U diag(s) V^T by dgesdd, s descending (k =
// min(rows, cols)), u rows x k and v cols x k row-major.
Napi::Value Svd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int rows = Dimension(info, 0, "rows");
  const int cols = Dimension(info, 1, "cols");
  const double* a = Array(info, 2, "a", Count(rows, cols));
  const int k = std::min(rows, cols);
  Napi::Float64Array s = Napi::Float64Array::New(env, static_cast<size_t>(k));
  Napi::Float64Array u = Napi::Float64Array::New(env, Count(rows, k));
  Napi::Float64Array v = Napi::Float64Array::New(env, Count(cols, k));
  Napi::Object result = Napi::Object::New(env);
  result.Set("s", s);
  result.Set("u", u);
  result.Set("v", v);
  if (k == 0) return result;
  if (rows > cols) {
    // Tall: A itself in column-major order (LAPACK's QR path, as in SingularValues). Its VT
    // (k x cols, ldvt = k) is exactly row-major V; its U (column-major rows x k) is transposed.
    std::vector<double> ac = ColumnMajorCopy(rows, cols, a, rows);
    std::vector<double> uc(Count(rows, k));
    std::vector<lapack_int> iwork(Count(8, k));
    double workQuery = 0;
    CheckLapackInfo(env, "dgesdd",
                    LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, 'S', rows, cols, ac.data(), rows, s.Data(), uc.data(), rows, v.Data(), k,
                                        &workQuery, -1, iwork.data()),
                    "");
    std::vector<double> work(WorkspaceSize(env, "dgesdd", workQuery));
    CheckLapackInfo(env, "dgesdd",
                    LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, 'S', rows, cols, ac.data(), rows, s.Data(), uc.data(), rows, v.Data(), k,
                                        work.data(), static_cast<lapack_int>(work.size()), iwork.data()),
                    "the bidiagonal divide and conquer (dbdsdc) did not converge");
    double* ud = u.Data();
    for (int p = 0; p < k; p++) {
      const double* column = uc.data() + Count(p, rows);
      for (int i = 0; i < rows; i++) ud[Count(i, k) + p] = column[i];
    }
    return result;
  }
  // Square or wide: the row-major a is the column-major cols x rows A^T (lda = cols), tall or square.
  std::vector<double> at(a, a + Count(rows, cols));
  std::vector<double> vt(Count(cols, k));  // dgesdd's U of A^T: V, column-major cols x k
  std::vector<lapack_int> iwork(Count(8, k));
  double workQuery = 0;
  CheckLapackInfo(env, "dgesdd",
                  LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, 'S', cols, rows, at.data(), cols, s.Data(), vt.data(), cols, u.Data(), k,
                                      &workQuery, -1, iwork.data()),
                  "");
  std::vector<double> work(WorkspaceSize(env, "dgesdd", workQuery));
  CheckLapackInfo(env, "dgesdd",
                  LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, 'S', cols, rows, at.data(), cols, s.Data(), vt.data(), cols, u.Data(), k,
                                      work.data(), static_cast<lapack_int>(work.size()), iwork.data()),
                  "the bidiagonal divide and conquer (dbdsdc) did not converge");
  double* vd = v.Data();
  for (int p = 0; p < k; p++) {
    const double* column = vt.data() + Count(p, cols);
    for (int j = 0; j < cols; j++) vd[Count(j, k) + p] = column[j];
  }
  return result;
}

// singularValues(rows, cols, a) -> s: the singular values of A, descending, by dgesdd without
// singular vectors (jobz = 'N'). dgesdd is handed a tall column-major matrix: for rows > cols that
// is A itself, copied into column-major order, for rows <= cols the row-major array as it is (A^T).
// LAPACK then takes its QR path (dgeqrf on contiguous column panels) rather than the LQ path on the
// wide A^T, whose row panels are strided: 10000 x 1275 in 1.38 s instead of 2.13 s (OpenBLAS 0.3.21,
// one thread, transpose included).
Napi::Value SingularValues(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int rows = Dimension(info, 0, "rows");
  const int cols = Dimension(info, 1, "cols");
  const double* a = Array(info, 2, "a", Count(rows, cols));
  const int k = std::min(rows, cols);
  Napi::Float64Array s = Napi::Float64Array::New(env, static_cast<size_t>(k));
  if (k == 0) return s;
  const bool tall = rows > cols;
  const int m = tall ? rows : cols;
  const int n = tall ? cols : rows;
  std::vector<double> at = tall ? ColumnMajorCopy(rows, cols, a, rows) : std::vector<double>(a, a + Count(rows, cols));
  std::vector<lapack_int> iwork(Count(8, k));
  double unused = 0;
  double workQuery = 0;
  CheckLapackInfo(env, "dgesdd",
                  LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, 'N', m, n, at.data(), m, s.Data(), &unused, 1, &unused, 1, &workQuery, -1, iwork.data()),
                  "");
  std::vector<double> work(WorkspaceSize(env, "dgesdd", workQuery));
  CheckLapackInfo(env, "dgesdd",
                  LAPACKE_dgesdd_work(LAPACK_COL_MAJOR, 'N', m, n, at.data(), m, s.Data(), &unused, 1, &unused, 1, work.data(),
                                      static_cast<lapack_int>(work.size()), iwork.data()),
                  "the bidiagonal divide and conquer (dbdsdc) did not converge");
  return s;
}

// cholesky(n, a) -> l: A = L L^T by dpotrf, L lower triangular (row-major, zeros above the
// diagonal). Reads the lower triangle of a.
Napi::Value Cholesky(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int n = Dimension(info, 0, "n");
  const double* a = Array(info, 1, "a", Count(n, n));
  Napi::Float64Array l = Napi::Float64Array::New(env, Count(n, n));
  if (n == 0) return l;
  double* ld = l.Data();
  std::copy(a, a + Count(n, n), ld);
  // Column-major 'U' is the row-major lower triangle: A = U^T U there is A = L L^T here.
  const int status = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'U', n, ld, n);
  CheckLapackInfo(env, "dpotrf", status,
                  "the leading minor of order " + Order(status) + " is not positive definite (pivot " + Order(status - 1) + ")");
  for (int i = 0; i < n; i++) std::fill(ld + Count(i, n) + i + 1, ld + Count(i + 1, n), 0.0);
  return l;
}

// qrPivoted(rows, cols, a) -> { q, r, permutation }: A P = Q R by dgeqp3 (Householder QR with
// column pivoting) and dorgqr; q rows x k, r k x cols upper trapezoidal (row-major), k =
// min(rows, cols); permutation[j] is the column of A moved to position j.
Napi::Value QrPivoted(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int rows = Dimension(info, 0, "rows");
  const int cols = Dimension(info, 1, "cols");
  const double* a = Array(info, 2, "a", Count(rows, cols));
  const int k = std::min(rows, cols);
  Napi::Float64Array q = Napi::Float64Array::New(env, Count(rows, k));
  Napi::Float64Array r = Napi::Float64Array::New(env, Count(k, cols));
  Napi::Int32Array permutation = Napi::Int32Array::New(env, static_cast<size_t>(cols));
  Napi::Object result = Napi::Object::New(env);
  result.Set("q", q);
  result.Set("r", r);
  result.Set("permutation", permutation);
  for (int j = 0; j < cols; j++) permutation[j] = j;
  if (k == 0) return result;
  const int lda = Leading(rows);
  std::vector<double> ac = ColumnMajorCopy(rows, cols, a, lda);
  std::vector<lapack_int> jpvt(cols, 0);  // 0: every column is free to move
  std::vector<double> tau(k);
  double workQuery = 0;
  CheckLapackInfo(env, "dgeqp3", LAPACKE_dgeqp3_work(LAPACK_COL_MAJOR, rows, cols, ac.data(), lda, jpvt.data(), tau.data(), &workQuery, -1), "");
  std::vector<double> work(WorkspaceSize(env, "dgeqp3", workQuery));
  CheckLapackInfo(env, "dgeqp3",
                  LAPACKE_dgeqp3_work(LAPACK_COL_MAJOR, rows, cols, ac.data(), lda, jpvt.data(), tau.data(), work.data(),
                                      static_cast<lapack_int>(work.size())),
                  "");
  double* rd = r.Data();
  for (int i = 0; i < k; i++) {
    for (int j = i; j < cols; j++) rd[Count(i, cols) + j] = ac[i + Count(j, lda)];
  }
  for (int j = 0; j < cols; j++) permutation[j] = jpvt[j] - 1;
  CheckLapackInfo(env, "dorgqr", LAPACKE_dorgqr_work(LAPACK_COL_MAJOR, rows, k, k, ac.data(), lda, tau.data(), &workQuery, -1), "");
  work.resize(WorkspaceSize(env, "dorgqr", workQuery));
  CheckLapackInfo(env, "dorgqr",
                  LAPACKE_dorgqr_work(LAPACK_COL_MAJOR, rows, k, k, ac.data(), lda, tau.data(), work.data(), static_cast<lapack_int>(work.size())),
                  "");
  double* qd = q.Data();
  for (int p = 0; p < k; p++) {
    for (int i = 0; i < rows; i++) qd[Count(i, k) + p] = ac[i + Count(p, lda)];
  }
  return result;
}

// leastSquares(m, n, nrhs, a, b, rcond) -> { x, s, rank, residuals }: the minimum-norm solution
// of min ||A X - B||_F by dgelsd (SVD, divide and conquer), singular values s_i <= rcond s_0
// treated as zero; x is n x nrhs row-major. residuals holds ||b_q - A x_q||^2 per column when
// rank = n < m (read off the transformed B, as numpy does), and is empty otherwise.
Napi::Value LeastSquares(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int m = Dimension(info, 0, "m");
  const int n = Dimension(info, 1, "n");
  const int nrhs = Dimension(info, 2, "nrhs");
  const double* a = Array(info, 3, "a", Count(m, n));
  const double* b = Array(info, 4, "b", Count(m, nrhs));
  const double rcond = Scalar(info, 5, "rcond");
  const int minmn = std::min(m, n);
  Napi::Float64Array x = Napi::Float64Array::New(env, Count(n, nrhs));
  Napi::Float64Array s = Napi::Float64Array::New(env, static_cast<size_t>(minmn));
  Napi::Object result = Napi::Object::New(env);
  result.Set("x", x);
  result.Set("s", s);
  const int ldb = Leading(std::max(m, n));
  std::vector<double> bc = ColumnMajorCopy(m, nrhs, b, ldb);
  lapack_int rank = 0;
  if (minmn > 0) {
    const int lda = Leading(m);
    std::vector<double> ac = ColumnMajorCopy(m, n, a, lda);
    double workQuery = 0;
    lapack_int iworkQuery = 0;
    CheckLapackInfo(env, "dgelsd",
                    LAPACKE_dgelsd_work(LAPACK_COL_MAJOR, m, n, nrhs, ac.data(), lda, bc.data(), ldb, s.Data(), rcond, &rank, &workQuery, -1,
                                        &iworkQuery),
                    "");
    // LIWORK >= 3 minmn nlvl + 11 minmn with nlvl = max(0, floor(log2(minmn / 26)) + 1), in case
    // a LAPACK does not report it in the query.
    const int nlvl = std::max(0, static_cast<int>(std::log2(minmn / 26.0)) + 1);
    std::vector<double> work(WorkspaceSize(env, "dgelsd", workQuery));
    std::vector<lapack_int> iwork(std::max<lapack_int>({1, iworkQuery, 3 * minmn * nlvl + 11 * minmn}));
    const int status = LAPACKE_dgelsd_work(LAPACK_COL_MAJOR, m, n, nrhs, ac.data(), lda, bc.data(), ldb, s.Data(), rcond, &rank,
                                           work.data(), static_cast<lapack_int>(work.size()), iwork.data());
    CheckLapackInfo(env, "dgelsd", status,
                    "the SVD did not converge: " + Order(status) + " off-diagonal elements of an intermediate bidiagonal form did not converge to zero");
  }
  // dgelsd leaves X in the first n rows of B (B has max(m, n) rows).
  double* xd = x.Data();
  if (minmn > 0) {
    for (int j = 0; j < n; j++) {
      for (int c = 0; c < nrhs; c++) xd[Count(j, nrhs) + c] = bc[j + Count(c, ldb)];
    }
  }
  const bool fullRank = rank == n && m > n;
  Napi::Float64Array residuals = Napi::Float64Array::New(env, fullRank ? static_cast<size_t>(nrhs) : 0);
  if (fullRank) {
    for (int c = 0; c < nrhs; c++) {
      double sum = 0;
      for (int i = n; i < m; i++) sum += bc[i + Count(c, ldb)] * bc[i + Count(c, ldb)];
      residuals[c] = sum;
    }
  }
  result.Set("rank", Napi::Number::New(env, rank));
  result.Set("residuals", residuals);
  return result;
}

}  // namespace linalg_native
