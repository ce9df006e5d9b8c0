#!/bin/sh
# tests/bench/providers/terraform.sh BUILD: the Terraform plan benchmark
# (`make bench` runs it after tests/bench/run.sh, with the same columns).
#
# Generates synthetic `terraform show -json` plans (tests/bench/data/,
# gitignored; reused when the size is right) with tens of thousands of
# resource changes in nested modules with count and for_each
# (gen_tfplan.c), and prints per plan: yajl with no-op callbacks (the
# ceiling), rampart's streaming load of resource_changes[*], and a full
# `rampart scan` of the plan with every shipped AWS check (the adapter's
# joins included).  Throughput is MB/s of wall-clock time.
#
# Flat: the scan's peak RSS at the largest size may exceed the one at the
# smallest by at most BENCH_RSS_MARGIN MB (default 8), or the script
# FAILS (exit 1).  The targets and parts of the joins (security groups,
# their rules, buckets, their public access blocks: 4 of every 13 changes
# here) go to a temporary file; what stays in memory per held resource
# is a slot and a few hashes (docs/terraform.md, "Memory").  Peak RSS
# still includes what the scan keeps per result, which the margin bounds.
#
# Environment: BENCH_SIZES (MB, spaces or commas, default "50 200"),
# BENCH_RUNS (best of, default 3), BENCH_RSS_MARGIN (MB, default 8).  Run
# it by hand at a small size: BENCH_SIZES=20.
set -euf
BUILD=${1:-build}
B=$BUILD/bench
DATA=tests/bench/data
SIZES=$(echo "${BENCH_SIZES:-50 200}" | tr , ' ')
RUNS=${BENCH_RUNS:-3}
MARGIN=${BENCH_RSS_MARGIN:-8}
CC=${CC:-cc}
CFLAGS="-O2 -g -std=c11 -D_POSIX_C_SOURCE=200809L -I. -Ilib"
LIBS="-lyaml -lyajl -lpcre2-8 -lssl -lcrypto -ldl -lm -pthread"

mkdir -p "$B" "$DATA"
$CC $CFLAGS -o "$B/gen_tfplan" tests/bench/providers/gen_tfplan.c
$CC $CFLAGS -o "$B/yajl_parse_only" tests/bench/yajl_parse_only.c -lyajl
$CC $CFLAGS -o "$B/stream_load" tests/bench/stream_load.c \
	"$BUILD/librampart.a" $LIBS
$CC $CFLAGS -o "$B/rusage_run" tests/bench/rusage_run.c
RAMPART_RULES_DIR=$(pwd)/rules
export RAMPART_RULES_DIR
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# best LABEL CMD...: the fastest of RUNS runs, printed as a row beside
# the ceiling's MB/s ($base, set by the first row).
best() {
	label=$1
	shift
	b=
	i=0
	while [ $i -lt "$RUNS" ]; do
		out=$("$@") || { echo "bench: $* failed" >&2; exit 1; }
		if [ -z "$b" ] || [ "$(echo "$out $b" |
		    awk '{print ($3 < $8)}')" = 1 ]; then
			b=$out
		fi
		i=$((i + 1))
	done
	mbs=$(echo "$b" | awk '{printf "%.1f", $2 / 1048576 / $3}')
	cpu=$(echo "$b" | awk '{printf "%.1f", $2 / 1048576 / $5}')
	rss=$(echo "$b" | awk '{printf "%.1f MB", $4 / 1024}')
	[ -n "${base:-}" ] || base=$mbs
	ratio=$(echo "$mbs $base" | awk '{printf "%.0f%%", 100 * $1 / $2}')
	printf '%-40s %9s %7s %6s %9s %9s\n' "$label" \
	    "$(echo "$b" | awk '{print $1}')" "$mbs" "$ratio" "$cpu" "$rss"
}

for mb in $SIZES; do
	F=$DATA/tfplan-$mb.json
	want=$((mb * 1048576))
	have=$(stat -c %s "$F" 2>/dev/null || echo 0)
	if [ "$have" -lt "$want" ] || [ "$have" -gt $((want + 65536)) ]; then
		"$B/gen_tfplan" "$F" "$mb" >/dev/null
	fi
	echo "== $F ($(($(stat -c %s "$F") / 1048576)) MB), best of $RUNS"
	printf '%-40s %9s %7s %6s %9s %9s\n' row count "MB/s" ratio \
	    "MB/s cpu" "peak RSS"
	base=
	best "yajl parse-only (ceiling)" "$B/yajl_parse_only" "$F"
	best "rampart stream resource_changes[*]" "$B/stream_load" "$F" \
	    'resource_changes[*]'
	best "rampart scan, all AWS checks (plan)" "$B/rusage_run" "$F" \
	    "$TMP/report.json" -- "$BUILD/rampart" scan --baseline \
	    rules/baselines/example.yaml --input "$F" --input-format \
	    terraform-plan --max-evidence-age 0 --format json \
	    --output "$TMP/report.json"
	rss=$(echo "$b" | awk '{print $4}')
	[ -n "${rss_first:-}" ] || { rss_first=$rss; mb_first=$mb; }
	rss_last=$rss
	mb_last=$mb
done

# The flat-memory assertion: largest size against smallest.
if [ "$mb_first" != "$mb_last" ]; then
	if [ "$(echo "$rss_first $rss_last $MARGIN" |
	    awk '{print ($2 - $1 > $3 * 1024)}')" = 1 ]; then
		echo "FAIL: peak RSS of the scan grows from $rss_first KB" \
		    "($mb_first MB plan) to $rss_last KB ($mb_last MB)," \
		    "more than $MARGIN MB" >&2
		exit 1
	fi
	echo "flat: peak RSS of the scan $rss_first KB at $mb_first MB," \
	    "$rss_last KB at $mb_last MB (margin $MARGIN MB)"
fi
