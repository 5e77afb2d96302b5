// LAPACK's info codes as JavaScript errors: a routine that returns info != 0 throws an Error whose
// message names the routine, the info value and what it means, with `routine` and `info`
// properties for code that wants to tell the cases apart.
#pragma once

#include <napi.h>

#include <string>

namespace linalg_native {

// Throws when info != 0. `meaning` explains a positive info (the numerical failure); negative
// values (an illegal argument, or LAPACKE's memory errors) have fixed explanations.
void CheckLapackInfo(Napi::Env env, const char* routine, int info, const std::string& meaning);

// The workspace size LAPACK reported in a query (work[0] = lwork as a double), as an int.
int WorkspaceSize(Napi::Env env, const char* routine, double query);

}  // namespace linalg_native
