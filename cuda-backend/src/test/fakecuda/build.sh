#!/usr/bin/env bash
# Builds the fake CUDA stack of this folder into OUT: libcudart, libcuda, cuBLAS, cuDNN and NVRTC
# stand-ins that let the real CUDA backend, JavaCPP's bindings included, run without a GPU.
#   build.sh OUT               every library, NVRTC too (fake_nvrtc.cpp)
#   build.sh OUT --nvrtc JAR   NVIDIA's own NVRTC, from JavaCPP's cuda-redist jar, instead
# Where g++ or CUDA 13's runtime headers (CUDA_INCLUDE, /usr/local/cuda/include, /usr/include)
# are missing, it writes the reason to OUT/unavailable.txt and exits 0: the tests that need the
# fakes then skip with that reason instead of failing the build.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$(cd "$here/../../.." && pwd)"
out="$1"
nvrtc_jar=""
[ "${2:-}" = --nvrtc ] && nvrtc_jar="$3"

rm -rf "$out"
mkdir -p "$out"
unavailable() {
  echo "$1" > "$out/unavailable.txt"
  echo "fake CUDA stack not built: $1"
  exit 0
}
command -v g++ >/dev/null || unavailable "no g++ on the PATH to build the fake CUDA libraries"
# The fake fills cudaDeviceProp as these headers lay it out, and JavaCPP's bindings read it as
# CUDA 13's headers do (CUDA 13 dropped fields that 12 had), so the headers must be CUDA 13's.
include=""
found=""
for dir in ${CUDA_INCLUDE:-} /usr/local/cuda/include /usr/include; do
  [ -f "$dir/driver_types.h" ] && [ -f "$dir/cuda_runtime_api.h" ] || continue
  version=$(sed -n 's/^#define CUDART_VERSION *\([0-9]*\).*/\1/p' "$dir/cuda_runtime_api.h")
  found="$found $dir (CUDART_VERSION ${version:-unknown})"
  if [ "${version:-0}" -ge 13000 ] && [ "${version:-0}" -lt 14000 ]; then include="$dir"; break; fi
done
[ -n "$include" ] || unavailable "no CUDA 13 runtime headers (driver_types.h, cuda_runtime_api.h) in CUDA_INCLUDE, /usr/local/cuda/include or /usr/include; found:${found:- none}"

cp "$module/src/main/resources/dev/cortado/cuda/kernels.cu" "$module/src/test/resources/dev/cortado/cuda/cuda_emulator.cpp" "$out"
grep -o 'extern "C" __global__ void [A-Za-z0-9_]*(' "$out/kernels.cu" | sed -E 's/.*void (\w+)\(/KERNEL(\1)/' > "$out/kernel_table.inc"
# The fake NVRTC compiles only this kernels.cu, byte for byte.
{
  printf 'const char KERNELS_SOURCE[] = R"KERNELS_CU('
  cat "$out/kernels.cu"
  printf ')KERNELS_CU";\n'
} > "$out/kernels_source.inc"

# lib SONAME SOURCE [flags]: each library defines its symbols under the version its soname names,
# as the JavaCPP bindings ask for them (cudaMalloc@libcudart.so.13); libcuda's are unversioned.
lib() {
  local so=$1 source=$2
  shift 2
  local prefix=${so%%.so*}
  prefix=${prefix#lib}
  case $prefix in cudart) prefix=cuda ;; cublas | cublasLt | nvrtc) ;; cudnn_*) prefix=cudnn ;; esac
  echo "$so { global: ${prefix}*; local: *; };" > "$out/$so.map"
  g++ -std=c++17 -O1 -shared -fPIC -I"$out" -Wl,-soname,"$so" -Wl,--version-script="$out/$so.map" -o "$out/$so" "$here/$source" "$@"
}
pids=()
lib libcudart.so.13 fake_cudart.cpp -I"$include" & pids+=($!)
lib libcublas.so.13 fake_cublas.cpp & pids+=($!)
lib libcublasLt.so.13 fake_cublas.cpp -DFAKE_CUBLAS_LT & pids+=($!)
for part in graph ops cnn adv; do
  lib "libcudnn_$part.so.9" fake_cudnn.cpp "-DFAKE_CUDNN_${part^^}" & pids+=($!)
done
if [ -n "$nvrtc_jar" ]; then
  unzip -q -o -j "$nvrtc_jar" 'org/bytedeco/cuda/linux-x86_64/libnvrtc*' -d "$out"
else
  lib libnvrtc.so.13 fake_nvrtc.cpp & pids+=($!)
fi
g++ -std=c++17 -O1 -ffp-contract=off -U_FORTIFY_SOURCE -shared -fPIC -I"$out" -Wl,-soname,libcuda.so.1 -o "$out/libcuda.so.1" "$here/fake_cuda.cpp" & pids+=($!)
for pid in "${pids[@]}"; do wait "$pid"; done
echo "fake CUDA stack built in $out"
