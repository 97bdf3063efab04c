#!/usr/bin/env bash
# tests/vm/run.sh — vm/vm.sh against a fake `limactl` that keeps an instance's state in a file and
# records every call. Lima itself cannot run here (no nested virtualization, and the Go module
# proxy refuses github.com/lima-vm/lima), so this checks what vm.sh asks Lima to do, command by
# command: the create line with the repo parameter and read-only mount, start/stop idempotence,
# the journalctl and provision.sh lines run inside the VM, -i instances, and the refusals.
# vm/provision.sh itself runs under a real systemd in tests/system/run.sh.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK=$(mktemp -d /tmp/clawfactory-vmtest.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# A copy of vm/ next to a stand-in ./clawfactory whose `build` makes the two jars, so vm.sh's
# REPO (the folder above vm/) is the copy and no real build runs.
FAKE_REPO=$WORK/repo
mkdir -p "$FAKE_REPO/vm" "$WORK/bin"
cp "$REPO/vm/vm.sh" "$REPO/vm/clawfactory.yaml" "$FAKE_REPO/vm/"
cat >"$FAKE_REPO/clawfactory" <<'EOF'
#!/usr/bin/env bash
[ "$1" = build ] || exit 9
echo "build" >>"$CALLS"
mkdir -p worker/target schedules/target
mkdir -p api/target
touch worker/target/clawfactory-worker.jar schedules/target/clawfactory-schedules.jar api/target/clawfactory-api.jar
EOF
chmod +x "$FAKE_REPO/clawfactory"

# The fake limactl: instances are files in $LIMA_STATE holding Running or Stopped.
cat >"$WORK/bin/limactl" <<'EOF'
#!/usr/bin/env bash
echo "limactl $*" >>"$CALLS"
mkdir -p "$LIMA_STATE"
case $1 in
  list)
    if [[ ${2:-} == --quiet ]]; then ls "$LIMA_STATE"; exit 0; fi
    if [[ ${2:-} == --format ]]; then [[ -f $LIMA_STATE/$4 ]] && cat "$LIMA_STATE/$4"; exit 0; fi
    echo "NAME STATUS"; [[ -f $LIMA_STATE/$2 ]] && echo "$2 $(cat "$LIMA_STATE/$2")"; exit 0 ;;
  create) name=${3#--name=}; [[ $2 == --tty=false && $3 == --name ]] && name=$4; echo Stopped >"$LIMA_STATE/$name" ;;
  start) echo Running >"$LIMA_STATE/${*: -1}" ;;
  stop) echo Stopped >"$LIMA_STATE/$2" ;;
  delete) rm -f "$LIMA_STATE/${*: -1}" ;;
  shell) echo "in-vm output" ;;
  *) echo "fake limactl: unexpected $1" >&2; exit 9 ;;
esac
EOF
chmod +x "$WORK/bin/limactl"

export CALLS=$WORK/calls LIMA_STATE=$WORK/instances
VM=$FAKE_REPO/vm/vm.sh
PASSED=0 FAILED=0

# expect NAME EXIT_CODE OUTPUT_PATTERN CALL_PATTERN -- ARGS...: runs vm.sh ARGS with the fake on
# PATH; its exit code must be EXIT_CODE, its output must match OUTPUT_PATTERN and the calls it
# made must match CALL_PATTERN (extended regular expressions; '' matches anything).
expect() {
    local name=$1 code=$2 out_re=$3 call_re=$4
    shift 5
    : >"$CALLS"
    local out rc=0
    out=$(PATH="$WORK/bin:$PATH" "$VM" "$@" </dev/null 2>&1) || rc=$?
    local calls
    calls=$(cat "$CALLS")
    if [[ $rc -ne $code ]] || ! grep -Eq -- "$out_re" <<<"$out" || ! grep -Eq -- "$call_re" <<<"$calls"; then
        FAILED=$((FAILED + 1))
        echo "vm: FAIL $name (exit $rc, wanted $code)"
        sed 's/^/    | out:   /' <<<"$out"
        sed 's/^/    | calls: /' <<<"$calls"
    else
        PASSED=$((PASSED + 1))
        echo "vm: ok   $name"
    fi
}


expect "create builds the jars, then creates and starts with the repo mounted read-only" 0 \
    "ready: Web UI http://127.0.0.1:8082" \
    "^build$" -- create
