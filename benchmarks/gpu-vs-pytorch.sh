#!/usr/bin/env bash
# Training-step time on the GPU, Cortado next to PyTorch, interleaved per workload in one run.
#   benchmarks/gpu-vs-pytorch.sh [--steps N] [--python PATH] [WORKLOAD ...]
# Default workloads: mnist_lenet_b128 cifar_resnet20_b128. Both sides use float32 (TF32 off) and
# time until the step's kernels have finished. The Python given (default python3) needs a CUDA
# build of PyTorch; Cortado needs the CUDA 13 / cuDNN 9 libraries on LD_LIBRARY_PATH (those of a
# pip PyTorch install do: see the README's GPU section).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps=20; py=python3; workloads=()
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps="$2"; shift 2 ;;
    --python) py="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) workloads+=("$1"); shift ;;
  esac
done
[ ${#workloads[@]} -gt 0 ] || workloads=(mnist_lenet_b128 cifar_resnet20_b128)
"$root/cortado" gpu-check || { echo "gpu-vs-pytorch: Cortado cannot use the GPU (reason above)" >&2; exit 1; }
have_torch=1
if ! "$py" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  have_torch=0
  echo "PyTorch with CUDA not found at $py: Cortado's figures only" >&2
fi
field() { sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p"; }

printf '%-22s %10s %10s %8s\n' workload cortado torch ratio
for w in "${workloads[@]}"; do
  ours=$("$root/cortado" bench "$w" --steps "$steps" --device cuda | field ms_per_step)
  theirs=skipped; ratio=n/a
  if [ $have_torch = 1 ]; then
    theirs=$(BENCH_DEVICE=cuda "$py" "$root/benchmarks/torch_bench.py" 1 "$steps" 20 "$w" | field ms_per_step)
    ratio=$(awk -v o="$ours" -v t="$theirs" 'BEGIN{printf "%.2f", o/t}')
  fi
  printf '%-22s %10s %10s %8s\n' "$w" "$ours" "$theirs" "$ratio"
done
echo "(median ms per training step over $steps steps; ratio = cortado / torch, lower is better)"
