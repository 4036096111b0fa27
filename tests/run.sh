#!/bin/sh
# `make test`: everything, against real parts.
#
#  1. unit tests of the core and store C files under ASan and UBSan;
#     the fuzzing seeds and saved crashes replayed (tests/fuzz);
#  2. a throwaway PostgreSQL cluster and the real Kore server on a port
#     chosen by the kernel, loaded with the shipped content;
#  3. HTTP integration tests and browser journeys (headless Chromium,
#     playwright-core), all run by node --test;
#  4. the server stopped with SIGTERM: it must exit 0, and its log must
#     show no seccomp violation and no worker restart.
#
# Ends with one line "N passed, N failed"; exits non-zero on any failure
# and leaves nothing running.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)

PASSED=0
FAILED=0
KPID=""
T=$(mktemp -d "$ROOT/var/test.XXXXXX" 2>/dev/null) || {
	mkdir -p "$ROOT/var"
	T=$(mktemp -d "$ROOT/var/test.XXXXXX")
}
OUT=$ROOT/tests/out
rm -rf "$OUT"
mkdir -p "$OUT" "$T/run"
LOG=$T/kore.log

count() {	# count N_PASSED N_FAILED LABEL
	PASSED=$((PASSED + $1))
	FAILED=$((FAILED + $2))
	echo "== $3: $1 passed, $2 failed"
}

cleanup() {
	if [ -n "$KPID" ] && kill -0 "$KPID" 2>/dev/null; then
		kill -TERM "$KPID" 2>/dev/null
		wait "$KPID" 2>/dev/null
	fi
	scripts/pg.sh stop "$T/pg" >/dev/null 2>&1
	if [ "$FAILED" -eq 0 ]; then
		rm -rf "$T"
	else
		echo "kept $T for inspection (kore.log, pg/postgres.log)"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. Unit tests (built by the Makefile with sanitizers).
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for t in tests/obj/test-*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	"$t" > "$OUT/$name.log" 2>&1
	rc=$?
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$OUT/$name.log" |
	    tail -1)
	p=$(echo "$line" | cut -d' ' -f1)
	f=$(echo "$line" | cut -d' ' -f3)
	[ -n "$p" ] || { p=0; f=1; }
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# crashed or sanitizer error after the summary
	fi
	[ "$f" -eq 0 ] || sed -n '1,60p' "$OUT/$name.log"
	count "$p" "$f" "$name"
done

# 1b. Every fuzzing seed and every input that ever crashed, replayed
# once through its libFuzzer target (tests/fuzz/README.md): seconds.
make -s fuzz-replay > "$OUT/fuzz-replay.log" 2>&1
rc=$?
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$OUT/fuzz-replay.log" |
    tail -1)
p=$(echo "$line" | cut -d' ' -f1)
f=$(echo "$line" | cut -d' ' -f3)
[ -n "$p" ] || { p=0; f=1; }
[ "$rc" -eq 0 ] || [ "$f" -ne 0 ] || f=1
[ "$f" -eq 0 ] || sed -n '1,60p' "$OUT/fuzz-replay.log"
count "$p" "$f" "fuzz replay (tests/fuzz)"

# 1c. The house rules of src/ (tests/gates.py): SQL only in stores,
# HTML only in templates, file and function sizes, exports declared
# under their file's section, core files free of Kore and libpq.
python3 tests/gates.py > "$OUT/gates.log" 2>&1
rc=$?
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$OUT/gates.log" | tail -1)
p=$(echo "$line" | cut -d' ' -f1)
f=$(echo "$line" | cut -d' ' -f3)
[ -n "$p" ] || { p=0; f=1; }
[ "$rc" -eq 0 ] || [ "$f" -ne 0 ] || f=1
[ "$f" -eq 0 ] || sed -n '1,80p' "$OUT/gates.log"
count "$p" "$f" "house rules (tests/gates.py)"

# 2. Database and server.
# The zone of the times people read (settings: timezone), for the server,
# psql in the tests and the tests' own clocks alike.
export TZ=Europe/Rome PGTZ=Europe/Rome
export PGHOST=$T/run PGUSER=postgres PGDATABASE=capacita
if ! PG_FAST=1 scripts/pg.sh start "$T/pg" "$T/run" > "$OUT/pg.log" 2>&1
then
	cat "$OUT/pg.log"
	count 0 1 "start PostgreSQL"
	echo "$PASSED passed, $FAILED failed"
	exit 1
