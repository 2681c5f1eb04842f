#!/usr/bin/env bash
# Start-up time and memory of the landscape, run on demand (not by the tests):
#   ./kit bench landscape [lever...]
# For each lever (default: plain aot c1 kit; the list is below), in a state folder of its own (so that each records
# its own AOT cache, and the user's .kit/ is not touched): ./kit up after from nothing (the first
# start: jars extracted, the AOT cache recorded), ./kit status (each application's resident memory
# right after the start), ./kit down (which writes the cache), ./kit up after again (the warm
# start), status, down, then ./kit up before warm, status, down. Each application's start-up is the
# time until its health endpoint answers UP, as ./kit up prints it; the landscape's is ./kit up's
# whole run, tiers and the wait for Eureka included. Writes benchmarks/results/landscape.md; raw
# outputs under benchmarks/landscape/target/.
#
# The landscape must be down (the runs use the kit's ports and databases). All figures come from
# one run on a shared machine: compare the levers with each other, not with another run.
set -euo pipefail
KIT_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$KIT_HOME/benchmarks/results/landscape.md
WORK=$KIT_HOME/benchmarks/landscape/target
KIT=$KIT_HOME/kit

# the kit's JVM options before this benchmark chose levers (every application alike)
BASE="-XX:+UseSerialGC -Xms64m -Xmx384m -XX:+ExitOnOutOfMemoryError"
# name | what it changes | environment of ./kit for it
LEVERS=(
  "plain|no AOT cache: java -jar, $BASE|KIT_AOT=off KIT_JAVA_OPTS='$BASE' KIT_ROLE_JAVA_OPTS=off"
  "aot|the JDK's AOT cache (JEP 483/515), $BASE|KIT_JAVA_OPTS='$BASE' KIT_ROLE_JAVA_OPTS=off"
  "c1|AOT cache + -XX:TieredStopAtLevel=1 (C1 only) for every application|KIT_JAVA_OPTS='$BASE -XX:TieredStopAtLevel=1' KIT_ROLE_JAVA_OPTS=off"
  "compact|AOT cache + -XX:+UseCompactObjectHeaders (JEP 519)|KIT_JAVA_OPTS='$BASE -XX:+UseCompactObjectHeaders' KIT_ROLE_JAVA_OPTS=off"
  "lazy|AOT cache + lazy initialisation of every application's beans|KIT_JAVA_OPTS='$BASE' KIT_ROLE_JAVA_OPTS=off SPRING_MAIN_LAZYINITIALIZATION=true"
  "arena|AOT cache + C1 only + MALLOC_ARENA_MAX=2 (glibc's malloc arenas: 8 per core by default)|KIT_JAVA_OPTS='$BASE -XX:TieredStopAtLevel=1' KIT_ROLE_JAVA_OPTS=off MALLOC_ARENA_MAX=2"
  "kit|the kit's defaults: AOT cache, $BASE, C1 only but for the gateway (Landscape.javaOptions)|"
)
# by default the levers kept and their baselines; compact, lazy and arena were tried and dropped (below)
[ $# -gt 0 ] || set -- plain aot c1 kit

for port in 8888 8761 8081 8082 8083 8080; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is in use: stop the landscape first (./kit down)" >&2; exit 1
  fi
done
mkdir -p "$WORK"
"$KIT" build > "$WORK/build.log" 2>&1 || { tail -n 40 "$WORK/build.log" >&2; exit 1; }

# the runs' own copy of config-repo: the presets' routes and handoffs stay out of the working copy
rm -rf "$WORK/config-repo"
cp -r "$KIT_HOME/config-repo" "$WORK/config-repo"
# ./kit with a lever's environment and state folder: kit_with LEVER-ENV STATE ARGS...
kit_with() {
  local environment=$1 state=$2
  shift 2
  eval "env KIT_STATE='$state' KIT_CONFIG_REPO='$WORK/config-repo' $environment '$KIT' \"\$@\""
}

# NAME.up.log and NAME.status.log -> "app seconds MiB" lines, then "landscape seconds MiB"
figures() {
  local name=$1
  awk '/ is healthy on / { gsub(/[()]/, "", $(NF-1)); print $1, $(NF-1) }' "$WORK/$name.up.log" | sort > "$WORK/$name.times"
  awk '/MiB$/ && $1 != "total" { print $1, $(NF-1) }' "$WORK/$name.status.log" | sort > "$WORK/$name.memory"
  join "$WORK/$name.times" "$WORK/$name.memory" > "$WORK/$name.figures"
  local total memory
  total=$(sed -n 's/^The landscape is up (\([0-9.]*\) s).*/\1/p' "$WORK/$name.up.log")
  memory=$(sed -n 's/^total memory (resident): \([0-9]*\) MiB/\1/p' "$WORK/$name.status.log")
  echo "landscape ${total:-?} ${memory:-?}" >> "$WORK/$name.figures"
}

run() { # LEVER-ENV STATE NAME PRESET
  local environment=$1 state=$2 name=$3 preset=$4
  echo "==> $name: ./kit up $preset"
  kit_with "$environment" "$state" up "$preset" > "$WORK/$name.up.log" 2>&1 \
    || { tail -n 40 "$WORK/$name.up.log" >&2; kit_with "$environment" "$state" down > /dev/null 2>&1; exit 1; }
  kit_with "$environment" "$state" status > "$WORK/$name.status.log" 2>&1
  if [ "$preset" = after ]; then
    # the first route switch right after ./kit up: how long until the gateway applies it
    kit_with "$environment" "$state" route inventory shadow > "$WORK/$name.switch.log" 2>&1
    kit_with "$environment" "$state" route inventory service >> "$WORK/$name.switch.log" 2>&1
  fi
  kit_with "$environment" "$state" down > "$WORK/$name.down.log" 2>&1
  figures "$name"
  tail -n 1 "$WORK/$name.figures" | awk '{ print "    " $2 " s, " $3 " MiB" }'
}
# the seconds the gateway took to apply the first route switch of a run
switch() { sed -n 's/.*applied by the gateway in \([0-9.]*\) s.*/\1/p' "$WORK/$1.switch.log" 2>/dev/null | head -n 1; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
SELECTED=()
for wanted in "$@"; do
  found=
  for lever in "${LEVERS[@]}"; do
    IFS='|' read -r name what environment <<< "$lever"
    [ "$name" = "$wanted" ] || continue
    found=1
    SELECTED+=("$lever")
    state=$WORK/state-$name
    rm -rf "$state"
    run "$environment" "$state" "$name-after-first" after
    if [ "$name" != plain ]; then
      run "$environment" "$state" "$name-after-warm" after
    fi
    run "$environment" "$state" "$name-before-warm" before
  done
  [ -n "$found" ] || { echo "unknown lever '$wanted'" >&2; exit 1; }
done

# --- the results --------------------------------------------------------------------------------
cell() { awk -v app="$2" -v col="$3" '$1 == app { print $col; found = 1 } END { if (!found) print "-" }' "$WORK/$1.figures"; }
APPS=(config-server discovery monolith inventory-service notification-service gateway)
{
  cat <<MD
# Landscape benchmark: start-up time and memory

Measured by \`./kit bench landscape\` (\`benchmarks/landscape/run.sh\`) on $(date -u +%F) on this machine
($(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load average $LOAD_BEFORE before the run),
$("${JAVA_HOME:-/usr}/bin/java" -version 2>&1 | head -n 1).
Each lever in a state folder of its own: \`./kit up after\` from nothing (**first**: the jars
extracted and the AOT cache recorded; for \`plain\` there is no cache), then again after \`./kit down\`
(**warm**), then \`./kit up before\` (warm). Start-up: seconds until an application's health answers UP
(as \`./kit up\` prints it); the landscape's: the whole \`./kit up\` (tiers: config server, then
Eureka, then the rest side by side; then the wait until every application is UP in Eureka and in
the gateway's view). Memory: resident set (VmRSS) of each JVM right after the start (\`./kit status\`).
First route switch: \`./kit route inventory shadow\` right after the start, the seconds until the
gateway applies it (as \`./kit route\` prints it). Targets (issue 23): the six-application landscape
healthy in under 30 s from a warm \`./kit up\`, under 1,200 MiB resident in all, the first route
switch applied within 2 s.

## The landscape, per lever

| lever | what it changes | after, first start | after, warm start | after, memory (warm) | first route switch (warm) | before, warm start | before, memory |
|---|---|---|---|---|---|---|---|
MD
  for lever in "${SELECTED[@]}"; do
    IFS='|' read -r name what environment <<< "$lever"
    warm=$name-after-warm
    [ "$name" = plain ] && warm=$name-after-first
    echo "| \`$name\` | $what | $(cell "$name-after-first" landscape 2) s | $(cell "$warm" landscape 2) s | $(cell "$warm" landscape 3) MiB | $(switch "$warm") s | $(cell "$name-before-warm" landscape 2) s | $(cell "$name-before-warm" landscape 3) MiB |"
  done
  cat <<MD

## Per application, \`after\`, warm start: seconds to healthy / MiB resident

| lever | $(IFS='|'; echo "${APPS[*]}" | sed 's/|/ | /g') |
|---|$(for _ in "${APPS[@]}"; do printf -- '---|'; done)
MD
  for lever in "${SELECTED[@]}"; do
    IFS='|' read -r name what environment <<< "$lever"
    warm=$name-after-warm
    [ "$name" = plain ] && warm=$name-after-first
    row="| \`$name\` |"
    for app in "${APPS[@]}"; do row="$row $(cell "$warm" "$app" 2) s / $(cell "$warm" "$app" 3) MiB |"; done
    echo "$row"
  done
  cat <<MD

Tried and dropped (\`./kit bench landscape compact lazy\`, 2026-12-06, beside \`aot\` at 38.0 s and
1,800 MiB in the same run): \`compact\` (\`-XX:+UseCompactObjectHeaders\`) 40.6 s and 1,801 MiB, no
gain at this heap size; \`lazy\` (\`spring.main.lazy-initialization\`) 50.2 s and 1,758 MiB, slower
(the work moves to the first requests, after the AOT cache's training run), and on its next
start the gateway deadlocked: its main thread creating a lazy bean while the JVM's GC notification
thread resolved the lazy tracer for a Prometheus exemplar, each waiting for the other's lock.
\`arena\` (\`MALLOC_ARENA_MAX=2\` on top of \`c1\`, an earlier run of that day): 28.6 s and 1,485 MiB against
\`c1\`'s 26.0 s and 1,484 MiB, no gain. Eureka started beside the applications instead of before
them (every lever of that earlier run started so): \`kit\` 29.0 s, \`c1\` 26.0 s; the last application
was healthy after 16.2 s, and the rest was the wait for each to be UP in Eureka, since each one's
first registration failed and waited for the heartbeat that registers it again. Both dropped.

Raw outputs: \`benchmarks/landscape/target/\` (each run's \`./kit up\`, \`./kit status\`, \`./kit route\`
and \`./kit down\` output, and its figures).
MD
} > "$OUT"
echo "==> Written $OUT"
cat "$OUT"
