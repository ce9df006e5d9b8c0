#!/bin/sh
# End-to-end: rampart marketplace and rampart place on the real binary and
# the real 2026-04-28 FedRAMP Marketplace feed (the compact copy shipped in
# rules/marketplace/; ../shared's original when present): decisions for the
# example workloads, tenancy evidence from real signed `rampart scan`
# reports (eligible, incomplete, not eligible, wrong baseline, --gate
# checks, tampered, unsigned, signed by an untrusted key), a feed with an
# unknown status, malformed feeds, and signed placement reports verified
# with `rampart verify` and with plain openssl + jq.
# Environment: RAMPART (binary), SHARED (../shared, optional).
set -u
R=${RAMPART:-$(pwd)/build/rampart}
FIX=$(pwd)/tests/fixtures/sign
EX=$(pwd)/examples/placement
FEED=$(pwd)/rules/marketplace/fedramp-marketplace.json
SRC=${SHARED:-../shared}/data/fedramp/marketplace/data.json
T=$(mktemp -d /tmp/rampart-e2e-place.XXXXXX)
cleanup() { [ -n "${KEEP:-}" ] || rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
n=0 fails=0
# A fixed decision time 3 days after the feed: reports are reproducible.
NOW=2026-05-01T00:00:00Z

ok() { n=$((n + 1)); echo "ok   $1"; }
bad() {
	n=$((n + 1)); fails=$((fails + 1)); echo "FAIL $1"
	sed 's/^/    /' "$T/err" "$T/out" 2>/dev/null | tail -n 15
}
expect() {
	want=$1 desc=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok "$desc"; else bad "$desc (exit $got, want $want)"; fi
}
has() {
	if cat "$T/out" "$T/err" | grep -qF -- "$1"; then ok "$2"; else bad "$2 (no '$1')"; fi
}
hasnt() {
	if cat "$T/out" "$T/err" | grep -qF -- "$1"; then bad "$2 (has '$1')"; else ok "$2"; fi
}
# jqt EXPR DESCRIPTION: jq -e over the last stdout.
jqt() {
	if jq -e "$1" "$T/out" >/dev/null 2>&1; then ok "$2"; else bad "$2 ($1)"; fi
}
sha256() { sha256sum "$1" | cut -d' ' -f1; }
for tool in jq openssl base64; do
	command -v $tool >/dev/null || { echo "skip: no $tool"; exit 0; }
done

# ---------------------------------------------------------- marketplace
expect 0 "list Amazon offerings" "$R" marketplace list --csp amazon
has "F1603047866" "AWS GovCloud listed"
has "AGENCYAMAZONEW" "AWS US East/West listed"
expect 0 "list High IaaS authorized, JSON" "$R" marketplace list \
    --impact high --status authorized --model IaaS --format json
jqt '[.offerings[].id] | index("F1603047866") and (index("AGENCYAMAZONEW") | not)' \
    "High filter keeps GovCloud, drops US East/West"
jqt '[.offerings[] | select(.status != "FedRAMP Authorized")] | length == 0' \
    "status filter"
expect 0 "list --impact low counts 20x Low" "$R" marketplace list --impact low --format json
jqt '[.offerings[].impact_level] | unique == ["20x Low", "Low"]' "20x Low shown as such"
expect 2 "unknown --status" "$R" marketplace list --status approved
has "unknown status 'approved'" "unknown status named"
expect 2 "unknown --impact" "$R" marketplace list --impact IL5
expect 0 "show by id" "$R" marketplace show FR2604952026
has "20x Low  (FedRAMP 20x; compared as low)" "20x level explained"
expect 0 "show by name" "$R" marketplace show "AWS GovCloud"
has "F1603047866" "name lookup finds the id"
expect 1 "ambiguous name" "$R" marketplace show "AWS"
has "offerings match 'AWS'" "ambiguity reported"
expect 1 "unknown name" "$R" marketplace show "no such cloud"

# import: the compact copy is what import makes of the source.
if [ -f "$SRC" ]; then
	expect 0 "import the official feed" "$R" marketplace import "$SRC" --out "$T/compact.json"
	has "imported 642 offerings" "import counts offerings"
	if cmp -s "$T/compact.json" "$FEED"; then ok "shipped copy = import of the source"
	else bad "shipped copy differs from import of the source"; fi
	# Independently of rampart: every offering's status, level, models.
	jq -S '[.data.Products[] | {id, status, impact_level, service_model,
	    l: [.leveraged_systems[].id]}] | sort_by(.id)' "$SRC" >"$T/a"
	jq -S '[.offerings[] | {id, status, impact_level, service_model,
	    l: .leveraged_systems}] | sort_by(.id)' "$FEED" >"$T/b"
	if cmp -s "$T/a" "$T/b"; then ok "compact copy says what the source says (jq)"
	else bad "compact copy differs from the source (jq)"; fi
	test "$(jq -r .source.sha256 "$FEED")" = "$(sha256 "$SRC")" &&
	    ok "compact copy records the source sha256" ||
	    bad "compact copy sha256"
	test "$(jq -r .source.last_change "$FEED")" = "$(jq -r .meta.last_change "$SRC")" &&
	    ok "compact copy records meta.last_change" || bad "last_change"
	# A new status in a newer download: reported, never guessed.
	jq '.data.Products |= map(if .id == "F1206061350" then .status = "FedRAMP Authorized (Pilot)" else . end)' \
	    "$SRC" >"$T/new-status.json"
	expect 0 "import a feed with an unknown status" "$R" marketplace import \
	    "$T/new-status.json" --out "$T/new-compact.json"
	has "unknown status 'FedRAMP Authorized (Pilot)'" "unknown status reported at import"
	has "1 offerings carry values rampart does not know" "import counts unknown values"
	# An older download does not replace a newer copy.
	jq '.meta.last_change = "2025-01-01T00:00:00Z"' "$SRC" >"$T/older.json"
	cp "$T/compact.json" "$T/newer.json"
	expect 3 "an older feed does not replace a newer copy" "$R" marketplace import \
	    "$T/older.json" --out "$T/newer.json"
	has "is older than" "older feed explained"
	cmp -s "$T/newer.json" "$T/compact.json" && ok "newer copy kept" || bad "newer copy replaced"
	expect 0 "--allow-older replaces it" "$R" marketplace import \
	    "$T/older.json" --out "$T/newer.json" --allow-older
	test "$(jq -r .source.last_change "$T/newer.json")" = 2025-01-01T00:00:00Z &&
	    ok "older copy written on request" || bad "--allow-older"
	# Malformed downloads are refused and leave the target untouched.
	cp "$T/compact.json" "$T/keep.json"
	jq 'del(.meta)' "$SRC" >"$T/nometa.json"
	expect 3 "feed without meta refused" "$R" marketplace import "$T/nometa.json" --out "$T/keep.json"
	has "'meta' is missing" "missing meta named"
	head -c 100000 "$SRC" >"$T/trunc.json"
	expect 3 "truncated feed refused" "$R" marketplace import "$T/trunc.json" --out "$T/keep.json"
	jq '.data.Products[3].service_model = "IaaS"' "$SRC" >"$T/badmodel.json"
	expect 3 "service_model not a list refused" "$R" marketplace import "$T/badmodel.json" --out "$T/keep.json"
	has "badmodel.json:" "position given"
	if cmp -s "$T/keep.json" "$T/compact.json"; then ok "refused import left the target untouched"
	else bad "refused import changed the target"; fi
