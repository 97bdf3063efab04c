#!/usr/bin/env bash
# tests/dev/run.sh — how `./clawfactory dev` stops, checked as a user meets it:
#   ctrl_c_stops_everything     the server runs with the unit's arguments on dev's ports; a terminal
#                               Ctrl-C (SIGINT to the whole process group) stops the worker first,
#                               then the server: no process left, ports free, a few lines of output
#                               and no stack trace
#   second_ctrl_c_stops_at_once a turn in flight makes the worker drain; a second Ctrl-C ends it at once
#   worker_death_stops_dev      the worker dying by itself stops the server too and frees its
#                               ports, so the next `dev` starts
#   server_death_is_one_line    the server dying under the worker is one log line, not stack traces
#   data_is_private             under a umask of 022 the data folder is 0700 (an existing one made
#                               so) and what dev writes in it (ledger, temporal.db, class cache) 0600
# Each check runs `dev` on its own free loopback ports and data folder (with the jars and the
# Temporal CLI already built: ./clawfactory build). Prints "dev: N passed, M failed".
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO
WORK=$(mktemp -d /tmp/clawfactory-dev-test.XXXXXX)
PASSED=0 FAILED=0
DEV_PID=""

log() { echo "dev: $*"; }

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# A base port P with P, P+10 and P+1000 free (dev's gRPC, HTTP and UI ports).
free_base_port() {
    local p i
    for i in $(seq 1 50); do
        p=$((20000 + RANDOM % 20000))
        port_free "$p" && port_free $((p + 10)) && port_free $((p + 1000)) && { echo "$p"; return 0; }
    done
    return 1
}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# with_default_sigint CMD... — run CMD with SIGINT at its default disposition. A shell started in
# the background by a non-interactive parent (as CI may start this script) inherits SIGINT as
# ignored, and an ignored signal can be neither trapped nor reset by bash; a terminal's Ctrl-C
# never meets an ignored SIGINT, so the test restores what a terminal would give.
with_default_sigint() {
    python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}

# start_dev NAME [ENV=VALUE...] — ./clawfactory dev in a process group of its own (as a terminal
# runs a foreground job), output in $WORK/NAME.log; sets DEV_PID (= its process group), PORT, DATA.
# The worker's metrics endpoint takes any free port and the API a free one, so no check depends on
# 9464 or 8090 being free.
start_dev() {
    local name=$1; shift
    PORT=$(free_base_port) DATA=$WORK/$name
    mkdir -p "$DATA"
    set -m
    with_default_sigint env CLAWFACTORY_DATA="$DATA" TEMPORAL_ADDRESS="127.0.0.1:$PORT" WORKER_HTTP_PORT=0 \
        API_HTTP_PORT="$(free_port)" "$@" \
        "$REPO/clawfactory" dev </dev/null >"$WORK/$name.log" 2>&1 &
    DEV_PID=$!
    set +m
    wait_for 120 grep -q "Worker polling" "$WORK/$name.log" || { echo "the worker did not start:"; tail -n 30 "$WORK/$name.log"; return 1; }
}

# wait_for SECONDS CMD... — until CMD succeeds (0.25 s apart), at most SECONDS.
wait_for() {
    local deadline=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do
        [[ $SECONDS -lt $deadline ]] || return 1
        sleep 0.25
    done
}

group_alive() { pgrep -g "$1" >/dev/null 2>&1; }
# Processes of this check's dev (its data folder is on their command lines or in their environment).
leftovers() { pgrep -af -- "$DATA" || true; }
gone() { ! kill -0 "$1" 2>/dev/null; }
worker_pid() { pgrep -f -- "CDS_DIR=$DATA|$DATA/cds/clawfactory-worker" | head -n1; }
java_worker_pid() { pgrep -f -- "-XX:[A-Za-z]*=$DATA/cds/clawfactory-worker" | head -n1; }
server_pid() { pgrep -f -- "--db-filename $DATA/temporal.db" | head -n1; }

