#!/usr/bin/env bash
# The regression guard CI can afford (issue 14, item 6): a short bench/query-bench.sh run — a small load, 10 s of wrk
# per read endpoint, 200 one-at-a-time PUTs and the exactly-once pass-through anchor — whose figures and ratios are
# printed, never asserted (timing belongs in benchmarks, not tests). .ci/run calls it after the tests; it needs the
# jars ./mvnw verify built (HUB_SKIP_BUILD), wrk and python3. Ratios to look at: org view ÷ 404 behind the JWT (reads,
# target 0.8×), hub PUT p50 ÷ the anchor's one-at-a-time p50 (a write crosses one exactly-once commit: about 1×), hub
# upserts/s ÷ the anchor's records/s.
#   bench/ci-guard.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export BENCH_MAVEN_OFFLINE="${BENCH_MAVEN_OFFLINE-}"
export BENCH_PHASES="${BENCH_PHASES:-reads writes anchor}"
export BENCH_INTEGRATIONS="${BENCH_INTEGRATIONS:-2}"
export BENCH_ORGS="${BENCH_ORGS:-500}"
export BENCH_LOAD_CONCURRENCY="${BENCH_LOAD_CONCURRENCY:-128}"
export BENCH_DURATION="${BENCH_DURATION:-10}"
export BENCH_WARMUP="${BENCH_WARMUP:-3}"
export BENCH_WRITES_COUNT="${BENCH_WRITES_COUNT:-200}"
export BENCH_ANCHOR_DURATION="${BENCH_ANCHOR_DURATION:-8}"
# The guard's read ratio is the org view ÷ the 404 behind the JWT: the two /health runs would add 26 s for nothing.
export BENCH_HEALTH_READS="${BENCH_HEALTH_READS:-0}"
out="$(mktemp /tmp/ci-guard.XXXXXX)"
trap 'rm -f "$out"' EXIT
status=0
bench/query-bench.sh > "$out" 2>&1 || status=$?
if (( status != 0 )); then
  echo "ci-guard: bench/query-bench.sh failed (exit $status); its last lines:"
  tail -n 30 "$out"
  exit "$status"
fi
# The summary table and the machine it ran on.
sed -n '/^== machine/,/^$/p' "$out"
sed -n '/^== summary/,$p' "$out"
