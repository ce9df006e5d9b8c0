#!/bin/sh
# End-to-end: trust hardening of sign / verify / keygen on the real binary.
# A crafted bundle cannot draw on the terminal; keyring typos are errors;
# one key in two encodings is one key; private key files must be private.
# Environment: RAMPART (binary).
set -u
R=${RAMPART:-$(pwd)/build/rampart}
FIX=$(pwd)/tests/fixtures/sign
HERE_SIGN=$(pwd)/tests/e2e/sign
ROOT=$(pwd)
T=$(mktemp -d /tmp/rampart-e2e-hard.XXXXXX)
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
# A valid signature: the fields verify prints (keyring name) are escaped.
printf 'keys:\n  - id: "9492d5e693b78ee332a8fe677b998acbdea977d188d405d3dbab428e199228eb"\n    name: "\\e[2J\\e[Hci\\u009b"\n    path: test.pub\n' >ring-name.yaml
expect 0 "keyring name with escapes: valid signature" "$R" verify report.json --bundle "$FIX/report.json.sigstore.json" --keyring ring-name.yaml
inert "... printed without drawing on the terminal"
has 'signer:   \x1b[2J\x1b[Hci\xc2\x9b' "... the name shown escaped"
# A source excerpt (keyring YAML with an escape on the bad line).
printf 'keys:\n  - id: "\033[2Jx"\n    path: test.pub\n' >ring-esc.yaml
expect 3 "keyring with an escape in its id is refused" \
	"$R" verify report.json --keyring ring-esc.yaml
inert "keyring excerpt: nothing drawn"

# A TLS server whose certificate names hold a C1 CSI and a bidi override.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout tls.key \
	-out tls.pem -days 2 -utf8 -subj "/CN=evil$(printf '\302\233')31mX$(printf '\342\200\256')txt" 2>/dev/null
# A free port: try a few (other test runs share the machine).
for try in 1 2 3 4 5 6; do
	port=$((20000 + ($$ * 7 + try * 1009) % 40000))
	openssl s_server -accept "127.0.0.1:$port" -cert tls.pem -key tls.key -www -quiet >/dev/null 2>&1 &
	srv=$!
	sleep 0.5
	kill -0 "$srv" 2>/dev/null && break
done
"$R" tls "127.0.0.1:$port" >"$T/out" 2>"$T/err"
kill "$srv" 2>/dev/null
has 'CN=evil\xc2\x9b31mX\xe2\x80\xaetxt' "tls: certificate names shown escaped"
inert "tls: nothing drawn on the terminal"
if cat "$T/out" "$T/err" | grep -q "$(printf '\342\200\256')"; then bad "tls: no raw bidi override"; else ok "tls: no raw bidi override"; fi

# ------------------------------------------------ 3. canonical key ids
cp "$FIX/report.json.sigstore.json" .
openssl ec -pubin -in test.pub -pubout -conv_form compressed -out comp.pub 2>/dev/null
expect 0 "a compressed-point public key verifies (same key, same id)" \
	"$R" verify report.json --key comp.pub
has "9492d5e693b78ee332a8fe677b998acbdea977d188d405d3dbab428e199228eb" "... under its canonical id"
openssl ec -pubin -in test.pub -pubout -param_enc explicit -out expl.pub 2>/dev/null
expect 3 "explicit curve parameters are refused" "$R" verify report.json --key expl.pub
has "explicit curve parameters" "... and said so"
kid=9492d5e693b78ee332a8fe677b998acbdea977d188d405d3dbab428e199228eb
printf 'keys:\n  - id: "%s"\n    name: ci\n    path: test.pub\n    revoked_at: 2026-01-01T00:00:00Z\n  - id: "%s"\n    name: ci-old\n    path: comp.pub\n' "$kid" "$kid" >dup.yaml
expect 3 "one key twice in a keyring (compressed and not) is refused" \
	"$R" verify report.json --keyring dup.yaml
has "duplicate key in keyring" "... as a duplicate"

