#!/usr/bin/env bash
# End-to-end test of the real container image, as close to the StatefulSet as a machine without
# Kubernetes allows. CI (.ci/run) calls it after `./mvnw -B verify`. Run it as root: it installs
# podman, runc and openssl with apt-get when they are missing. About 3 minutes on 2 cores.
#
#  1. Builds the image tarball with Jib, no daemon (./mvnw -pl deploy -am -Pimage package).
#  2. For an overlay, starts its pods duet-0..N-1 from the image in podman, each with the environment
#     the rendered StatefulSet gives it (kubectl: fieldRefs and $(VAR) resolved as kubelet does),
#     its own volume, its Secret files, the overlay's duet.yaml, the memory limit, user 65532, a
#     read-only root file system, and its stable DNS name (duet-N.duet-peers.NS.svc.cluster.local)
#     mapped to its own loopback address. The containers share the host's network, so each node
#     listens on its own address instead of 0.0.0.0.
#  3. dev overlay (3 members, plaintext): they form one cluster; writes are acknowledged; SIGKILL
#     of the leader, writes while it is down, restart: it serves every write; the manifest's preStop
#     command (move-leader --away; 127.0.0.1 replaced by the pod's address) moves leadership;
#     duet-3 scales the cluster up (starts joining, member add); duet-1 loses its volume and is
#     replaced (member remove, wipe, restart: it joins by itself, member add), and catches up.
#     production overlay (5 members, mutual TLS from a Secret): they form one cluster over TLS;
#     a plaintext client is refused; writes work; the manifest's preStop script, run verbatim in
#     the leader's container, moves leadership; SIGTERM of that member leaves a working cluster.
#  4. Builds deploy/Dockerfile with podman (the same file system from the context -Pimage prepared)
#     and runs its two entry points.
#
# Containers, volumes and the loaded image are removed on exit, pass or fail (on failure the
# containers' logs are kept in deploy/target/e2e-logs/). The last line is
# "deploy e2e: PASS ..." or "deploy e2e: FAIL ..." (exit code 1).
# DUET_E2E_IMAGE_TAR=path skips step 1 and uses that tarball.
set -euo pipefail
cd "$(dirname "$0")/.."

run="duet-e2e-$$"
work="$(mktemp -d "${TMPDIR:-/tmp}/$run.XXXXXX")"
logs="$PWD/deploy/target/e2e-logs"   # the containers' logs, kept when the test fails
step="setup"
image=""
dockerfile_image=""
started=()

log() { echo "deploy e2e [$(printf '%3d' "$SECONDS")s] $*"; }
fail() { echo "deploy e2e: $*" >&2; exit 1; }

finish() {
  local rc=$? c
  set +e
  if [ "$rc" -ne 0 ]; then
    mkdir -p "$logs"
    for c in "${started[@]}"; do
      podman logs "$c" >"$logs/$c.log" 2>&1
      echo "----- last lines of $c (all of it: $logs/$c.log) -----"
      tail -n 15 "$logs/$c.log" | cut -c1-400
    done
  fi
  for c in "${started[@]}"; do podman rm -f -t 0 "$c" >/dev/null 2>&1; done
  [ -n "$image" ] && podman rmi -f "$image" >/dev/null 2>&1
  [ -n "$dockerfile_image" ] && podman rmi -f "$dockerfile_image" >/dev/null 2>&1
  rm -rf "$work"
  if [ "$rc" -eq 0 ]; then
    echo "deploy e2e: PASS (${SECONDS}s)"
  else
    echo "deploy e2e: FAIL at step '$step' after ${SECONDS}s (exit $rc)"
    exit 1
  fi
}
trap finish EXIT
trap 'exit 130' INT TERM

# Polls "$@" once a second until it succeeds, at most $1 seconds.
wait_for() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "timed out after ${seconds}s waiting for: $what"
    sleep 1
  done
}

# --- tools -----------------------------------------------------------------------------------
step="install podman"
missing=()
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v runc >/dev/null 2>&1 || missing+=(runc)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" = 0 ] || fail "missing ${missing[*]}: install them (apt-get install -y ${missing[*]})"
  log "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# runc, not crun: crun refuses hybrid cgroup hosts. Limits below the host's hard limits, which
