#!/usr/bin/env bash
# Stages the container image's files for Jib (`./mvnw -Pimage package` runs it after the jar is packaged):
#   target/image/opt/aimp/jre   a jlinked runtime of the build JDK (the modules the gateway needs)
#   target/image/opt/aimp/app   the unpacked jar (aimp-gateway.jar + lib/), SQLite's native library,
#                               and aimp-gateway.aot, the start-up cache trained with that runtime
#   target/image/opt/aimp/bin   the entry point and the health check
#   target/image-base.tar       a link to the base image that ci/image/base.sh built or found in its cache
# Every file gets the modification time Jib gives the image's files (1970-01-01T00:00:01Z) before the
# training start: the JVM checks the jars' times against the ones the cache recorded.
# Usage: bash ci/image/stage.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
. bin/select-jdk.sh
jar=target/aimp-gateway.jar
[ -f "$jar" ] || { echo "error: $jar is missing; run ./mvnw package first" >&2; exit 1; }
# --train HOME: the training start, as bin/aimp-gateway makes it, through the image's own entry point: a
# scratch data dir, stopped (SIGTERM) once it has answered /api/status, executed one run and finished the
# first start's demo indexing, so the classes of the start-up steps, of a request and of the embedding model
# come from the cache too.
if [ "${1:-}" = --train ]; then
  opt=$2
  echo "image: training the start-up cache ..." >&2
  scratch=$(mktemp -d)
  pid=""
  finish() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$scratch"
  }
  trap finish EXIT
  port=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 + 30000 ))
  key="aimp_sk_$(head -c 96 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9' | head -c 43)"
  conf=$opt/app/aimp-gateway.aotconf
  env -u AIMP_DATABASE_URL -u JAVA_OPTS AIMP_HOME="$opt" AIMP_DATA_DIR="$scratch/data" \
    AIMP_BOOTSTRAP_API_KEY="$key" JAVA_OPTS="-XX:AOTMode=record -XX:AOTConfiguration=$conf" \
    "$opt/bin/aimp-gateway" --server.port="$port" --server.address=127.0.0.1 >"$scratch/train.log" 2>&1 &
  pid=$! # the JVM: the entry point execs it
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "$base/api/status" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if ! curl -sf -o /dev/null "$base/api/status" \
      || ! curl -sf -o /dev/null "$base/api/runs" -H "X-API-Key: $key" -H 'Content-Type: application/json' \
        -d '{"model":"demo-model","mode":"execute","scope":"playground","input":{"text":"Write a one-line summary."},"params":{}}'; then
    echo "error: the training start did not answer (log below)" >&2
    tail -n 40 "$scratch/train.log" >&2
    exit 1
  fi
  # a first start indexes the demo knowledge base in the background once ready (the embedding model's
  # classes): the cache records that too, so the training waits for that run to end (at most 5 minutes)
  for _ in $(seq 1 1500); do
    curl -sf "$base/api/runs?model=text-embed&mode=index" -H "X-API-Key: $key" \
      | grep -q -E '"status":"(succeeded|failed|canceled)"' && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -TERM "$pid"
  status=0
  wait "$pid" || status=$?
  pid=""
  [ "$status" -eq 0 ] || [ "$status" -eq 143 ] || { tail -n 40 "$scratch/train.log" >&2; exit 1; }
  env -u JAVA_OPTS AIMP_HOME="$opt" \
    JAVA_OPTS="-XX:AOTMode=create -XX:AOTConfiguration=$conf -XX:AOTCache=$opt/app/aimp-gateway.aot" \
    "$opt/bin/aimp-gateway" >>"$scratch/train.log" 2>&1 || { tail -n 40 "$scratch/train.log" >&2; exit 1; }
  rm -f "$conf"
  touch -d @1 "$opt/app/aimp-gateway.aot" "$opt/app"
  exit 0
fi

stage=target/image
opt=$stage/opt/aimp
rm -rf "$stage"
mkdir -p "$opt/bin"
# the base image (cached outside the clone; built once per version of base.sh), where Jib's tar:// reads it
base=$(bash "$here/base.sh")
ln -sfn "$base" target/image-base.tar

# the JDK modules the gateway and its libraries use (jdeps --print-module-deps over the jar and lib/, plus
# what is loaded by name: JNDI DNS, the extra charsets, zip file systems, the EC provider)
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http
modules=$modules,java.prefs,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.sql.rowset,java.xml
modules=$modules,jdk.charsets,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs
echo "image: jlink $(basename "$JAVA_HOME") ..." >&2
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --output "$opt/jre"

echo "image: unpacking $jar ..." >&2
"$JAVA_HOME/bin/java" -Djarmode=tools -jar "$jar" extract --destination "$opt/app" >/dev/null
# the native libraries of other platforms: about 115 MB of jars the image never loads
case "$(uname -m)" in
  x86_64) onnx=linux-x64 djl=linux-x86_64 sqlite=Linux/x86_64 ;;
  aarch64) onnx=linux-aarch64 djl=linux-aarch64 sqlite=Linux/aarch64 ;;
  *) echo "error: no image build for $(uname -m)" >&2; exit 1 ;;
esac
strip() {
  for lib in "$opt"/app/lib/$1-[0-9]*.jar; do
    [ -f "$lib" ] && "$JAVA_HOME/bin/java" "$here/StripNatives.java" "$lib" "$2" "$3/"
  done
}
strip onnxruntime ai/onnxruntime/native/ "$onnx"
strip tokenizers native/lib/ "$djl"
strip sqlite-jdbc org/sqlite/native/ "$sqlite"
sqlite_jar=$(find "$opt/app/lib" -name 'sqlite-jdbc-*.jar' | head -1)
mkdir -p "$opt/app/native" "$stage/tmp"
(cd "$stage/tmp" && "$JAVA_HOME/bin/jar" xf "$OLDPWD/$sqlite_jar" "org/sqlite/native/$sqlite/libsqlitejdbc.so")
mv "$stage/tmp/org/sqlite/native/$sqlite/libsqlitejdbc.so" "$opt/app/native/"
rm -rf "$stage/tmp"
# Jib's layer cache knows a file by its path and time, and every file here has the same time: without
# this, a changed jar would be packed from the previous build's layer
rm -rf target/jib-cache
install -m 0755 "$here/entrypoint.sh" "$opt/bin/aimp-gateway"
install -m 0755 "$here/healthcheck.sh" "$opt/bin/healthcheck"
find "$stage" -exec touch -h -d @1 {} +

# Train at the path the image runs from (/opt/aimp, bound over /opt in a private mount namespace) so that the
# cache records the image's paths; without root or unshare, train in place (the cache still loads: the JVM
# accepts a moved application directory, but the log then names the build's path).
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null && unshare --mount --propagation private true 2>/dev/null; then
  unshare --mount --propagation private bash -c 'mount --bind "$1" /opt && exec bash "$2" --train /opt/aimp' \
    train "$PWD/$stage/opt" "$here/stage.sh"
else
  bash "$here/stage.sh" --train "$PWD/$opt"
fi
echo "image: staged $(du -sm "$stage" | cut -f1) MB in $stage (runtime $(du -sm "$opt/jre" | cut -f1) MB," \
  "cache $(du -sm "$opt/app/aimp-gateway.aot" | cut -f1) MB)" >&2
