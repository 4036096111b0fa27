#!/bin/sh
# A project-local PostgreSQL 15 cluster: no system service, the data in
# $PGROOT/data, the unix socket in $PGSOCK, no TCP port.
#
#   scripts/pg.sh start [PGROOT [PGSOCK]]	init if needed, start, create db
#   scripts/pg.sh stop  [PGROOT]
#   scripts/pg.sh status [PGROOT]
#
# PostgreSQL refuses to run as root; as root the cluster belongs to the
# 'postgres' system user that the postgresql-common package creates.
set -eu
cd "$(dirname "$0")/.."

cmd=${1:-start}
PGROOT=$(realpath -m "${2:-var/pg}")
PGSOCK=$(realpath -m "${3:-var/run}")
PGBIN=/usr/lib/postgresql/15/bin
DB=${PGDATABASE_NAME:-capacita}
LOG=$PGROOT/postgres.log

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# The postgres user must be able to reach the directories: as root, open
# the search (x) bit on any parent that lacks it, and say so.
reachable() {
	[ "$(id -u)" -eq 0 ] || return 0
	d=$1
	while [ "$d" != "/" ]; do
		if ! runuser -u postgres -- test -x "$d" 2>/dev/null; then
			echo "pg: letting the postgres user traverse $d" \
			    "(chmod o+x)" >&2
			chmod o+x "$d"
		fi
		d=$(dirname "$d")
	done
}

case "$cmd" in
start)
	mkdir -p "$PGROOT" "$PGSOCK"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres:postgres "$PGROOT"
		chmod 1777 "$PGSOCK"
		reachable "$PGROOT"
		reachable "$PGSOCK"
	fi
	if [ ! -f "$PGROOT/data/PG_VERSION" ]; then
		as_owner "$PGBIN/initdb" -D "$PGROOT/data" -U postgres \
		    --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
		cat >> "$PGROOT/data/postgresql.conf" <<CONF
# Capacita (scripts/pg.sh)
listen_addresses = ''
max_connections = 200
shared_buffers = 256MB
work_mem = 16MB
CONF
		if [ "${PG_FAST:-0}" = 1 ]; then
			# Throwaway test clusters: no need to survive a power cut.
			cat >> "$PGROOT/data/postgresql.conf" <<CONF
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 64MB
CONF
		fi
	fi
	if as_owner "$PGBIN/pg_ctl" -D "$PGROOT/data" status >/dev/null 2>&1
	then
		:
	else
		as_owner "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$LOG" -w \
		    -t 60 -o "-k $PGSOCK -p 5432" start >/dev/null
	fi
	if ! psql -h "$PGSOCK" -U postgres -d postgres -Atqc \
	    "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1
	then
		psql -h "$PGSOCK" -U postgres -d postgres -qc \
		    "CREATE DATABASE $DB" >/dev/null
	fi
	;;
stop)
	if [ -f "$PGROOT/data/PG_VERSION" ] &&
	    as_owner "$PGBIN/pg_ctl" -D "$PGROOT/data" status >/dev/null 2>&1
	then
		as_owner "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w stop \
		    >/dev/null
	fi
	;;
status)
	as_owner "$PGBIN/pg_ctl" -D "$PGROOT/data" status
	;;
*)
	echo "usage: scripts/pg.sh start|stop|status [PGROOT [PGSOCK]]" >&2
	exit 2
	;;
esac