ports_free() { port_free "$PORT" && port_free $((PORT + 10)) && port_free $((PORT + 1000)); }

check_ctrl_c_stops_everything() {
    start_dev ctrl-c || return 1
    local server worker before
    server=$(server_pid) worker=$(java_worker_pid)
    [[ -n $server && -n $worker ]] || { echo "server '$server' / worker '$worker' not found"; return 1; }
    # The server runs in a process group of its own, so the terminal's SIGINT does not reach it.
    [[ $(ps -o pgid= -p "$server" | tr -d ' ') != "$DEV_PID" ]] || { echo "the server is in dev's process group"; return 1; }
    # It runs with the unit's arguments (systemd/clawfactory-temporal.service), its three ports moved to PORT.
    local unit cmdline ports='s/--(port|http-port|ui-port) [0-9]+ ?//g'
    unit=$(sed -n 's/^Environment="TEMPORAL_DEV_SERVER_ARGS=\(.*\)"$/\1/p' "$REPO/systemd/clawfactory-temporal.service")
    cmdline=$(tr '\0' ' ' <"/proc/$server/cmdline")
    [[ -n $unit && $(sed -E "$ports" <<<"$cmdline") == *"$(sed -E "$ports" <<<"$unit")"* \
        && $cmdline == *"--port $PORT --http-port $((PORT + 10)) --ui-port $((PORT + 1000)) "* ]] \
        || { echo "the server's arguments are not the unit's ($unit): $cmdline"; return 1; }
    before=$(wc -l <"$WORK/ctrl-c.log")
    kill -INT -- "-$DEV_PID"
    wait_for 60 gone "$DEV_PID" || { echo "dev still running 60 s after Ctrl-C"; return 1; }
    wait_for 10 gone "$worker" || { echo "the worker outlived dev:"; leftovers; return 1; }
    wait_for 10 gone "$server" || { echo "the server outlived dev:"; leftovers; return 1; }
    [[ -z $(leftovers) ]] || { echo "left behind:"; leftovers; return 1; }
    wait_for 10 ports_free || { echo "ports $PORT/$((PORT + 10))/$((PORT + 1000)) still taken"; return 1; }
    local after traces
    after=$(tail -n +"$((before + 1))" "$WORK/ctrl-c.log")
    traces=$(grep -c '^[[:space:]]*at ' <<<"$after" || true)
    [[ $traces -eq 0 ]] || { echo "$traces stack-trace lines after Ctrl-C:"; head -n 20 <<<"$after"; return 1; }
    [[ $(grep -c . <<<"$after") -le 12 ]] || { echo "$(grep -c . <<<"$after") lines after Ctrl-C:"; echo "$after"; return 1; }
    # The worker stopped before the server: its drain ended while the connection was still up.
    grep -q "Worker stopped" <<<"$after" || { echo "the worker did not stop gracefully:"; echo "$after"; return 1; }
    log "  $(grep -c . <<<"$after") lines of output after Ctrl-C"
}

# A gateway that accepts connections and never answers: a turn stays in flight.
start_silent_gateway() {
    GATEWAY_PORT=$(free_port)
    python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
conns = []
deadline = time.time() + 300
s.settimeout(1)
while time.time() < deadline:
    try:
        conns.append(s.accept()[0])
    except socket.timeout:
        pass
' "$GATEWAY_PORT" &
    GATEWAY_PID=$!
    wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$GATEWAY_PORT"
}

check_second_ctrl_c_stops_at_once() {
    start_silent_gateway || { echo "silent gateway did not start"; return 1; }
    local rc=0
    second_ctrl_c || rc=$?
    kill "$GATEWAY_PID" 2>/dev/null || true
    wait "$GATEWAY_PID" 2>/dev/null || true
    return $rc
}

