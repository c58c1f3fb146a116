#!/usr/bin/env bash
# Proxy benchmark (issue 11, item 6); prints the figures, it is not a test. On a fresh bin/local-stack (temporary
# HUB_DATA_DIR, free ports, HUB_SKIP_BUILD=1, run from a private copy of the built jars as bench/query-bench.sh does)
# and a provider of its own (ProxyUpstream in bench/query-bench, a separate JVM: GET /json answers a 165-byte JSON
# document, /bytes/<n> streams n bytes, both only with the org's bearer credential):
#   1. latency and throughput: for each count in CONNECTIONS, wrk with that many keep-alive connections sends
#      GET /json straight to the provider (with the credential, as a caller that holds it would), then
#      GET /v1/orgs/{org}/integrations/bench-proxy/proxy/json through the hub (with the org's hub token; the hub adds
#      the credential), alternating ROUNDS times, DURATION s each, after a WARMUP s warm-up of the proxy. Per pair:
#      the hub's added latency (proxied − direct, p50 and p99) and the throughput ratio (proxied ÷ direct), and the
#      query-service CPU per proxied request (steady whatever else loads the machine);
#   2. heap: a DOWNLOAD_MB MB download through the proxy (curl, at most DOWNLOAD_RATE bytes/s so that the samples
#      cover it), the query-service heap (jstat: young + old used) sampled every 100 ms, and after a forced full GC
#      (jcmd GC.run) before, halfway and after; the query-service runs with -Xmx256m as bin/local-stack starts it.
# Build first (not install: that would replace the shared ~/.m2 snapshots):
#   ./mvnw -q -B -o -pl services/query-service,services/token-refresher,services/local-stack -am package -DskipTests
#   bench/proxy-bench.sh
# Environment (defaults): BENCH_CONNECTIONS ("1 32") BENCH_ROUNDS (2) BENCH_DURATION (10) BENCH_WARMUP (10)
#   BENCH_UPSTREAM_THREADS (8) BENCH_DOWNLOAD_MB (200) BENCH_DOWNLOAD_RATE (20M, curl --limit-rate)
#   BENCH_JAVA_OPTS (passed as HUB_JAVA_OPTS to the services) BENCH_KEEP=1 keeps the data dir (logs)
#   BENCH_JFR=1 also records the query-service with JFR during one more proxied run and prints where its CPU goes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CONNECTIONS="${BENCH_CONNECTIONS:-1 32}"
ROUNDS="${BENCH_ROUNDS:-2}"
DURATION="${BENCH_DURATION:-10}"
WARMUP="${BENCH_WARMUP:-10}"
UPSTREAM_THREADS="${BENCH_UPSTREAM_THREADS:-8}"
DOWNLOAD_MB="${BENCH_DOWNLOAD_MB:-200}"
DOWNLOAD_RATE="${BENCH_DOWNLOAD_RATE:-20M}"
CREDENTIAL="bench-provider-secret"
ORG="org-00000"
NAME="bench-proxy"

say() { printf '%s\n' "$*"; }
die() { printf 'proxy-bench: %s\n' "$*" >&2; exit 1; }
for tool in wrk curl python3 jstat jcmd jfr numfmt; do
  command -v "$tool" > /dev/null || die "$tool is missing (wrk: apt-get install -y wrk)"
done

# --- the harness ----------------------------------------------------------------------------------------------
./mvnw -q -B -o -P bench -pl bench/query-bench package || die "building bench/query-bench failed"
# TCP_NODELAY on the provider's sockets: the JDK server writes the headers and the body apart, and Nagle's algorithm
# with the client's delayed ACK would hold the body for 40 ms on every keep-alive request.
HARNESS=(java -Dsun.net.httpserver.nodelay=true -cp "$ROOT/bench/query-bench/target/classes" com.integrationshub.bench.QueryBench)

