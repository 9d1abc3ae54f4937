#!/usr/bin/env bash
# MCP conformance: the official TypeScript MCP SDK client against the packaged gateway.
# Starts target/aimp-gateway.jar (building it when missing or older than the sources) on a free loopback
# port with a temporary data directory, runs conformance.mjs, and always stops the gateway.
# Usage: bash ci/mcp-conformance/run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
. bin/select-jdk.sh

(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

jar=target/aimp-gateway.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "mcp-conformance: building $jar" >&2
  ./mvnw -q -B -DskipTests package
fi

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
key="aimp_sk_$(node -e 'const a="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";const b=require("crypto").randomBytes(43);console.log([...b].map(x=>a[x%62]).join(""))')"
data=$(mktemp -d "${TMPDIR:-/tmp}/aimp-mcp-conformance.XXXXXX")
log="$data/gateway.log"
pid=""

stop() {
  status=$?
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -f "$log" ]; then
    echo "mcp-conformance: gateway log (last 40 lines):" >&2
    tail -n 40 "$log" >&2
  fi
  rm -rf "$data"
  exit "$status"
}
trap stop EXIT INT TERM

# in Spring AOT mode, as bin/aimp-gateway runs it (bean definitions computed by the build)
AIMP_DATA_DIR="$data/data" AIMP_BOOTSTRAP_API_KEY="$key" AIMP_PORT="$port" SERVER_ADDRESS=127.0.0.1 \
  AIMP_PUBLIC_URL="http://127.0.0.1:$port" \
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Dspring.aot.enabled=true -jar "$jar" >"$log" 2>&1 &
pid=$!

base="http://127.0.0.1:$port"
for _ in $(seq 1 600); do # room for a busy machine
  if curl -fsS -o /dev/null "$base/api/status" 2>/dev/null; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "mcp-conformance: the gateway exited during start-up" >&2; exit 1; fi
  sleep 1
done
curl -fsS -o /dev/null "$base/api/status" || { echo "mcp-conformance: the gateway did not start in 600 s" >&2; exit 1; }

AIMP_MCP_URL="$base/mcp" AIMP_API_KEY="$key" node "$here/conformance.mjs"
