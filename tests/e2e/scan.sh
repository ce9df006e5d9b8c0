#!/bin/sh
# End-to-end `rampart scan` on real AWS exports (tests/fixtures/aws-checks,
# examples/aws-export): verdicts, exit codes and control statuses from the
# JSON report; a malformed export is exit 3 with file:line:col and leaves
# no report behind; an AccessDenied recording is error/incomplete, never
# pass; POA&M waiver and expiry; lint of every shipped pack and baseline;
# `checks list --json`; placebo load balancer recordings (classic ELB and
# elbv2 share their file names).  Run from the repository root with
# $RAMPART set.
set -u
RAMPART=${RAMPART:-build/rampart}
SHARED=${SHARED:-../shared}
BL=rules/baselines/example.yaml
FIX=tests/fixtures/aws-checks
T=$(mktemp -d /tmp/rampart-scan-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
fails=0
NOW=2026-11-27T00:00:00Z

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

# expect_rc WANT CMD...: run, keep stdout in $T/out and stderr in $T/err.
expect_rc() {
	want=$1; shift
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" = "$want" ]; then ok "exit $rc: $*"
	else bad "exit $rc (want $want): $*"; sed 's/^/    /' "$T/err" | head -5; fi
}

# jq-like assertions on $T/out with python3: jcheck 'python expression' desc
jcheck() {
	if python3 - "$T/out" "$1" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
def ctl(cid):
    return next(c for c in r["controls"] if c["id"] == cid)
def chk(cid, check):
    return next(k for k in ctl(cid)["checks"] if k["id"] == check)
def res(cid, check, rid):
    return next(x for x in chk(cid, check)["resources"] if x["id"] == rid)
ok = eval(sys.argv[2])
sys.exit(0 if ok else 1)
EOF
	then ok "$2"; else bad "$2"; fi
}

# ------------------------------------------------------------- lint
expect_rc 0 "$RAMPART" baseline lint rules/packs/aws/*.yaml $BL
for f in rules/baselines/*.yaml; do
	expect_rc 0 "$RAMPART" baseline lint "$f"
done

# ------------------------------------------------------ checks list
expect_rc 0 "$RAMPART" checks list --json
jcheck 'len([c for c in r if c["id"].startswith("aws-")]) >= 30' \
	"checks list --json: at least 30 AWS checks"
# Controls come from the mapping; these are unbound on purpose (see its header).
jcheck 'all(c["controls"] for c in r if c["id"] not in ("aws-securityhub-enabled", "aws-iam-password-complexity", "aws-iam-password-reuse"))' \
	"every listed check but the deliberately unbound ones has controls"
jcheck 'all(b["decides"] in ("full", "part") and b["rationale"] for c in r for b in c["bindings"])' \
	"every binding listed says what it decides, with a rationale"

# ------------------------------------------ the example export (demo)
expect_rc 1 "$RAMPART" scan --baseline $BL --input examples/aws-export \
	--poam examples/poam.yaml --format json --fixed-time $NOW
jcheck 'r["verdict"] == "not_eligible"' "example: verdict not_eligible"
jcheck 'ctl("ia-5.1")["status"] == "fail"' "example: IA-5(1) fails (length 12 < 14)"
jcheck 'res("ia-5.1", "aws-iam-password-min-length", "account")["status"] == "fail"' \
	"example: password min length fails on the account"
# Passing checks that decide only part of a control leave it partial.
jcheck 'ctl("au-9")["status"] == "partial"' "example: AU-9 partial (validation + KMS pass, decides: part)"
jcheck 'ctl("cp-9")["status"] == "partial"' "example: CP-9 partial (7-day backups pass, decides: part)"
jcheck 'ctl("au-11")["status"] == "partial" and "POAM-2026-007" in ctl("au-11")["note"]' \
	"example: AU-11's failure waived by POAM-2026-007, the control still partial"
jcheck 'ctl("au-11")["checks"][0]["status"] == "waived"' "example: AU-11's check is waived"
jcheck 'ctl("sc-12")["status"] == "fail"' "example: SC-12 fails, expired POA&M item waives nothing"
jcheck 'ctl("pe-3")["status"] == "inherited" and ctl("ps-3")["status"] == "manual"' \
	"example: inherited and manual controls keep their states"
# get-public-access-block AccessDenied on bucket c: the checks reading it
# are error (never pass), naming the denial; the bucket's other evidence
# is still evaluated (its encryption is recorded as not configured: fail);
# a plugin check, which may read anything, is error.
B=c7n-aws-s3-encryption-audit-test-c
jcheck "res('ac-3', 'aws-s3-bucket-public-access-block', '$B')['status'] == 'error'" \
	"example: denied public access block is error"
jcheck "'AccessDenied' in res('ac-3', 'aws-s3-bucket-public-access-block', '$B')['message']" \
	"example: the error names AccessDenied"
jcheck "res('sc-28', 'aws-s3-default-encryption', '$B')['status'] == 'fail'" \
	"example: the same bucket's encryption is still evaluated (not configured: fail)"
jcheck "res('sc-8', 'aws-s3-tls-only-policy', '$B')['status'] == 'error'" \
	"example: a plugin check on a partly unreadable bucket is error"

# Without the POA&M, AU-11 fails.
expect_rc 1 "$RAMPART" scan --baseline $BL --input examples/aws-export \
	--format json --fixed-time $NOW
jcheck 'ctl("au-11")["status"] == "fail"' "no POA&M: AU-11 fails"
# After the item's expiry, it waives nothing.
expect_rc 1 "$RAMPART" scan --baseline $BL --input examples/aws-export \
	--poam examples/poam.yaml --format json --fixed-time 2031-01-15T00:00:00Z \
	--max-evidence-age 0
jcheck 'ctl("au-11")["status"] == "fail"' "expired POA&M item: AU-11 fails again"

# ----------------------------- a clean account: eligible, exit 0
mkdir -p "$T/clean"
for c in aws-cloudtrail-log-validation/pass aws-config-recorder-on/pass \
	aws-ebs-default-encryption/pass aws-guardduty-enabled/pass; do
	cp -r "$FIX/$c/." "$T/clean/"
done
rm -f "$T/clean/expect"
cat >"$T/clean-bl.yaml" <<'EOF'
id: clean
title: clean account subset
impact: moderate
controls:
  - id: au-9
    checks: [{id: aws-cloudtrail-log-validation, decides: full},
             {id: aws-cloudtrail-kms, decides: full}]
  - id: cm-8
    checks: [{id: aws-config-recorder-on, decides: full}]
  - id: sc-28
    checks: [{id: aws-ebs-default-encryption, decides: full}]
  - id: si-4
    checks: [{id: aws-guardduty-enabled, decides: full}]
EOF
expect_rc 0 "$RAMPART" scan --baseline "$T/clean-bl.yaml" --input "$T/clean" \
	--format json --fixed-time $NOW
jcheck 'r["verdict"] == "eligible" and r["summary"]["controls"]["pass"] == 4' \
	"clean subset: eligible, 4 controls pass"

# ------------- AccessDenied alone: incomplete (4), never eligible
mkdir -p "$T/denied"
cp -r "$FIX/aws-s3-bucket-public-access-block/error-denied/." "$T/denied/"
rm -f "$T/denied/expect" "$T/denied/s3api/get-public-access-block/c7n-aws-s3-encryption-audit-test-a.json"
cat >"$T/denied-bl.yaml" <<'EOF'
id: denied
title: bucket public access block only
controls:
  - id: ac-3
    checks: [{id: aws-s3-bucket-public-access-block}]
EOF
expect_rc 4 "$RAMPART" scan --baseline "$T/denied-bl.yaml" --input "$T/denied" \
	--format json --fixed-time $NOW
jcheck 'r["verdict"] == "incomplete" and ctl("ac-3")["status"] == "error"' \
	"AccessDenied recording: incomplete, control error"

# ----------------- a required export missing: incomplete, not pass
mkdir -p "$T/nopp/iam"
cp "$FIX/aws-iam-access-key-rotation/pass/iam/get-credential-report.json" "$T/nopp/iam/"
cat >"$T/nopp-bl.yaml" <<'EOF'
id: nopp
title: password policy without its export
controls:
  - id: ia-5.1
    checks: [{id: aws-iam-password-min-length}]
EOF
expect_rc 4 "$RAMPART" scan --baseline "$T/nopp-bl.yaml" --input "$T/nopp" \
	--format json --fixed-time $NOW
jcheck 'ctl("ia-5.1")["status"] == "error"' \
	"missing password policy export: error, not not_applicable"

# ------------- malformed export: exit 3, file:line:col, no report
SG=$SHARED/data/exports/awscli-examples/extracted-json/ec2/describe-security-groups.output1.json
if [ -f "$SG" ]; then
	mkdir -p "$T/bad/ec2"
	cp "$SG" "$T/bad/ec2/describe-security-groups.json"
	expect_rc 3 "$RAMPART" scan --baseline $BL --input "$T/bad" \
		--format json --output "$T/report.json" --fixed-time $NOW
	if grep -Eq 'describe-security-groups\.json:[0-9]+:[0-9]+' "$T/err"; then
		ok "malformed export: file:line:col in the message"
	else
		bad "malformed export: no file:line:col in: $(head -c 300 "$T/err")"
	fi
	if [ -e "$T/report.json" ]; then bad "malformed export left a report"
	else ok "malformed export: no report file"; fi
	if ls "$T" | grep -q '^report\.json\.'; then bad "temporary report left"
	else ok "malformed export: no temporary file left"; fi
else
	echo "skip malformed export: $SG not found (set SHARED)"
fi

# ------------------------------- per-check fixtures through the CLI
# One representative pass and fail per family, through the real binary.
cli_case() {	# check case control status
	now=$(awk '$1=="now"{print $2}' "$FIX/$1/$2/expect")
	cat >"$T/one.yaml" <<EOF
id: one
title: one check
controls:
  - id: $3
    checks: [{id: $1, decides: full}]
EOF
	"$RAMPART" scan --baseline "$T/one.yaml" --input "$FIX/$1/$2" \
		--format json --fixed-time "${now:-$NOW}" >"$T/out" 2>"$T/err"
	jcheck "ctl('$3')['status'] == '$4'" "$1/$2: $3 $4"
}
cli_case aws-iam-console-mfa pass ia-2.1 pass
cli_case aws-iam-console-mfa fail ia-2.1 fail
cli_case aws-s3-default-encryption mixed sc-28 fail
cli_case aws-ec2-sg-no-all-ports pass sc-7 pass
cli_case aws-ec2-sg-no-all-ports mixed sc-7 fail
cli_case aws-kms-key-rotation pass sc-12 pass
cli_case aws-acm-cert-expiry pass sc-12 pass
cli_case aws-acm-cert-expiry fail sc-12 fail
cli_case aws-vpc-flow-logs error-missing au-12 error
cli_case aws-securityhub-enabled fail ca-7 fail
# The check reads classic and v2 load balancers: the classic fixture alone
# lacks the v2 listing (error), with an empty v2 listing beside it, pass.
cli_case aws-elb-tls-policy classic-pass sc-8 error
mkdir -p "$T/elb-both/elbv2"
cp -r "$FIX/aws-elb-tls-policy/classic-pass/." "$T/elb-both/"
printf '{"LoadBalancers": []}\n' >"$T/elb-both/elbv2/describe-load-balancers.json"
"$RAMPART" scan --baseline "$T/one.yaml" --input "$T/elb-both" --format json \
	--fixed-time $NOW >"$T/out" 2>"$T/err"
jcheck "ctl('sc-8')['status'] == 'pass'" "classic ELB with an empty v2 listing: sc-8 pass"
cli_case aws-elb-tls-policy classic-fail sc-8 fail

# ---------------- placebo recordings of load balancers, read as they are
# Classic ELB and elbv2 share the placebo file names: a classic recording
# is read (TLS 1.0 enabled: fail), never an invalid elbv2 export.
PLACEBO=$SHARED/data/exports/custodian-placebo
cat >"$T/elb.yaml" <<'EOF'
id: elb
title: load balancer TLS only
controls:
  - id: sc-8
    checks: [{id: aws-elb-tls-policy}]
EOF
if [ -d "$PLACEBO/test_ssl_ciphers" ]; then
	expect_rc 1 "$RAMPART" scan --baseline "$T/elb.yaml" \
		--input "$PLACEBO/test_ssl_ciphers" --format json --fixed-time $NOW
	jcheck "res('sc-8', 'aws-elb-tls-policy', 'test-elb-valid-policy')['status'] == 'fail'" \
		"placebo classic ELB: TLS 1.0 and 1.1 enabled fail"
	expect_rc 1 "$RAMPART" scan --baseline "$T/elb.yaml" \
		--input "$PLACEBO/test_appelb_listener_rules_filter" --format json \
		--fixed-time $NOW
	jcheck "chk('sc-8', 'aws-elb-tls-policy')['resources'][0]['status'] == 'fail'" \
		"placebo ALB: the recorded HTTP listener fails"
else
	echo "skip placebo load balancers: $PLACEBO not found (set SHARED)"
fi

# The JSON loader's reader thread (inputs over 64 KiB, two CPUs) changes
# nothing: a 1 MB synthetic snapshot gives the same report byte for byte
# with RAMPART_THREADS=1, and the same error at the same line:col when it
# is cut short.
${CC:-cc} -O2 -o "$T/gen" tests/bench/gen_snapshot.c
"$T/gen" "$T/snap.json" 1 >/dev/null
for th in 1 2; do
	if [ $th = 1 ]; then export RAMPART_THREADS=1; fi
	expect_rc 1 "$RAMPART" scan --baseline $BL --input "$T/snap.json" \
		--max-evidence-age 0 --format json --fixed-time $NOW \
		--output "$T/snap-$th.json"
	unset RAMPART_THREADS
done
if cmp -s "$T/snap-1.json" "$T/snap-2.json"; then
	ok "1 MB snapshot: the same report with and without the reader thread"
else
	bad "1 MB snapshot: reports differ with RAMPART_THREADS=1"
fi
head -c 900000 "$T/snap.json" >"$T/cut.json"
for th in 1 2; do
	if [ $th = 1 ]; then export RAMPART_THREADS=1; fi
	expect_rc 3 "$RAMPART" scan --baseline $BL --input "$T/cut.json" \
		--format json --fixed-time $NOW --output "$T/cut-$th.json"
	cp "$T/err" "$T/cut-$th.err"
	unset RAMPART_THREADS
	[ ! -e "$T/cut-$th.json" ] || bad "cut snapshot: a report was left behind"
done
if cmp -s "$T/cut-1.err" "$T/cut-2.err" &&
    grep -q "cut.json:[0-9]*:[0-9]*: error: " "$T/cut-2.err"; then
	ok "cut snapshot: the same file:line:col error on one or two threads"
else
	bad "cut snapshot: errors differ"; head -3 "$T/cut-1.err" "$T/cut-2.err"
fi

# ------------------------------- evidence age (--max-evidence-age)
# The collection time scripts/collect-aws.sh records is the evidence's
# age; older than the limit, every result is error (incomplete), never a
# decision; a manifest with a loose time is refused.
mkdir -p "$T/aged"
cp -r examples/aws-export/. "$T/aged/"
rm -f "$T/aged/SOURCE.md"
printf '{"collector": "test", "started": "2026-09-01T00:00:00Z", "finished": "2026-09-01T00:05:00Z"}\n' \
	>"$T/aged/rampart-collection.json"
expect_rc 4 "$RAMPART" scan --baseline $BL --input "$T/aged" --format json \
	--fixed-time $NOW
jcheck 'r["inputs"][0]["stale"] and r["inputs"][0]["collected"] == "2026-09-01T00:00:00Z" and r["inputs"][0]["collected_from"] == "recorded in the export"' \
	"87-day-old collection: stale, its time recorded in the report"
jcheck 'r["summary"]["checks"]["pass"] == 0 and r["summary"]["checks"]["fail"] == 0' \
	"stale evidence decides no check"
expect_rc 1 "$RAMPART" scan --baseline $BL --input "$T/aged" --format json \
	--fixed-time $NOW --max-evidence-age 90
jcheck 'not r["inputs"][0]["stale"]' "within --max-evidence-age 90: decided"
printf '{"started": "20260901"}\n' >"$T/aged/rampart-collection.json"
expect_rc 3 "$RAMPART" scan --baseline $BL --input "$T/aged" --format json \
	--fixed-time $NOW
grep -q "rampart-collection.json:1:13: error: 'started'" "$T/err" &&
	ok "a loose collection time is refused at file:line:col" ||
	bad "no file:line:col for the loose time: $(head -c 300 "$T/err")"

# --------------------- the decision model in the human formats
# Parameter provenance in every report; --gate checks said in every
# format; a missing evidence reason in the gaps.
for fmt in text markdown html; do
	"$RAMPART" scan --baseline fedramp-high --input examples/aws-export \
		--max-evidence-age 0 --fixed-time $NOW --format $fmt \
		>"$T/prov.$fmt" 2>/dev/null
	if sed 's/\\_/_/g' "$T/prov.$fmt" |
	    grep -q 'max_unused_days = 35 from ac-02.03_odp.02 .*thirty-five (35) days'; then
		ok "$fmt: parameter provenance (35 days from ac-02.03_odp.02)"
	else
		bad "$fmt: no parameter provenance"
	fi
	grep -q "no listing of TLS::Endpoint in the inputs" "$T/prov.$fmt" &&
		ok "$fmt: missing TLS evidence named in the gaps" ||
		bad "$fmt: missing TLS evidence not named"
done
for fmt in json sarif oscal; do
	"$RAMPART" scan --baseline fedramp-high --input examples/aws-export \
		--max-evidence-age 0 --fixed-time $NOW --format $fmt \
		>"$T/prov.$fmt" 2>/dev/null
	grep -q 'ac-02.03_odp.02.*thirty-five (35) days' "$T/prov.$fmt" &&
		ok "$fmt: parameter provenance (35 days from ac-02.03_odp.02)" ||
		bad "$fmt: no parameter provenance"
done
for fmt in text markdown html junit sarif json oscal; do
	"$RAMPART" scan --baseline $BL --input examples/aws-export --gate checks \
		--max-evidence-age 0 --fixed-time $NOW --format $fmt \
		>"$T/gate.$fmt" 2>/dev/null
	grep -q "checks" "$T/gate.$fmt" && grep -qi "gate" "$T/gate.$fmt" &&
		ok "$fmt: says gate checks" || bad "$fmt: does not say gate checks"
done
# (the text report wraps at 80 columns: join its lines first)
tr '\n' ' ' <"$T/gate.text" | tr -s ' ' |
	grep -q "not an eligibility decision" &&
	ok "text: a checks gate is not an eligibility decision" ||
	bad "text: the gate note is missing"

# OSCAL findings target the statement part a binding names (objective:),
# else the whole objective; a bad part is refused at lint.
"$RAMPART" scan --baseline fedramp-moderate --input examples/aws-export \
	--max-evidence-age 0 --fixed-time $NOW --format oscal --output "$T/o.json" \
	2>/dev/null
python3 - "$T/o.json" <<'PY' && ok "OSCAL targets ac-2.3_obj.d and ac-1_obj" ||
import json, sys
r = json.load(open(sys.argv[1]))["assessment-results"]["results"][0]
t = {f["target"]["target-id"] for f in r["findings"]}
sys.exit(0 if "ac-2.3_obj.d" in t and "ac-1_obj" in t else 1)
PY
	bad "OSCAL objective targets"
cat >"$T/obj.yaml" <<'EOF2'
id: obj
title: bad objective
controls:
  - id: ac-2.3
    checks: [{id: aws-iam-unused-credentials, decides: part, objective: "7"}]
EOF2
expect_rc 3 "$RAMPART" baseline lint "$T/obj.yaml"
grep -q "obj.yaml:5:.*objective '7' is not a statement part" "$T/err" &&
	ok "a bad objective part is refused at file:line:col" ||
	bad "bad objective: $(head -c 300 "$T/err")"

echo "scan e2e: $fails failure(s)"
[ "$fails" -eq 0 ]
