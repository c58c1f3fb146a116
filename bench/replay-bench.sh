#!/usr/bin/env bash
# Replay benchmark (issue 14, item 4); prints the figures, it is not a test. In one invocation:
#   1. starts a broker + schema registry (the local stack's LocalStack main class, its own JVM, a temp data dir,
#      free ports) and appends EVENTS events to a fresh events topic as the hub writes them (bench/replay-bench:
#      EventWriter; decided by the domain deciders, Avro in the Confluent wire format with registry schema ids,
#      keyed by partition key, a transactional producer): integrations, mappings (most), OAuth connections,
#      connects (AuthorizationStarted + TokenIssued) and refreshes (TokenRefreshAttempted + TokenRefreshed);
#   2. the anchor: Kafka's own consumer perf tool (org.apache.kafka.tools.ConsumerPerformance, kafka-tools of the
#      hub's Kafka version; --command-config, the 4.x name of --consumer.config, with isolation.level=read_committed)
#      over the same topic: events/s and MB/s. Run once before the replay and once after it; and the Kafka Streams
#      anchors (bench/replay-bench: StreamsFold, each in its own JVM with the query-service's JVM options and Streams
#      settings, a new application id, an empty state dir): "read" (every event read and dropped under exactly-once)
#      and "fold" (every event a get and a put in a changelogged RocksDB store), timed from the process start until
#      their committed offsets are past every partition's last event;
#   3. starts a query-service (production main class and runtime classpath, JVM JIT defaults) on an EMPTY state dir
#      with a new application id over those topics, and times from the process start until /health is UP, the
#      org view of the last event written (the sentinel) answers 200 with it, and the committed offsets of the
#      events topic are past every partition's last event: events/s, and the ratio to the consumer perf tool's
#      events/s (target >= 0.5);
#   4. stops it (SIGTERM) and starts it again on the intact state dir: seconds from the process start to serving;
#      then once more after deleting the state dir (a lost disk: the same application id restores every store from
#      its changelog topic instead of folding the events again).
#
#   bench/replay-bench.sh [EVENTS]        EVENTS defaults to 1000000; bench/replay-bench.sh --quick is 100000
# Environment (defaults): BENCH_PARTITIONS (6, the hub's default) BENCH_TRANSACTION_SIZE (5000 events per producer
#   transaction) BENCH_QUERY_HEAP (512m) BENCH_QUERY_OPTS (more JVM options for the query-service; "{run}" is
#   replaced by empty / intact) BENCH_JFR=1 (records the query-service with JFR, settings=profile, and prints where
#   its CPU samples went) BENCH_THREAD_SAMPLES_MS (0: off; e.g. 1000: a thread dump of the query-service every second
#   during the replay, the stream thread's activity tallied, waits included) BENCH_CDS=1 (then, on the intact state
#   dir: a run that writes a class-data sharing archive at exit, then two runs with it and two without, alternated)
#   BENCH_SKIP_BUILD=1 (use the current build) BENCH_KEEP=1 (keep the data dir and logs).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

EVENTS="${1:-1000000}"
[[ "$EVENTS" == --quick ]] && EVENTS=100000
[[ "$EVENTS" =~ ^[0-9]+$ ]] && (( EVENTS >= 1000 )) || { echo "replay-bench: EVENTS must be a number >= 1000" >&2; exit 2; }
PARTITIONS="${BENCH_PARTITIONS:-6}"
TX="${BENCH_TRANSACTION_SIZE:-5000}"
QUERY_HEAP="${BENCH_QUERY_HEAP:-512m}"

say() { printf '%s\n' "$*"; }
die() { printf 'replay-bench: %s\n' "$*" >&2; exit 1; }
command -v python3 > /dev/null || die "python3 is missing (used to find free ports)"

# --- build ----------------------------------------------------------------------------------------------------
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -q -B -o -P bench -pl services/query-service,services/local-stack,bench/replay-bench -am package -DskipTests \
    > /dev/null || die "the build failed"
