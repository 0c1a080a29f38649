#!/usr/bin/env bash
# Training-step time of MNIST notebook models in Cortado (CPU) next to PyTorch, in one run.
#   benchmarks/step-vs-pytorch.sh [BATCH]      (default 128; 2 threads each)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
batch="${1:-128}"
py=/usr/bin/python3
ms() { sed -n 's/.*"ms_per_step": \([0-9.]*\).*/\1/p'; }
"$root/cortado" help > /dev/null   # builds first if needed, outside the timed part
printf '%-8s %12s %12s %8s\n' model "cortado ms" "torch ms" "ratio"
for m in cnn fashion; do
  ours=$("$root/cortado" bench-step "$m" --batch "$batch" --threads 2 | ms)
  if "$py" -c 'import torch' 2>/dev/null; then
    theirs=$("$py" "$root/benchmarks/torch_step.py" "$m" "$batch" 2 | ms)
    ratio=$(awk -v o="$ours" -v t="$theirs" 'BEGIN{printf "%.2f", o/t}')
  else
    theirs="skipped"; ratio="n/a"
    echo "PyTorch not found at $py: install python3-torch libopenblas0-pthread for the comparison" >&2
  fi
  printf '%-8s %12s %12s %8s\n' "$m" "$ours" "$theirs" "$ratio"
done
echo "(ms per forward+backward+SGD step, batch $batch, mean of 20 after 5 warm-up; ratio = cortado / torch, lower is better)"
