#!/usr/bin/env bash
# vm.sh — lifecycle of the clawfactory Lima VM (template vm/clawfactory.yaml). Runs on the host
# (macOS or Linux with Lima installed); everything inside the VM is done by vm/provision.sh.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO
readonly TEMPLATE="$REPO/vm/clawfactory.yaml"
INSTANCE=clawfactory

usage() {
    cat <<EOF
Usage: $0 [-i INSTANCE] COMMAND [ARGS]

Manage the clawfactory VM (Lima instance, default name "clawfactory").

Commands:
  create            build the jars, create the VM from vm/clawfactory.yaml with this repo mounted
                    read-only, boot it and provision it (first boot takes a few minutes)
  start             boot an existing VM (services start by themselves)
  stop              shut the VM down (workflows resume where they were on the next start)
  restart           restart the clawfactory services inside the VM
  status            the VM and the state of each clawfactory service
  rebuild           build the jars on the host, re-run provisioning (installs the new jars and
                    definitions, restarts the worker, re-syncs the schedules)
  logs UNIT [-f]    journal of temporal | worker | schedules | api | nginx (extra args go to journalctl)
  shell             a shell inside the VM
  ui                print (and open) the Temporal Web UI address, http://127.0.0.1:8082, and how
                    to log in (user clawfactory; the password generated inside the VM); and how to
                    read the runs API's and MCP's tokens (same port, /api/v1/ and /mcp)
  destroy           stop and delete the VM and its disk (asks first; -y to skip)

Options:
  -i INSTANCE       Lima instance name (default: clawfactory)
  -h, --help        this text

Examples:
  $0 create
  $0 logs worker -f
  $0 -i staging rebuild
EOF
}

die() { echo "vm: error: $*" >&2; exit 1; }
say() { echo "vm: $*"; }

need_lima() {
    command -v limactl >/dev/null || die "limactl not found — install Lima (https://lima-vm.io), version 1.0 or newer"
}

exists() { limactl list --quiet 2>/dev/null | grep -qx "$INSTANCE"; }
running() { [[ $(limactl list --format '{{.Status}}' "$INSTANCE" 2>/dev/null) == Running ]]; }
require_running() {
    exists || die "no VM named $INSTANCE (create it: $0 -i $INSTANCE create)"
    running || die "VM $INSTANCE is not running (start it: $0 -i $INSTANCE start)"
}
in_vm() { limactl shell --workdir / "$INSTANCE" "$@"; }

build_jars() {
    say "building the jars on the host"
    if [[ -x $REPO/clawfactory ]]; then
        (cd "$REPO" && ./clawfactory build)
    else
        (cd "$REPO" && mvn -q package -DskipTests)
    fi
    [[ -f $REPO/worker/target/clawfactory-worker.jar && -f $REPO/schedules/target/clawfactory-schedules.jar \
        && -f $REPO/api/target/clawfactory-api.jar ]] \
        || die "the build did not produce worker/target/clawfactory-worker.jar, schedules/target/clawfactory-schedules.jar and api/target/clawfactory-api.jar"
}

unit_of() {
    case $1 in
        temporal) echo clawfactory-temporal.service ;;
        worker) echo clawfactory-temporal-worker.service ;;
        schedules) echo clawfactory-schedules.service ;;
        api) echo clawfactory-api.service ;;
        nginx) echo nginx.service ;;
        *) die "unknown unit '$1' (temporal | worker | schedules | api | nginx)" ;;
    esac
}

cmd_create() {
    need_lima
    exists && die "VM $INSTANCE exists already (start it, or destroy it first)"
    build_jars
    say "creating VM $INSTANCE (repo $REPO mounted read-only at the same path)"
    # The template's provision step runs vm/provision.sh from the mounted repo (param REPO).
    limactl create --tty=false --name "$INSTANCE" \
        --set ".param.REPO = \"$REPO\" | .mounts = [{\"location\": \"$REPO\", \"writable\": false}]" \
        "$TEMPLATE"
    limactl start --tty=false "$INSTANCE"
    say "ready: Web UI http://127.0.0.1:8082 — logs: $0 -i $INSTANCE logs worker"
}

