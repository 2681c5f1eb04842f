#!/usr/bin/env bash
# The backlog drain after a broker outage, run on demand (not by the tests):
#   ./kit bench drain [outage-seconds] [orders-per-second]
# On the deployment after extraction (./kit up after), RabbitMQ's application is stopped
# (rabbitmqctl stop_app: every connection dropped, the port closed) and orders are placed through
# the gateway at a fixed rate for the outage: each is accepted (202; its events wait in the outbox)
# and stays PENDING. Then RabbitMQ is started, and the drain is read from the monolith's database:
# from the moment the broker was back until the last of those orders ended (finished_at), in
# orders/s. For comparison, in the same run: as many orders placed with the broker up, as fast as
# eight clients get them accepted, and the saga throughput that came of it (orders ended per second
# from the first placed to the last ended). Writes benchmarks/results/drain.md.
set -euo pipefail
KIT_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUTAGE=${1:-60}
RATE=${2:-10}
GATEWAY=http://127.0.0.1:8080
DB=${SHOP_DB_NAME:-shop}
OUT=$KIT_HOME/benchmarks/results/drain.md
WORK=$KIT_HOME/benchmarks/drain/target
mkdir -p "$WORK"
sql() { psql -h 127.0.0.1 -U postgres -d "$DB" -tAc "$1"; }
now() { date +%s.%N; }

# one approved order of one item, with an Idempotency-Key of its own; prints the status
order() {
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 "$GATEWAY/api/orders" -H 'Content-Type: application/json' \
    -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" \
    -d '{"customerId": "c-drain", "card": "4242424242424242", "lines": [{"productId": "00000000-0000-0000-0000-000000000001", "quantity": 1}]}'
}
export -f order
export GATEWAY

restore_broker() { rabbitmqctl -q start_app >/dev/null 2>&1 || true; }
trap restore_broker EXIT

"$KIT_HOME/kit" up after
curl -sf -o /dev/null -X PUT "$GATEWAY/api/inventory/00000000-0000-0000-0000-000000000001" \
  -H 'Content-Type: application/json' -d '{"available": 1000000}'
until [ "$(sql "SELECT count(*) FROM orders.orders WHERE status = 'PENDING'")" = 0 ]; do sleep 1; done

echo "== RabbitMQ stopped; $RATE orders/s for $OUTAGE s"
outage_start=$(sql "SELECT now()")
rabbitmqctl -q stop_app
: > "$WORK/outage.codes"
for ((i = 0; i < OUTAGE * RATE; i++)); do
  order >> "$WORK/outage.codes" &
  sleep "$(awk "BEGIN {print 1 / $RATE}")"
done
wait
backlog=$(sql "SELECT count(*) FROM orders.orders WHERE placed_at >= '$outage_start'")
published_backlog=$(sql "SELECT count(*) FROM public.event_publication WHERE completion_date IS NULL")
echo "== $backlog orders accepted during the outage ($(grep -c '^202$' "$WORK/outage.codes") answered 202), $published_backlog publications waiting; RabbitMQ started"
rabbitmqctl -q start_app
back=$(sql "SELECT now()")
until [ "$(sql "SELECT count(*) FROM orders.orders WHERE placed_at >= '$outage_start' AND status = 'PENDING'")" = 0 ]; do sleep 0.2; done
drain=$(sql "SELECT extract(epoch FROM max(finished_at) - '$back'::timestamptz) FROM orders.orders WHERE placed_at >= '$outage_start'")
drain_rate=$(awk "BEGIN {printf \"%.1f\", $backlog / $drain}")
echo "== drained in ${drain} s: $drain_rate orders/s"

echo "== the same number of orders with RabbitMQ up, eight clients"
sustained_start=$(sql "SELECT now()")
seq "$backlog" | xargs -P 8 -I{} bash -c order > "$WORK/sustained.codes"
until [ "$(sql "SELECT count(*) FROM orders.orders WHERE placed_at >= '$sustained_start' AND status = 'PENDING'")" = 0 ]; do sleep 0.2; done
read -r sustained_n sustained_s <<<"$(sql "SELECT count(*), extract(epoch FROM max(finished_at) - min(placed_at)) FROM orders.orders WHERE placed_at >= '$sustained_start'" | tr '|' ' ')"
sustained_rate=$(awk "BEGIN {printf \"%.1f\", $sustained_n / $sustained_s}")
echo "== sustained: $sustained_n orders ended in $sustained_s s: $sustained_rate orders/s"

cat > "$OUT" <<MD
# Backlog drain after a broker outage

\`benchmarks/drain/run.sh $OUTAGE $RATE\` (\`./kit bench drain\`) on $(date -u +%Y-%m-%d), deployment \`after\`, this
machine ($(nproc) cores, every process and the clients on them).

| | orders | seconds | orders/s |
|---|---:|---:|---:|
| accepted while RabbitMQ was stopped ($OUTAGE s at $RATE/s), ended after it was back | $backlog | $(printf %.1f "$drain") | **$drain_rate** |
| the same number with RabbitMQ up, eight clients (placed to ended) | $sustained_n | $(printf %.1f "$sustained_s") | $sustained_rate |

Drain over sustained: $(awk "BEGIN {printf \"%.2f\", $drain_rate / $sustained_rate}"). Each order is a
saga of five messages between three processes (OrderPlaced, StockReserved, PaymentCompleted,
OrderConfirmed, and the notification), so the outboxes publish about five times these rates.
MD
echo "written: $OUT"
