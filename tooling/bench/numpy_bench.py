"""numpy side of the Shallowscape benchmarks (tooling/bench/run.mjs).

Reads {"cases": [{"id", "op", "n", "k"?, "m"?, "reps", "warmup", "seed"}]} as JSON on stdin and prints
{"results": [{"id", "medianMs", "minMs", "maxMs", "reps", "warmup", "form"?}]} on stdout. Inputs are
standard normal matrices from numpy's seeded generator: n x n (symmetrised for eigh), n x k
for syrk, k x n with k weights for weightedGram, and for quadraticRisk (d = n, N = k, width m)
X (N x d), W (m x d) and labels y (N); reluRisk (d = n, N = k, width m) the same plus output weights
a (m); wishartEigvalsh times eigvalsh(W.T @ W) for a fixed W (m x n),
wishartSpectrum also draws a new W each call; svdValues / svd time svd(compute_uv=False) /
svd(full_matrices=False) of a k x n matrix; certificate (d = n, N = k, width m) times the work of
certifyQuadraticNetwork without the lifted solve (see certificate_work). An op with several vectorised forms (quadraticRisk, reluRisk) times
each and reports the fastest, naming it in "form". The caller
sets OPENBLAS_NUM_THREADS=1 / OMP_NUM_THREADS=1 so that BLAS runs on one thread.
With --probe, prints numpy's version and BLAS library instead; with --serve, answers one command
per line (see serve) so that the harness can interleave its calls with its own.
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


def relu_risk_forms(x, w, a, y):
    """Risk + gradient of the ReLU network f(x) = s Σ_r a_r relu(w_r·x), s = 1/√m (NTK scaling), on
    (X, y), in two vectorised forms: Z = X Wᵀ, e = s relu(Z) a − y, L = (1/N) Σ e_i²,
    ∇_a L = (2s/N) relu(Z)ᵀ e, ∇_W L = (2s/N) (1[Z > 0] ⊙ e aᵀ)ᵀ X."""
    n, m = x.shape[0], w.shape[0]
    s = 1.0 / np.sqrt(m)

    def masked_outer():
        z = x @ w.T
        h = np.maximum(z, 0.0)
        e = s * (h @ a) - y
        c = 2.0 * s / n
        return e @ e / n, c * (((z > 0) * np.outer(e, a)).T @ x), c * (h.T @ e)

    def where_scaled():
        z = x @ w.T
        h = np.maximum(z, 0.0)
        e = s * (h @ a) - y
        c = 2.0 * s / n
        d = np.where(z > 0, e[:, None] * a[None, :], 0.0)
        return e @ e / n, c * (d.T @ x), c * (h.T @ e)

    forms = {
        "relu(X@W.T); (1[Z>0]*outer(e,a)).T@X": masked_outer,
        "relu(X@W.T); where(Z>0, e a^T, 0).T@X": where_scaled,
    }
    ref = masked_outer()
    for fn in forms.values():  # the forms agree before any is timed
        risk, gw, ga = fn()
        assert abs(risk - ref[0]) <= 1e-10 * abs(ref[0])
        assert np.abs(gw - ref[1]).max() <= 1e-10 * np.abs(ref[1]).max()
        assert np.abs(ga - ref[2]).max() <= 1e-10 * np.abs(ref[2]).max()
    return forms


def certificate_work(x, y, w):
    """What certifyQuadraticNetwork(..., { solve: false }) computes, in numpy (+ scipy's ARPACK for the
    Hessian): gradient norm of the quadratic-network risk; lambda_min of its Hessian from Hessian-vector
    products (eigsh, which="SA", tol 1e-10; the TS side runs Lanczos with full reorthogonalisation to
    the same relative tolerance), since md = 5000 is past the dense limit; the lifted gradient
    G = (2/N) X^T diag(e) X with eigvalsh; the lifted design Phi (N x d(d+1)/2) and
    np.linalg.svd(Phi, compute_uv=False) for its rank and condition number."""
    n, d = x.shape
    m = w.shape[0]
    iu = np.triu_indices(d, 1)

    def run():
        a = w.T @ w
        e = ((x @ a) * x).sum(axis=1) - y
        s = (x.T * e) @ x
        grad_norm = np.linalg.norm((4.0 / n) * (w @ s))

        def hvp(u):
            u = u.reshape(m, d)
            b = w.T @ u
            b = 0.5 * (b + b.T)
            g = ((x @ b) * x).sum(axis=1)
            t = (x.T * g) @ x
            return ((4.0 / n) * (u @ s + 2.0 * (w @ t))).ravel()

        try:
            from scipy.sparse.linalg import LinearOperator, eigsh
            op = LinearOperator((m * d, m * d), matvec=hvp, dtype=np.float64)
            lam_min = eigsh(op, k=1, which="SA", tol=1e-10, return_eigenvectors=False)[0]
        except ImportError:  # plain Lanczos, 100 steps with full reorthogonalisation
            q = np.random.default_rng(0).standard_normal(m * d)
            q /= np.linalg.norm(q)
            basis, alpha, beta = [q], [], []
            for _ in range(100):
                v = hvp(basis[-1])
                alpha.append(basis[-1] @ v)
                qs = np.array(basis)
                v -= qs.T @ (qs @ v)
                v -= qs.T @ (qs @ v)
                beta.append(np.linalg.norm(v))
                basis.append(v / beta[-1])
            tri = np.diag(alpha) + np.diag(beta[:-1], 1) + np.diag(beta[:-1], -1)
            lam_min = np.linalg.eigvalsh(tri)[0]
        g = (2.0 / n) * s
        g_eigs = np.linalg.eigvalsh(g)
        phi = np.concatenate([x * x, np.sqrt(2.0) * x[:, iu[0]] * x[:, iu[1]]], axis=1)
        sv = np.linalg.svd(phi, compute_uv=False)
        rank = int((sv > max(phi.shape) * np.finfo(float).eps * sv[0]).sum())
        return grad_norm, lam_min, g_eigs[0], rank, sv[0] / sv[-1]

    return run


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
    if op == "reluRisk":  # d = n, N = k, width m: X (N x d), W (m x d), a (m), y (N)
        x = rng.standard_normal((k, n))
        w = rng.standard_normal((m, n))
        a = rng.standard_normal(m)
        y = rng.standard_normal(k)
        return relu_risk_forms(x, w, a, y)
    if op == "wishartEigvalsh":  # spectrum of W.T @ W for a given W (m x n, d = n): form it, then eigvalsh
        w = rng.standard_normal((m, n))
        return lambda: np.linalg.eigvalsh(w.T @ w)
    if op == "wishartSpectrum":  # draw W (m x n), form W.T @ W, eigvalsh: the whole seeded spectrum
        def wishart_spectrum():
            w = rng.standard_normal((m, n))
            return np.linalg.eigvalsh(w.T @ w)
        return wishart_spectrum
    if op == "certificate":  # d = n, width m, N = k: X, teacher labels of a Gaussian m x d teacher, W
        x = rng.standard_normal((k, n))
        teacher = rng.standard_normal((m, n))
        y = ((x @ teacher.T) ** 2).sum(axis=1)
        w = rng.standard_normal((m, n))
        return certificate_work(x, y, w)
    if op == "liftedSingularValues":  # the lifted design Phi (k x n(n+1)/2) of k Gaussian inputs in R^n
        x = rng.standard_normal((k, n))
        iu = np.triu_indices(n, 1)
        phi = np.concatenate([x * x, np.sqrt(2.0) * x[:, iu[0]] * x[:, iu[1]]], axis=1)
        return lambda: np.linalg.svd(phi, compute_uv=False)
    if op in ("svdValues", "svd"):  # a k x n standard normal matrix (k = m rows)
        a = rng.standard_normal((k, n))
        if op == "svdValues":
            return lambda: np.linalg.svd(a, compute_uv=False)
        return lambda: np.linalg.svd(a, full_matrices=False)
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


def build_case(case):
    """The case's function: its fastest form when it has several (each timed with its warm-up and
    up to 5 calls), and that form's name (None for a case of one form)."""
    fn = make_case(case["op"], int(case["n"]), int(case.get("k", case["n"])), int(case.get("seed", 1)),
                   int(case.get("m", 0)))
    if not isinstance(fn, dict):
        return None, fn
    best = None
    for form, f in fn.items():
        times = time_case(f, min(int(case["reps"]), 5), int(case["warmup"]))
        if best is None or statistics.median(times) < best[2]:
            best = (form, f, statistics.median(times))
    return best[0], best[1]


