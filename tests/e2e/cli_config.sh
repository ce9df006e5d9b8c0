#!/bin/sh
# The configuration sources (issue 17): .rampart.yaml in the working
# directory or --config FILE, and RAMPART_* variables, for the options a
# pipeline repeats.  The command line wins over the environment, which
# wins over the file; unknown keys are errors with file:line:col; what was
# read is recorded in the report (JSON "config") and the signed statement.
set -u
set -f
R=${RAMPART:?}
fail=0
pass=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
top=$(pwd)
EX=$top/examples/aws-export
T0=2026-11-01T00:00:00Z
# No RAMPART_* from the caller's environment.
for v in $(env | sed -n 's/^\(RAMPART_[A-Z_]*\)=.*/\1/p'); do
	case $v in RAMPART_THREADS) ;; *) unset "$v" ;; esac
done
bl() { jq -r .baseline.id "$1"; }
id() { "$R" baseline show "$1" -f json | jq -r .id; }

mkdir "$tmp/w" && cd "$tmp/w" || exit 1
cat > .rampart.yaml <<'EOF'
# what this pipeline repeats
scan:
  baseline: example
  format: json
  skip-check:
    - aws-s3-*
    - aws-iam-root-mfa
tls:
  fixed-time: 2026-01-01
EOF

"$R" scan -i "$EX" --fixed-time "$T0" > r1.json 2>/dev/null
[ "$(bl r1.json)" = "$(id example)" ] && ok ".rampart.yaml gives the baseline" ||
    bad ".rampart.yaml baseline: $(bl r1.json)"
jq -e '.selection == "--skip-check aws-s3-* --skip-check aws-iam-root-mfa"' r1.json >/dev/null &&
    ok "a list in the file repeats a repeatable option" || bad "list value: $(jq .selection r1.json)"
sha=$(sha256sum .rampart.yaml | cut -d' ' -f1)
jq -e --arg s "$sha" '.config.file == ".rampart.yaml" and .config.sha256 == $s and .config.env == []' \
    r1.json >/dev/null && ok "the report records the file and its sha256" ||
    bad "config member: $(jq -c .config r1.json)"

RAMPART_BASELINE=fedramp-low "$R" scan -i "$EX" --fixed-time "$T0" > r2.json 2>/dev/null
[ "$(bl r2.json)" = "$(id fedramp-low)" ] && ok "the environment wins over the file" ||
    bad "env vs file: $(bl r2.json)"
jq -e '.config.env == ["RAMPART_BASELINE"]' r2.json >/dev/null &&
    ok "the report names the variables used" || bad "config.env: $(jq -c .config.env r2.json)"
RAMPART_BASELINE=fedramp-low "$R" scan -b fedramp-high -i "$EX" --fixed-time "$T0" \
    > r3.json 2>/dev/null
[ "$(bl r3.json)" = "$(id fedramp-high)" ] && ok "the command line wins over both" ||
    bad "cli vs env: $(bl r3.json)"
jq -e '.config.env == []' r3.json >/dev/null &&
    ok "a variable the command line overrode is not recorded as used" ||
    bad "overridden variable recorded: $(jq -c .config.env r3.json)"
RAMPART_SKIP_CHECK='aws-ec2-*,aws-rds-*' "$R" scan -i "$EX" --fixed-time "$T0" > r4.json 2>/dev/null
jq -e '.selection == "--skip-check aws-ec2-* --skip-check aws-rds-*"' r4.json >/dev/null &&
    ok "a comma list in a variable repeats; it replaces the file's list" ||
    bad "env list: $(jq .selection r4.json)"
"$R" scan -i "$EX" --fixed-time "$T0" --skip-check 'aws-kms-*' > r5.json 2>/dev/null
jq -e '.selection == "--skip-check aws-kms-*"' r5.json >/dev/null &&
    ok "the command line's list replaces the file's" || bad "cli list: $(jq .selection r5.json)"
RAMPART_FORMAT=text "$R" scan -i "$EX" --fixed-time "$T0" 2>/dev/null | head -1 |
    grep -q '^verdict' && ok "RAMPART_FORMAT" || bad "RAMPART_FORMAT"
RAMPART_OUTPUT_DIR=out "$R" scan -i "$EX" --fixed-time "$T0" >/dev/null 2>&1
[ -f out/report.json ] && ok "RAMPART_OUTPUT_DIR" || bad "RAMPART_OUTPUT_DIR"
RAMPART_QUIET=maybe "$R" scan -i "$EX" >/dev/null 2>&1
[ $? = 2 ] && ok "a flag variable that is not a boolean is exit 2" || bad "RAMPART_QUIET=maybe"