else
	echo "skip: no $SRC (import tests)"
fi
echo '{"meta":{"last_change":"2026-04-28T00:00:00Z"},"data":{"Products":[{"id":"A"}]}}' >"$T/bad.json"
expect 3 "place with a malformed feed" "$R" place --workload "$EX/moderate-iaas.yaml" --marketplace "$T/bad.json"
has "'csp' is missing" "malformed offering named"

# ------------------------------------------------------- place, no evidence
expect 0 "moderate IaaS example" "$R" place --workload "$EX/moderate-iaas.yaml" --format json --now $NOW
jqt '.verdict == "eligible" and .gate == "eligibility" and .kind == "placement" and .warnings == []' "verdict eligible"
cp "$T/out" "$T/v-moderate.json"
jqt '[.candidates[] | select(.eligible) | .id] | index("AGENCYAMAZONEW") and index("F1603047866") and index("F1209051525") and index("FR1805751477")' \
    "AWS, Azure and Google authorized for Moderate IaaS"
jqt '.candidates[] | select(.id == "FR2535161278") | (.eligible | not) and (.reasons[0] | test("FedRAMP Ready"))' \
    "Akamai Cloud only Ready"
jqt '.candidates[] | select(.id == "F1206081364") | (.eligible | not) and (.reasons | map(test("does not provide IaaS")) | any)' \
    "Google Workspace SaaS only"
