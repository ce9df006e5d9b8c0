#!/bin/sh
# GNU parallel end to end (issue 18, examples/scale/gnu-parallel.md): the
# documented local recipe, examples/scale/parallel-scan.sh, scans 4 shards
# in parallel (signed), merges them (verifying each shard's signature and
# signing the merge), and the merged report equals one scan of the same
# inputs field for field.  Inputs: the example export and the real AWS
# Config recordings, one with a blank in its path.  Skips (exit 0) when
# `parallel` (Debian package parallel, in `make deps-test`) is absent.
# Run from the repository root with $RAMPART set.
set -u
RAMPART=${RAMPART:-build/rampart}
case $RAMPART in /*) ;; *) RAMPART=$(pwd)/$RAMPART ;; esac
command -v parallel >/dev/null 2>&1 || {
	echo "skip: GNU parallel is not installed (Debian package parallel)"
	exit 0
}
T=$(mktemp -d /tmp/rampart-scale-par-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
KEYS=tests/fixtures/sign
chmod 600 $KEYS/*.key 2>/dev/null
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

mkdir -p "$T/in put"
cp tests/fixtures/config/s3-bucket.json "$T/in put/"
set -- --baseline fedramp-moderate --fixed-time 2026-11-27T00:00:00Z \
	--poam examples/poam.yaml --input examples/aws-export \
	--input "$T/in put/s3-bucket.json"
for f in tests/fixtures/config/*.json; do set -- "$@" --input "$f"; done

"$RAMPART" scan "$@" --format json --output "$T/one.json" 2>"$T/err"
[ $? = 1 ] && ok "one scan" || { bad "one scan"; cat "$T/err"; }

RAMPART=$RAMPART MERGE_KEY=$KEYS/test.pub MERGE_SIGN=$KEYS/test.key \
	sh examples/scale/parallel-scan.sh 4 "$T/out" "$@" --sign $KEYS/test.key \
	>"$T/par.out" 2>"$T/par.err"
rc=$?
[ $rc = 1 ] && ok "parallel-scan.sh 4 shards + merge (exit 1, not eligible)" ||
	{ bad "parallel-scan.sh exit $rc"; cat "$T/par.err"; }
n=$(ls "$T"/out/shard-*.json.sigstore.json 2>/dev/null | wc -l)
[ "$n" = 4 ] && ok "4 signed shard reports" || bad "$n signed shard reports"
if python3 tests/e2e/scale_compare.py "$T/one.json" "$T/out/merged/report.json"; then
	ok "merged report = one scan, field for field"
else bad "merged report differs from one scan"; fi
"$RAMPART" verify "$T/out/merged/report.json" --key $KEYS/test.pub >/dev/null 2>&1 &&
	ok "merged report's signature verifies" || bad "merged signature"
echo "scale_parallel: $fails failure(s)"
[ "$fails" = 0 ]
