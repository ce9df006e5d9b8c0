#!/bin/sh
# tests/bench/run.sh BUILD: the loader benchmark (`make bench`).
#
# Generates synthetic AWS Config snapshots (never committed: into
# tests/bench/data/, gitignored; reused when the size is right), then
# prints, per file, one row per program: throughput, peak RSS, and the
# ratio to the first row (yajl with no-op callbacks, the ceiling).
#
# A row is one line of ROWS below: "label|program|arguments" ($F is the
# snapshot).  Each program prints "<count> <bytes> <seconds> <rss KiB>
# <CPU seconds>".  Throughput is MB/s of wall-clock time, what a user
# waits for, and the ratio compares it with the ceiling's.  rampart parses
# JSON on a reader thread beside the builder (two CPUs), yajl parse-only
# is one thread, so "MB/s cpu" (bytes per CPU second, user + system, all
# threads) and "cpu ratio" are printed beside them: they say what the
# second CPU buys.  Rows take turns, and each keeps its fastest run by
# wall clock, as the machine may be shared.  The full scan row runs the
# real binary, `rampart scan` of the snapshot against
# rules/baselines/example.yaml (every shipped AWS check) with the JSON
# report written to a file (temporary file, fsync, rename), through
# rusage_run (count = resources scanned).
#
# Environment: BENCH_SIZES (MB, default "50 500"), BENCH_RUNS (best of,
# default 5).  Targets: streaming >= 70% of the ceiling, peak RSS < 32 MB;
# full scan >= 50% of the ceiling, peak RSS flat in the export's size.
#
# Columns: MB/s and ratio are of each row's fastest run; "paired" is the
# median over rounds of the ratio between runs of the same round (see
# paired below); "MB/s cpu" and "cpu ratio" use CPU time instead.
set -euf
BUILD=${1:-build}
B=$BUILD/bench
DATA=tests/bench/data
SIZES=${BENCH_SIZES:-50 500}
RUNS=${BENCH_RUNS:-5}
CC=${CC:-cc}
CFLAGS="-O2 -g -std=c11 -D_POSIX_C_SOURCE=200809L -I. -Ilib"
LIBS="-lyaml -lyajl -lpcre2-8 -lssl -lcrypto -ldl -lm -pthread"

ROWS='yajl parse-only (ceiling)|yajl_parse_only|$F
rampart stream configurationItems[*]|stream_load|$F configurationItems[*]
rampart scan, all AWS checks (example)|rusage_run|$F $TMP/report.json -- $BUILD/rampart scan --baseline rules/baselines/example.yaml --input $F --max-evidence-age 0 --format json --output $TMP/report.json'

mkdir -p "$B" "$DATA"
$CC $CFLAGS -o "$B/gen_snapshot" tests/bench/gen_snapshot.c
$CC $CFLAGS -o "$B/yajl_parse_only" tests/bench/yajl_parse_only.c -lyajl
$CC $CFLAGS -o "$B/stream_load" tests/bench/stream_load.c \
	"$BUILD/librampart.a" $LIBS
$CC $CFLAGS -o "$B/rusage_run" tests/bench/rusage_run.c
# The scan row reads the shipped packs from this tree.
RAMPART_RULES_DIR=$(pwd)/rules
export RAMPART_RULES_DIR

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# run_row N PROGRAM ARGS...: run once, keep the fastest result as row N,
# and every run's wall-clock seconds in $TMP/N.all (one per round).
run_row() {
	n=$1
	shift
	out=$("$@") || { echo "bench: $* failed" >&2; exit 1; }
	echo "$out" | awk '{print $3}' >>"$TMP/$n.all"
	if [ ! -f "$TMP/$n" ] || [ "$(echo "$out $(cat "$TMP/$n")" |
	    awk '{print ($3 < $8)}')" = 1 ]; then
		echo "$out" >"$TMP/$n"
	fi
}

# paired N: the median over rounds of (ceiling's seconds / row N's
# seconds) for runs of the same round, which ran one after the other: on a
# machine whose speed drifts, less at the mercy of one lucky run than the
# ratio of the two best runs.
paired() {
	paste "$TMP/1.all" "$TMP/$1.all" | awk '{print $1 / $2}' | sort -g |
	    awk '{ v[NR] = $1 }
		END {
			if (NR % 2) m = v[(NR + 1) / 2]
			else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.0f%%", 100 * m
		}'
}

for mb in $SIZES; do
	F=$DATA/snapshot-$mb.json
	want=$((mb * 1048576))
	have=$(stat -c %s "$F" 2>/dev/null || echo 0)
	if [ "$have" -lt "$want" ] || [ "$have" -gt $((want + 65536)) ]; then
		"$B/gen_snapshot" "$F" "$mb" >/dev/null
	fi
	rm -rf "$TMP" && mkdir "$TMP"
	# Rows take turns, so a busy machine slows them alike.
	i=0
	while [ $i -lt "$RUNS" ]; do
		n=0
		echo "$ROWS" | while IFS='|' read -r label prog args; do
			n=$((n + 1))
			# shellcheck disable=SC2086
			run_row $n "$B/$prog" $(eval echo "$args")
		done
		i=$((i + 1))
	done
	echo "== $F ($(($(stat -c %s "$F") / 1048576)) MB), best of $RUNS"
	printf '%-40s %9s %7s %6s %7s %9s %10s %9s\n' row count "MB/s" ratio \
	    paired "MB/s cpu" "cpu ratio" "peak RSS"
	n=0
	base=
	cbase=
	echo "$ROWS" | while IFS='|' read -r label prog args; do
		n=$((n + 1))
		r=$(cat "$TMP/$n")
		mbs=$(echo "$r" | awk '{printf "%.1f", $2 / 1048576 / $3}')
		cpu=$(echo "$r" | awk '{printf "%.1f", $2 / 1048576 / $5}')
		rss=$(echo "$r" | awk '{printf "%.1f MB", $4 / 1024}')
		[ -n "$base" ] || base=$mbs
		[ -n "$cbase" ] || cbase=$cpu
		ratio=$(echo "$mbs $base" | awk '{printf "%.0f%%", 100 * $1 / $2}')
		cratio=$(echo "$cpu $cbase" |
		    awk '{printf "%.0f%%", 100 * $1 / $2}')
		printf '%-40s %9s %7s %6s %7s %9s %10s %9s\n' "$label" \
		    "$(echo "$r" | awk '{print $1}')" "$mbs" "$ratio" \
		    "$(paired $n)" "$cpu" "$cratio" "$rss"
	done
done
