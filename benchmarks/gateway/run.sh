#!/usr/bin/env bash
# The gateway benchmark, run on demand (not by the tests): benchmarks/gateway/run.sh [seconds] [warm-up] [jit-warm-up]
# In one run, on this machine, with wrk against 127.0.0.1 only: one fixed backend (an nginx returning a
# ~200-byte JSON), called directly, through nginx as a reverse proxy, and through the kit's gateway:
# a plain Spring Cloud Gateway route, a strangler route in monolith mode and one in canary mode (50 %).
# Per row: requests/s, p50, p99, and the proxy's CPU per request (utime+stime of its processes, from
# /proc, before and after the measured run). Writes benchmarks/results/gateway.md, which the docs
# quote; raw outputs under benchmarks/gateway/target/.
#
# The gateway rows run the recommended flag set (GATEWAY_JVM_OPTS, GATEWAY_TUNING below); the
# gateway's stock configuration is measured too, as an extra row. For experiments, extra JVM options
# and gateway arguments can be added to the tuned gateway with BENCH_EXTRA_JVM_OPTS and
# BENCH_EXTRA_GATEWAY_ARGS (space-separated), and BENCH_SKIP_STOCK=1 leaves the stock row out.
# BENCH_PROFILE=1 records a JFR profile (settings=profile) of the bare gateway's row and of the kit
# gateway's plain row, and writes each one's hottest methods beside them (target/*.jfr, *.hot.txt):
# the profiler's own cost is in those rows' figures then, alike for both.
set -euo pipefail
KIT_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SECONDS_PER_RUN=${1:-15}   # measured, per row
WARMUP=${2:-5}             # wrk warm-up right before each measured row (3 s for the nginx rows)
JIT_WARMUP=${3:-60}        # load on a freshly started gateway before its first row: C2 needs about a minute here
CONNECTIONS=32
THREADS=2
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
BACKEND_PORT=${BENCH_BACKEND_PORT:-19081}
BACKEND_TLS_PORT=${BENCH_BACKEND_TLS_PORT:-19443}
CONFIG_PORT=${BENCH_CONFIG_PORT:-19088}
NGINX_PORT=${BENCH_NGINX_PORT:-19080}
GATEWAY_PORT=${BENCH_GATEWAY_PORT:-19090}
OUT=$KIT_HOME/benchmarks/results/gateway.md
WORK=$KIT_HOME/benchmarks/gateway/target

# One pinned JVM flag set for every gateway run (heap fixed, so GC sizing does not differ between runs)
GATEWAY_JVM_OPTS="-Xms512m -Xmx512m"
STOCK_JVM_OPTS="$GATEWAY_JVM_OPTS"
# The recommended configuration (flags only, no code change): no per-request observations (the
# http.server.requests and Spring Security observations) and no spring.cloud.gateway.requests timer,
# both duplicates of the kit's own strangler.requests timer. See the levers in the results file: no
# flag moved the gateway by more than this machine's noise (about 10 %).
GATEWAY_TUNING=(
  --management.observations.enable.all=false
  --spring.cloud.gateway.server.webflux.metrics.enabled=false
)

for tool in nginx wrk; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
    echo "The gateway benchmark needs $tool: apt-get update && apt-get install -y nginx wrk" >&2; exit 1; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$JAVA" ] || { echo "No java at $JAVA (set JAVA_HOME to a JDK 21 or later)" >&2; exit 1; }
for port in $BACKEND_PORT $CONFIG_PORT $NGINX_PORT $GATEWAY_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is in use; set BENCH_*_PORT to free ones" >&2; exit 1
  fi
done

