#!/bin/sh
# `make bench`: Capacita against baselines measured in the same run on the
# same machine, each figure the median of 3 runs. Not part of `make test`.
#
#   (a) public module page            vs nginx serving the same bytes
#   (b) the same page, signed in      vs nginx
#   (c) quiz start+submit per second  vs pgbench (TPC-B-like), same cluster,
#       alternated, with CPU and fsyncs per transaction (scripts/bench/quiz.sh)
#   (d) badge verifications per second, in process and via POST /api/verify,
#                                     vs a raw libsodium verify loop
#   (e) HR gap report for one region, p50 and p99, at 10,000 and 100,000
#       staff (baseline: the 10,000 figure, to show how it grows)
#   (f) importing 300 modules         vs parsing them without the database
#   (g) resident memory per worker    vs the 32 MiB target
#
# Output: a table on stdout, var/bench/results.json, and BENCHMARKS.md.
set -eu
cd "$(dirname "$0")/.."

B=$(pwd)/var/bench
STAFF_SMALL=${BENCH_STAFF_SMALL:-10000}
STAFF=${BENCH_STAFF:-100000}
RUNS=3
DUR=${BENCH_SECONDS:-5}
CONC=${BENCH_CONNECTIONS:-64}
LEARNERS=${BENCH_LEARNERS:-64}
MODULE=accesso-servizi

rm -rf "$B/run" "$B/www" "$B/content" "$B/keys" "$B/out"
mkdir -p "$B/run" "$B/www/modules" "$B/content/modules" "$B/out" "$B/nginx"
RESULTS=$B/out/results.tsv
: > "$RESULTS"

export PGHOST=$B/run PGUSER=postgres PGDATABASE=capacita
export CAPACITA_DSN="host=$B/run dbname=capacita user=postgres"
export CAPACITA_PORT_FILE=$B/run/port CAPACITA_KEYS_DIR=$B/keys
export CAPACITA_AUDIT_FILE=$B/audit-checkpoints.jsonl
export CAPACITA_IMPORT_AT_START=no

