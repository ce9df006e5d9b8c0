#!/bin/sh
# Scan in N shards with GNU parallel, then merge (docs/scale.md,
# examples/scale/gnu-parallel.md).
#
#   parallel-scan.sh N OUTDIR SCAN-ARGS...
#
# SCAN-ARGS are what `rampart scan` would get for the whole job (the
# baseline, --inputs-from/--input-each/--input, --tls..., --poam...) and
# must include --fixed-time, so that every shard judges evidence age and
# POA&M expiry at the same instant.  Each shard writes OUTDIR/shard-K.json
# (plus its signature with --sign); the merged reports go to
# OUTDIR/merged/ in $MERGE_FORMATS (default json,text).
#
# Environment:
#   RAMPART        the rampart binary (default: rampart on PATH)
#   SSHLOGIN       run the shards on these machines instead of locally,
#                  as `parallel --sshlogin` takes them ("host1,2/host2");
#                  the inputs must be at the same paths there (a shared
#                  mount), and the shard reports come back with --return
#   MERGE_KEY      verify each shard's signature with this public key
#   MERGE_SIGN     sign the merged reports with this private key
#   MERGE_FORMATS  formats of the merged report (default json,text)
#
# Exit: rampart merge's exit code (0 eligible, 1 not eligible, 4
# incomplete; 2, 3 and 5 are errors), or 3 when a shard failed.
set -u
[ $# -ge 3 ] || { echo "usage: $0 N OUTDIR SCAN-ARGS..." >&2; exit 2; }
N=$1 OUT=$2
shift 2
RAMPART=${RAMPART:-rampart}
mkdir -p "$OUT" || exit 5

# One shard: its report is written for 0 (eligible), 1 (not eligible) and
# 4 (incomplete); only 2, 3 and 5 mean the shard failed.
# $0 is rampart, $1 the output directory, the rest the scan's arguments.
SHARD='o=$1; shift; "$0" scan "$@" --shard {}/'"$N"' --format json --output "$o/shard-{}.json"; rc=$?; [ $rc -eq 0 ] || [ $rc -eq 1 ] || [ $rc -eq 4 ]'

SIGNED=0
for a in "$@"; do [ "$a" = --sign ] && SIGNED=1; done
if [ -n "${SSHLOGIN:-}" ] && [ $SIGNED = 1 ]; then
	# Bring back each shard report and its bundle.
	seq 1 "$N" | parallel --halt now,fail=1 --sshlogin "$SSHLOGIN" \
		--return "$OUT/shard-{}.json" \
		--return "$OUT/shard-{}.json.sigstore.json" \
		--cleanup -q sh -c "$SHARD" "$RAMPART" "$OUT" "$@" || exit 3
elif [ -n "${SSHLOGIN:-}" ]; then
	seq 1 "$N" | parallel --halt now,fail=1 --sshlogin "$SSHLOGIN" \
		--return "$OUT/shard-{}.json" \
		--cleanup -q sh -c "$SHARD" "$RAMPART" "$OUT" "$@" || exit 3
else
	seq 1 "$N" | parallel --halt now,fail=1 -j "$N" \
		-q sh -c "$SHARD" "$RAMPART" "$OUT" "$@" || exit 3
fi

# Every shard by name (a glob would take the .sigstore.json bundles too).
set --
k=1
while [ $k -le "$N" ]; do
	set -- "$@" "$OUT/shard-$k.json"
	k=$((k + 1))
done
[ -n "${MERGE_KEY:-}" ] && set -- "$@" --key "$MERGE_KEY"
[ -n "${MERGE_SIGN:-}" ] && set -- "$@" --sign "$MERGE_SIGN"
exec "$RAMPART" merge "$@" --format "${MERGE_FORMATS:-json,text}" \
	--output-dir "$OUT/merged"
