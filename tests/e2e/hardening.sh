#!/bin/sh
# End-to-end: trust hardening of sign / verify / keygen on the real binary.
# A crafted bundle cannot draw on the terminal; keyring typos are errors;
# one key in two encodings is one key; private key files must be private.
# Environment: RAMPART (binary).
set -u
R=${RAMPART:-$(pwd)/build/rampart}
FIX=$(pwd)/tests/fixtures/sign
T=$(mktemp -d /tmp/rampart-e2e-hard.XXXXXX)
cleanup() { [ -n "${KEEP:-}" ] || rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
n=0 fails=0
ok() { n=$((n + 1)); echo "ok   $1"; }
bad() {
	n=$((n + 1)); fails=$((fails + 1)); echo "FAIL $1"
	sed 's/^/    /' "$T/err" "$T/out" 2>/dev/null | cat -v | tail -n 15
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
# inert DESCRIPTION: the last command printed no ESC, BEL, CR, C1 byte.
inert() {
	if cat "$T/out" "$T/err" | LC_ALL=C grep -q "$(printf '[\033\007\015\233]')"; then
		bad "$1 (raw control bytes on the terminal)"
	else ok "$1"; fi
}
for tool in jq python3; do
	command -v "$tool" >/dev/null || { echo "FAIL $tool is not installed"; exit 1; }
done
cd "$T" || exit 1
cp "$FIX/report.json" "$FIX/test.pub" . || exit 1
chmod 600 report.json

# ------------------------------------- 1. control codes from a bundle
# The fake screen clears the terminal and claims success.
fake=$(printf '\033[2J\033[H\033[1;32mverified: report.json\nverdict:  eligible (PASSED)\033[0m\r')
for field in hint payloadType mediaType; do
	case $field in
	hint) filter='.verificationMaterial.publicKey.hint = $f' ;;
	payloadType) filter='.dsseEnvelope.payloadType = $f' ;;
	mediaType) filter='.mediaType = $f' ;;
	esac
	jq --arg f "$fake" "$filter" "$FIX/report.json.sigstore.json" >b-$field.json
	expect 1 "$field with ANSI escapes: exit says invalid" \
		"$R" verify report.json --bundle b-$field.json --key test.pub
	inert "$field with ANSI escapes: nothing drawn on the terminal"
	has '\x1b[2J\x1b[H' "$field with ANSI escapes: shown as \\x1b"
	expect 1 "$field with ANSI escapes, keyring: exit says invalid" \
		"$R" verify report.json --bundle b-$field.json --keyring "$FIX/keyring.yaml"
	inert "$field with ANSI escapes, keyring: nothing drawn"
done
# A source excerpt (keyring YAML with an escape on the bad line).
printf 'keys:\n  - id: "\033[2Jx"\n    path: test.pub\n' >ring-esc.yaml
expect 3 "keyring with an escape in its id is refused" \
	"$R" verify report.json --keyring ring-esc.yaml
inert "keyring excerpt: nothing drawn"

echo "$n tests, $fails failed"
[ "$fails" -eq 0 ]