grep -Fq "limactl create --tty=false --name clawfactory --set .param.REPO = \"$FAKE_REPO\" | .mounts = [{\"location\": \"$FAKE_REPO\", \"writable\": false}] $FAKE_REPO/vm/clawfactory.yaml" "$CALLS" \
    && grep -Fxq "limactl start --tty=false clawfactory" "$CALLS" \
    && { PASSED=$((PASSED + 1)); echo "vm: ok   create passes the template, the REPO param and the mount"; } \
    || { FAILED=$((FAILED + 1)); echo "vm: FAIL create line:"; cat "$CALLS"; }
expect "create refuses an existing instance" 1 "exists already" "" -- create
expect "start of a running VM changes nothing" 0 "already running" "" -- start
expect "stop" 0 "" "^limactl stop clawfactory$" -- stop
expect "stop again says so" 0 "already stopped" "" -- stop
expect "logs of a stopped VM says how to start it" 1 "is not running \(start it: .* start\)" "" -- logs worker
expect "start" 0 "" "^limactl start --tty=false clawfactory$" -- start
expect "logs worker -f runs journalctl for the worker unit inside" 0 "in-vm output" \
    "^limactl shell --workdir / clawfactory sudo journalctl --no-pager -u clawfactory-temporal-worker.service -n 200 -f$" -- logs worker -f
expect "logs temporal" 0 "" "-u clawfactory-temporal.service " -- logs temporal
expect "logs api runs journalctl for the API unit" 0 "" "-u clawfactory-api.service " -- logs api
expect "logs of an unknown unit names the known ones" 1 "unknown unit 'db' \(temporal \| worker \| schedules \| api \| nginx\)" "" -- logs db
expect "status shows the VM and the five services" 0 "NAME STATUS" \
    "systemctl --no-pager --lines=0 status clawfactory-temporal.service clawfactory-temporal-worker.service clawfactory-schedules.service clawfactory-api.service nginx.service" -- status
expect "restart restarts the services inside" 0 "" \
    "^limactl shell --workdir / clawfactory sudo systemctl restart clawfactory-temporal-worker.service clawfactory-schedules.service clawfactory-api.service$" -- restart
expect "rebuild builds, then re-provisions from the mounted repo" 0 "provisioning clawfactory" \
    "^limactl shell --workdir / clawfactory sudo $FAKE_REPO/vm/provision.sh --repo $FAKE_REPO --restart$" -- rebuild
expect "ui prints the proxied Web UI address" 0 "^http://127.0.0.1:8082$" "" -- ui
expect "ui names the UI's user" 0 "^Log in as user clawfactory" "" -- ui
expect "ui says how to read the password (and prints no password)" 0 \
    "^  limactl shell clawfactory sudo cat /etc/clawfactory/ui-password$" "" -- ui
expect "-i staging ui names the instance in the password command" 0 "limactl shell staging sudo cat" "" -- -i staging ui
expect "ui says how to read the API's and MCP's tokens (and prints no token)" 0 \
    "^  limactl shell clawfactory sudo cut -d' ' -f1 /etc/credstore/clawfactory-mcp-token$" "" -- ui
expect "-i names another instance" 1 "no VM named staging \(create it: .* -i staging create\)" "" -- -i staging logs worker
expect "-i staging create" 0 "" "--name staging " -- -i staging create
expect "destroy without a terminal needs -y" 1 "destroy needs -y" "" -- destroy
expect "destroy -y deletes the VM" 0 "" "^limactl delete --force clawfactory$" -- destroy -y
expect "destroy of a missing VM says so" 0 "no VM named clawfactory" "" -- destroy -y
expect "an unknown command shows the usage" 1 "Usage: .*vm.sh \[-i INSTANCE\] COMMAND" "" -- frobnicate

out=$(PATH="/usr/bin:/bin" "$VM" start 2>&1) && rc=0 || rc=$?
if [[ $rc -eq 1 ]] && grep -q "limactl not found — install Lima" <<<"$out"; then
    PASSED=$((PASSED + 1)); echo "vm: ok   without Lima it says what to install"
else
    FAILED=$((FAILED + 1)); echo "vm: FAIL without Lima: exit $rc: $out"
fi

