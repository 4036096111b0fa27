#!/bin/sh
# Quiz start+submit through Kore against pgbench TPC-B on the same
# cluster, alternated in the same minutes, with what each cost
# (issue 20): make bench (c) runs it on its stack; alone, it makes its
# own (a cluster in var/bench-quiz, the shipped content and a five
# question true/false quiz, BENCH_LEARNERS learners).
#
#   scripts/bench/quiz.sh [ROUNDS]
#	APP=dir		the build to measure (default: this tree)
#	BENCH_SECONDS	length of each run (default 10)
#	BENCH_LEARNERS	learners (default 64), turned through by
#	QUIZ_CONNECTIONS connections (default 16: pgbench -c16 -j2)
#	QUIZ_WORKERS	Kore workers, alone (default: conf/app.conf's)
#	QUIZ_SETUP_SQL	SQL run once the database is ready, alone (to take a
#			step back for a comparison, see BENCHMARKS.md)
#
# Each run is measured over a window inside it (after 1 s, until 1 s
# before its end, while every connection is open): throughput, and per
# transaction (a start+submit; a TPC-B transaction) PostgreSQL's CPU
# (utime + stime of the cluster's processes, /proc), its WAL fsyncs
# (pg_stat_wal.wal_sync), Kore's CPU, the generator's CPU (wrk or
# pgbench, /usr/bin/time), and the work, which a busy machine does not
# change: WAL records and kB, and shared buffers touched. Output: a line per run on stdout and
# $B/out/quiz.tsv.
set -eu
cd "$(dirname "$0")/../.."
HERE=$(pwd)
APP=${APP:-$HERE}
ROUNDS=${1:-3}
DUR=${BENCH_SECONDS:-10}
LEARNERS=${BENCH_LEARNERS:-64}
CONN=${QUIZ_CONNECTIONS:-16}
HZ=$(getconf CLK_TCK)