fi
classpath() { # module dir → its jar and runtime classpath
  local jar
  jar="$(ls "$1"/target/*.jar 2>/dev/null | grep -v -e sources -e tests -e javadoc | head -1)"
  [[ -n "$jar" && -f "$1/target/runtime-classpath.txt" ]] || die "$1 is not built (run without BENCH_SKIP_BUILD)"
  printf '%s:%s' "$ROOT/$jar" "$(cat "$1/target/runtime-classpath.txt")"
}
HARNESS_CP="$ROOT/bench/replay-bench/target/classes:$(cat bench/replay-bench/target/runtime-classpath.txt)"
STACK_CP="$(classpath services/local-stack)"
QUERY_CP_FILE="$(mktemp /tmp/replay-bench-cp.XXXXXX)"
classpath services/query-service > "$QUERY_CP_FILE"
HARNESS=(java -Xmx3g -cp "$HARNESS_CP" com.integrationshub.bench.replay.ReplayBench)

# --- broker + registry ----------------------------------------------------------------------------------------
DATA="$(mktemp -d /tmp/replay-bench.XXXXXX)"
STACK_PID=""
cleanup() {
  if [[ -n "$STACK_PID" ]] && kill -0 "$STACK_PID" 2>/dev/null; then kill -TERM "$STACK_PID"; wait "$STACK_PID" 2>/dev/null || true; fi
  rm -f "$QUERY_CP_FILE"
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then say "data dir and logs kept in $DATA"; else rm -rf "$DATA"; fi
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
KAFKA_PORT="$(free_port)"; REGISTRY_PORT="$(free_port)"; HTTP_PORT="$(free_port)"

say "== machine"
say "nproc: $(nproc); $(free -g | awk '/^Mem:/ { print $2 " GiB memory" }'); $(java -version 2>&1 | head -1)"
say "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
say "uptime: $(uptime)"
say "measured: commit $(git rev-parse --short HEAD); uncommitted files under services/ and bench/: $(git status --short services bench | wc -l)"
say ""

env HUB_KAFKA_PORT="$KAFKA_PORT" HUB_REGISTRY_PORT="$REGISTRY_PORT" HUB_DATA_DIR="$DATA" \
  java -Xmx512m -cp "$STACK_CP" com.integrationshub.localstack.LocalStack > "$DATA/local-stack.log" 2>&1 &
STACK_PID=$!
started=$SECONDS
until grep -q 'LocalStack - admin token in' "$DATA/local-stack.log" 2>/dev/null; do
  kill -0 "$STACK_PID" 2>/dev/null || { tail -40 "$DATA/local-stack.log" >&2; die "the broker failed to start"; }
  (( SECONDS - started < 180 )) || die "the broker did not start in 180 s"
  sleep 0.2
done
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
REGISTRY="http://127.0.0.1:$REGISTRY_PORT"
ID="replay-$(date +%s)"
TOPIC="$ID.events"
say "== broker + registry up in $(( SECONDS - started )) s (pid $STACK_PID, JVM defaults, -Xmx512m); events topic $TOPIC, $PARTITIONS partitions"

# --- 1. write -------------------------------------------------------------------------------------------------
say ""
say "== 1. write $EVENTS events"
"${HARNESS[@]}" write --bootstrap "$BOOTSTRAP" --registry "$REGISTRY" --keyset-file "$DATA/keyset.json" \
  --topic "$TOPIC" --partitions "$PARTITIONS" --count "$EVENTS" --transaction-size "$TX" --out "$DATA" \
  | tee "$DATA/write.txt" || die "writing the events failed"
WRITTEN="$(sed -n 's/^RESULT write.events=\([0-9]*\).*/\1/p' "$DATA/write.txt")"
say "   topic size on the broker: $(find "$DATA/kafka" -maxdepth 3 -type d -name "$TOPIC-*" -exec du -sk {} + | awk '{ s += $1 } END { printf "%.1f MiB", s / 1024 }')"

# --- 2. anchor: kafka-consumer-perf-test ----------------------------------------------------------------------
printf 'isolation.level=read_committed\n' > "$DATA/consumer.properties"
consumer_perf() { # name → "events/s MB/s fetch-events/s"
  local out
  out="$(java -Xmx512m -cp "$HARNESS_CP" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOTSTRAP" \
          --topic "$TOPIC" --num-records "$WRITTEN" --command-config "$DATA/consumer.properties" \
          --group "$ID-perf-$1" --timeout 60000 2>> "$DATA/consumer-perf.err")" || die "ConsumerPerformance failed: $(tail -5 "$DATA/consumer-perf.err")"
  say "   $1: $(tail -1 <<< "$out")" >&2
  # start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,
  # fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  tail -1 <<< "$out" | awk -F', *' '{ printf "%s %s %s %s", $6, $4, $10, $5 }'
}
say ""
say "== 2. anchor: ConsumerPerformance (kafka-tools $(java -cp "$HARNESS_CP" org.apache.kafka.tools.ConsumerPerformance --version 2>/dev/null | head -1)), read_committed, $WRITTEN records"
say "   columns: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec"
read -r PERF1_RATE PERF1_MB PERF1_FETCH PERF1_N <<< "$(consumer_perf before)"
(( ${PERF1_N%.*} == WRITTEN )) || say "   WARNING: the consumer perf tool read $PERF1_N records, not $WRITTEN"