# The template forwards the Web UI (nginx, basic auth) and nothing else: the Temporal dev server
# authenticates nobody, so its ports (gRPC 7233, HTTP 7243, UI 8233) must never leave the VM.
# Lima applies the first rule that matches a port: every rule before the catch-all "ignore" must
# be the 8082 forward on the host's loopback, and a catch-all ignore of 1-65535 must follow it.
# Commented-out forwards count too (an "uncomment to enable" is how such a forward gets in).
forwards=$(awk '/^portForwards:/ { on = 1; next } on && /^[^ #]/ { on = 0 } on' "$REPO/vm/clawfactory.yaml")
problems=$(awk '
    function flush() {
        if (n == 0) return
        if (ignore == "true") { if (range ~ /^\[ *1, *65535 *\]$/) catchall = 1 }
        else if (catchall) print "rule after the catch-all ignore: " entry
        else if (port != "8082" || range != "" || hostip != "\"127.0.0.1\"") print "forwards more than the UI on loopback: " entry
        else ui = 1
        n = 0; port = ""; range = ""; hostip = ""; ignore = ""; entry = ""
    }
    /guestPort(Range)?: *\[?[^]]*(7233|7243|8233)/ { print "Temporal port in a forward: " $0 }
    /^ *#/ { next }
    /^  - / { flush(); n = 1; sub(/^  - /, "    ") }
    n {
        entry = entry " " $0
        if ($1 == "guestPort:") port = $2
        if ($1 == "guestPortRange:") { range = $0; sub(/.*guestPortRange: */, "", range) }
        if ($1 == "hostIP:") hostip = $2
        if ($1 == "ignore:") ignore = $2
    }
    END { flush(); if (!ui) print "no 8082 forward"; if (!catchall) print "no catch-all ignore of 1-65535" }
' <<<"$forwards")
if [[ -z $problems ]]; then
    PASSED=$((PASSED + 1)); echo "vm: ok   the template forwards only the UI (8082, host loopback); Temporal's ports never"
else
    FAILED=$((FAILED + 1)); echo "vm: FAIL port forwards in vm/clawfactory.yaml:"; sed 's/^/    | /' <<<"$problems"
fi

# The template boots Debian 13 (trixie): one genericcloud image for x86_64 and one for aarch64,
# each from one dated folder of Debian's cloud images (the same folder for both) with a sha512
# digest, and no other image (a "daily/latest" fallback would boot whatever Debian built last,
# unchecked). The digests themselves are the ones Lima's templates/_images/debian-13.yaml
# carries (vm/README.md, "Pinning the image"); here only their form can be checked.
images=$(awk '/^images:/ { on = 1; next } on && /^[^ #]/ { on = 0 } on && !/^ *#/' "$REPO/vm/clawfactory.yaml")
problems=$(awk '
    function flush() {
        if (loc == "") return
        if (loc !~ ("^\"https://cloud\\.debian\\.org/images/cloud/trixie/" date "/debian-13-genericcloud-(amd64|arm64)-" date "\\.qcow2\"$"))
            print "not a dated Debian 13 genericcloud image: " loc
        folder = loc; sub(/^"https:\/\/cloud\.debian\.org\/images\/cloud\/[a-z]+\//, "", folder); sub(/\/.*/, "", folder)
        if (index(loc, "-" folder ".qcow2") == 0) print "file name and folder differ: " loc
        if (folders != "" && folders != folder) print "images from two folders: " folders " and " folder
        folders = folder
        want = (arch == "\"x86_64\"") ? "amd64" : (arch == "\"aarch64\"") ? "arm64" : ""
        if (want == "") print "unexpected arch " arch " for " loc
        else if (index(loc, "-" want "-") == 0) print "arch " arch " with image " loc
        if (digest !~ /^"sha512:[0-9a-f]+"$/ || length(digest) != 137) print "no sha512 digest for " loc ": " digest
        seen[arch]++
        loc = ""; arch = ""; digest = ""
    }
    BEGIN { date = "[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9]+" }   # (mawk has no {8})
    /^  - location:/ { flush(); loc = $3; next }
    $1 == "arch:" { arch = $2 }
    $1 == "digest:" { digest = $2 }
    END {
        flush()
        if (seen["\"x86_64\""] != 1 || seen["\"aarch64\""] != 1) print "want exactly one x86_64 and one aarch64 image"
    }
' <<<"$images")
if [[ -z $problems ]]; then
    PASSED=$((PASSED + 1)); echo "vm: ok   the template pins one dated Debian 13 genericcloud image per arch (x86_64, aarch64) with sha512 digests"
else
    FAILED=$((FAILED + 1)); echo "vm: FAIL images in vm/clawfactory.yaml:"; sed 's/^/    | /' <<<"$problems"
fi

echo "vm: $PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