second_ctrl_c() {
    start_dev second-ctrl-c GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT" GATEWAY_TOKEN=dev-test-token \
        WORKER_DRAIN_TIMEOUT=120s || return 1
    "$REPO/.tools/bin/temporal" workflow start --address "127.0.0.1:$PORT" --type PoetryResearchWorkflow \
        --task-queue clawfactory --workflow-id dev-test-in-flight >/dev/null || return 1
    wait_for 30 grep -q "SUCCESS\|running\|agent turn" "$WORK/second-ctrl-c.log" || true
    wait_for 30 bash -c "'$REPO/.tools/bin/temporal' workflow describe --address 127.0.0.1:$PORT --workflow-id dev-test-in-flight -o json | grep -q PENDING_ACTIVITY_STATE_STARTED" \
        || { echo "the turn never started"; return 1; }
    local worker server
    worker=$(java_worker_pid) server=$(server_pid)
    kill -INT -- "-$DEV_PID"
    # The worker drains (up to 120 s) while the turn is in flight ...
    sleep 3
    kill -0 "$worker" 2>/dev/null || { echo "the worker did not drain (it exited at the first Ctrl-C)"; return 1; }
    # ... and a second Ctrl-C ends it at once, then the server stops too.
    kill -INT -- "-$DEV_PID"
    wait_for 10 gone "$worker" || { echo "the worker was still running 10 s after the second Ctrl-C"; return 1; }
    wait_for 30 gone "$DEV_PID" || { echo "dev still running after the second Ctrl-C"; return 1; }
    wait_for 10 gone "$server" || { echo "the server outlived dev"; return 1; }
    [[ -z $(leftovers) ]] || { echo "left behind:"; leftovers; return 1; }
    grep -q "received again: stopping at once" "$WORK/second-ctrl-c.log" \
        || { echo "no forced stop in the log:"; tail -n 20 "$WORK/second-ctrl-c.log"; return 1; }
    if grep -q dev-test-token "$WORK/second-ctrl-c.log"; then echo "the token reached the terminal"; return 1; fi
}

check_worker_death_stops_dev() {
    start_dev worker-death || return 1
    local server worker rc=0
    server=$(server_pid) worker=$(java_worker_pid)
    kill -KILL "$worker"
    wait_for 30 gone "$DEV_PID" || { echo "dev still running 30 s after the worker died"; return 1; }
    wait "$DEV_PID" 2>/dev/null || rc=$?
    [[ $rc -ne 0 ]] || { echo "dev exited 0 although the worker died"; return 1; }
    wait_for 10 gone "$server" || { echo "the server was orphaned:"; leftovers; return 1; }
    wait_for 10 ports_free || { echo "ports still taken"; return 1; }
    if grep -q "unbound variable" "$WORK/worker-death.log"; then grep "unbound" "$WORK/worker-death.log"; return 1; fi
    # The same ports and data serve the next dev at once.
    local port=$PORT
    PORT=$port DATA=$WORK/worker-death
    set -m
    with_default_sigint env CLAWFACTORY_DATA="$DATA" TEMPORAL_ADDRESS="127.0.0.1:$PORT" WORKER_HTTP_PORT=0 \
        API_HTTP_PORT="$(free_port)" "$REPO/clawfactory" dev </dev/null >"$WORK/worker-death-2.log" 2>&1 &
    DEV_PID=$!
    set +m
    wait_for 120 grep -q "Worker polling" "$WORK/worker-death-2.log" || { echo "the next dev did not start:"; tail -n 20 "$WORK/worker-death-2.log"; return 1; }
    kill -INT -- "-$DEV_PID"
    wait_for 60 gone "$DEV_PID" || { echo "the second dev did not stop"; return 1; }
}

