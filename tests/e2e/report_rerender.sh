#!/bin/sh
# `rampart report REPORT.json --format ...` (issue 10, docs/cli.md): a
# JSON report written again in every other format, offline, is byte for
# byte what `scan --format json,text,sarif,...` wrote beside it, over
# the example export and real recordings (AWS Config, Kubernetes, Google
# Cloud, OCI), the example, FedRAMP Moderate and High baselines, with
# POA&M, attestations, CRM and scope, a result cap, a tailored selection,
# --gate checks, --new-since and configuration variables; and its exit
# code is scan's (but for --new-since and --fail-on, scan's exit policies:
# report exits by the verdict).  Refused (exit 3, nothing written): another baseline
# (-b), a definition file changed since the scan, a report without
# provenance and no -b, a file that is no report.
# Run from the repository root with $RAMPART set.
set -u
R=${RAMPART:-build/rampart}
T=$(mktemp -d /tmp/rampart-rerender-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
fails=0
NOW=2026-11-27T00:00:00Z
F=$(pwd)/tests/fixtures/roundtrip
ALL=json,html,junit,markdown,oscal,oscal-poam,poam-csv,sarif,summary-md,text
OTHER=html,junit,markdown,oscal,oscal-poam,poam-csv,sarif,summary-md,text,json

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

# case NAME SCAN-ARGS...: scan into $T/NAME/scan with every format, then
# report its JSON into $T/NAME/re: every file the same, the same exit.
case_() {
	name=$1; shift
	mkdir -p "$T/$name"
	"$R" scan "$@" --fixed-time $NOW --format $ALL \
	    --output-dir "$T/$name/scan" -q >/dev/null 2>"$T/$name/scan.err"
	want=$?
	"$R" report "$T/$name/scan/report.json" --format $OTHER \
	    --output-dir "$T/$name/re" 2>"$T/$name/re.err"
	got=$?
	# --new-since and --fail-on are scan's exit policies, not decisions.
	[ "$name" = new-since ] && [ "$got" = 1 ] && want=1
	if [ "$got" != "$want" ]; then
		bad "$name: report exits $got, scan $want"
		head -5 "$T/$name/re.err"
		return
	fi
	n=0
	for f in "$T/$name/scan"/*; do
		b=$(basename "$f")
		if ! cmp -s "$f" "$T/$name/re/$b"; then
			bad "$name: $b differs after report"
			diff "$f" "$T/$name/re/$b" | head -6
			return
		fi
		n=$((n + 1))
	done
	[ "$n" -ge 11 ] && ok "$name: $n files byte-identical, exit $got" ||
		bad "$name: only $n files"
}

EX=examples/aws-export
case_ example -b example -i $EX
case_ moderate-files -b fedramp-moderate -i $EX --poam $F/poam.yaml \
    --attest $F/attestations.yaml --crm $F/crm.yaml --scope $F/scope.yaml
case_ high-many -b fedramp-high -i $EX \
    -i tests/fixtures/config/history-recorder.json \
    -i tests/fixtures/k8s/cluster -i tests/fixtures/gcp/real/gcpdiag-gce1-aaaa \
    -i tests/fixtures/oci/tenancy --poam $F/poam.yaml --max-evidence-age 0
case_ capped-tailored-gate -b fedramp-moderate -i $EX \
    -i tests/fixtures/config/s3-bucket.json --max-results 1 \
    --skip-check 'aws-iam-*' --gate checks --crm $F/crm.yaml
case_ new-since -b fedramp-moderate -i $EX \
    --new-since "$T/example/scan/report.json"
RAMPART_SKIP_CHECK='aws-s3-*' case_ config-env -b fedramp-low -i $EX
# Passing checks listed (--verbose) come back with report --verbose.
"$R" scan -b example -i $EX --fixed-time $NOW -v --format text \
    >"$T/v1.txt" 2>/dev/null
"$R" report "$T/example/scan/report.json" -v --format text >"$T/v2.txt" \
    2>/dev/null
cmp -s "$T/v1.txt" "$T/v2.txt" && ok "--verbose text the same" ||
	bad "--verbose text differs"

# The same reader under merge: results come back in the engine's order
# ("order"), so every format of a 3-shard merge is the one scan's (the
# OSCAL and HTML lists follow the engine's order, not the JSON's).
IN="-i $EX -i tests/fixtures/config/history-recorder.json
    -i tests/fixtures/config/s3-bucket.json
    -i tests/fixtures/config/batch-processed.json"
FMT=html,junit,markdown,oscal,oscal-poam,poam-csv,sarif,summary-md,text
# shellcheck disable=SC2086
"$R" scan -b fedramp-moderate $IN --fixed-time $NOW --format $FMT \
    --output-dir "$T/one" -q >/dev/null 2>&1
for k in 1 2 3; do
	# shellcheck disable=SC2086
	"$R" scan -b fedramp-moderate $IN --shard $k/3 --fixed-time $NOW \
	    --format json --output-dir "$T/s$k" -q >/dev/null 2>&1
done
"$R" merge "$T/s1/report.json" "$T/s2/report.json" "$T/s3/report.json" \
    --format $FMT --output-dir "$T/m" >/dev/null 2>&1
n=0 d=0
for f in "$T/one"/*; do
	n=$((n + 1))
	cmp -s "$f" "$T/m/$(basename "$f")" || { d=1; bad "merge: $(basename "$f") differs from one scan's"; }
done
[ $d = 0 ] && [ $n -ge 10 ] && ok "merge of 3 shards: $n files = one scan's"

# ------------------------------------------------------------ refusals
J=$T/moderate-files/scan/report.json
# refuse DESC NEEDLE CMD...: exit 3, the needle on stderr, nothing written.
refuse() {
	desc=$1 needle=$2; shift 2
	rm -rf "$T/none"
	"$@" --format text,sarif --output-dir "$T/none" >/dev/null \
	    2>"$T/err"
	rc=$?
	if [ "$rc" = 3 ] && grep -qF -- "$needle" "$T/err" &&
	    [ ! -e "$T/none" ]; then ok "refuses $desc"
	else bad "$desc: exit $rc"; head -3 "$T/err"; fi
}
refuse "another baseline" "the report was made with baseline" \
    "$R" report "$J" -b fedramp-high
cp $F/poam.yaml "$T/poam.yaml"
"$R" scan -b fedramp-moderate -i $EX --poam "$T/poam.yaml" \
    --fixed-time $NOW --format json --output-dir "$T/p" -q >/dev/null 2>&1
printf '# changed\n' >>"$T/poam.yaml"
refuse "a changed POA&M" "poam file changed since the report was made" \
    "$R" report "$T/p/report.json"
"$R" scan -b example -i $EX --fixed-time $NOW --format json \
    >"$T/stdout.json" 2>/dev/null
refuse "no provenance, no -b" "name its baseline with -b" \
    "$R" report "$T/stdout.json"
refuse "a file that is no report" "not a rampart JSON report" \
    "$R" report tests/fixtures/config/s3-bucket.json
# With -b, a report without provenance is written again.
"$R" scan -b example -i $EX --fixed-time $NOW --format text \
    >"$T/s.txt" 2>/dev/null
"$R" report "$T/stdout.json" -b example --format text >"$T/r.txt" \
    2>/dev/null
cmp -s "$T/s.txt" "$T/r.txt" && ok "no provenance, -b example: same text" ||
	bad "no provenance, -b example: text differs"

echo "report_rerender: $fails failure(s)"
[ "$fails" = 0 ]