# --no-config: the command line alone.
"$R" scan -i "$EX" --no-config >/dev/null 2>&1
[ $? = 2 ] && ok "--no-config ignores the file (no baseline: exit 2)" ||
    bad "--no-config"
RAMPART_BASELINE=example "$R" scan -i "$EX" --no-config >/dev/null 2>&1
[ $? = 2 ] && ok "--no-config ignores the environment" || bad "--no-config env"

# Sections: tls reads its own, other commands ignore scan's keys.
"$R" tls --help >/dev/null 2>&1 && ok "tls runs beside a scan section" || bad "tls"

# --config FILE instead of ./.rampart.yaml.
printf 'scan:\n  baseline: fedramp-li-saas\n' > "$tmp/other.yaml"
"$R" scan --config "$tmp/other.yaml" -i "$EX" --fixed-time "$T0" -f json > r6.json 2>/dev/null
[ "$(bl r6.json)" = "$(id fedramp-li-saas)" ] && ok "--config FILE" || bad "--config: $(bl r6.json)"
jq -e --arg p "$tmp/other.yaml" '.config.file == $p' r6.json >/dev/null &&
    ok "--config FILE recorded" || bad "--config recorded"
"$R" scan --config "$tmp/none.yaml" -i "$EX" >/dev/null 2>&1
[ $? = 2 ] && ok "--config of a missing file is an error" || bad "--config missing"

# Errors with file:line:col and did you mean.
err() {	# description yaml needle
	# shellcheck disable=SC2059
	printf "$2" > "$tmp/bad.yaml"
	out=$("$R" scan --config "$tmp/bad.yaml" -i "$EX" 2>&1); rc=$?
	if [ $rc = 2 ] && echo "$out" | grep -qF -- "$3"; then ok "$1"
	else bad "$1: exit $rc"; echo "$out" | head -3; fi
}
err "unknown key" 'scan:\n  basline: x\n' "bad.yaml:2:3: error: unknown key 'basline' in section 'scan'"
err "... with did you mean" 'scan:\n  basline: x\n' "did you mean 'baseline'?"
err "unknown section" 'scna:\n  baseline: x\n' "bad.yaml:1:1: error: unknown section 'scna'"
err "a command without configuration" 'keygen:\n  output: x\n' "that command reads no configuration"
err "a list for a single-valued option" 'scan:\n  baseline: [a, b]\n' "bad.yaml:2:13: error: option 'baseline' takes one value, not a list"
err "a flag needs a boolean" 'scan:\n  quiet: yes please\n' "'quiet' is a flag"
err "an option not for the configuration" 'scan:\n  input: x\n' "unknown key 'input'"
err "not a map" '[scan]\n' "expected a map of command sections"
err "a bad value is checked as on the command line" 'scan:\n  gate: chekcs\n' "did you mean 'checks'?"
err "... and located" 'scan:\n  gate: chekcs\n' "bad.yaml:2:9: note: the value given to 'gate' here"
err "a duplicate key" 'scan:\n  baseline: a\n  baseline: b\n' "duplicate key 'baseline'"

: > "$tmp/empty.yaml"
"$R" scan --config "$tmp/empty.yaml" -b example -i "$EX" --fixed-time "$T0" -f json \
    > r7.json 2>/dev/null
[ $? -le 4 ] && jq -e '.config.file != null' r7.json >/dev/null &&
    ok "an empty configuration file is no option (and is recorded)" ||
    bad "an empty configuration file"

# The signed statement pins the configuration.
cd "$tmp/w" || exit 1
chmod 600 "$top/tests/fixtures/sign/test.key"
"$R" scan -i "$EX" --fixed-time "$T0" --output-dir signed \
    --sign "$top/tests/fixtures/sign/test.key" >/dev/null 2>&1
jq -r .dsseEnvelope.payload signed/report.json.sigstore.json | base64 -d 2>/dev/null |
    grep -q "\.rampart\.yaml sha256:$sha" && ok "the signed statement pins the file" ||
    bad "the signed statement lacks the configuration"

# The config member is valid against docs/report.schema.json.
NODE_PATH=$top/tests/node/node_modules
export NODE_PATH
if command -v node >/dev/null 2>&1 && [ -d "$NODE_PATH/ajv-formats" ]; then
	for f in r1.json r2.json; do
		node "$top/tests/e2e/reports/validate.js" json \
		    "$top/docs/report.schema.json" "$tmp/w/$f" >/dev/null 2>&1 &&
		    ok "$f with a config member is valid" || bad "$f invalid"
	done
else
	echo "skip: schema validation (no ajv in tests/node)"
fi

echo "cli_config e2e: $pass passed, $fail failed"
[ $fail -eq 0 ]
