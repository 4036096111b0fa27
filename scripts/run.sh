#!/bin/sh
# `make run`: start the project-local database, migrate, import the
# content, and serve in the foreground until Ctrl-C or SIGTERM, which
# stop the server and then the database cleanly.
set -eu
cd "$(dirname "$0")/.."

PORT=${PORT:-8080}
# base_url follows the port unless conf/capacita.conf or CAPACITA_BASE_URL
# sets it (settings.c): the links that leave the site (badges, mails, a
# provider's redirect URI) name this port too.
export CAPACITA_PORT=$PORT
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
# Badges signed with a did:key before key provenance (README).
bin/capacita badges reissue
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
echo "capacita: base URL in credentials and links: $(bin/capacita config base_url)"
echo "capacita: bin/capacita in another terminal uses it too (var/run/port)"
while kill -0 $kpid 2>/dev/null; do
	wait $kpid || true
done
trap - INT TERM
rm -f var/run/port
scripts/pg.sh stop
echo "capacita: stopped; the data stays in var/"