jqt '.marketplace.last_change == "2026-04-28T02:40:42.651Z" and .marketplace.stale == false and .marketplace.age_days == 2' \
    "feed date and age recorded"
jqt '(.marketplace.source_sha256 | length) == 64 and .workload.sha256 != null' "digests recorded"
jqt '[.candidates[] | .eligible] | . == (sort | reverse)' "eligible ranked first"
hasnt "days old" "no stale warning for a fresh feed"
expect 0 "today the feed is stale" "$R" place --workload "$EX/moderate-iaas.yaml" --now 2026-12-03T00:00:00Z
has "days old (more than 90)" "stale feed warned"
expect 0 "stale feed in the JSON report" "$R" place --workload "$EX/moderate-iaas.yaml" --now 2026-12-03T00:00:00Z --format json
jqt '.marketplace.stale and .marketplace.age_days == 218 and (.warnings[0] | test("218 days old"))' "stale feed recorded"
cp "$T/out" "$T/v-stale.json"
expect 0 "high example" "$R" place --workload "$EX/high-iaas-paas.yaml" --format json --now $NOW
jqt '.candidates[] | select(.id == "AGENCYAMAZONEW") | (.eligible | not) and (.reasons | map(test("below")) | any)' \
    "AWS US East/West not High"
jqt '.candidates[] | select(.id == "F1603047866") | .eligible' "AWS GovCloud High"
cat >"$T/none.yaml" <<EOF
name: nowhere
impact: high
service_models: [IaaS]
providers: [Akamai]
EOF
expect 1 "no eligible placement: exit 1" "$R" place --workload "$T/none.yaml" --now $NOW
has "NOT ELIGIBLE" "text says not eligible"
printf 'name: x\nimpact: high\nproviders: [Amazon Web Services, Amazon]\n' >"$T/typo.yaml"
expect 0 "a provider not in the feed" "$R" place --workload "$T/typo.yaml" --now $NOW --format json
jqt '.warnings | map(test("provider .Amazon Web Services. has no offering")) | any' \
    "unmatched provider warned in the report"
has "provider 'Amazon Web Services' has no offering in the feed" "unmatched provider warned on stderr"
jqt '[.candidates[].csp] | unique == ["Amazon"]' "the matched provider is still decided"
printf 'name: x\nimpact: medium\n' >"$T/badwl.yaml"
expect 3 "invalid workload" "$R" place --workload "$T/badwl.yaml"
has "badwl.yaml:2:9" "workload error has file:line:col"
expect 2 "missing --workload" "$R" place
expect 2 "evidence without a key" "$R" place --workload "$EX/moderate-iaas.yaml" --evidence A=b.json
expect 2 "bad --evidence" "$R" place --workload "$EX/moderate-iaas.yaml" --evidence x --key "$FIX/test.pub"
expect 2 "unknown format" "$R" place --workload "$EX/moderate-iaas.yaml" --format sarif

# A feed with an unknown status: the only candidate is undecided.
jq '.offerings |= map(if .id == "F1206061350" then .status = "FedRAMP Authorized (Pilot)" else . end)' \
    "$FEED" >"$T/unknown.json"
cat >"$T/cgi.yaml" <<EOF
name: one-candidate
impact: moderate
service_models: [IaaS]
providers: [CGI Federal]
EOF
expect 0 "CGI Federal IaaS is authorized" "$R" place --workload "$T/cgi.yaml" --now $NOW
expect 4 "unknown status: incomplete, not eligible" "$R" place --workload "$T/cgi.yaml" \
    --marketplace "$T/unknown.json" --now $NOW --format json
has "unknown status 'FedRAMP Authorized (Pilot)'" "unknown status warned"
jqt '.verdict == "incomplete" and .candidates[0].eligible == false' "never guessed as authorized"
cp "$T/out" "$T/v-unknown.json"

