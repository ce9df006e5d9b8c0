#!/bin/sh
# The real OCI recordings, end to end: a scan of the shared CIS landing-zone
# inventory of a real tenancy reports what its data shows (4 security lists
# open on SSH to 0.0.0.0/0, 1 open on every tcp port, the public bucket
# test_bucket, the TestingScript policy granting manage all-resources in
# tenancy to a group that is not Administrators; NSG rules, user MFA and
# bucket versioning, which search summaries lack, as error, never pass);
# the converted cassettes scan as what they recorded (a public bucket
# fails); and the test-only converter and the trimmed inventory copy, re-run
# on ../shared, give the committed fixtures.  Skips the ../shared parts
# cleanly when it is absent.  Run from the repository root with $RAMPART.
set -u
RAMPART=${RAMPART:-build/rampart}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
EX=$SHARED/data/exports
T=$(mktemp -d /tmp/rampart-oci-real-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

# A baseline binding every oci- check to one control.
{
	printf 'id: t\ntitle: t\nimpact: moderate\ncontrols:\n  - id: ca-7\n    checks:\n'
	"$RAMPART" checks list | awk '$1 ~ /^oci-/ {print "      - {id: " $1 ", decides: part}"}'
} >"$T/b.yaml"

# scan INPUT OUT: statuses "check status id" into OUT.
scan() {
	"$RAMPART" scan --baseline "$T/b.yaml" --input "$1" \
		--fixed-time 2024-01-01T00:00:00Z --max-evidence-age 0 \
		--max-results 0 --format json --output "$T/r.json" \
		>/dev/null 2>"$T/err"
	python3 - "$T/r.json" >"$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["controls"]:
    for ch in c["checks"]:
        print("check", ch["id"], ch["status"])
        for r in ch["resources"]:
            print(ch["id"], r["status"], r["id"])
for i in d["inputs"]:
    print("input", i["format"], i["resources"])
PY
}
count() { grep -c "^$1 $2 " "$3"; }

INV=tests/fixtures/oci/cis-inventory.json
if [ -d "$EX/oci-cis-inventory" ]; then
	INV_REAL=$EX/oci-cis-inventory/halimer1-2023-11-01_11-06-22/raw_data_all_resources.json
	scan "$INV_REAL" "$T/inv"
	ok "scanned the shared inventory ($(grep '^input' "$T/inv"))"
else
	echo "skip ../shared absent: scanning the committed copy of the inventory"
	scan "$INV" "$T/inv"
fi
SL=ocid1.securitylist.oc1.iad.aaaaaaaa
[ "$(count oci-network-seclist-admin-ports fail "$T/inv")" = 4 ] &&
	grep -q "^oci-network-seclist-admin-ports fail ${SL}klqidovpcgun4q7bma73s7jxqzqgjnx5geuzzu2t32jvvj7qf67q\$" "$T/inv" &&
	ok "4 security lists open on SSH to the internet fail (issue303 among them)" ||
	bad "security lists: $(grep '^oci-network-seclist-admin-ports' "$T/inv" | awk '{print $2}' | sort | uniq -c | tr '\n' ' ')"
[ "$(count oci-network-no-all-ports fail "$T/inv")" = 1 ] &&
	ok "1 security list open on every tcp port fails" ||
	bad "all ports: $(count oci-network-no-all-ports fail "$T/inv") fail"
[ "$(count oci-objectstorage-bucket-not-public fail "$T/inv")" = 1 ] &&
	grep -q '^oci-objectstorage-bucket-not-public fail ocid1.bucket.oc1.iad.aaaaaaaaimixbnjtuqy55crvzhfgtizxv5afpomko4mytxo64b7ubxxf7oha$' "$T/inv" &&
	ok "the public bucket test_bucket fails, the 11 others pass" ||
	bad "public buckets"
[ "$(count oci-iam-admin-policy fail "$T/inv")" = 1 ] &&
	grep -q '^oci-iam-admin-policy fail ocid1.policy.oc1..aaaaaaaaam5skd5bb3bdm3x7y3fxwl3klwmetrpkloevwj576zlcwoxz3uza$' "$T/inv" &&
	ok "the TestingScript policy (manage all-resources in tenancy to rel240-cost-admin-group) fails" ||
	bad "admin policy"
grep -q "^oci-events-identity-notifications pass ocid1.tenancy.oc1..aaaaaaaabkqehju37orqb2rs6qqtte4p4elzyfjtjkjdq5bkihntaegh2taa\$" "$T/inv" &&
	ok "the landing zone's IAM notification rule covers every identity event" ||
	bad "events: $(grep '^oci-events' "$T/inv")"
for c in oci-network-nsg-admin-ports oci-iam-user-console-mfa \
	oci-objectstorage-bucket-versioning oci-kms-key-rotation; do
	if [ "$(count "$c" pass "$T/inv")" = 0 ] &&
		[ "$(count "$c" error "$T/inv")" -gt 0 ]; then
		ok "$c: error on every resource (search summaries lack the attribute), no pass"
	else
		bad "$c passes without evidence"
	fi
done
for c in oci-cloudguard-enabled oci-audit-retention oci-iam-password-min-length; do
	if grep -q "^check $c error\$" "$T/inv"; then
		ok "$c: no tenancy setting in an inventory: error, not passed"
	else
		bad "$c: $(grep "^check $c " "$T/inv" | head -1)"
	fi
done

# The converted cassettes: a public bucket fails.
scan tests/fixtures/oci/cassettes-cli/TestObjectStorage.test_tag_public_bucket "$T/cas"
grep -q '^oci-objectstorage-bucket-not-public fail ocid1.bucket.oc1..masked-' "$T/cas" &&
	ok "the cassette's public bucket fails" ||
	bad "cassette bucket: $(grep bucket-not-public "$T/cas")"

# The test-only converter and the inventory copy reproduce the fixtures.
if [ -d "$EX/custodian-oci-cassettes" ]; then
	python3 tests/fixtures/oci/convert.py "$EX/custodian-oci-cassettes" \
		"$T/conv" && diff -r "$T/conv" tests/fixtures/oci/cassettes-cli \
		>"$T/diff" && ok "convert.py on ../shared gives the committed cassettes-cli" ||
		{ bad "converted cassettes differ"; head "$T/diff"; }
else
	echo "skip ../shared absent: converter not re-run"
fi
if [ -d "$EX/oci-cis-inventory" ]; then
	python3 - "$INV_REAL" "$INV" <<'PY' && ok "the inventory copy is the shared file's, trimmed to the read types" || bad "inventory copy differs"
import json, sys
full, mine = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for r, types in mine.items():
    for t, v in types.items():
        assert full[r][t] == v, t
assert set(mine) == set(full)
PY
fi
[ $fails = 0 ] || exit 1
exit 0
