#!/bin/sh
# nginx (Debian nginx-light) with a compliant SP 800-52r2 configuration
# must pass, with an OCSP response stapled; IPv6 literals work; and one
# nginx serving many ports is probed concurrently without errors.
. "$(dirname "$0")/tls/lib.sh"

command -v nginx >/dev/null 2>&1 || { echo "nginx not installed"; exit 1; }
mkca
mkcert good

# A stapled OCSP response ("good") signed by the test CA.
serial=$(openssl x509 -in "$T/good.pem" -noout -serial | cut -d= -f2)
printf 'V\t300101000000Z\t\t%s\tunknown\t/CN=good\n' "$serial" >"$T/index.txt"
openssl ocsp -index "$T/index.txt" -rsigner "$T/ca.pem" -rkey "$T/ca.key" \
    -CA "$T/ca.pem" -issuer "$T/ca.pem" -cert "$T/good.pem" -ndays 7 \
    -respout "$T/ocsp.der" >/dev/null 2>&1 || echo "no OCSP response made"

HAVE6=0
if $PY -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1",0))' 2>/dev/null; then
	HAVE6=1
fi
NPORTS=200
# One port for the compliant server and NPORTS more, all bound at once so
# the kernel cannot hand out the same port twice.
ALL=$($PY -c "
import socket
ss=[]
for i in range($NPORTS + 1):
    s=socket.socket(); s.bind(('127.0.0.1',0)); ss.append(s)
print(' '.join(str(s.getsockname()[1]) for s in ss))")
P=${ALL%% *}
PORTS=${ALL#* }

mkdir -p "$T/ngx"
{
	echo "worker_processes 1; daemon off; pid $T/ngx/nginx.pid;"
	echo "error_log $T/ngx/error.log warn;"
	echo "events { worker_connections 2048; }"
	echo "http {"
	echo "  access_log off;"
	for d in client_body proxy fastcgi uwsgi scgi; do
		echo "  ${d}_temp_path $T/ngx/$d;"
	done
	echo "  ssl_certificate $T/good.pem; ssl_certificate_key $T/good.key;"
	echo "  ssl_protocols TLSv1.2 TLSv1.3;"
	echo "  ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384;"
	echo "  ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384;"
	echo "  ssl_ecdh_curve prime256v1:secp384r1;"
	echo "  ssl_prefer_server_ciphers on;"
	[ -s "$T/ocsp.der" ] && echo "  ssl_stapling on; ssl_stapling_file $T/ocsp.der;"
	echo "  server {"
	echo "    listen 127.0.0.1:$P ssl;"
	[ "$HAVE6" = 1 ] && echo "    listen [::1]:$P ssl;"
	for p in $PORTS; do echo "    listen 127.0.0.1:$p ssl;"; done
	echo "    server_name localhost;"
	echo "    location / { return 200 'ok'; }"
	echo "  }"
	echo "}"
} >"$T/ngx/nginx.conf"
bg nginx nginx -c "$T/ngx/nginx.conf" -p "$T/ngx" -e "$T/ngx/error.log"
wait_port "$P" || { echo "nginx did not start"; cat "$T/nginx.log" "$T/ngx/error.log"; exit 1; }

# 1. the compliant configuration passes every check.
scan ngx --sni localhost "127.0.0.1:$P"
expect_rc ngx 0
expect ngx <<E
protocol.ssl2 pass
protocol.ssl3 pass
protocol.tls1_0 pass
protocol.tls1_1 pass
protocol.tls1_2 pass
protocol.tls1_3 pass
cipher.approved pass
cipher.rsa_key_transport pass
cipher.tls13_fips pass
kex.dhe_size not_applicable
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
ext.ocsp_stapling pass
E
expect_py ngx "e['status'] == 'pass'" "overall pass"
expect_py ngx "10 <= e['evidence']['handshakes'] <= 20" "10-20 handshakes ($(jget ngx "e['evidence']['handshakes']"))"

# 2. the same through an IPv6 literal, with a targets file.
if [ "$HAVE6" = 1 ]; then
	printf '# comment\n[::1]:%s localhost\n' "$P" >"$T/targets"
	scan ngx6 --targets "$T/targets"
	expect_rc ngx6 0
	expect_py ngx6 "e['target'] == '[::1]:$P' and e['host'] == '::1'" "IPv6 target [::1]:$P"
	expect_py ngx6 "e['status'] == 'pass'" "IPv6 endpoint passes"
else
	echo "skip IPv6: no ::1 on this machine"
fi

# 3. many endpoints at once: every one probed, none lost to the caps.
TGT=""
for p in $PORTS; do TGT="$TGT 127.0.0.1:$p"; done
start=$($PY -c 'import time; print(time.time())')
# shellcheck disable=SC2086
scan many --sni localhost --concurrency 48 --per-host 48 $TGT
el=$($PY -c "import time; print(round(time.time() - $start, 2))")
expect_rc many 0
expect_py many "len(d['endpoints']) == $NPORTS" "$NPORTS endpoints in the report"
expect_py many "all(x['status'] == 'pass' for x in d['endpoints'])" "all $NPORTS pass"
expect_py many "[x['port'] for x in d['endpoints']] == [int(p) for p in '$PORTS'.split()]" "results in target order"
echo "note: $NPORTS endpoints in $el s"
finish
