# lib.sh: shared by the tests/e2e/tls*.sh scripts.  Sourced, not run.
# Makes a private test CA and certificates in a temporary directory,
# starts servers on free loopback ports and always kills them on exit.
set -u
: "${RAMPART:=$(pwd)/build/rampart}"
T=$(mktemp -d "${TMPDIR:-/tmp}/rampart-tls.XXXXXX")
PIDS=""
FAILS=0
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
# Debian's python3 starts in 60 ms; a pyenv shim takes ten times that.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free TCP port on 127.0.0.1 (the kernel picks it).
free_port() {
	$PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_port PORT [HOST]: until something listens (5 s at most).
wait_port() {
	$PY - "$1" "${2:-127.0.0.1}" <<'PY'
import socket, sys, time
port, host = int(sys.argv[1]), sys.argv[2]
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
end = time.time() + 5
while time.time() < end:
    s = socket.socket(fam)
    try:
        s.connect((host, port)); s.close(); sys.exit(0)
    except OSError:
        s.close(); time.sleep(0.05)
sys.exit(1)
PY
}

# The test CA: EC P-256, SHA-256.
mkca() {
	openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -keyout "$T/ca.key" -out "$T/ca.pem" -days 3650 \
	    -subj "/CN=rampart test CA" -sha256 \
	    -addext "basicConstraints=critical,CA:true" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

# mkcert NAME [key=ec|rsa2048|rsa1024] [san=...] [eku=1|0] [md=sha256|sha1]
#        [days=90] [self=0|1]
# writes $T/NAME.pem (leaf) and $T/NAME.key
mkcert() {
	name=$1; shift
	key=ec san="DNS:localhost,IP:127.0.0.1,IP:::1" eku=1 md=sha256 days=90 self=0
	for kv in "$@"; do eval "$kv"; done
	case $key in
	ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$T/$name.key" 2>/dev/null ;;
	rsa2048) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	    -out "$T/$name.key" 2>/dev/null ;;
	rsa1024) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 \
	    -out "$T/$name.key" 2>/dev/null ;;
	esac
	{
		echo "basicConstraints=critical,CA:false"
		echo "subjectAltName=$san"
		[ "$eku" = 1 ] && echo "extendedKeyUsage=serverAuth"
		echo "keyUsage=critical,digitalSignature,keyEncipherment"
	} >"$T/$name.ext"
	if [ "$self" = 1 ]; then
		openssl req -x509 -new -key "$T/$name.key" -subj "/CN=$name" \
		    -out "$T/$name.pem" -days "$days" "-$md" \
		    -addext "subjectAltName=$san" \
		    -addext "extendedKeyUsage=serverAuth" 2>/dev/null
		return
	fi
	openssl req -new -key "$T/$name.key" -subj "/CN=$name" \
	    -out "$T/$name.csr" 2>/dev/null
	openssl x509 -req -in "$T/$name.csr" -CA "$T/ca.pem" \
	    -CAkey "$T/ca.key" -CAcreateserial -out "$T/$name.pem" \
	    -days "$days" "-$md" -extfile "$T/$name.ext" 2>/dev/null
}

# bg NAME CMD...: run a server in the background, remembered for cleanup.
bg() {
	n=$1; shift
	"$@" >"$T/$n.log" 2>&1 </dev/null &
	PIDS="$PIDS $!"
}

# s_server PORT CERTNAME ARGS...: openssl s_server on 127.0.0.1:PORT.
s_server() {
	port=$1 cert=$2; shift 2
	bg "s_server-$port" openssl s_server -accept "127.0.0.1:$port" \
	    -cert "$T/$cert.pem" -key "$T/$cert.key" -www -quiet "$@"
	wait_port "$port" || { echo "s_server on $port did not start"; \
	    cat "$T/s_server-$port.log"; exit 1; }
}

# scan OUT ARGS...: run rampart tls --format json, keep the exit code
# in RC and the document in $T/OUT.json.
scan() {
	out=$1; shift
	"$RAMPART" tls --format json --ca-file "$T/ca.pem" \
	    --connect-timeout 2 --handshake-timeout 2 "$@" \
	    >"$T/$out.json" 2>"$T/$out.err"
	RC=$?
}

# jget OUT PYEXPR: evaluate a Python expression over the document `d`
# (the first endpoint is `e`).
jget() {
	$PY - "$T/$1.json" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
e = d["endpoints"][0] if d.get("endpoints") else None
print(eval(sys.argv[2]))
PY
}

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; FAILS=$((FAILS + 1)); }

# expect_rc OUT WANT
expect_rc() {
	if [ "$RC" = "$2" ]; then ok "$1: exit $RC"
	else bad "$1: exit $RC, want $2"; cat "$T/$1.err" >&2; fi
}

# expect OUT: read "CHECK-ID STATUS" lines on standard input and compare
# each with the first endpoint's check status (one Python run).
expect() {
	$PY -c '
import json, sys
name, path = sys.argv[1], sys.argv[2]
try:
    e = json.load(open(path))["endpoints"][0]
except Exception as x:
    print("FAIL %s: no JSON document (%s)" % (name, x)); sys.exit(1)
bad = 0
for line in sys.stdin:
    f = line.split()
    if len(f) != 2:
        continue
    c = e["checks"].get(f[0])
    got = c["status"] if c else "missing"
    why = c["reason"] if c else ""
    if got == f[1]:
        print("ok   %s: %s = %s (%s)" % (name, f[0], got, why))
    else:
        print("FAIL %s: %s = %s, want %s (%s)" % (name, f[0], got, f[1], why))
        bad += 1
sys.exit(1 if bad else 0)
' "$1" "$T/$1.json" || FAILS=$((FAILS + 1))
}

# expect_py OUT PYEXPR DESCRIPTION: a Python condition that must hold.
expect_py() {
	got=$(jget "$1" "bool($2)" 2>&1)
	if [ "$got" = "True" ]; then ok "$1: $3"
	else bad "$1: $3 ($2 -> $got)"; fi
}

finish() {
	if [ "$FAILS" -gt 0 ]; then echo "$FAILS check(s) failed"; exit 1; fi
	echo "all passed"
	exit 0
}
