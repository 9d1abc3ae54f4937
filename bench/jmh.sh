#!/usr/bin/env bash
# Micro-benchmarks of the run pipeline's stages (JMH; src/test/java/io/aimp/gateway/bench).
#
#   bench/jmh.sh [JMH options...] [benchmark regexp]
#
# Compiles the test classes, builds the test classpath and runs JMH. The benchmarks' annotations keep
# the runs short but stable on 2 cores (1 fork, 4 warm-up iterations of 2 s, 8 measured of 1 s); JMH
# options given here override them, e.g. `bench/jmh.sh -i 10 Commit`, `bench/jmh.sh -l` to list.
# Each trial starts the real application (no web server) on SQLite in a temporary directory.
# JAVA_OPTS adds flags to the forked benchmark JVM.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/select-jdk.sh
./mvnw -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
major=$(aimp_java_major "$JAVA_HOME/bin/java")
jvm="--enable-native-access=ALL-UNNAMED -Xms1g -Xmx1g"
[ "$major" -ge 23 ] && jvm="$jvm --sun-misc-unsafe-memory-access=allow"
exec "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat target/cp.txt)" org.openjdk.jmh.Main \
  -jvmArgsAppend "$jvm ${JAVA_OPTS:-}" "$@"
