#!/bin/sh
# Hostile input through the real binary: every limit breach is an error
# with file:line:col and exit 3, fast, and the limits are configurable.
set -u
R=${RAMPART:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
expect() {	# DESC WANT-RC NEEDLE CMD...
	desc=$1 want=$2 needle=$3; shift 3
	start=$(date +%s)
	"$@" > "$T/out" 2>&1; rc=$?
	secs=$(( $(date +%s) - start ))
	if [ "$rc" != "$want" ]; then bad "$desc: exit $rc, want $want"; head -5 "$T/out"
	elif ! grep -qF -- "$needle" "$T/out"; then bad "$desc: no '$needle' in: $(head -3 "$T/out")"
	elif [ "$secs" -gt 5 ]; then bad "$desc: took ${secs}s"
	else ok "$desc"; fi
}
# Billion laughs: 9 levels of 9 aliases.
{
	echo 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
	p=a
	for l in b c d e f g h i; do
		printf '%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n' $l $l $p $p $p $p $p $p $p $p $p
		p=$l
	done
} > "$T/laughs.yaml"
expect "billion laughs fails cleanly" 3 "laughs.yaml:" "$R" doc "$T/laughs.yaml"
grep -q "alias" "$T/out" && ok "the message names the alias expansion" || bad "no alias in message"
# 100k-deep nesting, YAML and JSON.
python3 -c "print('['*100000 + ']'*100000)" > "$T/deep.yaml"
cp "$T/deep.yaml" "$T/deep.json"
expect "deep YAML nesting" 3 "deep.yaml:1:257: error: nesting deeper than the limit of 256" "$R" doc "$T/deep.yaml"
expect "deep JSON nesting" 3 "deep.json:1:257: error: nesting deeper than the limit of 256" "$R" doc "$T/deep.json"
expect "--max-depth lowers the limit" 3 "deep.json:1:11: error: nesting deeper than the limit of 10" "$R" doc --max-depth 10 "$T/deep.json"
printf '{"k": "%s"}\n' "$(head -c 3000 /dev/zero | tr '\0' x)" > "$T/long.json"
expect "--max-scalar-bytes" 3 "long.json:1:7: error: scalar longer than the limit of 1000 bytes" "$R" doc --max-scalar-bytes 1000 "$T/long.json"
expect "bad limit value" 2 "invalid limit" "$R" doc --max-depth -3 "$T/long.json"
# Self-referencing anchor.
printf 'a: &x [1, *x]\n' > "$T/cycle.yaml"
expect "alias cycle" 3 "cycle.yaml:1:" "$R" doc "$T/cycle.yaml"
# UTF-16LE with a BOM is decoded; UTF-32 is refused; bad UTF-8 has a position.
printf '{"a": "\303\251"}\n' | iconv -f UTF-8 -t UTF-16 > "$T/u16.json"
expect "UTF-16 with BOM is decoded" 0 'string "é"' "$R" doc "$T/u16.json"
printf '\377\376\000\000{\000\000\000' > "$T/u32.json"
expect "UTF-32 is refused" 3 "UTF-32LE" "$R" doc "$T/u32.json"
printf '{"a": "ok",\n "b": "\377"}\n' > "$T/bad8.json"
expect "invalid UTF-8 has a position" 3 "bad8.json:2:" "$R" doc "$T/bad8.json"
# Duplicate keys in an export are an error in a scan too (no report).
mkdir -p "$T/exp/iam"
printf '{"PasswordPolicy": {"MinimumPasswordLength": 8,\n  "MinimumPasswordLength": 16}}\n' > "$T/exp/iam/get-account-password-policy.json"
expect "duplicate keys in an export stop the scan" 3 "get-account-password-policy.json:2:3: error: duplicate key 'MinimumPasswordLength' (first defined at 1:21)" \
    "$R" scan --baseline rules/baselines/example.yaml --input "$T/exp" --output "$T/r.json"
[ ! -e "$T/r.json" ] && ok "no report written" || bad "a report was written"
exit $fail
