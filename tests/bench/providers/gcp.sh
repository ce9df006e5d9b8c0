#!/bin/sh
# tests/bench/providers/gcp.sh BUILD: the Google Cloud rows of `make bench`.
#
# Generates a synthetic Cloud Asset Inventory export (NDJSON, the format
# that reaches hundreds of megabytes; tests/bench/providers/gcp_gen.c)
# into tests/bench/data/ (gitignored; reused when the size is right) and
# prints, per size, the yajl parse-only ceiling (gcp_yajl_ndjson.c: the
# same file, multiple values) beside `rampart scan` of the export against
# fedramp-moderate (every shipped check; the AWS ones not applicable),
# JSON report to a file, through tests/bench/rusage_run.c.  Columns as
# tests/bench/run.sh prints them: count, MB/s (wall clock, best of
# BENCH_RUNS), ratio to the ceiling, MB/s per CPU second, peak RSS.
# Targets (issue 14): ratio >= 50%, peak RSS < 32 MB at 500 MB.
#
# Environment: BENCH_SIZES (MB, default "50 500"), BENCH_RUNS (default 3).
set -euf
BUILD=${1:-build}
B=$BUILD/bench
DATA=tests/bench/data
SIZES=${BENCH_SIZES:-50 500}
RUNS=${BENCH_RUNS:-3}
CC=${CC:-cc}
CFLAGS="-O2 -g -std=c11 -D_POSIX_C_SOURCE=200809L -I. -Ilib"

mkdir -p "$B" "$DATA"
$CC $CFLAGS -o "$B/gcp_gen" tests/bench/providers/gcp_gen.c
$CC $CFLAGS -o "$B/gcp_yajl_ndjson" tests/bench/providers/gcp_yajl_ndjson.c \
	-lyajl
$CC $CFLAGS -o "$B/rusage_run" tests/bench/rusage_run.c
RAMPART_RULES_DIR=$(pwd)/rules
export RAMPART_RULES_DIR
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# best N CMD...: run N times, print the line of the fastest run.
best() {
	n=$1
	shift
	i=0
	while [ "$i" -lt "$n" ]; do
		"$@" >>"$TMP/runs" || { echo "bench: $* failed" >&2; exit 1; }
		i=$((i + 1))
	done
	sort -k3 -g "$TMP/runs" | head -n 1
	rm -f "$TMP/runs"
}

for mb in $SIZES; do
	F=$DATA/gcp-assets-$mb.ndjson
	want=$((mb * 1048576))
	have=$(stat -c %s "$F" 2>/dev/null || echo 0)
	if [ "$have" -lt "$want" ] || [ "$have" -gt $((want + 4096)) ]; then
		"$B/gcp_gen" "$F" "$mb" >/dev/null
	fi
	ceil=$(best "$RUNS" "$B/gcp_yajl_ndjson" "$F")
	scan=$(best "$RUNS" "$B/rusage_run" "$F" "$TMP/report.json" -- \
		"$BUILD/rampart" scan --baseline fedramp-moderate --input "$F" \
		--input-format gcp-asset --max-evidence-age 0 --format json \
		--output "$TMP/report.json")
	echo "== $F ($mb MB), best of $RUNS"
	printf '%-40s %9s %7s %6s %9s %9s\n' row count "MB/s" ratio "MB/s cpu" \
		"peak RSS"
	base=$(echo "$ceil" | awk '{printf "%.1f", $2 / 1048576 / $3}')
	for r in "yajl parse-only NDJSON (ceiling)|$ceil" \
		"rampart scan, Cloud Asset export|$scan"; do
		label=${r%%|*}
		v=${r#*|}
		echo "$v" | awk -v l="$label" -v base="$base" '{
			mbs = $2 / 1048576 / $3
			printf "%-40s %9s %7.1f %5.0f%% %9.1f %6.1f MB\n", l, $1,
			    mbs, 100 * mbs / base, $2 / 1048576 / $5, $4 / 1024 }'
	done
done
