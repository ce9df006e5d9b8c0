#!/bin/sh
# End-to-end: rampart keygen / sign / verify on the real binary, tamper
# checks, third-party verification with plain openssl + jq (no rampart),
# the Sigstore bundle schema, keyrings, and RFC 3161 timestamps from a
# local `openssl ts -reply` responder on loopback.
# Environment: RAMPART (binary), SHARED (../shared, optional).
set -u
R=${RAMPART:-$(pwd)/build/rampart}
FIX=$(pwd)/tests/fixtures/sign
HERE=$(cd "$(dirname "$0")" && pwd)/sign
NODE_MODULES=$(pwd)/tests/node/node_modules
SCHEMA=${SHARED:-../shared}/data/schemas/sigstore/Bundle.schema.json
T=$(mktemp -d /tmp/rampart-e2e-sign.XXXXXX)
tsa_pid=""
cleanup() {
	[ -n "$tsa_pid" ] && kill "$tsa_pid" 2>/dev/null
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
n=0 fails=0

ok() { n=$((n + 1)); echo "ok   $1"; }
bad() {
	n=$((n + 1)); fails=$((fails + 1)); echo "FAIL $1"
	sed 's/^/    /' "$T/err" "$T/out" 2>/dev/null | tail -n 15
}
# expect RC DESCRIPTION COMMAND...: run, compare the exit status.
expect() {
	want=$1 desc=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok "$desc"; else bad "$desc (exit $got, want $want)"; fi
}
# has TEXT DESCRIPTION: the last command's stdout+stderr contains TEXT.
has() {
	if cat "$T/out" "$T/err" | grep -qF -- "$1"; then ok "$2"; else bad "$2 (no '$1')"; fi
}
sha256() { sha256sum "$1" | cut -d' ' -f1; }
for tool in jq openssl python3 base64; do
	command -v "$tool" >/dev/null ||
		{ echo "FAIL $tool is not installed (make deps-test)"; exit 1; }
done

# --------------------------------------------------------------- keygen
cd "$T" || exit 1
expect 0 "keygen ecdsa-p256" "$R" keygen --out k
kid=$(cat "$T/out")
[ "$(stat -c %a k.key)" = 600 ] && ok "private key mode 0600" || bad "private key mode 0600"
[ "$kid" = "$(openssl pkey -pubin -in k.pub -outform DER | sha256sum | cut -d' ' -f1)" ] &&
	ok "key id = sha256 of DER SPKI" || bad "key id = sha256 of DER SPKI"
expect 2 "keygen refuses to overwrite" "$R" keygen --out k
expect 0 "keygen ed25519, encrypted (RAMPART_PASSPHRASE)" \
	env RAMPART_PASSPHRASE=s3cret-pass "$R" keygen --out ke --algorithm ed25519
head -1 ke.key | grep -q "ENCRYPTED PRIVATE KEY" && ok "ed25519 key is encrypted" || bad "ed25519 key is encrypted"
openssl asn1parse -in ke.key >"$T/out" 2>"$T/err"
grep -q ':0927C0' "$T/out" && grep -q 'aes-256-cbc' "$T/out" && grep -q hmacWithSHA256 "$T/out" &&
	ok "PBKDF2 600000 iterations, AES-256-CBC" || bad "PBKDF2 600000 iterations, AES-256-CBC"
expect 2 "keygen: unknown algorithm" "$R" keygen --out x --algorithm rsa
expect 2 "keygen: missing --out" "$R" keygen
expect 2 "keygen --fips refuses ed25519" "$R" keygen --out fe --fips --algorithm ed25519
if openssl list -providers -provider fips >/dev/null 2>&1; then
	expect 0 "keygen --fips (FIPS provider installed)" "$R" keygen --out fk --fips
else
	expect 5 "--fips without the FIPS provider: a clear error" "$R" keygen --out fk --fips
	has "cannot load the OpenSSL FIPS provider" "  ... says why"
fi

# ----------------------------------------------------------------- sign
mkdir run && cp "$FIX/report.json" run/report.json &&
	printf '<!doctype html><title>r</title>\n<header class="banner v-not_eligible">\n<h1>NOT ELIGIBLE</h1>\n' >run/report.html
expect 0 "sign report.json" "$R" sign run/report.json --key k.key
expect 0 "sign report.html (meta from report.json beside it)" "$R" sign run/report.html --key k.key
expect 3 "sign with an encrypted key and no passphrase" "$R" sign run/report.json --key ke.key
has "private key is encrypted" "  ... says why"
printf 'wrong\n' >wrong.pass
expect 3 "sign with a wrong passphrase" "$R" sign run/report.json --key ke.key --passphrase-file wrong.pass
cp run/report.json rep-ed.json
printf 's3cret-pass\n' >good.pass
expect 0 "sign with ed25519 (passphrase file)" "$R" sign rep-ed.json --key ke.key --passphrase-file good.pass
expect 2 "sign: missing --key" "$R" sign run/report.json
printf 'not a report' >other.txt
expect 3 "sign: a file with no verdict in it" "$R" sign other.txt --key k.key

# --------------------------------------------------------------- verify
expect 0 "verify report.json" "$R" verify run/report.json --key k.pub
has "verdict:  not_eligible (FAILED)" "  ... prints the verdict"
has "baseline: fedramp-moderate" "  ... prints the baseline"
has "$kid" "  ... prints the signer's key id"
expect 0 "verify report.html" "$R" verify run/report.html --key k.pub
expect 0 "verify ed25519" "$R" verify rep-ed.json --key ke.pub
expect 1 "verify with the wrong key" "$R" verify run/report.json --key ke.pub
expect 0 "verify --bundle" "$R" verify run/report.json --bundle run/report.json.sigstore.json --key k.pub
expect 2 "verify: neither --key nor --keyring" "$R" verify run/report.json
expect 3 "verify: no bundle" "$R" verify other.txt --key k.pub
printf '{"mediaType": ' >broken.json
expect 3 "verify: bundle is not JSON" "$R" verify run/report.json --bundle broken.json --key k.pub
cp run/report.html edited.html && cp run/report.html.sigstore.json edited.html.sigstore.json
sed -i 's/NOT ELIGIBLE/ELIGIBLE/' edited.html
expect 1 "verify an edited report" "$R" verify edited.html --key k.pub
has "the report was changed" "  ... says why"
cp run/report.json app.json && cp run/report.json.sigstore.json app.json.sigstore.json
printf ' ' >>app.json
expect 1 "verify a report with one byte appended" "$R" verify app.json --key k.pub
expect 1 "stored fixture: forged report fails" "$R" verify "$FIX/report-forged.json" --key "$FIX/test.pub"
expect 0 "stored fixture: genuine report verifies" "$R" verify "$FIX/report.json" --key "$FIX/test.pub"

# Tampered bundles: payload and signature.
B=run/report.json.sigstore.json
jq '.dsseEnvelope.payload |= (@base64d | sub("FAILED"; "PASSED") | @base64)' "$B" >tp.json
expect 1 "verify a bundle with an edited payload" "$R" verify run/report.json --bundle tp.json --key k.pub
jq '.dsseEnvelope.signatures += .dsseEnvelope.signatures' "$B" >two.json
expect 1 "verify a bundle with two signatures" "$R" verify run/report.json --bundle two.json --key k.pub
jq '.dsseEnvelope.signatures = []' "$B" >none.json
expect 1 "verify a bundle with no signature" "$R" verify run/report.json --bundle none.json --key k.pub
jq '.mediaType = "application/vnd.dev.sigstore.bundle.v0.1+json"' "$B" >mt.json
expect 1 "verify a bundle with another mediaType" "$R" verify run/report.json --bundle mt.json --key k.pub
jq '.dsseEnvelope.payloadType = "text/plain"' "$B" >pt.json
expect 1 "verify a bundle with another payloadType" "$R" verify run/report.json --bundle pt.json --key k.pub

# -------------------------------------------------------------- keyring
cat >ring.yaml <<EOF
keys:
  - id: $kid
    name: CI signer
    algorithm: ecdsa-p256
    path: k.pub
EOF
expect 0 "verify with a keyring" "$R" verify run/report.json --keyring ring.yaml
has "signer:   CI signer" "  ... names the signer"
expect 0 "verify --keyring --format json" "$R" verify run/report.json --keyring ring.yaml --format json
jq -e '.signature.keyring.key_found and .signature.keyring.validity_checked and .signature.signer != null' \
	"$T/out" >/dev/null && ok "  ... reports the keyring entry" || bad "  ... reports the keyring entry"
expect 1 "verify with a keyring lacking the key" "$R" verify rep-ed.json --keyring ring.yaml
has "not in the keyring" "  ... says why"
cat >ring-revoked.yaml <<EOF
- id: $kid
  name: CI signer
  path: k.pub
  revoked_at: 2099-01-01T00:00:00Z
EOF
expect 1 "revoked key, no timestamp: invalid" "$R" verify run/report.json --keyring ring-revoked.yaml

# ------------------------------------ third-party verification (no rampart)
# The pipeline docs/signing.md gives: jq + base64 + openssl.
tp_verify() { # BUNDLE PUB REPORT ALG
	rm -f payload.json sig.bin pae.bin
	jq -r .dsseEnvelope.payload "$1" | base64 -d >payload.json &&
	jq -r '.dsseEnvelope.signatures[0].sig' "$1" | base64 -d >sig.bin &&
	ptype=$(jq -r .dsseEnvelope.payloadType "$1") &&
	{ printf 'DSSEv1 %s %s %s ' "${#ptype}" "$ptype" "$(wc -c <payload.json | tr -d ' ')"
	  cat payload.json; } >pae.bin || return 1
	if [ "$4" = ed25519 ]; then
		openssl pkeyutl -verify -pubin -inkey "$2" -rawin -in pae.bin -sigfile sig.bin || return 1
	else
		openssl dgst -sha256 -verify "$2" -signature sig.bin pae.bin || return 1
	fi
	[ "$(jq -r '.subject[0].digest.sha256' payload.json)" = "$(sha256 "$3")" ] || return 1
	[ "$(jq -r .predicateType payload.json)" = https://in-toto.io/attestation/test-result/v0.1 ]
}
expect 0 "openssl+jq verify (ecdsa)" tp_verify run/report.json.sigstore.json k.pub run/report.json ecdsa
expect 0 "openssl+jq verify (ed25519)" tp_verify rep-ed.json.sigstore.json ke.pub rep-ed.json ed25519
expect 1 "openssl+jq: edited payload fails" tp_verify tp.json k.pub run/report.json ecdsa
expect 1 "openssl+jq: edited report fails" tp_verify edited.html.sigstore.json k.pub edited.html ecdsa

# ------------------------------------------------------ Sigstore schema
if [ -d "$NODE_MODULES/ajv-draft-04" ] && [ -f "$SCHEMA" ] && command -v node >/dev/null; then
	expect 0 "bundles validate against Bundle.schema.json" \
		env NODE_PATH="$NODE_MODULES" node "$HERE/validate-bundle.js" "$SCHEMA" \
		run/report.json.sigstore.json rep-ed.json.sigstore.json "$FIX/report.json.sigstore.json"
	expect 1 "schema check rejects two signatures" \
		env NODE_PATH="$NODE_MODULES" node "$HERE/validate-bundle.js" "$SCHEMA" two.json
else
	echo "skip Sigstore schema validation (run 'make deps-test' for tests/node)"
fi
# Sigstore's own verifier, trusting the public key by id.
SV="$HERE/sigstore-verify.js"
have_sv() { [ -d "$NODE_MODULES/@sigstore/verify" ] && command -v node >/dev/null; }
if have_sv; then
	expect 0 "@sigstore/verify accepts the bundle (ecdsa)" \
		env NODE_PATH="$NODE_MODULES" node "$SV" run/report.json.sigstore.json k.pub run/report.json
	expect 0 "@sigstore/verify accepts the bundle (ed25519)" \
		env NODE_PATH="$NODE_MODULES" node "$SV" rep-ed.json.sigstore.json ke.pub rep-ed.json
	expect 1 "@sigstore/verify rejects an edited payload" \
		env NODE_PATH="$NODE_MODULES" node "$SV" tp.json k.pub run/report.json
	expect 1 "@sigstore/verify rejects an edited report" \
		env NODE_PATH="$NODE_MODULES" node "$SV" edited.html.sigstore.json k.pub edited.html
else
	echo "skip @sigstore/verify (run 'make deps-test' for tests/node)"
fi

# ------------------------------------------------------- RFC 3161 (TSA)
mkdir tsa && cd tsa || exit 1
cat >ext.cnf <<'EOF'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
EOF
cat >ts.cnf <<EOF
[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = $T/tsa
serial = \$dir/serial
crypto_device = builtin
signer_cert = \$dir/tsa.pem
certs = \$dir/tsa.pem
signer_key = \$dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
EOF
echo 01 >serial
if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout ca.key -out ca.pem -days 2 -subj "/CN=rampart test TSA root" \
	-addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null &&
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout tsa.key -out tsa.csr -subj "/CN=rampart test TSA" 2>/dev/null &&
    openssl x509 -req -in tsa.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
	-out tsa.pem -days 2 -extfile ext.cnf 2>/dev/null &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout other.key -out other-ca.pem -days 2 -subj "/CN=another root" 2>/dev/null; then
	ok "test TSA certificates (critical timeStamping EKU)"
else
	bad "test TSA certificates"
fi
python3 "$HERE/tsa_server.py" ts.cnf port 2>tsa.log &
tsa_pid=$!
i=0
while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
cd "$T" || exit 1
if [ -s tsa/port ]; then
	url="http://127.0.0.1:$(cat tsa/port)/tsa"
	cp run/report.json ts.json
	expect 0 "sign with --tsa-url (local openssl ts responder)" "$R" sign ts.json --key k.key --tsa-url "$url"
	jq -e '.verificationMaterial.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp' \
		ts.json.sigstore.json >/dev/null && ok "  ... timestamp stored in the bundle" ||
		bad "  ... timestamp stored in the bundle"
	expect 0 "verify the timestamp (--tsa-ca)" "$R" verify ts.json --key k.pub --tsa-ca tsa/ca.pem
	has "(RFC 3161, verified)" "  ... prints the verified time"
	expect 0 "timestamp without --tsa-ca: not checked" "$R" verify ts.json --key k.pub
	has "not checked" "  ... says so"
	expect 1 "timestamp from an untrusted TSA" "$R" verify ts.json --key k.pub --tsa-ca tsa/other-ca.pem
	# A revoked key: valid only when the timestamp predates revocation.
	expect 0 "revoked later than the timestamp: valid" "$R" verify ts.json --keyring ring-revoked.yaml --tsa-ca tsa/ca.pem
	sed 's/2099-01-01T00:00:00Z/2001-01-01T00:00:00Z/' ring-revoked.yaml >ring-old.yaml
	expect 1 "revoked before the timestamp: invalid" "$R" verify ts.json --keyring ring-old.yaml --tsa-ca tsa/ca.pem
	# Third party: openssl ts over the signature bytes.
	jq -r '.verificationMaterial.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp' \
		ts.json.sigstore.json | base64 -d >ts.tsr
	jq -r '.dsseEnvelope.signatures[0].sig' ts.json.sigstore.json | base64 -d >ts.sig
	expect 0 "openssl ts -verify accepts the stored timestamp" \
		openssl ts -verify -in ts.tsr -data ts.sig -CAfile tsa/ca.pem -untrusted tsa/tsa.pem
	# A timestamp swapped in from another signature must fail.
	cp run/report.json ts2.json
	"$R" sign ts2.json --key k.key --tsa-url "$url" >/dev/null 2>&1
	jq --slurpfile o ts2.json.sigstore.json \
		'.verificationMaterial.timestampVerificationData = $o[0].verificationMaterial.timestampVerificationData' \
		ts.json.sigstore.json >swapped.json
	expect 1 "a timestamp over another signature fails" "$R" verify ts.json --bundle swapped.json --key k.pub --tsa-ca tsa/ca.pem
	if have_sv; then
		expect 0 "@sigstore/verify accepts the timestamped bundle (TSA trusted)" \
			env NODE_PATH="$NODE_MODULES" node "$SV" ts.json.sigstore.json k.pub ts.json tsa/tsa.pem tsa/ca.pem
	fi
	expect 2 "sign: https TSA URL refused" "$R" sign ts.json --key k.key --tsa-url https://127.0.0.1/
else
	bad "TSA responder did not start"; cat tsa/tsa.log
fi
expect 5 "sign: unreachable TSA is an error" "$R" sign ts.json --key k.key --tsa-url http://127.0.0.1:1/

# ------------------------------------------- provenance: what is pinned
# A scan with a directory input, a POA&M, an extra rule pack and, in a
# second run, a mapping given by path; shipped packs from a copy of the
# rules directory, so that they can be tampered with too.
ROOT=$(cd "$HERE/../../.." && pwd)
VALIDATE="$ROOT/tests/e2e/reports/validate.js"
cp -r "$ROOT/rules" "$T/shipped"
export RAMPART_RULES_DIR="$T/shipped"
mkdir P && cd P || exit 1
cp -r "$ROOT/examples/aws-export" exp && cp "$ROOT/examples/poam.yaml" poam.yaml &&
	cp "$ROOT/rules/baselines/example.yaml" bl.yaml &&
	cp "$ROOT/tests/fixtures/reports/pack.yaml" pack.yaml &&
	cp "$ROOT/rules/mappings/fedramp.yaml" mapping.yaml &&
	sed 's|^mapping: fedramp$|mapping: ./mapping.yaml|' \
		"$ROOT/rules/baselines/fedramp-low.yaml" >low.yaml
expect 1 "scan --sign with a directory input, POA&M and rule pack" "$R" scan \
	--baseline bl.yaml --input exp --poam poam.yaml --rules pack.yaml \
	--format json,html,sarif --output-dir out --sign ../k.key --fixed-time 2026-12-01
expect 1 "scan --sign with a mapping given by path" "$R" scan --baseline low.yaml \
	--input exp --format json --output-dir out2 --sign ../k.key --fixed-time 2026-12-01
cd "$T" || exit 1
payload() { jq -r .dsseEnvelope.payload "$1" | base64 -d; }
payload P/out/report.json.sigstore.json >pay.json
for role in tool baseline rules poam input input-file; do
	jq -e --arg r "$role" '.predicate.configuration | any(.annotations.role == $r)' pay.json >/dev/null &&
		ok "statement pins the $role" || bad "statement pins the $role"
done
payload P/out2/report.json.sigstore.json >pay2.json
jq -e '.predicate.configuration | any(.annotations.role == "mapping" and .name == "./mapping.yaml")' \
	pay2.json >/dev/null && ok "statement pins the mapping" || bad "statement pins the mapping"
nfiles=$(cd P/exp && find . -type f ! -name '.*' | wc -l)
[ "$(jq '[.predicate.configuration[] | select(.annotations.role == "input-file")] | length' pay.json)" = "$nfiles" ] &&
	ok "every file of the directory input is pinned ($nfiles)" || bad "every file of the directory input is pinned"
# The directory digest recipe of docs/signing.md, with jq and sha256sum.
want=$(jq -r '.predicate.configuration[] | select(.annotations.role == "input") | .digest.sha256' pay.json)
got=$(jq -j '.predicate.configuration[] | select(.annotations.role == "input-file") | .name, "\u0000", .digest.sha256, "\n"' pay.json |
	sha256sum | cut -d' ' -f1)
[ "$want" = "$got" ] && ok "directory digest = sha256 of the documented manifest" ||
	bad "directory digest = sha256 of the documented manifest ($want != $got)"
jq -e '.predicate["https://rampart.dev/extension/v1"].options | .gate == "eligibility" and .fixed_time == "2026-12-01T00:00:00Z" and .max_evidence_age_days == "30"' \
	pay.json >/dev/null && ok "statement pins the options" || bad "statement pins the options"
jq -e '.predicate["https://rampart.dev/extension/v1"].controls | length > 0' pay.json >/dev/null &&
	ok "statement carries every control status" || bad "statement carries every control status"
if [ -d "$NODE_MODULES/ajv" ] && command -v node >/dev/null; then
	for b in P/out/report.json P/out/report.html P/out/report.sarif P/out2/report.json run/report.json; do
		payload "$b.sigstore.json" | jq .predicate >pred.json
		expect 0 "predicate of $b validates (docs/predicate.schema.json)" \
			env NODE_PATH="$NODE_MODULES" node "$VALIDATE" json "$ROOT/docs/predicate.schema.json" pred.json
	done
	jq '.predicate.configuration[0].digest.sha256 = "0"' pay.json | jq .predicate >pred.json
	expect 1 "predicate schema rejects a bad digest" \
		env NODE_PATH="$NODE_MODULES" node "$VALIDATE" json "$ROOT/docs/predicate.schema.json" pred.json
	expect 0 "report.json with provenance validates (docs/report.schema.json)" \
		env NODE_PATH="$NODE_MODULES" node "$VALIDATE" json "$ROOT/docs/report.schema.json" P/out/report.json
else
	echo "skip predicate schema validation (run 'make deps-test' for tests/node)"
fi

# `rampart sign` of the scan's files pins the same (report.json's provenance).
cp P/out/report.json P/out/re.json
expect 0 "sign a scan's report.json again" "$R" sign P/out/re.json --key k.key
payload P/out/re.json.sigstore.json >pay3.json
[ "$(jq -c .predicate.configuration pay3.json)" = "$(jq -c .predicate.configuration pay.json)" ] &&
	ok "  ... same pinned files as scan --sign" || bad "  ... same pinned files as scan --sign"

# verify --inputs: all equal, then one byte of each pinned file changed.
cd P || exit 1
expect 0 "verify --inputs: every pinned digest recomputed" "$R" verify out/report.json --key ../k.pub --inputs .
has "0 changed, 0 missing, 0 unpinned" "  ... and equal"
expect 0 "verify --format json" "$R" verify out/report.json --key ../k.pub --inputs . --format json
jq -e '.valid and .signature.verified and .subject.matches and .verdict == "not_eligible" and
	([.pinned[] | select(.role != "tool") | .status == "ok" and .rechecked] | all) and
	([.pinned[] | select(.role == "tool") | .rechecked] == [false])' "$T/out" >/dev/null &&
	ok "  ... says what was verified and rechecked" || bad "  ... says what was verified and rechecked"
cp out/report.json "$T/edited.json" && printf ' ' >>"$T/edited.json"
expect 1 "verify --format json of an edited report" "$R" verify "$T/edited.json" \
	--bundle out/report.json.sigstore.json --key ../k.pub --format json
jq -e '.valid == false and .signature.verified == false and .verdict == null and .pinned == []' \
	"$T/out" >/dev/null && ok "  ... valid: false, nothing taken from the payload" ||
	bad "  ... valid: false, nothing taken from the payload"
expect 0 "verify --format json without --inputs" "$R" verify out/report.json --key ../k.pub --format json
jq -e '[.pinned[] | .rechecked] | any | not' "$T/out" >/dev/null &&
	ok "  ... says nothing was rechecked" || bad "  ... says nothing was rechecked"
flip() { python3 -c 'import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 1
open(p, "wb").write(b)' "$1"; }
jq -r '.provenance.configuration[] | select(.annotations.role != "tool" and .annotations.role != "input") |
	if .annotations.role == "input-file" then .annotations.input + "/" + .name
	elif .annotations.role == "baseline" then .annotations.path else .name end' \
	out/report.json >"$T/pinned"
total=0 named=0
while read -r f; do
	total=$((total + 1))
	cp "$f" "$T/orig"
	flip "$f"
	"$R" verify out/report.json --key ../k.pub --inputs . >"$T/out" 2>"$T/err"
	rc=$?
	base=${f##*/}
	if [ "$rc" = 1 ] && grep -q "^  changed .*$base" "$T/out"; then named=$((named + 1))
	else echo "    not named: $f (exit $rc)"; fi
	cp "$T/orig" "$f"
done <"$T/pinned"
[ "$total" -gt 40 ] && [ "$named" = "$total" ] &&
	ok "one byte changed in any of the $total pinned files: named, exit 1" ||
	bad "one byte changed in any pinned file: named $named of $total"
cp mapping.yaml "$T/orig"; flip mapping.yaml
expect 1 "a changed mapping is named" "$R" verify out2/report.json --key ../k.pub --inputs .
has "changed   mapping ./mapping.yaml" "  ... by name"
cp "$T/orig" mapping.yaml
mv exp/iam "$T/iam"
expect 1 "missing files of a directory input are named" "$R" verify out/report.json --key ../k.pub --inputs .
has "missing   input-file iam/" "  ... by name"
mv "$T/iam" exp/iam
echo '{}' >exp/extra.json
expect 1 "a file added to a directory input is named" "$R" verify out/report.json --key ../k.pub --inputs .
has "unpinned  input-file extra.json" "  ... by name"
rm exp/extra.json
mkdir "$T/elsewhere" && cp -r exp poam.yaml pack.yaml bl.yaml "$T/elsewhere/"
cd "$T" || exit 1
expect 0 "verify --inputs finds the files in another directory" "$R" verify P/out/report.json --key k.pub --inputs elsewhere
cd P || exit 1

# Attestations, CRM and scope file, with --gate checks.
cp "$ROOT/tests/fixtures/attest/e2e.yaml" attest.yaml && cp "$ROOT/tests/fixtures/crm/provider.yaml" crm.yaml &&
	printf 'out_of_scope:\n  - type: "AWS::RDS::*"\n    reason: no data in RDS\nnot_applicable:\n  - control: pe-3\n    reason: the provider data centres\n' >scope.yaml
cp "$ROOT/tests/fixtures/oscal/tailor-ok.yaml" tailor.yaml
"$R" scan --baseline tailor.yaml --input exp --attest attest.yaml --crm crm.yaml \
	--scope scope.yaml --gate checks --format json --output-dir out3 --sign ../k.key \
	--fixed-time 2016-11-26 >"$T/out" 2>"$T/err"
[ -f out3/report.json.sigstore.json ] && ok "scan --sign with attestations, CRM, scope, --gate checks" ||
	bad "scan --sign with attestations, CRM, scope, --gate checks"
payload out3/report.json.sigstore.json >"$T/pay4.json"
jq -e '[.predicate.configuration[] | select(.annotations.role == "baseline") | .name] == ["acme-moderate", "fedramp-moderate"]' \
	"$T/pay4.json" >/dev/null && ok "statement pins the baseline and the one it extends" ||
	bad "statement pins the baseline and the one it extends"
for role in attestations crm scope mapping; do
	jq -e --arg r "$role" '.predicate.configuration | any(.annotations.role == $r)' "$T/pay4.json" >/dev/null &&
		ok "statement pins the $role" || bad "statement pins the $role"
done
jq -e '.predicate["https://rampart.dev/extension/v1"].options.gate == "checks"' "$T/pay4.json" >/dev/null &&
	ok "statement pins --gate checks" || bad "statement pins --gate checks"
for f in attest.yaml crm.yaml scope.yaml tailor.yaml; do
	cp "$f" "$T/orig"; flip "$f"
	expect 1 "a changed $f is named" "$R" verify out3/report.json --key ../k.pub --inputs .
	has "changed" "  ... as changed"
	grep -q "^  changed .*$f" "$T/out" && ok "  ... by name" || bad "  ... by name"
	cp "$T/orig" "$f"
done
expect 0 "verify --inputs after restoring them" "$R" verify out3/report.json --key ../k.pub --inputs .

# An external plugin: pinned, a changed one named and never loaded by --rescan.
PLUGIN=$(dirname "$R")/plugins/example_plugin.so
if [ -f "$PLUGIN" ] && cp "$PLUGIN" plug.so && chmod 0644 plug.so &&
	"$R" scan --baseline bl.yaml --input exp --plugin ./plug.so --format json \
		--output-dir out5 --sign ../k.key --fixed-time 2026-12-01 >/dev/null 2>&1 ||
	[ -f out5/report.json.sigstore.json ]; then
	payload out5/report.json.sigstore.json >"$T/pay5.json"
	jq -e '.predicate.configuration | any(.annotations.role == "plugin" and .name == "./plug.so")' \
		"$T/pay5.json" >/dev/null && ok "statement pins the plugin" || bad "statement pins the plugin"
	cp plug.so "$T/orig"; flip plug.so
	expect 1 "a changed plugin is named" "$R" verify out5/report.json --key ../k.pub --inputs .
	has "changed   plugin ./plug.so" "  ... by name"
	expect 1 "--rescan never loads a changed plugin" "$R" verify out5/report.json --key ../k.pub --inputs . --rescan
	has "a pinned plugin is changed or missing" "  ... says why"
	cp "$T/orig" plug.so
else
	echo "skip plugin pinning (no example plugin, or it cannot be loaded from $T)"
fi

# --rescan: the same verdict and statuses from the pinned files, or exit 1.
expect 0 "--rescan on the unchanged inputs" "$R" verify out/report.sarif --key ../k.pub --inputs . --rescan
has "0 controls differ" "  ... reproduces every control status"
expect 2 "--rescan needs --inputs" "$R" verify out/report.json --key ../k.pub --rescan
cp -r . "$T/changed"
cd "$T/changed" || exit 1
rm -r exp/iam
expect 1 "--rescan on a changed export" "$R" verify out/report.json --key ../k.pub --inputs . --rescan --format json
jq -e '.rescan.ran and (.rescan.differences | length > 0)' "$T/out" >/dev/null &&
	ok "  ... names the controls whose status changed" || bad "  ... names the controls whose status changed"
cd "$T" || exit 1

# The stale-sign bug: a report.json from another run beside report.html.
mkdir stale && cp P/out/report.html P/out/report.sarif stale/ &&
	jq '.verdict = "eligible"' P/out/report.json >stale/report.json
expect 3 "sign report.html beside a report.json of another verdict: refused" \
	"$R" sign stale/report.html --key k.key
has "not from the same run" "  ... says why"
[ ! -e stale/report.html.sigstore.json ] && ok "  ... no bundle written" || bad "  ... no bundle written"
expect 3 "sign report.sarif beside it: refused" "$R" sign stale/report.sarif --key k.key
# Same verdict, another run: the run times the file states must match.
"$R" scan --baseline P/bl.yaml --input P/exp --format json,html,sarif,junit,markdown \
	--output-dir run1 >/dev/null 2>&1
sleep 1.1
"$R" scan --baseline P/bl.yaml --input P/exp --format json --output-dir run2 >/dev/null 2>&1
for f in report.html report.sarif report.junit.xml report.md; do
	expect 0 "sign $f beside its own report.json" "$R" sign "run1/$f" --key k.key
done
cp run2/report.json run1/report.json
for f in report.html report.sarif report.junit.xml report.md; do
	expect 3 "sign $f beside a report.json of another run, same verdict: refused" \
		"$R" sign "run1/$f" --key k.key
	has "not from the same run" "  ... says why"
done
# A truncated JSON report beside an eligible report.json.
head -c 200 P/out/report.json >stale/old.json
expect 3 "sign a truncated report.json (an eligible one beside it): error" \
	"$R" sign stale/old.json --key k.key
[ ! -e stale/old.json.sigstore.json ] && ok "  ... no bundle written" || bad "  ... no bundle written"
unset RAMPART_RULES_DIR

echo "sign e2e: $((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
