#!/usr/bin/env bash
# Overhead benchmark of AIMP Gateway in runs mode, with the shared harness (fake provider + wrk).
#
#   bench/run.sh [--postgres JDBC_URL] [harness options...]
#
# Starts the packaged gateway (building it when missing) on 127.0.0.1:18480 with a fresh data dir,
# the catalog in bench/catalog (bench-instant and bench-slow routed to the fake provider on
# 127.0.0.1:18080) and the default configuration (authentication, limits, wallet, idempotency,
# durable usage records all on), started by bin/aimp-gateway (its JVM flags and start-up cache); then
# runs the harness in runs mode, checks the books (wallet balance + charged credits = starting credits,
# nothing left reserved) and stops the gateway.
# Harness options (e.g. --quick, -c "1 16", -d 20) are passed through; see ../shared/bench/README.md.
# AIMP_BENCH_HARNESS points at the harness folder (default ../shared/bench). JAVA_OPTS adds JVM flags.
# AIMP_BENCH_PORT: the gateway's port (default 18480; a port something already answers on is refused).
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/select-jdk.sh
HARNESS="${AIMP_BENCH_HARNESS:-../shared/bench}"
[ -x "$HARNESS/run.sh" ] || { echo "error: benchmark harness not found at $HARNESS (set AIMP_BENCH_HARNESS)" >&2; exit 2; }
DB_URL="" LABEL=aimp-sqlite
if [ "${1:-}" = "--postgres" ]; then DB_URL="$2"; LABEL=aimp-postgres; shift 2; fi
jar=target/aimp-gateway.jar
[ -f "$jar" ] || ./mvnw -q -B -DskipTests package
start_credits="${AIMP_STARTING_CREDITS:-1000000}"
AIMP_SKIP_BUILD=true bin/aimp-gateway --prepare-cache
data="$(mktemp -d "${TMPDIR:-/tmp}/aimp-bench-data.XXXXXX")"
port="${AIMP_BENCH_PORT:-18480}"
# another gateway on the port would be measured instead of this one
if curl -s -o /dev/null -m 2 "http://127.0.0.1:$port/"; then
  echo "error: something already answers on 127.0.0.1:$port; stop it or set AIMP_BENCH_PORT" >&2; exit 2
fi
key="aimp_sk_bench$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 38)"
schema=""
if [ -n "$DB_URL" ]; then
  schema="bench_$(date +%s)"
  psql "$(echo "$DB_URL" | sed 's/^jdbc://')" -qc "create schema $schema" >/dev/null
  sep='?'; [[ "$DB_URL" == *\?* ]] && sep='&'
  export AIMP_DATABASE_URL="${DB_URL}${sep}currentSchema=$schema"
fi
AIMP_DATA_DIR="$data" AIMP_PORT=$port SERVER_ADDRESS=127.0.0.1 AIMP_BOOTSTRAP_API_KEY="$key" \
AIMP_CATALOG_DIR="$PWD/bench/catalog" AIMP_HTTP_ACCESS_LOG=false \
AIMP_PROVIDERS_BENCH_TYPE=openai AIMP_PROVIDERS_BENCH_BASE_URL=http://127.0.0.1:18080/v1 \
AIMP_PROVIDERS_BENCHSLOW_TYPE=openai AIMP_PROVIDERS_BENCHSLOW_BASE_URL=http://127.0.0.1:18080/slow/v1 \
AIMP_STARTING_CREDITS="$start_credits" AIMP_SKIP_BUILD=true \
  bin/aimp-gateway > "$data/gateway.log" 2>&1 &
gw=$!
cleanup() {
  kill "$gw" 2>/dev/null || true; wait "$gw" 2>/dev/null || true
  if [ -n "$schema" ]; then psql "$(echo "$DB_URL" | sed 's/^jdbc://')" -qc "drop schema $schema cascade" >/dev/null || true; fi
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$port/api/status" && break; sleep 0.5; done
curl -sf -o /dev/null "http://127.0.0.1:$port/api/status" || { echo "error: gateway did not start; log:" >&2; tail -50 "$data/gateway.log" >&2; exit 1; }
"$HARNESS/run.sh" -R -l "$LABEL" -p "$gw" -m bench-instant -M bench-slow "$@" "http://127.0.0.1:$port" "X-API-Key: $key"
# The books after the load: every credit that left the wallet is a charge in the usage log.
wallet=$(curl -sf -H "X-API-Key: $key" "http://127.0.0.1:$port/api/billing/wallet")
usage=$(curl -sf -H "X-API-Key: $key" "http://127.0.0.1:$port/api/billing/usage/summary?group_by=model")
python3 - "$start_credits" "$wallet" "$usage" <<'PY'
import json, sys
from decimal import Decimal
start, wallet, usage = Decimal(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
charged = sum((Decimal(r["credits"]) for r in usage["data"]), Decimal(0))
runs = sum(r["runs"] for r in usage["data"])
balance, reserved = Decimal(wallet["balance"]), Decimal(wallet["reserved"])
ok = balance + charged == start and reserved == 0
print(f"ledger check: start {start} = balance {balance} + charged {charged} over {runs} runs; reserved {reserved}: "
      + ("holds" if ok else "BROKEN"))
sys.exit(0 if ok else 1)
PY