def serve():
    """--serve: one JSON command per line on stdin, one JSON answer per line on stdout, so that the
    harness can time a case here between calls of its own (interleaved). Commands:
    {"cmd": "setup", op, n, k, m, seed, reps, warmup} builds the case (its fastest form) and makes
    its warm-up calls, answering {"form"}; {"cmd": "time"} times one call of it, answering {"ms"};
    {"cmd": "drop"} frees it. An error answers {"error"} and the server goes on."""
    current = None
    for line in sys.stdin:
        msg = json.loads(line)
        try:
            if msg["cmd"] == "setup":
                current = None
                form, fn = build_case(msg)
                for _ in range(int(msg["warmup"])):
                    fn()
                current = fn
                answer = {"form": form}
            elif msg["cmd"] == "time":
                t0 = time.perf_counter()
                current()
                answer = {"ms": (time.perf_counter() - t0) * 1e3}
            elif msg["cmd"] == "drop":
                current = None
                answer = {}
            else:
                answer = {"error": f"unknown command {msg['cmd']!r}"}
        except Exception as e:  # reported to the harness, which fails the case
            answer = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def main():
    if "--serve" in sys.argv:
        serve()
        return
    if "--probe" in sys.argv:
        print(json.dumps({"version": np.__version__, "blas": blas_info(), "python": sys.version.split()[0]}))
        return
    spec = json.load(sys.stdin)
    results = []
    for case in spec["cases"]:
        form, fn = build_case(case)
        times = time_case(fn, int(case["reps"]), int(case["warmup"]))
        result = {"id": case["id"], "medianMs": statistics.median(times), "minMs": min(times),
                  "maxMs": max(times), "reps": len(times), "warmup": int(case["warmup"])}
        if form is not None:
            result["form"] = form
        results.append(result)
    print(json.dumps({"results": results}))


if __name__ == "__main__":
    main()