mkdir -p "$WORK"
rm -rf "$WORK/nginx" "$WORK"/*.txt "$WORK"/*.log "$WORK"/*.conf "$WORK"/*.lua
mkdir -p "$WORK/nginx/tmp"
STARTED=()
cleanup() {
  for pidfile in "$WORK/nginx/backend.pid" "$WORK/nginx/proxy.pid"; do
    [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  for pid in "${STARTED[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${STARTED[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

echo "==> Building the gateway, and a bare Spring Cloud Gateway (its starter only) to measure it against"
(cd "$KIT_HOME" && JAVA_HOME=$JAVA_HOME mvn -B -q -ntp -Pbenchmarks -pl gateway,benchmarks/gateway/bare -am package -DskipTests)
JAR=$(ls "$KIT_HOME"/gateway/target/gateway-*.jar | grep -v -- '-plain\.jar$' | sed -n 1p)
BARE_JAR=$(ls "$KIT_HOME"/benchmarks/gateway/bare/target/bare-gateway-*.jar | grep -v -- '-plain\.jar$' | sed -n 1p)

# --- the kit's certificates, for the hop with mutual TLS (./kit certs, in the benchmark's own folder)
PKI=$WORK/kit/pki
KIT_STATE=$WORK/kit "$KIT_HOME/kit" certs > "$WORK/certs.log" 2>&1 || { cat "$WORK/certs.log" >&2; exit 1; }

# --- the backend (and a stub config server), one nginx instance; the proxy, another ---------------
TEMP_PATHS="client_body_temp_path $WORK/nginx/tmp; proxy_temp_path $WORK/nginx/tmp; fastcgi_temp_path $WORK/nginx/tmp; uwsgi_temp_path $WORK/nginx/tmp; scgi_temp_path $WORK/nginx/tmp;"
BODY='{"id":42,"sku":"BENCH-0001","name":"a fixed backend answer","price":{"amount":"19.99","currency":"EUR"},"stock":128,"tags":["bench","gateway","strangler"],"updatedAt":"2025-01-01T00:00:00Z"}'
cat > "$WORK/nginx/backend.conf" <<CONF
worker_processes 1;
pid $WORK/nginx/backend.pid;
error_log $WORK/nginx/backend-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  $TEMP_PATHS
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  # the gateway's config server: no property sources (everything is passed on its command line)
  server {
    listen 127.0.0.1:$CONFIG_PORT;
    location / { default_type application/json; return 200 '{"name":"gateway","profiles":["default"],"label":null,"version":null,"state":null,"propertySources":[]}'; }
  }
  # the backend: the same fixed JSON for any path
  server {
    listen 127.0.0.1:$BACKEND_PORT;
    location / { default_type application/json; return 200 '$BODY'; }
  }
  # the same backend with mutual TLS, as the monolith answers with ./kit up --mtls: its certificate,
  # and a client certificate of the kit's CA needed
  server {
    listen 127.0.0.1:$BACKEND_TLS_PORT ssl;
    ssl_certificate $PKI/monolith.crt;
    ssl_certificate_key $PKI/monolith.key;
    ssl_client_certificate $PKI/ca.crt;
    ssl_verify_client on;
    location / { default_type application/json; return 200 '$BODY'; }
  }
}
CONF
cat > "$WORK/nginx/proxy.conf" <<CONF
worker_processes 2;
worker_cpu_affinity auto;
pid $WORK/nginx/proxy.pid;
error_log $WORK/nginx/proxy-error.log warn;
events { worker_connections 4096; multi_accept on; }
http {
  access_log off;
  $TEMP_PATHS
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  upstream backend {
    server 127.0.0.1:$BACKEND_PORT;
    keepalive 64;
    keepalive_requests 10000000;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_buffering on;
    }
  }
}
CONF
"$NGINX" -p "$WORK/nginx" -e "$WORK/nginx/backend-error.log" -c "$WORK/nginx/backend.conf"
"$NGINX" -p "$WORK/nginx" -e "$WORK/nginx/proxy-error.log" -c "$WORK/nginx/proxy.conf"

# 1000 canary keys, cycled, so that a canary route splits its requests (the key is the X-Canary-Key header)
cat > "$WORK/canary-keys.lua" <<'LUA'
local requests = {}
local next = 0
init = function(args)
  for k = 1, 1000 do
    requests[k] = wrk.format("GET", nil, { ["X-Canary-Key"] = "user-" .. k })
  end
end
request = function()
  next = next % 1000 + 1
  return requests[next]
end
LUA

# --- helpers ------------------------------------------------------------------------------------
TICKS_PER_SECOND=$(getconf CLK_TCK)
# the utime+stime ticks of the given processes (fields 14 and 15 of /proc/<pid>/stat, after the name)
cpu_ticks() {
  local total=0 pid fields
  for pid in "$@"; do
    fields=$(sed 's/^.*) //' "/proc/$pid/stat")
    total=$((total + $(echo "$fields" | awk '{ print $12 + $13 }')))
  done
  echo "$total"
}
nginx_pids() { local master; master=$(cat "$1"); echo "$master" $(pgrep -P "$master"); }
wait_for() {
  local url=$1 log=$2 tries=0
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -gt 240 ]; then echo "Not up after 120 s: $url" >&2; tail -n 40 "$log" >&2; exit 1; fi
    sleep 0.5
  done
}
to_ms() { # wrk's 1.23ms / 456.00us / 1.02s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
ROWS=()
# a warm-up, then the measured run with the proxy's CPU read around it; appends a row
measure() { # NAME URL "PIDS" WARM-UP-SECONDS [wrk script]
  local name=$1 url=$2 pids=$3 warmup=$4 script=${5:-} extra=()
  [ -n "$script" ] && extra=(-s "$script")
  echo "==> $name: ${warmup}s warm-up, ${SECONDS_PER_RUN}s measured ($url)"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${warmup}s" --timeout 5s "${extra[@]}" "$url" > "$WORK/$name.warmup.txt" 2>&1
  local before after backend_before backend_after
  backend_before=$(cpu_ticks $(nginx_pids "$WORK/nginx/backend.pid"))
  before=$( [ -n "$pids" ] && cpu_ticks $pids || echo 0)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --timeout 5s --latency "${extra[@]}" "$url" > "$WORK/$name.txt" 2>&1
  after=$( [ -n "$pids" ] && cpu_ticks $pids || echo 0)
  backend_after=$(cpu_ticks $(nginx_pids "$WORK/nginx/backend.pid"))
  local requests rps p50 p99 errors
  requests=$(awk '/requests in/ { print $1 }' "$WORK/$name.txt")
  rps=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$WORK/$name.txt")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$WORK/$name.txt")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$WORK/$name.txt")")
  errors=$(awk '/Non-2xx|Socket errors/ { sub(/^ */, ""); printf "%s; ", $0 }' "$WORK/$name.txt")
  local cpu_us backend_us
  cpu_us=$(awk -v t=$((after - before)) -v hz="$TICKS_PER_SECOND" -v n="$requests" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
  backend_us=$(awk -v t=$((backend_after - backend_before)) -v hz="$TICKS_PER_SECOND" -v n="$requests" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
  [ -n "$pids" ] || cpu_us=0
  echo "    $rps requests/s, p50 $p50 ms, p99 $p99 ms, proxy CPU $cpu_us µs/request (backend $backend_us)${errors:+, $errors}"
  ROWS+=("$name|$rps|$p50|$p99|$cpu_us|$backend_us|$requests|$errors")
  eval "RPS_${name//-/_}=$rps CPU_${name//-/_}=$cpu_us P50_${name//-/_}=$p50 P99_${name//-/_}=$p99 BACKEND_${name//-/_}=$backend_us"
}
# BENCH_PROFILE=1: a JFR recording of the gateway around one row (profiled NAME COMMAND...)
profiled() {
  local name=$1; shift
  if [ -z "${BENCH_PROFILE:-}" ]; then "$@"; return; fi
  "$JAVA_HOME/bin/jcmd" "$GATEWAY_PID" JFR.start name=bench settings=profile filename="$WORK/$name.jfr" > /dev/null
  "$@"
  "$JAVA_HOME/bin/jcmd" "$GATEWAY_PID" JFR.stop name=bench > /dev/null
  "$JAVA_HOME/bin/jfr" view --width 200 hot-methods "$WORK/$name.jfr" > "$WORK/$name.hot.txt" 2>&1 || true
  echo "    profile: $WORK/$name.jfr, hottest methods in $WORK/$name.hot.txt"
}
GATEWAY_PID=
start_gateway() { # LABEL "JVM OPTS" [gateway args...]
  local label=$1 jvm=$2; shift 2
  echo "==> Starting the gateway ($label): $jvm"
  # shellcheck disable=SC2086
  KIT_CONFIG_URI="http://127.0.0.1:$CONFIG_PORT" "$JAVA" $jvm -jar "$JAR" \
    --server.port="$GATEWAY_PORT" \
    --spring.cloud.bus.enabled=false --eureka.client.enabled=false \
    --spring.rabbitmq.listener.simple.auto-startup=false \
    --spring.security.user.name="${KIT_ADMIN_USER:-admin}" \
    --spring.security.user.password="${KIT_ADMIN_PASSWORD:-admin-secret}" \
    --spring.security.user.roles=ADMIN \
    --management.endpoints.web.exposure.include=health,prometheus \
    --spring.cloud.gateway.server.webflux.routes[0].id=plain \
    --spring.cloud.gateway.server.webflux.routes[0].uri="http://127.0.0.1:$BACKEND_PORT" \
    --spring.cloud.gateway.server.webflux.routes[0].predicates[0]='Path=/plain/**' \
    --spring.cloud.gateway.server.webflux.routes[1].id=mtls \
    --spring.cloud.gateway.server.webflux.routes[1].uri="https://127.0.0.1:$BACKEND_TLS_PORT" \
    --spring.cloud.gateway.server.webflux.routes[1].predicates[0]='Path=/mtls/**' \
    --kit.mtls.bundle=kit \
    --spring.ssl.bundle.pem.kit.keystore.certificate="file:$PKI/gateway.crt" \
    --spring.ssl.bundle.pem.kit.keystore.private-key="file:$PKI/gateway.key" \
    --spring.ssl.bundle.pem.kit.truststore.certificate="file:$PKI/ca.crt" \
    --spring.cloud.discovery.client.simple.instances.bench-backend[0].uri="http://127.0.0.1:$BACKEND_PORT" \
    --spring.cloud.discovery.client.simple.instances.bench-service[0].uri="http://127.0.0.1:$BACKEND_PORT" \
    --strangler.routes.bench.paths[0]='/api/bench/**' \
    --strangler.routes.bench.monolith=lb://bench-backend \
    --strangler.routes.bench.mode=monolith \
    --strangler.routes.canary.paths[0]='/api/canary/**' \
    --strangler.routes.canary.monolith=lb://bench-backend \
    --strangler.routes.canary.service=lb://bench-service \
    --strangler.routes.canary.mode=canary \
    --strangler.routes.canary.canary-percent=50 \
    "$@" > "$WORK/gateway-$label.log" 2>&1 &
  GATEWAY_PID=$!
  STARTED+=("$GATEWAY_PID")
  wait_for "http://127.0.0.1:$GATEWAY_PORT/plain/ready" "$WORK/gateway-$label.log"
  wait_for "http://127.0.0.1:$GATEWAY_PORT/mtls/ready" "$WORK/gateway-$label.log"
  wait_for "http://127.0.0.1:$GATEWAY_PORT/api/bench/ready" "$WORK/gateway-$label.log"
  curl -fsS -o /dev/null -H 'X-Canary-Key: ready' "http://127.0.0.1:$GATEWAY_PORT/api/canary/ready"
}
stop_gateway() { kill "$GATEWAY_PID"; wait "$GATEWAY_PID" 2>/dev/null || true; }
# the yardstick: Spring Cloud Gateway's starter only, the same JDK and heap, one route to the backend
start_bare_gateway() {
  echo "==> Starting the bare Spring Cloud Gateway: $GATEWAY_JVM_OPTS"
  # shellcheck disable=SC2086
  "$JAVA" $GATEWAY_JVM_OPTS -jar "$BARE_JAR" --server.port="$GATEWAY_PORT" \
    --spring.cloud.gateway.server.webflux.routes[0].id=plain \
    --spring.cloud.gateway.server.webflux.routes[0].uri="http://127.0.0.1:$BACKEND_PORT" \
    --spring.cloud.gateway.server.webflux.routes[0].predicates[0]='Path=/plain/**' \
    > "$WORK/gateway-bare.log" 2>&1 &
  GATEWAY_PID=$!
  STARTED+=("$GATEWAY_PID")
  wait_for "http://127.0.0.1:$GATEWAY_PORT/plain/ready" "$WORK/gateway-bare.log"
}
jit_warmup() { # PATHS...: JIT_WARMUP seconds of load, round-robin over the paths, 3 rounds
  local slice=$((JIT_WARMUP / 3 / $#)) round path
  [ "$slice" -ge 1 ] || return 0
  echo "==> JIT warm-up: ${JIT_WARMUP}s over $*"
  for round in 1 2 3; do
    for path in "$@"; do
      wrk -t"$THREADS" -c"$CONNECTIONS" -d"${slice}s" --timeout 5s "http://127.0.0.1:$GATEWAY_PORT$path" \
        >> "$WORK/jit-warmup.txt" 2>&1
    done
  done
}

LEVERS_DATE=2026-11-23
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
wait_for "http://127.0.0.1:$BACKEND_PORT/ready" "$WORK/nginx/backend-error.log"
wait_for "http://127.0.0.1:$NGINX_PORT/ready" "$WORK/nginx/proxy-error.log"

# --- the runs -----------------------------------------------------------------------------------
measure direct "http://127.0.0.1:$BACKEND_PORT/api/bench/item" "" 3
measure nginx "http://127.0.0.1:$NGINX_PORT/api/bench/item" "$(nginx_pids "$WORK/nginx/proxy.pid")" 3

start_bare_gateway
jit_warmup /plain/item
profiled bare measure bare "http://127.0.0.1:$GATEWAY_PORT/plain/item" "$GATEWAY_PID" "$WARMUP"
stop_gateway

# shellcheck disable=SC2206
TUNED_JVM="$GATEWAY_JVM_OPTS ${BENCH_EXTRA_JVM_OPTS:-}"
EXTRA_ARGS=(${BENCH_EXTRA_GATEWAY_ARGS:-})
start_gateway tuned "$TUNED_JVM" "${GATEWAY_TUNING[@]}" "${EXTRA_ARGS[@]}"
jit_warmup /plain/item /mtls/item /api/bench/item /api/canary/item
profiled gateway-plain measure gateway-plain "http://127.0.0.1:$GATEWAY_PORT/plain/item" "$GATEWAY_PID" "$WARMUP"
measure gateway-mtls "http://127.0.0.1:$GATEWAY_PORT/mtls/item" "$GATEWAY_PID" "$WARMUP"
measure strangler-monolith "http://127.0.0.1:$GATEWAY_PORT/api/bench/item" "$GATEWAY_PID" "$WARMUP"
# the gateway's own count of canary requests by target, before and after the canary row
scrape() {
  curl -fsS -u "${KIT_ADMIN_USER:-admin}:${KIT_ADMIN_PASSWORD:-admin-secret}" \
    "http://127.0.0.1:$GATEWAY_PORT/actuator/prometheus" > "$1" || true
}
scrape "$WORK/gateway-tuned.before-canary.prometheus.txt"
measure strangler-canary "http://127.0.0.1:$GATEWAY_PORT/api/canary/item" "$GATEWAY_PID" "$WARMUP" "$WORK/canary-keys.lua"
scrape "$WORK/gateway-tuned.prometheus.txt"
CANARY_SPLIT=$(awk -F'[{}]' '/^strangler_requests_seconds_count/ && /route="canary"/ {
    match($2, /target="[^"]*"/); t = substr($2, RSTART + 8, RLENGTH - 9); n[t] += (FILENAME ~ /before/ ? -$3 : $3) }
  END { for (t in n) all += n[t]; if (all > 0) for (t in n) printf "%s%s %.1f %%", (s++ ? ", " : ""), t, 100 * n[t] / all }' \
  "$WORK/gateway-tuned.before-canary.prometheus.txt" "$WORK/gateway-tuned.prometheus.txt")
stop_gateway

if [ -z "${BENCH_SKIP_STOCK:-}" ]; then
  start_gateway stock "$STOCK_JVM_OPTS"
  measure gateway-plain-stock "http://127.0.0.1:$GATEWAY_PORT/plain/item" "$GATEWAY_PID" "$JIT_WARMUP"
  stop_gateway
fi

# --- the gap to a bare gateway, lever by lever --------------------------------------------------
# The plain route on a fresh kit gateway, warmed on that route alone like the bare one, then with
# each lever added to the ones before (cumulative): what the kit's gateway does per request that a
# bare one does not, and what each costs. BENCH_GAP=0 leaves this out (about 6 minutes).
# name | what it leaves out | JVM options | gateway arguments
GAP_LEVERS=(
  "kit|nothing: the kit's gateway, recommended flags||"
  "log4j-api|commons-logging through the Log4j API, which checks the level first: Spring Security's matchers build a debug message per request through commons-logging 1.3's SLF4J adapter even with debug off (spring-framework#37266 fixed LogAccessor, not direct Log calls)|-Dorg.apache.commons.logging.LogFactory=org.apache.commons.logging.impl.Log4jApiLogFactory|"
  "no-client-observation|the client observation of each proxied request (the span, and the trace headers it writes): spring.cloud.gateway.server.webflux.observability.enabled=false||--spring.cloud.gateway.server.webflux.observability.enabled=false"
  "routes-first|the actuator's and WebFlux's handler mappings asked after the gateway's routes (handler-mapping.order=-200), not before||--spring.cloud.gateway.server.webflux.handler-mapping.order=-200"
)
GAP_ROWS=()
if [ "${BENCH_GAP:-1}" != 0 ]; then
  gap_jvm="" gap_args=()
  for lever in "${GAP_LEVERS[@]}"; do
    IFS='|' read -r name what jvm args <<<"$lever"
    gap_jvm="$gap_jvm $jvm"
    # shellcheck disable=SC2206
    gap_args+=($args)
    start_gateway "gap-$name" "$GATEWAY_JVM_OPTS${gap_jvm}" "${GATEWAY_TUNING[@]}" "${gap_args[@]}"
    jit_warmup /plain/item
    measure "gap-$name" "http://127.0.0.1:$GATEWAY_PORT/plain/item" "$GATEWAY_PID" "$WARMUP"
    stop_gateway
    GAP_ROWS+=("$name|$what")
  done
fi

# --- the results --------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
percent() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.0f %%", (a / b - 1) * 100 }'; }
PLAIN_VS_NGINX=$(ratio "$RPS_gateway_plain" "$RPS_nginx")
CPU_VS_NGINX=$(ratio "$CPU_gateway_plain" "$CPU_nginx")
STRANGLER_RPS=$(percent "$RPS_strangler_monolith" "$RPS_gateway_plain")
STRANGLER_CPU=$(percent "$CPU_strangler_monolith" "$CPU_gateway_plain")
CANARY_RPS=$(percent "$RPS_strangler_canary" "$RPS_gateway_plain")
CANARY_CPU=$(percent "$CPU_strangler_canary" "$CPU_gateway_plain")
# the cost of mutual TLS on the gateway -> backend hop: the same gateway, the same plain route shape
MTLS_LINE=$(awk -v r="$RPS_gateway_mtls" -v pr="$RPS_gateway_plain" -v c="$CPU_gateway_mtls" -v pc="$CPU_gateway_plain" \
  -v p50="$P50_gateway_mtls" -v pp50="$P50_gateway_plain" -v p99="$P99_gateway_mtls" -v pp99="$P99_gateway_plain" \
  -v bc="$BACKEND_gateway_mtls" -v pbc="$BACKEND_gateway_plain" 'BEGIN {
  printf "the hop to the backend with mutual TLS vs plaintext (same gateway, same route shape): throughput **%+.0f %%**, gateway CPU per request **%+.0f %%** (%+.1f µs), p50 %+.2f ms, p99 %+.2f ms; the backend'"'"'s own CPU per request %+.1f µs (nginx terminating TLS)",
    (r / pr - 1) * 100, (c / pc - 1) * 100, c - pc, p50 - pp50, p99 - pp99, bc - pbc }')
# the cost of the strangler features: time (the inverse of throughput) and CPU per request, over a plain route
VERDICT=$(awk -v sr="$RPS_strangler_monolith" -v pr="$RPS_gateway_plain" -v sc="$CPU_strangler_monolith" \
  -v pc="$CPU_gateway_plain" -v nr="$RPS_nginx" 'BEGIN {
  s = (pr / sr <= 1.2 && sc / pc <= 1.2) ? "met" : "NOT met";
  n = (pr / nr >= 0.6) ? "met" : "NOT met";
  printf "strangler-over-plain target %s (time per request %+.0f %%, CPU per request %+.0f %%); gateway-at-60 %%-of-nginx target %s (%.0f %%)",
    s, (pr / sr - 1) * 100, (sc / pc - 1) * 100, n, 100 * pr / nr }')
# the kit's gateway against a bare one (issue 23: within 10 % in throughput and CPU per request)
BARE_VERDICT=$(awk -v br="$RPS_bare" -v bc="$CPU_bare" -v pr="$RPS_gateway_plain" -v pc="$CPU_gateway_plain" \
  -v sr="$RPS_strangler_monolith" -v sc="$CPU_strangler_monolith" 'BEGIN {
  p = (pr / br >= 0.9 && pc / bc <= 1.1) ? "met" : "NOT met";
  s = (sr / br >= 0.9 && sc / bc <= 1.1) ? "met" : "NOT met";
  printf "plain route vs a bare gateway: throughput **%+.0f %%**, CPU per request **%+.0f %%** (within-10 %% target %s); strangler route (monolith mode) vs a bare gateway: throughput **%+.0f %%**, CPU per request **%+.0f %%** (target %s)",
    (pr / br - 1) * 100, (pc / bc - 1) * 100, p, (sr / br - 1) * 100, (sc / bc - 1) * 100, s }')
label() {
  case $1 in
    bare) echo "bare Spring Cloud Gateway (its starter only, one route, same JDK and heap)" ;;
    direct) echo "backend called directly (no proxy)" ;;
    nginx) echo "nginx reverse proxy (2 workers, keepalive upstream)" ;;
    gateway-plain) echo "**gateway, plain Spring Cloud Gateway route** (recommended flags)" ;;
    gateway-mtls) echo "**gateway, plain route, the hop to the backend with mutual TLS** (\`./kit up --mtls\`'s client: the gateway's certificate, TLS 1.3, JDK engine)" ;;
    strangler-monolith) echo "**gateway, strangler route, monolith mode** (\`lb://\`, recommended flags)" ;;
    strangler-canary) echo "**gateway, strangler route, canary 50 %** (\`lb://\`, 1000 keys, recommended flags)" ;;
    gateway-plain-stock) echo "gateway, plain route, stock configuration (no tuning flags)" ;;
  esac
}
TABLE=""
for row in "${ROWS[@]}"; do
  IFS='|' read -r name rps p50 p99 cpu backend requests errors <<<"$row"
  # (the gap's rows have a table of their own, below)
  [[ $name == gap-* ]] && continue
  [ "$name" = direct ] && cpu="—"
  TABLE+="| $(label "$name") | $rps | $p50 | $p99 | $cpu | $backend |${errors:+ $errors}
