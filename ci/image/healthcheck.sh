#!/bin/bash
# The image's health check (/opt/aimp/bin/healthcheck): exits 0 when GET /api/status answers 200. The image
# has no curl, so bash's /dev/tcp speaks HTTP/1.0 to the gateway's port (AIMP_PORT, default 8080).
exec 3<>"/dev/tcp/127.0.0.1/${AIMP_PORT:-8080}" || exit 1
printf 'GET /api/status HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r -t 5 line <&3 || exit 1
case "$line" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) exit 1 ;;
esac