# ------------------------------------------------------- 4. timestamps
# The stored fixture bundle has no timestamp; its signer claims a time.
ring() { # ring FILE EXTRA-LINE
	printf 'keys:\n  - id: "%s"\n    name: ci\n    path: %s/test.pub\n%s' "$kid" "$T" "$2" >"$1"
}
ring plain.yaml ""
ring retired.yaml "    retired_at: 2099-01-01T00:00:00Z
"
ring notbefore.yaml "    not_before: 2001-01-01T00:00:00Z
"
expect 0 "keyring without validity dates: no timestamp needed" \
	"$R" verify report.json --keyring plain.yaml
for f in retired notbefore; do
	expect 1 "keyring entry with $f date and no timestamp: invalid (implied --require-timestamp)" \
		"$R" verify report.json --keyring $f.yaml
	has "a verified RFC 3161 timestamp is required" "... says a timestamp is required"
done
expect 2 "--require-timestamp needs --tsa-ca" "$R" verify report.json --key test.pub --require-timestamp
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout any.key \
	-out any-ca.pem -days 2 -subj "/CN=any" 2>/dev/null
expect 1 "--require-timestamp with --key and no timestamp: invalid" \
	"$R" verify report.json --key test.pub --require-timestamp --tsa-ca any-ca.pem
expect 0 "... its twin without --require-timestamp is valid" "$R" verify report.json --key test.pub

# A local TSA (openssl ts behind tests/e2e/sign/tsa_server.py).
mkdir tsa && cd tsa || exit 1
printf 'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = critical, timeStamping\n' >ext.cnf
tsa_conf() { # tsa_conf FILE ACCURACY
	cat >"$1" <<EOC
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
digests = sha256
$2
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
EOC
}
tsa_conf ts.cnf "accuracy = secs:1"
echo 01 >serial
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout ca.key -out ca.pem -days 2 -subj "/CN=hardening TSA root" \
	-addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null &&
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout tsa.key -out tsa.csr -subj "/CN=hardening TSA" 2>/dev/null &&
openssl x509 -req -in tsa.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
	-out tsa.pem -days 2 -extfile ext.cnf 2>/dev/null || bad "test TSA certificates"