# ---------------------------------------------------------- evidence
# Real scan reports of the example AWS export, signed with the test key.
"$R" scan --baseline fedramp-moderate --input examples/aws-export \
    --output-dir "$T/scan" --format json --sign "$FIX/test.key" >/dev/null 2>&1
[ -f "$T/scan/report.json.sigstore.json" ] && ok "signed scan report made" || bad "signed scan"
mk() {	# mk NAME JQ: a variant of the real report, signed
	jq "$2" "$T/scan/report.json" >"$T/$1.json"
	"$R" sign "$T/$1.json" --key "$FIX/test.key" >/dev/null 2>&1
}
mk eligible '.verdict = "eligible"'
mk incomplete '.verdict = "incomplete"'
# For another baseline: a real fedramp-high scan (its pinned provenance
# names that baseline), made eligible and signed again.
"$R" scan --baseline fedramp-high --input examples/aws-export \
    --output-dir "$T/highscan" --format json >/dev/null 2>&1
jq '.verdict = "eligible"' "$T/highscan/report.json" >"$T/high.json"
"$R" sign "$T/high.json" --key "$FIX/test.key" >/dev/null 2>&1
"$R" scan --baseline fedramp-moderate --input examples/aws-export --gate checks \
    --output-dir "$T/gate" --format json --sign "$FIX/test.key" >/dev/null 2>&1
P="$R place --workload $T/cgi.yaml --key $FIX/test.pub --now $NOW"
expect 1 "real scan (not eligible) blocks the placement" $P \
    --evidence F1206061350="$T/scan/report.json" --format json
jqt '.candidates[0].reasons | map(test("is .not_eligible.")) | any' "reason names the scan"
cp "$T/out" "$T/v-evidence.json"
jqt '.evidence[0].sha256 == "'"$(sha256 "$T/scan/report.json")"'" and .candidates[0].evidence.verified' \
    "evidence digest recorded"
expect 0 "eligible tenancy" $P --evidence F1206061350="$T/eligible.json"
expect 4 "incomplete tenancy: exit 4" $P --evidence F1206061350="$T/incomplete.json"
has "is incomplete" "incomplete reason"
expect 1 "evidence for the wrong baseline" $P --evidence F1206061350="$T/high.json"
has "is for baseline 'fedramp-high', not the workload's 'fedramp-moderate'" "wrong baseline named"
expect 3 "--gate checks report refused" $P --evidence F1206061350="$T/gate/report.json"
has "is not tenancy evidence for placement" "gate refusal explained"
cp "$T/eligible.json" "$T/tampered.json"
cp "$T/eligible.json.sigstore.json" "$T/tampered.json.sigstore.json"
sed -i 's/"fedramp-moderate"/"fedramp-moderate" /' "$T/tampered.json"
expect 3 "tampered report refused" $P --evidence F1206061350="$T/tampered.json"
has "does not verify: refused, never ignored" "tamper refusal"
# Forged verdict with the genuine bundle of the real (not eligible) scan.
cp "$T/scan/report.json.sigstore.json" "$T/forged.json.sigstore.json"
jq '.verdict = "eligible"' "$T/scan/report.json" >"$T/forged.json"
expect 3 "forged verdict refused" $P --evidence F1206061350="$T/forged.json"
cp "$T/eligible.json" "$T/unsigned.json"
expect 3 "unsigned report refused" $P --evidence F1206061350="$T/unsigned.json"
has "unsigned evidence is refused" "unsigned refusal"
expect 3 "untrusted signer refused" "$R" place --workload "$T/cgi.yaml" \
    --key "$FIX/test-ed25519.pub" --evidence F1206061350="$T/eligible.json"
expect 0 "keyring trusts the signer" "$R" place --workload "$T/cgi.yaml" \
    --keyring "$FIX/keyring.yaml" --evidence F1206061350="$T/eligible.json" --now $NOW
expect 3 "evidence for an id not in the feed" $P --evidence NOPE="$T/eligible.json"
has "no offering with that id" "unknown id named"
expect 2 "two reports for one offering" $P --evidence F1206061350="$T/eligible.json" \
    --evidence F1206061350="$T/eligible.json"

# ------------------------------------------------- signed placement report
expect 0 "signed placement reports" "$R" place --workload "$EX/moderate-iaas.yaml" \
    --key "$FIX/test.pub" --evidence AGENCYAMAZONEW="$T/eligible.json" \
    --format json,text,markdown,html --output-dir "$T/rep" --sign "$FIX/test.key" --now $NOW
