#!/bin/sh
# Every case of tests/fixtures/oci-checks through the real binary: a
# baseline binding the one check (with the case's params), the case's
# input (its directory, or its `input` line) with its `adapter`, at its
# `now`; the statuses per resource must be exactly the expected ones, and
# every shipped oci- check must have a passing and a failing resource
# among its cases.  The generic harness (tests/unit/test_check_fixtures.c)
# reads the same files; this script runs them until it covers OCI.  Run
# from the repository root with $RAMPART set.
set -u
RAMPART=${RAMPART:-build/rampart}
T=$(mktemp -d /tmp/rampart-oci-checks-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
fails=0
ncases=0
for exp in $(find tests/fixtures/oci-checks -name expect | sort); do
	dir=$(dirname "$exp")
	chk=$(basename "$(dirname "$dir")")
	now=$(awk '$1 == "now" {print $2}' "$exp")
	ad=$(awk '$1 == "adapter" {print $2}' "$exp")
	inp=$(awk '$1 == "input" {print $2}' "$exp")
	params=$(awk '$1 == "param" {$1 = ""; sub(/^ /, ""); sub(/ /, ": ");
		printf "%s%s", sep, $0; sep = ", "}' "$exp")
	in=$dir
	[ -n "$inp" ] && in=$dir/$inp
	printf 'id: t\ntitle: t\nimpact: moderate\ncontrols:\n  - id: ca-7\n    checks:\n      - id: %s\n        decides: part\n        params: {%s}\n' \
		"$chk" "$params" >"$T/b.yaml"
	"$RAMPART" scan --baseline "$T/b.yaml" --input "$in" \
		${ad:+--input-format "$ad"} \
		--fixed-time "${now:-2024-01-01T00:00:00Z}" --max-evidence-age 0 \
		--max-results 0 --format json --output "$T/r.json" \
		>/dev/null 2>"$T/err"
	python3 - "$T/r.json" <<'PY' | sort >"$T/got"
import json, sys
for c in json.load(open(sys.argv[1]))["controls"]:
    for ch in c["checks"]:
        for r in ch["resources"]:
            print(r["status"], r["id"])
PY
	grep -Ev '^(now|param|adapter|input) |^#' "$exp" | sort >"$T/want"
	ncases=$((ncases + 1))
	if ! cmp -s "$T/got" "$T/want"; then
		echo "FAIL $dir"
		diff "$T/want" "$T/got" | head -5
		fails=$((fails + 1))
	fi
done
echo "ok   $ncases cases run"
for chk in $("$RAMPART" checks list | awk '$1 ~ /^oci-/ {print $1}'); do
	st=$(cat tests/fixtures/oci-checks/"$chk"/*/expect 2>/dev/null |
		awk '$1 == "pass" || $1 == "fail" {print $1}' | sort -u | tr '\n' ' ')
	if [ "$st" != "fail pass " ]; then
		echo "FAIL $chk: fixtures with '$st', need a pass and a fail"
		fails=$((fails + 1))
	fi
done
[ $fails = 0 ] && echo "ok   every oci- check has passing and failing fixtures"
[ $fails = 0 ] || exit 1
exit 0
