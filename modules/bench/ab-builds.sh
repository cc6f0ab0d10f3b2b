#!/usr/bin/env bash
# ab-builds.sh — two builds of the server side by side (about 7 minutes):
#   modules/bench/ab-builds.sh JARS_A JARS_B [ROUNDS]
# JARS_A and JARS_B each hold duet-server-*.jar and lib/ (copies of modules/server/target from two
# commits). Starts both as 3-node clusters on loopback at once (A on client ports 2379/12379/22379,
# B on 2479/12479/22479; peer ports 7001-7003 and 7201-7203), warms each for 15 s at every shape,
# then runs 10 s duet-bench put trials at 1/1, 64/8 and 256/16 clients/conns, A and B alternating
# with the first rotating, and prints ops/s, p50, p99, the three nodes' CPU ms per put and the load.
# Run it on an otherwise idle machine; it stops both clusters at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[ $# -ge 2 ] || { sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
jars_a="$1"; jars_b="$2"; rounds="${3:-3}"
work="${TMPDIR:-/tmp}/duet-ab-builds"
readonly WARMUP_SECONDS_PER_SHAPE=15 TRIAL_SECONDS=10 READY_WAIT_SECONDS=90

start_cluster() { # label jars client-port-base peer-port-base
  local label=$1 jars=$2 client=$3 peer=$4 data="$work/$1" i
  rm -rf "$data"; mkdir -p "$data"
  local members="n1=127.0.0.1:$((peer + 1)):$client,n2=127.0.0.1:$((peer + 2)):$((client + 10000)),n3=127.0.0.1:$((peer + 3)):$((client + 20000))"
  for i in 1 2 3; do
    setsid java -Xmx1g -Dduet.ab=$label -cp "$jars/*:$jars/lib/*" io.duetdb.server.DuetNodeMain --id "n$i" \
      --data-dir "$data/n$i" --peer-port $((peer + i)) --client-port $((client + (i - 1) * 10000)) \
      --admin-port $((peer + 100 + i)) --members "$members" > "$data/n$i.log" 2>&1 &
  done
}
stop_all() { pkill -f 'duet.ab=[AB]' || true; }
trap stop_all EXIT
endpoints() { local c; c=$([ "$1" = A ] && echo 2379 || echo 2479); echo "127.0.0.1:$c,127.0.0.1:$((c + 10000)),127.0.0.1:$((c + 20000))"; }
bench() { "$root/modules/bench/duet-bench" put --endpoints "$1" --clients "$2" --conns "$3" --duration "$4" \
  --key-size 8 --val-size 256 --sequential-keys --no-progress 2>&1; }
cpu_ticks() { local t=0 p; for p in $(pgrep -f "duet.ab=$1"); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }

if pgrep -f 'DuetNodeMain' >/dev/null; then echo "ab-builds: other Duet nodes are running; stop them first" >&2; exit 1; fi
start_cluster A "$jars_a" 2379 7000
start_cluster B "$jars_b" 2479 7200
for label in A B; do
  for i in $(seq 1 $READY_WAIT_SECONDS); do
    "$root/bin/duetctl" --endpoints "$(endpoints $label)" put ab-ready x >/dev/null 2>&1 && break
    [ "$i" -lt $READY_WAIT_SECONDS ] || { echo "ab-builds: cluster $label did not start; see $work/$label" >&2; exit 1; }
    sleep 1
  done
  for shape in 1/1 16/4 64/8 256/16; do bench "$(endpoints $label)" "${shape%/*}" "${shape#*/}" ${WARMUP_SECONDS_PER_SHAPE}s >/dev/null; done
done
hz=$(getconf CLK_TCK)
for round in $(seq 1 "$rounds"); do
  for shape in 1/1 64/8 256/16; do
    order="A B"; [ $(( (round + ${#shape}) % 2 )) = 0 ] && order="B A"
    for label in $order; do
      t0=$(cpu_ticks $label)
      out=$(bench "$(endpoints $label)" "${shape%/*}" "${shape#*/}" ${TRIAL_SECONDS}s)
      t1=$(cpu_ticks $label)
      line=$(grep '^put' <<<"$out")
      ops=$(awk '{gsub(",", "", $2); print $2}' <<<"$line")
      echo "$label r$round $shape $(awk '{print "ops/s", $4, "p50", $6, "p99", $8}' <<<"$line")" \
        "cpu_ms/put $(awk -v t=$((t1 - t0)) -v hz="$hz" -v n="$ops" 'BEGIN {printf "%.2f", (n > 0 ? t * 1000 / hz / n : 0)}')" \
        "load $(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
