#!/usr/bin/env bash
# tests/system/run.sh — the system test: clawfactory's units and provisioning under a real
# systemd as PID 1.
#
# 1. Builds (once, then cached outside the repo; afresh on every run with CI=true) a minimal
#    Debian root file system (trixie, the current stable; --suite bookworm for the one before)
#    with debootstrap, with every package the test needs included up front: the container has
#    no network, so provision.sh must find its packages already installed.
# 2. Boots it with systemd-nspawn -b --private-network --volatile=overlay: the cached tree is the
#    read-only lower layer, all writes go to a tmpfs and vanish at the end.
# 3. Runs vm/provision.sh inside (nsenter into the container's namespaces) with the repo's jars,
#    definitions and the pinned Temporal binary, then runs the check_* functions below.
# 4. Always stops the container (trap) and prints "system: N passed, M failed".
#
# Adding a check: write a function check_<name> that returns non-zero on failure (use the
# helpers: in_ct, wait_until, temporal_ct, unit_prop, start_stub_gateway, set_worker_env) and
# add <name> to CHECKS in the order it should run.
set -euo pipefail
# shellcheck disable=SC2119  # provision is called without extra options on purpose

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO
readonly CACHE_DIR=/var/cache/clawfactory
SUITE=trixie
readonly MIRROR=http://deb.debian.org/debian
# The JRE each suite ships (the newest openjdk-N-jre-headless; provision.sh picks it the same way).
declare -rA SUITE_JRE=([trixie]=openjdk-25-jre-headless [bookworm]=openjdk-17-jre-headless)
# Bump when build_rootfs changes what it puts into the tree (part of the cache key).
readonly ROOTFS_RECIPE=2
readonly SRC_IN_CT=/opt/clawfactory-src       # the repo, bound read-only
readonly STAGE_IN_CT=/opt/clawfactory-stage   # jars and definitions (read-only)
readonly TEMPORAL_IN_CT=/opt/clawfactory-temporal  # the pinned temporal binary (read-only)

KEEP=0
# CI builds the root file system afresh every run: a cached tree (older packages, state left by
# earlier runs) once hid a failure that only a new machine showed.
FRESH=0 FRESH_WHY=""
if [[ ${CI:-} == true ]]; then FRESH=1 FRESH_WHY="CI=true"; fi
JARS_DIR=""
TEMPORAL_BIN=""
ONLY=""

usage() {
    cat <<EOF
Usage: sudo $0 [options]

Boot a Debian container (trixie unless --suite says otherwise) with systemd-nspawn, provision clawfactory in it with
vm/provision.sh, and check the units (needs root, debootstrap and systemd-container; they are
installed with apt-get when missing). The root file system is cached in
$CACHE_DIR/rootfs-<hash of the package list>; with CI=true (or --fresh) it is built afresh.

Options:
  --jars DIR           folder with clawfactory-worker.jar, clawfactory-schedules.jar and
                       clawfactory-api.jar (default: worker/, schedules/ and api/target; build
                       with ./clawfactory build)
  --temporal-bin PATH  the pinned temporal binary (default: .tools/bin/temporal, as installed by
                       ./clawfactory; or \$TEMPORAL_BIN)
  --suite NAME         the Debian release to boot: trixie (default, the current stable) or
                       bookworm (the one before; provision.sh supports both)
  --only A,B           run only these checks (names without check_), after provisioning
  --fresh              debootstrap the root file system afresh even if a cached one exists
                       (always so with CI=true); the new tree replaces the cached one
  --keep               leave the container running at the end and print how to enter it
  -h, --help           this text
EOF
}

while [[ $# -gt 0 ]]; do
    case $1 in
        --jars) JARS_DIR=${2:?--jars needs a folder}; shift 2 ;;
        --temporal-bin) TEMPORAL_BIN=${2:?--temporal-bin needs a path}; shift 2 ;;
        --only) ONLY=${2:?--only needs check names}; shift 2 ;;
        --suite) SUITE=${2:?--suite needs a name}; shift 2 ;;
        --fresh) FRESH=1 FRESH_WHY="--fresh"; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; echo "system: unknown argument: $1" >&2; exit 2 ;;
    esac
done

log() { echo "system: $*"; }
die() { echo "system: error: $*" >&2; exit 1; }

[[ -n ${SUITE_JRE[$SUITE]:-} ]] || die "--suite $SUITE: supported are ${!SUITE_JRE[*]}"
readonly SUITE
# Everything the container needs, installed at debootstrap time (no network inside).
readonly PACKAGES=(systemd systemd-sysv dbus "${SUITE_JRE[$SUITE]}" nginx curl sqlite3 python3
    ca-certificates procps iproute2)

# ---------------------------------------------------------------------------------------------
# Inputs

resolve_inputs() {
    [[ $(id -u) -eq 0 ]] || die "run as root (systemd-nspawn and debootstrap need it)"
    local worker schedules api
    if [[ -n $JARS_DIR ]]; then
        worker=$JARS_DIR/clawfactory-worker.jar schedules=$JARS_DIR/clawfactory-schedules.jar api=$JARS_DIR/clawfactory-api.jar
    else
        worker=$REPO/worker/target/clawfactory-worker.jar schedules=$REPO/schedules/target/clawfactory-schedules.jar
        api=$REPO/api/target/clawfactory-api.jar
    fi
    [[ -f $worker ]] || die "missing $worker — build the jars first (./clawfactory build) or pass --jars DIR"
    [[ -f $schedules ]] || die "missing $schedules — build the jars first (./clawfactory build) or pass --jars DIR"
    [[ -f $api ]] || die "missing $api — build the jars first (./clawfactory build) or pass --jars DIR"
    WORKER_JAR=$worker SCHEDULES_JAR=$schedules API_JAR=$api
    TEMPORAL_BIN=${TEMPORAL_BIN:-$REPO/.tools/bin/temporal}
    [[ -e $TEMPORAL_BIN ]] || die "missing $TEMPORAL_BIN — install the pinned CLI (./clawfactory install-tools) or pass --temporal-bin"
    TEMPORAL_BIN=$(readlink -f "$TEMPORAL_BIN")
    [[ -x $TEMPORAL_BIN ]] || die "$TEMPORAL_BIN is not executable"
}

