#!/usr/bin/env bash
# side-by-side.sh — the one command behind docs/benchmarks.md (about 38 minutes):
#   Duet vs etcd 3.4 vs a no-op gRPC service, 3-member clusters on loopback, systems alternating:
#   puts at clients/conns 1/1, 16/4, 64/8, 256/16; linearizable reads from the leader and from a
#   follower, serializable reads and a 90/10 read/write mix at 1/1, 64/8, 256/16; then the engine
#   vs RocksDB (sync=true) vs the naive one-fsync-per-write log at 1-256 writers. Tables (results.md), JSON, logs and PNG charts
#   go to the output directory (default docs/benchmarks/<UTC date>).
#
#   modules/bench/side-by-side.sh [--no-build] [--out DIR] [OPTIONS...]
#   modules/bench/side-by-side.sh --help      the options (shapes, rounds, durations, systems, ...)
#
# Installs Debian's etcd-server when no etcd is on PATH (as root, with apt-get).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jars="$root/modules/bench/target"

build=1
out=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
[ -n "$out" ] || out="$root/docs/benchmarks/$(date -u +%Y-%m-%d)"

install_etcd() {
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "side-by-side: no etcd on PATH; install etcd 3.4 (Debian: apt-get install etcd-server) and retry" >&2
    exit 1
  fi
  echo "side-by-side: installing etcd-server (Debian's etcd 3.4)..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null
  # The package may start a system etcd on 2379. This run uses its own members on free ports; a
  # service the install just started would only take CPU from the measurement, so stop it.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet etcd 2>/dev/null; then
    systemctl stop etcd || true
  fi
}

command -v etcd >/dev/null 2>&1 || install_etcd
etcd_version="$(etcd --version 2>/dev/null | sed -n 's/^etcd Version: //p')"
case "$etcd_version" in
  3.4.*) ;;
  *) echo "side-by-side: warning: etcd $etcd_version, not 3.4 (the documented runs used Debian's 3.4.23)" >&2 ;;
esac

if [ "$build" = 1 ]; then
  echo "side-by-side: building modules/bench and what it needs..." >&2
  (cd "$root" && ./mvnw -B -q -DskipTests install -pl modules/bench -am) >&2
fi

exec java -Xmx1g -cp "$jars/*:$jars/lib/*" io.duetdb.bench.sidebyside.SideBySide --out "$out" \
  --etcd "$(command -v etcd)" --command "modules/bench/side-by-side.sh${args[*]:+ ${args[*]}}" \
  --work "${TMPDIR:-/tmp}/duet-side-by-side" "${args[@]}"
