#!/bin/sh
# replay.sh NAME...: run every seed (tests/fuzz/corpus/NAME) and every
# input that ever crashed (tests/fuzz/crashes/NAME) once through
# tests/obj/fuzz-NAME, without fuzzing. One line per target, then
# "N passed, N failed"; exits non-zero when any target fails.
cd "$(dirname "$0")/../.."
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
mkdir -p tests/out
passed=0
failed=0
for n in "$@"; do
	log=tests/out/fuzz-replay-$n.log
	mkdir -p "tests/fuzz/corpus/$n" "tests/fuzz/crashes/$n"
	files=$(find "tests/fuzz/corpus/$n" "tests/fuzz/crashes/$n" \
	    -type f ! -name README.md ! -name .keep | wc -l)
	if "tests/obj/fuzz-$n" -runs=0 "tests/fuzz/corpus/$n" \
	    "tests/fuzz/crashes/$n" > "$log" 2>&1; then
		echo "ok   fuzz-$n ($files inputs)"
		passed=$((passed + 1))
	else
		echo "FAIL fuzz-$n: see $log"
		grep -E 'ERROR|SUMMARY|assertion|Running: ' "$log" | head -20
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
