#!/bin/sh
# `make backup`: the database (pg_dump, custom format) and the issuer's
# keys (sealed with a passphrase: bin/capacita keys export) in one tar
# file under var/backups/, with a manifest of SHA-256 sums and of the
# row count of every table. The server may keep running: pg_dump and
# the counts read one consistent snapshot.
#
# The audit chain's signed checkpoints (audit_file) go with them, copied
# before the snapshot, so that every checkpoint names a row of the dump.
#
# The passphrase comes from CAPACITA_BACKUP_PASSPHRASE, or is asked for
# on the terminal. Without it the keys cannot be restored: keep it apart
# from the backups.
set -eu
cd "$(dirname "$0")/.."

OUT=${BACKUP_DIR:-var/backups}
export PGHOST=${PGHOST:-$(pwd)/var/run} PGUSER=${PGUSER:-postgres}
DB=${PGDATABASE:-capacita}
. scripts/audit-file.sh

ask() {
	printf '%s' "$1" >&2
	stty -echo 2>/dev/null || true
	read -r answer
	stty echo 2>/dev/null || true
	printf '\n' >&2
	printf '%s' "$answer"
}

if [ -z "${CAPACITA_BACKUP_PASSPHRASE:-}" ]; then
	if [ ! -t 0 ]; then
		echo "backup: set CAPACITA_BACKUP_PASSPHRASE" >&2
		exit 1
	fi
	p1=$(ask "Passphrase for the issuer's keys (12 characters or more): ")
	p2=$(ask "The same passphrase again: ")
	[ "$p1" = "$p2" ] || { echo "backup: the passphrases differ" >&2; exit 1; }
	export CAPACITA_BACKUP_PASSPHRASE="$p1"
fi

[ -S "$PGHOST/.s.PGSQL.5432" ] || scripts/pg.sh start > /dev/null
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stamp=$(date -u +%Y%m%dT%H%M%SZ)
files="db.dump keys.vault"
if [ -s "$AUDIT_FILE" ]; then
	cp "$AUDIT_FILE" "$tmp/audit-checkpoints.jsonl"
	files="$files audit-checkpoints.jsonl"
fi

# One snapshot for the dump and for the row counts of every table, which
# go into the manifest: a restore checks them (scripts/restore.sh). A
# psql session exports the snapshot and holds it while pg_dump runs.
mkfifo "$tmp/sql"
psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" < "$tmp/sql" > "$tmp/snap" &
snapper=$!
exec 3> "$tmp/sql"
echo "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SELECT pg_export_snapshot();" >&3
i=0
until [ -s "$tmp/snap" ]; do
	kill -0 "$snapper" 2>/dev/null && [ $i -lt 600 ] ||
	    { echo "backup: no snapshot from the database" >&2; exit 1; }
	sleep 0.05
	i=$((i + 1))
done
pg_dump -Fc --snapshot="$(head -1 "$tmp/snap")" -d "$DB" -f "$tmp/db.dump"
cat scripts/rowcounts.sql >&3
echo "COMMIT;" >&3
exec 3>&-
wait "$snapper" || { echo "backup: counting rows failed" >&2; exit 1; }
bin/capacita keys export "$tmp/keys.vault" > /dev/null
{
	echo "capacita-backup 1"
	echo "created $stamp"
	echo "schema $(bin/capacita migrate --status | sed -n "s/^database schema \([0-9]*\).*/\1/p")"
	# shellcheck disable=SC2086
	(cd "$tmp" && sha256sum $files)
	grep '^rows ' "$tmp/snap"
} > "$tmp/MANIFEST"
# shellcheck disable=SC2086
tar -C "$tmp" -cf "$OUT/capacita-$stamp.tar" MANIFEST $files
chmod 600 "$OUT/capacita-$stamp.tar"
echo "$OUT/capacita-$stamp.tar"
