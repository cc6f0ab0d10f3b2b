#!/usr/bin/env bash
# read-shapes.sh — linearizable reads from the leader and from a follower, serializable reads and
# a 90/10 read/write mix, Duet against etcd 3.4, trials alternating in one run (issue 15's read
# targets). Until side-by-side.sh grows these shapes, this is the command behind the read figures
# in docs/benchmarks.md.
#
#   modules/bench/read-shapes.sh [--out DIR] [--rounds N] [--seconds S] [--shapes 1/1,64/8]
#
# Duet: bin/duet dev (3 nodes, defaults, ports 2379/22379/32379). etcd: 3 members on 42379/52379/62379
# (installed with apt-get when absent). Everything runs on loopback and stops at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/docs/benchmarks/reads-$(date -u +%Y-%m-%d)"; rounds=2; seconds=8; shapes="1/1,64/8"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;; --rounds) rounds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;; --shapes) shapes="$2"; shift 2 ;;
    *) sed -n '2,10p' "$0"; exit 2 ;;
  esac
done
command -v etcd >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server etcd-client >/dev/null; }
bench="$root/modules/bench/duet-bench"
work="$(mktemp -d)"; mkdir -p "$out"
log="$out/console.txt"; : > "$log"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; pkill -f "duet-dev-reads" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM

"$root/bin/duet" dev --data "$work/duet-dev-reads" > "$out/duet-dev.log" 2>&1 & pids+=($!)
initial="e1=http://127.0.0.1:42380,e2=http://127.0.0.1:52380,e3=http://127.0.0.1:62380"
for i in 1 2 3; do
  c=$((i * 10000 + 32379)); p=$((c + 1))
  etcd --name "e$i" --data-dir "$work/etcd-e$i" --listen-client-urls "http://127.0.0.1:$c" \
    --advertise-client-urls "http://127.0.0.1:$c" --listen-peer-urls "http://127.0.0.1:$p" \
    --initial-advertise-peer-urls "http://127.0.0.1:$p" --initial-cluster "$initial" \
    --initial-cluster-state new --initial-cluster-token reads > "$work/etcd-e$i.log" 2>&1 & pids+=($!)
done
for _ in $(seq 1 90); do grep -q 'Ctrl-C stops' "$out/duet-dev.log" && break; sleep 2; done
etcd_eps=127.0.0.1:42379,127.0.0.1:52379,127.0.0.1:62379
for _ in $(seq 1 60); do ETCDCTL_API=3 etcdctl --endpoints "$etcd_eps" endpoint status >/dev/null 2>&1 && break; sleep 1; done

# Which member leads, and one that follows, as each system says.
duet_status=$("$root/bin/duetctl" --endpoints 127.0.0.1:2379,127.0.0.1:22379,127.0.0.1:32379 endpoint status -w json)
duet_leader=$(python3 -c 'import json,sys; print(next(e["endpoint"] for e in json.loads(sys.argv[1]) if e.get("isLeader") or e.get("is_leader")))' "$duet_status")
duet_follower=$(python3 -c 'import json,sys; print(next(e["endpoint"] for e in json.loads(sys.argv[1]) if not (e.get("isLeader") or e.get("is_leader"))))' "$duet_status")
etcd_status=$(ETCDCTL_API=3 etcdctl --endpoints "$etcd_eps" endpoint status -w json)
etcd_leader=$(python3 -c 'import json,sys; print(next(e["Endpoint"] for e in json.loads(sys.argv[1]) if e["Status"]["leader"]==e["Status"]["header"]["member_id"]).replace("http://",""))' "$etcd_status")
etcd_follower=$(python3 -c 'import json,sys; print(next(e["Endpoint"] for e in json.loads(sys.argv[1]) if e["Status"]["leader"]!=e["Status"]["header"]["member_id"]).replace("http://",""))' "$etcd_status")
echo "duet leader $duet_leader follower $duet_follower; etcd leader $etcd_leader follower $etcd_follower" | tee -a "$log"

run() { # system endpoint workload shape tag args...
  local sys=$1 ep=$2 wl=$3 shape=$4 tag=$5; shift 5
  local c=${shape%/*} n=${shape#*/}
  local line
  line=$("$bench" "$wl" --target "$sys" --endpoints "$ep" --clients "$c" --conns "$n" --key-space 10000 \
    --duration "${seconds}s" --warmup 2s --no-progress --json "$out/$tag.json" "$@" 2>&1 | tee -a "$log" \
    | grep -E '^(range|put) ' | head -n 1 | awk '{print $4, $7}')
  echo "$tag $line" | tee -a "$out/summary.txt"
}
for sys in duet etcd; do # prefill 10,000 keys, then warm up (not recorded)
  ep=$([ $sys = duet ] && echo "$duet_leader" || echo "$etcd_leader")
  "$bench" put --target $sys --endpoints "$ep" --clients 16 --conns 4 --sequential-keys --total 10000 \
    --key-space 10000 --no-progress >> "$log" 2>&1
  "$bench" mixed --target $sys --endpoints "$ep" --clients 16 --conns 4 --key-space 10000 --duration 20s \
    --read-fraction 0.9 --no-progress >> "$log" 2>&1
done
: > "$out/summary.txt"
echo "# tag ops/s p50_ms (load $(cut -d' ' -f1-3 /proc/loadavg) at start)" >> "$out/summary.txt"
for r in $(seq 1 "$rounds"); do
  for shape in ${shapes//,/ }; do
    for wl in "range leader-l" "range follower-l" "range leader-s" "mixed leader-mix90"; do
      set -- $wl
      order="duet etcd"; [ $((r % 2)) -eq 0 ] && order="etcd duet"
      for sys in $order; do
        if [ $sys = duet ]; then lead=$duet_leader; fol=$duet_follower; else lead=$etcd_leader; fol=$etcd_follower; fi
        ep=$([ "${2%%-*}" = follower ] && echo "$fol" || echo "$lead")
        extra=(); case "$2" in *-s) extra=(--consistency s) ;; *-mix90) extra=(--read-fraction 0.9) ;; esac
        run $sys "$ep" "$1" "$shape" "r$r-$sys-$2-${shape/\//x}" "${extra[@]}"
      done
    done
  done
done
echo "load at end: $(cat /proc/loadavg)" | tee -a "$out/summary.txt"
