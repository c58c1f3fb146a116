# Sourced by the benchmarks (from the repository root): the query-service's commit interval and stream poll wait in
# milliseconds, COMMIT_MS and POLL_MS — the environment's HUB_COMMIT_INTERVAL / HUB_STREAMS_POLL_INTERVAL, else
# application.yml's defaults — so that their Kafka Streams anchors run with the hub's settings. Understands "Nms" and
# whole "Ns" only.
yml_default() { sed -n "s/.*\${$1:\([0-9]*\)ms}.*/\1/p" services/query-service/src/main/resources/application.yml | head -1; }
ms_of() { case "$1" in *ms) echo "${1%ms}" ;; *s) echo "$(( ${1%s} * 1000 ))" ;; *) echo "$1" ;; esac; }
COMMIT_MS="$(ms_of "${HUB_COMMIT_INTERVAL:-$(yml_default HUB_COMMIT_INTERVAL)ms}")"
POLL_MS="$(ms_of "${HUB_STREAMS_POLL_INTERVAL:-$(yml_default HUB_STREAMS_POLL_INTERVAL)ms}")"
