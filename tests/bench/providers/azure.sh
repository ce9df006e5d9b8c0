#!/bin/sh
# tests/bench/providers/azure.sh BUILD: the Azure rows of `make bench`.
#
# Generates a synthetic Azure Resource Graph dump (tests/bench/data/,
# gitignored; reused when the size is right) and prints, as
# tests/bench/run.sh does, the yajl parse-only ceiling beside rampart
# streaming the dump's data[*] and `rampart scan` of it against
# fedramp-moderate (every bound Azure check; JSON report to a file):
# count, MB/s (wall clock) and ratio to the ceiling, the same per CPU
# second, peak RSS.  Targets: scan >= 50% of the ceiling, peak RSS < 32 MB
# and flat in the dump's size.  The scan writes a report listing up to
# 1000 results per check and status (with evidence), fsynced: on a busy
# disk that write, not the parse, sets the wall-clock figure; the CPU
# columns show the parse and the checks, and the last row, listing 10
# results per check and status, the scan without the report's volume.
#
# Environment: BENCH_SIZES (MB, default "50 500"), BENCH_RUNS (best of,
# default 3).
set -euf
BUILD=${1:-build}
B=$BUILD/bench
DATA=tests/bench/data
SIZES=${BENCH_SIZES:-50 500}
RUNS=${BENCH_RUNS:-3}
CC=${CC:-cc}
CFLAGS="-O2 -g -std=c11 -D_POSIX_C_SOURCE=200809L -I. -Ilib"
LIBS="-lyaml -lyajl -lpcre2-8 -lssl -lcrypto -ldl -lm -pthread"

ROWS='yajl parse-only (ceiling)|yajl_parse_only|$F
rampart stream data[*] (Resource Graph)|stream_load|$F data[*]
rampart scan, Azure checks (fedramp-moderate)|rusage_run|$F $TMP/report.json -- $BUILD/rampart scan --baseline fedramp-moderate --input $F --max-evidence-age 0 --format json --output $TMP/report.json
rampart scan, same, --max-results 10|rusage_run|$F $TMP/report.json -- $BUILD/rampart scan --baseline fedramp-moderate --input $F --max-evidence-age 0 --max-results 10 --format json --output $TMP/report.json'

mkdir -p "$B" "$DATA"
$CC $CFLAGS -o "$B/gen_azure_graph" tests/bench/gen_azure_graph.c
$CC $CFLAGS -o "$B/yajl_parse_only" tests/bench/yajl_parse_only.c -lyajl
$CC $CFLAGS -o "$B/stream_load" tests/bench/stream_load.c \
	"$BUILD/librampart.a" $LIBS
$CC $CFLAGS -o "$B/rusage_run" tests/bench/rusage_run.c
RAMPART_RULES_DIR=$(pwd)/rules
export RAMPART_RULES_DIR
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

for mb in $SIZES; do
	F=$DATA/azure-graph-$mb.json
	want=$((mb * 1048576))
	have=$(stat -c %s "$F" 2>/dev/null || echo 0)
	if [ "$have" -lt "$want" ] || [ "$have" -gt $((want + 65536)) ]; then
		"$B/gen_azure_graph" "$F" "$mb" >/dev/null
	fi
	rm -f "$TMP"/row.*
	i=0
	while [ $i -lt "$RUNS" ]; do
		n=0
		echo "$ROWS" | while IFS='|' read -r label prog args; do
			n=$((n + 1))
			# shellcheck disable=SC2086
			out=$("$B/$prog" $(eval echo "$args")) ||
				{ echo "bench: $prog failed" >&2; exit 1; }
			# keep the fastest run (field 3: seconds)
			if [ ! -f "$TMP/row.$n" ] || [ "$(echo "$out $(cat "$TMP/row.$n")" |
			    awk '{print ($3 < $8)}')" = 1 ]; then
				echo "$out" >"$TMP/row.$n"
			fi
		done
		i=$((i + 1))
	done
	echo "== $F ($(($(stat -c %s "$F") / 1048576)) MB), best of $RUNS"
	printf '%-46s %9s %7s %6s %9s %10s %10s\n' row count "MB/s" ratio \
	    "MB/s cpu" "cpu ratio" "peak RSS"
	n=0
	cbase=
	base=
	echo "$ROWS" | while IFS='|' read -r label prog args; do
		n=$((n + 1))
		r=$(cat "$TMP/row.$n")
		mbs=$(echo "$r" | awk '{printf "%.1f", $2 / 1048576 / $3}')
		cpu=$(echo "$r" | awk '{printf "%.1f", $2 / 1048576 / $5}')
		rss=$(echo "$r" | awk '{printf "%.1f MB", $4 / 1024}')
		[ -n "$base" ] || base=$mbs
		[ -n "$cbase" ] || cbase=$cpu
		ratio=$(echo "$mbs $base" | awk '{printf "%.0f%%", 100 * $1 / $2}')
		cratio=$(echo "$cpu $cbase" | awk '{printf "%.0f%%", 100 * $1 / $2}')
		printf '%-46s %9s %7s %6s %9s %10s %10s\n' "$label" \
		    "$(echo "$r" | awk '{print $1}')" "$mbs" "$ratio" "$cpu" \
		    "$cratio" "$rss"
	done
done
