#!/bin/sh
# rampart tls with the shared option names (issue 17): --only-failures
# prints the failing and unreachable endpoints and hides passing ones,
# --timeout sets both deadlines, --fixed-time (and its alias --time).
. "$(dirname "$0")/tls/lib.sh"

GOOD_CIPHERS=ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384
GOOD_SUITES=TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384

mkca
mkcert good
P=$(free_port)
s_server "$P" good -cipher "$GOOD_CIPHERS" -ciphersuites "$GOOD_SUITES"
DEAD=$(free_port) # nothing listens there

tls() { "$RAMPART" tls --ca-file "$T/ca.pem" --timeout 2 --sni localhost "$@"; }

tls "127.0.0.1:$P" > "$T/all.txt" 2>/dev/null
grep -q "127.0.0.1:$P" "$T/all.txt" && ok "a passing endpoint is printed" ||
    bad "the passing endpoint is missing without --only-failures"
tls "127.0.0.1:$P" "127.0.0.1:$DEAD" --only-failures > "$T/only.txt" 2>/dev/null
rc=$?
grep -q "127.0.0.1:$DEAD" "$T/only.txt" && ok "--only-failures prints the unreachable one" ||
    bad "--only-failures hides the unreachable endpoint"
grep -q "127.0.0.1:$P\\b" "$T/only.txt" && bad "--only-failures prints a passing endpoint" ||
    ok "--only-failures hides the passing endpoint"
[ $rc = 4 ] && ok "--only-failures keeps the exit code (4)" || bad "exit $rc, want 4"
tls "127.0.0.1:$P" --fixed-time 2026-01-01 >/dev/null 2>&1
rc1=$?
tls "127.0.0.1:$P" --time 2026-01-01 >/dev/null 2>&1
rc2=$?
[ $rc1 = $rc2 ] && ok "--time is --fixed-time (exit $rc1)" || bad "--time $rc2 vs --fixed-time $rc1"
"$RAMPART" tls --fixed-time 2026-01-01 --time 2026-01-02 "127.0.0.1:$P" >/dev/null 2>&1
[ $? = 2 ] && ok "--fixed-time and --time together: given twice" || bad "two times accepted"
RAMPART_CA_FILE="$T/ca.pem" "$RAMPART" tls --timeout 2 --sni localhost \
    "127.0.0.1:$P" -f json > "$T/env.json" 2>/dev/null
rc=$?
"$RAMPART" tls --timeout 2 --sni localhost "127.0.0.1:$P" >/dev/null 2>&1
rc0=$?
[ $rc = 0 ] && [ $rc0 = 1 ] && ok "RAMPART_CA_FILE gives tls its trust anchors (without: exit 1)" ||
    bad "RAMPART_CA_FILE: exit $rc (without: $rc0)"
finish
