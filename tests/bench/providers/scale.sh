#!/bin/sh
# tests/bench/providers/scale.sh BUILD: many accounts in one run (issue
# 18, docs/scale.md), run by `make bench`.
#
# Makes COPIES copies of a realistic account export (examples/aws-export,
# the AWS CLI export of one account: 39 API calls) under
# tests/bench/data/scale/ (gitignored; reused), and one JSON array of
# all their files (the same bytes) for the ceiling row.  Rows, as in
# tests/bench/run.sh: yajl parse-only over those bytes (the ceiling),
# then `rampart scan --input-each DIR` against fedramp-moderate with
# --jobs 1 and --jobs 2 (the JSON report to a file, as users run it).
# Columns: inputs, MB/s (wall clock), ratio to the ceiling, peak RSS and
# peak RSS per worker (the process's peak over the number of workers),
# CPU seconds (user + system, all threads) and CPU/wall (how many CPUs
# the row kept busy), and the best --jobs 1 time over the row's best.
# Then the speed-up of --jobs 2 over --jobs 1 (target >= 1.7x on two idle
# CPUs): the median over rounds of each round's ratio (--jobs 1 then
# --jobs 2, back to back), with the lowest and highest.  The reports of
# both rows must be byte-identical, or the benchmark fails.
#
# The honest comparison: --jobs 1 is one thread here (the JSON loader's
# reader thread starts only for files over 64 KiB; the largest file of
# the export is 28 KiB), so its CPU/wall is at most 1.0 and --jobs 2 can
# reach 2.0 only with two idle CPUs.  Each row prints the 1-minute load
# average before it: with a load of 1 or more the machine's other work
# takes CPUs from --jobs 2 and the wall-clock speed-up is not the
# target's measure (the bench's own last run counts in it too); CPU
# seconds show how much the work grew with the workers.
#
# Environment: BENCH_SIZES (copies, default 200: `BENCH_SIZES=20` for a
# quick run), BENCH_RUNS (rounds, default 7; the --jobs 1 and --jobs 2
# runs alternate).  The load columns are the 1-minute load average before
# and after the rows.
set -eu
BUILD=${1:-build}
B=$BUILD/bench
DATA=tests/bench/data/scale
RUNS=${BENCH_RUNS:-7}
CC=${CC:-cc}
CFLAGS="-O2 -g -std=c11 -D_POSIX_C_SOURCE=200809L -I. -Ilib"
RAMPART_RULES_DIR=$(pwd)/rules
export RAMPART_RULES_DIR
mkdir -p "$B" "$DATA"
$CC $CFLAGS -o "$B/yajl_parse_only" tests/bench/yajl_parse_only.c -lyajl
$CC $CFLAGS -o "$B/rusage_run" tests/bench/rusage_run.c
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# The 1-minute load average.
load1() {
	cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?"
}

# best N CMD...: the fastest of N runs, "<count> <bytes> <s> <rss> <cpu>".
best() {
	n=$1
	shift
	i=0
	b=""
	while [ $i -lt "$n" ]; do
		out=$("$@") || { echo "bench: $* failed" >&2; exit 1; }
		if [ -z "$b" ] || [ "$(echo "$out $b" | awk '{print ($3 < $8)}')" = 1 ]; then
			b=$out
		fi
		i=$((i + 1))
	done
	echo "$b"
}

