#!/bin/sh
# End-to-end: rampart on the real Google Cloud recordings.
#
# 1. When ../shared (SHARED, default /work/shared) holds the recordings,
#    tests/fixtures/gcp/convert.py is run again and its output must equal
#    the committed copy in tests/fixtures/gcp/real (skipped otherwise).
# 2. A scan of the committed copy (gcpdiag dumps and custodian flights in
#    the gcloud layout) and of the Cloud Asset dumps (forseti, shipped
#    under ../shared; skipped when absent) reports what the data shows:
#    gcpdiag gce1's default-allow-ssh/rdp open 22/3389 to the internet
#    while the deny for tag secured-instance covers nothing else; the
#    custodian-test project grants roles/owner to a gmail.com user; every
#    Cloud SQL instance of gcpdiag cloudsql2 accepts unencrypted
#    connections; the custodian KMS key never rotates; gcpdiag's destroyed
#    key is not applicable; buckets whose IAM policy was not exported are
#    error for the public-access check, never pass; GKE gke1's control
#    plane has no authorised networks; cloudsql2's sql1 takes no backups;
#    search-all-resources output is error (a summary, not a
#    configuration).
set -u
RAMPART=${RAMPART:-build/rampart}
SHARED=${SHARED:-/work/shared}
EXP=$SHARED/data/exports
T=$(mktemp -d /tmp/rampart-gcp-real-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

if [ -d "$EXP/gcpdiag-json-dumps" ] && [ -d "$EXP/custodian-gcp-flights" ]; then
	python3 tests/fixtures/gcp/convert.py "$EXP" "$T/conv" &&
		if diff -r "$T/conv" tests/fixtures/gcp/real >"$T/diff"; then
			ok "convert.py output equals the committed tests/fixtures/gcp/real"
		else
			bad "convert.py output differs:"; head "$T/diff"
		fi
else
	echo "skip convert.py comparison: $EXP absent"
fi

"$RAMPART" scan --baseline fedramp-moderate --input tests/fixtures/gcp/real \
	--format json --output "$T/real.json" --max-evidence-age 0 \
	>/dev/null 2>"$T/real.err"
rc=$?
if [ $rc = 1 ] && python3 - "$T/real.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
res, st = {}, {}
for c in d["controls"]:
    for ch in c["checks"]:
        if ch["id"] in st:
            continue  # a check bound to several controls
        st[ch["id"]] = ch["status"]
        for r in ch.get("resources", []):
            res.setdefault((ch["id"], r["id"]), []).append(r["status"])
G1 = "//compute.googleapis.com/projects/gcpdiag-gce1-aaaa/global/firewalls/"
a = "gcp-firewall-no-admin-ports"
assert "fail" in res[(a, G1 + "default-allow-ssh")]
assert "fail" in res[(a, G1 + "default-allow-rdp")]
assert res[(a, G1 + "gce-secured-instance-test-deny")] == ["pass"]
assert res[(a, G1 + "gke-gke1-f36cf6dd-ssh")] == ["pass"]
P = "//cloudresourcemanager.googleapis.com/projects/"
assert res[("gcp-iam-no-external-admins", P + "custodian-test")] == ["fail"]
assert res[("gcp-iam-no-primitive-roles-to-users",
            P + "gcpdiag-gce3-aaaa")] == ["fail"]
S = "//cloudsql.googleapis.com/projects/gcpdiag-cloudsql2-aaaa/instances/"
for i in range(1, 7):
    assert res[("gcp-sql-require-ssl", S + "sql%d" % i)] == ["fail"]
K = "//cloudkms.googleapis.com/projects/"
assert res[("gcp-kms-key-rotation", K + "cloud-custodian/locations/"
            "us-central1/keyRings/cloud-custodian/cryptoKeys/"
            "cloud-custodian")] == ["fail"]
assert res[("gcp-kms-key-rotation", K + "gcpdiag-gke1-aaaa/locations/"
            "us-central1/keyRings/usckr/cryptoKeys/kms-key-destroyed")] == \
    ["not_applicable"]
B = "//storage.googleapis.com/"
assert res[("gcp-iam-no-public-members", B + "gcpdiag-gcs1bucket2-aaaa")] == \
    ["error"]
assert res[("gcp-iam-no-public-members", B + "gcpdiag-gcs1bucket-aaaa")] == \
    ["pass"]
assert st["gcp-iam-no-public-members"] == "error"
assert st["gcp-https-proxy-ssl-policy"] == "fail"
assert st["gcp-sa-key-age"] in ("fail",)
C = "//container.googleapis.com/projects/gcpdiag-gke1-aaaa/zones/europe-west4-a/clusters/"
assert res[("gcp-gke-master-authorized-networks", C + "gke1")] == ["fail"]
assert res[("gcp-gke-legacy-abac-disabled", C + "gke1")] == ["pass"]
assert res[("gcp-sql-backups-enabled", S + "sql1")] == ["fail"]
assert res[("gcp-sql-backups-enabled", S + "sql3")] == ["pass"]
C = "//container.googleapis.com/projects/gcpdiag-gke1-aaaa/zones/europe-west4-a/clusters/"
assert res[("gcp-gke-master-authorized-networks", C + "gke1")] == ["fail"]
assert res[("gcp-gke-legacy-abac-disabled", C + "gke1")] == ["pass"]
assert res[("gcp-sql-backups-enabled", S + "sql1")] == ["fail"]
assert res[("gcp-sql-backups-enabled", S + "sql3")] == ["pass"]
PY
then
	ok "gcloud layout of the real recordings: the findings the data shows"
else
	bad "scan of tests/fixtures/gcp/real (exit $rc)"; tail -3 "$T/real.err"
fi

FO=$EXP/forseti-cai
if [ -d "$FO" ]; then
	"$RAMPART" scan --baseline fedramp-moderate \
		--input "$FO/mock_cai_resources.dump" \
		--input "$FO/mock_cai_iam_policies.dump" \
		--input "$FO/mock_cai_org_policies.dump" --format json \
		--output "$T/cai.json" --max-evidence-age 0 >/dev/null 2>"$T/cai.err"
	rc=$?
	if [ $rc = 1 ] && python3 - "$T/cai.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
res, st = {}, {}
assert all(i["format"] == "gcp-asset" for i in d["inputs"])
for c in d["controls"]:
    for ch in c["checks"]:
        st[ch["id"]] = ch["status"]
        for r in ch.get("resources", []):
            res[(ch["id"], r["id"])] = (r["status"], r.get("account"))
F = "//compute.googleapis.com/projects/project2/global/firewalls/"
assert res[("gcp-firewall-no-admin-ports", F + "default-allow-rdp")] == \
    ("fail", "project2")
assert st["gcp-subnet-flow-logs"] == "fail"
assert st["gcp-orgpolicy-disable-sa-key-creation"] == "fail"
assert st["gcp-kms-key-rotation"] == "pass"
# an asset export cannot show it was not narrowed: no asset, no listing
assert st["gcp-ssl-policy-min-tls"] == "error"
PY
	then
		ok "forseti Cloud Asset dumps: open RDP in project2, no flow logs, SA keys allowed"
	else
		bad "scan of forseti CAI dumps (exit $rc)"; tail -3 "$T/cai.err"
	fi
	"$RAMPART" scan --baseline fedramp-moderate \
		--input "$EXP/gcpdiag-json-dumps/cloudasset1/search-all-resources-us-central1.json" \
		--format json --output "$T/s.json" --max-evidence-age 0 \
		>/dev/null 2>"$T/s.err"
	rc=$?
	if [ $rc = 4 ] && python3 - "$T/s.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
st = {ch["id"]: ch for c in d["controls"] for ch in c["checks"]}
r = st["gcp-subnet-flow-logs"]
assert r["status"] == "error", r["status"]
assert "search-all-resources" in r["resources"][0]["message"]
PY
	then
		ok "search-all-resources output: error, never pass"
	else
		bad "search-all-resources scan (exit $rc)"; tail -3 "$T/s.err"
	fi
else
	echo "skip Cloud Asset scans: $FO absent"
fi

[ $fails = 0 ] && echo "gcp_real: all passed" || echo "gcp_real: $fails failed"
[ $fails = 0 ]
