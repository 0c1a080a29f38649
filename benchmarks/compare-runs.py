#!/usr/bin/env python3
"""Compares two results.json of one experiment and seed, one trained on the CPU and one on cuda:
every loss curve must agree within 1e-4 (relative) and every final accuracy exactly.
  benchmarks/compare-runs.py CPU_RESULTS CUDA_RESULTS
Meant for short runs: a long one may part ways legitimately once float rounding flips a near-tie
(two max-pooling inputs a few ulps apart) and sets training on another path."""
import json
import sys

cpu_run, gpu_run = (json.load(open(f)) for f in sys.argv[1:3])
what = cpu_run["command"]
cpu, gpu = cpu_run["metrics"], gpu_run["metrics"]
if sorted(cpu) != sorted(gpu):
    sys.exit(f"{what}: the runs measured different things: {sorted(cpu)} and {sorted(gpu)}")
worst = 0.0
for part in cpu:
    for key, ours in cpu[part].items():
        theirs = gpu[part].get(key)
        if key.endswith("_loss") and isinstance(ours, list):
            if not isinstance(theirs, list) or len(theirs) != len(ours):
                sys.exit(f"{what} {part} {key}: {len(ours)} epochs on the cpu, {theirs!r:.40} on cuda")
            for a, b in zip(ours, theirs):
                worst = max(worst, abs(a - b) / max(abs(a), 1e-6))
        elif key.startswith("final_") and "accuracy" in key and ours != theirs:
            sys.exit(f"{what} {part} {key}: cpu {ours}, cuda {theirs}")
print(f"{what} on cuda: the CPU's accuracies; losses within {worst:.2e} (relative)")
if worst >= 1e-4:
    sys.exit("losses differ more than 1e-4 (rounding may flip a near-tie of max pooling and set training on another path; "
             "CudaStepParityTest is the strict check of one step)")
