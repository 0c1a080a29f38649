#!/usr/bin/env bash
# Every GPU check of Cortado in one run, on a machine with an NVIDIA GPU, the CUDA 13 / cuDNN 9
# libraries of a pip PyTorch install, and the kit that benchmarks/gpu-kit.sh packs (.jdk, .gpu):
#   benchmarks/gpu-session.sh [OUTDIR]        (default: $OUT, else ./gpu-out)
# 1. gpu-check: the device, the versions, three training steps against the CPU;
# 2. JUnit: the public CUDA controls, the CUDA contract suites, two GPUs where there are two, and the
#    training-step parity of every benchmark model;
# 3. LeNet and ResNet-20 training steps, Cortado next to PyTorch on the same GPU (TF32 off);
# 4. the same steps profiled: each kernel's calls and device time per step, Cortado's
#    (bench --profile) and PyTorch's (torch.profiler), into OUTDIR/profile.jsonl and profile.txt;
# 5. an experiment (inductive-bias q1) trained on the CPU and on the GPU, compared (compare-runs.py).
# Each part has its own time limit and writes OUTDIR/<part>.txt; the exit status is 1 if any failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-${OUT:-$root/gpu-out}}"
mkdir -p "$out"
java="$root/.jdk/bin/java"
if [ ! -x "$java" ] || [ ! -d "$root/.gpu" ]; then
  echo "gpu-session: no kit here (.jdk, .gpu); run benchmarks/gpu-kit.sh on a machine with JDK 25 and Maven, and bring both folders" >&2
  exit 1
fi
# The CUDA libraries of a pip PyTorch install (nvidia/*/lib), ahead of whatever else is on the path.
if libs=$(python3 -c 'import nvidia, os; p = list(nvidia.__path__)[0]; print(":".join(f"{p}/{d}/lib" for d in sorted(os.listdir(p))))' 2>/dev/null); then
  export LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
flags=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
# CORTADO_JAVA_FLAGS: more JVM flags, e.g. those of benchmarks/fake-cuda.sh to rehearse this
# script on a machine without a GPU.
read -r -a extra <<< "${CORTADO_JAVA_FLAGS:-}"
flags+=("${extra[@]}")
cp="$root/.gpu/examples:$(ls "$root"/.gpu/lib/*.jar | tr '\n' ':')"
tests="$root/.gpu/test/core:$root/.gpu/test/cuda:$root/.gpu/test/examples"
status=0
part() {   # part NAME SECONDS COMMAND...: runs it with a time limit, keeps its output
  local name=$1 limit=$2
  shift 2
  echo "== $name (limit ${limit} s)"
  timeout "$limit" "$@" 2>&1 | grep -v '^WARNING: Using incubator modules' | tee "$out/$name.txt"
  local rc=${PIPESTATUS[0]}
  [ "$rc" = 0 ] || { echo "== $name: exit status $rc" | tee -a "$out/$name.txt"; status=1; }
}
part gpu-check 90 "$java" "${flags[@]}" -cp "$cp" dev.cortado.examples.Main gpu-check
part tests 240 "$java" "${flags[@]}" -Xss4m -Dcortado.cpu.poison=true -jar "$root/.gpu/junit-platform-console-standalone.jar" execute \
  --class-path "$tests:$cp" --select-class dev.cortado.cuda.NvrtcTest --select-class dev.cortado.cuda.CudaApiTest --select-class dev.cortado.cuda.CudaContractTest --select-class dev.cortado.cuda.CudaConvPoolContractTest --select-class dev.cortado.cuda.CudaTwoDevicesTest \
  --select-class dev.cortado.examples.bench.CudaStepParityTest --details=testfeed --reports-dir "$out/junit"
field() { sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p"; }
have_torch=0
python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null && have_torch=1
{
  printf '%-22s %10s %10s %8s\n' workload cortado torch ratio
  for w in mnist_lenet_b128 cifar_resnet20_b128; do
    ours=$(timeout 60 "$java" "${flags[@]}" -cp "$cp" dev.cortado.examples.Main bench "$w" --steps 20 --device cuda 2>/dev/null | field ms_per_step)
    theirs=skipped; ratio=n/a
    if [ $have_torch = 1 ]; then
      theirs=$(BENCH_DEVICE=cuda timeout 60 python3 "$root/benchmarks/torch_bench.py" 1 20 20 "$w" | field ms_per_step)
      [ -n "$ours" ] && [ -n "$theirs" ] && ratio=$(awk -v o="$ours" -v t="$theirs" 'BEGIN{printf "%.2f", o/t}')
    fi
    printf '%-22s %10s %10s %8s\n' "$w" "${ours:-failed}" "${theirs:-failed}" "$ratio"
  done
  echo "(median ms per training step over 20 steps; ratio = cortado / torch, lower is better)"
} | tee "$out/bench.txt"
grep -q failed "$out/bench.txt" && status=1
# Where the time goes, kernel by kernel, for both: the tuning data a GPU session is too short to gather by hand.
: > "$out/profile.jsonl"
for w in mnist_lenet_b128 cifar_resnet20_b128; do
  timeout 90 "$java" "${flags[@]}" -cp "$cp" dev.cortado.examples.Main bench "$w" --steps 10 --device cuda --profile 2>/dev/null \
    | grep '"profile"' | sed 's/^{/{"framework": "cortado", /' >> "$out/profile.jsonl"
  if [ $have_torch = 1 ]; then
    BENCH_DEVICE=cuda BENCH_PROFILE=1 timeout 90 python3 "$root/benchmarks/torch_bench.py" 1 10 10 "$w" 2>/dev/null \
      | grep '"profile"' | sed 's/^{/{"framework": "torch", /' >> "$out/profile.jsonl"
  fi
done
python3 - "$out/profile.jsonl" <<'PY' | tee "$out/profile.txt"
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    rows = r["profile"]
    total = sum(x["ms_per_step"] for x in rows)
    print(f'== {r["framework"]} {r["workload"]}: {total:.3f} ms of device time per step in {sum(x["calls_per_step"] for x in rows):.0f} calls')
    for x in rows[:15]:
        print(f'  {x["ms_per_step"]:9.4f} ms  {x["calls_per_step"]:6.1f}x  {x["name"][:90]}')
PY
# Last, a user's run end to end: an experiment trained on the CPU and on the GPU from one seed.
part experiment-cpu 60 "$java" "${flags[@]}" -cp "$cp" dev.cortado.examples.Main inductive-bias --quick --only q1 --out "$out/experiment/cpu"
part experiment-cuda 90 "$java" "${flags[@]}" -cp "$cp" dev.cortado.examples.Main inductive-bias --quick --only q1 --device cuda \
  --out "$out/experiment/cuda"
part experiment 10 python3 "$root/benchmarks/compare-runs.py" "$out/experiment/cpu/results.json" "$out/experiment/cuda/results.json"
exit $status
