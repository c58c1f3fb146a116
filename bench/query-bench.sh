#!/usr/bin/env bash
# Query-service benchmark (issue 3, "Benchmark"); prints the figures, it is not a test. On a fresh bin/local-stack
# (temporary HUB_DATA_DIR, free ports, HUB_SKIP_BUILD=1: build first, without install, with
#  ./mvnw -q -B -o package -DskipTests -pl services/local-stack,services/query-service,services/token-refresher -am):
#   1. load: INTEGRATIONS integrations (5-field schema incl. a secret, defaults) × ORGS mapped orgs with overrides,
#      every mapping a PUT /v1/integrations/{name}/mappings/{org} through HTTP, LOAD_CONCURRENCY in flight (one
#      keep-alive connection each): accepted upserts/s while loading (target >= 2,000/s);
#   2. reads: wrk, CONNECTIONS connections, THREADS threads, DURATION s each, after a WARMUP s warm-up:
#      GET /v1/orgs/{org}/integrations/{name} (random pairs, the org's own token) against /health (runs the Kafka and
#      registry health indicators on every call), /health/liveness (the deadlocked-threads indicator only) and a 404
#      behind the JWT check (the trivial baseline); ratio to /health (target >= 0.7) and p99 (target < 10 ms);
#   3. write→visible over WV_COUNT upserts (WV_WRITERS writers, one upsert at a time each): PUT sent → a GET of the org
#      view on the same server shows the new value (target p99 < 300 ms), and the PUT's latency alone;
#   4. a defaults change on one ORGS-org integration → every org view shows it (all polled; target < 5 s);
#   5. writes: WRITES_COUNT upserts, WV_WRITERS writers one at a time each, nothing polling: the PUT's latency
#      (target p50 <= 60 ms, p99 <= 120 ms) and, after each 2xx, one GET that must show the write;
#   6. the anchor of the writes: a minimal Kafka Streams exactly-once pass-through (bench/streams-anchor) on the
#      same broker, the hub's commit interval and poll wait, records of the hub's command size: one at a time
#      (WV_WRITERS writers) and LOAD_CONCURRENCY in flight; the hub's figures as ratios to it.
# For each phase it prints the CPU used by each process and by the whole machine (the rest: load generator and
# anything else running here), and the query service's CPU per operation, which other load on the machine hardly
# changes. The stack runs from a private copy of bin/local-stack and of the built jars (see snapshot below).
# Java side: bench/query-bench (root pom profile "bench"); wrk side: bench/wrk/query.lua.
#
#   bench/query-bench.sh
# Environment (defaults): BENCH_INTEGRATIONS (10) BENCH_ORGS (10000) BENCH_LOAD_CONCURRENCY (512)
#   BENCH_CONNECTIONS (64) BENCH_THREADS (2) BENCH_DURATION (15) BENCH_WARMUP (10) BENCH_WV_COUNT (1000)
#   BENCH_WV_WRITERS (4) BENCH_FANOUT_CONCURRENCY (64) BENCH_JAVA_OPTS (passed as HUB_JAVA_OPTS to the services)
#   BENCH_WRITES_COUNT (1000) BENCH_ANCHOR_DURATION (15 s after a 5 s warm-up)
#   BENCH_HEALTH_READS (1; 0 leaves /health and /health/liveness out of the reads: the org view ÷ 404 stays)
#   BENCH_PHASES ("load reads write-visible fanout writes anchor"; load always runs, the others are optional)
#   HUB_COMMIT_INTERVAL, HUB_STREAMS_POLL_INTERVAL (application.yml's defaults): the hub's and the anchor's
#   BENCH_KEEP=1 keeps the data dir (logs) after the run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

INTEGRATIONS="${BENCH_INTEGRATIONS:-10}"
ORGS="${BENCH_ORGS:-10000}"
LOAD_CONCURRENCY="${BENCH_LOAD_CONCURRENCY:-512}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
THREADS="${BENCH_THREADS:-2}"
DURATION="${BENCH_DURATION:-15}"
WARMUP="${BENCH_WARMUP:-10}"
WV_COUNT="${BENCH_WV_COUNT:-1000}"
WV_WRITERS="${BENCH_WV_WRITERS:-4}"
FANOUT_CONCURRENCY="${BENCH_FANOUT_CONCURRENCY:-64}"
WRITES_COUNT="${BENCH_WRITES_COUNT:-1000}"
ANCHOR_DURATION="${BENCH_ANCHOR_DURATION:-15}"
HEALTH_READS="${BENCH_HEALTH_READS:-1}"
PHASES=" ${BENCH_PHASES:-load reads write-visible fanout writes anchor} "
phase_on() { [[ "$PHASES" == *" $1 "* ]]; }
# The anchor runs with the hub's own commit interval and poll wait: the environment's, else application.yml's.
. "$ROOT/bench/hub-streams-settings.sh"

