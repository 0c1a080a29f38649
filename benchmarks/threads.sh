#!/usr/bin/env bash
# Speed-up of Cortado's training steps from one thread to two: each round runs a workload once, its
# one- and two-thread steps alternating in blocks of about 0.2 s so that a slow spell of the host
# falls on both.
#   benchmarks/threads.sh [--rounds R] [--steps N] [--min-time S] [WORKLOAD ...]
# Default: the four heaviest workloads, 3 rounds, each timing at least 10 steps and 3 s of steps
# per thread count (the host's slow spells last seconds: with 1 s, one could cover a whole round's
# two-thread steps); prints each round and the median speed-up.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3; steps=10; mintime=3; workloads=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --min-time) mintime="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) workloads+=("$1"); shift ;;
  esac
done
[ ${#workloads[@]} -gt 0 ] || workloads=(cifar_resnet20_b128 cifar_3layerconv_b64 mnist_cnn3_b128 mnist_lenet_b128)
field() { sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p"; }
"$root/cortado" help > /dev/null   # builds first if needed, outside the timed part
speedups="$(mktemp)"; trap 'rm -f "$speedups"' EXIT
printf '%-22s %6s %12s %12s %9s\n' workload round "1 thread" "2 threads" "speed-up"
for r in $(seq 1 "$rounds"); do
  for w in "${workloads[@]}"; do
    lines=$("$root/cortado" bench "$w" --steps "$steps" --min-time "$mintime" --threads 1,2)
    one=$(grep '"threads": 1,' <<< "$lines" | field ms_per_step)
    two=$(grep '"threads": 2,' <<< "$lines" | field ms_per_step)
    s=$(awk -v a="$one" -v b="$two" 'BEGIN{printf "%.2f", a/b}')
    echo "$w $s" >> "$speedups"
    printf '%-22s %6s %12s %12s %9s\n' "$w" "$r" "$one" "$two" "$s"
  done
done
echo
echo "median speed-up over $rounds rounds (ms per step, median of at least $steps steps and $mintime s after warm-up):"
for w in "${workloads[@]}"; do
  grep "^$w " "$speedups" | awk '{print $2}' | sort -n | awk -v w="$w" '{v[NR]=$1} END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%-22s %6.2fx\n", w, m }'
done
