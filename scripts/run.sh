#!/usr/bin/env bash
# Local development (`make run`): the bot on 127.0.0.1:$PORT and the Microsoft 365 Agents Playground in front of
# it, on http://localhost:$PLAYGROUND_PORT. Ctrl+C (or SIGTERM) stops both.
#
# It applies the migrations and, when demo/organisation.yaml exists, imports it and adds demo eksempler (all
# idempotent).
#
# Environment:
#   DATABASE_URL      default sqlite+aiosqlite:///<repo>/styringsbot.db
#   PORT              the bot's port (default 3978)
#   PLAYGROUND_PORT   the Playground's port (default 56150; it picks a free one if that is taken)
#   PLAYGROUND_USER   act as someone else from .m365agentsplayground.yml: an e-mail, a name or an id,
#                     e.g. PLAYGROUND_USER=lars.mikkelsen@albertslund.dk make run
#   PLAYGROUND        0: start only the bot, no Playground (another client, or the tests of this script)
#   PREPARE           0: skip the migrations and the demo content (the database is ready)
#
# The Playground writes its log to devTools/m365agentsplayground.log (also why it refused to start, if it did).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

PY="$REPO/.venv/bin/python"
PLAYGROUND_BIN="$REPO/node_modules/.bin/agentsplayground"
export LOCAL_DEVELOPMENT=true
export HOST=127.0.0.1
export PORT="${PORT:-3978}"
export DATABASE_URL="${DATABASE_URL:-sqlite+aiosqlite:///$REPO/styringsbot.db}"
PLAYGROUND_PORT="${PLAYGROUND_PORT:-56150}"
PLAYGROUND_LOG="$REPO/devTools/m365agentsplayground.log"
START_TIMEOUT="${START_TIMEOUT:-60}"

say() { printf 'run.sh: %s\n' "$*" >&2; }
die() {
    say "error: $*"
    exit 1
}

[[ -x "$PY" ]] || die "no virtualenv at .venv: run \`make setup\` first"
PLAYGROUND="${PLAYGROUND:-1}"
[[ "$PLAYGROUND" == 0 || -x "$PLAYGROUND_BIN" ]] ||
    die "the Playground is not installed (node_modules): run \`make setup\` first"

if [[ "${PREPARE:-1}" != 0 ]]; then
    "$PY" -m cli upgrade
    if [[ -f demo/organisation.yaml ]]; then
        "$PY" -m cli import demo/organisation.yaml
        "$PY" -m cli demo  # a few eksempler in every stage (LOCAL_DEVELOPMENT only)
    fi
fi

WORK=""
BOT_PID=""
PLAYGROUND_PID=""
STOPPING=""

# shellcheck disable=SC2317  # trap handlers
stop_all() {
    [[ -n "$STOPPING" ]] && return
    STOPPING=1
    # Ignore further signals until everything is stopped: a second Ctrl+C, or the SIGTERM that make passes on after
    # the terminal's, would otherwise end this script halfway and leave the bot running and $WORK behind. (Resetting
    # the traps to their defaults here did exactly that, in about 1 stop of 8-16.)
    trap '' INT TERM
    # Each child leads its own process group (setsid), so this reaches everything it started; `jobs -p` also
    # finds a child whose pid a signal kept from being recorded.
    local pids
    # shellcheck disable=SC2046  # the pids, one word each
    pids="$(printf '%s\n' "$PLAYGROUND_PID" "$BOT_PID" $(jobs -p) | sort -u)"
    for pid in $pids; do
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in $pids; do
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    [[ -z "$WORK" ]] || rm -rf "$WORK"
}
# shellcheck disable=SC2317
on_signal() {
    [[ -z "$STOPPING" ]] || return 0 # already stopping: let that finish
    printf '\n' >&2
    say "stopping the bot${PLAYGROUND_PID:+ and the Playground}"
    stop_all
    trap - EXIT
    exit 0
}
trap on_signal INT TERM
trap stop_all EXIT

WORK="$(mktemp -d "${TMPDIR:-/tmp}/styringsbot-run.XXXXXX")"

