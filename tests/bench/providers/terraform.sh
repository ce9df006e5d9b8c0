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
# joins included).  Throughput is MB/s of wall-clock time; peak RSS must
# stay flat as the plan grows (only security groups, buckets and their
# parts are held until the joins: 2% of the changes here).
#
# Environment: BENCH_SIZES (MB, default "200"), BENCH_RUNS (best of,
# default 3).  Run it by hand at a small size: BENCH_SIZES=20.
set -euf
BUILD=${1:-build}
B=$BUILD/bench
DATA=tests/bench/data
SIZES=${BENCH_SIZES:-200}
RUNS=${BENCH_RUNS:-3}
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
done
