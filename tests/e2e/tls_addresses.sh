#!/bin/sh
# Every address of a name is tried, in the resolver's order, until one
# connects: `localhost` resolving to both ::1 and 127.0.0.1, with a server
# bound to only one of them, is probed on that one (and the evidence says
# which); with nothing listening, the error names both addresses.
#
# When this machine's localhost resolves to one family only, rampart runs
# in a private mount namespace (unshare -m) where a test hosts file is
# bind-mounted over /etc/hosts: nothing outside that process sees it.
. "$(dirname "$0")/tls/lib.sh"

if ! $PY -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1",0))' 2>/dev/null; then
	echo "skip: no ::1 on this machine"; exit 0
fi
if getent ahosts localhost | grep -q '^::1 ' &&
    getent ahosts localhost | grep -q '^127\.0\.0\.1 '; then
	dual() { "$@"; }
else
	printf '::1 localhost\n127.0.0.1 localhost\n' >"$T/hosts"
	dual() {
		unshare -m sh -c 'mount --bind "$1" /etc/hosts || exit 97
shift; exec "$@"' sh "$T/hosts" "$@"
	}
	if ! dual true 2>/dev/null; then
		echo "skip: localhost is single-stack and unshare -m is not allowed"
		exit 0
	fi
fi
order=$(dual getent ahosts localhost | awk '$2 == "STREAM" {print $1}' | tr '\n' ' ')
echo "note: localhost resolves to: $order"

mkca
mkcert good

# dscan OUT HOSTPORT: rampart tls through the dual-stack resolver.
dscan() {
	dual "$RAMPART" tls --format json --ca-file "$T/ca.pem" \
	    --connect-timeout 2 --handshake-timeout 2 "$2" \
	    >"$T/$1.json" 2>"$T/$1.err"
	RC=$?
}

GOOD="-cipher ECDHE-ECDSA-AES128-GCM-SHA256 -ciphersuites TLS_AES_128_GCM_SHA256"

# 1. server on 127.0.0.1 only.
P=$(free_port)
# shellcheck disable=SC2086
s_server "$P" good $GOOD
dscan v4only "localhost:$P"
expect_py v4only "sorted(e['evidence']['addresses']) == ['127.0.0.1', '::1']" "both addresses resolved ($(jget v4only "e['evidence']['addresses']"))"
expect_py v4only "e['evidence']['address'] == '127.0.0.1'" "probed on 127.0.0.1"
expect_py v4only "e['status'] in ('pass', 'warn', 'fail') and e['error'] is None" "decided, not error ($(jget v4only "e['status']"))"
expect v4only <<E
protocol.tls1_3 pass
cert.hostname pass
cert.chain pass
E

# 2. server on ::1 only (openssl s_server -accept [::1]:PORT).
P6=$(free_port)
bg "s_server6-$P6" openssl s_server -accept "[::1]:$P6" \
    -cert "$T/good.pem" -key "$T/good.key" -www -quiet \
    -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -ciphersuites TLS_AES_128_GCM_SHA256
wait_port "$P6" ::1 || { echo "s_server on [::1]:$P6 did not start"; exit 1; }
dscan v6only "localhost:$P6"
expect_py v6only "e['evidence']['address'] == '::1'" "probed on ::1"
expect_py v6only "e['status'] in ('pass', 'warn', 'fail') and e['error'] is None" "decided, not error ($(jget v6only "e['status']"))"
expect v6only <<E
protocol.tls1_3 pass
cert.hostname pass
E
# Whichever family comes first, one of the two runs had to fall back.
expect_py v4only "e['evidence']['addresses'][0] == '::1' or '$(jget v6only "e['evidence']['addresses'][0]")' == '127.0.0.1'" "one run fell back from the first address"

# 3. nothing listens on either: error, naming both addresses, quickly.
P=$(free_port)
dscan none "localhost:$P"
expect_rc none 4
expect_py none "e['status'] == 'error' and e['evidence']['address'] is None" "error, no address used"
expect_py none "'::1' in e['error'] and '127.0.0.1' in e['error']" "the reason names both addresses"
finish
