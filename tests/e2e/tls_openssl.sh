#!/bin/sh
# rampart tls against openssl s_server scenarios, one misconfiguration
# each, plus a compliant baseline.  Each must give the exit code and the
# specific check status SP 800-52r2 calls for.
. "$(dirname "$0")/tls/lib.sh"

GOOD_CIPHERS=ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384
GOOD_SUITES=TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384
RSA_CIPHERS=ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384

mkca
mkcert good
mkcert rsa key=rsa2048
mkcert weakkey key=rsa1024
mkcert sha1 md=sha1
mkcert noeku eku=0
mkcert self self=1
mkcert long days=825

# 1. compliant: TLS 1.2 + 1.3, AES-GCM ECDHE only: pass (OCSP warns).
P=$(free_port)
s_server "$P" good -cipher "$GOOD_CIPHERS" -ciphersuites "$GOOD_SUITES"
scan good --sni localhost "127.0.0.1:$P"
expect_rc good 0
expect good <<E
protocol.tls1_2 pass
protocol.tls1_3 pass
protocol.tls1_0 pass
protocol.ssl3 pass
protocol.ssl2 pass
cipher.approved pass
cipher.tls13_fips pass
kex.named_groups pass
cert.chain pass
cert.hostname pass
cert.validity pass
cert.key pass
cert.signature pass
cert.eku pass
ext.extended_master_secret pass
ext.secure_renegotiation pass
ext.no_compression pass
ext.ocsp_stapling warn
E
expect_py good "e['status'] == 'warn'" "overall status warn"
expect_py good "e['evidence']['handshakes'] <= 20" "at most 20 handshakes for a compliant server"
expect_py good "e['evidence']['certificate']['subject_alt_names'][0] == 'DNS:localhost'" "SANs in evidence"
expect_py good "e['evidence']['negotiated']['protocol'] == 'TLS 1.3'" "negotiated TLS 1.3 in evidence"

# 2. TLS 1.0 enabled (legacy server at security level 0).
P=$(free_port)
s_server "$P" rsa -min_protocol TLSv1 -cipher "DEFAULT:@SECLEVEL=0"
scan tls10 --sni localhost "127.0.0.1:$P"
expect_rc tls10 1
expect tls10 <<E
protocol.tls1_0 fail
protocol.tls1_1 fail
protocol.tls1_2 pass
E
expect_py tls10 "e['evidence']['protocols']['tls1_0'] == 'accepted'" "TLS 1.0 listed as accepted"

# 2b. the same server, citizen-facing: TLS 1.1 is only a warning.
scan tls10cf --citizen-facing --sni localhost "127.0.0.1:$P"
expect tls10cf <<E
protocol.tls1_1 warn
protocol.tls1_0 fail
E

# 3. TLS 1.2 only, no TLS 1.3.
P=$(free_port)
s_server "$P" good -no_tls1_3 -cipher "$GOOD_CIPHERS"
scan tls12 --sni localhost "127.0.0.1:$P"
expect_rc tls12 1
expect tls12 <<E
protocol.tls1_3 fail
protocol.tls1_2 pass
cipher.tls13_fips not_applicable
E

# 4. DHE with a 1024-bit group.
# RFC 5114 group 1: a standard 1024-bit group, no slow generation.
openssl genpkey -genparam -algorithm DH -pkeyopt dh_rfc5114:1 \
    -out "$T/dh1024.pem" 2>/dev/null
P=$(free_port)
s_server "$P" rsa -dhparam "$T/dh1024.pem" -no_tls1_3 \
    -cipher "DHE-RSA-AES128-GCM-SHA256:$RSA_CIPHERS:@SECLEVEL=0"
scan dhe --sni localhost "127.0.0.1:$P"
expect_rc dhe 1
expect dhe <<E
kex.dhe_size fail
E
expect_py dhe "'1024' in e['checks']['kex.dhe_size']['reason']" "DHE size named in the reason"

# 5. expired certificate: valid for 90 days, checked 100 days later
#    through the injectable clock.
P=$(free_port)
s_server "$P" good -cipher "$GOOD_CIPHERS" -ciphersuites "$GOOD_SUITES"
# --time takes RFC 3339 (epoch seconds are refused: 20261231 is not 1970).
LATER=$($PY -c 'import time; print(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 100 * 86400)))')
scan expired --sni localhost --time "$LATER" "127.0.0.1:$P"
expect_rc expired 1
expect expired <<E
cert.validity fail
cert.chain pass
E

# 6. wrong host name (same server).
scan wrongname --sni www.example.org "127.0.0.1:$P"
expect_rc wrongname 1
expect wrongname <<E
cert.hostname fail
cert.chain pass
E

# 7. self-signed.
P=$(free_port)
s_server "$P" self -cipher "$GOOD_CIPHERS" -ciphersuites "$GOOD_SUITES"
scan self --sni localhost "127.0.0.1:$P"
expect_rc self 1
expect self <<E
cert.chain fail
E

# 8. SHA-1 signed certificate.
P=$(free_port)
s_server "$P" sha1 -cipher "$GOOD_CIPHERS:@SECLEVEL=0" -ciphersuites "$GOOD_SUITES"
scan sha1 --sni localhost "127.0.0.1:$P"
expect_rc sha1 1
expect sha1 <<E
cert.signature fail
E

# 9. RSA-1024 key.
P=$(free_port)
s_server "$P" weakkey -cipher "$RSA_CIPHERS:@SECLEVEL=0" -ciphersuites "$GOOD_SUITES"
scan rsa1024 --sni localhost "127.0.0.1:$P"
expect_rc rsa1024 1
expect rsa1024 <<E
cert.key fail
E

# 10. no extendedKeyUsage.
P=$(free_port)
s_server "$P" noeku -cipher "$GOOD_CIPHERS" -ciphersuites "$GOOD_SUITES"
scan noeku --sni localhost "127.0.0.1:$P"
expect_rc noeku 1
expect noeku <<E
cert.eku fail
E

# 11. lifetime beyond the policy limit (825 days).
P=$(free_port)
s_server "$P" long -cipher "$GOOD_CIPHERS" -ciphersuites "$GOOD_SUITES"
scan long --sni localhost "127.0.0.1:$P"
expect long <<E
cert.validity fail
E

# 12. default s_server: ChaCha20 in TLS 1.2 is outside §3.3.1.
P=$(free_port)
s_server "$P" good
scan chacha --sni localhost "127.0.0.1:$P"
expect_rc chacha 1
expect chacha <<E
cipher.approved fail
cipher.tls13_fips warn
E

finish
