#!/bin/sh
# The image's entry point (/opt/aimp/bin/aimp-gateway): execs the JVM, so that the JVM is PID 1 and a
# SIGTERM (podman/docker stop) shuts the gateway down gracefully. The flags are bin/aimp-gateway's, plus the
# start-up cache that the image build trained with this runtime and these flags (stage.sh runs this script
# for the training start, so the two cannot drift). JAVA_OPTS adds JVM options (an -Xmx or a collector there
# wins); AIMP_AOT_CACHE=false and AIMP_SPRING_AOT=false as in bin/aimp-gateway; arguments go to the gateway.
set -eu
home=${AIMP_HOME:-/opt/aimp}
flags="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
gc=-XX:+UseSerialGC
for opt in ${JAVA_OPTS:-}; do case "$opt" in -XX:+Use*GC) gc="" ;; esac; done
flags="$flags $gc -Xmx320m"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
if [ "${AIMP_SPRING_AOT:-true}" = true ]; then flags="$flags -Dspring.aot.enabled=true"; fi
# SQLite's native library, unpacked by the build (the driver would otherwise copy it out of its jar at every start)
if [ -f "$home/app/native/libsqlitejdbc.so" ]; then
  flags="$flags -Dorg.sqlite.lib.path=$home/app/native -Dorg.sqlite.lib.name=libsqlitejdbc.so"
fi
if [ -f "$home/app/aimp-gateway.aot" ] && [ "${AIMP_AOT_CACHE:-true}" = true ]; then
  flags="$flags -XX:AOTCache=$home/app/aimp-gateway.aot"
fi
# shellcheck disable=SC2086
exec "$home/jre/bin/java" $flags ${JAVA_OPTS:-} -jar "$home/app/aimp-gateway.jar" "$@"