# podman's defaults exceed on some machines.
pod_run=(podman --runtime runc run -d --network host --ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
tools="$(deploy/ci/tools.sh)"
kubectl="$tools/kubectl/kubectl"

# --- the image -------------------------------------------------------------------------------
step="build image"
tar="${DUET_E2E_IMAGE_TAR:-}"
if [ -z "$tar" ]; then
  log "building the image tarball (Jib)"
  ./mvnw -B -q -pl deploy -am -Pimage -DskipTests package
  tar="deploy/target/duet-image.tar"
fi
[ -f "$tar" ] || fail "no image tarball at $tar"
step="load image"
image="$(podman load -q -i "$tar" | sed -n 's/^Loaded image[^:]*: *//p' | tail -n 1)"
[ -n "$image" ] || fail "podman load printed no image name"
log "loaded $image from $tar"

# --- an overlay's pods -------------------------------------------------------------------------
# load_overlay NAME: renders deploy/kubernetes/overlays/NAME and reads what the pods need from it.
load_overlay() {
  overlay="$1"
  local rendered facts
  rendered="$("$kubectl" kustomize "deploy/kubernetes/overlays/$overlay")"
  env_list="$("$kubectl" set env --local -f - --list <<<"$rendered")"
  facts="$("$kubectl" annotate --local -f - e2e=1 -o go-template='{{if eq .kind "StatefulSet"}}{{with index .spec.template.spec.containers 0}}namespace={{$.metadata.namespace}}
replicas={{$.spec.replicas}}
memory={{.resources.limits.memory}}
{{range .volumeMounts}}mount {{.name}}={{.mountPath}}
{{end}}{{range .lifecycle.preStop.exec.command}}prestop={{.}}
{{end}}{{end}}{{range .spec.template.spec.volumes}}{{if .secret}}secret {{.name}}={{.secret.secretName}}
{{end}}{{end}}{{end}}' <<<"$rendered")"
  fact() { sed -n "s/^$1=//p" <<<"$facts"; }
  namespace="$(fact namespace)"
  replicas="$(fact replicas)"
  memory_limit="$(fact memory)"
  prestop=()
  mapfile -t prestop < <(fact prestop)
  tls_mount="$(sed -n 's/^mount tls=//p' <<<"$facts")"
  [ -n "$namespace" ] && [ -n "$replicas" ] && [ -n "$memory_limit" ] && [ "${#prestop[@]}" -gt 0 ] \
    || fail "could not read the StatefulSet of overlay $overlay: $facts"
  local unsupported
  unsupported="$(grep '^# ' <<<"$env_list" | grep -v -e '^# StatefulSet ' -e 'from field path metadata.name$' \
    -e 'from field path metadata.namespace$' || true)"
  [ -z "$unsupported" ] || fail "environment entries this test does not emulate: $unsupported"
  env_value() { sed -n "s/^$1=//p" <<<"$env_list"; }
  client_port="$(env_value DUET_CLIENT_PORT)"
  peer_port="$(env_value DUET_PEER_PORT)"
  admin_port="$(env_value DUET_ADMIN_PORT)"
  config_path="$(env_value DUET_CONFIG)"
  volume_path="$(dirname "$(env_value DUET_DATA_DIR)")"
  net="127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1))"   # one loopback /24 per overlay: .10, .11, ...
  hosts=()
  local i
  for ((i = 0; i <= replicas; i++)); do hosts+=(--add-host "$(host_of "$i"):$(ip_of "$i")"); done
}

host_of() { echo "duet-$1.duet-peers.$namespace.svc.cluster.local"; }
ip_of() { echo "$net.$((10 + $1))"; }
container() { echo "$run-$overlay-$1"; }

# Prints podman -e arguments for pod duet-$1, resolving fieldRefs and $(VAR) as kubelet does.
pod_env_args() {
  local pod="duet-$1" line name value ref
  local -A seen=()
  while IFS= read -r line; do
    case "$line" in
      "# "*" from field path metadata.name") name="${line#\# }"; name="${name%% *}"; value="$pod" ;;
      "# "*" from field path metadata.namespace") name="${line#\# }"; name="${name%% *}"; value="$namespace" ;;
      "# "*) continue ;;
      *=*)
        name="${line%%=*}"
        value="${line#*=}"
        for ref in "${!seen[@]}"; do value="${value//\$($ref)/${seen[$ref]}}"; done
        ;;
      *) continue ;;
    esac
    seen[$name]="$value"
    # the containers share the host's network: each listens on its own loopback address instead
    [ "$name" = DUET_LISTEN_HOST ] || printf '%s\n' "-e" "$name=$value"
  done <<<"$env_list"
}