KPID=""
NPID=""
cleanup() {
	[ -n "$KPID" ] && kill -TERM "$KPID" 2>/dev/null || true
	[ -n "$NPID" ] && kill -TERM "$NPID" 2>/dev/null || true
	wait 2>/dev/null || true
	scripts/pg.sh stop "$B/pg" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

say() { printf '== %s\n' "$*" >&2; }
result() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$RESULTS"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
now() { date +%s.%N; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", a - b }'; }

# wrk's requests per second, the median of $RUNS runs of $DUR seconds.
# A run with any error or non-2xx answer counts as 0, and says so.
wrk_rps() {
	for i in $(seq $RUNS); do
		out=$(wrk -t2 -c"$CONC" -d"${DUR}s" "$@")
		if echo "$out" | grep -q "Non-2xx\|Socket errors"; then
			echo "bench: errors in a wrk run: $out" >&2
			echo 0
		else
			echo "$out" | awk '/^Requests\/sec:/ { print $2 }'
		fi
	done | median
}

fresh_db() {
	rm -rf "$B/keys"
	psql -q -d postgres -c "DROP DATABASE IF EXISTS capacita" \
	    -c "CREATE DATABASE capacita"
	bin/capacita migrate > /dev/null
	bin/capacita import . > /dev/null
}

start_kore() {
	rm -f "$B/run/port"
	sed -e 's/^\([[:space:]]*bind[[:space:]][[:space:]]*127\.0\.0\.1[[:space:]][[:space:]]*\)[0-9][0-9]*/\10/' \
	    -e "s|^pidfile.*|pidfile $B/run/kore.pid|" conf/app.conf \
	    > "$B/run/app.conf"
	stdbuf -oL kore -fnr -c "$B/run/app.conf" > "$B/out/kore.log" 2>&1 &
	KPID=$!
	i=0
	until [ -s "$B/run/port" ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || { cat "$B/out/kore.log"; exit 1; }
		sleep 0.05
	done
	export BASE_URL="http://127.0.0.1:$(cat "$B/run/port")"
	# Wait for both workers to answer.
	for i in 1 2 3 4; do
		curl -s -o /dev/null "$BASE_URL/healthz" || sleep 0.2
	done
}

stop_kore() {
	kill -TERM "$KPID"
	wait "$KPID" || true
	KPID=""
}

hr_report() {
	cookie=$(node scripts/bench/load.mjs hr "hr-$1@bench.capacita.test" \
	    puglia)
	for i in $(seq $RUNS); do
		node scripts/bench/load.mjs latency "$cookie" \
		    "/hr/report?by=agency" 20
	done > "$B/out/report-$1.json"
	p50=$(node -e 'const l = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse).map((x) => x.p50).sort((a, b) => a - b); console.log(l[1].toFixed(1))' "$B/out/report-$1.json")
	p99=$(node -e 'const l = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse).map((x) => x.p99).sort((a, b) => a - b); console.log(l[1].toFixed(1))' "$B/out/report-$1.json")
	echo "$p50 $p99"
}

say "dependencies and an optimised build"
scripts/deps.sh bench
make -s all obj/examgen OPT=-O2

say "PostgreSQL in $B/pg"
scripts/pg.sh start "$B/pg" "$B/run" > "$B/out/pg.log"

# (e) at the small scale first.
say "(e) gap report at $STAFF_SMALL staff"
fresh_db
t0=$(now)
bin/capacita generate --staff "$STAFF_SMALL" > /dev/null
say "generated $STAFF_SMALL staff in $(minus "$(now)" "$t0") s"
start_kore
set -- $(hr_report small)
SMALL_P50=$1
SMALL_P99=$2
stop_kore

say "generating $STAFF staff (2 million evidence rows)"
fresh_db
t0=$(now)
bin/capacita generate --staff "$STAFF" > /dev/null
GEN_S=$(minus "$(now)" "$t0")
say "generated in $GEN_S s: $(psql -Atc 'SELECT count(*) FROM users') users, $(psql -Atc 'SELECT count(*) FROM evidence') evidence rows"

# (f) 300 modules: the 10 shipped ones, 30 copies each under new slugs.
say "(f) importing 300 modules"
for f in modules/*.md; do
	[ "$(basename "$f")" = README.md ] && continue
	slug=$(basename "$f" .md)
	for i in $(seq 30); do
		sed "s/^slug: $slug\$/slug: $slug-b$i/" "$f" \
		    > "$B/content/modules/$slug-b$i.md"
	done
done
mkdir -p "$B/content/courses"
cp courses/framework.md "$B/content/courses/"
for i in $(seq $RUNS); do
	t0=$(now)
	bin/capacita import --check "$B/content" > /dev/null
	minus "$(now)" "$t0"
done | median > "$B/out/check.txt"
psql -q -c "SELECT 1" > /dev/null
t0=$(now)
bin/capacita import "$B/content" > "$B/out/import.txt"
IMPORT_S=$(minus "$(now)" "$t0")
CHECK_S=$(cat "$B/out/check.txt")
result f_import_300_modules "$IMPORT_S" "$CHECK_S" s
say "imported in $IMPORT_S s ($(cat "$B/out/import.txt"))"

# The quiz module the learners take: five true/false questions.
mkdir -p "$B/quiz/modules" "$B/quiz/courses"
{
	printf -- '---\ntitle: Quiz di benchmark\nslug: bench-quiz\nlang: it\n'
	printf 'minutes: 5\nsummary: Cinque domande vero/falso.\n---\nTesto.\n\n'
	printf '```quiz\n'
	for i in 1 2 3 4 5; do
		printf '? Domanda %d\ncompetenza: ACC.1 base\n= vero\n\n' "$i"
	done
	printf '```\n'
} > "$B/quiz/modules/bench-quiz.md"
printf -- '---\ntitle: Corso di benchmark\nslug: bench-corso\nlang: it\nsummary: Per make bench.\nhours: 1\nmodules:\n  - bench-quiz\nattempts: 0\n---\nCorso.\n' \
    > "$B/quiz/courses/bench-corso.md"
bin/capacita import "$B/quiz" > /dev/null

start_kore
say "server $BASE_URL"

# nginx serving the bytes Kore serves for the public module page.
curl -s -o "$B/www/modules/$MODULE" "$BASE_URL/modules/$MODULE"
NGINX_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -e "s|@ROOT@|$B/www|" -e "s|@DIR@|$B/nginx|g" -e "s|@PORT@|$NGINX_PORT|" \
    scripts/bench/nginx.conf > "$B/nginx/nginx.conf"
mkdir -p "$B/nginx/tmp"
nginx -c "$B/nginx/nginx.conf" &
NPID=$!
sleep 0.5
NGINX=http://127.0.0.1:$NGINX_PORT
curl -s "$NGINX/modules/$MODULE" | cmp - "$B/www/modules/$MODULE" || {
	echo "bench: nginx does not serve the same bytes" >&2
	exit 1
}

say "(a) public module page"
wrk -t2 -c"$CONC" -d2s "$BASE_URL/modules/$MODULE" > /dev/null
wrk -t2 -c"$CONC" -d2s "$NGINX/modules/$MODULE" > /dev/null
A=$(wrk_rps "$BASE_URL/modules/$MODULE")
N=$(wrk_rps "$NGINX/modules/$MODULE")
result a_module_page_public "$A" "$N" req/s

say "(b) the same page, signed in"
node scripts/bench/load.mjs learners "$LEARNERS" "$B/out/learners.json"
COOKIE=$(node -e 'const p = JSON.parse(require("fs").readFileSync(process.argv[1])); console.log(p[0].jar.map(([k, v]) => k + "=" + v).join("; "))' "$B/out/learners.json")
wrk -t2 -c"$CONC" -d2s -H "Cookie: $COOKIE" "$BASE_URL/modules/$MODULE" > /dev/null
S=$(wrk_rps -H "Cookie: $COOKIE" "$BASE_URL/modules/$MODULE")
result b_module_page_signed_in "$S" "$N" req/s

say "(c) quiz start+submit (wrk + Lua, $LEARNERS learners) against pgbench, alternated"
# scripts/bench/quiz.sh on this stack: the learners of (b), turned
# through by 16 connections; PostgreSQL's CPU and fsyncs per transaction
# and the generator's CPU beside each figure (issue 20).
node -e 'const p = JSON.parse(require("fs").readFileSync(process.argv[1])); for (const l of p) console.log(l.jar.map(([k, v]) => k + "=" + v).join("; ") + "\t" + l.csrf)' \
    "$B/out/learners.json" > "$B/out/learners.tsv"
B=$B KPID=$KPID BENCH_SECONDS=10 scripts/bench/quiz.sh "$RUNS" \
    > "$B/out/quiz-runs.tsv"
cat "$B/out/quiz-runs.tsv" >&2
col() { awk -F'\t' -v k="$1" -v c="$2" '$1 == k { print $c }' \
    "$B/out/quiz-runs.tsv" | median; }
result c_quiz_submissions "$(col quiz 2)" "$(col pgbench 2)" tx/s
result c_pg_cpu_ms_per_tx "$(col quiz 3)" "$(col pgbench 3)" ms
result c_fsync_per_tx "$(col quiz 4)" "$(col pgbench 4)" fsync
result c_kore_cpu_ms_per_tx "$(col quiz 5)" 0 ms
result c_generator_cores "$(col quiz 6)" "$(col pgbench 6)" cores

say "(d) badge verification"
KEY=$(ls "$B/keys"/issuer-*.json | head -1)
# Issued by the bench server's issuer with one of its methods (key
# provenance: README, "Verification policy").
KID=$(basename "$KEY" .json | sed 's/^issuer-//')
sed "s|https://capacita.example.org/issuer|$BASE_URL/issuer|" \
    scripts/bench/credential.json > "$B/out/unsigned.json"
bin/capacita sign --key "$KEY" --vm "$BASE_URL/issuer#key-$KID" \
    "$B/out/unsigned.json" > "$B/out/signed.json"
CAPACITA_BASE_URL=$BASE_URL CAPACITA_KEYS_DIR=$B/keys \
    bin/capacita verify "$B/out/signed.json" > /dev/null
for i in $(seq $RUNS); do
	CAPACITA_BASE_URL=$BASE_URL CAPACITA_KEYS_DIR=$B/keys \
	    bin/capacita verify --bench 20000 "$B/out/signed.json"
done > "$B/out/verify.txt"
V=$(awk '/^verify_per_s/ { print $2 }' "$B/out/verify.txt" | median)
L=$(awk '/^sodium_per_s/ { print $2 }' "$B/out/verify.txt" | median)
result d_verify_in_process "$V" "$L" verify/s
BODY=$B/out/signed.json wrk -t2 -c"$CONC" -d2s -s scripts/bench/verify.lua "$BASE_URL/api/verify" > /dev/null
VA=$(BODY=$B/out/signed.json wrk_rps -s scripts/bench/verify.lua "$BASE_URL/api/verify")
result d_verify_api "$VA" "$L" verify/s

say "(e) gap report at $STAFF staff"
set -- $(hr_report large)
result e_report_p50_${STAFF_SMALL} "$SMALL_P50" "$SMALL_P50" ms
result e_report_p99_${STAFF_SMALL} "$SMALL_P99" "$SMALL_P99" ms
result e_report_p50_${STAFF} "$1" "$SMALL_P50" ms
result e_report_p99_${STAFF} "$2" "$SMALL_P99" ms

say "(g) resident memory per worker"
RSS=$(ps -o rss= --ppid "$KPID" | sort -n | tail -1)
result g_worker_rss_max "$(awk -v r="$RSS" 'BEGIN { printf "%.1f", r / 1024 }')" 32 MiB

stop_kore
scripts/pg.sh stop "$B/pg" > /dev/null

# Exam day (issue 13): the largest number of learners released together
# on one exam with no error and p99 under 1 s at the start, on a stack of
# its own; think times scaled down (THINK) since only the start counts.
if [ "${BENCH_EXAM:-1}" = 1 ]; then
	say "exam day: searching the largest number of users"
	THINK=${THINK:-0.01} node tests/load/exam.mjs search |
	    tee "$B/out/exam.txt" >&2
fi
node scripts/bench/report.mjs "$RESULTS" "$B/results.json" BENCHMARKS.md \
    "$GEN_S" "$STAFF"