check_server_death_is_one_line() {
    start_dev server-death || return 1
    local server worker before after
    server=$(server_pid) worker=$(java_worker_pid)
    before=$(wc -l <"$WORK/server-death.log")
    # The worker sees the connection drop (its pollers fail) before dev stops it.
    kill -KILL "$server"
    wait_for 60 gone "$DEV_PID" || { echo "dev still running 60 s after the server died"; return 1; }
    wait_for 10 gone "$worker" || { echo "the worker outlived dev"; leftovers; return 1; }
    after=$(tail -n +"$((before + 1))" "$WORK/server-death.log")
    if grep -q '^[[:space:]]*at ' <<<"$after"; then echo "stack traces after the server died:"; head -n 30 <<<"$after"; return 1; fi
    [[ $(grep -c "Lost the connection to Temporal\|Temporal connection closed while stopping" <<<"$after") -le 1 ]] \
        || { echo "the lost connection was reported more than once:"; echo "$after"; return 1; }
    [[ $(grep -c . <<<"$after") -le 12 ]] || { echo "$(grep -c . <<<"$after") lines:"; echo "$after"; return 1; }
    log "  $(grep -c . <<<"$after") lines of output after the server died"
}

# modes_in DIR — "MODE PATH" of DIR and of everything below it.
modes_in() { find "$1" -printf '%m %p\n' | sort -k2; }

check_data_is_private() {
    # A login shell's umask: without dev's own, the ledger and the server's database were 0644
    # in a 0755 folder, readable by every account on the machine.
    umask 022
    start_dev private || return 1
    local open
    [[ $(stat -c %a "$DATA") == 700 ]] || { echo "data folder (made 0755 before dev ran):"; modes_in "$DATA"; return 1; }
    wait_for 30 test -s "$DATA/ledger.db" || { echo "no ledger.db"; modes_in "$DATA"; return 1; }
    [[ -s $DATA/temporal.db ]] || { echo "no temporal.db"; modes_in "$DATA"; return 1; }
    # Stopping writes the class cache: it too is private.
    kill -INT -- "-$DEV_PID"
    wait_for 60 gone "$DEV_PID" || { echo "dev still running 60 s after Ctrl-C"; return 1; }
    open=$(find "$DATA" -perm /077 -printf '%m %p\n')
    [[ -z $open ]] || { echo "readable or writable by others:"; echo "$open"; return 1; }
    log "  $(find "$DATA" | wc -l) entries under the data folder, none open to others"
}

cleanup() {
    # Bounded: whatever a failed check left running is killed.
    if [[ -n $DEV_PID ]] && kill -0 "$DEV_PID" 2>/dev/null; then kill -KILL -- "-$DEV_PID" 2>/dev/null || true; fi
    pkill -KILL -f -- "$WORK" 2>/dev/null || true
    if [[ $FAILED -eq 0 ]]; then rm -rf "$WORK"; else log "logs kept in $WORK"; fi
}
trap cleanup EXIT

run_check() {
    local name=$1 start=$SECONDS out rc
    set +e
    out=$("check_$name" 2>&1)
    rc=$?
    set -e
    if [[ -n $DEV_PID ]] && kill -0 "$DEV_PID" 2>/dev/null; then kill -KILL -- "-$DEV_PID" 2>/dev/null || true; fi
    pkill -KILL -f -- "$DATA" 2>/dev/null || true
    if [[ $rc -eq 0 ]]; then
        PASSED=$((PASSED + 1)); log "ok   $name ($((SECONDS - start))s)"
        grep '^dev:   ' <<<"$out" || true
    else
        FAILED=$((FAILED + 1)); log "FAIL $name ($((SECONDS - start))s)"
        sed 's/^/    | /' <<<"$out" | tail -n 40
    fi
}

[[ -x $REPO/.tools/bin/temporal && -f $REPO/worker/target/clawfactory-worker.jar ]] \
    || { echo "dev: build first (./clawfactory build)" >&2; exit 2; }
DATA=$WORK/none
for check in ${DEV_CHECKS:-ctrl_c_stops_everything second_ctrl_c_stops_at_once worker_death_stops_dev server_death_is_one_line data_is_private}; do
    run_check "$check"
done
echo "dev: $PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
