#!/usr/bin/env bash
# The outbox benchmark, run on demand (not by the tests): ./kit bench outbox [seconds] [threads] [rate]
# In one run, on this machine: the raw limits (PostgreSQL single-row insert commits/s with pgbench,
# RabbitMQ confirmed publishes/s with RabbitMQ's PerfTest) at the same concurrency, then the kit's
# outbox (sustained events/s, and commit-to-consumer latency at a fixed rate). Writes
# benchmarks/results/outbox.md, which the docs quote.
set -euo pipefail
KIT_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SECONDS_PER_PHASE=${1:-20}
THREADS=${2:-4}
RATE=${3:-500}
PG="-h ${SHOP_DB_HOST:-127.0.0.1} -p ${SHOP_DB_PORT:-5432} -U ${SHOP_DB_USER:-postgres}"
DB=${SHOP_BENCH_DB_NAME:-shop_bench}
VHOST=${SHOP_TEST_RABBIT_VHOST:-shop_test}
OUT=$KIT_HOME/benchmarks/results/outbox.md
WORK=$KIT_HOME/benchmarks/outbox/target
cd "$KIT_HOME/benchmarks/outbox"
mkdir -p "$WORK"

echo "==> Building the benchmark"
# (clean: a repackaged jar left from an earlier build can keep an old kit-messaging)
(cd "$KIT_HOME" && mvn -B -q -ntp -Pbenchmarks -pl benchmarks/outbox -am clean package -DskipTests)
mvn -B -q -ntp -f perftest/pom.xml dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt"

echo "==> Fresh database $DB and queue bench-consumer"
# (a queue left from an earlier run would hand the new run old messages)
rabbitmqctl -q delete_queue -p "$VHOST" bench-consumer >/dev/null 2>&1 || true
rabbitmqctl -q delete_queue -p "$VHOST" bench-consumer.dlq >/dev/null 2>&1 || true
psql $PG -d postgres -qc "DROP DATABASE IF EXISTS $DB" -qc "CREATE DATABASE $DB"
psql $PG -d "$DB" -qc "CREATE TABLE bench_insert (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())"
echo "INSERT INTO bench_insert (payload) VALUES ('an event of about three hundred bytes');" > "$WORK/insert.sql"

PGBENCH=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -n 1)
echo "==> PostgreSQL: single-row insert commits, $THREADS clients, ${SECONDS_PER_PHASE}s"
"$PGBENCH" $PG -n -c "$THREADS" -j "$THREADS" -T "$SECONDS_PER_PHASE" -f "$WORK/insert.sql" "$DB" > "$WORK/pgbench.txt" 2>&1
PG_TPS=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$WORK/pgbench.txt" | tail -n 1)
echo "    $PG_TPS commits/s"

echo "==> RabbitMQ: confirmed publishes (PerfTest), $THREADS producers, ${SECONDS_PER_PHASE}s"
"$JAVA_HOME/bin/java" -cp "$(cat "$WORK/classpath.txt")" com.rabbitmq.perf.PerfTest \
  --uri "amqp://guest:guest@${SHOP_RABBIT_HOST:-127.0.0.1}:5672/$VHOST" -x "$THREADS" -y 1 -s 300 \
  --confirm 64 -f persistent -z "$SECONDS_PER_PHASE" --queue bench-perftest --auto-delete true --id perftest \
  > "$WORK/perftest.txt" 2>&1
DEBEZIUM=$(sed -n 's/.*<debezium.version>\(.*\)<\/debezium.version>.*/\1/p' "$KIT_HOME/pom.xml")
RABBIT_RATE=$(sed -n 's/.*sending rate avg: \([0-9]*\) msg\/s.*/\1/p' "$WORK/perftest.txt" | tail -n 1)
echo "    $RABBIT_RATE confirmed publishes/s"

