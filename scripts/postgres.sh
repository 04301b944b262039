#!/usr/bin/env bash
# A private PostgreSQL server for the tests, on 127.0.0.1:$PG_PORT only: scripts/postgres.sh start|stop|status.
#
# start   installs PostgreSQL from Debian's packages if no server binary is found, creates a cluster on first
#         use, starts it, waits until it accepts connections, and makes sure the role `styringsbot` (password
#         `styringsbot`, CREATEDB) and the database `styringsbot_test` exist. Safe to run again at any time.
# stop    stops the server (fast shutdown). status: says whether it runs.
#
# The cluster lives in $REPO/.pgdata with its socket and log in $REPO/.pgrun (both gitignored). PostgreSQL
# refuses to run as root, so as root the server runs as the `postgres` OS user; when that user cannot reach
# the repository (an untraversable parent, a filesystem that ignores chown) or the socket path would be too
# long, the cluster goes to /tmp/styringsbot-pg-$PG_PORT instead. Host connections need a password
# (scram-sha-256); local socket connections use peer authentication and the socket directory is private.
# The data is disposable, so durability is turned off for speed.
set -euo pipefail

PG_PORT="${PG_PORT:-54329}"
PG_ROLE=styringsbot
PG_PASSWORD=styringsbot
PG_DATABASE=styringsbot_test
START_TIMEOUT="${PG_START_TIMEOUT:-60}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TMP_BASE="/tmp/styringsbot-pg-${PG_PORT}"

say() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() {
    say "error: $*"
    exit 1
}

if ! [[ "$PG_PORT" =~ ^[0-9]+$ ]] || ((PG_PORT < 1 || PG_PORT > 65535)); then
    die "PG_PORT must be a TCP port, got '$PG_PORT'"
fi

# --- binaries -----------------------------------------------------------------------------------------------

find_bindir() {
    # Debian keeps each major version in /usr/lib/postgresql/<major>/bin; take the newest, else whatever is on PATH.
    local dir best=""
    while IFS= read -r dir; do
        [[ -x "$dir/pg_ctl" && -x "$dir/initdb" && -x "$dir/postgres" ]] && best="$dir"
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V)
    if [[ -z "$best" ]] && command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
        best="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
    fi
    printf '%s' "$best"
}

install_postgres() {
    ((EUID == 0)) || die "PostgreSQL is not installed and we are not root: install the Debian package 'postgresql' (or put pg_ctl and initdb on PATH) and run again"
    command -v apt-get >/dev/null || die "PostgreSQL is not installed and apt-get is not available: install PostgreSQL and put pg_ctl and initdb on PATH"
    say "no PostgreSQL server found; installing Debian's postgresql package"
    apt-get update -qq || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || die "apt-get install postgresql failed"
}

BINDIR="$(find_bindir)"
if [[ -z "$BINDIR" && "${1:-}" == start ]]; then
    install_postgres
    BINDIR="$(find_bindir)"
    [[ -n "$BINDIR" ]] || die "the postgresql package is installed but no pg_ctl was found under /usr/lib/postgresql/*/bin"
fi

# --- who runs the server ------------------------------------------------------------------------------------

if ((EUID == 0)); then
    PG_OS_USER=postgres
    id -u "$PG_OS_USER" >/dev/null 2>&1 || die "running as root, but there is no '$PG_OS_USER' OS user to run the server as (the Debian package creates it)"
else
    PG_OS_USER="$(id -un)"
fi

# Run a command as the server's OS user, from / so that an unreadable working directory does not matter,
# and without the start lock's descriptor, which the server would otherwise inherit and hold forever.
as_pg() {
    if ((EUID == 0)); then
        if command -v runuser >/dev/null; then
            (cd / && runuser -u "$PG_OS_USER" -- "$@") 9>&-
        else
            (cd / && su -s /bin/sh "$PG_OS_USER" -c "$(printf '%q ' "$@")") 9>&-
        fi
    else
        (cd / && "$@") 9>&-
    fi
}

