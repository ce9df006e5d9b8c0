#!/bin/sh
# tests/tsan.sh BUILD: ThreadSanitizer over what runs on two threads, the
# JSON loader's reader thread (`make tsan`, part of `make check`).  BUILD
# holds a -fsanitize=thread build of the loader tests and of rampart.
#
# test_merge reads inputs with 2 to 4 `scan --jobs` workers, test_reports
# renders a report's results on 2 to 8 threads.
# Runs the loader's unit tests (test_pipeline drives the thread with
# every piece size, on edge cases, the fuzz corpus and ../shared's
# exports), then scans a 2 MB synthetic snapshot, which is read and
# parsed on the reader thread while the checks run on the main one; the
# scan's report must match the one of the normal build byte for byte.
# TSan's first report fails the run (exit 66).
set -eu
BUILD=${1:-build-tsan}
REF=${2:-build}
TSAN_OPTIONS="halt_on_error=1 exitcode=66"
export TSAN_OPTIONS
for t in test_pipeline test_stream test_json test_merge test_reports; do
	echo "tsan: $t"
	"$BUILD/tests/$t" >"$BUILD/$t.log" 2>&1 ||
	    { tail -n 40 "$BUILD/$t.log"; echo "tsan: $t failed" >&2; exit 1; }
done
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
${CC:-cc} -O2 -o "$TMP/gen" tests/bench/gen_snapshot.c
"$TMP/gen" "$TMP/snap.json" 2 >/dev/null
RAMPART_RULES_DIR=$(pwd)/rules
export RAMPART_RULES_DIR
for b in "$BUILD" "$REF"; do
	rc=0
	"$b/rampart" scan --baseline rules/baselines/example.yaml \
	    --input "$TMP/snap.json" --format json --fixed-time \
	    2000-01-01T00:00:00Z --output "$TMP/$(basename "$b").json" || rc=$?
	# 0 eligible, 1 not eligible: anything else (66: a race) fails.
	if [ "$rc" -gt 1 ]; then
		echo "tsan: $b/rampart scan exited $rc" >&2
		exit 1
	fi
done
# The reports must match but for what names the binary and the file
# read: the signed provenance (the tool's build id and digest differ
# between the two builds) and the collection time a pipe cannot have.
norm() {
	jq -S 'del(.provenance) | .inputs |= map(del(.collected, .collected_from))' "$1"
}
norm "$TMP/$(basename "$BUILD").json" >"$TMP/a.norm"
norm "$TMP/$(basename "$REF").json" >"$TMP/b.norm"
cmp "$TMP/a.norm" "$TMP/b.norm"
# The same snapshot through a pipe (--input -): read once, on the same
# reader thread, the same report but for the input's name.
rc=0
cat "$TMP/snap.json" | "$BUILD/rampart" scan --baseline \
    rules/baselines/example.yaml --input - --format json --fixed-time \
    2000-01-01T00:00:00Z --output "$TMP/pipe.json" || rc=$?
if [ "$rc" -gt 1 ]; then
	echo "tsan: $BUILD/rampart scan --input - exited $rc" >&2
	exit 1
fi
norm "$TMP/pipe.json" >"$TMP/c.norm"
sed "s#$TMP/snap.json#-#g" "$TMP/b.norm" | cmp - "$TMP/c.norm"
# Several inputs on two workers, the report rendered on two threads:
# the report of the sequential normal build, byte for byte.
for b in "$BUILD" "$REF"; do
	j=2
	[ "$b" = "$REF" ] && j=1
	rc=0
	"$b/rampart" scan --baseline fedramp-moderate --input examples/aws-export \
	    --input "$TMP/snap.json" --input examples/aws-export --jobs $j \
	    --format json --fixed-time 2000-01-01T00:00:00Z \
	    --max-evidence-age 0 --output "$TMP/jobs-$j.json" || rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "tsan: $b/rampart scan --jobs $j exited $rc" >&2
		exit 1
	fi
done
jq -S 'del(.provenance)' "$TMP/jobs-2.json" >"$TMP/j2.norm"
jq -S 'del(.provenance)' "$TMP/jobs-1.json" >"$TMP/j1.norm"
cmp "$TMP/j1.norm" "$TMP/j2.norm"
echo "tsan: ok (loader and report tests; a 2 MB scan from a file and a pipe, and 3 inputs on 2 workers, identical to $REF's)"
