#!/usr/bin/env bash
# Benchmarks the token refresher: TOKENS tokens scheduled -> heap after a full GC (target < 256 MB) and the RSS of
# the refresher process; then every token falls due (half its BENCH_LIFETIME after issue) -> refreshes per second
# against the OAuth provider stand-in (target >= 1,000/s). The refresher runs as its own process (production main
# class and runtime classpath, -Xmx$BENCH_HEAP); broker, registry, stand-in and the driver run in the driver JVM.
#   bench/refresher-bench.sh [TOKENS]     (TOKENS, default 100000)
# Environment: BENCH_HEAP (256m) heap cap of the refresher; BENCH_CONCURRENCY (256) calls in flight to the one stand-in provider (hub.refresher.provider.max-concurrency, 16 by default per provider);
# BENCH_LIFETIME (180) token lifetime in seconds, long enough to measure the heap before tokens fall due;
# BENCH_REFRESHER_OPTS more JVM options of the refresher (e.g. a JFR recording); BENCH_SKIP_BUILD=1 to use the
# current build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TOKENS="${1:-100000}"
MODULE=services/token-refresher

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -q -B -o install -DskipTests -pl "$MODULE" -am >&2
fi
TEST_CP_FILE="$(mktemp /tmp/refresher-bench-cp.XXXXXX)"
trap 'rm -f "$TEST_CP_FILE"' EXIT
./mvnw -q -B -o dependency:build-classpath -pl "$MODULE" -Dmdep.includeScope=test -Dmdep.outputFile="$TEST_CP_FILE" >&2
JAR="$(ls "$MODULE"/target/token-refresher-*.jar | grep -v -e sources -e tests | head -1)"
REFRESHER_CP="$ROOT/$JAR:$(cat "$MODULE/target/runtime-classpath.txt")"

java -Xmx3g -cp "$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$TEST_CP_FILE")" \
  -Dbench.tokens="$TOKENS" -Dbench.refresher.heap="${BENCH_HEAP:-256m}" -Dbench.lifetime="${BENCH_LIFETIME:-180}" \
  -Dbench.provider.concurrency="${BENCH_CONCURRENCY:-256}" -Dbench.refresher.jvm-options="${BENCH_REFRESHER_OPTS:-}" \
  -Dbench.refresher.classpath="$REFRESHER_CP" -Dbench.refresher.log="$ROOT/$MODULE/target/refresher-bench.log" \
  com.integrationshub.refresher.bench.RefresherBench