cmd_start() {
    need_lima
    exists || die "no VM named $INSTANCE (create it: $0 -i $INSTANCE create)"
    running && { say "VM $INSTANCE is already running"; return 0; }
    limactl start --tty=false "$INSTANCE"
}

cmd_stop() {
    need_lima
    exists || die "no VM named $INSTANCE"
    running || { say "VM $INSTANCE is already stopped"; return 0; }
    limactl stop "$INSTANCE"
}

cmd_restart() {
    need_lima
    require_running
    in_vm sudo systemctl restart clawfactory-temporal.service
    in_vm sudo systemctl restart clawfactory-temporal-worker.service clawfactory-schedules.service clawfactory-api.service
    cmd_status
}

cmd_status() {
    need_lima
    limactl list "$INSTANCE"
    running || return 0
    in_vm systemctl --no-pager --lines=0 status clawfactory-temporal.service \
        clawfactory-temporal-worker.service clawfactory-schedules.service clawfactory-api.service nginx.service || true
}

cmd_rebuild() {
    need_lima
    require_running
    build_jars
    say "provisioning $INSTANCE from $REPO"
    in_vm sudo "$REPO/vm/provision.sh" --repo "$REPO" --restart
}

cmd_logs() {
    need_lima
    [[ $# -ge 1 ]] || die "logs needs a unit: temporal | worker | schedules | api | nginx"
    local unit
    unit=$(unit_of "$1")
    shift
    require_running
    in_vm sudo journalctl --no-pager -u "$unit" -n 200 "$@"
}

cmd_shell() {
    need_lima
    require_running
    limactl shell "$INSTANCE"
}

cmd_ui() {
    local url=http://127.0.0.1:8082
    echo "$url"
    # The password never leaves the VM unless asked for; this prints how to ask.
    echo "Log in as user clawfactory. The password (generated by provisioning, root-only in the VM):"
    echo "  limactl shell $INSTANCE sudo cat /etc/clawfactory/ui-password"
    # Nor do the API's tokens (docs/API.md, "On the VM").
    echo "Runs API: $url/api/v1/ and MCP: $url/mcp, with a bearer token (generated by provisioning, root-only):"
    echo "  limactl shell $INSTANCE sudo cut -d' ' -f1 /etc/credstore/clawfactory-api-token"
    echo "  limactl shell $INSTANCE sudo cut -d' ' -f1 /etc/credstore/clawfactory-mcp-token"
    if command -v open >/dev/null; then open "$url" || true
    elif command -v xdg-open >/dev/null; then xdg-open "$url" >/dev/null 2>&1 || true
    fi
}

cmd_destroy() {
    need_lima
    exists || { say "no VM named $INSTANCE"; return 0; }
    if [[ ${1:-} != -y ]]; then
        [[ -t 0 ]] || die "destroy needs -y when not run from a terminal"
        read -r -p "Delete VM $INSTANCE and everything in it (workflow history, ledger)? [y/N] " answer
        [[ $answer == [yY]* ]] || { say "kept $INSTANCE"; return 0; }
    fi
    limactl delete --force "$INSTANCE"
}

main() {
    while [[ $# -gt 0 ]]; do
        case $1 in
            -i) INSTANCE=${2:?-i needs an instance name}; shift 2 ;;
            -h|--help) usage; exit 0 ;;
            -*) usage >&2; die "unknown option: $1" ;;
            *) break ;;
        esac
    done
    [[ $# -ge 1 ]] || { usage >&2; exit 2; }
    local command=$1
    shift
    case $command in
        create|start|stop|restart|status|rebuild|shell|ui) "cmd_$command" "$@" ;;
        logs) cmd_logs "$@" ;;
        destroy) cmd_destroy "$@" ;;
        help) usage ;;
        *) usage >&2; die "unknown command: $command" ;;
    esac
}

main "$@"
