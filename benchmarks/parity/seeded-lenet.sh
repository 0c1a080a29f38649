#!/usr/bin/env bash
# The same seed in both libraries, nothing exported: LeNet trained on MNIST by PyTorch and by
# Cortado from torch.manual_seed(SEED) / Cortado.manualSeed(SEED), batches shuffled by the seeded
# loader in each; prints the losses side by side and the largest relative difference.
#   benchmarks/parity/seeded-lenet.sh [--seed S] [--steps N] [--data DIR]   (defaults 0, 200, ../shared/data)
# The libraries round differently (their sums run in other orders), and training amplifies it:
# from about step 200 the runs drift apart, as PyTorch's own runs on one and on two threads do.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seed=0; steps=200; data="$root/../shared/data"
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) seed="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "seeded-lenet.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
jdk="$("$root/cortado" --java-home)"
torch_out="$(mktemp)"; ours_out="$(mktemp)"; trap 'rm -f "$torch_out" "$ours_out"' EXIT
/usr/bin/python3 "$root/benchmarks/parity/seeded_lenet_torch.py" "$seed" "$steps" "$data" > "$torch_out"
"$jdk/bin/java" --add-modules jdk.incubator.vector -cp "$root/examples/target/classes:$root/examples/target/lib/*" \
  "$root/benchmarks/parity/SeededLeNet.java" "$seed" "$steps" "$data" 2> /dev/null > "$ours_out"
paste "$torch_out" "$ours_out" | awk -v every=$(( steps / 10 > 0 ? steps / 10 : 1 )) '
  { d = ($1 - $2) / ($1 < 0 ? -$1 : $1); d = d < 0 ? -d : d; if (d > worst) { worst = d; at = NR }
    if (NR == 1 || NR % every == 0) printf "step %4d  pytorch %.7f  cortado %.7f\n", NR, $1, $2 }
  END { printf "%d steps; largest relative difference %.2e (step %d)\n", NR, worst, at }'
