#!/usr/bin/env bash
# Stages the container image's files for Jib (`./mvnw -Pimage package` runs it after the jar is packaged):
#   target/image/opt/aimp/jre   a jlinked runtime of the build JDK (the modules the gateway needs)
#   target/image/opt/aimp/app   the unpacked jar (aimp-gateway.jar + lib/, slimmed: ci/image/SlimJars.java),
#                               SQLite's native library, and the start-up cache trained with that runtime,
#                               packed (aimp-gateway.aot.zst; the entry point unpacks it once per container)
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
# --pack APP: the start-up cache as zstd (a quarter of its size); the entry point unpacks it into the
# container's /tmp on its first start, under a name made of the cache's hash (aimp-gateway.aot.id)
if [ "${1:-}" = --pack ]; then
  app=$2
  sha256sum "$app/aimp-gateway.aot" | cut -c1-16 >"$app/aimp-gateway.aot.id"
  zstd -q -f -19 -T0 -o "$app/aimp-gateway.aot.zst" "$app/aimp-gateway.aot"
  rm "$app/aimp-gateway.aot"
  touch -d @1 "$app/aimp-gateway.aot.zst" "$app/aimp-gateway.aot.id" "$app"
  exit 0
fi

stage=target/image
opt=$stage/opt/aimp
rm -rf "$stage" target/image-natives
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
# left out of java.desktop: the X11 toolkit (the gateway is headless) with libjawt (native code drawing on
# AWT windows), the splash screen and javax.sound's library; none of them is loaded without a display or a
# sound device
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --exclude-files='**/libawt_xawt.so,**/libjawt.so,**/libsplashscreen.so,**/libjsound.so' \
  --compress=zip-9 --output "$opt/jre"
# libjvm.so's symbol table (5 MB): only the JVM's crash reports (hs_err) read it, to name the JVM's own
# functions in native frames; without it they give offsets (libjvm.so+0x...), which the JDK's debug
# symbols resolve
command -v objcopy >/dev/null || { echo "error: objcopy is missing (apt-get install binutils)" >&2; exit 1; }
chmod u+w "$opt/jre/lib/server/libjvm.so"
objcopy --strip-unneeded "$opt/jre/lib/server/libjvm.so"

echo "image: unpacking $jar ..." >&2
"$JAVA_HOME/bin/java" -Djarmode=tools -jar "$jar" extract --destination "$opt/app" >/dev/null
case "$(uname -m)" in
  x86_64) onnx=linux-x64 djl=linux-x86_64 sqlite=Linux/x86_64 jna=linux-x86-64 truffle=linux/amd64 ;;
  aarch64) onnx=linux-aarch64 djl=linux-aarch64 sqlite=Linux/aarch64 jna=linux-aarch64 truffle=linux/aarch64 ;;
  *) echo "error: no image build for $(uname -m)" >&2; exit 1 ;;
esac
# SQLite's native library, unpacked as bin/aimp-gateway does (the entry point points the driver at it)
sqlite_jar=$(find "$opt/app/lib" -name 'sqlite-jdbc-*.jar' | head -1)
mkdir -p "$opt/app/native" "$stage/tmp"
(cd "$stage/tmp" && "$JAVA_HOME/bin/jar" xf "$OLDPWD/$sqlite_jar" "org/sqlite/native/$sqlite/libsqlitejdbc.so")
mv "$stage/tmp/org/sqlite/native/$sqlite/libsqlitejdbc.so" "$opt/app/native/"
rm -rf "$stage/tmp"
# what the image never loads from the jars: the native libraries of other platforms (ONNX Runtime,
# tokenizers, JNA, Truffle's attach library; SQLite's all of them, its library is in app/native), and
# ICU4J's charset converters (GraalJS uses ICU4J for Intl; nothing outside ICU4J's charset package refers
# to that package or its .cnv tables, and ICU4J registers no charset provider); jars that store their
# classes uncompressed (GraalJS, Truffle) are compressed
icu=org/graalvm/shadowed/com/ibm/icu
"$JAVA_HOME/bin/java" "$here/SlimJars.java" "$opt/app/lib" target/image-natives \
  "onnxruntime=ai/onnxruntime/native/(?!$onnx/)[^/]+/.*" \
  "tokenizers=native/lib/(?!$djl/)[^/]+/.*" \
  "sqlite-jdbc=org/sqlite/native/.+" \
  "jna=com/sun/jna/(?!$jna/)[^/]*-[^/]*/.*" \
  "truffle-api=META-INF/resources/engine/libtruffleattach/(?!$truffle/|${truffle%/*}/\$)[^/]+/.*" \
  "icu4j=$icu/(charset/.*|impl/data/icudata/([^/]+\.cnv|cnvalias\.icu))"
# every library that a native library of the image needs (the runtime's, SQLite's and those the jars unpack
# at run time) is in the base or among those libraries themselves
command -v objdump >/dev/null || { echo "error: objdump is missing (apt-get install binutils)" >&2; exit 1; }
command -v zstd >/dev/null || { echo "error: zstd is missing (apt-get install zstd)" >&2; exit 1; }
sos=$(find "$opt/jre" "$opt/app/native" target/image-natives -type f \( -name '*.so' -o -name '*.so.*' \))
provided=$( { tar -xOf "$base" layer.tar | tar -tf - | sed 's|.*/||'
  for so in $sos; do basename "$so"; objdump -p "$so" | sed -n 's/^ *SONAME *//p'; done; } | LC_ALL=C sort -u)
needed=$(for so in $sos; do objdump -p "$so" | sed -n 's/^ *NEEDED *//p'; done | LC_ALL=C sort -u)
missing=$(LC_ALL=C comm -23 <(echo "$needed") <(echo "$provided"))
[ -z "$missing" ] || { echo "error: the image lacks libraries its native libraries need:" $missing >&2; exit 1; }
rm -rf target/image-natives
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
aot=$(du -sm "$opt/app/aimp-gateway.aot" | cut -f1)
# AIMP_IMAGE_AOT_PACK=false: the cache stays unpacked in the image (larger image; containers of the image
# share its pages, and nothing is unpacked at start)
if [ "${AIMP_IMAGE_AOT_PACK:-true}" = true ]; then
  bash "$here/stage.sh" --pack "$PWD/$opt/app"
  aot="$aot MB, packed $(du -sm "$opt/app/aimp-gateway.aot.zst" | cut -f1)"
fi
echo "image: staged $(du -sm "$stage" | cut -f1) MB in $stage (runtime $(du -sm "$opt/jre" | cut -f1) MB," \
  "cache $aot MB)" >&2
