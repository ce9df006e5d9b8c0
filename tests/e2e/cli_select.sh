#!/bin/sh
# Choosing and gating (issue 17): --check/--skip-check/--severity are a
# tailoring that every output states and that never turns a control into
# a pass; --fail-on and --new-since decide exit 1 only; a closed pipe ends
# by SIGPIPE; --color.
set -u
set -f # the selections below hold globs for rampart, not the shell
R=${RAMPART:?}
fail=0
pass=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
EX=examples/aws-export
T0=2026-11-01T00:00:00Z
BL=fedramp-moderate
scan() { "$R" scan -b "$BL" -i "$EX" --fixed-time "$T0" --no-config "$@"; }

scan -f json -o "$tmp/full.json" 2>/dev/null
jq -e '.selection == null' "$tmp/full.json" >/dev/null &&
    ok "a full run states selection null" || bad "full run selection"

# ------------------------------------------------ a tailoring never passes
# Metamorphic: for each selection, (1) no control bound to a check that
# did not run is pass, waived, inherited or partial: it is manual with a
# note naming the check; (2) every control that passes in the tailored
# run passes in the full run (a selection never creates a pass); (3) the
# selection is stated in the report.
i=0
for sel in "--skip-check aws-s3-*" "--check aws-iam-*" "--severity high" \
    "--severity critical" "--check aws-ec2-* --skip-check aws-ec2-imdsv2" \
    "--skip-check aws-iam-root-mfa" "--check aws-cloudtrail-*" \
    "--skip-check *"; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	scan $sel -f json -o "$tmp/s$i.json" 2>/dev/null
	rc=$?
	[ $rc -le 4 ] || { bad "selection '$sel': exit $rc"; continue; }
	n=$(jq '[.controls[] | select(any(.checks[]?; .status == "manual")) |
	    select(.status != "manual" and .status != "fail" and .status != "error")] | length' "$tmp/s$i.json")
	[ "$n" = 0 ] && ok "'$sel': controls of checks not run stay open" ||
	    bad "'$sel': $n controls of checks not run are decided"
	n=$(jq '[.controls[] | select(any(.checks[]?; .status == "manual")) |
	    select(.status == "manual") | select((.note // "") | test("not run") | not)] | length' "$tmp/s$i.json")
	[ "$n" = 0 ] && ok "'$sel': the note names the check not run" ||
	    bad "'$sel': $n open controls without a 'not run' note"
	jq -r '.controls[] | select(.status == "pass") | .id' "$tmp/s$i.json" | sort > "$tmp/p$i"
	jq -r '.controls[] | select(.status == "pass") | .id' "$tmp/full.json" | sort > "$tmp/pf"
	[ -z "$(comm -23 "$tmp/p$i" "$tmp/pf")" ] &&
	    ok "'$sel': no pass the full run lacks" ||
	    bad "'$sel': passes $(comm -23 "$tmp/p$i" "$tmp/pf" | tr '\n' ' ')"
	# shellcheck disable=SC2086
	want=$(printf '%s' "$sel")
	jq -e --arg s "$want" '.selection == $s' "$tmp/s$i.json" >/dev/null &&
	    ok "'$sel': JSON states the selection" || bad "'$sel': JSON selection"
	v=$(jq -r .verdict "$tmp/s$i.json")
	[ "$v" != eligible ] && ok "'$sel': verdict is not eligible ($v)" ||
	    bad "'$sel': a tailored scan is eligible"
done

# A control whose only (full) check passes becomes manual when skipped.
pc=$(jq -r '[.controls[] | select(.status == "pass" and (.checks | length) > 0)][0].checks[0].id // empty' "$tmp/full.json")
if [ -n "$pc" ]; then
	scan --skip-check "$pc" -f json -o "$tmp/one.json" 2>/dev/null
	jq -e --arg c "$pc" '[.controls[] | select(any(.checks[]?; .id == $c))] |
	    all(.[]; .status != "pass")' "$tmp/one.json" >/dev/null &&
	    ok "skipping passing check $pc leaves its controls open" ||
	    bad "skipping $pc still passes a control"
else
	bad "no passing control with a check in the example"
fi

# Every output says so.
scan --skip-check 'aws-s3-*' -f text,json,markdown,html,sarif,junit,oscal \
    --output-dir "$tmp/all" >/dev/null 2>&1
for f in report.txt report.md report.html report.sarif report.junit.xml \
    report.oscal.json report.json; do
	[ -f "$tmp/all/$f" ] || continue
	# Markdown escapes the '*'.
	grep -Eq 'skip-check aws-s3-\\?\*' "$tmp/all/$f" &&
	    ok "$f states the selection" || bad "$f lacks the selection"
done
n=$(ls "$tmp/all" | wc -l)
[ "$n" -ge 7 ] && ok "every format written ($n files)" || bad "only $n files"

# Pinned in the signed statement, and verify says so.
chmod 600 tests/fixtures/sign/test.key
scan --skip-check 'aws-s3-*' -f json --output-dir "$tmp/signed" \
    --sign tests/fixtures/sign/test.key >/dev/null 2>&1
jq -r .dsseEnvelope.payload "$tmp/signed/report.json.sigstore.json" |
    base64 -d > "$tmp/statement.json" 2>/dev/null
jq -e '.. | objects | select(has("selection")) | .selection == "--skip-check aws-s3-*"' \
    "$tmp/statement.json" >/dev/null &&
    ok "the signed statement pins the selection" ||
    bad "the signed statement lacks the selection"
"$R" verify "$tmp/signed/report.json" --key tests/fixtures/sign/test.pub \
    2>/dev/null | grep -q '^selection: --skip-check aws-s3-\*' &&
    ok "verify prints the selection" || bad "verify does not print it"

# Globs that match nothing are errors with a suggestion.
out=$(scan --check aws-s3-no-public-acll 2>&1); rc=$?
[ $rc = 2 ] && echo "$out" | grep -q "did you mean 'aws-s3-no-public-acl'" &&
    ok "--check naming no check: exit 2, did you mean" ||
    bad "--check naming no check: exit $rc"
scan --skip-check 'nothing-*' >/dev/null 2>&1
[ $? = 2 ] && ok "--skip-check matching nothing: exit 2" || bad "--skip-check nothing"

# ------------------------------------------------ --fail-on
# Exit 1 exactly when a failing check has severity >= LEVEL (--gate
# checks: the rest is decided by errors alone).
for lvl in info low medium high critical; do
	want=$(jq --arg l "$lvl" -r '
	    def rank: {"info":0,"low":1,"medium":2,"high":3,"critical":4}[.];
	    [.controls[].checks[]? | select(.status == "fail") |
	     select((.severity | rank) >= ($l | rank))] | length' "$tmp/full.json")
	scan --gate checks --fail-on "$lvl" >/dev/null 2>&1; rc=$?
	if [ "$want" -gt 0 ]; then exp=1; else exp=4; fi
	[ $rc = $exp ] && ok "--fail-on $lvl: exit $rc ($want failing at or above)" ||
	    bad "--fail-on $lvl: exit $rc, want $exp ($want failing)"
done
# Without errors in the way: only the failing criticals skipped leaves
# nothing at or above critical.
crit=$(jq -r '[.controls[].checks[]? | select(.status == "fail" and .severity == "critical") | .id] | unique | map("--skip-check " + .) | join(" ")' "$tmp/full.json")
errs=$(jq -r '[.controls[].checks[]? | select(.status == "error") | .id] | unique | map("--skip-check " + .) | join(" ")' "$tmp/full.json")
# shellcheck disable=SC2086
scan --gate checks --fail-on critical $crit $errs -f json -o "$tmp/fo.json" >/dev/null 2>&1
rc=$?
[ $rc = 0 ] && jq -e '.verdict == "not_eligible"' "$tmp/fo.json" >/dev/null &&
    ok "--fail-on critical: lower failures exit 0, the verdict still says not eligible" ||
    bad "--fail-on critical with lower failures: exit $rc"

# ------------------------------------------------ --new-since
scan --gate checks --new-since "$tmp/full.json" -f json -o "$tmp/n0.json" \
    >/dev/null 2>&1; rc=$?
[ $rc != 1 ] && jq -e '.new_since.new == 0 and (.new_since.known | length) > 0
    and .verdict == "not_eligible"' "$tmp/n0.json" >/dev/null &&
    ok "--new-since the same report: no exit 1, findings known, verdict as is" ||
    bad "--new-since the same report: exit $rc"
scan --new-since "$tmp/full.json" 2>/dev/null | grep -q '^new since .*: 0 new failing findings; known' &&
    ok "text states new and known" || bad "text lacks the new-since line"
# A previous report without the IAM checks: their failures are new.
scan --skip-check 'aws-iam-*' -f json -o "$tmp/noiam.json" >/dev/null 2>&1
scan --gate checks --new-since "$tmp/noiam.json" -f json -o "$tmp/n1.json" \
    >/dev/null 2>&1; rc=$?
newiam=$(jq '[.controls[].checks[]? | select(.status == "fail" and (.id | startswith("aws-iam-"))) | .resources[] | select(.status == "fail") | .fingerprint] | unique | length' "$tmp/full.json")
[ $rc = 1 ] && jq -e --argjson n "$newiam" '.new_since.new == $n' "$tmp/n1.json" >/dev/null &&
    ok "--new-since an older report: $newiam new IAM findings, exit 1" ||
    bad "--new-since an older report: exit $rc, new $(jq .new_since.new "$tmp/n1.json"), want $newiam"
# Every known fingerprint is one the previous report had.
jq -r '.new_since.known[]' "$tmp/n1.json" | sort > "$tmp/k1"
jq -r '.. | objects | select(has("fingerprint")) | .fingerprint' "$tmp/noiam.json" | sort -u > "$tmp/f0"
[ -z "$(comm -23 "$tmp/k1" "$tmp/f0")" ] && ok "known findings are the previous report's" ||
    bad "a known finding the previous report lacks"
scan --new-since "$tmp/none.json" >/dev/null 2>&1
[ $? = 3 ] && ok "--new-since a missing report: exit 3" || bad "--new-since missing"

# ------------------------------------------------ closed pipe
rc=$(bash -c "'$R' scan -b $BL -i $EX --fixed-time $T0 -f json 2>'$tmp/err' | head -c 1 >/dev/null; echo \${PIPESTATUS[0]}")
[ "$rc" = 141 ] && [ ! -s "$tmp/err" ] && ok "scan | head: SIGPIPE status 141, quiet" ||
    { bad "scan | head: exit $rc"; head -3 "$tmp/err"; }
# (more than a pipe's 64 KiB, so the write meets the closed pipe)
rc=$(bash -c "'$R' baseline show fedramp-high -f json 2>'$tmp/err' | head -c 1 >/dev/null; echo \${PIPESTATUS[0]}")
[ "$rc" = 141 ] && [ ! -s "$tmp/err" ] && ok "baseline show | head: 141, quiet" ||
    bad "baseline show | head: exit $rc"

# ------------------------------------------------ --color
esc=$(printf '\033')
scan --color always 2>/dev/null | grep -q "$esc" && ok "--color always colours a pipe" ||
    bad "--color always"
scan --color never 2>/dev/null | grep -q "$esc" && bad "--color never has escapes" ||
    ok "--color never"
scan 2>/dev/null | grep -q "$esc" && bad "auto colours a pipe" || ok "auto: no colour in a pipe"

# ------------------------------------------------ schemas
# The tailored reports (checks `manual`: not run), --new-since's member and
# the configuration's stay valid.  Skipped without ajv or the schemas.
NODE_PATH=$(pwd)/tests/node/node_modules
export NODE_PATH
S=${SHARED:-../shared}/data/schemas
V=tests/e2e/reports/validate.js
if command -v node >/dev/null 2>&1 && [ -d "$NODE_PATH/ajv-formats" ] &&
    [ -d "$S/sarif" ]; then
	for f in "$tmp/s1.json" "$tmp/s8.json" "$tmp/n1.json" "$tmp/all/report.json"; do
		node "$V" json docs/report.schema.json "$f" >/dev/null 2>&1 &&
		    ok "$(basename "$f") valid (docs/report.schema.json)" ||
		    bad "$(basename "$f") invalid"
	done
	node "$V" sarif "$S/sarif/sarif-schema-2.1.0.json" "$tmp/all/report.sarif" \
	    >/dev/null 2>&1 && ok "tailored SARIF valid" || bad "tailored SARIF invalid"
	for v in v1.1.2 v1.1.3; do
		node "$V" oscal "$S/oscal/$v/oscal_assessment-results_schema.json" \
		    "$tmp/all/report.oscal.json" >/dev/null 2>&1 &&
		    ok "tailored OSCAL results valid ($v)" || bad "tailored OSCAL $v"
	done
	xmllint --noout --schema "$S/junit/jenkins-xunit/junit-10.xsd" \
	    "$tmp/all/report.junit.xml" >/dev/null 2>&1 &&
	    ok "tailored JUnit valid" || bad "tailored JUnit invalid"
else
	echo "skip: schema validation (no ajv in tests/node or no $S)"
fi

echo "cli_select e2e: $pass passed, $fail failed"
[ $fail -eq 0 ]
