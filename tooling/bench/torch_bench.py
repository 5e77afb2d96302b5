"""PyTorch side of the GPU benchmarks (tooling/bench/suites/gpu.mjs): the anchor on the same GPU.

Reads {"cases": [{"id", "op", "n"?, "d"?, "m"?, "N"?, "reps", "warmup", "seed"}]} as JSON on stdin and
prints {"results": [{"id", "medianMs", "minMs", "maxMs", "reps", "warmup"}]} on stdout.

- sgemm (n): C = A @ B of standard normal n x n float32 matrices on the GPU, TF32 off (IEEE float32,
  as the WGSL kernel computes).
- quadraticRisk64 (d, m, N): the risk and gradient of the quadratic network f(x) = ||Wx||^2 in
  float64 on the GPU, in the Gram form L = (1/N) e.e, e = ((X @ A) * X).sum(1) - y, A = W^T W,
  grad = (4/N) W (X^T (e[:, None] * X)), with X (N x d), W (m x d), y on the device.

Each call is synchronised (torch.cuda.synchronize) before the clock stops. With --probe, prints
torch's version and the GPU's name, or exits 1 with the reason (no torch, no CUDA device).
"""
import json
import statistics
import sys
import time


def probe():
    try:
        import torch
    except Exception as e:  # noqa: BLE001 - any import failure means no reference
        print(f"no torch: {e}", file=sys.stderr)
        sys.exit(1)
    if not torch.cuda.is_available():
        print("torch has no CUDA device", file=sys.stderr)
        sys.exit(1)
    print(json.dumps({"version": torch.__version__, "device": torch.cuda.get_device_name(0)}))


def timed(fn, reps, warmup, sync):
    for _ in range(warmup):
        fn()
    sync()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append((time.perf_counter() - t0) * 1e3)
    return {"medianMs": statistics.median(times), "minMs": min(times), "maxMs": max(times), "reps": reps, "warmup": warmup}


def main():
    import torch

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    dev = "cuda"
    sync = torch.cuda.synchronize
    cases = json.load(sys.stdin)["cases"]
    results = []
    for c in cases:
        g = torch.Generator(device=dev).manual_seed(c.get("seed", 0))
        if c["op"] == "sgemm":
            n = c["n"]
            a = torch.randn(n, n, dtype=torch.float32, device=dev, generator=g)
            b = torch.randn(n, n, dtype=torch.float32, device=dev, generator=g)
            fn = lambda: a @ b  # noqa: E731
        elif c["op"] == "quadraticRisk64":
            d, m, n = c["d"], c["m"], c["N"]
            x = torch.randn(n, d, dtype=torch.float64, device=dev, generator=g)
            w = torch.randn(m, d, dtype=torch.float64, device=dev, generator=g)
            y = torch.randn(n, dtype=torch.float64, device=dev, generator=g)

            def fn(x=x, w=w, y=y, n=n):
                a = w.T @ w
                e = ((x @ a) * x).sum(1) - y
                return (e @ e) / n, (4.0 / n) * (w @ (x.T @ (e[:, None] * x)))
        else:
            raise SystemExit(f"unknown op {c['op']}")
        results.append({"id": c["id"], **timed(fn, c["reps"], c["warmup"], sync)})
        del fn
        torch.cuda.empty_cache()
    print(json.dumps({"results": results}))


if __name__ == "__main__":
    if "--probe" in sys.argv:
        probe()
    else:
        main()