# Starts the container of pod duet-$1 (or starts it again, when it exists).
start_pod() {
  local i="$1" c envs=() extra=()
  c="$(container "$i")"
  if podman container exists "$c"; then
    podman start "$c" >/dev/null
    return
  fi
  mkdir -p "$work/$overlay-volume-$i"
  chown 65532:65532 "$work/$overlay-volume-$i"
  mapfile -t envs < <(pod_env_args "$i")
  [ -z "$tls_mount" ] || extra=(-v "$work/tls:$tls_mount:ro")
  "${pod_run[@]}" --name "$c" --read-only --tmpfs /tmp:rw,size=64m,mode=1777 --memory "${memory_limit/Gi/g}" \
    --user 65532:65532 "${hosts[@]}" -v "$work/$overlay-volume-$i:$volume_path" \
    -v "$PWD/deploy/kubernetes/base/duet.yaml:$config_path:ro" "${extra[@]}" \
    "${envs[@]}" -e "DUET_LISTEN_HOST=$(ip_of "$i")" "$image" >/dev/null
  started+=("$c")
}

forget_pod() {
  local c remaining=()
  c="$(container "$1")"
  podman rm -f -t 0 "$c" >/dev/null
  for s in "${started[@]}"; do [ "$s" = "$c" ] || remaining+=("$s"); done
  started=("${remaining[@]}")
}

# HTTP GET of a pod's admin port in bash alone: prints the status code, then the body.
admin_get() {
  timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "GET %s HTTP/1.0\r\n\r\n" "$2" >&3 && cat <&3' \
    "$(ip_of "$1")" "$admin_port" "$2" | tr -d '\r' | sed -n '1s/^HTTP[^ ]* \([0-9]*\).*/\1/p; /^$/,$p'
}
ready() { [ "$(admin_get "$1" /readyz | head -n 1)" = "200" ]; }
all_ready() {
  local i
  for i in "$@"; do ready "$i" || return 1; done
}
# (no "producer | grep -q" below: grep -q stops reading, and with pipefail the SIGPIPE fails the test)
is_leader() { grep -q '^duet_raft_is_leader 1' <<<"$(admin_get "$1" /metrics)"; }
not_leader() { ! is_leader "$1"; }
leader() {
  local i
  for i in "$@"; do if is_leader "$i"; then echo "$i"; return 0; fi; done
  return 1
}
logs_show() { grep -q "$2" <<<"$(podman logs "$(container "$1")" 2>&1)"; }

# duetctl in pod duet-$1's container against the pods in $targets (default: the initial members)
ctl() {
  local i="$1" endpoints="" j
  shift
  for j in ${targets:-$(seq 0 $((replicas - 1)))}; do endpoints="$endpoints${endpoints:+,}$(host_of "$j"):$client_port"; done
  podman exec "$(container "$i")" duetctl "${tls_flags[@]}" --endpoints "$endpoints" "$@"
}
# a linearizable get of key $2 through pod $1 alone returns value $3
reads_back() { [ "$(targets="$1" ctl "$1" get "$2")" = "$(printf '%s\n%s' "$2" "$3")" ]; }
count_on() { targets="$2" ctl "$1" get --prefix e2e/ --count-only --serializable; }
has_count() { [ "$(count_on "$1" "$2")" = "$3" ]; }
member_count() { grep -c 'duet-[0-9]*\.duet-peers' <<<"$(ctl 0 member list)"; }

