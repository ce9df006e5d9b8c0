#!/bin/sh
# rampart diff: the regression gate between two JSON reports.
set -u
R=${RAMPART:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
rc_is() {	# WANT DESC CMD...
	want=$1 desc=$2; shift 2
	"$@" > "$T/out" 2> "$T/err"; got=$?
	[ "$got" = "$want" ] && ok "$desc (exit $got)" || { bad "$desc: exit $got, want $want"; cat "$T/out" "$T/err"; }
}
scan() {	# OUT ARGS...
	out=$1; shift
	"$R" scan --baseline rules/baselines/example.yaml --input examples/aws-export \
	    --fixed-time 2026-11-27T00:00:00Z --format json --output "$T/$out" "$@" 2>/dev/null
}
# With the POA&M the waived control is not a failure; without it, it is.
scan with-poam.json --poam examples/poam.yaml
scan without-poam.json
rc_is 0 "a report against itself does not regress" "$R" diff "$T/with-poam.json" "$T/with-poam.json"
grep -q "no regression" "$T/out" && ok "says no regression" || bad "no 'no regression' line"
rc_is 1 "losing the POA&M waiver is a regression" "$R" diff "$T/with-poam.json" "$T/without-poam.json"
grep -q "^new_failures" "$T/out" && ok "lists the new failure" || bad "no new_failures section"
rc_is 0 "regaining the waiver is not a regression" "$R" diff "$T/without-poam.json" "$T/with-poam.json"
rc_is 1 "json format" "$R" diff --format json "$T/with-poam.json" "$T/without-poam.json"
python3 -c "
import json,sys; d=json.load(open('$T/out'))
assert d['regressed'] is True and len(d['new_failures']) >= 1, d
" && ok "json names the regression" || bad "json diff content"
# A control dropped from NEW is a regression (no longer assessed).
python3 - "$T/with-poam.json" "$T/dropped.json" <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
d["controls"] = d["controls"][1:]
json.dump(d, open(sys.argv[2], "w"))
P
rc_is 1 "a control no longer assessed is a regression" "$R" diff "$T/with-poam.json" "$T/dropped.json"
printf '{"verdict": "eligible",}' > "$T/bad.json"
rc_is 3 "malformed report is invalid input" "$R" diff "$T/with-poam.json" "$T/bad.json"
grep -q "bad.json:1:" "$T/err" && ok "error names file:line:col" || bad "no position in: $(cat "$T/err")"
printf '{"verdict": "great", "controls": []}' > "$T/odd.json"
rc_is 3 "a report without a valid verdict is invalid input" "$R" diff "$T/odd.json" "$T/with-poam.json"
rc_is 2 "one operand is a usage error" "$R" diff "$T/with-poam.json"
exit $fail
