// Reading the arguments of the addon's functions: dimensions, scalars, flags and Float64Arrays.
// The TypeScript kernels are unchecked, but a native kernel that trusted a wrong length would
// read or write outside the array, so every length is checked here (O(1) per argument) and a
// wrong one throws a RangeError instead of corrupting memory.
#pragma once

#include <napi.h>

#include <climits>
#include <cmath>
#include <cstddef>
#include <string>

namespace linalg_native {

// Argument `index` as a dimension: an integer in [0, INT_MAX] (BLAS and LAPACK take 32-bit ints).
inline int Dimension(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Env env = info.Env();
  if (index >= info.Length() || !info[index].IsNumber()) {
    throw Napi::TypeError::New(env, std::string(name) + " must be a number");
  }
  double value = info[index].As<Napi::Number>().DoubleValue();
  if (!(value >= 0 && value <= static_cast<double>(INT_MAX)) || std::floor(value) != value) {
    throw Napi::RangeError::New(env, std::string(name) + " must be an integer in [0, 2^31 - 1], got " + std::to_string(value));
  }
  return static_cast<int>(value);
}

// Argument `index` as a finite or infinite double (NaN passes: the kernels are unchecked).
inline double Scalar(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (index >= info.Length() || !info[index].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a number");
  }
  return info[index].As<Napi::Number>().DoubleValue();
}

// Argument `index` as a boolean (JavaScript truthiness).
inline bool Flag(const Napi::CallbackInfo& info, size_t index) {
  return index < info.Length() && info[index].ToBoolean().Value();
}

// Argument `index` as a Float64Array holding at least `length` entries; its data pointer.
inline double* Array(const Napi::CallbackInfo& info, size_t index, const char* name, size_t length) {
  Napi::Env env = info.Env();
  if (index >= info.Length() || !info[index].IsTypedArray() ||
      info[index].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    throw Napi::TypeError::New(env, std::string(name) + " must be a Float64Array");
  }
  Napi::Float64Array array = info[index].As<Napi::Float64Array>();
  if (array.ElementLength() < length) {
    throw Napi::RangeError::New(env, std::string(name) + " has length " + std::to_string(array.ElementLength()) +
                                         ", the kernel needs at least " + std::to_string(length));
  }
  return array.Data();
}

// The product of two dimensions as a size_t (no int overflow for large matrices).
inline size_t Count(int a, int b) { return static_cast<size_t>(a) * static_cast<size_t>(b); }

// Leading dimension for BLAS and LAPACK: at least 1, even for empty matrices.
inline int Leading(int n) { return n > 1 ? n : 1; }

}  // namespace linalg_native
