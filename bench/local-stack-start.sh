#!/usr/bin/env bash
# Measures bin/local-stack with a warm build (HUB_SKIP_BUILD=1): seconds from start to the READY line, for a
# first start on an empty data dir and for restarts on the same dir, the RSS of each process once READY, and
# the seconds from SIGTERM to a clean exit.
#   bench/local-stack-start.sh [RUNS]     (RUNS, default 5: 1 first start + RUNS-1 restarts)
# Environment: BENCH_JAVA_OPTS is passed as HUB_JAVA_OPTS (e.g. -XX:TieredStopAtLevel=4 to compare JIT modes).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-5}"
DATA="$(mktemp -d /tmp/local-stack-bench.XXXXXX)"
OUT="$DATA.out"
trap 'rm -rf "$DATA" "$OUT"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export HUB_SKIP_BUILD=1 HUB_DATA_DIR="$DATA" HUB_JAVA_OPTS="${BENCH_JAVA_OPTS:-}"
export HUB_HTTP_PORT="$(free_port)" HUB_REFRESHER_PORT="$(free_port)" HUB_KAFKA_PORT="$(free_port)" HUB_REGISTRY_PORT="$(free_port)"

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
rss_mib() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }
pid_of() { # pid of the java child of $1 whose command line names $2
  local pid
  for pid in $(pgrep -P "$1"); do
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "$2" && { echo "$pid"; return; }
  done
}

printf '%-8s %9s %9s %12s %12s %12s %7s\n' run ready_s stop_s stack_rss query_rss refresher_rss load1
for run in $(seq 1 "$RUNS"); do
  kind=$([[ $run == 1 ]] && echo first || echo restart)
  : > "$OUT"
  start=$(date +%s%N)
  "$ROOT/bin/local-stack" > "$OUT" 2>&1 &
  script=$!
  until grep -q '^READY' "$OUT"; do
    kill -0 "$script" 2>/dev/null || { cat "$OUT" >&2; exit 1; }
    sleep 0.05
  done
  ready=$(date +%s%N)
  sleep 2 # let the JVMs settle before reading RSS
  stack=$(rss_mib "$(pid_of "$script" localstack.LocalStack)")
  query=$(rss_mib "$(pid_of "$script" QueryServiceApplication)")
  refresher=$(rss_mib "$(pid_of "$script" TokenRefresherApplication)")
  stop_start=$(date +%s%N)
  kill -TERM "$script"
  wait "$script"
  stopped=$(date +%s%N)
  load=$(cut -d' ' -f1 /proc/loadavg) # other work on the machine skews the figures: shown per run
  printf '%-8s %9.2f %9.2f %8s MiB %8s MiB %8s MiB %7s\n' "$kind" \
    "$(secs "$start" "$ready")" "$(secs "$stop_start" "$stopped")" \
    "$stack" "$query" "$refresher" "$load"
done