# --- 2b. anchors: minimal Kafka Streams applications over the same events --------------------------------------
# The query-service's Streams settings (application.yml's defaults unless the environment sets them).
. "$ROOT/bench/hub-streams-settings.sh"
JAVA_OPTS="-Xmx$QUERY_HEAP ${BENCH_QUERY_OPTS:-}"
say ""
THREADS="${HUB_STREAM_THREADS:-1}"
say "== 2b. anchors: Kafka Streams exactly-once, commit interval $COMMIT_MS ms, poll $POLL_MS ms, $THREADS stream thread(s), JVM options ${JAVA_OPTS//\{run\}/anchor}"
"${HARNESS[@]}" anchor-streams --bootstrap "$BOOTSTRAP" --topic "$TOPIC" --out "$DATA" --application-id "$ID-anchor" \
  --java-opts "${JAVA_OPTS//\{run\}/anchor}" --commit-interval-ms "$COMMIT_MS" --poll-ms "$POLL_MS" --threads "$THREADS" --broker-pid "$STACK_PID" \
  | tee "$DATA/anchor.txt" || die "the Kafka Streams anchors failed; logs kept with BENCH_KEEP=1"

# --- 3 + 4. query-service: empty state dir, then intact -------------------------------------------------------
say ""
say "== 3. query-service on an empty state dir, then 4. restarted on the intact one"
if [[ "${BENCH_JFR:-0}" == 1 ]]; then
  JAVA_OPTS="$JAVA_OPTS -XX:StartFlightRecording=filename=$DATA/query-{run}.jfr,settings=profile"
fi
say "   query-service JVM options: $JAVA_OPTS (JIT and GC: the JVM defaults); application id $ID-query"
export HUB_KAFKA_BOOTSTRAP="$BOOTSTRAP" HUB_REGISTRY_URL="$REGISTRY" HUB_JWT_SECRET="$(tr -d '\n' < "$DATA/jwt-secret")"
export HUB_KEYSET_FILE="$DATA/keyset.json" HUB_STATE_DIR="$DATA/query-state" HUB_HTTP_HOST=127.0.0.1 HUB_HTTP_PORT="$HTTP_PORT"
export HUB_EVENTS_TOPIC="$TOPIC" HUB_COMMANDS_TOPIC="$ID.commands" HUB_OUTCOMES_TOPIC="$ID.outcomes"
export HUB_DEAD_LETTERS_TOPIC="$ID.dead-letters" HUB_SPECS_TOPIC="$ID.specs" HUB_PARTITIONS="$PARTITIONS"
export HUB_STREAMS_APPLICATION_ID="$ID-query"
"${HARNESS[@]}" serve --base "http://127.0.0.1:$HTTP_PORT" --bootstrap "$BOOTSTRAP" --group "$ID-query" \
  --topic "$TOPIC" --out "$DATA" --jwt-secret-file "$DATA/jwt-secret" --classpath-file "$QUERY_CP_FILE" \
  --java-opts "$JAVA_OPTS" --state-dir "$HUB_STATE_DIR" --broker-pid "$STACK_PID" --thread-samples-ms "${BENCH_THREAD_SAMPLES_MS:-0}" \
  --cds "$([[ "${BENCH_CDS:-0}" == 1 ]] && echo true || echo false)" | tee "$DATA/serve.txt" \
  || { tail -40 "$DATA"/query-service-*.log >&2; die "the query-service did not serve; logs kept with BENCH_KEEP=1"; }
