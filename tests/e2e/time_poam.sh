#!/bin/sh
# End-to-end dates and POA&M validation through the real binary:
# `--fixed-time` and `tls --time` refuse anything but RFC 3339 date-times
# and YYYY-MM-DD dates (exit 2, with the reason), so `20261231` can no
# longer be read as 1970 and pass an age check; an invalid POA&M (blank
# fields, unknown control or check, a deadline past RA-5(d), a bad date)
# is exit 3 with file:line:col and no report, and its compliant twin
# scans.  Run from the repository root with $RAMPART set.
set -u
RAMPART=${RAMPART:-build/rampart}
FIX=tests/fixtures/aws-checks/aws-iam-access-key-rotation/pass
T=$(mktemp -d /tmp/rampart-time-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
fails=0

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

# expect_err TEXT: stderr of the last command holds TEXT.
expect_err() {
	if grep -qF -- "$1" "$T/err"; then ok "stderr: $1"
	else bad "stderr lacks: $1"; sed 's/^/    /' "$T/err" | head -5; fi
}

cat >"$T/one.yaml" <<EOF
id: one
title: key rotation only
controls:
  - id: ia-5.1
    checks: [{id: aws-iam-access-key-rotation}]
EOF
scan() { "$RAMPART" scan --baseline "$T/one.yaml" --input "$FIX" \
	--format json "$@"; }

# ------------------------------------------------------ --fixed-time
# Each of these was accepted before (most as epoch seconds near 1970).
for v in 20261231 1796284800 2025-02-29 1900-02-29 2026-12-03T24:00:00Z \
    NaN "" " 2026-12-03" "2026-12-03 " "2026-12-03 08:00:00Z" \
    2026-12-03T08:00:00 2026-12-03T08:00:00+0530 1970-01-01; do
	expect_rc 2 scan --fixed-time "$v"
	expect_err "invalid --fixed-time '$v'"
	[ -s "$T/out" ] && bad "a report was written for '$v'"
done
scan --fixed-time 20261231 >/dev/null 2>"$T/err"
expect_err "not a number (epoch seconds and YYYYMMDD are not dates here)"

# check_status WANT TIME: the key-rotation check's status at TIME (the
# check's, not the verdict's, so the decision model may evolve).
check_status() {
	scan --fixed-time "$2" >"$T/out" 2>"$T/err"
	got=$(python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
print(r["controls"][0]["checks"][0]["status"])' "$T/out" 2>/dev/null)
	[ "$got" = "$1" ] && ok "--fixed-time $2: check $1" ||
		bad "--fixed-time $2: check '$got', want $1"
}
# The same keys: fresh in 2016, ten years old in 2026 (the time that
# 20261231 was meant to be; read as 1970 it passed).
check_status pass 2016-12-01T00:00:00Z
check_status fail 2026-12-31
check_status fail 2026-12-31t00:00:00z
check_status fail 2026-12-31T05:30:00+05:30
check_status pass 2016-12-01T05:30:00.123+05:30

expect_rc 2 "$RAMPART" tls --time 20261231 127.0.0.1:1
expect_err "invalid --time '20261231'"

# --------------------------------------------------------- POA&M
# poam: a POA&M whose single item has the compliant fields below; set
# ID, CONTROL, CHECK, SEV, DETECTED, EXPIRES, JUST or APPROVER to vary one.
poam() {
	cat >"$T/p.yaml" <<EOF
items:
  - id: ${ID:-P-1}
    control: ${CONTROL:-IA-5(1)}
    check: ${CHECK:-aws-iam-access-key-rotation}
    severity: ${SEV:-moderate}
    detected: ${DETECTED:-2026-11-01}
    expires: ${EXPIRES:-2027-01-30}
    justification: ${JUST:-keys of the legacy batch user}
    approver: ${APPROVER:-ISSO Jane Doe}
EOF
}
pscan() { "$RAMPART" scan --baseline "$T/one.yaml" --input "$FIX" \
	--format json --fixed-time 2026-12-31 --poam "$T/p.yaml" \
	--output "$T/report.json"; }

# expect_valid: the POA&M is accepted (any verdict but invalid input).
expect_valid() {
	rm -f "$T/report.json"
	pscan >/dev/null 2>"$T/err"
	rc=$?
	if [ "$rc" != 2 ] && [ "$rc" != 3 ] && [ -s "$T/report.json" ]; then
		ok "valid POA&M accepted (exit $rc)"
	else
		bad "valid POA&M refused (exit $rc)"
		sed 's/^/    /' "$T/err" | head -5
	fi
}
poam; expect_valid
# A plain item tracks an open weakness: the failure stays (issue 11: only
# an approved false_positive/operational_requirement deviation waives).
cstat() { python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
print(r["controls"][0]["checks"][0]["status"], r["verdict"])' "$T/report.json"; }
[ "$(cstat)" = "fail not_eligible" ] &&
	ok "a POA&M item without a deviation waives nothing" ||
	bad "a POA&M item without a deviation: $(cstat), want fail"
# The same item with an approved deviation waives; approved after the
# evaluation time (2026-12-31) it is not yet approved and waives nothing.
for ap in 2026-12-01:waived 2027-01-15:fail; do
	poam
	echo "    deviation: {type: operational_requirement, approved_by: AO, approved: ${ap%%:*}}" >>"$T/p.yaml"
	pscan >/dev/null 2>&1
	[ "$(cstat | cut -d' ' -f1)" = "${ap#*:}" ] &&
		ok "deviation approved ${ap%%:*}: check ${ap#*:}" ||
		bad "deviation approved ${ap%%:*}: $(cstat), want ${ap#*:}"
done

check_bad() {	# description expected-stderr
	rm -f "$T/report.json"
	expect_rc 3 pscan
	expect_err "$2"
	[ -e "$T/report.json" ] && bad "$1: a report was written"
	unset ID CONTROL CHECK SEV DETECTED EXPIRES JUST APPROVER
}
APPROVER="'  '"; poam
check_bad "blank approver" "p.yaml:9:15: error: POA&M item 'P-1' has an empty approver"
JUST="''"; poam
check_bad "blank justification" "p.yaml:8:20: error: POA&M item 'P-1' has an empty justification"
ID="' '"; poam
check_bad "blank id" "p.yaml:2:9: error: POA&M item id is blank"
CONTROL=AC-99; poam
check_bad "unknown control" "p.yaml:3:14: error: POA&M item 'P-1' names control 'AC-99', which baseline 'one' does not contain"
CHECK=aws-no-such-check; poam
check_bad "unknown check" "p.yaml:4:12: error: POA&M item 'P-1' names unknown check 'aws-no-such-check'"
EXPIRES=2027-01-31; poam
check_bad "past RA-5(d)" "p.yaml:7:14: error: POA&M item 'P-1' expires 2027-01-31, after the RA-5(d) deadline for a moderate finding detected 2026-11-01 (90 days: 2027-01-30)"
EXPIRES=20270130; poam
check_bad "epoch-like date" "p.yaml:7:14: error: POA&M item 'P-1': 'expires' must be a date"
DETECTED=2026-02-29; poam
check_bad "no such day" "p.yaml:6:15: error: 'detected' must be a date like 2026-12-31 or an RFC 3339 date-time, found '2026-02-29': day 29 of February in a year that is not a leap year"

# Control ids in either form, any case.
for c in ia-5.1 IA-5.1 "'IA-5 (1)'" Ia-05.01; do
	CONTROL=$c; poam; unset CONTROL
	expect_valid
done

if [ "$fails" -eq 0 ]; then echo "time_poam e2e: 0 failure(s)"; exit 0; fi
echo "time_poam e2e: $fails failure(s)"
exit 1
