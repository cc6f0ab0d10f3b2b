#!/usr/bin/env bash
# The Jepsen-style smoke suite for CI: partition, kill, pause, storage-fault, membership, mixed and
# follower reads, a store at its space quota, and the two sensitivity tests and their control, each about 40-90 s of load, on real node processes in network namespaces.
# Run it after the build (`./mvnw -B verify` at the root builds the server and this module).
#
#   jepsen/ci.sh                      the smoke suite
#   jepsen/ci.sh --seed 42            the same with a chosen seed
#
# Prints one line per scenario and then `jepsen: N passed, N failed`; exits non-zero when a
# scenario failed. Needs root (ip netns, iptables). Without root or network namespaces it skips
# loudly, and fails when CI=true. Results: jepsen/target/results/<scenario>-<timestamp>/.
set -euo pipefail
cd "$(dirname "$0")"

# Everything the harness creates is named dj*: remove it whatever happens, also if the JVM dies.
cleanup() {
    if command -v ip >/dev/null 2>&1; then
        for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^dj' || true); do
            pids=$(ip netns pids "$ns" 2>/dev/null || true)
            [ -n "$pids" ] && kill -9 $pids 2>/dev/null || true
            ip netns del "$ns" 2>/dev/null || true
        done
        ip link del djh0 2>/dev/null || true
    fi
}

skip_or_fail() {
    echo "jepsen: cannot run here: $1" >&2
    if [ "${CI:-}" = "true" ]; then
        echo "jepsen: 0 passed, 1 failed"
        exit 1
    fi
    echo "jepsen: SKIPPED (not CI); run as root on Linux with iproute2 and iptables" >&2
    exit 0
}

[ "$(id -u)" = "0" ] || skip_or_fail "the harness needs root (network namespaces, iptables)"
# A fresh machine may lack the tools: install them the way mvnw installs Maven (system packages).
if ! command -v iptables >/dev/null 2>&1 || ! command -v ip >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        echo "jepsen: installing iptables and iproute2 with apt-get" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iptables iproute2 >/dev/null
    fi
fi
command -v iptables >/dev/null 2>&1 || skip_or_fail "iptables is missing"
ip netns list >/dev/null 2>&1 || skip_or_fail "ip netns does not work"

if [ ! -d target/classes ] || [ ! -d target/lib ] || ! ls ../modules/server/target/duet-server-*.jar >/dev/null 2>&1; then
    echo "jepsen: not built: run ./mvnw -B verify (or ./mvnw -B -pl modules/server,jepsen -am package) first" >&2
    echo "jepsen: 0 passed, 1 failed"
    exit 1
fi

trap cleanup EXIT INT TERM
cleanup

rc=0
# Bounded: thirteen scenarios take about 17 minutes here; a hung harness is killed after 25.
timeout --kill-after=30s 1500s java -Xmx2g -cp "target/classes:target/lib/*" clojure.main \
    -m duet.jepsen.cli smoke "$@" | tee target/smoke.log || rc=$?
if ! grep -q '^jepsen: [0-9]* passed, [0-9]* failed' target/smoke.log; then
    echo "jepsen: 0 passed, 1 failed (the harness did not finish, exit $rc)"
    [ "$rc" -ne 0 ] || rc=1
fi
exit "$rc"
