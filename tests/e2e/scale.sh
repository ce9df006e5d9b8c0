#!/bin/sh
# End-to-end organisation scale (issue 18, docs/scale.md) on the real
# binary, over real recordings: the example export, every case directory
# of tests/fixtures/aws-checks (real placebo recordings, one small account
# each), tests/fixtures/config (real AWS Config items) and, when $SHARED
# is there, the shared custodian-aws-config recordings read in place.
#  1. --jobs 1, 2, 3, 7: every report format and the diagnostics are
#     byte-identical; --inputs-from and --input-each give the same report
#     as the same inputs given with --input;
#  2. --shard K/N then `rampart merge`: the merged report equals the one
#     scan field for field (tests/e2e/scale_compare.py) for N = 1, 2, 3, 7,
#     with the default result cap and with --max-results 1; the shards
#     partition the inputs (each once);
#  3. merge refuses a missing shard, a duplicated shard, a mismatched
#     baseline, mismatched options, shards without --fixed-time, a report
#     that is no shard, a tampered shard under --key; a signed merge
#     verifies and its statement pins every shard report's digest;
#  4. TLS targets split by --shard (closed loopback ports: deterministic
#     errors) merge into the same decision as one scan;
#  5. the same --jobs and merge checks over every provider: AWS, Azure,
#     Google Cloud, OCI, Kubernetes and Terraform recordings together.
# Run from the repository root with $RAMPART set.
set -u
RAMPART=${RAMPART:-build/rampart}
R=$RAMPART
T=$(mktemp -d /tmp/rampart-scale-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
fails=0
NOW=2026-11-27T00:00:00Z
CMP="python3 tests/e2e/scale_compare.py"
KEYS=tests/fixtures/sign
chmod 600 $KEYS/*.key 2>/dev/null

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
# expect WANT-RC DESC CMD...: stdout in $T/out, stderr in $T/err
expect() {
	want=$1 desc=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" = "$want" ]; then ok "$desc (exit $rc)"
	else bad "$desc: exit $rc, want $want"; sed 's/^/    /' "$T/err" | head -5; fi
}
has_err() { # TEXT DESC: the last stderr says TEXT
	if grep -q -- "$1" "$T/err"; then ok "$2"
	else bad "$2: stderr lacks '$1'"; sed 's/^/    /' "$T/err" | head -5; fi
}

# ------------------------------------------------------------ the inputs
SHARED=${SHARED:-../shared}
SHAREDCFG=""
if [ -d "$SHARED/data/exports/custodian-aws-config/config" ]; then
	SHAREDCFG=$(ls "$SHARED"/data/exports/custodian-aws-config/config/*.json)
else
	echo "note: no shared exports at $SHARED (set SHARED): fixtures only"
fi
# Case directories hold an `expect` file the adapter warns about: copy
# them without it, so the scans below are free of warnings.
mkdir -p "$T/accounts"
for d in tests/fixtures/aws-checks/*/*/; do
	n=$(echo "$d" | sed 's|tests/fixtures/aws-checks/||; s|/$||; s|/|--|')
	cp -r "$d" "$T/accounts/$n"
	rm -f "$T/accounts/$n/expect"
done
cp -r examples/aws-export "$T/accounts/zz-example"
{
	echo "# every account directory, then the AWS Config recordings"
	for d in "$T"/accounts/*; do echo "$d"; done
	echo ""
	for f in tests/fixtures/config/*.json; do echo "  $f  "; done
	# The shared real AWS Config recordings, read in place when present.
	for f in $SHAREDCFG; do echo "$f"; done
} >"$T/list.txt"
NIN=$(grep -c '^[^#]' "$T/list.txt")
ARGS=""
for d in "$T"/accounts/*; do ARGS="$ARGS --input $d"; done
for f in tests/fixtures/config/*.json $SHAREDCFG; do ARGS="$ARGS --input $f"; done
BL="--baseline fedramp-moderate --fixed-time $NOW --poam examples/poam.yaml"
echo "# $NIN inputs"

# ------------------------------------------------------- 1. --jobs N
FMTS=json,text,sarif,markdown,html,junit,oscal
for j in 1 2 3 7; do
	expect 1 "scan --jobs $j of $NIN inputs" \
		"$R" scan $BL --inputs-from "$T/list.txt" --jobs $j \
		--format $FMTS --output-dir "$T/jobs$j"
	cp "$T/err" "$T/jobs$j.err"
done
for j in 2 3 7; do
	if diff -r "$T/jobs1" "$T/jobs$j" >/dev/null &&
		cmp -s "$T/jobs1.err" "$T/jobs$j.err"; then
		ok "--jobs $j: every format and the diagnostics byte-identical to --jobs 1"
	else
		bad "--jobs $j differs from --jobs 1"
		diff -r "$T/jobs1" "$T/jobs$j" | head -5
	fi
done
expect 1 "the same inputs with --input" "$R" scan $BL $ARGS --jobs 2 \
	--format json --output "$T/byinput.json"
if cmp -s "$T/byinput.json" "$T/jobs1/report.json"; then
	ok "--inputs-from (comments, blank lines, blanks) = --input list"
else bad "--inputs-from and --input give different reports"; fi
expect 1 "--input-each DIR" "$R" scan $BL --input-each "$T/accounts" \
	$(for f in tests/fixtures/config/*.json $SHAREDCFG; do printf ' --input %s' "$f"; done) \
	--jobs 3 --format json --output "$T/each.json"
if cmp -s "$T/each.json" "$T/jobs1/report.json"; then
	ok "--input-each DIR (sorted entries) = --input list"
else bad "--input-each gives another report"; fi
python3 - "$T/jobs1/report.json" "$NIN" <<'EOF' && ok "report lists every input, accounts recorded" || bad "inputs or accounts missing"
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["inputs"]) == int(sys.argv[2]), len(r["inputs"])
assert any(i.get("account") == "644160558196" for i in r["inputs"])
EOF
expect 2 "--jobs 0 is a usage error" "$R" scan $BL --input examples/aws-export --jobs 0
expect 2 "--shard 3/2 is a usage error" "$R" scan $BL --input examples/aws-export --shard 3/2
expect 2 "--inputs-from a missing file" "$R" scan $BL --inputs-from "$T/nope"

# ------------------------------------------------ 2. shards and merge
shards() { # LIST N OUTDIR EXTRA...: scan every shard of N into OUTDIR/K.json
	list=$1 n=$2 out=$3; shift 3
	mkdir -p "$out"
	k=1
	while [ $k -le "$n" ]; do
		"$R" scan $BL --inputs-from "$list" --shard "$k/$n" \
			--format json --output "$out/$k.json" "$@" 2>"$T/err"
		case $? in 0|1|4) ;; *) bad "shard $k/$n failed"; cat "$T/err";; esac
		k=$((k + 1))
	done
}
# merge_equals LIST TAG: for the default cap and --max-results 1, the
# merge of 1, 2, 3 and 7 shards of LIST equals one scan field for field
# (in $T/TAG-one-CAP.json, $T/TAG-sN-CAP/ and $T/TAG-mN-CAP.json), and
# the text report of the merge of 3 is the one scan's.
merge_equals() {
	list=$1 tag=$2
	for cap in 1000 1; do
		expect 1 "$tag: one scan (--max-results $cap)" "$R" scan $BL \
			--inputs-from "$list" --max-results $cap --format json \
			--output "$T/$tag-one-$cap.json"
		for n in 1 2 3 7; do
			shards "$list" $n "$T/$tag-s$n-$cap" --max-results $cap
			expect 1 "$tag: merge of $n shards (--max-results $cap)" \
				"$R" merge "$T"/$tag-s$n-$cap/*.json --format json \
				--output "$T/$tag-m$n-$cap.json"
			if $CMP "$T/$tag-one-$cap.json" "$T/$tag-m$n-$cap.json"; then
				ok "$tag: merge of $n shards = one scan, field for field (cap $cap)"
			else bad "$tag: merge of $n shards differs from one scan (cap $cap)"; fi
		done
	done
	"$R" merge "$T"/$tag-s3-1000/*.json --format text >"$T/$tag-m3.txt" 2>/dev/null
	"$R" scan $BL --inputs-from "$list" --format text >"$T/$tag-one.txt" 2>/dev/null
	if cmp -s "$T/$tag-m3.txt" "$T/$tag-one.txt"; then ok "$tag: merged text report = one scan's"
	else bad "$tag: merged text report differs"; diff "$T/$tag-one.txt" "$T/$tag-m3.txt" | head -5; fi
}
merge_equals "$T/list.txt" aws
python3 - "$T" "$NIN" <<'EOF' && ok "the 7 shards partition the inputs" || bad "shards overlap or miss inputs"
import json, sys
t, n = sys.argv[1], int(sys.argv[2])
seen = []
for k in range(1, 8):
    r = json.load(open(f"{t}/aws-s7-1000/{k}.json"))
    assert r["shard"]["index"] == k and r["shard"]["of"] == 7
    assert r["shard"]["total_inputs"] == n
    seen += [i["ordinal"] for i in r["inputs"]]
assert sorted(seen) == list(range(n)), sorted(seen)
EOF

# ------------------------------------------------------ 3. refusals
S=$T/aws-s3-1000
expect 3 "merge refuses a missing shard" "$R" merge "$S/1.json" "$S/3.json"
has_err "shard 2 of 3 is missing" "  ... and names it"
expect 3 "merge refuses a duplicated shard" "$R" merge "$S/1.json" "$S/2.json" "$S/2.json"
has_err "given twice" "  ... and says so"
expect 3 "merge refuses shards of another N" "$R" merge "$S/1.json" "$S/2.json" "$T/aws-s2-1000/2.json"
mkdir -p "$T/mix"
"$R" scan --baseline fedramp-low --fixed-time $NOW --poam examples/poam.yaml \
	--inputs-from "$T/list.txt" --shard 2/3 --format json \
	--output "$T/mix/2-low.json" 2>/dev/null
expect 3 "merge refuses a mismatched baseline" "$R" merge "$S/1.json" "$T/mix/2-low.json" "$S/3.json"
has_err "baseline 'fedramp-low'" "  ... naming both baselines"
"$R" scan $BL --inputs-from "$T/list.txt" --shard 2/3 --max-results 5 \
	--format json --output "$T/mix/2-cap.json" 2>/dev/null
expect 3 "merge refuses mismatched options" "$R" merge "$S/1.json" "$T/mix/2-cap.json" "$S/3.json"
has_err "options" "  ... naming the options"
"$R" scan --baseline fedramp-moderate --poam examples/poam.yaml \
	--inputs-from "$T/list.txt" --shard 1/1 --format json \
	--output "$T/mix/nofixed.json" 2>/dev/null
expect 3 "merge refuses shards without --fixed-time" "$R" merge "$T/mix/nofixed.json"
has_err "fixed-time" "  ... asking for --fixed-time"
expect 3 "merge refuses a report that is no shard" "$R" merge "$T/aws-one-1000.json"
python3 - "$S/2.json" "$T/mix/2-v.json" <<'EOF2'
import json, sys
r = json.load(open(sys.argv[1]))
r["rampart"]["version"] = "0.0.1"
json.dump(r, open(sys.argv[2], "w"))
EOF2
expect 3 "merge refuses a shard of another rampart version" "$R" merge "$S/1.json" "$T/mix/2-v.json" "$S/3.json"
has_err "made by rampart 0.0.1" "  ... naming the version"
# Signed shards: valid ones merge; a tampered one is refused.
mkdir -p "$T/signed"
k=1
while [ $k -le 2 ]; do
	"$R" scan $BL --inputs-from "$T/list.txt" --shard $k/2 --format json \
		--output "$T/signed/$k.json" --sign $KEYS/test.key 2>/dev/null
	k=$((k + 1))
done
expect 1 "merge verifies signed shards (--key)" "$R" merge "$T"/signed/1.json \
	"$T"/signed/2.json --key $KEYS/test.pub --format json \
	--output-dir "$T/merged" --sign $KEYS/test.key
expect 0 "the signed merged report verifies" "$R" verify "$T/merged/report.json" --key $KEYS/test.pub
python3 - "$T" <<'EOF' && ok "the merged statement pins both shard reports' digests" || bad "shard reports not pinned"
import base64, hashlib, json, sys
t = sys.argv[1]
b = json.load(open(f"{t}/merged/report.json.sigstore.json"))
st = json.loads(base64.b64decode(b["dsseEnvelope"]["payload"]))
cfg = st["predicate"]["configuration"]
pins = {c["digest"]["sha256"] for c in cfg if c["annotations"]["role"] == "shard-report"}
want = {hashlib.sha256(open(f"{t}/signed/{k}.json", "rb").read()).hexdigest() for k in (1, 2)}
assert pins == want, (pins, want)
EOF
expect 3 "merge with the wrong key refuses" "$R" merge "$T"/signed/1.json \
	"$T"/signed/2.json --key $KEYS/test-ed25519.pub
# One more byte (valid JSON still): the signed digest no longer matches.
{ cat "$T/signed/2.json"; echo " "; } >"$T/signed/2t.json"
cp "$T/signed/2.json.sigstore.json" "$T/signed/2t.json.sigstore.json"
expect 3 "merge refuses a tampered signed shard" "$R" merge "$T"/signed/1.json \
	"$T"/signed/2t.json --key $KEYS/test.pub
has_err "signature does not verify" "  ... because its signature fails"

# ----------------------------------------------- 4. TLS targets split
# Closed loopback ports: each endpoint is an `error` (connection
# refused), the same in every shard and in the one scan.
TL=""
for p in 1 2 3 4 5 6 7 9; do TL="$TL --tls 127.0.0.1:$p"; done
expect 4 "one scan of 8 TLS targets" "$R" scan --baseline fedramp-moderate \
	--fixed-time $NOW $TL --tls-timeout 2 --format json --output "$T/tls-one.json"
mkdir -p "$T/tls"
for k in 1 2 3; do
	"$R" scan --baseline fedramp-moderate --fixed-time $NOW $TL --tls-timeout 2 \
		--shard $k/3 --format json --output "$T/tls/$k.json" 2>/dev/null
done
expect 4 "merge of 3 TLS shards" "$R" merge "$T"/tls/*.json --format json --output "$T/tls-m.json"
if $CMP --decisions "$T/tls-one.json" "$T/tls-m.json"; then
	ok "TLS shards merged: same verdict, control and check statuses, counts"
else bad "TLS shards merged decide otherwise"; fi
python3 - "$T" <<'EOF' && ok "the TLS shards partition the 8 targets" || bad "TLS targets not partitioned"
import json, sys
t = sys.argv[1]
n = [json.load(open(f"{t}/tls/{k}.json"))["shard"]["targets"] for k in (1, 2, 3)]
assert sum(n) == 8, n
EOF

# ------------------------------------------------ 5. every provider
# Issue 18 asks for merge = one run "on exports from every supported
# provider": AWS, Azure (ARM recordings), Google Cloud (gcloud and Cloud
# Asset recordings), an OCI tenancy, a Kubernetes dump and manifests and
# Terraform plans, scanned together.
AZ=tests/fixtures/azure/recordings
GC=tests/fixtures/gcp/real
TF=tests/fixtures/terraform/real
cat >"$T/providers.txt" <<LIST
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
for j in 1 2; do
	"$R" scan $BL --inputs-from "$T/providers.txt" --jobs $j \
		--format json,text,sarif,junit,markdown --output-dir "$T/pj$j" \
		>/dev/null 2>"$T/pj$j.err"
done
if diff -r "$T/pj1" "$T/pj2" >/dev/null && cmp -s "$T/pj1.err" "$T/pj2.err"
then ok "every provider: --jobs 1 and --jobs 2 give the same reports"
else bad "every provider: --jobs 1 and --jobs 2 differ"; diff -r "$T/pj1" "$T/pj2" | head -5; fi
python3 - "$T/pj1/report.json" <<'EOF' && ok "every provider is in the scan" || bad "a provider is missing from the scan"
import json, sys
r = json.load(open(sys.argv[1]))
seen = set()
for i in r["inputs"]:
    seen.update(i.get("providers", []))
want = {"aws", "azure", "gcp", "oci", "kubernetes"}
assert want <= seen, (want - seen, seen)
# Terraform plans are read by their own adapter.
assert any(i["format"] == "terraform-plan" for i in r["inputs"]), r["inputs"]
EOF
merge_equals "$T/providers.txt" providers

echo "scale: $fails failure(s)"
[ "$fails" = 0 ]
