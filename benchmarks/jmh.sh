#!/usr/bin/env bash
# JMH benchmarks of the CPU kernels: sgemm (A·B, Aᵀ·B, A·Bᵀ), every convolution layer shape of the
# notebook models and their 2×2 max pooling, forward and forward + backward.
#   benchmarks/jmh.sh                        all of them (about 25 minutes)
#   benchmarks/jmh.sh GemmBenchmark -p n=1024   any JMH options: a regex of benchmarks, -p, -f, -wi, -i, -rf json ...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jdk="$("$root/cortado" --java-home)"   # finds JDK 25 and builds every module, benchmarks included, when sources changed
exec "$jdk/bin/java" --add-modules jdk.incubator.vector -cp "$root/benchmarks/target/classes:$root/benchmarks/target/lib/*" \
  org.openjdk.jmh.Main "$@"
