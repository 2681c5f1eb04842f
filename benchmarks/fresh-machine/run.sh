#!/usr/bin/env bash
# The README's commands on a fresh machine, run on demand (not by the tests, never in CI):
#   ./kit bench fresh-machine [suite]        (suite: trixie, the default, or bookworm)
# A minimal Debian (debootstrap --variant=minbase: no JDK, no Maven, no PostgreSQL, no RabbitMQ,
# no browser) in a folder, run in a network namespace, a PID, mount, UTS and IPC namespace and a
# chroot of its own, so that nothing the kit installs or starts there touches this machine. In it,
# from a fresh clone of this repository's last commit, as root (as on a new server): ./kit up
# (which installs what is missing, builds and starts the landscape), ./kit status, ./kit test with
# one test class (which installs the browser the console's test needs), ./kit down, in one session
# (the servers and the landscape live as long as it does). Times each command and writes
# benchmarks/results/fresh-machine.md; the whole output is in benchmarks/fresh-machine/target/.
#
# On bookworm (Debian 12, which has no JDK 21+ package), ./kit up must install the rest and stop
# with the way to a JDK; the check passes when it does, and writes fresh-machine-bookworm.md.
#
# The namespace reaches only Debian's mirror and Maven Central: one socat forwarder per host on
# the host's side of a veth pair, and /etc/hosts entries inside. Needs root, debootstrap, socat,
# iproute2 and util-linux (unshare), about 2 GiB in /tmp. The root is deleted at the end, once
# nothing is mounted in it; the debootstrapped base is kept in /tmp for the next run
# (FRESH_REBUILD=1 makes it again).
set -euo pipefail
KIT_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SUITE=${1:-trixie}
MIRROR=${FRESH_MIRROR:-http://deb.debian.org/debian}
HOSTS=(deb.debian.org repo.maven.apache.org)
BASE=/tmp/kit-fresh-$SUITE.base
ROOT=/tmp/kit-fresh-$SUITE.root
NS=kitfresh
WORK=$KIT_HOME/benchmarks/fresh-machine/target
OUT=$KIT_HOME/benchmarks/results/fresh-machine.md
# A network that intercepts TLS (as this project's machines' does) has its own CA, which every
# machine there trusts; a fresh one gets it the way such a network's machines do, in the
# system's store before anything is installed.
CA=${FRESH_CA:-/etc/ssl/certs/sandboxing-egress-ca.pem}
# the one test class ./kit test runs in the root (the whole suite takes most of an hour)
TEST_ARGS=(-pl monolith -am -Dtest=ModularityTests -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=none -Dfailsafe.failIfNoSpecifiedTests=false)

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
fail() { printf '\033[31mfresh-machine: %s\033[0m\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "needs root (debootstrap, a network namespace, chroot)"
for tool in debootstrap socat ip unshare chroot findmnt; do
  command -v "$tool" >/dev/null || fail "needs $tool: apt-get install -y debootstrap socat iproute2 util-linux"
done
case "$SUITE" in trixie|bookworm) ;; *) fail "suite: trixie or bookworm" ;; esac
mkdir -p "$WORK"

if [ ! -x "$BASE/bin/bash" ] || [ -n "${FRESH_REBUILD:-}" ]; then
  rm -rf "$BASE"
  say "debootstrap --variant=minbase $SUITE $BASE (the fresh machine; made once, kept for the next run)"
  start=$SECONDS
  debootstrap --variant=minbase "$SUITE" "$BASE" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
    || { tail -n 20 "$WORK/debootstrap.log" >&2; fail "debootstrap failed (whole log: $WORK/debootstrap.log)"; }
  echo $((SECONDS - start)) > "$BASE.seconds"
fi