"
done
STOCK_LINE=""
if [ -n "${RPS_gateway_plain_stock:-}" ]; then
  STOCK_LINE="- stock configuration, plain route: $(ratio "$RPS_gateway_plain_stock" "$RPS_nginx") of nginx's throughput, $(ratio "$CPU_gateway_plain_stock" "$CPU_nginx")x its CPU per request; the recommended flags vs stock: throughput $(percent "$RPS_gateway_plain" "$RPS_gateway_plain_stock"), CPU per request $(percent "$CPU_gateway_plain" "$CPU_gateway_plain_stock") (see the levers: at steady state the flags are worth about 5 %)."
fi
NGINX_VERSION=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')
WRK_VERSION=$( (wrk --version 2>&1 || true) | awk 'NR == 1 { print $2 }')
JDK_VERSION=$("$JAVA" -version 2>&1 | sed -n 1p)

cat > "$OUT" <<MD
# Gateway benchmark

Measured by \`benchmarks/gateway/run.sh\` on $(date -u +%Y-%m-%d) on this machine ($(nproc) cores,
$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), load average $LOAD_BEFORE before the run),
$JDK_VERSION, $NGINX_VERSION, wrk $WRK_VERSION.
wrk: $THREADS threads, $CONNECTIONS keep-alive connections, ${SECONDS_PER_RUN}s measured per row after a warm-up (3 s for
the nginx rows; for a gateway, ${JIT_WARMUP}s of load over its routes once started, then ${WARMUP}s right before each row),
GET of a fixed ${#BODY}-byte JSON from one nginx backend (1 worker). wrk, the proxy and the backend share
the $(nproc) cores, so throughput is the whole machine's; CPU per request (utime+stime of the proxy's own
processes over the measured run, divided by the requests) is the proxy's cost alone.
All figures come from one run; compare the ratios, not the absolute numbers.

| what | requests/s | p50 ms | p99 ms | proxy CPU µs/request | backend CPU µs/request |
|---|---|---|---|---|---|
$TABLE
Gateway JVM: \`$GATEWAY_JVM_OPTS${BENCH_EXTRA_JVM_OPTS:+ $BENCH_EXTRA_JVM_OPTS}\` (G1), the jar as built (\`java -jar\`);
recommended flags: \`${GATEWAY_TUNING[*]}${BENCH_EXTRA_GATEWAY_ARGS:+ $BENCH_EXTRA_GATEWAY_ARGS}\`.
The gateway runs standalone: no Eureka (\`lb://\` targets come from Spring Cloud's simple discovery
client), no bus, and a stub config server with no property sources (served by the backend nginx) so
that the \`configserver:\` import resolves; the routes are passed on its command line.
The canary route split the requests of its row (warm-up and measured run): ${CANARY_SPLIT:-?}.

- gateway (plain route) vs nginx: **$PLAIN_VS_NGINX of its throughput**, **${CPU_VS_NGINX}x its CPU per request**.
- strangler route (monolith mode) vs the plain route: throughput **$STRANGLER_RPS** (time per request $(percent "$RPS_gateway_plain" "$RPS_strangler_monolith")), CPU per request **$STRANGLER_CPU**.
- strangler route (canary 50 %) vs the plain route: throughput $CANARY_RPS, CPU per request $CANARY_CPU.
- $MTLS_LINE. Published anchor: Istio 1.20's sidecars add about 0.23 ms at p90 and 0.30 ms at p99
  at 1,000 requests/s (two proxies per hop, with mTLS); the rows here are at saturation (wrk
  sends as fast as the gateway answers), where latency is queueing, so the CPU per request is the
  comparable figure: TLS records on connections kept alive, handshakes only when a connection opens.
$STOCK_LINE

Targets (issue 4): the strangler features cost at most 20 % over a plain route (throughput and CPU
per request); the gateway toward 60 % of nginx's throughput. This run: **$VERDICT**.

Target (issue 23): the kit's gateway within 10 % of a bare Spring Cloud Gateway (its starter only,
one route, the same JDK and heap, warmed up the same way) in throughput and CPU per request. This
run: $BARE_VERDICT.

The strangler rows pay for what a plain route does not do: the target is resolved per request
through the load balancer (\`lb://\`; Spring Cloud's simple discovery client here, Eureka in the
kit), the route's Retry filter and request-body caching (so a failed request can be sent again),
the decision of the route's mode, and the \`strangler.requests\` timer. A plain route to the same
\`lb://\` target costs about what the strangler route costs (levers below): the load balancer, not
the kit's filters, is most of the difference.

## Levers tried (measured by hand, $LEVERS_DATE, same machine, same JVM and flags otherwise)

Steady state (after 60 s or more of load), gateway CPU µs per request, lower is better. On this
shared 2-core machine the same configuration varies by about ±10 % between runs, so only a change
larger than that counts. Cumulative, one gateway at a time:

| configuration | plain route | strangler route | plain route to \`lb://\` |
|---|---|---|---|
| stock (\`-Xms512m -Xmx512m\`, G1) | 331 | 364 | 361 |
| + \`management.observations.enable.all=false\` | 311 | 347 | 333 |
| + \`spring.cloud.gateway.server.webflux.metrics.enabled=false\` | 327 | 381 | 340 |
| + \`spring.cloud.gateway.server.webflux.observability.enabled=false\` | 314 | 444 | 427 |
| + \`spring.cloud.gateway.server.webflux.handler-mapping.order=-1\` | 315 | 355 | 396 |
| + \`spring.autoconfigure.exclude=…LogbackMetricsAutoConfiguration\` | 321 | 387 | 353 |
| + \`-Dio.netty.leakDetection.level=disabled\` | 320 | 417 | 361 |
| + \`-Dreactor.netty.ioWorkerCount=2\` (default 4 on 2 cores) | 343 | 374 | 386 |
| + \`-XX:+UseParallelGC\` | 351 | 394 | 338 |

No flag moves the gateway's steady state beyond the noise: observations off is the only one that
helped every time (about -5 %). In the benchmark's own runs the gap between the stock row and the
recommended one ranged from -40 % to +6 % of CPU per request over four runs: warm-up and this shared
machine's load, not the flags; ioWorkerCount=2 helped side by side with a stock gateway (-10 to -13 %) but not
in the cumulative run; GC threads use under 1 % of the gateway's CPU, so the collector does not
matter. What does matter are code changes, first measured with patched copies of the jar side by
side with the unpatched gateway, and since then in the kit (all but the body caching: \`GatewaySecurity\`,
\`TargetFilter\`); the rows above are measured with them:

| change (code, not flags) | plain route | strangler route |
|---|---|---|
| Spring Security's filter chain only on \`/actuator/**\` (\`securityMatcher\`) | -40 % CPU, +56 % req/s | -28 % CPU, +30 % req/s |
| \`strangler.requests\` timers cached, no re-targeting when the target is unchanged, no body caching for bodiless requests | — | -14 % CPU, +17 % req/s |
| the three together, on top of all the flags of the table above | -24 % CPU (286 → 218 µs) | -31 % CPU (340 → 233 µs) |
| for reference: a bare Spring Cloud Gateway (its starter only, one route, same JDK and heap) | ~150 µs, 8,200–8,400 req/s | |

So 60 % of nginx is out of reach for a Spring Cloud Gateway on this machine: the bare one reaches
about a third of nginx's throughput, at about 5x its CPU per request. The kit's gateway costs about
2.5x a bare one per request, mostly because every proxied request runs through Spring Security's
filter chain (matchers, authorization, header writers, and their debug messages built even though
debug logging is off) and per-request observations. With the code changes above the kit's gateway
reaches about a fifth of nginx's throughput here (0.08 before them, in the same benchmark), and the
strangler route stays within a few per cent of the plain one. Left to try: request-body caching only
for requests that have a body (a filter ahead of Spring Cloud Gateway's \`AdaptCachedBodyGlobalFilter\`),
and fewer per-request allocations in the route decision.

Warm-up: on 2 cores C2 needs about a minute of load (some 17 s of compiler CPU) before the gateway
reaches its steady state; in its first 10 s it serves about 230 req/s. The benchmark therefore warms
a gateway for ${JIT_WARMUP}s before its first row. Raw outputs: \`benchmarks/gateway/target/\` (wrk
outputs per row, the gateway logs and metrics, the nginx configurations).
MD
if [ ${#GAP_ROWS[@]} -gt 0 ]; then
  {
    echo
    echo "## The gap to a bare gateway, lever by lever (this run)"
    echo
    echo "The plain route on a fresh gateway for each row, warmed for ${JIT_WARMUP}s on that route alone as the bare"
    echo "one is; each lever added to those above it. Bare gateway: $RPS_bare requests/s, $CPU_bare µs CPU per request."
    [ -n "${BENCH_PROFILE:-}" ] && echo "(BENCH_PROFILE=1: the bare row ran under JFR, these rows did not: compare them with each other only.)"
    echo
    echo "| the kit's gateway, leaving out | requests/s | CPU µs/request | vs bare: throughput | vs bare: CPU per request |"
    echo "|---|---|---|---|---|"
    for row in "${GAP_ROWS[@]}"; do
      IFS='|' read -r name what <<<"$row"
      rps_var="RPS_gap_${name//-/_}" cpu_var="CPU_gap_${name//-/_}"
      echo "| $what | ${!rps_var} | ${!cpu_var} | $(percent "${!rps_var}" "$RPS_bare") | $(percent "${!cpu_var}" "$CPU_bare") |"
    done
    echo
    echo "What is left after the last row is what no flag turns off: Spring Security's firewall (every exchange is"
    echo "wrapped and its headers checked as they are read, before the chain that applies to '/actuator/**' only),"
    echo "the kit's own filters (the request size limit, the route decision), and the metrics. With BENCH_PROFILE=1"
    echo "the JFR profiles of the bare and the kit's plain row show where (target/*.hot.txt)."
  } >> "$OUT"
fi
echo "==> Written $OUT"
cat "$OUT"
