#!/usr/bin/env bash
# The host's share of a CUDA training step, on any machine: the workloads' steps run on the
# test-only device cuda-host-only, which does no device work, so what is timed is autograd,
# layouts, the caching allocator and launch packing. One JSON line per workload, with the device
# calls (launches, cuBLAS, cuDNN, copies) of one step, by kind and by kernel.
#   benchmarks/cuda-host-overhead.sh [WORKLOAD ...]     (default: mnist_lenet_b128 cifar_resnet20_b128)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/cortado" help > /dev/null   # builds (test classes too) if sources changed
java_home="$("$root/cortado" --java-home)"
cp_file="$(mktemp)"; trap 'rm -f "$cp_file"' EXIT
(cd "$root" && JAVA_HOME="$java_home" mvn -q -B -Dstyle.color=never -pl examples dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file") > "$cp_file.log" 2>&1 || { cat "$cp_file.log" >&2; echo "cuda-host-overhead: could not resolve the test class path" >&2; exit 1; }
rm -f "$cp_file.log"
"$java_home/bin/java" --add-modules jdk.incubator.vector -cp "$root/examples/target/test-classes:$root/examples/target/classes:$(cat "$cp_file")" \
  dev.cortado.examples.bench.CudaHostOverhead "$@" 2>&1 | grep -v '^WARNING: Using incubator modules'