FORWARDERS=()
cleanup() {
  set +e
  [ ${#FORWARDERS[@]} -eq 0 ] || kill "${FORWARDERS[@]}" 2>/dev/null
  ip netns del "$NS" 2>/dev/null
  ip link del kf0 2>/dev/null
  if [ -d "$ROOT" ]; then
    # (the chroot's mounts live in its own mount namespace, gone with its last process; never
    # delete through one that is still there)
    if findmnt -rno TARGET | grep "^$ROOT" >/dev/null; then
      echo "fresh-machine: something is still mounted under $ROOT; left in place" >&2
    else
      rm -rf --one-file-system "$ROOT"
    fi
  fi
}
cleanup
trap cleanup EXIT

say "A copy of the base, the egress CA, a fresh clone of this repository in /root/strangler-kit"
cp -a "$BASE" "$ROOT"
if [ -f "$CA" ]; then
  mkdir -p "$ROOT/usr/local/share/ca-certificates"
  cp "$CA" "$ROOT/usr/local/share/ca-certificates/network-ca.crt"
fi
git clone -q "$KIT_HOME" "$ROOT/root/strangler-kit"
echo "nameserver 127.0.0.1" > "$ROOT/etc/resolv.conf"
printf '127.0.0.1 localhost\n127.0.1.1 kitfresh\n' > "$ROOT/etc/hosts"

say "Network namespace $NS: 10.231.0.2, reaching ${HOSTS[*]} only"
ip netns add "$NS"
ip link add kf0 type veth peer name kf1
ip link set kf1 netns "$NS"
ip addr add 10.231.0.1/24 dev kf0
ip link set kf0 up
ip netns exec "$NS" ip addr add 10.231.0.2/24 dev kf1
ip netns exec "$NS" ip link set kf1 up
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" ip route add default via 10.231.0.1
address=10
for host in "${HOSTS[@]}"; do
  target=$(getent ahostsv4 "$host" | awk 'NR == 1 { print $1 }')
  [ -n "$target" ] || fail "cannot resolve $host on this machine"
  ip addr add "10.231.0.$address/24" dev kf0
  for port in 80 443; do
    socat "TCP-LISTEN:$port,bind=10.231.0.$address,fork,reuseaddr" "TCP:$target:$port" &
    FORWARDERS+=($!)
  done
  echo "10.231.0.$address $host" >> "$ROOT/etc/hosts"
  address=$((address + 1))
done

# The commands, in one session of the fresh machine (the servers and the landscape that ./kit up
# starts live as long as it does), as root in /root/strangler-kit; each between markers
cat > "$ROOT/root/check.sh" <<SCRIPT
cd /root/strangler-kit
run() { local name=\$1; shift; echo "@@ begin \$name"; "\$@"; local status=\$?; echo "@@ end \$name \$status"; return \$status; }
run up ./kit up || exit 1
[ "$SUITE" = bookworm ] && exit 0
run status ./kit status || exit 1
run test ./kit test ${TEST_ARGS[*]} || exit 1
run down ./kit down
SCRIPT

say "In the fresh machine: ./kit up, ./kit status, ./kit test (one test class), ./kit down"
start=$SECONDS
set +e
ip netns exec "$NS" unshare --mount --uts --ipc --pid --fork --kill-child bash -c '
  set -e
  root=$1
  mount --make-rprivate /
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  mount -t tmpfs -o size=512m tmpfs "$root/dev/shm"
  mount -t sysfs sysfs "$root/sys"
  mount -t tmpfs tmpfs "$root/tmp"
  hostname kitfresh
  exec chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin bash /root/check.sh
' _ "$ROOT" 2>&1 | while IFS= read -r line; do printf '%4d s  %s\n' $((SECONDS - start)) "$line"; done | tee "$WORK/check.log"
set -e
log=$WORK/check.log
# the seconds into the check of the first line matching PATTERN
at() { grep -m 1 -E "$1" "$log" | awk '{ print $1 }'; }
took() { echo $(($(at "@@ end $1 ") - $(at "@@ begin $1$"))); }
ended() { grep -qE "@@ end $1 0$" "$log"; }
plain() { sed -E 's/\x1b\[[0-9;]*m//g; s/^ *[0-9]+ s  //'; }

if [ "$SUITE" = bookworm ]; then
  grep -q "apt offers no JDK 21+ on this system" "$log" || fail "./kit up on bookworm did not stop for want of a JDK 21+ package (see $log)"
  {
    echo "# A fresh Debian 12: ./kit up names the way to a JDK 21+"
    echo
    echo "Written by \`./kit bench fresh-machine bookworm\` ($(date -u +%F)). Debian 12 has no JDK 21+ package;"
    echo "\`./kit up\` installed what apt has and stopped after $(took up) s with:"
    echo
    echo '```text'
    grep -E "==>|kit:" "$log" | plain
    echo '```'
  } > "${OUT%.md}-bookworm.md"
  say "bookworm: ./kit up installed what apt has and named the way to a JDK 21+ ($(took up) s)"
  exit 0
fi

for step in up status test down; do ended "$step" || fail "./kit $step failed in the fresh machine (see $log)"; done
grep -q " UP" <(sed -n '/@@ begin status/,/@@ end status/p' "$log") || fail "./kit status shows no application UP"

up=$(took up)
installing=$(($(at "Setting PostgreSQL's wal_level|Creating database|Starting PostgreSQL") - $(at "Installing ")))
building=$(($(at "built in ") - $(at "==>.*Building ")))
{
  echo "# From a fresh machine to a running landscape"
  echo
  echo "Written by \`./kit bench fresh-machine\` ($(date -u +%F), on $(nproc) cores). The machine: Debian $SUITE made with"
  echo "\`debootstrap --variant=minbase\` (no JDK, Maven, PostgreSQL, RabbitMQ or browser), in namespaces and a chroot"
  echo "of its own, reaching only Debian's mirror and Maven Central. In it, as root, from a fresh clone:"
  echo
  echo "| command | seconds | of which |"
  echo "|---|---|---|"
  echo "| \`./kit up\`: from nothing to a running landscape | $up | installing with apt-get $installing s; the first build, Maven's downloads included, $building s; the rest (PostgreSQL, RabbitMQ, the databases, six applications started, each recording its AOT cache) $((up - installing - building)) s |"
  echo "| \`./kit status\` | $(took status) | |"
  echo "| \`./kit test ${TEST_ARGS[*]}\` | $(took test) | installs Chromium and its driver, builds and runs one test class |"
  echo "| \`./kit down\` | $(took down) | writes each application's AOT cache |"
  echo
  echo "The debootstrap itself (not counted above): $(cat "$BASE.seconds" 2>/dev/null || echo '?') s. On Debian 12, which has"
  echo "no JDK 21+ package, \`./kit up\` installs the rest and names the way to a JDK: \`./kit bench fresh-machine bookworm\`"
  echo "([its run](fresh-machine-bookworm.md))."
  echo
  echo "What \`./kit up\` said (its steps; the whole output is in benchmarks/fresh-machine/target/check.log):"
  echo
  echo '```text'
  sed -n '/@@ begin up/,/@@ end up/p' "$log" | grep -E "==>|\[[0-9]+/[0-9]+\]|built in|is healthy|http://" | grep -vE "  (Get|Hit):[0-9]+ " | sed -E 's/\x1b\[[0-9;]*m//g'
  echo '```'
  echo
  echo "\`./kit status\`:"
  echo
  echo '```text'
  sed -n '/@@ begin status/,/@@ end status/p' "$log" | grep -v "@@" | plain
  echo '```'
} > "$OUT"
say "From a fresh machine to a running landscape: $up s (figures: $OUT)"