jq -e '.candidates[0].id == "AGENCYAMAZONEW" and .candidates[0].tenancy == "eligible" and
    (.candidates[1:] | map(select(.eligible)) | all(.tenancy == "not_evidenced"))' \
    "$T/rep/placement.json" >/dev/null && ok "verified tenancy ranks first" || bad "tenancy ranking"
for f in placement.json placement.txt placement.md placement.html; do
	expect 0 "rampart verify $f" "$R" verify "$T/rep/$f" --key "$FIX/test.pub"
done
has "verdict:  eligible" "verify shows the verdict"
B=$T/rep/placement.json.sigstore.json
( cd "$T" &&
  jq -r .dsseEnvelope.payload "$B" | base64 -d > payload.json &&
  jq -r '.dsseEnvelope.signatures[0].sig' "$B" | base64 -d > sig.bin &&
  t=$(jq -r .dsseEnvelope.payloadType "$B") &&
  { printf 'DSSEv1 %s %s %s ' "${#t}" "$t" "$(wc -c < payload.json | tr -d ' ')"; cat payload.json; } > pae.bin &&
  openssl dgst -sha256 -verify "$FIX/test.pub" -signature sig.bin pae.bin >/dev/null &&
  test "$(jq -r '.subject[0].digest.sha256' payload.json)" = "$(sha256sum rep/placement.json | cut -d' ' -f1)" ) &&
    ok "openssl + jq recipe verifies the placement report" ||
    bad "openssl + jq recipe"
jq -e --arg w "$(sha256 "$EX/moderate-iaas.yaml")" --arg f "$(sha256 "$FEED")" \
    --arg e "$(sha256 "$T/eligible.json")" '
    .predicate.configuration as $c |
    ($c | map(select(.name | startswith("workload:")) | .digest.sha256) == [$w]) and
    ($c | map(select(.name | startswith("marketplace:")) | .digest.sha256) == [$f]) and
    ($c | map(select(.name | startswith("evidence:AGENCYAMAZONEW:")) | .digest.sha256) == [$e]) and
    (.predicate.passedTests | index("AGENCYAMAZONEW"))' "$T/payload.json" >/dev/null &&
    ok "predicate names the workload, feed and evidence digests" ||
    bad "predicate digests"
jq -e '.predicate.configuration | map(select(.name | startswith("marketplace-source:"))) | length == 1' \
    "$T/payload.json" >/dev/null && ok "predicate names the official feed's digest" || bad "source digest"
# The JSON reports against docs/placement.schema.json (ajv, draft-07).
NODE_PATH=$(pwd)/tests/node/node_modules
if command -v node >/dev/null && [ -d "$NODE_PATH/ajv" ]; then
	expect 0 "JSON reports valid (docs/placement.schema.json)" env NODE_PATH="$NODE_PATH" \
	    node tests/e2e/reports/validate.js json docs/placement.schema.json \
	    "$T/v-moderate.json" "$T/v-unknown.json" "$T/v-evidence.json" \
	    "$T/v-stale.json" "$T/rep/placement.json"
	jq '.candidates[0].reasons = []' "$T/v-evidence.json" >"$T/v-bad.json"
	expect 1 "schema rejects a blocked candidate without reasons" env NODE_PATH="$NODE_PATH" \
	    node tests/e2e/reports/validate.js json docs/placement.schema.json "$T/v-bad.json"
else
	echo "skip: no node/ajv (make deps-test)"
fi
expect 3 "a placement report is not tenancy evidence" $P --evidence F1206061350="$T/rep/placement.json"
has "is a placement report" "placement report refused as evidence"
sed -i 's/"eligible": true/"eligible": false/' "$T/rep/placement.json"
expect 1 "edited placement report fails verify" "$R" verify "$T/rep/placement.json" --key "$FIX/test.pub"
expect 2 "--sign without --output-dir" "$R" place --workload "$EX/moderate-iaas.yaml" --sign "$FIX/test.key"
# HTML escapes feed text.
grep -q '<script' "$T/rep/placement.html" && bad "raw markup in HTML" || ok "HTML has no raw script"

echo "place: $n tests, $fails failed"
[ "$fails" -eq 0 ]
