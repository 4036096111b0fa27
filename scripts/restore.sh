#!/bin/sh
# `make restore FILE=var/backups/capacita-....tar`: check the backup's
# SHA-256 sums, replace the database with its dump, restore the issuer's
# keys (bin/capacita keys import: an existing different key is never
# overwritten unless RESTORE_FORCE_KEYS=1), and migrate to this version.
# Stop `make run` first: the database is dropped and created again.
set -eu
cd "$(dirname "$0")/.."

FILE=${1:?usage: scripts/restore.sh BACKUP.tar}
export PGHOST=${PGHOST:-$(pwd)/var/run} PGUSER=${PGUSER:-postgres}
DB=${PGDATABASE:-capacita}

if [ -z "${CAPACITA_VAR:-}" ] && [ -e var/run/run.lock ] &&
    ! flock -n var/run/run.lock true; then
	echo "restore: the server is running (make run); stop it first" >&2
	exit 1
fi
if [ -z "${CAPACITA_BACKUP_PASSPHRASE:-}" ]; then
	if [ ! -t 0 ]; then
		echo "restore: set CAPACITA_BACKUP_PASSPHRASE" >&2
		exit 1
	fi
	printf "Passphrase of the issuer's keys: " >&2
	stty -echo 2>/dev/null || true
	read -r CAPACITA_BACKUP_PASSPHRASE
	stty echo 2>/dev/null || true
	printf '\n' >&2
	export CAPACITA_BACKUP_PASSPHRASE
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xf "$FILE" MANIFEST db.dump keys.vault
head -1 "$tmp/MANIFEST" | grep -qx "capacita-backup 1" ||
    { echo "restore: $FILE is not a Capacita backup" >&2; exit 1; }
(cd "$tmp" && grep -E '^[0-9a-f]{64}  ' MANIFEST | sha256sum -c --quiet) ||
    { echo "restore: $FILE is damaged (checksums differ)" >&2; exit 1; }

# The keys first: a wrong passphrase stops here, with the data intact.
force=""
[ "${RESTORE_FORCE_KEYS:-0}" = 1 ] && force="--force"
# shellcheck disable=SC2086
bin/capacita keys import $force "$tmp/keys.vault"

[ -S "$PGHOST/.s.PGSQL.5432" ] || scripts/pg.sh start > /dev/null
psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$DB\"" \
    -c "CREATE DATABASE \"$DB\""
pg_restore --no-owner -d "$DB" "$tmp/db.dump"
bin/capacita migrate
echo "restored $FILE into database $DB"
