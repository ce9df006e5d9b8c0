#!/bin/sh
# make demo: scan the shipped example export against the example baseline
# and show the report a compliance officer would read, then the same run
# as JSON and SARIF files.  The example workload is deliberately not
# compliant (real recorded AWS responses with weak settings), so the
# expected verdict is "not eligible" (exit 1).
set -u
RAMPART=${1:-build/rampart}
OUT=${DEMO_OUT:-build/demo}
mkdir -p "$OUT"
echo "== rampart $("$RAMPART" --version | cut -d' ' -f2): scanning examples/aws-export against rules/baselines/example.yaml"
echo
"$RAMPART" scan --baseline rules/baselines/example.yaml \
	--input examples/aws-export --poam examples/poam.yaml
rc=$?
echo
echo "== exit code $rc (0 eligible, 1 not eligible, 4 incomplete)"
case $rc in
0|1|4) ;;
*) echo "demo failed: rampart exited $rc" >&2; exit 1;;
esac
"$RAMPART" scan --baseline rules/baselines/example.yaml \
	--input examples/aws-export --poam examples/poam.yaml \
	--format json,text --output-dir "$OUT" --fixed-time 2026-11-27T00:00:00Z
rc2=$?
[ "$rc2" = "$rc" ] || { echo "demo: second run exited $rc2, expected $rc" >&2; exit 1; }
echo "== reports written to $OUT/:"
ls -l "$OUT"
