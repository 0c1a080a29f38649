"""sgemm GFLOP/s of PyTorch (OpenBLAS) on this machine: one JSON line per size, same method as ./cortado bench-matmul."""
import json
import sys
import time

try:
    import torch
except ImportError:
    print(json.dumps({"skipped": "PyTorch is not installed (apt-get install python3-torch libopenblas0-pthread)"}))
    sys.exit(0)

threads = int(sys.argv[1])
sizes = [int(s) for s in sys.argv[2:]] or [512, 1024, 2048]
torch.set_num_threads(threads)
for n in sizes:
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    flops = 2.0 * n ** 3
    reps = int(max(5, min(50, 2e10 / flops)))
    end = time.perf_counter() + 2.0
    while time.perf_counter() < end:
        a @ b
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t0)
    times.sort()
    median = times[reps // 2]
    print(json.dumps({"workload": f"sgemm_{n}", "gflops": round(flops / median / 1e9, 1),
                      "ms": round(median * 1e3, 3), "reps": reps, "threads": threads}), flush=True)
