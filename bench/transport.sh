#!/usr/bin/env bash
# The provider transports side by side (ProviderTransportBenchmark): Http1Client, the JDK HttpClient and
# Apache HttpClient 5 against one local fake provider, in one JVM, rounds alternating the order.
#
#   bench/transport.sh [seconds per cell] [rounds] [concurrencies, e.g. 1,16]
#
# Compiles the test classes, builds the test classpath and runs the harness. JAVA_OPTS adds JVM flags.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/select-jdk.sh
./mvnw -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
exec "$JAVA_HOME/bin/java" -Xms512m -Xmx512m ${JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/cp.txt)" \
  io.aimp.gateway.providers.ProviderTransportBenchmark "$@"