# --- where the cluster lives --------------------------------------------------------------------------------

# Sets DATA, RUN, LOG for a base: "repo" or "tmp".
set_layout() {
    if [[ "$1" == repo ]]; then
        DATA="$REPO/.pgdata" RUN="$REPO/.pgrun"
    else
        DATA="$TMP_BASE/data" RUN="$TMP_BASE/run"
    fi
    LOG="$RUN/postgres.log"
}

# Create the data and socket directories, owned by the server user; fails (status 1) if that user can't use them.
prepare_layout() {
    local socket="$RUN/.s.PGSQL.$PG_PORT"
    # A Unix socket path is limited to 107 bytes.
    ((${#socket} <= 100)) || return 1
    if [[ "$DATA" == "$TMP_BASE"/* ]]; then
        mkdir -p "$TMP_BASE" && chmod 0755 "$TMP_BASE" || return 1
    fi
    mkdir -p "$DATA" "$RUN" 2>/dev/null || return 1
    if ((EUID == 0)); then
        chown "$PG_OS_USER": "$DATA" "$RUN" 2>/dev/null || return 1
    fi
    chmod 0700 "$DATA" "$RUN" 2>/dev/null || return 1
    as_pg test -w "$DATA" -a -w "$RUN" -a -x "$DATA" -a -x "$RUN" 2>/dev/null
}

is_running() { as_pg "$BINDIR/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

# The port a running server was started with (line 4 of postmaster.pid).
running_port() { as_pg sed -n 4p "$DATA/postmaster.pid" 2>/dev/null || true; }

# Picks the layout: the one whose server is already running, else the repository when usable, else /tmp.
choose_layout() {
    local base
    for base in repo tmp; do
        set_layout "$base"
        if [[ -f "$DATA/PG_VERSION" ]] && is_running; then
            return 0
        fi
    done
    set_layout repo
    if prepare_layout; then
        return 0
    fi
    say "the '$PG_OS_USER' user cannot use $REPO/.pgdata (or the socket path is too long); using $TMP_BASE"
    set_layout tmp
    prepare_layout || die "cannot create a data directory usable by '$PG_OS_USER' in $TMP_BASE"
}

# --- commands -----------------------------------------------------------------------------------------------

psql_admin() {
    PGOPTIONS="-c client_min_messages=warning" as_pg "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$RUN" -p "$PG_PORT" -U "$PG_OS_USER" -d postgres
}

init_cluster() {
    say "creating a cluster in $DATA"
    as_pg "$BINDIR/initdb" -D "$DATA" -U "$PG_OS_USER" --no-locale -E UTF8 \
        --auth-local=peer --auth-host=scram-sha-256 >"$RUN/initdb.log" 2>&1 ||
        {
            cat "$RUN/initdb.log" >&2
            die "initdb failed (log above)"
        }
    printf "include_if_exists = 'styringsbot.conf'\n" | as_pg tee -a "$DATA/postgresql.conf" >/dev/null
}

write_settings() {
    # Rewritten on every start, so a changed PG_PORT or a moved repository takes effect.
    as_pg tee "$DATA/styringsbot.conf" >/dev/null <<EOF
# Written by scripts/postgres.sh on every start; edits are lost.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$RUN'
unix_socket_permissions = 0700
password_encryption = 'scram-sha-256'
# A disposable test cluster: trade durability for speed.
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
# No autovacuum worker to sit in template1 (CREATE DATABASE then fails) or in a test database being dropped.
autovacuum = off
EOF
}

wait_ready() {
    local deadline=$((SECONDS + START_TIMEOUT))
    until "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; do
        if ((SECONDS >= deadline)); then
            tail -n 30 "$LOG" >&2 2>/dev/null || true
            die "PostgreSQL did not accept connections on 127.0.0.1:$PG_PORT within ${START_TIMEOUT}s (log: $LOG)"
        fi
        sleep 0.5
    done
}

ensure_role_and_database() {
    psql_admin <<SQL || die "could not create the role '$PG_ROLE' or the database '$PG_DATABASE'"
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') THEN
        CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
    ELSE
        ALTER ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
    END IF;
END
\$\$;
-- The tests drop their databases WITH (FORCE), which must be allowed to end any session in them.
GRANT pg_signal_backend TO $PG_ROLE;
SELECT 'CREATE DATABASE $PG_DATABASE OWNER $PG_ROLE'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DATABASE')
\gexec
SQL
}

cmd_start() {
    # Two concurrent starts (make -j) would race on initdb.
    if command -v flock >/dev/null && { exec 9>>"/tmp/styringsbot-pg-$PG_PORT.lock"; } 2>/dev/null; then
        flock -w "$START_TIMEOUT" 9 || die "another scripts/postgres.sh start holds /tmp/styringsbot-pg-$PG_PORT.lock"
    fi
    choose_layout
    if [[ -f "$DATA/PG_VERSION" ]] && is_running; then
        local port
        port="$(running_port)"
        if [[ "$port" != "$PG_PORT" ]]; then
            say "the server in $DATA runs on port ${port:-?}, not $PG_PORT; restarting it"
            as_pg "$BINDIR/pg_ctl" -D "$DATA" stop -m fast -w >/dev/null || die "could not stop the server in $DATA"
        else
            say "already running on 127.0.0.1:$PG_PORT ($DATA)"
            write_settings
            as_pg "$BINDIR/pg_ctl" -D "$DATA" reload >/dev/null || die "could not reload the server's settings"
        fi
    fi
    if ! is_running; then
        if "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; then
            # Another checkout's cluster (or any server) on our port: fine if it already serves our database.
            if PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 "$BINDIR/psql" -X -q -w -h 127.0.0.1 -p "$PG_PORT" \
                -U "$PG_ROLE" -d "$PG_DATABASE" -c 'SELECT 1' >/dev/null 2>&1; then
                say "another server on 127.0.0.1:$PG_PORT already serves $PG_DATABASE to $PG_ROLE; using it"
                return 0
            fi
            die "another server already listens on 127.0.0.1:$PG_PORT; stop it or choose another PG_PORT"
        fi
        [[ -f "$DATA/PG_VERSION" ]] || init_cluster
        write_settings
        if ! as_pg "$BINDIR/pg_ctl" -D "$DATA" -l "$LOG" -w -t "$START_TIMEOUT" start >/dev/null; then
            tail -n 30 "$LOG" >&2 2>/dev/null || true
            die "PostgreSQL failed to start (log: $LOG)"
        fi
    fi
    wait_ready
    ensure_role_and_database
    say "ready: postgresql://$PG_ROLE:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DATABASE"
}

cmd_stop() {
    local base stopped=0
    [[ -n "$BINDIR" ]] || {
        say "PostgreSQL is not installed; nothing to stop"
        return 0
    }
    for base in repo tmp; do
        set_layout "$base"
        if [[ -f "$DATA/PG_VERSION" ]] && is_running; then
            as_pg "$BINDIR/pg_ctl" -D "$DATA" stop -m fast -w >/dev/null || die "could not stop the server in $DATA"
            say "stopped ($DATA)"
            stopped=1
        fi
    done
    ((stopped)) || say "not running"
}

cmd_status() {
    local base
    [[ -n "$BINDIR" ]] || {
        say "PostgreSQL is not installed"
        return 3
    }
    for base in repo tmp; do
        set_layout "$base"
        if [[ -f "$DATA/PG_VERSION" ]] && is_running; then
            say "running on 127.0.0.1:$(running_port) ($DATA)"
            return 0
        fi
    done
    say "not running"
    return 3
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*)
    printf 'usage: PG_PORT=%s %s start|stop|status\n' "$PG_PORT" "$0" >&2
    exit 2
    ;;
esac