DATA="$(mktemp -d /tmp/proxy-bench.XXXXXX)"
OUT="$DATA/local-stack.out"
STACK=""
UPSTREAM=""
SAMPLER=""
cleanup() {
  [[ -n "$SAMPLER" ]] && kill "$SAMPLER" 2>/dev/null || true
  if [[ -n "$STACK" ]] && kill -0 "$STACK" 2>/dev/null; then kill -TERM "$STACK"; wait "$STACK" 2>/dev/null || true; fi
  if [[ -n "$UPSTREAM" ]] && kill -0 "$UPSTREAM" 2>/dev/null; then kill -TERM "$UPSTREAM"; wait "$UPSTREAM" 2>/dev/null || true; fi
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
free -g | head -2
java -version 2>&1 | head -1
say "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
say "uptime: $(uptime)"
say ""

# The stack runs from a private snapshot of bin/local-stack and of the jars this checkout built (see
# bench/query-bench.sh: another build replacing a jar under a running JVM fails its next class load).
SNAP="$(mktemp -d /tmp/proxy-bench-stack.XXXXXX)"
snapshot() {
  local module jar entry copy cp
  mkdir -p "$SNAP/bin" "$SNAP/lib"
  cp bin/local-stack "$SNAP/bin/"
  for module in local-stack query-service token-refresher; do
    mkdir -p "$SNAP/services/$module/target"
    [[ -f "services/$module/target/runtime-classpath.txt" ]] \
      || die "services/$module is not built: ./mvnw -q -B -o -pl services/query-service,services/token-refresher,services/local-stack -am package -DskipTests"
    for jar in "services/$module/target/$module-"*.jar; do
      case "$jar" in *-sources.jar|*-tests.jar|*-javadoc.jar) continue ;; esac
      cp "$jar" "$SNAP/$jar"
    done
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
say "measured: commit $(git rev-parse --short HEAD); query-service jar built $(date -u -r services/query-service/target/query-service-0.1.0-SNAPSHOT.jar +%FT%TZ 2>/dev/null);" \
    "uncommitted changes under services/: $(git status --short services | wc -l) files"

# --- the provider ---------------------------------------------------------------------------------------------
"${HARNESS[@]}" proxy-upstream --port-file "$DATA/upstream.port" --threads "$UPSTREAM_THREADS" \
    --credential "$CREDENTIAL" > "$DATA/upstream.out" 2>&1 &
UPSTREAM=$!

started=$SECONDS
"$SNAP/bin/local-stack" > "$OUT" 2>&1 &
STACK=$!
until [[ -f "$DATA/upstream.port" ]] && grep -q '^READY' "$OUT"; do
  kill -0 "$STACK" 2>/dev/null || { cat "$OUT" >&2; die "bin/local-stack failed"; }
  kill -0 "$UPSTREAM" 2>/dev/null || { cat "$DATA/upstream.out" >&2; die "the provider failed"; }
  (( SECONDS - started < 240 )) || die "bin/local-stack not READY after 240 s"
  sleep 0.2
done
UPSTREAM_URL="http://127.0.0.1:$(cat "$DATA/upstream.port")"
pid_of() { # the java child of the local-stack script whose command line names $1
  local pid
  for pid in $(pgrep -P "$STACK"); do
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "$1" && { echo "$pid"; return; }
  done
}
QUERY_PID="$(pid_of QueryServiceApplication)"
say "== stack READY after $(( SECONDS - started )) s: query-service $BASE (pid $QUERY_PID); provider $UPSTREAM_URL" \
    "(pid $UPSTREAM); JVM options of the services: -XX:+UseSerialGC -XX:TieredStopAtLevel=1 ${HUB_JAVA_OPTS}"

# --- setup: a bearer-token integration whose base URL is the provider, one connected org -----------------------
ADMIN="$(tr -d '\n' < "$DATA/admin-token")"
hub() { # method path [json]: fails unless 2xx
  local status
  status="$(curl -s -o "$DATA/last.json" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $ADMIN" \
            -H 'Content-Type: application/json' ${3:+--data "$3"} "$BASE$2")"
  [[ "$status" == 2* ]] || die "$1 $2 answered $status: $(cat "$DATA/last.json")"
}
hub POST /v1/integrations "{\"name\": \"$NAME\", \"auth_scheme\": \"BEARER_TOKEN\", \"config_schema\": [{\"key\": \"base_url\", \"type\": \"string\"}]}"
hub PUT "/v1/integrations/$NAME/defaults" "{\"config\": {\"base_url\": \"$UPSTREAM_URL\"}}"
hub POST "/v1/orgs/$ORG/integrations/$NAME/connect" "{\"auth_scheme\": \"BEARER_TOKEN\", \"data\": {\"token\": \"$CREDENTIAL\"}}"
"${HARNESS[@]}" tokens --admin-token-file "$DATA/admin-token" --jwt-secret-file "$DATA/jwt-secret" \
    --integrations 1 --orgs 1 --out "$DATA/org-token"