python3 "$HERE_SIGN/tsa_server.py" ts.cnf port 2>tsa.log &
tsa_pid=$!
i=0
while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
cd "$T" || exit 1
if [ -s tsa/port ]; then
	url="http://127.0.0.1:$(cat tsa/port)/tsa"
	cp report.json ts.json; cp "$FIX/test.key" ts.key; chmod 600 ts.key
	expect 0 "sign with a timestamp" "$R" sign ts.json --key ts.key --tsa-url "$url"
	expect 0 "retired-later key with a verified timestamp: valid" \
		"$R" verify ts.json --keyring retired.yaml --tsa-ca tsa/ca.pem
	expect 0 "--require-timestamp with a verified timestamp: valid" \
		"$R" verify ts.json --key test.pub --require-timestamp --tsa-ca tsa/ca.pem
	jq 'del(.verificationMaterial.timestampVerificationData)' ts.json.sigstore.json >stripped.json
	expect 1 "timestamp stripped, keyring entry with dates: invalid" \
		"$R" verify ts.json --bundle stripped.json --keyring retired.yaml --tsa-ca tsa/ca.pem
	has "bundle has none" "... says the bundle has no timestamp"
	expect 1 "timestamp stripped, --require-timestamp: invalid" \
		"$R" verify ts.json --bundle stripped.json --key test.pub --require-timestamp --tsa-ca tsa/ca.pem
	expect 1 "timestamp present but not checkable (no --tsa-ca), entry with dates: invalid" \
		"$R" verify ts.json --keyring retired.yaml
	has "cannot be checked without --tsa-ca" "... says why"
	# At signing: the reply is checked against --tsa-ca before use.
	cp report.json s1.json
	expect 0 "sign --tsa-ca: the TSA's reply verifies" \
		"$R" sign s1.json --key ts.key --tsa-url "$url" --tsa-ca tsa/ca.pem --tsa-policy 1.2.3.4.1
	if grep -q "not verified" "$T/err"; then bad "... no warning"; else ok "... no warning"; fi
	cp report.json s2.json
	expect 0 "sign without --tsa-ca: warned that the reply is unverified" \
		"$R" sign s2.json --key ts.key --tsa-url "$url"
	has "the TSA's reply was not verified (no --tsa-ca)" "... the warning"
	cp report.json s3.json
	expect 5 "sign --tsa-ca with another CA: refused" \
		"$R" sign s3.json --key ts.key --tsa-url "$url" --tsa-ca any-ca.pem
	has "the timestamp does not verify" "... says why"
	[ ! -e s3.json.sigstore.json ] && ok "... and writes no bundle" || bad "... and writes no bundle"
	expect 5 "sign --tsa-policy other than the TSA's: refused" \
		"$R" sign s3.json --key ts.key --tsa-url "$url" --tsa-ca tsa/ca.pem --tsa-policy 1.2.3.4.2
	has "policy '1.2.3.4.1', not the required '1.2.3.4.2'" "... names both policies"
	expect 2 "--tsa-ca without --tsa-url is a usage error" "$R" sign s3.json --key ts.key --tsa-ca tsa/ca.pem
	# scan --sign passes --tsa-ca through.
	expect 1 "scan --sign --tsa-ca: signed with a checked timestamp (not eligible)" \
		"$R" scan --baseline "$ROOT/rules/baselines/example.yaml" --input "$ROOT/examples/aws-export" \
		--format json --output scan1.json --sign ts.key --tsa-url "$url" --tsa-ca tsa/ca.pem
	[ -s scan1.json.sigstore.json ] && ok "... bundle written" || bad "... bundle written"
	expect 5 "scan --sign --tsa-ca with another CA: refused" \
		"$R" scan --baseline "$ROOT/rules/baselines/example.yaml" --input "$ROOT/examples/aws-export" \
		--format json --output scan2.json --sign ts.key --tsa-url "$url" --tsa-ca any-ca.pem
	has "the timestamp does not verify" "... says why"
	# A TSA that claims only +/- 1 hour.
	cd tsa && tsa_conf ts-acc.cnf "accuracy = secs:3600"
	python3 "$HERE_SIGN/tsa_server.py" ts-acc.cnf port-acc 2>tsa-acc.log &
	acc_pid=$!
	cd "$T" || exit 1
	i=0
	while [ ! -s tsa/port-acc ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	if [ -s tsa/port-acc ]; then
		expect 5 "sign --tsa-ca: a TSA accurate to 1 hour is refused" \
			"$R" sign s3.json --key ts.key --tsa-url "http://127.0.0.1:$(cat tsa/port-acc)/tsa" --tsa-ca tsa/ca.pem
		has "accuracy of 3600 s; at most 60 s" "... names the accuracy"
	else
		bad "second TSA responder did not start"
	fi
	kill "$acc_pid" 2>/dev/null
else
	bad "TSA responder did not start"; cat tsa/tsa.log
fi
# DNS resolution is bounded by the TSA deadline (10 s): a name server that
# never answers, with resolver options that would make a plain
# getaddrinfo() wait 3 x 30 s, in a private mount and network namespace.
if unshare -mn true 2>/dev/null; then
	printf 'nameserver 127.0.0.1\noptions timeout:30 attempts:3\n' >resolv.conf
	cat >silent_dns.py <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
open(sys.argv[1], "w").write("up")
while True:
    s.recvfrom(4096)
PY
	cp report.json dns.json
	start=$(date +%s)
	unshare -mn sh -c 'ip link set lo up && mount --bind "$1/resolv.conf" /etc/resolv.conf &&
		{ python3 "$1/silent_dns.py" "$1/dns.up" & } &&
		i=0; while [ ! -s "$1/dns.up" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done;
		"$2" sign "$1/dns.json" --key "$1/ts.key" --tsa-url http://tsa.hardening.test/tsa;
		rc=$?; kill $! 2>/dev/null; exit $rc' sh "$T" "$R" >"$T/out" 2>"$T/err"
	got=$?
	took=$(($(date +%s) - start))
	[ "$got" -eq 5 ] && ok "silent name server: sign fails (exit 5)" || bad "silent name server: sign fails (exit $got, want 5)"
	[ "$took" -le 20 ] && ok "... within the deadline (${took}s)" || bad "... within the deadline (took ${took}s)"
	has "no answer before the deadline" "... and says so"
else
	echo "skip DNS deadline (no unshare -mn here)"
fi

# ------------------------------------------- 5. keys and passphrases
cp "$FIX/test.key" open.key && chmod 644 open.key
expect 3 "sign refuses a 0644 private key" "$R" sign report.json --key open.key
has "permissions 0644 are too open" "... and says why"
has "chmod 600" "... and how to fix it"
chmod 600 open.key
expect 0 "the same key, 0600, signs" "$R" sign report.json --key open.key
has "warning: private key is not encrypted" "an unencrypted key is warned about at use"
cp "$FIX/test-enc.key" enc.key && chmod 600 enc.key
expect 0 "an encrypted key signs without the warning" \
	"$R" sign report.json --key enc.key --passphrase-file "$FIX/test-enc.pass"
if grep -q "not encrypted" "$T/err"; then bad "no warning for an encrypted key"; else ok "no warning for an encrypted key"; fi
mkfifo pass.fifo && { printf 'fifo-pass\n' >pass.fifo & }
expect 0 "keygen: a passphrase from a pipe (as <(...) gives)" "$R" keygen --out fifo --passphrase-file pass.fifo
printf 'fifo-pass\n' >fifo.pass
expect 0 "... and that key signs" "$R" sign report.json --key fifo.key --passphrase-file fifo.pass
python3 -c 'print("x" * 1025)' >long.pass
expect 3 "keygen refuses a passphrase decryption would not accept" \
	"$R" keygen --out long --passphrase-file long.pass
has "at most 1024" "... naming the limit"
[ ! -e long.key ] && ok "... and writes no key" || bad "... and writes no key"
python3 -c 'print("y" * 1024)' >max.pass
expect 0 "keygen: a 1024-byte passphrase" "$R" keygen --out max --passphrase-file max.pass
expect 0 "... and that key signs" "$R" sign report.json --key max.key --passphrase-file max.pass
# --passphrase-file - on a terminal: echo off (the typed text never comes
# back on the terminal), and the key is encrypted with what was typed.
python3 - "$R" >tty.out 2>&1 <<'PY'
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "keygen", "--out", "tty", "--passphrase-file", "-"])
out = b""
def pump(until, secs):
    global out
    end = time.time() + secs
    while time.time() < end and (until is None or until not in out):
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                return
            if not chunk:
                return
            out += chunk
pump(b"passphrase:", 10)
os.write(fd, b"Typed-Secret-42\n")
pump(None, 3)
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode("latin-1"))
print("\nEXIT", os.WEXITSTATUS(st))
print("ECHOED" if b"Typed-Secret-42" in out else "NOT-ECHOED")
PY
grep -q "EXIT 0" tty.out && ok "keygen --passphrase-file - on a terminal" || { cat tty.out; bad "keygen --passphrase-file - on a terminal"; }
grep -q "NOT-ECHOED" tty.out && ok "... the passphrase is not echoed" || bad "... the passphrase is not echoed"
head -1 tty.key 2>/dev/null | grep -q "ENCRYPTED PRIVATE KEY" && ok "... the key is encrypted" || bad "... the key is encrypted"
printf 'Typed-Secret-42\n' >typed.pass
expect 0 "... with what was typed" "$R" sign report.json --key tty.key --passphrase-file typed.pass

echo "$n tests, $fails failed"
[ "$fails" -eq 0 ]
