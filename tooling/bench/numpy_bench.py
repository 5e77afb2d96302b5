"""numpy side of the Shallowscape benchmarks (tooling/bench/run.mjs).

Reads {"cases": [{"id", "op", "n", "k"?, "reps", "warmup", "seed"}]} as JSON on stdin and prints
{"results": [{"id", "medianMs", "minMs", "maxMs", "reps", "warmup"}]} on stdout. Inputs are
standard normal matrices from numpy's seeded generator: n x n (symmetrised for eigh), n x k
for syrk, k x n with k weights for weightedGram. The caller
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


def make_case(op, n, k, seed):
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
        fn = make_case(case["op"], int(case["n"]), int(case.get("k", case["n"])), int(case.get("seed", 1)))
        times = time_case(fn, int(case["reps"]), int(case["warmup"]))
        results.append({"id": case["id"], "medianMs": statistics.median(times), "minMs": min(times),
                        "maxMs": max(times), "reps": len(times), "warmup": int(case["warmup"])})
    print(json.dumps({"results": results}))


if __name__ == "__main__":
    main()
