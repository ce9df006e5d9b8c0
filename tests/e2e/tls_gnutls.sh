#!/bin/sh
# gnutls-serv offering only 3DES and RC4 on TLS 1.0: stock OpenSSL cannot
# offer those suites, so every OpenSSL probe is refused.  rampart must
# still see them through its hand-built ClientHello and FAIL, never pass.
# The certificate comes in cleartext after the raw probe's ServerHello
# (TLS 1.0), so the certificate checks decide too, and extended master
# secret / secure renegotiation are read from that ServerHello.
# (gnutls-serv cannot bind to one address; it listens on a free port.)
. "$(dirname "$0")/tls/lib.sh"

command -v gnutls-serv >/dev/null 2>&1 || { echo "gnutls-bin not installed"; exit 1; }
mkca
mkcert rsa key=rsa2048
P=$(free_port)
bg gnutls gnutls-serv --port "$P" --x509certfile "$T/rsa.pem" \
    --x509keyfile "$T/rsa.key" \
    --priority "NONE:+VERS-TLS1.0:+3DES-CBC:+ARCFOUR-128:+RSA:+SHA1:+MD5:+COMP-NULL:+SIGN-ALL:%COMPAT"
wait_port "$P" || { echo "gnutls-serv did not start"; cat "$T/gnutls.log"; exit 1; }

scan weak --sni localhost "127.0.0.1:$P"
expect_rc weak 1
expect weak <<E
protocol.tls1_0 fail
protocol.tls1_2 fail
protocol.tls1_3 fail
cipher.approved fail
E
expect_py weak "e['status'] == 'fail'" "overall fail"
expect_py weak "'TLS_RSA_WITH_3DES_EDE_CBC_SHA' in [w['suite'] for w in e['evidence']['accepted_weak_suites']]" "3DES listed as accepted"
expect_py weak "any(w['suite'].startswith('TLS_RSA_WITH_RC4') for w in e['evidence']['accepted_weak_suites'])" "RC4 listed as accepted"
expect_py weak "e['evidence']['protocols']['tls1_0'] == 'accepted'" "TLS 1.0 accepted in evidence"
expect_py weak "all(p['outcome'] != 'local_refusal' or p['probe'] != 'tls1_0' for p in e['evidence']['probes'])" "no local refusal read as support"
# The certificate, read by the raw probe: a good one, so every check passes.
expect weak <<E
cert.chain pass
cert.hostname pass
cert.validity pass
cert.key pass
cert.signature pass
cert.eku pass
ext.secure_renegotiation pass
E
expect_py weak "e['evidence']['certificate']['source'].endswith('-raw') and e['evidence']['certificate']['subject'] == 'CN=rsa'" "certificate read by a raw probe ($(jget weak "e['evidence']['certificate']['source']"))"
expect_py weak "e['checks']['ext.extended_master_secret']['status'] in ('pass', 'fail')" "EMS decided from the raw ServerHello ($(jget weak "e['checks']['ext.extended_master_secret']['status']"))"

# The same server with a certificate for another name and SHA-1: the
# raw-probe certificate checks fail (they are decided, not error).
mkcert bad key=rsa1024 san=DNS:elsewhere.example md=sha1 eku=0
P2=$(free_port)
bg gnutls2 gnutls-serv --port "$P2" --x509certfile "$T/bad.pem" \
    --x509keyfile "$T/bad.key" \
    --priority "NONE:+VERS-TLS1.0:+3DES-CBC:+ARCFOUR-128:+RSA:+SHA1:+MD5:+COMP-NULL:+SIGN-ALL:%COMPAT:%VERIFY_ALLOW_SIGN_WITH_SHA1"
wait_port "$P2" || { echo "gnutls-serv did not start"; cat "$T/gnutls2.log"; exit 1; }
scan badcert --sni localhost "127.0.0.1:$P2"
expect_rc badcert 1
expect badcert <<E
cert.chain pass
cert.hostname fail
cert.key fail
cert.signature fail
cert.eku fail
E
finish