# --- dev overlay -------------------------------------------------------------------------------
step="dev: start three members"
load_overlay dev
tls_flags=()
log "dev: starting duet-0..$((replicas - 1)) on $net.10+ (ports $client_port/$peer_port/$admin_port, memory $memory_limit)"
for ((i = 0; i < replicas; i++)); do start_pod "$i"; done
wait_for 180 "duet-0..2 ready" all_ready 0 1 2
first_leader="$(leader 0 1 2)" || fail "ready, but no member says it leads"
[ "$(member_count)" = 3 ] || fail "member list does not show 3 members"
log "dev: one cluster of 3, leader duet-$first_leader"

step="dev: write"
puts=()
for k in $(seq -w 1 40); do puts+=(--then "put e2e/$k value-$k"); done
ctl 0 txn "${puts[@]}" >/dev/null
ctl 1 put e2e/single one >/dev/null
written=41
[ "$(targets=0 ctl 2 get --prefix e2e/ --count-only)" = "$written" ] || fail "a linearizable read does not see $written keys"
log "dev: wrote $written keys"

step="dev: kill the leader"
podman kill -s KILL "$(container "$first_leader")" >/dev/null
podman wait "$(container "$first_leader")" >/dev/null 2>&1 || true
others=()
for i in 0 1 2; do [ "$i" = "$first_leader" ] || others+=("$i"); done
wait_for 120 "a new leader among duet-${others[0]}, duet-${others[1]}" leader "${others[@]}"
targets="${others[*]}" ctl "${others[0]}" put e2e/while-down "written while duet-$first_leader was down" >/dev/null
written=$((written + 1))
log "dev: killed duet-$first_leader (SIGKILL); duet-$(leader "${others[@]}") leads; wrote while it was down"

step="dev: restart the killed member"
start_pod "$first_leader"
wait_for 180 "duet-$first_leader ready again" ready "$first_leader"
wait_for 60 "duet-$first_leader holds all $written keys" has_count "$first_leader" "$first_leader" "$written"
wait_for 60 "a linearizable read through duet-$first_leader alone to return e2e/17" reads_back "$first_leader" e2e/17 value-17
log "dev: duet-$first_leader restarted on its volume and serves all $written keys"

step="dev: preStop hook"
current="$(leader 0 1 2)"
[ "${prestop[*]}" = "duetctl --endpoints 127.0.0.1:$client_port move-leader --away" ] \
  || fail "unexpected preStop command in the dev overlay: ${prestop[*]}"
podman exec "$(container "$current")" "${prestop[@]/127.0.0.1/$(ip_of "$current")}" >/dev/null
wait_for 60 "leadership to leave duet-$current" not_leader "$current"
log "dev: the preStop command moved leadership from duet-$current to duet-$(leader 0 1 2)"

step="dev: scale up with duet-3"
start_pod 3
wait_for 120 "duet-3 serving, waiting to be added" logs_show 3 'serving: .*(joining: waiting to be added)'
logs_show 3 'ordinal 3, 3 initial members).*--join=true' || fail "duet-3 did not start joining"
ctl 0 member add duet-3 --peer-address "$(host_of 3):$peer_port" --client-address "$(host_of 3):$client_port" >/dev/null
wait_for 180 "duet-3 ready" ready 3
wait_for 60 "duet-3 holds all $written keys" has_count 3 3 "$written"
log "dev: duet-3 started joining, was added, and caught up"

step="dev: replace duet-1 after losing its volume"
ctl 0 member remove duet-1 >/dev/null
forget_pod 1
rm -rf "$work/$overlay-volume-1"
start_pod 1
wait_for 120 "the new duet-1 serving, waiting to be added" logs_show 1 'serving: .*(joining: waiting to be added)'
logs_show 1 'cluster runs.*--join=true' || fail "the wiped duet-1 did not decide to join"
targets="0 2 3" ctl 0 member add duet-1 --peer-address "$(host_of 1):$peer_port" --client-address "$(host_of 1):$client_port" >/dev/null
wait_for 180 "the new duet-1 ready" ready 1
wait_for 60 "the new duet-1 holds all $written keys" has_count 1 1 "$written"
[ "$(targets="0 1 2 3" member_count)" = 4 ] || fail "member list does not show 4 members"
log "dev: duet-1 came back empty, joined by itself, was added and caught up"
for i in 0 1 2 3; do forget_pod "$i"; done