# The outbox's JVM runs with the options ./kit gives the applications (Kit.DEFAULT_JAVA_OPTIONS),
# and warms up for 30 s first: after a 5 s warm-up, the JIT compiler still took 40 % of the JVM's
# CPU in the measured phase.
OUTBOX_JAVA_OPTS=${OUTBOX_JAVA_OPTS:--XX:+UseSerialGC -Xms64m -Xmx384m}
WARMUP=${OUTBOX_WARMUP_SECONDS:-30}
echo "==> The kit's outbox ($OUTBOX_JAVA_OPTS; ${WARMUP}s warm-up)"
"$JAVA_HOME/bin/java" $OUTBOX_JAVA_OPTS -jar "$WORK"/outbox-benchmark-*.jar --threads="$THREADS" --seconds="$SECONDS_PER_PHASE" \
  --rate="$RATE" --warmup="$WARMUP" --out="$WORK/outbox-benchmark.properties" > "$WORK/outbox-benchmark.log" 2>&1 \
  || { tail -n 40 "$WORK/outbox-benchmark.log"; exit 1; }
prop() { sed -n "s/^$1=//p" "$WORK/outbox-benchmark.properties"; }
EVENTS=$(prop sustained.events_per_second)

# The same work with the raw clients and no framework (RawPathBenchmark): the ceiling for any
# outbox on this machine. Runs after the outbox, whose table it copies.
echo "==> The raw path (JDBC and RabbitMQ's client, no framework; ${WARMUP}s warm-up)"
"$JAVA_HOME/bin/java" $OUTBOX_JAVA_OPTS -Dloader.main=dev.stranglerkit.benchmarks.outbox.RawPathBenchmark \
  -cp "$(ls "$WORK"/outbox-benchmark-*.jar)" org.springframework.boot.loader.launch.PropertiesLauncher \
  --threads="$THREADS" --seconds="$SECONDS_PER_PHASE" --warmup="$WARMUP" --out="$WORK/raw-path.properties" \
  > "$WORK/raw-path.log" 2>&1 || { tail -n 40 "$WORK/raw-path.log"; exit 1; }
RAW=$(sed -n 's/^raw.events_per_second=//p' "$WORK/raw-path.properties")
echo "    $RAW events/s"

# The same outbox with the CDC relay (kit.messaging.relay: cdc): Debezium reads the committed
# publications from PostgreSQL's write-ahead log (wal_level = logical, which ./kit bench sets).
# Its slot is dropped afterwards: an abandoned slot keeps the log.
echo "==> The kit's outbox with the CDC relay (${WARMUP}s warm-up)"
"$JAVA_HOME/bin/java" $OUTBOX_JAVA_OPTS -jar "$WORK"/outbox-benchmark-*.jar --threads="$THREADS" --seconds="$SECONDS_PER_PHASE" \
  --rate="$RATE" --warmup="$WARMUP" --out="$WORK/outbox-cdc-benchmark.properties" --kit.messaging.relay=cdc \
  > "$WORK/outbox-cdc-benchmark.log" 2>&1 || { tail -n 40 "$WORK/outbox-cdc-benchmark.log"; exit 1; }
psql $PG -d "$DB" -qtAc "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '$DB'" >/dev/null
cdc() { sed -n "s/^$1=//p" "$WORK/outbox-cdc-benchmark.properties"; }
CDC_EVENTS=$(cdc sustained.events_per_second)
echo "    $CDC_EVENTS events/s"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
cpu() { echo "JVM $($1 cpu.jvm_us_per_event) µs, PostgreSQL $($1 cpu.postgres_us_per_event) µs, RabbitMQ $($1 cpu.rabbitmq_us_per_event) µs"; }
VERDICT=$(awk -v e="$EVENTS" -v pg="$PG_TPS" -v raw="$RAW" -v p99="$(prop latency.p99_ms)" 'BEGIN {
  t = (e >= pg / 2) ? "met" : "NOT met"; l = (p99 < 50) ? "met" : "NOT met";
  printf "throughput target %s (%.2f of the PostgreSQL rate; the raw path reached %.2f of it); latency target %s (p99 %s ms)", t, e / pg, raw / pg, l, p99 }')

cat > "$OUT" <<MD
# Outbox benchmark

