#!/bin/sh
# rampart scan --tls: live endpoints feed the TLS checks of the shipped
# pack (rules/packs/tls) into controls and the verdict (bound here as
# deciding their controls fully, so a compliant endpoint can pass).  A compliant
# server passes SC-8/SC-13/SC-17; a TLS 1.0 server fails SC-8; an
# unreachable endpoint is error (incomplete, exit 4), never a pass.
. "$(dirname "$0")/tls/lib.sh"

GOOD_CIPHERS=ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384
GOOD_SUITES=TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384

mkca
mkcert good
mkcert rsa key=rsa2048
cat > "$T/bl.yaml" <<B
id: tls-only
title: TLS controls
impact: moderate
controls:
  - id: sc-8
    checks: [{id: tls-no-legacy-protocols, decides: full},
             {id: tls-modern-protocols, decides: full},
             {id: tls-extensions, decides: full}]
  - id: sc-13
    checks: [{id: tls-approved-ciphers, decides: full},
             {id: tls-key-exchange, decides: full}]
  - id: sc-17
    checks: [{id: tls-certificate, decides: full}]
B

# control STATUS lines against $T/OUT.json
controls() {	# OUT
	$PY - "$T/$1.json" <<'P' > "$T/$1.got"
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["controls"]:
    print(c["id"], c["status"])
print("verdict", d["verdict"])
P
	while read -r id want; do
		got=$(awk -v i="$id" '$1 == i {print $2}' "$T/$1.got")
		if [ "$got" = "$want" ]; then ok "$1: $id $want"
		else bad "$1: $id is '$got', want '$want'"; fi
	done
}

run() {	# OUT WANT-RC ARGS...
	out=$1 want=$2; shift 2
	"$RAMPART" scan --baseline "$T/bl.yaml" --format json \
	    --output "$T/$out.json" --tls-ca-file "$T/ca.pem" \
	    --tls-timeout 3 "$@" 2>"$T/$out.err"
	rc=$?
	if [ "$rc" = "$want" ]; then ok "$out: exit $rc"
	else bad "$out: exit $rc, want $want"; cat "$T/$out.err"; fi
}

P=$(free_port)
s_server "$P" good -cipher "$GOOD_CIPHERS" -ciphersuites "$GOOD_SUITES"
echo "127.0.0.1:$P localhost" > "$T/targets"
run good 0 --tls-targets "$T/targets"
controls good <<E
sc-8 pass
sc-13 pass
sc-17 pass
verdict eligible
E
expect_py good "d['inputs'][0]['format'] == 'tls' and len(d['inputs'][0]['sha256']) == 64" "TLS input with an evidence digest"

P=$(free_port)
s_server "$P" rsa -min_protocol TLSv1 -cipher "DEFAULT:@SECLEVEL=0"
echo "127.0.0.1:$P localhost" > "$T/targets10"
run tls10 1 --tls-targets "$T/targets10"
controls tls10 <<E
sc-8 fail
verdict not_eligible
E

# Nothing listens on this port: error for every control, exit 4.
P=$(free_port)
run closed 4 --tls "127.0.0.1:$P"
controls closed <<E
sc-8 error
sc-13 error
sc-17 error
verdict incomplete
E
finish