say "   state dir after the replay: $(du -sh "$DATA/query-state" | cut -f1)"

say ""
say "== anchor again, after the replay (drift of the machine)"
read -r PERF2_RATE PERF2_MB PERF2_FETCH PERF2_N <<< "$(consumer_perf after)"

if [[ "${BENCH_JFR:-0}" == 1 ]]; then
  say ""
  say "== JFR of the replay (empty state dir)"
  "${HARNESS[@]}" jfr --file "$DATA/query-empty.jfr" || say "   no JFR summary"
fi

# --- summary --------------------------------------------------------------------------------------------------
result() { sed -n "s/^RESULT.* $1=\([^ ]*\).*/\1/p" "$DATA/serve.txt" "$DATA/anchor.txt" | head -1; }
READY="$(result replay.ready_s)"
awk -v n="$WRITTEN" -v t="$READY" -v p1="$PERF1_RATE" -v p2="$PERF2_RATE" -v f1="$PERF1_FETCH" -v f2="$PERF2_FETCH" \
    -v mb1="$PERF1_MB" -v mb2="$PERF2_MB" -v restart="$(result restart.ready_s)" -v health="$(result replay.health_s)" \
    -v view="$(result replay.view_s)" -v offsets="$(result replay.offsets_s)" -v cpu="$(result replay.cpu_s)" \
    -v wiped="$(result wiped.ready_s)" -v cds="$(result cds.ready_s)" -v plain="$(result plain.ready_s)" \
    -v bcpu="$(result replay.broker_cpu_s)" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" \
    -v ar="$(result anchor_read.ready_s)" -v arr="$(result anchor_read.running_s)" -v arc="$(result anchor_read.cpu_s)" \
    -v arb="$(result anchor_read.broker_cpu_s)" -v af="$(result anchor_fold.ready_s)" -v afr="$(result anchor_fold.running_s)" \
    -v afc="$(result anchor_fold.cpu_s)" -v afb="$(result anchor_fold.broker_cpu_s)" 'BEGIN {
  rate = n / t; anchor = (p1 + p2) / 2
  printf "\n== summary (load average now: %s)\n", load
  printf "| figure | measured |\n|---|---|\n"
  printf "| events | %d |\n", n
  printf "| ConsumerPerformance, read_committed (before / after the replay) | %.0f / %.0f events/s, %.1f / %.1f MB/s (fetch only: %.0f / %.0f events/s) |\n", p1, p2, mb1, mb2, f1, f2
  printf "| query-service, empty state dir: process start → serving every view | %.1f s = %.0f events/s (/health UP %.1f s, sentinel view %.1f s, offsets committed %.1f s; CPU: query-service %.1f s, broker %.1f s) |\n", t, rate, health, view, offsets, cpu, bcpu
  printf "| Kafka Streams anchor \"read\" (exactly-once, events read and dropped): process start → committed past the end | %.1f s = %.0f events/s = %.3f× ConsumerPerformance (Streams RUNNING after %.1f s; CPU: anchor %.1f s, broker %.1f s) |\n", ar, n / ar, n / ar / anchor, arr, arc, arb
  printf "| Kafka Streams anchor \"fold\" (exactly-once, a get and a put per event in a changelogged RocksDB store) | %.1f s = %.0f events/s = %.3f× ConsumerPerformance (Streams RUNNING after %.1f s; CPU: anchor %.1f s, broker %.1f s) |\n", af, n / af, n / af / anchor, afr, afc, afb
  printf "| ratio replay / ConsumerPerformance (mean of the two runs) | **%.3f×** (target >= 0.5×) |\n", rate / anchor
  printf "| ratio replay / Kafka Streams anchors, read / fold | %.3f× / %.3f× |\n", ar / t, af / t
  printf "| query-service restarted on the intact state dir: process start → serving | %.1f s |\n", restart
  if (wiped != "") printf "| query-service on a deleted state dir, same application id (restore from the changelogs) → serving | %.1f s = %.0f events/s |\n", wiped, n / wiped
  if (cds != "") printf "| restarted on the intact state dir with a class-data sharing archive / without (two runs each, alternated) | %s s / %s s |\n", cds, plain
}'