Measured by \`./kit bench outbox\` on $(date -u +%Y-%m-%d) on this machine ($(nproc) cores,
$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1),
$(psql $PG -d postgres -tAc 'SHOW server_version' | cut -d' ' -f1 | sed 's/^/PostgreSQL /'), RabbitMQ $(rabbitmqctl -q version 2>/dev/null || echo '?')).
All figures come from one run, so they share the machine's load; compare the ratios, not the absolute numbers.

| what | figure | ratio |
|---|---|---|
| PostgreSQL single-row insert commits/s, $THREADS clients (pgbench) | $PG_TPS | 1 |
| RabbitMQ confirmed persistent publishes/s, $THREADS producers (PerfTest $(basename "$(tr ':' '\n' < "$WORK/classpath.txt" | grep perf-test)" .jar | sed 's/perf-test-//')) | $RABBIT_RATE | |
| the raw path: the same work with the raw clients, no framework (\`RawPathBenchmark\`), $THREADS producer threads | $RAW | $(ratio "$RAW" "$PG_TPS") of PostgreSQL |
| **outbox: sustained events/s**, $THREADS producer threads, one event per transaction, counted once consumed and its publication completed | **$EVENTS** | $(ratio "$EVENTS" "$PG_TPS") of PostgreSQL, $(ratio "$EVENTS" "$RABBIT_RATE") of RabbitMQ, $(ratio "$EVENTS" "$RAW") of the raw path |
| **outbox: commit-to-consumer latency at $RATE events/s** ($(prop latency.count) messages received for $((RATE * SECONDS_PER_PHASE)) events, open model, from the moment each event was due) | p50 **$(prop latency.p50_ms) ms**, p90 $(prop latency.p90_ms) ms, p99 **$(prop latency.p99_ms) ms**, p99.9 $(prop latency.p999_ms) ms, max $(prop latency.max_ms) ms | |
| outbox: CPU per event of the sustained phase | $(cpu prop) | |
| **CDC relay: sustained events/s**, the same work, the events read from the write-ahead log (Debezium $DEBEZIUM) | **$CDC_EVENTS** | $(ratio "$CDC_EVENTS" "$PG_TPS") of PostgreSQL, $(ratio "$CDC_EVENTS" "$EVENTS") of the outbox relay |
| **CDC relay: commit-to-consumer latency at $RATE events/s** ($(cdc latency.count) messages received) | p50 **$(cdc latency.p50_ms) ms**, p90 $(cdc latency.p90_ms) ms, p99 **$(cdc latency.p99_ms) ms**, p99.9 $(cdc latency.p999_ms) ms, max $(cdc latency.max_ms) ms | |
| CDC relay: CPU per event of the sustained phase (PostgreSQL's includes the walsender's decoding) | $(cpu cdc) | |

Targets (issue 3): at least half the PostgreSQL commit rate; p99 under 50 ms at 500 events/s.
This run: **$VERDICT**.

How it works: each producer transaction writes one row to Spring Modulith's event publication
registry (the outbox); after the commit the kit's relay (on a virtual thread of its own per
event) makes the message, and one publisher thread sends whatever has queued up on one channel,
with publisher confirms and \`mandatory\`; the registry marks the publication complete when the
broker has confirmed and routed it. The completions are written in shared transactions by the
kit's group commit, and the processing mark is written only for a publication still in flight
after a second, so an event costs one insert in the business transaction, one confirmed
publish, and a share of a batched update. The outbox's JVM ($OUTBOX_JAVA_OPTS, as \`./kit\`
runs the applications) warms up for ${WARMUP} s first, and the consumer runs in the same JVM.

Read the outbox's rate against the raw path more than against the raw rates: pgbench and
PerfTest each measure one server with a client that does nothing else, while an event costs
work in PostgreSQL (an insert and an update of Modulith's table, with its three indexes), in
RabbitMQ (a persistent publish, its confirm, the delivery and the ack) and in the JVM, all on the
same two cores. The raw path does that same work with the raw clients and no framework.
The CDC relay does the same work differently: the business transaction writes the same row
(the relay's own publication, in one insert), PostgreSQL's walsender decodes it from the log for
the relay's slot (an insert-only publication, filtered to the relay's rows), Debezium's embedded
engine hands it over in batches, and the relay sends each batch through the same confirming
transport, completes its publications in one update, and only then moves its position on. CPU
per event is read from /proc for this JVM, every PostgreSQL process and RabbitMQ's runtime, over
the sustained phase.
Raw outputs: \`benchmarks/outbox/target/\` (pgbench.txt, perftest.txt,
outbox-benchmark.log, raw-path.log, outbox-cdc-benchmark.log).
MD
echo "==> Written $OUT"
cat "$OUT"