ORG_TOKEN="$(head -1 "$DATA/org-token")"
PROXIED="/v1/orgs/$ORG/integrations/$NAME/proxy/json"
probe="$(curl -s -H "Authorization: Bearer $ORG_TOKEN" "$BASE$PROXIED")"
[[ "$probe" == '{"id": 4711'* ]] || die "the proxied GET answered: $probe"
say "proxied GET $PROXIED -> $probe"

# --- 1. latency and throughput --------------------------------------------------------------------------------
TICK="$(getconf CLK_TCK)"
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<< " $1"; }
# wrk connections seconds base path token -> "WRK requests=.. rps=.. p50_ms=.. ..." plus cpu=<query-service ms/request>
run_wrk() {
  local c="$1" s="$2" url="$3" path="$4" token="$5" t q0 line q
  t=$(( c < 2 ? 1 : 2 ))
  q0=$(proc_ticks "$QUERY_PID")
  line="$(wrk -t "$t" -c "$c" -d "${s}s" --timeout 10s -s "$ROOT/bench/wrk/query.lua" "$url" -- path "$path" "$token" \
          | grep '^WRK ')" || die "wrk $url$path failed"
  q=$(( $(proc_ticks "$QUERY_PID") - q0 ))
  awk -v line="$line" -v q="$q" -v t="$TICK" -v n="$(field "$line" requests)" \
      'BEGIN { printf "%s qs_cpu_ms=%.3f\n", line, (n > 0 ? q * 1000 / t / n : 0) }'
}
# connections round direct-line proxied-line load -> one markdown row of the summary
pair_row() {
  local dp50 dp99 drps pp50 pp99 prps cpu
  dp50="$(field "$3" p50_ms)"; dp99="$(field "$3" p99_ms)"; drps="$(field "$3" rps)"
  pp50="$(field "$4" p50_ms)"; pp99="$(field "$4" p99_ms)"; prps="$(field "$4" rps)"; cpu="$(field "$4" qs_cpu_ms)"
  awk -v c="$1" -v r="$2" -v load="$5" -v dp50="$dp50" -v dp99="$dp99" -v drps="$drps" \
      -v pp50="$pp50" -v pp99="$pp99" -v prps="$prps" -v cpu="$cpu" 'BEGIN {
    printf "| %s | %d | %.2f / %.2f ms | %.2f / %.2f ms | +%.2f ms | +%.2f ms | %.0f/s | %.0f/s | %.2f | %.3f ms | %s |\n",
           c, r, dp50, dp99, pp50, pp99, pp50 - dp50, pp99 - dp99, drps, prps, prps / drps, cpu, load }'
}
say ""
say "== 1. GET of a small JSON answer: straight to the provider vs through the proxy (wrk, keep-alive, ${DURATION} s each)"
run_wrk 8 "$WARMUP" "$BASE" "$PROXIED" "$ORG_TOKEN" > /dev/null
SUMMARY=()
for c in $CONNECTIONS; do
  for (( round = 1; round <= ROUNDS; round++ )); do
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    direct="$(run_wrk "$c" "$DURATION" "$UPSTREAM_URL" /json "$CREDENTIAL")"
    proxied="$(run_wrk "$c" "$DURATION" "$BASE" "$PROXIED" "$ORG_TOKEN")"
    printf '   c=%-3s round %d  direct : %s\n' "$c" "$round" "${direct#WRK }"
    printf '   c=%-3s round %d  proxied: %s\n' "$c" "$round" "${proxied#WRK }"
    for which in direct proxied; do
      line="${!which}"
      (( $(field "$line" non2xx) == 0 && $(field "$line" errors) == 0 )) \
        || say "   WARNING: $which answered non-2xx or failed: $line"
    done
    row="$(pair_row "$c" "$round" "$direct" "$proxied" "$load")"
    SUMMARY+=("$row")
  done
