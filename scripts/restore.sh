#!/bin/sh
# `make restore FILE=var/backups/capacita-....tar`: check the backup's
# SHA-256 sums; restore the issuer's keys (bin/capacita keys import: an
# existing different key is never overwritten unless RESTORE_FORCE_KEYS=1);
# restore the dump into a side database and check the row count of every
# table against the manifest; only then drop the database and put the
# restored one in its place, and migrate it to this version. The audit
# checkpoints of the backup go to audit_file when there is none there (a
# new machine); an existing file is kept: its newer checkpoints make
# `bin/capacita audit verify` report the rows the restore took back.
# Stop `make run` first: the database is replaced.
set -eu
cd "$(dirname "$0")/.."

FILE=${1:?usage: scripts/restore.sh BACKUP.tar}
export PGHOST=${PGHOST:-$(pwd)/var/run} PGUSER=${PGUSER:-postgres}
DB=${PGDATABASE:-capacita}
. scripts/audit-file.sh

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
tar -C "$tmp" -xf "$FILE" ||
    { echo "restore: $FILE is not a tar file" >&2; exit 1; }
for f in MANIFEST db.dump keys.vault; do
	[ -f "$tmp/$f" ] ||
	    { echo "restore: $FILE has no $f" >&2; exit 1; }
done
head -1 "$tmp/MANIFEST" | grep -qx "capacita-backup 1" ||
    { echo "restore: $FILE is not a Capacita backup" >&2; exit 1; }
(cd "$tmp" && grep -E '^[0-9a-f]{64}  ' MANIFEST | sha256sum -c --quiet) ||
    { echo "restore: $FILE is damaged (checksums differ)" >&2; exit 1; }
if [ -f "$tmp/audit-checkpoints.jsonl" ] &&
    ! grep -q '  audit-checkpoints.jsonl$' "$tmp/MANIFEST"; then
	echo "restore: $FILE: audit checkpoints without a checksum" >&2
	exit 1
fi

# The keys first: a wrong passphrase stops here, with the data intact.
force=""
[ "${RESTORE_FORCE_KEYS:-0}" = 1 ] && force="--force"
# shellcheck disable=SC2086
bin/capacita keys import $force "$tmp/keys.vault"

# The data into a database of its own, checked against the manifest's
# row counts, and only then put in the place of the old one: a restore
# that fails leaves the database as it was.
[ -S "$PGHOST/.s.PGSQL.5432" ] || scripts/pg.sh start > /dev/null
new="${DB}_restoring"
psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$new\"" \
    -c "CREATE DATABASE \"$new\""
drop_new() {
	psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$new\"" || true
}
if ! pg_restore --no-owner --exit-on-error -d "$new" "$tmp/db.dump"; then
	drop_new
	echo "restore: pg_restore failed; database $DB left as it was" >&2
	exit 1
fi
psql -XAtq -d "$new" -f scripts/rowcounts.sql > "$tmp/restored"
# The manifest is not signed: only plain table names and counts; nothing
# of it goes into SQL.
bad=$(awk '
	NR == FNR { got[$2] = $3; next }
	$1 != "rows" { next }
	NF != 3 || $2 !~ /^[a-z_][a-z0-9_]*$/ || $3 !~ /^[0-9]+$/ {
		print "restore: bad line in the manifest: " $0 > "/dev/stderr"
		bad = 1
		next
	}
	!($2 in got) || got[$2] != $3 {
		print "restore: table " $2 " has " \
		    ($2 in got ? got[$2] : "no") " rows, the backup " $3 \
		    > "/dev/stderr"
		bad = 1
	}
	END { print bad + 0 }' "$tmp/restored" "$tmp/MANIFEST")
if [ $bad = 1 ]; then
	drop_new
	echo "restore: database $DB left as it was" >&2
	exit 1
fi
psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$DB\"" \
    -c "ALTER DATABASE \"$new\" RENAME TO \"$DB\""
bin/capacita migrate
if [ -f "$tmp/audit-checkpoints.jsonl" ]; then
	if [ -s "$AUDIT_FILE" ]; then
		echo "kept the audit checkpoints in $AUDIT_FILE (the backup's" \
		    "are in $FILE)"
	else
		mkdir -p "$(dirname "$AUDIT_FILE")"
		cp "$tmp/audit-checkpoints.jsonl" "$AUDIT_FILE"
		chmod 600 "$AUDIT_FILE"
		echo "audit checkpoints restored to $AUDIT_FILE"
	fi
fi
echo "restored $FILE into database $DB"
