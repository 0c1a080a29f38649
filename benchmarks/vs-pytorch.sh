#!/usr/bin/env bash
# Training-step time of the six notebook workloads (or those named, seq_lstm2_b32 among them) in Cortado (CPU) next to PyTorch, interleaved
# per workload in one run, then sgemm GFLOP/s next to OpenBLAS.
#   benchmarks/vs-pytorch.sh [--steps N] [--min-time S] [--threads N] [--rounds R] [--no-sgemm] [WORKLOAD ...]
# Each side times at least N steps (10) and at least S seconds of steps (1), and reports the median.
# PyTorch runs twice per workload: with its defaults, and with OPENBLAS_NUM_THREADS=1
# OMP_WAIT_POLICY=PASSIVE (often much faster on a small or busy machine); the ratio uses the faster.
# With --rounds R the whole interleaved pass runs R times and the summary gives each workload's
# median ratio: on a shared machine one pass can be off by several times either way.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps=10; mintime=1; threads=2; rounds=1; sgemm=1; workloads=()
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps="$2"; shift 2 ;;
    --min-time) mintime="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --no-sgemm) sgemm=0; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) workloads+=("$1"); shift ;;
  esac
done
[ ${#workloads[@]} -gt 0 ] || workloads=(mnist_fc_b128 mnist_lenet_b128 mnist_cnn3_b128 edge_simplecnn7_b32 cifar_3layerconv_b64 cifar_resnet20_b128)
py=/usr/bin/python3
have_torch=1
if ! "$py" -c 'import torch' 2>/dev/null; then
  have_torch=0
  echo "PyTorch not found at $py: Cortado's figures only (apt-get install python3-torch libopenblas0-pthread for the comparison)" >&2
fi
field() { sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p"; }
"$root/cortado" help > /dev/null   # builds first if needed, outside the timed part

ratios="$(mktemp)"; trap 'rm -f "$ratios"' EXIT
for r in $(seq 1 "$rounds"); do
  [ "$rounds" = 1 ] || echo "round $r of $rounds"
  printf '%-22s %10s %14s %12s %8s\n' workload "cortado" "torch default" "torch tuned" "ratio"
  for w in "${workloads[@]}"; do
    ours=$("$root/cortado" bench "$w" --steps "$steps" --min-time "$mintime" --threads "$threads" | field ms_per_step)
    t1=skipped; t2=skipped; ratio=n/a
    if [ $have_torch = 1 ]; then
      t1=$(BENCH_MIN_TIME="$mintime" "$py" "$root/benchmarks/torch_bench.py" "$threads" "$steps" 5 "$w" | field ms_per_step)
      t2=$(BENCH_MIN_TIME="$mintime" OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE "$py" "$root/benchmarks/torch_bench.py" "$threads" "$steps" 5 "$w" | field ms_per_step)
      ratio=$(awk -v o="$ours" -v a="$t1" -v b="$t2" 'BEGIN{printf "%.2f", o/((a<b)?a:b)}')
      echo "$w $ratio" >> "$ratios"
    fi
    printf '%-22s %10s %14s %12s %8s\n' "$w" "$ours" "$t1" "$t2" "$ratio"
  done
done
echo "(median ms per training step over at least $steps steps and $mintime s after warm-up, $threads threads; ratio = cortado / faster torch, lower is better)"
if [ "$rounds" -gt 1 ] && [ -s "$ratios" ]; then
  echo
  echo "median ratio over $rounds rounds (each round's ratios in brackets):"
  for w in "${workloads[@]}"; do
    grep "^$w " "$ratios" | awk '{print $2}' | sort -n | awk -v w="$w" '{v[NR]=$1} END {
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      s = ""; for (i = 1; i <= NR; i++) s = s (i > 1 ? " " : "") v[i]
      printf "%-22s %8.2f   [%s]\n", w, m, s }'
  done
fi

if [ $sgemm = 1 ]; then
  echo
  "$root/benchmarks/sgemm-vs-pytorch.sh" 256 512 1024 2048
fi