done

# --- 1b. where the query-service spends its CPU on a proxied GET (BENCH_JFR=1; not part of the figures above) ----
if [[ "${BENCH_JFR:-0}" == 1 ]]; then
  c="${CONNECTIONS##* }"
  say ""
  say "== 1b. JFR CPU samples of the query-service during $DURATION s of proxied GETs, c=$c"
  jcmd "$QUERY_PID" JFR.start name=proxy settings=profile filename="$DATA/proxy.jfr" > /dev/null
  run_wrk "$c" "$DURATION" "$BASE" "$PROXIED" "$ORG_TOKEN" > /dev/null
  jcmd "$QUERY_PID" JFR.stop name=proxy > /dev/null
  jfr print --events jdk.ExecutionSample --stack-depth 96 "$DATA/proxy.jfr" | awk '
    /stackTrace = \[/ { in_stack = 1; top = 1; samples++; delete seen; next }
    in_stack && /^ *\]/ { in_stack = 0; next }
    in_stack {
      frame = $0; sub(/^ +/, "", frame); sub(/ +line:.*/, "", frame); sub(/\(.*/, "", frame)
      if (top) { self[frame]++; top = 0 }
      n = split(frame, part, "."); area = part[1] "." part[2] "." part[3]
      if (frame ~ /^com\.integrationshub\./) area = frame
      if (!(area in seen)) { seen[area] = 1; incl[area]++ }
    }
    END {
      printf "   %d samples; on the stack of (share of samples):\n", samples
      for (a in incl) printf "%6.1f %%  %s\n", incl[a] * 100 / samples, a | "sort -rn | head -40"
      close("sort -rn | head -40")
      printf "   running at the top of the stack:\n"
      for (f in self) printf "%6.1f %%  %s\n", self[f] * 100 / samples, f | "sort -rn | head -15"
    }'
fi

# --- 2. heap during a large download --------------------------------------------------------------------------
say ""
SIZE=$(( DOWNLOAD_MB * 1000 * 1000 ))
say "== 2. query-service heap during a $DOWNLOAD_MB MB ($SIZE bytes) download through the proxy (curl --limit-rate $DOWNLOAD_RATE)"
# used heap in KiB (young + old) from one jstat -gc line, columns found by name
heap_now() { jstat -gc "$QUERY_PID" | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
  NR == 2 { printf "%.0f %.0f\n", $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"], $col["OU"] }'; }
after_gc() { jcmd "$QUERY_PID" GC.run > /dev/null; heap_now; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$QUERY_PID/status"; }
read -r BEFORE_GC _ <<< "$(after_gc)"
RSS_BEFORE="$(rss_kib)"
jstat -gc "$QUERY_PID" 100 > "$DATA/jstat.txt" &
SAMPLER=$!
curl -s -o /dev/null --limit-rate "$DOWNLOAD_RATE" -w '%{http_code} %{size_download} %{time_total}\n' \
     -H "Authorization: Bearer $ORG_TOKEN" "$BASE/v1/orgs/$ORG/integrations/$NAME/proxy/bytes/$SIZE" > "$DATA/curl.txt" &
CURL=$!
rate_bytes="$(numfmt --from=iec "$DOWNLOAD_RATE")"
expected_s="$(awk -v s="$SIZE" -v r="$rate_bytes" 'BEGIN { printf "%.3f", s / r }')"
t0="$(date +%s.%N)"
until_part() { # seconds from now until $1 quarters of the expected download time have passed
  awk -v t0="$t0" -v now="$(date +%s.%N)" -v e="$expected_s" -v q="$1" \
      'BEGIN { d = t0 + e * q / 4 - now; printf "%.3f", (d > 0 ? d : 0) }'
}
DURING_GC=()
RSS_MAX="$(rss_kib)"
for q in 1 2 3; do # a full GC a quarter, half and three quarters into the download: what the proxy holds then
  sleep "$(until_part "$q")"
  kill -0 "$CURL" 2>/dev/null || break
  read -r used _ <<< "$(after_gc)"
  DURING_GC+=("$(mib "$used")")
  r="$(rss_kib)"; (( r > RSS_MAX )) && RSS_MAX=$r
done
(( ${#DURING_GC[@]} == 3 )) || DURING_GC+=("(the download had ended)")
while kill -0 "$CURL" 2>/dev/null; do
  r="$(rss_kib)"; (( r > RSS_MAX )) && RSS_MAX=$r
  sleep 0.2
done
wait "$CURL" || true
kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=""
read -r AFTER_GC _ <<< "$(after_gc)"
read -r DL_STATUS DL_BYTES DL_SECONDS < "$DATA/curl.txt"
read -r SAMPLES MAX_USED MAX_OLD <<< "$(awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $1 ~ /^[0-9.]+$/ { n++; u = $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]; if (u > mu) mu = u; if ($col["OU"] > mo) mo = $col["OU"] }
  END { printf "%d %.0f %.0f\n", n, mu, mo }' "$DATA/jstat.txt")"
say "   download: HTTP $DL_STATUS, $DL_BYTES bytes in ${DL_SECONDS} s (expected $SIZE)"
say "   heap used after a full GC: before $(mib "$BEFORE_GC"); 1/4, 1/2, 3/4 into the download ${DURING_GC[*]}; after $(mib "$AFTER_GC")"
say "   heap used (young + old, garbage included) sampled every 100 ms during the download: max $(mib "$MAX_USED") over $SAMPLES samples; old generation max $(mib "$MAX_OLD")"
say "   RSS: before $(mib "$RSS_BEFORE"), max during $(mib "$RSS_MAX")"
kill -TERM "$UPSTREAM" 2>/dev/null || true
wait "$UPSTREAM" 2>/dev/null || true
UPSTREAM=""
say "   provider: $(cat "$DATA/upstream.out")"

# --- summary --------------------------------------------------------------------------------------------------
say ""
say "== summary (load average now: $(cut -d' ' -f1-3 /proc/loadavg); whole run $(( SECONDS - started )) s)"
say "| connections | round | direct p50 / p99 | proxied p50 / p99 | added p50 | added p99 | direct req/s | proxied req/s | throughput ratio | query-service CPU per proxied request | load average (1, 5, 15 min) at start |"
say "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for row in "${SUMMARY[@]}"; do say "$row"; done
say ""
say "| $DOWNLOAD_MB MB download through the proxy at most $DOWNLOAD_RATE/s | heap after full GC: before / at 1/4, 1/2, 3/4 / after | max heap used sampled (100 ms) | old gen max | RSS before / max |"
say "|---|---|---|---|---|"
say "| HTTP $DL_STATUS, $DL_BYTES bytes, ${DL_SECONDS} s | $(mib "$BEFORE_GC") / ${DURING_GC[*]} / $(mib "$AFTER_GC") | $(mib "$MAX_USED") | $(mib "$MAX_OLD") | $(mib "$RSS_BEFORE") / $(mib "$RSS_MAX") |"