# --- production overlay: five members, mutual TLS -------------------------------------------------
step="production: certificates"
load_overlay production
[ -n "$tls_mount" ] || fail "the production overlay mounts no TLS Secret"
mkdir -p "$work/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=duet e2e CA" \
  -keyout "$work/ca.key" -out "$work/tls/ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=duet" \
  -keyout "$work/tls/tls.key" -out "$work/node.csr" 2>/dev/null
openssl x509 -req -in "$work/node.csr" -CA "$work/tls/ca.crt" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
  -out "$work/tls/tls.crt" -extfile <(printf 'subjectAltName=DNS:*.duet-peers.%s.svc.cluster.local,DNS:duet.%s.svc.cluster.local\n' \
  "$namespace" "$namespace") 2>/dev/null
# as the Secret volume presents them: group fsGroup (65532), mode 0440
chown -R root:65532 "$work/tls" && chmod 0550 "$work/tls" && chmod 0440 "$work/tls"/*
tls_flags=(--cacert "$tls_mount/ca.crt" --cert "$tls_mount/tls.crt" --key "$tls_mount/tls.key")

step="production: start five members"
members=$(seq 0 $((replicas - 1)))
log "production: starting duet-0..$((replicas - 1)) with mutual TLS (namespace $namespace, memory $memory_limit)"
for i in $members; do start_pod "$i"; done
# shellcheck disable=SC2086
wait_for 240 "duet-0..$((replicas - 1)) ready" all_ready $members
[ "$(member_count)" = "$replicas" ] || fail "member list does not show $replicas members"
# shellcheck disable=SC2086
leader $members >/dev/null || fail "ready, but no member says it leads"

step="production: TLS"
if podman exec "$(container 0)" duetctl --endpoints "$(host_of 0):$client_port" --timeout 5s endpoint status >/dev/null 2>&1; then
  fail "a plaintext client was served"
fi
ctl 2 put e2e/tls "over mutual TLS" >/dev/null
wait_for 60 "the TLS write to read back through duet-4" reads_back 4 e2e/tls "over mutual TLS"
log "production: one cluster of $replicas over mutual TLS; a plaintext client is refused"

step="production: preStop hook"
# shellcheck disable=SC2086
current="$(leader $members)"
podman exec "$(container "$current")" "${prestop[@]}" >/dev/null
wait_for 60 "leadership to leave duet-$current" not_leader "$current"
podman stop -t 30 "$(container "$current")" >/dev/null
survivors=()
for i in $members; do [ "$i" = "$current" ] || survivors+=("$i"); done
wait_for 60 "a leader among the other four" leader "${survivors[@]}"
targets="${survivors[*]}" ctl "${survivors[0]}" put e2e/after-stop "after duet-$current stopped" >/dev/null
log "production: the preStop script moved leadership from duet-$current; after SIGTERM the other four still write"

# --- the Dockerfile builds the same image ----------------------------------------------------------
step="Dockerfile"
context="deploy/target/image/docker-context"
if [ -z "${DUET_E2E_IMAGE_TAR:-}" ] || [ -d "$context" ]; then
  dockerfile_image="localhost/$run-dockerfile:latest"
  podman --runtime runc build -q -t "$dockerfile_image" "$context" >/dev/null
  grep -q 'duet server settings' <<<"$(podman --runtime runc run --rm --network host --ulimit nofile=1024:1024 \
    --ulimit nproc=4096:4096 --read-only "$dockerfile_image" --help)" || fail "the Dockerfile image's duet does not run"
  grep -q '^duetctl' <<<"$(podman --runtime runc run --rm --network host --ulimit nofile=1024:1024 \
    --ulimit nproc=4096:4096 --read-only --entrypoint duetctl "$dockerfile_image" --version)" \
    || fail "the Dockerfile image's duetctl does not run"
  [ "$(podman image inspect "$dockerfile_image" --format '{{.Config.User}}')" = "65532:65532" ] \
    || fail "the Dockerfile image does not run as 65532"
  log "Dockerfile: docker build of $context gives an image whose duet and duetctl run as 65532"
else
  log "Dockerfile: not checked (DUET_E2E_IMAGE_TAR given and no $context)"
fi
step="done"
