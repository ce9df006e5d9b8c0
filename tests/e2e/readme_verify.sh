#!/bin/sh
# The README's "verify without rampart" pipeline, extracted from README.md
# and run exactly as written against a report signed by `rampart scan
# --sign`: it must succeed on the signed report and fail on an edited one.
set -u
R=${RAMPART:?}
ROOT=$(pwd)
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0
# The first ```sh block after the "Signed reports" heading.
awk '/^### Signed reports/{f=1} f&&/^```sh$/{b=1;next} b&&/^```$/{exit} b{print}' \
    README.md > "$T/pipeline.sh"
grep -q "openssl dgst -sha256 -verify signer.pub" "$T/pipeline.sh" ||
    { echo "FAIL: pipeline not found in README.md"; exit 1; }
echo "set -e" | cat - "$T/pipeline.sh" > "$T/p.sh"
cd "$T" || exit 1
"$R" keygen --out signer >/dev/null || { echo "FAIL: keygen"; exit 1; }
"$R" scan --baseline "$ROOT/rules/baselines/example.yaml" \
    --input "$ROOT/examples/aws-export" --format json --output report.json \
    --sign signer.key >/dev/null 2>&1
rc=$?
[ "$rc" = 1 ] || { echo "FAIL: scan exit $rc"; exit 1; }
if sh p.sh > out 2>&1; then echo "ok   README pipeline verifies the signed report"
else echo "FAIL README pipeline on a good report"; cat out; fail=1; fi
grep -q '"result": "FAILED"' out && echo "ok   predicate shows the FAILED result" ||
    { echo "FAIL predicate not printed"; fail=1; }
# docs/signing.md: the pinned files rechecked with jq and sha256sum only.
jq -r .dsseEnvelope.payload report.json.sigstore.json | base64 -d > pl.json
if jq -r '.predicate.configuration[] | select(.annotations.role == "input-file")
    | "\(.digest.sha256)  \(.annotations.input)/\(.name)"' pl.json | sha256sum -c --quiet >out 2>&1 &&
    [ "$(jq '[.predicate.configuration[] | select(.annotations.role == "input-file")] | length' pl.json)" -gt 10 ]
then echo "ok   sha256sum -c rechecks every pinned input file"
else echo "FAIL sha256sum -c on the pinned input files"; cat out; fail=1; fi
printf ' ' >> report.json
if sh p.sh > out 2>&1; then echo "FAIL README pipeline accepted an edited report"; fail=1
else echo "ok   README pipeline rejects an edited report"; fi
exit $fail
