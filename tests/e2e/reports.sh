#!/bin/sh
# End-to-end: every report format from the real binary (a small baseline,
# rule pack and AWS Config export in tests/fixtures/reports), validated
# with the official schemas and standard validators: SARIF 2.1.0 and OSCAL
# assessment-results, assessment-plan and POA&M 1.1.2/1.1.3 with ajv
# (also over examples/aws-export with the example and FedRAMP Moderate
# baselines and over real recordings under ../shared/data/exports),
# the POA&M CSV's FedRAMP columns, --previous, docs/report.schema.json with
# ajv, JUnit with xmllint and junit-10.xsd; the HTML page rendered by
# headless Chromium.  Byte-identical output across runs with
# --fixed-time, identical but for timestamps without it; --output-dir;
# scan --sign with verify on each file.  The unit tests' in-memory run
# (hostile strings, every status) is dumped and validated the same way.
# Environment: RAMPART (binary), BUILD, SHARED (../shared).
set -u
R=${RAMPART:-$(pwd)/build/rampart}
BUILD=${BUILD:-build}
FIX=$(pwd)/tests/fixtures/reports
EX=$(pwd)/examples
ATT=$(pwd)/tests/fixtures/attest/attestations.yaml
VALIDATE=$(pwd)/tests/e2e/reports/validate.js
S=${SHARED:-../shared}/data/schemas
SHARED_ABS=$(cd "${SHARED:-../shared}" 2>/dev/null && pwd)
SCHEMA_JSON=$(pwd)/docs/report.schema.json
NODE_PATH=$(pwd)/tests/node/node_modules
export NODE_PATH
UNIT=$(pwd)/$BUILD/tests/test_reports
T=$(mktemp -d /tmp/rampart-e2e-reports.XXXXXX)
cleanup() { [ -n "${KEEP:-}" ] || rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
n=0 fails=0
ALL=html,json,junit,markdown,oscal,oscal-poam,poam-csv,sarif,summary-md,text
FILES="report.html report.json report.junit.xml report.md report.oscal.json
report.oscal-ap.json report.poam.oscal.json report.poam.csv report.sarif
report.txt summary.md"

ok() { n=$((n + 1)); echo "ok   $1"; }
bad() {
	n=$((n + 1)); fails=$((fails + 1)); echo "FAIL $1"
	sed 's/^/    /' "$T/err" "$T/out" 2>/dev/null | tail -n 20
}
# expect RC DESCRIPTION COMMAND...: run, compare the exit status.
expect() {
	want=$1 desc=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok "$desc"; else bad "$desc (exit $got, want $want)"; fi
}
for tool in node xmllint chromium; do
	command -v "$tool" >/dev/null ||
		{ echo "FAIL $tool is not installed (make deps-test)"; exit 1; }
done
[ -d "$NODE_PATH/ajv-draft-04" ] && [ -d "$NODE_PATH/ajv-formats" ] ||
	{ echo "FAIL ajv is not installed in tests/node (make deps-test)"; exit 1; }
[ -d "$S/sarif" ] || { echo "FAIL no schemas at $S (set SHARED)"; exit 1; }

scan() {	# scan ARGS...: the fixture scan with extra arguments
	"$R" scan --baseline "$FIX/baseline.yaml" --rules "$FIX/pack.yaml" \
	    --input "$FIX/config snapshot.json" "$@"
}

# validate_dir DIR LABEL: every format in DIR against its schema.
validate_dir() {
	d=$1 l=$2
	expect 0 "$l: SARIF valid (2.1.0 errata01 schema, ajv-draft-04)" \
		node "$VALIDATE" sarif "$S/sarif/sarif-schema-2.1.0.json" "$d/report.sarif"
	validate_oscal "$d" "$l"
	expect 0 "$l: JSON report valid (docs/report.schema.json)" \
		node "$VALIDATE" json "$SCHEMA_JSON" "$d/report.json"
	expect 0 "$l: JUnit valid (jenkins-xunit junit-10.xsd)" \
		xmllint --noout --schema "$S/junit/jenkins-xunit/junit-10.xsd" "$d/report.junit.xml"
	expect 0 "$l: HTML parses" xmllint --html --noout "$d/report.html"
	screenshot "$d/report.html" "$l"
}

# validate_oscal DIR LABEL: the OSCAL results, plan and POA&M in DIR
# against the official 1.1.2 and 1.1.3 schemas; the results import the plan.
validate_oscal() {
	for v in v1.1.2 v1.1.3; do
		expect 0 "$2: OSCAL assessment-results valid ($v)" \
			node "$VALIDATE" oscal "$S/oscal/$v/oscal_assessment-results_schema.json" "$1/report.oscal.json"
		expect 0 "$2: OSCAL assessment-plan valid ($v)" \
			node "$VALIDATE" oscal "$S/oscal/$v/oscal_assessment-plan_schema.json" "$1/report.oscal-ap.json"
		expect 0 "$2: OSCAL POA&M valid ($v)" \
			node "$VALIDATE" oscal "$S/oscal/$v/oscal_poam_schema.json" "$1/report.poam.oscal.json"
	done
	expect 0 "$2: the results import the plan beside them" node -e '
const fs = require("fs"), d = process.argv[1];
const ar = JSON.parse(fs.readFileSync(d + "/report.oscal.json"))["assessment-results"];
const ap = JSON.parse(fs.readFileSync(d + "/" + ar["import-ap"].href))["assessment-plan"];
const rc = (x) => JSON.stringify(x["reviewed-controls"]);
if (rc(ar.results[0]) !== rc(ap)) throw new Error("reviewed controls differ");
' "$1"
}

# screenshot FILE LABEL: headless Chromium renders the page.
screenshot() {
	png=$T/shot-$(echo "$2" | tr -c 'a-z0-9' '-').png
	prof=$(mktemp -d "$T/chromium.XXXXXX")
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync --user-data-dir="$prof" \
	    --window-size=1200,1600 --screenshot="$png" "file://$1" \
	    >"$T/out" 2>"$T/err"
	size=$(stat -c %s "$png" 2>/dev/null || echo 0)
	if [ "$size" -gt 20000 ] && head -c 8 "$png" | od -An -tx1 |
	    grep -q '89 50 4e 47 0d 0a 1a 0a'; then
		ok "$2: HTML rendered by headless Chromium ($size-byte PNG)"
	else
		bad "$2: HTML rendered by headless Chromium (png $size bytes)"
	fi
}

# ------------------------------------------------ the real binary, all formats
expect 1 "scan writes every format to --output-dir (not eligible: exit 1)" \
	scan --format $ALL --output-dir "$T/a" --fixed-time 2026-01-02T03:04:05Z
for f in $FILES; do
	[ -s "$T/a/$f" ] || bad "fixed name $f written"
done
ok "fixed names: $(echo $FILES | tr '\n' ' ')"
[ "$(ls "$T/a" | wc -l)" -eq "$(echo $FILES | wc -w)" ] && ok "no temporary files left" || bad "no temporary files left"
validate_dir "$T/a" "scan"

expect 1 "second run" scan --format $ALL --output-dir "$T/b" --fixed-time 2026-01-02T03:04:05Z
same=1
for f in $FILES; do cmp -s "$T/a/$f" "$T/b/$f" || { same=0; echo "    differs: $f"; }; done
[ $same -eq 1 ] && ok "--fixed-time: every format byte-identical across runs" ||
	bad "--fixed-time: every format byte-identical across runs"

# Without --fixed-time only the timestamps may differ.
expect 1 "run without --fixed-time" scan --format $ALL --output-dir "$T/c"
sleep 1
expect 1 "another run without --fixed-time" scan --format $ALL --output-dir "$T/d"
same=1
for f in $FILES; do
	for x in c d; do
		sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/TIME/g' \
		    "$T/$x/$f" >"$T/$x.norm"
	done
	cmp -s "$T/c.norm" "$T/d.norm" || { same=0; echo "    differs beyond timestamps: $f"; }
done
[ $same -eq 1 ] && ok "without --fixed-time: identical but for timestamps" ||
	bad "without --fixed-time: identical but for timestamps"

# What the formats say about this scan.
node -e '
const fs = require("fs"), d = process.argv[1];
const s = JSON.parse(fs.readFileSync(d + "/report.sarif"));
const fail = s.runs[0].results.filter((r) =>
    r.kind === "fail" && r.ruleId === "e2e-volume-encrypted");
const loc = fail[0].locations[0].physicalLocation;
if (!/config%20snapshot\.json$/.test(loc.artifactLocation.uri) ||
    loc.region.startLine !== 24 || loc.region.startColumn !== 22)
	throw new Error("location " + JSON.stringify(loc));
const rule = s.runs[0].tool.driver.rules.find((r) => r.id === "e2e-volume-tagged");
if (rule.properties.controlIds.join() !== "ac-3,sc-28")
	throw new Error("controls " + rule.properties.controlIds);
const o = JSON.parse(fs.readFileSync(d + "/report.oscal.json"))["assessment-results"];
const ids = o.results[0]["reviewed-controls"]["control-selections"][0]["include-controls"].map((c) => c["control-id"]);
const j = JSON.parse(fs.readFileSync(d + "/report.json"));
// Reviewed: the assessed controls (checks, attestation, inheritance), in
// baseline order; an open manual control is not reviewed.
const assessed = j.controls.filter((c) => c.decided_by !== "open").map((c) => c.id);
if (ids.join() !== assessed.join() || ids.includes("cm-2"))
	throw new Error("oscal control ids " + ids);
// Only a passing control is satisfied; every other one is not.
for (const f of o.results[0].findings) {
	const id = f.target["target-id"].replace(/_obj$/, "");
	const c = j.controls.find((x) => x.id === id);
	if ((f.target.status.state === "satisfied") !== (c.status === "pass"))
		throw new Error("oscal " + id + " " + c.status + " is " + f.target.status.state);
}
' "$T/a" >"$T/out" 2>"$T/err" &&
	ok "SARIF points at export file:line:col; OSCAL reviews the assessed controls, satisfied only for pass" ||
	bad "SARIF points at export file:line:col; OSCAL reviews the assessed controls, satisfied only for pass"

# One finding, one fingerprint: the JSON report's and SARIF's agree, and
# differ between findings.
node -e '
const fs = require("fs"), d = process.argv[1];
const j = JSON.parse(fs.readFileSync(d + "/report.json"));
const s = JSON.parse(fs.readFileSync(d + "/report.sarif"));
const jf = new Set();
for (const c of j.controls) for (const k of c.checks) for (const r of k.resources) {
	if (!/^[0-9a-f]{64}$/.test(r.fingerprint)) throw new Error("json " + r.fingerprint);
	jf.add(k.id + " " + r.type + " " + r.id + " " + r.fingerprint);
}
const sf = new Set(), seen = new Map();
for (const r of s.runs[0].results) {
	const fp = r.partialFingerprints["rampartFinding/v1"];
	if (r.properties.resourceId === undefined) continue;
	const key = r.ruleId.replace(/\/[0-9]+$/, "") + " " + r.properties.resourceType + " " + r.properties.resourceId;
	if (seen.has(fp) && seen.get(fp) !== key) throw new Error("collision " + fp);
	seen.set(fp, key);
	sf.add(key + " " + fp);
}
if (sf.size === 0 || [...sf].some((x) => !jf.has(x)))
	throw new Error("sarif " + [...sf].filter((x) => !jf.has(x)));
' "$T/a" >"$T/out" 2>"$T/err" &&
	ok "JSON and SARIF carry the same finding fingerprints" ||
	bad "JSON and SARIF carry the same finding fingerprints"

# Hostile strings from the export never reach a terminal or the markup raw.
scan >"$T/out" 2>"$T/err"
if tr -d '\n' <"$T/out" | LC_ALL=C grep -q '[[:cntrl:]]'; then
	bad "text report: no control characters"
else
	ok "text report: no control characters"
fi
grep -q '<script' "$T/a/report.html" && bad "HTML: tag in a tag value escaped" ||
	ok "HTML: tag in a tag value escaped"

# ------------------------------------------------- options and failures
expect 2 "several formats need --output-dir" scan --format json,sarif
expect 2 "unknown format" scan --format pdf --output-dir "$T/x"
expect 5 "--output-dir whose parent is missing" scan --format json --output-dir "$T/no/such"
expect 1 "--output FILE writes one format" scan --format sarif --output "$T/one.sarif"
expect 0 "... valid SARIF" node "$VALIDATE" sarif "$S/sarif/sarif-schema-2.1.0.json" "$T/one.sarif"

# ------------------------------------------------------------- --sign
cd "$T" || exit 1
"$R" keygen --out k >/dev/null 2>&1 || bad "keygen"
expect 2 "--sign needs a file" scan --sign k.key
expect 1 "scan --sign signs every report written" \
	scan --format $ALL --output-dir "$T/s" --sign k.key --fixed-time 2026-01-02T03:04:05Z
okv=1
for f in $FILES; do
	[ -s "$T/s/$f.sigstore.json" ] || { okv=0; echo "    no bundle for $f"; continue; }
	"$R" verify "$T/s/$f" --key k.pub >"$T/out" 2>"$T/err" || { okv=0; echo "    verify failed: $f"; }
done
[ $okv -eq 1 ] && ok "a verified bundle beside each of the 10 reports" ||
	bad "a verified bundle beside each of the 10 reports"
expect 0 "signed reports equal unsigned ones (--fixed-time)" cmp "$T/a/report.json" "$T/s/report.json"
printf ' ' >>"$T/s/report.html"
expect 1 "an edited report no longer verifies" "$R" verify "$T/s/report.html" --key k.pub

# ------------------------------------- OSCAL the way FedRAMP reads it
OSC="--format oscal,oscal-poam,poam-csv --fixed-time 2026-12-01
    --assessor Jane_Assessor --system Example_Cloud"
# shellcheck disable=SC2086
expect 1 "example export, example baseline and POA&M: OSCAL outputs" \
	"$R" scan --baseline example --input "$EX/aws-export" --poam "$EX/poam.yaml" \
	$OSC --output-dir "$T/ex"
validate_oscal "$T/ex" "example"
# shellcheck disable=SC2086
expect 1 "example export, FedRAMP Moderate: OSCAL outputs" \
	"$R" scan --baseline fedramp-moderate --input "$EX/aws-export" \
	$OSC --output-dir "$T/mod"
validate_oscal "$T/mod" "fedramp-moderate"
# Every shipped FedRAMP baseline, not only Moderate.
for b in fedramp-low fedramp-high fedramp-li-saas; do
	# shellcheck disable=SC2086
	expect 1 "example export, $b: OSCAL outputs" \
		"$R" scan --baseline $b --input "$EX/aws-export" \
		$OSC --output-dir "$T/$b"
	validate_oscal "$T/$b" "$b"
done
# shellcheck disable=SC2086
expect 1 "the same scan again" \
	"$R" scan --baseline fedramp-moderate --input "$EX/aws-export" \
	$OSC --output-dir "$T/mod2"
same=1
for f in report.oscal.json report.oscal-ap.json report.poam.oscal.json report.poam.csv; do
	cmp -s "$T/mod/$f" "$T/mod2/$f" || { same=0; echo "    differs: $f"; }
done
[ $same -eq 1 ] && ok "OSCAL and POA&M outputs byte-identical across runs (--fixed-time)" ||
	bad "OSCAL and POA&M outputs byte-identical across runs (--fixed-time)"
for x in custodian-placebo/test_ssl_ciphers custodian-aws-config/config/s3.json; do
	in=$SHARED_ABS/data/exports/$x
	if [ -e "$in" ]; then
		# shellcheck disable=SC2086
		expect 1 "real export $x: OSCAL outputs" \
			"$R" scan --baseline fedramp-moderate --input "$in" $OSC \
			--max-evidence-age 0 --output-dir "$T/real"
		validate_oscal "$T/real" "real export $x"
	else
		echo "skip real export $x (set SHARED)"
	fi
done
# An attestation is an EXAMINE observation behind its control's finding.
expect 1 "attested control: OSCAL outputs" \
	"$R" scan --baseline fedramp-moderate --input "$EX/aws-export" --attest "$ATT" \
	--format oscal --fixed-time 2025-06-01 --output-dir "$T/att"
for v in v1.1.2 v1.1.3; do
	expect 0 "attested: OSCAL assessment-results valid ($v)" \
		node "$VALIDATE" oscal "$S/oscal/$v/oscal_assessment-results_schema.json" "$T/att/report.oscal.json"
done
expect 0 "attestation: EXAMINE observation linked from the control's finding" node -e '
const fs = require("fs");
const r = JSON.parse(fs.readFileSync(process.argv[1]))["assessment-results"].results[0];
const ob = r.observations.find((o) => o.title === "attestation of AC-1");
if (!ob || ob.methods[0] !== "EXAMINE" || ob.collected !== "2025-01-15T00:00:00Z")
	throw new Error(JSON.stringify(ob));
const f = r.findings.find((x) => x.target["target-id"] === "ac-1_obj");
if (!f["related-observations"].some((x) => x["observation-uuid"] === ob.uuid))
	throw new Error("not linked");
' "$T/att/report.oscal.json"

# POA&M items: failed and errored findings, none for the log groups an
# approved deviation closes; the CSV has the template's columns.
expect 0 "POA&M items: failed and errored, none for approved deviations" node -e '
const fs = require("fs"), d = process.argv[1];
const p = JSON.parse(fs.readFileSync(d + "/report.poam.oscal.json"))["plan-of-action-and-milestones"];
const props = (it) => Object.fromEntries(it.props.map((x) => [x.name, x.value]));
const items = p["poam-items"].map(props);
const st = new Set(p.observations.map((o) => o.props.find((x) => x.name === "status").value));
if (!st.has("fail") || !st.has("error")) throw new Error("statuses " + [...st]);
if (items.some((i) => i["weakness-source-identifier"] === "aws-logs-retention" &&
    /^c7n-test-/.test(i["asset-identifier"])))
	throw new Error("an item for a finding closed by an approved deviation");
const acm = items.filter((i) => i["POAM-ID"].startsWith("POAM-2024-031"));
if (acm.length === 0 || acm[0]["original-detection-date"] !== "2025-01-05T00:00:00Z" ||
    acm[0]["scheduled-completion-date"] !== "2025-02-04T00:00:00Z")
	throw new Error("expired POA&M item fields " + JSON.stringify(acm[0]));
const ids = items.map((i) => i["POAM-ID"]);
if (new Set(ids).size !== ids.length) throw new Error("duplicate POAM-ID");
const csv = fs.readFileSync(d + "/report.poam.csv", "utf8").split("\r\n");
const head = "\"POAM ID\",\"Controls\",\"Weakness Name\",\"Weakness Description\"," +
    "\"Weakness Detector Source\",\"Weakness Source Identifier\",\"Asset Identifier\"," +
    "\"Point of Contact\"";
if (!csv[0].startsWith(head)) throw new Error("csv header " + csv[0]);
if (csv.length - 2 !== items.length) throw new Error("csv rows " + (csv.length - 2) + " items " + items.length);
' "$T/ex"
# --previous: the first-seen date carries over; a bad file is refused.
# (The recorded examples and real exports are older than the default
# evidence age at these times: that rule is tested in scan.sh.)
# shellcheck disable=SC2086
expect 1 "a later scan with --previous" \
	"$R" scan --baseline fedramp-moderate --input "$EX/aws-export" \
	--format oscal-poam --fixed-time 2027-01-15 --max-evidence-age 0 \
	--previous "$T/mod/report.poam.oscal.json" \
	--output "$T/later.json"
expect 0 "--previous carries the original detection date" node -e '
const fs = require("fs");
const p = JSON.parse(fs.readFileSync(process.argv[1]))["plan-of-action-and-milestones"];
for (const it of p["poam-items"]) {
	const v = Object.fromEntries(it.props.map((x) => [x.name, x.value]));
	if (v["original-detection-date"] !== "2026-12-01T00:00:00Z" || v["first-seen-from"] !== "previous")
		throw new Error(JSON.stringify(v));
}
' "$T/later.json"
echo '{"assessment-results": {}}' >"$T/notpoam.json"
expect 3 "--previous that is not a POA&M is invalid input" \
	"$R" scan --baseline fedramp-moderate --input "$EX/aws-export" \
	--format oscal-poam --previous "$T/notpoam.json" --output "$T/x.json"

# ------------------------------- the unit tests' in-memory run (every status)
if [ -x "$UNIT" ]; then
	mkdir -p "$T/u"
	expect 0 "unit fixture dumped" env RAMPART_REPORTS_DUMP="$T/u" "$UNIT" test_dump
	validate_dir "$T/u" "fixture"
else
	echo "skip unit fixture ($UNIT not built)"
fi

echo "reports: $n checks, $fails failed"
[ $fails -eq 0 ]