fi
export CAPACITA_DSN="host=$T/run dbname=capacita user=postgres"
export CAPACITA_PORT_FILE=$T/port
export CAPACITA_TLS_PROXY=yes
export CAPACITA_KEYS_DIR=$T/keys
export CAPACITA_AUDIT_FILE=$T/audit-checkpoints.jsonl
if ! bin/capacita migrate > "$OUT/setup.log" 2>&1 ||
    ! bin/capacita import . >> "$OUT/setup.log" 2>&1; then
	cat "$OUT/setup.log"
	count 0 1 "migrate and import"
	echo "$PASSED passed, $FAILED failed"
	exit 1
fi

sed -e 's/^\([[:space:]]*bind[[:space:]][[:space:]]*127\.0\.0\.1[[:space:]][[:space:]]*\)[0-9][0-9]*/\10/' \
    -e "s|^pidfile.*|pidfile $T/kore.pid|" conf/app.conf > "$T/app.conf"
stdbuf -oL kore -fnr -c "$T/app.conf" > "$LOG" 2>&1 &
KPID=$!
i=0
until [ -s "$T/port" ]; do
	i=$((i + 1))
	if [ $i -gt 200 ] || ! kill -0 "$KPID" 2>/dev/null; then
		cat "$LOG"
		count 0 1 "start kore"
		echo "$PASSED passed, $FAILED failed"
		exit 1
	fi
	sleep 0.05
done
export BASE_URL="http://127.0.0.1:$(cat "$T/port")"
# base_url follows the port the server bound: the CLI must agree.
export CAPACITA_BASE_URL=$BASE_URL
export CAPACITA_TEST_DIR=$T KORE_LOG=$LOG TEST_OUT=$OUT
echo "== server $BASE_URL (pid $KPID, log $LOG)"

# 3. HTTP and browser tests.
# TESTS="tests/integ/badges.test.mjs ..." runs only those files (for
# quick rounds while working; CI runs everything).
# shellcheck disable=SC2086
node --test --test-reporter=tap --test-concurrency=1 \
    ${TESTS:-tests/integ/ tests/browser/} > "$OUT/node.tap" 2>&1
p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$OUT/node.tap" | tail -1)
f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$OUT/node.tap" | tail -1)
c=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$OUT/node.tap" | tail -1)
[ -n "$p" ] || { p=0; f=1; }
f=$((f + ${c:-0}))
if [ "$f" -ne 0 ]; then
	grep -B2 -A30 '^not ok\|^    not ok\|^        not ok' "$OUT/node.tap" |
	    head -150
fi
count "$p" "$f" "node --test (tests/integ, tests/browser)"

# 4. Clean shutdown, and nothing wrong in the log.
p=0
f=0
kill -TERM "$KPID"
i=0
while kill -0 "$KPID" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$KPID" 2>/dev/null; then
	echo "FAIL kore still running 10 s after SIGTERM"
	f=$((f + 1))
else
	rc=0
	wait "$KPID" || rc=$?
	KPID=""
	if [ "$rc" -eq 0 ] && grep -q goodbye "$LOG"; then
		p=$((p + 1))
	else
		echo "FAIL kore exit status $rc"
		f=$((f + 1))
	fi
fi
if grep -q "sandbox violation\|seccomp violation" "$LOG"; then
	echo "FAIL seccomp violation in the log:"
	grep "violation" "$LOG" | head -5
	f=$((f + 1))
else
	p=$((p + 1))
fi
if grep -q "template error\|template '.*' not found" "$LOG"; then
	echo "FAIL a template failed to render:"
	grep "template" "$LOG" | sort | uniq -c | head -10
	f=$((f + 1))
else
	p=$((p + 1))
fi
if grep -q "restarting worker\|worker .* gone" "$LOG"; then
	echo "FAIL a worker died during the tests:"
	grep -B3 "restarting worker\|gone" "$LOG" | head -20
	f=$((f + 1))
else
	p=$((p + 1))
fi
cp "$LOG" "$OUT/kore.log"
count "$p" "$f" "server log and shutdown"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
