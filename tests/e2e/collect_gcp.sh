#!/bin/sh
# End-to-end scripts/collect-gcp.sh, against tests/e2e/gcp-stub/gcloud (a
# stand-in for gcloud that answers from one project folder and logs every
# call), then `rampart scan` of what it collected.
#
# The project is the converted cloud-custodian recordings
# (tests/fixtures/gcp/real/cloud-custodian) plus the IAM policy of
# custodian-test; the stub denies `sql instances list` and reports the
# logging API disabled for `logging buckets list`.  Asserts: only
# read-only calls (list, describe, get-iam-policy), never --limit or
# --page-size (gcloud fetches every page); progress on stderr; the
# layout docs/gcp.md gives; a denied call recorded as its error and the
# exit status 1; a disabled API recorded and not counted as a failure;
# the scan reports the firewall open to the internet, errors (never
# passes) the SQL checks the denied call hid, passes the service account
# key constraint the organisation enforces (the effective policy); credentials that read
# nothing stop the collector early with exit 2.  Run from the repository
# root with $RAMPART set.
set -u
RAMPART=${RAMPART:-build/rampart}
T=$(mktemp -d /tmp/rampart-collect-gcp-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
fails=0

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

mkdir -p "$T/project"
cp -r tests/fixtures/gcp/real/cloud-custodian/. "$T/project/"
mkdir -p "$T/project/projects"
cp tests/fixtures/gcp/real/custodian-test/projects/get-iam-policy.json \
	"$T/project/projects/"
# No policy set on the project; enforced on the organisation (inherited).
mkdir -p "$T/project/resource-manager/org-policies-describe-effective"
echo '{"policies": []}' >"$T/project/resource-manager/org-policies-list.json"
echo '{"constraint": "constraints/iam.disableServiceAccountKeyCreation", "booleanPolicy": {"enforced": true}}' \
	>"$T/project/resource-manager/org-policies-describe-effective/iam.disableServiceAccountKeyCreation.json"
GCLOUD_STUB_DATA=$T/project
GCLOUD_STUB_LOG=$T/calls.log
GCLOUD_STUB_DENY="sql instances list"
GCLOUD_STUB_DISABLED="logging buckets list"
export GCLOUD_STUB_DATA GCLOUD_STUB_LOG GCLOUD_STUB_DENY GCLOUD_STUB_DISABLED
STUB=$(pwd)/tests/e2e/gcp-stub

PATH=$STUB:$PATH sh scripts/collect-gcp.sh "$T/out" cloud-custodian \
	>"$T/collect.out" 2>"$T/collect.err"
rc=$?
if [ $rc = 1 ] && grep -q "calls failed; their files record the error" \
	"$T/collect.err"; then
	ok "collect-gcp exits 1 when a call was denied, and says so"
else
	bad "collect-gcp exited $rc"; tail -3 "$T/collect.err"
fi
if grep -q "^collect-gcp: gcloud compute firewall-rules list" \
	"$T/collect.err"; then
	ok "progress on stderr"
else
	bad "no progress lines on stderr"
fi
[ -s "$T/collect.out" ] && bad "the collector wrote to stdout"

# Read-only calls only, every page.
if [ -s "$T/calls.log" ] &&
	! grep -Ev '(^| )(list|describe|get-iam-policy)( |$)' "$T/calls.log" |
	grep -q . &&
	! grep -Eq '(^| )(create|delete|update|patch|set-iam-policy|add-iam-policy-binding|remove-iam-policy-binding|enable|disable|import|export|enable-enforce)( |$)' \
		"$T/calls.log"; then
	ok "$(wc -l <"$T/calls.log") calls, every one list, describe or get-iam-policy"
else
	bad "a call that is not read-only:"; head "$T/calls.log"
fi
if grep -q -e '--limit' -e '--page-size' "$T/calls.log"; then
	bad "a call limits its pages"
else
	ok "no call passes --limit or --page-size"
fi

P=$T/out/cloud-custodian
for f in projects/describe.json projects/get-iam-policy.json \
	compute/firewall-rules-list.json storage/buckets-list.json \
	iam/service-accounts-list.json kms/keyrings-list.json \
	logging/sinks-list.json \
	"iam/service-accounts-keys-list/test-cutodian-scc@cloud-custodian.iam.gserviceaccount.com.json" \
	kms/keys-list/projects_cloud-custodian_locations_us-central1_keyRings_cloud-custodian.json; do
	[ -f "$P/$f" ] || bad "missing $f"
done
[ -f "$T/out/rampart-collection.json" ] || bad "no rampart-collection.json"
[ -d "$P/kms/.rings" ] && bad "scratch folder kms/.rings left behind"
if grep -q '"status": "PERMISSION_DENIED"' "$P/sql/instances-list.json"; then
	ok "the denied call is recorded as its error"
else
	bad "sql/instances-list.json: $(head -c 200 "$P/sql/instances-list.json")"
fi
if grep -q '"status": "SERVICE_DISABLED"' "$P/logging/buckets-list.json" &&
	! grep -q buckets-list "$T/collect.err"; then
	ok "a disabled API is recorded and not counted as a failure"
else
	bad "logging/buckets-list.json: $(head -c 200 "$P/logging/buckets-list.json")"
fi

# The scan of what was collected.
"$RAMPART" scan --baseline fedramp-moderate --input "$T/out" \
	--format json --output "$T/r.json" --fixed-time 2026-12-03T00:00:00Z \
	>/dev/null 2>"$T/scan.err"
rc=$?
if [ $rc = 1 ] && python3 - "$T/r.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
st = {}
res = {}
for c in d["controls"]:
    for ch in c["checks"]:
        st[ch["id"]] = ch["status"]
        for r in ch.get("resources", []):
            res[(ch["id"], r["id"])] = r["status"]
fw = "//compute.googleapis.com/projects/cloud-custodian/global/firewalls/"
assert res[("gcp-firewall-no-admin-ports", fw + "allow-ssh")] == "fail", res
assert st["gcp-sql-require-ssl"] == "error", st["gcp-sql-require-ssl"]
assert st["gcp-sql-no-public-networks"] == "error"
assert st["gcp-logging-bucket-retention"] == "not_applicable", \
    st["gcp-logging-bucket-retention"]
assert st["gcp-iam-no-external-admins"] == "fail"
assert st["gcp-kms-key-rotation"] == "fail"
assert st["gcp-scc-enabled"] == "error", st["gcp-scc-enabled"]
assert st["gcp-orgpolicy-disable-sa-key-creation"] == "pass", \
    st["gcp-orgpolicy-disable-sa-key-creation"]
assert "pass" not in (st["gcp-sql-require-ssl"], st["gcp-sql-no-public-networks"])
PY
then
	ok "scan: firewall open to the internet fails, denied SQL listing is error, disabled logging API means no log bucket"
else
	bad "scan of the collected tree (exit $rc)"; tail -5 "$T/scan.err"
fi

# Credentials that read nothing: an early, clear stop.
GCLOUD_STUB_DENY="projects" PATH=$STUB:$PATH sh scripts/collect-gcp.sh \
	"$T/none" cloud-custodian >/dev/null 2>"$T/none.err"
rc=$?
if [ $rc = 2 ] && grep -q "can read nothing in project" "$T/none.err" &&
	! grep -q "compute firewall-rules" "$T/none.err"; then
	ok "credentials that read nothing stop the collector (exit 2)"
else
	bad "denied everything: exit $rc"; tail -2 "$T/none.err"
fi
GCLOUD_STUB_NOAUTH=1 PATH=$STUB:$PATH sh scripts/collect-gcp.sh \
	"$T/noauth" p >/dev/null 2>"$T/noauth.err"
rc=$?
if [ $rc = 2 ] && grep -q "no active account" "$T/noauth.err"; then
	ok "no active account: exit 2 before any call"
else
	bad "no account: exit $rc"
fi

[ $fails = 0 ] && echo "collect_gcp: all passed" || echo "collect_gcp: $fails failed"
[ $fails = 0 ]
