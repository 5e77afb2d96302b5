// The functions the addon exports, one per BLAS product or LAPACK driver (see addon.cc for the
// JavaScript names). Arrays are row-major Float64Arrays, as in @shallowscape/linalg.
#pragma once

#include <napi.h>

namespace linalg_native {

// blas-products.cc
Napi::Value Gemm(const Napi::CallbackInfo& info);
Napi::Value Syrk(const Napi::CallbackInfo& info);
Napi::Value WeightedGram(const Napi::CallbackInfo& info);
Napi::Value QuadraticForms(const Napi::CallbackInfo& info);
Napi::Value Gemv(const Napi::CallbackInfo& info);
Napi::Value Dot(const Napi::CallbackInfo& info);

// lapack-decompositions.cc
Napi::Value Eigh(const Napi::CallbackInfo& info);
Napi::Value Svd(const Napi::CallbackInfo& info);
Napi::Value SingularValues(const Napi::CallbackInfo& info);
Napi::Value Cholesky(const Napi::CallbackInfo& info);
Napi::Value QrPivoted(const Napi::CallbackInfo& info);
Napi::Value LeastSquares(const Napi::CallbackInfo& info);

// openblas-info.cc
Napi::Value SetThreads(const Napi::CallbackInfo& info);
Napi::Value GetThreads(const Napi::CallbackInfo& info);
Napi::Value OpenblasConfig(const Napi::CallbackInfo& info);

}  // namespace linalg_native