# Alone: a stack of our own. Under make bench: its stack (BASE_URL, PGHOST).
OWN=0
if [ -z "${BASE_URL:-}" ]; then
	OWN=1
	B=$HERE/var/bench-quiz
	mkdir -p "$B/run" "$B/out"
	export PGHOST=$B/run PGUSER=postgres PGDATABASE=capacita
	export CAPACITA_DSN="host=$B/run dbname=capacita user=postgres"
	export CAPACITA_PORT_FILE=$B/run/port CAPACITA_KEYS_DIR=$B/keys
	export CAPACITA_AUDIT_FILE=$B/audit-checkpoints.jsonl
	export CAPACITA_IMPORT_AT_START=no
	KPID=""
	cleanup() {
		[ -n "$KPID" ] && kill -TERM "$KPID" 2>/dev/null || true
		wait 2>/dev/null || true
		scripts/pg.sh stop "$B/pg" >/dev/null 2>&1 || true
	}
	trap cleanup EXIT INT TERM
	scripts/pg.sh start "$B/pg" "$B/run" > "$B/out/pg.log"
	psql -q -d postgres -c "DROP DATABASE IF EXISTS capacita" \
	    -c "CREATE DATABASE capacita"
	rm -rf "$B/keys"
	(cd "$APP" && bin/capacita migrate > /dev/null &&
	    bin/capacita import . > /dev/null)
	mkdir -p "$B/quiz/modules" "$B/quiz/courses"
	{
		printf -- '---\ntitle: Quiz di benchmark\nslug: bench-quiz\n'
		printf 'lang: it\nminutes: 5\nsummary: Cinque domande.\n---\n'
		printf 'Testo.\n\n```quiz\n'
		for i in 1 2 3 4 5; do
			printf '? Domanda %d\ncompetenza: ACC.1 base\n= vero\n\n' "$i"
		done
		printf '```\n'
	} > "$B/quiz/modules/bench-quiz.md"
	printf -- '---\ntitle: Corso di benchmark\nslug: bench-corso\nlang: it\nsummary: Per make bench.\nhours: 1\nmodules:\n  - bench-quiz\nattempts: 0\n---\nCorso.\n' \
	    > "$B/quiz/courses/bench-corso.md"
	(cd "$APP" && bin/capacita import "$B/quiz" > /dev/null)
	[ -z "${QUIZ_SETUP_SQL:-}" ] || psql -q -v ON_ERROR_STOP=1 \
	    -c "$QUIZ_SETUP_SQL"
	rm -f "$B/run/port"
	sed -e 's/^\([[:space:]]*bind[[:space:]][[:space:]]*127\.0\.0\.1[[:space:]][[:space:]]*\)[0-9][0-9]*/\10/' \
	    -e "s|^pidfile.*|pidfile $B/run/kore.pid|" \
	    -e "s|^workers[[:space:]].*|workers ${QUIZ_WORKERS:-&}|" \
	    -e "s|^workers \(workers.*\)|\1|" "$APP/conf/app.conf" \
	    > "$B/run/app.conf"
	(cd "$APP" && exec kore -fnr -c "$B/run/app.conf") \
	    > "$B/out/kore.log" 2>&1 &
	KPID=$!
	i=0
	until [ -s "$B/run/port" ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || { cat "$B/out/kore.log"; exit 1; }
		sleep 0.05
	done
	export BASE_URL="http://127.0.0.1:$(cat "$B/run/port")"
	sleep 0.5
else
	B=${B:?}
	KPID=${KPID:?}
fi
PM=$(head -1 "$(psql -Atc 'SHOW data_directory')/postmaster.pid" 2>/dev/null ||
    true)
if [ -z "$PM" ]; then
	PM=$(psql -Atc "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'" | xargs ps -o ppid= -p | tr -d ' ')
fi

cpu() {	# clock ticks (utime + stime) of a process and its children
	for p in "$1" $(pgrep -P "$1"); do
		cat "/proc/$p/stat" 2>/dev/null || true
	done | awk '{ sub(/^.*\) /, ""); t += $12 + $13 } END { print t + 0 }'
}
# PostgreSQL's counters: WAL fsyncs, commits, submitted attempts.
# Then the work, which a busy machine does not change: WAL records and
# bytes, and shared buffers touched (hit or read) in the database.
counters() {
	psql -d "$1" -Atc "SELECT (SELECT wal_sync FROM pg_stat_wal), (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()), $2, (SELECT wal_records FROM pg_stat_wal), pg_current_wal_lsn() - '0/0', (SELECT blks_hit + blks_read FROM pg_stat_database WHERE datname = current_database())" | tr '|' ' '
}
snap() {	# db, count query -> "t pgticks koreticks wal_sync commits count
	#    wal_records wal_bytes blocks"
	printf '%s %s %s %s\n' "$(date +%s.%N)" "$(cpu "$PM")" "$(cpu "$KPID")" \
	    "$(counters "$1" "$2")"
}

# The learners: made once, as cookie TAB csrf.
if [ ! -s "$B/out/learners.tsv" ] || [ "$OWN" = 1 ]; then
	node scripts/bench/load.mjs learners "$LEARNERS" "$B/out/learners.json"
	node -e 'const p = JSON.parse(require("fs").readFileSync(process.argv[1])); for (const l of p) console.log(l.jar.map(([k, v]) => k + "=" + v).join("; ") + "\t" + l.csrf)' \
	    "$B/out/learners.json" > "$B/out/learners.tsv"
fi
psql -q -d postgres -c "DROP DATABASE IF EXISTS pgbench" -c "CREATE DATABASE pgbench"
pgbench -i -q -s 10 pgbench > /dev/null 2>&1

SUBMITTED="(SELECT count(*) FROM attempts WHERE submitted_at IS NOT NULL)"
# run kind: runs the generator DUR s, snapshots at 1 s and DUR - 1 s.
run() {
	kind=$1
	case $1 in
	quiz)	db=capacita; q=$SUBMITTED
		set -- env LEARNERS="$B/out/learners.tsv" WRK_THREADS="$CONN" \
		    wrk -t"$CONN" -c"$CONN" -d"${DUR}s" \
		    -s scripts/bench/quiz.lua "$BASE_URL" ;;
	pgbench) db=pgbench; q="(SELECT count(*) FROM pgbench_history)"
		set -- pgbench -n -c 16 -j 2 -T "$DUR" pgbench ;;
	esac
	/usr/bin/time -f '%U %S' -o "$B/out/gen.time" "$@" \
	    > "$B/out/gen.out" 2>&1 &
	gpid=$!
	sleep 1
	a=$(snap "$db" "$q")
	sleep $((DUR - 2))
	b=$(snap "$db" "$q")
	wait "$gpid" || true
	g=$(cat "$B/out/gen.time")
	echo "$a $b $g $DUR $HZ" | awk -v kind="$kind" '{
		dt = $10 - $1; n = $15 - $6;
		if (n <= 0) n = 1e-9;
		printf "%s\t%.0f\t%.3f\t%.3f\t%.3f\t%.2f\t%.3f\t%.1f\t%.1f\t%.0f\n",
		    kind, n / dt, ($11 - $2) * 1000 / $(NF) / n, ($13 - $4) / n,
		    ($12 - $3) * 1000 / $(NF) / n,
		    ($19 + $20) / $(NF - 1), ($19 + $20) * 1000 / (n / dt * $(NF - 1)),
		    ($16 - $7) / n, ($17 - $8) / 1024 / n, ($18 - $9) / n
	}'
	if grep -q "^errors [1-9]\|Non-2xx\|Socket errors" "$B/out/gen.out"; then
		echo "bench: errors in a $kind run:" >&2
		cat "$B/out/gen.out" >&2
	fi
}

: > "$B/out/quiz.tsv"
printf 'run\tper_s\tpg_ms_per_tx\tfsync_per_tx\tkore_ms_per_tx\tgen_cores\tgen_ms_per_tx\twal_rec_per_tx\twal_kb_per_tx\tblocks_per_tx\n'
run quiz > /dev/null	# warm up: plans, caches
for r in $(seq "$ROUNDS"); do
	run quiz | tee -a "$B/out/quiz.tsv"
	run pgbench | tee -a "$B/out/quiz.tsv"
done
