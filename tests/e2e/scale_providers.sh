#!/bin/sh
# Shards and merge over every provider (issue 18: "on exports from every
# supported provider"), on the real binary and real recordings kept in
# tests/fixtures: the AWS example export, Azure Resource Graph/ARM
# recordings, Google Cloud gcloud and Cloud Asset recordings, an OCI
# tenancy, a Kubernetes cluster dump and manifests, and Terraform plans.
#  1. one scan of all of them with --jobs 1 and --jobs 2: every format
#     byte-identical;
#  2. --shard K/N for N = 1, 2, 3, 7, then `rampart merge`: the merged
#     report equals the one scan field for field
#     (tests/e2e/scale_compare.py), with the default cap and with
#     --max-results 1, and the merged text report equals the one scan's.
# Run from the repository root with $RAMPART set.
set -u
R=${RAMPART:-build/rampart}
T=$(mktemp -d /tmp/rampart-scale-prov-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
fails=0
CMP="python3 tests/e2e/scale_compare.py"
BL="--baseline fedramp-moderate --fixed-time 2026-11-27T00:00:00Z --max-evidence-age 0"
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

AZ=tests/fixtures/azure/recordings
GC=tests/fixtures/gcp/real
TF=tests/fixtures/terraform/real
cat >"$T/list.txt" <<LIST
examples/aws-export
$AZ/AccessControlTest.test_find_assignments_by_role
$AZ/DefenderTest.test_azure_defender_pricing
$GC/gcpdiag-gce1-aaaa
$GC/gcpdiag-gcs1-aaaa
$GC/cloud-custodian-firewall-get
tests/fixtures/oci/tenancy
tests/fixtures/k8s/cluster
examples/k8s
$TF/terragoat.json
$TF/nested_modules.json
examples/ci/pre-deploy/plan.json
LIST
while read -r p; do
	[ -e "$p" ] || bad "missing input $p"
done <"$T/list.txt"

# 1. --jobs: the same bytes whatever the number of workers.
for j in 1 2; do
	"$R" scan $BL --inputs-from "$T/list.txt" --jobs $j \
		--format json,text,sarif,junit,markdown --output-dir "$T/j$j" \
		>/dev/null 2>"$T/j$j.err"
	case $? in 0|1|4) ;; *) bad "scan --jobs $j failed"; cat "$T/j$j.err";; esac
done
if diff -r "$T/j1" "$T/j2" >/dev/null && cmp -s "$T/j1.err" "$T/j2.err"
then ok "--jobs 1 and --jobs 2 give the same reports over six providers"
else bad "--jobs 1 and --jobs 2 differ"; diff -r "$T/j1" "$T/j2" | head -5; fi
python3 - "$T/j1/report.json" <<'PY' && ok "the one scan holds every provider" || bad "a provider is missing from the scan"
import json, sys
r = json.load(open(sys.argv[1]))
seen = set()
for i in r["inputs"]:
    seen.update(i.get("providers", []))
want = {"aws", "azure", "gcp", "oci", "kubernetes"}
assert want <= seen, (want - seen, seen)
# Terraform plans are read by their own adapter.
assert any(i["format"] == "terraform-plan" for i in r["inputs"]), r["inputs"]
PY

# 2. Shards, merged, equal the one scan.
for cap in 1000 1; do
	"$R" scan $BL --inputs-from "$T/list.txt" --max-results $cap \
		--format json --output "$T/one-$cap.json" 2>/dev/null
	for n in 1 2 3 7; do
		mkdir -p "$T/s$n-$cap"
		k=1
		while [ $k -le $n ]; do
			"$R" scan $BL --inputs-from "$T/list.txt" --shard "$k/$n" \
				--max-results $cap --format json \
				--output "$T/s$n-$cap/$k.json" 2>"$T/err"
			case $? in 0|1|4) ;; *) bad "shard $k/$n failed"; cat "$T/err";; esac
			k=$((k + 1))
		done
		"$R" merge "$T"/s$n-$cap/*.json --format json \
			--output "$T/m$n-$cap.json" 2>"$T/err"
		case $? in 0|1|4) ;; *) bad "merge of $n failed"; cat "$T/err";; esac
		if $CMP "$T/one-$cap.json" "$T/m$n-$cap.json"; then
			ok "merge of $n shards = one scan over six providers (cap $cap)"
		else bad "merge of $n shards differs from one scan (cap $cap)"; fi
	done
done
"$R" merge "$T"/s3-1000/*.json --format text >"$T/m3.txt" 2>/dev/null
if cmp -s "$T/m3.txt" "$T/j1/report.txt"; then ok "merged text report = one scan's"
else bad "merged text report differs"; diff "$T/j1/report.txt" "$T/m3.txt" | head -5; fi

echo "scale_providers: $fails failure(s)"
[ "$fails" -eq 0 ]
