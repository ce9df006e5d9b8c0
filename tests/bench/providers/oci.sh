#!/bin/sh
# tests/bench/providers/oci.sh BUILD: the Oracle Cloud rows of `make bench`.
#
# Generates synthetic OCI structured-search exports (gen_oci_search.c, into
# tests/bench/data/, gitignored; reused when the size is right) and prints,
# per file, the columns of tests/bench/run.sh: the yajl parse-only ceiling,
# rampart's streaming load of data.items[*], and `rampart scan` of the
# export against every oci- check (JSON report written to a file), with
# MB/s, the ratio to the ceiling and the peak RSS.  Targets: scan >= 50%
# of the ceiling, peak RSS < 32 MB whatever the size.
#
# Environment: BENCH_SIZES (MB, default "50 500"), BENCH_RUNS (best of,
# default 3).  Run it alone at a small size: BENCH_SIZES=20.
set -euf
BUILD=${1:-build}
B=$BUILD/bench
DATA=tests/bench/data
SIZES=${BENCH_SIZES:-50 500}
RUNS=${BENCH_RUNS:-3}
CC=${CC:-cc}
CFLAGS="-O2 -g -std=c11 -D_POSIX_C_SOURCE=200809L -I. -Ilib"
LIBS="-lyaml -lyajl -lpcre2-8 -lssl -lcrypto -ldl -lm -pthread"

mkdir -p "$B" "$DATA"
$CC $CFLAGS -o "$B/gen_oci_search" tests/bench/gen_oci_search.c
$CC $CFLAGS -o "$B/yajl_parse_only" tests/bench/yajl_parse_only.c -lyajl
$CC $CFLAGS -o "$B/stream_load" tests/bench/stream_load.c \
	"$BUILD/librampart.a" $LIBS
$CC $CFLAGS -o "$B/rusage_run" tests/bench/rusage_run.c
RAMPART_RULES_DIR=$(pwd)/rules
export RAMPART_RULES_DIR
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Every oci- check bound to one control.
{
	printf 'id: oci-bench\ntitle: every oci- check\nimpact: moderate\n'
	printf 'controls:\n  - id: ca-7\n    checks:\n'
	"$BUILD/rampart" checks list |
		awk '$1 ~ /^oci-/ {print "      - {id: " $1 ", decides: part}"}'
} >"$TMP/oci-bench.yaml"

for mb in $SIZES; do
	F=$DATA/oci-search-$mb.json
	want=$((mb * 1048576))
	have=$(stat -c %s "$F" 2>/dev/null || echo 0)
	if [ "$have" -lt $((want - 65536)) ] || [ "$have" -gt $((want + 65536)) ]; then
		"$B/gen_oci_search" "$F" "$mb" >/dev/null
	fi
	rm -f "$TMP"/row.*
	i=0
	while [ $i -lt "$RUNS" ]; do
		n=0
		for row in yajl stream scan; do
			n=$((n + 1))
			case $row in
			yajl) out=$("$B/yajl_parse_only" "$F") ;;
			stream) out=$("$B/stream_load" "$F" 'data.items[*]') ;;
			scan) out=$("$B/rusage_run" "$F" "$TMP/report.json" -- \
				"$BUILD/rampart" scan --baseline "$TMP/oci-bench.yaml" \
				--input "$F" --max-evidence-age 0 --format json \
				--output "$TMP/report.json") ;;
			esac
			if [ ! -f "$TMP/row.$n" ] || [ "$(echo "$out $(cat "$TMP/row.$n")" |
				awk '{print ($3 < $8)}')" = 1 ]; then
				echo "$out" >"$TMP/row.$n"
			fi
		done
		i=$((i + 1))
	done
	echo "== $F ($(($(stat -c %s "$F") / 1048576)) MB), best of $RUNS"
	printf '%-40s %9s %7s %6s %9s\n' row count "MB/s" ratio "peak RSS"
	base=
	n=0
	for label in "yajl parse-only (ceiling)" \
		"rampart stream data.items[*] (oci)" \
		"rampart scan, all OCI checks"; do
		n=$((n + 1))
		r=$(cat "$TMP/row.$n")
		mbs=$(echo "$r" | awk '{printf "%.1f", $2 / 1048576 / $3}')
		rss=$(echo "$r" | awk '{printf "%.1f MB", $4 / 1024}')
		[ -n "$base" ] || base=$mbs
		ratio=$(echo "$mbs $base" | awk '{printf "%.0f%%", 100 * $1 / $2}')
		printf '%-40s %9s %7s %6s %9s\n' "$label" \
			"$(echo "$r" | awk '{print $1}')" "$mbs" "$ratio" "$rss"
	done
done
