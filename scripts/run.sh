#!/bin/sh
# `make run`: start the project-local database, migrate, import the
# content, and serve in the foreground until Ctrl-C or SIGTERM, which
# stop the server and then the database cleanly.
set -eu
cd "$(dirname "$0")/.."

PORT=${PORT:-8080}
VAR=${CAPACITA_VAR:-var}
mkdir -p "$VAR/run" "$VAR/log"

# One instance per checkout: a second `make run` must not touch the data.
exec 9>"$VAR/run/run.lock"
if ! flock -n 9; then
	pid=$(cat "$VAR/run/kore.pid" 2>/dev/null || echo "?")
	echo "capacita: already running from this directory (kore pid $pid)." \
	    "Stop it with Ctrl-C in its terminal, or: kill $pid" >&2
	exit 1
fi

scripts/pg.sh start
bin/capacita migrate
bin/capacita bootstrap
if ! bin/capacita import .; then
	echo "capacita: the files above were not imported; the rest are" \
	    "served" >&2
fi
# The demo (src/demo.c) needs the content: after the import. It creates
# its people and histories once; its users get new passwords each time.
if [ "${DEMO:-0}" = 1 ]; then
	bin/capacita demo
fi

sed -e "s/^\([[:space:]]*bind[[:space:]][[:space:]]*127\.0\.0\.1[[:space:]][[:space:]]*\)[0-9][0-9]*/\1$PORT/" \
    conf/app.conf > var/run/app.conf

stdbuf -oL kore -fnr -c var/run/app.conf &
kpid=$!
trap 'kill -TERM $kpid 2>/dev/null || true' INT TERM
echo "capacita: serving http://127.0.0.1:$PORT (Ctrl-C stops)"
while kill -0 $kpid 2>/dev/null; do
	wait $kpid || true
done
trap - INT TERM
scripts/pg.sh stop
echo "capacita: stopped; the data stays in var/"
