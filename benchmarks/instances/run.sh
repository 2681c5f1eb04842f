#!/usr/bin/env bash
# Order throughput with one and with two instances of the monolith, run on demand (not by the tests):
#   ./kit bench instances [orders] [clients]
# On the deployment before extraction (./kit up before: the monolith runs the whole saga), the same
# orders are placed through the gateway by a number of clients, each as fast as its orders are
# accepted, with one monolith (./kit scale monolith 1), with two (./kit scale monolith 2: the
# gateway balances between them), and with one again (so that a drift of the machine during the
# run shows). Each round first places a tenth as many orders unmeasured (the JIT warms up a new
# instance), then the measured ones; from the monolith's database, the orders ended per second from
# the first placed to the last ended, and from the clients, how fast they were accepted; from each
# instance's request metrics, its share. Writes benchmarks/results/instances.md.
#
# The landscape must be down or run the kit's default databases; it is left running with one
# monolith.
set -euo pipefail
KIT_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ORDERS=${1:-1500}
CLIENTS=${2:-8}
GATEWAY=http://127.0.0.1:8080
ADMIN=${KIT_ADMIN_USER:-admin}:${KIT_ADMIN_PASSWORD:-admin-secret}
DB=${SHOP_DB_NAME:-shop}
OUT=$KIT_HOME/benchmarks/results/instances.md
WORK=$KIT_HOME/benchmarks/instances/target
KIT=$KIT_HOME/kit
mkdir -p "$WORK"
sql() { psql -h 127.0.0.1 -U postgres -d "$DB" -tAc "$1"; }
now() { date +%s.%N; }

# one approved order of one item, with an Idempotency-Key of its own; prints the status
order() {
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 30 "$GATEWAY/api/orders" -H 'Content-Type: application/json' \
    -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" \
    -d "{\"customerId\": \"$CUSTOMER\", \"card\": \"4242424242424242\", \"lines\": [{\"productId\": \"00000000-0000-0000-0000-000000000001\", \"quantity\": 1}]}"
}
export -f order
export GATEWAY

# the machine's CPU time so far, busy and in all (jiffies, every core): /proc/stat's first line
cpu() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }

# how many order placements an instance has served (its request metrics)
placed_on() {
  curl -s -u "$ADMIN" "http://127.0.0.1:$1/actuator/prometheus" \
    | awk '/^http_server_requests_seconds_count\{/ && /method="POST"/ && /uri="\/api\/orders"/ { n += $NF } END { printf "%d", n }'
}

"$KIT" up before > "$WORK/up.log" 2>&1 || { tail -n 40 "$WORK/up.log" >&2; exit 1; }
curl -sf -o /dev/null -X PUT "$GATEWAY/api/inventory/00000000-0000-0000-0000-000000000001" \
  -H 'Content-Type: application/json' -d '{"available": 1000000}'

