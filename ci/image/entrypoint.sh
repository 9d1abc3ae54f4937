#!/bin/sh
# The image's entry point (/opt/aimp/bin/aimp-gateway): execs the JVM, so that the JVM is PID 1 and a
# SIGTERM (podman/docker stop) shuts the gateway down gracefully. The flags are bin/aimp-gateway's, plus the
# start-up cache that the image build trained with this runtime and these flags (stage.sh runs this script
# for the training start, so the two cannot drift; the image holds it packed, see below). JAVA_OPTS adds JVM
# options (an -Xmx or a collector there wins); AIMP_AOT_CACHE=false and AIMP_SPRING_AOT=false as in
# bin/aimp-gateway; arguments go to the gateway.
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
aot=$home/app/aimp-gateway.aot
if [ "${AIMP_AOT_CACHE:-true}" = true ]; then
  if [ -f "$aot" ]; then
    flags="$flags -XX:AOTCache=$aot"
  elif [ -f "$aot.zst" ] && read -r id <"$aot.id"; then
    # the image carries the cache packed (zstd): unpacked once per container into /tmp, where a restart of
    # the container finds it; the .ok file marks a complete one, both this user's. Where /tmp is not
    # writable, the JVM starts without the cache.
    unpacked=/tmp/aimp-gateway-$id.aot
    if ! { [ -f "$unpacked.ok" ] && [ -O "$unpacked.ok" ] && [ -O "$unpacked" ] && [ ! -L "$unpacked" ]; }; then
      if zstd -q -d -f -o "$unpacked" "$aot.zst" && : >"$unpacked.ok"; then
        :
      else
        echo "aimp-gateway: could not unpack the start-up cache into /tmp: starting without it" >&2
        unpacked=""
      fi
    fi
    if [ -n "$unpacked" ]; then flags="$flags -XX:AOTCache=$unpacked"; fi
  fi
fi
# shellcheck disable=SC2086
exec "$home/jre/bin/java" $flags ${JAVA_OPTS:-} -jar "$home/app/aimp-gateway.jar" "$@"
