#!/usr/bin/env bash
# Refresher heap per scheduled token (issue 14, item 5); prints the figures, it is not a test. One JVM
# (bench/refresher-heap-bench: RefresherHeapBench) builds the refresher's own RefreshSchedule with the production
# defaults and folds into it, through RefreshSchedule.apply as the refresher's engine does, the events of TOKENS tokens:
# 200 OAuth connections, one TokenIssued per token (ids like oauth-token/<connection>/<org>, sealed 64-char refresh
# tokens, expiries over the next 8 hours) and a TokenRefreshed for 30 % of them, each event Avro-encoded and decoded
# first. Then: heap used after full GCs with an empty schedule (baseline) and with TOKENS tokens, bytes per token, and
# the live class histogram (what jcmd <pid> GC.class_histogram prints), top rows.
#   bench/refresher-heap-bench.sh [TOKENS]     TOKENS defaults to 1000000
# Environment (defaults): BENCH_HEAP (1g: -Xmx of the bench JVM; -Xmx256m shows the schedule fits in 256 MB)
#   BENCH_JAVA_OPTS (more JVM options, e.g. -XX:+UseSerialGC) BENCH_CONNECTIONS (200) BENCH_CONNECTIONS_PER_ORG (20;
#   1: every token of its own org) BENCH_ORG_IDS (short: org-<n>; uuid) BENCH_REFRESHED_SHARE (0.3)
#   BENCH_REFRESH_TOKEN_CHARS (64) BENCH_HISTOGRAM (25 rows; 0: none) BENCH_SKIP_BUILD=1 (use the current build).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TOKENS="${1:-1000000}"
[[ "$TOKENS" =~ ^[0-9]+$ ]] && (( TOKENS >= 1 )) || { echo "refresher-heap-bench: TOKENS must be a number >= 1" >&2; exit 2; }
MODULE=bench/refresher-heap-bench

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -q -B -o -P bench -pl "$MODULE" -am package -DskipTests > /dev/null \
    || { echo "refresher-heap-bench: the build failed" >&2; exit 1; }
fi
JAR="$(ls "$MODULE"/target/refresher-heap-bench-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1)"
[[ -n "$JAR" && -f "$MODULE/target/runtime-classpath.txt" ]] \
  || { echo "refresher-heap-bench: $MODULE is not built (run without BENCH_SKIP_BUILD)" >&2; exit 1; }

echo "refresher-heap-bench: $(nproc) cores, load average at start:$(uptime | sed 's/.*load average://'), java $(java -version 2>&1 | head -1)"
# shellcheck disable=SC2086
exec java -Xmx"${BENCH_HEAP:-1g}" ${BENCH_JAVA_OPTS:-} -cp "$ROOT/$JAR:$(cat "$MODULE/target/runtime-classpath.txt")" \
  -Dbench.tokens="$TOKENS" -Dbench.connections="${BENCH_CONNECTIONS:-200}" \
  -Dbench.connections-per-org="${BENCH_CONNECTIONS_PER_ORG:-20}" -Dbench.org-ids="${BENCH_ORG_IDS:-short}" \
  -Dbench.refreshed-share="${BENCH_REFRESHED_SHARE:-0.3}" -Dbench.refresh-token-chars="${BENCH_REFRESH_TOKEN_CHARS:-64}" \
  -Dbench.histogram="${BENCH_HISTOGRAM:-25}" \
  com.integrationshub.refresher.RefresherHeapBench