for copies in ${BENCH_SIZES:-200}; do
	D=$DATA/accounts-$copies
	if [ "$(ls "$D" 2>/dev/null | wc -l)" != "$copies" ]; then
		rm -rf "$D"
		mkdir -p "$D"
		i=1
		while [ $i -le "$copies" ]; do
			cp -r examples/aws-export "$D/$(printf 'acct-%04d' $i)"
			i=$((i + 1))
		done
	fi
	ALL=$DATA/all-$copies.json
	if [ ! -f "$ALL" ]; then
		find "$D" -name '*.json' | sort | {
			printf '['
			sep=""
			while read -r f; do printf '%s' "$sep"; cat "$f"; sep=","; done
			printf ']'
		} >"$ALL"
	fi
	bytes=$(stat -c %s "$ALL")
	ceil=$(best "$RUNS" "$B/yajl_parse_only" "$ALL")
	# The two rows take turns, so that the machine's other work falls
	# on both alike; each keeps its fastest run, and each round's pair
	# gives a ratio (the speed-up is their median: the best of each row
	# can pair a lucky --jobs 1 with an unlucky --jobs 2, and this
	# machine's speed drifts within seconds).
	l1=$(load1)
	l2=$l1
	j1=""
	j2=""
	pairs=""
	i=0
	while [ $i -lt "$RUNS" ]; do
		for n in 1 2; do
			# A new file each time: replacing the last run's
			# 27 MB report costs the kernel 9 to 13 ms in rename(2)
			# to free it, which is not the scan's work.
			rm -f "$TMP/r$n.json"
			out=$("$B/rusage_run" "$ALL" "$TMP/r$n.json" -- \
			    "$BUILD/rampart" scan --baseline fedramp-moderate \
			    --input-each "$D" --jobs $n --max-evidence-age 0 \
			    --fixed-time 2026-11-27T00:00:00Z --format json \
			    --output "$TMP/r$n.json") ||
			    { echo "bench: rampart scan --jobs $n failed" >&2; exit 1; }
			eval "b=\$j$n"
			if [ -z "$b" ] || [ "$(echo "$out $b" | awk '{print ($3 < $8)}')" = 1 ]; then
				eval "j$n=\$out"
			fi
			eval "t$n=\$(echo \"\$out\" | awk '{print \$3}')"
		done
		pairs="$pairs $(echo "$t1 $t2" | awk '{printf "%.4f", $1 / $2}')"
		i=$((i + 1))
	done
	l2=$(load1)
	cmp -s "$TMP/r1.json" "$TMP/r2.json" ||
		{ echo "bench: --jobs 1 and --jobs 2 reports differ" >&2; exit 1; }
	echo "== $copies copies of examples/aws-export ($((bytes / 1024)) KiB of JSON), best of $RUNS"
	printf '%-24s %6s %7s %6s %10s %11s %7s %8s %5s %8s\n' row inputs \
	    "MB/s" ratio "peak RSS" "RSS/worker" "CPU s" "CPU/wall" load \
	    "best/best"
	cm=$(echo "$ceil" | awk '{print $2 / 1048576 / $3}')
	row() { # label result workers load
		echo "$2" | awk -v l="$1" -v c="$3" -v ld="$4" -v cm="$cm" \
		    -v n="$copies" -v t1="$(echo "$j1" | awk '{print $3}')" '{
			mbs = $2 / 1048576 / $3
			printf "%-24s %6d %7.1f %5.0f%% %7.1f MB %8.1f MB %7.2f %8.2f %5s %7.2fx\n",
			    l, n, mbs, 100 * mbs / cm, $4 / 1024, $4 / 1024 / c,
			    $5, $5 / $3, ld, t1 / $3 }'
	}
	echo "$ceil" | awk -v n="$copies" '{
		printf "%-24s %6d %7.1f %5.0f%% %7.1f MB %11s %7.2f %8s %5s %8s\n",
		    "yajl parse-only", n, $2 / 1048576 / $3, 100,
		    $4 / 1024, "-", $5, "-", "-", "-" }'
	row "rampart scan --jobs 1" "$j1" 1 "$l1"
	row "rampart scan --jobs 2" "$j2" 2 "$l2"
	echo "$pairs" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk '
	    { r[NR] = $1 }
	    END {
		m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
		printf "speed-up %.2fx (median of %d paired rounds, %.2f to %.2f): %s\n",
		    m, NR, r[1], r[NR],
		    (m >= 1.7) ? "target (1.7x) met" : "below the 1.7x target" }'
	awk -v a="$l1" -v b="$l2" 'BEGIN { if (a + 0 >= 1 || b + 0 >= 1)
		print "note: load average >= 1: other work shared the CPUs," \
		    " so the wall-clock speed-up does not measure the 1.7x target" }'
done