ensure_host_tools() {
    local missing=()
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    command -v systemd-nspawn >/dev/null || missing+=(systemd-container)
    command -v nsenter >/dev/null || missing+=(util-linux)
    [[ ${#missing[@]} -eq 0 ]] && return 0
    log "installing host tools: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# ---------------------------------------------------------------------------------------------
# Root file system (cached by the hash of suite, mirror and package list)

build_rootfs() {
    local hash
    hash=$(printf '%s\n' "$ROOTFS_RECIPE" "$SUITE" "$MIRROR" minbase "${PACKAGES[@]}" | sha256sum | cut -c1-16)
    ROOTFS=$CACHE_DIR/rootfs-$hash
    mkdir -p "$CACHE_DIR"
    exec 9>"$CACHE_DIR/.lock"
    flock -w 900 9 || die "another run holds $CACHE_DIR/.lock"
    if [[ $FRESH -eq 0 && -x $ROOTFS/usr/lib/systemd/systemd && -x $ROOTFS/usr/bin/java ]]; then
        log "rootfs: reusing $ROOTFS (--fresh or CI=true builds it afresh)"
    else
        log "rootfs: debootstrap $SUITE into $ROOTFS (about a minute${FRESH_WHY:+, $FRESH_WHY})"
        local tmp script=()
        # An older debootstrap may not know a newer suite by name; every Debian suite since
        # squeeze uses the same script as sid (the known ones are symlinks to it), so pass that.
        # The host itself gets no package of the newer release.
        if [[ ! -e /usr/share/debootstrap/scripts/$SUITE ]]; then
            log "rootfs: this debootstrap has no script for $SUITE; using the sid script"
            script=(/usr/share/debootstrap/scripts/sid)
        fi
        tmp=$(mktemp -d "$CACHE_DIR/.build-XXXXXX")
        if ! debootstrap --variant=minbase --include="$(IFS=,; echo "${PACKAGES[*]}")" \
            "$SUITE" "$tmp/rootfs" "$MIRROR" "${script[@]}" >"$tmp/debootstrap.log" 2>&1; then
            tail -n 20 "$tmp/debootstrap.log" >&2
            rm -rf "$tmp"
            die "debootstrap failed"
        fi
        # minbase has no /etc/hosts: without it "localhost" does not resolve in the container.
        printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\tclawfactory-test\n' \
            >"$tmp/rootfs/etc/hosts"
        echo clawfactory-test >"$tmp/rootfs/etc/hostname"
        rm -f "$tmp/rootfs/etc/resolv.conf"
        rm -rf "$ROOTFS"
        mv "$tmp/rootfs" "$ROOTFS"
        rm -rf "$tmp"
    fi
    flock -u 9
    exec 9>&-
}

# ---------------------------------------------------------------------------------------------
# Container lifecycle

NSPAWN_PID="" CT_PID="" WORK=""

stage_inputs() {
    WORK=$(mktemp -d /tmp/clawfactory-system.XXXXXX)
    mkdir -p "$WORK/stage/jars" "$WORK/stage/definitions" "$WORK/logs"
    cp "$WORKER_JAR" "$WORK/stage/jars/clawfactory-worker.jar"
    cp "$SCHEDULES_JAR" "$WORK/stage/jars/clawfactory-schedules.jar"
    cp "$API_JAR" "$WORK/stage/jars/clawfactory-api.jar"
    cp "$REPO"/definitions/*.yaml "$REPO"/tests/system/definitions/*.yaml "$WORK/stage/definitions/"
}

boot_container() {
    log "booting the container"
    systemd-nspawn -q -D "$ROOTFS" -b --register=no --keep-unit --private-network \
        --volatile=overlay --machine=clawfactory-test \
        --bind-ro="$REPO:$SRC_IN_CT" --bind-ro="$WORK/stage:$STAGE_IN_CT" \
        --bind-ro="$TEMPORAL_BIN:$TEMPORAL_IN_CT" \
        </dev/null >"$WORK/logs/console.log" 2>&1 &
    NSPAWN_PID=$!
    local i
    for i in $(seq 1 60); do
        CT_PID=$(pgrep -P "$NSPAWN_PID" -x systemd || true)
        [[ -n $CT_PID ]] && break
        kill -0 "$NSPAWN_PID" 2>/dev/null || { tail -n 20 "$WORK/logs/console.log" >&2; die "systemd-nspawn exited"; }
        sleep 0.5
    done
    [[ -n $CT_PID ]] || die "the container's systemd did not appear within 30 s"
    local state=""
    for i in $(seq 1 60); do
        state=$(in_ct systemctl is-system-running 2>/dev/null || true)
        [[ $state == running || $state == degraded ]] && break
        sleep 1
    done
    [[ $state == running || $state == degraded ]] || die "the container did not finish booting (state: ${state:-unknown})"
    log "container up (systemd pid $CT_PID on the host, state $state)"
}

teardown() {
    local rc=$?
    if [[ -n $NSPAWN_PID ]] && kill -0 "$NSPAWN_PID" 2>/dev/null; then
        if [[ $KEEP -eq 1 ]]; then
            log "--keep: container left running. Enter: nsenter -t $CT_PID -m -u -i -n -p bash"
            log "stop it with: kill $NSPAWN_PID"
            return
        fi
        kill -TERM "$NSPAWN_PID" 2>/dev/null || true
        local i
        for i in $(seq 1 30); do
            kill -0 "$NSPAWN_PID" 2>/dev/null || break
            sleep 1
        done
        kill -KILL "$NSPAWN_PID" 2>/dev/null || true
        wait "$NSPAWN_PID" 2>/dev/null || true
    fi
    if [[ -n $WORK ]]; then
        if [[ $rc -ne 0 || $FAILED -gt 0 ]]; then
            log "logs kept in $WORK/logs"
            rm -rf "$WORK/stage"
        else
            rm -rf "$WORK"
        fi
    fi
}

# ---------------------------------------------------------------------------------------------
# Helpers for checks

# in_ct CMD... — run a command inside the container (its mount, UTS, IPC, net and PID namespaces).
in_ct() {
    nsenter -t "$CT_PID" -m -u -i -n -p -- \
        env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        LANG=C.UTF-8 SYSTEMD_COLORS=0 SYSTEMD_PAGER= "$@"
}

# wait_until TRIES SECONDS CMD... — retry CMD up to TRIES times, SECONDS apart.
wait_until() {
    local tries=$1 pause=$2 i
    shift 2
    for ((i = 1; i <= tries; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep "$pause"
    done
    return 1
}

# temporal_ct ARGS... — the pinned temporal CLI inside the container, against the local server.
temporal_ct() {
    in_ct /opt/clawfactory/bin/temporal --address 127.0.0.1:7233 --disable-config-file --color never "$@"
}

# schedule_listed ID — the server's schedule list names ID.
schedule_listed() { temporal_ct schedule list 2>&1 | grep -q "$1"; }

# unit_prop UNIT PROPERTY — one property's value.
unit_prop() { in_ct systemctl show -p "$2" --value "$1"; }

# provision [ARGS...] — vm/provision.sh inside the container, with the staged inputs.
# shellcheck disable=SC2120  # callers may pass extra provision.sh options (e.g. --restart)
provision() {
    in_ct "$SRC_IN_CT/vm/provision.sh" --repo "$SRC_IN_CT" --jars "$STAGE_IN_CT/jars" \
        --definitions "$STAGE_IN_CT/definitions" --temporal-bin "$TEMPORAL_IN_CT" "$@"
}

# start_stub_gateway [ENV=VALUE...] — run tests/system/stub_gateway.py inside the container as
# a transient unit on 127.0.0.1:18789; requests are logged to /var/lib/stub-gateway/requests.jsonl.
start_stub_gateway() {
    in_ct systemctl stop clawfactory-stub-gateway.service >/dev/null 2>&1 || true
    in_ct systemctl reset-failed clawfactory-stub-gateway.service >/dev/null 2>&1 || true
    local args=() kv
    for kv in "$@"; do args+=(-E "$kv"); done
    in_ct systemd-run --quiet --unit clawfactory-stub-gateway -p StateDirectory=stub-gateway \
        -E STUB_LOG=/var/lib/stub-gateway/requests.jsonl "${args[@]}" \
        /usr/bin/python3 "$SRC_IN_CT/tests/system/stub_gateway.py"
    wait_until 20 0.5 in_ct curl -fsS http://127.0.0.1:18789/readyz
}

# set_worker_env [KEY=VALUE...] — replace the worker's test drop-in with these variables and
# restart it (no arguments: remove the drop-in).
set_worker_env() {
    local dropin=/etc/systemd/system/clawfactory-temporal-worker.service.d/system-test.conf kv
    if [[ $# -eq 0 ]]; then
        in_ct rm -f "$dropin"
    else
        { echo "[Service]"; for kv in "$@"; do echo "Environment=\"$kv\""; done; } |
            in_ct sh -c "mkdir -p ${dropin%/*} && cat > $dropin"
    fi
    in_ct systemctl daemon-reload
    in_ct systemctl restart clawfactory-temporal-worker.service
}

# snapshot — owners, modes, sizes and mtimes of everything provision.sh manages.
snapshot() {
    in_ct sh -c 'find /etc/clawfactory /opt/clawfactory /etc/systemd/system/clawfactory-* \
        /etc/sysusers.d/clawfactory.conf /etc/tmpfiles.d/clawfactory.conf /etc/nginx/sites-available \
        /etc/nginx/sites-enabled /etc/nginx/clawfactory /etc/nginx/clawfactory-ui.htpasswd /etc/credstore \
        -printf "%p %u:%g %m %s %T@\n" 2>/dev/null | sort'
}

# ---------------------------------------------------------------------------------------------
# Checks (each prints what it saw on failure and returns non-zero)

readonly UNITS=(clawfactory-temporal.service clawfactory-temporal-worker.service clawfactory-schedules.service
    clawfactory-api.service)
# An instance of the agent-host template (installed, not enabled by provisioning).
readonly AGENT=clawfactory-agent@test.service
# `systemd-analyze security` exposure ceilings: the scores the units reach today, the same under
# bookworm's systemd 252 and trixie's 257. A change that loosens a unit's sandbox fails here;
# one that tightens it may lower the number below.
declare -rA EXPOSURE_MAX=([clawfactory-temporal.service]=0.9 [clawfactory-temporal-worker.service]=1.0
    [clawfactory-schedules.service]=1.0 [clawfactory-api.service]=1.0 [$AGENT]=0.9
    [clawfactory-ledger-prune.service]=0.9 [nginx.service]=3.0)
# exposure_ok UNIT SCORE — SCORE is at most UNIT's ceiling (an unreadable score fails).
exposure_ok() { awk -v s="${2:-99}" -v m="${EXPOSURE_MAX[$1]}" 'BEGIN { exit !(s + 0 <= m + 0) }'; }

check_provision() {
    if ! provision >"$WORK/logs/provision-1.log" 2>&1; then
        cat "$WORK/logs/provision-1.log"
        in_ct journalctl --no-pager -n 40 -u 'clawfactory-*' || true
        return 1
    fi
    grep -q 'change(s)' "$WORK/logs/provision-1.log"
}

check_units_active() {
    local unit ok=0
    for unit in "${UNITS[@]}" nginx.service; do
        if ! in_ct systemctl is-active --quiet "$unit"; then
            echo "$unit is $(in_ct systemctl is-active "$unit" || true)"
            in_ct journalctl -u "$unit" -n 20 --no-pager || true
            ok=1
        fi
    done
    return $ok
}

check_units_verify() {
    local out
    out=$(in_ct systemd-analyze verify "${UNITS[@]/#//etc/systemd/system/}" 2>&1) || { echo "$out"; return 1; }
    # verify also reports problems in unrelated units it loads; fail only on ours.
    if grep -i 'clawfactory' <<<"$out"; then return 1; fi
    # Nor does systemd complain when it starts them (e.g. an ExecStart= variable left unset).
    local complaints
    complaints=$(in_ct journalctl --no-pager -b -o cat -u 'clawfactory-*' | grep -E 'Referenced but unset|Unknown key|Ignoring' || true)
    [[ -z $complaints ]] || { echo "systemd about our units: $complaints"; return 1; }
}

check_security_exposure() {
    local unit score ok=0
    for unit in "${UNITS[@]}"; do
        score=$(in_ct systemd-analyze security --no-pager "$unit" | sed -n 's/.*exposure level for .*: \([0-9.]*\).*/\1/p')
        log "  exposure $unit: ${score:-?}"
        echo "$unit ${score:-?}" >>"$WORK/logs/exposure.txt"
        exposure_ok "$unit" "$score" || { echo "$unit exposure ${score:-?} > ${EXPOSURE_MAX[$unit]}"; ok=1; }
    done
    return $ok
}

check_nginx_hardened() {
    local score
    score=$(in_ct systemd-analyze security --no-pager nginx.service | sed -n 's/.*exposure level for .*: \([0-9.]*\).*/\1/p')
    log "  exposure nginx.service: ${score:-?} (Debian's unit alone: 9.6)"
    echo "nginx.service ${score:-?}" >>"$WORK/logs/exposure.txt"
    exposure_ok nginx.service "$score" || { echo "nginx exposure ${score:-?} > ${EXPOSURE_MAX[nginx.service]}"; return 1; }
    # Reload and restart still work under the sandbox, and the UI answers after each.
    in_ct systemctl reload nginx.service || return 1
    wait_until 20 0.5 ui_auth_status_is 200 || { echo "UI down after reload"; return 1; }
    in_ct systemctl restart nginx.service || { in_ct journalctl -u nginx -n 20 --no-pager; return 1; }
    wait_until 20 0.5 ui_auth_status_is 200 || { echo "UI down after restart"; return 1; }
    # nginx still drops its workers to www-data.
    in_ct ps -o user= -C nginx | grep -q www-data || { echo "no nginx worker runs as www-data"; return 1; }
}

# as_user USER CMD... — CMD inside the container as USER (with its supplementary groups).
as_user() { local user=$1; shift; in_ct runuser -u "$user" -- "$@"; }
# can_read USER FILE — USER can open FILE for reading.
can_read() { as_user "$1" cat "$2" >/dev/null 2>&1; }

check_runs_as_own_users() {
    local unit user pid ok=0
    # Each long-running unit's main process runs as its own user, never root or a shared one.
    for unit in clawfactory-temporal.service:clawfactory-temporal clawfactory-temporal-worker.service:clawfactory-worker \
        clawfactory-api.service:clawfactory-api; do
        pid=$(unit_prop "${unit%%:*}" MainPID)
        user=$(in_ct ps -o user:32= -p "$pid" | tr -d ' ')
        [[ $user == "${unit##*:}" ]] || { echo "${unit%%:*} main process $pid runs as '$user', want ${unit##*:}"; ok=1; }
    done
    # The one-shot has no process left: its unit says who, and its log lines came from that uid.
    [[ $(unit_prop clawfactory-schedules.service User) == clawfactory-schedules ]] || { echo "schedules User=$(unit_prop clawfactory-schedules.service User)"; ok=1; }
    [[ $(in_ct journalctl --no-pager -o cat -u clawfactory-schedules "_UID=$(in_ct id -u clawfactory-schedules)" | wc -l) -gt 0 ]] \
        || { echo "no log lines from uid clawfactory-schedules"; ok=1; }
    # The worker holds group clawfactory (the definitions) as a supplementary group; Temporal does not.
    local gid
    gid=$(in_ct getent group clawfactory | cut -d: -f3)
    pid=$(unit_prop clawfactory-temporal-worker.service MainPID)
    in_ct grep -qE "^Groups:.*\b$gid\b" "/proc/$pid/status" || { echo "worker lacks group clawfactory: $(in_ct grep ^Groups "/proc/$pid/status")"; ok=1; }
    pid=$(unit_prop clawfactory-temporal.service MainPID)
    in_ct grep -qE "^Groups:.*\b$gid\b" "/proc/$pid/status" && { echo "Temporal has group clawfactory"; ok=1; }
    # Who can read what: each unit its own state; the definitions only worker and schedules.
    local def
    def=$(in_ct sh -c 'ls /etc/clawfactory/definitions/*.yaml | head -n1')
    local -a allowed=(
        "clawfactory-worker $def" "clawfactory-schedules $def"
        "clawfactory-worker /var/lib/clawfactory-worker/ledger.db"
        "clawfactory-temporal /var/lib/clawfactory-temporal/temporal.db"
        "clawfactory-api $def")
    # The API's unit reads the ledger through SupplementaryGroups=clawfactory-worker (checked in
    # api_via_nginx by a run's turns); the user alone, as here, is not in that group.
    local -a denied=(
        "clawfactory-temporal $def"
        "clawfactory-temporal /var/lib/clawfactory-worker/ledger.db"
        "clawfactory-schedules /var/lib/clawfactory-worker/ledger.db"
        "clawfactory-worker /var/lib/clawfactory-temporal/temporal.db"
        "clawfactory-schedules /var/lib/clawfactory-temporal/temporal.db"
        "clawfactory-worker /etc/clawfactory/worker.env"
        "clawfactory-temporal /etc/clawfactory/temporal.env"
        "clawfactory-worker /etc/clawfactory/ui-password"
        "clawfactory-temporal /etc/clawfactory/ui-password"
        "clawfactory-api /var/lib/clawfactory-temporal/temporal.db"
        "clawfactory-api /etc/clawfactory/api.env"
        "clawfactory-api /etc/credstore/clawfactory-api-token"
        "clawfactory-worker /etc/credstore/clawfactory-mcp-token")
    local pair
    for pair in "${allowed[@]}"; do
        can_read "${pair% *}" "${pair#* }" || { echo "${pair% *} cannot read ${pair#* }"; ok=1; }
    done
    for pair in "${denied[@]}"; do
        can_read "${pair% *}" "${pair#* }" && { echo "${pair% *} CAN read ${pair#* }"; ok=1; }
    done
    [[ $ok -eq 0 ]] && log "  users: temporal=clawfactory-temporal worker=clawfactory-worker schedules=clawfactory-schedules api=clawfactory-api; ${#allowed[@]} reads allowed, ${#denied[@]} refused as expected"
    return $ok
}

# mode_is PATH "MODE USER:GROUP"
mode_is() {
    local got
    got=$(in_ct stat -c '%a %U:%G' "$1" 2>&1)
    [[ $got == "$2" ]] || { echo "$1 is '$got', want '$2'"; return 1; }
}

check_state_files() {
    in_ct test -s /var/lib/clawfactory-temporal/temporal.db || { echo "no temporal.db"; return 1; }
    local ok=0 f
    mode_is /var/lib/clawfactory-temporal "700 clawfactory-temporal:clawfactory-temporal" || ok=1
    mode_is /var/lib/clawfactory-temporal/temporal.db "600 clawfactory-temporal:clawfactory-temporal" || ok=1
    mode_is /var/lib/clawfactory-worker "750 clawfactory-worker:clawfactory-worker" || ok=1
    mode_is /var/lib/clawfactory-worker/ledger.db "640 clawfactory-worker:clawfactory-worker" || ok=1
    mode_is /etc/clawfactory "750 root:clawfactory" || ok=1
    mode_is /etc/clawfactory/definitions "750 root:clawfactory" || ok=1
    for f in $(in_ct sh -c 'ls /etc/clawfactory/definitions/*.yaml'); do mode_is "$f" "640 root:clawfactory" || ok=1; done
    for f in temporal worker schedules api; do mode_is "/etc/clawfactory/$f.env" "600 root:root" || ok=1; done
    mode_is /etc/credstore "700 root:root" || ok=1
    mode_is /etc/credstore/clawfactory-api-token "600 root:root" || ok=1
    mode_is /etc/credstore/clawfactory-mcp-token "600 root:root" || ok=1
    mode_is /etc/clawfactory/ui-password "600 root:root" || ok=1
    mode_is /etc/nginx/clawfactory-ui.htpasswd "640 root:www-data" || ok=1
    return $ok
}

check_no_core_dumps() {
    local unit ok=0 pid
    # LimitCORE=0 on every unit that runs a process (and nginx's drop-in): a core dump would put
    # the gateway token, keys or ledger text in a file.
    for unit in "${UNITS[@]}" clawfactory-ledger-prune.service nginx.service; do
        [[ $(unit_prop "$unit" LimitCORE) == 0 ]] || { echo "$unit LimitCORE=$(unit_prop "$unit" LimitCORE), want 0"; ok=1; }
    done
    # And the running processes have it: soft and hard limit 0.
    for unit in clawfactory-temporal.service clawfactory-temporal-worker.service clawfactory-api.service nginx.service; do
        pid=$(unit_prop "$unit" MainPID)
        in_ct grep -qE '^Max core file size +0 +0 ' "/proc/$pid/limits" \
            || { echo "$unit (pid $pid): $(in_ct grep '^Max core' "/proc/$pid/limits")"; ok=1; }
    done
    [[ $ok -eq 0 ]] && log "  LimitCORE=0 on ${#UNITS[@]} units, ledger-prune and nginx; running processes: core limit 0"
    return $ok
}

check_ports_loopback() {
    local listening port ok=0
    listening=$(in_ct ss -ltnH)
    for port in 7233 7243 8233 8082 9464 8090; do
        if ! grep -qE "127\.0\.0\.1:$port\b" <<<"$listening"; then
            echo "nothing on 127.0.0.1:$port"; ok=1
        fi
    done
    # Nothing at all listens beyond loopback (Debian's default site on *:80 is gone).
    if awk '{print $4}' <<<"$listening" | grep -vE '^(127\.[0-9.]+|\[::1\]):[0-9]+$'; then
        echo "^ listening beyond loopback:"; echo "$listening"; ok=1
    fi
    return $ok
}

# The UI's generated password is read inside the container and handed to curl on stdin (-K -):
# it never appears in a command line, in this script's variables or in the test's output.
# shellcheck disable=SC2016  # expanded inside the container, on purpose
readonly UI_LOGIN='printf "user = \"clawfactory:%s\"\n" "$(cat /etc/clawfactory/ui-password)"'
# ui_curl ARGS... — curl inside the container, logged in with the generated UI password.
ui_curl() { in_ct sh -c "$UI_LOGIN"' | curl -K - "$@"' ui_curl "$@"; }
ui_page() { ui_curl -fsS --max-time 5 http://127.0.0.1:8082/; }
ui_lists_default_namespace() { ui_curl -fsS --max-time 5 http://127.0.0.1:8082/api/v1/namespaces | grep -q '"default"'; }
# ui_status [CURL ARGS...] — HTTP status of / without credentials (unless ARGS give some).
ui_status() { in_ct curl -s -o /dev/null --max-time 5 -w '%{http_code}' "$@" http://127.0.0.1:8082/ || true; }
ui_status_is() { [[ $(ui_status) == "$1" ]]; }
ui_auth_status() { ui_curl -s -o /dev/null --max-time 5 -w '%{http_code}' "$@" http://127.0.0.1:8082/ || true; }
ui_auth_status_is() { [[ $(ui_auth_status) == "$1" ]]; }

check_ui_via_nginx() {
    wait_until 30 1 ui_page || { echo "no answer on 127.0.0.1:8082"; ui_page || true; return 1; }
    local page
    page=$(ui_page)
    grep -qi '<html' <<<"$page" || { echo "not HTML: ${page:0:300}"; return 1; }
    grep -q '_app/immutable' <<<"$page" || { echo "not the Temporal UI (a SvelteKit app): ${page:0:300}"; return 1; }
    # The UI server's own API answers through the proxy too, and it is the pinned UI.
    local settings
    settings=$(ui_curl -fsS --max-time 5 http://127.0.0.1:8082/api/v1/settings) \
        || { echo "UI API /api/v1/settings failed through nginx"; return 1; }
    grep -q '"Version":"' <<<"$settings" || { echo "unexpected settings: ${settings:0:300}"; return 1; }
    grep -q '"DisableNewsFetch":true' <<<"$settings" || { echo "the UI news feed is not disabled"; return 1; }
    # Right after a start the UI server may answer 503 until its gRPC connection is up.
    wait_until 20 1 ui_lists_default_namespace \
        || { echo "UI API /api/v1/namespaces did not list namespace default"; return 1; }
}

# secret_in_logs — the generated UI password appears in the test's logs or the container's journal.
secret_in_logs() {
    local password
    password=$(in_ct cat /etc/clawfactory/ui-password)
    [[ -n $password ]] || return 1
    grep -rqF -- "$password" "$WORK/logs" && { echo "the UI password is in $WORK/logs"; return 0; }
    # shellcheck disable=SC2016  # the password is read inside the container
    in_ct sh -c 'journalctl --no-pager -o cat | grep -qF -- "$(cat /etc/clawfactory/ui-password)"' \
        && { echo "the UI password is in the journal"; return 0; }
    return 1
}

check_ui_basic_auth() {
    local htpasswd=/etc/nginx/clawfactory-ui.htpasswd
    # On by default: provisioning generated a password, no htpasswd file was made by hand.
    [[ $(ui_status) == 401 ]] || { echo "without credentials: HTTP $(ui_status), want 401"; return 1; }
    [[ $(ui_status -u clawfactory:wrong) == 401 ]] || { echo "with a wrong password: HTTP $(ui_status -u clawfactory:wrong), want 401"; return 1; }
    [[ $(ui_auth_status) == 200 ]] || { echo "with the generated password: HTTP $(ui_auth_status), want 200"; return 1; }
    ui_lists_default_namespace || { echo "the UI API refused the generated password"; return 1; }
    grep -q 'password: sudo cat /etc/clawfactory/ui-password' "$WORK/logs/provision-1.log" \
        || { echo "provision.sh did not say how to log in:"; tail -n 5 "$WORK/logs/provision-1.log"; return 1; }
    # Stored root-only in plain text, hashed (SHA-512 crypt) for nginx; never logged.
    in_ct grep -q '^clawfactory:[$]6[$]' "$htpasswd" || { echo "htpasswd holds no SHA-512 crypt hash for clawfactory"; return 1; }
    # shellcheck disable=SC2016  # the password is read inside the container
    in_ct sh -c 'grep -qF -- "$(cat /etc/clawfactory/ui-password)" '"$htpasswd" && { echo "the plain password is in $htpasswd"; return 1; }
    if secret_in_logs; then return 1; fi
    # An operator's own htpasswd file is kept as it is.
    in_ct cp -p "$htpasswd" /root/htpasswd.generated
    in_ct sh -c "printf '%s\n' 'operator:{PLAIN}s3cret' > $htpasswd && chmod 0640 $htpasswd && chgrp www-data $htpasswd"
    provision >"$WORK/logs/provision-own-htpasswd.log" 2>&1 || { cat "$WORK/logs/provision-own-htpasswd.log"; return 1; }
    in_ct grep -qx 'operator:{PLAIN}s3cret' "$htpasswd" || { echo "the operator's htpasswd was replaced"; return 1; }
    [[ $(ui_status -u operator:s3cret) == 200 ]] || { echo "the operator's user: HTTP $(ui_status -u operator:s3cret)"; return 1; }
    [[ $(ui_auth_status) == 401 ]] || { echo "generated user still accepted: HTTP $(ui_auth_status), want 401"; return 1; }
    # Without an htpasswd file, provisioning hashes the stored password again (auth never goes off).
    in_ct rm -f "$htpasswd"
    provision >"$WORK/logs/provision-regen-htpasswd.log" 2>&1 || { cat "$WORK/logs/provision-regen-htpasswd.log"; return 1; }
    wait_until 20 0.5 ui_auth_status_is 200 || { echo "after re-hashing: HTTP $(ui_auth_status), want 200"; return 1; }
    [[ $(ui_status) == 401 ]] || { echo "without credentials after re-hashing: HTTP $(ui_status), want 401"; return 1; }
    if secret_in_logs; then return 1; fi
}

check_ui_host_allowlist() {
    local code ok=0 host
    # DNS rebinding: a page on evil.example resolves its name to 127.0.0.1; the browser sends
    # "Host: evil.example:8082" (and, logged in or not, must get nothing of the UI).
    for host in evil.example evil.example:8082 127.0.0.1.evil.example; do
        code=$(ui_status -H "Host: $host")
        [[ $code == 421 ]] || { echo "Host $host without credentials: HTTP $code, want 421"; ok=1; }
        code=$(ui_auth_status -H "Host: $host")
        [[ $code == 421 ]] || { echo "Host $host with credentials: HTTP $code, want 421"; ok=1; }
    done
    code=$(ui_curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Host: evil.example' -H 'Content-Type: application/json' \
        --data '{}' http://127.0.0.1:8082/api/v1/namespaces/default/workflows/evil)
    [[ $code == 421 ]] || { echo "POST with Host evil.example: HTTP $code, want 421"; ok=1; }
    for host in 127.0.0.1:8082 localhost:8082 127.0.0.1 localhost:9000; do
        code=$(ui_auth_status -H "Host: $host")
        [[ $code == 200 ]] || { echo "Host $host: HTTP $code, want 200"; ok=1; }
    done
    # A page on another site posting with the browser's cached credentials: refused by Origin.
    code=$(ui_auth_status -H 'Origin: http://evil.example')
    [[ $code == 403 ]] || { echo "Origin http://evil.example: HTTP $code, want 403"; ok=1; }
    code=$(ui_auth_status -H 'Origin: http://127.0.0.1:8082')
    [[ $code == 200 ]] || { echo "Origin http://127.0.0.1:8082: HTTP $code, want 200"; ok=1; }
    # Another port on this host is another site (a local web app): only the UI's own origin counts.
    for origin in http://localhost:9999 http://127.0.0.1:9999 http://127.0.0.1 null; do
        code=$(ui_auth_status -H "Origin: $origin")
        [[ $code == 403 ]] || { echo "Origin $origin: HTTP $code, want 403"; ok=1; }
    done
    # Reached through a tunnel on another port, the UI's origin is that port's.
    code=$(ui_auth_status -H 'Host: localhost:9000' -H 'Origin: http://localhost:9000')
    [[ $code == 200 ]] || { echo "Host and Origin localhost:9000 (a tunnel): HTTP $code, want 200"; ok=1; }
    code=$(ui_auth_status -H 'Host: localhost:9000' -H 'Origin: http://localhost:8082')
    [[ $code == 403 ]] || { echo "Host localhost:9000, Origin localhost:8082: HTTP $code, want 403"; ok=1; }
    # A configured name (a Tailscale host): refused until provision.sh --ui-host adds it.
    code=$(ui_auth_status -H 'Host: clawfactory.tail0000.ts.net')
    [[ $code == 421 ]] || { echo "unconfigured name: HTTP $code, want 421"; ok=1; }
    provision --ui-host clawfactory.tail0000.ts.net >"$WORK/logs/provision-ui-host.log" 2>&1 || { cat "$WORK/logs/provision-ui-host.log"; return 1; }
    # shellcheck disable=SC2016  # evaluated on each try
    wait_until 20 0.5 eval '[[ $(ui_auth_status -H "Host: clawfactory.tail0000.ts.net") == 200 ]]' \
        || { echo "configured name: HTTP $(ui_auth_status -H 'Host: clawfactory.tail0000.ts.net'), want 200"; ok=1; }
    code=$(ui_auth_status -H 'Host: clawfactory.tail0000.ts.net' -H 'Origin: https://clawfactory.tail0000.ts.net')
    [[ $code == 200 ]] || { echo "configured name's origin: HTTP $code, want 200"; ok=1; }
    code=$(ui_status -H 'Host: clawfactory.tail0000.ts.net')
    [[ $code == 401 ]] || { echo "configured name without credentials: HTTP $code, want 401"; ok=1; }
    # Kept by a run without the option.
    provision >"$WORK/logs/provision-ui-host-kept.log" 2>&1 || { cat "$WORK/logs/provision-ui-host-kept.log"; return 1; }
    grep -q 'nothing changed' "$WORK/logs/provision-ui-host-kept.log" || { cat "$WORK/logs/provision-ui-host-kept.log"; ok=1; }
    return $ok
}

check_ui_security_headers() {
    local headers ok=0 name kind
    for kind in authenticated anonymous misdirected; do
        case $kind in
            authenticated) headers=$(ui_curl -s -D - -o /dev/null --max-time 5 http://127.0.0.1:8082/) ;;
            anonymous) headers=$(in_ct curl -s -D - -o /dev/null --max-time 5 http://127.0.0.1:8082/) ;;
            misdirected) headers=$(in_ct curl -s -D - -o /dev/null --max-time 5 -H 'Host: evil.example' http://127.0.0.1:8082/) ;;
        esac
        # No version in the Server header (server_tokens off).
        grep -qix 'server: nginx'$'\r' <<<"$headers" || { echo "$kind: Server header: $(grep -i '^server:' <<<"$headers")"; ok=1; }
        [[ $kind == misdirected ]] && continue
        for name in "X-Frame-Options: DENY" "Content-Security-Policy: frame-ancestors 'none'" \
            "X-Content-Type-Options: nosniff" "Referrer-Policy: no-referrer" \
            "Cross-Origin-Opener-Policy: same-origin" "Cross-Origin-Resource-Policy: same-origin" "Permissions-Policy: "; do
            grep -qiF "$name" <<<"$headers" || { echo "$kind: no '$name'"; ok=1; }
        done
        # Ours replace the UI's own, never doubled.
        [[ $(grep -ci '^x-frame-options:' <<<"$headers") -eq 1 ]] || { echo "$kind: X-Frame-Options sent $(grep -ci '^x-frame-options:' <<<"$headers") times"; ok=1; }
    done
    # Error pages carry no version either.
    in_ct curl -s --max-time 5 http://127.0.0.1:8082/ | grep -q 'nginx/[0-9]' && { echo "the 401 page names the nginx version"; ok=1; }
    [[ $ok -eq 0 ]] && log "  headers: X-Frame-Options DENY, CSP frame-ancestors 'none', nosniff, no-referrer, COOP/CORP same-origin, Permissions-Policy; Server: nginx (no version)"
    return $ok
}

# ---------------------------------------------------------------------------------------------
# The runs API and MCP through nginx (127.0.0.1:8082, the API's own prefixes; 8090 behind it)

readonly API_URL=http://127.0.0.1:8082/api/v1
readonly MCP_URL=http://127.0.0.1:8082/mcp
# The tokens are read inside the container and handed to curl on stdin (-K -), like the UI's
# password: never on a command line, in this script's variables or in the test's output.
# shellcheck disable=SC2016  # expanded inside the container, on purpose
token_login() { printf 'printf "header = \\"Authorization: Bearer %%s\\"\\n" "$(cut -d" " -f1 %s)"' "$1"; }
# api_curl / mcp_curl ARGS... — curl inside the container with the API's or the MCP token.
api_curl() { in_ct sh -c "$(token_login /etc/credstore/clawfactory-api-token)"' | curl -K - "$@"' api_curl "$@"; }
mcp_curl() { in_ct sh -c "$(token_login /etc/credstore/clawfactory-mcp-token)"' | curl -K - "$@"' mcp_curl "$@"; }
# (Read whole, then searched: grep -q closing the pipe early would fail curl under pipefail.)
# api_run_has_turn ID STEP — GET the run shows a ledger turn of STEP (and no "ledger":"unavailable").
api_run_has_turn() {
    local d
    d=$(api_curl -fsS --max-time 5 "$API_URL/runs/$1") && grep -q '"turns":\[.*"step":"'"$2"'"' <<<"$d" && ! grep -q '"ledger":"unavailable"' <<<"$d"
}
api_lists_definitions() { local d; d=$(api_curl -fsS --max-time 5 "$API_URL/definitions") && grep -q '"SystemTestWorkflow"' <<<"$d"; }

# token_in_logs FILE — the token in FILE (inside the container) appears in the test's logs or the journal.
token_in_logs() {
    local token
    token=$(in_ct cut -d' ' -f1 "$1")
    [[ ${#token} -ge 16 ]] || { echo "no token in $1"; return 0; }
    grep -rqF -- "$token" "$WORK/logs" && { echo "the token of $1 is in $WORK/logs"; return 0; }
    # shellcheck disable=SC2016  # the token is read inside the container
    in_ct sh -c 'journalctl --no-pager -o cat | grep -qF -- "$(cut -d" " -f1 '"$1"')"' \
        && { echo "the token of $1 is in the journal"; return 0; }
    return 1
}

# json_field NAME — the first "NAME":"value" of a JSON text on stdin.
json_field() { sed -n "s/.*\"$1\" *: *\"\\([^\"]*\\)\".*/\\1/p" | head -n1; }

check_api_via_nginx() {
    # The API came up (provisioning generated its token) and answers through nginx with it.
    wait_until 60 1 api_lists_definitions || {
        echo "no definitions through nginx with the API token: HTTP $(api_curl -s -o /dev/null -w '%{http_code}' "$API_URL/definitions")"
        in_ct journalctl -u clawfactory-api -n 30 --no-pager; return 1; }
    grep -q 'API token: sudo cut' "$WORK/logs/provision-1.log" || { echo "provision.sh did not say where the API token is"; return 1; }
    local out ok=0 code
    # Without a token, with a wrong one, with the UI's basic-auth login: 401 problem+json from the
    # API itself (Bearer challenge), not nginx's basic auth.
    for how in none wrong basic; do
        case $how in
            none) out=$(in_ct curl -s -D - --max-time 5 "$API_URL/definitions") ;;
            wrong) out=$(in_ct curl -s -D - --max-time 5 -H 'Authorization: Bearer not-a-token-of-this-api' "$API_URL/definitions") ;;
            basic) out=$(ui_curl -s -D - --max-time 5 "$API_URL/definitions") ;;
        esac
        grep -q '^HTTP/1.1 401' <<<"$out" || { echo "$how: $(head -n1 <<<"$out"), want 401"; ok=1; }
        grep -qi '^content-type: application/problem+json' <<<"$out" || { echo "$how: not problem+json: $(grep -i '^content-type' <<<"$out")"; ok=1; }
        grep -qi '^www-authenticate: Bearer' <<<"$out" || { echo "$how: no Bearer challenge (nginx's basic auth answered?)"; ok=1; }
        grep -q '"status":401' <<<"$out" || { echo "$how: body ${out##*$'\r\n\r\n'}"; ok=1; }
    done
    # Start a run twice with one Idempotency-Key: the same run (201, then 200).
    local key=system-test-key-$RANDOM first second id
    local body='{"type":"SystemTestWorkflow","input":{"topic":"api"}}'
    first=$(api_curl -s --max-time 20 -w '\n%{http_code}' -X POST -H 'Content-Type: application/json' \
        -H "Idempotency-Key: $key" --data "$body" "$API_URL/runs")
    second=$(api_curl -s --max-time 20 -w '\n%{http_code}' -X POST -H 'Content-Type: application/json' \
        -H "Idempotency-Key: $key" --data "$body" "$API_URL/runs")
    [[ $(tail -n1 <<<"$first") == 201 ]] || { echo "first start: $first"; return 1; }
    [[ $(tail -n1 <<<"$second") == 200 ]] || { echo "second start with the same key: $second"; ok=1; }
    id=$(json_field id <<<"$first")
    [[ -n $id && $(json_field id <<<"$second") == "$id" ]] || { echo "two runs for one key: $first / $second"; ok=1; }
    [[ $(json_field runId <<<"$second") == "$(json_field runId <<<"$first")" ]] || { echo "two run ids for one key"; ok=1; }
    # GET the run.
    out=$(api_curl -s --max-time 10 -w '\n%{http_code}' "$API_URL/runs/$id")
    [[ $(tail -n1 <<<"$out") == 200 ]] && grep -q '"type":"SystemTestWorkflow"' <<<"$out" \
        || { echo "GET the run: ${out:0:500}"; ok=1; }
    # Its events stream through nginx as they come (no buffering): the first step's events arrive
    # while the run still waits out its 20 s wait (a buffering proxy would hold them).
    out=$(api_curl -sN --max-time 8 "$API_URL/runs/$id/events" || true)
    grep -q '^id: [0-9]' <<<"$out" && grep -q '^event: step\.' <<<"$out" \
        || { echo "no events within 8 s: ${out:0:500}"; ok=1; }
    workflow_status_is "$id" WORKFLOW_EXECUTION_STATUS_RUNNING || { echo "the run is $(workflow_status "$id") already: the stream proves nothing"; ok=1; }
    # The run's turns come from the worker's ledger, which the API reads read-only (group
    # clawfactory-worker, the ledger 0640): the first step's attempt is there.
    wait_until 20 1 api_run_has_turn "$id" "first" || {
        out=$(api_curl -s --max-time 10 "$API_URL/runs/$id"); echo "no turn of step first in GET the run: ${out:0:600}"; ok=1; }
    # The OpenAPI document.
    out=$(api_curl -fsS --max-time 5 "$API_URL/openapi.yaml") && grep -q '^openapi: 3\.1' <<<"$out" \
        || { echo "no OpenAPI 3.1 document: ${out:0:300}"; ok=1; }
    # A body over 64 KiB: 413 problem+json from nginx, nothing reaches the API.
    out=$(in_ct sh -c 'head -c 70000 /dev/zero | tr "\0" a | curl -s -D - --max-time 5 -X POST -H "Content-Type: application/json" --data-binary @- '"$API_URL/runs")
    grep -q '^HTTP/1.1 413' <<<"$out" && grep -qi '^content-type: application/problem+json' <<<"$out" \
        || { echo "oversized body: $(head -n1 <<<"$out") $(grep -i '^content-type' <<<"$out")"; ok=1; }
    # A path that nginx would normalize into the API's prefix (or out of it) is refused as sent.
    for path in /x/../api/v1/runs /api/v1/runs/../../health /api/v1/runs/%2e%2e/definitions; do
        code=$(api_curl -s -o /dev/null --path-as-is --max-time 5 -w '%{http_code}' "http://127.0.0.1:8082$path")
        [[ $code == 400 || $code == 401 ]] || { echo "$path: HTTP $code, want 400 (or the UI's 401)"; ok=1; }
    done
    # The API's /health is not published (it is the UI's path there: basic auth).
    code=$(in_ct curl -s -o /dev/null --max-time 5 -w '%{http_code}' http://127.0.0.1:8082/health)
    [[ $code == 401 ]] || { echo "/health through nginx: HTTP $code, want the UI's 401"; ok=1; }
    # A page on another site gets nothing, token or not.
    code=$(api_curl -s -o /dev/null --max-time 5 -w '%{http_code}' -H 'Origin: http://evil.example' "$API_URL/definitions")
    [[ $code == 403 ]] || { echo "foreign Origin: HTTP $code, want 403"; ok=1; }
    # The UI and its own API under /api/v1/ still answer, with basic auth.
    ui_lists_default_namespace || { echo "the UI's /api/v1/namespaces does not answer"; ok=1; }
    out=$(ui_curl -fsS --max-time 5 http://127.0.0.1:8082/api/v1/settings) && grep -q '"Version":"' <<<"$out" \
        || { echo "the UI's /api/v1/settings: ${out:0:300}"; ok=1; }
    [[ $(ui_auth_status) == 200 ]] || { echo "the UI page: HTTP $(ui_auth_status)"; ok=1; }
    temporal_ct workflow terminate --workflow-id "$id" --reason "system test" >/dev/null 2>&1 || true
    if token_in_logs /etc/credstore/clawfactory-api-token; then ok=1; fi
    [[ $ok -eq 0 ]] && log "  API through nginx: 401 problem+json without a token; definitions, start (same run for one key), get, events, openapi.yaml with it; 413 over 64 KiB; UI unchanged"
    return $ok
}

readonly MCP_INITIALIZE='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"clawfactory-system-test","version":"1"}}}'

check_mcp_via_nginx() {
    local out code
    out=$(in_ct curl -s -D - --max-time 5 -X POST -H 'Content-Type: application/json' \
        -H 'Accept: application/json, text/event-stream' --data "$MCP_INITIALIZE" "$MCP_URL")
    code=$(head -n1 <<<"$out" | awk '{print $2}')
    if [[ $code == 404 ]]; then
        # Routed to the API (nginx's own location / would have asked for basic auth), which serves
        # no MCP endpoint in this build.
        grep -qi '^content-type: application/.*json' <<<"$out" || { echo "404 that is not the API's: ${out:0:500}"; return 1; }
        log "  /mcp: routed to the API, which serves no MCP endpoint in this build (404): initialize not checked"
        return 0
    fi
    [[ $code == 401 ]] || { echo "/mcp without a token: HTTP ${code:-none}, want 401: ${out:0:500}"; return 1; }
    out=$(mcp_curl -s -D - --max-time 10 -X POST -H 'Content-Type: application/json' \
        -H 'Accept: application/json, text/event-stream' --data "$MCP_INITIALIZE" "$MCP_URL")
    grep -q '^HTTP/1.1 200' <<<"$out" && grep -q '"protocolVersion"' <<<"$out" && grep -q '"serverInfo"' <<<"$out" \
        || { echo "initialize with the MCP token: ${out:0:800}"; in_ct journalctl -u clawfactory-api -n 20 --no-pager; return 1; }
    # The tools an agent gets (the server is stateless: no session to carry).
    out=$(mcp_curl -s --max-time 10 -X POST -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
        --data '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' "$MCP_URL")
    grep -q '"tools" *: *\[' <<<"$out" && grep -q '"list_definitions"' <<<"$out" || { echo "tools/list: ${out:0:500}"; return 1; }
    if token_in_logs /etc/credstore/clawfactory-mcp-token; then return 1; fi
    log "  /mcp through nginx: 401 without a token; initialize and tools/list answer with the MCP token"
}

check_nginx_default_site_gone() {
    in_ct test -e /etc/nginx/sites-enabled/default && { echo "/etc/nginx/sites-enabled/default is still enabled"; return 1; }
    in_ct test -f /etc/nginx/sites-available/default || { echo "the dpkg conffile sites-available/default was deleted"; return 1; }
    grep -q 'removed /etc/nginx/sites-enabled/default' "$WORK/logs/provision-1.log" || { echo "provision.sh did not say it removed the default site"; return 1; }
    local code
    code=$(in_ct curl -s -o /dev/null --max-time 5 -w '%{http_code}' http://127.0.0.1:80/ || true)
    [[ $code == 000 ]] || { echo "port 80 answers HTTP $code"; return 1; }
    [[ -z $(in_ct ss -ltnH 'sport = :80') ]] || { echo "something listens on :80"; return 1; }
}

# lima_probe — the readiness probe's script from vm/clawfactory.yaml (the block under
# "script: |" in "probes:", unindented).
lima_probe() {
    awk '/^probes:/ { p = 1 } p && /^    script: \|/ { s = 1; next } s && /^    [a-z]+:/ { exit } s { sub(/^      /, ""); print }' \
        "$REPO/vm/clawfactory.yaml"
}

check_lima_probe_passes() {
    local script
    script=$(lima_probe)
    grep -q 'ui-password' <<<"$script" || { echo "no probe script found (or it does not log in):"; echo "$script"; return 1; }
    # With auth on, the probe logs in and passes (at once: everything is up).
    in_ct timeout 60 bash -c "$script" || { echo "the readiness probe failed with everything up"; return 1; }
    # It does check: with nginx stopped it keeps failing (cut short after 8 s).
    in_ct systemctl stop nginx.service
    if in_ct timeout 8 bash -c "$script" >/dev/null 2>&1; then
        in_ct systemctl start nginx.service; echo "the probe passed with nginx stopped"; return 1
    fi
    in_ct systemctl start nginx.service || return 1
    wait_until 20 0.5 ui_auth_status_is 200 || { echo "UI down after nginx start"; return 1; }
}

check_restart_temporal() {
    in_ct systemctl restart clawfactory-temporal.service || {
        in_ct journalctl -u clawfactory-temporal -n 30 --no-pager; return 1; }
    in_ct systemctl is-active --quiet clawfactory-temporal.service || return 1
    temporal_ct operator namespace describe --namespace default >/dev/null || { echo "not serving after restart"; return 1; }
    # The worker reconnects on its own (or is restarted by Restart=on-failure).
    wait_until 60 1 in_ct systemctl is-active --quiet clawfactory-temporal-worker.service \
        || { echo "worker not active after the Temporal restart"; return 1; }
}

check_journal_logs() {
    local unit n ok=0
    for unit in "${UNITS[@]}"; do
        # Lines written by the unit's own processes (not systemd's "Started ..." lines).
        n=$(in_ct journalctl --no-pager -o cat "_SYSTEMD_UNIT=$unit" | wc -l)
        [[ $n -gt 0 ]] || { echo "no log lines from $unit's processes"; ok=1; }
    done
    in_ct journalctl -u clawfactory-temporal --no-pager -n 1 >/dev/null || ok=1
    return $ok
}

check_gateway_credential() {
    local cred=/run/credentials/clawfactory-temporal-worker.service/gateway-token
    # No token file: started already (check_units_active); the credential is simply absent.
    if in_ct test -e "$cred"; then echo "credential present without a token file"; return 1; fi
    in_ct sh -c 'umask 077; printf test-token > /etc/credstore/clawfactory-gateway-token'
    in_ct systemctl restart clawfactory-temporal-worker.service || { in_ct rm -f /etc/credstore/clawfactory-gateway-token; return 1; }
    local content others=""
    content=$(in_ct cat "$cred" 2>&1 || true)
    # Only the worker's user can read it: not the Temporal server's, not the schedules sync's.
    can_read clawfactory-worker "$cred" || others+=" (not even clawfactory-worker)"
    can_read clawfactory-temporal "$cred" && others+=" clawfactory-temporal"
    can_read clawfactory-schedules "$cred" && others+=" clawfactory-schedules"
    in_ct rm -f /etc/credstore/clawfactory-gateway-token
    in_ct systemctl restart clawfactory-temporal-worker.service
    [[ $content == test-token ]] || { echo "credential content: '$content'"; return 1; }
    [[ -z $others ]] || { echo "the credential is readable by:$others"; return 1; }
    if in_ct journalctl --no-pager -o cat _SYSTEMD_UNIT=clawfactory-temporal-worker.service | grep -q test-token; then
        echo "the token appears in the worker's log"; return 1
    fi
}

check_worker_stops_cleanly() {
    in_ct systemctl stop clawfactory-temporal-worker.service
    local result status
    result=$(unit_prop clawfactory-temporal-worker.service Result)
    status=$(unit_prop clawfactory-temporal-worker.service ExecMainStatus)
    in_ct systemctl start clawfactory-temporal-worker.service
    [[ $result == success ]] || { echo "stop result '$result' (exit status $status)"; return 1; }
}

# worker_maps PATTERN — the worker's main process is the JVM (not yet the clawfactory-java shell
# it was exec'd from) and has mapped a file matching PATTERN.
worker_maps() {
    local pid
    pid=$(unit_prop clawfactory-temporal-worker.service MainPID)
    [[ $(in_ct readlink "/proc/$pid/exe") == */bin/java ]] && in_ct grep -q "$1" "/proc/$pid/maps"
}

# readme_cache_cmd EXT — the command systemd/README.md gives to test a cache file of kind EXT
# (jsa: -Xshare:on -Xlog:cds; aot: -XX:AOTMode=on -Xlog:aot): the ```sh block that runs java as
# clawfactory-worker against clawfactory-worker-*.EXT.
readme_cache_cmd() {
    awk -v ext="$1" '
        /^```/ { if (on && cmd ~ ("clawfactory-worker-[*][.]" ext)) { printf "%s", cmd; exit } on = 0; cmd = ""; next }
        /^sudo sh -c .runuser -u clawfactory-worker -- java/ { on = 1 }
        on { cmd = cmd $0 "\n" }' "$REPO/systemd/README.md"
}

check_worker_uses_cds_archive() {
    # worker_stops_cleanly stopped the worker once: clawfactory-java recorded the class cache as
    # the JVM exited, and the start after it maps the cache. Which cache depends on the JDK (and
    # the launcher): the dynamic AppCDS archive clawfactory-worker-<key>.jsa (Java 17; accepted
    # when -Xshare:on -Xlog:cds reports sharing), or the JDK 25 AOT cache
    # clawfactory-worker-<key>.aot (-XX:AOTMode=on -Xlog:aot). `systemctl start` of a Type=exec
    # unit returns once clawfactory-java (a shell script) runs; the JVM it execs maps the cache
    # some 50-100 ms later, so wait for it rather than read /proc/PID/maps at once.
    local archive pid ext
    archive=$(in_ct find /var/lib/clawfactory-worker -maxdepth 1 \( -name 'clawfactory-worker-*.jsa' \
        -o -name 'clawfactory-worker-*.aot' \) -size +1M)
    [[ -n $archive ]] || { echo "no class cache (.jsa or .aot) recorded:"; in_ct ls -la /var/lib/clawfactory-worker; return 1; }
    [[ $(wc -l <<<"$archive") -eq 1 ]] || { echo "more than one cache left: $archive"; return 1; }
    ext=${archive##*.}
    if ! wait_until 20 0.5 worker_maps "clawfactory-worker-.*\\.$ext"; then
        pid=$(unit_prop clawfactory-temporal-worker.service MainPID)
        echo "the worker (pid $pid, $(in_ct readlink "/proc/$pid/exe")) does not map $archive"
        # The running JVM's own flags (without the cache and logging ones), with the cache forced
        # on: the JVM fails instead of falling back and says why (same user, flags, jar).
        local opts=() o
        while IFS= read -r -d '' o; do
            [[ $o == -jar ]] && break
            case $o in -XX:AOTCache*|-XX:SharedArchiveFile=*|-XX:ArchiveClassesAtExit=*|-Xshare:*|-Xlog:*) ;; -*) opts+=("$o") ;; esac
        done < <(in_ct cat "/proc/$pid/cmdline" | tail -z -n +2)
        if [[ $ext == aot ]]; then
            opts+=(-XX:AOTMode=on -Xlog:aot -XX:AOTCache="$archive")
        else
            opts+=(-XX:SharedArchiveFile="$archive" -Xshare:on "-Xlog:cds=info,class+path=info")
        fi
        in_ct runuser -u "$(unit_prop clawfactory-temporal-worker.service User)" -- java "${opts[@]}" \
            -cp /opt/clawfactory/lib/clawfactory-worker.jar -version 2>&1 | grep -v 'Mapped\|Reserved' | tail -n 20
        return 1
    fi
    # The diagnosis systemd/README.md gives for this kind of cache (run verbatim, as root instead
    # of through sudo) accepts it: so it is valid, not merely present.
    local readme_cmd out
    readme_cmd=$(readme_cache_cmd "$ext")
    [[ -n $readme_cmd ]] || { echo "no command for a clawfactory-worker-*.$ext cache in systemd/README.md"; return 1; }
    out=$(in_ct bash -c "${readme_cmd#sudo }" 2>&1) || { echo "the README's command failed:"; echo "$out" | grep -v 'Mapped\|Reserved' | tail -n 20; return 1; }
    grep -q 'sharing)' <<<"$out" || { echo "the README's command does not report sharing: $(tail -n 3 <<<"$out")"; return 1; }
    local what="AppCDS archive" how="-Xshare:on"
    [[ $ext == aot ]] && what="AOT cache" how="-XX:AOTMode=on"
    log "  $what ${archive##*/} $(in_ct du -m "$archive" | cut -f1) MiB, mapped by the running worker ($(in_ct readlink -f /usr/bin/java)); $how accepts it"
    # The launcher names the same folder to the worker, which keeps sqlite-jdbc's native library
    # there (SqliteNativeLibrary) instead of extracting it to its private /tmp at every start.
    local lib
    lib=$(in_ct find /var/lib/clawfactory-worker -maxdepth 1 -name 'sqlite-*-libsqlitejdbc.so')
    [[ -n $lib ]] || { echo "no copy of sqlite-jdbc's native library kept:"; in_ct ls -la /var/lib/clawfactory-worker; return 1; }
    worker_maps "clawfactory-worker/sqlite-.*-libsqlitejdbc\\.so" || {
        echo "the worker does not map $lib:"
        in_ct grep sqlitejdbc "/proc/$(unit_prop clawfactory-temporal-worker.service MainPID)/maps"
        return 1
    }
    log "  sqlite-jdbc's native library ${lib##*/} kept in the state folder and mapped from there"
}

check_schedules_sync() {
    in_ct systemctl restart clawfactory-schedules.service || {
        in_ct journalctl -u clawfactory-schedules -n 30 --no-pager; return 1; }
    [[ $(unit_prop clawfactory-schedules.service Result) == success ]] || return 1
    local list
    list=$(temporal_ct schedule list 2>&1) || { echo "$list"; return 1; }
    grep -q poetry-research-daily <<<"$list" || { echo "schedule poetry-research-daily missing:"; echo "$list"; return 1; }
    grep -q system-test-hourly <<<"$list" || { echo "schedule system-test-hourly missing:"; echo "$list"; return 1; }
    # The first sync (at provision) recorded a class archive for the next ones, in the unit's cache
    # folder and the service user's alone.
    local owner mode size path
    read -r owner mode size path < <(in_ct find /var/cache/clawfactory-schedules -maxdepth 1 \
        -name 'clawfactory-schedules-*.jsa' -printf '%u %m %s %p\n') || true
    [[ ${owner:-} == clawfactory-schedules && ${mode:-} == 600 && ${size:-0} -gt 0 ]] || {
        echo "no class archive of the sync that is the service user's alone (owner '${owner:-}', mode '${mode:-}'):"
        in_ct ls -la /var/cache/clawfactory-schedules; return 1; }
    log "  the sync's class archive ${path##*/}: $size bytes, 0600, clawfactory-schedules"
}

check_manual_start_survives_restart() {
    # Verbatim the command from systemd/README.md (default address localhost:7233).
    in_ct /opt/clawfactory/bin/temporal workflow start --type PoetryResearchWorkflow \
        --task-queue clawfactory --workflow-id poetry-research-manual >/dev/null || return 1
    in_ct systemctl restart clawfactory-temporal.service || return 1
    local out
    out=$(temporal_ct workflow describe --workflow-id poetry-research-manual -o json 2>&1) || { echo "$out"; return 1; }
    grep -q WORKFLOW_EXECUTION_STATUS_RUNNING <<<"$out" || { echo "after the restart: ${out:0:2000}"; return 1; }
    temporal_ct workflow terminate --workflow-id poetry-research-manual --reason "system test" >/dev/null || true
}

# workflow_status ID — e.g. WORKFLOW_EXECUTION_STATUS_COMPLETED.
workflow_status() {
    temporal_ct workflow describe --workflow-id "$1" -o json 2>/dev/null |
        sed -n 's/.*"status": *"\(WORKFLOW_EXECUTION_STATUS_[A-Z_]*\)".*/\1/p' | head -n1
}
workflow_status_is() { [[ $(workflow_status "$1") == "$2" ]]; }

check_workflow_via_stub_gateway() {
    local id=system-test-stub-$RANDOM log=/var/lib/stub-gateway/requests.jsonl
    use_stub_gateway || return 1
    temporal_ct workflow start --type SystemTestWorkflow --task-queue clawfactory --workflow-id "$id" >/dev/null || return 1
    # Two turns around a 20 s durable wait.
    wait_until 90 1 workflow_status_is "$id" WORKFLOW_EXECUTION_STATUS_COMPLETED || {
        echo "workflow $id is $(workflow_status "$id")"; in_ct journalctl -u clawfactory-temporal-worker -n 30 --no-pager; return 1; }
    local requests
    requests=$(in_ct cat "$log")
    [[ $(grep -c '"path": "/hooks/agent"' <<<"$requests") -eq 2 ]] || { echo "stub saw:"; echo "$requests"; return 1; }
    grep -q '"name": "system-test-first"' <<<"$requests" || { echo "no first turn: $requests"; return 1; }
    grep -q '"name": "system-test-second"' <<<"$requests" || { echo "no second turn: $requests"; return 1; }
    grep -q '"status": 401' <<<"$requests" && { echo "the worker sent a wrong token: $requests"; return 1; }
    back_to_dry_run
}

# stub_requests WORKFLOW_ID — the stub's logged /hooks/agent requests of one workflow.
stub_requests() {
    in_ct cat /var/lib/stub-gateway/requests.jsonl 2>/dev/null | grep '"path": "/hooks/agent"' | grep -F "\"$1/" || true
}
stub_request_count_is() { [[ $(stub_requests "$1" | grep -c . || true) -ge $2 ]]; }

# use_stub_gateway [STUB_ENV...] — stub gateway up, worker pointed at it with a matching token.
use_stub_gateway() {
    in_ct sh -c 'umask 077; printf stub-token > /etc/credstore/clawfactory-gateway-token'
    start_stub_gateway STUB_TOKEN=stub-token "$@" || { echo "stub gateway did not come up"; return 1; }
    set_worker_env GATEWAY_URL=http://127.0.0.1:18789 GATEWAY_KIND=openclaw-hooks
}

# back_to_dry_run — undo use_stub_gateway.
back_to_dry_run() {
    in_ct rm -f /etc/credstore/clawfactory-gateway-token
    set_worker_env
    in_ct systemctl stop clawfactory-stub-gateway.service || true
}

check_restart_mid_wait() {
    local id=system-test-restart-$RANDOM
    use_stub_gateway || return 1
    temporal_ct workflow start --type SystemTestWorkflow --task-queue clawfactory --workflow-id "$id" >/dev/null || return 1
    wait_until 30 1 stub_request_count_is "$id" 1 || { echo "first turn never reached the stub"; return 1; }
    # Inside the 20 s durable wait: restart the server and the worker.
    in_ct systemctl restart clawfactory-temporal.service || return 1
    in_ct systemctl restart clawfactory-temporal-worker.service || return 1
    wait_until 90 1 workflow_status_is "$id" WORKFLOW_EXECUTION_STATUS_COMPLETED || {
        echo "workflow $id is $(workflow_status "$id")"; return 1; }
    local n
    n=$(stub_requests "$id" | grep -c .)
    [[ $n -eq 2 ]] || { echo "$n gateway calls, want 2 (one per turn):"; stub_requests "$id"; return 1; }
    back_to_dry_run
}

check_kill_worker_mid_turn() {
    local id=system-test-kill-$RANDOM
    # The stub takes 8 s per answer: enough to kill the worker while the first turn is in flight.
    use_stub_gateway STUB_DELAY=8 || return 1
    temporal_ct workflow start --type SystemTestWorkflow --task-queue clawfactory --workflow-id "$id" >/dev/null || return 1
    wait_until 30 1 activity_started "$id" || { echo "no activity started"; return 1; }
    sleep 2
    in_ct systemctl kill --signal=SIGKILL clawfactory-temporal-worker.service
    # Restart=on-failure brings the worker back; the turn is retried after its 30 s timeout.
    wait_until 30 1 in_ct systemctl is-active --quiet clawfactory-temporal-worker.service \
        || { echo "worker not restarted after SIGKILL"; return 1; }
    wait_until 150 1 workflow_status_is "$id" WORKFLOW_EXECUTION_STATUS_COMPLETED || {
        echo "workflow $id is $(workflow_status "$id")"; stub_requests "$id"; return 1; }
    # Every call for the first turn carried the same idempotency key (so a real gateway runs it once).
    local keys
    keys=$(stub_requests "$id" | grep '"name": "system-test-first"' | grep -o '"idempotencyKey": "[^"]*"' | sort -u | wc -l)
    [[ $keys -eq 1 ]] || { echo "first turn sent with $keys different idempotency keys:"; stub_requests "$id"; return 1; }
    [[ $(in_ct systemctl show -p NRestarts --value clawfactory-temporal-worker.service) -ge 1 ]] \
        || { echo "systemd did not count a restart"; return 1; }
    # The ledger (a real SQLite file) holds exactly one successful attempt per turn: no duplicate.
    local ledger
    ledger=$(in_ct sqlite3 /var/lib/clawfactory-worker/ledger.db \
        "SELECT step_id || '=' || COUNT(*) FROM turn_attempt WHERE workflow_id = '$id' AND status = 'ok' GROUP BY step_id ORDER BY step_id;")
    [[ $(tr '\n' ' ' <<<"$ledger") == "first=1 second=1 " ]] || {
        echo "ledger ok-attempts per step: ${ledger:-none} (want first=1 second=1)"
        in_ct sqlite3 /var/lib/clawfactory-worker/ledger.db \
            "SELECT step_id, attempt, status, error FROM turn_attempt WHERE workflow_id = '$id';"
        return 1; }
    back_to_dry_run
}

activity_started() {
    temporal_ct workflow describe --workflow-id "$1" -o json 2>/dev/null | grep -q 'PENDING_ACTIVITY_STATE_STARTED'
}

# ---------------------------------------------------------------------------------------------
# Command steps under the real units (issue 32)

readonly WORKER_RUNS=/var/lib/clawfactory-worker/runs
# bundle_file ROOT WORKFLOW_ID STEP FILE — the paths of FILE in every bundle of STEP (one a line).
bundle_file() { in_ct sh -c "ls -d $1/$2/*/$3/*/$4 2>/dev/null" || true; }
no_sleep_left() { ! in_ct pgrep -x sleep >/dev/null; }
# unit_procs UNIT — the pids in UNIT's cgroup other than its main process.
unit_extra_procs() {
    local cg main
    cg=$(unit_prop "$1" ControlGroup) main=$(unit_prop "$1" MainPID)
    in_ct cat "/sys/fs/cgroup$cg/cgroup.procs" | grep -vx "$main" || true
}

check_commands_under_worker() {
    local id=system-test-command-$RANDOM sid=system-test-shell-$RANDOM ok=0 out step
    # Commands are off until the operator allows them: here two programs, by the test.
    set_worker_env COMMANDS_ALLOW=/usr/bin/printf,/bin/sh || return 1
    temporal_ct workflow start --type SystemTestCommandWorkflow --task-queue clawfactory --workflow-id "$id" >/dev/null || return 1
    wait_until 60 1 workflow_status_is "$id" WORKFLOW_EXECUTION_STATUS_COMPLETED || {
        echo "workflow $id is $(workflow_status "$id")"; temporal_ct workflow show --workflow-id "$id" 2>&1 | tail -n 20
        in_ct journalctl -u clawfactory-temporal-worker -n 20 --no-pager; set_worker_env; return 1; }
    # Every attempt left a bundle in the worker's state folder: a manifest and the logs.
    for step in hello echo forks; do
        [[ -n $(bundle_file "$WORKER_RUNS" "$id" "$step" manifest.json) ]] || { echo "no bundle for step $step:"; in_ct find "$WORKER_RUNS/$id"; ok=1; }
    done
    # The first step's stdout reached the second (its argument, then its own stdout).
    out=$(in_ct sh -c "cat $(bundle_file "$WORKER_RUNS" "$id" echo cmd-000.stdout.log | head -n1)")
    [[ $out == "got hello-system" ]] || { echo "the second step printed '$out', want 'got hello-system'"; ok=1; }
    out=$(in_ct sh -c "cat $(bundle_file "$WORKER_RUNS" "$id" forks manifest.json | head -n1)")
    grep -q '"how" *: *"exited"' <<<"$out" || { echo "the forking command's manifest: ${out:0:800}"; ok=1; }
    # Its background child was ended with its process group: no process left, and nothing in the
    # worker's cgroup but the JVM.
    wait_until 20 0.5 no_sleep_left || { echo "a command's child is still running:"; in_ct ps -eo pid,pgid,user,args | grep '[s]leep'; ok=1; }
    out=$(unit_extra_procs clawfactory-temporal-worker.service)
    [[ -z $out ]] || { echo "processes left in the worker's cgroup: $(in_ct ps -o pid,args -p "$(tr '\n' , <<<"$out")")"; ok=1; }
    # A shell with a command string: refused by the worker's gate, not retried, the run fails
    # naming the gate and how to open it.
    temporal_ct workflow start --type SystemTestShellWorkflow --task-queue clawfactory --workflow-id "$sid" >/dev/null || return 1
    wait_until 60 1 workflow_status_is "$sid" WORKFLOW_EXECUTION_STATUS_FAILED || { echo "shell run $sid is $(workflow_status "$sid")"; ok=1; }
    out=$(temporal_ct workflow show --workflow-id "$sid" -o json 2>&1)
    grep -q 'gate COMMANDS_ALLOW_SHELL' <<<"$out" && grep -q 'set COMMANDS_ALLOW_SHELL=true' <<<"$out" \
        || { echo "the failure does not name the gate: $(grep -o '"message": *"[^"]*"' <<<"$out" | head -n 3)"; ok=1; }
    out=$(bundle_file "$WORKER_RUNS" "$sid" shell manifest.json)
    [[ $(grep -c . <<<"$out") -eq 1 ]] || { echo "want one bundle of the refused step (not retried), got: $out"; ok=1; }
    in_ct grep -q '"how" *: *"refused"' "$(head -n1 <<<"$out")" || { echo "the refused bundle's manifest does not say refused"; ok=1; }
    set_worker_env
    [[ $ok -eq 0 ]] && log "  commands under the worker unit: output passed on, bundles in $WORKER_RUNS, no process left; shell string refused (gate COMMANDS_ALLOW_SHELL)"
    return $ok
}

check_agent_host() {
    local id=system-test-agent-$RANDOM ok=0 score out runs=/var/lib/clawfactory-agent/test/runs
    # Installed by provisioning, not enabled: an agent host is the operator's choice.
    in_ct test -f /etc/systemd/system/clawfactory-agent@.service || { echo "clawfactory-agent@.service not installed"; return 1; }
    [[ $(in_ct systemctl is-enabled "$AGENT" 2>/dev/null || true) != enabled ]] || { echo "$AGENT is enabled by provisioning"; ok=1; }
    score=$(in_ct systemd-analyze security --no-pager "$AGENT" | sed -n 's/.*exposure level for .*: \([0-9.]*\).*/\1/p')
    log "  exposure $AGENT: ${score:-?}"
    echo "$AGENT ${score:-?}" >>"$WORK/logs/exposure.txt"
    exposure_ok "$AGENT" "$score" || { echo "$AGENT exposure ${score:-?} > ${EXPOSURE_MAX[$AGENT]}"; ok=1; }
    # The documented setup: its settings from the template, its own allow-list; then start it.
    in_ct install -m 0600 /opt/clawfactory/doc/systemd/agent.env /etc/clawfactory/agent-test.env || return 1
    in_ct sh -c 'echo COMMANDS_ALLOW=/usr/bin/printf >> /etc/clawfactory/agent-test.env'
    in_ct systemctl start "$AGENT" || { in_ct journalctl -u "$AGENT" -n 30 --no-pager; return 1; }
    temporal_ct workflow start --type SystemTestAgentWorkflow --task-queue clawfactory --workflow-id "$id" >/dev/null || return 1
    wait_until 120 1 workflow_status_is "$id" WORKFLOW_EXECUTION_STATUS_COMPLETED || {
        echo "workflow $id is $(workflow_status "$id")"; in_ct journalctl -u "$AGENT" -n 30 --no-pager; ok=1; }
    # The agent ran it, as its own user, and keeps the bundle in its state folder (not the worker's).
    out=$(in_ct sh -c "cat $runs/$id/*/remote/*/cmd-000.stdout.log" 2>&1)
    [[ $out == "from-agent-$id" ]] || { echo "agent bundle output: '$out'"; ok=1; }
    [[ -z $(bundle_file "$WORKER_RUNS" "$id" remote manifest.json) ]] || { echo "the worker ran the agent's step"; ok=1; }
    [[ $(in_ct ps -o user:32= -p "$(unit_prop "$AGENT" MainPID)" | tr -d ' ') == clawfactory-agent ]] || { echo "$AGENT does not run as clawfactory-agent"; ok=1; }
    out=$(in_ct journalctl --no-pager -b -o cat -u "$AGENT" | grep -E 'Referenced but unset|Unknown key|Ignoring' || true)
    [[ -z $out ]] || { echo "systemd about $AGENT: $out"; ok=1; }
    in_ct systemctl stop "$AGENT"
    [[ $(unit_prop "$AGENT" Result) == success ]] || { echo "$AGENT stop result: $(unit_prop "$AGENT" Result)"; ok=1; }
    in_ct rm -f /etc/clawfactory/agent-test.env
    [[ $ok -eq 0 ]] && log "  agent host clawfactory-agent@test: ran a host: test step as clawfactory-agent, bundle in $runs"
    return $ok
}

check_env_file_kept() {
    in_ct sh -c 'echo "# edited by the system test" >> /etc/clawfactory/worker.env'
    provision >"$WORK/logs/provision-env.log" 2>&1 || { cat "$WORK/logs/provision-env.log"; return 1; }
    grep -q 'kept /etc/clawfactory/worker.env' "$WORK/logs/provision-env.log" || { cat "$WORK/logs/provision-env.log"; return 1; }
    in_ct grep -q 'edited by the system test' /etc/clawfactory/worker.env
}

check_definitions_managed_like_conffiles() {
    local defs=/etc/clawfactory/definitions
    # 1. A definition edited in place survives provisioning.
    in_ct sh -c "echo '# edited by the operator' >> $defs/system-test.yaml"
    provision >"$WORK/logs/provision-def-edit.log" 2>&1 || { cat "$WORK/logs/provision-def-edit.log"; return 1; }
    in_ct grep -q 'edited by the operator' "$defs/system-test.yaml" || { echo "the edit was overwritten"; return 1; }
    grep -q "kept $defs/system-test.yaml" "$WORK/logs/provision-def-edit.log" || { cat "$WORK/logs/provision-def-edit.log"; return 1; }
    # 2. A definition gone from the repo (and not edited) is removed, a new one is added.
    mv "$WORK/stage/definitions/poetry-research.yaml" "$WORK/poetry-research.yaml.aside"
    provision >"$WORK/logs/provision-def-rm.log" 2>&1 || { cat "$WORK/logs/provision-def-rm.log"; return 1; }
    if in_ct test -e "$defs/poetry-research.yaml"; then echo "removed definition still installed"; return 1; fi
    mv "$WORK/poetry-research.yaml.aside" "$WORK/stage/definitions/poetry-research.yaml"
    provision >"$WORK/logs/provision-def-add.log" 2>&1 || { cat "$WORK/logs/provision-def-add.log"; return 1; }
    in_ct test -e "$defs/poetry-research.yaml" || { echo "definition not reinstalled"; return 1; }
    # The worker and the schedules were restarted with the new set and are healthy.
    in_ct systemctl is-active --quiet clawfactory-temporal-worker.service || { echo "worker not active"; return 1; }
    [[ $(unit_prop clawfactory-schedules.service Result) == success ]] || { echo "schedules sync failed"; return 1; }
}

# service_state — what a restart of the worker, the schedules sync or Temporal would change.
service_state() {
    local u
    for u in "${UNITS[@]}"; do
        echo "$u $(unit_prop "$u" InvocationID) $(unit_prop "$u" MainPID) $(unit_prop "$u" NRestarts)"
    done
}

check_provision_refuses_invalid_definitions() {
    local defs=/etc/clawfactory/definitions log=$WORK/logs/provision-invalid.log before after state_before state_after rc=0
    # A new definition from the repo with a bad duration (line 9, column 11): on its own it would
    # restart the worker and re-run the sync.
    cat >"$WORK/stage/definitions/broken.yaml" <<'YAML'
# An invalid definition: provision.sh must refuse it before installing anything.
name: BrokenWorkflow
steps:
  - id: first
    agentTurn:
      name: broken-first
      message: "never sent"
  - id: settle
    wait: forever
YAML
    before=$(in_ct sh -c "cd $defs && sha256sum * | sort")
    state_before=$(service_state)
    provision >"$log" 2>&1 || rc=$?
    rm -f "$WORK/stage/definitions/broken.yaml"
    after=$(in_ct sh -c "cd $defs && sha256sum * | sort")
    state_after=$(service_state)
    [[ $rc -ne 0 ]] || { echo "provision.sh accepted an invalid definition:"; cat "$log"; return 1; }
    grep -q "$STAGE_IN_CT/definitions/broken.yaml:9:11: .*'forever' is not a duration" "$log" \
        || { echo "the problem is not named as file:line:col:"; cat "$log"; return 1; }
    grep -q 'definitions are invalid .*nothing was installed and no service was restarted' "$log" \
        || { echo "no clear refusal:"; cat "$log"; return 1; }
    [[ $before == "$after" ]] || { echo "installed definitions changed:"; diff <(echo "$before") <(echo "$after"); return 1; }
    [[ $state_before == "$state_after" ]] || { echo "a service was restarted:"; diff <(echo "$state_before") <(echo "$state_after"); return 1; }
    grep -q 'changed:' "$log" && { echo "something was changed:"; cat "$log"; return 1; }
    # An operator's invalid edit of an installed file is refused the same way, named by its path.
    in_ct cp "$defs/system-test.yaml" /root/system-test.yaml.good
    in_ct sed -i 's/^    wait: 20s$/    wait: soon/' "$defs/system-test.yaml"
    rc=0
    provision --restart >"$WORK/logs/provision-invalid-edit.log" 2>&1 || rc=$?
    in_ct cp /root/system-test.yaml.good "$defs/system-test.yaml"
    state_after=$(service_state)
    [[ $rc -ne 0 ]] || { echo "provision.sh --restart accepted an invalid edited definition"; cat "$WORK/logs/provision-invalid-edit.log"; return 1; }
    grep -q "$defs/system-test.yaml:[0-9]*:[0-9]*: .*'soon' is not a duration" "$WORK/logs/provision-invalid-edit.log" \
        || { echo "the edited file is not named:"; cat "$WORK/logs/provision-invalid-edit.log"; return 1; }
    [[ $state_before == "$state_after" ]] || { echo "--restart restarted a service despite invalid definitions"; return 1; }
    # Fixed: provisioning goes through again and the worker is still healthy.
    provision >"$WORK/logs/provision-valid-again.log" 2>&1 || { cat "$WORK/logs/provision-valid-again.log"; return 1; }
    grep -q 'definitions: .* valid' "$WORK/logs/provision-valid-again.log" || { cat "$WORK/logs/provision-valid-again.log"; return 1; }
    in_ct systemctl is-active --quiet clawfactory-temporal-worker.service || { echo "worker not active"; return 1; }
}

check_upgrade_from_shared_user() {
    # A host provisioned before one user per unit: everything ran as "clawfactory", the state
    # folders and env files belonged to it, basic auth was off (auth.conf only with an htpasswd
    # file). Rebuild that state, then provision: the services come back under their own users,
    # the state is handed over (StateDirectory= chowns it) and auth is on.
    local unit log=$WORK/logs/provision-upgrade.log
    for unit in "${UNITS[@]}"; do in_ct systemctl stop "$unit"; done
    in_ct sh -c 'getent passwd clawfactory >/dev/null || useradd --system --gid clawfactory --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin clawfactory'
    in_ct chown -R clawfactory:clawfactory /var/lib/clawfactory-temporal /var/lib/clawfactory-worker
    in_ct sh -c 'chown root:clawfactory /etc/clawfactory/*.env && chmod 0640 /etc/clawfactory/*.env'
    in_ct sh -c 'rm -f /etc/nginx/clawfactory-ui.htpasswd /etc/clawfactory/ui-password && \
        echo "# auth.conf of the earlier layout" > /etc/nginx/clawfactory/auth.conf'
    provision >"$log" 2>&1 || { cat "$log"; return 1; }
    grep -q 'removed /etc/nginx/clawfactory/auth.conf' "$log" || { echo "old auth.conf not removed:"; cat "$log"; return 1; }
    grep -q '/etc/clawfactory/worker.env is now 0600 root:root' "$log" || { echo "env file modes not fixed:"; cat "$log"; return 1; }
    check_units_active || return 1
    check_runs_as_own_users >/dev/null || { check_runs_as_own_users; return 1; }
    check_state_files || return 1
    [[ $(in_ct find /var/lib/clawfactory-temporal /var/lib/clawfactory-worker -user clawfactory | wc -l) -eq 0 ]] \
        || { echo "files still owned by clawfactory:"; in_ct find /var/lib/clawfactory-temporal /var/lib/clawfactory-worker -user clawfactory; return 1; }
    [[ $(ui_status) == 401 ]] || { echo "auth is not on after the upgrade: HTTP $(ui_status)"; return 1; }
    wait_until 20 0.5 ui_auth_status_is 200 || { echo "the new password does not work: HTTP $(ui_auth_status)"; return 1; }
    # The schedules survived in Temporal's database under its new owner. The server was restarted
    # by the provisioning just now, and its schedule list is a visibility query: asked until it
    # answers (bounded), and shown when the schedule is missing from it.
    wait_until 20 0.5 schedule_listed poetry-research-daily \
        || { echo "schedules lost in the upgrade:"; temporal_ct schedule list 2>&1; return 1; }
    if secret_in_logs; then return 1; fi
}

check_second_provision_changes_nothing() {
    local before after pids_before pids_after
    before=$(snapshot)
    pids_before=$(for u in "${UNITS[@]}" nginx.service; do unit_prop "$u" MainPID; done)
    provision >"$WORK/logs/provision-2.log" 2>&1 || { cat "$WORK/logs/provision-2.log"; return 1; }
    after=$(snapshot)
    pids_after=$(for u in "${UNITS[@]}" nginx.service; do unit_prop "$u" MainPID; done)
    grep -q 'nothing changed' "$WORK/logs/provision-2.log" || { cat "$WORK/logs/provision-2.log"; return 1; }
    [[ $before == "$after" ]] || { diff <(echo "$before") <(echo "$after"); return 1; }
    [[ $pids_before == "$pids_after" ]] || { echo "a service was restarted"; return 1; }
}

worker_health() { in_ct curl -s --max-time 5 -o /dev/null -w '%{http_code}' http://127.0.0.1:9464/health || true; }
worker_health_is() { [[ $(worker_health) == "$1" ]]; }
# (Read whole, then searched: grep -q closing the pipe early would fail curl under pipefail.)
metrics_have() { local m; m=$(in_ct curl -fsS --max-time 5 http://127.0.0.1:9464/metrics) && grep -qF -- "$1" <<<"$m"; }

check_worker_health_and_metrics() {
    # "active" means ready: ExecStartPost waited for /health, so it answers 200 the moment restart returns.
    in_ct systemctl restart clawfactory-temporal-worker.service || { in_ct journalctl -u clawfactory-temporal-worker -n 30 --no-pager; return 1; }
    local h
    h=$(in_ct curl -sS --max-time 5 http://127.0.0.1:9464/health) || { echo "no /health right after the start"; return 1; }
    grep -q '^{"status":"UP"' <<<"$h" || { echo "health right after the start: $h"; return 1; }
    # A dry-run turn shows in the metrics; the run is found by its definition's search attribute.
    local id=system-test-metrics-$RANDOM
    temporal_ct workflow start --type SystemTestWorkflow --task-queue clawfactory --workflow-id "$id" >/dev/null || return 1
    wait_until 30 1 metrics_have 'clawfactory_turn_attempts_total{kind="dry-run",status="ok",step="first",workflow_type="SystemTestWorkflow"} 1.0' \
        || { echo "no attempt metric:"; in_ct curl -sS http://127.0.0.1:9464/metrics | grep clawfactory_ | head -20; return 1; }
    wait_until 30 1 metrics_have 'temporal_workflow_task_execution_latency' || { echo "no temporal_* metrics"; return 1; }
    local listed
    listed=$(temporal_ct workflow list --query "ClawfactoryDefinition='SystemTestWorkflow'" 2>&1)
    grep -q "$id" <<<"$listed" || { echo "the run is not found by ClawfactoryDefinition: $listed"; return 1; }
    temporal_ct workflow terminate --workflow-id "$id" --reason "system test" >/dev/null || true
    # Temporal gone: 503 with the reason; back: 200.
    in_ct systemctl stop clawfactory-temporal.service
    wait_until 30 1 worker_health_is 503 || { echo "health with Temporal stopped: $(worker_health)"; in_ct systemctl start clawfactory-temporal.service; return 1; }
    h=$(in_ct curl -sS --max-time 5 http://127.0.0.1:9464/health || true)
    grep -q "Temporal does not answer" <<<"$h" || { echo "no reason given: $h"; return 1; }
    in_ct systemctl start clawfactory-temporal.service || return 1
    wait_until 60 1 worker_health_is 200 || { echo "health after Temporal came back: $(worker_health)"; return 1; }
}

check_ledger_prune() {
    # The daily prune timer is installed and waiting; its service runs `turns prune` cleanly now.
    [[ $(in_ct systemctl is-enabled clawfactory-ledger-prune.timer) == enabled ]] || { echo "prune timer not enabled"; return 1; }
    in_ct systemctl is-active --quiet clawfactory-ledger-prune.timer || { echo "prune timer not active"; return 1; }
    in_ct systemctl start clawfactory-ledger-prune.service || { in_ct journalctl -u clawfactory-ledger-prune -n 30 --no-pager; return 1; }
    [[ $(unit_prop clawfactory-ledger-prune.service Result) == success ]] || { in_ct journalctl -u clawfactory-ledger-prune -n 30 --no-pager; return 1; }
    local out score
    out=$(in_ct journalctl --no-pager -o cat _SYSTEMD_UNIT=clawfactory-ledger-prune.service)
    [[ -n $out ]] || { echo "the prune service logged nothing"; return 1; }
    score=$(in_ct systemd-analyze security --no-pager clawfactory-ledger-prune.service | sed -n 's/.*exposure level for .*: \([0-9.]*\).*/\1/p')
    log "  exposure clawfactory-ledger-prune.service: ${score:-?}; $(tail -n 1 <<<"$out")"
    exposure_ok clawfactory-ledger-prune.service "$score" \
        || { echo "prune exposure ${score:-?} > ${EXPOSURE_MAX[clawfactory-ledger-prune.service]}"; return 1; }
}

CHECKS=(
    provision
    units_active
    units_verify
    security_exposure
    runs_as_own_users
    state_files
    no_core_dumps
    ports_loopback
    ui_via_nginx
    ui_basic_auth
    ui_host_allowlist
    ui_security_headers
    api_via_nginx
    mcp_via_nginx
    nginx_default_site_gone
    lima_probe_passes
    nginx_hardened
    journal_logs
    gateway_credential
    worker_stops_cleanly
    worker_uses_cds_archive
    schedules_sync
    worker_health_and_metrics
    restart_temporal
    manual_start_survives_restart
    workflow_via_stub_gateway
    restart_mid_wait
    kill_worker_mid_turn
    commands_under_worker
    agent_host
    ledger_prune
    env_file_kept
    definitions_managed_like_conffiles
    provision_refuses_invalid_definitions
    upgrade_from_shared_user
    second_provision_changes_nothing
)

# ---------------------------------------------------------------------------------------------

PASSED=0 FAILED=0

run_check() {
    local name=$1 start out rc
    start=$SECONDS
    set +e
    out=$("check_$name" 2>&1)
    rc=$?
    set -e
    if [[ $rc -eq 0 ]]; then
        PASSED=$((PASSED + 1))
        log "ok   $name ($((SECONDS - start))s)"
        grep '^system:   ' <<<"$out" || true   # figures a check reports (log "  ...")
    else
        FAILED=$((FAILED + 1))
        log "FAIL $name ($((SECONDS - start))s)"
        # shellcheck disable=SC2001
        sed 's/^/    | /' <<<"$out" | tail -n 40
    fi
    [[ -z $out ]] || printf '%s\n' "$out" >"$WORK/logs/check-$name.log"
}

main() {
    local started=$SECONDS
    resolve_inputs
    ensure_host_tools
    build_rootfs
    stage_inputs
    trap teardown EXIT
    boot_container
    local name
    if [[ -n $ONLY ]]; then
        run_check provision
        IFS=, read -r -a CHECKS <<<"$ONLY"
    fi
    for name in "${CHECKS[@]}"; do
        [[ -n $ONLY && $name == provision ]] && continue
        declare -F "check_$name" >/dev/null || die "no such check: $name"
        run_check "$name"
        # Without a provisioned system the other checks only repeat the same failure.
        if [[ $name == provision && $FAILED -gt 0 ]]; then break; fi
    done
    log "wall time $((SECONDS - started))s"
    echo "system: $PASSED passed, $FAILED failed"
    [[ $FAILED -eq 0 ]]
}

main "$@"