say() { printf '%s\n' "$*"; }
die() { printf 'query-bench: %s\n' "$*" >&2; exit 1; }
command -v wrk > /dev/null || die "wrk is missing: apt-get install -y wrk"
command -v python3 > /dev/null || die "python3 is missing (used to find free ports)"

# --- the harness ----------------------------------------------------------------------------------------------
./mvnw -q -B ${BENCH_MAVEN_OFFLINE--o} -P bench -pl bench/query-bench,bench/streams-anchor package || die "building bench/query-bench failed"
HARNESS=(java -Xmx512m -Xss512k -cp "$ROOT/bench/query-bench/target/classes" com.integrationshub.bench.QueryBench)
ANCHOR=(java -Xmx256m -cp "$ROOT/bench/streams-anchor/target/classes:$(cat bench/streams-anchor/target/runtime-classpath.txt)"
        com.integrationshub.bench.anchor.StreamsAnchor)

# --- the stack ------------------------------------------------------------------------------------------------
DATA="$(mktemp -d /tmp/query-bench.XXXXXX)"
OUT="$DATA/local-stack.out"
STACK=""
cleanup() {
  if [[ -n "$STACK" ]] && kill -0 "$STACK" 2>/dev/null; then kill -TERM "$STACK"; wait "$STACK" 2>/dev/null || true; fi
  rm -rf "${SNAP:-/nonexistent}"
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then say "data dir and logs kept in $DATA"; else rm -rf "$DATA"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export HUB_SKIP_BUILD=1 HUB_DATA_DIR="$DATA" HUB_JAVA_OPTS="${BENCH_JAVA_OPTS:-}"
export HUB_HTTP_PORT="$(free_port)" HUB_REFRESHER_PORT="$(free_port)" HUB_KAFKA_PORT="$(free_port)" HUB_REGISTRY_PORT="$(free_port)"
BASE="http://127.0.0.1:$HUB_HTTP_PORT"

say "== machine"
say "nproc: $(nproc)"
free -g
java -version 2>&1 | head -1
say "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
say "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
say ""

# Other people build in this checkout: a jar replaced under a running JVM fails its next class load
# (ClassNotFoundException), and bin/local-stack edited while it runs breaks it. So the stack runs from a private
# snapshot of bin/local-stack and of the jars this checkout built: the services' own jars and every jar of this
# project on their classpaths (third-party jars stay where they are).
SNAP="$(mktemp -d /tmp/query-bench-stack.XXXXXX)"
snapshot() {
  local module jar entry copy cp
  mkdir -p "$SNAP/bin" "$SNAP/lib"
  cp bin/local-stack "$SNAP/bin/"
  for module in local-stack query-service token-refresher; do
    mkdir -p "$SNAP/services/$module/target"
    for jar in "services/$module/target/$module-"*.jar; do
      case "$jar" in *-sources.jar|*-tests.jar|*-javadoc.jar) continue ;; esac
      cp "$jar" "$SNAP/$jar"
    done
    [[ -f "services/$module/target/runtime-classpath.txt" ]] || die "services/$module is not built: ./mvnw -q -B -o package -DskipTests -pl services/$module -am"
    cp=""
    while IFS= read -r entry || [[ -n "$entry" ]]; do
      case "$entry" in
        "$ROOT"/*|"$HOME"/.m2/repository/com/integrationshub/*)
          copy="$SNAP/lib/${entry#/}"; mkdir -p "$(dirname "$copy")"; cp "$entry" "$copy"; entry="$copy" ;;
      esac
      cp="${cp:+$cp:}$entry"
    done < <(tr ':' '\n' < "services/$module/target/runtime-classpath.txt")
    printf '%s' "$cp" > "$SNAP/services/$module/target/runtime-classpath.txt"
  done
}
snapshot
say "measured: commit $(git rev-parse --short HEAD); query-service jar built $(date -u -r services/query-service/target/query-service-*.jar +%FT%TZ 2>/dev/null | head -1);" \
    "uncommitted changes under services/: $(git status --short services | wc -l) files"

started=$SECONDS
"$SNAP/bin/local-stack" > "$OUT" 2>&1 &
STACK=$!
until grep -q '^READY' "$OUT"; do
  kill -0 "$STACK" 2>/dev/null || { cat "$OUT" >&2; die "bin/local-stack failed"; }
  (( SECONDS - started < 240 )) || die "bin/local-stack not READY after 240 s"
  sleep 0.2
done
pid_of() { # the java child of the local-stack script whose command line names $1
  local pid
  for pid in $(pgrep -P "$STACK"); do
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "$1" && { echo "$pid"; return; }
  done
}
QUERY_PID="$(pid_of QueryServiceApplication)"
BROKER_PID="$(pid_of localstack.LocalStack)"
REFRESHER_PID="$(pid_of TokenRefresherApplication)"
say "== stack READY after $(( SECONDS - started )) s: query-service $BASE (pid $QUERY_PID), broker+registry pid $BROKER_PID," \
    "token-refresher pid $REFRESHER_PID; JVM options: -XX:+UseSerialGC -XX:TieredStopAtLevel=1 ${HUB_JAVA_OPTS};" \
    "commit interval ${COMMIT_MS} ms, stream poll wait ${POLL_MS} ms"
COMMON=(--base "$BASE" --admin-token-file "$DATA/admin-token" --jwt-secret-file "$DATA/jwt-secret"
        --integrations "$INTEGRATIONS" --orgs "$ORGS")

# --- CPU accounting per phase ---------------------------------------------------------------------------------
TICK="$(getconf CLK_TCK)"
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
gc_seconds() { jstat -gcutil "$1" 2>/dev/null | awk 'NR == 2 { print $NF }' || echo "?"; }
phase_begin() {
  P_WALL=$(date +%s%N); P_Q=$(proc_ticks "$QUERY_PID"); P_B=$(proc_ticks "$BROKER_PID")
  P_R=$(proc_ticks "$REFRESHER_PID"); P_M=$(machine_ticks); P_GC=$(gc_seconds "$QUERY_PID")
}
phase_end() { # name [operations: also print the CPU each operation cost, robust to other load on the machine]
  local wall q b r m gc
  wall=$(( $(date +%s%N) - P_WALL )); q=$(( $(proc_ticks "$QUERY_PID") - P_Q )); b=$(( $(proc_ticks "$BROKER_PID") - P_B ))
  r=$(( $(proc_ticks "$REFRESHER_PID") - P_R )); m=$(( $(machine_ticks) - P_M )); gc=$(gc_seconds "$QUERY_PID")
  CPU_PER_OP="$(awk -v q="$q" -v t="$TICK" -v ops="${2:-0}" 'BEGIN { if (ops > 0) printf "%.3f", q * 1000 / t / ops }')"
  awk -v name="$1" -v ops="${2:-0}" -v wall="$wall" -v q="$q" -v b="$b" -v r="$r" -v m="$m" -v t="$TICK" -v n="$(nproc)" \
      -v gc0="$P_GC" -v gc1="$gc" 'BEGIN {
    s = wall / 1e9; c = t * s
    printf "   cpu during %s (%.1f s), in cores of %d: machine %.2f = query-service %.2f + broker/registry %.2f" \
           " + token-refresher %.2f + rest (load generator, other users) %.2f; query-service GC %.1f s\n",
           name, s, n, m / c, q / c, b / c, r / c, (m - q - b - r) / c, gc1 - gc0
    if (ops > 0) printf "   cpu per operation: query-service %.3f ms, broker/registry %.3f ms\n", q * 1000 / t / ops, b * 1000 / t / ops }'
}

# --- 1. load --------------------------------------------------------------------------------------------------
say ""
say "== 1. load: $INTEGRATIONS integrations × $ORGS orgs"
"${HARNESS[@]}" setup "${COMMON[@]}" || die "setup failed; logs in $DATA/logs (BENCH_KEEP=1 keeps them)"
phase_begin
"${HARNESS[@]}" load "${COMMON[@]}" --concurrency "$LOAD_CONCURRENCY" \
    --cpu-pids "query-service=$QUERY_PID,broker/registry=$BROKER_PID" | tee "$DATA/load.txt" || die "load failed; logs in $DATA/logs (BENCH_KEEP=1 keeps them)"
phase_end load "$((INTEGRATIONS * ORGS))"
LOAD_CPU="$CPU_PER_OP"

# --- 2. reads -------------------------------------------------------------------------------------------------
if phase_on reads; then
TOKENS="$DATA/org-tokens.txt"
"${HARNESS[@]}" tokens "${COMMON[@]}" --out "$TOKENS"
ADMIN="$(tr -d '\n' < "$DATA/admin-token")"
declare -A WRK=() CPU=()
ORG_VIEW="GET /v1/orgs/{org}/integrations/{name}"
HEALTH="GET /health"
LIVENESS="GET /health/liveness"
NOT_FOUND="GET /bench-404 (admin JWT checked, 404)"
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<< " ${WRK[$1]:-}"; }
run_wrk() { # name seconds script-args...
  local name="$1" seconds="$2" line
  shift 2
  phase_begin
  # `times` (last line: CPU of the children, wrk and grep) tells how much the load generator itself used
  line="$(wrk -t "$THREADS" -c "$CONNECTIONS" -d "${seconds}s" --timeout 10s -s "$ROOT/bench/wrk/query.lua" "$BASE" -- "$@" \
          | grep '^WRK '; times)" || die "wrk $name failed"
  WRK[$name]="$(head -1 <<< "$line")"
  [[ "${WRK[$name]}" == "WRK "* ]] || die "wrk $name printed no figures"
  if [[ "$name" != warmup ]]; then
    printf '   %-42s %s\n' "$name" "${WRK[$name]#WRK }"
    awk -v s="$seconds" '{ for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); cpu += t[1] * 60 + t[2] } }
         END { printf "   wrk itself used %.2f cores\n", cpu / s }' <<< "$(tail -1 <<< "$line")"
    phase_end "$name" "$(field "$name" requests)"
    CPU[$name]="$CPU_PER_OP"
  fi
}
say ""
say "== 2. reads: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s each (after a ${WARMUP} s warm-up of the org view)"
run_wrk warmup "$WARMUP" org "$TOKENS" "$ORGS" "$INTEGRATIONS"
if [[ "$HEALTH_READS" == 1 ]]; then run_wrk "$HEALTH" "$DURATION" path /health; fi
run_wrk "$ORG_VIEW" "$DURATION" org "$TOKENS" "$ORGS" "$INTEGRATIONS"
if [[ "$HEALTH_READS" == 1 ]]; then run_wrk "$LIVENESS" "$DURATION" path /health/liveness; fi
run_wrk "$NOT_FOUND" "$DURATION" path /bench-404 "$ADMIN"
ORG_RPS="$(field "$ORG_VIEW" rps)"
# "not run" for an endpoint BENCH_HEALTH_READS=0 left out.
ratio() { awk -v a="$ORG_RPS" -v b="$(field "$1" rps)" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else printf "not run " }'; }
say "   org view / health:             $(ratio "$HEALTH")×   (target >= 0.7)"
say "   org view / health/liveness:    $(ratio "$LIVENESS")×"
say "   org view / 404 behind the JWT: $(ratio "$NOT_FOUND")×"
say "   query-service CPU per request: org view ${CPU[$ORG_VIEW]} ms, /health ${CPU[$HEALTH]:-–} ms," \
    "/health/liveness ${CPU[$LIVENESS]:-–} ms, 404 behind the JWT ${CPU[$NOT_FOUND]} ms"
if (( $(field "$ORG_VIEW" requests) == 0 || $(field "$ORG_VIEW" non2xx) > 0 || $(field "$ORG_VIEW" errors) > 0 )); then
  say "   WARNING: the org view did not answer 2xx to every request: see $DATA/logs/query-service.log"
fi

fi

# --- 3. write → visible ---------------------------------------------------------------------------------------
touch "$DATA/wv.txt" "$DATA/fanout.txt" "$DATA/writes.txt" "$DATA/anchor.txt"
if phase_on write-visible; then
say ""
say "== 3. write→visible: $WV_COUNT upserts"
phase_begin
"${HARNESS[@]}" write-visible "${COMMON[@]}" --count "$WV_COUNT" --writers "$WV_WRITERS" | tee "$DATA/wv.txt" || say "   write-visible failed"
phase_end write-visible
fi

# --- 4. defaults fan-out --------------------------------------------------------------------------------------
if phase_on fanout; then
say ""
say "== 4. defaults change on bench-int-0 ($ORGS mapped orgs) → every org view"
phase_begin
"${HARNESS[@]}" defaults-fanout "${COMMON[@]}" --integration-index 0 --concurrency "$FANOUT_CONCURRENCY" | tee "$DATA/fanout.txt" || say "   defaults-fanout failed"
phase_end defaults-fanout
fi

# --- 5. writes alone ------------------------------------------------------------------------------------------
if phase_on writes; then
say ""
say "== 5. writes: $WRITES_COUNT upserts, $WV_WRITERS writers one at a time, nothing polling"
phase_begin
"${HARNESS[@]}" writes "${COMMON[@]}" --count "$WRITES_COUNT" --writers "$WV_WRITERS" | tee "$DATA/writes.txt" || say "   writes failed"
phase_end writes "$WRITES_COUNT"
fi

# --- 6. the writes' anchor: a Kafka Streams exactly-once pass-through on the same broker ------------------------
if phase_on anchor; then
say ""
say "== 6. anchor: Kafka Streams exactly-once pass-through (commands → events, no logic) on the same broker"
phase_begin
"${ANCHOR[@]}" --bootstrap "127.0.0.1:$HUB_KAFKA_PORT" --sample-topic hub.commands --commit-interval-ms "$COMMIT_MS" \
    --poll-ms "$POLL_MS" --writers "$WV_WRITERS" --count "$WV_COUNT" --concurrency "$LOAD_CONCURRENCY" --warmup-s 5 \
    --duration-s "$ANCHOR_DURATION" | tee "$DATA/anchor.txt" || say "   anchor failed"
phase_end anchor
say ""
say "== 7. anchor: Kafka's own kafka-producer-perf-test (ProducerPerformance), acks=all, transactional, same broker"
ANCHOR_CP="$ROOT/bench/streams-anchor/target/classes:$(cat bench/streams-anchor/target/runtime-classpath.txt)"
RECORD_BYTES="$(sed -n 's/^RESULT anchor.record_bytes=//p' "$DATA/anchor.txt" | head -1)"
PERF_RECORDS="${BENCH_PRODUCER_PERF_RECORDS:-200000}"
phase_begin
if java -cp "$ANCHOR_CP" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$HUB_KAFKA_PORT" \
      --create --topic bench.producer-perf --partitions 3 --replication-factor 1 > "$DATA/producer-perf.err" 2>&1 \
   && java -Xmx256m -cp "$ANCHOR_CP" org.apache.kafka.tools.ProducerPerformance --topic bench.producer-perf \
      --num-records "$PERF_RECORDS" --record-size "${RECORD_BYTES:-171}" --throughput -1 \
      --transactional-id bench-producer-perf --transaction-duration-ms "$COMMIT_MS" \
      --command-property bootstrap.servers="127.0.0.1:$HUB_KAFKA_PORT" acks=all \
      > "$DATA/producer-perf.out" 2>> "$DATA/producer-perf.err"; then
  line="$(grep 'records sent' "$DATA/producer-perf.out" | tail -1)"
  say "   $line"
  printf 'RESULT producer_perf.per_s=%s\n' "$(sed -n 's/.*sent, \([0-9.]*\) records\/sec.*/\1/p' <<< "$line")" >> "$DATA/anchor.txt"
else
  say "   producer perf failed: $(tail -3 "$DATA/producer-perf.err")"
fi
phase_end producer-perf
fi

# --- summary --------------------------------------------------------------------------------------------------
result() { sed -n "s/^RESULT $1=//p" "$DATA"/load.txt "$DATA"/wv.txt "$DATA"/fanout.txt "$DATA"/writes.txt "$DATA"/anchor.txt | head -1; }
over() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.3f", a / b; else printf "?" }'; }
say ""
say "== summary (load average now: $(cut -d' ' -f1-3 /proc/loadavg); whole run $(( SECONDS - started )) s)"
say "| figure | measured | target |"
say "|---|---|---|"
say "| accepted upserts/s while loading $((INTEGRATIONS * ORGS)) mappings ($LOAD_CONCURRENCY in flight): whole load; its second half | $(result load.upserts_per_s)/s (PUT p50 $(result load.put_p50_ms) ms, p99 $(result load.put_p99_ms) ms); second half $(result load.steady_upserts_per_s)/s | >= 2,000/s |"
if phase_on reads; then
say "| org view GET, $CONNECTIONS connections | $(field "$ORG_VIEW" rps) req/s, p50 $(field "$ORG_VIEW" p50_ms) ms, p99 $(field "$ORG_VIEW" p99_ms) ms | p99 < 10 ms |"
if [[ "$HEALTH_READS" == 1 ]]; then
say "| /health (Kafka + registry indicators), same run | $(field "$HEALTH" rps) req/s, p99 $(field "$HEALTH" p99_ms) ms; org view = $(ratio "$HEALTH")× | >= 0.7× |"
say "| /health/liveness (only the deadlocked-threads indicator), same run | $(field "$LIVENESS" rps) req/s, p99 $(field "$LIVENESS" p99_ms) ms; org view = $(ratio "$LIVENESS")× | |"
fi
say "| 404 behind the JWT check (trivial baseline), same run | $(field "$NOT_FOUND" rps) req/s, p99 $(field "$NOT_FOUND" p99_ms) ms; org view = $(ratio "$NOT_FOUND")× | |"
say "| query-service CPU per request (independent of other load) | org view ${CPU[$ORG_VIEW]} ms, /health ${CPU[$HEALTH]:-–} ms, liveness ${CPU[$LIVENESS]:-–} ms, 404 ${CPU[$NOT_FOUND]} ms; per upsert while loading $LOAD_CPU ms | |"
fi
if phase_on write-visible; then
say "| write→visible over $WV_COUNT upserts | p50 $(result wv.visible_p50_ms) ms, p99 $(result wv.visible_p99_ms) ms | p99 < 300 ms |"
say "| PUT latency alone (read-your-writes) | p50 $(result wv.put_p50_ms) ms, p99 $(result wv.put_p99_ms) ms | |"
fi
if phase_on fanout; then
say "| defaults change → all $ORGS org views show it | first view showing it $(result fanout.first_ms) ms after the PUT was sent (PUT answered $(result fanout.put_ms) ms; $(result fanout.stale_after_first) later reads showed the old value); every one of the $ORGS views read back with it $(result fanout.all_ms) ms after (one sweep of all views takes $(result fanout.sweep_ms) ms) | < 5 s |"
fi
if phase_on writes; then
say "| PUT latency, $WV_WRITERS writers one at a time, nothing polling ($WRITES_COUNT upserts) | p50 $(result writes.put_p50_ms) ms, p99 $(result writes.put_p99_ms) ms; $(result writes.not_shown) GETs right after a 2xx did not show the write | p50 <= 60 ms, p99 <= 120 ms, 0 |"
fi
if phase_on anchor; then
say "| anchor: Kafka Streams EOS pass-through, $(result anchor.record_bytes)-byte records, commit ${COMMIT_MS} ms, poll ${POLL_MS} ms: one at a time ($WV_WRITERS writers) | p50 $(result anchor.one_p50_ms) ms, p99 $(result anchor.one_p99_ms) ms; hub PUT p50 = $(over "$(result writes.put_p50_ms)" "$(result anchor.one_p50_ms)")× | |"
say "| anchor: $LOAD_CONCURRENCY in flight | $(result anchor.per_s) records/s (p50 $(result anchor.p50_ms) ms, p99 $(result anchor.p99_ms) ms); hub accepted upserts/s = $(over "$(result load.upserts_per_s)" "$(result anchor.per_s)")× (second half $(over "$(result load.steady_upserts_per_s)" "$(result anchor.per_s)")×) | |"
say "| anchor: kafka-producer-perf-test, acks=all, transactional (a transaction every ${COMMIT_MS} ms), ${RECORD_BYTES:-171}-byte records | $(result producer_perf.per_s) records/s; hub accepted upserts/s = $(over "$(result load.upserts_per_s)" "$(result producer_perf.per_s)")× | |"
fi
