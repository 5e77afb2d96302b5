"""numpy side of the Shallowscape benchmarks (tooling/bench/run.mjs).

Reads {"cases": [{"id", "op", "n", "k"?, "m"?, "reps", "warmup", "seed"}]} as JSON on stdin and prints
{"results": [{"id", "medianMs", "minMs", "maxMs", "reps", "warmup", "form"?}]} on stdout. Inputs are
standard normal matrices from numpy's seeded generator: n x n (symmetrised for eigh), n x k
for syrk, k x n with k weights for weightedGram, and for quadraticRisk (d = n, N = k, width m)
X (N x d), W (m x d) and labels y (N). An op with several vectorised forms (quadraticRisk) times
each and reports the fastest, naming it in "form". The caller
sets OPENBLAS_NUM_THREADS=1 / OMP_NUM_THREADS=1 so that BLAS runs on one thread.
With --probe, prints numpy's version and BLAS library instead.
"""
import json
import statistics
import sys
import time

import numpy as np


def blas_info():
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg["Build Dependencies"]["blas"]
        return f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # older numpy: no mode="dicts"
        return "unknown"


def quadratic_risk_forms(x, w, y):
    """Risk + gradient of the quadratic network f(x) = ‖Wx‖² on (X, y), in three vectorised forms:
    L = (1/N) Σ e_i², e = f − y, ∇L = (4/N) W S, S = Xᵀ diag(e) X, f_i = x_iᵀ A x_i, A = WᵀW."""
    n = x.shape[0]

    def rowsum():
        a = w.T @ w
        e = ((x @ a) * x).sum(axis=1) - y
        return e @ e / n, (4.0 / n) * (w @ ((x.T * e) @ x))

    def einsum_rows():
        a = w.T @ w
        e = np.einsum('ij,ij->i', x @ a, x) - y
        return e @ e / n, (4.0 / n) * (w @ ((x.T * e) @ x))

    def einsum_scaled_rows():
        a = w.T @ w
        e = np.einsum('ij,ij->i', x @ a, x) - y
        return e @ e / n, (4.0 / n) * (w @ (x.T @ (x * e[:, None])))

    forms = {
        "((X@A)*X).sum(1), (X.T*e)@X": rowsum,
        "einsum('ij,ij->i', X@A, X), (X.T*e)@X": einsum_rows,
        "einsum('ij,ij->i', X@A, X), X.T@(X*e[:,None])": einsum_scaled_rows,
    }
    ref_risk, ref_grad = rowsum()
    for fn in forms.values():  # the forms agree before any is timed
        risk, grad = fn()
        assert abs(risk - ref_risk) <= 1e-10 * abs(ref_risk)
        assert np.abs(grad - ref_grad).max() <= 1e-10 * np.abs(ref_grad).max()
    return forms


def make_case(op, n, k, seed, m=0):
    rng = np.random.default_rng(seed)
    if op == "matmul":
        a = rng.standard_normal((n, n))
        b = rng.standard_normal((n, n))
        return lambda: a @ b
    if op == "syrk":  # numpy runs a @ a.T as a BLAS syrk
        a = rng.standard_normal((n, k))
        return lambda: a @ a.T
    if op == "weightedGram":  # X is k x n (N x d), w has length k
        x = rng.standard_normal((k, n))
        w = rng.standard_normal(k)
        return lambda: (x.T * w) @ x
    if op == "quadraticRisk":  # d = n, N = k, width m
        x = rng.standard_normal((k, n))
        w = rng.standard_normal((m, n))
        y = rng.standard_normal(k)
        return quadratic_risk_forms(x, w, y)
    s = rng.standard_normal((n, n))
    s = (s + s.T) / 2
    if op == "eigvalsh":
        return lambda: np.linalg.eigvalsh(s)
    if op == "eigh":
        return lambda: np.linalg.eigh(s)
    raise ValueError(f"unknown op {op!r}")


def time_case(fn, reps, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return times


def main():
    if "--probe" in sys.argv:
        print(json.dumps({"version": np.__version__, "blas": blas_info(), "python": sys.version.split()[0]}))
        return
    spec = json.load(sys.stdin)
    results = []
    for case in spec["cases"]:
        fn = make_case(case["op"], int(case["n"]), int(case.get("k", case["n"])), int(case.get("seed", 1)),
                       int(case.get("m", 0)))
        forms = fn if isinstance(fn, dict) else {None: fn}
        best = None
        for form, f in forms.items():
            times = time_case(f, int(case["reps"]), int(case["warmup"]))
            if best is None or statistics.median(times) < statistics.median(best[1]):
                best = (form, times)
        form, times = best
        result = {"id": case["id"], "medianMs": statistics.median(times), "minMs": min(times),
                  "maxMs": max(times), "reps": len(times), "warmup": int(case["warmup"])}
        if form is not None:
            result["form"] = form
        results.append(result)
    print(json.dumps({"results": results}))


if __name__ == "__main__":
    main()