# The Playground reads its config from M365_AGENTS_PLAYGROUND_CONFIG_PATH; TEAMSAPPTESTER_BROWSER=none keeps it
# from opening a browser itself.
if [[ -n "${PLAYGROUND_USER:-}" ]]; then
    config="$("$PY" -m testkit.playground_config config --user "$PLAYGROUND_USER" "$WORK")" ||
        die "PLAYGROUND_USER=$PLAYGROUND_USER is not one of the people in .m365agentsplayground.yml"
elif [[ -f .m365agentsplayground.local.yml ]]; then
    config="$REPO/.m365agentsplayground.local.yml"
else
    config="$REPO/.m365agentsplayground.yml"
fi
export M365_AGENTS_PLAYGROUND_CONFIG_PATH="$config"
export TEAMSAPPTESTER_BROWSER=none

setsid "$PY" app.py &
BOT_PID=$!

up() { "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$1" 2>/dev/null; }

if [[ "$PLAYGROUND" == 0 ]]; then
    deadline=$((SECONDS + START_TIMEOUT))
    until up "http://127.0.0.1:$PORT/healthz"; do
        kill -0 "$BOT_PID" 2>/dev/null || die "the bot stopped (is port $PORT taken? set PORT=...); see its output above"
        ((SECONDS < deadline)) || die "the bot did not come up within ${START_TIMEOUT}s"
        sleep 0.2
    done
    say "the bot is running on http://127.0.0.1:$PORT (no Playground: PLAYGROUND=0)"
    set +e
    wait "$BOT_PID"
    status=$?
    set -e
    say "the bot stopped (exit code $status)"
    exit 1
fi

# With stdout not a terminal the Playground prints only "Listening on PORT" there; the rest goes to its log.
setsid "$PLAYGROUND_BIN" start -e "http://127.0.0.1:$PORT/api/messages" -c msteams --dt -p "$PLAYGROUND_PORT" \
    >"$WORK/playground.out" 2>&1 &
PLAYGROUND_PID=$!

deadline=$((SECONDS + START_TIMEOUT))
port=""
until [[ -n "$port" ]] && up "http://127.0.0.1:$PORT/healthz" && up "http://127.0.0.1:$port/_debug/ping"; do
    kill -0 "$BOT_PID" 2>/dev/null || die "the bot stopped (is port $PORT taken? set PORT=...); see its output above"
    if ! kill -0 "$PLAYGROUND_PID" 2>/dev/null; then
        tail -n 5 "$PLAYGROUND_LOG" >&2 2>/dev/null || true
        die "the Playground stopped (a config file it rejects makes it exit); see $PLAYGROUND_LOG"
    fi
    ((SECONDS < deadline)) || die "the bot or the Playground did not come up within ${START_TIMEOUT}s"
    port="$(sed -n 's/^Listening on \([0-9]*\).*/\1/p' "$WORK/playground.out" | head -n 1)"
    sleep 0.2
done

user="$("$PY" -c 'import sys, yaml
u = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))["currentUser"]
print(u["name"], "<" + u["email"] + ">")' "$config")"
cat <<EOF

  Styringsbot is running. Open http://localhost:$port in your browser to chat with it as $user.
  The bot listens on http://127.0.0.1:$PORT (database: $DATABASE_URL).
  Ctrl+C stops both. Act as someone else with e.g. PLAYGROUND_USER=lars.mikkelsen@albertslund.dk make run

EOF
echo "  The workbench tab »Arbejdsbord«: http://127.0.0.1:$PORT/tab/dev-login (pick a demo person); the grundlag: http://127.0.0.1:$PORT/grundlag"

# Wait until a child ends by itself (then stop the other) or a signal arrives (then the trap stops both).
set +e
wait -n "$BOT_PID" "$PLAYGROUND_PID"
status=$?
set -e
kill -0 "$BOT_PID" 2>/dev/null || say "the bot stopped (exit code $status)"
kill -0 "$PLAYGROUND_PID" 2>/dev/null || say "the Playground stopped; see $PLAYGROUND_LOG"
exit 1
