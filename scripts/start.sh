#!/bin/sh
# Production start (the Docker CMD and the App Service start command): apply migrations, then run the bot.
# Run it from the directory that holds the deployment's .env, if any (the image's WORKDIR, /app).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

# Settings that cannot be used (e.g. APP_ID without ALLOWED_TENANT_IDS) must stop the start with app.py's
# one-line explanation and exit code 2, not with a traceback from the migration command.
if ! python -c "from bot.settings import Settings; Settings()" >/dev/null 2>&1; then
    exec python "$ROOT/app.py"
fi

# Every instance applies the migrations; one that finds the database up to date goes on at once. When several
# instances start together on a new schema, all but one can fail on the same CREATE; they try again and then
# find nothing left to do.
attempt=1
until python -m cli upgrade; do
    if [ "$attempt" -ge 5 ]; then
        echo "start.sh: database migrations failed $attempt times; not starting" >&2
        exit 1
    fi
    echo "start.sh: database migrations failed (attempt $attempt); retrying in $((attempt * 3)) s" >&2
    sleep $((attempt * 3))
    attempt=$((attempt + 1))
done

exec python "$ROOT/app.py"