ROWS=()
# this run's orders are told apart from earlier runs' by their customer
RUN=$(date +%s)
round() { # NAME INSTANCES
  local name=$1 instances=$2 ports=(8081 8181)
  echo "== $name: ./kit scale monolith $instances"
  "$KIT" scale monolith "$instances" > "$WORK/$name.scale.log" 2>&1 || { tail -n 40 "$WORK/$name.scale.log" >&2; exit 1; }
  "$KIT" status > "$WORK/$name.status.log" 2>&1
  export CUSTOMER=bench-$RUN-$name-warm-up
  seq $((ORDERS / 10)) | xargs -P "$CLIENTS" -I{} bash -c order > "$WORK/$name.warm-up.codes"
  local before=() i
  for ((i = 0; i < instances; i++)); do before+=("$(placed_on "${ports[$i]}")"); done
  export CUSTOMER=bench-$RUN-$name
  local start end
  local cpu_start cpu_end
  start=$(now)
  cpu_start=$(cpu)
  seq "$ORDERS" | xargs -P "$CLIENTS" -I{} bash -c order > "$WORK/$name.codes"
  cpu_end=$(cpu)
  end=$(now)
  # how busy the cores were while the orders were placed (1.00: every core all the time)
  local busy
  busy=$(echo "$cpu_start $cpu_end" | awk '{ printf "%.2f", ($3 - $1) / ($4 - $2) }')
  until [ "$(sql "SELECT count(*) FROM orders.orders WHERE customer_id = '$CUSTOMER' AND status = 'PENDING'")" = 0 ]; do sleep 0.2; done
  local accepted ended seconds shares=()
  accepted=$(grep -c '^202$' "$WORK/$name.codes" || true)
  read -r ended seconds <<<"$(sql "SELECT count(*), extract(epoch FROM max(finished_at) - min(placed_at)) FROM orders.orders WHERE customer_id = '$CUSTOMER'" | tr '|' ' ')"
  for ((i = 0; i < instances; i++)); do shares+=("${ports[$i]}: $(( $(placed_on "${ports[$i]}") - before[i] ))"); done
  local accept_rate end_rate
  accept_rate=$(awk "BEGIN {printf \"%.1f\", $accepted / ($end - $start)}")
  end_rate=$(awk "BEGIN {printf \"%.1f\", $ended / $seconds}")
  echo "   $accepted of $ORDERS accepted ($accept_rate/s), $ended ended in $(printf %.1f "$seconds") s: $end_rate orders/s; placed on ${shares[*]}; cores busy $busy"
  ROWS+=("| $name | $instances | $accepted of $ORDERS | $accept_rate | $(printf %.1f "$seconds") | **$end_rate** | $busy | $(IFS=','; echo "${shares[*]}" | sed 's/,/, /g') |")
  eval "RATE_${name//-/_}=$end_rate"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
round one 1
round two 2
round one-again 1

cat > "$OUT" <<MD
# Order throughput with one and two monolith instances

\`benchmarks/instances/run.sh $ORDERS $CLIENTS\` (\`./kit bench instances\`) on $(date -u +%Y-%m-%d), deployment
\`before\` (the monolith runs the whole saga: orders, inventory, payments, notifications), this machine
($(nproc) cores, load average $LOAD_BEFORE before the run; every process and the $CLIENTS clients on them),
$("${JAVA_HOME:-/usr}/bin/java" -version 2>&1 | head -n 1). Each round: \`./kit scale monolith N\`,
$((ORDERS / 10)) orders unmeasured, then $ORDERS orders by $CLIENTS clients (curl, each order with an
Idempotency-Key, the next one as soon as it is accepted). Ended per second: from the first order
placed to the last one ended (\`finished_at\`, the monolith's database). Placed on: the order
placements each instance served, from its own request metrics (the gateway balances between them).
Cores busy: the machine's CPU time not idle while the orders were placed, over all of it
(\`/proc/stat\`; 1.00 is every core busy all the time).

| round | monolith instances | accepted | accepted/s | placed to last ended (s) | ended/s | cores busy | placed on (port: orders) |
|---|---:|---|---:|---:|---:|---:|---|
$(printf '%s\n' "${ROWS[@]}")

Two instances over one: $(awk "BEGIN {printf \"%.2f\", $RATE_two / $RATE_one}") (over the second one-instance round:
$(awk "BEGIN {printf \"%.2f\", $RATE_two / $RATE_one_again}")).

Read with the cores-busy column: it is the whole machine's, the clients' curl and bash included.
Near 1.00 with one instance, the machine has no CPU left for a second one, which then adds a second
JVM's own work (its JIT compiler, collector, pools and heartbeats) and the gateway's balancing; the
difference between one and two is within the run's noise (compare the two one-instance rounds).
The figure shows what several instances cost where they share cores, not what they gain where
each has its own (a pod per node). There the order saga's limits are the shared PostgreSQL and
RabbitMQ (benchmarks/results/outbox.md).
MD
echo "written: $OUT"
