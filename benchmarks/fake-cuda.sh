#!/usr/bin/env bash
# The CUDA backend's whole GPU code path -- JavaCPP's bindings, the driver package, NVIDIA's
# NVRTC -- on a machine without a GPU. libcudart, libcuda, cuBLAS and cuDNN are replaced by the
# fakes of cuda-backend/src/test/fakecuda: device memory is host memory, kernels.cu's kernels run
# in the kernel emulator, cuBLAS and cuDNN calls are computed by their definitions. NVRTC is the
# real one, from JavaCPP's cuda-redist jar (fetched into ~/.m2 once, 380 MB, where missing).
#   benchmarks/fake-cuda.sh          NvrtcTest, CudaApiTest, the CUDA contract suites, two devices, gpu-check, a profiled
#                                    bench, and an experiment (inductive-bias q1) on the CPU and on cuda, compared
#   benchmarks/fake-cuda.sh --full   and CudaStepParityTest, every benchmark model's steps (minutes)
# Needs g++, the CUDA runtime headers (driver_types.h; /usr/local/cuda/include or CUDA_INCLUDE),
# and the project installed (mvn install -DskipTests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
full=0
[ "${1:-}" = --full ] && full=1
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
version=$(sed -n 's:.*<bytedeco.cuda.version>\(.*\)</bytedeco.cuda.version>.*:\1:p' cuda-backend/pom.xml)
redist="$HOME/.m2/repository/org/bytedeco/cuda-redist/$version/cuda-redist-$version-linux-x86_64.jar"
if [ ! -f "$redist" ]; then
  mvn -B -q dependency:get -Dartifact="org.bytedeco:cuda-redist:$version:jar:linux-x86_64"
fi

dir="$root/cuda-backend/target/fake-cuda-nvrtc"
bash cuda-backend/src/test/fakecuda/build.sh "$dir" --nvrtc "$redist"
[ ! -f "$dir/unavailable.txt" ] || exit 1

# JavaCPP looks in its own places (/usr/local/cuda/lib64, its cache) before the library path:
# a cache of its own and the fakes' folder as its only preload and link path.
flags="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dorg.bytedeco.javacpp.cachedir=$dir/javacpp \
-Dorg.bytedeco.javacpp.platform.preloadpath=$dir -Dorg.bytedeco.javacpp.platform.linkpath=$dir -Dcortado.cuda.cache=$dir/modules"
export LD_LIBRARY_PATH="$dir"
status=0
summary() {   # one line per surefire report: class, tests, failures, errors, skipped
  sed -n 's/.*<testsuite [^>]*name="\([^"]*\)" time="[^"]*" tests="\([0-9]*\)" errors="\([0-9]*\)" skipped="\([0-9]*\)" failures="\([0-9]*\)".*/\1: \2 tests, \5 failures, \3 errors, \4 skipped/p' "$@"
}
mvn -B -o -q -pl cuda-backend test -Dtest='NvrtcTest,CudaApiTest,CudaContractTest,CudaConvPoolContractTest,CudaTwoDevicesTest' "-Dcortado.jvm.flags=$flags" || status=1
summary cuda-backend/target/surefire-reports/TEST-dev.cortado.cuda.{NvrtcTest,CudaApiTest,CudaContractTest,CudaConvPoolContractTest,CudaTwoDevicesTest}.xml
if [ $full = 1 ]; then
  mvn -B -o -q -pl examples test -Dtest='CudaStepParityTest' "-Dcortado.jvm.flags=$flags" || status=1
  summary examples/target/surefire-reports/TEST-dev.cortado.examples.bench.CudaStepParityTest.xml
fi
mvn -B -o -q -pl examples dependency:build-classpath -Dmdep.outputFile="$dir/classpath.txt" >/dev/null
cp="examples/target/classes:$(cat "$dir/classpath.txt")"
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" $flags -cp "$cp" dev.cortado.examples.Main gpu-check 2>&1 | grep -v 'Using incubator' || status=1
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" $flags -cp "$cp" dev.cortado.examples.Main bench mnist_fc_b128 --device cuda --steps 2 --warmup 1 --profile 2>&1 \
  | grep -c '"profile"' | grep -qx 1 && echo "bench --profile: one profile line" || { echo "bench --profile printed no profile" >&2; status=1; }
# A user's run end to end: an experiment trained on the CPU and on the (fake) GPU from the same
# seed gives the same curves up to float rounding and the same accuracies (compare-runs.py).
runs="$dir/runs"
rm -rf "$runs"
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" $flags -cp "$cp" dev.cortado.examples.Main inductive-bias --quick --only q1 --out "$runs/cpu" > /dev/null 2>&1 || status=1
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" $flags -cp "$cp" dev.cortado.examples.Main inductive-bias --quick --only q1 --device cuda --out "$runs/cuda" \
  > /dev/null 2>&1 || status=1
python3 benchmarks/compare-runs.py "$runs/cpu/results.json" "$runs/cuda/results.json" || status=1
exit $status
