#!/usr/bin/env bash
# Compares JIT settings for the local stack: seconds to READY and GET req/s once warm.
#   bench/local-stack-jit.sh "<HUB_JAVA_OPTS>"     e.g. "" (the script's C1-only default) or "-XX:TieredStopAtLevel=4"
# Each run: bin/local-stack on free ports and a temp data dir (HUB_SKIP_BUILD=1), create one integration with the
# admin token, wrk 5 s warm-up, then wrk 10 s (1 thread, 8 connections) on GET /v1/integrations/{name}; stop.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 2; }
DATA="$(mktemp -d /tmp/local-stack-jit.XXXXXX)"
OUT="$DATA.out"
trap 'rm -rf "$DATA" "$OUT"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export HUB_SKIP_BUILD=1 HUB_DATA_DIR="$DATA" HUB_JAVA_OPTS="${1:-}"
export HUB_HTTP_PORT="$(free_port)" HUB_REFRESHER_PORT="$(free_port)" HUB_KAFKA_PORT="$(free_port)" HUB_REGISTRY_PORT="$(free_port)"
BASE="http://127.0.0.1:$HUB_HTTP_PORT"

: > "$OUT"
start=$(date +%s%N)
"$ROOT/bin/local-stack" > "$OUT" 2>&1 &
script=$!
until grep -q '^READY' "$OUT"; do kill -0 "$script" 2>/dev/null || { cat "$OUT" >&2; exit 1; }; sleep 0.05; done
ready=$(date +%s%N)
token="$(cat "$DATA/admin-token")"
# The views may still be starting right after READY (503 then): retry for up to 60 s.
for _ in $(seq 1 120); do
  code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -X POST "$BASE/v1/integrations" \
    -d '{"name":"JitBench","description":"bench","auth_scheme":"API_KEY","config_schema":[{"key":"base_url","type":"string","required":true}]}')
  [[ $code == 201 ]] && break
  sleep 0.5
done
[[ $code == 201 ]] || { echo "creating the integration answered $code" >&2; exit 1; }
wrk -t1 -c8 -d5s -H "Authorization: Bearer $token" "$BASE/v1/integrations/JitBench" > /dev/null
rps=$(wrk -t1 -c8 -d10s -H "Authorization: Bearer $token" "$BASE/v1/integrations/JitBench" | awk '/Requests\/sec/ { print $2 }')
kill -TERM "$script"
wait "$script"
printf "opts='%s' ready_s=%s req/s=%s load1=%s\n" "${1:-}" \
  "$(awk -v a="$start" -v b="$ready" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')" "$rps" "$(cut -d' ' -f1 /proc/loadavg)"
