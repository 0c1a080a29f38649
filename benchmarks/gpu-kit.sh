#!/usr/bin/env bash
# Packs what a GPU machine without Java or Maven needs for Cortado's GPU checks into two ignored
# folders, small enough to travel with a copy of the working tree: .jdk (a jlink'd Java 25
# runtime without the desktop modules, about 44 MB) and .gpu (the jars, the test classes and
# JUnit's console launcher, about 12 MB). On the GPU machine, benchmarks/gpu-session.sh then runs
# every check.
#   benchmarks/gpu-kit.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
junit=1.13.4   # the platform version of the JUnit Jupiter the tests are built with
jdk="$("$root/cortado" --java-home)"   # builds first when the sources changed (tests compiled, not run)
cd "$root"
rm -rf .jdk .gpu
"$jdk/bin/jlink" --add-modules java.base,java.logging,java.management,java.xml,jdk.incubator.vector,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output .jdk 2>&1 | grep -v '^WARNING: Using incubator' || true
# The JVM's symbol table is 5 MB of the limit on what travels; crash reports lose its names.
if command -v strip > /dev/null; then strip --strip-unneeded .jdk/lib/server/libjvm.so; fi
mkdir -p .gpu/lib .gpu/test
# Plotting (xchart, pdfbox and what they use) needs java.desktop, which the GPU checks never touch.
for j in examples/target/lib/*.jar; do
  case "$(basename "$j")" in
    xchart-*|pdfbox-*|fontbox-*|graphics2d-*|VectorGraphics2D-*|animated-gif-*) ;;
    *) cp "$j" .gpu/lib/ ;;
  esac
done
cp -r examples/target/classes .gpu/examples
cp -r core/target/test-classes .gpu/test/core
cp -r cuda-backend/target/test-classes .gpu/test/cuda
cp -r examples/target/test-classes .gpu/test/examples
mvn -q -B dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit" -DoutputDirectory=.gpu \
  -Dmdep.stripVersion=true
du -sh .jdk .gpu
