#!/usr/bin/env bash
# Start-up of the container image: time from `podman run` (or `podman start`) to the first 200 of
# /api/status, polled every 50 ms, and the JVM's CPU time (utime + stime of the container's PID 1, all its
# threads) at that moment. Three kinds of start, ROUNDS times each (default 5), alternated:
#   first     a new container on a new, empty volume (the gateway's first start; the cache is unpacked)
#   new       a new container on the volume a previous one filled (the cache is unpacked again)
#   restart   `podman start` of a stopped container (its unpacked cache is still there)
# Prints one line per start, the medians and the load average before and after. Rootful podman + runc with
# its storage in a temporary directory, as ci/image/test.sh.
# Usage: bash bench/image-startup.sh [ROUNDS] [IMAGE_TAR]   (default target/aimp-gateway-image.tar)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
tar=${2:-target/aimp-gateway-image.tar}
work=$(mktemp -d "${TMPDIR:-/var/tmp}/aimp-image-bench.XXXXXX")
printf '[engine]\nevents_logger = "file"\ncgroup_manager = "cgroupfs"\nruntime = "runc"\n' >"$work/containers.conf"
export CONTAINERS_CONF="$work/containers.conf"
pm() { podman --root "$work/root" --runroot "$work/run" "$@"; }
cleanup() {
  pm rm -af -t 0 >/dev/null 2>&1 || true
  pm volume prune -f >/dev/null 2>&1 || true
  pm rmi -af >/dev/null 2>&1 || true
  { findmnt -rn -o TARGET | grep -F "$work/" | sort -r | while read -r m; do umount -l "$m"; done; } 2>/dev/null || true
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT INT TERM
image=$(pm load -q -i "$tar" | sed -n 's/^Loaded image[^:]*: *//p' | head -1)
echo "image $image: $(( $(pm image inspect --format '{{.Size}}' "$image") / 1000 )) kB uncompressed"
limit() { case "$1" in unlimited) echo "$2" ;; *) echo $(( $1 < $2 ? $1 : $2 )) ;; esac; }
nofile=$(limit "$(ulimit -Hn)" 65536)
nproc=$(limit "$(ulimit -Hu)" 32768)
port=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 + 30000 ))
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
tck=$(getconf CLK_TCK)

# wait NAME START_MS KIND: polls until the first 200 and prints the line
wait_ready() {
  local deadline=$(( $2 + 180000 )) pid cpu
  until curl -sf -o /dev/null "http://127.0.0.1:$port/api/status"; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "error: $1 did not answer within 180 s" >&2; pm logs --tail 30 "$1" >&2; exit 1; }
    sleep 0.05
  done
  local ms=$(( $(now_ms) - $2 ))
  pid=$(pm inspect -f '{{.State.Pid}}' "$1")
  cpu=$(awk -v t="$tck" '{printf "%.2f", ($14 + $15) / t}' "/proc/$pid/stat")
  echo "$3 $ms $cpu" >>"$work/results"
  printf '%-8s %6d ms  JVM CPU %5s s  (load %s)\n' "$3" "$ms" "$cpu" "$(cut -d' ' -f1-3 /proc/loadavg)"
}
run() { # run NAME VOLUME KIND
  local start
  start=$(now_ms)
  pm run -d --name "$1" -p "127.0.0.1:$port:8080" -v "$2:/data" \
    --ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc" \
    -e AIMP_PUBLIC_URL="http://127.0.0.1:$port" -e AIMP_BOOTSTRAP_API_KEY="aimp_sk_$(head -c 64 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9' | head -c 43)" \
    "$image" >/dev/null
  wait_ready "$1" "$start" "$3"
}
echo "load before: $(cat /proc/loadavg)"
for i in $(seq 1 "$rounds"); do
  pm volume create "v$i" >/dev/null
  run "a$i" "v$i" first
  pm stop -t 30 "a$i" >/dev/null
  run "b$i" "v$i" new
  pm stop -t 30 "b$i" >/dev/null
  start=$(now_ms)
  pm start "b$i" >/dev/null
  wait_ready "b$i" "$start" restart
  pm stop -t 30 "b$i" >/dev/null
  pm rm -f "a$i" "b$i" >/dev/null
  pm volume rm -f "v$i" >/dev/null
done
echo "load after: $(cat /proc/loadavg)"
med() { sort -n | awk '{v[NR] = $1} END {printf "%s", v[int((NR + 1) / 2)]}'; }
for kind in first new restart; do
  ms=$(awk -v k="$kind" '$1 == k {print $2}' "$work/results")
  cpu=$(awk -v k="$kind" '$1 == k {print $3}' "$work/results")
  printf 'median %-8s %6s ms (%s-%s), JVM CPU %s s, %s starts\n' "$kind" "$(med <<<"$ms")" \
    "$(sort -n <<<"$ms" | head -1)" "$(sort -n <<<"$ms" | tail -1)" "$(med <<<"$cpu")" "$(wc -l <<<"$ms")"
done
