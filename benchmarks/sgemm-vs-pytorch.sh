#!/usr/bin/env bash
# sgemm GFLOP/s of Cortado's CPU backend next to PyTorch/OpenBLAS, interleaved per size in one run.
#   benchmarks/sgemm-vs-pytorch.sh [SIZE ...]        (default 512 1024 2048; 2 threads)
# PyTorch runs twice per size, with its defaults and with OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE
# (often faster when anything else runs); the ratio uses the faster of the two.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(512 1024 2048)
py=/usr/bin/python3
gf() { sed -n 's/.*"gflops": \([0-9.]*\).*/\1/p'; }
"$root/cortado" help > /dev/null   # builds first if needed, outside the timed part
printf '%-6s %12s %16s %16s %8s\n' size "cortado" "torch default" "torch tuned" "ratio"
for n in "${sizes[@]}"; do
  ours=$("$root/cortado" bench-matmul "$n" --threads 2 | gf)
  if "$py" -c 'import torch' 2>/dev/null; then
    t1=$("$py" "$root/benchmarks/torch_sgemm.py" 2 "$n" | gf)
    t2=$(OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE "$py" "$root/benchmarks/torch_sgemm.py" 2 "$n" | gf)
    best=$(awk -v a="$t1" -v b="$t2" 'BEGIN{print (a>b)?a:b}')
    ratio=$(awk -v o="$ours" -v t="$best" 'BEGIN{printf "%.2f", o/t}')
  else
    t1="skipped"; t2="skipped"; ratio="n/a"
    echo "PyTorch not found at $py: install python3-torch libopenblas0-pthread for the comparison" >&2
  fi
  printf '%-6s %12s %16s %16s %8s\n' "$n" "$ours" "$t1" "$t2" "$ratio"
done
echo "(GFLOP/s, median of timed runs after 2 s warm-up; ratio = cortado / faster torch, higher is better)"
